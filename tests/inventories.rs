//! Device inventories (issue 12): `dpkg-query -W`, `dpkg -l`, `rpm -qa`,
//! Android `pm list packages` and macOS `system_profiler` fixtures under
//! `tests/fixtures/` (see their READMEs) scanned by the real binary with
//! the built-in library.

use serde_json::Value;

use crate::common::{banscan, flagged_packages, scan_json_as_of};

const AS_OF: &str = "2026-01-01";

fn scan(path: &str) -> (i32, Value) {
    scan_json_as_of(AS_OF, &[path])
}

/// `(name or bundle id, device, line, column)` of each flagged item.
fn flagged(report: &Value) -> Vec<(String, String, u64, u64)> {
    let mut got: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let item = &f["item"];
            let id = item["name"].as_str().or(item["bundle_id"].as_str());
            (
                id.unwrap_or("").to_string(),
                item["device"].as_str().unwrap_or("-").to_string(),
                f["location"]["line"].as_u64().unwrap_or(0),
                f["location"]["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    got.sort();
    got.dedup();
    got
}

fn purls(report: &Value) -> Vec<String> {
    let mut got: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["identifier"].as_str().unwrap_or("").to_string())
        .collect();
    got.dedup();
    got
}

/// A real `dpkg-query -W` output with `kesl` added: Kaspersky's package
/// is found at its line, as a deb package; the near miss `kesl-fan` and
/// the 41 real packages are not flagged.
#[test]
fn dpkg_query_default_output() {
    let (code, report) = scan("tests/fixtures/dpkg-query/debian12-default.txt");
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "dpkg-query");
    assert_eq!(report["inputs"][0]["state"], "read");
    assert_eq!(report["inputs"][0]["items"], 42);
    assert_eq!(
        flagged_packages(&report),
        [("kesl".into(), "12.1.0.1297".into(), 21, 1)]
    );
    assert!(
        purls(&report).iter().all(|p| p.contains("pkg:deb/kesl")),
        "{:?}",
        purls(&report)
    );
    // One machine's export: the file name is the device.
    assert_eq!(report["findings"][0]["item"]["device"], "debian12-default");
}

/// With `${db:Status-Abbrev}`, `ii` and `hi` rows are installed and
/// flagged; the `rc` row (removed, configuration left) is not.
#[test]
fn dpkg_query_removed_packages_are_not_flagged() {
    let (code, report) = scan("tests/fixtures/dpkg-query/debian12-with-status.txt");
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        flagged_packages(&report),
        [
            ("kess".into(), "3.0.0.1".into(), 15, 1),
            ("klnagent64".into(), "15.1.0-20748".into(), 13, 1),
        ]
    );
}

/// Malformed lines are counted as skipped, with the first one's line,
/// and do not fail the scan; the banned package after them is found.
#[test]
fn dpkg_query_malformed_lines_are_skipped() {
    let (code, report) = scan("tests/fixtures/dpkg-query/malformed-lines.txt");
    assert_eq!(code, 1, "{report:#}");
    let input = &report["inputs"][0];
    assert_eq!(input["state"], "read");
    assert_eq!(input["skipped"]["count"], 2, "{input:#}");
    assert_eq!(input["skipped"]["first"]["line"], 6);
    assert_eq!(flagged_packages(&report)[0].2, 12);
}

/// A malformed line that names a banned package is not passed over: the
/// finding it may hide makes the scan fail.
#[test]
fn dpkg_query_malformed_line_naming_a_banned_package_fails() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dpkg.txt");
    let real = std::fs::read_to_string(
        crate::common::root().join("tests/fixtures/dpkg-query/debian12-default.txt"),
    )
    .unwrap();
    let head: String = real.lines().take(9).map(|l| format!("{l}\n")).collect();
    std::fs::write(&path, format!("{head}Kesl\t12.1\n")).unwrap();
    let (code, report) = scan(path.to_str().unwrap());
    assert_eq!(code, 2, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "dpkg-query");
    assert_eq!(report["inputs"][0]["problems"][0]["line"], 10);
}

