//! Generic installed-app inventory CSV, as MDM and asset tools export it
//! (Intune "Discovered apps", osquery query results saved as CSV, hand-made
//! spreadsheets).
//!
//! Columns are found by header name, ignoring case, spaces, `_` and `-`
//! (see [`COLUMNS`]). When several headers name the same column, the one
//! earliest in that column's alias list wins (`app_name` over `DisplayName`),
//! then the leftmost. Rows are read one at a time with the `csv` crate; the
//! raw text of each record is kept only until the record is handled, so
//! memory stays flat on any number of rows.

use std::cell::RefCell;
use std::io::{BufRead, Read};
use std::rc::Rc;
use std::sync::Arc;

use ::csv::{ByteRecord, ReaderBuilder};

use crate::input::{App, Input, InputProblem, Item, ItemKind, Origin, Sink, open};

/// The columns an app row can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Device,
    Name,
    Version,
    Publisher,
    Platform,
    BundleId,
}

/// Each column and the header names accepted for it, as written in the
/// help; matching ignores case, spaces, `_` and `-`. Earlier names win.
const COLUMNS: [(Column, &[&str]); 6] = [
    (
        Column::Device,
        &[
            "device",
            "device_name",
            "hostname",
            "computer",
            "computer_name",
            "DeviceName",
        ],
    ),
    (
        Column::Name,
        &[
            "app_name",
            "name",
            "application",
            "application_name",
            "ApplicationName",
            "DisplayName",
            "software",
            "software_name",
        ],
    ),
    (
        Column::Version,
        &[
            "version",
            "ApplicationVersion",
            "DisplayVersion",
            "app_version",
            "softwareVersion",
            "bundle_short_version",
        ],
    ),
    (
        Column::Publisher,
        &[
            "publisher",
            "vendor",
            "ApplicationPublisher",
            "manufacturer",
            "softwareVendor",
        ],
    ),
    (
        Column::Platform,
        &["platform", "os", "Platform", "osPlatform"],
    ),
    (
        Column::BundleId,
        &[
            "bundle_id",
            "bundle_identifier",
            "package",
            "package_name",
            "app_id",
            "ApplicationId",
        ],
    ),
];

fn normalise_header(header: &str) -> String {
    header
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn aliases(column: Column) -> &'static [&'static str] {
    COLUMNS
        .iter()
        .find(|(c, _)| *c == column)
        .map_or(&[], |(_, names)| names)
}

fn headers_help() -> String {
    format!(
        "name the app column one of {}, or the bundle id column one of {} \
         (case, spaces, `_` and `-` do not matter)",
        aliases(Column::Name).join(", "),
        aliases(Column::BundleId).join(", ")
    )
}

/// Which record index holds each column.
#[derive(Debug, Default)]
struct Layout {
    device: Option<usize>,
    name: Option<usize>,
    version: Option<usize>,
    publisher: Option<usize>,
    platform: Option<usize>,
    bundle_id: Option<usize>,
}

impl Layout {
    fn from_headers<'h>(headers: impl IntoIterator<Item = &'h str>) -> Layout {
        let normalised: Vec<String> = headers.into_iter().map(normalise_header).collect();
        let find = |column: Column| {
            aliases(column).iter().find_map(|alias| {
                let alias = normalise_header(alias);
                normalised.iter().position(|h| *h == alias)
            })
        };
        Layout {
            device: find(Column::Device),
            name: find(Column::Name),
            version: find(Column::Version),
            publisher: find(Column::Publisher),
            platform: find(Column::Platform),
            bundle_id: find(Column::BundleId),
        }
    }

    fn has_app_column(&self) -> bool {
        self.name.is_some() || self.bundle_id.is_some()
    }
}

/// Whether a CSV header line looks like an app inventory: an app or bundle
/// id column and at least one more inventory column (device, version,
/// publisher, platform). Used by discovery to sniff `*.csv` files met in a
/// walk without reading past the first line; a `name,email` list is not an
/// inventory.
pub(crate) fn header_has_app_column(line: &str) -> bool {
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    let mut record = ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => {
            let layout =
                Layout::from_headers(record.iter().map(|f| std::str::from_utf8(f).unwrap_or("")));
            let context = [
                layout.device,
                layout.version,
                layout.publisher,
                layout.platform,
            ];
            layout.has_app_column() && context.iter().any(Option::is_some)
        }
        _ => false,
    }
}

