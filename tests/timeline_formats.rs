//! Every report format carries a finding's legal status and deadline
//! (issue 19): the demo policy's phase-out (2026-03-01) and its enjoined
//! app (2026-04-03), rendered in each format.

use crate::timeline::scan_as_of;

/// `short` ends a line with the phase-out's end and the next deadline, or
/// with the event that makes the finding not enforceable.
#[test]
fn short_names_the_phase_out_and_the_injunction() {
    scan_as_of("2026-03-01", &["--format", "short"])
        .expect_code(0)
        .expect_contains("endpoint api.demo-chat.example (product demo-chat) [phase-out until 2026-08-27; stop-buying by 2026-05-01, 61 days left]");
    scan_as_of("2026-04-03", &["--format", "short"])
        .expect_code(0)
        .expect_contains("advisory xx-demo-2026-chat: app \"Demo Chat\" by Demo Labs Inc. (product demo-chat) [not enforceable: enjoined since 2026-04-03 by Demo District Court 1:26-cv-00001]");
    scan_as_of("2026-08-27", &["--format", "short"]).expect_lacks("phase-out");
}

/// The SARIF result of `kind`'s finding in a scan of the demo evidence.
fn sarif_result(as_of: &str, kind: &str) -> serde_json::Value {
    let log = scan_as_of(as_of, &["--format", "sarif"]).json();
    crate::report_sarif::assert_valid(&log);
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["properties"]["item"]["kind"] == kind)
        .unwrap_or_else(|| panic!("a {kind} result"))
        .clone()
}

/// In SARIF a phase-out is a warning naming its deadline, not an error;
/// a not-enforceable finding is a note naming the event. Both carry the
/// status and deadline in the result's properties, and the log stays
/// valid against the schema.
#[test]
fn sarif_levels_follow_the_timeline() {
    let phase_out = sarif_result("2026-03-01", "package");
    assert_eq!(phase_out["level"], "warning");
    let text = phase_out["message"]["text"].as_str().expect("a message");
    assert!(
        text.contains("phase-out until 2026-08-27; stop-buying by 2026-05-01, 61 days left"),
        "{text}"
    );
    assert_eq!(phase_out["properties"]["deadline"]["date"], "2026-05-01");
    assert_eq!(phase_out["properties"]["legalStatus"]["state"], "in-force");
    let enjoined = sarif_result("2026-04-03", "app");
    assert_eq!(enjoined["level"], "note");
    let text = enjoined["message"]["text"].as_str().expect("a message");
    assert!(
        text.contains(
            "not enforceable: enjoined since 2026-04-03 by Demo District Court 1:26-cv-00001"
        ),
        "{text}"
    );
    assert_eq!(enjoined["properties"]["legalStatus"]["enforceable"], false);
    assert!(enjoined["properties"].get("deadline").is_none());
    assert_eq!(sarif_result("2026-08-27", "package")["level"], "error");
}

/// In JUnit a phase-out or not-enforceable finding fails no test case:
/// it is listed in the case's system-out with its status. After the last
/// deadline the same match fails its case.
#[test]
fn junit_lists_phase_out_and_enjoined_findings_without_failing() {
    scan_as_of("2026-04-03", &["--format", "junit"])
        .expect_code(0)
        .expect_contains(r#"<testsuite name="xx-demo-2026-chat" tests="3" failures="0""#)
        .expect_contains("<system-out>phase-out until 2026-08-27; stop-buying by 2026-05-01, 28 days left: tests/fixtures/timeline/evidence/requirements.txt:1: package demo-chat 1.0")
        .expect_contains("<system-out>not enforceable: enjoined since 2026-04-03 by Demo District Court 1:26-cv-00001: tests/fixtures/timeline/evidence/installed-apps.csv:2:")
        .expect_lacks("<failure");
    scan_as_of("2026-08-27", &["--format", "junit"])
        .expect_contains(r#"<testsuite name="xx-demo-2026-chat" tests="3" failures="3""#);
}

/// In Markdown the status column names the phase-out's end and the next
/// deadline, or the event that makes a finding not enforceable; neither
/// is counted as failing in the title.
#[test]
fn markdown_status_column_follows_the_timeline() {
    scan_as_of("2026-03-01", &["--format", "markdown"])
        .expect_code(0)
        .expect_contains("## ⚠️ banscan: 3 findings in a phase-out")
        .expect_contains("ban 0, restrict 0, advisory 0, phase-out 3")
        .expect_contains(
            r"| phase-out until 2026\-08\-27 (stop\-buying by 2026\-05\-01, 61 days left) |",
        )
        .expect_lacks("**fails**");
    scan_as_of("2026-04-03", &["--format", "markdown"])
        .expect_code(0)
        .expect_contains("## ⚠️ banscan: 1 finding (advisory), 2 findings in a phase-out")
        .expect_contains(r"| not enforceable (enjoined since 2026\-04\-03 by Demo District Court 1\:26\-cv\-00001) |");
    scan_as_of("2026-08-27", &["--format", "markdown"])
        .expect_contains("## ❌ banscan: 3 findings to fix")
        .expect_contains("| **fails** |");
}

/// In HTML each finding shows its phase-out or the event that makes it
/// not enforceable beside its severity, and the verdict is a warning, not
/// a failure, until the last deadline.
#[test]
fn html_shows_the_status_and_does_not_fail_on_it() {
    scan_as_of("2026-03-01", &["--format", "html"])
        .expect_code(0)
        .expect_contains("Phase-out: 3 findings not yet due")
        .expect_contains(r#"<span class="tag timeline">phase-out until 2026-08-27; stop-buying by 2026-05-01, 61 days left</span>"#)
        .expect_lacks("Not compliant");
    scan_as_of("2026-04-03", &["--format", "html"])
        .expect_code(0)
        .expect_contains("Phase-out: 2 findings not yet due")
        .expect_contains(r#"<span class="tag timeline">not enforceable: enjoined since 2026-04-03 by Demo District Court 1:26-cv-00001</span>"#);
    scan_as_of("2026-08-27", &["--format", "html"])
        .expect_contains("Not compliant: 3 findings to act on")
        .expect_lacks("tag timeline");
}
