//! Plain endpoint lists: one host, `*.domain`, URL, `host:port`, IP address
//! or CIDR block a line, and hosts-file lines (`0.0.0.0 name [aliases…]`).
//!
//! `#` starts a comment at the start of a line or after whitespace. In a
//! hosts-file line (an IP address followed by names) each name is an
//! endpoint and the address is not: it is where the name is sent. A name
//! sent to an unspecified or loopback address (`0.0.0.0`, `127.0.0.1`, `::`,
//! `::1`) is blocked, not used, so it is not evidence of use: block lists
//! are checked for syntax but yield no items. A name pinned to any other
//! address is an endpoint in use.
//!
//! Lines are independent, so a large list is read in chunks on every core.

use std::sync::Arc;

use crate::ident::{EndpointError, Host, parse_endpoint, parse_ip};
use crate::input::item::{Endpoint, ItemView};
use crate::input::problem::InputProblem;
use crate::input::registry::{
    Evidence, FormatSpec, Misfit, Reader, Record, RecordFormat, RecordReader,
};
use crate::input::sink::{At, Flow, Sink};

pub static SPEC: FormatSpec = FormatSpec {
    name: "endpoint-list",
    evidence: Evidence::Endpoints,
    description: "endpoint list: hosts, URLs, IPs or CIDR blocks one a line, or a hosts file",
    names: &[],
    // Generic names: an Ansible inventory is called `hosts` too.
    maybe: &["hosts", "*.hosts", "*.list", "*.txt"],
    sniff: Some(looks_like),
    shape: None,
    reader: Reader::Records(&List),
};

const ENTRY_HELP: &str = "write one entry a line: a host name, `*.domain`, a URL, `host:port`, \
     an IP address or a CIDR block; or a hosts-file line `IP name…`";

struct List;

impl RecordFormat for List {
    fn start(
        &self,
        _source: &Arc<str>,
        _header: Option<&str>,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        Ok(Box::new(List))
    }
}

impl RecordReader for List {
    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow {
        parse_line(record.source, record.line, record.byte, record.text, sink)
    }

    fn always_parse(&self) -> &'static [u8] {
        b" \t"
    }

    fn holds_item(&self, line: &[u8]) -> bool {
        line.iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b != b'#')
    }

    /// A line with no space (lines with one are always parsed) is one
    /// entry: its host part, after any scheme and user and before any
    /// port, path or query, must be host characters. `exa$mple!com` is no
    /// entry whatever the policies ban.
    /// A bare host name is one entry.
    fn plain_fits(&self) -> bool {
        true
    }

    fn check(&self, line: &[u8]) -> Option<Misfit> {
        let entry = line.trim_ascii();
        if entry.is_empty() || entry[0] == b'#' || host_part_fits(entry) {
            return None;
        }
        Some(Misfit {
            message: format!(
                "`{}` is not a host name, URL, IP address or CIDR block",
                String::from_utf8_lossy(entry)
            ),
            help: ENTRY_HELP,
        })
    }
}

/// The bytes a host name may hold, as [`host_part_fits`] tells them.
const HOST_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.');
        b += 1;
    }
    t
};

fn host_byte(b: u8) -> bool {
    HOST_BYTES[usize::from(b)]
}

/// The first byte of `s` that is not a host byte: eight bytes a step with
/// one branch, as almost every line is a host name or a URL.
pub(crate) fn first_other(s: &[u8]) -> Option<usize> {
    let mut at = 0;
    for chunk in s.chunks_exact(8) {
        if !chunk.iter().fold(true, |all, &b| all & host_byte(b)) {
            break;
        }
        at += 8;
    }
    s[at..].iter().position(|&b| !host_byte(b)).map(|i| at + i)
}

/// Whether the host part of one entry is made of host characters.
///
/// The common shapes, a bare host name and `scheme://host/…`, are told in
/// one pass over the host; anything else takes the general walk below,
/// which gives the same answer for them.
pub(crate) fn host_part_fits(entry: &[u8]) -> bool {
    let Some(i) = first_other(entry) else {
        return !entry.is_empty();
    };
    // Before `i` no `:`, so a `://` at `i` is the first one.
    if entry[i..].starts_with(b"://") {
        let rest = &entry[i + 3..];
        match first_other(rest) {
            None => return !rest.is_empty(),
            Some(j) if matches!(rest[j], b'/' | b'?' | b'#') => return j > 0,
            Some(_) => {}
        }
    }
    host_part_fits_slow(entry)
}

