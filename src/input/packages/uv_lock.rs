//! uv's lockfile, `uv.lock` (TOML, `version = 1`).
//!
//! Every `[[package]]` is one [`Package`] at its `name = "…"` value, with
//! its locked version. The project itself is the package whose source is
//! `{ editable = "." }` or `{ virtual = "." }`: it is the root, not an
//! item. What the root lists under `dependencies` is direct; under
//! `[package.optional-dependencies]` direct and optional; under
//! `[package.dev-dependencies]` direct and dev. Everything else is
//! indirect, with the shortest chain of names from the root
//! (`app → langchain-deepseek → langchain-openai`); a package only an
//! optional or dev dependency brings has that scope, one the project needs
//! to run has none (see [`Paths`]). Edges follow each package's
//! `dependencies`, and its `optional-dependencies` for the extras some
//! dependency asks of it.
//!
//! A package without a name, or without a version (other than a local
//! project, whose version uv may leave out when it is dynamic), is a
//! record passed over; a file that is not TOML is a problem at its line.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;
use toml::Spanned;

use super::toml_lock::{self, Facts, LineIndex, Paths, Str};
use crate::ident::Ecosystem;
use crate::input::item::DepScope;
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::{Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "uv-lock",
    evidence: Evidence::Packages,
    description: "uv lockfile",
    names: &["uv.lock"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::uv_lock),
    reader: Reader::Stream(read),
};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Spanned<LockPackage>>,
}

#[derive(Deserialize)]
struct LockPackage {
    name: Option<Spanned<toml::Value>>,
    version: Option<Spanned<toml::Value>>,
    #[serde(default)]
    source: BTreeMap<String, toml::Value>,
    #[serde(default)]
    dependencies: Vec<Dep>,
    #[serde(default, rename = "optional-dependencies")]
    optional: BTreeMap<String, Vec<Dep>>,
    #[serde(default, rename = "dev-dependencies")]
    dev: BTreeMap<String, Vec<Dep>>,
}

#[derive(Deserialize)]
struct Dep {
    name: String,
    version: Option<String>,
    #[serde(default)]
    extra: Vec<String>,
}

impl LockPackage {
    /// A local project (`editable`, `virtual` or `directory` source).
    fn local(&self) -> bool {
        ["editable", "virtual", "directory"]
            .iter()
            .any(|k| self.source.contains_key(*k))
    }

    /// The project being locked: its source is the lock's own folder.
    fn is_root(&self) -> bool {
        ["editable", "virtual"].iter().any(|k| {
            self.source
                .get(*k)
                .and_then(toml::Value::as_str)
                .is_some_and(|p| p == "." || p == "./")
        })
    }
}

/// One package as read: its name, version and index in the lock.
struct Node<'l> {
    at: usize,
    name: Str,
    version: Option<&'l str>,
}

fn read(
    source: &Source,
    opened: Opened,
    _limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = toml_lock::read_text(source, opened)?;
    let index = LineIndex::new(&text);
    let lock: Lock = toml_lock::parse(source, &text, &index, "uv")?;
    read_lock(source, &index, &lock, sink);
    Ok(())
}

/// The string in `value`, or a problem naming `what` at its place.
fn string<'v>(
    value: Option<&'v Spanned<toml::Value>>,
    what: &str,
    source: &Source,
    index: &LineIndex<'_>,
) -> Result<Option<(&'v str, std::ops::Range<usize>)>, InputProblem> {
    match value {
        None => Ok(None),
        Some(v) => match v.get_ref().as_str() {
            Some(s) if !s.trim().is_empty() => Ok(Some((s, v.span()))),
            _ => Err(index.problem(
                source,
                v.span(),
                format!("a package's {what} is not a non-empty string"),
                format!("each [[package]] has {what} = \"…\"; regenerate the lockfile with uv"),
            )),
        },
    }
}

