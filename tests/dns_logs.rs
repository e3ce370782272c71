//! DNS server logs (issue 13): BIND's query log, dnsmasq's and Pi-hole's,
//! and the Windows DNS Server debug log. Each banned name asked is found
//! at its line and column with the client that asked, folded per client
//! with the log's first and last time; near misses are not; lines of no
//! shape are counted as skipped; a gzipped copy reads the same.
//! Fixtures: `tests/fixtures/{bind-query-log,dnsmasq-log,windows-dns-log}`.

use std::io::Write;

use serde_json::Value;

use crate::common::{Run, root, scan_with_policy};

use crate::common::DEEPSEEK_ENDPOINTS as POLICY;

/// One finding: host, client, line, column, count, first and last time,
/// and the last line.
type Seen = (
    String,
    Option<String>,
    u64,
    u64,
    u64,
    Option<String>,
    Option<String>,
    Option<u64>,
);

fn scan_policy(policy: &str, path: &str) -> (Run, Value) {
    let run = scan_with_policy(policy, &[path], "json");
    let report = run.json();
    (run, report)
}

fn scan(path: &str) -> (Run, Value) {
    scan_policy(POLICY, path)
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// Every finding, sorted by line.
fn seen(report: &Value) -> Vec<Seen> {
    let mut all: Vec<Seen> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["item"]["host"].as_str().unwrap().to_string(),
                text(&f["item"]["client"]),
                f["location"]["line"].as_u64().unwrap(),
                f["location"]["column"].as_u64().unwrap(),
                f["count"].as_u64().unwrap(),
                text(&f["first_seen"]),
                text(&f["last_seen"]),
                f["last_location"]["line"].as_u64(),
            )
        })
        .collect();
    all.sort_by_key(|s| s.2);
    all
}

#[allow(clippy::too_many_arguments)]
fn f(
    host: &str,
    client: Option<&str>,
    line: u64,
    column: u64,
    count: u64,
    first: Option<&str>,
    last: Option<&str>,
    last_line: Option<u64>,
) -> Seen {
    (
        host.to_string(),
        client.map(str::to_string),
        line,
        column,
        count,
        first.map(str::to_string),
        last.map(str::to_string),
        last_line,
    )
}

fn input(report: &Value) -> &Value {
    &report["inputs"][0]
}

/// A gzipped copy of `fixture`, under the same name with `.gz`, gives the
/// same findings.
fn gzip_reads_the_same(fixture: &str) {
    let (_, plain) = scan(fixture);
    let dir = tempfile::tempdir().unwrap();
    let name = fixture.rsplit('/').next().unwrap();
    let gz = dir.path().join(format!("{name}.gz"));
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::default(),
    );
    enc.write_all(&std::fs::read(root().join(fixture)).unwrap())
        .unwrap();
    enc.finish().unwrap();
    let (run, zipped) = scan(gz.to_str().unwrap());
    run.expect_code(1);
    assert_eq!(
        input(&zipped)["format"],
        input(&plain)["format"],
        "{fixture}"
    );
    assert_eq!(input(&zipped)["decoded"][0], "gzip");
    assert_eq!(input(&zipped)["items"], input(&plain)["items"]);
    assert!(!seen(&plain).is_empty());
    assert_eq!(seen(&zipped), seen(&plain), "{fixture}");
}

const BIND: &str = "tests/fixtures/bind-query-log/query.log";
const BIND_OLD: &str = "tests/fixtures/bind-query-log/query-old.log";
const DNSMASQ: &str = "tests/fixtures/dnsmasq-log/pihole.log";
const DNSMASQ_EXTRA: &str = "tests/fixtures/dnsmasq-log/dnsmasq-extra.log";
const WINDOWS: &str = "tests/fixtures/windows-dns-log/dns.log";

/// BIND 9.12+ lines: the query name after `query: ` is found, folded per
/// client with the log's times; upper case and a `view` read alike; near
/// misses, a punycode name and the root are not findings.
#[test]
fn bind_query_log_new_shape() {
    let (run, report) = scan(BIND);
    run.expect_code(1);
    assert_eq!(input(&report)["format"], "bind-query-log");
    // Eight queries: the root asks for no host.
    assert_eq!(input(&report)["items"], 8);
    assert!(input(&report)["skipped"].is_null());
    assert_eq!(
        seen(&report),
        [
            f(
                "chat.deepseek.com",
                Some("192.0.2.10"),
                2,
                109,
                2,
                Some("06-Dec-2026 10:12:01.456"),
                Some("06-Dec-2026 10:12:09.999"),
                Some(9)
            ),
            f(
                "api.deepseek.com",
                Some("192.0.2.10"),
                6,
                123,
                1,
                Some("06-Dec-2026 10:12:03.500"),
                None,
                None
            ),
        ]
    );
}

/// Older 9.x lines (no time, no `@0x…` id, no parenthesised name) and a
/// trailing dot; a reverse lookup of a banned address is a name, not it.
#[test]
fn bind_query_log_old_shapes() {
    let (run, report) = scan(BIND_OLD);
    run.expect_code(1);
    assert_eq!(
        seen(&report),
        [
            f("deepseek.com", Some("10.0.0.1"), 2, 45, 1, None, None, None),
            f("deepseek.com", Some("10.0.0.2"), 3, 45, 1, None, None, None),
            f(
                "chat.deepseek.com",
                Some("10.0.0.3"),
                5,
                30,
                1,
                None,
                None,
                None
            ),
        ]
    );
}

