//! dnsmasq's query log (`log-queries`), and Pi-hole's, which is dnsmasq's
//! with Pi-hole's own events (`/var/log/pihole/pihole.log`).
//!
//! Each line is `TIME dnsmasq[PID]: EVENT`, the time in syslog's shape
//! (`May  1 10:00:00`), a host name before `dnsmasq` when it went through
//! syslog. With `log-queries=extra` the event opens with the query's serial
//! and the client's `ADDRESS/PORT`. One query leaves several lines:
//!
//! - `query[A] NAME from CLIENT` — a client asked for the name: the
//!   evidence of use, and the item (the name, with the client). Every
//!   query leaves exactly one, however it was answered.
//! - `forwarded NAME to SERVER`, `validation …`, `dnssec-query[DS] …` —
//!   the server's own work for that query: no new evidence, no item.
//! - `reply|cached|config|/etc/hosts|… NAME is VALUE` — the answer. The
//!   name was already the query's item (a CNAME target the server chased
//!   is its doing, not the client's), but the address is new evidence:
//!   where the client is about to connect. So an answer that is an
//!   address is an item (the address; the client where `extra` names
//!   it), found by a rule on an address or a CIDR block. An answer of
//!   `0.0.0.0`, `::` or loopback sends the name nowhere: blocked, as a
//!   hosts file's is. `NXDOMAIN`, `NODATA`, `<CNAME>` are no address.
//! - Pi-hole's `gravity blocked`, `regex blacklisted`, `exactly denied`,
//!   `special domain` … `NAME is VALUE` — the name was refused: counted as
//!   blocked, not an item. Its query line is still an item: the client
//!   asked for the name, which is what the log proves (the block shows in
//!   the input's `blocked` count beside the finding).
//!
//! Lines of dnsmasq's other messages (start-up, `dnsmasq-dhcp`) hold no
//! item; a line without the `dnsmasq[PID]: ` mark is passed over as
//! skipped. Lines are independent, so a large log is read in chunks on
//! every core.

use std::sync::Arc;

use crate::ident::{Host, parse_ip};
use crate::input::item::{EndpointView, ItemView};
use crate::input::problem::InputProblem;
use crate::input::registry::{
    Evidence, FormatSpec, Misfit, Reader, Record, RecordFormat, RecordReader, shapes,
};
use crate::input::sink::{At, Flow, Sink};

use super::dns::{leading_time, qname, qname_fits};

pub static SPEC: FormatSpec = FormatSpec {
    name: "dnsmasq-log",
    evidence: Evidence::Endpoints,
    description: "dnsmasq or Pi-hole query log (log-queries, extra too)",
    names: &[
        "pihole.log",
        "pihole.log.*",
        "pihole.log-*",
        "dnsmasq.log",
        "dnsmasq.log.*",
        "dnsmasq.log-*",
    ],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::dnsmasq_log),
    reader: Reader::Records(&DnsmasqLog),
};

const HELP: &str = "a dnsmasq query log line is `TIME dnsmasq[PID]: query[TYPE] NAME from CLIENT` \
     (or another event: `forwarded`, `reply`, `cached` …), as `log-queries` writes it";

struct DnsmasqLog;

impl RecordFormat for DnsmasqLog {
    fn start(
        &self,
        _source: &Arc<str>,
        _header: Option<&str>,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        Ok(Box::new(DnsmasqLog))
    }
}

/// What one line says, borrowed from it; `at` is a byte offset in the line.
#[derive(Debug, PartialEq, Eq)]
enum Event<'a> {
    /// A client asked for `name`.
    Query {
        name: &'a str,
        at: usize,
        client: &'a str,
    },
    /// An answer that is an address.
    Address {
        address: &'a str,
        at: usize,
        client: Option<&'a str>,
    },
    /// The name was refused, or sent nowhere.
    Blocked,
    /// Anything else dnsmasq says.
    Other,
}

