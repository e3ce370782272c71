//! SPDX 2.3 JSON SBOMs (`"spdxVersion": "SPDX-2.3"`; 2.2 reads the same).
//! SPDX tag-value and YAML are recognised, not read
//! ([`crate::input::recognised::SPDX_TAG_VALUE`], `SPDX_YAML`).
//!
//! The file is parsed with serde_json; a syntax error or a truncated file
//! is one problem at its line and column, and the file is unread evidence.
//! One pass of a small tokenizer ([`super::json_pos`]) finds where each
//! `referenceLocator` value is.
//!
//! Every `packages[]` entry with an `externalRefs` item of
//! `referenceType: purl` and `referenceCategory` `PACKAGE-MANAGER` or
//! `PACKAGE_MANAGER` (the 2.3 schema allows both) is one
//! [`Package`](crate::input::Package) at that purl: name, namespace and
//! version from the purl (`versionInfo` when the purl has none). What the
//! document `DESCRIBES` (or the deprecated `documentDescribes`) are the
//! roots; `DEPENDS_ON` (`a → b`) and `DEPENDENCY_OF` (`b → a`)
//! relationships give `direct` (a root depends on it) and the shortest
//! `path` from a root. Without such relationships both are unknown.
//!
//! Passed over: a purl that does not parse (a skipped record), purls of
//! types banscan has no ecosystem for (one warning per type), packages
//! without a purl other than the roots (one warning for all).

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::Sink;
use crate::input::source::{Limits, Opened, Source};

use super::json_lock::{self, LineIndex};
use super::sbom::{Doc, Entry};

pub static SPEC: FormatSpec = FormatSpec {
    name: "spdx",
    evidence: Evidence::Packages,
    description: "SPDX SBOM (JSON)",
    names: &["*.spdx.json"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::spdx_json),
    reader: Reader::Stream(read),
};

const SYNTAX_HELP: &str = "the SBOM is not valid JSON: generate it again with its tool \
     (e.g. `syft -o spdx-json`)";

fn read(
    source: &Source,
    opened: Opened,
    _limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = json_lock::read_text(source, opened)?;
    read_text(&source.name, &text, sink)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    #[serde(rename = "SPDXID")]
    spdx_id: Option<String>,
    #[serde(default)]
    packages: Vec<SpdxPackage>,
    #[serde(default)]
    relationships: Vec<Relationship>,
    #[serde(default)]
    document_describes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpdxPackage {
    #[serde(rename = "SPDXID")]
    spdx_id: Option<String>,
    name: Option<String>,
    version_info: Option<String>,
    #[serde(default)]
    external_refs: Vec<ExternalRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExternalRef {
    reference_category: Option<String>,
    reference_type: Option<String>,
    reference_locator: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Relationship {
    spdx_element_id: String,
    relationship_type: String,
    related_spdx_element: String,
}

fn is_purl_ref(r: &ExternalRef) -> bool {
    r.reference_type.as_deref() == Some("purl")
        && matches!(
            r.reference_category.as_deref(),
            Some("PACKAGE-MANAGER" | "PACKAGE_MANAGER")
        )
}

fn read_text(name: &Arc<str>, text: &str, sink: &mut dyn Sink) -> Result<(), InputProblem> {
    let lines = LineIndex::new(text.as_bytes());
    if text.trim().is_empty() {
        sink.problem(
            InputProblem::file(
                name,
                "the SBOM is empty: it lists no packages",
                "generate it again with its tool, or delete it",
            )
            .warning(),
        );
        return Ok(());
    }
    let doc: Document = serde_json::from_str(text)
        .map_err(|e| json_lock::syntax(name, text, &lines, &e, "the SBOM", SYNTAX_HELP))?;
    let locators = json_lock::string_values(text.as_bytes(), |k| k == "referenceLocator");
    let doc_id = doc.spdx_id.as_deref().unwrap_or("SPDXRef-DOCUMENT");
    let mut described: Vec<String> = doc.document_describes.clone();
    let mut edges: HashMap<String, Vec<String>> = HashMap::new();
    let mut has_graph = false;
    for r in &doc.relationships {
        let (from, to) = match r.relationship_type.as_str() {
            "DESCRIBES" if r.spdx_element_id == doc_id => {
                described.push(r.related_spdx_element.clone());
                continue;
            }
            "DESCRIBED_BY" if r.related_spdx_element == doc_id => {
                described.push(r.spdx_element_id.clone());
                continue;
            }
            "DEPENDS_ON" => (&r.spdx_element_id, &r.related_spdx_element),
            "DEPENDENCY_OF" => (&r.related_spdx_element, &r.spdx_element_id),
            _ => continue,
        };
        has_graph = true;
        edges.entry(from.clone()).or_default().push(to.clone());
    }
    let labels: HashMap<&str, &str> = doc
        .packages
        .iter()
        .filter_map(|p| Some((p.spdx_id.as_deref()?, p.name.as_deref()?)))
        .collect();
    let mut roots: Vec<(String, String)> = Vec::new();
    for id in described {
        if !roots.iter().any(|(r, _)| *r == id) {
            let label = labels
                .get(id.as_str())
                .map_or(id.clone(), |l| l.to_string());
            roots.push((id, label));
        }
    }
    let entries = doc
        .packages
        .iter()
        .enumerate()
        .map(|(i, p)| Entry {
            id: p.spdx_id.clone(),
            label: p.name.clone().unwrap_or_default(),
            purl: p
                .external_refs
                .iter()
                .enumerate()
                .find(|(_, r)| is_purl_ref(r))
                .and_then(|(j, r)| {
                    let purl = r.reference_locator.clone()?;
                    let at = format!("/packages/{i}/externalRefs/{j}/referenceLocator");
                    Some((purl, locators.get(&at).copied()))
                }),
            version: p.version_info.clone(),
            scope: None,
        })
        .collect();
    Doc {
        roots,
        entries,
        edges: has_graph.then_some(edges),
        noun: "package",
    }
    .emit(name, text, &lines, sink);
    Ok(())
}

#[cfg(test)]
#[path = "spdx_tests.rs"]
mod tests;
