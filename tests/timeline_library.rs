//! The built-in library over time (issue 19): the 2026 US federal action
//! against Anthropic (POLICY-FACTS section G) and the deadlines of the
//! existing Kaspersky policies, scanned as of the dates that tell them
//! apart.

use serde_json::Value;

use crate::common::{Run, banscan};

const ANTHROPIC: &str = "tests/fixtures/timeline/anthropic";
const DIRECTIVE: &str = "us-president-2026-anthropic";
const S3252: &str = "us-dod-2026-s3252-anthropic";
const S4713: &str = "us-dod-2026-s4713-anthropic";
const COURT: &str =
    "US District Court for the Northern District of California (Judge Rita F. Lin) 3:26-cv-01996";

/// `scan --profile PROFILE --as-of DATE` of one evidence folder.
fn scan(profile: &str, as_of: &str, evidence: &str, extra: &[&str]) -> Run {
    let profile = format!("{ANTHROPIC}/{profile}.yaml");
    let mut args = vec!["scan", "--profile", &profile, "--as-of", as_of];
    args.extend_from_slice(extra);
    args.push(evidence);
    banscan(&args)
}

fn federal(profile: &str, as_of: &str, extra: &[&str]) -> Run {
    scan(profile, as_of, &format!("{ANTHROPIC}/federal"), extra)
}

/// Each finding as (policy, severity, legal state, next deadline, days
/// left), one row per distinct verdict with the number of findings.
fn verdicts(report: &Value) -> Vec<(String, String, String, String, i64, usize)> {
    let mut rows: Vec<(String, String, String, String, i64, usize)> = Vec::new();
    for f in report["findings"].as_array().expect("findings") {
        let text = |v: &Value| v.as_str().unwrap_or("-").to_string();
        let row = (
            text(&f["policy"]),
            text(&f["severity"]),
            text(&f["legal_status"]["state"]),
            text(&f["deadline"]["date"]),
            f["deadline"]["days_left"].as_i64().unwrap_or(-1),
        );
        assert_eq!(f["product"], "anthropic", "{f}");
        match rows
            .iter_mut()
            .find(|r| (&r.0, &r.1, &r.2, &r.3, r.4) == (&row.0, &row.1, &row.2, &row.3, row.4))
        {
            Some(r) => r.5 += 1,
            None => rows.push((row.0, row.1, row.2, row.3, row.4, 1)),
        }
    }
    rows.sort();
    rows
}

fn row(
    policy: &str,
    severity: &str,
    state: &str,
    deadline: &str,
    days_left: i64,
    count: usize,
) -> (String, String, String, String, i64, usize) {
    (
        policy.into(),
        severity.into(),
        state.into(),
        deadline.into(),
        days_left,
        count,
    )
}

/// The five pieces of evidence: a requirements.txt, a package-lock.json,
/// a Windows and a macOS app inventory and an endpoint list.
const EVIDENCE: usize = 5;

/// Before the injunction, every Anthropic product in a federal agency is a
/// phase-out finding naming 2026-08-27: the scan passes by default and
/// fails when phase-out findings are asked to fail it.
#[test]
fn a_federal_agency_is_in_its_phase_out_on_2026_03_01() {
    federal("us-central-government", "2026-03-01", &[])
        .expect_code(0)
        .expect_contains("package anthropic 0.40.0 is banned by us-president-2026-anthropic")
        .expect_contains("package @anthropic-ai/sdk 0.39.0 is banned by us-president-2026-anthropic")
        .expect_contains("app \"Claude\" by Anthropic PBC is banned by us-president-2026-anthropic")
        .expect_contains("app \"Claude\" (com.anthropic.claudefordesktop) by Anthropic, device mac-07 is banned")
        .expect_contains("phase-out: remove by 2026-08-27 (179 days left): cease all use of Anthropic's technology (six months from the directive; derived date)")
        .expect_contains("(ban 0, restrict 0, advisory 0, phase-out 5;")
        .expect_lacks("stale_status");
    federal(
        "us-central-government",
        "2026-03-01",
        &["--fail-on", "phase-out"],
    )
    .expect_code(1);
    let report = federal("us-central-government", "2026-03-01", &["--format", "json"]).json();
    assert_eq!(
        verdicts(&report),
        [row(
            DIRECTIVE,
            "ban",
            "in-force",
            "2026-08-27",
            179,
            EVIDENCE
        )]
    );
    assert_eq!(report["summary"]["by_severity"]["phase_out"], 5);
}

