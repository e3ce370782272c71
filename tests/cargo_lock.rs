//! Cargo.lock as package evidence: the binary on lockfiles made by cargo
//! (`tests/fixtures/cargo-lock/README.md`), judged by a small local policy
//! that bans real crates of those lockfiles.

use serde_json::Value;

use crate::common::{Run, finding_named, scan_with_policy};

/// Bans `anyhow` (a direct dependency of the fixtures' `app`),
/// `serde_derive >=1.0.100` (reached through `serde`), `itoa <1.0.0` (only
/// the workspace locks one), and `serde_json5`, a near miss of the locked
/// `serde_json`.
const POLICY: &str = r#"
product: demo-crates
name: Demo crates
identifiers:
  packages:
    - purl: pkg:cargo/anyhow
    - purl: pkg:cargo/serde_derive
      versions: ">=1.0.100"
    - purl: pkg:cargo/itoa
      versions: "<1.0.0"
    - purl: pkg:cargo/serde_json5
---
policy: xx-demo-2025-crates
title: Demo ban on some crates
authority: Demo Ministry
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Demo Act
sources: [{title: Demo notice, publisher: Demo Gazette, url: "https://example.org/notice"}]
binds: {sectors: [all]}
severity: ban
bans:
  - product: demo-crates
examples:
  violating: [{package: pkg:cargo/anyhow@1.0.0}]
  compliant: [{package: pkg:cargo/serde_json@1.0.0}]
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

/// The finding for crate `name`, if any.
fn finding<'r>(report: &'r Value, name: &str) -> Option<&'r Value> {
    finding_named(report, name)
}

const V4: &str = "tests/fixtures/cargo-lock/v4/Cargo.lock";

