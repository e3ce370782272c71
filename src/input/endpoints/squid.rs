//! Squid's native access.log (`logformat squid`, the default):
//!
//! ```text
//! %ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt
//! 1714550400.123    245 192.0.2.15 TCP_TUNNEL/200 5120 CONNECT api.example.com:443 - HIER_DIRECT/203.0.113.7 -
//! ```
//!
//! Ten fields separated by runs of spaces (the elapsed time is padded):
//! time as seconds.milliseconds, elapsed ms, client address, result and
//! status, bytes, method, URL, user, hierarchy and peer, MIME type. Squid
//! 2.x wrote the same ten (`%<A` gave the peer's name rather than its
//! address); fields a `logformat` appends after the tenth are passed over.
//!
//! The endpoint is the URL's host: a URL with a scheme, `host:port` on a
//! `CONNECT` line, or a URL without a scheme as some proxies and exports
//! write it (`api.deepseek.com/v1/chat`), read as host and path. The
//! client is the third field and the time the first, both as written, so
//! findings fold per client. A direct connection's peer (`HIER_DIRECT/` or
//! `ORIGINAL_DST/` and an address) is the server the proxy reached, so
//! that address is an endpoint too: a banned range is found even behind
//! an innocent name. The peer of any other hierarchy code is a cache peer,
//! not the destination, and is passed over.
//!
//! Squid 4 and later log transactions that never named a host with a URL
//! of `error:…` (`error:transaction-end-before-headers`), and some setups
//! write `-`: such lines hold no endpoint and are no problem. A line of
//! another shape is passed over and counted, with why.
//!
//! Lines are independent, so a large log is read in chunks on every core.

use std::sync::Arc;

use crate::ident::{Host, parse_endpoint, parse_ip};
use crate::input::item::{EndpointView, ItemView};
use crate::input::problem::InputProblem;
use crate::input::records::Glance;
use crate::input::registry::{
    Evidence, FormatSpec, Misfit, Reader, Record, RecordFormat, RecordReader, shapes,
};
use crate::input::sink::{At, Flow, Sink};

use super::list::{first_other, host_part_fits};

pub static SPEC: FormatSpec = FormatSpec {
    name: "squid-access",
    evidence: Evidence::Endpoints,
    description: "Squid access log (native format)",
    names: &[],
    // Apache and nginx write an `access.log` too, and Squid's own
    // cache.log matches `*squid*.log`: the content decides every name.
    maybe: &[
        "access.log",
        "access.log.*",
        "access.log-*",
        "*squid*.log",
        "*squid*.log.*",
        "*squid*.log-*",
    ],
    sniff: None,
    shape: Some(shapes::squid_access),
    reader: Reader::Records(&Squid),
};

const HELP: &str = "each line of Squid's native access.log is `time elapsed client \
     RESULT/status bytes method URL user HIERARCHY/peer type`; for another \
     `logformat`, export the URLs one a line and scan that list";

/// The fields of the native format.
const FIELDS: usize = 10;

struct Squid;

impl RecordFormat for Squid {
    fn start(
        &self,
        _source: &Arc<str>,
        _header: Option<&str>,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        Ok(Box::new(Squid))
    }
}

impl RecordReader for Squid {
    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow {
        let text = record.text;
        if text.trim().is_empty() {
            return Flow::Continue;
        }
        let line = match Line::parse(text.as_bytes()) {
            Ok(line) => line,
            Err(message) => return record.skip(sink, message, HELP),
        };
        let at = |(from, to): Span| At {
            source: record.source,
            text,
            line: record.line,
            offset: from,
            len: to - from,
            byte: record.byte,
        };
        let field = |(from, to): Span| &text[from..to];
        let (client, time) = (field(line.client), field(line.time));
        let mut url_host = None;
        if let Some(span) = line.url {
            let url = field(span);
            match parse_endpoint(url) {
                Ok(host) => {
                    let flow = sink.item(
                        ItemView::Endpoint(EndpointView {
                            host: &host,
                            // A CONNECT target is no URL.
                            url: (!line.connect).then_some(url),
                            client: Some(client),
                            time: Some(time),
                            key: None,
                            each_line: false,
                        }),
                        at(span),
                    );
                    if flow == Flow::Stop {
                        return flow;
                    }
                    url_host = Some(host);
                }
                Err(e) => {
                    return sink.skip(
                        InputProblem::line(
                            record.source,
                            record.line,
                            text,
                            span.0,
                            url.len(),
                            e.to_string(),
                            HELP,
                        ),
                        text,
                    );
                }
            }
        }
        if let Some(span) = line.peer
            && let Some(ip) = parse_ip(field(span))
            && url_host != Some(Host::Ip(ip))
        {
            return sink.item(
                ItemView::Endpoint(EndpointView {
                    host: &Host::Ip(ip),
                    url: None,
                    client: Some(client),
                    time: Some(time),
                    key: None,
                    each_line: false,
                }),
                at(span),
            );
        }
        Flow::Continue
    }

