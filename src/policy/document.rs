//! Documents: a YAML tree read into products, policies and profiles.
//!
//! Every problem in a document is collected, not just the first: a policy
//! author fixing a file wants the whole list in one run. The key lists here
//! are also what `policy schema` describes, so the two cannot drift.

use std::path::Path;
use std::sync::Arc;

use crate::diag::{Code, Problem, SourceFile};
use crate::ident::{self, Domain, Host, PackageRef, Sha256};
use crate::input::{App, Endpoint, FileItem, ItemKind, Package};
use crate::yaml::{self, At, MapReader, Node, Reader};

use super::vocab::{self, Confidence, Severity};
use super::{
    AppRule, Ban, EndpointRule, Example, FailOn, FileRule, HostRule, IdentifierKind, Identifiers,
    PackageRule, Place, Policy, PolicySetRef, Product, Profile, Source, VersionRange, Waiver,
};

pub const PRODUCT_KEYS: &[&str] = &[
    "product",
    "name",
    "vendor",
    "aliases",
    "description",
    "identifiers",
    "sources",
];
pub const IDENTIFIER_KEYS: &[&str] = &["packages", "apps", "endpoints", "files"];
pub const PACKAGE_KEYS: &[&str] = &["purl", "versions", "note"];
pub const APP_KEYS: &[&str] = &["name", "publisher", "bundle_id", "platform"];
pub const FILE_KEYS: &[&str] = &["sha256", "name"];
pub const SOURCE_KEYS: &[&str] = &["title", "publisher", "url", "date"];
pub const POLICY_KEYS: &[&str] = &[
    "policy",
    "title",
    "authority",
    "jurisdiction",
    "issued",
    "effective",
    "expires",
    "legal_basis",
    "instrument",
    "sources",
    "binds",
    "severity",
    "confidence",
    "rationale",
    "remediation",
    "exceptions",
    "notes",
    "bans",
    "examples",
];
pub const BINDS_KEYS: &[&str] = &["sectors", "organizations", "scope"];
pub const BAN_KEYS: &[&str] = &["product", "only", "identifiers"];
pub const EXAMPLES_KEYS: &[&str] = &["violating", "compliant"];
pub const EXAMPLE_KEYS: &[&str] = &["package", "app", "endpoint", "file"];
pub const EXAMPLE_APP_KEYS: &[&str] = &["name", "publisher", "version", "bundle_id", "platform"];
pub const PROFILE_KEYS: &[&str] = &[
    "organization",
    "jurisdiction",
    "sectors",
    "policies",
    "fail_on",
    "waivers",
];
pub const WAIVER_KEYS: &[&str] = &[
    "policy",
    "product",
    "item",
    "device",
    "reason",
    "approved_by",
    "expires",
];

/// One document of a policy file.
#[derive(Debug)]
pub enum Document {
    Product(Product),
    Policy(Policy),
    Profile(Profile),
}

/// Reads every document of `file`, pushing a problem for each thing wrong.
pub fn read_documents(file: &Arc<SourceFile>, problems: &mut Vec<Problem>) -> Vec<Document> {
    let nodes = match yaml::parse_documents(file) {
        Ok(nodes) => nodes,
        Err(p) => {
            problems.push(p);
            return Vec::new();
        }
    };
    let mut r = Reader { file, problems };
    let mut docs = Vec::new();
    for node in &nodes {
        if matches!(node.value, yaml::Value::Null) {
            continue;
        }
        match MapReader::first_key(node) {
            Some("product") => docs.extend(read_product(&mut r, node).map(Document::Product)),
            Some("policy") => docs.extend(read_policy(&mut r, node).map(Document::Policy)),
            Some(k) if PROFILE_KEYS.contains(&k) => {
                docs.extend(read_profile_doc(&mut r, node).map(Document::Profile));
            }
            other => {
                let found = other.map_or_else(|| "no key".to_string(), |k| format!("`{k}`"));
                r.report(
                    Code::UnknownDocument,
                    node.span,
                    format!("cannot tell what this document is: its first key is {found}"),
                    "unknown document",
                    "a document starts with `product:`, `policy:`, or is a profile starting with `organization:`",
                );
            }
        }
    }
    docs
}