/// A banned crate the project depends on itself is found at its `name`
/// line, marked direct, with the chain from the workspace member.
#[test]
fn banned_direct_dependency_at_its_name_line() {
    let report = scan_json(&[V4]);
    let f = finding(&report, "anyhow").expect("anyhow is found");
    assert_eq!(f["location"]["path"], V4);
    assert_eq!(f["location"]["line"], 6);
    assert_eq!(f["location"]["column"], 9);
    assert_eq!(f["identifier"], "pkg:cargo/anyhow");
    assert_eq!(f["item"]["ecosystem"], "cargo");
    assert_eq!(f["item"]["version"], "1.0.105");
    assert_eq!(f["item"]["direct"], true);
    assert_eq!(f["item"]["path"], serde_json::json!(["app", "anyhow"]));

    let inputs = report["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 1, "{inputs:?}");
    assert_eq!(inputs[0]["state"], "read");
    assert_eq!(inputs[0]["format"], "cargo-lock");
    assert_eq!(inputs[0]["items"], 12);
}

/// A banned crate reached only through another is marked transitive, with
/// the shortest chain that brings it in, and its version is in the range.
#[test]
fn banned_transitive_dependency_with_its_path() {
    let report = scan_json(&[V4]);
    let f = finding(&report, "serde_derive").expect("serde_derive is found");
    assert_eq!(f["location"]["line"], 70);
    assert_eq!(f["identifier"], "pkg:cargo/serde_derive >=1.0.100");
    assert_eq!(f["item"]["version"], "1.0.229");
    assert_eq!(f["item"]["direct"], false);
    assert_eq!(
        f["item"]["path"],
        serde_json::json!(["app", "serde", "serde_derive"])
    );
}

/// `serde_json` is not `serde_json5`, and `itoa 1.0.19` is outside
/// `<1.0.0`: neither is flagged.
#[test]
fn near_miss_and_version_outside_the_range_are_not_flagged() {
    let report = scan_json(&[V4]);
    let mut names: Vec<&str> = findings(&report)
        .iter()
        .map(|f| f["item"]["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["anyhow", "serde_derive"], "{report:#}");
}

/// In a workspace, the member `core-lib` is a root too: the `itoa 0.4.8`
/// it asks for is direct and in the banned range, the `itoa 1.0.19` of
/// `serde_json` is not flagged. Found by walking the folder.
#[test]
fn workspace_member_dependency_and_two_versions() {
    let report = scan_json(&["tests/fixtures/cargo-lock/workspace"]);
    let itoa: Vec<&Value> = findings(&report)
        .iter()
        .filter(|f| f["item"]["name"] == "itoa")
        .collect();
    assert_eq!(itoa.len(), 1, "{report:#}");
    assert_eq!(itoa[0]["item"]["version"], "0.4.8");
    assert_eq!(itoa[0]["item"]["direct"], true);
    assert_eq!(
        itoa[0]["item"]["path"],
        serde_json::json!(["core-lib", "itoa"])
    );
    assert_eq!(itoa[0]["location"]["line"], 29);
    assert_eq!(report["inputs"][0]["state"], "read");
}

/// The v3 file cargo writes for an older MSRV gives the same findings; the
/// v1 shape finds them through `"name version (source)"` entries.
#[test]
fn v3_and_v1_give_the_same_findings() {
    let summary = |report: &Value| -> Vec<(String, u64, bool, Value)> {
        let mut out: Vec<_> = findings(report)
            .iter()
            .map(|f| {
                (
                    f["item"]["name"].as_str().unwrap().to_string(),
                    f["location"]["line"].as_u64().unwrap(),
                    f["item"]["direct"].as_bool().unwrap(),
                    f["item"]["path"].clone(),
                )
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    };
    let v4 = summary(&scan_json(&[V4]));
    let v3 = summary(&scan_json(&["tests/fixtures/cargo-lock/v3/Cargo.lock"]));
    assert_eq!(v3, v4);
    let v1 = summary(&scan_json(&["tests/fixtures/cargo-lock/v1/Cargo.lock"]));
    let lines: Vec<(&str, u64)> = v1.iter().map(|s| (s.0.as_str(), s.1)).collect();
    assert_eq!(lines, [("anyhow", 2), ("serde_derive", 23)]);
    assert_eq!(
        v1.iter().map(|s| &s.3).collect::<Vec<_>>(),
        v4.iter().map(|s| &s.3).collect::<Vec<_>>()
    );
}

/// A lockfile cut short is unread evidence: exit 2, naming the line and
/// column where the TOML breaks.
#[test]
fn truncated_lockfile_exits_2_naming_the_line() {
    let path = "tests/fixtures/cargo-lock/truncated/Cargo.lock";
    scan(&[path], "human")
        .expect_code(2)
        .expect_contains(&format!("{path}:30:6"))
        .expect_contains("not a valid Cargo lockfile");
    let run = scan(&[path], "json");
    run.expect_code(2);
    let report = run.json();
    let input = &report["inputs"][0];
    assert_eq!(input["state"], "unread", "{report:#}");
    assert_eq!(input["format"], "cargo-lock");
    assert_eq!(input["problems"][0]["line"], 30);
    assert_eq!(input["problems"][0]["column"], 6);
}

/// A [[package]] without a version is passed over and counted; the rest of
/// the file is still read and matched.
#[test]
fn package_without_version_is_skipped_and_counted() {
    let report = scan_json(&["tests/fixtures/cargo-lock/missing-fields/Cargo.lock"]);
    let input = &report["inputs"][0];
    assert_eq!(input["state"], "read", "{report:#}");
    assert_eq!(input["items"], 10);
    assert_eq!(input["skipped"]["count"], 2);
    assert_eq!(input["skipped"]["first"]["line"], 26);
    assert!(finding(&report, "anyhow").is_some());
}

/// cargo's `target/` folder is build output, told by its `CACHEDIR.TAG`
/// or by the Cargo.toml beside it: not walked, listed as excluded; the
/// project's own Cargo.lock is read.
#[test]
fn build_output_like_target_is_not_walked() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path();
    std::fs::copy(
        crate::common::root().join("tests/fixtures/cargo-lock/v4/Cargo.lock"),
        project.join("Cargo.lock"),
    )
    .unwrap();
    let packaged = project.join("target/package/app-0.1.0");
    std::fs::create_dir_all(&packaged).unwrap();
    std::fs::copy(project.join("Cargo.lock"), packaged.join("Cargo.lock")).unwrap();
    std::fs::write(
        project.join("target/CACHEDIR.TAG"),
        "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by cargo.\n",
    )
    .unwrap();
    let report = crate::common::banscan_in(project, &["scan", ".", "--format", "json"]).json();
    let inputs: Vec<(&str, &str)> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["path"].as_str().unwrap(), i["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        inputs,
        [("Cargo.lock", "read"), ("target/", "excluded")],
        "{report:#}"
    );
    assert_eq!(
        report["inputs"][1]["reason"],
        "build output or cache: tagged by CACHEDIR.TAG (name the folder to scan it)"
    );

    // Untagged (older cargo, or Maven, which does not tag): a `target/`
    // beside the project file is still build output.
    std::fs::remove_file(project.join("target/CACHEDIR.TAG")).unwrap();
    let report = crate::common::banscan_in(project, &["scan", ".", "--format", "json"]).json();
    assert_eq!(report["inputs"][1]["state"], "read", "{report:#}");
    std::fs::write(
        project.join("Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    let report = crate::common::banscan_in(project, &["scan", ".", "--format", "json"]).json();
    let target = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"] == "target/")
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(target["state"], "excluded");
    assert_eq!(
        target["reason"],
        "build output or cache: cargo's target/ beside Cargo.toml (name the folder to scan it)"
    );
}
