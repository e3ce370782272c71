//! npm lockfiles (issue 11): the fixtures under `tests/fixtures/npm-lock/`
//! (made by npm; see its README) scanned by the real binary.

use serde_json::Value;

use crate::common::{flagged_packages, scan_json_as_of};

const AS_OF: &str = "2025-06-01";
const V3: &str = "tests/fixtures/npm-lock/v3/package-lock.json";

/// A test policy banning a transitive package of the v3 fixture in a
/// version range (`zod` 4.x, `is-number` below 7).
const TRANSITIVE_POLICY: &str = r#"
policy: xx-demo-npm-transitive
title: Demo ban on two npm packages
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
        - purl: pkg:npm/zod
          versions: ">=4.0.0 <5.0.0"
        - purl: pkg:npm/is-number
          versions: "<7.0.0"
examples:
  violating:
    - package: pkg:npm/zod@4.6.7
    - package: pkg:npm/is-number@6.0.0
  compliant:
    - package: pkg:npm/zod-to-json-schema@3.25.2
    - package: pkg:npm/is-number@7.0.0
    - package: pkg:npm/zod@3.25.76
"#;

fn scan_json(args: &[&str]) -> (i32, Value) {
    scan_json_as_of(AS_OF, args)
}

fn flagged(report: &Value) -> Vec<(String, String, u64, u64)> {
    flagged_packages(report)
}

fn finding<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["item"]["name"] == name)
        .unwrap_or_else(|| panic!("no finding for {name}: {report:#}"))
}

/// The built-in library flags `@ai-sdk/deepseek`, a direct dependency, at
/// the line and column of its name in its `node_modules/` key, with
/// `item.direct` and its one-step path; its own dependencies
/// (`@ai-sdk/openai-compatible`, `@ai-sdk/provider`...) are near misses,
/// not findings.
#[test]
fn banned_direct_dependency_at_its_line() {
    let (code, report) = scan_json(&[V3]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "npm-lock");
    assert_eq!(report["inputs"][0]["state"], "read");
    let names: Vec<String> = flagged(&report).into_iter().map(|f| f.0).collect();
    assert_eq!(names, ["@ai-sdk/deepseek"]);
    assert_eq!(
        flagged(&report)[0],
        ("@ai-sdk/deepseek".into(), "1.0.0".into(), 29, 19)
    );
    let item = &finding(&report, "@ai-sdk/deepseek")["item"];
    assert_eq!(item["direct"], true);
    assert_eq!(item["ecosystem"], "npm");
    assert_eq!(
        item["path"],
        serde_json::json!(["chat-app", "@ai-sdk/deepseek"])
    );
}

/// A banned transitive package is flagged with the chain that brings it
/// in and `direct: false`; a near miss by name (`zod-to-json-schema`) and
/// a version outside the range (`is-number` 7.0.0 under the workspace
/// member) are not flagged, while `is-number` 6.0.0 (optional, through
/// `is-odd`) is.
#[test]
fn banned_transitive_dependency_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("npm-transitive.yaml");
    std::fs::write(&policy, TRANSITIVE_POLICY).unwrap();
    let (code, report) = scan_json(&[V3, "--no-builtin", "--policies", policy.to_str().unwrap()]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        flagged(&report),
        [
            ("is-number".into(), "6.0.0".into(), 125, 19),
            ("zod".into(), "4.6.7".into(), 204, 19),
        ]
    );
    let zod = &finding(&report, "zod")["item"];
    assert_eq!(zod["direct"], false);
    assert_eq!(zod["scope"], "peer");
    assert_eq!(
        zod["path"],
        serde_json::json!(["chat-app", "@ai-sdk/deepseek", "zod"])
    );
    // The package.json beside the lockfile declares what brings zod in.
    assert_eq!(
        finding(&report, "zod")["declared"],
        serde_json::json!({
            "dependency": "@ai-sdk/deepseek",
            "location": {"path": "tests/fixtures/npm-lock/v3/package.json", "line": 6, "column": 6},
            "evidence": {"text": "    \"@ai-sdk/deepseek\": \"^1.0.0\",", "column": 6, "len": 16}
        })
    );
    assert_eq!(
        finding(&report, "is-number")["declared"]["location"]["line"],
        14
    );
    let is_number = &finding(&report, "is-number")["item"];
    assert_eq!(is_number["scope"], "optional");
    assert_eq!(
        is_number["path"],
        serde_json::json!(["chat-app", "is-odd", "is-number"])
    );
}

