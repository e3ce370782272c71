//! Microsoft Defender's software inventory API pages (issue 12): a page of
//! `GET /api/machines/SoftwareInventoryByMachine` saved to a file is read
//! like the JSON-lines export, each record at its line. Fixtures:
//! `tests/fixtures/defender/README.md`.

use crate::common::scan_with_policy;

/// Bans DeepSeek by its app name (Defender writes it `deepseek`).
const POLICY: &str = r#"
policy: xx-demo-deepseek
title: Demo ban on DeepSeek
authority: Demo Authority
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Demo Act
sources: [{title: Demo notice, publisher: Demo Gazette}]
binds: {sectors: [all]}
severity: ban
bans:
  - identifiers:
      apps:
        - name: DeepSeek
"#;

/// A saved page: detected by its name, the banned record found at its
/// `softwareName` line with its device, the near miss not; the next page
/// named by `@odata.nextLink` is a warning, not a failure.
#[test]
fn saved_page_is_read() {
    let run = scan_with_policy(
        POLICY,
        &["tests/fixtures/defender/SoftwareInventoryByMachine-page-1.json"],
        "json",
    );
    run.expect_code(1);
    let report = run.json();
    let input = &report["inputs"][0];
    assert_eq!(input["format"], "defender-api-page");
    assert_eq!(input["items"], 3);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(f["item"]["name"], "deepseek");
    assert_eq!(f["item"]["device"], "laptop-ann.contoso.local");
    assert_eq!(f["item"]["publisher"], "hangzhou_deepseek");
    assert_eq!(f["location"]["line"], 33);
    assert_eq!(f["location"]["column"], 24);
    assert!(
        input["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`@odata.nextLink`"),
        "{input}"
    );
}

/// The same page under a name that says nothing is found by its content.
#[test]
fn page_found_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("response.json");
    std::fs::copy(
        crate::common::root()
            .join("tests/fixtures/defender/SoftwareInventoryByMachine-page-1.json"),
        &copy,
    )
    .unwrap();
    let run = scan_with_policy(POLICY, &[dir.path().to_str().unwrap()], "json");
    run.expect_code(1);
    assert_eq!(run.json()["inputs"][0]["format"], "defender-api-page");
}

/// A page cut off mid-record is unread evidence: exit 2, at its line.
#[test]
fn cut_off_page_is_exit_2_at_its_line() {
    let run = scan_with_policy(
        POLICY,
        &["tests/fixtures/defender/SoftwareInventoryByMachine-cut-off.json"],
        "json",
    );
    run.expect_code(2);
    let report = run.json();
    let problem = &report["inputs"][0]["problems"][0];
    assert_eq!(problem["line"], 45, "{problem}");
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("ends in the middle"),
        "{problem}"
    );
    scan_with_policy(
        POLICY,
        &["tests/fixtures/defender/SoftwareInventoryByMachine-cut-off.json"],
        "human",
    )
    .expect_code(2)
    .expect_contains("SoftwareInventoryByMachine-cut-off.json:45:");
}
