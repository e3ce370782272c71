//! Maven `pom.xml` and Gradle lockfiles (issue 11): the hand-made fixtures
//! under `tests/fixtures/maven-pom/` and `tests/fixtures/gradle-lock/` (see
//! their READMEs) scanned by the real binary with the test policy
//! `tests/fixtures/maven-pom/policy.yaml`.

use serde_json::Value;

use crate::common::{finding_named, flagged_packages, scan_with_policy};

const SERVICE: &str = "tests/fixtures/maven-pom/app/service/pom.xml";
const GRADLE: &str = "tests/fixtures/gradle-lock/app/gradle.lockfile";

fn policy() -> String {
    std::fs::read_to_string(crate::common::root().join("tests/fixtures/maven-pom/policy.yaml"))
        .expect("the test policy")
}

fn scan_json(paths: &[&str]) -> (i32, Value) {
    let run = scan_with_policy(&policy(), paths, "json");
    (run.code, run.json())
}

/// A module pom with its parent on disk: the banned starter, whose version
/// comes from the parent's `dependencyManagement`, is flagged at its
/// `<artifactId>` as a direct dependency; the `test`-scope one is dev; the
/// one with an undefined property is still flagged, with no version and a
/// warning at the property; the near miss `deepseek-fan` is not.
#[test]
fn pom_banned_direct_dependencies_at_their_lines() {
    let (code, report) = scan_json(&[SERVICE]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        flagged_packages(&report),
        [
            (
                "io.github.pig-mesh.ai:deepseek-spring-boot-starter".into(),
                "1.4.5".into(),
                22,
                19
            ),
            ("org.acme.ai:deepseek-client".into(), "-".into(), 30, 19),
            ("org.acme.ai:deepseek-mock".into(), "0.3.0".into(), 51, 19),
        ],
        "{report:#}"
    );
    let starter = finding_named(
        &report,
        "io.github.pig-mesh.ai:deepseek-spring-boot-starter",
    )
    .unwrap();
    assert_eq!(starter["location"]["path"], SERVICE);
    assert_eq!(starter["item"]["ecosystem"], "maven");
    assert_eq!(starter["item"]["direct"], true);
    assert_eq!(starter["item"]["scope"], Value::Null);
    let mock = finding_named(&report, "org.acme.ai:deepseek-mock").unwrap();
    assert_eq!(mock["item"]["scope"], "dev");
    let input = &report["inputs"][0];
    assert_eq!(input["state"], "read", "{report:#}");
    assert_eq!(input["format"], "maven-pom");
    let warnings: Vec<(u64, String)> = input["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["line"].as_u64().unwrap_or(0),
                w["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        warnings
            .iter()
            .any(|(line, m)| *line == 31
                && m.contains("`${deepseek.client.version}` is not defined")),
        "{warnings:?}"
    );
}

/// Scanning the project folder reads the parent pom and the module; a
/// banned artifact only in the parent's `dependencyManagement` is flagged
/// there too, with `direct` unknown.
#[test]
fn pom_tree_flags_managed_entries_of_the_parent() {
    let (code, report) = scan_json(&["tests/fixtures/maven-pom/app"]);
    assert_eq!(code, 1, "{report:#}");
    let managed: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["location"]["path"] == "tests/fixtures/maven-pom/app/pom.xml")
        .collect();
    assert_eq!(managed.len(), 1, "{report:#}");
    assert_eq!(
        managed[0]["item"]["name"],
        "io.github.pig-mesh.ai:deepseek-spring-boot-starter"
    );
    assert_eq!(managed[0]["location"]["line"], 39);
    assert_eq!(managed[0]["item"]["direct"], Value::Null);
    let formats: Vec<&str> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, ["maven-pom", "maven-pom"]);
}

/// A version in a profile resolves from the profile's properties; an
/// artifact only in `dependencyManagement` is flagged with `direct`
/// unknown.
#[test]
fn pom_profile_and_managed_only() {
    let (_, report) = scan_json(&["tests/fixtures/maven-pom/standalone/pom.xml"]);
    let mock = finding_named(&report, "org.acme.ai:deepseek-mock").unwrap();
    assert_eq!(mock["item"]["version"], "0.2.0");
    assert_eq!(mock["item"]["scope"], "optional");
    let client = finding_named(&report, "org.acme.ai:deepseek-client").unwrap();
    assert_eq!(client["item"]["version"], "0.8.1");
    assert_eq!(client["location"]["line"], 16);
    assert_eq!(client["item"]["direct"], Value::Null);
}