/// Where the event starts: after `dnsmasq[PID]: ` (or `dnsmasq-dhcp[PID]: `,
/// or without the PID).
fn after_mark(line: &str) -> Option<(usize, bool)> {
    line.match_indices("dnsmasq").find_map(|(i, _)| {
        if i > 0 && line.as_bytes()[i - 1] != b' ' {
            return None;
        }
        let mut rest = &line[i + "dnsmasq".len()..];
        let mut dns = true;
        if let Some(sub) = rest.strip_prefix('-') {
            let word = sub.bytes().take_while(u8::is_ascii_alphabetic).count();
            if word == 0 {
                return None;
            }
            rest = &sub[word..];
            dns = false;
        }
        if let Some(pid) = rest.strip_prefix('[') {
            let (digits, after) = pid.split_once(']')?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            rest = after;
        }
        rest.strip_prefix(": ")
            .map(|event| (line.len() - event.len(), dns))
    })
}

/// The words Pi-hole's refusals end in (`gravity blocked`, `regex
/// blacklisted`, `exactly denied`, `special domain`).
const REFUSALS: &[&str] = &["blocked", "blacklisted", "denied", "domain"];

fn parse(line: &str) -> Result<Event<'_>, String> {
    let (start, dns) =
        after_mark(line).ok_or_else(|| "no `dnsmasq[PID]: ` in this line".to_string())?;
    if !dns {
        return Ok(Event::Other);
    }
    let mut at = start;
    let word = |at: usize| {
        let rest = line.get(at..).unwrap_or("");
        &rest[..rest.find(' ').unwrap_or(rest.len())]
    };
    // `log-queries=extra`: the serial, then the client's `ADDRESS/PORT`.
    let mut extra_client = None;
    let serial = word(at);
    if !serial.is_empty() && serial.bytes().all(|b| b.is_ascii_digit()) {
        at += serial.len() + 1;
        let peer = word(at);
        if let Some((address, port)) = peer.rsplit_once('/')
            && !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
        {
            extra_client = Some(address);
            at += peer.len() + 1;
        }
    }
    let event = line.get(at..).unwrap_or("");
    if event.starts_with("query[") {
        let source = word(at);
        let name_at = at + source.len() + 1;
        let name = word(name_at);
        let client = line
            .get(name_at + name.len()..)
            .and_then(|r| r.strip_prefix(" from "))
            .filter(|c| !c.is_empty() && !c.contains(' '));
        return match client {
            Some(client) if !name.is_empty() => checked(name).map(|()| Event::Query {
                name,
                at: name_at,
                client,
            }),
            _ => Err("a query is `query[TYPE] NAME from CLIENT`".to_string()),
        };
    }
    let Some(is) = event.find(" is ") else {
        return Ok(Event::Other);
    };
    let (what, value) = (&event[..is], &event[is + " is ".len()..]);
    let (source, name) = what.rsplit_once(' ').unwrap_or(("", what));
    if source.is_empty() {
        return Ok(Event::Other);
    }
    if REFUSALS.iter().any(|r| source.ends_with(r)) {
        return checked(name).map(|()| Event::Blocked);
    }
    Ok(match parse_ip(value) {
        Some(ip) if ip.is_unspecified() || ip.is_loopback() => Event::Blocked,
        Some(_) => Event::Address {
            address: value,
            at: at + is + " is ".len(),
            client: extra_client,
        },
        None => Event::Other,
    })
}

/// Whether a name the line is about reads as a host name.
fn checked(name: &str) -> Result<(), String> {
    if qname_fits(name) {
        return Ok(());
    }
    Err(qname(name)
        .err()
        .map_or_else(|| format!("`{name}` is not a host name"), |e| e.to_string()))
}

impl RecordReader for DnsmasqLog {
    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow {
        let line = record.text;
        let (host, at, len, client) = match parse(line) {
            Ok(Event::Query { name, at, client }) => match qname(name) {
                Ok(Some(host)) => (host, at, name.len(), Some(client)),
                _ => return Flow::Continue,
            },
            Ok(Event::Address {
                address,
                at,
                client,
            }) => match parse_ip(address) {
                Some(ip) => (Host::Ip(ip), at, address.len(), client),
                None => return Flow::Continue,
            },
            Ok(Event::Blocked) => {
                sink.blocked(1);
                return Flow::Continue;
            }
            Ok(Event::Other) => return Flow::Continue,
            Err(message) => return record.skip(sink, message, HELP),
        };
        sink.item(
            ItemView::Endpoint(EndpointView {
                host: &host,
                url: None,
                client,
                time: leading_time(line),
                key: None,
                each_line: false,
            }),
            At {
                source: record.source,
                text: line,
                line: record.line,
                offset: at,
                len,
                byte: record.byte,
            },
        )
    }

