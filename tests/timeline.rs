//! Bans over time (issue 19): compliance deadlines, legal status events,
//! their lint, and scans as of a date.

use crate::common::banscan;

const POLICY: &str = "tests/fixtures/timeline/demo-phase-out-enjoined.yaml";

/// Lints one fixture of `tests/fixtures/timeline/`.
#[track_caller]
fn rejects(fixture: &str, code: &str, line: u32) {
    crate::common::lint_rejects("timeline", fixture, code, line);
}

#[test]
fn a_timeline_policy_lints_clean() {
    banscan(&["policy", "lint", "--no-builtin", POLICY])
        .expect_code(0)
        .expect_contains("1 policy and 1 product are valid");
}

#[test]
fn events_out_of_order_are_refused() {
    rejects("event-out-of-order", "date_order", 46);
}

#[test]
fn an_uncited_event_is_refused() {
    rejects("uncited-event", "no_sources", 41);
}

#[test]
fn an_unknown_state_is_refused() {
    rejects("unknown-state", "bad_value", 42);
    banscan(&[
        "policy",
        "lint",
        "--no-builtin",
        "tests/fixtures/timeline/unknown-state.yaml",
    ])
    .expect_contains("unknown legal state `paused`");
}

#[test]
fn an_event_before_issued_is_refused() {
    rejects("event-before-issued", "date_order", 37);
}

#[test]
fn a_deadline_after_expires_is_refused() {
    rejects("deadline-after-expires", "date_order", 34);
}

#[test]
fn an_unknown_key_in_an_event_is_refused() {
    rejects("unknown-status-key", "unknown_key", 44);
}

const EVIDENCE: &str = "tests/fixtures/timeline/evidence";

/// `scan` of the demo evidence with only the demo policy, as of `as_of`.
pub fn scan_as_of(as_of: &str, extra: &[&str]) -> crate::common::Run {
    let mut args = vec![
        "scan",
        "--no-builtin",
        "--no-profile",
        "--policies",
        POLICY,
        "--as-of",
        as_of,
    ];
    args.extend_from_slice(extra);
    args.push(EVIDENCE);
    banscan(&args)
}

/// Each finding's item kind with its severity, legal state and next deadline.
fn verdicts(report: &serde_json::Value) -> Vec<(String, String, String, String)> {
    let mut got: Vec<_> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let text = |v: &serde_json::Value| v.as_str().unwrap_or("-").to_string();
            (
                text(&f["item"]["kind"]),
                text(&f["severity"]),
                text(&f["legal_status"]["state"]),
                text(&f["deadline"]["date"]),
            )
        })
        .collect();
    got.sort();
    got
}

fn row(
    kind: &str,
    severity: &str,
    state: &str,
    deadline: &str,
) -> (String, String, String, String) {
    (kind.into(), severity.into(), state.into(), deadline.into())
}

/// Before the last deadline a match is a phase-out finding naming the
/// next date and the days left: it fails no scan by default, and fails
/// one under `--fail-on phase-out`.
#[test]
fn before_the_deadline_a_match_is_a_phase_out() {
    scan_as_of("2026-03-01", &[])
        .expect_code(0)
        .expect_contains("phase-out: stop-buying by 2026-05-01 (61 days left): no new purchases of Demo Chat; full severity from 2026-08-27")
        .expect_contains("(ban 0, restrict 0, advisory 0, phase-out 3;");
    scan_as_of("2026-03-01", &["--fail-on", "phase-out"]).expect_code(1);
    let report = scan_as_of("2026-03-01", &["--format", "json"]).json();
    assert_eq!(
        verdicts(&report),
        [
            row("app", "ban", "in-force", "2026-05-01"),
            row("endpoint", "ban", "in-force", "2026-05-01"),
            row("package", "ban", "in-force", "2026-05-01"),
        ]
    );
    assert_eq!(report["findings"][0]["deadline"]["days_left"], 61);
    assert_eq!(
        report["findings"][0]["deadline"]["phase_out_until"],
        "2026-08-27"
    );
    assert_eq!(report["summary"]["by_severity"]["phase_out"], 3);
}

