//! Policies: who issued a ban, whom it binds, from when, and what it bans.

use crate::diag::Code;
use crate::policy::{Ban, Confidence, IdentifierKind, Identifiers, Policy, validate};
use crate::yaml::{Node, Reader};

use super::examples::read_examples;
use super::keys::{BAN_KEYS, BINDS_KEYS, EXCEPT_KEYS, POLICY_KEYS};
use super::product::read_identifiers;
use super::timeline::{read_deadlines, read_status};
use super::{opt_text, place, read_sources, req_text, text_list};
use crate::policy::timeline::{Part, StatusEvent};

pub(super) fn read_policy(r: &mut Reader<'_>, node: &Node) -> Option<Policy> {
    let before = r.problems.len();
    let policy = read_policy_keys(r, node);
    validate::placeholders(r, node, before);
    policy
}

fn read_policy_keys(r: &mut Reader<'_>, node: &Node) -> Option<Policy> {
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
    let exemptions = m
        .optional("except")
        .map(|n| read_exemptions(r, n))
        .unwrap_or_default();
    let examples = m
        .optional("examples")
        .map(|n| read_examples(r, n))
        .unwrap_or_default();
    let deadlines = m
        .optional("deadlines")
        .map(|n| read_deadlines(r, n))
        .unwrap_or_default();
    let status = m
        .optional("status")
        .map(|n| read_status(r, n))
        .unwrap_or_default();
    let status_checked = m.optional("status_checked").and_then(|n| r.date(n));
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
        validate::jurisdiction(r, j);
    }
    validate::date_order(r, issued.as_ref(), effective.as_ref(), expires.as_ref());
    validate::timeline(r, issued.as_ref(), expires.as_ref(), &deadlines, &status);
    parts_banned(r, &bans, &status);
    let severity = severity.and_then(|s| validate::severity(r, s));
    let confidence = validate::confidence(r, confidence, severity.as_ref());
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
    let id = id.filter(|i| validate::id(r, i))?;
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
        exemptions,
        examples,
        deadlines,
        status,
        status_checked: status_checked.map(|d| d.value),
    })
}

/// A status event's `part:` names products this policy bans: an event on a
/// product it does not ban would touch nothing, silently.
fn parts_banned(r: &mut Reader<'_>, bans: &[Ban], status: &[StatusEvent]) {
    for e in status {
        for part in e.part.iter().flatten() {
            let Part::Product(id) = part else { continue };
            let banned = bans
                .iter()
                .any(|b| matches!(b, Ban::Product { id: p, .. } if p == id));
            if !banned {
                r.report(
                    Code::BadValue,
                    e.place.span,
                    format!("status event's `part` names `{id}`, which this policy does not ban"),
                    "unknown part",
                    "name a product under `bans:` or an identifier kind (packages, apps, endpoints, files)",
                );
            }
        }
    }
}

