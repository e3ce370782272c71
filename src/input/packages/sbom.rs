//! What the SBOM readers (CycloneDX, SPDX) share: each turns its document
//! into a [`Doc`] (entries with a purl and where it is, roots, and the
//! dependency edges when the file has them), and [`Doc::emit`] makes the
//! [`Package`] items: name, namespace and version from the purl, `direct`
//! and the shortest `path` from a root by one breadth-first walk.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::str::FromStr;
use std::sync::Arc;

use crate::ident::Ecosystem;
use crate::input::item::{DepScope, ItemView, Package};
use crate::input::problem::InputProblem;
use crate::input::sink::{At, Flow, Sink};

use super::json_lock::{LineIndex, Span};

/// One component or package of the document.
pub(super) struct Entry {
    /// Its id in the dependency edges (`bom-ref`, `SPDXID`).
    pub id: Option<String>,
    /// Its name as the document writes it, for paths through it.
    pub label: String,
    /// The purl and where its value is.
    pub purl: Option<(String, Option<Span>)>,
    /// The version the document writes, when the purl has none.
    pub version: Option<String>,
    pub scope: Option<DepScope>,
}

pub(super) struct Doc {
    /// What the document is about (`metadata.component`, what it
    /// `DESCRIBES`): ids and names, the starts of paths.
    pub roots: Vec<(String, String)>,
    pub entries: Vec<Entry>,
    /// `id → ids it depends on`, when the document has a dependency graph.
    pub edges: Option<HashMap<String, Vec<String>>>,
    /// What an entry is called in messages (`component`, `package`).
    pub noun: &'static str,
}

/// The purl's name as its ecosystem writes it (`@scope/name`,
/// `group:artifact`, `github.com/x/y`), and its lookup key.
fn purl_name(eco: Ecosystem, namespace: Option<&str>, name: &str) -> String {
    match namespace.filter(|ns| !ns.is_empty()) {
        None => name.to_string(),
        Some(group) if eco == Ecosystem::Maven => format!("{group}:{name}"),
        Some(_) if matches!(eco, Ecosystem::Deb | Ecosystem::Rpm) => name.to_string(),
        Some(ns) => format!("{ns}/{name}"),
    }
}

impl Doc {
    /// `parent[id]` for every id reachable from a root, by one
    /// breadth-first walk (roots are their own parents).
    fn parents(&self) -> HashMap<&str, &str> {
        let mut parent: HashMap<&str, &str> = HashMap::new();
        let Some(edges) = &self.edges else {
            return parent;
        };
        let mut queue = VecDeque::new();
        for (id, _) in &self.roots {
            if parent.insert(id, id).is_none() {
                queue.push_back(id.as_str());
            }
        }
        while let Some(at) = queue.pop_front() {
            for to in edges.get(at).into_iter().flatten() {
                if !parent.contains_key(to.as_str()) {
                    parent.insert(to, at);
                    queue.push_back(to);
                }
            }
        }
        parent
    }

