//! Golden tests of the yarn.lock reader on lockfiles made by Yarn 1.22,
//! 2.4, 3.8, 4.0 and 4.18 for one project (see
//! `tests/fixtures/yarn-lock/README.md`).

use super::*;
use crate::input::problem::Impact;
use crate::input::testing::{Collect, read, read_fixture, render_packages};

/// Reads `tests/fixtures/yarn-lock/<case>/yarn.lock` (with the
/// `package.json` beside it, when there is one).
fn run(case: &str) -> Collect {
    read_fixture(
        &SPEC,
        &format!("yarn-lock/{case}/yarn.lock"),
        &format!("{case}/yarn.lock"),
    )
}

fn read_str(text: &str) -> Collect {
    read(&SPEC, &Source::bytes("yarn.lock", text.as_bytes()))
}

/// The lines without their places, sorted: what two files agree on.
fn facts(lines: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = lines
        .into_iter()
        .map(|l| {
            let l = l.split_once(' ').map_or(l.clone(), |(_, r)| r.to_string());
            match l.split_once(" [") {
                Some((head, rest)) => {
                    format!("{head} {}", rest.split_once("] ").map_or("", |r| r.1))
                }
                None => l,
            }
        })
        .collect();
    out.sort();
    out
}

#[test]
fn classic_golden() {
    insta::assert_debug_snapshot!(render_packages(&run("classic")));
}

#[test]
fn berry_v10_golden() {
    insta::assert_debug_snapshot!(render_packages(&run("berry-v10")));
}

/// Every Yarn wrote the same packages, directness, scopes and paths for
/// the one project: the alias is `string-width`, the `patch:` twin of
/// `resolve` is not a second item, the workspace is not a package.
#[test]
fn all_versions_agree() {
    let classic = facts(render_packages(&run("classic")));
    assert_eq!(classic.len(), 22, "{classic:#?}");
    for case in ["berry-v4", "berry-v6", "berry-v8", "berry-v10"] {
        assert_eq!(facts(render_packages(&run(case))), classic, "{case}");
    }
}

/// Without a `package.json` beside it, a classic lock does not say which
/// packages are direct: `direct` is unknown and there are no paths.
#[test]
fn classic_without_manifest_has_no_direct_or_paths() {
    let got = render_packages(&run("classic-alone"));
    assert_eq!(got.len(), 22);
    assert!(
        got.iter().all(|l| l.ends_with("direct=? scope=- path=")),
        "{got:#?}"
    );
}

/// Berry's workspace entry says what is direct even without the manifest;
/// the scope (dev) then is unknown.
#[test]
fn berry_without_manifest_takes_direct_from_the_workspace() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/yarn-lock/berry-v10/yarn.lock"),
    )
    .unwrap();
    let got = render_packages(&read_str(&text));
    let odd = got.iter().find(|l| l.contains(" is-odd@")).unwrap();
    assert!(
        odd.ends_with("direct=yes scope=- path=(root) > is-odd"),
        "{odd}"
    );
    let number = got.iter().find(|l| l.contains(" is-number@")).unwrap();
    assert!(
        number.ends_with("direct=no scope=- path=(root) > is-odd > is-number"),
        "{number}"
    );
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

