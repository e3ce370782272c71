//! Cargo lockfiles (`Cargo.lock`), versions 1 to 4.
//!
//! The file is read and parsed as the other TOML lockfiles are
//! ([`toml_lock`]): one `[[package]]` block at a time, whose `Spanned`
//! values give the byte span of every `name`, which one line index turns
//! into the line and column an item points at. Only what the graph and
//! the items need is kept of each table, borrowed from the text. All four
//! versions share the `[[package]]`
//! tables read here (`name`, `version`, `source`, `dependencies`); v1's
//! `[metadata]` checksums and v4's percent-encoded git queries do not
//! change which crates are locked.
//!
//! What is emitted:
//! - every `[[package]]` with a `source` (a registry, sparse index or git
//!   crate) is one cargo [`Package`], pointing at its `name` value, with
//!   its exact `version`;
//! - a package without `source` is the project's own (a workspace member
//!   or a path crate): a root of the dependency graph, not an item, since
//!   it is the code being scanned, not a crate taken from elsewhere;
//! - `direct` is `Some(true)` when a root depends on the package,
//!   `Some(false)` when only other packages do, and `None` when no root
//!   reaches it; `path` is the shortest chain of names from a root to the
//!   package, both included (`app → serde → serde_derive`), found by one
//!   breadth-first walk over the whole graph;
//! - a TOML syntax error (a truncated file) is a problem for the whole file
//!   at the parser's line and column; a `[[package]]` without a string
//!   `name` or `version` is a skipped record, and the rest is read.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::toml_lock::{self, ByKey, Facts, LineIndex, Loose, Skipped, Table, Text};
use crate::ident::Ecosystem;
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::{Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "cargo-lock",
    evidence: Evidence::Packages,
    description: "Cargo lockfile (v1 to v4)",
    names: &["Cargo.lock"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::cargo_lock),
    reader: Reader::Stream(read),
};

/// One `[[package]]` table. Fields are loose so that a table with a
/// missing or mistyped field is one skipped record, not a failed file.
#[derive(Deserialize)]
struct RawPackage<'t> {
    #[serde(borrow)]
    name: Option<Spanned<Loose<'t>>>,
    #[serde(borrow)]
    version: Option<Spanned<Loose<'t>>>,
    #[serde(borrow)]
    source: Option<Loose<'t>>,
    #[serde(borrow)]
    dependencies: Option<Dependencies<'t>>,
}

/// A `dependencies` array's strings; anything else in it, or a value that
/// is not an array, names no dependency.
#[derive(Default)]
struct Dependencies<'t>(Vec<Text<'t>>);

impl<'de: 'a, 'a> Deserialize<'de> for Dependencies<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Vec::<Loose<'a>>::deserialize(d) {
            Ok(list) => Ok(Dependencies(list.into_iter().filter_map(|l| l.0).collect())),
            Err(_) => Ok(Dependencies::default()),
        }
    }
}

/// A package that has a name and a version: what the graph and the items
/// need of its table, borrowed from the text where it can be.
struct Node<'t> {
    name: Text<'t>,
    version: Text<'t>,
    source: Option<Text<'t>>,
    /// Byte span of the `name` value, quotes included.
    span: Range<usize>,
    dependencies: Vec<Text<'t>>,
}

fn read(
    source: &Source,
    opened: Opened,
    _limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = toml_lock::read_text(source, opened)?;
    parse(source, &text, sink)
}

