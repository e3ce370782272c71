//! What changes between two rule sets: policies added, removed and changed
//! field by field, and products' identifiers added and removed. A reviewer
//! updating a vendored rule set reads this before pinning the new digest.
//!
//! The comparison is of the model only; which inventory items a change
//! flags or clears needs the scan, and is in `cmd::policy_diff`.

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;
use serde_json::{Value, json};

use super::timeline::{Deadline, StatusEvent};
use super::{Ban, Confidence, Identifiers, Library, Policy, Product};

/// The whole comparison; serialised as it is for `--format json`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Diff {
    pub policies: PolicyChanges,
    pub products: ProductChanges,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.policies.added.is_empty()
            && self.policies.removed.is_empty()
            && self.policies.changed.is_empty()
            && self.products.added.is_empty()
            && self.products.removed.is_empty()
            && self.products.changed.is_empty()
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct PolicyChanges {
    pub added: Vec<PolicyEntry>,
    pub removed: Vec<PolicyEntry>,
    pub changed: Vec<PolicyChange>,
}

/// A policy only one side has, with enough to recognise it in a list.
#[derive(Clone, Debug, Serialize)]
pub struct PolicyEntry {
    pub id: String,
    pub title: String,
    pub jurisdiction: String,
    pub severity: String,
    pub effective: String,
    /// Where it is defined (`path:line`).
    pub file: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct PolicyChange {
    pub id: String,
    pub fields: Vec<FieldChange>,
    /// Deadlines and status events added, removed and changed: an
    /// injunction recorded changes what every finding of the policy means.
    pub deadlines: Changes<DeadlineEntry>,
    pub status: Changes<EventEntry>,
}

/// Entries of a list only one side has, and those both have in another form.
#[derive(Clone, Debug, Serialize)]
pub struct Changes<T> {
    pub added: Vec<T>,
    pub removed: Vec<T>,
    pub changed: Vec<Changed<T>>,
}

impl<T> Changes<T> {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Changed<T> {
    pub old: T,
    pub new: T,
}

/// A deadline as written in the policy.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DeadlineEntry {
    pub date: String,
    pub action: String,
    pub text: String,
    /// `null` when it concerns every kind of identifier.
    pub applies_to: Option<Vec<String>>,
}

/// A status event as written in the policy; the source by its URL, or
/// its title when it has none.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct EventEntry {
    pub date: String,
    pub state: String,
    pub by: String,
    /// `null` when it touches the whole policy.
    pub part: Option<Vec<String>>,
    pub confidence: String,
    pub source: String,
}

impl fmt::Display for DeadlineEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.date, self.action)?;
        if let Some(kinds) = &self.applies_to {
            write!(f, " ({})", kinds.join(", "))?;
        }
        write!(f, ": {}", self.text)
    }
}

impl fmt::Display for EventEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.date, self.state)?;
        if let Some(part) = &self.part {
            write!(f, " for {}", part.join(", "))?;
        }
        write!(f, " by {}", self.by)?;
        if self.confidence == "unconfirmed" {
            f.write_str(" (unconfirmed)")?;
        }
        Ok(())
    }
}