/// A classic file cut inside a quoted string is unread at that line.
#[test]
fn classic_truncated_is_unread_at_its_line() {
    insta::assert_debug_snapshot!(render_packages(&run("classic-truncated")), @r#"
    [
        "46:12 Unread: not a valid yarn.lock: a quoted string is not closed",
    ]
    "#);
}

/// A classic file whose last block was cut after its key: the packages
/// before it are read, and the file is unread evidence at the key.
#[test]
fn classic_cut_after_a_key_reads_the_rest() {
    let got =
        read_str("# yarn lockfile v1\n\n\na@^1.0.0:\n  version \"1.0.0\"\n\n\"@b/c@^2.0.0\":\n");
    insta::assert_debug_snapshot!(render_packages(&got), @r#"
    [
        "4:1 a@1.0.0 [a@^1.0.0] direct=? scope=- path=",
        "7:1 Unread: the file ends inside the entry `@b/c@^2.0.0`, which has no version",
    ]
    "#);
}

/// A block without a version in the middle is a record passed over.
#[test]
fn classic_entry_without_version_is_skipped() {
    let got = read_str(
        "# yarn lockfile v1\n\na@^1.0.0:\n  resolved \"x\"\n\nb@^2:\n  version \"2.0.0\"\n",
    );
    assert_eq!(got.items.len(), 1);
    assert_eq!(got.problems.len(), 1);
    assert_eq!(got.problems[0].impact, Impact::Skipped);
    assert_eq!(got.problem_places(), [(3, 1, 8)]);
}

/// Lines the classic reader cannot read, each at its line and column.
#[test]
fn classic_syntax_errors_at_their_place() {
    for (text, place) in [
        ("a@^1:\n   version \"1.0.0\"\n", (2, 1)),
        ("a@^1:\n  version \"1.0.0\n", (2, 11)),
        ("a@^1\n  version \"1.0.0\"\n", (1, 5)),
        ("a@^1:\n\tversion \"1.0.0\"\n", (2, 1)),
        ("a@^1:\n  version \"1.0.0\" extra\n", (2, 19)),
        ("  version \"1.0.0\"\n", (1, 1)),
    ] {
        let got = read_str(text);
        assert!(got.items.is_empty(), "{text:?}");
        assert_eq!(got.problems.len(), 1, "{text:?}");
        assert_eq!(got.problems[0].impact, Impact::Unread, "{text:?}");
        let at = got.problems[0].at.as_ref().unwrap();
        assert_eq!((at.line, at.column), place, "{text:?}");
        assert!(
            got.problems[0]
                .message
                .starts_with("not a valid yarn.lock: ")
        );
    }
}

/// Berry cut short inside a quoted key is a YAML error at its line.
#[test]
fn berry_truncated_is_unread_at_its_line() {
    insta::assert_debug_snapshot!(render_packages(&run("berry-truncated")), @r#"
    [
        "66:1 Unread: not a valid yarn.lock: unclosed quote",
    ]
    "#);
}

/// An unknown `__metadata.version` is unread evidence naming it.
#[test]
fn unknown_metadata_version_is_unread() {
    insta::assert_debug_snapshot!(render_packages(&run("unknown-version")), @r#"
    [
        "5:12 Unread: unknown yarn.lock `__metadata.version` 99: banscan reads the versions Yarn 2 to 4 write (4 to 10)",
    ]
    "#);
}

/// One package under several descriptors and entries is one item; an
/// alias is the real package; a workspace and a link are not packages.
#[test]
fn berry_descriptors_aliases_and_locals() {
    let got = read_str(
        "__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\
         \"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n  \
         dependencies:\n    x: \"npm:lodash@^4\"\n    lodash: \"npm:^4.17.0\"\n    lib: \"link:./lib\"\n  \
         languageName: unknown\n  linkType: soft\n\n\
         \"lib@link:./lib::locator=app%40workspace%3A.\":\n  version: 0.0.0-use.local\n  \
         resolution: \"lib@link:./lib::locator=app%40workspace%3A.\"\n  languageName: node\n  linkType: soft\n\n\
         \"lodash@npm:^4.17.0, x@npm:lodash@^4\":\n  version: 4.17.21\n  resolution: \"lodash@npm:4.17.21\"\n  \
         languageName: node\n  linkType: hard\n",
    );
    insta::assert_debug_snapshot!(render_packages(&got), @r#"
    [
        "21:2 lodash@4.17.21 [lodash@npm:^4.17.0, x@npm:lodash@^4] direct=yes scope=- path=(root) > lodash",
    ]
    "#);
}

/// The manifest beside the lock: each section's names and ranges, with
/// their classes; not JSON, none.
#[test]
fn manifest_sections() {
    let m = manifest_from(
        r#"{"dependencies": {"a": "^1"}, "devDependencies": {"b": "2"}, "optionalDependencies": {"c": "3"}, "peerDependencies": {"d": "4"}}"#,
    )
    .unwrap();
    assert_eq!(
        m.wants,
        [
            ("a".into(), "^1".into(), None),
            ("c".into(), "3".into(), Some(DepScope::Optional)),
            ("b".into(), "2".into(), Some(DepScope::Dev)),
        ]
    );
    assert_eq!(m.class_of("b"), Some(DepScope::Dev));
    assert!(manifest_from("{").is_none());
}
