//! A page of the Microsoft Defender software inventory API as it comes
//! back from `GET /api/machines/SoftwareInventoryByMachine`, saved to a
//! file: `{"@odata.context": …, "value": [{…}, …], "@odata.nextLink": …}`,
//! each object in `value` one device and software with the keys of the
//! JSON-lines export (`deviceName`, `osPlatform`, `softwareVendor`,
//! `softwareName`, `softwareVersion`).
//!
//! A page is one JSON document, compact or pretty-printed, so it is read
//! whole (a cut-off page is one problem at its line); each object is placed
//! at its `softwareName` value, on its own line when the page is pretty.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::defender::Line;
use crate::input::item::ItemView;
use crate::input::packages::json_lock::{self, LineIndex, Seg, Span};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "defender-api-page",
    evidence: Evidence::Apps,
    description: "Microsoft Defender software inventory API page (SoftwareInventoryByMachine)",
    names: &["*SoftwareInventoryByMachine*.json"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::defender_api_page),
    reader: Reader::Stream(read),
};

const HELP: &str =
    "save the API response again (`GET /api/machines/SoftwareInventoryByMachine`), whole";

/// The key a page lists its records under.
const VALUE: &str = "value";

#[derive(Deserialize)]
struct Page {
    value: Option<Vec<Value>>,
    #[serde(rename = "@odata.nextLink")]
    next: Option<Value>,
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
    if text.trim().is_empty() {
        sink.problem(
            InputProblem::file(name, "the page is empty: it lists no software", HELP).warning(),
        );
        return Ok(());
    }
    let lines = LineIndex::new(text.as_bytes());
    let page: Page = serde_json::from_str(text)
        .map_err(|e| json_lock::syntax(name, text, &lines, &e, "the API page", HELP))?;
    let Some(records) = page.value else {
        return Err(InputProblem::file(
            name,
            format!("the page has no `{VALUE}` list: it is not a Defender API response"),
            HELP,
        ));
    };
    // Per record: its first key, and its `softwareName` value; and where
    // the list is, for records with no key to point at.
    let mut places: Vec<(Option<Span>, Option<Span>)> = vec![(None, None); records.len()];
    let mut list_key = None;
    json_lock::keys(text.as_bytes(), |path, span| {
        if let [top] = path
            && top.is(VALUE)
        {
            list_key = Some(span);
        }
        if let [top, Seg::Index(i), key] = path
            && top.is(VALUE)
            && let Some(place) = places.get_mut(*i)
        {
            place.0.get_or_insert(span);
            if key.is("softwareName") {
                place.1 = json_lock::string_after(text.as_bytes(), span.end);
            }
        }
    });
    let starts = list_key.map_or_else(Vec::new, |k| element_starts(text, k.end));
    for (i, (record, (first, value))) in records.iter().zip(places).enumerate() {
        let start = starts.get(i).copied().unwrap_or(0);
        let span = value.or(first).unwrap_or(Span {
            start,
            end: start + 1,
        });
        let line = Line::deserialize(record).ok();
        let Some(app) = line.as_ref().and_then(Line::app) else {
            let what = if record.is_object() {
                "a record without a `softwareName` string: nothing to match"
            } else {
                "an element of `value` that is not a record object"
            };
            if json_lock::skip(sink, name, text, &lines, span, what.to_string(), HELP) == Flow::Stop
            {
                return Ok(());
            }
            continue;
        };
        let p = lines.place(text, span);
        let at = At {
            source: name,
            text: &text[p.start..p.end],
            line: p.line,
            offset: p.offset,
            len: p.len,
            byte: p.start as u64,
        };
        if sink.item(ItemView::App(app), at) == Flow::Stop {
            return Ok(());
        }
    }
    // Nothing in this file was lost, but the inventory goes on elsewhere.
    if page.next.as_ref().is_some_and(|n| !n.is_null()) {
        sink.problem(
            InputProblem::file(
                name,
                "this is one page of the inventory: `@odata.nextLink` names the next, which is not in this file",
                "save every page (follow `@odata.nextLink` until a response has none) and scan them all",
            )
            .warning(),
        );
    }
    Ok(())
}

/// The byte offset of each element of the array after the key ending at
/// `key_end`, in valid JSON.
fn element_starts(text: &str, key_end: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let skip_ws = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    let mut starts = Vec::new();
    let mut pos = skip_ws(key_end);
    if bytes.get(pos) != Some(&b':') {
        return starts;
    }
    pos = skip_ws(pos + 1);
    if bytes.get(pos) != Some(&b'[') {
        return starts;
    }
    pos = skip_ws(pos + 1);
    while bytes.get(pos).is_some_and(|&b| b != b']') {
        starts.push(pos);
        let mut values =
            serde_json::Deserializer::from_str(&text[pos..]).into_iter::<serde::de::IgnoredAny>();
        if !matches!(values.next(), Some(Ok(_))) {
            break;
        }
        pos = skip_ws(pos + values.byte_offset());
        if bytes.get(pos) != Some(&b',') {
            break;
        }
        pos = skip_ws(pos + 1);
    }
    starts
}

#[cfg(test)]
#[path = "defender_api_page_tests.rs"]
mod tests;
