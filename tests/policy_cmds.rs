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
    .expect_contains("1 policy and 1 product are valid");
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
    std::fs::write(d.join("b.yaml"), product("b")).unwrap();
    std::fs::write(d.join("c.yaml"), product("c")).unwrap();
    banscan_in(d, &["policy", "lock", "."])
        .expect_code(0)
        .expect_contains("3 files")
        .expect_contains("lock: \"sha256:");
    banscan_in(d, &["policy", "verify", "."]).expect_code(0);

    std::fs::write(
        d.join("tw/a.yaml"),
        valid.replace("Demo News", "Other News"),
    )
    .unwrap();
    std::fs::write(d.join("d.yaml"), product("d")).unwrap();
    std::fs::remove_file(d.join("c.yaml")).unwrap();
    banscan_in(d, &["policy", "verify", "."])
        .expect_code(1)
        .expect_contains("changed: tw/a.yaml")
        .expect_contains("added:   d.yaml")
        .expect_contains("removed: c.yaml")
        .expect_lacks("b.yaml");
}

/// A product document of its own, for a file that lints clean.
fn product(id: &str) -> String {
    format!("product: {id}-chat\nname: {id}\nidentifiers: {{ endpoints: [{id}.example] }}\n")
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
        .expect_contains("TITLE");
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

/// One lint run reports every error: a policy with an impossible date and
/// an unknown product gets both, not the second only once the first is
/// fixed (issue 6).
#[test]
fn lint_reports_document_and_cross_file_errors_in_one_run() {
    banscan(&[
        "policy",
        "lint",
        "--no-builtin",
        "tests/fixtures/rule-sets/two-errors.yaml",
    ])
    .expect_code(2)
    .expect_contains("banscan::policy::bad_date")
    .expect_contains("[tests/fixtures/rule-sets/two-errors.yaml:17:")
    .expect_contains("banscan::policy::unknown_product")
    .expect_contains("[tests/fixtures/rule-sets/two-errors.yaml:29:")
    .expect_contains("did you mean `demo-chat`?")
    .expect_contains("banscan: 2 errors");
}

/// Linting a profile loads its `policies:` relative to the profile: a
/// waiver naming a local policy is fine, and a folder that is not there is
/// an error at its entry, not a surprise at scan time (issue 6).
#[test]
fn lint_loads_the_profiles_policy_sets() {
    banscan(&[
        "policy",
        "lint",
        "tests/fixtures/rule-sets/local/banscan.yaml",
    ])
    .expect_code(0)
    .expect_contains("and 1 profile");
    banscan(&[
        "policy",
        "lint",
        "policies/",
        "tests/fixtures/rule-sets/local/banscan.yaml",
    ])
    .expect_code(0);
    banscan(&[
        "policy",
        "lint",
        "policies/",
        "tests/fixtures/rule-sets/missing/banscan.yaml",
    ])
    .expect_code(2)
    .expect_contains("tests/fixtures/rule-sets/missing/no-such-folder")
    .expect_contains("[tests/fixtures/rule-sets/missing/banscan.yaml:7:")
    .expect_contains("banscan: 1 error");
}

/// `list` and `show` load what the profile names, found as `scan` finds
/// it (from the working folder) or given with `--profile`.
#[test]
fn list_and_show_follow_the_profile() {
    let local = crate::common::root().join("tests/fixtures/rule-sets/local");
    banscan_in(&local, &["policy", "show", "xx-local-2025-chat"])
        .expect_code(0)
        .expect_contains("Demo Act");
    banscan_in(
        &local,
        &["policy", "show", "--no-profile", "xx-local-2025-chat"],
    )
    .expect_code(2);
    banscan(&[
        "policy",
        "list",
        "--profile",
        "tests/fixtures/rule-sets/local/banscan.yaml",
        "--no-builtin",
    ])
    .expect_code(0)
    .expect_contains("xx-local-2025-chat")
    .expect_contains("1 policy\n")
    .expect_lacks("tw-ey-2025-deepseek");
}

/// A user policy without examples is usable in a scan, which warns in its
/// notices; lint and test still refuse it (issue 6).
#[test]
fn user_policy_without_examples_scans_with_a_notice() {
    let policy = "tests/fixtures/rule-sets/no-examples/quick.yaml";
    let run = banscan(&[
        "scan",
        "tests/fixtures/rule-sets/no-examples/network",
        "--no-profile",
        "--no-builtin",
        "--policies",
        policy,
        "--format",
        "json",
    ]);
    run.expect_code(1);
    let report = run.json();
    let notices = report["notices"].as_array().unwrap();
    assert!(
        notices
            .iter()
            .any(|n| n["code"] == "banscan::policy::no_examples_warning"
                && n["message"]
                    .as_str()
                    .unwrap()
                    .contains("xx-quick-2025-chat")),
        "{notices:?}"
    );
    assert_eq!(report["findings"].as_array().unwrap().len(), 1);
    banscan(&["policy", "lint", "--no-builtin", policy])
        .expect_code(2)
        .expect_contains("banscan::policy::no_examples");
    banscan(&["policy", "test", "--no-builtin", policy])
        .expect_code(2)
        .expect_contains("banscan::policy::no_examples");
}

/// The built-in library stays strict: a built-in policy without examples is
/// refused even by a scan, and the scan of a tested library has no such
/// notice.
#[test]
fn builtin_policies_need_examples() {
    let run = banscan(&[
        "scan",
        "examples/network",
        "--no-profile",
        "--format",
        "json",
    ]);
    let report = run.json();
    assert!(
        !report["notices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["code"] == "banscan::policy::no_examples_warning"),
        "{report}"
    );
}

/// Copies the pinned fixture (profile, vendored rule set and lockfile, and
/// an endpoint list) into a temporary folder that a test may change.
fn pinned_copy() -> tempfile::TempDir {
    let from = crate::common::root().join("tests/fixtures/rule-sets/pinned");
    let dir = tempfile::tempdir().unwrap();
    for file in [
        "banscan.yaml",
        "vendor/demo-rules/chat.yaml",
        "vendor/demo-rules/policies.lock",
        "network/egress.list",
    ] {
        let to = dir.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from.join(file), to).unwrap();
    }
    dir
}

/// A pinned rule set is used as reviewed: with the right pin it scans; a
/// changed file, or a lockfile that is not the pinned one, is refused at
/// the profile's entry (issue 6).
#[test]
fn pinned_rule_set_is_refused_when_changed() {
    let dir = pinned_copy();
    let d = dir.path();
    banscan_in(d, &["scan", "network"])
        .expect_code(1)
        .expect_contains("xx-vendor-2025-chat");
    banscan_in(d, &["policy", "lint", "banscan.yaml"]).expect_code(0);

    let chat = d.join("vendor/demo-rules/chat.yaml");
    let text = std::fs::read_to_string(&chat).unwrap();
    std::fs::write(&chat, text.replace("severity: ban", "severity: advisory")).unwrap();
    for args in [
        &["scan", "network"][..],
        &["policy", "lint", "banscan.yaml"],
    ] {
        banscan_in(d, args)
            .expect_code(2)
            .expect_contains("banscan::policy::pin_mismatch")
            .expect_contains("changed: chat.yaml")
            .expect_contains("[banscan.yaml:8:");
    }

    // Locking the change again gives a new digest, which the old pin refuses.
    let locked = banscan_in(d, &["policy", "lock", "vendor/demo-rules"]);
    locked.expect_code(0);
    let pin = locked
        .stdout
        .split('"')
        .find(|s| s.starts_with("sha256:"))
        .unwrap()
        .to_string();
    banscan_in(d, &["scan", "network"])
        .expect_code(2)
        .expect_contains("but the profile pins sha256:")
        .expect_contains(&format!("then pin {pin}"));

    // Updating the pin is the one reviewed change that accepts it.
    let profile = d.join("banscan.yaml");
    let text = std::fs::read_to_string(&profile).unwrap();
    let old = text.split('"').find(|s| s.starts_with("sha256:")).unwrap();
    std::fs::write(&profile, text.replace(old, &pin)).unwrap();
    banscan_in(d, &["scan", "network", "--fail-on", "advisory"]).expect_code(1);
}

/// A pin that is not `sha256:` and 64 hex digits is a profile error.
#[test]
fn malformed_pin_is_a_profile_error() {
    let dir = pinned_copy();
    let profile = dir.path().join("banscan.yaml");
    let text = std::fs::read_to_string(&profile).unwrap();
    std::fs::write(&profile, text.replace("sha256:8a06", "sha1:8a06")).unwrap();
    banscan_in(dir.path(), &["policy", "lint", "banscan.yaml"])
        .expect_code(2)
        .expect_contains("banscan::policy::bad_sha256");
}

/// `policy list` shows titles; `--wide` adds the instrument and scope;
/// JSON carries them for tooling.
#[test]
fn list_shows_titles_wide_and_json() {
    banscan(&["policy", "list", "--jurisdiction", "IT"])
        .expect_code(0)
        .expect_contains("TITLE")
        .expect_contains("Urgent restriction of DeepSeek")
        .expect_lacks("INSTRUMENT");
    banscan(&["policy", "list", "--wide", "--jurisdiction", "IT"])
        .expect_code(0)
        .expect_contains("INSTRUMENT")
        .expect_contains("SCOPE")
        .expect_contains("GDPR urgent restriction order");
    let listed = banscan(&["policy", "list", "--format", "json", "--jurisdiction", "IT"]).json();
    let it = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "it-garante-2025-deepseek")
        .unwrap();
    assert!(it["title"].is_string() && it["instrument"].is_string() && it["scope"].is_string());
}
