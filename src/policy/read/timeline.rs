//! A policy's `deadlines:` and `status:` lists.

use crate::diag::Code;
use crate::policy::timeline::{Deadline, DecidedBy, Part, StatusEvent};
use crate::policy::{IdentifierKind, validate};
use crate::yaml::{Node, Reader};

use super::keys::{DEADLINE_KEYS, DECIDED_BY_KEYS, STATUS_KEYS};
use super::{place, read_source, req_text, text_list};

pub(super) fn read_deadlines(r: &mut Reader<'_>, node: &Node) -> Vec<Deadline> {
    let items = r.seq(node);
    items
        .iter()
        .filter_map(|n| {
            let mut m = r.map(n, "a deadline", DEADLINE_KEYS)?;
            let date = m.required(r, "date").and_then(|n| r.date(n));
            let action = m
                .required(r, "action")
                .and_then(|n| r.text(n))
                .and_then(|a| validate::deadline_action(r, &a));
            let text = req_text(r, &mut m, "text");
            let applies_to = m.optional("applies_to").map(|n| read_kinds(r, n));
            m.finish(r);
            // Absent is the whole policy; present but unreadable, no deadline.
            let applies_to = match applies_to {
                None => None,
                Some(kinds) => Some(kinds?),
            };
            let date = date?;
            Some(Deadline {
                place: place(r, date.span),
                date: date.value,
                action: action?,
                text: text?.value.trim().to_string(),
                applies_to,
            })
        })
        .collect()
}

pub(super) fn read_status(r: &mut Reader<'_>, node: &Node) -> Vec<StatusEvent> {
    let items = r.seq(node);
    items
        .iter()
        .filter_map(|n| {
            let mut m = r.map(n, "a status event", STATUS_KEYS)?;
            let date = m.required(r, "date").and_then(|n| r.date(n));
            let state = m
                .required(r, "state")
                .and_then(|n| r.text(n))
                .and_then(|s| validate::legal_state(r, &s));
            let by = m.required(r, "by").and_then(|n| read_decided_by(r, n));
            let part = m.optional("part").map(|n| read_part(r, n));
            let source_node = m.optional("source");
            let source = source_node.and_then(|n| read_source(r, n));
            let confidence = m.optional("confidence").and_then(|n| r.text(n));
            let span = m.span;
            m.finish(r);
            if source_node.is_none() {
                r.report(
                    Code::NoSources,
                    span,
                    "a status event must cite its source",
                    "uncited event",
                    "add `source: {title, publisher, url}` naming the order, ruling or notice",
                );
            }
            let confidence = validate::confidence(r, confidence, None)?;
            let part = match part {
                None => None,
                Some(part) => Some(part?),
            };
            let date = date?;
            Some(StatusEvent {
                place: place(r, date.span),
                date: date.value,
                state: state?,
                by: by?,
                part,
                source: source?,
                confidence,
            })
        })
        .collect()
}

/// `by: {court, docket}` or `by: {authority, instrument}`: who decided,
/// named so that an auditor can find the decision.
fn read_decided_by(r: &mut Reader<'_>, node: &Node) -> Option<DecidedBy> {
    let mut m = r.map(node, "`by`", DECIDED_BY_KEYS)?;
    let court = m.optional("court").and_then(|n| r.text(n));
    let docket = m.optional("docket").and_then(|n| r.text(n));
    let authority = m.optional("authority").and_then(|n| r.text(n));
    let instrument = m.optional("instrument").and_then(|n| r.text(n));
    let span = m.span;
    m.finish(r);
    let text = |v: crate::yaml::At<String>| v.value.trim().to_string();
    match (court, docket, authority, instrument) {
        (Some(c), Some(d), None, None) => Some(DecidedBy::Court {
            court: text(c),
            docket: text(d),
        }),
        (None, None, Some(a), Some(i)) => Some(DecidedBy::Authority {
            authority: text(a),
            instrument: text(i),
        }),
        _ => {
            r.report(
                Code::BadValue,
                span,
                "`by` names a court with its docket, or an authority with its instrument",
                "who decided?",
                "write `by: {court: ..., docket: ...}` or `by: {authority: ..., instrument: ...}`",
            );
            None
        }
    }
}

/// Identifier kinds, as `only:` and `applies_to:` list them.
fn read_kinds(r: &mut Reader<'_>, node: &Node) -> Option<Vec<IdentifierKind>> {
    let mut ok = true;
    let mut kinds = Vec::new();
    for k in text_list(r, Some(node)) {
        match IdentifierKind::parse(&k.value) {
            Some(kind) => kinds.push(kind),
            None => {
                ok = false;
                unknown_kind(r, &k, "use packages, apps, endpoints or files");
            }
        }
    }
    ok.then_some(kinds)
}

/// `part:` entries: identifier kinds, or the ids of products the policy
/// bans (checked against `bans:` once both are read).
fn read_part(r: &mut Reader<'_>, node: &Node) -> Option<Vec<Part>> {
    let entries = text_list(r, Some(node));
    if entries.is_empty() {
        r.report(
            Code::EmptyIdentifiers,
            node.span,
            "`part` is empty, so the event touches nothing",
            "empty",
            "list product ids or identifier kinds, or remove `part` for the whole policy",
        );
        return None;
    }
    Some(
        entries
            .into_iter()
            .map(|e| match IdentifierKind::parse(&e.value) {
                Some(kind) => Part::Kind(kind),
                None => Part::Product(e.value.trim().to_string()),
            })
            .collect(),
    )
}

fn unknown_kind(r: &mut Reader<'_>, k: &crate::yaml::At<String>, help: &str) {
    r.report(
        Code::BadValue,
        k.span,
        format!("unknown identifier kind `{}`", k.value),
        "unknown kind",
        help,
    );
}
