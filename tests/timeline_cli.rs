//! Bans over time (issue 19), the command-line views: `policy show`'s
//! timeline, `policy list --as-of` states and `--due-within` deadlines,
//! and `policy diff` of deadlines and status events.

use std::path::Path;

use crate::common::{Run, banscan};

/// Phase-out (stop buying 2026-05-01, remove 2026-08-27), apps enjoined
/// 2026-04-03 and stayed 2026-06-01, an unconfirmed vacatur 2026-06-17.
const PHASE_OUT: &str = "tests/fixtures/timeline/demo-phase-out-enjoined.yaml";
/// Effective 2026-01-05, an apps deadline 2026-01-20, wholly enjoined
/// 2026-03-02, expires 2026-12-31.
const ENJOINED: &str = "tests/fixtures/timeline/demo-enjoined-expiring.yaml";
/// PHASE_OUT before its court events were recorded.
const BEFORE: &str = "tests/fixtures/timeline/diff-before-injunction";
const EVIDENCE: &str = "tests/fixtures/timeline/evidence";

/// `policy ARGS` with both demo policies only, no profile.
fn policy(args: &[&str]) -> Run {
    let mut all = vec![
        "policy",
        args[0],
        "--no-builtin",
        "--no-profile",
        "--policies",
        PHASE_OUT,
        "--policies",
        ENJOINED,
    ];
    all.extend_from_slice(&args[1..]);
    banscan(&all)
}

/// The state column of one policy's row on `as_of`.
fn state(id: &str, as_of: &str) -> String {
    let json = policy(&["list", "--as-of", as_of, "--format", "json"])
        .expect_code(0)
        .json();
    let row = json
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("{id} is listed"));
    row["state"].as_str().unwrap().to_string()
}

/// The show output is the existing fields, then the timeline in date
/// order with each event cited, then the state on the day; pinned whole.
#[test]
fn show_prints_the_timeline_with_citations() {
    let run = policy(&["show", "xx-demo-2026-chat", "--as-of", "2026-04-10"]);
    run.expect_code(0)
        .expect_contains(
            "  2026-04-03  enjoined for apps by Demo District Court 1:26-cv-00001\n              Demo injunction — Demo Court News\n              https://court.example/injunction\n",
        )
        .expect_contains("  2026-05-01  deadline stop-buying: no new purchases of Demo Chat\n")
        .expect_contains("vacated by Demo Appeals Court 26-0002 (unconfirmed, does not change the state)")
        .expect_contains("  2026-06-20  status checked\n")
        .expect_contains(
            "state on 2026-04-10: phase-out until 2026-08-27 (next deadline 2026-05-01)\n  apps: enjoined since 2026-04-03 by Demo District Court 1:26-cv-00001\n",
        );
    insta::assert_snapshot!("show_phase_out_enjoined", run.stdout);
}

/// A whole-policy injunction is the state, named with who decided it; a
/// deadline for apps only says so; the source's date is cited; expiry
/// is on the timeline.
#[test]
fn show_names_an_injunction_of_the_whole_policy() {
    let run = policy(&["show", "xx-demo-2026-relay", "--as-of", "2026-03-10"]);
    run.expect_code(0)
        .expect_contains(
            "  2026-01-20  deadline stop-updating (apps): no updates of the Demo Relay app\n",
        )
        .expect_contains("              Demo relay injunction — Demo Court News, 2026-03-02\n")
        .expect_contains("  2026-12-31  expires (the last day it applies)\n")
        .expect_contains(
            "state on 2026-03-10: enjoined since 2026-03-02 by Demo District Court 1:26-cv-00009\n",
        );
    insta::assert_snapshot!("show_enjoined_expiring", run.stdout);
    // The stay of the apps injunction is named under the whole policy's state.
    policy(&["show", "xx-demo-2026-chat", "--as-of", "2026-07-01"])
        .expect_contains("  apps: stayed since 2026-06-01 by Demo Appeals Court 26-0002\n");
    policy(&["show", "xx-demo-2026-relay", "--as-of", "2027-01-01"])
        .expect_contains("state on 2027-01-01: expired 2026-12-31\n");
}

/// A policy without deadlines or status shows as before: no timeline,
/// and no state line unless --as-of asks for one.
#[test]
fn show_without_a_timeline_is_unchanged() {
    let plain = "tests/fixtures/valid-policy.yaml";
    let show = |extra: &[&str]| {
        let mut args = vec![
            "policy",
            "show",
            "xx-demo-2025-chat",
            "--no-builtin",
            "--no-profile",
            "--policies",
            plain,
        ];
        args.extend_from_slice(extra);
        banscan(&args)
    };
    show(&[])
        .expect_code(0)
        .expect_lacks("timeline:")
        .expect_lacks("state on");
    show(&["--as-of", "2026-01-01"])
        .expect_code(0)
        .expect_lacks("timeline:")
        .expect_contains("state on 2026-01-01: in force\n");
    show(&["--as-of", "2026-13-01"]).expect_code(2);
}

