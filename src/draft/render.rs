//! Drafts written out: YAML policy documents with the evidence of every
//! value as a comment beside it, the form an author fills in and lints;
//! or JSON for tooling, the evidence under `evidence`. Both are built in
//! a fixed order from the drafts alone, so the same brief gives the same
//! bytes.

use serde_json::{Map, Value, json};

use super::fields::Evidence;
use super::{ArticleDrafts, Draft, Drafted, Field, NewProduct};
use crate::policy::diff::show_value;
use crate::policy::validate::PLACEHOLDER;

/// One YAML document (without `---`) for `draft`, which came from article
/// `number` of the brief called `name`.
pub fn yaml(name: &str, number: usize, article: &ArticleDrafts, draft: &Draft) -> String {
    let mut out = String::new();
    let title = article
        .title
        .as_deref()
        .map_or(String::new(), |t| format!(" \"{}\"", one_line(t)));
    out.push_str(&format!(
        "# Drafted by `banscan policy draft` from {name}, article {number}{title} (lines {}-{}).\n",
        article.lines.0, article.lines.1
    ));
    out.push_str(&format!(
        "# Ban statement, brief line {}: \"{}\"\n",
        draft.statement.line,
        one_line(&draft.statement.text)
    ));
    if !draft.known_as.is_empty() {
        out.push_str(&format!(
            "# Known in the library as: {}\n",
            draft.known_as.join(", ")
        ));
        if draft.differences.is_empty() {
            out.push_str("# The draft and the library agree on every value the brief gives.\n");
        } else {
            out.push_str(&format!(
                "# The draft differs from {} in:\n",
                draft.known_as[0]
            ));
            for c in &draft.differences {
                out.push_str(&format!(
                    "#   {}: {} (library) -> {} (brief)\n",
                    c.field,
                    one_line(&show_value(&c.old)),
                    one_line(&show_value(&c.new))
                ));
            }
        }
    }
    out.push_str(
        "# Replace every FILL IN placeholder (quotes and all) with the fact from the ban's\n# own text, check each value against its evidence, then `banscan policy lint FILE`.\n",
    );
    scalar(&mut out, "", "policy", &draft.id);
    scalar(&mut out, "", "title", &draft.title);
    scalar(&mut out, "", "authority", &draft.authority);
    scalar(&mut out, "", "jurisdiction", &draft.jurisdiction);
    scalar(&mut out, "", "issued", &draft.issued);
    scalar(&mut out, "", "effective", &draft.effective);
    scalar(&mut out, "", "legal_basis", &draft.legal_basis);
    if let Some(i) = &draft.instrument {
        scalar(&mut out, "", "instrument", i);
    }
    out.push_str("sources:\n");
    for s in &draft.sources {
        scalar(&mut out, "  - ", "title", &s.title);
        scalar(&mut out, "    ", "publisher", &s.publisher);
        scalar(&mut out, "    ", "url", &s.url);
    }
    out.push_str("binds:\n  sectors:\n");
    for s in &draft.sectors {
        item(&mut out, "    - ", s);
    }
    scalar(&mut out, "", "severity", &draft.severity);
    if let Some(r) = &draft.rationale {
        scalar(&mut out, "", "rationale", r);
    }
    out.push_str("bans:\n");
    for b in &draft.bans {
        scalar(&mut out, "  - ", "product", b);
    }
    out.push_str("examples:\n  violating:\n");
    scalar(&mut out, "    - ", "endpoint", &draft.violating);
    out.push_str("  compliant:\n");
    scalar(&mut out, "    - ", "endpoint", &draft.compliant);
    for p in &draft.new_products {
        out.push_str("---\n");
        product_yaml(&mut out, p);
    }
    out
}

/// A product the library does not know, as a product document whose
/// identifiers the author fills in: without them no scan can find it.
fn product_yaml(out: &mut String, p: &NewProduct) {
    out.push_str(
        "# A product the brief bans that the library does not know. Fill in how a scan\n# finds it (apps, packages, endpoints or files), from the vendor's own listings.\n",
    );
    let f = product_fields(p);
    scalar(out, "", "product", &f.id);
    scalar(out, "", "name", &p.name);
    scalar(out, "", "vendor", &f.vendor);
    out.push_str("identifiers:\n  endpoints:\n");
    scalar(out, "    - ", "host", &f.host);
    out.push_str("sources:\n");
    scalar(out, "  - ", "title", &f.source_title);
    scalar(out, "    ", "publisher", &f.source_publisher);
    scalar(out, "    ", "url", &f.source_url);
}

/// The fields of a product skeleton besides its name, shared by YAML and
/// JSON so both say the same.
struct ProductFields {
    id: Field,
    vendor: Field,
    host: Field,
    source_title: Field,
    source_publisher: Field,
    source_url: Field,
}

fn product_fields(p: &NewProduct) -> ProductFields {
    let name = p.name.value().unwrap_or(&p.id);
    ProductFields {
        id: Field::Made {
            value: p.id.clone(),
            from: "its name in the brief".into(),
        },
        vendor: Field::Missing(format!("who publishes {name}")),
        host: Field::Missing(format!(
            "a host of {name}, such as its domain; or its apps, packages or files instead"
        )),
        source_title: Field::Missing(format!("the title of a source that identifies {name}")),
        source_publisher: Field::Missing("who published it".into()),
        source_url: Field::Missing("its address, starting with https://".into()),
    }
}

