//! SBOMs (issue 11): CycloneDX JSON and SPDX 2.3 JSON fixtures under
//! `tests/fixtures/cyclonedx/` and `tests/fixtures/spdx/` (see their
//! READMEs) scanned by the real binary.

use serde_json::Value;

use crate::common::{flagged_packages, scan_json_as_of};

const AS_OF: &str = "2025-06-01";
const CDX_REQUIREMENTS: &str = "tests/fixtures/cyclonedx/requirements/bom.json";
const CDX_ENVIRONMENT: &str = "tests/fixtures/cyclonedx/environment/bom.json";
const SPDX_APP: &str = "tests/fixtures/spdx/app/app.spdx.json";

/// A test policy banning `urllib3` below 2.5 (the environment SBOM has
/// 2.8.0, the SPDX one 2.2.3) and `requests-toolbelt` (a near miss of
/// `requests`).
const POLICY: &str = r#"
policy: xx-demo-sbom
title: Demo ban on two PyPI packages
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
      packages:
        - purl: pkg:pypi/urllib3
          versions: "<2.5.0"
        - purl: pkg:pypi/requests-toolbelt
examples:
  violating:
    - package: pkg:pypi/urllib3@2.2.3
    - package: pkg:pypi/requests-toolbelt@1.0.0
  compliant:
    - package: pkg:pypi/urllib3@2.8.0
    - package: pkg:pypi/requests@2.32.3
"#;

fn scan_json(args: &[&str]) -> (i32, Value) {
    scan_json_as_of(AS_OF, args)
}

fn with_policy(file: &str) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("sbom.yaml");
    std::fs::write(&policy, POLICY).unwrap();
    scan_json(&[file, "--no-builtin", "--policies", policy.to_str().unwrap()])
}

fn flagged(report: &Value) -> Vec<(String, String, u64, u64)> {
    flagged_packages(report)
}

/// The built-in library flags `langchain-deepseek` in a CycloneDX BOM
/// made by `cyclonedx-py requirements`, at its purl's line; `requests`
/// is not flagged. The file has no dependency graph: `direct` is unknown.
#[test]
fn cyclonedx_banned_package_at_its_purl() {
    let (code, report) = scan_json(&[CDX_REQUIREMENTS]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "cyclonedx");
    assert_eq!(report["inputs"][0]["state"], "read");
    assert_eq!(
        flagged(&report),
        [("langchain-deepseek".into(), "0.1.3".into(), 14, 16)]
    );
}

/// With `dependencies` (`cyclonedx-py environment`), the banned package
/// is direct with a one-step path.
#[test]
fn cyclonedx_direct_with_its_path() {
    let (code, report) = scan_json(&[CDX_ENVIRONMENT]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        flagged(&report),
        [("langchain-deepseek".into(), "0.1.3".into(), 137, 16)]
    );
    let item = &report["findings"][0]["item"];
    assert_eq!(item["direct"], true);
    assert_eq!(item["ecosystem"], "pypi");
    assert_eq!(
        item["path"],
        serde_json::json!(["chat-app", "langchain-deepseek"])
    );
}

/// A version outside the banned range (`urllib3` 2.8.0) and a near miss
/// by name (`requests`, not `requests-toolbelt`) are not flagged.
#[test]
fn cyclonedx_outside_the_range_and_near_miss_not_flagged() {
    let (code, report) = with_policy(CDX_ENVIRONMENT);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(flagged(&report), []);
}

/// SPDX 2.3 JSON: the built-in library flags `langchain-deepseek`
/// (`PACKAGE-MANAGER` spelling) at its purl's line, direct.
#[test]
fn spdx_banned_package_at_its_purl() {
    let (code, report) = scan_json(&[SPDX_APP]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "spdx");
    assert_eq!(
        flagged(&report),
        [("langchain-deepseek".into(), "0.1.3".into(), 22, 96)]
    );
    assert_eq!(report["findings"][0]["item"]["direct"], true);
}

/// A transitive package (`urllib3` 2.2.3, `PACKAGE_MANAGER` spelling,
/// through a `DEPENDENCY_OF` relationship) is flagged with its chain;
/// `requests` is a near miss of `requests-toolbelt`, not flagged.
#[test]
fn spdx_transitive_with_its_path() {
    let (_, report) = with_policy(SPDX_APP);
    assert_eq!(
        flagged(&report),
        [("urllib3".into(), "2.2.3".into(), 40, 96)]
    );
    let item = &report["findings"][0]["item"];
    assert_eq!(item["direct"], false);
    assert_eq!(
        item["path"],
        serde_json::json!(["chat-app", "requests", "urllib3"])
    );
}

/// Truncated SBOMs are unread evidence: exit 2, at the line where the
/// JSON stops.
#[test]
fn truncated_sboms_exit_2_naming_the_line() {
    for (file, line) in [
        ("tests/fixtures/cyclonedx/truncated/bom.json", 124),
        ("tests/fixtures/spdx/truncated/app.spdx.json", 31),
    ] {
        let (code, report) = scan_json(&[file]);
        assert_eq!(code, 2, "{report:#}");
        let input = &report["inputs"][0];
        assert_eq!(input["state"], "unread", "{input:#}");
        assert_eq!(input["problems"][0]["line"], line, "{input:#}");
        let message = input["problems"][0]["message"].as_str().unwrap();
        assert!(message.contains("truncated"), "{message}");
    }
}
