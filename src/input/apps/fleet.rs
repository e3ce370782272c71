//! Fleet software inventory JSON: the REST API's software list
//! (`GET /api/v1/fleet/software/versions`, `fleetctl get software
//! --json`): `{"count", "software": [{"name", "version", "source",
//! "bundle_identifier", "extension_id", "vendor", "hosts_count", …}]}`,
//! and one host's details (`GET /api/v1/fleet/hosts/{id}`: `{"host":
//! {"hostname", "software": […]}}`).
//!
//! Fleet collects software with osquery and names each entry's table in
//! `source`, so a row becomes what the same osquery row would
//! ([`Table::item`]), with Fleet's field names (`vendor`, `extension_id`)
//! read as osquery's. The software list counts hosts (`hosts_count`) but
//! names none, so its items have no device; a host's details give its
//! `hostname`.

use std::sync::Arc;

use serde::Deserialize;

use super::osquery::{Table, locate};
use crate::input::packages::json_lock::{self, Seg, Span};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader};
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "fleet-software",
    evidence: Evidence::Apps,
    description: "Fleet software inventory (REST API or fleetctl JSON)",
    names: &["fleet*software*.json"],
    maybe: &[],
    sniff: None,
    shape: Some(shape),
    reader: Reader::Stream(read),
};

const HELP: &str = "fetch the list again (`fleetctl get software --json`, or \
                    `GET /api/v1/fleet/software/versions`)";

/// A JSON object near whose start are a `software` list and the fields
/// only Fleet's entries have (`hosts_count`, `generated_cpe`).
pub fn shape(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
    text.starts_with('{')
        && text.contains("\"software\"")
        && (text.contains("\"hosts_count\"") || text.contains("\"generated_cpe\""))
        && text.contains("\"source\"")
}

#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    software: Option<Vec<Software>>,
    #[serde(default)]
    host: Option<Host>,
}

#[derive(Deserialize)]
struct Host {
    #[serde(default)]
    hostname: Option<String>,
    #[serde(default)]
    software: Option<Vec<Software>>,
}

#[derive(Deserialize)]
struct Software {
    name: Option<String>,
    version: Option<String>,
    source: Option<String>,
    bundle_identifier: Option<String>,
    extension_id: Option<String>,
    vendor: Option<String>,
    release: Option<String>,
}

impl Software {
    /// The value of osquery column `column`, from Fleet's field for it.
    fn get(&self, column: &str) -> Option<&str> {
        let value = match column {
            "name" => &self.name,
            "version" | "bundle_short_version" => &self.version,
            "bundle_identifier" => &self.bundle_identifier,
            "identifier" => &self.extension_id,
            "publisher" | "vendor" => &self.vendor,
            "release" => &self.release,
            _ => return None,
        };
        value.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
}

fn read(
    source: &Source,
    opened: Opened,
    _limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = json_lock::read_text(source, opened)?;
    read_text(&source.name, &text, sink)
}

fn read_text(name: &Arc<str>, text: &str, sink: &mut dyn Sink) -> Result<(), InputProblem> {
    let Some(lines) = json_lock::lines_unless_empty(name, text, sink, HELP) else {
        return Ok(());
    };
    let export: Export = serde_json::from_str(text)
        .map_err(|e| json_lock::syntax(name, text, &lines, &e, "the Fleet export", HELP))?;
    let (list, device, under_host) = match (&export.software, &export.host) {
        (Some(list), _) => (list, None, false),
        (
            None,
            Some(Host {
                hostname,
                software: Some(list),
            }),
        ) => (list, hostname.as_deref(), true),
        _ => {
            return Err(InputProblem::file(
                name,
                "the Fleet export has no `software` list; it was not read",
                HELP,
            ));
        }
    };
    // Where each entry's `name` key is, and its first key.
    let mut keys: Vec<(Option<Span>, Option<Span>)> = vec![(None, None); list.len()];
    json_lock::keys(text.as_bytes(), |path, span| {
        let entry = match path {
            [s, Seg::Index(i), key] if !under_host && s.is("software") => Some((*i, key)),
            [h, s, Seg::Index(i), key] if under_host && h.is("host") && s.is("software") => {
                Some((*i, key))
            }
            _ => None,
        };
        if let Some((i, key)) = entry
            && let Some(k) = keys.get_mut(i)
        {
            k.0.get_or_insert(span);
            if key.is("name") {
                k.1 = Some(span);
            }
        }
    });
    let device = device.map(str::trim).filter(|d| !d.is_empty());
    for (software, (first, name_key)) in list.iter().zip(keys) {
        let span = name_key.or(first).unwrap_or(Span { start: 0, end: 1 });
        let (line, start, end) = lines.line_of(text.as_bytes(), span.start);
        let line_text = &text[start..end];
        let table = software
            .source
            .as_deref()
            .and_then(Table::from_name)
            .unwrap_or(Table::Other);
        let Some(item) = table.item(|k| software.get(k), device) else {
            let flow = json_lock::skip(
                sink,
                name,
                text,
                &lines,
                span,
                "a software entry without a `name`: nothing to match".to_string(),
                HELP,
            );
            if flow == Flow::Stop {
                return Ok(());
            }
            continue;
        };
        let (offset, len) = locate(line_text, span.start - start, item.key().unwrap_or(""));
        let at = At {
            source: name,
            text: line_text,
            line,
            offset,
            len,
            byte: start as u64,
        };
        if item.emit(sink, at) == Flow::Stop {
            return Ok(());
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "fleet_tests.rs"]
mod tests;
