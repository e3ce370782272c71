//! osquery results: `osqueryi --json` output (one JSON array of flat
//! objects per query, several arrays one after another when several
//! queries were saved to one file) and the osqueryd result log (JSON
//! lines, each with `hostIdentifier`, the query `name` and its rows as
//! `columns`, a `snapshot` array or `diffResults`).
//!
//! osqueryi does not write which table a row comes from, so the table is
//! told by the row's columns (a `bundle_identifier` is `apps`, a
//! `maintainer` is `deb_packages`…), then by the query name of a result
//! log line; [`Table::item`] turns a row into what the policies name:
//! Windows `programs` and macOS `apps` into apps, `deb_packages`,
//! `rpm_packages`, `python_packages` and `npm_packages` into packages of
//! their ecosystem (the products name Linux agents as `pkg:deb/kesl`),
//! and the browser extension tables (`chrome_extensions`,
//! `firefox_addons`, `safari_extensions`) into apps with an extension id
//! (`identifier`) and no bundle id, which app rules' `extension_id:`
//! matches and `bundle_id:` does not.
//!
//! The device is the result log's `hostIdentifier`; an `osqueryi` export
//! has none, so it is the file's name (one export per device,
//! `inventory/PC-0042.json`). A removed row (`"action":"removed"`, or
//! `diffResults.removed`) is no longer installed and is not an item.
//!
//! The result log is read line by line, so its size costs no memory;
//! an `osqueryi` export is one document, read whole.

use std::borrow::Cow;
use std::io::BufRead;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::ident::Ecosystem;
use crate::input::item::{AppView, ItemView, Package};
use crate::input::lines::for_each_line;
use crate::input::packages::json_lock::{self, LineIndex};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "osquery-json",
    evidence: Evidence::Apps,
    description: "osquery results (osqueryi --json, or the osqueryd result log)",
    names: &[
        "osquery*.json",
        "*.osquery.json",
        "osqueryd.results.log",
        "osqueryd.results.log.*",
        "osqueryd.snapshots.log",
        "osqueryd.snapshots.log.*",
    ],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::osquery_json),
    reader: Reader::Stream(read),
};

const HELP: &str = "save the query's output again with `osqueryi --json \"select …\"`, \
                    or restore the result log from the host";

/// The osquery tables whose rows are installed software.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    /// Windows Uninstall registry and MSI.
    Programs,
    /// macOS application bundles.
    Apps,
    Deb,
    Rpm,
    /// Chromium-family browser extensions.
    ChromeExtensions,
    /// Firefox add-ons: `identifier` is the add-on id (`{uuid}` or
    /// `name@domain`).
    FirefoxAddons,
    /// Safari extensions: `identifier` is the extension's bundle id.
    SafariExtensions,
    Python,
    Npm,
    /// A row whose table cannot be told: read as an app by name.
    Other,
}

impl Table {
    /// The table called `name`, or named at the end of a query name
    /// (`pack/inventory/deb_packages`), as osquery and Fleet's `source`
    /// write it.
    pub fn from_name(name: &str) -> Option<Table> {
        const NAMES: [(&str, Table); 9] = [
            ("programs", Table::Programs),
            ("apps", Table::Apps),
            ("deb_packages", Table::Deb),
            ("rpm_packages", Table::Rpm),
            ("chrome_extensions", Table::ChromeExtensions),
            ("firefox_addons", Table::FirefoxAddons),
            ("safari_extensions", Table::SafariExtensions),
            ("python_packages", Table::Python),
            ("npm_packages", Table::Npm),
        ];
        let last = name.rsplit(['/', ':']).next().unwrap_or(name);
        NAMES
            .iter()
            .find(|(n, _)| last.eq_ignore_ascii_case(n))
            .map(|&(_, t)| t)
    }

    /// The table a row comes from, by the columns only it has; `hint` (a
    /// result log's query name) decides the rest.
    fn of_row(row: &Map<String, Value>, hint: Option<&str>) -> Table {
        let has = |k: &str| row.contains_key(k);
        let path = row.get("path").and_then(Value::as_str).unwrap_or("");
        if has("bundle_identifier") || has("bundle_short_version") {
            Table::Apps
        } else if has("identifying_number") || has("uninstall_string") || has("install_source") {
            Table::Programs
        } else if has("maintainer") || (has("revision") && has("arch")) {
            Table::Deb
        } else if has("package_group") || (has("release") && has("epoch")) {
            Table::Rpm
        } else if has("browser_type")
            || has("from_webstore")
            || (has("identifier") && has("profile"))
        {
            Table::ChromeExtensions
        } else if has("identifier") && (has("creator") || has("source_url")) {
            Table::FirefoxAddons
        } else if has("identifier") && (has("developer_id") || has("sdk")) {
            Table::SafariExtensions
        } else if has("summary") || path.contains("site-packages") || path.contains("dist-packages")
        {
            Table::Python
        } else if has("homepage") || has("description") || path.contains("node_modules") {
            Table::Npm
        } else {
            hint.and_then(Table::from_name).unwrap_or(Table::Other)
        }
    }