/// Malformed XML is unread evidence: exit 2, naming quick-xml's place.
#[test]
fn malformed_pom_exits_2_at_the_tag() {
    let path = "tests/fixtures/maven-pom/malformed/pom.xml";
    scan_with_policy(&policy(), &[path], "human")
        .expect_code(2)
        .expect_contains(&format!("{path}:10:47"))
        .expect_contains("expected `</artifactId>`, but `</artifact>` was found");
    let (code, report) = scan_json(&[path]);
    assert_eq!(code, 2);
    assert_eq!(report["inputs"][0]["state"], "unread", "{report:#}");
    assert_eq!(report["inputs"][0]["problems"][0]["line"], 10);
}

/// A pom cut short is unread evidence at the cut.
#[test]
fn truncated_pom_exits_2_at_the_cut() {
    let path = "tests/fixtures/maven-pom/truncated/pom.xml";
    scan_with_policy(&policy(), &[path], "human")
        .expect_code(2)
        .expect_contains(&format!("{path}:23:5"));
}

/// The Gradle lockfile: the banned starter at its line, `direct` unknown
/// and no path (the lockfile has no graph); the test-only module is dev;
/// the near miss is not flagged.
#[test]
fn gradle_lock_banned_modules_at_their_lines() {
    let (code, report) = scan_json(&[GRADLE]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        flagged_packages(&report),
        [
            (
                "io.github.pig-mesh.ai:deepseek-spring-boot-starter".into(),
                "1.4.5".into(),
                8,
                1
            ),
            ("org.acme.ai:deepseek-mock".into(), "0.3.0".into(), 9, 1),
        ],
        "{report:#}"
    );
    let starter = finding_named(
        &report,
        "io.github.pig-mesh.ai:deepseek-spring-boot-starter",
    )
    .unwrap();
    assert_eq!(starter["item"]["direct"], Value::Null);
    assert_eq!(starter["item"]["scope"], Value::Null);
    let mock = finding_named(&report, "org.acme.ai:deepseek-mock").unwrap();
    assert_eq!(mock["item"]["scope"], "dev");
    assert_eq!(report["inputs"][0]["format"], "gradle-lock");
    assert_eq!(report["inputs"][0]["state"], "read");
}

/// The older per-configuration files are found by the walk and read.
#[test]
fn gradle_per_configuration_lockfiles() {
    let (code, report) = scan_json(&["tests/fixtures/gradle-lock/legacy"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        flagged_packages(&report),
        [
            (
                "io.github.pig-mesh.ai:deepseek-spring-boot-starter".into(),
                "1.4.5".into(),
                5,
                1
            ),
            ("org.acme.ai:deepseek-mock".into(), "0.3.0".into(), 4, 1),
        ],
        "{report:#}"
    );
    let mock = finding_named(&report, "org.acme.ai:deepseek-mock").unwrap();
    assert_eq!(mock["item"]["scope"], "dev");
}

/// A lockfile cut inside a line is unread evidence: exit 2, at the line.
#[test]
fn truncated_gradle_lock_exits_2_naming_the_line() {
    let path = "tests/fixtures/gradle-lock/truncated/gradle.lockfile";
    scan_with_policy(&policy(), &[path], "human")
        .expect_code(2)
        .expect_contains(&format!("{path}:6:"))
        .expect_contains("ends inside this line");
}

/// Maven interval ranges on a pom and a Gradle lockfile: a locked version
/// inside the range is flagged, one outside is not.
#[test]
fn maven_version_ranges_select_versions() {
    let policy = r#"
policy: xx-demo-2025-maven-ranges
title: Demo ban on ranges of Maven artifacts
authority: Demo Ministry
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Demo Act
sources: [{title: Demo notice, publisher: Demo Gazette}]
binds: {sectors: [all]}
severity: ban
bans:
  - identifiers:
      packages:
        - purl: pkg:maven/com.squareup.okhttp3/okhttp
          versions: "[4.0,5.0)"
        - purl: pkg:maven/com.fasterxml.jackson.core/jackson-databind
          versions: "(,2.17.0]"
        - purl: pkg:maven/org.acme.ai/deepseek-mock
          versions: "[0.3.0]"
examples:
  violating: [{package: pkg:maven/com.squareup.okhttp3/okhttp@4.12.0}]
  compliant: [{package: pkg:maven/com.squareup.okhttp3/okhttp@5.0.0}]
"#;
    let report = scan_with_policy(policy, &[GRADLE], "json").json();
    assert_eq!(
        flagged_packages(&report),
        [
            ("com.squareup.okhttp3:okhttp".into(), "4.12.0".into(), 7, 1),
            ("org.acme.ai:deepseek-mock".into(), "0.3.0".into(), 9, 1),
        ],
        "{report:#}"
    );
    let report = scan_with_policy(policy, &[SERVICE], "json").json();
    assert_eq!(
        flagged_packages(&report),
        [("org.acme.ai:deepseek-mock".into(), "0.3.0".into(), 51, 19)],
        "{report:#}"
    );
}