fn host_part_fits_slow(entry: &[u8]) -> bool {
    let mut rest = entry;
    if let Some(i) = memchr::memmem::find(rest, b"://") {
        rest = &rest[i + 3..];
    }
    let end = rest
        .iter()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let mut host = &rest[..end];
    if let Some(i) = memchr::memrchr(b'@', host) {
        host = &host[i + 1..];
    }
    if let Some(inner) = host.strip_prefix(b"[") {
        // `[v6]:port`
        return inner.contains(&b']');
    }
    if memchr::memchr(b':', host).is_some() && host.iter().filter(|&&b| b == b':').count() > 1 {
        // A bare IPv6 address.
        return host
            .iter()
            .all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.'));
    }
    let host = match memchr::memchr(b':', host) {
        // `host:port`; anything else after a colon is no entry.
        Some(i) if host[i + 1..].iter().all(u8::is_ascii_digit) => &host[..i],
        Some(_) => return false,
        None => host,
    };
    let host = host.strip_prefix(b"*.").unwrap_or(host);
    !host.is_empty() && host.iter().all(|&b| host_byte(b))
}

/// How many content lines are sniffed.
const SNIFF_LINES: usize = 20;

/// Whether most of the first content lines are endpoints: one entry a
/// line, or a hosts-file line. A bare word (`Introduction`) or a version
/// (`1.2.3`) is not taken as a host name here, so prose, apt's
/// `sources.list` and `leap-seconds.list` are passed over.
pub fn looks_like(text: &str) -> bool {
    let (mut seen, mut fit) = (0, 0);
    for line in text
        .lines()
        .filter(|l| !tokens(l).is_empty())
        .take(SNIFF_LINES)
    {
        let toks = tokens(line);
        let ok = match toks.as_slice() {
            [(_, only)] => endpoint(only).is_ok_and(|e| plausible(&e.host)),
            [(_, address), names @ ..] => {
                is_hosts_address(address) && names.iter().all(|(_, n)| endpoint(n).is_ok())
            }
            [] => continue,
        };
        seen += 1;
        fit += usize::from(ok);
    }
    seen > 0 && fit * 10 >= seen * 8
}

/// A host that is likely meant as one: an address, or a domain with a dot
/// and a top label that is not all digits.
fn plausible(host: &Host) -> bool {
    match host {
        Host::Domain(d) => d
            .as_str()
            .rsplit_once('.')
            .is_some_and(|(_, top)| !top.bytes().all(|b| b.is_ascii_digit())),
        Host::Ip(_) | Host::Net(_) => true,
    }
}

/// The tokens of a line with their byte offsets, comments removed.
pub(crate) fn tokens(line: &str) -> Vec<(usize, &str)> {
    let bytes = line.as_bytes();
    let end = bytes
        .iter()
        .enumerate()
        .find(|&(i, &b)| b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()))
        .map_or(line.len(), |(i, _)| i);
    let content = &line[..end];
    if content.is_ascii() {
        // The common case, without decoding characters.
        let base = content.as_ptr() as usize;
        return content
            .split_ascii_whitespace()
            .map(|t| (t.as_ptr() as usize - base, t))
            .collect();
    }
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in content.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, &content[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &content[s..]));
    }
    out
}

/// Whether a token is the address column of a hosts-file line (an IP,
/// possibly with an IPv6 zone such as `fe80::1%lo0`).
pub(crate) fn is_hosts_address(token: &str) -> bool {
    let ip = token.split_once('%').map_or(token, |(ip, _)| ip);
    parse_ip(ip).is_some()
}

/// Whether a hosts-file address blocks the names sent to it.
fn is_sinkhole(address: &str) -> bool {
    let ip = address.split_once('%').map_or(address, |(ip, _)| ip);
    parse_ip(ip).is_some_and(|ip| ip.is_unspecified() || ip.is_loopback())
}

