//! Python's project manifest, `pyproject.toml`: what the project itself
//! asks for, read as direct-dependency evidence.
//!
//! Every dependency is one pypi [`Package`] with `direct: Some(true)`:
//! - PEP 621 `[project] dependencies` (no scope) and
//!   `[project.optional-dependencies]` (Optional), and PEP 735
//!   `[dependency-groups]` (Dev; `{include-group = "…"}` entries are not
//!   packages): PEP 508 strings, each item at its string, the specifier as
//!   its `requirement` and a `version` when it pins one (`==X`); a direct
//!   reference (`name @ URL`) is a name only.
//! - Poetry `[tool.poetry.dependencies]` (no scope, Optional for
//!   `optional = true`; the key `python` is the interpreter, not a
//!   package), `[tool.poetry.group.<g>.dependencies]` and the legacy
//!   `[tool.poetry.dev-dependencies]` (Dev): each item at its key, the
//!   constraint (a string or a table's `version`) as its requirement, a
//!   version when it is exact (`1.2.3`, `==1.2.3`); `git`, `path` and `url`
//!   dependencies and arrays of constraints are names only.
//!
//! A pyproject without dependencies (a tool's configuration) is read with
//! no items. A string that is not a requirement, or a value of the wrong
//! kind, is a record passed over; a file that is not TOML (or whose
//! sections have the wrong types) is a problem at its line.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::pep508::{parse_pep508, pinned_version};
use super::toml_lock::{self, LineIndex};
use crate::ident::Ecosystem;
use crate::input::item::{DepScope, Package};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader};
use crate::input::sink::{Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "pyproject",
    evidence: Evidence::Packages,
    description: "Python project manifest (PEP 621, Poetry)",
    names: &["pyproject.toml"],
    maybe: &[],
    sniff: None,
    shape: None,
    reader: Reader::Stream(read),
};

type Value = Spanned<toml::Value>;
/// A table of dependencies by name (Poetry, Pipfile).
pub(super) type Table = BTreeMap<Spanned<String>, Value>;

