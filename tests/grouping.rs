//! Reporting for inventories (issue 12): device counts in the summary,
//! many findings of one product in one file folded into one diagnostic,
//! and `--group-by device`.

use std::fmt::Write as _;

use crate::common::{banscan, banscan_in};

const FIXTURE: [&str; 2] = [
    "tests/fixtures/grouping/inventory",
    "tests/fixtures/grouping/project",
];

fn scan(extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["scan", "--as-of", "2026-01-01"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&FIXTURE);
    banscan(&args)
}

/// The default view: a section per policy; the six Demo Chat rows of
/// fleet.csv are one diagnostic with three lines labelled and the rest
/// counted; four rows of devices.csv under one policy are folded too,
/// while three stay separate; the waived one is never folded in.
#[test]
fn policy_view_snapshot() {
    let run = scan(&[]);
    run.expect_code(1);
    insta::assert_snapshot!(run.stdout);
}

/// `--group-by device`: one block per device, sorted, each app once with
/// every policy that bans it (most severe first), the waived one marked,
/// and the package with no device last.
#[test]
fn device_view_snapshot() {
    let run = scan(&["--group-by", "device"]);
    run.expect_code(1);
    insta::assert_snapshot!(run.stdout);
}

/// `--group-by policy` is the default.
#[test]
fn group_by_policy_is_the_default() {
    assert_eq!(scan(&[]).stdout, scan(&["--group-by", "policy"]).stdout);
}

/// `summary.devices` counts distinct devices with an unwaived finding,
/// per policy and per product; PC-0001 in two files counts once, LAB-0001
/// (waived under xx-a) counts only under xx-b, and the package (no device)
/// is not a device.
#[test]
fn the_summary_counts_devices_per_policy_and_product() {
    let run = scan(&["--format", "json"]);
    run.expect_code(1);
    let report = run.json();
    let devices = &report["summary"]["devices"];
    assert_eq!(devices["affected"], 9, "{devices}");
    assert_eq!(devices["by_policy"]["xx-a-2025-chat"], 8, "{devices}");
    assert_eq!(devices["by_policy"]["xx-b-2025-chat"], 9, "{devices}");
    assert_eq!(devices["by_policy"]["xx-c-2025-video"], 1, "{devices}");
    assert_eq!(devices["by_product"]["demo-chat"], 9, "{devices}");
    assert_eq!(devices["by_product"]["demo-video"], 1, "{devices}");
    let phone = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["item"]["device"] == "PHONE-0001")
        .expect("PHONE-0001 is flagged");
    assert_eq!(phone["item"]["platform"], "Android");
    let pc = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["item"]["device"] == "PC-0001")
        .expect("PC-0001 is flagged");
    assert_eq!(pc["item"]["publisher"], "Demo Labs Inc.");
}

/// The near miss on PC-0002 is in no view.
#[test]
fn the_near_miss_is_in_no_view() {
    scan(&[]).expect_lacks("Fan Wallpapers");
    scan(&["--group-by", "device"]).expect_lacks("Fan Wallpapers");
}

/// 10,000 devices with the same app: the human report stays a screenful
/// (a policy's citation once, three excerpts, ten one-line findings, "… and
/// 9987 more on 9987 devices"), while JSON keeps every finding.
#[test]
fn ten_thousand_hits_of_one_app_stay_short_for_people() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = crate::common::root().join("tests/fixtures/grouping");
    std::fs::copy(
        fixture.join("banscan.yaml"),
        dir.path().join("banscan.yaml"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("policies")).unwrap();
    std::fs::copy(
        fixture.join("policies/demo.yaml"),
        dir.path().join("policies/demo.yaml"),
    )
    .unwrap();
    let mut csv = String::from("device,app_name,version,publisher,platform,bundle_id\n");
    for i in 0..10_000 {
        let _ = writeln!(csv, "PC-{i:05},Demo Chat,3.1.0,Demo Labs Inc.,Windows,");
    }
    std::fs::write(dir.path().join("fleet.csv"), csv).unwrap();
    let args = ["scan", "--as-of", "2026-01-01", "fleet.csv"];

    let human = banscan_in(dir.path(), &args);
    human
        .expect_code(1)
        .expect_contains("── xx-a-2025-chat · ")
        .expect_contains("(ban, 10000 findings on 10000 devices)")
        .expect_contains(
            "  fleet.csv:5:10  app \"Demo Chat\" by Demo Labs Inc. on Windows, device PC-00003",
        )
        .expect_contains("… and 9987 more in fleet.csv on 9987 devices")
        .expect_contains("10000 devices affected (by product: demo-chat 10000)");
    let lines = human.stdout.lines().count();
    assert!(lines < 120, "{lines} lines:\n{}", human.stdout);

    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let json = banscan_in(dir.path(), &json_args);
    json.expect_code(1);
    let report = json.json();
    let findings = report["findings"].as_array().unwrap();
    let of = |policy: &str| findings.iter().filter(|f| f["policy"] == policy).count();
    assert_eq!(of("xx-a-2025-chat"), 10_000);
    assert_eq!(of("xx-b-2025-chat"), 10_000);
    assert_eq!(report["summary"]["devices"]["affected"], 10_000);
}