/// Reads an app inventory CSV, one record at a time.
pub fn parse(input: &Input, sink: &mut dyn Sink) -> Result<(), InputProblem> {
    let mut reader = open(&input.display, &input.path)?;
    let starts_with_bom = reader
        .fill_buf()
        .map_err(|e| read_failed(&input.display, 0, &e))?
        .starts_with(b"\xEF\xBB\xBF");
    if starts_with_bom {
        reader.consume(3);
    }
    parse_reader(&input.display, reader, sink).map(|_| ())
}

fn read_failed(display: &Arc<str>, line: u64, e: &dyn std::fmt::Display) -> InputProblem {
    InputProblem::file(
        display,
        format!("reading failed after line {line}: {e}"),
        "check the file and the device it is on",
    )
}

/// The bytes the CSV reader has pulled from the file and not yet handed
/// out as a record's raw text. `base` is the file offset of `bytes[0]`;
/// `bytes[..done]` were handed out already and are dropped in batches.
#[derive(Debug, Default)]
struct RawBytes {
    base: u64,
    bytes: Vec<u8>,
    done: usize,
    /// The most bytes held at once, for the streaming test.
    peak: usize,
}

impl RawBytes {
    /// The raw bytes of `start..end` (file offsets); everything before
    /// `end` may be dropped.
    fn take(&mut self, start: u64, end: u64) -> Vec<u8> {
        let rel = |at: u64| {
            usize::try_from(at.saturating_sub(self.base))
                .unwrap_or(usize::MAX)
                .min(self.bytes.len())
        };
        let (s, e) = (rel(start), rel(end));
        let out = self.bytes[s.min(e)..e].to_vec();
        self.done = self.done.max(e);
        if self.done >= 16 * 1024 || self.done * 2 >= self.bytes.len() {
            self.bytes.drain(..self.done);
            self.base += self.done as u64;
            self.done = 0;
        }
        out
    }
}

/// Copies every byte read into the shared [`RawBytes`].
struct Tee<R> {
    inner: R,
    seen: Rc<RefCell<RawBytes>>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut seen = self.seen.borrow_mut();
        seen.bytes.extend_from_slice(&buf[..n]);
        seen.peak = seen.peak.max(seen.bytes.len());
        Ok(n)
    }
}

/// Reads CSV (after any BOM) from `reader`; returns the peak number of raw
/// bytes held, which the streaming test checks.
fn parse_reader(
    display: &Arc<str>,
    reader: impl Read,
    sink: &mut dyn Sink,
) -> Result<usize, InputProblem> {
    let seen = Rc::new(RefCell::new(RawBytes::default()));
    let mut csv = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(Tee {
            inner: reader,
            seen: Rc::clone(&seen),
        });
    let mut record = ByteRecord::new();
    let next = |csv: &mut ::csv::Reader<_>,
                record: &mut ByteRecord|
     -> Result<Option<(u64, String)>, InputProblem> {
        let start = csv.position().clone();
        let more = csv
            .read_byte_record(record)
            .map_err(|e| read_failed(display, start.line(), &e))?;
        if !more {
            return Ok(None);
        }
        let raw = seen.borrow_mut().take(start.byte(), csv.position().byte());
        Ok(Some((
            start.line(),
            String::from_utf8_lossy(&raw).into_owned(),
        )))
    };

    let Some((_, _)) = next(&mut csv, &mut record)? else {
        return Err(InputProblem::file(
            display,
            "the file is empty; an app inventory CSV starts with a header row",
            headers_help(),
        ));
    };
    let width = record.len();
    let headers: Vec<String> = record
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let layout = Layout::from_headers(headers.iter().map(String::as_str));
    if !layout.has_app_column() {
        return Err(InputProblem::file(
            display,
            format!(
                "the header row ({}) has no app name or bundle id column",
                headers.join(", ")
            ),
            headers_help(),
        ));
    }
    let name_header = layout
        .name
        .or(layout.bundle_id)
        .map_or("", |i| headers[i].as_str());

    while let Some((start_line, raw)) = next(&mut csv, &mut record)? {
        row(
            display,
            &layout,
            width,
            name_header,
            &record,
            start_line,
            &raw,
            sink,
        );
    }
    let peak = seen.borrow().peak;
    Ok(peak)
}