    /// What a row of this table is, through `get` (a column's non-empty
    /// value; Fleet maps its own field names onto osquery's); `None`
    /// without a name.
    pub fn item<'a>(
        self,
        get: impl Fn(&str) -> Option<&'a str>,
        device: Option<&'a str>,
    ) -> Option<Row<'a>> {
        let package = |ecosystem: Ecosystem, version: Option<String>| {
            let name = get("name")?;
            Some(Row::Package(Package {
                device: device.map(str::to_string),
                ecosystem,
                name: name.to_string(),
                key: ecosystem.package_key(None, name),
                version,
                requirement: None,
                path: Vec::new(),
                direct: None,
                scope: None,
            }))
        };
        let version = get("version");
        match self {
            Table::Programs => Some(Row::App(AppView {
                name: Some(get("name")?),
                publisher: get("publisher"),
                version,
                platform: Some("windows"),
                device,
                ..AppView::default()
            })),
            Table::Apps => {
                let name = get("name").map(super::app_name);
                let bundle_id = get("bundle_identifier");
                Some(Row::App(AppView {
                    name: name.or_else(|| get("bundle_name")),
                    bundle_id,
                    version: get("bundle_short_version")
                        .or_else(|| get("bundle_version"))
                        .or(version),
                    platform: Some("macos"),
                    device,
                    ..AppView::default()
                }))
                .filter(|_| name.is_some() || bundle_id.is_some())
            }
            Table::ChromeExtensions | Table::FirefoxAddons | Table::SafariExtensions => {
                let extension_id = get("identifier");
                Some(Row::App(AppView {
                    name: get("name"),
                    extension_id,
                    // Safari's `version` is the marketing one, as for apps.
                    version: version.or_else(|| get("bundle_version")),
                    platform: (self == Table::SafariExtensions).then_some("macos"),
                    device,
                    ..AppView::default()
                }))
                .filter(|_| get("name").is_some() || extension_id.is_some())
            }
            Table::Deb => package(Ecosystem::Deb, version.map(str::to_string)),
            // `epoch:version-release`, as `rpm -q --qf '%{EVR}'` writes
            // it; osquery's `epoch` is empty when unset.
            Table::Rpm => package(
                Ecosystem::Rpm,
                version.map(|v| {
                    let evr = match get("release") {
                        Some(r) => format!("{v}-{r}"),
                        None => v.to_string(),
                    };
                    match get("epoch") {
                        Some(e) if e.bytes().all(|b| b.is_ascii_digit()) => format!("{e}:{evr}"),
                        _ => evr,
                    }
                }),
            ),
            Table::Python => package(Ecosystem::Pypi, version.map(str::to_string)),
            Table::Npm => package(Ecosystem::Npm, version.map(str::to_string)),
            Table::Other => Some(Row::App(AppView {
                name: Some(get("name")?),
                publisher: get("publisher").or_else(|| get("vendor")),
                version,
                bundle_id: get("bundle_identifier"),
                device,
                ..AppView::default()
            })),
        }
    }
}

/// A row as an item.
pub enum Row<'a> {
    App(AppView<'a>),
    Package(Package),
}

impl Row<'_> {
    /// The text the item is found by: its name, else its bundle or
    /// extension id.
    pub fn key(&self) -> Option<&str> {
        match self {
            Row::App(a) => a.name.or(a.bundle_id).or(a.extension_id),
            Row::Package(p) => Some(&p.name),
        }
    }

    pub fn emit(&self, sink: &mut dyn Sink, at: At<'_>) -> Flow {
        match self {
            Row::App(a) => sink.item(ItemView::App(*a), at),
            Row::Package(p) => sink.item(ItemView::Package(p), at),
        }
    }
}

/// Where `value` is written as a JSON string in `line`, from byte `from`
/// on (as itself, or as a macOS bundle's `value.app`): the offset and
/// length of `value`, or the whole line when it is written with escapes.
pub fn locate(line: &str, from: usize, value: &str) -> (usize, usize) {
    let quoted = format!("\"{value}");
    let mut at = from;
    while let Some(i) = line.get(at..).and_then(|rest| rest.find(&quoted)) {
        let start = at + i + 1;
        let after = &line[start + value.len()..];
        if after.starts_with('"') || after.starts_with(".app\"") {
            return (start, value.len());
        }
        at = start;
    }
    (0, line.len())
}

