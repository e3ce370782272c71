//! The berry (Yarn 2 and later) syntax: YAML, read into the span-keeping
//! tree of [`crate::yaml`].
//!
//! An entry's key lists its descriptors (`"lodash@npm:^4.17.4,
//! lodash@npm:^4.17.21"`); its `resolution` is the locator it resolved to
//! (`lodash@npm:4.17.21`), whose name is the real package's (an alias's
//! key names the alias). A `patch:` locator wraps the URL-encoded locator
//! it patches (`resolve@patch:resolve@npm%3A1.22.8#…`): the package is the
//! one inside.

use std::ops::Range;

use super::{Entry, Kind, LineIndex, REGENERATE, package_name, split_descriptor};
use crate::input::problem::InputProblem;
use crate::input::source::Source;
use crate::yaml::{self, Node, Value};

/// The most YAML nodes read from one lockfile: far above a real one.
const MAX_NODES: usize = 50_000_000;

/// The `__metadata.version`s read: Yarn 2.4 writes 4, Yarn 3.8 writes 6,
/// Yarn 4.0 writes 8, Yarn 4.18 writes 10; the entries' shape is the same
/// in all.
const VERSIONS: std::ops::RangeInclusive<i64> = 4..=10;

fn span(node: &Node) -> Range<usize> {
    node.span.offset()..node.span.offset() + node.span.len()
}

fn entries_of(node: &Node) -> &[(Node, Node)] {
    match &node.value {
        Value::Map(m) => m,
        _ => &[],
    }
}

fn get<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    entries_of(node)
        .iter()
        .find(|(k, _)| scalar(k).as_deref() == Some(key))
        .map(|(_, v)| v)
}

/// A scalar as text (a version written as a bare number included).
fn scalar(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reads every entry of a berry lock; a YAML error or an unknown
/// `__metadata.version` is the file's one problem.
pub(super) fn entries(
    source: &Source,
    text: &str,
    index: &LineIndex<'_>,
    max_depth: usize,
) -> Result<Vec<Entry>, InputProblem> {
    let docs = yaml::parse_text(text, yaml::node_budget(text.len(), MAX_NODES), max_depth)
        .map_err(|e| {
            index.problem(
                source,
                e.offset..e.offset,
                format!("not a valid yarn.lock: {}", e.message),
                format!("the file may be cut short or edited by hand; {REGENERATE}"),
            )
        })?;
    let Some(root) = docs.iter().find(|d| matches!(d.value, Value::Map(_))) else {
        return Err(InputProblem::file(
            &source.name,
            "not a valid yarn.lock: `__metadata:` is there but the file is not a YAML mapping",
            REGENERATE,
        ));
    };
    check_version(source, index, root)?;
    let mut out = Vec::new();
    for (k, v) in entries_of(root) {
        let Some(key) = scalar(k) else { continue };
        if key == "__metadata" {
            continue;
        }
        out.push(entry(k, &key, v));
    }
    Ok(out)
}

fn check_version(source: &Source, index: &LineIndex<'_>, root: &Node) -> Result<(), InputProblem> {
    let known = "banscan reads the versions Yarn 2 to 4 write (4 to 10)";
    let meta = get(root, "__metadata");
    let Some(version) = meta.and_then(|m| get(m, "version")) else {
        let at = meta.map_or(0..0, span);
        return Err(index.problem(
            source,
            at,
            format!("the lockfile's `__metadata` has no `version`: {known}"),
            REGENERATE,
        ));
    };
    let number = match &version.value {
        Value::Int(i) => Some(*i),
        Value::Str(s) => s.trim().parse().ok(),
        _ => None,
    };
    if number.is_some_and(|n| VERSIONS.contains(&n)) {
        return Ok(());
    }
    let shown = scalar(version).unwrap_or_else(|| version.value.type_name().to_string());
    Err(index.problem(
        source,
        span(version),
        format!("unknown yarn.lock `__metadata.version` {shown}: {known}"),
        "regenerate the lockfile with Yarn 2–4, or report the new version to banscan",
    ))
}

fn entry(k: &Node, key: &str, v: &Node) -> Entry {
    let descriptors: Vec<String> = key
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string)
        .collect();
    let deps = ["dependencies", "optionalDependencies"]
        .into_iter()
        .filter_map(|f| get(v, f))
        .flat_map(entries_of)
        .filter_map(|(n, r)| Some((scalar(n)?, scalar(r)?)))
        .collect();
    let version = get(v, "version").and_then(scalar);
    let resolution = get(v, "resolution").and_then(scalar);
    let kind = kind(&descriptors, version, resolution.as_deref());
    Entry {
        key: span(k),
        record: span(k).start..span(v).end.max(span(k).end),
        descriptors,
        kind,
        deps,
    }
}

fn kind(descriptors: &[String], version: Option<String>, resolution: Option<&str>) -> Kind {
    let locator = resolution.and_then(split_descriptor);
    if let Some((_, reference)) = locator
        && let Some(path) = reference.strip_prefix("workspace:")
    {
        return Kind::Workspace(path.to_string());
    }
    let Some(version) = version.filter(|v| !v.trim().is_empty()) else {
        return Kind::Incomplete("has no version");
    };
    if version == "0.0.0-use.local" {
        return Kind::Local;
    }
    let name = match locator {
        Some((name, reference)) => Some(patched(reference).unwrap_or_else(|| name.to_string())),
        None => descriptors
            .first()
            .and_then(|d| package_name(d))
            .map(str::to_string),
    };
    match name {
        Some(name) => Kind::Package(name, version),
        None => Kind::Incomplete("names no package (`name@range`)"),
    }
}

/// The name inside a `patch:` reference (`patch:resolve@npm%3A1.22.8#…`),
/// itself perhaps an alias.
fn patched(reference: &str) -> Option<String> {
    let inner = reference.strip_prefix("patch:")?;
    let inner = inner.split_once('#').map_or(inner, |(l, _)| l);
    package_name(&decode(inner)).map(str::to_string)
}

/// `%XX` escapes decoded (others left as written).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A patch resolution names the package it patches, URL-encoded.
    #[test]
    fn patch_names_the_patched_package() {
        let got = kind(
            &["resolve@patch:resolve@npm%3A^1.22.8#optional!builtin<compat/resolve>".into()],
            Some("1.22.14".into()),
            Some(
                "resolve@patch:resolve@npm%3A1.22.14#optional!builtin<compat/resolve>::version=1.22.14&hash=9bd1a5",
            ),
        );
        assert!(matches!(got, Kind::Package(n, v) if n == "resolve" && v == "1.22.14"));
        assert_eq!(
            decode("%40types%2Fnode@npm%3A1.0.0"),
            "@types/node@npm:1.0.0"
        );
    }
}
