//! Products and their identifiers: packages, apps, endpoints and files.

use crate::diag::Code;
use crate::policy::{
    AppRule, Confidence, EndpointRule, FileRule, Identifiers, PackageRule, Product, validate,
};
use crate::yaml::{MapReader, Node, Reader, Value};

use super::keys::{
    APP_KEYS, ENDPOINT_KEYS, FILE_RULE_KEYS, IDENTIFIER_KEYS, PACKAGE_KEYS, PRODUCT_KEYS,
};
use super::{opt_text, place, read_sources, req_text, text_list};

/// A product document; one that `policy draft` left with placeholders
/// gets one error per placeholder, as a policy does.
pub(super) fn read_product(r: &mut Reader<'_>, node: &Node) -> Option<Product> {
    let before = r.problems.len();
    let product = read_product_keys(r, node);
    validate::placeholders(r, node, before);
    product
}

fn read_product_keys(r: &mut Reader<'_>, node: &Node) -> Option<Product> {
    let mut m = r.map(node, "a product", PRODUCT_KEYS)?;
    let id = req_text(r, &mut m, "product");
    let name = req_text(r, &mut m, "name");
    let vendor = opt_text(r, &mut m, "vendor");
    let aliases = text_list(r, m.optional("aliases"))
        .into_iter()
        .map(|a| a.value)
        .collect();
    let description = opt_text(r, &mut m, "description");
    let before = r.problems.len();
    let identifiers = m.required(r, "identifiers").map(|n| read_identifiers(r, n));
    let identifiers_ok = r.problems.len() == before;
    let sources = m
        .optional("sources")
        .map(|n| read_sources(r, n))
        .unwrap_or_default();
    m.finish(r);
    if let Some(ids) = &identifiers
        && ids.is_empty()
        && identifiers_ok
    {
        r.report(
            Code::EmptyIdentifiers,
            node.span,
            "this product has no identifiers, so nothing can ever match it",
            "no identifiers",
            "add packages, apps, endpoints or files under `identifiers:`",
        );
    }
    let id = id.filter(|id| validate::id(r, id))?;
    Some(Product {
        place: place(r, id.span),
        id: id.value,
        name: name?.value,
        vendor,
        aliases,
        description,
        identifiers: identifiers?,
        sources,
    })
}

pub(super) fn read_identifiers(r: &mut Reader<'_>, node: &Node) -> Identifiers {
    let Some(mut m) = r.map(node, "identifiers", IDENTIFIER_KEYS) else {
        return Identifiers::default();
    };
    let mut ids = Identifiers::default();
    if let Some(n) = m.optional("packages") {
        for item in r.seq(n) {
            ids.packages.extend(read_package_rule(r, item));
        }
    }
    if let Some(n) = m.optional("apps") {
        for item in r.seq(n) {
            ids.apps.extend(read_app_rule(r, item));
        }
    }
    if let Some(n) = m.optional("endpoints") {
        for item in r.seq(n) {
            ids.endpoints.extend(read_endpoint_rule(r, item));
        }
    }
    if let Some(n) = m.optional("files") {
        for item in r.seq(n) {
            ids.files.extend(read_file_rule(r, item));
        }
    }
    m.finish(r);
    ids
}

/// An identifier's own `confidence:`, confirmed unless said otherwise.
/// Unlike a policy's, it may sit under any severity: the finding it makes
/// is lowered to an advisory instead.
fn read_confidence(r: &mut Reader<'_>, m: &mut MapReader<'_>) -> Option<Confidence> {
    let confidence = m.optional("confidence").and_then(|n| r.text(n));
    validate::confidence(r, confidence, None)
}

