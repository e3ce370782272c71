//! Pipenv's `Pipfile.lock` (`pipfile-spec` 6): JSON, parsed with
//! serde_json; a syntax error or a cut file is one problem at its line and
//! column, and the file is unread evidence.
//!
//! Every top-level key but `_meta` is a category of packages: `default`
//! (what the project runs with, no scope), `develop` and any custom
//! category (`pipenv install --categories docs`) are installed only on
//! request, so they are `scope: Dev`, as dependency groups are elsewhere.
//! Each entry is a PyPI package at its key's line: `"version": "==X"`
//! gives the version; a VCS, path or file entry (`git`, `path`, `file`,
//! `editable`…) has none and is emitted without one; any other entry
//! without a version is a record passed over. The lock keeps no graph and
//! does not say what the Pipfile asks for: `direct` is unknown and paths
//! are empty.

use std::sync::Arc;

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::json_lock::{self, InOrder, LineIndex, Span};
use crate::ident::Ecosystem;
use crate::input::item::{DepScope, Package};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::{Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "pipfile-lock",
    evidence: Evidence::Packages,
    description: "Pipenv lockfile",
    names: &["Pipfile.lock"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::pipfile_lock),
    reader: Reader::Stream(read),
};

const HELP: &str = "the lockfile is not valid JSON: regenerate it with `pipenv lock`, \
     or restore it from version control";

/// Keys of an entry that say it comes from somewhere else than an index,
/// and so has no version.
const NOT_FROM_INDEX: &[&str] = &["git", "hg", "svn", "bzr", "path", "file", "editable", "ref"];

/// A top-level value: a category (an object of entries, `_meta` too), or
/// anything else.
#[derive(Deserialize)]
#[serde(untagged)]
enum Section {
    Entries(InOrder<serde_json::Value>),
    Other(#[allow(dead_code)] IgnoredAny),
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
        "regenerate it with `pipenv lock`, or delete it",
    ) else {
        return Ok(());
    };
    let lock: InOrder<Section> = json_lock::parse(name, text, &lines, HELP)?;
    // The key of every entry of every category, `_meta`'s too, in order.
    let mut spans = Vec::new();
    json_lock::keys(text.as_bytes(), |path, span| {
        if path.len() == 2 && path[0].key().is_some() {
            spans.push(span);
        }
    });
    let count: usize = lock
        .0
        .iter()
        .map(|(_, s)| match s {
            Section::Entries(e) => e.0.len(),
            Section::Other(_) => 0,
        })
        .sum();
    let aligned = count == spans.len();
    let mut k = 0;
    for (category, section) in &lock.0 {
        let Section::Entries(entries) = section else {
            continue;
        };
        for (package, entry) in &entries.0 {
            let span = if aligned {
                spans[k]
            } else {
                Span { start: 0, end: 1 }
            };
            k += 1;
            if category == "_meta" {
                continue;
            }
            if emit_entry(sink, name, text, &lines, span, category, package, entry) == Flow::Stop {
                return Ok(());
            }
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn emit_entry(
    sink: &mut dyn Sink,
    name: &Arc<str>,
    text: &str,
    lines: &LineIndex,
    span: Span,
    category: &str,
    package: &str,
    entry: &serde_json::Value,
) -> Flow {
    let Some(fields) = entry.as_object() else {
        return json_lock::skip(
            sink,
            name,
            text,
            lines,
            span,
            format!("the entry `{package}` in `{category}` is not an object"),
            "pipenv writes an object for every package: regenerate the lockfile with `pipenv lock`",
        );
    };
    let (version, requirement) = match fields.get("version").and_then(|v| v.as_str()) {
        Some(v) => match v.strip_prefix("===").or_else(|| v.strip_prefix("==")) {
            Some(exact) => (Some(exact.trim().to_string()), None),
            None => (None, Some(v.to_string())),
        },
        None if NOT_FROM_INDEX.iter().any(|k| fields.contains_key(*k)) => (None, None),
        None => {
            return json_lock::skip(
                sink,
                name,
                text,
                lines,
                span,
                format!("the entry `{package}` in `{category}` has no version"),
                "pipenv writes `\"version\": \"==X\"` for every package from an index: \
                 regenerate the lockfile with `pipenv lock`",
            );
        }
    };
    let item = Package {
        device: None,
        ecosystem: Ecosystem::Pypi,
        name: package.to_string(),
        key: Ecosystem::Pypi.package_key(None, package),
        version,
        requirement,
        path: Vec::new(),
        direct: None,
        scope: (category != "default").then_some(DepScope::Dev),
    };
    json_lock::emit(sink, name, text, lines, span, &item)
}

#[cfg(test)]
#[path = "pipfile_lock_tests.rs"]
mod tests;
