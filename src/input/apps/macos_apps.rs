//! macOS application inventories: `system_profiler SPApplicationsDataType
//! -json`, `{"SPApplicationsDataType": [{"_name", "version", "path",
//! "obtained_from", "signed_by": […], …}]}`, one Mac's applications.
//!
//! The export holds no bundle identifier, so apps are matched by name
//! and publisher. The publisher is the developer in the first certificate
//! of `signed_by` when it is a Developer ID (`Developer ID Application:
//! Tencent Technology (Shenzhen) Company Limited (88L2Q4487U)`); App Store
//! and Apple signatures name no developer. The export names no device:
//! one export a Mac is named after it (see [`super::device`]).
//!
//! The file is one JSON document, parsed with serde_json (a cut file is
//! one problem at its line); each app is placed at its `_name` value.

use std::sync::Arc;

use serde::Deserialize;

use super::device;
use crate::input::item::{AppView, ItemView};
use crate::input::packages::json_lock::{self, LineIndex, Seg, Span};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "macos-apps",
    evidence: Evidence::Apps,
    description: "macOS system_profiler SPApplicationsDataType output",
    names: &["SPApplicationsDataType*.json", "system_profiler*.json"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::macos_apps),
    reader: Reader::Stream(read),
};

const HELP: &str =
    "export it again with `system_profiler SPApplicationsDataType -json > <device>.json`";

/// The key `system_profiler` lists applications under.
const DATA_TYPE: &str = "SPApplicationsDataType";

/// The start of a Developer ID certificate's common name.
const DEVELOPER_ID: &str = "Developer ID Application: ";

#[derive(Deserialize)]
struct Export {
    #[serde(rename = "SPApplicationsDataType")]
    apps: Option<Vec<Entry>>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "_name")]
    name: Option<String>,
    version: Option<String>,
    #[serde(default)]
    signed_by: Vec<String>,
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
            InputProblem::file(name, "the export is empty: it lists no applications", HELP)
                .warning(),
        );
        return Ok(());
    }
    let lines = LineIndex::new(text.as_bytes());
    let export: Export = serde_json::from_str(text).map_err(|e| {
        json_lock::syntax(name, text, &lines, &e, "the system_profiler export", HELP)
    })?;
    let Some(apps) = export.apps else {
        return Err(InputProblem::file(
            name,
            format!("the export has no `{DATA_TYPE}` list: it is not an application inventory"),
            HELP,
        ));
    };
    // Per app: its first key and its `_name` value, for the line.
    let mut places: Vec<(Option<Span>, Option<Span>)> = vec![(None, None); apps.len()];
    json_lock::keys(text.as_bytes(), |path, span| {
        if let [top, Seg::Index(i), key] = path
            && top.is(DATA_TYPE)
            && let Some(place) = places.get_mut(*i)
        {
            place.0.get_or_insert(span);
            if key.is("_name") {
                place.1 = json_lock::string_after(text.as_bytes(), span.end);
            }
        }
    });
    let device = device::from_file_name(name);
    for (entry, (first, value)) in apps.iter().zip(places) {
        let span = value
            .map(|s| Span {
                start: s.start + 1,
                end: s.end.saturating_sub(1).max(s.start + 1),
            })
            .or(first)
            .unwrap_or(Span { start: 0, end: 1 });
        let p = lines.place(text, span);
        let line_text = &text[p.start..p.end];
        let Some(app_name) = entry.name.as_deref().filter(|n| !n.trim().is_empty()) else {
            let flow = sink.skip(
                InputProblem::line(
                    name,
                    p.line,
                    line_text,
                    p.offset,
                    p.len,
                    "an application without a `_name`".to_string(),
                    HELP,
                ),
                line_text,
            );
            if flow == Flow::Stop {
                return Ok(());
            }
            continue;
        };
        let app = AppView {
            name: Some(app_name.trim()),
            publisher: entry.signed_by.first().and_then(|c| developer(c)),
            version: entry.version.as_deref().filter(|v| !v.is_empty()),
            platform: Some("macos"),
            device,
            ..AppView::default()
        };
        let at = At {
            source: name,
            text: line_text,
            line: p.line,
            offset: p.offset,
            len: p.len,
            byte: p.start as u64,
        };
        if sink.item(ItemView::App(app), at) == Flow::Stop {
            return Ok(());
        }
    }
    Ok(())
}

/// The developer a Developer ID certificate names, without its team id.
fn developer(certificate: &str) -> Option<&str> {
    let rest = certificate.strip_prefix(DEVELOPER_ID)?;
    let name = match rest.trim_end().strip_suffix(')') {
        Some(without) => without.rsplit_once(" (").map_or(rest, |(name, _)| name),
        None => rest,
    };
    Some(name.trim()).filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::item::ItemKind;
    use crate::input::testing::Collect;

    fn run(shown: &str, text: &str) -> Collect {
        let mut sink = Collect::default();
        if let Err(p) = read_text(&Arc::from(shown), text, &mut sink) {
            sink.problems.push(p);
        }
        sink
    }

    /// The developer of a Developer ID, without the team id; other
    /// signatures name none.
    #[test]
    fn developer_from_the_certificate() {
        assert_eq!(
            developer(
                "Developer ID Application: Tencent Technology (Shenzhen) Company Limited (88L2Q4487U)"
            ),
            Some("Tencent Technology (Shenzhen) Company Limited")
        );
        assert_eq!(developer("Apple Mac OS Application Signing"), None);
        assert_eq!(developer("Software Signing"), None);
    }

    /// Each app with its name, version, publisher, platform and the device
    /// from the file name, placed at its `_name`.
    #[test]
    fn apps_with_device_and_line() {
        let text = "{\n  \"SPApplicationsDataType\" : [\n    {\n      \"_name\" : \"WeChat\",\n      \
                    \"signed_by\" : [\"Developer ID Application: Tencent (ABC)\"],\n      \"version\" : \"4.0.1\"\n    },\n    \
                    {\n      \"version\" : \"1.0\"\n    }\n  ]\n}\n";
        let out = run("macs/MAC-07.json", text);
        assert_eq!(out.items.len(), 1);
        let got = &out.items[0];
        let ItemKind::App(app) = &got.item else {
            panic!("{:?}", got.item)
        };
        assert_eq!(app.name.as_deref(), Some("WeChat"));
        assert_eq!(app.publisher.as_deref(), Some("Tencent"));
        assert_eq!(app.version.as_deref(), Some("4.0.1"));
        assert_eq!(app.platform.as_deref(), Some("macos"));
        assert_eq!(app.device.as_deref(), Some("MAC-07"));
        assert_eq!((got.line, got.column, got.len), (4, 18, 6));
        // The app without a name is skipped, not dropped.
        assert_eq!(out.problems.len(), 1);
        assert_eq!(
            out.problems[0].impact,
            crate::input::problem::Impact::Skipped
        );
    }

    /// A cut file is one problem at its end; a JSON without the list is
    /// no inventory.
    #[test]
    fn malformed_exports() {
        let out = run("m.json", "{\"SPApplicationsDataType\":[{\"_name\":\"X\"");
        assert_eq!(out.problems.len(), 1);
        assert!(
            out.problems[0].message.contains("truncated"),
            "{:?}",
            out.problems
        );
        let out = run("m.json", "{\"SPSoftwareDataType\":[]}");
        assert!(out.problems[0].message.contains("SPApplicationsDataType"));
    }
}
