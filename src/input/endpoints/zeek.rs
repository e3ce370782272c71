//! Zeek's dns.log, ssl.log and http.log, as the ASCII writer writes them
//! (TSV under a `#separator`…`#fields`…`#types` header, with a `#close`
//! trailer) or in its JSON mode (one object a line, dotted keys kept flat:
//! `"id.orig_h"`).
//!
//! The endpoint is dns.log's `query` (the name asked for), ssl.log's
//! `server_name` (the SNI) or http.log's `host` (the Host header, which
//! may carry a port or be an IP literal). Which log a file is comes from
//! its `#path` line, else from its `#fields`; in JSON, from the keys of
//! each line. TSV columns are found by the `#fields` names, never by
//! position, since Zeek versions and local scripts add columns. The
//! client is `id.orig_h` and the time `ts`, both as written.
//!
//! An unset (`#unset_field`, `-`) or empty (`#empty_field`, `(empty)`)
//! host is no endpoint: an ssl.log line of a client that sent no SNI holds
//! nothing to check, and is passed over without a word. A name
//! [`parse_endpoint`] refuses is a record skipped, counted and explained:
//! real dns.logs hold mDNS service instance names with spaces and
//! typographic apostrophes (`ana’s macbook pro._companion-link._tcp.local`),
//! which are labels of free text, not host names, and nothing a policy
//! bans can be one; a skipped line that still holds a banned name is
//! flagged as unread evidence by the scan, so none hides a finding.
//! NetBIOS names (`WORKGROUP`) and reverse lookups
//! (`8.8.8.8.in-addr.arpa`) are valid DNS names: they are read as the
//! names they are, and match only a rule for that name.
//!
//! Lines are independent once the header is read, so a large log is read
//! in chunks on every core.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Deserialize;

use crate::ident::EndpointError;
use crate::input::problem::InputProblem;
use crate::input::records::Glance;
use crate::input::registry::{
    Evidence, FormatSpec, Misfit, Reader, Record, RecordFormat, RecordReader, shapes,
};
use crate::input::sink::{At, Flow, Sink};

use super::json_line;

pub static SPEC: FormatSpec = FormatSpec {
    name: "zeek-log",
    evidence: Evidence::Endpoints,
    description: "Zeek dns, ssl or http log (TSV or JSON lines)",
    names: &[
        "ssl.log",
        "http.log",
        "ssl.*.log",
        "http.*.log",
        "ssl.log.*",
        "http.log.*",
    ],
    // Windows' DNS Server writes a dns.log too: the content decides.
    maybe: &["dns.log", "dns.*.log", "dns.log.*"],
    sniff: None,
    shape: Some(shapes::zeek_log),
    reader: Reader::Records(&ZeekLog),
};

const HELP: &str = "banscan reads Zeek's dns.log (`query`), ssl.log (`server_name`) and http.log \
     (`host`), as TSV under their `#fields` header or as JSON lines";

const NAME_HELP: &str = "Zeek logs every name asked for; mDNS service instance names (with \
     spaces) and other names that are not host names hold no endpoint banscan can match";

/// Which log a file is, and so which column holds the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Log {
    Dns,
    Ssl,
    Http,
}

impl Log {
    const ALL: [Log; 3] = [Log::Dns, Log::Ssl, Log::Http];

    fn field(self) -> &'static str {
        match self {
            Log::Dns => "query",
            Log::Ssl => "server_name",
            Log::Http => "host",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Log::Dns => "dns",
            Log::Ssl => "ssl",
            Log::Http => "http",
        }
    }
}

struct ZeekLog;

impl RecordFormat for ZeekLog {
    fn has_header(&self) -> bool {
        true
    }

    /// JSON lines have no header.
    fn headless(&self, first: u8) -> bool {
        first == b'{'
    }

    /// `#separator`, `#set_separator`, `#empty_field`, `#unset_field`,
    /// `#path` and `#open` come before `#fields`.
    fn before_header(&self, line: &str) -> bool {
        line.starts_with('#') && !line.starts_with("#fields")
    }

