//! Golden tests: each fixture under `tests/fixtures/pyproject/` (see its
//! README) read into one line per item or problem.

use super::*;
use crate::input::item::ItemKind;
use crate::input::testing::{read, read_fixture, render_packages};

fn fixture(name: &str) -> Vec<String> {
    render_packages(&read_fixture(
        &SPEC,
        &format!("pyproject/{name}/pyproject.toml"),
        "pyproject.toml",
    ))
}

fn requirements(name: &str) -> Vec<Option<String>> {
    read_fixture(
        &SPEC,
        &format!("pyproject/{name}/pyproject.toml"),
        "pyproject.toml",
    )
    .items
    .iter()
    .map(|g| match &g.item {
        ItemKind::Package(p) => p.requirement.clone(),
        other => panic!("{other:?}"),
    })
    .collect()
}

/// PEP 621 and PEP 735 (the shape `uv init` and `uv add` write): each
/// requirement at its string, pins as versions, extras dev, groups dev,
/// `include-group` passed over silently, a direct reference a name only.
#[test]
fn pep621_and_dependency_groups() {
    assert_eq!(
        fixture("uv"),
        [
            "8:6 langchain-deepseek@- [langchain-deepseek>=0.1.3] direct=yes scope=- path=",
            "9:6 requests@2.32.3 [requests==2.32.3] direct=yes scope=- path=",
            "10:6 httpx@- [httpx[http2]>=0.28,<1 ; python_version >= '3.12'] direct=yes scope=- path=",
            "11:6 local-pkg@- [local-pkg @ file:///opt/wheels/local_pkg-1.0-py3-none-any.whl] direct=yes scope=- path=",
            "15:10 tomli-w@1.2.0 [tomli-w==1.2.0] direct=yes scope=optional path=",
            "19:6 pytest@- [pytest>=8.3.5] direct=yes scope=dev path=",
            "20:6 langchain-deepseek-tools@- [langchain-deepseek-tools>=0.1] direct=yes scope=dev path=",
            "23:10 ruff@0.11.2 [ruff==0.11.2] direct=yes scope=dev path=",
        ]
    );
    let req = |s: &str| Some(s.to_string());
    assert_eq!(
        requirements("uv"),
        [
            req(">=0.1.3"),
            req("==2.32.3"),
            req(">=0.28,<1"),
            None,
            req("==1.2.0"),
            req(">=8.3.5"),
            req(">=0.1"),
            req("==0.11.2"),
        ]
    );
}

/// Poetry: each dependency at its key, `python` not a package, bare
/// versions exact, tables' `version`, `optional = true`, git and path
/// dependencies names only, groups and legacy dev-dependencies dev.
#[test]
fn poetry() {
    assert_eq!(
        fixture("poetry"),
        [
            "11:1 langchain-deepseek@- [langchain-deepseek] direct=yes scope=- path=",
            "12:1 requests@2.32.3 [requests] direct=yes scope=- path=",
            "13:1 httpx@- [httpx] direct=yes scope=- path=",
            "14:1 tomli-w@- [tomli-w] direct=yes scope=optional path=",
            "15:1 mylib@- [mylib] direct=yes scope=- path=",
            "16:1 local@- [local] direct=yes scope=- path=",
            "19:1 pytest@- [pytest] direct=yes scope=dev path=",
            "22:1 langchain-deepseek@0.1.3 [langchain-deepseek] direct=yes scope=dev path=",
        ]
    );
    let req = |s: &str| Some(s.to_string());
    assert_eq!(
        requirements("poetry"),
        [
            req("^0.1.3"),
            req("2.32.3"),
            req(">=0.28,<1"),
            req("^1.2"),
            None,
            None,
            req("^8.3"),
            req("==0.1.3"),
        ]
    );
}

/// A tool's configuration and an empty file have no items and no
/// problem; bad TOML is a problem at its line.
#[test]
fn tool_only_empty_and_broken() {
    assert!(fixture("tool-only").is_empty());
    assert!(fixture("empty").is_empty());
    assert_eq!(
        fixture("broken"),
        [
            "7:5 Unread: not a valid pyproject.toml: missing comma between array elements, expected `,`"
        ]
    );
}

/// Strings that are not requirements and values of the wrong kind are
/// records passed over at their place.
#[test]
fn bad_entries_are_passed_over() {
    let text = "[project]\ndependencies = [\"ok==1\", \"bad name\", 3]\n\n[tool.poetry.dependencies]\nx = 5\ny = { version = 1 }\n";
    let got = render_packages(&read(
        &SPEC,
        &Source::bytes("pyproject.toml", text.as_bytes().to_vec()),
    ));
    assert_eq!(
        got,
        [
            "2:18 ok@1 [ok==1] direct=yes scope=- path=",
            "2:26 Skipped: `name` is not a valid version specifier: unexpected end of version specifier, expected operator",
            "2:38 Skipped: a dependency that is not a requirement string (3)",
            "5:1 Skipped: `x`: the constraint is not a string or a table (5)",
            "6:1 Skipped: `y`: its `version` is not a string",
        ]
    );
}
