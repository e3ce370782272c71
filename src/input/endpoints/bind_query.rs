//! BIND's query log (the `queries` category): one line a query a client
//! asked the server.
//!
//! The line changed across 9.x: older releases write `client
//! 10.0.0.1#5353: query: name IN A +`, later ones add the parenthesised
//! name (`client 10.0.0.1#5353 (name): …`), then the client object's
//! address (`client @0x7f… 10.0.0.1#5353 (name): …`); a TSIG-signed query
//! adds `/key keyname` after the port, a view other than the default adds
//! `view name: ` before `query:`, and since 9.8 the server's own address
//! ends the line in parentheses. What comes before `client` is the
//! channel's choice: a `print-time` date (`15-Jan-2024 10:22:01.123`, or
//! ISO 8601), `print-category` and `print-severity` (`queries: info:`), or
//! a syslog prefix; each is optional.
//!
//! The item is the query name, at its place after `query: `; the client
//! is the address before `#port`, the time the line's opening time as
//! written. Other messages about a client that share the file (`query
//! (cache) 'name/A/IN' denied`, from the `security` category) are no
//! query and hold no item; a line without the `client … :` shape is passed
//! over as skipped.
//!
//! Lines are independent, so a large log is read in chunks on every core.

use std::sync::Arc;

use crate::input::item::{EndpointView, ItemView};
use crate::input::problem::InputProblem;
use crate::input::records::Glance;
use crate::input::registry::{
    Evidence, FormatSpec, Misfit, Reader, Record, RecordFormat, RecordReader, shapes,
};
use crate::input::sink::{At, Flow, Sink};

use super::dns::{leading_time, plain_name_fits, qname, qname_fits};

pub static SPEC: FormatSpec = FormatSpec {
    name: "bind-query-log",
    evidence: Evidence::Endpoints,
    description: "BIND query log (category queries, 9.x line shapes)",
    names: &[
        "query.log",
        "queries.log",
        "query.log.*",
        "queries.log.*",
        "query.log-*",
        "queries.log-*",
    ],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::bind_query_log),
    reader: Reader::Records(&BindQueryLog),
};

const HELP: &str = "a BIND query log line is `[time] [queries: info:] client [@0x…] \
     ADDRESS#PORT [(NAME)]: [view VIEW: ]query: NAME CLASS TYPE FLAGS [(SERVER)]`";

struct BindQueryLog;

impl RecordFormat for BindQueryLog {
    fn start(
        &self,
        _source: &Arc<str>,
        _header: Option<&str>,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        Ok(Box::new(BindQueryLog))
    }
}

/// One line of the log, borrowed from it.
#[derive(Debug, PartialEq, Eq)]
enum Line<'a> {
    /// A query: the name asked for and where it is in the line.
    Query {
        client: &'a str,
        name: &'a str,
        at: usize,
    },
    /// Another message about a client: no query.
    Other,
}

/// Where the first `: ` in `text` is.
fn colon_space(text: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b':', text).find(|&i| text.get(i + 1) == Some(&b' '))
}

/// The end of the first word of `text` at or after `from`, and where the
/// next begins.
fn word(text: &[u8], from: usize) -> (usize, usize) {
    match memchr::memchr(b' ', &text[from.min(text.len())..]) {
        Some(i) => (from + i, from + i + 1),
        None => (text.len(), text.len()),
    }
}

/// Where a query's client and name are in a line.
#[derive(Debug, PartialEq, Eq)]
enum Spans {
    Query {
        client: std::ops::Range<usize>,
        name: std::ops::Range<usize>,
    },
    /// Another message about a client: no query.
    Other,
}

