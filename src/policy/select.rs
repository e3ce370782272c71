//! Which policies apply: to whom (jurisdiction, sectors) and on which day.

use jiff::civil::Date;

use super::vocab::{self, ALL_SECTORS};
use super::{Library, Policy};

/// Who is being checked. Empty fields mean "not said", and then nothing is
/// filtered out on that ground.
#[derive(Clone, Debug, Default)]
pub struct Audience {
    pub jurisdiction: Option<String>,
    pub sectors: Vec<String>,
    /// The organisation's name, matched against policies that bind only
    /// named organisations.
    pub organization: Option<String>,
}

impl Audience {
    pub fn is_unrestricted(&self) -> bool {
        self.jurisdiction.is_none() && self.sectors.is_empty() && self.organization.is_none()
    }
}

/// The outcome of selection, by index into [`Library::policies`].
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub applied: Vec<usize>,
    /// Policies left out, each with the reason in words.
    pub not_applied: Vec<(usize, String)>,
}

/// Why `policy` does not apply, or `None` when it does.
pub fn why_not(policy: &Policy, audience: &Audience, as_of: Date) -> Option<String> {
    if let Some(org) = &audience.jurisdiction
        && !vocab::jurisdiction_reaches(&policy.jurisdiction, org)
    {
        return Some(format!(
            "jurisdiction {} does not reach {org}",
            policy.jurisdiction
        ));
    }
    let binds_all = policy.sectors.iter().any(|s| s == ALL_SECTORS);
    if !audience.sectors.is_empty()
        && !binds_all
        && !policy.sectors.iter().any(|s| audience.sectors.contains(s))
    {
        return Some(format!(
            "binds {}, not {}",
            policy.sectors.join(", "),
            audience.sectors.join(", ")
        ));
    }
    if !policy.organizations.is_empty() && !audience.is_unrestricted() {
        let named = audience.organization.as_deref().is_some_and(|org| {
            policy
                .organizations
                .iter()
                .any(|o| o.eq_ignore_ascii_case(org.trim()))
        });
        if !named {
            return Some(format!("binds only {}", policy.organizations.join(" / ")));
        }
    }
    if as_of < policy.effective {
        return Some(format!(
            "not yet effective on {as_of} (effective {})",
            policy.effective
        ));
    }
    if let Some(expires) = policy.expires
        && as_of > expires
    {
        return Some(format!("expired: applied until {expires}"));
    }
    None
}

pub fn select(library: &Library, audience: &Audience, as_of: Date) -> Selection {
    let mut selection = Selection::default();
    for (i, policy) in library.policies.iter().enumerate() {
        match why_not(policy, audience, as_of) {
            None => selection.applied.push(i),
            Some(reason) => selection.not_applied.push((i, reason)),
        }
    }
    selection
}
