//! The Windows DNS Server debug log (`dns.log`, "Log packets for
//! debugging"): a legend, then one line a packet.
//!
//! A packet line is the date and time in the server's locale
//! (`5/1/2024 10:00:32 AM`), the thread id, `PACKET`, the packet's
//! internal id (Windows Server 2008 and later; 2003 has none), `UDP` or
//! `TCP`, `Snd` or `Rcv`, the remote address, the transaction id, `R` for
//! a response (blank for a query), the opcode, `[flags RCODE]`, the
//! question type, and the name in wire form, `(3)www(7)example(3)com(0)`.
//!
//! A standard query (`Q`) received (`Rcv`) is a client asking the server:
//! the item, its client the remote address. A query the server sends is
//! its own recursion to another server, and a response answers a query
//! already counted: neither is new evidence. Other lines belong to the
//! log too (the legend, the indented packet details and their `UDP
//! question info at …` heads, dated notes and events); a line of none of
//! these shapes is passed over as skipped.
//!
//! The wire form holds no dotted name for a prefilter to find, so every
//! line with a `(` is parsed. Lines are independent, so a large log is
//! read in chunks on every core.

use std::sync::Arc;

use crate::input::item::{EndpointView, ItemView};
use crate::input::problem::InputProblem;
use crate::input::registry::{
    Evidence, FormatSpec, Misfit, Reader, Record, RecordFormat, RecordReader, shapes,
};
use crate::input::sink::{At, Flow, Sink};

use super::dns::qname;

pub static SPEC: FormatSpec = FormatSpec {
    name: "windows-dns-log",
    evidence: Evidence::Endpoints,
    description: "Windows DNS Server debug log (packet lines)",
    names: &["DNSServer*.log"],
    // Zeek writes a dns.log too: the content decides.
    maybe: &["dns*.log", "dns.log.*"],
    sniff: None,
    shape: Some(shapes::windows_dns_log),
    reader: Reader::Records(&WindowsDnsLog),
};

const HELP: &str = "a packet line of the Windows DNS Server debug log is `DATE TIME THREAD PACKET \
     [ID] UDP|TCP Snd|Rcv REMOTE XID [R] OPCODE [FLAGS RCODE] TYPE (3)www(7)example(3)com(0)`";

/// Lines of the file's head and of the packet details, which are not
/// packets.
const HEADS: &[&str] = &[
    "DNS Server log file creation at",
    "Log file wrap at",
    "Message logging key",
];

struct WindowsDnsLog;

impl RecordFormat for WindowsDnsLog {
    fn start(
        &self,
        _source: &Arc<str>,
        _header: Option<&str>,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        Ok(Box::new(WindowsDnsLog))
    }
}

/// One line of the log, borrowed from it.
#[derive(Debug, PartialEq, Eq)]
enum Line<'a> {
    /// A query a client sent: the name in wire form, where it is, and the
    /// time as written before the thread id.
    Query {
        client: &'a str,
        wire: &'a str,
        at: usize,
        time: Option<&'a str>,
    },
    /// A line of the log that is no client's query.
    Other,
}

/// The whitespace-separated words of `line` with their offsets.
fn words(line: &str) -> impl Iterator<Item = (usize, &str)> {
    let base = line.as_ptr() as usize;
    line.split_ascii_whitespace()
        .map(move |w| (w.as_ptr() as usize - base, w))
}

