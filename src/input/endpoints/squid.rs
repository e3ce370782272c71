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

use super::list::host_part_fits;

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
        let line = match Line::parse(text) {
            Ok(line) => line,
            Err(message) => return record.skip(sink, message, HELP),
        };
        let at = |(offset, token): (usize, &str)| At {
            source: record.source,
            text,
            line: record.line,
            offset,
            len: token.len(),
            byte: record.byte,
        };
        let mut url_host = None;
        if let Some((offset, url)) = line.url {
            match parse_endpoint(url) {
                Ok(host) => {
                    let flow = sink.item(
                        ItemView::Endpoint(EndpointView {
                            host: &host,
                            // A CONNECT target is no URL.
                            url: (!line.connect).then_some(url),
                            client: Some(line.client),
                            time: Some(line.time),
                            key: None,
                            each_line: false,
                        }),
                        at((offset, url)),
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
                            offset,
                            url.len(),
                            e.to_string(),
                            HELP,
                        ),
                        text,
                    );
                }
            }
        }
        if let Some((offset, peer)) = line.peer
            && let Some(ip) = parse_ip(peer)
            && url_host != Some(Host::Ip(ip))
        {
            return sink.item(
                ItemView::Endpoint(EndpointView {
                    host: &Host::Ip(ip),
                    url: None,
                    client: Some(line.client),
                    time: Some(line.time),
                    key: None,
                    each_line: false,
                }),
                at((offset, peer)),
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
        let text = String::from_utf8_lossy(line);
        glance(&text).map(|g| g.items)
    }

    fn glances(&self) -> bool {
        true
    }

    /// The URL (or CONNECT target) and the direct server's address are a
    /// line's hosts: the host filter judges those two fields only.
    fn glance(&self, line: &[u8]) -> Option<Result<Glance, Misfit>> {
        // A lossy copy's offsets are not the line's: read it whole.
        Some(glance(std::str::from_utf8(line).ok()?))
    }
}