    pub(super) fn emit(&self, name: &Arc<str>, text: &str, lines: &LineIndex, sink: &mut dyn Sink) {
        let parent = self.parents();
        // What a package is called on a path: its purl's name, else the
        // name the document gives it.
        let mut labels: HashMap<&str, String> = HashMap::new();
        for (id, label) in &self.roots {
            labels.insert(id, label.clone());
        }
        for e in &self.entries {
            if let Some(id) = &e.id {
                labels.entry(id).or_insert_with(|| {
                    e.purl
                        .as_ref()
                        .and_then(|(purl, _)| packageurl::PackageUrl::from_str(purl).ok())
                        .and_then(|p| {
                            let eco = Ecosystem::from_purl_type(p.ty())?;
                            Some(purl_name(eco, p.namespace(), p.name()))
                        })
                        .unwrap_or_else(|| e.label.clone())
                });
            }
        }
        let root_ids: HashSet<&str> = self.roots.iter().map(|(id, _)| id.as_str()).collect();
        // What the roots ask for, when the graph says what they ask for.
        let asked: Option<HashSet<&str>> = self.edges.as_ref().and_then(|edges| {
            let listed: Vec<&Vec<String>> = self
                .roots
                .iter()
                .filter_map(|(id, _)| edges.get(id.as_str()))
                .collect();
            (!listed.is_empty()).then(|| listed.into_iter().flatten().map(String::as_str).collect())
        });
        let bytes = text.as_bytes();
        let mut no_purl = 0usize;
        // Unknown purl types: how many, and where the first is.
        let mut unknown: BTreeMap<String, (usize, Span)> = BTreeMap::new();
        for e in &self.entries {
            let Some((purl, span)) = &e.purl else {
                if !e.id.as_deref().is_some_and(|id| root_ids.contains(id)) {
                    no_purl += 1;
                }
                continue;
            };
            let span = span.unwrap_or(Span { start: 0, end: 1 });
            let (line, start, end) = lines.line_of(bytes, span.start);
            let line_text = &text[start..end];
            // Inside the quotes when the value is on one line.
            let (offset, len) = if span.end <= end && span.end >= span.start + 2 {
                (span.start + 1 - start, (span.end - span.start - 2).max(1))
            } else {
                (span.start - start, 1)
            };
            let parsed = match packageurl::PackageUrl::from_str(purl) {
                Ok(p) if !p.name().is_empty() => p,
                Ok(_) | Err(_) => {
                    let why = match packageurl::PackageUrl::from_str(purl) {
                        Err(err) => err.to_string(),
                        Ok(_) => "it has no package name".to_string(),
                    };
                    let flow = sink.skip(
                        InputProblem::line(
                            name,
                            line,
                            line_text,
                            offset,
                            len,
                            format!(
                                "the {} `{}` has a purl banscan cannot read: {why}",
                                self.noun, e.label
                            ),
                            "fix the purl (`pkg:type/namespace/name@version`) in the tool that \
                             wrote the SBOM, or report the tool's output to its authors",
                        ),
                        line_text,
                    );
                    if flow == Flow::Stop {
                        return;
                    }
                    continue;
                }
            };
            let Some(eco) = Ecosystem::from_purl_type(parsed.ty()) else {
                unknown
                    .entry(parsed.ty().to_ascii_lowercase())
                    .or_insert((0, span))
                    .0 += 1;
                continue;
            };
            let pkg_name = purl_name(eco, parsed.namespace(), parsed.name());
            let path = match e.id.as_deref() {
                Some(id) if parent.contains_key(id) => {
                    let mut chain = Vec::new();
                    let mut at = id;
                    loop {
                        chain.push(if at == id {
                            pkg_name.clone()
                        } else {
                            labels.get(at).map_or(at.to_string(), String::clone)
                        });
                        let p = parent[at];
                        if p == at {
                            break;
                        }
                        at = p;
                    }
                    chain.reverse();
                    chain
                }
                _ => Vec::new(),
            };
            let is_root = e.id.as_deref().is_some_and(|id| root_ids.contains(id));
            let direct = match (&asked, e.id.as_deref()) {
                _ if is_root => None,
                (Some(asked), Some(id)) => Some(asked.contains(id)),
                (Some(_), None) => Some(false),
                (None, _) => None,
            };
            let package = Package {
                device: None,
                ecosystem: eco,
                key: eco.package_key(parsed.namespace(), parsed.name()),
                name: pkg_name,
                version: parsed
                    .version()
                    .map(str::to_string)
                    .or_else(|| e.version.clone()),
                requirement: None,
                path,
                direct,
                scope: e.scope,
            };
            let flow = sink.item(
                ItemView::Package(&package),
                At {
                    source: name,
                    text: line_text,
                    line,
                    offset,
                    len,
                    byte: start as u64,
                },
            );
            if flow == Flow::Stop {
                return;
            }
        }
        for (ty, (count, span)) in unknown {
            let (line, start, end) = lines.line_of(bytes, span.start);
            let line_text = &text[start..end];
            let s = if count == 1 { "" } else { "s" };
            let problem = InputProblem::line(
                name,
                line,
                line_text,
                span.start - start,
                (span.end.min(end).max(span.start + 1)) - span.start,
                format!(
                    "{count} {}{s} with purl type `{ty}` not checked: banscan knows {}",
                    self.noun,
                    Ecosystem::ALL.map(Ecosystem::purl_type).join(", ")
                ),
                "nothing to fix in the SBOM; policies cannot name packages of this type yet",
            )
            .warning();
            if sink.problem(problem) == Flow::Stop {
                return;
            }
        }
        if no_purl > 0 {
            let s = if no_purl == 1 { "" } else { "s" };
            sink.problem(
                InputProblem::file(
                    name,
                    format!("{no_purl} {}{s} without a purl not checked", self.noun),
                    "have the SBOM tool write package URLs (purls) for every package",
                )
                .warning(),
            );
        }
    }
}
