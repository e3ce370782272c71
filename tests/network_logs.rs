//! Zeek logs (dns, ssl and http, TSV and JSON) and Suricata eve.json (dns,
//! http and tls events), issue 13: the banned name found at its line and
//! column with its client and times, near misses not flagged, case, a
//! trailing dot and punycode handled, an address in a banned block found,
//! malformed lines counted as skipped, and a gzipped copy alike.

use std::io::Write;

use serde_json::Value;

use crate::common::scan_with_policy;

use crate::common::DEEPSEEK_ENDPOINTS as POLICY;

fn scan(path: &str) -> Value {
    let run = scan_with_policy(POLICY, &[path], "json");
    run.expect_code(1);
    run.json()
}

fn seen(report: &Value) -> Vec<Seen> {
    let mut got = crate::common::seen(report);
    got.sort();
    got
}

use crate::common::{Seen, seen_row as f};

fn input(report: &Value) -> &Value {
    &report["inputs"][0]
}

/// Zeek's TSV dns.log, told from Windows' dns.log by its content: the
/// `query` column by its `#fields` name; the repeated name folds with its
/// first and last `ts`; near misses, reverse and NetBIOS names pass; the
/// mDNS name is the one skipped line.
#[test]
fn zeek_tsv_dns_log() {
    let report = scan("tests/fixtures/zeek-log/dns.log");
    let inp = input(&report);
    assert_eq!(inp["format"], "zeek-log");
    assert_eq!(inp["items"], 12);
    assert_eq!(inp["skipped"]["count"], 1);
    assert_eq!(inp["skipped"]["first"]["line"], 16);
    assert_eq!(
        seen(&report),
        [
            f(
                "api.deepseek.com",
                "192.0.2.20",
                14,
                68,
                1,
                "1714550405.000005",
                "-"
            ),
            f(
                "chat.deepseek.com",
                "192.0.2.20",
                10,
                68,
                3,
                "1714550401.000001",
                "1714550413.000013"
            ),
            f(
                "deepseek.com",
                "192.0.2.22",
                15,
                68,
                1,
                "1714550406.000006",
                "-"
            ),
            f(
                "xn--bcher-kva.deepseek.com",
                "192.0.2.23",
                21,
                69,
                1,
                "1714550412.000012",
                "-"
            ),
        ]
    );
}

/// Zeek's JSON dns.log gives the same findings on the same records.
#[test]
fn zeek_json_dns_log() {
    let report = scan("tests/fixtures/zeek-log/json/dns.log");
    let inp = input(&report);
    assert_eq!(inp["format"], "zeek-log");
    assert_eq!(inp["items"], 12);
    assert_eq!(inp["skipped"]["count"], 1);
    assert_eq!(inp["skipped"]["first"]["line"], 8);
    let hosts: Vec<(String, u64, u64)> =
        seen(&report).into_iter().map(|s| (s.0, s.2, s.4)).collect();
    assert_eq!(
        hosts,
        [
            ("api.deepseek.com".into(), 6, 1),
            ("chat.deepseek.com".into(), 2, 3),
            ("deepseek.com".into(), 7, 1),
            ("xn--bcher-kva.deepseek.com".into(), 13, 1),
        ]
    );
}

/// ssl.log's `server_name`, TSV and JSON (ISO 8601 times kept as
/// written); no SNI is no item and no skip.
#[test]
fn zeek_ssl_logs() {
    let tsv = scan("tests/fixtures/zeek-log/ssl.log");
    assert_eq!(
        seen(&tsv),
        [f(
            "chat.deepseek.com",
            "192.0.2.20",
            9,
            93,
            2,
            "1714550500.100000",
            "1714550503.100000"
        )]
    );
    assert!(input(&tsv)["skipped"].is_null());
    let json = scan("tests/fixtures/zeek-log/json/ssl.log");
    assert_eq!(
        seen(&json),
        [f(
            "chat.deepseek.com",
            "192.0.2.20",
            1,
            219,
            2,
            "2024-05-01T10:01:40.100000Z",
            "2024-05-01T10:01:43.100000Z"
        )]
    );
    assert_eq!(input(&json)["items"], 3);
}

/// http.log's `host` with a port, and an IP literal in the banned block.
#[test]
fn zeek_http_logs() {
    for (path, first_row) in [
        ("tests/fixtures/zeek-log/http.log", 9),
        ("tests/fixtures/zeek-log/json/http.log", 1),
    ] {
        let report = scan(path);
        let hosts: Vec<(String, String, u64)> =
            seen(&report).into_iter().map(|s| (s.0, s.1, s.2)).collect();
        assert_eq!(
            hosts,
            [
                ("203.0.113.9".into(), "192.0.2.21".into(), first_row + 1),
                ("api.deepseek.com".into(), "192.0.2.20".into(), first_row),
            ],
            "{path}"
        );
    }
}

