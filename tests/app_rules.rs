//! App rules' `versions:` (loose versions as inventories write them) and
//! `extension_id:` (browser extensions, never bundle ids), issue 12: the
//! fixtures under `tests/fixtures/app-rules/` (see their README).

use serde_json::Value;

use crate::common::{banscan, scan_with_policy};

const POLICY: &str = "tests/fixtures/app-rules/demo-chat-versions.policy.yaml";
const CSV: &str = "tests/fixtures/app-rules/intune-demo-chat-versions.csv";
const EXTENSIONS: &str = "tests/fixtures/app-rules/browser-extensions.osquery.json";

/// Each finding as (name, version, extension id, line).
fn found(report: &Value) -> Vec<(String, String, String, u64)> {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let item = &f["item"];
            (
                s(&item["name"]),
                s(&item["version"]),
                s(&item["extension_id"]),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn scan(paths: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "scan",
        "--no-builtin",
        "--no-profile",
        "--policies",
        POLICY,
        "--as-of",
        "2026-01-01",
        "--format",
        "json",
    ];
    args.extend_from_slice(paths);
    let run = banscan(&args);
    (run.code, run.json())
}

/// Demo Chat at 4.1.6.0 and 3.9.12 is outside `>= 4.0, < 4.1.6`; at
/// 4.1.5.16 (line 3) it is the one finding, and the rule shows its range.
#[test]
fn app_versions_inside_the_range_are_found() {
    let (code, report) = scan(&[CSV]);
    assert_eq!(code, 1);
    assert_eq!(
        found(&report),
        [("Demo Chat".into(), "4.1.5.16".into(), String::new(), 3)]
    );
    let rule = report["findings"][0]["identifier"].to_string();
    assert!(rule.contains(">= 4.0, < 4.1.6"), "{rule}");
}

/// A bad app range is exit 2 with the diagnostic at the range's line.
#[test]
fn bad_app_version_range_points_at_its_line() {
    let path = "tests/fixtures/bad-policies/bad-app-version-range.yaml";
    banscan(&["policy", "lint", "--no-builtin", path])
        .expect_code(2)
        .expect_contains("banscan::policy::bad_version_range")
        .expect_contains(&format!("[{path}:7:"))
        .expect_contains("not an app version range")
        .expect_contains("help: write an app version range such as `>= 4.0, < 4.1.6`");
}

/// The policy's examples hold: inside the range and by extension id
/// violating; 4.1.6.0, 4.15.16 and a bundle id equal to the extension id
/// compliant.
#[test]
fn app_rule_examples_pass() {
    banscan(&["policy", "test", "--no-builtin", POLICY])
        .expect_code(0)
        .expect_contains("5 passed, 0 failed");
}

/// A Chrome extension is found by its extension id, whatever its case,
/// and reported with it (no bundle id); the human output calls it a
/// browser extension.
#[test]
fn chrome_extension_by_extension_id() {
    let (code, report) = scan(&[EXTENSIONS]);
    assert_eq!(code, 1);
    assert_eq!(
        found(&report),
        [(
            "Demo Chat Sidebar".into(),
            "0.9.1".into(),
            "ddddeeeemmmmooooccccaaaahhhhaaaa".into(),
            3
        )]
    );
    assert!(report["findings"][0]["item"].get("bundle_id").is_none());
    banscan(&[
        "scan",
        "--no-builtin",
        "--no-profile",
        "--policies",
        POLICY,
        "--as-of",
        "2026-01-01",
        EXTENSIONS,
    ])
    .expect_code(1)
    .expect_contains(
        "browser extension \"Demo Chat Sidebar\" (extension id ddddeeeemmmmooooccccaaaahhhhaaaa)",
    );
}

const EXTENSION_POLICY: &str = r#"
policy: xx-demo-extensions
title: Demo ban on browser extensions
authority: Demo Authority
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Demo Act
sources: [{title: Demo notice, publisher: Demo Gazette, url: "https://example.org/notice"}]
binds: {sectors: [all]}
severity: ban
bans:
  - identifiers:
      apps:
        - extension_id: demo-chat@demo-labs.example
        - extension_id: com.demo-labs.chat.safari-extension
        - bundle_id: ddddeeeemmmmooooccccaaaahhhhaaaa
"#;

/// Firefox add-ons and Safari extensions are read with their
/// `identifier` as extension id; a `bundle_id:` rule with the Chrome
/// extension's id does not match the extension.
#[test]
fn firefox_and_safari_extensions_not_bundle_ids() {
    let run = scan_with_policy(EXTENSION_POLICY, &[EXTENSIONS], "json");
    run.expect_code(1);
    let report = run.json();
    assert_eq!(
        found(&report),
        [
            (
                "Demo Chat for Firefox".into(),
                "1.4".into(),
                "demo-chat@demo-labs.example".into(),
                6
            ),
            (
                "Demo Chat for Safari".into(),
                "2.3".into(),
                "com.demo-labs.chat.safari-extension".into(),
                9
            ),
        ]
    );
    assert_eq!(report["findings"][1]["item"]["platform"], "macos");
}
