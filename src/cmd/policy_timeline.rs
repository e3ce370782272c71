//! The timeline views of `policy show` and `policy list --due-within`: a
//! policy's dates, deadlines and court or authority events in one list,
//! each event with its citation, and the deadlines coming up for the
//! policies a profile loads.

use std::fmt::Write as _;

use jiff::civil::Date;

use super::count;
use crate::cli::ListFormat;
use crate::policy::select::Standing;
use crate::policy::timeline::{self, Deadline, Entry, Part, StatusEvent, Touched, days_between};
use crate::policy::{Confidence, Policy, Source};

/// Whether `policy show` has a timeline to print: a policy with neither
/// deadlines nor status is shown as before, its dates being its fields.
pub(super) fn has_timeline(policy: &Policy) -> bool {
    !policy.deadlines.is_empty() || !policy.status.is_empty() || policy.status_checked.is_some()
}

/// The `timeline:` block of `policy show`, in date order, each event
/// cited as the sources list cites.
pub(super) fn block(policy: &Policy) -> String {
    let mut t = String::from("timeline:\n");
    for entry in timeline::entries(policy) {
        let date = entry.date();
        let what = match entry {
            Entry::Issued(_) => "issued".to_string(),
            Entry::Effective(_) => "effective".into(),
            Entry::Expires(_) => "expires (the last day it applies)".into(),
            Entry::StatusChecked(_) => "status checked".into(),
            Entry::Deadline(d) => format!("deadline {}", deadline_text(d)),
            Entry::Event(e) => event_text(e),
        };
        let _ = writeln!(t, "  {date}  {what}");
        if let Entry::Event(e) = entry {
            cite(&mut t, &e.source);
        }
    }
    t
}

/// `stop-buying: text`, with the kinds it concerns when not all.
fn deadline_text(d: &Deadline) -> String {
    match &d.applies_to {
        Some(kinds) => {
            let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            format!("{} ({}): {}", d.action.as_str(), kinds.join(", "), d.text)
        }
        None => format!("{}: {}", d.action.as_str(), d.text),
    }
}

/// `enjoined for apps by Court docket`, an unconfirmed one marked as
/// changing nothing: the verdict ignores it, and a reader must see why.
fn event_text(e: &StatusEvent) -> String {
    let mut text = e.state.to_string();
    if let Some(part) = &e.part {
        let parts: Vec<String> = part.iter().map(Part::to_string).collect();
        let _ = write!(text, " for {}", parts.join(", "));
    }
    let _ = write!(text, " by {}", e.by);
    if e.confidence == Confidence::Unconfirmed {
        text.push_str(" (unconfirmed, does not change the state)");
    }
    text
}

/// A source as `policy show`'s sources list writes one, indented under
/// its event.
fn cite(t: &mut String, s: &Source) {
    let _ = write!(t, "              {} — {}", s.title, s.publisher);
    if let Some(d) = s.date {
        let _ = write!(t, ", {d}");
    }
    t.push('\n');
    if let Some(u) = &s.url {
        let _ = writeln!(t, "              {u}");
    }
}

/// `state on D: ...`: the policy's standing on the day, who decided it,
/// and under it each part an event decides otherwise (an injunction of
/// the apps only).
pub(super) fn state_on(policy: &Policy, as_of: Date) -> String {
    let standing = Standing::of(policy, as_of);
    let whole = timeline::verdict(policy, as_of, Touched::default());
    let mut t = format!("state on {as_of}: {standing}");
    if let (Standing::NotEnforceable { .. }, Some(e)) = (standing, whole.event) {
        let _ = write!(t, " by {}", e.by);
    }
    t.push('\n');
    if matches!(
        standing,
        Standing::NotYetEffective { .. } | Standing::Expired { .. }
    ) {
        return t;
    }
    let mut parts: Vec<&Part> = Vec::new();
    for e in policy
        .status
        .iter()
        .filter(|e| e.date <= as_of && e.confidence == Confidence::Confirmed)
    {
        for p in e.part.iter().flatten() {
            if !parts.contains(&p) {
                parts.push(p);
            }
        }
    }
    for part in parts {
        let Some(e) = timeline::verdict(policy, as_of, part.touched()).event else {
            continue;
        };
        if whole.event.is_some_and(|w| std::ptr::eq(w, e)) {
            continue;
        }
        let _ = writeln!(t, "  {part}: {} since {} by {}", e.state, e.date, e.by);
    }
    t
}

/// One deadline coming up, as `--due-within` lists it.
struct Due<'a> {
    policy: &'a Policy,
    deadline: &'a Deadline,
    days_left: i64,
}

/// `policy list --due-within`: the deadlines of `policies` falling in
/// `[as_of, as_of + days]`, by date, then policy.
pub(super) fn due_within(
    policies: &[&Policy],
    as_of: Date,
    days: i64,
    format: ListFormat,
) -> String {
    let to = as_of.saturating_add(jiff::Span::new().days(days));
    let mut due: Vec<Due<'_>> = policies
        .iter()
        .flat_map(|p| {
            timeline::due_between(p, as_of, to).map(move |d| Due {
                policy: p,
                deadline: d,
                days_left: days_between(as_of, d.date),
            })
        })
        .collect();
    due.sort_by(|a, b| (a.deadline.date, &a.policy.id).cmp(&(b.deadline.date, &b.policy.id)));
    if format == ListFormat::Json {
        let json: Vec<_> = due
            .iter()
            .map(|d| {
                serde_json::json!({
                    "date": d.deadline.date.to_string(),
                    "days_left": d.days_left,
                    "action": d.deadline.action.as_str(),
                    "policy": d.policy.id,
                    "text": d.deadline.text,
                    "applies_to": d.deadline.applies_to.as_ref().map(|k| k.iter().map(|k| k.as_str()).collect::<Vec<_>>()),
                    // An enjoined ban's deadline binds no one today.
                    "state": Standing::of(d.policy, as_of).as_str(),
                })
            })
            .collect();
        return format!(
            "{}\n",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
    }
    let rows: Vec<Vec<String>> = due
        .iter()
        .map(|d| {
            let text = match &d.deadline.applies_to {
                Some(kinds) => {
                    let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
                    format!("{} ({})", d.deadline.text, kinds.join(", "))
                }
                None => d.deadline.text.clone(),
            };
            vec![
                d.deadline.date.to_string(),
                d.days_left.to_string(),
                d.deadline.action.as_str().to_string(),
                d.policy.id.clone(),
                // An enjoined ban's deadline binds no one today: say so.
                Standing::of(d.policy, as_of).to_string(),
                text,
            ]
        })
        .collect();
    let mut text = super::policy::table(
        &["DATE", "DAYS LEFT", "ACTION", "POLICY", "STATE", "TEXT"],
        &rows,
    );
    let _ = writeln!(
        text,
        "{} from {as_of} to {to} ({})",
        count(rows.len(), "deadline", "deadlines"),
        count(usize::try_from(days).unwrap_or(0), "day", "days"),
    );
    text
}