/// Reads one line's shape, without judging the name, on its bytes: the
/// parts it looks at are ASCII, so a line needs no UTF-8 check to be
/// told, and the ranges it gives are character boundaries.
fn spans(line: &[u8]) -> Result<Spans, String> {
    // `client ` opens a word some forty bytes in, after the time and the
    // category: a search for its first letter gets there sooner than a
    // substring search, which costs more to set up than it saves here.
    let mut at = memchr::memchr_iter(b'c', line)
        .find(|&i| line[i..].starts_with(b"client ") && (i == 0 || line[i - 1] == b' '))
        .map(|i| i + "client ".len())
        .ok_or_else(|| "no `client ADDRESS#PORT` in this line".to_string())?;
    if line[at..].starts_with(b"@0x") {
        let space = memchr::memchr(b' ', &line[at..])
            .ok_or_else(|| "nothing after the client's `@0x…` id".to_string())?;
        at += space + 1;
    }
    let hash = memchr::memchr(b'#', &line[at..])
        .map(|i| at + i)
        .filter(|&h| h > at && !line[at..h].contains(&b' '))
        .ok_or_else(|| "no `ADDRESS#PORT` after `client`".to_string())?;
    let client = at..hash;
    let port = line[hash + 1..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if port == 0 {
        return Err(format!(
            "no port after `{}#`",
            String::from_utf8_lossy(&line[client])
        ));
    }
    // The message follows the first `: ` after the port (a signer or the
    // parenthesised name come first); a `view name: ` may open it.
    let after = hash + 1 + port;
    let colon =
        colon_space(&line[after..]).ok_or_else(|| "no `: ` before the message".to_string())?;
    let mut message = after + colon + 2;
    if line[message..].starts_with(b"view ") {
        let end = colon_space(&line[message + 5..])
            .ok_or_else(|| "no `: ` after the view's name".to_string())?;
        message += "view ".len() + end + 2;
    }
    if !line[message..].starts_with(b"query: ") {
        return Ok(Spans::Other);
    }
    // `NAME CLASS TYPE …`: three words, none empty.
    let name_at = message + "query: ".len();
    let (name_end, class_at) = word(line, name_at);
    let (class_end, type_at) = word(line, class_at);
    let (type_end, _) = word(line, type_at);
    if name_end == name_at || class_end == class_at || type_end == type_at {
        return Err("a query is `NAME CLASS TYPE FLAGS`".to_string());
    }
    Ok(Spans::Query {
        client,
        name: name_at..name_end,
    })
}

/// [`spans`] on a line of text, as slices of it.
fn parse(line: &str) -> Result<Line<'_>, String> {
    Ok(match spans(line.as_bytes())? {
        Spans::Query { client, name } => Line::Query {
            client: &line[client],
            at: name.start,
            name: &line[name],
        },
        Spans::Other => Line::Other,
    })
}

/// Why a query name is no host name.
fn name_error(name: &str) -> String {
    qname(name)
        .err()
        .map_or_else(|| format!("`{name}` is not a host name"), |e| e.to_string())
}

/// The line's query, its name checked: `None` for other messages.
fn query(line: &str) -> Result<Option<(&str, &str, usize)>, String> {
    match parse(line)? {
        Line::Query { client, name, at } => {
            if qname_fits(name) {
                Ok(Some((client, name, at)))
            } else {
                Err(name_error(name))
            }
        }
        Line::Other => Ok(None),
    }
}

impl RecordReader for BindQueryLog {
    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow {
        let line = record.text;
        let (client, name, at) = match query(line) {
            Ok(Some(q)) => q,
            Ok(None) => return Flow::Continue,
            Err(message) => return record.skip(sink, message, HELP),
        };
        let host = match qname(name) {
            Ok(Some(host)) => host,
            // The root, or a name `query` already refused.
            Ok(None) | Err(_) => return Flow::Continue,
        };
        sink.item(
            ItemView::Endpoint(EndpointView {
                host: &host,
                url: None,
                client: Some(client),
                time: leading_time(line),
                key: None,
                each_line: false,
            }),
            At {
                source: record.source,
                text: line,
                line: record.line,
                offset: at,
                len: name.len(),
                byte: record.byte,
            },
        )
    }

    fn holds_item(&self, line: &[u8]) -> bool {
        self.pass_over(line).is_ok_and(|items| items > 0)
    }

    fn check(&self, line: &[u8]) -> Option<Misfit> {
        self.pass_over(line).err()
    }

    fn pass_over(&self, line: &[u8]) -> Result<u64, Misfit> {
        match self.glance(line) {
            Some(glance) => glance.map(|g| g.items),
            None => Err(Misfit {
                message: "this line's query name is not valid UTF-8".to_string(),
                help: HELP,
            }),
        }
    }