fn place(r: &Reader<'_>, span: miette::SourceSpan) -> Place {
    Place {
        file: Arc::clone(r.file),
        span,
    }
}

fn opt_text(r: &mut Reader<'_>, m: &mut MapReader<'_>, key: &str) -> Option<String> {
    m.optional(key)
        .and_then(|n| r.text(n))
        .map(|s| s.value.trim().to_string())
}

fn req_text(r: &mut Reader<'_>, m: &mut MapReader<'_>, key: &str) -> Option<At<String>> {
    m.required(r, key).and_then(|n| r.text(n))
}

fn text_list(r: &mut Reader<'_>, node: Option<&Node>) -> Vec<At<String>> {
    let Some(node) = node else { return Vec::new() };
    let items = r.seq(node);
    items.iter().filter_map(|n| r.text(n)).collect()
}

/// Ids are lower-case words joined by `-`, so they can be typed, used in
/// file names and compared without normalising.
fn check_id(r: &mut Reader<'_>, id: &At<String>) -> bool {
    let s = &id.value;
    let ok = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-');
    if !ok {
        r.report(
            Code::BadId,
            id.span,
            format!("`{s}` is not a valid id"),
            "bad id",
            "use lower-case letters, digits and single hyphens, e.g. tw-moda-2025-deepseek",
        );
    }
    ok
}