/// A profile's `fail_on: phase-out` makes a phase-out fail the scan.
#[test]
fn a_profile_can_fail_on_phase_out() {
    banscan(&[
        "scan",
        "--no-builtin",
        "--profile",
        "tests/fixtures/timeline/phase-out-fails.yaml",
        "--as-of",
        "2026-03-01",
        EVIDENCE,
    ])
    .expect_code(1);
}

/// From the injunction's day, the app (the part it touches) is reported as
/// not enforceable, an advisory naming the court and the source; the
/// rest stays in its phase-out. Nothing is dropped.
#[test]
fn an_enjoined_part_is_reported_as_not_enforceable() {
    let run = scan_as_of("2026-04-03", &[]);
    run.expect_code(0)
        .expect_contains("app \"Demo Chat\" by Demo Labs Inc. would violate xx-demo-2026-chat")
        .expect_contains("not enforceable: enjoined since 2026-04-03 by Demo District Court 1:26-cv-00001; source: Demo injunction (Demo Court News) https://court.example/injunction");
    let report = scan_as_of("2026-04-03", &["--format", "json"]).json();
    assert_eq!(
        verdicts(&report),
        [
            row("app", "advisory", "enjoined", "-"),
            row("endpoint", "ban", "in-force", "2026-05-01"),
            row("package", "ban", "in-force", "2026-05-01"),
        ]
    );
    let app = crate::common::finding_named(&report, "Demo Chat").expect("the app");
    assert_eq!(app["legal_status"]["enforceable"], false);
    assert_eq!(
        app["legal_status"]["by"],
        "Demo District Court 1:26-cv-00001"
    );
    // The day before, the injunction had not taken effect.
    let before = scan_as_of("2026-04-02", &["--format", "json"]).json();
    assert_eq!(
        verdicts(&before)[0],
        row("app", "ban", "in-force", "2026-05-01")
    );
}

/// A stay puts the ban back in force; the later unconfirmed vacatur
/// changes nothing; after the last deadline every match is a violation.
#[test]
fn a_stay_restores_the_ban_and_the_deadline_ends_the_phase_out() {
    let report = scan_as_of("2026-07-01", &["--format", "json"]).json();
    assert_eq!(
        verdicts(&report),
        [
            row("app", "ban", "stayed", "2026-08-27"),
            row("endpoint", "ban", "in-force", "2026-08-27"),
            row("package", "ban", "in-force", "2026-08-27"),
        ]
    );
    scan_as_of("2026-08-27", &[])
        .expect_code(1)
        .expect_contains("(ban 3, restrict 0, advisory 0;")
        .expect_lacks("phase-out");
}

/// A status checked more than 90 days before the scan's day is named once.
#[test]
fn a_stale_status_is_named_once() {
    let run = scan_as_of("2026-12-06", &[]);
    run.expect_contains("notice [banscan::policy::stale_status]: the legal status of xx-demo-2026-chat (checked 2026-06-20) was last checked more than 90 days before 2026-12-06");
    assert_eq!(run.all().matches("stale_status").count(), 1);
    scan_as_of("2026-09-18", &[]).expect_lacks("stale_status");
}

/// `policy list --as-of` shows the phase-out, and an injunction of the
/// whole policy would show as its state.
#[test]
fn policy_list_shows_the_phase_out() {
    banscan(&[
        "policy",
        "list",
        "--no-builtin",
        "--policies",
        POLICY,
        "--as-of",
        "2026-03-01",
    ])
    .expect_code(0)
    .expect_contains("phase-out until 2026-08-27");
    banscan(&[
        "policy",
        "list",
        "--no-builtin",
        "--policies",
        POLICY,
        "--as-of",
        "2026-09-01",
    ])
    .expect_contains("in force");
}