    fn holds_item(&self, line: &[u8]) -> bool {
        std::str::from_utf8(line).is_ok_and(|l| match parse(l) {
            Ok(Event::Query { name, .. }) => name != ".",
            Ok(Event::Address { .. }) => true,
            _ => false,
        })
    }

    fn check(&self, line: &[u8]) -> Option<Misfit> {
        if line.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        parse(&String::from_utf8_lossy(line))
            .err()
            .map(|message| Misfit {
                message,
                help: HELP,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each event of one query, plain and with `log-queries=extra`.
    #[test]
    fn events() {
        let q = "May  1 10:00:00 dnsmasq[633]: query[A] deepseek.com from 192.168.1.50";
        assert_eq!(
            parse(q),
            Ok(Event::Query {
                name: "deepseek.com",
                at: 39,
                client: "192.168.1.50"
            })
        );
        let extra = "Dec  5 03:00:00 pi dnsmasq[123]: 17 192.168.1.50/53124 \
                     reply chat.example is 203.0.113.7";
        let Ok(Event::Address {
            address,
            at,
            client,
        }) = parse(extra)
        else {
            panic!("{:?}", parse(extra));
        };
        assert_eq!((address, client), ("203.0.113.7", Some("192.168.1.50")));
        assert_eq!(&extra[at..], "203.0.113.7");
        let extra_query = "Dec  5 03:00:00 dnsmasq[123]: 17 192.168.1.50/53124 \
                           query[AAAA] deepseek.com from 192.168.1.50";
        assert!(matches!(parse(extra_query), Ok(Event::Query { .. })));
        for (line, event) in [
            (
                "May  1 10:00:00 dnsmasq[633]: forwarded deepseek.com to 1.1.1.1",
                Event::Other,
            ),
            (
                "May  1 10:00:00 dnsmasq[633]: reply deepseek.com is <CNAME>",
                Event::Other,
            ),
            (
                "May  1 10:00:00 dnsmasq[633]: cached deepseek.com is NXDOMAIN",
                Event::Other,
            ),
            (
                "May  1 10:00:00 dnsmasq[633]: gravity blocked deepseek.com is 0.0.0.0",
                Event::Blocked,
            ),
            (
                "May  1 10:00:00 dnsmasq[633]: regex blacklisted deepseek.com is ::",
                Event::Blocked,
            ),
            (
                "May  1 10:00:00 dnsmasq[633]: exactly denied deepseek.com is NXDOMAIN",
                Event::Blocked,
            ),
            (
                "May  1 10:00:00 dnsmasq[633]: config deepseek.com is 0.0.0.0",
                Event::Blocked,
            ),
            (
                "May  1 10:00:00 dnsmasq[633]: started, version 2.89 cachesize 10000",
                Event::Other,
            ),
            (
                "May  1 10:00:00 dnsmasq-dhcp[633]: DHCPACK(eth0) 10.0.0.5 aa:bb:cc:dd:ee:ff x",
                Event::Other,
            ),
        ] {
            assert_eq!(parse(line), Ok(event), "{line}");
        }
    }

    #[test]
    fn broken_lines() {
        for line in [
            "May  1 10:00:00 systemd[1]: Started dnsmasq.",
            "May  1 10:00:00 dnsmasq[633]: query[A] deepseek.com",
            "May  1 10:00:00 dnsmasq[633]: query[A] bad..name from 10.0.0.1",
            "May  1 10:00:00 dnsmasq[x]: query[A] a.example from 10.0.0.1",
        ] {
            assert!(parse(line).is_err(), "{line}");
        }
    }
}