/// The day before the injunction took effect (it was signed on 03-26):
/// still a phase-out.
#[test]
fn the_day_before_the_injunction_is_still_a_phase_out() {
    let report = federal("us-central-government", "2026-04-02", &["--format", "json"]).json();
    assert_eq!(
        verdicts(&report),
        [row(
            DIRECTIVE,
            "ban",
            "in-force",
            "2026-08-27",
            147,
            EVIDENCE
        )]
    );
}

/// From 2026-04-03 the directive is enjoined: every match is still
/// reported, as not enforceable, naming the court and the source; the
/// scan passes.
#[test]
fn from_2026_04_04_the_directive_is_enjoined() {
    let run = federal("us-central-government", "2026-04-04", &[]);
    run.expect_code(0)
        .expect_contains("package anthropic 0.40.0 would violate us-president-2026-anthropic")
        .expect_contains(&format!("not enforceable: enjoined since 2026-04-03 by {COURT}; source: Anthropic supply-chain risk designation injunction (Think Empire Zone) https://thinkempirezone.top/news/detail/anthropic-supply-chain-risk-designation-injunction"))
        .expect_contains("(ban 0, restrict 0, advisory 5;");
    let report = federal("us-central-government", "2026-04-04", &["--format", "json"]).json();
    assert_eq!(
        verdicts(&report),
        [row(DIRECTIVE, "advisory", "enjoined", "-", -1, EVIDENCE)]
    );
    for f in report["findings"].as_array().unwrap() {
        assert_eq!(f["legal_status"]["by"], COURT);
        assert_eq!(f["legal_status"]["since"], "2026-04-03");
        assert_eq!(f["legal_status"]["enforceable"], false);
    }
}

/// After the derived deadline the injunction still stands (no appeal
/// decision is known): no violation, and nothing dropped.
#[test]
fn on_2026_09_01_the_directive_is_still_enjoined() {
    let report = federal("us-central-government", "2026-09-01", &["--format", "json"]).json();
    assert_eq!(
        verdicts(&report),
        [row(DIRECTIVE, "advisory", "enjoined", "-", -1, EVIDENCE)]
    );
    federal("us-central-government", "2026-09-01", &[]).expect_code(0);
}

/// DoD is bound by both designations: § 3252 is enjoined with the
/// directive, § 4713 is not (the D.C. Circuit denied a stay), so its
/// matches are violations from the day after the injunction on.
#[test]
fn the_military_is_bound_by_s4713_which_is_not_enjoined() {
    for as_of in ["2026-04-04", "2026-10-01"] {
        federal("us-military", as_of, &[])
            .expect_code(1)
            .expect_contains("package anthropic 0.40.0 is banned by us-dod-2026-s4713-anthropic")
            .expect_contains("package anthropic 0.40.0 would violate us-dod-2026-s3252-anthropic");
        let report = federal("us-military", as_of, &["--format", "json"]).json();
        assert_eq!(
            verdicts(&report),
            [
                row(S3252, "advisory", "enjoined", "-", -1, EVIDENCE),
                row(S4713, "ban", "in-force", "-", -1, EVIDENCE),
            ],
            "as of {as_of}"
        );
    }
    // Before the injunction, § 3252 was in its (derived) six-month phase-out.
    let report = federal("us-military", "2026-04-02", &["--format", "json"]).json();
    assert_eq!(
        verdicts(&report),
        [
            row(S3252, "ban", "in-force", "2026-08-27", 147, EVIDENCE),
            row(S4713, "ban", "in-force", "-", -1, EVIDENCE),
        ]
    );
}

