//! pnpm lockfiles: `pnpm-lock.yaml`, `lockfileVersion` 5.x (pnpm ≤7),
//! `'6.0'` (pnpm 8) and `'9.0'` (pnpm 9 and 10).
//!
//! The file is parsed with serde-saphyr into the span-keeping tree of
//! [`crate::yaml`], never by hand; a syntax error or a truncated file is
//! one problem at its line, and the file is unread evidence. An unknown
//! `lockfileVersion` is unread evidence too, naming it.
//!
//! What is emitted, one npm [`Package`] per key of `packages`, at the key:
//! v9 `name@1.0.0` / `@scope/name@1.0.0`, v6 `/@scope/name@1.0.0(peer@2)`,
//! v5 `/name/1.0.0_peer@2.0.0`; the name and version come from the key,
//! the peer suffix dropped (an entry's own `name`/`version`, written for
//! non-registry packages, win). A key that does not parse is a record
//! passed over.
//!
//! The importers (`importers[path]`, or the top-level `dependencies`,
//! `devDependencies` and `optionalDependencies` of a single-project file)
//! give `direct: Some(true)` and the scope (dev → Dev, optional →
//! Optional). The graph (v9 `snapshots[id].dependencies` and
//! `optionalDependencies`, v5/v6 `packages[id].…`) gives each package the
//! shortest chain from an importer (`path`), by one breadth-first search:
//! what a project needs to run first, then what only its optional, then
//! what only its dev dependencies bring. Peer variants of one package are
//! one node. `link:` versions are workspace links, not packages.

use std::collections::HashMap;
use std::ops::Range;

use super::graph::{Paths, Wants};
use super::toml_lock::{self, Facts, LineIndex};

use crate::ident::Ecosystem;
use crate::input::item::DepScope;
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::{Flow, Sink};
use crate::input::source::{Limits, Opened, Source};
use crate::yaml::{self, Node, Value};

pub static SPEC: FormatSpec = FormatSpec {
    name: "pnpm-lock",
    evidence: Evidence::Packages,
    description: "pnpm lockfile",
    names: &["pnpm-lock.yaml"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::pnpm_lock),
    reader: Reader::Stream(read),
};

const REGENERATE: &str = "regenerate it with `pnpm install --lockfile-only`, or restore it \
     from version control";

/// The most YAML nodes read from one lockfile: far above a real one (a
/// large monorepo's is a few hundred thousand).
const MAX_NODES: usize = 50_000_000;

fn read(
    source: &Source,
    opened: Opened,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = toml_lock::read_text(source, opened)?;
    read_text(source, &text, limits.max_depth, sink)
}

/// The lockfile versions read, by their major number.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Version {
    V5,
    V6,
    V9,
}

fn read_text(
    source: &Source,
    text: &str,
    max_depth: usize,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let index = LineIndex::new(text);
    let docs = yaml::parse_text(text, yaml::node_budget(text.len(), MAX_NODES), max_depth)
        .map_err(|e| {
            index.problem(
                source,
                e.offset..e.offset,
                format!("not a valid pnpm lockfile: {}", e.message),
                format!("the file may be cut short or edited by hand; {REGENERATE}"),
            )
        })?;
    // pnpm 10 may write an environment document first; the lockfile
    // proper is the last one.
    let Some(root) = docs.iter().rev().find(|d| !matches!(d.value, Value::Null)) else {
        sink.problem(
            InputProblem::file(
                &source.name,
                "the lockfile is empty: it lists no packages",
                REGENERATE,
            )
            .warning(),
        );
        return Ok(());
    };
    let version = match get(root, "lockfileVersion") {
        None => {
            return Err(InputProblem::file(
                &source.name,
                "the lockfile has no `lockfileVersion`: banscan reads versions 5.x, 6.0 and 9.0",
                REGENERATE,
            ));
        }
        Some(v) => match version_of(&v.value) {
            Some(version) => version,
            None => {
                let shown = match &v.value {
                    Value::Str(s) => s.clone(),
                    Value::Int(i) => i.to_string(),
                    Value::Float(f) => f.to_string(),
                    other => other.type_name().to_string(),
                };
                return Err(index.problem(
                    source,
                    span(v),
                    format!(
                        "unknown lockfileVersion {shown}: banscan reads versions 5.x, 6.0 and 9.0"
                    ),
                    "regenerate the lockfile with pnpm 7–10, or report the new version to banscan",
                ));
            }
        },
    };
    // pnpm 9 writes `snapshots:` after a non-empty `packages:`; without it
    // the file was cut short at a line end, which still parses.
    if version == Version::V9
        && get(root, "packages").is_some_and(|p| !entries(p).is_empty())
        && get(root, "snapshots").is_none()
    {
        return Err(index.problem(
            source,
            text.len()..text.len(),
            "the lockfile ends without the `snapshots:` section pnpm 9 writes after `packages:`: it looks cut short",
            format!("the dependency graph is missing, so findings could not name their paths; {REGENERATE}"),
        ));
    }
    let graph = Graph::build(root, version);
    graph.emit(source, &index, sink);
    Ok(())
}

