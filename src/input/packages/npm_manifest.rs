//! npm's package manifest, `package.json`: what the project itself asks
//! for, read as direct-dependency evidence (the lockfile, when there is
//! one, says what is installed).
//!
//! Each entry of `dependencies` (no scope), `devDependencies` (Dev),
//! `optionalDependencies` (Optional) and `peerDependencies` (Peer) is one
//! [`Package`] at its key, `direct: Some(true)`, with the range as written
//! as its `requirement` and a `version` only when the range is one exact
//! version (`1.2.3`, `=1.2.3`). An alias `npm:real@range` is the real
//! package at that range; a `file:`, `link:`, git, GitHub shorthand or URL
//! spec names a package but no registry version (name only). A manifest
//! without dependency sections is read with no items; a value that is not
//! a string is a record passed over; bad JSON is a problem at its line.

use std::sync::Arc;

use serde::Deserialize;

use super::json_lock::{self, InOrder, LineIndex, Span};
use crate::ident::Ecosystem;
use crate::input::item::{DepScope, Package};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader};
use crate::input::sink::{Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "npm-manifest",
    evidence: Evidence::Packages,
    description: "npm package manifest",
    names: &["package.json"],
    maybe: &[],
    sniff: None,
    shape: None,
    reader: Reader::Stream(read),
};

const SYNTAX_HELP: &str = "package.json is not valid JSON: fix it (npm cannot read it either), \
     or restore it from version control";

/// The dependency sections, in the order they are read, with their scope.
const SECTIONS: [(&str, Option<DepScope>); 4] = [
    ("dependencies", None),
    ("devDependencies", Some(DepScope::Dev)),
    ("optionalDependencies", Some(DepScope::Optional)),
    ("peerDependencies", Some(DepScope::Peer)),
];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    dependencies: Option<InOrder<serde_json::Value>>,
    dev_dependencies: Option<InOrder<serde_json::Value>>,
    optional_dependencies: Option<InOrder<serde_json::Value>>,
    peer_dependencies: Option<InOrder<serde_json::Value>>,
}

impl Manifest {
    fn section(&self, i: usize) -> Option<&InOrder<serde_json::Value>> {
        [
            &self.dependencies,
            &self.dev_dependencies,
            &self.optional_dependencies,
            &self.peer_dependencies,
        ][i]
            .as_ref()
    }
}

fn read(
    source: &Source,
    opened: Opened,
    _limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = json_lock::read_text(source, opened)?;
    read_text(&source.name, &text, sink)
}

fn read_text(name: &Arc<str>, text: &str, sink: &mut dyn Sink) -> Result<(), InputProblem> {
    if text.trim().is_empty() {
        sink.problem(
            InputProblem::file(
                name,
                "package.json is empty: it lists no dependencies",
                "write the project's manifest with `npm init`, or delete the file",
            )
            .warning(),
        );
        return Ok(());
    }
    let lines = LineIndex::new(text.as_bytes());
    let manifest: Manifest = json_lock::parse(name, text, &lines, SYNTAX_HELP)?;
    // Where each section's keys are, in file order (serde refuses a
    // section written twice).
    let mut keys: [Vec<Span>; 4] = Default::default();
    json_lock::keys(text.as_bytes(), |path, span| {
        if let [section, _] = path
            && let Some(i) = SECTIONS.iter().position(|(s, _)| section.is(s))
        {
            keys[i].push(span);
        }
    });
    for (i, (_, scope)) in SECTIONS.iter().enumerate() {
        let Some(InOrder(entries)) = manifest.section(i) else {
            continue;
        };
        for ((dep, value), &span) in entries.iter().zip(&keys[i]) {
            let flow = match value.as_str() {
                Some(spec) => {
                    let package = package(dep, spec, *scope);
                    json_lock::emit(sink, name, text, &lines, span, &package)
                }
                None => json_lock::skip(
                    sink,
                    name,
                    text,
                    &lines,
                    span,
                    format!("`{dep}`: the version range is not a string ({value})"),
                    "write each dependency as \"name\": \"range\", e.g. \"left-pad\": \"^1.3.0\"",
                ),
            };
            if flow == Flow::Stop {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// The package a dependency entry names: the real one for an alias, with
/// its range and exact version when the spec is a registry range.
fn package(key: &str, spec: &str, scope: Option<DepScope>) -> Package {
    let spec = spec.trim();
    let (name, range) = match spec.strip_prefix("npm:") {
        // `npm:real@range`, `npm:@scope/real@range`, `npm:real`.
        Some(alias) => match alias[1.min(alias.len())..].find('@') {
            Some(at) => (&alias[..at + 1], Some(&alias[at + 2..])),
            None => (alias, None),
        },
        None if is_not_registry(spec) => (key, None),
        None => (key, Some(spec)),
    };
    let name = if name.is_empty() { key } else { name };
    let range = range.map(str::trim).filter(|r| !r.is_empty());
    Package {
        device: None,
        ecosystem: Ecosystem::Npm,
        name: name.to_string(),
        key: Ecosystem::Npm.package_key(None, name),
        version: range.and_then(exact_version).map(str::to_string),
        requirement: range.map(str::to_string),
        path: Vec::new(),
        direct: Some(true),
        scope,
    }
}

/// A spec that is not a registry range: a path, link, git repository,
/// GitHub shorthand (`user/repo`), tarball URL or workspace reference.
fn is_not_registry(spec: &str) -> bool {
    const PREFIXES: [&str; 12] = [
        "file:",
        "link:",
        "portal:",
        "workspace:",
        "git:",
        "git+",
        "github:",
        "gitlab:",
        "bitbucket:",
        "gist:",
        "http:",
        "https:",
    ];
    PREFIXES.iter().any(|p| spec.starts_with(p))
        || spec.starts_with(['.', '/'])
        || spec.starts_with("~/")
        || (spec.contains('/') && !spec.contains(' '))
}

/// The version an exact range pins (`1.2.3`, `=1.2.3`, `v1.2.3`).
fn exact_version(range: &str) -> Option<&str> {
    let v = range.strip_prefix('=').unwrap_or(range).trim_start();
    let v = v.strip_prefix('v').unwrap_or(v);
    semver::Version::parse(v).is_ok().then_some(v)
}

#[cfg(test)]
#[path = "npm_manifest_tests.rs"]
mod tests;
