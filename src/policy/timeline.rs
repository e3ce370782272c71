//! Bans over time: compliance deadlines and the legal status history of a
//! policy, and what they make of a match on a given day.
//!
//! A ban is not simply on or off after `effective`: agencies are given
//! until a date to remove a product, and courts enjoin and stay orders. A
//! match under an enjoined ban is never dropped, only reported as not
//! enforceable, so an auditor sees what would violate it if the order came
//! back.

use std::fmt;

use jiff::civil::Date;

use super::{Confidence, IdentifierKind, Place, Policy, Source};

/// What must be done by a deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeadlineAction {
    StopBuying,
    StopUpdating,
    Remove,
    Other,
}

impl DeadlineAction {
    pub const ALL: [DeadlineAction; 4] = [
        DeadlineAction::StopBuying,
        DeadlineAction::StopUpdating,
        DeadlineAction::Remove,
        DeadlineAction::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineAction::StopBuying => "stop-buying",
            DeadlineAction::StopUpdating => "stop-updating",
            DeadlineAction::Remove => "remove",
            DeadlineAction::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<DeadlineAction> {
        DeadlineAction::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// A compliance date: by `date`, `action` must be done.
#[derive(Clone, Debug)]
pub struct Deadline {
    pub date: Date,
    pub action: DeadlineAction,
    pub text: String,
    /// The identifier kinds it concerns, when not all of them.
    pub applies_to: Option<Vec<IdentifierKind>>,
    pub place: Place,
}

/// A policy's legal state after an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegalState {
    InForce,
    Enjoined,
    /// An injunction stayed: the ban is back in force.
    Stayed,
    Vacated,
    Lifted,
    Renewed,
    Superseded,
}

impl LegalState {
    pub const ALL: [LegalState; 7] = [
        LegalState::InForce,
        LegalState::Enjoined,
        LegalState::Stayed,
        LegalState::Vacated,
        LegalState::Lifted,
        LegalState::Renewed,
        LegalState::Superseded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LegalState::InForce => "in-force",
            LegalState::Enjoined => "enjoined",
            LegalState::Stayed => "stayed",
            LegalState::Vacated => "vacated",
            LegalState::Lifted => "lifted",
            LegalState::Renewed => "renewed",
            LegalState::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<LegalState> {
        LegalState::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether a ban in this state can be enforced. A superseded policy is
    /// judged by the one that replaced it, so its own matches only advise.
    pub fn enforceable(self) -> bool {
        matches!(
            self,
            LegalState::InForce | LegalState::Stayed | LegalState::Renewed
        )
    }
}

impl fmt::Display for LegalState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str().replace('-', " "))
    }
}

/// Who decided an event: a court with its docket, or an authority with
/// its instrument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecidedBy {
    Court {
        court: String,
        docket: String,
    },
    Authority {
        authority: String,
        instrument: String,
    },
}

impl fmt::Display for DecidedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecidedBy::Court { court, docket } => write!(f, "{court} {docket}"),
            DecidedBy::Authority {
                authority,
                instrument,
            } => write!(f, "{authority}, {instrument}"),
        }
    }
}

/// One dated change of a policy's legal status, cited like the policy.
#[derive(Clone, Debug)]
pub struct StatusEvent {
    /// The day it took effect (an injunction counts from then, not from
    /// the day it was signed).
    pub date: Date,
    pub state: LegalState,
    pub by: DecidedBy,
    /// The products (by id) and identifier kinds it touches, when not
    /// the whole policy.
    pub part: Option<Vec<Part>>,
    pub source: Source,
    /// An unconfirmed event is shown in the history but changes nothing.
    pub confidence: Confidence,
    pub place: Place,
}

/// One entry of an event's `part:`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Product(String),
    Kind(IdentifierKind),
}

/// What the timeline makes of a match: the event that decides, when one
/// does, and the deadline still ahead.
#[derive(Clone, Debug, Default)]
pub struct Verdict<'a> {
    /// The last confirmed event on or before the day, touching the match.
    pub event: Option<&'a StatusEvent>,
    /// While a phase-out runs: the next deadline, and the last one, the
    /// day the match reaches full severity.
    pub phase_out: Option<PhaseOut<'a>>,
}

#[derive(Clone, Copy, Debug)]
pub struct PhaseOut<'a> {
    pub next: &'a Deadline,
    pub until: Date,
}