fn version_of(value: &Value) -> Option<Version> {
    let major = match value {
        Value::Int(i) => *i,
        Value::Float(f) => f.trunc() as i64,
        Value::Str(s) => s.split('.').next()?.trim().parse().ok()?,
        _ => return None,
    };
    match major {
        5 => Some(Version::V5),
        6 => Some(Version::V6),
        9 => Some(Version::V9),
        _ => None,
    }
}

fn span(node: &Node) -> Range<usize> {
    node.span.offset()..node.span.offset() + node.span.len()
}

/// The entries of a mapping (none for anything else).
fn entries(node: &Node) -> &[(Node, Node)] {
    match &node.value {
        Value::Map(m) => m,
        _ => &[],
    }
}

fn key_str(node: &Node) -> Option<&str> {
    match &node.value {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

fn get<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    entries(node)
        .iter()
        .find(|(k, _)| key_str(k) == Some(key))
        .map(|(_, v)| v)
}

/// A scalar as text (a version written as a bare number included).
fn scalar(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        _ => None,
    }
}

/// Drops a peer suffix: `1.0.0(react@18.2.0)` (v6, v9) or
/// `1.0.0_react@18.2.0` (v5).
fn strip_peers(version: &str, v5: bool) -> &str {
    let cut = if v5 {
        version.find(['(', '_'])
    } else {
        version.find('(')
    };
    cut.map_or(version, |i| &version[..i])
}

/// `name@version` (the name may start with `@scope/`).
fn split_at_version(id: &str) -> Option<(&str, &str)> {
    let at = id.get(1..)?.find('@')? + 1;
    Some((&id[..at], &id[at + 1..]))
}

/// The name and version a `packages` or `snapshots` key names.
fn parse_key(key: &str, version: Version) -> Option<(String, String)> {
    let (name, ver) = match version {
        Version::V9 => split_at_version(strip_peers(key, false))?,
        Version::V6 => split_at_version(strip_peers(key.strip_prefix('/')?, false))?,
        Version::V5 => {
            let rest = key.strip_prefix('/')?;
            // `@scope/name/1.0.0` or `name/1.0.0`.
            let first = rest.find('/')?;
            let slash = if rest.starts_with('@') {
                first + 1 + rest[first + 1..].find('/')?
            } else {
                first
            };
            (&rest[..slash], strip_peers(&rest[slash + 1..], true))
        }
    };
    let valid = |s: &str| !s.is_empty() && !s.contains(char::is_whitespace);
    (valid(name) && valid(ver) && !name.ends_with('/')).then(|| (name.to_string(), ver.to_string()))
}

