//! Golden tests: each fixture under `tests/fixtures/nuget-lock/` (see its
//! README for how it was made) read into one line per item or problem.

use super::*;
use crate::input::testing::{read, read_fixture, render_packages};

fn fixture(name: &str) -> Vec<String> {
    render_packages(&read_fixture(
        &SPEC,
        &format!("nuget-lock/{name}/packages.lock.json"),
        "packages.lock.json",
    ))
}

#[allow(dead_code)]
fn bytes(text: &str) -> Vec<String> {
    render_packages(&read(
        &SPEC,
        &Source::bytes("packages.lock.json", text.as_bytes().to_vec()),
    ))
}

/// Hand-written in NuGet's shape: packages per target framework at their
/// keys, `direct` from `type`, the `Project` entry not a package, a
/// package under two frameworks at each key, an entry without `resolved`
/// passed over.
#[test]
fn app() {
    assert_eq!(
        fixture("app"),
        [
            "5:8 DeepSeek.Client@1.2.0 [DeepSeek.Client] direct=yes scope=- path=",
            "14:8 DeepSeek.Client.Extensions@0.4.1 [DeepSeek.Client.Extensions] direct=yes scope=- path=",
            "23:8 System.Text.Json@8.0.5 [System.Text.Json] direct=no scope=- path=",
            "36:8 DeepSeek.Client@1.2.0 [DeepSeek.Client] direct=yes scope=- path=",
            "42:8 Skipped: the package `Microsoft.Extensions.Logging` for `net6.0` has no resolved version",
        ]
    );
}

/// An empty file lists nothing, and says so as a warning.
#[test]
fn empty() {
    assert_eq!(
        fixture("empty"),
        ["- Warning: the lockfile is empty: it lists no packages"]
    );
}

/// A file cut short is one problem at its last line: unread evidence.
#[test]
fn truncated() {
    assert_eq!(
        fixture("truncated"),
        [
            "23:11 Unread: the lockfile ends in the middle of its JSON (truncated?): EOF while parsing a string at line 23 column 11; it was not read",
        ]
    );
}

/// Minified, an unknown type (direct unknown) and no `dependencies`.
#[test]
fn minified() {
    assert_eq!(
        bytes(r#"{"version":2,"dependencies":{"net8.0":{"A":{"type":"Odd","resolved":"1.0.0"}}}}"#),
        ["1:41 A@1.0.0 [A] direct=? scope=- path="]
    );
    assert_eq!(bytes(r#"{"version":1}"#), Vec::<String>::new());
}
