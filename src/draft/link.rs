//! What the library already has: a policy of the same jurisdiction
//! banning the same product, issued within a week of the draft, is the
//! same ban (`known_as`), and the fields where the two differ are what an
//! update to it would change, listed as `policy diff` lists a change.

use jiff::civil::Date;
use serde_json::{Value, json};

use super::{Draft, Field};
use crate::policy::diff::FieldChange;
use crate::policy::{Library, Policy};

/// How far apart two issue dates of one ban may be.
const DAYS: i32 = 7;

pub fn link(draft: &mut Draft, library: &Library) {
    let (Some(jurisdiction), Some(issued)) = (
        draft.jurisdiction.value(),
        draft.issued.value().and_then(|d| d.parse::<Date>().ok()),
    ) else {
        return;
    };
    let products: Vec<&str> = draft.bans.iter().filter_map(Field::value).collect();
    let authority = draft.authority.value().unwrap_or_default().to_lowercase();
    let id = draft.id.value().unwrap_or_default();
    // Nearest in date first, then the same authority: the Executive
    // Yuan's decision three days after MODA's warning is another ban.
    let rank = |p: &Policy| {
        let days = (p.issued - issued).get_days().abs();
        let theirs = p.authority.to_lowercase();
        let same_authority = !authority.is_empty()
            && (theirs.starts_with(&authority)
                || authority.starts_with(&theirs)
                || id.starts_with(&p.id));
        (days, !same_authority, theirs != authority)
    };
    let candidates: Vec<&Policy> = library
        .policies
        .iter()
        .filter(|p| {
            p.jurisdiction == jurisdiction
                && (p.issued - issued).get_days().abs() <= DAYS
                && library.banned_products(p).any(|id| products.contains(&id))
        })
        .collect();
    let Some(best) = candidates.iter().map(|p| rank(p)).min() else {
        return;
    };
    let known: Vec<&Policy> = candidates.into_iter().filter(|p| rank(p) == best).collect();
    draft.known_as = known.iter().map(|p| p.id.clone()).collect();
    if let Some(p) = known.first() {
        draft.differences = differences(draft, p, library);
    }
}

/// The draft's read values against the policy's; values left to fill in
/// are not differences.
fn differences(draft: &Draft, p: &Policy, library: &Library) -> Vec<FieldChange> {
    let text = |f: &Field| f.value().map(|v| json!(v));
    let list = |fs: &[Field]| {
        let values: Vec<&str> = fs.iter().filter_map(Field::value).collect();
        (!values.is_empty()).then(|| json!(values))
    };
    let pairs: Vec<(&str, Value, Option<Value>)> = vec![
        ("authority", json!(p.authority), text(&draft.authority)),
        ("issued", json!(p.issued.to_string()), text(&draft.issued)),
        (
            "effective",
            json!(p.effective.to_string()),
            text(&draft.effective),
        ),
        (
            "legal_basis",
            json!(p.legal_basis),
            text(&draft.legal_basis),
        ),
        (
            "instrument",
            p.instrument.as_ref().map_or(Value::Null, |i| json!(i)),
            draft.instrument.as_ref().and_then(text),
        ),
        ("binds.sectors", json!(p.sectors), list(&draft.sectors)),
        (
            "severity",
            json!(p.severity.as_str()),
            text(&draft.severity),
        ),
        (
            "bans",
            json!(library.banned_products(p).collect::<Vec<_>>()),
            list(&draft.bans),
        ),
    ];
    pairs
        .into_iter()
        .filter_map(|(field, old, new)| {
            let new = new?;
            (old != new).then(|| FieldChange {
                field: field.to_string(),
                old,
                new,
            })
        })
        .collect()
}
