//! Endpoint literals in source and configuration files (issue 13): a
//! Python service's code, `.env` and YAML config scanned with the
//! network-log test policy; each call of a banned service is a finding on
//! its own line, as a linter reports it. Fixtures:
//! `tests/fixtures/source-code/README.md`.

use serde_json::Value;

use crate::common::{DEEPSEEK_ENDPOINTS, scan_with_policy};

const TREE: &str = "tests/fixtures/source-code/chat-service";

/// (file, host, line, column) of each finding, in report order.
fn found(report: &Value) -> Vec<(String, String, u64, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = f["location"]["path"].as_str().unwrap();
            (
                path.rsplit('/').next().unwrap().to_string(),
                f["item"]["host"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
                f["location"]["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn row(file: &str, host: &str, line: u64, column: u64) -> (String, String, u64, u64) {
    (file.into(), host.into(), line, column)
}

/// `api.deepseek.com` in a Python string and in a `.env` value, and
/// `status.deepseek.com` on another line, each a finding at its line and
/// column; `notdeepseek.com` and `deepseek.com.example.net` are not; a
/// gitignored file is not read; every file is read as `source-code`.
#[test]
fn endpoint_literals_in_a_source_tree() {
    let run = scan_with_policy(DEEPSEEK_ENDPOINTS, &[TREE], "json");
    run.expect_code(1);
    let report = run.json();
    let mut got = found(&report);
    got.sort();
    assert_eq!(
        got,
        [
            row(".env", "api.deepseek.com", 1, 22),
            row("client.py", "api.deepseek.com", 7, 52),
            row("client.py", "status.deepseek.com", 16, 21),
        ]
    );
    let inputs = report["inputs"].as_array().unwrap();
    let state = |file: &str| {
        inputs
            .iter()
            .find(|i| i["path"].as_str().unwrap().ends_with(file))
            .map(|i| {
                (
                    i["state"].as_str().unwrap().to_string(),
                    i["format"].clone(),
                )
            })
    };
    for file in ["client.py", ".env", "settings.yaml"] {
        assert_eq!(
            state(file),
            Some(("read".to_string(), "source-code".into())),
            "{file}"
        );
    }
    assert_ne!(state("scratch.py").map(|s| s.0), Some("read".to_string()));
}

/// The same host on two lines is two findings, not one folded: a linter's
/// view of a code base.
#[test]
fn each_line_is_a_finding_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("calls.js"),
        "const a = fetch('https://api.deepseek.com/v1/chat');\n\
         // retry\n\
         const b = fetch('https://api.deepseek.com/v1/chat');\n",
    )
    .unwrap();
    let run = scan_with_policy(DEEPSEEK_ENDPOINTS, &[dir.path().to_str().unwrap()], "json");
    run.expect_code(1);
    let lines: Vec<u64> = found(&run.json()).iter().map(|f| f.2).collect();
    assert_eq!(lines, [1, 3]);
}

/// A `.json` whose content is an SBOM is still read as one: source code
/// takes only what no other format claims.
#[test]
fn formats_with_a_shape_come_first() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("out.json"),
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [{"type": "library", "name": "left-pad", "version": "1.3.0", "purl": "pkg:npm/left-pad@1.3.0"}]}"#,
    )
    .unwrap();
    let run = scan_with_policy(DEEPSEEK_ENDPOINTS, &[dir.path().to_str().unwrap()], "json");
    run.expect_code(0);
    assert_eq!(run.json()["inputs"][0]["format"], "cyclonedx");
}

/// A file read for its endpoints is still searched for the other
/// identifiers, as a file not read is: a banned package named in a CI
/// workflow makes it unread evidence (exit 2) at its line, and the
/// endpoint on another line is still a finding.
#[test]
fn other_identifiers_in_source_are_caught() {
    let policy = DEEPSEEK_ENDPOINTS.replace(
        "  endpoints:\n",
        "  packages:\n    - purl: pkg:pypi/demo-deepseek-sdk\n  endpoints:\n",
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ci.yml"),
        "jobs:\n  test:\n    steps:\n      - run: pip install demo-deepseek-sdk==1.0\n      - run: curl https://api.deepseek.com/health\n",
    )
    .unwrap();
    let run = scan_with_policy(&policy, &[dir.path().to_str().unwrap()], "json");
    run.expect_code(2);
    let report = run.json();
    let entry = &report["inputs"][0];
    assert_eq!(entry["format"], "source-code");
    assert_eq!(entry["state"], "unread");
    assert_eq!(entry["caught"]["line"], 4);
    assert!(
        entry["caught"]["identifier"]
            .as_str()
            .unwrap()
            .contains("demo-deepseek-sdk")
    );
    assert_eq!(found(&report), [row("ci.yml", "api.deepseek.com", 5, 27)]);
}
