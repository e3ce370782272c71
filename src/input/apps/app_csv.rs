//! App inventory tables, as MDM, asset and EDR tools export them (Intune
//! "Discovered apps", Workspace ONE, Defender, osquery and Fleet results
//! saved as CSV, spreadsheets): comma, semicolon or tab separated, read by
//! the one [table reader](crate::input::table).
//!
//! Columns are found by header name through the export profiles in
//! `headers.yaml` (data, not code). Rows are independent records, so a
//! large inventory is read in chunks on every core.

use std::sync::{Arc, OnceLock};

use crate::input::item::{AppView, ItemView};
use crate::input::problem::InputProblem;
use crate::input::records::TableShape;
use crate::input::registry::{
    Evidence, FormatSpec, Misfit, Reader, Record, RecordFormat, RecordReader,
};
use crate::input::sink::{At, Flow, Sink};
use crate::input::table::{Cell, Cells, normalise_header, sniff_delimiter, split};

pub static SPEC: FormatSpec = FormatSpec {
    name: "app-csv",
    evidence: Evidence::Apps,
    description: "installed-app inventory table (CSV, semicolon or tab separated)",
    names: &[],
    // Excel's "Unicode text" export is a tab-separated UTF-16 `.txt`.
    maybe: &["*.csv", "*.tsv", "*.txt"],
    sniff: Some(looks_like),
    // A header naming an app column and a device, version, publisher or
    // platform column, and a row as wide, is an inventory whatever the
    // file is called.
    shape: Some(crate::input::registry::shapes::app_table),
    reader: Reader::Records(&AppTable),
};

/// The columns an app row can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Device,
    Name,
    Version,
    Publisher,
    Platform,
    BundleId,
    /// How many devices have the app, in an export that counts devices
    /// instead of naming them.
    DeviceCount,
}

impl Column {
    /// The keys `--columns` takes, each with its column.
    const KEYS: [(&'static str, Column); 7] = [
        ("app_name", Column::Name),
        ("publisher", Column::Publisher),
        ("version", Column::Version),
        ("bundle_id", Column::BundleId),
        ("platform", Column::Platform),
        ("device", Column::Device),
        ("device_count", Column::DeviceCount),
    ];
}

/// What `banscan scan --columns KEY=HEADER,…` and `--device NAME` say about
/// app tables: headers the synonyms of `headers.yaml` do not know, and the
/// device of rows that name none.
#[derive(Clone, Debug, Default)]
pub struct ColumnMap {
    columns: Vec<(Column, String)>,
    device: Option<Arc<str>>,
}

impl ColumnMap {
    /// Parses `app_name=Title,device=Host`; an unknown key, a pair without
    /// `=` or an empty header is an error naming it and the keys known.
    pub fn parse(text: &str) -> Result<ColumnMap, String> {
        let keys = || {
            Column::KEYS
                .iter()
                .map(|(k, _)| *k)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut columns = Vec::new();
        for pair in text.split(',').filter(|p| !p.trim().is_empty()) {
            let Some((key, header)) = pair.split_once('=') else {
                return Err(format!(
                    "`{pair}` is not KEY=HEADER (the keys are {})",
                    keys()
                ));
            };
            let (key, header) = (key.trim(), header.trim());
            let Some(&(_, column)) = Column::KEYS.iter().find(|(k, _)| *k == key) else {
                return Err(format!(
                    "unknown column key `{key}`; the keys are {}",
                    keys()
                ));
            };
            if header.is_empty() {
                return Err(format!("`{key}=` names no header"));
            }
            if columns.iter().any(|(c, _)| *c == column) {
                return Err(format!("the column key `{key}` is given twice"));
            }
            columns.push((column, header.to_string()));
        }
        Ok(ColumnMap {
            columns,
            device: None,
        })
    }

    /// The device of rows that name none.
    #[must_use]
    pub fn with_device(mut self, device: Option<&str>) -> ColumnMap {
        self.device = device.map(Arc::from);
        self
    }
}

/// One export profile of `headers.yaml`: the header names of each column.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    #[allow(dead_code)]
    profile: String,
    #[serde(default)]
    device: Vec<String>,
    #[serde(default)]
    name: Vec<String>,
    #[serde(default)]
    version: Vec<String>,
    #[serde(default)]
    publisher: Vec<String>,
    #[serde(default)]
    platform: Vec<String>,
    #[serde(default)]
    bundle_id: Vec<String>,
    #[serde(default)]
    device_count: Vec<String>,
}

impl Profile {
    fn names(&self, column: Column) -> &[String] {
        match column {
            Column::Device => &self.device,
            Column::Name => &self.name,
            Column::Version => &self.version,
            Column::Publisher => &self.publisher,
            Column::Platform => &self.platform,
            Column::BundleId => &self.bundle_id,
            Column::DeviceCount => &self.device_count,
        }
    }
}

fn profiles() -> &'static [Profile] {
    static PROFILES: OnceLock<Vec<Profile>> = OnceLock::new();
    PROFILES.get_or_init(|| {
        // The file is tested to parse, so a broken edit never ships.
        serde_saphyr::from_str(include_str!("headers.yaml")).unwrap_or_default()
    })
}

