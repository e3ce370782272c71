//! CycloneDX JSON SBOMs, spec versions 1.4 to 1.6 (`"bomFormat":
//! "CycloneDX"`). CycloneDX XML is recognised, not read
//! ([`crate::input::recognised::CYCLONEDX_XML`]).
//!
//! The file is parsed with serde_json; a syntax error or a truncated file
//! is one problem at its line and column, and the file is unread evidence.
//! One pass of a small tokenizer ([`super::json_pos`]) finds where each
//! component's `purl` value is.
//!
//! Every component in `components`, nested `components` too (assembly
//! containment, walked recursively), that has a `purl` of an ecosystem
//! banscan knows is one [`Package`](crate::input::Package) at its purl:
//! name, namespace and version from the purl (the component's `version`
//! when the purl has none). `metadata.component` is the project itself and
//! is not emitted. When the file has `dependencies` (`ref` → `dependsOn`,
//! by `bom-ref`), `direct` says whether `metadata.component` depends on it
//! and `path` is the shortest chain from `metadata.component`.
//!
//! Passed over: a purl that does not parse (a skipped record), purls of
//! types banscan has no ecosystem for (one warning per type), components
//! without a purl (one warning for all). `scope: optional` is
//! [`DepScope::Optional`].

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::input::item::DepScope;
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::Sink;
use crate::input::source::{Limits, Opened, Source};

use super::json_lock::{self, LineIndex, Span};
use super::sbom::{Doc, Entry};

pub static SPEC: FormatSpec = FormatSpec {
    name: "cyclonedx",
    evidence: Evidence::Packages,
    description: "CycloneDX SBOM (JSON)",
    names: &["*.cdx.json", "bom.json", "*.cyclonedx.json"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::cyclonedx_json),
    reader: Reader::Stream(read),
};

const SYNTAX_HELP: &str = "the SBOM is not valid JSON: generate it again with its tool \
     (e.g. `cyclonedx-py`, `cdxgen`, `syft -o cyclonedx-json`)";

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
struct Bom {
    metadata: Option<Metadata>,
    #[serde(default)]
    components: Vec<Component>,
    dependencies: Option<Vec<Dependency>>,
}

#[derive(Deserialize)]
struct Metadata {
    component: Option<Component>,
}

#[derive(Deserialize)]
struct Component {
    #[serde(rename = "bom-ref")]
    bom_ref: Option<String>,
    name: Option<String>,
    version: Option<String>,
    purl: Option<String>,
    scope: Option<String>,
    #[serde(default)]
    components: Vec<Component>,
}

#[derive(Deserialize)]
struct Dependency {
    #[serde(rename = "ref")]
    reference: String,
    #[serde(rename = "dependsOn", default)]
    depends_on: Vec<String>,
}

fn read_text(name: &Arc<str>, text: &str, sink: &mut dyn Sink) -> Result<(), InputProblem> {
    let lines = LineIndex::new(text.as_bytes());
    if text.trim().is_empty() {
        sink.problem(
            InputProblem::file(
                name,
                "the SBOM is empty: it lists no components",
                "generate it again with its tool, or delete it",
            )
            .warning(),
        );
        return Ok(());
    }
    let bom: Bom = serde_json::from_str(text)
        .map_err(|e| json_lock::syntax(name, text, &lines, &e, "the SBOM", SYNTAX_HELP))?;
    let purls = json_lock::string_values(text.as_bytes(), |k| k == "purl");
    let mut entries = Vec::new();
    walk(&bom.components, "/components", &purls, &mut entries);
    let roots = bom
        .metadata
        .and_then(|m| m.component)
        .and_then(|c| {
            let label = c.name.clone().unwrap_or_else(|| "(project)".into());
            c.bom_ref.map(|id| (id, label))
        })
        .into_iter()
        .collect();
    let edges = bom.dependencies.map(|deps| {
        let mut edges: HashMap<String, Vec<String>> = HashMap::new();
        for d in deps {
            edges.entry(d.reference).or_default().extend(d.depends_on);
        }
        edges
    });
    Doc {
        roots,
        entries,
        edges,
        noun: "component",
    }
    .emit(name, text, &lines, sink);
    Ok(())
}

/// The components in document order, nested ones after their parent.
fn walk(components: &[Component], at: &str, purls: &HashMap<String, Span>, out: &mut Vec<Entry>) {
    for (i, c) in components.iter().enumerate() {
        let pointer = format!("{at}/{i}");
        out.push(Entry {
            id: c.bom_ref.clone(),
            label: c.name.clone().unwrap_or_default(),
            purl: c
                .purl
                .clone()
                .map(|p| (p, purls.get(&format!("{pointer}/purl")).copied())),
            version: c.version.clone(),
            scope: (c.scope.as_deref() == Some("optional")).then_some(DepScope::Optional),
        });
        walk(&c.components, &format!("{pointer}/components"), purls, out);
    }
}

#[cfg(test)]
#[path = "cyclonedx_tests.rs"]
pub(crate) mod tests;