fn parse(line: &str) -> Result<Line<'_>, String> {
    let mut all = words(line);
    let mut thread = None;
    let mut packet = false;
    for (at, word) in all.by_ref() {
        if word == "PACKET" {
            packet = true;
            break;
        }
        thread = Some(at);
    }
    if !packet {
        return other_line(line);
    }
    let thread = thread.ok_or_else(|| "no date, time and thread before `PACKET`".to_string())?;
    let time = Some(line[..thread].trim_end()).filter(|t| !t.is_empty());
    let mut next = |what: &str| {
        all.next()
            .ok_or_else(|| format!("the packet line ends before its {what}"))
    };
    let (_, mut proto) = next("protocol")?;
    if !matches!(proto, "UDP" | "TCP") {
        // The internal packet id, since Windows Server 2008.
        proto = next("protocol")?.1;
    }
    if !matches!(proto, "UDP" | "TCP") {
        return Err(format!("`{proto}` is not `UDP` or `TCP`"));
    }
    let (_, direction) = next("direction")?;
    if !matches!(direction, "Snd" | "Rcv") {
        return Err(format!("`{direction}` is not `Snd` or `Rcv`"));
    }
    let (_, remote) = next("remote address")?;
    let (_, xid) = next("transaction id")?;
    if !xid.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("`{xid}` is not a hexadecimal transaction id"));
    }
    let (_, mut opcode) = next("opcode")?;
    let response = opcode == "R";
    if response {
        opcode = next("opcode")?.1;
    }
    let (flags_at, flags) = next("flags")?;
    if !flags.starts_with('[') {
        return Err(format!("`{flags}` does not open the `[flags RCODE]`"));
    }
    let close = line[flags_at..]
        .find(']')
        .ok_or_else(|| "the `[flags RCODE]` is not closed".to_string())?;
    let after = flags_at + close + 1;
    let mut rest = words(&line[after..]);
    let qtype = rest.next();
    let wire = rest.next().map(|(at, _)| {
        let at = after + at;
        (at, line[at..].trim_end())
    });
    let (Some(_), Some((at, wire))) = (qtype, wire) else {
        return Err("no question type and name after `[flags RCODE]`".to_string());
    };
    if !wire.starts_with('(') {
        return Err(format!(
            "`{wire}` is not a name in wire form, `(3)www(7)example(3)com(0)`"
        ));
    }
    if direction != "Rcv" || response || opcode != "Q" {
        return Ok(Line::Other);
    }
    Ok(Line::Query {
        client: remote,
        wire,
        at,
        time,
    })
}

/// A line that is not a packet: one of the log's other shapes, or a
/// misfit.
fn other_line(line: &str) -> Result<Line<'_>, String> {
    let fits = line.trim().is_empty()
        || line.starts_with([' ', '\t'])
        || line.starts_with(|c: char| c.is_ascii_digit())
        || HEADS.iter().any(|h| line.starts_with(h))
        || ((line.starts_with("UDP ") || line.starts_with("TCP ")) && line.contains(" info at "));
    if fits {
        Ok(Line::Other)
    } else {
        Err("not a line of the Windows DNS Server debug log".to_string())
    }
}

/// The dotted name of a wire-form name: `(3)www(7)example(3)com(0)` is
/// `www.example.com`, `(0)` the root (`.`). Counts are in bytes.
fn decode(wire: &str) -> Result<String, String> {
    let bad = || format!("`{wire}` is not a name in wire form, `(3)www(7)example(3)com(0)`");
    let mut name = String::new();
    let mut rest = wire;
    loop {
        let inner = rest.strip_prefix('(').ok_or_else(bad)?;
        let (count, after) = inner.split_once(')').ok_or_else(bad)?;
        let n: usize = count.parse().map_err(|_| bad())?;
        if n == 0 {
            if !after.is_empty() {
                return Err(bad());
            }
            if name.is_empty() {
                name.push('.');
            }
            return Ok(name);
        }
        let label = after.get(..n).ok_or_else(bad)?;
        if !name.is_empty() {
            name.push('.');
        }
        name.push_str(label);
        rest = &after[n..];
    }
}

/// The line's query with its name decoded and checked.
fn query(line: &str) -> Result<Option<(Line<'_>, String)>, String> {
    match parse(line)? {
        Line::Other => Ok(None),
        q @ Line::Query { wire, .. } => {
            let name = decode(wire)?;
            qname(&name).map_err(|e| e.to_string())?;
            Ok(Some((q, name)))
        }
    }
}

