//! Yarn lockfiles (issue 11): the fixtures under `tests/fixtures/yarn-lock/`
//! (made by Yarn 1.22, 2.4, 3.8, 4.0 and 4.18; see its README) scanned by
//! the real binary.

use serde_json::Value;

use crate::common::{finding_named, flagged_names, scan_builtin_json, scan_with_policy};

const CLASSIC: &str = "tests/fixtures/yarn-lock/classic/yarn.lock";
const BERRY: [&str; 4] = [
    "tests/fixtures/yarn-lock/berry-v4/yarn.lock",
    "tests/fixtures/yarn-lock/berry-v6/yarn.lock",
    "tests/fixtures/yarn-lock/berry-v8/yarn.lock",
    "tests/fixtures/yarn-lock/berry-v10/yarn.lock",
];

/// Bans `json-schema <0.5.0` (reached through `@ai-sdk/deepseek` and
/// `@ai-sdk/provider`), `is-number >=7.0.0` (the fixtures lock 6.0.0),
/// `secure-json-parser`, a near miss of the locked `secure-json-parse`,
/// and `string-width <4` (the alias `sw` locks 4.2.3).
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
    - purl: pkg:npm/string-width
      versions: "<4.0.0"
---
policy: xx-demo-2025-yarn
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

/// Bans `is-number` in every version: it comes only through the dev
/// dependency `is-odd`.
const DEV_POLICY: &str = r#"
product: demo-dev
name: Demo dev package
identifiers:
  packages:
    - purl: pkg:npm/is-number
---
policy: xx-demo-2025-yarn-dev
title: Demo ban on a dev package
authority: Demo Ministry
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Demo Act
sources: [{title: Demo notice, publisher: Demo Gazette, url: "https://example.org/notice"}]
binds: {sectors: [all]}
severity: ban
bans:
  - product: demo-dev
examples:
  violating: [{package: pkg:npm/is-number@6.0.0}]
  compliant: [{package: pkg:npm/is-odd@3.0.1}]
"#;

/// The built-in library flags `@ai-sdk/deepseek`, a direct dependency, at
/// the line and column of its entry key (inside the quotes), with
/// `item.direct` and its one-step path; classic and every berry version.
#[test]
fn banned_direct_dependency_at_its_line() {
    let cases = std::iter::once((CLASSIC, 5)).chain(BERRY.iter().map(|&p| (p, 8)));
    for (path, line) in cases {
        let (code, report) = scan_builtin_json(path);
        assert_eq!(code, 1, "{report:#}");
        assert_eq!(flagged_names(&report), ["@ai-sdk/deepseek"], "{report:#}");
        let f = finding_named(&report, "@ai-sdk/deepseek").unwrap();
        assert_eq!(f["location"]["path"], path);
        assert_eq!(f["location"]["line"], line, "{path}");
        assert_eq!(f["location"]["column"], 2, "{path}");
        assert_eq!(f["item"]["ecosystem"], "npm");
        assert_eq!(f["item"]["version"], "0.1.8");
        assert_eq!(f["item"]["direct"], true);
        assert_eq!(
            f["item"]["path"],
            serde_json::json!(["(root)", "@ai-sdk/deepseek"])
        );
        let input = &report["inputs"][0];
        assert_eq!(input["state"], "read");
        assert_eq!(input["format"], "yarn-lock");
        assert_eq!(input["items"], 22, "{path}");
    }
}

/// A banned package reached only through others is transitive, with the
/// shortest chain from the project, its version in the range; the near
/// miss, the version outside its range and the alias's real package at a
/// version outside its range are not flagged.
#[test]
fn banned_transitive_dependency_with_its_path() {
    for (path, line) in std::iter::once((CLASSIC, 95)).chain(BERRY.iter().map(|&p| (p, 135))) {
        let run = scan_with_policy(POLICY, &[path], "json");
        run.expect_code(1);
        let report = run.json();
        assert_eq!(
            flagged_names(&report),
            ["json-schema"],
            "{path}: {report:#}"
        );
        let f = finding_named(&report, "json-schema").unwrap();
        assert_eq!(f["location"]["line"], line, "{path}");
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
            ]),
            "{path}"
        );
        // The package.json beside the lock declares what brings it in.
        assert_eq!(f["declared"]["dependency"], "@ai-sdk/deepseek", "{path}");
        assert!(
            f["declared"]["location"]["path"]
                .as_str()
                .unwrap()
                .ends_with("/package.json"),
            "{path}"
        );
    }
}

/// The dev scope comes from the `package.json` beside the lock: a package
/// only the dev dependency `is-odd` brings is dev, with its path.
#[test]
fn dev_scope_from_the_manifest_beside() {
    for path in std::iter::once(CLASSIC).chain(BERRY) {
        let run = scan_with_policy(DEV_POLICY, &[path], "json");
        run.expect_code(1);
        let report = run.json();
        let f = finding_named(&report, "is-number").unwrap();
        assert_eq!(f["item"]["scope"], "dev", "{path}: {f:#}");
        assert_eq!(f["item"]["direct"], false);
        assert_eq!(
            f["item"]["path"],
            serde_json::json!(["(root)", "is-odd", "is-number"])
        );
    }
}

/// A classic lock with no `package.json` beside it is still read and
/// flagged, but says nothing of `direct` or paths.
#[test]
fn classic_without_manifest_flags_without_direct() {
    let (code, report) = scan_builtin_json("tests/fixtures/yarn-lock/classic-alone/yarn.lock");
    assert_eq!(code, 1, "{report:#}");
    let f = finding_named(&report, "@ai-sdk/deepseek").unwrap();
    assert_eq!(f["location"]["line"], 5);
    assert!(f["item"].get("direct").is_none_or(Value::is_null), "{f:#}");
}

/// A lockfile cut short is unread evidence: exit 2, naming its line, and
/// the other inputs are still scanned (their findings reported).
#[test]
fn malformed_lockfiles_exit_2_naming_the_line() {
    for (case, line, message) in [
        ("classic-truncated", 46, "not a valid yarn.lock"),
        ("berry-truncated", 66, "not a valid yarn.lock"),
        (
            "unknown-version",
            5,
            "unknown yarn.lock `__metadata.version` 99",
        ),
    ] {
        let path = format!("tests/fixtures/yarn-lock/{case}/yarn.lock");
        scan_with_policy(POLICY, &[&path], "human")
            .expect_code(2)
            .expect_contains(&format!("{path}:{line}:"))
            .expect_contains(message);
        let run = scan_with_policy(POLICY, &[&path, CLASSIC], "json");
        run.expect_code(2);
        let report = run.json();
        let input = &report["inputs"][0];
        assert_eq!(input["state"], "unread", "{report:#}");
        assert_eq!(input["format"], "yarn-lock");
        assert_eq!(input["problems"][0]["line"], line, "{case}");
        assert_eq!(report["inputs"][1]["state"], "read");
        assert_eq!(flagged_names(&report), ["json-schema"], "{case}");
    }
}

/// An empty lockfile is read, with a warning, and flags nothing.
#[test]
fn empty_lockfile_is_read_with_a_warning() {
    let path = "tests/fixtures/yarn-lock/empty/yarn.lock";
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