    /// Lines the prefilter passes over unread are checked for the same
    /// shape, so the count of lines passed over does not depend on the
    /// policies.
    fn check(&self, line: &[u8]) -> Option<Misfit> {
        self.pass_over(line).err()
    }

    fn holds_item(&self, line: &[u8]) -> bool {
        self.pass_over(line).is_ok_and(|items| items > 0)
    }

    fn pass_over(&self, line: &[u8]) -> Result<u64, Misfit> {
        glance(line).map(|g| g.items)
    }

    fn glances(&self) -> bool {
        true
    }

    /// The URL's host part (or CONNECT target) and the direct server's
    /// address are a line's hosts: the host filter judges those bytes
    /// only.
    fn glance(&self, line: &[u8]) -> Option<Result<Glance, Misfit>> {
        Some(glance(line))
    }
}

/// Where the host of a URL or `host:port` is, as written: after any
/// scheme (a `://` where the host characters first end) and user, before
/// any path, query, fragment or port, inside an IPv6 literal's brackets.
/// The path, most of a URL's bytes, holds nothing a host rule matches.
fn url_host(url: &[u8]) -> Span {
    let from = first_other(url)
        .filter(|&i| url[i..].starts_with(b"://"))
        .map_or(0, |i| i + 3);
    let to = memchr::memchr3(b'/', b'?', b'#', &url[from..]).map_or(url.len(), |i| from + i);
    let from = memchr::memrchr(b'@', &url[from..to]).map_or(from, |i| from + i + 1);
    let host = &url[from..to];
    if host.first() == Some(&b'[') {
        let end = memchr::memchr(b']', host).unwrap_or(host.len());
        return (from + 1, from + end);
    }
    match memchr::memrchr(b':', host) {
        Some(i) if i + 1 < host.len() && host[i + 1..].iter().all(u8::is_ascii_digit) => {
            (from, from + i)
        }
        _ => (from, to),
    }
}

/// What [`Squid::glance`] sees: the line's shape, its items (the URL's
/// host, and the server's address where it is another), and where they
/// are. It reads bytes, so a line need not be valid UTF-8 to be judged;
/// the record reads the same fields of its (lossy) text, and a field that
/// decides an item is checked as the record checks it.
fn glance(text: &[u8]) -> Result<Glance, Misfit> {
    if text.trim_ascii().is_empty() {
        return Ok(Glance::default());
    }
    let misfit = |message| Misfit {
        message,
        help: HELP,
    };
    let line = Line::parse(text).map_err(misfit)?;
    let mut glance = Glance::default();
    if let Some((from, to)) = line.url {
        let url = &text[from..to];
        if !host_part_fits(url) {
            return Err(misfit(format!(
                "`{}` is not a URL or `host:port`",
                String::from_utf8_lossy(url)
            )));
        }
        glance.items += 1;
        let (a, b) = url_host(url);
        glance.hosts[0] = Some((from + a, from + b));
    }
    if let Some((from, to)) = line.peer
        && let Ok(peer) = std::str::from_utf8(&text[from..to])
        && let Some(ip) = parse_ip(peer)
    {
        // The record reads a URL that is this very address as one item.
        let same = glance.hosts[0].is_some_and(|(a, b)| {
            let host = &text[a..b];
            host.first()
                .is_some_and(|&b| b.is_ascii_hexdigit() || b == b':')
                && std::str::from_utf8(host).ok().and_then(parse_ip) == Some(ip)
        });
        if !same {
            glance.items += 1;
            glance.hosts[1] = Some((from, to));
        }
    }
    Ok(glance)
}

