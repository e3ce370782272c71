//! Golden tests: each fixture under `tests/fixtures/pipfile-lock/` (see its
//! README for how it was made) read into one line per item or problem.

use super::*;
use crate::input::testing::{read, read_fixture, render_packages};

fn fixture(name: &str) -> Vec<String> {
    render_packages(&read_fixture(
        &SPEC,
        &format!("pipfile-lock/{name}/Pipfile.lock"),
        "Pipfile.lock",
    ))
}

#[allow(dead_code)]
fn bytes(text: &str) -> Vec<String> {
    render_packages(&read(
        &SPEC,
        &Source::bytes("Pipfile.lock", text.as_bytes().to_vec()),
    ))
}

/// pipenv 2026.10.3: `default` packages without scope, `develop` and the
/// custom `docs` category as dev, each at its key, version from `==X`;
/// the lock does not say what is direct, nor the graph.
#[test]
fn pipenv() {
    let got = fixture("pipenv");
    assert_eq!(got.len(), 41, "{got:#?}");
    assert_eq!(
        got[0],
        "17:10 annotated-types@0.8.0 [annotated-types] direct=? scope=- path="
    );
    assert_eq!(
        got[15],
        "409:10 langchain-deepseek@0.1.3 [langchain-deepseek] direct=? scope=- path="
    );
    assert_eq!(
        got[39..],
        [
            "1568:10 iniconfig@2.3.1 [iniconfig] direct=? scope=dev path=",
            "1579:10 six@1.17.0 [six] direct=? scope=dev path=",
        ]
    );
}

/// VCS and path entries have no version and are emitted without one; an
/// index entry without a version is a record passed over.
#[test]
fn vcs_and_path_entries() {
    assert_eq!(
        fixture("vcs"),
        [
            "19:10 langchain-deepseek@- [langchain-deepseek] direct=? scope=- path=",
            "25:10 localpkg@- [localpkg] direct=? scope=- path=",
            "29:10 requests@2.32.3 [requests] direct=? scope=- path=",
            "36:10 Skipped: the entry `broken` in `default` has no version",
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
            "54:32 Unread: the lockfile ends in the middle of its JSON (truncated?): EOF while parsing a string at line 54 column 32; it was not read",
        ]
    );
}

/// Minified, with an entry that is not an object, a category that is not
/// an object, and `===` pins.
#[test]
fn minified_and_odd_entries() {
    assert_eq!(
        bytes(
            r#"{"_meta":{"pipfile-spec":6},"x":1,"default":{"A_b":{"version":"===1.0"},"c":"==2"},"develop":{"d":{"version":">=3"}}}"#
        ),
        [
            "1:47 A_b@1.0 [A_b] direct=? scope=- path=",
            "1:96 d@- [d] direct=? scope=dev path=",
            "1:74 Skipped: the entry `c` in `default` is not an object",
        ]
    );
}
