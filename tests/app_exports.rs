//! App inventory exports of each tool (issue 12): Jamf Pro computers and
//! mobile devices, Windows `Get-Package | Export-Csv`, the Uninstall
//! registry, and a table only `--columns` can read; every banned app found
//! with its device and line. Fixtures: `tests/fixtures/app-csv/README.md`.

use serde_json::Value;

use crate::common::{Run, scan_with_policy};

/// Bans WeChat by its name, and its iOS and macOS bundle ids; WeCom and a
/// third-party helper are near misses.
const POLICY: &str = r#"
product: demo-wechat
name: Demo WeChat
identifiers:
  apps:
    - name: WeChat
    - bundle_id: com.tencent.xin
    - bundle_id: com.tencent.xinWeChat
---
policy: xx-demo-2025-wechat
title: Demo ban on WeChat
authority: Demo Ministry
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Demo Act
sources: [{title: Demo notice, publisher: Demo Gazette, url: "https://example.org/notice"}]
binds: {sectors: [all]}
severity: ban
bans:
  - product: demo-wechat
examples:
  violating: [{app: {name: WeChat}}]
  compliant: [{app: {name: WeCom, bundle_id: com.tencent.ww}}]
"#;

fn scan(fixture: &str, extra: &[&str]) -> Run {
    let path = format!("tests/fixtures/app-csv/{fixture}");
    let mut args = vec![path.as_str()];
    args.extend_from_slice(extra);
    scan_with_policy(POLICY, &args, "json")
}