/// The byte range `[from, to)` of a field in its line.
type Span = (usize, usize);

/// The fields of one line an endpoint is taken from, as byte ranges of
/// the line: every one starts and ends at ASCII whitespace or `/`, so the
/// record slices its text by them.
#[derive(Debug, PartialEq, Eq)]
struct Line {
    time: Span,
    client: Span,
    /// `None` for a transaction that named no host (`error:…`, `-`).
    url: Option<Span>,
    connect: bool,
    /// The address of a direct connection's server.
    peer: Option<Span>,
}

impl Line {
    fn parse(text: &[u8]) -> Result<Line, String> {
        let (fields, n) = fields(text);
        if n < FIELDS {
            return Err(format!(
                "this line has {n} fields, not the {FIELDS} of Squid's native access.log"
            ));
        }
        let field = |i: usize| &text[fields[i].0..fields[i].1];
        let shown = |i: usize| String::from_utf8_lossy(field(i));
        if !is_time(field(0)) {
            return Err(format!(
                "`{}` is not a Squid time (seconds since 1970, a dot and milliseconds)",
                shown(0)
            ));
        }
        if !digits(field(1)) || !digits(field(4)) {
            return Err(format!(
                "`{}` and `{}` (elapsed time and size) must be numbers",
                shown(1),
                shown(4)
            ));
        }
        let status = field(3);
        if !memchr::memchr(b'/', status).is_some_and(|i| i > 0 && digits(&status[i + 1..])) {
            return Err(format!("`{}` is not a Squid result and status", shown(3)));
        }
        let url = field(6);
        let url = (url != b"-" && !url.starts_with(b"error:")).then_some(fields[6]);
        let (hier_at, hier_to) = fields[8];
        let peer = memchr::memchr(b'/', &text[hier_at..hier_to]).and_then(|i| {
            matches!(
                &text[hier_at..hier_at + i],
                b"HIER_DIRECT" | b"ORIGINAL_DST"
            )
            .then_some((hier_at + i + 1, hier_to))
        });
        Ok(Line {
            time: fields[0],
            client: fields[2],
            url,
            connect: field(5) == b"CONNECT",
            peer,
        })
    }
}

/// The first [`FIELDS`] fields of a line, split on runs of ASCII
/// whitespace, as byte ranges, and how many there are (up to [`FIELDS`]):
/// a line costs no allocation. Squid separates fields with spaces, so a
/// line with no other whitespace byte (one SIMD search) is split with
/// searches for spaces; any other takes the byte-by-byte walk.
fn fields(text: &[u8]) -> ([Span; FIELDS], usize) {
    // `\n` ends a line: only a last field may hold it, which no search
    // needs to end.
    let spaces_only = memchr::memchr3(b'\t', b'\r', b'\x0c', text).is_none();
    let end_of = |at: usize| {
        let rest = &text[at..];
        let end = if spaces_only {
            memchr::memchr(b' ', rest)
        } else {
            rest.iter().position(u8::is_ascii_whitespace)
        };
        end.map_or(text.len(), |i| at + i)
    };
    let mut out = [(0, 0); FIELDS];
    let (mut n, mut at) = (0, 0);
    while n < FIELDS {
        while at < text.len() && text[at].is_ascii_whitespace() {
            at += 1;
        }
        if at == text.len() {
            break;
        }
        let end = end_of(at);
        out[n] = (at, end);
        n += 1;
        at = end;
    }
    (out, n)
}

fn digits(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(u8::is_ascii_digit)
}