/// npm 6's lockfile (version 1) is read too: the banned package at its
/// key's line.
#[test]
fn lockfile_version_1() {
    let (code, report) = scan_json(&["tests/fixtures/npm-lock/v1/package-lock.json"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        flagged(&report),
        [("@ai-sdk/deepseek".into(), "1.0.60".into(), 7, 6)]
    );
}

/// A truncated lockfile is unread evidence: exit 2, naming the line where
/// the JSON stops.
#[test]
fn malformed_lockfile_exits_2_naming_the_line() {
    let (code, report) = scan_json(&["tests/fixtures/npm-lock/truncated/package-lock.json"]);
    assert_eq!(code, 2, "{report:#}");
    let input = &report["inputs"][0];
    assert_eq!(input["state"], "unread", "{input:#}");
    assert_eq!(input["problems"][0]["line"], 90, "{input:#}");
    let message = input["problems"][0]["message"].as_str().unwrap();
    assert!(message.contains("truncated"), "{message}");

    let (code, report) = scan_json(&["tests/fixtures/npm-lock/unknown-version/package-lock.json"]);
    assert_eq!(code, 2, "{report:#}");
    let problem = &report["inputs"][0]["problems"][0];
    assert_eq!(problem["line"], 4);
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("lockfileVersion 4"),
        "{problem:#}"
    );
}

/// The human report shows a transitive package at its lockfile line and,
/// under it, the package.json line of the direct dependency that brings
/// it in: the line to edit.
#[test]
fn a_transitive_finding_points_at_the_manifest_line_that_brings_it_in() {
    crate::common::scan_with_policy(TRANSITIVE_POLICY, &[V3], "human")
        .expect_code(1)
        .expect_contains("@ai-sdk/deepseek, declared here, brings in zod")
        .expect_contains("tests/fixtures/npm-lock/v3/package.json:6:6")
        .expect_contains("╰── brings in zod")
        .expect_contains("is-odd, declared here, brings in is-number");
}

/// A project with its `node_modules` installed: the folder is not walked
/// when a lockfile beside it lists what it holds (its manifests are
/// copies), and is listed as excluded, once, with the lockfile; without
/// a lockfile, the installed manifests are the evidence and are read.
#[test]
fn node_modules_is_not_walked_when_a_lockfile_covers_it() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path();
    for file in ["package-lock.json", "package.json"] {
        std::fs::copy(
            crate::common::root()
                .join("tests/fixtures/npm-lock/v3")
                .join(file),
            project.join(file),
        )
        .unwrap();
    }
    let installed = project.join("node_modules/zod");
    std::fs::create_dir_all(&installed).unwrap();
    std::fs::write(
        installed.join("package.json"),
        r#"{"name": "zod", "version": "4.6.7", "dependencies": {"left-pad": "^1.3.0"}}"#,
    )
    .unwrap();
    let inputs = |report: &Value| -> Vec<(String, String)> {
        report["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["path"].as_str().unwrap().to_string(),
                    i["state"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };

    let report = crate::common::banscan_in(
        project,
        &["scan", ".", "--format", "json", "--as-of", AS_OF],
    )
    .json();
    assert_eq!(
        inputs(&report),
        [
            ("package-lock.json".to_string(), "read".to_string()),
            ("package.json".to_string(), "read".to_string()),
            ("node_modules/".to_string(), "excluded".to_string()),
        ],
        "{report:#}"
    );
    assert_eq!(
        report["inputs"][2]["reason"],
        "installed packages, which `package-lock.json` lists (name the folder to scan it)"
    );

    std::fs::remove_file(project.join("package-lock.json")).unwrap();
    let report = crate::common::banscan_in(
        project,
        &["scan", ".", "--format", "json", "--as-of", AS_OF],
    )
    .json();
    assert_eq!(
        inputs(&report),
        [
            (
                "node_modules/zod/package.json".to_string(),
                "read".to_string()
            ),
            ("package.json".to_string(), "read".to_string()),
        ],
        "{report:#}"
    );
}
