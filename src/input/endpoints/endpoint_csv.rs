//! Tables of endpoints: proxy, firewall and DNS exports saved as CSV or
//! TSV (`time,client,url`, a SIEM search's `timestamp;src_ip;dest_host`),
//! read by the one [table reader](crate::input::table): delimiter sniffed
//! from the header, quotes, a byte-order mark.
//!
//! The header decides. A column named as a host (`url`, `host`, `sni`,
//! `server_name`, `fqdn`, `domain`, `dest_host`, `destination`,
//! `hostname`; case, spaces, `_` and `-` do not matter) holds the
//! endpoint; when several do, the first of that list is taken, so a
//! `host,url` export yields one item a row, not two. A client column
//! (`client`, `src_ip`, `source`, `user`, …) and a time column (`time`,
//! `timestamp`, `date`, …) are taken when present, as written. A header
//! naming no host column is not this format, and neither is an app
//! inventory (whose device column may be called `Hostname`): those are
//! [app-csv](crate::input::apps::app_csv)'s, which is tried first, and
//! this format's shape refuses what app-csv's takes. The content alone
//! decides (a header with a host column and rows of endpoints), whatever
//! the file is called; `--input-format endpoint-csv` reads any other.
//!
//! A row of another width, or whose host cell is empty or no endpoint, is
//! passed over and counted. Rows are independent records, so a large
//! export is read in chunks on every core.

use std::sync::Arc;

use crate::input::apps::app_csv;
use crate::input::item::{EndpointView, ItemView};
use crate::input::problem::InputProblem;
use crate::input::registry::{
    Evidence, FormatSpec, Misfit, Reader, Record, RecordFormat, RecordReader,
};
use crate::input::sink::{At, Flow, Sink};
use crate::input::table::{Cell, Cells, normalise_header, sniff_delimiter, split};

use super::list::{endpoint, host_part_fits};

pub static SPEC: FormatSpec = FormatSpec {
    name: "endpoint-csv",
    evidence: Evidence::Endpoints,
    description: "endpoint table (CSV or TSV with a host, domain or url column)",
    names: &[],
    // Told by its content only: a `.csv` that no sniffer takes stays
    // app-csv's (read with `--columns`), as before this format was read.
    maybe: &[],
    sniff: None,
    shape: Some(shape),
    reader: Reader::Records(&EndpointTable),
};

/// Header names of the host column, normalised, in the order preferred.
const HOST_COLUMNS: &[&str] = &[
    "url",
    "host",
    "sni",
    "servername",
    "fqdn",
    "domain",
    "desthost",
    "destination",
    "hostname",
];

/// Header names of the client column, normalised.
const CLIENT_COLUMNS: &[&str] = &[
    "client",
    "clientip",
    "clientaddress",
    "src",
    "srcip",
    "source",
    "sourceip",
    "sourceaddress",
    "user",
    "username",
];

/// Header names of the time column, normalised.
const TIME_COLUMNS: &[&str] = &[
    "time",
    "timestamp",
    "@timestamp",
    "ts",
    "datetime",
    "date",
    "eventtime",
];

const HELP: &str = "give every row as many cells as the header, with a host name, URL or \
     IP address in the host column";

/// Which cell holds each column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Layout {
    host: usize,
    client: Option<usize>,
    time: Option<usize>,
}

impl Layout {
    /// The layout of a header row; `None` when no column names a host.
    fn of<'h>(headers: impl IntoIterator<Item = &'h str>) -> Option<Layout> {
        let normalised: Vec<String> = headers.into_iter().map(normalise_header).collect();
        let find = |names: &[&str]| {
            names
                .iter()
                .find_map(|name| normalised.iter().position(|h| h == name))
        };
        Some(Layout {
            host: find(HOST_COLUMNS)?,
            client: find(CLIENT_COLUMNS),
            time: find(TIME_COLUMNS),
        })
    }
}

