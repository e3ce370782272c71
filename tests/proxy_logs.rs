//! Proxy logs, endpoint tables and egress allowlists (issue 13): Squid's
//! native access.log, a proxy's CSV export and YAML/JSON allowlists, each
//! scanned with a small policy banning `deepseek.com`, a Unicode name and
//! `203.0.113.0/24`. Fixtures: `tests/fixtures/{squid-access,endpoint-csv,
//! endpoint-allowlist}/README.md`.

use std::io::Write;

use serde_json::Value;

use crate::common::{Run, root, scan_with_policy};

/// The network-log policy with an IDNA name too (`bücher.example`,
/// `xn--bcher-kva.example` in a log).
static POLICY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    crate::common::DEEPSEEK_ENDPOINTS.replace(
        "    - deepseek.com\n",
        "    - deepseek.com\n    - bücher.example\n",
    )
});

fn scan(paths: &[&str]) -> Run {
    scan_with_policy(&POLICY, paths, "json")
}

use crate::common::{seen, seen_row as row};

fn hosts(report: &Value) -> Vec<String> {
    let mut h: Vec<String> = seen(report).into_iter().map(|s| s.0).collect();
    h.sort();
    h
}

/// The same file gzipped in a temporary folder under the same name gives
/// the same findings.
fn gzipped_gives_the_same(fixture: &str, plain: &Value) {
    let dir = tempfile::tempdir().unwrap();
    let name = std::path::Path::new(fixture).file_name().unwrap();
    let gz = dir.path().join(format!("{}.gz", name.to_string_lossy()));
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::default(),
    );
    enc.write_all(&std::fs::read(root().join(fixture)).unwrap())
        .unwrap();
    enc.finish().unwrap();
    let run = scan(&[gz.to_str().unwrap()]);
    run.expect_code(1);
    assert_eq!(seen(&run.json()), seen(plain), "{fixture}.gz");
}

/// Squid's native log: CONNECT targets, a scheme-less URL, upper case and
/// the root dot, punycode, a direct peer and an IP URL in the banned
/// block; repeats fold per client with first and last time; near misses
/// and the `error:` line are not flagged; two bad lines are counted, not
/// fatal; a gzipped copy reads the same.
#[test]
fn squid_access_log() {
    let fixture = "tests/fixtures/squid-access/access.log";
    let run = scan(&[fixture]);
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["inputs"][0]["format"], "squid-access");
    assert_eq!(
        seen(&report),
        [
            row(
                "api.deepseek.com",
                "10.0.0.5",
                1,
                60,
                3,
                "1765030000.123",
                "1765030010.008"
            ),
            row(
                "chat.deepseek.com",
                "10.0.0.6",
                7,
                60,
                1,
                "1765030006.004",
                "-"
            ),
            row(
                "xn--bcher-kva.example",
                "10.0.0.6",
                8,
                60,
                1,
                "1765030007.005",
                "-"
            ),
            row("203.0.113.7", "10.0.0.9", 9, 97, 1, "1765030008.006", "-"),
            row("203.0.113.50", "10.0.0.7", 13, 54, 1, "1765030012.010", "-"),
        ]
    );
    let skipped = &report["inputs"][0]["skipped"];
    assert_eq!(skipped["count"], 2);
    assert_eq!(skipped["first"]["line"], 12);
    gzipped_gives_the_same(fixture, &report);
}

/// A rotated Squid log is told by its content; an nginx `access.log` is
/// not taken for Squid's.
#[test]
fn squid_logs_are_told_by_content() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("tests/fixtures/squid-access/access.log"),
        dir.path().join("squid-access-20261205.log"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("access.log"),
        "198.51.100.9 - - [06/Dec/2025:10:00:00 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8.5.0\"\n",
    )
    .unwrap();
    let run = scan(&[dir.path().to_str().unwrap()]);
    run.expect_code(1);
    let report = run.json();
    let inputs = report["inputs"].as_array().unwrap();
    let state = |file: &str| {
        inputs
            .iter()
            .find(|i| i["path"].as_str().unwrap().ends_with(file))
            .map(|i| (i["state"].clone(), i["format"].clone()))
            .unwrap()
    };
    assert_eq!(
        state("squid-access-20261205.log"),
        ("read".into(), "squid-access".into())
    );
    assert_eq!(state("/access.log").0, "not-evidence");
}

