//! A policy's examples: the items its own test says it must and must not
//! match. They are read into the same item types a scan produces, so
//! `policy test` runs them through the matcher unchanged.

use crate::diag::Code;
use crate::ident::{self, PackageRef};
use crate::input::{App, Endpoint, FileItem, ItemKind, Package};
use crate::policy::{Example, validate};
use crate::yaml::{Node, Reader};

use super::keys::{EXAMPLE_APP_KEYS, EXAMPLE_KEYS, EXAMPLES_KEYS, FILE_KEYS};
use super::{opt_text, place, req_text};

pub(super) fn read_examples(r: &mut Reader<'_>, node: &Node) -> Vec<Example> {
    let Some(mut m) = r.map(node, "examples", EXAMPLES_KEYS) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, violating) in [("violating", true), ("compliant", false)] {
        if let Some(list) = m.optional(key) {
            for item in r.seq(list) {
                out.extend(read_example(r, item, violating));
            }
        }
    }
    m.finish(r);
    out
}

fn read_example(r: &mut Reader<'_>, node: &Node, violating: bool) -> Option<Example> {
    let mut m = r.map(node, "an example", EXAMPLE_KEYS)?;
    let span = m.span;
    let package = m.optional("package");
    let app = m.optional("app");
    let endpoint = m.optional("endpoint");
    let file = m.optional("file");
    m.finish(r);
    let given = [package, app, endpoint, file].iter().flatten().count();
    if given != 1 {
        r.report(
            Code::BadValue,
            span,
            "an example is exactly one of `package`, `app`, `endpoint` or `file`",
            "one kind per example",
            "split it into one example per item",
        );
        return None;
    }
    let item = if let Some(n) = package {
        let t = r.text(n)?;
        match PackageRef::parse_purl(&t.value) {
            Ok(p) => ItemKind::Package(Package {
                device: None,
                ecosystem: p.ecosystem,
                name: p.key.clone(),
                key: p.key,
                version: p.version,
                requirement: None,
                path: Vec::new(),
                direct: None,
                scope: None,
            }),
            Err(e) => {
                r.report(
                    Code::BadPurl,
                    t.span,
                    format!("`{}` is not a valid package URL: {e}", t.value),
                    "bad purl",
                    "write a purl such as pkg:pypi/langchain-deepseek@0.1.3",
                );
                return None;
            }
        }
    } else if let Some(n) = app {
        let mut a = r.map(n, "an example app", EXAMPLE_APP_KEYS)?;
        let mut field =
            |r: &mut Reader<'_>, k| a.optional(k).and_then(|n| r.text(n)).map(|v| v.value);
        let item = App {
            name: field(r, "name"),
            publisher: field(r, "publisher"),
            version: field(r, "version"),
            bundle_id: field(r, "bundle_id"),
            extension_id: field(r, "extension_id"),
            platform: field(r, "platform"),
            device: None,
            device_count: None,
        };
        a.finish(r);
        ItemKind::App(item)
    } else if let Some(n) = endpoint {
        let t = r.text(n)?;
        match ident::parse_endpoint(&t.value) {
            Ok(host) => ItemKind::Endpoint(Endpoint::of(host, None)),
            Err(e) => {
                r.report(
                    Code::BadEndpoint,
                    t.span,
                    e.to_string(),
                    "bad endpoint",
                    "write a host, URL or IP address",
                );
                return None;
            }
        }
    } else {
        let n = file?;
        let mut f = r.map(n, "an example file", FILE_KEYS)?;
        let sha = req_text(r, &mut f, "sha256");
        let name = opt_text(r, &mut f, "name");
        f.finish(r);
        ItemKind::File(FileItem {
            sha256: validate::sha256(r, &sha?)?,
            name,
        })
    };
    Some(Example {
        violating,
        item,
        place: place(r, span),
    })
}