/// The header row and the rows after it, in the head of a file.
fn table_head(text: &str) -> Option<(u8, Vec<String>, Vec<&str>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = lines.next()?;
    let delimiter = sniff_delimiter(header);
    let headers = split(header, delimiter)
        .cells
        .into_iter()
        .map(|c| c.text.into_owned())
        .collect();
    Some((delimiter, headers, lines.take(20).collect()))
}

/// An endpoint table whatever its name: a header of two columns or more
/// with a host column, not an app inventory, and host cells that are
/// endpoints in most of the rows that follow (a device list's `hostname`
/// column holds `PC-0042`, no endpoint), with one row at least.
fn shape(text: &str) -> bool {
    if app_csv::looks_like(text) {
        return false;
    }
    let Some((delimiter, headers, rows)) = table_head(text) else {
        return false;
    };
    let Some(layout) = Layout::of(headers.iter().map(String::as_str)) else {
        return false;
    };
    if headers.len() < 2 || rows.is_empty() {
        return false;
    }
    let hosts = rows
        .iter()
        .filter(|row| {
            let cells = split(row, delimiter).cells;
            cells.len() == headers.len()
                && cells
                    .get(layout.host)
                    .is_some_and(|c| endpoint(c.text.trim()).is_ok_and(|e| plausible(&e.host)))
        })
        .count();
    hosts * 5 >= rows.len() * 4
}

/// A host that is likely meant as one: an address, or a domain with a dot.
fn plausible(host: &crate::ident::Host) -> bool {
    match host {
        crate::ident::Host::Domain(d) => d.as_str().contains('.'),
        _ => true,
    }
}

struct EndpointTable;

impl RecordFormat for EndpointTable {
    fn quoted(&self) -> bool {
        true
    }

    fn has_header(&self) -> bool {
        true
    }

    fn start(
        &self,
        source: &Arc<str>,
        header: Option<&str>,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        let names = || HOST_COLUMNS.join(", ");
        let Some(header) = header else {
            return Err(InputProblem::file(
                source,
                "the file is empty; an endpoint table starts with a header row",
                format!("name the host column one of {}", names()),
            ));
        };
        let delimiter = sniff_delimiter(header);
        let headers: Vec<String> = split(header, delimiter)
            .cells
            .into_iter()
            .map(|c| c.text.into_owned())
            .collect();
        let Some(layout) = Layout::of(headers.iter().map(String::as_str)) else {
            return Err(InputProblem::line(
                source,
                1,
                header,
                0,
                header.len(),
                format!(
                    "the header row ({}) has no host, domain or url column",
                    headers.join(", ")
                ),
                format!(
                    "name the host column one of {} (case, spaces, `_` and `-` do not matter)",
                    names()
                ),
            ));
        };
        Ok(Box::new(Rows {
            layout,
            width: headers.len(),
            delimiter,
            host_header: headers[layout.host].clone(),
        }))
    }
}

struct Rows {
    layout: Layout,
    width: usize,
    delimiter: u8,
    /// The host column's header as written, for messages.
    host_header: String,
}

