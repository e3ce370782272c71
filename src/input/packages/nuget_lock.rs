//! NuGet's `packages.lock.json` (version 1, and 2 with Central Package
//! Management): JSON, parsed with serde_json; a syntax error or a cut file
//! is one problem at its line and column, and the file is unread evidence.
//!
//! `dependencies` maps each target framework (`net8.0`) to packages, each
//! `{type, requested, resolved, contentHash, dependencies}`: a NuGet
//! package at its key's line, version `resolved`, `direct` from `type`
//! (`Direct` → yes; `Transitive`, `CentralTransitive` → no). `Project`
//! entries are other projects of the solution, not packages, and are not
//! emitted. A package listed under several frameworks is emitted once per
//! framework, at each key. A package entry without `resolved` is a record
//! passed over.

use std::sync::Arc;

use serde::Deserialize;

use super::json_lock::{self, InOrder, Span};
use crate::ident::Ecosystem;
use crate::input::item::Package;
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::{Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "nuget-lock",
    evidence: Evidence::Packages,
    description: "NuGet lockfile",
    names: &["packages.lock.json"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::nuget_lock),
    reader: Reader::Stream(read),
};

const HELP: &str = "the lockfile is not valid JSON: regenerate it with \
     `dotnet restore --force-evaluate`, or restore it from version control";

#[derive(Deserialize)]
struct Lock {
    dependencies: Option<InOrder<InOrder<Entry>>>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: Option<String>,
    resolved: Option<String>,
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
    let Some(lines) = json_lock::lines_unless_empty(
        name,
        text,
        sink,
        "regenerate it with `dotnet restore --use-lock-file`, or delete it",
    ) else {
        return Ok(());
    };
    let lock: Lock = json_lock::parse(name, text, &lines, HELP)?;
    let Some(frameworks) = &lock.dependencies else {
        return Ok(());
    };
    // `dependencies` → framework → package: every package key, in order.
    let mut spans = Vec::new();
    json_lock::keys(text.as_bytes(), |path, span| {
        if let [top, framework, package] = path
            && top.is("dependencies")
            && framework.key().is_some()
            && package.key().is_some()
        {
            spans.push(span);
        }
    });
    let count: usize = frameworks.0.iter().map(|(_, p)| p.0.len()).sum();
    let aligned = count == spans.len();
    let mut k = 0;
    for (framework, packages) in &frameworks.0 {
        for (package, entry) in &packages.0 {
            let span = if aligned {
                spans[k]
            } else {
                Span { start: 0, end: 1 }
            };
            k += 1;
            let direct = match entry.kind.as_deref() {
                Some("Project") => continue,
                Some("Direct") => Some(true),
                Some("Transitive" | "CentralTransitive") => Some(false),
                _ => None,
            };
            let flow = match &entry.resolved {
                None => json_lock::skip(
                    sink,
                    name,
                    text,
                    &lines,
                    span,
                    format!("the package `{package}` for `{framework}` has no resolved version"),
                    "NuGet writes `resolved` for every package: regenerate the lockfile \
                     with `dotnet restore --force-evaluate`",
                ),
                Some(version) => {
                    let item = Package {
                        device: None,
                        ecosystem: Ecosystem::Nuget,
                        name: package.clone(),
                        key: Ecosystem::Nuget.package_key(None, package),
                        version: Some(version.clone()),
                        requirement: None,
                        path: Vec::new(),
                        direct,
                        scope: None,
                    };
                    json_lock::emit(sink, name, text, &lines, span, &item)
                }
            };
            if flow == Flow::Stop {
                return Ok(());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "nuget_lock_tests.rs"]
mod tests;