fn read_product(r: &mut Reader<'_>, node: &Node) -> Option<Product> {
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
    let id = id.filter(|id| check_id(r, id))?;
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

fn read_identifiers(r: &mut Reader<'_>, node: &Node) -> Identifiers {
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

fn read_package_rule(r: &mut Reader<'_>, node: &Node) -> Option<PackageRule> {
    let mut m = r.map(node, "a package identifier", PACKAGE_KEYS)?;
    let purl = req_text(r, &mut m, "purl");
    let versions = m.optional("versions").and_then(|n| r.text(n));
    let note = opt_text(r, &mut m, "note");
    m.finish(r);
    let purl = purl?;
    let (text, prefix) = match purl.value.strip_suffix('*') {
        Some(stem) => (format!("{stem}x"), true),
        None => (purl.value.clone(), false),
    };
    let parsed = match PackageRef::parse_purl(&text) {
        Ok(p) if !(prefix && p.version.is_some()) => p,
        Ok(_) => {
            r.report(
                Code::BadPurl,
                purl.span,
                "a name ending in `*` cannot have a version",
                "bad purl",
                "use `versions:` for a range",
            );
            return None;
        }
        Err(e) => {
            r.report(
                Code::BadPurl,
                purl.span,
                format!("`{}` is not a valid package URL: {e}", purl.value),
                "bad purl",
                "write a purl such as pkg:pypi/langchain-deepseek or pkg:npm/%40ai-sdk/deepseek",
            );
            return None;
        }
    };
    if parsed.version.is_some() {
        r.report(
            Code::BadPurl,
            purl.span,
            "a package identifier names a package, not one version",
            "version in purl",
            "remove `@version` and put the range in `versions:`",
        );
        return None;
    }
    let key = if prefix {
        parsed.key[..parsed.key.len() - 1].to_string()
    } else {
        parsed.key
    };
    let versions = match versions {
        Some(v) => match VersionRange::parse(parsed.ecosystem, &v.value) {
            Ok(range) => Some(range),
            Err(e) => {
                r.report(
                    Code::BadVersionRange,
                    v.span,
                    format!("`{}`: {}", v.value, e.lines().next().unwrap_or_default().trim_end_matches(':')),
                    "bad version range",
                    "write the range in the ecosystem's syntax, e.g. >=0.1.0 (npm, cargo) or >=0.1,<0.3 (PyPI)",
                );
                return None;
            }
        },
        None => None,
    };
    Some(PackageRule {
        purl: purl.value,
        ecosystem: parsed.ecosystem,
        key,
        prefix,
        versions,
        note,
        place: place(r, purl.span),
    })
}

fn check_jurisdiction(r: &mut Reader<'_>, value: &At<String>) {
    if let Err(e) = vocab::check_jurisdiction(&value.value) {
        r.report(
            Code::BadJurisdiction,
            value.span,
            e,
            "bad jurisdiction",
            "use an ISO code such as TW or US-TX, or EU, GLOBAL",
        );
    }
}

fn check_glob(r: &mut Reader<'_>, value: &At<String>) -> bool {
    match globset::GlobBuilder::new(&value.value)
        .case_insensitive(true)
        .build()
    {
        Ok(_) => true,
        Err(e) => {
            r.report(
                Code::BadGlob,
                value.span,
                format!("`{}` is not a valid pattern: {}", value.value, e.kind()),
                "bad pattern",
                "use `*` for any text and `?` for one character; escape `[`, `{` as `[[]`, `[{]`",
            );
            false
        }
    }
}

fn check_platform(r: &mut Reader<'_>, value: &At<String>) -> bool {
    let ok = vocab::PLATFORMS.contains(&value.value.as_str());
    if !ok {
        r.report(
            Code::BadPlatform,
            value.span,
            format!("unknown platform `{}`", value.value),
            "unknown platform",
            format!("use one of: {}", vocab::PLATFORMS.join(", ")),
        );
    }
    ok
}

fn read_app_rule(r: &mut Reader<'_>, node: &Node) -> Option<AppRule> {
    let mut m = r.map(node, "an app identifier", APP_KEYS)?;
    let span = m.span;
    let name = m.optional("name").and_then(|n| r.text(n));
    let publisher = m.optional("publisher").and_then(|n| r.text(n));
    let bundle_id = m.optional("bundle_id").and_then(|n| r.text(n));
    let platform = m.optional("platform").and_then(|n| r.text(n));
    m.finish(r);
    let mut ok = true;
    for glob in [&name, &publisher].into_iter().flatten() {
        ok &= check_glob(r, glob);
    }
    if let Some(p) = &platform {
        ok &= check_platform(r, p);
    }
    if name.is_none() && publisher.is_none() && bundle_id.is_none() {
        r.report(
            Code::EmptyIdentifiers,
            span,
            "an app identifier needs a name, a publisher or a bundle_id",
            "matches nothing",
            "add `name:`, `publisher:` or `bundle_id:`",
        );
        ok = false;
    }
    ok.then(|| AppRule {
        name: name.map(|v| v.value),
        publisher: publisher.map(|v| v.value),
        bundle_id: bundle_id.map(|v| v.value),
        platform: platform.map(|v| v.value),
        place: place(r, span),
    })
}

/// Reads an endpoint rule: a domain (with itself and its subdomains), a
/// `*.domain` (subdomains only), an IP address or a CIDR block.
pub fn parse_host_rule(text: &str) -> Result<HostRule, String> {
    if let Some(rest) = text.strip_prefix("*.") {
        return Domain::parse(rest).map(|domain| HostRule::Domain {
            domain,
            subdomains_only: true,
        });
    }
    if text.contains("://") {
        return Err(format!("`{text}` is a URL; write only its host"));
    }
    match ident::parse_endpoint(text)? {
        Host::Domain(domain) => Ok(HostRule::Domain {
            domain,
            subdomains_only: false,
        }),
        Host::Ip(ip) => Ok(HostRule::Ip(ip)),
        Host::Net(net) => Ok(HostRule::Net(net)),
    }
}

fn read_endpoint_rule(r: &mut Reader<'_>, node: &Node) -> Option<EndpointRule> {
    let text = r.text(node)?;
    match parse_host_rule(text.value.trim()) {
        Ok(host) => Some(EndpointRule {
            host,
            place: place(r, text.span),
            text: text.value,
        }),
        Err(e) => {
            r.report(
                Code::BadEndpoint,
                text.span,
                e,
                "bad endpoint",
                "write a domain (deepseek.com), *.domain, an IP address or a CIDR block (203.0.113.0/24)",
            );
            None
        }
    }
}

fn read_sha(r: &mut Reader<'_>, value: &At<String>) -> Option<Sha256> {
    match Sha256::parse(&value.value) {
        Ok(s) => Some(s),
        Err(e) => {
            r.report(
                Code::BadSha256,
                value.span,
                e,
                "bad digest",
                "write the 64 hex characters that `sha256sum` prints",
            );
            None
        }
    }
}

fn read_file_rule(r: &mut Reader<'_>, node: &Node) -> Option<FileRule> {
    let mut m = r.map(node, "a file identifier", FILE_KEYS)?;
    let sha = req_text(r, &mut m, "sha256");
    let name = opt_text(r, &mut m, "name");
    m.finish(r);
    let sha = sha?;
    Some(FileRule {
        sha256: read_sha(r, &sha)?,
        name,
        place: place(r, sha.span),
    })
}

fn read_sources(r: &mut Reader<'_>, node: &Node) -> Vec<Source> {
    let items = r.seq(node);
    items
        .iter()
        .filter_map(|n| {
            let mut m = r.map(n, "a source", SOURCE_KEYS)?;
            let title = req_text(r, &mut m, "title");
            let publisher = req_text(r, &mut m, "publisher");
            let url = m.optional("url").and_then(|n| r.text(n));
            let date = m.optional("date").and_then(|n| r.date(n));
            m.finish(r);
            if let Some(u) = &url
                && !(u.value.starts_with("https://") || u.value.starts_with("http://"))
            {
                r.report(
                    Code::BadValue,
                    u.span,
                    format!("`{}` is not a web address", u.value),
                    "not a URL",
                    "write the full address, starting with https://",
                );
            }
            Some(Source {
                title: title?.value,
                publisher: publisher?.value,
                url: url.map(|u| u.value),
                date: date.map(|d| d.value),
            })
        })
        .collect()
}

fn read_policy(r: &mut Reader<'_>, node: &Node) -> Option<Policy> {
    let mut m = r.map(node, "a policy", POLICY_KEYS)?;
    let id = req_text(r, &mut m, "policy");
    let title = req_text(r, &mut m, "title");
    let authority = req_text(r, &mut m, "authority");
    let jurisdiction = req_text(r, &mut m, "jurisdiction");
    let issued = m.required(r, "issued").and_then(|n| r.date(n));
    let effective = m.required(r, "effective").and_then(|n| r.date(n));
    let expires = m.optional("expires").and_then(|n| r.date(n));
    let legal_basis = req_text(r, &mut m, "legal_basis");
    let instrument = opt_text(r, &mut m, "instrument");
    let sources_node = m.get("sources");
    let sources = sources_node.map(|n| read_sources(r, n)).unwrap_or_default();
    let binds = m.required(r, "binds").and_then(|n| read_binds(r, n));
    let severity = m.required(r, "severity").and_then(|n| r.text(n));
    let confidence = m.optional("confidence").and_then(|n| r.text(n));
    let rationale = opt_text(r, &mut m, "rationale");
    let remediation = opt_text(r, &mut m, "remediation");
    let exceptions = opt_text(r, &mut m, "exceptions");
    let notes = opt_text(r, &mut m, "notes");
    let bans = m
        .required(r, "bans")
        .map(|n| read_bans(r, n))
        .unwrap_or_default();
    let examples = m
        .optional("examples")
        .map(|n| read_examples(r, n))
        .unwrap_or_default();
    let span = m.span;
    m.finish(r);

    if sources.is_empty() {
        r.report(
            Code::NoSources,
            sources_node.map_or(span, |n| n.span),
            "a policy must cite at least one source",
            "no sources",
            "add `sources:` with the title, publisher and url of the announcement or legal text",
        );
    }
    if let Some(j) = &jurisdiction {
        check_jurisdiction(r, j);
    }
    if let (Some(i), Some(e)) = (&issued, &effective)
        && e.value < i.value
    {
        r.report(
            Code::DateOrder,
            e.span,
            format!("`effective` ({}) is before `issued` ({})", e.value, i.value),
            "before issued",
            "a policy takes effect on or after the day it is issued",
        );
    }
    if let (Some(e), Some(x)) = (&effective, &expires)
        && x.value < e.value
    {
        r.report(
            Code::DateOrder,
            x.span,
            format!(
                "`expires` ({}) is before `effective` ({})",
                x.value, e.value
            ),
            "before effective",
            "`expires` is the last day the policy applies",
        );
    }
    let severity = severity.and_then(|s| match Severity::parse(&s.value) {
        Some(v) => Some(At {
            value: v,
            span: s.span,
        }),
        None => {
            let help = match crate::diag::did_you_mean(&s.value, ["ban", "restrict", "advisory"]) {
                Some(m) => format!("did you mean `{m}`?"),
                None => "use ban, restrict or advisory".into(),
            };
            r.report(
                Code::BadSeverity,
                s.span,
                format!("unknown severity `{}`", s.value),
                "unknown severity",
                help,
            );
            None
        }
    });
    let confidence = match confidence {
        None => Some(Confidence::Confirmed),
        Some(c) => match Confidence::parse(&c.value) {
            Some(v) => {
                if v == Confidence::Unconfirmed
                    && let Some(s) = &severity
                    && s.value != Severity::Advisory
                {
                    r.report(
                        Code::UnconfirmedSeverity,
                        s.span,
                        "an unconfirmed policy can only be an advisory",
                        "must be advisory",
                        "confirm the facts in a source, or set `severity: advisory`",
                    );
                }
                Some(v)
            }
            None => {
                r.report(
                    Code::BadValue,
                    c.span,
                    format!("unknown confidence `{}`", c.value),
                    "unknown",
                    "use confirmed or unconfirmed",
                );
                None
            }
        },
    };
    for (violating, what) in [(true, "violating"), (false, "compliant")] {
        if !examples.iter().any(|e| e.violating == violating) {
            r.report(
                Code::NoExamples,
                span,
                format!("a policy needs at least one {what} example"),
                &format!("no {what} examples"),
                "add `examples: { violating: [...], compliant: [...] }` (compliant ones are near misses) so `banscan policy test` can check it",
            );
        }
    }
    let id = id.filter(|i| check_id(r, i))?;
    let binds = binds?;
    Some(Policy {
        place: place(r, id.span),
        id: id.value,
        title: title?.value,
        authority: authority?.value,
        jurisdiction: jurisdiction?.value,
        issued: issued?.value,
        effective: effective?.value,
        expires: expires.map(|e| e.value),
        legal_basis: legal_basis?.value,
        instrument,
        sources,
        sectors: binds.sectors,
        organizations: binds.organizations,
        scope: binds.scope,
        severity: severity?.value,
        confidence: confidence?,
        rationale,
        remediation,
        exceptions,
        notes,
        bans,
        examples,
    })
}

fn read_sector_list(r: &mut Reader<'_>, node: &Node) -> Option<Vec<String>> {
    let before = r.problems.len();
    let sectors = text_list(r, Some(node));
    let mut ok = r.problems.len() == before;
    for s in &sectors {
        if !vocab::is_sector(&s.value) {
            ok = false;
            let names = vocab::SECTORS
                .iter()
                .map(|(n, _)| *n)
                .chain([vocab::ALL_SECTORS]);
            let help = match crate::diag::did_you_mean(&s.value, names) {
                Some(m) => format!("did you mean `{m}`?"),
                None => "see `Sectors` in the README for the vocabulary".into(),
            };
            r.report(
                Code::BadSector,
                s.span,
                format!("unknown sector `{}`", s.value),
                "unknown sector",
                help,
            );
        }
    }
    ok.then(|| sectors.into_iter().map(|s| s.value).collect())
}

/// What `binds:` says: sectors, the named organisations (when the policy
/// binds only some, such as one agency's memo), and the scope in words.
struct Binds {
    sectors: Vec<String>,
    organizations: Vec<String>,
    scope: Option<String>,
}

fn read_binds(r: &mut Reader<'_>, node: &Node) -> Option<Binds> {
    let mut m = r.map(node, "binds", BINDS_KEYS)?;
    let sectors_node = m.required(r, "sectors");
    let sectors = sectors_node.and_then(|n| read_sector_list(r, n));
    let organizations = text_list(r, m.optional("organizations"))
        .into_iter()
        .map(|o| o.value.trim().to_string())
        .collect();
    let scope = opt_text(r, &mut m, "scope");
    let span = m.span;
    m.finish(r);
    let sectors = sectors?;
    if sectors.is_empty() {
        r.report(
            Code::BadSector,
            span,
            "`binds.sectors` is empty, so the policy binds nobody",
            "no sectors",
            "list the sectors bound, or `all`",
        );
        return None;
    }
    Some(Binds {
        sectors,
        organizations,
        scope,
    })
}

fn read_bans(r: &mut Reader<'_>, node: &Node) -> Vec<Ban> {
    let items = r.seq(node);
    if items.is_empty() {
        r.report(
            Code::EmptyIdentifiers,
            node.span,
            "`bans` is empty, so the policy bans nothing",
            "empty",
            "list `- product: <id>` entries",
        );
    }
    items
        .iter()
        .filter_map(|n| {
            let mut m = r.map(n, "a ban entry", BAN_KEYS)?;
            let product = m.optional("product").and_then(|n| r.text(n));
            let only = m.optional("only").map(|n| read_only(r, n));
            let inline = m.optional("identifiers").map(|n| read_identifiers(r, n));
            let span = m.span;
            m.finish(r);
            if only.is_some() && product.is_none() {
                r.report(
                    Code::BadValue,
                    span,
                    "`only` narrows a product ban and needs `product:`",
                    "no product",
                    "add `product: <id>` or remove `only`",
                );
                return None;
            }
            match (product, inline) {
                (Some(p), None) => Some(Ban::Product {
                    place: place(r, p.span),
                    id: p.value,
                    only: only.flatten(),
                }),
                (None, Some(ids)) if !ids.is_empty() => Some(Ban::Inline(ids)),
                _ => {
                    r.report(
                        Code::EmptyIdentifiers,
                        span,
                        "a ban entry needs either `product:` or non-empty `identifiers:`",
                        "bans nothing",
                        "write `- product: deepseek` or `- identifiers: { endpoints: [...] }`",
                    );
                    None
                }
            }
        })
        .collect()
}

fn read_only(r: &mut Reader<'_>, node: &Node) -> Option<Vec<IdentifierKind>> {
    let kinds = text_list(r, Some(node));
    let mut out = Vec::new();
    for k in kinds {
        match IdentifierKind::parse(&k.value) {
            Some(kind) => out.push(kind),
            None => {
                r.report(
                    Code::BadValue,
                    k.span,
                    format!("unknown identifier kind `{}`", k.value),
                    "unknown kind",
                    "use packages, apps, endpoints or files",
                );
                return None;
            }
        }
    }
    if out.is_empty() {
        r.report(
            Code::EmptyIdentifiers,
            node.span,
            "`only` is empty, so the ban bans nothing",
            "empty",
            "list packages, apps, endpoints or files",
        );
        return None;
    }
    Some(out)
}

fn read_examples(r: &mut Reader<'_>, node: &Node) -> Vec<Example> {
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
                ecosystem: p.ecosystem,
                name: p.key.clone(),
                key: p.key,
                version: p.version,
                requirement: None,
                path: Vec::new(),
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
            platform: field(r, "platform"),
            device: None,
        };
        a.finish(r);
        ItemKind::App(item)
    } else if let Some(n) = endpoint {
        let t = r.text(n)?;
        match ident::parse_endpoint(&t.value) {
            Ok(host) => ItemKind::Endpoint(Endpoint { host, url: None }),
            Err(e) => {
                r.report(
                    Code::BadEndpoint,
                    t.span,
                    e,
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
            sha256: read_sha(r, &sha?)?,
            name,
        })
    };
    Some(Example {
        violating,
        text: crate::report::ItemInfo::new(&item).describe(),
        item,
        place: place(r, span),
    })
}

fn read_profile_doc(r: &mut Reader<'_>, node: &Node) -> Option<Profile> {
    let mut m = r.map(node, "a profile", PROFILE_KEYS)?;
    let organization = opt_text(r, &mut m, "organization");
    let jurisdiction = m.optional("jurisdiction").and_then(|n| r.text(n));
    let sectors = m.optional("sectors").and_then(|n| read_sector_list(r, n));
    let policies = text_list(r, m.optional("policies"));
    let fail_on = m.optional("fail_on").and_then(|n| r.text(n));
    let waivers = m.optional("waivers").map(|n| r.seq(n)).unwrap_or_default();
    let waivers: Vec<Waiver> = waivers.iter().filter_map(|w| read_waiver(r, w)).collect();
    m.finish(r);
    if let Some(j) = &jurisdiction {
        check_jurisdiction(r, j);
    }
    let fail_on = match fail_on {
        Some(f) => match FailOn::parse(&f.value) {
            Some(v) => Some(v),
            None => {
                r.report(
                    Code::BadValue,
                    f.span,
                    format!("unknown fail_on `{}`", f.value),
                    "unknown",
                    "use ban, restrict, advisory or never",
                );
                None
            }
        },
        None => None,
    };
    let base = Path::new(r.file.name())
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let policies = policies
        .into_iter()
        .map(|p| {
            if p.value == "builtin" {
                PolicySetRef::Builtin
            } else {
                PolicySetRef::Path(base.join(&p.value))
            }
        })
        .collect();
    Some(Profile {
        path: Some(r.file.name().to_string()),
        organization,
        jurisdiction: jurisdiction.map(|j| j.value),
        sectors: sectors.unwrap_or_default(),
        policies,
        fail_on,
        waivers,
    })
}

fn read_waiver(r: &mut Reader<'_>, node: &Node) -> Option<Waiver> {
    let mut m = r.map(node, "a waiver", WAIVER_KEYS)?;
    let span = m.span;
    let policy = req_text(r, &mut m, "policy");
    let product = opt_text(r, &mut m, "product");
    let item = m.optional("item").and_then(|n| r.text(n));
    let device = m.optional("device").and_then(|n| r.text(n));
    let reason = req_text(r, &mut m, "reason");
    let approved_by = req_text(r, &mut m, "approved_by");
    let expires = m.required(r, "expires").and_then(|n| r.date(n));
    m.finish(r);
    let mut ok = true;
    for glob in [&item, &device].into_iter().flatten() {
        ok &= check_glob(r, glob);
    }
    let waiver = Waiver {
        policy: policy?.value,
        product,
        item: item.map(|i| i.value),
        device: device.map(|d| d.value),
        reason: reason?.value,
        approved_by: approved_by?.value,
        expires: expires?.value,
        place: place(r, span),
    };
    ok.then_some(waiver)
}