impl Rows {
    /// Why a row does not fit, told from its cells; the host cell itself
    /// is checked by the caller.
    fn misfit(&self, cells: &[Cell<'_>], open_quote: bool) -> Option<String> {
        if open_quote {
            return Some(
                "a quoted cell is not closed, so the rest of the block was read as one cell".into(),
            );
        }
        if cells.len() != self.width {
            return Some(format!(
                "this row has {} cells but the header has {}",
                cells.len(),
                self.width
            ));
        }
        let host = cells[self.layout.host].text.trim();
        if host.is_empty() || host == "-" {
            return Some(format!(
                "this row has no host (`{}` is empty)",
                self.host_header
            ));
        }
        None
    }
}

impl RecordReader for Rows {
    fn check(&self, line: &[u8]) -> Option<Misfit> {
        let text = String::from_utf8_lossy(line);
        if text.trim().is_empty() {
            return None;
        }
        let Cells { cells, open_quote } = split(&text, self.delimiter);
        let message = match self.misfit(&cells, open_quote) {
            Some(message) => message,
            None => {
                let host = cells[self.layout.host].text.trim();
                if host_part_fits(host.as_bytes()) {
                    return None;
                }
                format!("`{host}` is not a host name, URL or IP address")
            }
        };
        Some(Misfit {
            message,
            help: HELP,
        })
    }

    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow {
        let text = record.text;
        if text.trim().is_empty() {
            return Flow::Continue;
        }
        let Cells { cells, open_quote } = split(text, self.delimiter);
        if let Some(message) = self.misfit(&cells, open_quote) {
            return record.skip(sink, message, HELP);
        }
        let cell = &cells[self.layout.host];
        let raw = &text[cell.span.clone()];
        let host_text = cell.text.trim();
        // Where the host is, on the physical line it is on (a quoted cell
        // before it may span lines).
        let start = cell.span.start + (raw.len() - raw.trim_start().len());
        let before = &text[..start];
        let line = record.line + before.bytes().filter(|&b| b == b'\n').count() as u64;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line_text = text[line_start..line_end].trim_end_matches('\r');
        let offset = start - line_start;
        let len = raw.trim().len().min(line_text.len().saturating_sub(offset));
        match endpoint(host_text) {
            Ok(found) => {
                let value = |i: Option<usize>| {
                    let v = cells.get(i?)?.text.trim();
                    (!v.is_empty() && v != "-").then_some(v)
                };
                sink.item(
                    ItemView::Endpoint(EndpointView {
                        host: &found.host,
                        url: (host_text.contains('/')
                            && !matches!(found.host, crate::ident::Host::Net(_)))
                        .then_some(host_text),
                        client: value(self.layout.client),
                        time: value(self.layout.time),
                        key: None,
                        each_line: false,
                    }),
                    At {
                        source: record.source,
                        text: line_text,
                        line,
                        offset,
                        len,
                        byte: record.byte + line_start as u64,
                    },
                )
            }
            Err(e) => sink.skip(
                InputProblem::line(
                    record.source,
                    line,
                    line_text,
                    offset,
                    len.max(1),
                    e.to_string(),
                    HELP,
                ),
                text,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The host column is found by any of its names, the preferred one
    /// first; client and time are taken when present.
    #[test]
    fn layouts() {
        assert_eq!(
            Layout::of(["time", "client", "url"]),
            Some(Layout {
                host: 2,
                client: Some(1),
                time: Some(0)
            })
        );
        assert_eq!(
            Layout::of(["Host", "Request URL", "Src IP"]).map(|l| (l.host, l.client)),
            Some((0, Some(2)))
        );
        assert_eq!(Layout::of(["Dest Host", "URL"]).map(|l| l.host), Some(1));
        assert_eq!(Layout::of(["name", "email"]), None);
    }

    /// Proxy exports are taken; app inventories, device lists and other
    /// tables are not.
    #[test]
    fn detection_is_disjoint_from_app_tables() {
        assert!(shape(
            "time,client,url\n2026-01-01T10:00:00Z,10.0.0.5,https://api.deepseek.com/v1\n"
        ));
        assert!(shape(
            "timestamp\tsrc_ip\tdest_host\n1765030000\t10.0.0.5\tchat.deepseek.com\n"
        ));
        assert!(!shape(
            "Hostname,Application Name,Version\nPC-1,WeChat,3.9\n"
        ));
        assert!(!shape("hostname,os,owner\nPC-0042,Windows 11,alice\n"));
        assert!(!shape("name,email\nalice,alice@example.org\n"));
        // One column, or a header with no row, is no shape.
        assert!(!shape("domain\nexample.com\n"));
        assert!(!shape("time,url\n"));
    }
}