/// `dpkg -l`: the header is passed over, the `ii` row flagged at its
/// name's column, the `rc` row not.
#[test]
fn dpkg_list_installed_rows_only() {
    let (code, report) = scan("tests/fixtures/dpkg-list/debian12.txt");
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "dpkg-list");
    assert_eq!(report["inputs"][0]["items"], 9);
    assert_eq!(
        flagged_packages(&report),
        [("kesl".into(), "12.1.0.1297".into(), 14, 5)]
    );
}

/// Plain `rpm -qa`: names split from the right; the near miss `kesl-fan`
/// and the `gpg-pubkey` signing key are not flagged.
#[test]
fn rpm_qa_plain() {
    let (code, report) = scan("tests/fixtures/rpm-qa/fedora40-plain.txt");
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "rpm-qa");
    assert_eq!(report["inputs"][0]["items"], 6);
    assert_eq!(
        flagged_packages(&report),
        [("kesl".into(), "12.1.0-1297".into(), 5, 1)]
    );
    assert!(purls(&report).iter().all(|p| p.contains("pkg:rpm/kesl")));
}

/// `rpm -qa --qf` with tabs: `(none)` epochs read, the key not an item.
#[test]
fn rpm_qa_query_format() {
    let (code, report) = scan("tests/fixtures/rpm-qa/fedora40-qf.txt");
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["items"], 4);
    assert_eq!(
        flagged_packages(&report),
        [("klnagent64".into(), "15.1.0-20748".into(), 4, 1)]
    );
}

/// `pm list packages -f --show-versioncode -i` from Windows `adb` (`\r`
/// endings, `=` in the apk paths): TikTok found on the device the file is
/// named after, at its id; the near miss `…musically.fanclub` is not.
#[test]
fn android_list_with_paths() {
    let (code, report) = scan("tests/fixtures/android-packages/PHONE-7.txt");
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "android-packages");
    assert_eq!(report["inputs"][0]["items"], 5);
    assert_eq!(
        flagged(&report),
        [("com.zhiliaoapp.musically".into(), "PHONE-7".into(), 3, 68)]
    );
    let item = &report["findings"][0]["item"];
    assert_eq!(item["platform"], "android");
    assert_eq!(item["version"], "2023405030");
}

/// A plain list called `packages.txt` names no device; its line that is
/// no package is skipped with its line, not failing the scan.
#[test]
fn android_plain_list_without_device() {
    let (code, report) = scan("tests/fixtures/android-packages/packages.txt");
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        flagged(&report),
        [("com.kms.free".into(), "-".into(), 2, 9)]
    );
    assert_eq!(report["inputs"][0]["skipped"]["count"], 1);
    assert_eq!(report["inputs"][0]["skipped"]["first"]["line"], 4);
}

/// `system_profiler SPApplicationsDataType -json`: Kaspersky's app found
/// by its Developer ID publisher, on the Mac the file is named after, at
/// its `_name`; an app named `Kaspersky…` by another developer is not.
/// WeChat from the Mac App Store has no bundle id here and is found by
/// its macOS name; `WeChat Files Cleaner` is not WeChat.
#[test]
fn macos_apps_by_publisher() {
    let (code, report) = scan("tests/fixtures/macos-apps/MAC-01.json");
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "macos-apps");
    assert_eq!(report["inputs"][0]["items"], 6);
    assert_eq!(
        flagged(&report),
        [
            (
                "Kaspersky Internet Security".into(),
                "MAC-01".into(),
                17,
                18
            ),
            ("WeChat".into(), "MAC-01".into(), 50, 18),
        ]
    );
    let item = &report["findings"][0]["item"];
    assert_eq!(item["publisher"], "AO Kaspersky Lab");
    assert_eq!(item["platform"], "macos");
}

/// A cut-off export fails the scan (exit 2) with the place JSON ends.
#[test]
fn macos_truncated_export() {
    let run = banscan(&[
        "scan",
        "--no-profile",
        "--as-of",
        AS_OF,
        "tests/fixtures/macos-apps/truncated.json",
    ]);
    run.expect_code(2)
        .expect_contains("truncated.json:23:37")
        .expect_contains("ends in the middle of its JSON");
}