    fn start(
        &self,
        source: &Arc<str>,
        header: Option<&str>,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        self.start_after(source, &[], header, &crate::input::Limits::default())
    }

    fn start_after(
        &self,
        source: &Arc<str>,
        preamble: &[String],
        header: Option<&str>,
        _limits: &crate::input::Limits,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        match header {
            None if preamble.is_empty() => Ok(Box::new(Json)),
            None => Err(InputProblem::file(
                source,
                "this Zeek log has no `#fields` line, so no column can be told",
                HELP,
            )),
            Some(fields) => Ok(Box::new(Tsv::new(source, preamble, fields)?)),
        }
    }
}

/// `\xHH` escapes decoded, as the ASCII writer writes the separator and
/// bytes it does not print (`\x09`, and UTF-8 when `enable_utf_8` is
/// off). Text without escapes is borrowed.
fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains("\\x") {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 2..i + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) if bytes[i] == b'\\' && bytes[i + 1] == b'x' => {
                out.push(b);
                i += 4;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// A TSV log, read by its header.
struct Tsv {
    separator: String,
    /// The `#fields` line as written, to tell a second header that differs.
    fields_line: String,
    width: usize,
    log: Log,
    host: usize,
    client: Option<usize>,
    time: Option<usize>,
    unset: String,
    empty: String,
}

impl Tsv {
    fn new(source: &Arc<str>, preamble: &[String], fields: &str) -> Result<Tsv, InputProblem> {
        // `#separator \x09` is written with a space, whatever the separator.
        let separator = preamble
            .iter()
            .find_map(|l| l.strip_prefix("#separator "))
            .map(|s| unescape(s.trim()).into_owned())
            .filter(|s| !s.is_empty())
            .or_else(|| {
                // No `#separator` line: the byte after `#fields` is it.
                fields
                    .strip_prefix("#fields")
                    .and_then(|r| r.chars().next())
                    .map(String::from)
            })
            .unwrap_or_else(|| "\t".to_string());
        let meta = |key: &str| {
            preamble.iter().find_map(|l| {
                l.strip_prefix(key)
                    .and_then(|r| r.strip_prefix(separator.as_str()))
                    .map(str::to_string)
            })
        };
        let names: Vec<&str> = fields
            .strip_prefix("#fields")
            .and_then(|r| r.strip_prefix(separator.as_str()))
            .ok_or_else(|| {
                InputProblem::file(
                    source,
                    format!(
                        "the line after the `#` header lines is not a `#fields` line split by \
                         the `#separator`: `{}`",
                        fields.chars().take(80).collect::<String>()
                    ),
                    HELP,
                )
            })?
            .split(separator.as_str())
            .collect();
        let path = meta("#path");
        let by_path = path
            .as_deref()
            .and_then(|p| Log::ALL.into_iter().find(|l| l.path() == p));
        let log = by_path
            .or_else(|| Log::ALL.into_iter().find(|l| names.contains(&l.field())))
            .ok_or_else(|| {
                InputProblem::file(
                    source,
                    format!(
                        "this Zeek log{} has none of the columns banscan reads \
                         (`query`, `server_name`, `host`)",
                        path.as_deref()
                            .map(|p| format!(" (`#path {p}`)"))
                            .unwrap_or_default()
                    ),
                    HELP,
                )
            })?;
        let column = |name: &str| names.iter().position(|n| *n == name);
        let host = column(log.field()).ok_or_else(|| {
            InputProblem::file(
                source,
                format!(
                    "this Zeek {} log has no `{}` column in its `#fields`",
                    log.path(),
                    log.field()
                ),
                HELP,
            )
        })?;
        Ok(Tsv {
            width: names.len(),
            log,
            host,
            client: column("id.orig_h"),
            time: column("ts"),
            unset: meta("#unset_field").unwrap_or_else(|| "-".to_string()),
            empty: meta("#empty_field").unwrap_or_else(|| "(empty)".to_string()),
            fields_line: fields.to_string(),
            separator,
        })
    }

    /// The cells of a line with their offsets.
    fn cells<'a>(&'a self, line: &'a str) -> impl Iterator<Item = (usize, &'a str)> + 'a {
        let base = line.as_ptr() as usize;
        line.split(self.separator.as_str())
            .map(move |c| (c.as_ptr() as usize - base, c))
    }

    /// A cell's value: `None` when unset or empty.
    fn value<'a>(&self, cell: &'a str) -> Option<&'a str> {
        Some(cell).filter(|c| !c.is_empty() && *c != self.unset && *c != self.empty)
    }

    /// The `n`th cell of a line, found without splitting the rest.
    fn nth<'a>(&self, line: &'a [u8], n: usize) -> Option<&'a [u8]> {
        let sep = self.separator.as_bytes();
        let mut start = 0;
        for _ in 0..n {
            start += memchr::memmem::find(&line[start..], sep)? + sep.len();
        }
        let end = memchr::memmem::find(&line[start..], sep).map_or(line.len(), |i| start + i);
        Some(&line[start..end])
    }

    /// A `#fields` line other than the header: a log of another kind or
    /// version appended to this one, whose rows are read with this
    /// header's columns.
    fn other_header(&self, line: &[u8]) -> Option<Misfit> {
        (line.starts_with(b"#fields") && line != self.fields_line.as_bytes()).then(|| Misfit {
            message: "a second `#fields` header names other columns (a log of another kind \
                      or version appended?); the lines after it are read with the first \
                      header's columns"
                .to_string(),
            help: "split the file where its header changes and scan each part",
        })
    }

    fn misfit_width(&self, got: usize) -> String {
        format!(
            "this line has {got} fields where the `#fields` header names {}; it was not read",
            self.width
        )
    }
}