/// One field's two values: text, a list, or `null` when not set.
#[derive(Clone, Debug, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ProductChanges {
    pub added: Vec<ProductEntry>,
    pub removed: Vec<ProductEntry>,
    pub changed: Vec<ProductChange>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProductEntry {
    pub id: String,
    pub name: String,
    pub identifiers: ByKind,
    pub file: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProductChange {
    pub id: String,
    /// Name, vendor and aliases.
    pub fields: Vec<FieldChange>,
    pub added: ByKind,
    pub removed: ByKind,
}

/// Identifiers by kind, each as written in the policy file (a purl with
/// its range, an app rule described, a host rule, a digest).
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct ByKind {
    pub packages: Vec<String>,
    pub apps: Vec<String>,
    pub endpoints: Vec<String>,
    pub files: Vec<String>,
}

impl ByKind {
    pub fn is_empty(&self) -> bool {
        self.packages.is_empty()
            && self.apps.is_empty()
            && self.endpoints.is_empty()
            && self.files.is_empty()
    }

    /// `(kind, identifier)` pairs in kind order, for listings.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("package", &self.packages),
            ("app", &self.apps),
            ("endpoint", &self.endpoints),
            ("file", &self.files),
        ]
        .into_iter()
        .flat_map(|(kind, list)| list.iter().map(move |i| (kind, i.as_str())))
    }

    fn of(ids: &Identifiers) -> ByKind {
        ByKind {
            packages: ids
                .packages
                .iter()
                .map(|r| match &r.versions {
                    Some(v) => format!("{} {}", r.purl, v.text),
                    None => r.purl.clone(),
                })
                .collect(),
            apps: ids.apps.iter().map(super::AppRule::describe).collect(),
            endpoints: ids.endpoints.iter().map(|r| r.text.clone()).collect(),
            files: ids.files.iter().map(|r| r.sha256.to_string()).collect(),
        }
    }

    /// What `self` has that `other` lacks, kind by kind, in `self`'s order.
    fn minus(&self, other: &ByKind) -> ByKind {
        let minus = |a: &Vec<String>, b: &Vec<String>| {
            let b: BTreeSet<&String> = b.iter().collect();
            a.iter().filter(|x| !b.contains(x)).cloned().collect()
        };
        ByKind {
            packages: minus(&self.packages, &other.packages),
            apps: minus(&self.apps, &other.apps),
            endpoints: minus(&self.endpoints, &other.endpoints),
            files: minus(&self.files, &other.files),
        }
    }
}

/// Compares every policy and product of `old` with `new`, by id. Entries
/// come in `new`'s order, removed ones in `old`'s.
pub fn diff(old: &Library, new: &Library) -> Diff {
    let mut d = Diff::default();
    for p in &new.policies {
        match old.policy(&p.id) {
            None => d.policies.added.push(policy_entry(p)),
            Some(o) => {
                let change = PolicyChange {
                    id: p.id.clone(),
                    fields: changed_fields(&policy_fields(o), &policy_fields(p)),
                    deadlines: compare(
                        o.deadlines.iter().map(deadline_entry).collect(),
                        p.deadlines.iter().map(deadline_entry).collect(),
                        |e| e.action.clone(),
                    ),
                    status: compare(
                        o.status.iter().map(event_entry).collect(),
                        p.status.iter().map(event_entry).collect(),
                        |e| format!("{} {}", e.state, e.by),
                    ),
                };
                if !(change.fields.is_empty()
                    && change.deadlines.is_empty()
                    && change.status.is_empty())
                {
                    d.policies.changed.push(change);
                }
            }
        }
    }
    d.policies.removed = old
        .policies
        .iter()
        .filter(|p| new.policy(&p.id).is_none())
        .map(policy_entry)
        .collect();
    for p in &new.products {
        match old.product(&p.id) {
            None => d.products.added.push(product_entry(p)),
            Some(o) => {
                let (before, after) = (ByKind::of(&o.identifiers), ByKind::of(&p.identifiers));
                let change = ProductChange {
                    id: p.id.clone(),
                    fields: changed_fields(&product_fields(o), &product_fields(p)),
                    added: after.minus(&before),
                    removed: before.minus(&after),
                };
                if !(change.fields.is_empty()
                    && change.added.is_empty()
                    && change.removed.is_empty())
                {
                    d.products.changed.push(change);
                }
            }
        }
    }
    d.products.removed = old
        .products
        .iter()
        .filter(|p| new.product(&p.id).is_none())
        .map(product_entry)
        .collect();
    d
}