/// A column's value as text: osquery writes every value as a string, but
/// a decorator or a hand-made export may write a number.
fn column<'a>(row: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    match row.get(key)? {
        Value::String(s) => Some(s.trim()).filter(|s| !s.is_empty()),
        _ => None,
    }
}

/// The device of an export without one in its rows: the file's name
/// without its extension.
pub fn device_of_file(name: &str) -> Option<&str> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = file.split('.').next().unwrap_or(file);
    Some(stem).filter(|s| !s.is_empty())
}

fn read(
    source: &Source,
    opened: Opened,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let Opened {
        mut reader,
        layers,
        max_document,
        max_depth,
    } = opened;
    let head = reader.fill_buf().map_err(|e| source.unreadable(&e))?;
    let first = head
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF));
    if first == Some(b'{') {
        let name = &source.name;
        return for_each_line(
            name,
            reader,
            limits.max_line,
            sink,
            |line, byte, text, sink| log_line(name, line, byte, text, sink),
        );
    }
    let text = json_lock::read_text(
        source,
        Opened {
            reader,
            layers,
            max_document,
            max_depth,
        },
    )?;
    read_arrays(&source.name, &text, sink)
}

/// One line of the osqueryd result log.
#[derive(Deserialize)]
struct LogLine<'a> {
    #[serde(borrow, default)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "hostIdentifier")]
    host: Option<Cow<'a, str>>,
    #[serde(default)]
    columns: Option<Map<String, Value>>,
    #[serde(borrow, default)]
    action: Option<Cow<'a, str>>,
    #[serde(default)]
    snapshot: Option<Vec<Map<String, Value>>>,
    #[serde(default, rename = "diffResults")]
    diff: Option<Diff>,
}

#[derive(Deserialize)]
struct Diff {
    #[serde(default)]
    added: Vec<Map<String, Value>>,
}

fn log_line(name: &Arc<str>, line: u64, byte: u64, text: &str, sink: &mut dyn Sink) -> Flow {
    let trimmed = text.trim_end_matches('\r');
    if trimmed.trim().is_empty() {
        return Flow::Continue;
    }
    let whole = |message: String, help: &str, column: usize| {
        InputProblem::line(name, line, trimmed, column, 1, message, help.to_string())
    };
    let entry: LogLine = match serde_json::from_str(trimmed) {
        Ok(e) => e,
        Err(e) => {
            let what = match e.classify() {
                serde_json::error::Category::Eof => {
                    "this result log line ends in the middle of its JSON (cut off?); it was not read"
                }
                _ => "this result log line is not valid JSON; it was not read",
            };
            let column = e.column().saturating_sub(1).min(trimmed.len());
            return sink.skip(whole(format!("{what}: {e}"), HELP, column), trimmed);
        }
    };
    let rows: Vec<&Map<String, Value>> = if let Some(columns) = &entry.columns {
        if entry.action.as_deref() == Some("removed") {
            return Flow::Continue;
        }
        vec![columns]
    } else if let Some(snapshot) = &entry.snapshot {
        snapshot.iter().collect()
    } else if let Some(diff) = &entry.diff {
        diff.added.iter().collect()
    } else {
        return sink.skip(
            whole(
                "a result log line without `columns`, `snapshot` or `diffResults`: no rows to read"
                    .to_string(),
                "osqueryd writes one of them on every result line",
                0,
            ),
            trimmed,
        );
    };
    let device = entry
        .host
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty());
    let query = entry.name.as_deref();
    // Rows follow the query's name and host in the line: look for their
    // values after the key that holds them.
    let mut from = ["\"columns\"", "\"snapshot\"", "\"added\""]
        .iter()
        .find_map(|k| trimmed.find(k))
        .unwrap_or(0);
    for row in rows {
        let Some(item) = Table::of_row(row, query).item(|k| column(row, k), device) else {
            if sink.skip(no_name(name, line, trimmed), trimmed) == Flow::Stop {
                return Flow::Stop;
            }
            continue;
        };
        let (offset, len) = locate(trimmed, from, item.key().unwrap_or(""));
        if len < trimmed.len() {
            from = offset + len;
        }
        let at = At {
            source: name,
            text: trimmed,
            line,
            offset,
            len,
            byte,
        };
        if item.emit(sink, at) == Flow::Stop {
            return Flow::Stop;
        }
    }
    Flow::Continue
}