/// The June merits ruling is rated P: an unconfirmed event, which changes
/// nothing, and § 4713's state is decided by its confirmed events.
#[test]
fn the_unconfirmed_merits_ruling_changes_nothing() {
    let report = federal("us-military", "2026-06-20", &["--format", "json"]).json();
    let s4713: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["policy"] == S4713)
        .collect();
    assert_eq!(s4713.len(), EVIDENCE);
    for f in s4713 {
        assert_eq!(f["legal_status"]["state"], "in-force");
        assert_eq!(f["legal_status"]["since"], "2026-06-03", "{f}");
    }
}

/// Names that only look like Anthropic's (POLICY-FACTS G2, "never match
/// these alone") are not the product `anthropic`: wrappers, look-alikes,
/// a Bedrock model id and DeepSeek's Anthropic-compatible endpoint, which
/// is DeepSeek's. Nor does the safety net take them, or the word
/// "Anthropic" in a comment, for unread evidence.
#[test]
fn look_alikes_and_other_vendors_are_not_anthropic() {
    let negatives = format!("{ANTHROPIC}/negatives");
    for profile in ["us-central-government", "us-military"] {
        let report = scan(profile, "2026-03-01", &negatives, &["--format", "json"]).json();
        for f in report["findings"].as_array().unwrap() {
            assert_ne!(f["product"], "anthropic", "{f}");
        }
        for input in report["inputs"].as_array().unwrap() {
            assert_eq!(input["state"], "read", "{input}");
        }
    }
    // Without a profile every policy applies: DeepSeek's endpoint is
    // judged by the DeepSeek policies.
    let run = banscan(&[
        "scan",
        "--no-profile",
        "--as-of",
        "2026-03-01",
        "--format",
        "json",
        &negatives,
    ]);
    let report = run.json();
    let products: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["product"].as_str().unwrap_or("-"))
        .collect();
    assert!(!products.is_empty());
    assert!(products.iter().all(|p| *p == "deepseek"), "{products:?}");
}

/// The Anthropic policies' status was last checked against sources dated
/// 2026-06-17: 90 days later a scan says so once, naming them.
#[test]
fn the_stale_status_notice_names_the_anthropic_policies() {
    federal("us-military", "2026-12-06", &[])
        .expect_contains("notice [banscan::policy::stale_status]: the legal status of us-dod-2026-s3252-anthropic (checked 2026-06-17), us-dod-2026-s4713-anthropic (checked 2026-06-17) was last checked more than 90 days before 2026-12-06");
    federal("us-central-government", "2026-12-06", &[])
        .expect_contains("the legal status of us-president-2026-anthropic (checked 2026-06-17) was last checked more than 90 days before 2026-12-06");
    federal("us-central-government", "2026-09-01", &[]).expect_lacks("stale_status");
}

const KASPERSKY: &str = "tests/fixtures/timeline/kaspersky";

/// BIS's Kaspersky determination in its stages: no new agreements from
/// 2024-07-20, no updates from 2024-09-29. Between the two an installed
/// Kaspersky product is a phase-out naming the second date; after it a
/// violation at the policy's severity (restrict).
#[test]
fn the_bis_kaspersky_stages() {
    let bis = |as_of: &str| -> Value {
        let profile = format!("{KASPERSKY}/us-company.yaml");
        let evidence = format!("{KASPERSKY}/installed-apps.csv");
        let report = banscan(&[
            "scan",
            "--profile",
            &profile,
            "--as-of",
            as_of,
            "--format",
            "json",
            &evidence,
        ])
        .json();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["policy"] == "us-bis-2024-kaspersky")
            .cloned()
            .expect("a finding under us-bis-2024-kaspersky")
    };
    let during = bis("2024-08-01");
    assert_eq!(during["severity"], "restrict");
    assert_eq!(during["deadline"]["date"], "2024-09-29");
    assert_eq!(during["deadline"]["action"], "stop-updating");
    assert_eq!(during["deadline"]["days_left"], 59);
    let after = bis("2024-10-01");
    assert_eq!(after["severity"], "restrict");
    assert!(after["deadline"].is_null(), "{after}");
    // The phase-out does not fail the scan; the violation does.
    let run = |as_of: &str| {
        banscan(&[
            "scan",
            "--profile",
            &format!("{KASPERSKY}/us-company.yaml"),
            "--fail-on",
            "restrict",
            "--as-of",
            as_of,
            &format!("{KASPERSKY}/installed-apps.csv"),
        ])
    };
    run("2024-08-01")
        .expect_code(0)
        .expect_contains("phase-out: stop-updating by 2024-09-29 (59 days left)");
    run("2024-10-01").expect_code(1);
}

