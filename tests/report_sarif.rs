//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning, checked against
//! the official schema (tests/fixtures/schemas), and the parts GitHub
//! reads: rules, regions, fingerprints, baseline state, suppressions.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::common::{Run, banscan, root};

/// The fixture scan: a demo ban and a demo advisory over a requirements
/// file and an egress list, no built-in policies and no profile.
fn fixture_sarif() -> Run {
    banscan(&[
        "scan",
        "--no-builtin",
        "--no-profile",
        "--policies",
        "tests/fixtures/sarif/policy.yaml",
        "--as-of",
        "2026-01-01",
        "--format",
        "sarif",
        "tests/fixtures/sarif",
    ])
}

fn sarif(run: &Run) -> Value {
    run.json()
}

/// Every error the official SARIF 2.1.0 schema (draft-04) finds in `log`.
fn schema_errors(log: &Value) -> Vec<String> {
    let path = root().join("tests/fixtures/schemas/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path).expect("the SARIF schema is in the fixtures");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    let validator = jsonschema::draft4::new(&schema).expect("the SARIF schema compiles");
    validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[track_caller]
pub fn assert_valid(log: &Value) {
    let errors = schema_errors(log);
    assert!(
        errors.is_empty(),
        "SARIF schema errors:\n{}",
        errors.join("\n")
    );
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().expect("results")
}

/// The result whose first location is `uri`, line `line`.
fn result_at<'a>(log: &'a Value, uri: &str, line: u64) -> &'a Value {
    results(log)
        .iter()
        .find(|r| {
            let at = &r["locations"][0]["physicalLocation"];
            at["artifactLocation"]["uri"] == uri && at["region"]["startLine"] == line
        })
        .unwrap_or_else(|| panic!("no result at {uri}:{line}"))
}

fn with_temp_dir<T>(f: impl FnOnce(&Path) -> T) -> T {
    let dir = tempfile::tempdir().expect("a temporary folder");
    f(dir.path())
}

/// The SARIF of the bundled examples validates against the official
/// schema, has one rule per policy with findings (each described with its
/// citation) and one result per finding; the validator itself rejects a
/// broken log, so a pass means something.
#[test]
fn examples_sarif_validates_with_a_rule_per_policy() {
    let run = banscan(&[
        "scan",
        "examples",
        "--as-of",
        "2026-12-01",
        "--format",
        "sarif",
    ]);
    run.expect_code(1);
    let log = sarif(&run);
    assert_valid(&log);

    let json = banscan(&[
        "scan",
        "examples",
        "--as-of",
        "2026-12-01",
        "--format",
        "json",
    ])
    .json();
    let findings = json["findings"].as_array().expect("findings");
    let policies: BTreeSet<&str> = findings
        .iter()
        .map(|f| f["policy"].as_str().unwrap())
        .collect();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.iter().copied().collect::<BTreeSet<_>>(), policies);
    assert_eq!(ids.len(), policies.len(), "one rule per policy: {ids:?}");
    assert_eq!(results(&log).len(), findings.len());
    for (r, f) in results(&log).iter().zip(findings) {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert_eq!(r["ruleId"], f["policy"]);
    }
    let statute = rules
        .iter()
        .find(|r| r["id"] == "tw-moda-2025-deepseek-statute")
        .expect("the statute's rule");
    assert_eq!(statute["defaultConfiguration"]["level"], "error");
    assert!(
        statute["help"]["text"]
            .as_str()
            .unwrap()
            .contains("Legal basis: ")
    );
    assert!(statute["helpUri"].as_str().unwrap().starts_with("https://"));

    let mut broken = log.clone();
    broken["version"] = "2.0.0".into();
    assert!(
        !schema_errors(&broken).is_empty(),
        "the validator rejects version 2.0.0"
    );
}

/// A known finding's region: the line, and the matched text's columns
/// (UTF-16, end exclusive) with the matched text as snippet; a domain
/// rule's region is the banned domain at the end of the host, and a
/// folded finding counts its occurrences and points at the last one.
#[test]
fn regions_point_at_the_matched_text() {
    let run = fixture_sarif();
    run.expect_code(1);
    let log = sarif(&run);
    assert_valid(&log);

    let package = result_at(&log, "tests/fixtures/sarif/project/requirements.txt", 2);
    let region = &package["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startColumn"], 1);
    assert_eq!(region["endColumn"], 10);
    assert_eq!(region["snippet"]["text"], "demo-chat");
    assert_eq!(package["level"], "error");

    let endpoints: Vec<&Value> = results(&log)
        .iter()
        .filter(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                == "tests/fixtures/sarif/network/egress-allowlist.list"
        })
        .collect();
    let api = endpoints
        .iter()
        .find(|r| {
            r["ruleId"] == "xx-demo-2025-chat"
                && r["properties"]["item"]["host"] == "api.demo-chat.example"
        })
        .expect("the api host's ban");
    let at = &api["locations"][0]["physicalLocation"];
    assert_eq!(at["region"]["startLine"], 3);
    assert_eq!(at["region"]["startColumn"], 5);
    assert_eq!(at["region"]["endColumn"], 22);
    assert_eq!(
        at["contextRegion"]["snippet"]["text"],
        "api.demo-chat.example"
    );
    assert_eq!(api["occurrenceCount"], 2);
    assert_eq!(
        api["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        5
    );
    let advisory = endpoints
        .iter()
        .find(|r| r["ruleId"] == "xx-demo-2025-chat-advisory")
        .expect("an advisory result");
    assert_eq!(advisory["level"], "note");
}