fn read_lock(source: &Source, index: &LineIndex<'_>, lock: &Lock, sink: &mut dyn Sink) {
    // Pass 1: the packages that can be items, and the root.
    let mut nodes: Vec<Node<'_>> = Vec::with_capacity(lock.package.len());
    let mut root: Option<(usize, String)> = None;
    for (at, table) in lock.package.iter().enumerate() {
        let p = table.get_ref();
        let skip = |sink: &mut dyn Sink, problem: InputProblem| {
            sink.skip(problem, index.slice(table.span()));
        };
        let name = match string(p.name.as_ref(), "name", source, index) {
            Ok(Some((n, span))) => Str::new(span, n.to_string()),
            Ok(None) => {
                skip(
                    sink,
                    index.problem(
                        source,
                        table.span(),
                        "a [[package]] without a name",
                        "each [[package]] has name = \"…\"; regenerate the lockfile with uv",
                    ),
                );
                continue;
            }
            Err(problem) => {
                skip(sink, problem);
                continue;
            }
        };
        if p.is_root() && root.is_none() {
            root = Some((at, name.get_ref().clone()));
            continue;
        }
        let version = match string(p.version.as_ref(), "version", source, index) {
            Ok(Some((v, _))) => Some(v),
            Ok(None) if p.local() => None,
            Ok(None) => {
                skip(
                    sink,
                    index.problem(
                        source,
                        name.span(),
                        format!("`{}` has no version", name.get_ref()),
                        "each [[package]] from an index has version = \"…\"; regenerate the lockfile with uv",
                    ),
                );
                continue;
            }
            Err(problem) => {
                skip(sink, problem);
                continue;
            }
        };
        nodes.push(Node { at, name, version });
    }

    // Pass 2: the graph, by PEP 503 key.
    let key = |n: &str| Ecosystem::Pypi.package_key(None, n);
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        by_key.entry(key(n.name.get_ref())).or_default().push(i);
    }
    let targets = |d: &Dep| -> Vec<usize> {
        by_key
            .get(&key(&d.name))
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|&i| d.version.is_none() || d.version.as_deref() == nodes[i].version)
                    .collect()
            })
            .unwrap_or_default()
    };
    // The extras any package asks of another.
    let mut asked: HashSet<(String, &str)> = HashSet::new();
    for table in &lock.package {
        let p = table.get_ref();
        let lists = p
            .optional
            .values()
            .chain(p.dev.values())
            .flatten()
            .chain(&p.dependencies);
        for d in lists {
            for e in &d.extra {
                asked.insert((key(&d.name), e.as_str()));
            }
        }
    }
    let edges: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| {
            let p = lock.package[n.at].get_ref();
            let k = key(n.name.get_ref());
            let extras = p
                .optional
                .iter()
                .filter(|(e, _)| asked.contains(&(k.clone(), e.as_str())))
                .flat_map(|(_, deps)| deps);
            p.dependencies
                .iter()
                .chain(extras)
                .flat_map(targets)
                .collect()
        })
        .collect();

    // Pass 3: from the root, one search.
    let found = root.map(|(at, name)| {
        let p = lock.package[at].get_ref();
        let mut seeds: Vec<(usize, Option<DepScope>)> = Vec::new();
        let lists = [
            (p.dependencies.iter().collect::<Vec<_>>(), None),
            (
                p.optional.values().flatten().collect(),
                Some(DepScope::Optional),
            ),
            (p.dev.values().flatten().collect(), Some(DepScope::Dev)),
        ];
        for (deps, scope) in lists {
            for d in deps {
                seeds.extend(targets(d).into_iter().map(|t| (t, scope)));
            }
        }
        let direct: HashSet<usize> = seeds.iter().map(|s| s.0).collect();
        let paths = Paths::search(nodes.len(), &seeds, |n| edges[n].as_slice());
        (name, direct, paths)
    });

    for (i, n) in nodes.iter().enumerate() {
        let facts = match &found {
            Some((root, direct, paths)) => Facts {
                direct: Some(direct.contains(&i)),
                scope: paths.scope(i).flatten(),
                path: paths.path(root, i, |j| nodes[j].name.get_ref().clone()),
            },
            None => Facts {
                direct: None,
                scope: None,
                path: Vec::new(),
            },
        };
        if toml_lock::emit(
            sink,
            source,
            index,
            Ecosystem::Pypi,
            n.name.get_ref(),
            n.name.span(),
            n.version,
            facts,
        ) == Flow::Stop
        {
            return;
        }
    }
}

#[cfg(test)]
#[path = "uv_lock_tests.rs"]
pub(crate) mod tests;