/// The host part of a URL or `host:port` as written: after any scheme and
/// user, before any path, query or port, without an IPv6 literal's
/// brackets.
fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if let Some(v6) = host.strip_prefix('[') {
        return v6.split(']').next().unwrap_or(v6);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// What [`Squid::glance`] sees: the line's shape, its items (the URL's
/// host, and the server's address where it is another), and where they
/// are.
fn glance(text: &str) -> Result<Glance, Misfit> {
    if text.trim().is_empty() {
        return Ok(Glance::default());
    }
    let misfit = |message| Misfit {
        message,
        help: HELP,
    };
    let line = Line::parse(text).map_err(misfit)?;
    let mut glance = Glance::default();
    if let Some((offset, url)) = line.url {
        if !host_part_fits(url.as_bytes()) {
            return Err(misfit(format!("`{url}` is not a URL or `host:port`")));
        }
        glance.items += 1;
        glance.hosts[0] = Some((offset, offset + url.len()));
    }
    if let Some((offset, peer)) = line.peer
        && let Some(ip) = parse_ip(peer)
    {
        // The record reads a URL that is this very address as one item
        // (its text holds the address, which most URLs do not).
        let same = line.url.is_some_and(|(_, url)| {
            memchr::memmem::find(url.as_bytes(), peer.as_bytes()).is_some()
                && parse_ip(url_host(url)) == Some(ip)
        });
        if !same {
            glance.items += 1;
            glance.hosts[1] = Some((offset, offset + peer.len()));
        }
    }
    Ok(glance)
}

/// The fields of one line an endpoint is taken from, each with its byte
/// offset in the line.
#[derive(Debug, PartialEq, Eq)]
struct Line<'a> {
    time: &'a str,
    client: &'a str,
    /// `None` for a transaction that named no host (`error:…`, `-`).
    url: Option<(usize, &'a str)>,
    connect: bool,
    /// The address of a direct connection's server.
    peer: Option<(usize, &'a str)>,
}

impl<'a> Line<'a> {
    fn parse(text: &'a str) -> Result<Line<'a>, String> {
        let (fields, n) = fields(text);
        if n < FIELDS {
            return Err(format!(
                "this line has {n} fields, not the {FIELDS} of Squid's native access.log"
            ));
        }
        let field = |i: usize| fields[i].1;
        let (time, elapsed, status, bytes) = (field(0), field(1), field(3), field(4));
        if !is_time(time) {
            return Err(format!(
                "`{time}` is not a Squid time (seconds since 1970, a dot and milliseconds)"
            ));
        }
        if !digits(elapsed) || !digits(bytes) {
            return Err(format!(
                "`{elapsed}` and `{bytes}` (elapsed time and size) must be numbers"
            ));
        }
        if !status
            .split_once('/')
            .is_some_and(|(code, status)| !code.is_empty() && digits(status))
        {
            return Err(format!("`{status}` is not a Squid result and status"));
        }
        let method = field(5);
        let (url_at, url) = fields[6];
        let url = (url != "-" && !url.starts_with("error:")).then_some((url_at, url));
        let peer = fields[8].1.split_once('/').and_then(|(hier, peer)| {
            matches!(hier, "HIER_DIRECT" | "ORIGINAL_DST")
                .then(|| (fields[8].0 + hier.len() + 1, peer))
        });
        Ok(Line {
            time,
            client: field(2),
            url,
            connect: method == "CONNECT",
            peer,
        })
    }
}

/// The first [`FIELDS`] fields of a line, split on runs of ASCII
/// whitespace, with their byte offsets, and how many there are (up to
/// [`FIELDS`]): a line costs no allocation, and each field end is one
/// search (Squid pads only the elapsed time).
fn fields(text: &str) -> ([(usize, &str); FIELDS], usize) {
    let bytes = text.as_bytes();
    let mut out = [(0, ""); FIELDS];
    let (mut n, mut at) = (0, 0);
    while n < FIELDS {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at == bytes.len() {
            break;
        }
        let end = bytes[at..]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(bytes.len(), |i| at + i);
        out[n] = (at, &text[at..end]);
        n += 1;
        at = end;
    }
    (out, n)
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `1714550400.123`, or whole seconds.
fn is_time(s: &str) -> bool {
    match s.split_once('.') {
        Some((secs, ms)) => digits(secs) && digits(ms),
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
        let line = Line::parse(text).unwrap();
        assert_eq!(line.time, "1714550400.123");
        assert_eq!(line.client, "192.0.2.15");
        assert!(line.connect);
        let (at, url) = line.url.unwrap();
        assert_eq!(&text[at..at + url.len()], "api.example.com:443");
        let (at, peer) = line.peer.unwrap();
        assert_eq!(&text[at..at + peer.len()], "203.0.113.7");
    }

    /// Transactions that named no host hold no endpoint; a cache peer is
    /// not the destination.
    #[test]
    fn no_host_and_cache_peers() {
        let line = Line::parse(
            "1714550400.123      0 192.0.2.15 NONE_NONE/000 0 - \
             error:transaction-end-before-headers - HIER_NONE/- -",
        )
        .unwrap();
        assert_eq!((line.url, line.peer), (None, None));
        let line = Line::parse(
            "1714550400.123      9 192.0.2.15 TCP_MISS/200 10 GET http://a.example/ - \
             FIRST_UP_PARENT/10.0.0.1 text/html",
        )
        .unwrap();
        assert_eq!(line.peer, None);
    }

    /// Lines of other shapes are refused with why.
    #[test]
    fn other_shapes() {
        let err = |t: &str| Line::parse(t).unwrap_err();
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
            assert_eq!(url_host(url), host, "{url}");
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
        let items = |text: &str| glance(text).unwrap().items;
        assert_eq!(items(&line("https://deepseek.com/", "203.0.113.9")), 2);
        assert_eq!(items(&line("http://203.0.113.9/x", "203.0.113.9")), 1);
        assert_eq!(items(&line("203.0.113.9:443", "203.0.113.9")), 1);
        assert_eq!(items(&line("error:invalid-request", "-")), 0);
        let text = line("https://deepseek.com/", "203.0.113.9");
        let g = glance(&text).unwrap();
        let (from, to) = g.hosts[0].unwrap();
        assert_eq!(&text[from..to], "https://deepseek.com/");
    }
}