/// Every state the issue names, on chosen days.
#[test]
fn list_state_column_covers_every_state() {
    let cases = [
        ("xx-demo-2026-chat", "2026-02-26", "not-yet-effective"),
        ("xx-demo-2026-chat", "2026-04-10", "phase-out"),
        ("xx-demo-2026-chat", "2026-08-27", "in-force"),
        ("xx-demo-2026-relay", "2026-03-01", "in-force"),
        ("xx-demo-2026-relay", "2026-03-02", "enjoined"),
        ("xx-demo-2026-relay", "2026-12-31", "enjoined"),
        ("xx-demo-2026-relay", "2027-01-01", "expired"),
    ];
    for (id, as_of, want) in cases {
        assert_eq!(state(id, as_of), want, "{id} on {as_of}");
    }
    let table = |as_of: &str| {
        policy(&["list", "--as-of", as_of])
            .expect_code(0)
            .stdout
            .clone()
    };
    let t = table("2026-03-01");
    assert!(
        t.contains("phase-out until 2026-08-27 (next deadline 2026-05-01)"),
        "{t}"
    );
    assert!(t.contains("in force, expires 2026-12-31"), "{t}");
    insta::assert_snapshot!("list_as_of_2026_03_01", t);
    let t = table("2026-06-01");
    assert!(t.contains("phase-out until 2026-08-27  "), "{t}");
    assert!(t.contains("enjoined since 2026-03-02"), "{t}");
    insta::assert_snapshot!("list_as_of_2026_06_01", t);
    let t = table("2026-02-01");
    assert!(t.contains("not yet effective (from 2026-02-27)"), "{t}");
    assert!(table("2027-01-01").contains("expired 2026-12-31"));
}

/// The window includes both its ends, leaves out past deadlines, and
/// sorts by date across policies.
#[test]
fn due_within_lists_the_deadlines_in_the_window() {
    let due = |as_of: &str, within: &str| {
        let json = policy(&[
            "list",
            "--as-of",
            as_of,
            "--due-within",
            within,
            "--format",
            "json",
        ])
        .expect_code(0)
        .json();
        json.as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{} {} {} {}",
                    d["date"].as_str().unwrap(),
                    d["days_left"],
                    d["action"].as_str().unwrap(),
                    d["policy"].as_str().unwrap()
                )
            })
            .collect::<Vec<_>>()
    };
    // 2026-05-01 is exactly 21 days after 2026-04-10.
    assert_eq!(
        due("2026-04-10", "21d"),
        ["2026-05-01 21 stop-buying xx-demo-2026-chat"]
    );
    assert_eq!(due("2026-04-10", "20d"), Vec::<String>::new());
    // On the day itself, 0 days left.
    assert_eq!(
        due("2026-05-01", "0d"),
        ["2026-05-01 0 stop-buying xx-demo-2026-chat"]
    );
    // Past deadlines are left out; weeks are days times seven.
    assert_eq!(
        due("2026-05-02", "17w"),
        ["2026-08-27 117 remove xx-demo-2026-chat"]
    );
    assert_eq!(
        due("2026-01-01", "240d"),
        [
            "2026-01-20 19 stop-updating xx-demo-2026-relay",
            "2026-05-01 120 stop-buying xx-demo-2026-chat",
            "2026-08-27 238 remove xx-demo-2026-chat",
        ]
    );
    let run = policy(&["list", "--as-of", "2026-01-01", "--due-within", "90d"]);
    run.expect_code(0)
        .expect_contains("DATE        DAYS LEFT  ACTION         POLICY              STATE                                TEXT\n")
        .expect_contains("2026-01-20  19         stop-updating  xx-demo-2026-relay  not yet effective (from 2026-01-05)  no updates of the Demo Relay app (apps)\n")
        .expect_contains("1 deadline from 2026-01-01 to 2026-04-01 (90 days)\n");
}