fn no_name(name: &Arc<str>, line: u64, text: &str) -> InputProblem {
    InputProblem::line(
        name,
        line,
        text,
        0,
        text.len().max(1),
        "a row without a `name` (or, for an app or extension, an identifier): nothing to match",
        "select the `name` column in the query",
    )
}

/// `osqueryi --json` output: one or more arrays of flat row objects.
fn read_arrays(name: &Arc<str>, text: &str, sink: &mut dyn Sink) -> Result<(), InputProblem> {
    if text.trim().is_empty() {
        sink.problem(
            InputProblem::file(
                name,
                "the osquery export is empty: it lists no rows",
                "save the query's output again with `osqueryi --json`",
            )
            .warning(),
        );
        return Ok(());
    }
    let lines = LineIndex::new(text.as_bytes());
    let bytes = text.as_bytes();
    let device = device_of_file(name);
    let skip_ws = |mut i: usize| {
        while i < bytes.len()
            && (bytes[i].is_ascii_whitespace() || text[i..].starts_with('\u{feff}'))
        {
            i += if bytes[i].is_ascii_whitespace() { 1 } else { 3 };
        }
        i
    };
    let mut pos = skip_ws(0);
    while pos < bytes.len() {
        if bytes[pos] != b'[' {
            return Err(malformed(name, text, &lines, pos));
        }
        pos = skip_ws(pos + 1);
        if bytes.get(pos) == Some(&b']') {
            pos = skip_ws(pos + 1);
            continue;
        }
        loop {
            let mut values = serde_json::Deserializer::from_str(&text[pos..]).into_iter::<Value>();
            let value = match values.next() {
                Some(Ok(v)) => v,
                _ => return Err(malformed(name, text, &lines, pos)),
            };
            let end = pos + values.byte_offset();
            if row(name, text, &lines, pos, end, &value, device, sink) == Flow::Stop {
                return Ok(());
            }
            pos = skip_ws(end);
            match bytes.get(pos) {
                Some(b',') => pos = skip_ws(pos + 1),
                Some(b']') => {
                    pos = skip_ws(pos + 1);
                    break;
                }
                _ => return Err(malformed(name, text, &lines, pos)),
            }
        }
    }
    Ok(())
}

/// One row of an `osqueryi` array, from byte `start` to `end`.
#[allow(clippy::too_many_arguments)]
fn row(
    name: &Arc<str>,
    text: &str,
    lines: &LineIndex,
    start: usize,
    end: usize,
    value: &Value,
    device: Option<&str>,
    sink: &mut dyn Sink,
) -> Flow {
    let (line, line_start, line_end) = lines.line_of(text.as_bytes(), start);
    let Value::Object(row) = value else {
        let line_text = &text[line_start..line_end];
        return sink.skip(
            InputProblem::line(
                name,
                line,
                line_text,
                start - line_start,
                1,
                "an element that is not a row object: osqueryi writes one object per row",
                HELP,
            ),
            line_text,
        );
    };
    let Some(item) = Table::of_row(row, None).item(|k| column(row, k), device) else {
        let line_text = &text[line_start..line_end];
        return sink.skip(no_name(name, line, line_text), line_text);
    };
    // Point at the key value, on its own line in `--json_pretty` output.
    let key = item.key().unwrap_or("");
    let (at, len) = locate(&text[..end], start, key);
    let (line, line_start, line_end) = if len == end {
        (line, line_start, line_end)
    } else {
        lines.line_of(text.as_bytes(), at)
    };
    let (offset, len) = if len == end {
        (start - line_start, 1)
    } else {
        (at - line_start, len)
    };
    item.emit(
        sink,
        At {
            source: name,
            text: &text[line_start..line_end],
            line,
            offset,
            len,
            byte: line_start as u64,
        },
    )
}

/// The problem for an export that is not a run of arrays of rows: serde's
/// own error for the whole text when it has one (a cut-off file, a
/// missing comma), at its line and column.
fn malformed(name: &Arc<str>, text: &str, lines: &LineIndex, pos: usize) -> InputProblem {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    if let Some(Err(e)) = values.find(Result::is_err) {
        return json_lock::syntax(name, text, lines, &e, "the osquery export", HELP);
    }
    let (line, start, end) = lines.line_of(text.as_bytes(), pos);
    InputProblem::line(
        name,
        line,
        &text[start..end],
        pos - start,
        1,
        "the osquery export is not a list of rows: osqueryi --json writes `[{…}, …]`; it was not read",
        HELP,
    )
}

#[cfg(test)]
#[path = "osquery_tests.rs"]
mod tests;
