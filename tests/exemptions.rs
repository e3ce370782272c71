//! Exemptions (`except:`) and identifier-level confidence, end to end:
//! what a policy exempts is no finding of it, and an unconfirmed
//! identifier only advises.

use serde_json::Value;

use crate::common::{banscan, banscan_in};

const AS_OF: &str = "2025-06-01";

/// `(policy, item host or name)` of every finding of a JSON report.
fn hits(report: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = report["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .map(|f| {
            let item = &f["item"];
            let what = item["host"]
                .as_str()
                .or(item["name"].as_str())
                .or(item["bundle_id"].as_str());
            (
                f["policy"].as_str().unwrap_or_default().to_string(),
                what.unwrap_or_default().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// BOD 17-01 exempts Kaspersky Threat Intelligence: `opentip.kaspersky.com`
/// is not flagged under it, while another host under the banned
/// `kaspersky.com` is. Policies without the exemption still flag both.
#[test]
fn bod_17_01_exempts_the_threat_intelligence_hosts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("endpoints.txt"),
        "opentip.kaspersky.com\ndnl-01.geo.kaspersky.com\n",
    )
    .unwrap();
    let run = banscan_in(
        dir.path(),
        &[
            "scan",
            "endpoints.txt",
            "--no-profile",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
    );
    run.expect_code(1);
    let hits = hits(&run.json());
    let under = |policy: &str, host: &str| hits.contains(&(policy.into(), host.into()));
    assert!(
        under("us-dhs-2017-kaspersky", "dnl-01.geo.kaspersky.com"),
        "{hits:?}"
    );
    assert!(
        !under("us-dhs-2017-kaspersky", "opentip.kaspersky.com"),
        "{hits:?}"
    );
    assert!(
        !under("us-bis-2024-kaspersky", "opentip.kaspersky.com"),
        "{hits:?}"
    );
    assert!(
        under("us-bis-2024-kaspersky", "dnl-01.geo.kaspersky.com"),
        "{hits:?}"
    );
}

const UNCONFIRMED_POLICY: &str = r#"
policy: xx-demo-unconfirmed
title: Demo ban with an unconfirmed app identifier
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
      apps:
        - bundle_id: com.example.demochat
          platform: ios
          confidence: unconfirmed
examples:
  violating: [{app: {bundle_id: com.example.demochat, platform: ios}}]
  compliant: [{app: {bundle_id: com.example.other, platform: ios}}]
"#;

/// A local policy of severity `ban` whose only identifier is unconfirmed
/// gives an advisory finding marked unconfirmed, in JSON and in words,
/// and the scan passes with the default `--fail-on restrict`.
#[test]
fn an_unconfirmed_identifier_gives_an_advisory_finding() {
    let dir = tempfile::tempdir().unwrap();
    let policies = dir.path().join("local-policies");
    std::fs::create_dir(&policies).unwrap();
    std::fs::write(policies.join("demo.yaml"), UNCONFIRMED_POLICY).unwrap();
    std::fs::write(
        dir.path().join("devices.csv"),
        "device,app_name,version,publisher,platform,bundle_id\nIPHONE-1,Demo Chat,1.0,Demo Inc.,iOS,com.example.demochat\n",
    )
    .unwrap();
    let args = |format: &'static str| {
        [
            "scan",
            "devices.csv",
            "--no-profile",
            "--policies",
            "local-policies",
            "--as-of",
            AS_OF,
            "--format",
            format,
        ]
    };
    let run = banscan_in(dir.path(), &args("json"));
    run.expect_code(0);
    let report = run.json();
    let findings: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .filter(|f| f["policy"] == "xx-demo-unconfirmed")
        .collect();
    assert_eq!(findings.len(), 1, "{report:#}");
    assert_eq!(findings[0]["severity"], "advisory");
    assert_eq!(findings[0]["confidence"], "unconfirmed");

    banscan_in(dir.path(), &args("human"))
        .expect_code(0)
        .expect_contains("(unconfirmed identifier: advisory only)");
}

/// `policy show` lists a policy's exemptions one identifier a line.
#[test]
fn policy_show_lists_the_exemptions() {
    banscan(&["policy", "show", "us-dhs-2017-kaspersky"])
        .expect_code(0)
        .expect_contains("except       endpoint opentip.kaspersky.com")
        .expect_contains("except       endpoint taxii.tip.kaspersky.com");
}