#[derive(Deserialize)]
struct Pyproject {
    project: Option<Project>,
    #[serde(rename = "dependency-groups")]
    groups: Option<BTreeMap<String, Vec<Value>>>,
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Project {
    dependencies: Option<Vec<Value>>,
    #[serde(rename = "optional-dependencies")]
    optional: Option<BTreeMap<String, Vec<Value>>>,
}

#[derive(Deserialize)]
struct Tool {
    poetry: Option<Poetry>,
}

#[derive(Deserialize)]
struct Poetry {
    dependencies: Option<Table>,
    #[serde(rename = "dev-dependencies")]
    dev: Option<Table>,
    group: Option<BTreeMap<String, Group>>,
}

#[derive(Deserialize)]
struct Group {
    dependencies: Option<Table>,
}

/// What one dependency entry gives: a package at a span, or a record
/// passed over.
pub(super) enum Found {
    Item(Range<usize>, Package),
    Skip(Range<usize>, String, &'static str),
}

impl Found {
    fn start(&self) -> usize {
        match self {
            Found::Item(s, _) | Found::Skip(s, _, _) => s.start,
        }
    }
}

fn read(
    source: &Source,
    opened: Opened,
    _limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = toml_lock::read_text(source, opened)?;
    let index = LineIndex::new(&text);
    let file: Pyproject = toml_lock::parse_as(
        source,
        &text,
        &index,
        "not a valid pyproject.toml",
        "fix the TOML at this place (pip, uv and Poetry cannot read it either), \
         or restore the file from version control",
    )?;
    let mut found = Vec::new();
    if let Some(project) = &file.project {
        for v in project.dependencies.iter().flatten() {
            found.push(pep621(v, None));
        }
        for v in project.optional.iter().flat_map(|m| m.values()).flatten() {
            found.push(pep621(v, Some(DepScope::Optional)));
        }
    }
    for v in file.groups.iter().flat_map(|m| m.values()).flatten() {
        if v.get_ref()
            .as_table()
            .is_some_and(|t| t.contains_key("include-group"))
        {
            continue;
        }
        found.push(pep621(v, Some(DepScope::Dev)));
    }
    if let Some(poetry) = file.tool.as_ref().and_then(|t| t.poetry.as_ref()) {
        for (k, v) in poetry.dependencies.iter().flatten() {
            if k.get_ref().eq_ignore_ascii_case("python") {
                continue;
            }
            let optional = v
                .get_ref()
                .get("optional")
                .and_then(toml::Value::as_bool)
                .unwrap_or(false);
            found.push(keyed(k, v, optional.then_some(DepScope::Optional), true));
        }
        let dev = poetry.dev.iter().chain(
            poetry
                .group
                .iter()
                .flat_map(|g| g.values())
                .filter_map(|g| g.dependencies.as_ref()),
        );
        for (k, v) in dev.flatten() {
            found.push(keyed(k, v, Some(DepScope::Dev), true));
        }
    }
    emit_all(source, &index, found, sink);
    Ok(())
}

/// Hands what was found to the sink in file order.
pub(super) fn emit_all(
    source: &Source,
    index: &LineIndex<'_>,
    mut found: Vec<Found>,
    sink: &mut dyn Sink,
) {
    found.sort_by_key(Found::start);
    for f in found {
        let flow = match f {
            Found::Item(span, package) => {
                toml_lock::emit_package(sink, source, index, span, &package)
            }
            Found::Skip(span, message, help) => {
                let problem = index.problem(source, span.clone(), message, help);
                let text = index.place(span).text;
                sink.skip(problem, text)
            }
        };
        if flow == Flow::Stop {
            return;
        }
    }
}

fn package(
    name: &str,
    version: Option<String>,
    requirement: Option<String>,
    scope: Option<DepScope>,
) -> Package {
    Package {
        device: None,
        ecosystem: Ecosystem::Pypi,
        name: name.to_string(),
        key: Ecosystem::Pypi.package_key(None, name),
        version,
        requirement,
        path: Vec::new(),
        direct: Some(true),
        scope,
    }
}

/// A PEP 508 string of `[project]` or `[dependency-groups]`.
fn pep621(value: &Value, scope: Option<DepScope>) -> Found {
    let span = value.span();
    let Some(s) = value.get_ref().as_str() else {
        return Found::Skip(
            span,
            format!(
                "a dependency that is not a requirement string ({})",
                value.get_ref()
            ),
            "write each dependency as a PEP 508 string, e.g. \"requests>=2,<3\"",
        );
    };
    match parse_pep508(s, 0, s.len()) {
        Ok(req) => {
            let spec = req.specifier.map(|(a, b)| s[a..b].to_string());
            let version = spec.as_deref().and_then(pinned_version);
            Found::Item(
                span,
                package(&s[req.name.0..req.name.1], version, spec, scope),
            )
        }
        Err(e) => Found::Skip(
            span,
            e.message,
            "write a PEP 508 requirement, e.g. \"requests>=2,<3\"",
        ),
    }
}

/// A `name = constraint` entry (Poetry, Pipfile): a string, or a table
/// with `version` (or `git`, `path`, `url`, `file`...); an array of
/// constraints is a name only. `bare_exact`: a bare version (`1.2.3`) is
/// exact, as in Poetry.
pub(super) fn keyed(
    key: &Spanned<String>,
    value: &Value,
    scope: Option<DepScope>,
    bare_exact: bool,
) -> Found {
    let name = key.get_ref();
    let span = key.span();
    let constraint = match value.get_ref() {
        toml::Value::String(s) => Some(s.as_str()),
        toml::Value::Table(t) => match t.get("version") {
            Some(toml::Value::String(s)) => Some(s.as_str()),
            Some(_) => {
                return Found::Skip(
                    span,
                    format!("`{name}`: its `version` is not a string"),
                    "write the version as a string, e.g. version = \"^1.2\"",
                );
            }
            None => None,
        },
        toml::Value::Array(_) => None,
        other => {
            return Found::Skip(
                span,
                format!("`{name}`: the constraint is not a string or a table ({other})"),
                "write the constraint as a string (\"^1.2\") or a table ({ version = \"^1.2\" })",
            );
        }
    };
    if !super::pep508::valid_name(name) {
        return Found::Skip(
            span,
            format!("`{name}` is not a valid package name"),
            "package names start and end with a letter or digit and use only letters, digits, `.`, `_` and `-`",
        );
    }
    let constraint = constraint.map(str::trim).filter(|c| !c.is_empty());
    let version = constraint.and_then(|c| exact(c, bare_exact));
    Found::Item(
        span,
        package(name, version, constraint.map(str::to_string), scope),
    )
}

/// The version a constraint pins: `==1.2.3` (or `===`), or a bare
/// `1.2.3` when `bare_exact`.
fn exact(constraint: &str, bare_exact: bool) -> Option<String> {
    if constraint.contains(',') || constraint.contains('|') {
        return None;
    }
    let bare = constraint.trim_start_matches('=').trim();
    let pinned = constraint.starts_with("==")
        || (bare_exact && bare.len() == constraint.len())
        || (bare_exact && constraint.starts_with('=') && !constraint.starts_with("=="));
    let plain = bare.starts_with(|c: char| c.is_ascii_digit())
        && bare
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '!' | '-'));
    (pinned && plain).then(|| bare.to_string())
}

#[cfg(test)]
#[path = "pyproject_tests.rs"]
mod tests;
