//! Cargo's manifest, `Cargo.toml`: the dependencies a crate declares,
//! read directly, and the crates they bring in, from `cargo metadata`
//! ([`cargo_graph`](super::cargo_graph)) when no scanned Cargo.lock covers
//! the manifest or `--cargo-metadata` is given.
//!
//! Declared dependencies are always read, without cargo, with the `toml`
//! crate's spans:
//! - `[dependencies]` (no scope; Optional with `optional = true`),
//!   `[dev-dependencies]` (Dev), `[build-dependencies]` (Build), the same
//!   under every `[target.'cfg(..)']` (and the old `dev_dependencies` /
//!   `build_dependencies` spellings), and `[workspace.dependencies]`;
//! - each is one cargo [`Package`] at its key, `direct: Some(true)`, under
//!   its real name (`foo = { package = "real" }` is `real`), with the
//!   requirement as written in `requirement` and no `version`: a
//!   requirement is not a resolved version;
//! - `path` and `git` dependencies are packages by name; a `workspace =
//!   true` entry takes its requirement and rename from the same file's
//!   `[workspace.dependencies]` when it has them, else it is a name only;
//! - `[patch]` and `[replace]` change where a crate comes from, not which
//!   crates are used, and are not read.
//!
//! With cargo's graph (a manifest with `[package]` read from a file):
//! a declared dependency gets the version cargo resolved and its path
//! (`app → serde`); every other crate reached is one more package,
//! `direct: Some(false)`, with its path and scope class, at the line of
//! the declared dependency that brings it in (the first step of its path),
//! or at `[package]` when none does. A virtual workspace manifest (no
//! `[package]`) gives its `[workspace.dependencies]` only: its members are
//! manifests of their own. When cargo is missing or fails, the declared
//! dependencies are still read and matched, and the file has a problem
//! naming cargo's error: its transitive dependencies are unread evidence.
//!
//! A file that is not TOML, or whose sections have the wrong types, is a
//! problem at its line; an entry that is not a requirement string or a
//! table is a record passed over.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::cargo_graph::{self, Graph};
use super::pyproject::{Found, emit_all};
use super::toml_lock::{self, LineIndex};
use crate::ident::Ecosystem;
use crate::input::item::{DepScope, Package};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader};
use crate::input::sink::Sink;
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "cargo-toml",
    evidence: Evidence::Packages,
    description: "Cargo manifest (declared dependencies; the resolved graph by cargo metadata)",
    names: &["Cargo.toml"],
    maybe: &[],
    sniff: None,
    shape: None,
    reader: Reader::Stream(read),
};

type Value = Spanned<toml::Value>;
/// A dependency table: name → requirement string or table.
type Deps = BTreeMap<Spanned<String>, Value>;

/// The manifest's own dependency tables are spelt out rather than a
/// flattened [`Tables`]: `serde(flatten)` loses spans.
#[derive(Deserialize)]
struct Manifest {
    package: Option<Value>,
    dependencies: Option<Deps>,
    #[serde(rename = "dev-dependencies")]
    dev: Option<Deps>,
    #[serde(rename = "dev_dependencies")]
    dev_old: Option<Deps>,
    #[serde(rename = "build-dependencies")]
    build: Option<Deps>,
    #[serde(rename = "build_dependencies")]
    build_old: Option<Deps>,
    target: Option<BTreeMap<String, Tables>>,
    workspace: Option<Workspace>,
}

/// The dependency tables of one `[target.'cfg(..)']`.
#[derive(Deserialize)]
struct Tables {
    dependencies: Option<Deps>,
    #[serde(rename = "dev-dependencies")]
    dev: Option<Deps>,
    #[serde(rename = "dev_dependencies")]
    dev_old: Option<Deps>,
    #[serde(rename = "build-dependencies")]
    build: Option<Deps>,
    #[serde(rename = "build_dependencies")]
    build_old: Option<Deps>,
}

#[derive(Deserialize)]
struct Workspace {
    dependencies: Option<Deps>,
}

