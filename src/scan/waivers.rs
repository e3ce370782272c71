//! Waivers: approved exceptions, applied to findings after the scan.

use std::collections::HashSet;

use jiff::civil::Date;

use crate::diag::Code;
use crate::input::Kind;
use crate::policy::Waiver;
use crate::report::{Finding, Notice, WaiverInfo};

/// The text a waiver's `item` pattern is matched against.
fn waiver_subject(f: &Finding) -> String {
    match f.item.kind {
        Kind::Package => format!(
            "pkg:{}/{}",
            f.item.ecosystem.as_deref().unwrap_or(""),
            f.item.name.as_deref().unwrap_or("")
        ),
        Kind::App => f
            .item
            .name
            .clone()
            .or_else(|| f.item.bundle_id.clone())
            .or_else(|| f.item.extension_id.clone())
            .unwrap_or_default(),
        Kind::Endpoint => f.item.host.clone().unwrap_or_default(),
        Kind::File => f.item.sha256.clone().unwrap_or_default(),
    }
}

/// A waiver's pattern, compiled once for all findings. Patterns are
/// checked when the profile is read; one that still fails matches nothing.
fn glob(pattern: &Option<String>) -> Option<Option<globset::GlobMatcher>> {
    pattern.as_ref().map(|p| {
        globset::GlobBuilder::new(p)
            .case_insensitive(true)
            .build()
            .ok()
            .map(|g| g.compile_matcher())
    })
}

fn glob_matches(glob: &Option<Option<globset::GlobMatcher>>, text: Option<&str>) -> bool {
    match glob {
        None => true,
        Some(g) => g
            .as_ref()
            .is_some_and(|g| text.is_some_and(|t| g.is_match(t))),
    }
}

/// Marks waived findings. An expired waiver waives nothing and is reported,
/// and so is a waiver that matched nothing, so stale exceptions surface.
/// A waiver for a policy that does not apply in this scan (not yet in
/// force, expired, or binding other sectors) has nothing to waive, so it
/// says nothing: an agency re-approves an exception under a successor
/// policy before the old one lapses, and both waivers are then correct.
/// A waiver naming a policy that is not loaded at all (`known` holds every
/// loaded id) is a typo or a rule set missing, and is reported: `policy
/// lint` refuses it, but a scan should not silently keep a finding the
/// auditor believes waived.
pub fn apply<'k>(
    findings: &mut [Finding],
    waivers: &[Waiver],
    as_of: Date,
    applies: impl Fn(&str) -> bool,
    known: impl IntoIterator<Item = &'k str>,
) -> Vec<Notice> {
    let known: HashSet<&str> = known.into_iter().collect();
    let mut notices: Vec<Notice> = waivers
        .iter()
        .filter(|w| !known.contains(w.policy.as_str()))
        .map(|w| unknown_policy(w, &known))
        .collect();
    for w in waivers.iter().filter(|w| applies(&w.policy)) {
        let (item, device) = (glob(&w.item), glob(&w.device));
        let matches = |f: &Finding| {
            f.policy == w.policy
                && w.product
                    .as_ref()
                    .is_none_or(|p| f.product.as_ref() == Some(p))
                && glob_matches(&item, Some(&waiver_subject(f)))
                && glob_matches(&device, f.item.device.as_deref())
        };
        let location = Some(w.place.describe());
        if w.expires < as_of {
            let hits = findings.iter().filter(|f| matches(f)).count();
            notices.push(Notice {
                code: Code::WaiverExpired.as_str().into(),
                message: format!(
                    "the waiver for {} expired on {} and no longer waives anything ({hits} finding{} would match)",
                    w.policy,
                    w.expires,
                    if hits == 1 { "" } else { "s" }
                ),
                location,
            });
            continue;
        }
        let mut used = false;
        for f in findings
            .iter_mut()
            .filter(|f| f.waiver.is_none() && matches(f))
        {
            used = true;
            f.waiver = Some(WaiverInfo {
                reason: w.reason.clone(),
                approved_by: w.approved_by.clone(),
                expires: w.expires.to_string(),
            });
        }
        if !used {
            notices.push(Notice {
                code: Code::WaiverUnused.as_str().into(),
                message: format!(
                    "the waiver for {} matched no finding; remove it if it is no longer needed",
                    w.policy
                ),
                location,
            });
        }
    }
    notices
}

/// The notice for a waiver whose policy is not among the `known` ids; its
/// location names the profile and the line.
fn unknown_policy(w: &Waiver, known: &HashSet<&str>) -> Notice {
    let hint = match crate::diag::did_you_mean(&w.policy, known.iter().copied()) {
        Some(m) => format!("did you mean `{m}`?"),
        None => "`banscan policy list` shows the policy ids".into(),
    };
    Notice {
        code: Code::WaiverUnknownPolicy.as_str().into(),
        message: format!(
            "the waiver names policy `{}`, which is not loaded, so it waives nothing; {hint}",
            w.policy
        ),
        location: Some(w.place.describe()),
    }
}