impl RecordReader for Tsv {
    fn holds_item(&self, line: &[u8]) -> bool {
        if line.first() == Some(&b'#') {
            return false;
        }
        self.nth(line, self.host).is_some_and(|cell| {
            !cell.is_empty() && cell != self.unset.as_bytes() && cell != self.empty.as_bytes()
        })
    }

    /// A line a prefilter passes over still has as many fields as the
    /// header names.
    fn check(&self, line: &[u8]) -> Option<Misfit> {
        if line.first() == Some(&b'#') {
            return self.other_header(line);
        }
        if line.is_empty() {
            return None;
        }
        let got = memchr::memmem::find_iter(line, self.separator.as_bytes()).count() + 1;
        (got != self.width).then(|| Misfit {
            message: self.misfit_width(got),
            help: HELP,
        })
    }

    fn glances(&self) -> bool {
        self.separator.len() == 1
    }

    /// The host column's cell, found with the width in one pass over the
    /// separators: the host filter judges that cell only. A cell with an
    /// escape (`\x2e`) is read whole.
    fn glance(&self, line: &[u8]) -> Option<Result<Glance, Misfit>> {
        if line.is_empty() {
            return Some(Ok(Glance::default()));
        }
        if line.first() == Some(&b'#') {
            return Some(self.other_header(line).map_or(Ok(Glance::default()), Err));
        }
        // One plain walk over the bytes: cells are short, so a search per
        // cell costs more to set up than it saves.
        let separator = *self.separator.as_bytes().first()?;
        let (mut width, mut from, mut to) = (1, 0, line.len());
        for (i, &b) in line.iter().enumerate() {
            // `width - 1` is the index of the cell `b` is in.
            if b == separator {
                if width - 1 == self.host {
                    to = i;
                }
                width += 1;
                if width - 1 == self.host {
                    from = i + 1;
                }
            }
        }
        if width != self.width {
            return Some(Err(Misfit {
                message: self.misfit_width(width),
                help: HELP,
            }));
        }
        if self.host >= width {
            return None;
        }
        let cell = &line[from..to];
        if cell.contains(&b'\\') {
            return None;
        }
        let set =
            !cell.is_empty() && cell != self.unset.as_bytes() && cell != self.empty.as_bytes();
        Some(Ok(Glance {
            items: u64::from(set),
            hosts: [set.then_some((from, to)), None],
        }))
    }

    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow {
        let text = record.text;
        if text.is_empty() {
            return Flow::Continue;
        }
        if text.starts_with('#') {
            // `#types`, `#close`, and the header of a log appended to this
            // one: the same header is no news, another is.
            return match self.other_header(text.as_bytes()) {
                Some(misfit) => record.skip(sink, misfit.message, misfit.help),
                None => Flow::Continue,
            };
        }
        let (mut host, mut client, mut time, mut width) = (None, None, None, 0);
        for (i, (at, cell)) in self.cells(text).enumerate() {
            if i == self.host {
                host = Some((at, cell));
            } else if Some(i) == self.client {
                client = self.value(cell);
            } else if Some(i) == self.time {
                time = self.value(cell);
            }
            width = i + 1;
        }
        if width != self.width {
            return record.skip(sink, self.misfit_width(width), HELP);
        }
        let Some((offset, raw)) = host.filter(|(_, c)| self.value(c).is_some()) else {
            return Flow::Continue;
        };
        let name = unescape(raw);
        let at = At {
            source: record.source,
            text,
            line: record.line,
            offset,
            len: raw.len(),
            byte: record.byte,
        };
        emit(self.log, &name, client, time, at, sink)
    }
}