/// Every draft of the brief as YAML documents, one stream.
pub fn yaml_stream(name: &str, drafted: &Drafted) -> String {
    let mut docs = Vec::new();
    for (i, a) in drafted.articles.iter().enumerate() {
        for d in &a.drafts {
            docs.push(yaml(name, i + 1, a, d));
        }
    }
    docs.join("---\n")
}

fn scalar(out: &mut String, indent: &str, key: &str, field: &Field) {
    out.push_str(&format!("{indent}{key}: {}", quote(field)));
    comment(out, field);
}

fn item(out: &mut String, indent: &str, field: &Field) {
    out.push_str(&format!("{indent}{}", quote(field)));
    comment(out, field);
}

fn comment(out: &mut String, field: &Field) {
    match field {
        Field::Read { evidence, .. } => out.push_str(&format!(
            "    # brief line {}: \"{}\"",
            evidence.line,
            one_line(&evidence.text)
        )),
        Field::Made { from, .. } => out.push_str(&format!("    # made from {from}")),
        Field::Missing(_) => {}
    }
    out.push('\n');
}

/// A YAML double-quoted scalar (JSON's string syntax is YAML's).
fn quote(field: &Field) -> String {
    let text = match field {
        Field::Read { value, .. } | Field::Made { value, .. } => value.clone(),
        Field::Missing(what) => format!("{PLACEHOLDER}: {what}>"),
    };
    serde_json::to_string(&text).unwrap_or_default()
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// The JSON of `--format json`: articles with their line ranges and
/// drafts, each draft's policy document, evidence, links and differences.
pub fn json(drafted: &Drafted) -> Value {
    let articles: Vec<Value> = drafted
        .articles
        .iter()
        .map(|a| {
            json!({
                "title": a.title,
                "lines": [a.lines.0, a.lines.1],
                "drafts": a.drafts.iter().map(draft_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "articles": articles })
}

fn draft_json(d: &Draft) -> Value {
    let mut evidence = Map::new();
    let mut note = |key: String, f: &Field| {
        if let Field::Read { evidence: e, .. } = f {
            evidence.insert(key, evidence_json(e));
        }
    };
    note("title".into(), &d.title);
    note("authority".into(), &d.authority);
    note("jurisdiction".into(), &d.jurisdiction);
    note("issued".into(), &d.issued);
    note("effective".into(), &d.effective);
    note("legal_basis".into(), &d.legal_basis);
    if let Some(i) = &d.instrument {
        note("instrument".into(), i);
    }
    for (i, s) in d.sources.iter().enumerate() {
        note(format!("sources[{i}].publisher"), &s.publisher);
    }
    for (i, s) in d.sectors.iter().enumerate() {
        note(format!("binds.sectors[{i}]"), s);
    }
    note("severity".into(), &d.severity);
    if let Some(r) = &d.rationale {
        note("rationale".into(), r);
    }
    for (i, b) in d.bans.iter().enumerate() {
        note(format!("bans[{i}].product"), b);
    }
    let v = |f: &Field| match f {
        Field::Read { value, .. } | Field::Made { value, .. } => json!(value),
        Field::Missing(what) => json!(format!("{PLACEHOLDER}: {what}>")),
    };
    let mut policy = Map::new();
    policy.insert("policy".into(), v(&d.id));
    policy.insert("title".into(), v(&d.title));
    policy.insert("authority".into(), v(&d.authority));
    policy.insert("jurisdiction".into(), v(&d.jurisdiction));
    policy.insert("issued".into(), v(&d.issued));
    policy.insert("effective".into(), v(&d.effective));
    policy.insert("legal_basis".into(), v(&d.legal_basis));
    if let Some(i) = &d.instrument {
        policy.insert("instrument".into(), v(i));
    }
    policy.insert(
        "sources".into(),
        json!(
            d.sources
                .iter()
                .map(|s| json!({"title": v(&s.title), "publisher": v(&s.publisher), "url": v(&s.url)}))
                .collect::<Vec<_>>()
        ),
    );
    policy.insert(
        "binds".into(),
        json!({"sectors": d.sectors.iter().map(v).collect::<Vec<_>>()}),
    );
    policy.insert("severity".into(), v(&d.severity));
    if let Some(r) = &d.rationale {
        policy.insert("rationale".into(), v(r));
    }
    policy.insert(
        "bans".into(),
        json!(
            d.bans
                .iter()
                .map(|b| json!({"product": v(b)}))
                .collect::<Vec<_>>()
        ),
    );
    policy.insert(
        "examples".into(),
        json!({
            "violating": [{"endpoint": v(&d.violating)}],
            "compliant": [{"endpoint": v(&d.compliant)}],
        }),
    );
    let products: Vec<Value> = d
        .new_products
        .iter()
        .enumerate()
        .map(|(i, p)| {
            note(format!("products[{i}].name"), &p.name);
            let f = product_fields(p);
            json!({
                "product": v(&f.id),
                "name": v(&p.name),
                "vendor": v(&f.vendor),
                "identifiers": {"endpoints": [{"host": v(&f.host)}]},
                "sources": [{
                    "title": v(&f.source_title),
                    "publisher": v(&f.source_publisher),
                    "url": v(&f.source_url),
                }],
            })
        })
        .collect();
    json!({
        "policy": policy,
        "products": products,
        "evidence": evidence,
        "statement": evidence_json(&d.statement),
        "known_as": d.known_as,
        "differences": d.differences,
    })
}

fn evidence_json(e: &Evidence) -> Value {
    json!({"line": e.line, "text": e.text})
}