impl Verdict<'_> {
    /// False when the deciding event is an injunction, a vacatur, a
    /// lifting or a replacement.
    pub fn enforceable(&self) -> bool {
        self.event.is_none_or(|e| e.state.enforceable())
    }
}

/// What a match stands for: its product, if a product ban made it, and
/// the kind of identifier; `None` for both is the policy as a whole.
#[derive(Clone, Copy, Debug, Default)]
pub struct Touched<'a> {
    pub product: Option<&'a str>,
    pub kind: Option<IdentifierKind>,
}

impl Touched<'_> {
    fn within(&self, part: Option<&[Part]>) -> bool {
        let Some(part) = part else { return true };
        part.iter().any(|p| match p {
            Part::Product(id) => self.product == Some(id.as_str()),
            Part::Kind(k) => self.kind == Some(*k),
        })
    }

    fn within_kinds(&self, kinds: Option<&[IdentifierKind]>) -> bool {
        match (kinds, self.kind) {
            (None, _) | (Some(_), None) => true,
            (Some(kinds), Some(k)) => kinds.contains(&k),
        }
    }
}

/// The verdict on a match `touched` under `policy` on `as_of`, which the
/// caller has already found effective and not expired.
pub fn verdict<'a>(policy: &'a Policy, as_of: Date, touched: Touched<'_>) -> Verdict<'a> {
    let event = policy
        .status
        .iter()
        .filter(|e| e.confidence == Confidence::Confirmed && e.date <= as_of)
        .filter(|e| touched.within(e.part.as_deref()))
        .max_by_key(|e| e.date);
    let mut ahead: Vec<&Deadline> = policy
        .deadlines
        .iter()
        .filter(|d| touched.within_kinds(d.applies_to.as_deref()))
        .filter(|d| d.date > as_of)
        .collect();
    ahead.sort_by_key(|d| d.date);
    let phase_out = match (ahead.first(), ahead.last()) {
        (Some(next), Some(last)) => Some(PhaseOut {
            next,
            until: last.date,
        }),
        _ => None,
    };
    Verdict { event, phase_out }
}

/// One dated line of a policy's history, as `policy show` lists it.
#[derive(Clone, Copy, Debug)]
pub enum Entry<'a> {
    Issued(Date),
    Effective(Date),
    Event(&'a StatusEvent),
    Deadline(&'a Deadline),
    Expires(Date),
    StatusChecked(Date),
}

impl Entry<'_> {
    pub fn date(&self) -> Date {
        match self {
            Entry::Issued(d)
            | Entry::Effective(d)
            | Entry::Expires(d)
            | Entry::StatusChecked(d) => *d,
            Entry::Event(e) => e.date,
            Entry::Deadline(d) => d.date,
        }
    }
}

/// The policy's dates, events and deadlines merged in date order. On one
/// day the order is the one a reader follows: issued, effective, what
/// courts and authorities did, what is due, the end, the last check.
pub fn entries(policy: &Policy) -> Vec<Entry<'_>> {
    let mut all = vec![
        Entry::Issued(policy.issued),
        Entry::Effective(policy.effective),
    ];
    all.extend(policy.status.iter().map(Entry::Event));
    all.extend(policy.deadlines.iter().map(Entry::Deadline));
    all.extend(policy.expires.map(Entry::Expires));
    all.extend(policy.status_checked.map(Entry::StatusChecked));
    // A stable sort keeps the order above within a day.
    all.sort_by_key(Entry::date);
    all
}

/// The deadlines of `policy` falling in `[from, to]`, both days included:
/// what `policy list --due-within` lists.
pub fn due_between(policy: &Policy, from: Date, to: Date) -> impl Iterator<Item = &Deadline> {
    policy
        .deadlines
        .iter()
        .filter(move |d| from <= d.date && d.date <= to)
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Part::Product(id) => write!(f, "product {id}"),
            Part::Kind(k) => f.write_str(k.as_str()),
        }
    }
}

impl Part {
    /// A match standing for exactly this part, to ask the verdict on it.
    pub fn touched(&self) -> Touched<'_> {
        match self {
            Part::Product(id) => Touched {
                product: Some(id),
                kind: None,
            },
            Part::Kind(k) => Touched {
                product: None,
                kind: Some(*k),
            },
        }
    }
}