/// Reads one endpoint token.
pub(crate) fn endpoint(token: &str) -> Result<Endpoint, EntryError> {
    if let Some(domain) = token.strip_prefix("*.") {
        return match parse_endpoint(domain)? {
            host @ Host::Domain(_) => Ok(Endpoint::of(host, None)),
            _ => Err(EntryError::WildcardNotDomain(token.to_string())),
        };
    }
    if token.contains('*') {
        return Err(EntryError::WildcardInside(token.to_string()));
    }
    let host = parse_endpoint(token)?;
    let url = token.contains("://").then(|| token.to_string());
    Ok(Endpoint::of(host, url))
}

/// Why a list entry was refused: the endpoint itself, or a `*` that lists
/// allow only as a leading `*.` before a domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum EntryError {
    Endpoint(EndpointError),
    /// `*.` followed by an address or CIDR block rather than a domain.
    WildcardNotDomain(String),
    /// A `*` anywhere but at the start.
    WildcardInside(String),
}

impl std::fmt::Display for EntryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EntryError::Endpoint(e) => e.fmt(f),
            EntryError::WildcardNotDomain(token) => write!(
                f,
                "`{token}`: a `*.` wildcard must be followed by a domain name"
            ),
            EntryError::WildcardInside(token) => {
                write!(f, "`{token}`: a wildcard is only allowed as a leading `*.`")
            }
        }
    }
}

impl std::error::Error for EntryError {}

impl From<EndpointError> for EntryError {
    fn from(e: EndpointError) -> EntryError {
        EntryError::Endpoint(e)
    }
}