/// `1714550400.123`, or whole seconds.
fn is_time(s: &[u8]) -> bool {
    match memchr::memchr(b'.', s) {
        Some(i) => digits(&s[..i]) && digits(&s[i + 1..]),
        None => digits(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field is found at its offset; a CONNECT target and a
    /// direct peer are endpoints.
    #[test]
    fn native_line() {
        let text = "1714550400.123    245 192.0.2.15 TCP_TUNNEL/200 5120 CONNECT \
                    api.example.com:443 - HIER_DIRECT/203.0.113.7 -";
        let line = Line::parse(text.as_bytes()).unwrap();
        let field = |(from, to): Span| &text[from..to];
        assert_eq!(field(line.time), "1714550400.123");
        assert_eq!(field(line.client), "192.0.2.15");
        assert!(line.connect);
        assert_eq!(field(line.url.unwrap()), "api.example.com:443");
        assert_eq!(field(line.peer.unwrap()), "203.0.113.7");
    }

    /// Transactions that named no host hold no endpoint; a cache peer is
    /// not the destination.
    #[test]
    fn no_host_and_cache_peers() {
        let line = Line::parse(
            b"1714550400.123      0 192.0.2.15 NONE_NONE/000 0 - \
             error:transaction-end-before-headers - HIER_NONE/- -",
        )
        .unwrap();
        assert_eq!((line.url, line.peer), (None, None));
        let line = Line::parse(
            b"1714550400.123      9 192.0.2.15 TCP_MISS/200 10 GET http://a.example/ - \
             FIRST_UP_PARENT/10.0.0.1 text/html",
        )
        .unwrap();
        assert_eq!(line.peer, None);
    }

    /// Lines of other shapes are refused with why.
    #[test]
    fn other_shapes() {
        let err = |t: &str| Line::parse(t.as_bytes()).unwrap_err();
        assert!(err("1714550400.123 245 192.0.2.15").contains("3 fields"));
        assert!(
            err("05/May/2024:10:00:00 245 192.0.2.15 TCP_MISS/200 5 GET http://a.example/ - HIER_DIRECT/1.2.3.4 -")
                .contains("Squid time")
        );
        assert!(
            err("1714550400.123 245 192.0.2.15 TCP_MISS 5 GET http://a.example/ - HIER_DIRECT/1.2.3.4 -")
                .contains("result and status")
        );
    }

    #[test]
    fn url_host_is_the_host_part() {
        for (url, host) in [
            ("https://api.deepseek.com/v1/chat", "api.deepseek.com"),
            ("api.deepseek.com:443", "api.deepseek.com"),
            ("http://user@203.0.113.5:8080/x?y", "203.0.113.5"),
            ("[2001:db8::1]:443", "2001:db8::1"),
            ("deepseek.com", "deepseek.com"),
        ] {
            let (from, to) = url_host(url.as_bytes());
            assert_eq!(&url[from..to], host, "{url}");
        }
    }

    /// A glance counts the items the record reads: the URL's host, and the
    /// server's address unless the URL is that address.
    #[test]
    fn glance_counts_what_the_record_reads() {
        let line = |url: &str, peer: &str| {
            format!(
                "1796547600.001    120 10.0.0.5 TCP_MISS/200 1234 GET {url} - HIER_DIRECT/{peer} text/html"
            )
        };
        let items = |text: &str| glance(text.as_bytes()).unwrap().items;
        assert_eq!(items(&line("https://deepseek.com/", "203.0.113.9")), 2);
        assert_eq!(items(&line("http://203.0.113.9/x", "203.0.113.9")), 1);
        assert_eq!(items(&line("203.0.113.9:443", "203.0.113.9")), 1);
        assert_eq!(items(&line("[::ffff:203.0.113.9]:443", "203.0.113.9")), 1);
        assert_eq!(items(&line("http://u@203.0.113.9:80/", "203.0.113.9")), 1);
        assert_eq!(items(&line("error:invalid-request", "-")), 0);
        let text = line("https://deepseek.com/", "203.0.113.9");
        let g = glance(text.as_bytes()).unwrap();
        let (from, to) = g.hosts[0].unwrap();
        assert_eq!(&text[from..to], "deepseek.com");
        // Spaces and tabs split alike.
        let tabbed = text.replace(' ', "\t");
        assert_eq!(glance(tabbed.as_bytes()).unwrap(), g);
    }
}