/// dnsmasq through Pi-hole: queries are items with their client; an
/// answer's address is an item too, found by the banned block; a gravity
/// block is counted as blocked; forwarded lines and CNAME or NXDOMAIN
/// answers hold nothing.
#[test]
fn pihole_log() {
    let (run, report) = scan(DNSMASQ);
    run.expect_code(1);
    assert_eq!(input(&report)["format"], "dnsmasq-log");
    // Eight queries and three answers that are addresses.
    assert_eq!(input(&report)["items"], 11);
    assert_eq!(input(&report)["blocked"], 1);
    assert!(input(&report)["skipped"].is_null());
    let first = Some("Dec  6 10:12:02");
    let last = Some("Dec  6 10:12:09");
    assert_eq!(
        seen(&report),
        [
            f(
                "chat.deepseek.com",
                Some("192.168.1.50"),
                4,
                40,
                2,
                first,
                last,
                Some(15)
            ),
            f("203.0.113.7", None, 7, 57, 2, first, last, Some(17)),
            f(
                "api.deepseek.com",
                Some("192.168.1.52"),
                11,
                40,
                1,
                Some("Dec  6 10:12:04"),
                None,
                None
            ),
        ]
    );
}

/// `log-queries=extra` through syslog: the answer's address has the
/// client; a `config … is 0.0.0.0` answer is blocked; DHCP lines are the
/// log's own.
#[test]
fn dnsmasq_extra_log() {
    let (run, report) = scan(DNSMASQ_EXTRA);
    run.expect_code(1);
    assert_eq!(input(&report)["format"], "dnsmasq-log");
    assert_eq!(input(&report)["blocked"], 1);
    assert!(input(&report)["skipped"].is_null());
    let t = Some("Dec  6 10:12:01");
    assert_eq!(
        seen(&report),
        [
            f("deepseek.com", Some("10.0.0.5"), 1, 61, 1, t, None, None),
            f("203.0.113.9", Some("10.0.0.5"), 3, 74, 1, t, None, None),
        ]
    );
}

/// Windows DNS debug log: the legend is passed over, a received standard
/// query is the item with the remote address as client and the decoded
/// name; responses, the server's own recursion and updates are not.
#[test]
fn windows_dns_log() {
    let (run, report) = scan(WINDOWS);
    run.expect_code(1);
    assert_eq!(input(&report)["format"], "windows-dns-log");
    assert_eq!(input(&report)["items"], 8);
    assert!(input(&report)["skipped"].is_null());
    assert_eq!(
        seen(&report),
        [
            f(
                "chat.deepseek.com",
                Some("10.0.0.71"),
                33,
                114,
                2,
                Some("12/6/2026 10:12:02 AM"),
                Some("12/6/2026 10:12:09 AM"),
                Some(44)
            ),
            f(
                "api.deepseek.com",
                Some("10.0.0.73"),
                40,
                114,
                1,
                Some("12/6/2026 10:12:04 AM"),
                None,
                None
            ),
        ]
    );
}

/// With domains only, the prefilter passes most lines over unread: the
/// findings and item counts are those of a full read (the wire-form names
/// of the Windows log included).
#[test]
fn prefiltered_reads_find_the_same_names() {
    let domains_only = POLICY.replace("    - 203.0.113.0/24\n", "");
    for fixture in [BIND, BIND_OLD, DNSMASQ, WINDOWS] {
        let (_, full) = scan(fixture);
        let (run, filtered) = scan_policy(&domains_only, fixture);
        run.expect_code(1);
        let names = |r: &Value| -> Vec<Seen> {
            seen(r)
                .into_iter()
                .filter(|s| s.0.contains("deepseek"))
                .collect()
        };
        assert_eq!(names(&filtered), names(&full), "{fixture}");
        assert_eq!(
            input(&filtered)["items"],
            input(&full)["items"],
            "{fixture}"
        );
    }
}

/// Lines of no shape are counted as skipped with the first one, and the
/// rest of the log is still read: exit 1 for the finding, not 2.
#[test]
fn malformed_lines_are_skipped_and_counted() {
    for (fixture, count, first, finding) in [
        ("tests/fixtures/bind-query-log/query.log-bad-lines", 2, 2, 5),
        ("tests/fixtures/dnsmasq-log/dnsmasq.log-bad-lines", 2, 2, 4),
        (
            "tests/fixtures/windows-dns-log/DNSServer-bad-lines.log",
            2,
            2,
            4,
        ),
    ] {
        let (run, report) = scan(fixture);
        run.expect_code(1);
        let skipped = &input(&report)["skipped"];
        assert_eq!(skipped["count"], count, "{fixture}");
        assert_eq!(skipped["first"]["line"], first, "{fixture}");
        assert_eq!(input(&report)["state"], "read", "{fixture}");
        let lines: Vec<u64> = seen(&report).iter().map(|s| s.2).collect();
        assert_eq!(lines, [finding], "{fixture}");
    }
}

/// A gzipped copy of each log gives the same findings.
#[test]
fn gzipped_logs_read_the_same() {
    for fixture in [BIND, DNSMASQ, WINDOWS] {
        gzip_reads_the_same(fixture);
    }
}