/// The package a dependency `name: reference` points at: a version of
/// `name` (`1.0.0(peer@2)`, v5 `1.0.0_peer@2`), or a whole id for an alias
/// (v9 `real@1.0.0`, v5/v6 `/real@1.0.0`, `/real/1.0.0`). `None` for a
/// workspace link.
fn parse_ref(name: &str, reference: &str, version: Version) -> Option<(String, String)> {
    if reference.starts_with("link:") {
        return None;
    }
    if reference.starts_with('/') {
        return parse_key(reference, version).or_else(|| {
            // v5 keys in a v6 file or the other way round.
            let other = if version == Version::V5 {
                Version::V6
            } else {
                Version::V5
            };
            parse_key(reference, other)
        });
    }
    if reference.starts_with(|c: char| c.is_ascii_digit()) {
        return Some((
            name.to_string(),
            strip_peers(reference, version == Version::V5).to_string(),
        ));
    }
    if version == Version::V9
        && let Some(pair) = parse_key(reference, Version::V9)
        && !pair.1.contains(':')
    {
        return Some(pair);
    }
    // A tarball, git or file reference: the package's version as written.
    Some((name.to_string(), strip_peers(reference, false).to_string()))
}

/// Dependency maps of an entry: `dependencies` and `optionalDependencies`.
fn wanted(entry: &Node) -> impl Iterator<Item = (&str, String)> {
    ["dependencies", "optionalDependencies"]
        .into_iter()
        .filter_map(|k| get(entry, k))
        .flat_map(entries)
        .filter_map(|(k, v)| Some((key_str(k)?, dep_version(v)?)))
}

/// An importer's or a package's dependency value: the reference itself
/// (v5, graph) or `{specifier, version}` (v6+ importers).
fn dep_version(value: &Node) -> Option<String> {
    match &value.value {
        Value::Map(_) => get(value, "version").and_then(scalar),
        _ => scalar(value),
    }
}

/// One `packages` key.
struct Entry<'n> {
    key: &'n Node,
    /// The node it is, `None` for a key that does not parse.
    node: Option<usize>,
}

struct Graph<'n> {
    /// `(name, version)` of each node.
    nodes: Vec<(String, String)>,
    edges: Vec<Vec<usize>>,
    entries: Vec<Entry<'n>>,
    /// Importer names, and what each asks for, with its scope class.
    importers: Vec<(String, Wants)>,
}

/// The nodes found so far, by `(name, version)` and by `packages` key.
#[derive(Default)]
struct Ids {
    nodes: Vec<(String, String)>,
    by_id: HashMap<(String, String), usize>,
    by_key: HashMap<String, usize>,
}

impl Ids {
    fn node(&mut self, id: (String, String)) -> usize {
        let nodes = &mut self.nodes;
        *self.by_id.entry(id.clone()).or_insert_with(|| {
            nodes.push(id);
            nodes.len() - 1
        })
    }

    /// The node a `packages` or `snapshots` key is (a snapshot key of a
    /// package with an own `name`, a tarball or git one, by its text).
    fn of_key(&self, key: &str, version: Version) -> Option<usize> {
        self.by_key
            .get(key)
            .copied()
            .or_else(|| parse_key(key, version).and_then(|id| self.by_id.get(&id).copied()))
    }

    /// The node `name: reference` points at, made when new.
    fn resolve(&mut self, name: &str, reference: &str, version: Version) -> Option<usize> {
        if let Some(&n) = self.by_key.get(reference) {
            return Some(n);
        }
        let id = parse_ref(name, reference, version)?;
        Some(self.node(id))
    }
}