/// Pairs the entries of two lists: equal ones are unchanged; of the
/// rest, one a side with the same date and `kind`, or failing that the
/// only one a side of that `kind` (a deadline moved), is changed; any
/// other is added or removed. Entries come in list order.
fn compare<T: Clone + PartialEq + Dated>(
    old: Vec<T>,
    new: Vec<T>,
    kind: impl Fn(&T) -> String,
) -> Changes<T> {
    let mut old: Vec<Option<T>> = old.into_iter().map(Some).collect();
    let mut new: Vec<Option<T>> = new.into_iter().map(Some).collect();
    for n in &mut new {
        if let Some(o) = old
            .iter_mut()
            .find(|o| o.is_some() && o.as_ref() == n.as_ref())
        {
            *o = None;
            *n = None;
        }
    }
    let mut changed = Vec::new();
    let same_day = |a: &T, b: &T| a.date() == b.date() && kind(a) == kind(b);
    let only_one =
        |list: &[Option<T>], k: &str| list.iter().flatten().filter(|x| kind(x) == k).count() == 1;
    // Same day first; then a kind left once on each side (a moved date).
    for by_day in [true, false] {
        for i in 0..new.len() {
            let Some(n) = new[i].clone() else { continue };
            let k = kind(&n);
            let pairable = by_day || (only_one(&old, &k) && only_one(&new, &k));
            if !pairable {
                continue;
            }
            let found = old.iter().position(|o| {
                o.as_ref().is_some_and(|o| {
                    if by_day {
                        same_day(o, &n)
                    } else {
                        kind(o) == k
                    }
                })
            });
            if let Some(o) = found.and_then(|j| old[j].take()) {
                new[i] = None;
                changed.push(Changed { old: o, new: n });
            }
        }
    }
    Changes {
        added: new.into_iter().flatten().collect(),
        removed: old.into_iter().flatten().collect(),
        changed,
    }
}

/// The day an entry is dated, for pairing by day.
trait Dated {
    fn date(&self) -> &str;
}

impl Dated for DeadlineEntry {
    fn date(&self) -> &str {
        &self.date
    }
}

impl Dated for EventEntry {
    fn date(&self) -> &str {
        &self.date
    }
}

fn deadline_entry(d: &Deadline) -> DeadlineEntry {
    DeadlineEntry {
        date: d.date.to_string(),
        action: d.action.as_str().into(),
        text: d.text.clone(),
        applies_to: d
            .applies_to
            .as_ref()
            .map(|k| k.iter().map(|k| k.as_str().to_string()).collect()),
    }
}

fn event_entry(e: &StatusEvent) -> EventEntry {
    EventEntry {
        date: e.date.to_string(),
        state: e.state.as_str().into(),
        by: e.by.to_string(),
        part: e
            .part
            .as_ref()
            .map(|p| p.iter().map(ToString::to_string).collect()),
        confidence: confidence_word(e.confidence).into(),
        source: e
            .source
            .url
            .clone()
            .unwrap_or_else(|| e.source.title.clone()),
    }
}

fn confidence_word(c: Confidence) -> &'static str {
    match c {
        Confidence::Confirmed => "confirmed",
        Confidence::Unconfirmed => "unconfirmed",
    }
}

fn policy_entry(p: &Policy) -> PolicyEntry {
    PolicyEntry {
        id: p.id.clone(),
        title: p.title.clone(),
        jurisdiction: p.jurisdiction.clone(),
        severity: p.severity.as_str().to_string(),
        effective: p.effective.to_string(),
        file: p.place.describe(),
    }
}

fn product_entry(p: &Product) -> ProductEntry {
    ProductEntry {
        id: p.id.clone(),
        name: p.name.clone(),
        identifiers: ByKind::of(&p.identifiers),
        file: p.place.describe(),
    }
}