/// Days from `from` to `to`, for "N days left".
pub fn days_between(from: Date, to: Date) -> i64 {
    (to - from).get_days().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::read::library_from;

    const POLICY: &str = "policy: p
title: t
authority: a
jurisdiction: US
issued: 2026-02-27
effective: 2026-02-27
legal_basis: b
sources: [{title: s, publisher: p}]
binds: {sectors: [all]}
severity: ban
bans: [{identifiers: {endpoints: [demo.example]}}]
examples: {violating: [{endpoint: demo.example}], compliant: [{endpoint: x.example}]}
deadlines:
  - {date: 2026-05-01, action: stop-buying, text: no new purchases}
  - {date: 2026-08-27, action: remove, text: remove it}
status:
  - {date: 2026-02-27, state: in-force, by: {authority: A, instrument: I}, source: {title: s, publisher: p}}
  - {date: 2026-04-03, state: enjoined, by: {court: C, docket: D}, source: {title: s, publisher: p}, part: [apps]}
  - {date: 2026-06-01, state: stayed, by: {court: C2, docket: D2}, source: {title: s, publisher: p}, part: [apps]}
  - {date: 2026-06-17, state: vacated, by: {court: C3, docket: D3}, source: {title: s, publisher: p}, confidence: unconfirmed}
";

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn at(as_of: &str, kind: IdentifierKind) -> (Option<LegalState>, Option<(Date, Date)>) {
        let library = library_from(POLICY);
        let v = verdict(
            &library.policies[0],
            date(as_of),
            Touched {
                product: None,
                kind: Some(kind),
            },
        );
        (
            v.event.map(|e| e.state),
            v.phase_out.map(|p| (p.next.date, p.until)),
        )
    }

    /// The last confirmed event touching the match decides; a phase-out
    /// names the next deadline and runs until the last one.
    #[test]
    fn the_last_event_and_the_deadlines_ahead_decide() {
        use IdentifierKind::{Apps, Endpoints};
        let (may, aug) = (date("2026-05-01"), date("2026-08-27"));
        assert_eq!(
            at("2026-03-01", Apps),
            (Some(LegalState::InForce), Some((may, aug)))
        );
        // The injunction touches apps only.
        assert_eq!(
            at("2026-04-03", Apps),
            (Some(LegalState::Enjoined), Some((may, aug)))
        );
        assert_eq!(
            at("2026-04-03", Endpoints),
            (Some(LegalState::InForce), Some((may, aug)))
        );
        // A stay puts it back in force; the unconfirmed vacatur changes nothing.
        assert_eq!(
            at("2026-07-01", Apps),
            (Some(LegalState::Stayed), Some((aug, aug)))
        );
        // On the last deadline the phase-out is over.
        assert_eq!(
            at("2026-08-27", Endpoints),
            (Some(LegalState::InForce), None)
        );
    }

    /// Entries come in date order, same-day ones as a reader follows
    /// them; due deadlines include both ends of the window.
    #[test]
    fn entries_in_date_order_and_due_bounds() {
        let library =
            library_from(&POLICY.replace("examples:", "status_checked: 2026-05-01\nexamples:"));
        let policy = &library.policies[0];
        let got: Vec<String> = entries(policy)
            .iter()
            .map(|e| {
                let what = match e {
                    Entry::Issued(_) => "issued".to_string(),
                    Entry::Effective(_) => "effective".into(),
                    Entry::Event(ev) => ev.state.as_str().into(),
                    Entry::Deadline(d) => d.action.as_str().into(),
                    Entry::Expires(_) => "expires".into(),
                    Entry::StatusChecked(_) => "checked".into(),
                };
                format!("{} {what}", e.date())
            })
            .collect();
        assert_eq!(
            got,
            [
                "2026-02-27 issued",
                "2026-02-27 effective",
                "2026-02-27 in-force",
                "2026-04-03 enjoined",
                "2026-05-01 stop-buying",
                "2026-05-01 checked",
                "2026-06-01 stayed",
                "2026-06-17 vacated",
                "2026-08-27 remove",
            ]
        );
        let due = |from: &str, to: &str| {
            due_between(policy, date(from), date(to))
                .map(|d| d.date.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            due("2026-05-01", "2026-08-27"),
            ["2026-05-01", "2026-08-27"]
        );
        assert_eq!(due("2026-05-02", "2026-08-26"), Vec::<String>::new());
    }

    #[test]
    fn enforceable_states() {
        let enforceable: Vec<&str> = LegalState::ALL
            .into_iter()
            .filter(|s| s.enforceable())
            .map(LegalState::as_str)
            .collect();
        assert_eq!(enforceable, ["in-force", "stayed", "renewed"]);
        assert_eq!(days_between(date("2026-03-01"), date("2026-08-27")), 179);
    }
}
