//! Yarn's lockfile, `yarn.lock`, in both of its syntaxes: classic (Yarn
//! 1, `# yarn lockfile v1`) and berry (Yarn 2 and later, YAML with
//! `__metadata`).
//!
//! A file with a top-level `__metadata:` line is berry, read with
//! serde-saphyr into the span-keeping tree of [`crate::yaml`]; its
//! `__metadata.version` must be one Yarn 2–4 writes (4 to 10: Yarn 2.4
//! writes 4, 3.8 writes 6, 4.0 writes 8, 4.18 writes 10), else the file is
//! unread evidence naming the version. Anything else is classic. Classic
//! is not YAML (`version "1.0.0"`, no colon) and no well-kept crate reads
//! it with places: `yarn-lock-parser` (one maintainer, nom) returns entries
//! without line numbers, so a finding could not point at its line. It is
//! read here by a small line reader ([`classic`]): two-space indentation,
//! quoted (JSON-escaped) or bare words, `key value` or `key:` opening a
//! nested map. A line it cannot read is one problem at its line and the
//! file is unread.
//!
//! What is emitted, one npm [`Package`](crate::input::Package) per
//! resolved package, at the line of its entry key: the name (an alias
//! `sw@npm:string-width@4.2.3` is the real `string-width`; a berry `patch:`
//! resolution is the package it patches) and `version`. The same package
//! at the same version under several entries (berry's `npm:` entry and its
//! `patch:` twin) is one item, at the first. Berry workspaces
//! (`name@workspace:…`) and local links (`0.0.0-use.local`) are the
//! project, not packages.
//!
//! Which packages are direct: berry's workspace entries list each
//! workspace's dependencies; classic has no entry for the project, so they
//! come from the `package.json` beside the lockfile (as poetry.lock reads
//! the `pyproject.toml` beside it). That manifest also gives the scope of
//! the root's direct dependencies (dev, optional), which berry's workspace
//! entry does not keep apart. Each package's `path` is the shortest chain
//! from a workspace (`(root)` for the root) along entries' `dependencies`
//! and `optionalDependencies` (peer dependencies are not resolved in the
//! lock, so not followed), found first through what the project needs to
//! run, then its optional, then its dev dependencies. A classic lock with
//! no readable `package.json` beside it (standard input included) has
//! `direct` unknown and no paths.
//!
//! An entry without a version is a record passed over; when it is the
//! last one the file was cut short, and it is unread evidence at its line.

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;