fn parse_line(source: &Arc<str>, number: u64, byte: u64, line: &str, sink: &mut dyn Sink) -> Flow {
    let toks = tokens(line);
    // Names sent to a sinkhole are still checked, but are not items.
    let mut blocked = false;
    let entries = match toks.as_slice() {
        [] => return Flow::Continue,
        [(_, first), rest @ ..] if !rest.is_empty() && is_hosts_address(first) => {
            blocked = is_sinkhole(first);
            rest
        }
        [_, (second, _), ..] => {
            let (last_at, last) = toks[toks.len() - 1];
            let flow = sink.problem(InputProblem::warning(InputProblem::line(
                source,
                number,
                line,
                *second,
                last_at + last.len() - second,
                format!(
                    "expected one entry on this line, found {}; each is still checked",
                    toks.len()
                ),
                ENTRY_HELP,
            )));
            if flow == Flow::Stop {
                return flow;
            }
            &toks[..]
        }
        all => all,
    };
    for &(offset, token) in entries {
        let flow = match endpoint(token) {
            Ok(_) if blocked => {
                sink.blocked(1);
                Flow::Continue
            }
            Ok(endpoint) => sink.item(
                ItemView::Endpoint(endpoint.view()),
                At {
                    source,
                    text: line,
                    line: number,
                    offset,
                    len: token.len(),
                    byte,
                },
            ),
            Err(e) => sink.skip(
                InputProblem::line(
                    source,
                    number,
                    line,
                    offset,
                    token.len(),
                    e.to_string(),
                    ENTRY_HELP,
                ),
                line,
            ),
        };
        if flow == Flow::Stop {
            return flow;
        }
    }
    Flow::Continue
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::item::ItemKind;
    use crate::input::testing::{Collect, read_fixture};

    type Ep = (String, Option<String>, u64, usize, usize);

    /// `(host, url, line, column, len)` of each endpoint.
    fn endpoints(c: &Collect) -> Vec<Ep> {
        c.items
            .iter()
            .filter_map(|g| match &g.item {
                ItemKind::Endpoint(e) => {
                    Some((e.host.to_string(), e.url.clone(), g.line, g.column, g.len))
                }
                _ => None,
            })
            .collect()
    }

    fn run(name: &str) -> Collect {
        read_fixture(
            &SPEC,
            &format!("endpoint-list/{name}"),
            &format!("lists/{name}"),
        )
    }

    fn ep(host: &str, url: Option<&str>, line: u64, col: usize, len: usize) -> Ep {
        (host.to_string(), url.map(str::to_string), line, col, len)
    }

    /// Every entry form, with comments; URLs keep the URL; the origin is
    /// on the token.
    #[test]
    fn mixed_entries() {
        let out = run("mixed-entries.txt");
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert_eq!(
            endpoints(&out),
            [
                ep("deepseek.com", None, 2, 1, 12),
                ep("deepseek.com", None, 3, 1, 14),
                ep(
                    "api.deepseek.com",
                    Some("https://api.deepseek.com/v1/chat/completions"),
                    4,
                    1,
                    44
                ),
                ep("chat.deepseek.com", None, 5, 1, 21),
                ep("203.0.113.7", None, 6, 1, 11),
                ep("2001:db8::1", None, 7, 1, 11),
                ep("203.0.113.0/24", None, 8, 1, 14),
                ep("2001:db8::/32", None, 9, 1, 13),
                ep("203.0.113.5", None, 10, 1, 18),
                ep("xn--bcher-kva.example", None, 11, 1, 15),
                ep("kaspersky.com", None, 13, 5, 14),
            ]
        );
        assert_eq!(
            out.items[10].text,
            "    kaspersky.com.   # indented, with the root dot"
        );
    }

    /// hosts-file lines: names pinned to a real address are endpoints;
    /// names sent to 0.0.0.0 or loopback are blocked, not used.
    #[test]
    fn hosts_file_lines() {
        let out = run("hosts");
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let hosts: Vec<String> = endpoints(&out).into_iter().map(|e| e.0).collect();
        assert_eq!(hosts, ["localhost", "chat.deepseek.com"]);
        let e = &endpoints(&out)[1];
        assert_eq!((e.2, e.3, e.4), (11, 14, 17));
    }

    /// Bad tokens are problems at the token; later lines are still read.
    #[test]
    fn bad_entries_are_problems() {
        let out = run("bad-entries.txt");
        let hosts: Vec<String> = endpoints(&out).into_iter().map(|e| e.0).collect();
        assert_eq!(
            hosts,
            ["good.example", "one.example", "two.example", "last.example"]
        );
        let at = out.problem_places();
        assert_eq!(
            at,
            [
                (2, 1, 14),
                (3, 1, 14),
                (4, 1, 9),
                (5, 13, 11),
                (6, 1, 11),
                (7, 1, 12)
            ]
        );
        assert!(out.problems.iter().all(|p| p.help == ENTRY_HELP));
    }

    /// The one-pass shapes of `host_part_fits` answer as the general walk.
    #[test]
    fn host_part_fast_path_agrees() {
        for entry in [
            "a.example",
            "*.example.com",
            "host_1-a.example",
            "https://api.example.com/v1/x",
            "https://api.example.com?q=1",
            "https://api.example.com#top",
            "https://api.example.com",
            "http://",
            "http:///",
            "http://#x",
            "://host",
            "a://",
            "http://host:8080/",
            "http://user@host/",
            "http://[::1]:443/",
            "svn+ssh://host/x",
            "http://exa$mple.com/",
            "exa$mple!com",
            "host:443",
            "2001:db8::1",
            "203.0.113.0/24",
            "a/b://c",
            "é.example",
            "https://é.example/",
            "x://y://z",
        ] {
            let e = entry.as_bytes();
            assert_eq!(host_part_fits(e), host_part_fits_slow(e), "{entry}");
        }
    }

    /// Garbage never panics.
    #[test]
    fn garbage_does_not_panic() {
        let sink = &mut Collect::default();
        let display: Arc<str> = "x".into();
        for line in [
            "*",
            "*.",
            "*.*",
            "::",
            "[",
            "[::1",
            "http://",
            "a:b:c",
            "#",
            " # x",
            "é",
            "0.0.0.0",
            "0.0.0.0 *",
            "fe80::1%",
            "/",
            "1.2.3.4/99",
            "%",
        ] {
            parse_line(&display, 1, 0, line, sink);
        }
    }

    /// Each failure mode's message is the text users saw when the error
    /// was a `String`.
    #[test]
    fn entry_messages() {
        let entry = |t: &str| endpoint(t).unwrap_err().to_string();
        assert_eq!(entry("bad..name"), "`bad..name` is not a valid host name");
        assert_eq!(
            entry("*.203.0.113.5"),
            "`*.203.0.113.5`: a `*.` wildcard must be followed by a domain name"
        );
        assert_eq!(
            entry("api.*.com"),
            "`api.*.com`: a wildcard is only allowed as a leading `*.`"
        );
    }
}
