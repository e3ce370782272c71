//! go.mod and go.sum as package evidence: the binary on hand-written files
//! in Go's shape (`tests/fixtures/go-mod/README.md`), judged by a small
//! local policy that bans two Go DeepSeek SDKs.

use serde_json::Value;

use crate::common::{Run, finding_named, scan_with_policy};

/// Bans `github.com/cohesion-org/deepseek-go` (a direct require of the
/// fixtures' `app`, and the replacement of `github.com/pkg/errors` in
/// `replace/`) and `github.com/go-deepseek/deepseek` (an indirect require,
/// and a versioned replacement). Go module paths compare without case.
const POLICY: &str = r#"
product: demo-go
name: Demo Go SDKs
identifiers:
  packages:
    - purl: pkg:golang/github.com/cohesion-org/deepseek-go
    - purl: pkg:golang/github.com/Go-DeepSeek/deepseek
---
policy: xx-demo-2025-go
title: Demo ban on some Go modules
authority: Demo Ministry
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Demo Act
sources: [{title: Demo notice, publisher: Demo Gazette, url: "https://example.org/notice"}]
binds: {sectors: [all]}
severity: ban
bans:
  - product: demo-go
examples:
  violating: [{package: pkg:golang/github.com/cohesion-org/deepseek-go@v1.2.8}]
  compliant: [{package: pkg:golang/github.com/cohesion-org/deepseek-go-extras@v0.1.0}]
"#;

/// Scans `paths` (relative to the repository root) with the demo policy
/// only.
fn scan(paths: &[&str], format: &str) -> Run {
    scan_with_policy(POLICY, paths, format)
}

fn scan_json(paths: &[&str]) -> Value {
    let run = scan(paths, "json");
    run.expect_code(1);
    run.json()
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings is an array")
}

/// The finding for module `name`, if any.
fn finding<'r>(report: &'r Value, name: &str) -> Option<&'r Value> {
    finding_named(report, name)
}

/// Names found, sorted.
fn names(report: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = findings(report)
        .iter()
        .map(|f| f["item"]["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    names
}

const APP: &str = "tests/fixtures/go-mod/app/go.mod";
const REPLACE: &str = "tests/fixtures/go-mod/replace/go.mod";

/// A banned module the project requires itself is found at its require
/// line, on the module path, marked direct, with its `v` version.
#[test]
fn banned_direct_require_at_its_line() {
    let report = scan_json(&[APP]);
    let f = finding(&report, "github.com/cohesion-org/deepseek-go").expect("found");
    assert_eq!(f["location"]["path"], APP);
    assert_eq!(f["location"]["line"], 8);
    assert_eq!(f["location"]["column"], 2);
    assert_eq!(
        f["identifier"],
        "pkg:golang/github.com/cohesion-org/deepseek-go"
    );
    assert_eq!(f["item"]["ecosystem"], "golang");
    assert_eq!(f["item"]["version"], "v1.2.8");
    assert_eq!(f["item"]["direct"], true);

    let inputs = report["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 1, "{inputs:?}");
    assert_eq!(inputs[0]["state"], "read");
    assert_eq!(inputs[0]["format"], "go-mod");
    assert_eq!(inputs[0]["items"], 8);
}

/// A `// indirect` require is found and marked not direct; its
/// pseudo-version is kept as written, and the rule's mixed-case path
/// matches the lower-case one.
#[test]
fn indirect_require_is_not_direct() {
    let report = scan_json(&[APP]);
    let f = finding(&report, "github.com/go-deepseek/deepseek").expect("found");
    assert_eq!(f["location"]["line"], 14);
    assert_eq!(f["item"]["direct"], false);
    assert_eq!(f["item"]["version"], "v0.0.0-20250125120000-0123456789ab");
    assert_eq!(names(&report).len(), 2, "{report:#}");
}

/// `replace` is applied before matching: the banned replacement modules
/// are found at the lines that require what they replace; the near miss
/// `deepseek-go-extras` and the module replaced by a local directory are
/// not flagged.
#[test]
fn replace_is_applied_and_near_miss_not_flagged() {
    let report = scan_json(&[REPLACE]);
    assert_eq!(
        names(&report),
        [
            "github.com/cohesion-org/deepseek-go",
            "github.com/go-deepseek/deepseek"
        ],
        "{report:#}"
    );
    let f = finding(&report, "github.com/cohesion-org/deepseek-go").unwrap();
    assert_eq!(f["location"]["line"], 6);
    assert_eq!(f["item"]["version"], "v1.1.0");
    assert_eq!(f["item"]["direct"], true);
    let f = finding(&report, "github.com/go-deepseek/deepseek").unwrap();
    assert_eq!(f["location"]["line"], 10);
    assert_eq!(f["item"]["version"], "v1.0.0");
    assert_eq!(f["item"]["direct"], false);
    assert_eq!(report["inputs"][0]["items"], 5);
}

/// A require block never closed is unread evidence: exit 2, naming the
/// line that opens it.
#[test]
fn unclosed_block_exits_2_naming_the_line() {
    let path = "tests/fixtures/go-mod/unclosed/go.mod";
    scan(&[path], "human")
        .expect_code(2)
        .expect_contains(&format!("{path}:5:1"))
        .expect_contains("never closed");
    let run = scan(&[path], "json");
    run.expect_code(2);
    let report = run.json();
    let input = &report["inputs"][0];
    assert_eq!(input["state"], "unread", "{report:#}");
    assert_eq!(input["format"], "go-mod");
    assert_eq!(input["problems"][0]["line"], 5);
}

/// Lines Go refuses are passed over and counted, and the rest is read; a
/// require without version that names a banned module is unread evidence
/// at its line (exit 2), since a finding may be lost there.
#[test]
fn bad_lines_are_skipped_and_a_banned_one_is_unread() {
    let run = scan(&["tests/fixtures/go-mod/bad-lines/go.mod"], "json");
    run.expect_code(2);
    let report = run.json();
    let input = &report["inputs"][0];
    assert_eq!(input["state"], "unread", "{report:#}");
    assert_eq!(input["items"], 1);
    assert_eq!(input["problems"][0]["line"], 6);
    assert_eq!(input["problems"][0]["column"], 2);
    assert_eq!(input["skipped"]["count"], 4);
    assert_eq!(input["skipped"]["first"]["line"], 7);
}

/// go.sum: modules whose code is hashed are found, `direct` unknown; the
/// `/go.mod`-only lines are no items.
#[test]
fn go_sum_modules_are_found() {
    let path = "tests/fixtures/go-sum/app/go.sum";
    let report = scan_json(&[path]);
    let f = finding(&report, "github.com/cohesion-org/deepseek-go").expect("found");
    assert_eq!(f["location"]["path"], path);
    assert_eq!(f["location"]["line"], 1);
    assert_eq!(f["location"]["column"], 1);
    assert_eq!(f["item"]["version"], "v1.2.8");
    assert!(f["item"]["direct"].is_null(), "{f:#}");
    let input = &report["inputs"][0];
    assert_eq!(input["format"], "go-sum");
    assert_eq!(input["items"], 6);
    assert!(input["skipped"].is_null() || input["skipped"]["count"] == 0);
    assert_eq!(names(&report).len(), 2, "{report:#}");
}
