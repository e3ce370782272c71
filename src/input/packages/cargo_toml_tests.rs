//! Golden tests: fixtures under `tests/fixtures/cargo-toml/` (see its
//! README) read without cargo (the default [`Limits`] never run it), one
//! line per item or problem.

use super::*;
use crate::input::item::ItemKind;
use crate::input::testing::{read, read_fixture, render_packages};

fn fixture(path: &str) -> Vec<String> {
    render_packages(&read_fixture(
        &SPEC,
        &format!("cargo-toml/{path}"),
        "Cargo.toml",
    ))
}

/// Every table a crate declares: each at its key (shown in brackets), its real name (the
/// renamed `text` is `itoa`), its requirement, scope from its table,
/// Optional for `optional = true`, no version and no path.
#[test]
fn declared_tables_scopes_and_renames() {
    assert_eq!(
        fixture("locked/Cargo.toml"),
        [
            "7:1 anyhow@- [anyhow] direct=yes scope=- path=",
            "8:1 serde_json@- [serde_json] direct=yes scope=- path=",
            "9:1 fastrand@- [fastrand] direct=yes scope=optional path=",
            "10:1 itoa@- [text] direct=yes scope=- path=",
            "13:1 memchr@- [memchr] direct=yes scope=dev path=",
            "16:1 cfg-if@- [cfg-if] direct=yes scope=build path=",
            "19:1 libc@- [libc] direct=yes scope=- path=",
        ]
    );
    let got = read_fixture(&SPEC, "cargo-toml/locked/Cargo.toml", "Cargo.toml");
    let requirements: Vec<Option<&str>> = got
        .items
        .iter()
        .map(|g| match &g.item {
            ItemKind::Package(p) => p.requirement.as_deref(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        requirements,
        [
            Some("1"),
            Some("1.0.140"),
            Some("2"),
            Some("1"),
            Some("2"),
            Some("1"),
            Some("0.2")
        ]
    );
}

/// A virtual workspace gives its `[workspace.dependencies]`; a member's
/// `workspace = true` entry takes the root's rename and requirement.
#[test]
fn workspace_tables_and_inheritance() {
    assert_eq!(
        fixture("workspace/Cargo.toml"),
        ["6:1 core-utils@- [utils] direct=yes scope=- path="]
    );
    assert_eq!(
        fixture("workspace/app/Cargo.toml"),
        [
            "7:1 bridge@- [bridge] direct=yes scope=- path=",
            "8:1 core-utils@- [utils] direct=yes scope=- path=",
            "11:1 deepseek-fan@- [deepseek-fan] direct=yes scope=dev path=",
        ]
    );
    assert_eq!(
        fixture("workspace/deepseek-core/Cargo.toml"),
        [] as [&str; 0]
    );
}

/// Not TOML: one problem at the parser's place; entries of the wrong
/// kind are records passed over, the rest is read.
#[test]
fn broken_and_odd_entries() {
    let got = fixture("broken/Cargo.toml");
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("6:"), "{got:?}");
    assert!(got[0].contains("not a valid Cargo.toml"), "{got:?}");

    let text = "[package]\nname = \"x\"\n\n[dependencies]\nnum = 3\nbad = { version = 1 }\n\"not a name\" = \"1\"\nok = \"1\"\n";
    let got = render_packages(&read(&SPEC, &Source::bytes("Cargo.toml", text.as_bytes())));
    assert_eq!(got.len(), 4, "{got:?}");
    assert!(
        got.iter().any(|l| l.starts_with("8:1 ok@- [ok]")),
        "{got:?}"
    );
    assert!(
        got.contains(
            &"5:1 Skipped: `num`: the dependency is not a requirement string or a table (3)"
                .to_string()
        ),
        "{got:?}"
    );
    assert!(
        got.iter().any(|l| l.starts_with("6:1 Skipped: `bad`")),
        "{got:?}"
    );
}

/// Cargo's requirement syntax decides which declared entry a resolved
/// version belongs to; a requirement that does not parse is met.
#[test]
fn requirements_match_resolved_versions() {
    assert!(requirement_allows(Some("1"), "1.0.105"));
    assert!(!requirement_allows(Some("0.3"), "1.0.0"));
    assert!(requirement_allows(None, "0.1.0"));
    assert!(requirement_allows(Some("not a req"), "0.1.0"));
}
