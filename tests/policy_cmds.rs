//! The `policy` commands on the built-in library and on fixtures.

use crate::common::{banscan, banscan_in};

/// The valid fixture lints clean and its examples pass.
#[test]
fn valid_fixture_lints_and_tests_clean() {
    banscan(&[
        "policy",
        "lint",
        "--no-builtin",
        "tests/fixtures/valid-policy.yaml",
    ])
    .expect_code(0)
    .expect_contains("1 policies and 1 products are valid");
    banscan(&[
        "policy",
        "test",
        "--no-builtin",
        "tests/fixtures/valid-policy.yaml",
    ])
    .expect_code(0)
    .expect_contains("2 passed, 0 failed");
}

/// A failing example is a diagnostic at that example's line, and exit 1.
#[test]
fn failing_example_points_at_its_line() {
    banscan(&[
        "policy",
        "test",
        "--no-builtin",
        "tests/fixtures/failing-example.yaml",
    ])
    .expect_code(1)
    .expect_contains("banscan::policy::example_failed")
    .expect_contains("[tests/fixtures/failing-example.yaml:32:")
    .expect_contains("[tests/fixtures/failing-example.yaml:35:")
    .expect_contains("1 passed, 2 failed");
}

/// The schema is JSON and names all three document kinds.
#[test]
fn schema_describes_three_kinds() {
    let run = banscan(&["policy", "schema"]);
    run.expect_code(0);
    let schema = run.json();
    let kinds: Vec<&str> = schema["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["title"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["product", "policy", "profile"]);
}

/// Lock then verify is clean; a changed, an added and a removed file are
/// each named, and verify exits 1.
#[test]
fn lock_and_verify_detect_changes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("tw")).unwrap();
    let valid =
        std::fs::read_to_string(crate::common::root().join("tests/fixtures/valid-policy.yaml"))
            .unwrap();
    std::fs::write(d.join("tw/a.yaml"), &valid).unwrap();
    std::fs::write(d.join("b.yaml"), "# b\n").unwrap();
    std::fs::write(d.join("c.yaml"), "# c\n").unwrap();
    banscan_in(d, &["policy", "lock", "."])
        .expect_code(0)
        .expect_contains("3 files");
    banscan_in(d, &["policy", "verify", "."]).expect_code(0);

    std::fs::write(
        d.join("tw/a.yaml"),
        valid.replace("Demo News", "Other News"),
    )
    .unwrap();
    std::fs::write(d.join("d.yaml"), "# d\n").unwrap();
    std::fs::remove_file(d.join("c.yaml")).unwrap();
    banscan_in(d, &["policy", "verify", "."])
        .expect_code(1)
        .expect_contains("changed: tw/a.yaml")
        .expect_contains("added:   d.yaml")
        .expect_contains("removed: c.yaml")
        .expect_lacks("b.yaml");
}

#[test]
fn verify_without_lockfile_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    banscan_in(dir.path(), &["policy", "verify", "."])
        .expect_code(2)
        .expect_contains("policy lock");
}

#[test]
fn show_unknown_id_suggests() {
    banscan(&[
        "policy",
        "show",
        "--no-builtin",
        "--policies",
        "tests/fixtures/valid-policy.yaml",
        "xx-demo-2025-chatt",
    ])
    .expect_code(2)
    .expect_contains("did you mean `xx-demo-2025-chat`?");
}