use super::graph::{Paths, Wants};
use super::json_lock::{self, InOrder};
use super::toml_lock::{self, Facts, LineIndex};
use crate::ident::Ecosystem;
use crate::input::item::DepScope;
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::{Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

mod berry;
mod classic;

pub static SPEC: FormatSpec = FormatSpec {
    name: "yarn-lock",
    evidence: Evidence::Packages,
    description: "Yarn lockfile",
    names: &["yarn.lock"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::yarn_lock),
    reader: Reader::Stream(read),
};

const REGENERATE: &str = "regenerate it with `yarn install`, or restore it from version control";

fn read(
    source: &Source,
    opened: Opened,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = toml_lock::read_text(source, opened)?;
    let manifest = source.path().and_then(|_| manifest_beside(source, limits));
    read_text(source, &text, manifest.as_ref(), limits.max_depth, sink)
}

/// One entry of the lock, whichever the syntax.
struct Entry {
    /// The entry key's span (its first descriptor in classic; the whole
    /// quoted key in berry).
    key: Range<usize>,
    /// The whole entry, shown for a record passed over.
    record: Range<usize>,
    /// The descriptors the key lists, as written (`name@range`).
    descriptors: Vec<String>,
    /// What it resolves to, as read.
    kind: Kind,
    /// `dependencies` and `optionalDependencies`: name and range.
    deps: Vec<(String, String)>,
}

enum Kind {
    /// A package: name and version.
    Package(String, String),
    /// A berry workspace, by its path (`.` for the root).
    Workspace(String),
    /// A local link or portal, part of the project.
    Local,
    /// No version: a record passed over, with why.
    Incomplete(&'static str),
}

/// What the `package.json` beside the lock asks for: each dependency's
/// name and range, with its scope class.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Manifest {
    pub wants: Vec<(String, String, Option<DepScope>)>,
}

impl Manifest {
    /// The class the root gives a direct dependency by name: run-time
    /// before optional before dev, as npm installs it.
    fn class_of(&self, name: &str) -> Option<DepScope> {
        let mut best: Option<Option<DepScope>> = None;
        for (n, _, class) in &self.wants {
            if n == name && best.is_none_or(|b| rank(*class) < rank(b)) {
                best = Some(*class);
            }
        }
        best.flatten()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PackageJson {
    dependencies: Option<InOrder<serde_json::Value>>,
    optional_dependencies: Option<InOrder<serde_json::Value>>,
    dev_dependencies: Option<InOrder<serde_json::Value>>,
}

fn manifest_beside(source: &Source, limits: &Limits) -> Option<Manifest> {
    let manifest = source.include("package.json");
    let opened = manifest.open(limits).ok()?;
    let text = json_lock::read_text(&manifest, opened).ok()?;
    manifest_from(&text)
}

/// Reads a `package.json`; `None` when it is not JSON of the expected
/// shape.
pub(crate) fn manifest_from(text: &str) -> Option<Manifest> {
    let json: PackageJson = serde_json::from_str(text).ok()?;
    let mut wants = Vec::new();
    for (section, class) in [
        (&json.dependencies, None),
        (&json.optional_dependencies, Some(DepScope::Optional)),
        (&json.dev_dependencies, Some(DepScope::Dev)),
    ] {
        for (name, range) in section.iter().flat_map(|s| &s.0) {
            if let Some(range) = range.as_str() {
                wants.push((name.clone(), range.to_string(), class));
            }
        }
    }
    Some(Manifest { wants })
}

/// Run-time first, then optional, then dev.
fn rank(class: Option<DepScope>) -> u8 {
    match class {
        None => 0,
        Some(DepScope::Optional) => 1,
        Some(_) => 2,
    }
}

fn read_text(
    source: &Source,
    text: &str,
    manifest: Option<&Manifest>,
    max_depth: usize,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    if text.trim().is_empty() {
        sink.problem(
            InputProblem::file(
                &source.name,
                "the lockfile is empty: it lists no packages",
                REGENERATE,
            )
            .warning(),
        );
        return Ok(());
    }
    let index = LineIndex::new(text);
    let is_berry = text
        .lines()
        .any(|l| l.trim_end_matches('\r') == "__metadata:");
    let entries = if is_berry {
        berry::entries(source, text, &index, max_depth)?
    } else {
        classic::entries(source, text, &index)?
    };
    let graph = Graph::build(&entries, manifest, is_berry);
    graph.emit(source, &index, &entries, sink);
    Ok(())
}

/// `name@range`, the name perhaps `@scope/name`.
fn split_descriptor(descriptor: &str) -> Option<(&str, &str)> {
    let at = descriptor.get(1..)?.find('@')? + 1;
    let (name, range) = (&descriptor[..at], &descriptor[at + 1..]);
    (!name.is_empty() && !name.ends_with('/')).then_some((name, range))
}

/// The package a descriptor names: the real one for an alias
/// (`sw@npm:string-width@4.2.3`).
fn package_name(descriptor: &str) -> Option<&str> {
    let (name, range) = split_descriptor(descriptor)?;
    match range
        .strip_prefix("npm:")
        .and_then(|alias| split_descriptor(alias))
    {
        Some((real, _)) => Some(real),
        None => Some(name),
    }
}

/// A node per distinct `(name, version)`; edges by descriptor.
struct Graph {
    nodes: Vec<(String, String)>,
    /// The node of each entry, by index.
    of_entry: Vec<Option<usize>>,
    edges: Vec<Vec<usize>>,
    /// Roots (workspaces, or the project of the `package.json` beside a
    /// classic lock) and what each asks for, with its class; empty when
    /// nothing says.
    roots: Vec<(String, Wants)>,
}

impl Graph {
    fn build(entries: &[Entry], manifest: Option<&Manifest>, is_berry: bool) -> Graph {
        let mut nodes: Vec<(String, String)> = Vec::new();
        let mut by_id: HashMap<(String, String), usize> = HashMap::new();
        let mut by_descriptor: HashMap<&str, usize> = HashMap::new();
        let mut of_entry = Vec::with_capacity(entries.len());
        for entry in entries {
            let node = match &entry.kind {
                Kind::Package(name, version) => {
                    let id = (name.clone(), version.clone());
                    Some(*by_id.entry(id.clone()).or_insert_with(|| {
                        nodes.push(id);
                        nodes.len() - 1
                    }))
                }
                _ => None,
            };
            if let Some(n) = node {
                for d in &entry.descriptors {
                    by_descriptor.entry(d.as_str()).or_insert(n);
                }
            }
            of_entry.push(node);
        }
        // A dependency `name: range` names the entry `name@range`; Yarn 2
        // writes `npm:` on one side only.
        let resolve = |name: &str, range: &str| -> Option<usize> {
            let plain = range.strip_prefix("npm:").unwrap_or(range);
            [
                format!("{name}@{range}"),
                format!("{name}@npm:{plain}"),
                format!("{name}@{plain}"),
            ]
            .iter()
            .find_map(|d| by_descriptor.get(d.as_str()).copied())
        };
        let mut edges = vec![Vec::new(); nodes.len()];
        for (entry, node) in entries.iter().zip(&of_entry) {
            let Some(from) = *node else { continue };
            for (name, range) in &entry.deps {
                if let Some(to) = resolve(name, range)
                    && !edges[from].contains(&to)
                {
                    edges[from].push(to);
                }
            }
        }
        let mut roots = Vec::new();
        if is_berry {
            for entry in entries {
                let Kind::Workspace(path) = &entry.kind else {
                    continue;
                };
                let is_root = path == ".";
                let wants: Wants = entry
                    .deps
                    .iter()
                    .filter_map(|(name, range)| {
                        let class = match manifest {
                            Some(m) if is_root => m.class_of(name),
                            _ => None,
                        };
                        Some((resolve(name, range)?, class))
                    })
                    .collect();
                let shown = if is_root { "(root)" } else { path.as_str() };
                roots.push((shown.to_string(), wants));
            }
        } else if let Some(m) = manifest {
            let wants: Wants = m
                .wants
                .iter()
                .filter_map(|(name, range, class)| Some((resolve(name, range)?, *class)))
                .collect();
            roots.push(("(root)".to_string(), wants));
        }
        Graph {
            nodes,
            of_entry,
            edges,
            roots,
        }
    }

    fn emit(&self, source: &Source, index: &LineIndex<'_>, entries: &[Entry], sink: &mut dyn Sink) {
        let known = !self.roots.is_empty();
        let wants: Vec<&[(usize, Option<DepScope>)]> =
            self.roots.iter().map(|(_, w)| w.as_slice()).collect();
        let paths = Paths::search(self.nodes.len(), &wants, |n| &self.edges[n]);
        let mut direct = vec![false; self.nodes.len()];
        for (_, wants) in &self.roots {
            for &(w, _) in wants {
                direct[w] = true;
            }
        }
        let mut emitted = vec![false; self.nodes.len()];
        for (at, (entry, node)) in entries.iter().zip(&self.of_entry).enumerate() {
            if let Kind::Incomplete(why) = &entry.kind {
                let shown = entry.descriptors.join(", ");
                let last = at + 1 == entries.len();
                let flow = if last {
                    sink.problem(index.problem(
                        source,
                        entry.key.clone(),
                        format!("the file ends inside the entry `{shown}`, which {why}"),
                        format!("the lockfile was cut short; {REGENERATE}"),
                    ))
                } else {
                    sink.skip(
                        index.problem(
                            source,
                            entry.key.clone(),
                            format!("the entry `{shown}` {why}"),
                            format!("Yarn writes a version in every entry; {REGENERATE}"),
                        ),
                        index.slice(entry.record.clone()),
                    )
                };
                if flow == Flow::Stop {
                    return;
                }
                continue;
            }
            let Some(n) = *node else { continue };
            if std::mem::replace(&mut emitted[n], true) {
                continue;
            }
            let (name, version) = &self.nodes[n];
            let facts = Facts {
                direct: known.then_some(direct[n]),
                scope: paths.scope(n).flatten(),
                path: if known {
                    paths.path(n, |i| self.nodes[i].0.clone(), |i| self.roots[i].0.clone())
                } else {
                    Vec::new()
                },
            };
            let flow = toml_lock::emit(
                sink,
                source,
                index,
                Ecosystem::Npm,
                name,
                entry.key.clone(),
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
#[path = "yarn_lock_tests.rs"]
mod tests;