pub(super) fn read_sector_list(r: &mut Reader<'_>, node: &Node) -> Option<Vec<String>> {
    let before = r.problems.len();
    let sectors = text_list(r, Some(node));
    let read_ok = r.problems.len() == before;
    let ok = validate::sectors(r, &sectors) && read_ok;
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
            let before = r.problems.len();
            let inline = m.optional("identifiers").map(|n| read_identifiers(r, n));
            let inline_ok = r.problems.len() == before;
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
                // Its identifiers were reported already; an empty ban on
                // top would only repeat them.
                (None, Some(_)) if !inline_ok => None,
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

/// `except:` entries, checked as strictly as `bans:` ones: an exemption
/// that silently exempts nothing would leave a finding nobody expects.
fn read_exemptions(r: &mut Reader<'_>, node: &Node) -> Vec<Identifiers> {
    let items = r.seq(node);
    if items.is_empty() {
        r.report(
            Code::EmptyIdentifiers,
            node.span,
            "`except` is empty, so it exempts nothing",
            "empty",
            "list `- identifiers: { endpoints: [...] }` entries, or remove `except`",
        );
    }
    items
        .iter()
        .filter_map(|n| {
            let mut m = r.map(n, "an exemption", EXCEPT_KEYS)?;
            let before = r.problems.len();
            let ids = m.required(r, "identifiers").map(|n| read_identifiers(r, n));
            let read_ok = r.problems.len() == before;
            let span = m.span;
            m.finish(r);
            let ids = ids?;
            if ids.is_empty() {
                if read_ok {
                    r.report(
                        Code::EmptyIdentifiers,
                        span,
                        "an exemption needs non-empty `identifiers:`",
                        "exempts nothing",
                        "write `- identifiers: { endpoints: [...] }`",
                    );
                }
                return None;
            }
            for place in unconfirmed_places(&ids) {
                r.report(
                    Code::BadValue,
                    place.span,
                    "an exemption cannot be unconfirmed: an unchecked fact must not hide a finding",
                    "unconfirmed exemption",
                    "confirm the exemption in a source, or leave the identifier out of `except`",
                );
            }
            Some(ids)
        })
        .collect()
}

fn unconfirmed_places(ids: &Identifiers) -> Vec<&crate::policy::Place> {
    let unconfirmed = |c: Confidence| c == Confidence::Unconfirmed;
    ids.packages
        .iter()
        .filter(|i| unconfirmed(i.confidence))
        .map(|i| &i.place)
        .chain(
            ids.apps
                .iter()
                .filter(|i| unconfirmed(i.confidence))
                .map(|i| &i.place),
        )
        .chain(
            ids.endpoints
                .iter()
                .filter(|i| unconfirmed(i.confidence))
                .map(|i| &i.place),
        )
        .chain(
            ids.files
                .iter()
                .filter(|i| unconfirmed(i.confidence))
                .map(|i| &i.place),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::diag::{Code, SourceFile, line_column};
    use crate::policy::Confidence;
    use crate::policy::read::{Document, read_documents};

    const HEAD: &str = "policy: p\ntitle: t\nauthority: a\njurisdiction: TW\nissued: 2025-01-01\neffective: 2025-01-01\nlegal_basis: b\nsources: [{title: s, publisher: p}]\nbinds: {sectors: [all]}\nseverity: ban\nbans: [{identifiers: {endpoints: [demo.example]}}]\nexamples: {violating: [{endpoint: demo.example}], compliant: [{endpoint: x.example}]}\n";

    /// Every problem of a policy text, as (code, line).
    fn problems(text: &str) -> (Vec<Document>, Vec<(Code, usize)>) {
        let file = Arc::new(SourceFile::new("t.yaml", Arc::from(text)));
        let mut problems = Vec::new();
        let docs = read_documents(&file, &mut problems);
        let found = problems
            .iter()
            .map(|p| {
                let offset = p.labels.first().map_or(0, |l| l.offset());
                (p.code, line_column(text, offset).0)
            })
            .collect();
        (docs, found)
    }

    /// `except:` entries are checked like `bans:` entries, every problem in
    /// one pass: an unknown key, a bad host, an empty list, an entry with
    /// no identifiers, and an unconfirmed exemption, each at its line.
    #[test]
    fn exemptions_are_checked_like_bans() {
        let text = format!(
            "{HEAD}except:\n  - identifiers: {{endpoints: [intel.demo.example]}}\n    reason: x\n  - identifiers: {{endpoints: [\"not a host\"]}}\n  - identifiers: {{endpoints: []}}\n  - identifiers: {{apps: [{{name: X, confidence: unconfirmed}}]}}\n---\n{}except: []\n",
            HEAD.replace("policy: p", "policy: q")
        );
        let (_, found) = problems(&text);
        let codes: Vec<(&str, usize)> = found.iter().map(|(c, l)| (c.as_str(), *l)).collect();
        assert_eq!(
            codes,
            [
                ("banscan::policy::unknown_key", 15),
                ("banscan::policy::bad_endpoint", 16),
                ("banscan::policy::empty_identifiers", 17),
                ("banscan::policy::bad_value", 18),
                ("banscan::policy::empty_identifiers", 32),
            ]
        );
    }

    /// An identifier may say `confidence: unconfirmed` under any policy
    /// severity; an endpoint takes the mapping form for it and keeps its
    /// plain form; an unknown confidence is an error.
    #[test]
    fn identifiers_carry_their_confidence() {
        let text = HEAD.replace(
            "bans: [{identifiers: {endpoints: [demo.example]}}]",
            "bans: [{identifiers: {endpoints: [demo.example, {host: cdn.demo.example, confidence: unconfirmed}], packages: [{purl: pkg:npm/demo, confidence: unconfirmed}]}}]",
        );
        let (docs, found) = problems(&text);
        assert!(found.is_empty(), "{found:?}");
        let Some(Document::Policy(p)) = docs.first() else {
            panic!("no policy")
        };
        let crate::policy::Ban::Inline(ids) = &p.bans[0] else {
            panic!("not inline")
        };
        let endpoints: Vec<(&str, Confidence)> = ids
            .endpoints
            .iter()
            .map(|e| (e.text.as_str(), e.confidence))
            .collect();
        assert_eq!(
            endpoints,
            [
                ("demo.example", Confidence::Confirmed),
                ("cdn.demo.example", Confidence::Unconfirmed)
            ]
        );
        assert_eq!(ids.packages[0].confidence, Confidence::Unconfirmed);

        let bad = HEAD.replace(
            "endpoints: [demo.example]",
            "endpoints: [{host: demo.example, confidence: maybe, port: 1}]",
        );
        let (_, found) = problems(&bad);
        let codes: Vec<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(
            codes,
            ["banscan::policy::bad_value", "banscan::policy::unknown_key"]
        );
    }

    /// A status event's `by` names a court with its docket or an authority
    /// with its instrument, not a mix; its `part` names products the
    /// policy bans or identifier kinds; a deadline's action is known.
    #[test]
    fn status_events_name_who_decided_and_what() {
        let text = format!(
            "{HEAD}deadlines:\n  - {{date: 2025-03-01, action: uninstall, text: x}}\nstatus:\n  - {{date: 2025-02-01, state: enjoined, by: {{court: C, instrument: I}}, source: {{title: s, publisher: p}}}}\n  - {{date: 2025-02-02, state: lifted, by: {{court: C, docket: D}}, part: [deepseek], source: {{title: s, publisher: p}}}}\n  - {{date: 2025-02-03, state: stayed, by: {{court: C, docket: D}}, part: [apps], source: {{title: s, publisher: p}}}}\n"
        );
        let (_, found) = problems(&text);
        let codes: Vec<(&str, usize)> = found.iter().map(|(c, l)| (c.as_str(), *l)).collect();
        assert_eq!(
            codes,
            [
                ("banscan::policy::bad_value", 14),
                ("banscan::policy::bad_value", 16),
                ("banscan::policy::bad_value", 17),
            ]
        );
    }
}