/// The dpkg database (a real excerpt plus hand-written stanzas): the
/// installed `kesl` is flagged at its `Package:` line; `kesl-fan` (a near
/// miss) and `klnagent64` (removed, configuration left) are not; the
/// file's name (`status`) names no device.
#[test]
fn dpkg_status_installed_stanzas_only() {
    let (code, report) = scan("tests/fixtures/dpkg-status/var/lib/dpkg/status");
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "dpkg-status");
    assert_eq!(report["inputs"][0]["state"], "read");
    assert_eq!(report["inputs"][0]["items"], 8);
    assert_eq!(
        flagged_packages(&report),
        [("kesl".into(), "12.1.0.1297".into(), 161, 10)]
    );
    assert_eq!(report["findings"][0]["item"]["device"], Value::Null);
}

/// A policy banning Kaspersky's Linux packages below a version, as an
/// agency would after a vendor fix: Debian and RPM ranges in their own
/// orders, an RPM epoch and a release-less bound.
const VERSIONED: &str = r#"
product: demo-kaspersky-linux
name: Demo Kaspersky for Linux
identifiers:
  packages:
    - purl: pkg:deb/kesl
      versions: ">= 11, < 12.1.0.1297~"
    - purl: pkg:deb/klnagent64
      versions: "<= 15.1.0"
    - purl: pkg:rpm/klnagent64
      versions: "<= 15.1.0"
    - purl: pkg:rpm/openssl-libs
      versions: ">= 1:3.0, < 1:3.3"
    - purl: pkg:rpm/bash
      versions: "> 5.2.26"
---
policy: xx-demo-2026-kaspersky-linux
title: Demo ban on old Kaspersky Linux agents
authority: Demo Ministry
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Demo Act
sources: [{title: Demo notice, publisher: Demo Gazette, url: "https://example.org/notice"}]
binds: {sectors: [all]}
severity: ban
bans:
  - product: demo-kaspersky-linux
examples:
  violating: [{package: "pkg:deb/kesl@12.0.0.6672"}]
  compliant: [{package: "pkg:deb/kesl@12.1.0.1297"}]
"#;

/// deb ranges in dpkg's order: `kesl 12.1.0.1297` is not below
/// `12.1.0.1297~`, so it is not flagged; the `--qf` RPM export's
/// `klnagent64 15.1.0-20748` is every release of 15.1.0 (`<= 15.1.0`),
/// `openssl-libs` with epoch 1 is inside `>= 1:3.0, < 1:3.3`, and `bash
/// 5.2.26-3.fc40` is not above 5.2.26 (a release-less bound holds every
/// release of it).
#[test]
fn deb_and_rpm_version_ranges() {
    let run = crate::common::scan_with_policy(
        VERSIONED,
        &["tests/fixtures/dpkg-query/debian12-default.txt"],
        "json",
    );
    run.expect_code(0);
    let old = "kesl\t12.1.0.1297\n".replace("12.1.0.1297", "12.0.0.6672");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dpkg.txt");
    std::fs::write(&path, format!("bash\t5.2.15-2+b7\n{old}")).unwrap();
    let run = crate::common::scan_with_policy(VERSIONED, &[path.to_str().unwrap()], "json");
    run.expect_code(1);
    assert_eq!(
        flagged_packages(&run.json()),
        [("kesl".to_string(), "12.0.0.6672".to_string(), 2, 1)]
    );
    let run = crate::common::scan_with_policy(
        VERSIONED,
        &["tests/fixtures/rpm-qa/fedora40-qf.txt"],
        "json",
    );
    run.expect_code(1);
    assert_eq!(
        flagged_packages(&run.json()),
        [
            ("klnagent64".to_string(), "15.1.0-20748".to_string(), 4, 1),
            (
                "openssl-libs".to_string(),
                "1:3.2.1-2.fc40".to_string(),
                2,
                1
            ),
        ]
    );
}

/// A range the ecosystem cannot read is refused at its line, saying how
/// to write one.
#[test]
fn bad_deb_range_is_refused_at_its_line() {
    let policy = VERSIONED.replace(">= 11, < 12.1.0.1297~", "<< 12.1");
    let run = crate::common::scan_with_policy(
        &policy,
        &["tests/fixtures/dpkg-query/debian12-default.txt"],
        "human",
    );
    run.expect_code(2);
    let text = run.stderr.clone() + &run.stdout;
    assert!(text.contains("`<` and `>`"), "{text}");
    assert!(text.contains("policy.yaml:7"), "{text}");
}
