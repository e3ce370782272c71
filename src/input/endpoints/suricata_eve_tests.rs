use super::*;
use crate::input::testing::{endpoint_lines, read_fixture};

fn run(name: &str) -> Vec<String> {
    endpoint_lines(&read_fixture(&SPEC, &format!("suricata-eve/{name}"), name))
}

/// Suricata 7 (DNS v2): the queried name of queries and answers, never
/// an answer's records; tls SNI and http hostnames; flow, alert and stats
/// events passed over without a word.
#[test]
fn eve_v2() {
    insta::assert_snapshot!(run("eve-v2.json").join("\n"));
}

/// Suricata 8 (DNS v3): the names in `queries` of requests and responses.
#[test]
fn eve_v3() {
    insta::assert_snapshot!(run("eve-v3.json").join("\n"));
}

/// A cut-off line, a line that is not JSON and an mDNS name are counted
/// skips at their lines; the lines after them are read.
#[test]
fn malformed_lines_are_skipped() {
    insta::assert_snapshot!(run("malformed/eve.json").join("\n"));
}

/// A request with two questions gives both, each at its own value.
#[test]
fn several_queries() {
    let line = r#"{"timestamp":"t","event_type":"dns","src_ip":"192.0.2.1","dns":{"version":3,"type":"request","queries":[{"rrname":"a.example","rrtype":"A"},{"rrname":"b.example","rrtype":"A"}]}}"#;
    let c = crate::input::testing::read(
        &SPEC,
        &crate::input::Source::bytes("eve.json", line.as_bytes().to_vec()),
    );
    let got = endpoint_lines(&c);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].ends_with("[a.example]") && got[1].ends_with("[b.example]"));
}

/// Only dns, http and tls events count as items a prefilter passes over.
#[test]
fn holds_only_endpoint_events() {
    let r = EveLog;
    assert!(r.holds_item(br#"{"event_type":"dns","dns":{}}"#));
    assert!(r.holds_item(br#"{"event_type":"tls"}"#));
    assert!(!r.holds_item(br#"{"event_type":"flow"}"#));
    assert!(!r.holds_item(br#"{"event_type":"dnsx"}"#));
    assert!(!r.holds_item(b"garbage"));
}