fn read(
    source: &Source,
    opened: Opened,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = toml_lock::read_text(source, opened)?;
    let index = LineIndex::new(&text);
    let file: Manifest = toml_lock::parse_as(
        source,
        &text,
        &index,
        "not a valid Cargo.toml",
        "fix the TOML at this place (cargo cannot read it either), \
         or restore the file from version control",
    )?;
    let own_shared = file
        .workspace
        .as_ref()
        .and_then(|w| w.dependencies.as_ref());
    // A member's `workspace = true` entries name the root's table.
    let root_shared = match (own_shared, source.path()) {
        (None, Some(path)) => root_workspace(path),
        _ => None,
    };
    let inherited = own_shared.or(root_shared.as_ref().and_then(|w| w.dependencies.as_ref()));
    let mut found = Vec::new();
    let own = [
        &file.dependencies,
        &file.dev,
        &file.dev_old,
        &file.build,
        &file.build_old,
    ];
    let targets = file
        .target
        .iter()
        .flat_map(BTreeMap::values)
        .map(|t| [&t.dependencies, &t.dev, &t.dev_old, &t.build, &t.build_old]);
    let scopes = [
        None,
        Some(DepScope::Dev),
        Some(DepScope::Dev),
        Some(DepScope::Build),
        Some(DepScope::Build),
    ];
    for tables in std::iter::once(own).chain(targets) {
        for (deps, scope) in tables.into_iter().zip(scopes) {
            for (k, v) in deps.iter().flatten() {
                found.push(entry(k, v, scope, inherited));
            }
        }
    }
    for (k, v) in own_shared.iter().copied().flatten() {
        found.push(entry(k, v, None, None));
    }

    let top = file.package.as_ref().map_or(0..0, Spanned::span);
    let graph = match source.path() {
        Some(path) if file.package.is_some() && cargo_graph::wanted(path, &limits.cargo) => {
            Some(cargo_graph::resolve(path, &limits.cargo))
        }
        _ => None,
    };
    let failure = match graph {
        Some(Ok(graph)) => {
            add_graph(&mut found, &graph, top);
            None
        }
        Some(Err(failure)) => Some(failure),
        None => None,
    };
    emit_all(source, &index, found, sink);
    if let Some(f) = failure {
        sink.problem(InputProblem::file(&source.name, f.message, f.help));
    }
    Ok(())
}

/// The `[workspace]` table of the workspace root above a member manifest,
/// for its `workspace = true` entries; `None` when there is none or it
/// cannot be read (the entries are then names only).
fn root_workspace(manifest: &std::path::Path) -> Option<Workspace> {
    #[derive(Deserialize)]
    struct Root {
        workspace: Option<Workspace>,
    }
    let manifest = std::fs::canonicalize(manifest).ok()?;
    let root = cargo_graph::workspace_root(&manifest).join("Cargo.toml");
    if root == manifest {
        return None;
    }
    let text = std::fs::read_to_string(root).ok()?;
    toml::from_str::<Root>(&text).ok()?.workspace
}

/// Gives declared dependencies cargo's versions and paths, and adds every
/// crate they bring in at the line of the one that does.
fn add_graph(found: &mut Vec<Found>, graph: &Graph, top: Range<usize>) {
    let declared_at = |found: &[Found], name: &str| {
        found.iter().find_map(|f| match f {
            Found::Item(span, p) if p.name == name => Some(span.clone()),
            _ => None,
        })
    };
    let mut added = Vec::new();
    for c in &graph.crates {
        if c.path.len() == 2 {
            let mut matched = false;
            for f in found.iter_mut() {
                if let Found::Item(_, p) = f
                    && p.name == c.name
                    && p.version.is_none()
                    && requirement_allows(p.requirement.as_deref(), &c.version)
                {
                    p.version = Some(c.version.clone());
                    p.path.clone_from(&c.path);
                    matched = true;
                }
            }
            if matched {
                continue;
            }
        }
        // The first step of the path is the declared dependency that
        // brings the crate in; a direct one not matched by name was
        // renamed through the workspace table, so its key is tried.
        let via = c.path.get(1).map_or("", String::as_str);
        let span = declared_at(found, via)
            .or_else(|| {
                let key = c.key.as_deref()?;
                found.iter().find_map(|f| match f {
                    Found::Item(span, p) if p.name.replace('-', "_") == key => Some(span.clone()),
                    _ => None,
                })
            })
            .unwrap_or_else(|| top.clone());
        added.push(Found::Item(
            span,
            Package {
                device: None,
                ecosystem: Ecosystem::Cargo,
                name: c.name.clone(),
                key: Ecosystem::Cargo.package_key(None, &c.name),
                version: Some(c.version.clone()),
                requirement: None,
                path: c.path.clone(),
                direct: Some(c.path.len() == 2),
                scope: c.scope,
            },
        ));
    }
    found.extend(added);
}