impl RecordReader for WindowsDnsLog {
    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow {
        let line = record.text;
        let (q, name) = match query(line) {
            Ok(Some(q)) => q,
            Ok(None) => return Flow::Continue,
            Err(message) => return record.skip(sink, message, HELP),
        };
        let Line::Query {
            client,
            wire,
            at,
            time,
        } = q
        else {
            return Flow::Continue;
        };
        let Ok(Some(host)) = qname(&name) else {
            // The root.
            return Flow::Continue;
        };
        sink.item(
            ItemView::Endpoint(EndpointView {
                host: &host,
                url: None,
                client: Some(client),
                time,
                key: None,
                each_line: false,
            }),
            At {
                source: record.source,
                text: line,
                line: record.line,
                offset: at,
                len: wire.len(),
                byte: record.byte,
            },
        )
    }

    /// Every packet line holds a wire-form name, and no prefilter can
    /// find a dotted name in it.
    fn always_parse(&self) -> &'static [u8] {
        b"("
    }

    fn holds_item(&self, line: &[u8]) -> bool {
        std::str::from_utf8(line)
            .is_ok_and(|l| matches!(query(l), Ok(Some((_, name))) if name != "."))
    }

    fn check(&self, line: &[u8]) -> Option<Misfit> {
        query(&String::from_utf8_lossy(line))
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

    const QUERY: &str = "5/1/2024 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.0.0.71       \
                         5b47   Q [0001   D   NOERROR] A      (8)deepseek(3)com(0)";

    #[test]
    fn a_received_query() {
        let Ok(Line::Query {
            client,
            wire,
            at,
            time,
        }) = parse(QUERY)
        else {
            panic!("{:?}", parse(QUERY));
        };
        assert_eq!(client, "10.0.0.71");
        assert_eq!(wire, "(8)deepseek(3)com(0)");
        assert_eq!(&QUERY[at..], wire);
        assert_eq!(time, Some("5/1/2024 10:00:32 AM"));
        assert_eq!(decode(wire).unwrap(), "deepseek.com");
    }

    /// Responses, sent queries, updates and the log's other lines are
    /// no query; Windows Server 2003 lines have no packet id.
    #[test]
    fn other_lines() {
        for line in [
            "5/1/2024 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Snd 10.0.0.71       \
             5b47 R Q [8081   DR  NOERROR] A      (8)deepseek(3)com(0)",
            "5/1/2024 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Snd 192.0.2.53      \
             9c1a   Q [0001   D   NOERROR] A      (8)deepseek(3)com(0)",
            "5/1/2024 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.0.0.9        \
             7a01   U [0028       NOERROR] SOA    (4)corp(7)example(0)",
            "DNS Server log file creation at 5/1/2024 10:00:00 AM",
            "\tField #  Information         Values",
            "UDP question info at 00000000033397A0",
            "  Socket = 508",
            "5/1/2024 10:00:32 AM 0E70 Note: got GQCS failure on a dead socket context",
            "",
        ] {
            assert_eq!(parse(line), Ok(Line::Other), "{line}");
        }
        let old = "20080707 10:52:50 6A8 PACKET  UDP Rcv 192.168.1.10    0001   Q \
                   [0001   D   NOERROR] A      (3)www(7)example(3)com(0)";
        assert!(matches!(parse(old), Ok(Line::Query { .. })));
    }

    #[test]
    fn wire_names() {
        assert_eq!(
            decode("(3)www(7)example(3)com(0)").unwrap(),
            "www.example.com"
        );
        assert_eq!(decode("(0)").unwrap(), ".");
        assert_eq!(
            decode("(13)xn--bcher-kva(7)example(0)").unwrap(),
            "xn--bcher-kva.example"
        );
        for bad in [
            "(3)ww(0)",
            "(3)www",
            "www.example.com",
            "(3)www(7)example(3)com(0)x",
            "(x)a(0)",
        ] {
            assert!(decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn broken_packet_lines() {
        for line in [
            "5/1/2024 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP",
            "5/1/2024 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.0.0.71 5b47 Q [0001 D NOERROR] A",
            "5/1/2024 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.0.0.71 5b47 Q [0001 D NOERROR] A (4)www(0)",
            "this is not a log line",
        ] {
            assert!(query(line).is_err(), "{line}");
        }
    }
}