/// `policy export` follows the legal status too: a resolver must not
/// enforce an enjoined order. The header names what was left out and why.
#[test]
fn export_leaves_out_an_enjoined_ban() {
    let hosts = |as_of: &str| {
        banscan(&[
            "policy",
            "export",
            "--target",
            "hosts",
            "--profile",
            &format!("{ANTHROPIC}/us-central-government.yaml"),
            "--as-of",
            as_of,
        ])
    };
    hosts("2026-03-01")
        .expect_code(0)
        .expect_contains("0.0.0.0 api.anthropic.com # us-president-2026-anthropic")
        .expect_lacks("Not enforceable");
    hosts("2026-04-04")
        .expect_code(0)
        .expect_contains("Not enforceable on 2026-04-04, left out: us-president-2026-anthropic (enjoined since 2026-04-03 by US District Court for the Northern District of California")
        .expect_lacks("api.anthropic.com");
}

/// `policy list --due-within` asks the policies that bind the profile: a
/// federal agency's deadline is the directive's, DoD's the § 3252
/// designation's; each row says the policy's state on the day.
#[test]
fn due_within_lists_the_deadlines_of_the_profile() {
    let due = |profile: &str, as_of: &str| {
        banscan(&[
            "policy",
            "list",
            "--profile",
            &format!("{ANTHROPIC}/{profile}.yaml"),
            "--as-of",
            as_of,
            "--due-within",
            "26w",
        ])
    };
    due("us-central-government", "2026-03-01")
        .expect_code(0)
        .expect_contains("2026-08-27  179        remove  us-president-2026-anthropic  phase-out until 2026-08-27")
        .expect_lacks(S3252)
        .expect_contains("1 deadline from 2026-03-01 to 2026-08-30 (182 days)");
    due("us-military", "2026-03-01")
        .expect_contains("2026-08-27  179        remove  us-dod-2026-s3252-anthropic  not yet effective (from 2026-03-03)")
        .expect_lacks(DIRECTIVE);
    due("us-central-government", "2026-04-10")
        .expect_contains("us-president-2026-anthropic  enjoined since 2026-04-03");
}

/// The three instruments as `policy show` and `policy list --as-of` print
/// them (snapshots): the timeline with its citations, and the state column
/// the day after the injunction took effect.
#[test]
fn the_anthropic_policies_as_show_and_list_print_them() {
    for id in [DIRECTIVE, S4713] {
        let run = banscan(&["policy", "show", id, "--as-of", "2026-04-04"]);
        run.expect_code(0);
        insta::assert_snapshot!(format!("show_{id}"), run.stdout);
    }
    let run = banscan(&[
        "policy",
        "list",
        "--no-profile",
        "--product",
        "anthropic",
        "--as-of",
        "2026-04-04",
    ]);
    run.expect_code(0)
        .expect_contains(
            "us-dod-2026-s3252-anthropic  US            2026-03-03  enjoined since 2026-04-03",
        )
        .expect_contains("us-dod-2026-s4713-anthropic  US            2026-03-03  in force");
    insta::assert_snapshot!("list_anthropic_as_of_2026_04_04", run.stdout);
}
