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
    .expect_contains("[tests/fixtures/failing-example.yaml:29:")
    .expect_contains("[tests/fixtures/failing-example.yaml:32:")
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

/// Every built-in policy's own examples pass, and every policy has both
/// violating and compliant examples.
#[test]
fn builtin_library_examples_pass() {
    let run = banscan(&["policy", "test"]);
    run.expect_code(0).expect_contains(" 0 failed");
    let listed = banscan(&["policy", "list", "--format", "json"]).json();
    let count = listed.as_array().unwrap().len();
    assert!(count >= 38, "{count} policies");
    run.expect_contains(&format!("({count} policies)"));
    banscan(&["policy", "lint"]).expect_code(0);
}

/// Every built-in policy cites at least one source with a URL, and `show`
/// prints it with the authority and legal basis.
#[test]
fn builtin_policies_show_full_citations() {
    let listed = banscan(&["policy", "list", "--format", "json"]).json();
    for p in listed.as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        let run = banscan(&["policy", "show", id]);
        run.expect_code(0)
            .expect_contains("legal basis")
            .expect_contains("sources:")
            .expect_contains("https://");
        run.expect_contains("violating");
    }
}

/// `policy list` filters by jurisdiction, sector and product.
#[test]
fn list_filters() {
    let ids = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["policy", "list", "--format", "json"];
        a.extend_from_slice(args);
        banscan(&a)
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect()
    };
    let tw = ids(&["--jurisdiction", "TW"]);
    assert!(
        tw.iter()
            .all(|id| id.starts_with("tw-") || id.starts_with("global-")),
        "{tw:?}"
    );
    assert!(tw.contains(&"tw-ey-2025-deepseek".to_string()));
    let texas = ids(&["--jurisdiction", "US-TX"]);
    assert!(
        texas.contains(&"us-tx-2025-deepseek".to_string())
            && texas.contains(&"us-omb-2023-tiktok".to_string())
    );
    assert!(!texas.contains(&"us-ny-2025-deepseek".to_string()));
    let kaspersky = ids(&["--product", "kaspersky"]);
    assert!(
        !kaspersky.is_empty() && kaspersky.iter().all(|id| id.contains("kaspersky")),
        "{kaspersky:?}"
    );
    let military = ids(&["--sector", "military"]);
    assert!(military.contains(&"us-navy-2025-deepseek".to_string()));
    banscan(&["policy", "list"])
        .expect_code(0)
        .expect_contains("ID")
        .expect_contains("AUTHORITY");
}

/// `policy lint` checks profiles too: a waiver for a policy that does not
/// exist would never waive anything.
#[test]
fn lint_checks_profile_waivers() {
    banscan(&["policy", "lint", "examples/banscan.yaml"])
        .expect_code(0)
        .expect_contains("and 1 profile");
    banscan(&["policy", "lint", "tests/fixtures/profile-typo/banscan.yaml"])
        .expect_code(2)
        .expect_contains("banscan::policy::unknown_policy")
        .expect_contains("[tests/fixtures/profile-typo/banscan.yaml:8:")
        .expect_contains("did you mean `tw-ey-2025-deepseek`?");
}
