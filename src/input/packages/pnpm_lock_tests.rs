//! Golden tests of the pnpm-lock.yaml reader on lockfiles made by pnpm 9,
//! 8 and 7 (see `tests/fixtures/pnpm-lock/README.md`).

use super::*;
use crate::input::testing::{Collect, read, read_fixture, render_packages};

/// Reads `tests/fixtures/pnpm-lock/<case>/pnpm-lock.yaml`.
fn run(case: &str) -> Collect {
    read_fixture(
        &SPEC,
        &format!("pnpm-lock/{case}/pnpm-lock.yaml"),
        &format!("{case}/pnpm-lock.yaml"),
    )
}

fn read_str(text: &str) -> Collect {
    read(&SPEC, &Source::bytes("pnpm-lock.yaml", text.as_bytes()))
}

#[test]
fn v9_golden() {
    insta::assert_debug_snapshot!(render_packages(&run("v9")));
}

#[test]
fn v6_golden() {
    insta::assert_debug_snapshot!(render_packages(&run("v6")));
}

#[test]
fn v5_golden() {
    insta::assert_debug_snapshot!(render_packages(&run("v5")));
}

/// The three versions pnpm wrote for one project give the same packages,
/// directness, scopes and paths (pnpm 7 did not install the peer `zod`).
#[test]
fn versions_agree() {
    let strip = |lines: Vec<String>| -> Vec<String> {
        lines
            .into_iter()
            .map(|l| l.split_once(' ').unwrap().1.to_string())
            .map(|l| match l.split_once(" [") {
                Some((head, rest)) => format!("{head} {}", rest.split_once("] ").unwrap().1),
                None => l,
            })
            .collect()
    };
    let v9 = strip(render_packages(&run("v9")));
    assert_eq!(strip(render_packages(&run("v6"))), v9);
    let v5 = strip(render_packages(&run("v5")));
    let v9_without_zod: Vec<String> = v9.into_iter().filter(|l| !l.starts_with("zod@")).collect();
    assert_eq!(v5, v9_without_zod);
}

/// An empty file is a warning, not a failure.
#[test]
fn empty_file_is_a_warning() {
    insta::assert_debug_snapshot!(render_packages(&run("empty")), @r#"
    [
        "- Warning: the lockfile is empty: it lists no packages",
    ]
    "#);
}

/// A file cut short inside a flow mapping is unread evidence at its line.
#[test]
fn truncated_file_is_unread_at_its_line() {
    let got = run("truncated");
    assert!(got.items.is_empty());
    assert_eq!(got.problems.len(), 1);
    assert_eq!(
        got.problems[0].impact,
        crate::input::problem::Impact::Unread
    );
    assert_eq!(got.problems[0].at.as_ref().unwrap().line, 50);
    assert!(
        got.problems[0]
            .message
            .starts_with("not a valid pnpm lockfile")
    );
}

/// An unknown lockfileVersion is unread evidence naming it.
#[test]
fn unknown_lockfile_version_is_unread() {
    let got = read_str("lockfileVersion: '7.0'\n\npackages:\n\n  a@1.0.0: {}\n");
    assert!(got.items.is_empty());
    insta::assert_debug_snapshot!(render_packages(&got), @r#"
    [
        "1:18 Unread: unknown lockfileVersion 7.0: banscan reads versions 5.x, 6.0 and 9.0",
    ]
    "#);
}

/// A key that names no version is a record passed over; the rest is read.
/// Workspace importers are roots; `link:` versions are not packages.
#[test]
fn bad_key_skipped_and_workspace_links() {
    let got = read_str(
        "lockfileVersion: '9.0'\n\
         importers:\n  .:\n    dependencies:\n      lib:\n        specifier: workspace:*\n        version: link:packages/lib\n\
         \x20 packages/lib:\n    optionalDependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0\n\
         packages:\n  nonsense: {}\n  a@1.0.0: {}\n  b@2.0.0: {}\n\
         snapshots:\n  a@1.0.0:\n    dependencies:\n      b: 2.0.0\n  b@2.0.0: {}\n",
    );
    insta::assert_debug_snapshot!(render_packages(&got), @r#"
    [
        "15:3 a@1.0.0 [a@1.0.0] direct=yes scope=optional path=packages/lib > a",
        "16:3 b@2.0.0 [b@2.0.0] direct=no scope=optional path=packages/lib > a > b",
        "14:3 Skipped: the package key `nonsense` names no package and version",
    ]
    "#);
}

/// A v6 git dependency: its key is no `name@version`, its entry names
/// itself, and the importer and the graph point at it by the key's text.
#[test]
fn v6_git_package_by_its_own_name() {
    let got = read_str(
        "lockfileVersion: '6.0'\n\
         dependencies:\n  tool:\n    specifier: github:org/tool\n    version: github.com/org/tool/abc123\n\
         packages:\n  github.com/org/tool/abc123:\n    resolution: {tarball: https://codeload.github.com/org/tool/tar.gz/abc123}\n    name: tool\n    version: 1.2.0\n    dependencies:\n      dep: 2.0.0\n\
         \x20 /dep@2.0.0:\n    resolution: {integrity: sha512-AAA=}\n",
    );
    insta::assert_debug_snapshot!(render_packages(&got), @r#"
    [
        "7:3 tool@1.2.0 [github.com/org/tool/abc123] direct=yes scope=- path=(root) > tool",
        "13:3 dep@2.0.0 [/dep@2.0.0] direct=no scope=- path=(root) > tool > dep",
    ]
    "#);
}