/// Rows cut short or with a field too many are counted skips with the
/// first at its line; the scan still exits 1 for the finding after them.
#[test]
fn zeek_malformed_rows_are_skipped_not_fatal() {
    let report = scan("tests/fixtures/zeek-log/dns-malformed.log");
    let inp = input(&report);
    assert_eq!(inp["state"], "read");
    assert_eq!(inp["skipped"]["count"], 2);
    assert_eq!(inp["skipped"]["first"]["line"], 12);
    let lines: Vec<u64> = seen(&report).into_iter().map(|s| s.2).collect();
    assert_eq!(lines, [10, 14]);
}

/// Suricata 7 (DNS v2): queries and answers give the queried name only;
/// tls SNI; an http hostname that is an address in the banned block;
/// flow, alert and stats events are neither items nor skipped.
#[test]
fn suricata_eve_v2() {
    let report = scan("tests/fixtures/suricata-eve/eve-v2.json");
    let inp = input(&report);
    assert_eq!(inp["format"], "suricata-eve");
    assert_eq!(inp["items"], 10);
    assert!(inp["skipped"].is_null(), "{inp:#}");
    let got: Vec<(String, String, u64, u64, String, String)> = seen(&report)
        .into_iter()
        .map(|s| (s.0, s.1, s.2, s.4, s.5, s.6))
        .collect();
    let t = |s: &str| format!("2024-05-01T10:00:{s}+0000");
    assert_eq!(
        got,
        [
            (
                "203.0.113.9".into(),
                "192.0.2.23".into(),
                9,
                1,
                t("07.000000"),
                "-".into()
            ),
            (
                "api.deepseek.com".into(),
                "192.0.2.22".into(),
                7,
                1,
                t("05.000000"),
                "-".into()
            ),
            (
                "chat.deepseek.com".into(),
                "192.0.2.20".into(),
                1,
                4,
                t("00.000100"),
                t("11.000000")
            ),
            (
                "xn--bcher-kva.deepseek.com".into(),
                "192.0.2.24".into(),
                10,
                1,
                t("08.000000"),
                "-".into()
            ),
        ]
    );
}

/// Suricata 8 (DNS v3): `queries` of requests and responses.
#[test]
fn suricata_eve_v3() {
    let report = scan("tests/fixtures/suricata-eve/eve-v3.json");
    let hosts: Vec<(String, String, u64, u64)> = seen(&report)
        .into_iter()
        .map(|s| (s.0, s.1, s.2, s.4))
        .collect();
    assert_eq!(
        hosts,
        [
            ("chat.deepseek.com".into(), "192.0.2.20".into(), 1, 2),
            ("chat.deepseek.com".into(), "192.0.2.22".into(), 5, 1),
        ]
    );
}

/// A cut-off line, a line that is not JSON and an mDNS name are counted
/// skips with the first at its line, never an error.
#[test]
fn suricata_malformed_lines_are_skipped_not_fatal() {
    let report = scan("tests/fixtures/suricata-eve/malformed/eve.json");
    let inp = input(&report);
    assert_eq!(inp["state"], "read");
    assert_eq!(inp["skipped"]["count"], 3);
    assert_eq!(inp["skipped"]["first"]["line"], 2);
    let lines: Vec<u64> = seen(&report).into_iter().map(|s| s.2).collect();
    assert_eq!(lines, [1]);
    assert_eq!(report["findings"][0]["count"], 2);
}

/// A gzipped copy of each log gives the same findings as the plain one.
#[test]
fn gzipped_logs_match_the_plain_ones() {
    let dir = tempfile::tempdir().unwrap();
    for (fixture, name) in [
        ("zeek-log/dns.log", "dns.log.gz"),
        ("zeek-log/json/ssl.log", "ssl.log.gz"),
        ("suricata-eve/eve-v2.json", "eve.json.gz"),
    ] {
        let plain = format!("tests/fixtures/{fixture}");
        let bytes = std::fs::read(crate::common::root().join(&plain)).unwrap();
        let gz = dir.path().join(name);
        let mut enc = flate2::write::GzEncoder::new(
            std::fs::File::create(&gz).unwrap(),
            flate2::Compression::default(),
        );
        enc.write_all(&bytes).unwrap();
        enc.finish().unwrap();
        let zipped = scan(gz.to_str().unwrap());
        assert_eq!(input(&zipped)["decoded"][0], "gzip");
        let plain = scan(&plain);
        assert_eq!(input(&zipped)["format"], input(&plain)["format"]);
        assert_eq!(input(&zipped)["items"], input(&plain)["items"]);
        assert_eq!(seen(&zipped), seen(&plain), "{fixture}");
    }
}