fn read_package_rule(r: &mut Reader<'_>, node: &Node) -> Option<PackageRule> {
    let mut m = r.map(node, "a package identifier", PACKAGE_KEYS)?;
    let purl = req_text(r, &mut m, "purl");
    let versions = m.optional("versions").and_then(|n| r.text(n));
    let note = opt_text(r, &mut m, "note");
    let confidence = read_confidence(r, &mut m);
    m.finish(r);
    let purl = purl?;
    let (parsed, prefix) = validate::purl_pattern(r, &purl)?;
    let versions = match versions {
        Some(v) => Some(validate::version_range(r, parsed.ecosystem, &v)?),
        None => None,
    };
    Some(PackageRule {
        purl: purl.value,
        ecosystem: parsed.ecosystem,
        key: parsed.key,
        prefix,
        versions,
        note,
        confidence: confidence?,
        place: place(r, purl.span),
    })
}

fn read_app_rule(r: &mut Reader<'_>, node: &Node) -> Option<AppRule> {
    let mut m = r.map(node, "an app identifier", APP_KEYS)?;
    let span = m.span;
    let name = m.optional("name").and_then(|n| r.text(n));
    let publisher = m.optional("publisher").and_then(|n| r.text(n));
    let bundle_id = m.optional("bundle_id").and_then(|n| r.text(n));
    let extension_id = m.optional("extension_id").and_then(|n| r.text(n));
    let platform = m.optional("platform").and_then(|n| r.text(n));
    let versions = m.optional("versions").and_then(|n| r.text(n));
    let confidence = read_confidence(r, &mut m);
    m.finish(r);
    let mut ok = confidence.is_some();
    let versions = match versions {
        Some(v) => {
            let range = validate::app_version_range(r, &v);
            ok &= range.is_some();
            range
        }
        None => None,
    };
    for glob in [&name, &publisher].into_iter().flatten() {
        ok &= validate::glob(r, glob);
    }
    if let Some(p) = &platform {
        ok &= validate::platform(r, p);
    }
    if name.is_none() && publisher.is_none() && bundle_id.is_none() && extension_id.is_none() {
        r.report(
            Code::EmptyIdentifiers,
            span,
            "an app identifier needs a name, a publisher, a bundle_id or an extension_id",
            "matches nothing",
            "add `name:`, `publisher:`, `bundle_id:` or `extension_id:`",
        );
        ok = false;
    }
    ok.then(|| AppRule {
        name: name.map(|v| v.value),
        publisher: publisher.map(|v| v.value),
        bundle_id: bundle_id.map(|v| v.value),
        extension_id: extension_id.map(|v| v.value),
        platform: platform.map(|v| v.value),
        versions,
        confidence: confidence.unwrap_or(Confidence::Confirmed),
        place: place(r, span),
    })
}

/// A plain host, or `{host: ..., confidence: ...}` when the host needs a
/// confidence of its own: the short form stays the common one.
fn read_endpoint_rule(r: &mut Reader<'_>, node: &Node) -> Option<EndpointRule> {
    let (text, confidence) = if matches!(node.value, Value::Map(_)) {
        let mut m = r.map(node, "an endpoint identifier", ENDPOINT_KEYS)?;
        let text = req_text(r, &mut m, "host");
        let confidence = read_confidence(r, &mut m);
        m.finish(r);
        (text?, confidence?)
    } else {
        (r.text(node)?, Confidence::Confirmed)
    };
    let host = validate::host_rule(r, &text)?;
    Some(EndpointRule {
        host,
        confidence,
        place: place(r, text.span),
        text: text.value,
    })
}

fn read_file_rule(r: &mut Reader<'_>, node: &Node) -> Option<FileRule> {
    let mut m = r.map(node, "a file identifier", FILE_RULE_KEYS)?;
    let sha = req_text(r, &mut m, "sha256");
    let name = opt_text(r, &mut m, "name");
    let confidence = read_confidence(r, &mut m);
    m.finish(r);
    let sha = sha?;
    Some(FileRule {
        sha256: validate::sha256(r, &sha)?,
        name,
        confidence: confidence?,
        place: place(r, sha.span),
    })
}