/// The fields compared, in the order a reviewer reads a policy. A field
/// the model gains is compared by adding one line here.
fn policy_fields(p: &Policy) -> Vec<(&'static str, Value)> {
    let text = |v: &Option<String>| v.as_ref().map_or(Value::Null, |s| json!(s));
    vec![
        ("title", json!(p.title)),
        ("authority", json!(p.authority)),
        ("jurisdiction", json!(p.jurisdiction)),
        ("issued", json!(p.issued.to_string())),
        ("effective", json!(p.effective.to_string())),
        (
            "expires",
            p.expires.map_or(Value::Null, |d| json!(d.to_string())),
        ),
        ("legal_basis", json!(p.legal_basis)),
        ("instrument", text(&p.instrument)),
        (
            "sources",
            json!(
                p.sources
                    .iter()
                    .map(|s| s.url.clone().unwrap_or_else(|| s.title.clone()))
                    .collect::<Vec<_>>()
            ),
        ),
        ("binds.sectors", json!(p.sectors)),
        ("binds.organizations", json!(p.organizations)),
        ("binds.scope", text(&p.scope)),
        ("severity", json!(p.severity.as_str())),
        ("confidence", json!(confidence_word(p.confidence))),
        (
            "bans",
            json!(p.bans.iter().flat_map(ban_texts).collect::<Vec<_>>()),
        ),
        (
            "except",
            json!(
                p.exemptions
                    .iter()
                    .flat_map(|ids| {
                        ByKind::of(ids)
                            .iter()
                            .map(|(kind, id)| format!("{kind} {id}"))
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>()
            ),
        ),
        ("rationale", text(&p.rationale)),
        ("remediation", text(&p.remediation)),
        ("exceptions", text(&p.exceptions)),
        ("notes", text(&p.notes)),
        (
            "status_checked",
            p.status_checked
                .map_or(Value::Null, |d| json!(d.to_string())),
        ),
    ]
}

/// A ban in words: `product deepseek`, `product tiktok (apps)`, or one
/// entry per inline identifier (`endpoint example.org`).
fn ban_texts(ban: &Ban) -> Vec<String> {
    match ban {
        Ban::Product { id, only: None, .. } => vec![format!("product {id}")],
        Ban::Product {
            id, only: Some(k), ..
        } => {
            let kinds: Vec<&str> = k.iter().map(|k| k.as_str()).collect();
            vec![format!("product {id} ({})", kinds.join(", "))]
        }
        Ban::Inline(ids) => ByKind::of(ids)
            .iter()
            .map(|(kind, i)| format!("{kind} {i}"))
            .collect(),
    }
}

fn product_fields(p: &Product) -> Vec<(&'static str, Value)> {
    vec![
        ("name", json!(p.name)),
        (
            "vendor",
            p.vendor.as_ref().map_or(Value::Null, |v| json!(v)),
        ),
        ("aliases", json!(p.aliases)),
    ]
}

fn changed_fields(
    old: &[(&'static str, Value)],
    new: &[(&'static str, Value)],
) -> Vec<FieldChange> {
    old.iter()
        .zip(new)
        .filter(|((_, o), (_, n))| o != n)
        .map(|((field, o), (_, n))| FieldChange {
            field: (*field).to_string(),
            old: o.clone(),
            new: n.clone(),
        })
        .collect()
}

/// A field's value in one line, for the human listing.
pub fn show_value(v: &Value) -> String {
    match v {
        Value::Null => "(none)".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(show_value).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::read::library_from;

    const BASE: &str = "product: demo
name: Demo
identifiers:
  endpoints: [demo.example]
---
policy: xx-demo-2025
title: Demo ban
authority: Demo Ministry
jurisdiction: TW
issued: 2025-01-31
effective: 2025-02-03
legal_basis: Demo Act
sources:
  - { title: Demo, publisher: Demo News, url: https://news.example/demo }
binds: { sectors: [central-government] }
severity: ban
bans: [{ product: demo }]
examples:
  violating: [{ endpoint: demo.example }]
  compliant: [{ endpoint: notdemo.example }]
";

    /// A library compared with itself has no changes.
    #[test]
    fn same_is_empty() {
        let l = library_from(BASE);
        assert!(diff(&l, &l).is_empty());
    }

    /// Each changed field is named with both values, and an added endpoint
    /// is listed under its kind.
    #[test]
    fn fields_and_identifiers() {
        let old = library_from(BASE);
        let new = library_from(
            &BASE
                .replace("severity: ban", "severity: restrict")
                .replace(
                    "effective: 2025-02-03",
                    "effective: 2025-02-03\nexpires: 2026-01-15",
                )
                .replace("[demo.example]", "[demo.example, cdn.demo.example]"),
        );
        let d = diff(&old, &new);
        let fields: Vec<_> = d.policies.changed[0]
            .fields
            .iter()
            .map(|f| {
                format!(
                    "{}: {} -> {}",
                    f.field,
                    show_value(&f.old),
                    show_value(&f.new)
                )
            })
            .collect();
        assert_eq!(
            fields,
            ["expires: (none) -> 2026-01-15", "severity: ban -> restrict"]
        );
        assert_eq!(d.products.changed[0].added.endpoints, ["cdn.demo.example"]);
        assert!(d.products.changed[0].removed.is_empty());
        let d = diff(&new, &old);
        assert_eq!(
            d.products.changed[0].removed.endpoints,
            ["cdn.demo.example"]
        );
    }

    const TIMELINE: &str = "deadlines:
  - { date: 2026-05-01, action: stop-buying, text: no new purchases }
  - { date: 2026-08-27, action: remove, text: remove it }
status:
  - { date: 2025-02-03, state: in-force, by: { authority: A, instrument: I }, source: { title: s, publisher: p } }
  - { date: 2026-06-17, state: vacated, by: { court: C, docket: D }, confidence: unconfirmed, source: { title: s, publisher: p } }
examples:";

    /// TIMELINE with the removal moved, an injunction added and the
    /// vacatur confirmed.
    const MOVED: &str = "deadlines:
  - { date: 2026-05-01, action: stop-buying, text: no new purchases }
  - { date: 2026-09-30, action: remove, text: remove it }
status:
  - { date: 2025-02-03, state: in-force, by: { authority: A, instrument: I }, source: { title: s, publisher: p } }
  - { date: 2026-03-01, state: enjoined, by: { court: C, docket: E }, part: [apps], source: { title: s, publisher: p } }
  - { date: 2026-06-17, state: vacated, by: { court: C, docket: D }, source: { title: s, publisher: p } }
examples:";

    /// An event added, a deadline moved and an event confirmed are each
    /// named as what they are, not as one changed list.
    #[test]
    fn deadlines_and_status_events() {
        let old = library_from(&BASE.replace("examples:", TIMELINE));
        let new = library_from(&BASE.replace("examples:", MOVED));
        let d = diff(&old, &new);
        let c = &d.policies.changed[0];
        assert!(c.fields.is_empty());
        let show = |c: &Changed<DeadlineEntry>| format!("{} -> {}", c.old, c.new);
        assert_eq!(
            c.deadlines.changed.iter().map(show).collect::<Vec<_>>(),
            ["2026-08-27 remove: remove it -> 2026-09-30 remove: remove it"]
        );
        assert!(c.deadlines.added.is_empty() && c.deadlines.removed.is_empty());
        let added: Vec<String> = c.status.added.iter().map(ToString::to_string).collect();
        assert_eq!(added, ["2026-03-01 enjoined for apps by C E"]);
        assert_eq!(c.status.changed.len(), 1);
        assert_eq!(
            format!("{} -> {}", c.status.changed[0].old, c.status.changed[0].new),
            "2026-06-17 vacated by C D (unconfirmed) -> 2026-06-17 vacated by C D"
        );
        assert!(c.status.removed.is_empty());
    }
}
