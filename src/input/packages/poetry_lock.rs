//! Poetry's lockfile, `poetry.lock` (TOML; lock versions 1.1, 2.0, 2.1).
//!
//! Every `[[package]]` is one [`Package`](crate::input::Package) at its
//! `name = "…"` value, with its locked version. Scope comes from the lock
//! where it says: `optional = true` is optional; `category = "dev"` (1.1)
//! or `groups` without `main` (2.1) is dev.
//!
//! The lock has no entry for the project itself, so which dependencies are
//! direct comes from the `pyproject.toml` beside it, when there is one and
//! it reads as TOML: `[project] dependencies`, `[project.optional-dependencies]`,
//! `[dependency-groups]`, and Poetry's `[tool.poetry.dependencies]`,
//! `[tool.poetry.dev-dependencies]` and `[tool.poetry.group.*.dependencies]`.
//! Then each package has `direct`, and a path from the project along
//! `[package.dependencies]` (see [`Paths`]); a lock 2.0, which names no
//! groups, takes dev from the path too. Without it (standard input, no or
//! unreadable `pyproject.toml`), `direct` is unknown and paths are empty.
//!
//! A package without a name or a version is a record passed over; a file
//! that is not TOML is a problem at its line.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use serde::Deserialize;
use serde::de::IgnoredAny;
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
    name: "poetry-lock",
    evidence: Evidence::Packages,
    description: "Poetry lockfile",
    names: &["poetry.lock"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::poetry_lock),
    reader: Reader::Stream(read),
};

#[derive(Deserialize)]
struct LockPackage<'t> {
    #[serde(borrow)]
    name: Option<Spanned<Loose<'t>>>,
    #[serde(borrow)]
    version: Option<Spanned<Loose<'t>>>,
    #[serde(borrow)]
    category: Option<Text<'t>>,
    #[serde(default)]
    optional: bool,
    #[serde(borrow)]
    groups: Option<Vec<Text<'t>>>,
    #[serde(borrow, default)]
    dependencies: BTreeMap<Text<'t>, IgnoredAny>,
}

impl LockPackage<'_> {
    /// The scope the lock itself gives, if it says.
    fn scope(&self) -> Option<Option<DepScope>> {
        if self.optional {
            return Some(Some(DepScope::Optional));
        }
        if let Some(category) = &self.category {
            return Some((&**category == "dev").then_some(DepScope::Dev));
        }
        self.groups.as_ref().map(|groups| {
            (!groups.is_empty() && !groups.iter().any(|g| &**g == "main")).then_some(DepScope::Dev)
        })
    }
}

fn read(
    source: &Source,
    opened: Opened,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = toml_lock::read_text(source, opened)?;
    let index = LineIndex::new(&text);
    let project = source.path().and_then(|_| project_beside(source, limits));
    read_lock(source, &index, project.as_ref(), sink)
}

/// What the `pyproject.toml` beside the lock says of the project.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Project {
    pub name: String,
    /// Direct dependencies' PEP 503 keys, run-time ones first, then
    /// optional, then dev, each with its class.
    pub direct: Vec<(String, Option<DepScope>)>,
}

