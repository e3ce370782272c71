//! pnpm lockfiles (issue 11): the fixtures under `tests/fixtures/pnpm-lock/`
//! (made by pnpm 9, 8 and 7; see its README) scanned by the real binary.

use crate::common::{finding_named, flagged_names, scan_builtin_json, scan_with_policy};

const V9: &str = "tests/fixtures/pnpm-lock/v9/pnpm-lock.yaml";
const V6: &str = "tests/fixtures/pnpm-lock/v6/pnpm-lock.yaml";
const V5: &str = "tests/fixtures/pnpm-lock/v5/pnpm-lock.yaml";

/// Bans `json-schema <0.5.0` (reached through `@ai-sdk/deepseek` and
/// `@ai-sdk/provider`), `is-number >=7.0.0` (the fixture locks 6.0.0) and
/// `secure-json-parser`, a near miss of the locked `secure-json-parse`.
const POLICY: &str = r#"
product: demo-npm
name: Demo npm packages
identifiers:
  packages:
    - purl: pkg:npm/json-schema
      versions: "<0.5.0"
    - purl: pkg:npm/is-number
      versions: ">=7.0.0"
    - purl: pkg:npm/secure-json-parser
---
policy: xx-demo-2025-pnpm
title: Demo ban on some npm packages
authority: Demo Ministry
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Demo Act
sources: [{title: Demo notice, publisher: Demo Gazette, url: "https://example.org/notice"}]
binds: {sectors: [all]}
severity: ban
bans:
  - product: demo-npm
examples:
  violating: [{package: pkg:npm/json-schema@0.4.0}]
  compliant: [{package: pkg:npm/secure-json-parse@2.7.0}]
"#;

/// The built-in library flags `@ai-sdk/deepseek`, a direct dependency, at
/// the line and column of its `packages` key, with `item.direct` and its
/// one-step path; in each lockfile version.
#[test]
fn banned_direct_dependency_at_its_line() {
    for (path, line, column) in [(V9, 24, 4), (V6, 22, 3), (V5, 17, 3)] {
        let (code, report) = scan_builtin_json(path);
        assert_eq!(code, 1, "{report:#}");
        assert_eq!(flagged_names(&report), ["@ai-sdk/deepseek"], "{report:#}");
        let f = finding_named(&report, "@ai-sdk/deepseek").unwrap();
        assert_eq!(f["location"]["path"], path);
        assert_eq!(f["location"]["line"], line, "{path}");
        assert_eq!(f["location"]["column"], column, "{path}");
        assert_eq!(f["item"]["ecosystem"], "npm");
        assert_eq!(f["item"]["version"], "0.1.8");
        assert_eq!(f["item"]["direct"], true);
        assert_eq!(
            f["item"]["path"],
            serde_json::json!(["(root)", "@ai-sdk/deepseek"])
        );
        let input = &report["inputs"][0];
        assert_eq!(input["state"], "read");
        assert_eq!(input["format"], "pnpm-lock");
    }
}

/// A banned package reached only through others is transitive, with the
/// shortest chain from the project, its version in the range; the near
/// miss and the version outside its range are not flagged.
#[test]
fn banned_transitive_dependency_with_its_path() {
    let run = scan_with_policy(POLICY, &[V9], "json");
    run.expect_code(1);
    let report = run.json();
    assert_eq!(flagged_names(&report), ["json-schema"], "{report:#}");
    let f = finding_named(&report, "json-schema").unwrap();
    assert_eq!(f["location"]["line"], 72);
    assert_eq!(f["identifier"], "pkg:npm/json-schema <0.5.0");
    assert_eq!(f["item"]["version"], "0.4.0");
    assert_eq!(f["item"]["direct"], false);
    assert_eq!(
        f["item"]["path"],
        serde_json::json!([
            "(root)",
            "@ai-sdk/deepseek",
            "@ai-sdk/provider",
            "json-schema"
        ])
    );
}

/// A lockfile cut short is unread evidence: exit 2, naming its line.
#[test]
fn truncated_lockfile_exits_2_naming_the_line() {
    let path = "tests/fixtures/pnpm-lock/truncated/pnpm-lock.yaml";
    scan_with_policy(POLICY, &[path], "human")
        .expect_code(2)
        .expect_contains(&format!("{path}:50:"))
        .expect_contains("not a valid pnpm lockfile");
    let run = scan_with_policy(POLICY, &[path], "json");
    run.expect_code(2);
    let report = run.json();
    let input = &report["inputs"][0];
    assert_eq!(input["state"], "unread", "{report:#}");
    assert_eq!(input["format"], "pnpm-lock");
    assert_eq!(input["problems"][0]["line"], 50);
}

/// An empty lockfile is read, with a warning, and flags nothing (with no
/// other input, nothing was checked: exit 2, as for any empty lockfile).
#[test]
fn empty_lockfile_is_read_with_a_warning() {
    let path = "tests/fixtures/pnpm-lock/empty/pnpm-lock.yaml";
    let run = scan_with_policy(POLICY, &[path], "json");
    let report = run.json();
    let input = &report["inputs"][0];
    assert_eq!(input["state"], "read", "{report:#}");
    assert_eq!(input["items"], 0);
    assert_eq!(
        input["warnings"][0]["message"],
        "the lockfile is empty: it lists no packages"
    );
    assert_eq!(report["findings"], serde_json::json!([]));
}