/// The header names accepted for `column`, in the order tried.
fn names_for(column: Column) -> impl Iterator<Item = &'static str> {
    profiles()
        .iter()
        .flat_map(move |p| p.names(column).iter().map(String::as_str))
}

fn headers_help() -> String {
    let list = |c| names_for(c).collect::<Vec<_>>().join(", ");
    format!(
        "name the app column one of {}, or the bundle id column one of {} \
         (case, spaces, `_` and `-` do not matter)",
        list(Column::Name),
        list(Column::BundleId)
    )
}

/// Which cell holds each column.
#[derive(Debug, Default, Clone)]
struct Layout {
    device: Option<usize>,
    name: Option<usize>,
    version: Option<usize>,
    publisher: Option<usize>,
    platform: Option<usize>,
    bundle_id: Option<usize>,
    device_count: Option<usize>,
}

impl Layout {
    fn from_headers<'h>(headers: impl IntoIterator<Item = &'h str>) -> Layout {
        let normalised: Vec<String> = headers.into_iter().map(normalise_header).collect();
        // One header is one column: the same name means the app in one
        // export and the device in another (`DisplayName` in the Uninstall
        // registry, `Display Name` in Jamf's mobile devices), so the app
        // columns choose first and a header once taken is not taken again.
        let mut taken = vec![false; normalised.len()];
        let mut find = |column: Column| {
            let at = names_for(column).find_map(|alias| {
                let alias = normalise_header(alias);
                normalised
                    .iter()
                    .zip(&taken)
                    .position(|(h, taken)| !taken && *h == alias)
            });
            if let Some(at) = at {
                taken[at] = true;
            }
            at
        };
        let name = find(Column::Name);
        let bundle_id = find(Column::BundleId);
        let version = find(Column::Version);
        let publisher = find(Column::Publisher);
        let platform = find(Column::Platform);
        let device = find(Column::Device);
        let device_count = find(Column::DeviceCount);
        Layout {
            device,
            name,
            version,
            publisher,
            platform,
            bundle_id,
            device_count,
        }
    }

    /// The columns `--columns` names, by header as written (matched like
    /// the synonyms); a header the table lacks is named in the error.
    fn map(&mut self, headers: &[String], map: &ColumnMap) -> Result<(), String> {
        let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
        for (column, header) in &map.columns {
            let want = normalise_header(header);
            let Some(at) = normalised.iter().position(|h| *h == want) else {
                return Err(header.clone());
            };
            // The header now holds this column and no other.
            for slot in [
                &mut self.device,
                &mut self.name,
                &mut self.version,
                &mut self.publisher,
                &mut self.platform,
                &mut self.bundle_id,
                &mut self.device_count,
            ] {
                if *slot == Some(at) {
                    *slot = None;
                }
            }
            *self.slot(*column) = Some(at);
        }
        Ok(())
    }

    fn slot(&mut self, column: Column) -> &mut Option<usize> {
        match column {
            Column::Device => &mut self.device,
            Column::Name => &mut self.name,
            Column::Version => &mut self.version,
            Column::Publisher => &mut self.publisher,
            Column::Platform => &mut self.platform,
            Column::BundleId => &mut self.bundle_id,
            Column::DeviceCount => &mut self.device_count,
        }
    }

    /// The cells some column is taken from.
    fn used(&self) -> [Option<usize>; 7] {
        [
            self.device,
            self.name,
            self.version,
            self.publisher,
            self.platform,
            self.bundle_id,
            self.device_count,
        ]
    }

    /// The headers no column is taken from, as written; blank ones (a
    /// trailing delimiter) name nothing and are left out.
    fn ignored(&self, headers: &[String]) -> Vec<String> {
        let used = self.used();
        headers
            .iter()
            .enumerate()
            .filter(|(i, h)| !used.contains(&Some(*i)) && !h.trim().is_empty())
            .map(|(_, h)| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect()
    }

    fn has_app_column(&self) -> bool {
        self.name.is_some() || self.bundle_id.is_some()
    }

    /// An app column and one more inventory column: a `name,email` list
    /// is not an inventory.
    fn is_inventory(&self) -> bool {
        let context = [
            self.device,
            self.version,
            self.publisher,
            self.platform,
            self.device_count,
        ];
        self.has_app_column() && context.iter().any(Option::is_some)
    }
}