/// Whether `version` meets a Cargo requirement (one that does not parse
/// is taken as met: cargo resolved it, so it is cargo's syntax).
fn requirement_allows(requirement: Option<&str>, version: &str) -> bool {
    let (Some(req), Ok(v)) = (requirement, semver::Version::parse(version)) else {
        return true;
    };
    semver::VersionReq::parse(req).map_or(true, |r| r.matches(&v))
}

/// One `name = requirement` or `name = { ... }` entry.
fn entry(
    key: &Spanned<String>,
    value: &Value,
    scope: Option<DepScope>,
    inherited: Option<&Deps>,
) -> Found {
    let written = key.get_ref();
    let span = key.span();
    let skip = |message: String, help: &'static str| Found::Skip(span.clone(), message, help);
    let (mut name, mut requirement, optional) = match value.get_ref() {
        toml::Value::String(req) => (written.as_str(), Some(req.as_str()), false),
        toml::Value::Table(t) => {
            let name = match t.get("package") {
                None => written.as_str(),
                Some(toml::Value::String(s)) => s.as_str(),
                Some(other) => {
                    return skip(
                        format!("`{written}`: its `package` is not a string ({other})"),
                        "write the crate's real name as a string, e.g. package = \"serde\"",
                    );
                }
            };
            let requirement = match t.get("version") {
                None => None,
                Some(toml::Value::String(s)) => Some(s.as_str()),
                Some(other) => {
                    return skip(
                        format!("`{written}`: its `version` is not a string ({other})"),
                        "write the requirement as a string, e.g. version = \"1.2\"",
                    );
                }
            };
            let optional = t
                .get("optional")
                .and_then(toml::Value::as_bool)
                .unwrap_or(false);
            (name, requirement, optional)
        }
        other => {
            return skip(
                format!(
                    "`{written}`: the dependency is not a requirement string or a table ({other})"
                ),
                "write a requirement (serde = \"1\") or a table (serde = { version = \"1\" })",
            );
        }
    };
    let from_workspace = value
        .get_ref()
        .get("workspace")
        .and_then(toml::Value::as_bool)
        .unwrap_or(false);
    if from_workspace
        && let Some((_, shared)) =
            inherited.and_then(|w| w.iter().find(|(k, _)| k.get_ref() == written))
    {
        match shared.get_ref() {
            toml::Value::String(req) => requirement = Some(req.as_str()),
            toml::Value::Table(t) => {
                if let Some(real) = t.get("package").and_then(toml::Value::as_str) {
                    name = real;
                }
                requirement = t.get("version").and_then(toml::Value::as_str);
            }
            _ => {}
        }
    }
    if !valid_name(name) {
        return skip(
            format!("`{name}` is not a valid crate name"),
            "crate names use only ASCII letters, digits, `-` and `_`",
        );
    }
    let scope = match scope {
        None if optional => Some(DepScope::Optional),
        other => other,
    };
    Found::Item(
        span,
        Package {
            device: None,
            ecosystem: Ecosystem::Cargo,
            name: name.to_string(),
            key: Ecosystem::Cargo.package_key(None, name),
            version: None,
            requirement: requirement
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string),
            path: Vec::new(),
            direct: Some(true),
            scope,
        },
    )
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
#[path = "cargo_toml_tests.rs"]
mod tests;
