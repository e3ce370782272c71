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

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::graph::Paths;
use super::toml_lock::{self, ByKey, Facts, LineIndex, Loose, Skipped, Table, Text, pypi_key};
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
struct LockPackage<'t> {
    #[serde(borrow)]
    name: Option<Spanned<Loose<'t>>>,
    #[serde(borrow)]
    version: Option<Spanned<Loose<'t>>>,
    #[serde(borrow, default)]
    source: BTreeMap<Text<'t>, Loose<'t>>,
    #[serde(borrow, default)]
    dependencies: Vec<Dep<'t>>,
    #[serde(borrow, default, rename = "optional-dependencies")]
    optional: BTreeMap<Text<'t>, Vec<Dep<'t>>>,
    #[serde(borrow, default, rename = "dev-dependencies")]
    dev: BTreeMap<Text<'t>, Vec<Dep<'t>>>,
}

#[derive(Deserialize)]
struct Dep<'t> {
    #[serde(borrow)]
    name: Text<'t>,
    #[serde(borrow)]
    version: Option<Text<'t>>,
    #[serde(borrow, default)]
    extra: Vec<Text<'t>>,
}

/// A dependency as the graph needs it: which package (by key), and which
/// version when the lock holds several.
struct Edge<'t> {
    key: Cow<'t, str>,
    version: Option<Text<'t>>,
}

impl<'t> From<Dep<'t>> for Edge<'t> {
    fn from(d: Dep<'t>) -> Self {
        Edge {
            key: pypi_key(&d.name),
            version: d.version,
        }
    }
}

fn edges<'t>(deps: Vec<Dep<'t>>) -> Vec<Edge<'t>> {
    deps.into_iter().map(Edge::from).collect()
}

impl LockPackage<'_> {
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
                .and_then(Loose::as_str)
                .is_some_and(|p| p == "." || p == "./")
        })
    }
}

/// One package as read: what the graph and its item need.
struct Node<'t> {
    name: Text<'t>,
    /// Byte span of the `name` value, quotes included.
    span: Range<usize>,
    version: Option<Text<'t>>,
    dependencies: Vec<Edge<'t>>,
    /// Extras: their names and what each brings.
    optional: Vec<(Text<'t>, Vec<Edge<'t>>)>,
}

/// The root: its name and its dependencies by class.
struct Root<'t> {
    name: String,
    dependencies: Vec<Edge<'t>>,
    optional: Vec<Edge<'t>>,
    dev: Vec<Edge<'t>>,
}

fn read(
    source: &Source,
    opened: Opened,
    _limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = toml_lock::read_text(source, opened)?;
    let index = LineIndex::new(&text);
    read_lock(source, &index, sink)
}

/// The string in `value`, or a problem naming `what` at its place.
fn string<'v, 't>(
    value: Option<&'v Spanned<Loose<'t>>>,
    table: &Table<LockPackage<'t>>,
    what: &str,
    source: &Source,
    index: &LineIndex<'_>,
) -> Result<Option<(&'v Text<'t>, Range<usize>)>, InputProblem> {
    match value {
        None => Ok(None),
        Some(v) => match &v.get_ref().0 {
            Some(s) if !s.trim().is_empty() => Ok(Some((s, table.at(v)))),
            _ => Err(index.problem(
                source,
                table.at(v),
                format!("a package's {what} is not a non-empty string"),
                format!("each [[package]] has {what} = \"…\"; regenerate the lockfile with uv"),
            )),
        },
    }
}

