//! Golden tests: each fixture under `tests/fixtures/npm-manifest/` (see
//! its README) read into one line per item or problem.

use super::*;
use crate::input::testing::{read, read_fixture, render_packages};

fn fixture(name: &str) -> Vec<String> {
    render_packages(&read_fixture(
        &SPEC,
        &format!("npm-manifest/{name}/package.json"),
        "package.json",
    ))
}

fn bytes(text: &str) -> Vec<String> {
    render_packages(&read(
        &SPEC,
        &Source::bytes("package.json", text.as_bytes().to_vec()),
    ))
}

/// Every section with its scope, at each key; an exact version is the
/// version, an alias is its real package, paths, links, git, GitHub
/// shorthands and URLs are names only.
#[test]
fn app() {
    assert_eq!(
        fixture("app"),
        [
            "14:6 @ai-sdk/deepseek@- [@ai-sdk/deepseek] direct=yes scope=- path=",
            "15:6 left-pad@1.3.0 [left-pad] direct=yes scope=- path=",
            "16:6 string-width@- [sw] direct=yes scope=- path=",
            "17:6 local-lib@- [local-lib] direct=yes scope=- path=",
            "18:6 linked@- [linked] direct=yes scope=- path=",
            "19:6 from-git@- [from-git] direct=yes scope=- path=",
            "20:6 shorthand@- [shorthand] direct=yes scope=- path=",
            "21:6 tarball@- [tarball] direct=yes scope=- path=",
            "22:6 anything@- [anything] direct=yes scope=- path=",
            "25:6 @ai-sdk/deepseek-tools@- [@ai-sdk/deepseek-tools] direct=yes scope=dev path=",
            "26:6 typescript@- [typescript] direct=yes scope=dev path=",
            "29:6 fsevents@2.3.3 [fsevents] direct=yes scope=optional path=",
            "32:6 react@- [react] direct=yes scope=peer path=",
        ]
    );
}

/// The requirement is the range as written; none for names only.
#[test]
fn requirements() {
    let got = read_fixture(&SPEC, "npm-manifest/app/package.json", "package.json");
    let req: Vec<Option<&str>> = got
        .items
        .iter()
        .map(|g| match &g.item {
            crate::input::item::ItemKind::Package(p) => p.requirement.as_deref(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        req,
        [
            Some("^1.0.0"),
            Some("1.3.0"),
            Some("^4.2.3"),
            None,
            None,
            None,
            None,
            None,
            Some("*"),
            Some("^0.1.0"),
            Some("~5.9.2"),
            Some("2.3.3"),
            Some(">=18 <20"),
        ]
    );
}

/// A manifest without dependency sections has no items and no problem;
/// an empty file is a warning; bad JSON is a problem at its line.
#[test]
fn no_deps_empty_and_broken() {
    assert!(fixture("no-deps").is_empty());
    assert_eq!(
        fixture("empty"),
        ["- Warning: package.json is empty: it lists no dependencies"]
    );
    let broken = fixture("broken");
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert!(broken[0].starts_with("5:16 Unread"), "{broken:?}");
}

/// Scoped aliases, `=`/`v` exact versions, and a value that is not a
/// string (passed over at its key).
#[test]
fn aliases_exact_versions_and_bad_values() {
    let text = r#"{"dependencies": {"a": "npm:@scope/real@1.0.0", "b": "=2.0.0", "c": "v3.0.0-rc.1",
"d": "npm:plain", "e": 5, "f": "^1 || ^2"}}"#;
    assert_eq!(
        bytes(text),
        [
            "1:20 @scope/real@1.0.0 [a] direct=yes scope=- path=",
            "1:50 b@2.0.0 [b] direct=yes scope=- path=",
            "1:65 c@3.0.0-rc.1 [c] direct=yes scope=- path=",
            "2:2 plain@- [d] direct=yes scope=- path=",
            "2:28 f@- [f] direct=yes scope=- path=",
            "2:20 Skipped: `e`: the version range is not a string (5)",
        ]
    );
}
