//! uv.lock and poetry.lock end to end, on locks the real tools wrote
//! (`tests/fixtures/uv-lock/README.md`, `tests/fixtures/poetry-lock/README.md`):
//! banned packages at their name's line with `item.direct` and
//! `item.path`, look-alikes and versions outside a range not flagged, a
//! broken lock failing the scan at its line.

use serde_json::Value;

use crate::common::{banscan, root};

/// After the Taiwanese ban on PRC generative AI (2025-11-20), so the
/// built-in DeepSeek and Tencent Yuanbao bans apply.
const AS_OF: &str = "2026-01-01";

/// A test policy banning real transitive packages of the fixtures, within
/// a range, beside look-alikes and ranges the locked versions miss.
const TEST_POLICY: &str = r#"
policy: xx-test-python-locks
title: Test ban on transitive packages of the Python lock fixtures
authority: Test Authority
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Test Act
sources: [{title: Test notice, publisher: Test Gazette, url: "https://example.org/notice"}]
binds: {sectors: [all]}
severity: ban
bans:
  - identifiers:
      packages:
        # uv fixture: app > langchain-deepseek > langchain-openai 1.8.1
        - purl: pkg:pypi/langchain-openai
          versions: ">=1.0,<2"
        # poetry fixtures: app > hunyuan > tencentcloud-sdk-python-common 3.1.195
        - purl: pkg:pypi/tencentcloud-sdk-python-common
          versions: ">=3.1,<4"
        # look-alikes of jsonpatch and of the Tencent common SDK
        - purl: pkg:pypi/json-patch
        - purl: pkg:pypi/tencentcloud-sdk-python-commons
        # locked: orjson 3.13.0, requests 2.34.2
        - purl: pkg:pypi/orjson
          versions: "<3.0"
        - purl: pkg:pypi/requests
          versions: "<2.0"
examples:
  violating: [{package: pkg:pypi/langchain-openai@1.8.1}]
  compliant: [{package: pkg:pypi/orjson@3.13.0}]
"#;

fn scan(lock: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "scan",
        lock,
        "--no-profile",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let run = banscan(&args);
    run.expect_code(1);
    run.json()
}

/// Scans with the test policy too (written to a temporary folder).
fn scan_with_test_policy(lock: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("test.yaml"), TEST_POLICY).unwrap();
    let policies = dir.path().to_str().unwrap().to_string();
    let lock = root().join(lock);
    scan(lock.to_str().unwrap(), &["--policies", &policies])
}

/// The findings of one policy.
fn of<'r>(report: &'r Value, policy: &str) -> Vec<&'r Value> {
    report["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .filter(|f| f["policy"] == policy)
        .collect()
}

fn names(findings: &[&Value]) -> Vec<String> {
    let mut v: Vec<String> = findings
        .iter()
        .map(|f| f["item"]["name"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// uv.lock: `langchain-deepseek`, a direct dependency, is flagged by the
/// built-in DeepSeek bans at its `name = "…"` line, with `item.direct`.
#[test]
fn uv_lock_banned_direct_dependency() {
    let report = scan("tests/fixtures/uv-lock/app/uv.lock", &[]);
    assert_eq!(report["inputs"][0]["format"], "uv-lock");
    assert_eq!(report["inputs"][0]["state"], "read");
    let f = of(&report, "tw-moda-2025-deepseek");
    assert_eq!(f.len(), 1, "{report:#}");
    assert_eq!(f[0]["item"]["name"], "langchain-deepseek");
    assert_eq!(f[0]["item"]["version"], "1.1.1");
    assert_eq!(f[0]["item"]["direct"], true);
    assert_eq!(
        f[0]["item"]["path"],
        serde_json::json!(["app", "langchain-deepseek"])
    );
    assert_eq!(f[0]["location"]["line"], 257);
    assert_eq!(f[0]["location"]["column"], 9);
}

/// uv.lock: a banned transitive package in its range is flagged with its
/// path from the project; a look-alike and a version outside the range
/// are not.
#[test]
fn uv_lock_banned_transitive_dependency_with_its_path() {
    let report = scan_with_test_policy("tests/fixtures/uv-lock/app/uv.lock");
    let f = of(&report, "xx-test-python-locks");
    assert_eq!(names(&f), ["langchain-openai"], "{report:#}");
    let item = &f[0]["item"];
    assert_eq!(item["direct"], false);
    assert_eq!(
        item["path"],
        serde_json::json!(["app", "langchain-deepseek", "langchain-openai"])
    );
    assert_eq!(f[0]["location"]["line"], 270);
    // The pyproject.toml beside uv.lock declares what brings it in.
    let declared = &f[0]["declared"];
    assert_eq!(declared["dependency"], "langchain-deepseek");
    assert_eq!(
        declared["location"],
        serde_json::json!({"path": "tests/fixtures/uv-lock/app/pyproject.toml", "line": 5, "column": 18})
    );
}

/// poetry.lock (2.1 and 2.0): the direct `tencentcloud-sdk-python-hunyuan`
/// is flagged by the built-in Tencent Yuanbao ban at its line, direct
/// because the pyproject.toml beside the lock says so.
#[test]
fn poetry_lock_banned_direct_dependency() {
    for (lock, line) in [("v2.1", 338), ("v2.0", 326)] {
        let path = format!("tests/fixtures/poetry-lock/{lock}/poetry.lock");
        let report = scan(&path, &[]);
        assert_eq!(report["inputs"][0]["format"], "poetry-lock");
        let f = of(&report, "tw-moda-2025-prc-genai");
        assert_eq!(f.len(), 1, "{lock}: {report:#}");
        assert_eq!(f[0]["item"]["name"], "tencentcloud-sdk-python-hunyuan");
        assert_eq!(f[0]["item"]["direct"], true, "{lock}");
        assert_eq!(f[0]["location"]["line"], line, "{lock}");
    }
}

/// poetry.lock: the transitive Tencent common SDK is flagged with its
/// path; its look-alike and `requests` outside the range are not.
#[test]
fn poetry_lock_banned_transitive_dependency_with_its_path() {
    let report = scan_with_test_policy("tests/fixtures/poetry-lock/v2.1/poetry.lock");
    let f = of(&report, "xx-test-python-locks");
    assert_eq!(names(&f), ["tencentcloud-sdk-python-common"], "{report:#}");
    let item = &f[0]["item"];
    assert_eq!(item["direct"], false);
    assert_eq!(
        item["path"],
        serde_json::json!([
            "app",
            "tencentcloud-sdk-python-hunyuan",
            "tencentcloud-sdk-python-common"
        ])
    );
    assert_eq!(f[0]["location"]["line"], 320);
}

/// A lock cut short is unread evidence: the scan exits 2 and names the
/// file, line and column where TOML breaks.
#[test]
fn truncated_locks_exit_2_at_their_line() {
    for (lock, at) in [
        ("tests/fixtures/uv-lock/truncated.lock", ":28:"),
        ("tests/fixtures/poetry-lock/truncated.lock", ":26:"),
    ] {
        let format = if lock.contains("uv-lock") {
            "uv-lock"
        } else {
            "poetry-lock"
        };
        banscan(&[
            "scan",
            lock,
            "--input-format",
            format,
            "--no-profile",
            "--as-of",
            AS_OF,
        ])
        .expect_code(2)
        .expect_contains(&format!("{lock}{at}"))
        .expect_contains("not a valid");
    }
}