fn parse(source: &Source, text: &str, sink: &mut dyn Sink) -> Result<(), InputProblem> {
    let index = LineIndex::new(text);
    let mut nodes: Vec<Node<'_>> = Vec::new();
    let mut skipped = Skipped::default();
    toml_lock::tables(source, &index, "Cargo", |table: Table<RawPackage<'_>>| {
        let span = table.span();
        let raw = &table.value;
        let name = raw
            .name
            .as_ref()
            .and_then(|n| Some((n.get_ref().0.clone()?, table.at(n))));
        let version = raw.version.as_ref().and_then(|v| v.get_ref().0.clone());
        let (Some((name, name_span)), Some(version)) = (name.clone(), version.clone()) else {
            let missing = match (&name, &version) {
                (None, None) => "a [[package]] without a string `name` and `version`".to_string(),
                (None, Some(_)) => "a [[package]] without a string `name`".to_string(),
                (Some((name, _)), _) => {
                    format!("the [[package]] `{}` has no string `version`", &**name)
                }
            };
            skipped.push(
                index.problem(
                    source,
                    span.clone(),
                    format!("{missing}; it was passed over"),
                    "Cargo writes `name` and `version` in every [[package]]; regenerate the file with `cargo generate-lockfile`",
                ),
                span,
            );
            return Flow::Continue;
        };
        let RawPackage {
            source: package_source,
            dependencies,
            ..
        } = table.value;
        nodes.push(Node {
            name,
            version,
            source: package_source.and_then(|s| s.0),
            span: name_span,
            dependencies: dependencies.unwrap_or_default().0,
        });
        Flow::Continue
    })?;
    if skipped.send(sink, &index) == Flow::Stop {
        return Ok(());
    }

    let graph = Graph::build(&nodes);
    for (i, node) in nodes.iter().enumerate() {
        if node.source.is_none() {
            continue;
        }
        let facts = Facts {
            direct: graph.direct(i),
            scope: None,
            path: graph.path(&nodes, i),
        };
        if toml_lock::emit(
            sink,
            source,
            &index,
            Ecosystem::Cargo,
            &node.name,
            node.span.clone(),
            Some(&node.version),
            facts,
        ) == Flow::Stop
        {
            break;
        }
    }
    Ok(())
}

/// The dependency graph walked once from every root (package without a
/// `source`): each package's distance and the package before it on one
/// shortest chain.
struct Graph {
    /// `None`: not reached from any root.
    distance: Vec<Option<u32>>,
    parent: Vec<Option<usize>>,
}

impl Graph {
    fn build(nodes: &[Node<'_>]) -> Graph {
        let by_name = ByKey::new(nodes.iter().map(|n| Cow::Borrowed(&*n.name)).collect());
        let mut distance = vec![None; nodes.len()];
        let mut parent = vec![None; nodes.len()];
        let mut queue = VecDeque::new();
        for (i, n) in nodes.iter().enumerate() {
            if n.source.is_none() {
                distance[i] = Some(0);
                queue.push_back(i);
            }
        }
        while let Some(i) = queue.pop_front() {
            let next = distance[i].map_or(0, |d| d + 1);
            for dep in &nodes[i].dependencies {
                let Some(j) = resolve(nodes, &by_name, dep) else {
                    continue;
                };
                if distance[j].is_none() {
                    distance[j] = Some(next);
                    parent[j] = Some(i);
                    queue.push_back(j);
                }
            }
        }
        Graph { distance, parent }
    }

    fn direct(&self, i: usize) -> Option<bool> {
        self.distance[i].map(|d| d <= 1)
    }

    /// Names from a root to package `i`, both included; empty when no
    /// root reaches it.
    fn path(&self, nodes: &[Node<'_>], i: usize) -> Vec<String> {
        if self.distance[i].is_none() {
            return Vec::new();
        }
        let mut chain = vec![nodes[i].name.to_string()];
        let mut at = i;
        while let Some(p) = self.parent[at] {
            chain.push(nodes[p].name.to_string());
            at = p;
        }
        chain.reverse();
        chain
    }
}

/// The package a `dependencies` entry names: `"name"`, `"name version"` or
/// `"name version (source)"`.
fn resolve(nodes: &[Node<'_>], by_name: &ByKey<'_>, entry: &str) -> Option<usize> {
    let mut parts = entry.splitn(3, ' ');
    let name = parts.next()?;
    let version = parts.next();
    let source = parts
        .next()
        .map(|s| s.trim().trim_start_matches('(').trim_end_matches(')'));
    by_name
        .get(name)
        .filter(|&c| version.is_none_or(|v| &*nodes[c].version == v))
        .find(|&c| source.is_none_or(|s| nodes[c].source.as_deref() == Some(s)))
        .or_else(|| {
            // A source spelt differently (v1 wrote some without the
            // `registry+` details Cargo writes now): the version decides.
            by_name
                .get(name)
                .find(|&c| version.is_none_or(|v| &*nodes[c].version == v))
        })
}

#[cfg(test)]
#[path = "cargo_lock_tests.rs"]
mod tests;