/// Fingerprints are the report's: equal across two runs, and equal to the
/// JSON report's `fingerprint`, so GitHub follows an alert from run to run.
#[test]
fn fingerprints_are_stable_across_runs() {
    let fingerprints = |log: &Value| -> Vec<Value> {
        results(log)
            .iter()
            .map(|r| r["partialFingerprints"].clone())
            .collect()
    };
    let first = sarif(&fixture_sarif());
    let second = sarif(&fixture_sarif());
    assert_eq!(fingerprints(&first), fingerprints(&second));
    let json = banscan(&[
        "scan",
        "--no-builtin",
        "--no-profile",
        "--policies",
        "tests/fixtures/sarif/policy.yaml",
        "--as-of",
        "2026-01-01",
        "--format",
        "json",
        "tests/fixtures/sarif",
    ])
    .json();
    for (r, f) in results(&first)
        .iter()
        .zip(json["findings"].as_array().unwrap())
    {
        let fingerprint = f["fingerprint"].as_str().unwrap();
        assert_eq!(r["partialFingerprints"]["banscan/v1"], fingerprint);
        assert_eq!(
            r["partialFingerprints"]["primaryLocationLineHash"],
            format!("{}:1", &fingerprint[..16])
        );
    }
}

/// A waived finding carries an accepted external suppression with the
/// waiver's reason, approver and expiry; with `--baseline`, findings in the
/// old report are `unchanged` and the rest `new`; the log validates.
#[test]
fn waivers_suppress_and_baseline_marks_state() {
    with_temp_dir(|dir| {
        let old = dir.join("old.json");
        let old = old.to_str().unwrap();
        banscan(&[
            "scan",
            "examples/project",
            "--profile",
            "examples/banscan.yaml",
            "--format",
            "json",
            "-o",
            old,
        ])
        .expect_code(1);
        let run = banscan(&[
            "scan",
            "examples/inventory",
            "examples/project",
            "--profile",
            "examples/banscan.yaml",
            "--baseline",
            old,
            "--format",
            "sarif",
        ]);
        let log = sarif(&run);
        assert_valid(&log);

        let known = result_at(&log, "examples/project/requirements.txt", 6);
        assert_eq!(known["baselineState"], "unchanged");
        let new = result_at(&log, "examples/inventory/devices.csv", 6);
        assert_eq!(new["baselineState"], "new");
        assert!(new.get("suppressions").is_none());

        let waived = result_at(&log, "examples/inventory/devices.csv", 9);
        let suppression = &waived["suppressions"][0];
        assert_eq!(suppression["kind"], "external");
        assert_eq!(suppression["status"], "accepted");
        assert!(
            suppression["justification"]
                .as_str()
                .unwrap()
                .contains("Cyber Security Management Act")
        );
        assert_eq!(suppression["properties"]["expires"], "2027-06-30");
        assert!(
            suppression["properties"]["approvedBy"]
                .as_str()
                .unwrap()
                .starts_with("Chief Information Security Officer")
        );
        assert_eq!(waived["properties"]["item"]["device"], "LAB-0003");
    });
}

/// Unread evidence is reported as a tool execution notification, and the
/// invocation is then not successful.
#[test]
fn unread_evidence_is_a_notification() {
    let run = banscan(&[
        "scan",
        "--no-profile",
        "--allow-unread",
        "--as-of",
        "2026-12-01",
        "--format",
        "sarif",
        "tests/fixtures/coverage",
    ]);
    let log = sarif(&run);
    assert_valid(&log);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert!(!notes.is_empty());
    assert!(
        notes
            .iter()
            .all(|n| n["descriptor"]["id"] == "unread-evidence")
    );
}

/// A profile's expired and unused waivers become tool configuration
/// notifications at their line in the profile; the waiver in force
/// suppresses its finding.
#[test]
fn waiver_notices_are_configuration_notifications() {
    let run = banscan(&[
        "scan",
        "--profile",
        "tests/fixtures/sarif-waivers/banscan.yaml",
        "--no-builtin",
        "--policies",
        "tests/fixtures/sarif/policy.yaml",
        "--as-of",
        "2026-01-01",
        "--format",
        "sarif",
        "tests/fixtures/sarif",
    ]);
    let log = sarif(&run);
    assert_valid(&log);
    let notes: Vec<(String, u64)> =
        log["runs"][0]["invocations"][0]["toolConfigurationNotifications"]
            .as_array()
            .expect("notifications")
            .iter()
            .map(|n| {
                let at = &n["locations"][0]["physicalLocation"];
                assert_eq!(
                    at["artifactLocation"]["uri"],
                    "tests/fixtures/sarif-waivers/banscan.yaml"
                );
                (
                    n["descriptor"]["id"].as_str().unwrap().to_string(),
                    at["region"]["startLine"].as_u64().unwrap(),
                )
            })
            .collect();
    assert_eq!(
        notes,
        [
            ("banscan::waiver::expired".to_string(), 12),
            ("banscan::waiver::unused".to_string(), 17)
        ]
    );
    let waived = result_at(&log, "tests/fixtures/sarif/project/requirements.txt", 2);
    assert_eq!(
        waived["suppressions"][0]["properties"]["approvedBy"],
        "Demo CISO"
    );
}

/// The whole log of the fixture scan, with what changes from run to run
/// or release to release (times, tool version) replaced.
#[test]
fn sarif_snapshot() {
    let mut log = sarif(&fixture_sarif());
    let run = &mut log["runs"][0];
    let invocation = &mut run["invocations"][0];
    for key in ["startTimeUtc", "endTimeUtc"] {
        assert!(invocation[key].is_string(), "{key} is recorded");
        invocation[key] = "[time]".into();
    }
    run["automationDetails"]["id"] = "banscan/[time]".into();
    for key in ["version", "semanticVersion"] {
        run["tool"]["driver"][key] = "[version]".into();
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&log).unwrap());
}