/// Only the policies the profile loads are asked; a bad duration is a
/// usage error.
#[test]
fn due_within_follows_the_profile_and_refuses_bad_durations() {
    banscan(&[
        "policy",
        "list",
        "--profile",
        "tests/fixtures/timeline/phase-out-fails.yaml",
        "--as-of",
        "2026-01-01",
        "--due-within",
        "240d",
    ])
    .expect_code(0)
    .expect_contains("xx-demo-2026-chat")
    .expect_lacks("xx-demo-2026-relay")
    .expect_contains("2 deadlines from 2026-01-01");
    for bad in ["6m", "90", "-5d", "d"] {
        policy(&["list", &format!("--due-within={bad}")])
            .expect_code(2)
            .expect_contains("banscan::usage::bad_flag")
            .expect_contains(&format!(
                "--due-within: `{bad}` is not a number of days or weeks"
            ));
    }
}

/// An injunction recorded in the new rule set is named in the rule diff,
/// and the finding it touches is listed as changed, from a phase-out to
/// not enforceable, not as cleared.
#[test]
fn diff_of_an_added_injunction_changes_the_finding() {
    let args = [
        "policy",
        "diff",
        "--no-builtin",
        BEFORE,
        PHASE_OUT,
        "--against",
        EVIDENCE,
        "--as-of",
        "2026-04-10",
    ];
    banscan(&args)
        .expect_code(0)
        .expect_contains("      status_checked: 2026-03-20 -> 2026-06-20\n")
        .expect_contains("      + status 2026-04-03 enjoined for apps by Demo District Court 1:26-cv-00001\n")
        .expect_contains("      + status 2026-06-17 vacated by Demo Appeals Court 26-0002 (unconfirmed)\n")
        .expect_contains("0 findings newly flagged, 0 newly cleared, 1 changed")
        .expect_contains("  ~ app \"Demo Chat\" by Demo Labs Inc. (tests/fixtures/timeline/evidence/installed-apps.csv:2) under xx-demo-2026-chat: ban, phase-out until 2026-08-27 (stop-buying by 2026-05-01) -> advisory, not enforceable: enjoined since 2026-04-03 by Demo District Court 1:26-cv-00001\n");
    let json = banscan(&[&args[..], &["--format", "json"]].concat())
        .expect_code(0)
        .json();
    let change = &json["policies"]["changed"][0];
    assert_eq!(change["status"]["added"][0]["state"], "enjoined");
    assert_eq!(change["status"]["added"][0]["part"][0], "apps");
    assert_eq!(change["deadlines"]["added"], serde_json::json!([]));
    let found = &json["changed_findings"][0];
    assert_eq!(found["before"]["severity"], "ban");
    assert_eq!(found["before"]["deadline"]["date"], "2026-05-01");
    assert_eq!(found["after"]["severity"], "advisory");
    assert_eq!(found["after"]["legal_status"]["state"], "enjoined");
    assert_eq!(found["newly_failing"], false);
    assert_eq!(json["newly_cleared"], serde_json::json!([]));
    assert_eq!(json["changed_findings"].as_array().unwrap().len(), 1);
}

/// A deadline moved is one changed deadline; an injunction lifted off a
/// finding past its phase-out makes it fail again, which exits 1.
#[test]
fn diff_of_a_moved_deadline_and_a_dropped_injunction() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(crate::common::root().join(ENJOINED)).unwrap();
    let (old, new) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
    std::fs::write(&old, &text).unwrap();
    let start = text.find("status:\n").unwrap();
    let end = text.find("status_checked:").unwrap();
    let moved = format!("{}{}", &text[..start], &text[end..])
        .replace("date: 2026-01-20", "date: 2026-02-02");
    std::fs::write(&new, moved).unwrap();
    let endpoints = dir.path().join("endpoints.txt");
    std::fs::write(&endpoints, "demo-relay.example\n").unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let (old, new, endpoints) = (s(&old), s(&new), s(&endpoints));
    banscan(&["policy", "diff", "--no-builtin", &old, &new, "--against", &endpoints, "--as-of", "2026-04-10"])
        .expect_code(1)
        .expect_contains("      ~ deadline 2026-01-20 stop-updating (apps): no updates of the Demo Relay app -> 2026-02-02 stop-updating (apps): no updates of the Demo Relay app\n")
        .expect_contains("      - status 2026-03-02 enjoined by Demo District Court 1:26-cv-00009\n")
        .expect_contains("0 findings newly flagged, 0 newly cleared, 1 changed")
        .expect_contains("under xx-demo-2026-relay: advisory, not enforceable: enjoined since 2026-03-02 by Demo District Court 1:26-cv-00009 -> ban\n");
    // The other way round the finding stops failing: exit 0.
    banscan(&[
        "policy",
        "diff",
        "--no-builtin",
        &new,
        &old,
        "--against",
        &endpoints,
        "--as-of",
        "2026-04-10",
    ])
    .expect_code(0)
    .expect_contains("1 changed");
}