fn read_lock(
    source: &Source,
    index: &LineIndex<'_>,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    // Pass 1, block by block: the packages that can be items, the root,
    // and the extras any package asks of another.
    let mut nodes: Vec<Node<'_>> = Vec::new();
    let mut root: Option<Root<'_>> = None;
    let mut skipped = Skipped::default();
    let mut asked: HashSet<(Cow<'_, str>, Text<'_>)> = HashSet::new();
    toml_lock::tables(source, index, "uv", |table: Table<LockPackage<'_>>| {
        let p = &table.value;
        for d in p
            .optional
            .values()
            .chain(p.dev.values())
            .flatten()
            .chain(&p.dependencies)
        {
            for e in &d.extra {
                asked.insert((pypi_key(&d.name), e.clone()));
            }
        }
        let mut skip = |problem: InputProblem| skipped.push(problem, table.span());
        let name = match string(p.name.as_ref(), &table, "name", source, index) {
            Ok(Some((n, span))) => (n.clone(), span),
            Ok(None) => {
                skip(index.problem(
                    source,
                    table.span(),
                    "a [[package]] without a name",
                    "each [[package]] has name = \"…\"; regenerate the lockfile with uv",
                ));
                return Flow::Continue;
            }
            Err(problem) => {
                skip(problem);
                return Flow::Continue;
            }
        };
        if root.is_none() && p.is_root() {
            let LockPackage {
                dependencies,
                optional,
                dev,
                ..
            } = table.value;
            root = Some(Root {
                name: name.0.to_string(),
                dependencies: edges(dependencies),
                optional: optional.into_values().flat_map(edges).collect(),
                dev: dev.into_values().flat_map(edges).collect(),
            });
            return Flow::Continue;
        }
        let version = match string(p.version.as_ref(), &table, "version", source, index) {
            Ok(Some((v, _))) => Some(v.clone()),
            Ok(None) if p.local() => None,
            Ok(None) => {
                skip(index.problem(
                        source,
                        name.1,
                        format!("`{}` has no version", &*name.0),
                        "each [[package]] from an index has version = \"…\"; regenerate the lockfile with uv",
                    ),
                );
                return Flow::Continue;
            }
            Err(problem) => {
                skip(problem);
                return Flow::Continue;
            }
        };
        let LockPackage {
            dependencies,
            optional,
            ..
        } = table.value;
        nodes.push(Node {
            name: name.0,
            span: name.1,
            version,
            dependencies: edges(dependencies),
            optional: optional
                .into_iter()
                .map(|(extra, deps)| (extra, edges(deps)))
                .collect(),
        });
        Flow::Continue
    })?;
    if skipped.send(sink, index) == Flow::Stop {
        return Ok(());
    }

    // Pass 2: the graph, by PEP 503 key, as one list of targets with
    // where each package's start.
    let by_key = ByKey::new(nodes.iter().map(|n| pypi_key(&n.name)).collect());
    let targets = |d: &Edge<'_>, out: &mut Vec<usize>| {
        out.extend(
            by_key
                .get(&d.key)
                .filter(|&i| d.version.is_none() || d.version == nodes[i].version),
        );
    };
    let mut targets_of: Vec<usize> = Vec::new();
    let mut starts: Vec<usize> = Vec::with_capacity(nodes.len() + 1);
    for n in &nodes {
        starts.push(targets_of.len());
        let k = pypi_key(&n.name);
        let extras = n
            .optional
            .iter()
            .filter(|(e, _)| asked.contains(&(k.clone(), e.clone())))
            .flat_map(|(_, deps)| deps);
        for d in n.dependencies.iter().chain(extras) {
            targets(d, &mut targets_of);
        }
    }
    starts.push(targets_of.len());

    // Pass 3: from the root, one search.
    let found = root.map(|root| {
        let mut seeds: Vec<(usize, Option<DepScope>)> = Vec::new();
        let lists = [
            (&root.dependencies, None),
            (&root.optional, Some(DepScope::Optional)),
            (&root.dev, Some(DepScope::Dev)),
        ];
        for (deps, scope) in lists {
            for d in deps {
                let mut found = Vec::new();
                targets(d, &mut found);
                seeds.extend(found.into_iter().map(|t| (t, scope)));
            }
        }
        let direct: HashSet<usize> = seeds.iter().map(|s| s.0).collect();
        let paths = Paths::search(nodes.len(), &[&seeds], |n| {
            &targets_of[starts[n]..starts[n + 1]]
        });
        (root.name, direct, paths)
    });

    for (i, n) in nodes.iter().enumerate() {
        let facts = match &found {
            Some((root, direct, paths)) => Facts {
                direct: Some(direct.contains(&i)),
                scope: paths.scope(i).flatten(),
                path: paths.path(i, |j| nodes[j].name.to_string(), |_| root.to_string()),
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
            &n.name,
            n.span.clone(),
            n.version.as_deref(),
            facts,
        ) == Flow::Stop
        {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "uv_lock_tests.rs"]
pub(crate) mod tests;