fn cells(n: usize) -> String {
    if n == 1 {
        "1 cell".into()
    } else {
        format!("{n} cells")
    }
}

/// The raw text of a record without the line breaks around it, and the
/// line it starts on.
fn trim_record(start_line: u64, raw: &str) -> (usize, &str) {
    let body = raw.trim_start_matches(['\r', '\n']);
    let skipped_lines = raw[..raw.len() - body.len()].matches('\n').count();
    let line = usize::try_from(start_line)
        .unwrap_or(usize::MAX)
        .saturating_add(skipped_lines);
    (line, body.trim_end_matches(['\r', '\n']))
}

/// Byte spans of each field's content in a raw record (quotes excluded),
/// and whether the record ended inside an open quote.
fn field_spans(raw: &str) -> (Vec<(usize, usize)>, bool) {
    let b = raw.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    loop {
        if i < b.len() && b[i] == b'"' {
            let start = i + 1;
            i += 1;
            loop {
                if i >= b.len() {
                    spans.push((start, b.len()));
                    return (spans, true);
                }
                if b[i] == b'"' {
                    if b.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            spans.push((start, i));
            while i < b.len() && b[i] != b',' {
                i += 1;
            }
        } else {
            let start = i;
            while i < b.len() && b[i] != b',' {
                i += 1;
            }
            spans.push((start, i));
        }
        if i >= b.len() {
            return (spans, false);
        }
        i += 1;
    }
}

#[allow(clippy::too_many_arguments)]
fn row(
    display: &Arc<str>,
    layout: &Layout,
    width: usize,
    name_header: &str,
    record: &ByteRecord,
    start_line: u64,
    raw: &str,
    sink: &mut dyn Sink,
) {
    let (line, text) = trim_record(start_line, raw);
    let (spans, open_quote) = field_spans(text);
    let whole = |message: String, help: &str| {
        InputProblem::line(display, line, text, 0, text.len().max(1), message, help)
    };
    if open_quote {
        sink.problem(whole(
            "a quoted cell is not closed, so the rest of the file was read as one cell".into(),
            "close the quote (write `\"\"` for a quote inside a quoted cell) and scan again",
        ));
    }
    if record.len() != width {
        sink.problem(whole(
            format!(
                "this row has {} but the header has {width}; its cells may be in the wrong columns",
                cells(record.len())
            ),
            "quote cells that contain commas, and give every row as many cells as the header",
        ));
    }
    let mut bad_utf8 = false;
    let mut cell = |index: Option<usize>| -> Option<String> {
        let bytes = record.get(index?)?;
        let value = match std::str::from_utf8(bytes) {
            Ok(v) => v.to_string(),
            Err(_) => {
                bad_utf8 = true;
                String::from_utf8_lossy(bytes).into_owned()
            }
        };
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_string())
    };
    let app = App {
        name: cell(layout.name),
        publisher: cell(layout.publisher),
        version: cell(layout.version),
        bundle_id: cell(layout.bundle_id),
        platform: cell(layout.platform),
        device: cell(layout.device),
    };
    if bad_utf8 {
        sink.problem(whole(
            "this row is not valid UTF-8; unreadable characters were replaced".into(),
            "export the inventory as UTF-8",
        ));
    }
    let key_column = if app.name.is_some() {
        layout.name
    } else {
        layout.bundle_id
    };
    if app.name.is_none() && app.bundle_id.is_none() {
        sink.problem(whole(
            "this row has neither an app name nor a bundle id".into(),
            &format!("fill in the `{name_header}` cell, or remove the row"),
        ));
        return;
    }
    let (cell_line, offset, len) =
        key_column
            .and_then(|i| spans.get(i))
            .map_or((line, 0, text.len()), |&(s, e)| {
                let cell = &text[s..e];
                let s = s + (cell.len() - cell.trim_start().len());
                let e = s + cell.trim().len();
                let before = &text[..s];
                let newlines = before.matches('\n').count();
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                (line + newlines, s - line_start, e - s)
            });
    sink.item(
        Item {
            kind: ItemKind::App(app),
            origin: Origin::at(display, cell_line, offset, len),
        },
        text,
    );
}

#[cfg(test)]
mod tests {
    use crate::input::testing::Collect;
    use std::path::PathBuf;

    use super::*;
    use crate::input::Format;

    impl Collect {
        fn apps(&self) -> Vec<&App> {
            self.items
                .iter()
                .filter_map(|(i, _)| match &i.kind {
                    ItemKind::App(a) => Some(a),
                    _ => None,
                })
                .collect()
        }

        fn origins(&self) -> Vec<(u32, u32, u32)> {
            self.items
                .iter()
                .map(|(i, _)| (i.origin.line, i.origin.column, i.origin.len))
                .collect()
        }
    }

    fn input(name: &str) -> Input {
        Input {
            display: format!("inventory/{name}").into(),
            path: PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/app-csv")
                .join(name),
            format: Format::AppCsv,
        }
    }

    fn run(name: &str) -> Collect {
        let mut sink = Collect::default();
        parse(&input(name), &mut sink).expect("fixture is readable");
        sink
    }

    /// An Intune "Discovered apps" raw export: BOM, CRLF, Intune headers,
    /// a quoted name with a comma; the origin is on the name cell.
    #[test]
    fn intune_export() {
        let out = run("intune-discovered-apps.csv");
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let apps = out.apps();
        assert_eq!(apps.len(), 4);
        assert_eq!(
            *apps[0],
            App {
                name: Some("Zoom Workplace".into()),
                publisher: Some("Zoom Video Communications, Inc.".into()),
                version: Some("6.0.11".into()),
                bundle_id: None,
                platform: Some("Windows".into()),
                device: Some("LAPTOP-01".into()),
            }
        );
        assert_eq!(
            apps[2].name.as_deref(),
            Some("Kaspersky Endpoint Security, for Windows")
        );
        assert_eq!(
            out.origins(),
            [(2, 1, 14), (3, 1, 16), (4, 2, 40), (5, 1, 14)]
        );
        assert_eq!(
            out.items[2].1,
            "\"Kaspersky Endpoint Security, for Windows\",AO Kaspersky Lab,12.5.0.538,DESKTOP-7,Windows"
        );
    }

    /// An osquery/Fleet-style export of macOS apps: bundle ids, an app with
    /// only a bundle id, empty cells as `None`, a multi-line quoted cell.
    #[test]
    fn macos_apps_with_bundle_ids() {
        let out = run("macos-apps-bundle-ids.csv");
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let apps = out.apps();
        assert_eq!(apps[0].bundle_id.as_deref(), Some("com.deepseek.chat"));
        assert_eq!(apps[0].version, None);
        assert_eq!(apps[1].name, None);
        assert_eq!(apps[1].bundle_id.as_deref(), Some("com.tencent.xinWeChat"));
        assert_eq!(apps[2].publisher.as_deref(), Some("Acme\nSoftware"));
        // Line of each record; the bundle-id-only row points at the bundle id.
        assert_eq!(
            out.origins(),
            [(2, 8, 12), (3, 9, 21), (4, 8, 8), (6, 8, 9)]
        );
    }

    /// Ragged rows, rows without a name, and an unclosed quote are
    /// problems; the other rows are still read.
    #[test]
    fn bad_rows_are_problems() {
        let out = run("ragged-rows.csv");
        let names: Vec<_> = out
            .apps()
            .iter()
            .map(|a| a.name.clone().unwrap_or_default())
            .collect();
        // The unclosed quote swallows the rest of the file into one cell.
        assert_eq!(
            names,
            [
                "Good App",
                "Too Many",
                "Short",
                "After Blank",
                "Tail,1.0,pc5\nmore text"
            ]
        );
        let lines: Vec<u32> = out
            .problems
            .iter()
            .map(|p| p.at.as_ref().unwrap().line)
            .collect();
        assert_eq!(lines, [3, 4, 5, 8, 8]);
        assert!(
            out.problems[2].message.contains("neither"),
            "{}",
            out.problems[2]
        );
        assert!(
            out.problems[3].message.contains("not closed"),
            "{}",
            out.problems[3]
        );
        assert!(
            out.problems[4].message.contains("has 1 cell but"),
            "{}",
            out.problems[4]
        );
    }

    /// A file without an app or bundle id column cannot be read as an
    /// inventory: `Err`, with help naming the accepted headers.
    #[test]
    fn no_app_column_is_an_error() {
        let err = parse(&input("no-app-column.csv"), &mut Collect::default()).unwrap_err();
        assert!(err.at.is_none());
        assert!(
            err.help.contains("ApplicationName") && err.help.contains("bundle_identifier"),
            "{}",
            err.help
        );
        let err = parse(&input("does-not-exist.csv"), &mut Collect::default()).unwrap_err();
        assert!(err.message.contains("cannot read"));
    }

    #[test]
    fn header_aliases() {
        let l = Layout::from_headers([
            "Computer Name",
            "DisplayName",
            "Display-Version",
            "MANUFACTURER",
            "os",
            "App ID",
            "name",
        ]);
        assert_eq!(
            (
                l.device,
                l.name,
                l.version,
                l.publisher,
                l.platform,
                l.bundle_id
            ),
            (Some(0), Some(6), Some(2), Some(3), Some(4), Some(5))
        );
        assert!(header_has_app_column("\u{feff}device,software_name"));
        assert!(!header_has_app_column("ts,uid,query"));
    }

    /// A million rows stream through with the raw buffer staying small.
    #[test]
    fn streams_a_million_rows() {
        struct Rows {
            next: usize,
            pending: Vec<u8>,
        }
        impl Read for Rows {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                while self.pending.len() < buf.len() && self.next <= 1_000_000 {
                    let row = if self.next == 0 {
                        "device,name,version\n".to_string()
                    } else {
                        format!(
                            "host-{},App {},1.{}\n",
                            self.next % 97,
                            self.next,
                            self.next % 13
                        )
                    };
                    self.pending.extend_from_slice(row.as_bytes());
                    self.next += 1;
                }
                let n = buf.len().min(self.pending.len());
                buf[..n].copy_from_slice(&self.pending[..n]);
                self.pending.drain(..n);
                Ok(n)
            }
        }
        struct Count(usize, usize);
        impl Sink for Count {
            fn item(&mut self, _: Item, _: &str) {
                self.0 += 1;
            }
            fn problem(&mut self, _: InputProblem) {
                self.1 += 1;
            }
        }
        let mut count = Count(0, 0);
        let rows = Rows {
            next: 0,
            pending: Vec::new(),
        };
        let peak = parse_reader(&"big.csv".into(), rows, &mut count).unwrap();
        assert_eq!((count.0, count.1), (1_000_000, 0));
        assert!(peak < 64 * 1024, "raw buffer peaked at {peak} bytes");
    }

    /// Garbage never panics.
    #[test]
    fn garbage_does_not_panic() {
        for text in [
            "",
            "\u{feff}",
            "name",
            "name\n\"",
            "name\n\"\"\"",
            "name,\n,,,,\n\n\"a\"b,c\n",
            "a\"b\nc",
            "name\n\u{00e9}\r\n\r\n\"x\r\ny\"",
            "bundle_id,name\n,\n",
            "name\n\"a\"\"",
        ] {
            let _ = parse_reader(&"g.csv".into(), text.as_bytes(), &mut Collect::default());
            let mut bytes = b"name,version\n".to_vec();
            bytes.extend_from_slice(b"\xff\xfe,1\n\"\xc3\",2");
            let _ = parse_reader(&"g.csv".into(), bytes.as_slice(), &mut Collect::default());
        }
        let _ = field_spans("\"");
        let _ = trim_record(1, "\r\n");
    }
}