/// A proxy's `time,client,url` export (BOM, CRLF, quotes): the URL cell
/// is the host, with the client and time of each row; repeats fold;
/// near misses are not flagged; a short row and a bad URL are counted; a
/// gzipped copy reads the same.
#[test]
fn proxy_csv_export() {
    let fixture = "tests/fixtures/endpoint-csv/proxy-export.csv";
    let run = scan(&[fixture]);
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["inputs"][0]["format"], "endpoint-csv");
    assert_eq!(
        seen(&report),
        [
            row(
                "api.deepseek.com",
                "10.0.0.5",
                2,
                31,
                3,
                "2025-12-06T10:00:00Z",
                "2025-12-06T10:08:00Z"
            ),
            row(
                "chat.deepseek.com",
                "10.0.0.6",
                8,
                32,
                1,
                "2025-12-06T10:03:00Z",
                "-"
            ),
            row(
                "xn--bcher-kva.example",
                "10.0.0.6",
                9,
                31,
                1,
                "2025-12-06T10:04:00Z",
                "-"
            ),
            row(
                "203.0.113.7",
                "10.0.0.9",
                10,
                31,
                1,
                "2025-12-06T10:05:00Z",
                "-"
            ),
        ]
    );
    let skipped = &report["inputs"][0]["skipped"];
    assert_eq!(skipped["count"], 2);
    assert_eq!(skipped["first"]["line"], 11);
    gzipped_gives_the_same(fixture, &report);
}

/// A TSV with `dest_host` is an endpoint table; an app inventory with a
/// `Hostname` column stays an app table.
#[test]
fn endpoint_tables_and_app_tables_stay_apart() {
    let run = scan(&["tests/fixtures/endpoint-csv/siem-dest-hosts.tsv"]);
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["inputs"][0]["format"], "endpoint-csv");
    assert_eq!(hosts(&report), ["chat.deepseek.com"]);
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("devices.csv");
    std::fs::write(
        &inventory,
        "Hostname,Application Name,Version\nPC-1,DeepSeek,1.0\n",
    )
    .unwrap();
    let run = scan(&[inventory.to_str().unwrap()]);
    assert_eq!(run.json()["inputs"][0]["format"], "app-csv");
}

/// YAML and JSON allowlists: entries in lists at any depth, each with its
/// key path; `*`, ports and words are neither items nor problems; denied
/// entries are not uses; near misses are not flagged; gzipped copies read
/// the same.
#[test]
fn egress_allowlists() {
    let yaml = "tests/fixtures/endpoint-allowlist/egress-allowlist.yaml";
    let run = scan(&[yaml]);
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["inputs"][0]["format"], "endpoint-allowlist");
    assert!(report["inputs"][0].get("skipped").is_none());
    let found: Vec<(String, String, u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["item"]["host"].as_str().unwrap().to_string(),
                f["item"]["key_path"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
                f["location"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("api.deepseek.com".into(), "egress.allow[3]".into(), 8, 7),
            ("chat.deepseek.com".into(), "egress.allow[7]".into(), 12, 7),
            (
                "xn--bcher-kva.example".into(),
                "egress.allow[8]".into(),
                13,
                7
            ),
            ("203.0.113.0/28".into(), "egress.allow[9]".into(), 14, 7),
        ]
    );
    gzipped_gives_the_same(yaml, &report);

    let json = "tests/fixtures/endpoint-allowlist/firewall-egress.json";
    let run = scan(&[json]);
    run.expect_code(1);
    let report = run.json();
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["item"]["key_path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["RulesSource.RulesSourceList.Targets[0]", "Addresses[0]"]
    );
    gzipped_gives_the_same(json, &report);
}

/// The human report names the key path of an allowlist entry.
#[test]
fn allowlist_findings_say_their_key_path() {
    scan_with_policy(
        &POLICY,
        &["tests/fixtures/endpoint-allowlist/firewall-egress.json"],
        "human",
    )
    .expect_code(1)
    .expect_contains("endpoint deepseek.com (at RulesSource.RulesSourceList.Targets[0])");
}
