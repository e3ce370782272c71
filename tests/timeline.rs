//! Bans over time (issue 19): compliance deadlines, legal status events,
//! their lint, and scans as of a date.

use crate::common::banscan;

const POLICY: &str = "tests/fixtures/timeline/demo-phase-out-enjoined.yaml";

/// Lints one timeline fixture and checks the code and the `file:line`.
#[track_caller]
fn rejects(fixture: &str, code: &str, line: u32) {
    let path = format!("tests/fixtures/timeline/{fixture}.yaml");
    banscan(&["policy", "lint", "--no-builtin", &path])
        .expect_code(2)
        .expect_contains(&format!("banscan::policy::{code}"))
        .expect_contains(&format!("[{path}:{line}:"))
        .expect_contains("help:");
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