impl<'n> Graph<'n> {
    fn build(root: &'n Node, version: Version) -> Graph<'n> {
        let mut ids = Ids::default();
        let mut entries_out = Vec::new();
        let packages = get(root, "packages");
        for (k, v) in packages.map(entries).unwrap_or_default() {
            let key = key_str(k);
            let own = get(v, "name")
                .and_then(scalar)
                .zip(get(v, "version").and_then(scalar));
            let parsed = own.or_else(|| key.and_then(|key| parse_key(key, version)));
            let node = parsed.map(|id| ids.node(id));
            if let Some((key, n)) = key.zip(node) {
                ids.by_key.insert(key.to_string(), n);
            }
            entries_out.push(Entry { key: k, node });
        }
        // The graph: v9 snapshots, v5/v6 packages.
        let graph_map = match version {
            Version::V9 => get(root, "snapshots"),
            _ => packages,
        };
        let mut edges_of: Vec<(usize, usize)> = Vec::new();
        for (k, v) in graph_map.map(entries).unwrap_or_default() {
            let Some(from) = key_str(k).and_then(|key| ids.of_key(key, version)) else {
                continue;
            };
            for (name, reference) in wanted(v) {
                if let Some(to) = ids.resolve(name, &reference, version) {
                    edges_of.push((from, to));
                }
            }
        }
        let mut edges = vec![Vec::new(); ids.nodes.len()];
        for (from, to) in edges_of {
            if !edges[from].contains(&to) {
                edges[from].push(to);
            }
        }
        // The importers.
        let mut importers = Vec::new();
        let mut add_importer = |name: &str, node: &Node, ids: &mut Ids| {
            let mut wants = Vec::new();
            for (field, class) in [
                ("dependencies", None),
                ("optionalDependencies", Some(DepScope::Optional)),
                ("devDependencies", Some(DepScope::Dev)),
            ] {
                for (k, v) in get(node, field).map(entries).unwrap_or_default() {
                    let Some((dep, reference)) = key_str(k).zip(dep_version(v)) else {
                        continue;
                    };
                    if let Some(n) = ids.resolve(dep, &reference, version) {
                        wants.push((n, class));
                    }
                }
            }
            let shown = if name == "." { "(root)" } else { name };
            importers.push((shown.to_string(), wants));
        };
        match get(root, "importers") {
            Some(map) => {
                for (k, v) in entries(map) {
                    if let Some(name) = key_str(k) {
                        add_importer(name, v, &mut ids);
                    }
                }
            }
            None => add_importer(".", root, &mut ids),
        }
        edges.resize(ids.nodes.len(), Vec::new());
        Graph {
            nodes: ids.nodes,
            edges,
            entries: entries_out,
            importers,
        }
    }

    fn emit(&self, source: &Source, index: &LineIndex<'_>, sink: &mut dyn Sink) {
        let wants: Vec<&[(usize, Option<DepScope>)]> =
            self.importers.iter().map(|(_, w)| w.as_slice()).collect();
        let paths = Paths::search(self.nodes.len(), &wants, |n| &self.edges[n]);
        let mut direct = vec![false; self.nodes.len()];
        for (_, wants) in &self.importers {
            for &(w, _) in wants {
                direct[w] = true;
            }
        }
        for entry in &self.entries {
            let Some(n) = entry.node else {
                let p = index.place(span(entry.key));
                let key = key_str(entry.key).unwrap_or("");
                let flow = sink.skip(
                    index.problem(
                        source,
                        span(entry.key),
                        format!("the package key `{key}` names no package and version"),
                        format!("pnpm writes `name@version` keys: {REGENERATE}"),
                    ),
                    p.text,
                );
                if flow == Flow::Stop {
                    return;
                }
                continue;
            };
            let (name, version) = &self.nodes[n];
            let facts = Facts {
                direct: Some(direct[n]),
                scope: paths.scope(n).flatten(),
                path: paths.path(
                    n,
                    |i| self.nodes[i].0.clone(),
                    |i| self.importers[i].0.clone(),
                ),
            };
            let flow = toml_lock::emit(
                sink,
                source,
                index,
                Ecosystem::Npm,
                name,
                span(entry.key),
                Some(version),
                facts,
            );
            if flow == Flow::Stop {
                return;
            }
        }
    }
}

#[cfg(test)]
#[path = "pnpm_lock_tests.rs"]
mod tests;