/// Whether the first line of `text` is an app inventory header.
pub fn looks_like(text: &str) -> bool {
    let header = text.lines().find(|l| !is_type_line(l)).unwrap_or("");
    let cells = split(header, sniff_delimiter(header));
    Layout::from_headers(cells.cells.iter().map(|c| c.text.as_ref())).is_inventory()
}

/// The first line Windows PowerShell 5.1's `Export-Csv` writes
/// (`#TYPE Microsoft.PowerShell.Commands...`) unless told not to.
fn is_type_line(line: &str) -> bool {
    line.trim_start_matches('\u{feff}').starts_with("#TYPE ")
}

struct AppTable;

impl RecordFormat for AppTable {
    fn quoted(&self) -> bool {
        true
    }

    fn has_header(&self) -> bool {
        true
    }

    fn before_header(&self, line: &str) -> bool {
        is_type_line(line)
    }

    fn start(
        &self,
        source: &Arc<str>,
        header: Option<&str>,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        self.start_in(source, header, &crate::input::Limits::default())
    }

    fn start_in(
        &self,
        source: &Arc<str>,
        header: Option<&str>,
        limits: &crate::input::Limits,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        let map = &limits.app_columns;
        let Some(header) = header else {
            return Err(InputProblem::file(
                source,
                "the file is empty; an app inventory table starts with a header row",
                headers_help(),
            ));
        };
        let delimiter = sniff_delimiter(header);
        let cells = split(header, delimiter);
        let headers: Vec<String> = cells.cells.iter().map(|c| c.text.to_string()).collect();
        let mut layout = Layout::from_headers(headers.iter().map(String::as_str));
        if let Err(missing) = layout.map(&headers, map) {
            return Err(InputProblem::line(
                source,
                1,
                header,
                0,
                header.len(),
                format!(
                    "`--columns` names the column `{missing}`, which the header row ({}) does not have",
                    headers.join(", ")
                ),
                "name a header of this table in --columns (case, spaces, `_` and `-` do not matter)",
            ));
        }
        if !layout.has_app_column() {
            return Err(InputProblem::line(
                source,
                1,
                header,
                0,
                header.len(),
                format!(
                    "the header row ({}) has no app name or bundle id column",
                    headers.join(", ")
                ),
                headers_help(),
            ));
        }
        let key_header = layout
            .name
            .or(layout.bundle_id)
            .map_or(String::new(), |i| headers[i].clone());
        let count_header = layout
            .device_count
            .map_or(String::new(), |i| headers[i].clone());
        Ok(Box::new(Rows {
            ignored: layout.ignored(&headers),
            layout,
            width: headers.len(),
            delimiter,
            key_header,
            count_header,
            device: map.device.clone(),
        }))
    }
}

struct Rows {
    layout: Layout,
    width: usize,
    delimiter: u8,
    key_header: String,
    /// The device count column's header, for messages.
    count_header: String,
    /// Headers no column is taken from.
    ignored: Vec<String>,
    /// `--device`: the device of rows that name none.
    device: Option<Arc<str>>,
}

fn cells_word(n: usize) -> String {
    if n == 1 {
        "1 cell".into()
    } else {
        format!("{n} cells")
    }
}

