//! osquery (`osqueryi --json` and the osqueryd result log), Fleet's
//! software JSON and Defender's software inventory JSON lines (issue 12):
//! the fixtures under `tests/fixtures/{osquery,fleet,defender}/` (see
//! their READMEs) scanned by the real binary with a small test policy.

use serde_json::Value;

use crate::common::banscan;

const AS_OF: &str = "2025-06-01";

const POLICY: &str = r#"
policy: xx-demo-apps
title: Demo ban on apps
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
        - name: DeepSeek
        - bundle_id: com.deepseek.desktop
        - extension_id: bdeepseekchatextensionidxxxxxxxx
      packages:
        - purl: pkg:deb/kesl
        - purl: pkg:rpm/klnagent64
        - purl: pkg:pypi/langchain-deepseek
          versions: "<0.1"
        - purl: pkg:npm/%40ai-sdk/deepseek
"#;

/// Scans `file` with the test policy only.
fn scan(file: &str) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.yaml");
    std::fs::write(&path, POLICY).unwrap();
    let run = banscan(&[
        "scan",
        "--no-profile",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--no-builtin",
        "--policies",
        path.to_str().unwrap(),
        file,
    ]);
    (run.code, run.json())
}

/// Each finding as (kind, name, device, line, column).
fn found(report: &Value) -> Vec<(String, String, String, u64, u64)> {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let at = &f["location"];
            (
                s(&f["item"]["kind"]),
                s(&f["item"]["name"]),
                s(&f["item"]["device"]),
                at["line"].as_u64().unwrap(),
                at["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn row(
    kind: &str,
    name: &str,
    device: &str,
    line: u64,
    column: u64,
) -> (String, String, String, u64, u64) {
    (kind.into(), name.into(), device.into(), line, column)
}

/// An osqueryi export of four queries (programs, chrome_extensions,
/// python_packages, npm_packages), every value a string: the Windows app,
/// the extension by its extension id and the npm package are found at their lines with
/// the file's name as device; `DeepSeek Fan Wallpapers`, `deepseek-fan`
/// and langchain-deepseek 0.1.3 (outside `<0.1`) are not.
#[test]
fn osqueryi_arrays() {
    let (code, report) = scan("tests/fixtures/osquery/PC-0042.osquery.json");
    assert_eq!(code, 1);
    assert_eq!(
        found(&report),
        [
            row("app", "DeepSeek", "PC-0042", 3, 134),
            row("app", "DeepSeek Sidebar", "PC-0042", 8, 105),
            row("package", "@ai-sdk/deepseek", "PC-0042", 15, 162),
        ]
    );
    let app = &report["findings"][0]["item"];
    assert_eq!(app["platform"], "windows");
    assert_eq!(app["publisher"], "Hangzhou DeepSeek");
    let extension = &report["findings"][1]["item"];
    assert_eq!(
        extension["extension_id"],
        "bdeepseekchatextensionidxxxxxxxx"
    );
    assert!(extension.get("bundle_id").is_none());
    assert_eq!(report["inputs"][0]["format"], "osquery-json");
}

/// `--json_pretty` output of `apps`: `DeepSeek.app` is the app `DeepSeek`,
/// found on the line of its `name`.
#[test]
fn osqueryi_pretty_macos_apps() {
    let (code, report) = scan("tests/fixtures/osquery/mac-studio.osquery.json");
    assert_eq!(code, 1);
    assert_eq!(
        found(&report),
        [row("app", "DeepSeek", "mac-studio", 13, 14)]
    );
    assert_eq!(report["findings"][0]["item"]["platform"], "macos");
}

/// The result log: a snapshot of deb_packages (kesl among curl), an
/// event-format rpm row added on db-03 and removed on db-04 (the removed
/// one is not flagged), and a differential `apps` line whose removed
/// WeChat is not an item.
#[test]
fn osqueryd_result_log() {
    let (code, report) = scan("tests/fixtures/osquery/osqueryd.results.log");
    assert_eq!(code, 1);
    assert_eq!(
        found(&report),
        [
            row("package", "kesl", "build-07", 1, 405),
            row("package", "klnagent64", "db-03", 2, 217),
            row("app", "DeepSeek", "mac-21", 4, 271),
        ]
    );
}

/// One osqueryd snapshot line of `count` programs on `device`, the last of
/// them DeepSeek.
fn snapshot_line(device: &str, count: usize) -> String {
    let programs: Vec<String> = (0..count)
        .map(|i| {
            let name = if i + 1 == count { "DeepSeek".to_string() } else { format!("Line of Business App {i}") };
            format!(
                r#"{{"identifying_number":"","install_date":"20261101","install_location":"C:\\Program Files\\App {i}","name":"{name}","publisher":"Agency IT","uninstall_string":"","version":"1.0.{i}"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"name":"pack/inventory/programs","hostIdentifier":"{device}","calendarTime":"Sun Dec  6 09:00:00 2026 UTC","unixTime":1796547600,"epoch":0,"counter":0,"numerics":false,"snapshot":[{}]}}"#,
        programs.join(",")
    )
}

/// Result logs shipped under a name of their own (`inventory-….log`), in
/// a folder and named on the command line, whose lines (one device's
/// snapshot of a few hundred programs) fill the 64 KiB head that
/// detection reads, or overflow it: told by their whole first line, or by
/// the start of it, and the banned program found at its column.
#[test]
fn result_log_with_long_snapshot_lines() {
    for (count, lines) in [(400, 1), (250, 2)] {
        let text: Vec<String> = (0..lines)
            .map(|i| snapshot_line(&format!("PC-00{i}"), count))
            .collect();
        assert!(text[0].len() * lines > 64 * 1024);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inventory-2026-12-06.log");
        std::fs::write(&path, text.join("\n") + "\n").unwrap();
        let column = text[0].find(r#""name":"DeepSeek""#).unwrap() as u64 + 9;
        let want: Vec<_> = (0..lines)
            .map(|i| {
                row(
                    "app",
                    "DeepSeek",
                    &format!("PC-00{i}"),
                    i as u64 + 1,
                    column,
                )
            })
            .collect();
        for target in [&path, dir.path()] {
            let (code, report) = scan(target.to_str().unwrap());
            assert_eq!(code, 1, "{report:#}");
            assert_eq!(report["inputs"][0]["format"], "osquery-json");
            assert_eq!(found(&report), want);
        }
    }
}

/// A result log whose last line was cut off while osqueryd wrote it: the
/// line before is still found; the cut line, which may hold a banned app,
/// makes the scan exit 2 at its line.
#[test]
fn cut_off_result_log_line() {
    let (code, report) = scan("tests/fixtures/osquery/osqueryd.snapshots.log");
    assert_eq!(code, 2);
    assert_eq!(found(&report), [row("app", "DeepSeek", "mac-22", 1, 119)]);
    let text = report.to_string();
    assert!(text.contains("cut off"), "{report:#}");
    assert!(text.contains("\"line\":2"), "{report:#}");
}

/// An osqueryi export cut off in the middle of a row is exit 2 at the
/// line it stops.
#[test]
fn cut_off_osqueryi_export() {
    let (code, report) = scan("tests/fixtures/osquery/cut-off.osquery.json");
    assert_eq!(code, 2);
    assert!(found(&report).is_empty());
    assert!(report.to_string().contains("\"line\":3"), "{report:#}");
}

/// Fleet's software list: the Windows program (by `source: programs`)
/// and the deb package are found at their `name` lines, without a device
/// (the list counts hosts, names none); the near miss is not.
#[test]
fn fleet_software() {
    let (code, report) = scan("tests/fixtures/fleet/fleet-software.json");
    assert_eq!(code, 1);
    assert_eq!(
        found(&report),
        [
            row("app", "DeepSeek", "", 22, 16),
            row("package", "kesl", "", 52, 16)
        ]
    );
    assert_eq!(
        report["findings"][0]["item"]["publisher"],
        "Hangzhou DeepSeek"
    );
    assert_eq!(report["inputs"][0]["format"], "fleet-software");
}

#[test]
fn cut_off_fleet_export() {
    let (code, report) = scan("tests/fixtures/fleet/fleet-software-cut-off.json");
    assert_eq!(code, 2);
    assert!(report.to_string().contains("\"line\":29"), "{report:#}");
}

/// Defender JSON lines: Defender's lower-case `deepseek` is the app
/// `DeepSeek`, with its device and platform; `deepseek_fan_wallpapers` is
/// not.
#[test]
fn defender_software() {
    let (code, report) = scan("tests/fixtures/defender/SoftwareInventoryExport-part-00001.json");
    assert_eq!(code, 1);
    assert_eq!(
        found(&report),
        [row("app", "deepseek", "laptop-ann.contoso.local", 2, 200)]
    );
    let app = &report["findings"][0]["item"];
    assert_eq!(app["platform"], "Windows11");
    assert_eq!(app["publisher"], "hangzhou_deepseek");
    assert_eq!(report["inputs"][0]["format"], "defender-software");
}

/// A Defender export cut off mid-line: the whole lines are read, the cut
/// one is exit 2 at its line.
#[test]
fn cut_off_defender_export() {
    let (code, report) = scan("tests/fixtures/defender/SoftwareInventoryExport-cut-off.json");
    assert_eq!(code, 2);
    assert_eq!(found(&report).len(), 1);
    assert!(report.to_string().contains("\"line\":3"), "{report:#}");
}
