//! What a policy's deadlines and status history make of its findings on
//! the scan's day, and the notice for status nobody has checked lately.

use jiff::civil::Date;

use crate::diag::Code;
use crate::input::item::Kind;
use crate::policy::timeline::{self, Touched, days_between};
use crate::policy::{IdentifierKind, Library, Policy, Severity};
use crate::report::{Citation, DeadlineInfo, Finding, LegalStatusInfo, Notice};

/// How long a status that can still change is trusted without a check.
pub const STATUS_FRESH_DAYS: i64 = 90;

/// Sets each finding's legal status and deadline. A finding under an
/// enjoined (vacated, lifted, superseded) ban becomes an advisory naming
/// the event, never disappears; one before the last deadline keeps its
/// severity but is a phase-out, which fails no scan by default.
pub fn annotate(findings: &mut [Finding], library: &Library, as_of: Date) {
    for f in findings {
        let Some(policy) = library.policy(&f.policy) else {
            continue;
        };
        let touched = Touched {
            product: f.product.as_deref(),
            kind: Some(identifier_kind(f.item.kind)),
        };
        let verdict = timeline::verdict(policy, as_of, touched);
        f.legal_status = verdict.event.map(|e| LegalStatusInfo {
            state: e.state.as_str().into(),
            since: e.date.to_string(),
            by: e.by.to_string(),
            enforceable: e.state.enforceable(),
            source: Citation {
                title: e.source.title.clone(),
                publisher: e.source.publisher.clone(),
                url: e.source.url.clone(),
            },
        });
        if !verdict.enforceable() {
            f.severity = f.severity.min(Severity::Advisory);
            f.deadline = None;
            continue;
        }
        f.deadline = verdict.phase_out.map(|p| DeadlineInfo {
            date: p.next.date.to_string(),
            action: p.next.action.as_str().into(),
            text: p.next.text.clone(),
            days_left: days_between(as_of, p.next.date),
            phase_out_until: p.until.to_string(),
        });
    }
}

fn identifier_kind(kind: Kind) -> IdentifierKind {
    match kind {
        Kind::Package => IdentifierKind::Packages,
        Kind::App => IdentifierKind::Apps,
        Kind::Endpoint => IdentifierKind::Endpoints,
        Kind::File => IdentifierKind::Files,
    }
}

/// One notice naming every applied policy whose status was last checked
/// more than [`STATUS_FRESH_DAYS`] before `as_of`: an appeal may have
/// been decided since, and the report cannot know.
pub fn stale_status<'a>(policies: impl Iterator<Item = &'a Policy>, as_of: Date) -> Option<Notice> {
    let mut stale: Vec<String> = policies
        .filter_map(|p| {
            let checked = p.status_checked?;
            (days_between(checked, as_of) > STATUS_FRESH_DAYS)
                .then(|| format!("{} (checked {checked})", p.id))
        })
        .collect();
    stale.sort();
    stale.dedup();
    (!stale.is_empty()).then(|| Notice {
        code: Code::StaleStatus.as_str().into(),
        message: format!(
            "the legal status of {} was last checked more than {STATUS_FRESH_DAYS} days before {as_of}; check the sources for later court rulings or orders, and update `status` and `status_checked`",
            stale.join(", ")
        ),
        location: None,
    })
}
