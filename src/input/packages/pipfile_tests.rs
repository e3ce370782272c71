//! Golden tests: each fixture under `tests/fixtures/pipfile/` (see its
//! README) read into one line per item or problem.

use super::*;
use crate::input::item::ItemKind;
use crate::input::testing::{read_fixture, render_packages};

fn fixture(name: &str) -> Vec<String> {
    render_packages(&read_fixture(
        &SPEC,
        &format!("pipfile/{name}/Pipfile"),
        "Pipfile",
    ))
}

/// The shape `pipenv install` writes: each package at its key, `==` pins
/// as versions, tables' `version`, git and path entries names only,
/// `[dev-packages]` dev.
#[test]
fn app() {
    assert_eq!(
        fixture("app"),
        [
            "7:1 langchain-deepseek@- [langchain-deepseek] direct=yes scope=- path=",
            "8:1 requests@2.32.3 [requests] direct=yes scope=- path=",
            "9:1 httpx@- [httpx] direct=yes scope=- path=",
            "10:1 mylib@- [mylib] direct=yes scope=- path=",
            "11:1 local@- [local] direct=yes scope=- path=",
            "14:1 pytest@- [pytest] direct=yes scope=dev path=",
            "15:1 langchain-deepseek-tools@- [langchain-deepseek-tools] direct=yes scope=dev path=",
        ]
    );
    let got = read_fixture(&SPEC, "pipfile/app/Pipfile", "Pipfile");
    let req: Vec<Option<&str>> = got
        .items
        .iter()
        .map(|g| match &g.item {
            ItemKind::Package(p) => p.requirement.as_deref(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        req,
        [
            Some("*"),
            Some("==2.32.3"),
            Some(">=0.28,<1"),
            None,
            None,
            Some(">=8.3"),
            Some("*"),
        ]
    );
}

/// An empty Pipfile has no items and no problem; bad TOML is a problem at
/// its line.
#[test]
fn empty_and_broken() {
    assert!(fixture("empty").is_empty());
    assert_eq!(
        fixture("broken"),
        ["8:21 Unread: not a valid Pipfile: invalid basic string, expected `\"`"]
    );
}
