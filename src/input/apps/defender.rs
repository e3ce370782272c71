//! Microsoft Defender Vulnerability Management software inventory:
//! `SoftwareInventoryByMachine` / `SoftwareInventoryExport`, one JSON
//! object a line per device and software (`deviceName`, `osPlatform`,
//! `softwareVendor`, `softwareName`, `softwareVersion`; gzipped exports
//! are decoded by the source layer).
//!
//! Lines are independent records, so a large export is cut into chunks
//! and read on every core, and its size costs no memory. Names and
//! vendors are Defender's CPE-style spellings (`wechat`, `tencent`); the
//! app matcher folds case, so a rule naming `WeChat` finds them.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Deserialize;

use crate::input::item::{AppView, ItemView};
use crate::input::problem::InputProblem;
use crate::input::registry::{
    Evidence, FormatSpec, Misfit, Reader, Record, RecordFormat, RecordReader, shapes,
};
use crate::input::sink::{At, Flow, Sink};

use super::osquery::locate;

pub static SPEC: FormatSpec = FormatSpec {
    name: "defender-software",
    evidence: Evidence::Apps,
    description: "Microsoft Defender software inventory export",
    // `SoftwareInventoryExport` writes JSON lines; other names of the
    // inventory may be a saved API page (`defender-api-page`): their shape
    // tells.
    names: &["*SoftwareInventoryExport*.json"],
    maybe: &["*SoftwareInventory*.json"],
    sniff: None,
    shape: Some(shapes::defender_software),
    reader: Reader::Records(&DefenderLines),
};

const HELP: &str = "export the software inventory again; Defender writes one JSON object a line";

struct DefenderLines;

impl RecordFormat for DefenderLines {
    fn start(
        &self,
        _source: &Arc<str>,
        _header: Option<&str>,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        Ok(Box::new(DefenderReader))
    }
}

/// One line of the export, or one object of an API page; the other keys
/// (`diskPaths`, weaknesses, end-of-support dates) are passed over.
#[derive(Deserialize)]
pub(super) struct Line<'a> {
    #[serde(borrow, default, rename = "deviceName")]
    device: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "osPlatform")]
    platform: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "softwareVendor")]
    vendor: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "softwareName")]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "softwareVersion")]
    version: Option<Cow<'a, str>>,
}

struct DefenderReader;

/// A value, trimmed, `None` when empty.
fn cell<'a>(value: &'a Option<Cow<'a, str>>) -> Option<&'a str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl<'a> Line<'a> {
    /// The app the record names; `None` without a `softwareName`, which
    /// leaves nothing to match.
    pub(super) fn app(&'a self) -> Option<AppView<'a>> {
        Some(AppView {
            name: Some(cell(&self.name)?),
            publisher: cell(&self.vendor),
            version: cell(&self.version),
            bundle_id: None,
            extension_id: None,
            platform: cell(&self.platform),
            device: cell(&self.device),
            device_count: None,
        })
    }
}

impl RecordReader for DefenderReader {
    /// A line a prefilter passes over is still one whole JSON object: a
    /// cut-off line is skipped whatever the policies, as when parsed.
    fn check(&self, line: &[u8]) -> Option<Misfit> {
        crate::input::endpoints::json_line::check_object(line, HELP)
    }

    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow {
        let text = record.text.trim_end_matches('\r');
        if text.trim().is_empty() {
            return Flow::Continue;
        }
        let problem = |message: String, column: usize, len: usize| {
            InputProblem::line(record.source, record.line, text, column, len, message, HELP)
        };
        let line: Line = match serde_json::from_str(text) {
            Ok(l) => l,
            Err(e) => {
                let what = match e.classify() {
                    serde_json::error::Category::Eof => {
                        "this line ends in the middle of its JSON (cut off?); it was not read"
                    }
                    _ => "this line is not valid JSON; it was not read",
                };
                let column = e.column().saturating_sub(1).min(text.len());
                return sink.skip(problem(format!("{what}: {e}"), column, 1), text);
            }
        };
        let Some(app) = line.app() else {
            return sink.skip(
                problem(
                    "a line without a `softwareName`: nothing to match".to_string(),
                    0,
                    text.len().max(1),
                ),
                text,
            );
        };
        let from = text.find("\"softwareName\"").unwrap_or(0);
        let (offset, len) = locate(text, from, app.name.unwrap_or_default());
        sink.item(
            ItemView::App(app),
            At {
                source: record.source,
                text,
                line: record.line,
                offset,
                len,
                byte: record.byte,
            },
        )
    }
}

#[cfg(test)]
#[path = "defender_tests.rs"]
mod tests;