    fn glances(&self) -> bool {
        true
    }

    /// One parse tells whether the line fits, whether it holds a query
    /// (the root `.` is none) and where its name is.
    fn glance(&self, line: &[u8]) -> Option<Result<Glance, Misfit>> {
        if line.iter().all(u8::is_ascii_whitespace) {
            return Some(Ok(Glance::default()));
        }
        let misfit = |message| Misfit {
            message,
            help: HELP,
        };
        Some(match spans(line) {
            Ok(Spans::Query { name: range, .. }) => {
                let query = Glance {
                    items: 1,
                    hosts: [Some((range.start, range.end)), None],
                };
                let name = &line[range.clone()];
                if name == b"." {
                    return Some(Ok(Glance::default()));
                }
                if plain_name_fits(name) {
                    return Some(Ok(query));
                }
                // A name outside UTF-8 is read with the whole line.
                let name = std::str::from_utf8(name).ok()?;
                if qname_fits(name) {
                    Ok(query)
                } else {
                    Err(misfit(name_error(name)))
                }
            }
            Ok(Spans::Other) => Ok(Glance::default()),
            Err(message) => Err(misfit(message)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(line: &str) -> Result<Option<(&str, &str, usize)>, String> {
        query(line)
    }

    /// Every 9.x shape gives the client, the name and where it is.
    #[test]
    fn line_shapes() {
        let cases = [
            "client 10.0.0.1#5353: query: deepseek.com IN A +",
            "client 10.0.0.1#5353: view internal: query: deepseek.com IN A +",
            "client 10.0.0.1#5353 (deepseek.com): query: deepseek.com IN A +E (10.0.0.2)",
            "15-Jan-2024 10:22:01.123 queries: info: client @0x7f1c2c0a1b68 10.0.0.1#5353 \
             (deepseek.com): view internal: query: deepseek.com IN A +E(0)K (10.0.0.2)",
            "15-Jan-2024 10:22:01.123 client @0x7f1c2c0a1b68 10.0.0.1#5353/key tsig-key \
             (deepseek.com): query: deepseek.com IN A +SE(0)K (10.0.0.2) [ECS 192.0.2.0/24/0]",
            "Jan 15 10:22:01 ns1 named[812]: client @0x7f1c2c0a1b68 10.0.0.1#5353 \
             (deepseek.com): query: deepseek.com IN A +E(0)K (10.0.0.2)",
        ];
        for line in cases {
            let (client, name, at) = q(line).unwrap().unwrap();
            assert_eq!((client, name), ("10.0.0.1", "deepseek.com"), "{line}");
            assert_eq!(&line[at..at + name.len()], name, "{line}");
            assert!(line[..at].ends_with("query: "), "{line}");
        }
        let v6 = "client @0x1 2001:db8::5#40000 (a.example): query: a.example IN AAAA -";
        assert_eq!(q(v6).unwrap().unwrap().0, "2001:db8::5");
    }

    /// Other client messages hold no query; broken lines say why.
    #[test]
    fn other_and_broken_lines() {
        let denied = "15-Jan-2024 10:22:01.123 security: info: client @0x7f1c 10.0.0.1#5353 \
                      (deepseek.com): query (cache) 'deepseek.com/A/IN' denied";
        assert_eq!(q(denied), Ok(None));
        for line in [
            "15-Jan-2024 10:22:01.123 general: info: zone example.com/IN: loaded serial 1",
            "client 10.0.0.1: query: a.example IN A +",
            "client 10.0.0.1#x: query: a.example IN A +",
            "client 10.0.0.1#53: query: a.example",
            "client 10.0.0.1#53: query: bad..name IN A +",
        ] {
            assert!(q(line).is_err(), "{line}");
        }
    }

    /// A root query is no item, nor a problem.
    #[test]
    fn root_query() {
        let line = "client 10.0.0.1#53: query: . IN NS -E(0) (10.0.0.2)";
        assert!(matches!(q(line), Ok(Some((_, ".", _)))));
        assert!(!BindQueryLog.holds_item(line.as_bytes()));
        assert_eq!(BindQueryLog.check(line.as_bytes()), None);
    }
}