/// Hands one host over, or skips its line when the name is no host.
fn emit(
    log: Log,
    name: &str,
    client: Option<&str>,
    time: Option<&str>,
    at: At<'_>,
    sink: &mut dyn Sink,
) -> Flow {
    super::log_host(name, client, time, at, sink, |e| refusal(log, e), NAME_HELP)
}

/// Why a name was refused: the error names it.
fn refusal(log: Log, e: &EndpointError) -> String {
    format!("{}: {e}; the line was passed over", log.field())
}

/// A JSON-lines log: each line says which log it is by its keys.
struct Json;

/// The keys banscan takes from a line; Zeek omits unset fields.
#[derive(Deserialize)]
struct JsonLine<'a> {
    #[serde(borrow, default)]
    query: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    server_name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    host: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "id.orig_h")]
    client: Option<Cow<'a, str>>,
}

impl JsonLine<'_> {
    /// The log the line is from and its host, when it has one.
    fn host(&self) -> Option<(Log, &str)> {
        [
            (Log::Dns, &self.query),
            (Log::Ssl, &self.server_name),
            (Log::Http, &self.host),
        ]
        .into_iter()
        .find_map(|(log, v)| Some((log, v.as_deref().filter(|v| !v.is_empty())?)))
    }
}

impl RecordReader for Json {
    fn holds_item(&self, line: &[u8]) -> bool {
        [&b"\"query\""[..], b"\"server_name\"", b"\"host\""]
            .iter()
            .any(|k| memchr::memmem::find(line, k).is_some())
    }

    fn check(&self, line: &[u8]) -> Option<Misfit> {
        json_line::check_object(line, HELP)
    }

    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow {
        let text = record.text;
        let line: JsonLine = match json_line::parse(&record, sink, HELP) {
            Ok(l) => l,
            Err(flow) => return flow,
        };
        let Some((log, name)) = line.host() else {
            return Flow::Continue;
        };
        let (offset, len) = json_line::span_of(text, 0, log.field(), name);
        let at = At {
            source: record.source,
            text,
            line: record.line,
            offset,
            len,
            byte: record.byte,
        };
        let client = line.client.as_deref().filter(|c| !c.is_empty());
        emit(
            log,
            name,
            client,
            json_line::raw_scalar(text, "ts"),
            at,
            sink,
        )
    }
}

#[cfg(test)]
#[path = "zeek_tests.rs"]
mod tests;