#[derive(Deserialize)]
struct Pyproject {
    project: Option<Pep621>,
    #[serde(default, rename = "dependency-groups")]
    dependency_groups: BTreeMap<String, Vec<toml::Value>>,
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Pep621 {
    name: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
    #[serde(default, rename = "optional-dependencies")]
    optional: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct Tool {
    poetry: Option<ToolPoetry>,
}

#[derive(Deserialize)]
struct ToolPoetry {
    name: Option<String>,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
    #[serde(default, rename = "dev-dependencies")]
    dev: BTreeMap<String, toml::Value>,
    #[serde(default)]
    group: BTreeMap<String, Group>,
}

#[derive(Deserialize)]
struct Group {
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
}

fn project_beside(source: &Source, limits: &Limits) -> Option<Project> {
    let manifest = source.include("pyproject.toml");
    let opened = manifest.open(limits).ok()?;
    let text = toml_lock::read_text(&manifest, opened).ok()?;
    let folder = source
        .path()
        .and_then(|p| std::fs::canonicalize(p).ok())
        .and_then(|p| Some(p.parent()?.file_name()?.to_string_lossy().into_owned()));
    project_from(&text, folder)
}

/// The name at the start of a PEP 508 requirement.
fn requirement_name(req: &str) -> Option<&str> {
    let req = req.trim_start();
    let end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(req.len());
    (end > 0).then(|| &req[..end])
}

/// Reads a `pyproject.toml`; `None` when it is not TOML of the expected
/// shape.
pub(crate) fn project_from(text: &str, folder: Option<String>) -> Option<Project> {
    let py: Pyproject = toml::from_str(text).ok()?;
    let poetry = py.tool.and_then(|t| t.poetry);
    let name = py
        .project
        .as_ref()
        .and_then(|p| p.name.clone())
        .or_else(|| poetry.as_ref().and_then(|p| p.name.clone()))
        .or(folder)
        .unwrap_or_else(|| "pyproject.toml".to_string());
    let key = |n: &str| Ecosystem::Pypi.package_key(None, n);
    let mut direct: Vec<(String, Option<DepScope>)> = Vec::new();
    let optional = Some(DepScope::Optional);
    let dev = Some(DepScope::Dev);
    if let Some(p) = &py.project {
        direct.extend(
            p.dependencies
                .iter()
                .filter_map(|r| requirement_name(r))
                .map(|n| (key(n), None)),
        );
    }
    if let Some(p) = &poetry {
        for (n, spec) in &p.dependencies {
            if n == "python" {
                continue;
            }
            let is_optional = spec
                .get("optional")
                .and_then(toml::Value::as_bool)
                .unwrap_or(false);
            direct.push((key(n), if is_optional { optional } else { None }));
        }
    }
    if let Some(p) = &py.project {
        direct.extend(
            p.optional
                .values()
                .flatten()
                .filter_map(|r| requirement_name(r))
                .map(|n| (key(n), optional)),
        );
    }
    if let Some(p) = &poetry {
        let groups = p
            .dev
            .keys()
            .chain(p.group.values().flat_map(|g| g.dependencies.keys()));
        direct.extend(groups.map(|n| (key(n), dev)));
    }
    direct.extend(
        py.dependency_groups
            .values()
            .flatten()
            .filter_map(toml::Value::as_str)
            .filter_map(requirement_name)
            .map(|n| (key(n), dev)),
    );
    Some(Project { name, direct })
}

/// One package as read: what the graph and its item need.
struct Node<'t> {
    name: Text<'t>,
    /// Byte span of the `name` value, quotes included.
    span: Range<usize>,
    version: Text<'t>,
    /// The scope the lock gives, if it says.
    scope: Option<Option<DepScope>>,
    /// The keys of the names under `[package.dependencies]`, in the
    /// names' order.
    dependencies: Vec<Cow<'t, str>>,
}

/// The non-empty string in `value`.
fn string<'v, 't>(value: Option<&'v Spanned<Loose<'t>>>) -> Option<&'v Text<'t>> {
    value?.get_ref().0.as_ref().filter(|s| !s.trim().is_empty())
}

fn read_lock(
    source: &Source,
    index: &LineIndex<'_>,
    project: Option<&Project>,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let mut nodes: Vec<Node<'_>> = Vec::new();
    let mut skipped = Skipped::default();
    toml_lock::tables(source, index, "Poetry", |table: Table<LockPackage<'_>>| {
        let p = &table.value;
        let Some(name) = string(p.name.as_ref()) else {
            let span = p.name.as_ref().map_or(table.span(), |n| table.at(n));
            skipped.push(
                index.problem(
                    source,
                    span,
                    "a [[package]] without a name",
                    "each [[package]] has name = \"…\"; regenerate the lockfile with Poetry",
                ),
                table.span(),
            );
            return Flow::Continue;
        };
        let name_span = p.name.as_ref().map_or(table.span(), |n| table.at(n));
        let Some(version) = string(p.version.as_ref()) else {
            skipped.push(
                index.problem(
                    source,
                    name_span,
                    format!("`{}` has no version", &**name),
                    "each [[package]] has version = \"…\"; regenerate the lockfile with Poetry",
                ),
                table.span(),
            );
            return Flow::Continue;
        };
        nodes.push(Node {
            name: name.clone(),
            span: name_span,
            version: version.clone(),
            scope: p.scope(),
            dependencies: p.dependencies.keys().map(pypi_key).collect(),
        });
        Flow::Continue
    })?;
    if skipped.send(sink, index) == Flow::Stop {
        return Ok(());
    }

    let found = project.map(|project| {
        let by_key = ByKey::new(nodes.iter().map(|n| pypi_key(&n.name)).collect());
        // Each package's targets, in one list with where each starts.
        let mut targets: Vec<usize> = Vec::new();
        let mut starts: Vec<usize> = Vec::with_capacity(nodes.len() + 1);
        for n in &nodes {
            starts.push(targets.len());
            for d in &n.dependencies {
                targets.extend(by_key.get(d));
            }
        }
        starts.push(targets.len());
        let seeds: Vec<(usize, Option<DepScope>)> = project
            .direct
            .iter()
            .flat_map(|(k, scope)| by_key.get(k).map(|t| (t, *scope)))
            .collect();
        let direct: HashSet<usize> = seeds.iter().map(|s| s.0).collect();
        let paths = Paths::search(nodes.len(), &[&seeds], |n| {
            &targets[starts[n]..starts[n + 1]]
        });
        (project.name.as_str(), direct, paths)
    });

    for (i, n) in nodes.iter().enumerate() {
        let facts = match &found {
            Some((root, direct, paths)) => Facts {
                direct: Some(direct.contains(&i)),
                scope: n.scope.unwrap_or_else(|| paths.scope(i).flatten()),
                path: paths.path(i, |j| nodes[j].name.to_string(), |_| root.to_string()),
            },
            None => Facts {
                direct: None,
                scope: n.scope.flatten(),
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
            Some(&n.version),
            facts,
        ) == Flow::Stop
        {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "poetry_lock_tests.rs"]
mod tests;
