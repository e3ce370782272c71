//! Composer's `composer.lock`: JSON, parsed with serde_json; a syntax
//! error or a cut file is one problem at its line and column, and the
//! file is unread evidence.
//!
//! `packages` (no scope) and `packages-dev` (`scope: Dev`) are arrays of
//! installed packages: each is a Composer package `vendor/name` at the
//! line of its `"name"` value, with `version` as written (`v1.2.3`,
//! `dev-main`). A package without a `name` or a `version` is a record
//! passed over. The lock does not say what composer.json asks for (its
//! `require` maps are constraints, not the graph's roots): `direct` is
//! unknown and paths are empty.

use std::sync::Arc;

use serde::Deserialize;

use super::json_lock::{self, LineIndex, Span};
use crate::ident::Ecosystem;
use crate::input::item::{DepScope, Package};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::{Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "composer-lock",
    evidence: Evidence::Packages,
    description: "Composer lockfile",
    names: &["composer.lock"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::composer_lock),
    reader: Reader::Stream(read),
};

const HELP: &str = "the lockfile is not valid JSON: regenerate it with \
     `composer update --lock`, or restore it from version control";

#[derive(Deserialize)]
struct Lock {
    packages: Option<Vec<Entry>>,
    #[serde(rename = "packages-dev")]
    packages_dev: Option<Vec<Entry>>,
}

#[derive(Deserialize)]
struct Entry {
    name: Option<String>,
    version: Option<String>,
}

/// Where an array element's keys are: its first key, and its `name` key.
#[derive(Clone, Copy, Default)]
struct Keys {
    first: Option<Span>,
    name: Option<Span>,
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
        "regenerate it with `composer update --lock`, or delete it",
    ) else {
        return Ok(());
    };
    let lock: Lock = json_lock::parse(name, text, &lines, HELP)?;
    // Per section (`packages`, `packages-dev`), per element: its keys.
    let mut keys: [Vec<Keys>; 2] = [Vec::new(), Vec::new()];
    json_lock::keys(text.as_bytes(), |path, span| {
        if let [section, json_lock::Seg::Index(i), key] = path {
            let which = if section.is("packages") {
                0
            } else if section.is("packages-dev") {
                1
            } else {
                return;
            };
            let list = &mut keys[which];
            if list.len() <= *i {
                list.resize(*i + 1, Keys::default());
            }
            let k = &mut list[*i];
            k.first.get_or_insert(span);
            if key.is("name") {
                k.name = Some(span);
            }
        }
    });
    let sections = [
        (&lock.packages, None),
        (&lock.packages_dev, Some(DepScope::Dev)),
    ];
    for (which, (entries, scope)) in sections.into_iter().enumerate() {
        for (i, entry) in entries.iter().flatten().enumerate() {
            let at = keys[which].get(i).copied().unwrap_or_default();
            let flow = emit_entry(sink, name, text, &lines, at, entry, scope);
            if flow == Flow::Stop {
                return Ok(());
            }
        }
    }
    Ok(())
}

fn emit_entry(
    sink: &mut dyn Sink,
    name: &Arc<str>,
    text: &str,
    lines: &LineIndex,
    at: Keys,
    entry: &Entry,
    scope: Option<DepScope>,
) -> Flow {
    const FALLBACK: Span = Span { start: 0, end: 1 };
    let help = "Composer writes a `name` and a `version` for every package: \
                regenerate the lockfile with `composer update --lock`";
    let Some(package) = &entry.name else {
        let span = at.first.unwrap_or(FALLBACK);
        return json_lock::skip(
            sink,
            name,
            text,
            lines,
            span,
            "a package without a `name`".to_string(),
            help,
        );
    };
    // The `"name"` value, else its key.
    let span = at
        .name
        .map(|k| json_lock::string_after(text.as_bytes(), k.end).unwrap_or(k))
        .unwrap_or(FALLBACK);
    let Some(version) = &entry.version else {
        return json_lock::skip(
            sink,
            name,
            text,
            lines,
            span,
            format!("the package `{package}` has no version"),
            help,
        );
    };
    let item = Package {
        device: None,
        ecosystem: Ecosystem::Composer,
        name: package.clone(),
        key: Ecosystem::Composer.package_key(None, package),
        version: Some(version.clone()),
        requirement: None,
        path: Vec::new(),
        direct: None,
        scope,
    };
    json_lock::emit(sink, name, text, lines, span, &item)
}

#[cfg(test)]
#[path = "composer_lock_tests.rs"]
mod tests;