/// (line, app name, device) of every finding.
fn found(run: &Run) -> Vec<(u64, String, Option<String>)> {
    let report: Value = run.json();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["location"]["line"].as_u64().unwrap(),
                f["item"]["name"].as_str().unwrap_or_default().to_string(),
                f["item"]["device"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn one(line: u64, name: &str, device: Option<&str>) -> Vec<(u64, String, Option<String>)> {
    vec![(line, name.to_string(), device.map(str::to_string))]
}

/// Jamf Pro computer inventory: `Application Title`, `Application Bundle
/// ID`, `Computer Name`; found by bundle id, and by its title without the
/// bundle's `.app` where no bundle id was recorded; the helper is not
/// WeChat.
#[test]
fn jamf_pro_computers() {
    let run = scan("jamf-pro-computers.csv", &[]);
    run.expect_code(1);
    let mut want = one(3, "WeChat", Some("MAC-0101"));
    want.extend(one(5, "WeChat", Some("MAC-0103")));
    assert_eq!(found(&run), want);
}

/// Jamf Pro mobile devices: `Display Name` is the device there, `App Name`
/// the app; WeCom is not WeChat.
#[test]
fn jamf_pro_mobile_devices() {
    let run = scan("jamf-pro-mobile-devices.csv", &[]);
    run.expect_code(1);
    assert_eq!(found(&run), one(2, "WeChat", Some("IPAD-07")));
}

/// `Get-Package | Export-Csv` run through `Invoke-Command`: `Name` is the
/// app and `PSComputerName` the device.
#[test]
fn get_package_with_ps_computer_name() {
    let run = scan("get-package-export.csv", &[]);
    run.expect_code(1);
    assert_eq!(found(&run), one(3, "WeChat", Some("PC-0007")));
}

/// An Uninstall-registry export of one computer names no device:
/// `--device` gives it; `DisplayName` is never taken for the device.
#[test]
fn uninstall_export_with_device_flag() {
    let run = scan("PC-0042-uninstall.csv", &[]);
    run.expect_code(1);
    assert_eq!(found(&run), one(3, "WeChat", None));
    let run = scan("PC-0042-uninstall.csv", &["--device", "PC-0042"]);
    assert_eq!(found(&run), one(3, "WeChat", Some("PC-0042")));
}

/// Headers no synonym knows are read only with `--columns`.
#[test]
fn columns_map_unknown_headers() {
    scan("custom-columns.csv", &[]).expect_code(2);
    let run = scan(
        "custom-columns.csv",
        &["--columns", "app_name=Title,device=Host,publisher=Maker"],
    );
    run.expect_code(1);
    assert_eq!(found(&run), one(3, "WeChat", Some("KIOSK-3")));
}

/// A bad key is refused before the scan, naming it; a header the table
/// lacks is an input problem naming it and the headers found: exit 2 both.
#[test]
fn columns_errors_name_the_key_or_column() {
    scan("custom-columns.csv", &["--columns", "app=Title"])
        .expect_code(2)
        .expect_contains("unknown column key `app`")
        .expect_contains("app_name, publisher");
    scan("custom-columns.csv", &["--columns", "app_name=Titel"])
        .expect_code(2)
        .expect_contains("`--columns` names the column `Titel`")
        .expect_contains("(Host, Title, Maker, Ver)");
}

/// Intune's aggregate "Discovered apps" report names no device, only a
/// count: the count is carried on the item (two versions of one app fold
/// into one finding with both counts), said in the diagnostic, and kept
/// apart from the named devices in the summary as a range; a count that is
/// not a number is a record passed over at its line.
#[test]
fn intune_aggregate_device_count() {
    let run = scan("intune-app-inventory-aggregate.csv", &[]);
    run.expect_code(1);
    let report = run.json();
    let counts: Vec<(u64, Option<u64>, Option<&str>)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["location"]["line"].as_u64().unwrap(),
                f["item"]["device_count"].as_u64(),
                f["item"]["device"].as_str(),
            )
        })
        .collect();
    assert!(counts.contains(&(3, Some(46), None)), "{counts:?}");
    assert!(counts.contains(&(5, Some(5), None)), "{counts:?}");
    let devices = &report["summary"]["devices"];
    assert_eq!(devices["affected"], 0, "{devices}");
    assert_eq!(devices["counted_by_exports"]["at_least"], 46, "{devices}");
    assert_eq!(devices["counted_by_exports"]["at_most"], 51, "{devices}");
    let skipped = &report["inputs"][0]["skipped"];
    assert_eq!(skipped["count"], 1, "{skipped}");
    assert_eq!(skipped["first"]["line"], 6, "{skipped}");
    assert!(
        skipped["first"]["message"]
            .as_str()
            .unwrap()
            .contains("device count `n/a`"),
        "{skipped}"
    );

    let human = scan_with_policy(
        POLICY,
        &["tests/fixtures/app-csv/intune-app-inventory-aggregate.csv"],
        "human",
    );
    human
        .expect_code(1)
        .expect_contains("installed on 46 devices (the export's count)")
        .expect_contains("46–51 devices counted by exports that name none");
}

/// Headers no column is taken from are listed once per input, in the JSON
/// report and as one note, so an id column read as nothing shows; a table
/// whose every header is mapped lists none.
#[test]
fn ignored_columns_are_listed() {
    let report = scan("intune-app-inventory-aggregate.csv", &[]).json();
    assert_eq!(
        report["inputs"][0]["ignored_columns"],
        serde_json::json!(["ApplicationKey", "ApplicationShortVersion"])
    );
    let human = scan_with_policy(
        POLICY,
        &["tests/fixtures/app-csv/intune-app-inventory-aggregate.csv"],
        "human",
    );
    human.expect_contains(
        "intune-app-inventory-aggregate.csv: ignored columns: ApplicationKey, ApplicationShortVersion\n",
    );
    // `--columns` takes a header that was ignored: it is no longer listed.
    let mapped = scan(
        "intune-app-inventory-aggregate.csv",
        &["--columns", "bundle_id=ApplicationKey"],
    )
    .json();
    assert_eq!(
        mapped["inputs"][0]["ignored_columns"],
        serde_json::json!(["ApplicationId", "ApplicationShortVersion"])
    );

    let full = scan("intune-discovered-apps.csv", &[]).json();
    assert!(full["inputs"][0].get("ignored_columns").is_none(), "{full}");
    scan_with_policy(
        POLICY,
        &["tests/fixtures/app-csv/intune-discovered-apps.csv"],
        "human",
    )
    .expect_lacks("ignored columns");
}
