//! Suricata's EVE log (`eve.json`): one JSON object a line, each an event
//! with an `event_type`. Three kinds name the endpoint a client used:
//!
//! - `dns`: the name asked for. Up to Suricata 7 (EVE DNS v2) a query is
//!   `{"type":"query","rrname":…}` and an answer `{"type":"answer",
//!   "rrname":…,"answers":[…]}`; Suricata 8 (v3) writes `request` and
//!   `response` with the question(s) in `queries:[{"rrname":…}]`. Only the
//!   queried name is evidence of use: an answer's records (addresses,
//!   CNAME targets) are where the resolver pointed, not what the client
//!   asked for, so they are not read. A lookup logged both as query and
//!   as answer counts twice.
//! - `http`: `http.hostname`, the Host header (a name or an IP literal).
//! - `tls`: `tls.sni`, the server name the client sent.
//!
//! Every other event (`flow`, `alert`, `stats`, `fileinfo`…) is read and
//! passed over without a word: it is not an endpoint event, and an alert
//! repeats the hostname of the transaction it is about. The client is
//! `src_ip` (Suricata writes an event in the flow's direction, so it is
//! the asker for answers too) and the time `timestamp`, as written.
//!
//! Lines are independent, so a large log is read in chunks on every core.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Deserialize;

use crate::input::problem::InputProblem;
use crate::input::registry::{
    Evidence, FormatSpec, Misfit, Reader, Record, RecordFormat, RecordReader, shapes,
};
use crate::input::sink::{At, Flow, Sink};

use super::json_line;

pub static SPEC: FormatSpec = FormatSpec {
    name: "suricata-eve",
    evidence: Evidence::Endpoints,
    description: "Suricata EVE JSON log (dns, http and tls events)",
    names: &["eve.json", "eve.*.json", "eve.json.*"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::suricata_eve),
    reader: Reader::Records(&EveLog),
};

const HELP: &str = "banscan reads Suricata's EVE log as Suricata writes it: one JSON object a \
     line; the endpoints are in `dns`, `http` and `tls` events";

const NAME_HELP: &str = "a name that is not a host name holds no endpoint banscan can match";

struct EveLog;

impl RecordFormat for EveLog {
    fn start(
        &self,
        _source: &Arc<str>,
        _header: Option<&str>,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        Ok(Box::new(EveLog))
    }
}

/// One event; the keys banscan does not take are passed over unread.
#[derive(Deserialize)]
struct Event<'a> {
    #[serde(borrow, default)]
    event_type: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    src_ip: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    dns: Option<Dns<'a>>,
    #[serde(borrow, default)]
    http: Option<Http<'a>>,
    #[serde(borrow, default)]
    tls: Option<Tls<'a>>,
}

#[derive(Deserialize)]
struct Dns<'a> {
    /// v2 queries and answers: the name asked for.
    #[serde(borrow, default)]
    rrname: Option<Cow<'a, str>>,
    /// v3 requests and responses: the questions.
    #[serde(borrow, default)]
    queries: Vec<Query<'a>>,
}

#[derive(Deserialize)]
struct Query<'a> {
    #[serde(borrow, default)]
    rrname: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Http<'a> {
    #[serde(borrow, default)]
    hostname: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Tls<'a> {
    #[serde(borrow, default)]
    sni: Option<Cow<'a, str>>,
}

/// A value, `None` when empty.
fn named<'a>(value: &'a Option<Cow<'a, str>>) -> Option<&'a str> {
    value.as_deref().filter(|v| !v.is_empty())
}

impl Event<'_> {
    /// The endpoint names of the event with the key each is under, in the
    /// order the line writes them; empty for events that name none.
    fn names(&self) -> Vec<(&'static str, &str)> {
        match self.event_type.as_deref() {
            Some("dns") => {
                let Some(dns) = &self.dns else {
                    return Vec::new();
                };
                named(&dns.rrname)
                    .into_iter()
                    .chain(dns.queries.iter().filter_map(|q| named(&q.rrname)))
                    .map(|n| ("rrname", n))
                    .collect()
            }
            Some("http") => self
                .http
                .as_ref()
                .and_then(|h| named(&h.hostname))
                .map(|n| vec![("hostname", n)])
                .unwrap_or_default(),
            Some("tls") => self
                .tls
                .as_ref()
                .and_then(|t| named(&t.sni))
                .map(|n| vec![("sni", n)])
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

impl RecordReader for EveLog {
    /// Only dns, http and tls events hold endpoints.
    fn holds_item(&self, line: &[u8]) -> bool {
        const KEY: &[u8] = b"\"event_type\":\"";
        memchr::memmem::find(line, KEY).is_some_and(|i| {
            let kind = &line[i + KEY.len()..];
            [&b"dns\""[..], b"http\"", b"tls\""]
                .iter()
                .any(|k| kind.starts_with(k))
        })
    }

    fn check(&self, line: &[u8]) -> Option<Misfit> {
        json_line::check_object(line, HELP)
    }

    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow {
        let text = record.text;
        let event: Event = match json_line::parse(&record, sink, HELP) {
            Ok(e) => e,
            Err(flow) => return flow,
        };
        let client = named(&event.src_ip);
        let time = json_line::raw_scalar(text, "timestamp");
        // The section of the event, where its names are looked for.
        let section = event.event_type.as_deref().unwrap_or("");
        let mut from = json_line::value_start(text, 0, section).unwrap_or(0);
        for (key, name) in event.names() {
            let (offset, len) = json_line::span_of(text, from, key, name);
            if len < text.len() {
                from = offset + len;
            }
            let at = At {
                source: record.source,
                text,
                line: record.line,
                offset,
                len,
                byte: record.byte,
            };
            let refusal = |e: &_| format!("{section} `{key}`: {e}; the line was passed over");
            let flow = super::log_host(name, client, time, at, sink, refusal, NAME_HELP);
            if flow == Flow::Stop {
                return flow;
            }
        }
        Flow::Continue
    }
}

#[cfg(test)]
#[path = "suricata_eve_tests.rs"]
mod tests;