impl Rows {
    /// Why a row does not fit the table: a quote left open, a cell count
    /// other than the header's, or no app name nor bundle id to match.
    fn misfit(&self, cells: &[Cell<'_>], open_quote: bool) -> Option<Misfit> {
        if open_quote {
            return Some(Misfit {
                message:
                    "a quoted cell is not closed, so the rest of the block was read as one cell"
                        .into(),
                help: "close the quote (write `\"\"` for a quote inside a quoted cell) and scan again",
            });
        }
        if cells.len() != self.width {
            return Some(Misfit {
                message: format!(
                    "this row has {} but the header has {}; its cells may be in the wrong columns",
                    cells_word(cells.len()),
                    self.width
                ),
                help: "quote cells that contain the delimiter, and give every row as many cells as the header",
            });
        }
        let blank = |i: Option<usize>| {
            i.and_then(|i| cells.get(i))
                .is_none_or(|c| c.text.trim().is_empty())
        };
        if blank(self.layout.name) && blank(self.layout.bundle_id) {
            return Some(Misfit {
                message: format!(
                    "this row has neither an app name nor a bundle id (`{}` is empty)",
                    self.key_header
                ),
                help: "fill in the app name, or remove the row",
            });
        }
        if let Some(Err(count)) = self.device_count(cells) {
            return Some(Misfit {
                message: format!(
                    "the device count `{count}` (column `{}`) is not a whole number",
                    self.count_header
                ),
                help: "give the number of devices as digits (or leave the cell empty), as the export writes it",
            });
        }
        None
    }

    /// The row's device count: `None` when the table has no count column
    /// or the cell is empty, the cell's text when it is not a number.
    fn device_count<'c>(&self, cells: &'c [Cell<'_>]) -> Option<Result<u64, &'c str>> {
        let text = cells.get(self.layout.device_count?)?.text.trim();
        if text.is_empty() {
            return None;
        }
        Some(text.parse::<u64>().map_err(|_| text))
    }

    /// Whether a row surely fits, told in one pass over its cells without
    /// unescaping them: as many cells as the header, and a name or bundle
    /// id cell with a visible ASCII character. Quoted cells count only in
    /// the plain shape (the quote first in its cell, doubled quotes inside,
    /// the closing quote right before the next delimiter or the end), where
    /// `split` finds the same cells; a line break makes it unsure. `false`
    /// means "not sure": the full check decides, so the answer is the same
    /// either way.
    fn surely_fits(&self, line: &[u8]) -> bool {
        // A count cell must be read to be checked.
        if self.layout.device_count.is_some() {
            return false;
        }
        let (mut cells, mut start, mut keyed) = (0usize, 0usize, false);
        loop {
            let key = Some(cells) == self.layout.name || Some(cells) == self.layout.bundle_id;
            let rest = &line[start..];
            let (text, next) = if rest.first() == Some(&b'"') {
                // A quoted cell: its end is the first quote not doubled.
                let mut at = 1;
                loop {
                    match memchr::memchr3(b'"', b'\r', b'\n', &rest[at..]) {
                        Some(i) if rest[at + i] == b'"' => {
                            if rest.get(at + i + 1) == Some(&b'"') {
                                at += i + 2;
                                continue;
                            }
                            at += i;
                            break;
                        }
                        // A line break, or a quote left open.
                        _ => return false,
                    }
                }
                match rest.get(at + 1) {
                    None => (&rest[1..at], None),
                    Some(&b) if b == self.delimiter => (&rest[1..at], Some(start + at + 2)),
                    Some(_) => return false, // text after the closing quote
                }
            } else {
                match memchr::memchr3(self.delimiter, b'"', b'\r', rest) {
                    None => (rest, None),
                    Some(i) if rest[i] == self.delimiter => (&rest[..i], Some(start + i + 1)),
                    Some(_) => return false,
                }
            };
            if key && !keyed {
                keyed = text.iter().any(u8::is_ascii_graphic);
            }
            cells += 1;
            match next {
                Some(next) if cells < self.width => start = next,
                Some(_) => return false, // more cells than the header
                None => return cells == self.width && keyed,
            }
        }
    }
}

impl RecordReader for Rows {
    fn table(&self) -> Option<TableShape> {
        Some(TableShape {
            delimiter: self.delimiter,
            width: self.width,
            keys: [self.layout.name, self.layout.bundle_id],
            // In `KeyField::ALL` order; a table has no extension ids.
            fields: [
                self.layout.name,
                self.layout.publisher,
                self.layout.bundle_id,
                None,
            ],
            // The one-pass test cannot read a count cell: rows of a table
            // with one are checked by `check`.
            fits_by_width: self.layout.device_count.is_none(),
        })
    }

    /// The same checks as a parsed row, on a row no rule can match: a row
    /// that surely fits is passed in one pass; the rest (misfits, unusual
    /// quoting) are split only when they have a quote.
    fn check(&self, line: &[u8]) -> Option<Misfit> {
        if line.iter().all(u8::is_ascii_whitespace) || self.surely_fits(line) {
            return None;
        }
        if memchr::memchr(b'"', line).is_some() || self.layout.device_count.is_some() {
            let text = std::str::from_utf8(line).ok()?;
            let Cells { cells, open_quote } = split(text, self.delimiter);
            return self.misfit(&cells, open_quote);
        }
        // No quotes: every delimiter separates two cells. Count them, and
        // note whether the name or bundle id cell has text, in one pass.
        let (mut cells, mut start, mut keyed) = (0usize, 0usize, false);
        let key = |i: usize| Some(i) == self.layout.name || Some(i) == self.layout.bundle_id;
        for end in memchr::memchr_iter(self.delimiter, line).chain([line.len()]) {
            if key(cells) && !line[start..end].iter().all(u8::is_ascii_whitespace) {
                keyed = true;
            }
            cells += 1;
            start = end + 1;
        }
        if cells == self.width && keyed {
            return None;
        }
        // The rare misfit: split it properly for the same message.
        let text = std::str::from_utf8(line).ok()?;
        let Cells { cells, open_quote } = split(text, self.delimiter);
        self.misfit(&cells, open_quote)
    }

    fn ignored_columns(&self) -> &[String] {
        &self.ignored
    }

    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow {
        let text = record.text;
        if text.trim().is_empty() {
            return Flow::Continue;
        }
        let Cells { cells, open_quote } = split(text, self.delimiter);
        let whole = |message: String, help: &str| {
            InputProblem::line(
                record.source,
                record.line,
                text,
                0,
                text.len().max(1),
                message,
                help,
            )
        };
        if let Some(misfit) = self.misfit(&cells, open_quote) {
            return sink.skip(whole(misfit.message, misfit.help), text);
        }
        let cell = |index: Option<usize>| -> Option<&str> {
            let value = cells.get(index?)?.text.trim();
            (!value.is_empty()).then_some(value)
        };
        let app = AppView {
            name: cell(self.layout.name).map(super::app_name),
            publisher: cell(self.layout.publisher),
            version: cell(self.layout.version),
            bundle_id: cell(self.layout.bundle_id),
            extension_id: None,
            platform: cell(self.layout.platform),
            device: cell(self.layout.device).or(self.device.as_deref()),
            // A number, or `misfit` passed the row over above.
            device_count: self.device_count(&cells).and_then(Result::ok),
        };
        let key = if app.name.is_some() {
            self.layout.name
        } else {
            self.layout.bundle_id
        };
        // Point at the key cell, on the physical line it is on.
        let whole = text.trim_end_matches('\r');
        let (line, line_start, line_text, offset, len) =
            key.and_then(|i| cells.get(i))
                .map_or((record.line, 0, whole, 0, whole.len()), |c| {
                    let raw = &text[c.span.clone()];
                    let start = c.span.start + (raw.len() - raw.trim_start().len());
                    let len = raw.trim().len();
                    let before = &text[..start];
                    let newlines = before.bytes().filter(|&b| b == b'\n').count() as u64;
                    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
                    // The line as handed over, without its `\r`: the span
                    // of a cell that runs on to the next line ends there
                    // (fuzzing found it one byte past a CRLF line).
                    let line_text = text[line_start..line_end].trim_end_matches('\r');
                    let offset = (start - line_start).min(line_text.len());
                    (
                        record.line + newlines,
                        line_start,
                        line_text,
                        offset,
                        len.min(line_text.len() - offset),
                    )
                });
        sink.item(
            ItemView::App(app),
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Source;
    use crate::input::item::{App, ItemKind};
    use crate::input::testing::{Collect, read, read_fixture};

    fn apps(c: &Collect) -> Vec<&App> {
        c.items
            .iter()
            .filter_map(|g| match &g.item {
                ItemKind::App(a) => Some(a),
                _ => None,
            })
            .collect()
    }

    fn origins(c: &Collect) -> Vec<(u64, usize, usize)> {
        c.items.iter().map(|g| (g.line, g.column, g.len)).collect()
    }

    fn run(name: &str) -> Collect {
        read_fixture(
            &SPEC,
            &format!("app-csv/{name}"),
            &format!("inventory/{name}"),
        )
    }

    fn run_text(text: &str) -> Collect {
        read(&SPEC, &Source::bytes("t.csv", text.as_bytes().to_vec()))
    }

    /// An Intune "Discovered apps" raw export: BOM, CRLF, Intune headers,
    /// a quoted name with a comma; the origin is on the name cell.
    #[test]
    fn intune_export() {
        let out = run("intune-discovered-apps.csv");
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let apps = apps(&out);
        assert_eq!(apps.len(), 4);
        assert_eq!(
            *apps[0],
            App {
                name: Some("Zoom Workplace".into()),
                publisher: Some("Zoom Video Communications, Inc.".into()),
                version: Some("6.0.11".into()),
                bundle_id: None,
                extension_id: None,
                platform: Some("Windows".into()),
                device: Some("LAPTOP-01".into()),
                device_count: None,
            }
        );
        assert_eq!(
            apps[2].name.as_deref(),
            Some("Kaspersky Endpoint Security, for Windows")
        );
        assert_eq!(
            origins(&out),
            [(2, 1, 14), (3, 1, 16), (4, 2, 40), (5, 1, 14)]
        );
        assert_eq!(
            out.items[2].text,
            "\"Kaspersky Endpoint Security, for Windows\",AO Kaspersky Lab,12.5.0.538,DESKTOP-7,Windows"
        );
    }

    /// A quoted name that runs on to the next line of a CRLF file points
    /// at its first line, within that line as handed over (without the
    /// `\r`): fuzzing found the span one byte past it.
    #[test]
    fn a_cell_over_two_crlf_lines_points_within_its_first_line() {
        let out = run_text("Name,Version\r\n\"Demo Chat\r\nPro\",1.0\r\n");
        assert_eq!(apps(&out).len(), 1, "{:?}", out.problems);
        let got = &out.items[0];
        assert_eq!(got.text, "\"Demo Chat");
        assert_eq!(
            got.text.get(got.column - 1..got.column - 1 + got.len),
            Some("Demo Chat")
        );
    }

    /// Intune's aggregate report: a count for each app and version, no
    /// device; `Device count` and `Devices` are the count too; a count
    /// that is not a number passes the row over; unmapped headers are
    /// named once.
    #[test]
    fn intune_aggregate_counts() {
        let out = run("intune-app-inventory-aggregate.csv");
        let counts: Vec<Option<u64>> = apps(&out).iter().map(|a| a.device_count).collect();
        assert_eq!(counts, [Some(412), Some(37), Some(9), Some(5)]);
        assert!(apps(&out).iter().all(|a| a.device.is_none()));
        assert_eq!(out.problem_places(), [(6, 1, 114)]);
        assert_eq!(out.problems[0].impact, crate::input::Impact::Skipped);
        assert_eq!(
            out.ignored_columns,
            ["ApplicationKey", "ApplicationShortVersion"]
        );
        for header in ["Device count", "DeviceCount"] {
            let text = format!(
                "Application name,Application version,Platform,{header}\nZoom,6.0,Windows,12\n"
            );
            let out = run_text(&text);
            assert_eq!(apps(&out)[0].device_count, Some(12), "{header}");
            assert!(out.ignored_columns.is_empty(), "{header}");
        }
        let rows = AppTable
            .start(&Arc::from("t.csv"), Some("name,version,DeviceCount"))
            .unwrap();
        assert!(rows.check(b"Zoom,6.0,12").is_none());
        assert!(rows.check(b"Zoom,6.0,").is_none());
        assert!(
            rows.check(b"Zoom,6.0,twelve")
                .unwrap()
                .message
                .contains("`twelve`")
        );
        assert!(rows.check(b"Zoom,6.0,-1").is_some());
    }

    /// An osquery/Fleet-style export of macOS apps: bundle ids, an app with
    /// only a bundle id, empty cells as `None`, a multi-line quoted cell.
    #[test]
    fn macos_apps_with_bundle_ids() {
        let out = run("macos-apps-bundle-ids.csv");
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let apps = apps(&out);
        assert_eq!(apps[0].bundle_id.as_deref(), Some("com.deepseek.chat"));
        assert_eq!(apps[0].version, None);
        assert_eq!(apps[1].name, None);
        assert_eq!(apps[1].bundle_id.as_deref(), Some("com.tencent.xinWeChat"));
        assert_eq!(apps[2].publisher.as_deref(), Some("Acme\nSoftware"));
        // Line of each record; the bundle-id-only row points at the bundle id.
        assert_eq!(
            origins(&out),
            [(2, 8, 12), (3, 9, 21), (4, 8, 8), (6, 8, 9)]
        );
    }

    /// Ragged rows, rows without a name, and an unclosed quote fit no
    /// shape of the table: each is passed over as a skipped record (never
    /// read into the wrong columns), and the other rows are still read.
    #[test]
    fn bad_rows_are_skipped() {
        let out = run("ragged-rows.csv");
        let names: Vec<_> = apps(&out)
            .iter()
            .map(|a| a.name.clone().unwrap_or_default())
            .collect();
        assert_eq!(names, ["Good App", "After Blank"]);
        let got: Vec<(u64, crate::input::Impact)> = out
            .problems
            .iter()
            .map(|p| (p.at.as_ref().unwrap().line, p.impact))
            .collect();
        let skipped = crate::input::Impact::Skipped;
        assert_eq!(
            got,
            [(3, skipped), (4, skipped), (5, skipped), (8, skipped)]
        );
        let messages: Vec<&str> = out.problems.iter().map(|p| p.message.as_str()).collect();
        assert!(
            messages[0].contains("has 4 cells but the header has 3"),
            "{}",
            messages[0]
        );
        assert!(messages[1].contains("has 2 cells but"), "{}", messages[1]);
        assert!(messages[2].contains("neither"), "{}", messages[2]);
        assert!(messages[3].contains("not closed"), "{}", messages[3]);
    }

    /// The check on rows no rule can match gives the same verdicts as
    /// reading them, without splitting rows that have no quote.
    #[test]
    fn rows_passed_over_are_checked() {
        let rows = AppTable
            .start(&Arc::from("t.csv"), Some("name,version,device"))
            .unwrap();
        let check = |line: &str| rows.check(line.as_bytes()).map(|m| m.message);
        assert_eq!(check("Good App,1.0,pc1"), None);
        assert_eq!(check("\"Quoted, name\",1.0,pc1"), None);
        assert_eq!(check("   "), None);
        assert!(check("Too Many,1.0,pc2,extra").unwrap().contains("4 cells"));
        assert!(check("Short,1.0").unwrap().contains("2 cells"));
        assert!(check(" ,2.0,pc3").unwrap().contains("neither"));
        assert!(check("\"Tail,1.0,pc5").unwrap().contains("not closed"));
    }

    /// The one-pass test says "fits" only where splitting the row finds no
    /// misfit, and says it for the plain shapes, quoted cells included.
    #[test]
    fn surely_fits_only_where_the_row_fits() {
        let header = ["name", "version", "publisher", "device"];
        let rows = Rows {
            layout: Layout::from_headers(header.iter().copied()),
            width: header.len(),
            delimiter: b',',
            key_header: "name".into(),
            count_header: String::new(),
            ignored: Vec::new(),
            device: None,
        };
        let fits = [
            "Good App,1.0,Acme,pc1",
            "\"Zoom Workplace\",6.0,\"Zoom Video Communications, Inc.\",pc1",
            "Zoom,6.0,\"Zoom Video Communications, Inc.\",",
            "\"Say \"\"hi\"\"\",1,\"\",pc",
            "\"\"\"\"\"\",1,p,d",
            "App,,,",
        ];
        let unsure = [
            "Too Many,1.0,Acme,pc2,extra",
            "Short,1.0",
            " ,2.0,Acme,pc3",
            "\"\",1,p,d",
            "\" \",1,p,d",
            "\"Tail,1.0,Acme,pc5",
            "\"x\"y,1,p,d",
            " \"x\",1,p,d",
            "a\"b,1,p,d",
            "App\r,1,p,d",
            "\"multi\nline\",1,p,d",
            "\u{a0},1,p,d",
            "\"\"\",1,p,d",
        ];
        for row in fits.iter().chain(&unsure) {
            if rows.surely_fits(row.as_bytes()) {
                let Cells { cells, open_quote } = split(row, b',');
                assert_eq!(rows.misfit(&cells, open_quote), None, "{row}");
            }
        }
        for row in fits {
            assert!(rows.surely_fits(row.as_bytes()), "{row}");
        }
        for row in unsure {
            assert!(!rows.surely_fits(row.as_bytes()), "{row}");
        }
    }

    /// A file without an app or bundle id column cannot be read as an
    /// inventory: an error, with help naming the accepted headers.
    #[test]
    fn no_app_column_is_an_error() {
        let out = run("no-app-column.csv");
        let err = &out.problems[0];
        assert!(
            err.help.contains("ApplicationName") && err.help.contains("bundle_identifier"),
            "{}",
            err.help
        );
        let out = run("does-not-exist.csv");
        assert!(out.problems[0].message.contains("cannot read"));
    }

    /// Semicolon-separated exports and Workspace ONE's bundle id column;
    /// a header-only table reads no rows.
    #[test]
    fn semicolons_and_workspace_one() {
        let out = run_text(
            "DeviceFriendlyName;ApplicationName;ApplicationIdentifier;Version\nPHONE-1;DeepSeek;com.deepseek.chat;1.0\n",
        );
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert_eq!(
            apps(&out)[0].bundle_id.as_deref(),
            Some("com.deepseek.chat")
        );
        assert_eq!(apps(&out)[0].device.as_deref(), Some("PHONE-1"));
        assert!(run_text("device,name\n").items.is_empty());
    }

    /// Windows PowerShell's `Get-Package | Export-Csv`: a `#TYPE` line, then
    /// quoted headers; the row numbers stay those of the file.
    #[test]
    fn powershell_export_csv() {
        let out = run_text(concat!(
            "#TYPE Microsoft.PackageManagement.Packaging.SoftwareIdentity\r\n",
            "\"Name\",\"Version\",\"Source\",\"ProviderName\"\r\n",
            "\"Kaspersky Free\",\"21.3.10.391\",\"\",\"Programs\"\r\n",
        ));
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert_eq!(apps(&out)[0].name.as_deref(), Some("Kaspersky Free"));
        assert_eq!(origins(&out), [(3, 2, 14)]);
        assert!(looks_like("#TYPE X\n\"Name\",\"Version\"\n"));
    }

    /// `Invoke-Command { Get-ItemProperty HKLM:\\…\\Uninstall\\* } |
    /// Export-Csv`: `DisplayName` is the app and `PSComputerName` the
    /// device; the remoting and provider columns are listed as ignored.
    #[test]
    fn uninstall_keys_through_invoke_command() {
        let out = run_text(concat!(
            "\"DisplayName\",\"DisplayVersion\",\"Publisher\",\"PSPath\",\"PSChildName\",\"PSComputerName\",\"RunspaceId\"\r\n",
            "\"WeChat\",\"3.9.12.51\",\"Tencent\",\"Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\Software\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\WeChat\",\"WeChat\",\"PC-0042\",\"5f0c3a8e-1b2d-4c6e-9a7f-0d1e2f3a4b5c\"\r\n",
        ));
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let app = apps(&out)[0];
        assert_eq!(
            (app.name.as_deref(), app.device.as_deref()),
            (Some("WeChat"), Some("PC-0042"))
        );
        assert_eq!(out.ignored_columns, ["PSPath", "PSChildName", "RunspaceId"]);
    }

    /// Invalid UTF-8 in the header is an error, not a silent pass.
    #[test]
    fn header_must_be_utf8() {
        let out = read(
            &SPEC,
            &Source::bytes("t.csv", b"device,n\xffme\npc,app\n".to_vec()),
        );
        assert!(out.items.is_empty());
        assert!(
            out.problems[0].message.contains("header"),
            "{:?}",
            out.problems
        );
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
        assert!(looks_like("\u{feff}device,software_name\n"));
        assert!(looks_like("device\tsoftware_name\n"));
        assert!(!looks_like("ts,uid,query\n"));
        assert!(!looks_like("name,email\n"));
    }

    /// `DisplayName` is the app in an Uninstall-registry export and `Display
    /// Name` the device in a Jamf mobile-device export: one header is one
    /// column, the app's first.
    #[test]
    fn a_header_is_one_column() {
        let l = Layout::from_headers(["DisplayName", "DisplayVersion", "Publisher"]);
        assert_eq!((l.name, l.device), (Some(0), None));
        let l = Layout::from_headers(["Display Name", "App Name", "App Version", "App Identifier"]);
        assert_eq!(
            (l.device, l.name, l.version, l.bundle_id),
            (Some(0), Some(1), Some(2), Some(3))
        );
        let l = Layout::from_headers(["Name", "Version", "ProviderName", "PSComputerName"]);
        assert_eq!((l.name, l.version, l.device), (Some(0), Some(1), Some(3)));
    }

    /// `--columns` pairs: known keys only, each once, each with a header;
    /// a mapped header holds that column and no other.
    #[test]
    fn column_map() {
        let map = ColumnMap::parse("app_name=Title, device = Host,").unwrap();
        assert_eq!(map.columns.len(), 2);
        for (bad, says) in [
            ("app=Title", "unknown column key `app`"),
            ("app_name", "not KEY=HEADER"),
            ("device=", "names no header"),
            ("device=A,device=B", "given twice"),
        ] {
            let err = ColumnMap::parse(bad).unwrap_err();
            assert!(err.contains(says), "{bad}: {err}");
        }
        let headers: Vec<String> = ["Name", "Host"].map(String::from).to_vec();
        let mut l = Layout::from_headers(headers.iter().map(String::as_str));
        assert_eq!(l.name, Some(0));
        l.map(
            &headers,
            &ColumnMap::parse("device=name,app_name=host").unwrap(),
        )
        .unwrap();
        assert_eq!((l.device, l.name), (Some(0), Some(1)));
        assert_eq!(
            l.map(&headers, &ColumnMap::parse("version=Ver").unwrap()),
            Err("Ver".to_string())
        );
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
            let _ = run_text(text);
        }
        let mut bytes = b"name,version\n".to_vec();
        bytes.extend_from_slice(b"\xff\xfe,1\n\"\xc3\",2");
        let _ = read(&SPEC, &Source::bytes("g.csv", bytes));
    }
}
