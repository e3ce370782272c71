//! Which policies apply: to whom (jurisdiction, sectors) and on which day.

use std::fmt;

use jiff::civil::Date;

use super::timeline::{self, LegalState, Touched};
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
    /// Policies left out, each with the reason.
    pub not_applied: Vec<(usize, NotApplied)>,
}

/// Why a policy does not apply. Kept as data so a caller can tell "not
/// yet" from "not you"; [`fmt::Display`] gives the words a report shows,
/// which are part of the JSON report and must not change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotApplied {
    /// The policy's jurisdiction does not reach the audience's.
    Jurisdiction {
        policy: String,
        audience: String,
    },
    /// None of the sectors the policy binds is the audience's.
    Sectors {
        binds: Vec<String>,
        audience: Vec<String>,
    },
    /// The policy binds only named organisations, and this is not one.
    Organization {
        binds: Vec<String>,
    },
    NotYetEffective {
        as_of: Date,
        effective: Date,
    },
    /// `expires` is the last day the policy applied.
    Expired {
        expires: Date,
    },
}

impl fmt::Display for NotApplied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotApplied::Jurisdiction { policy, audience } => {
                write!(f, "jurisdiction {policy} does not reach {audience}")
            }
            NotApplied::Sectors { binds, audience } => {
                write!(f, "binds {}, not {}", binds.join(", "), audience.join(", "))
            }
            NotApplied::Organization { binds } => write!(f, "binds only {}", binds.join(" / ")),
            NotApplied::NotYetEffective { as_of, effective } => {
                write!(f, "not yet effective on {as_of} (effective {effective})")
            }
            NotApplied::Expired { expires } => write!(f, "expired: applied until {expires}"),
        }
    }
}

/// Where a policy stands on a day, whoever is checked: what `policy list`
/// shows, and the date part of [`why_not`]. Status events that touch only
/// part of the policy are left to each finding's [`timeline::verdict`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    InForce {
        expires: Option<Date>,
    },
    /// Effective, but before its last deadline: matches are phase-out
    /// findings until then; `next` is the deadline a reader acts on first.
    PhaseOut {
        until: Date,
        next: Date,
    },
    /// Effective, but enjoined, vacated, lifted or superseded since a day:
    /// matches are reported as not enforceable.
    NotEnforceable {
        state: LegalState,
        since: Date,
    },
    NotYetEffective {
        effective: Date,
    },
    /// `expires` is the last day the policy applied.
    Expired {
        expires: Date,
    },
}

impl Standing {
    pub fn of(policy: &Policy, as_of: Date) -> Standing {
        if as_of < policy.effective {
            return Standing::NotYetEffective {
                effective: policy.effective,
            };
        }
        if let Some(expires) = policy.expires
            && as_of > expires
        {
            return Standing::Expired { expires };
        }
        let verdict = timeline::verdict(policy, as_of, Touched::default());
        match (verdict.event, verdict.phase_out) {
            (Some(e), _) if !e.state.enforceable() => Standing::NotEnforceable {
                state: e.state,
                since: e.date,
            },
            (_, Some(p)) => Standing::PhaseOut {
                until: p.until,
                next: p.next.date,
            },
            _ => Standing::InForce {
                expires: policy.expires,
            },
        }
    }

    /// The word a machine reads (`policy list --format json`).
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::InForce { .. } => "in-force",
            Standing::PhaseOut { .. } => "phase-out",
            Standing::NotEnforceable { state, .. } => state.as_str(),
            Standing::NotYetEffective { .. } => "not-yet-effective",
            Standing::Expired { .. } => "expired",
        }
    }
}

impl fmt::Display for Standing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Standing::InForce { expires: None } => f.write_str("in force"),
            Standing::InForce {
                expires: Some(expires),
            } => write!(f, "in force, expires {expires}"),
            Standing::PhaseOut { until, next } if next == until => {
                write!(f, "phase-out until {until}")
            }
            Standing::PhaseOut { until, next } => {
                write!(f, "phase-out until {until} (next deadline {next})")
            }
            Standing::NotEnforceable { state, since } => write!(f, "{state} since {since}"),
            Standing::NotYetEffective { effective } => {
                write!(f, "not yet effective (from {effective})")
            }
            Standing::Expired { expires } => write!(f, "expired {expires}"),
        }
    }
}

/// Why `policy` does not apply, or `None` when it does.
pub fn why_not(policy: &Policy, audience: &Audience, as_of: Date) -> Option<NotApplied> {
    if let Some(org) = &audience.jurisdiction
        && !vocab::jurisdiction_reaches(&policy.jurisdiction, org)
    {
        return Some(NotApplied::Jurisdiction {
            policy: policy.jurisdiction.clone(),
            audience: org.clone(),
        });
    }
    let binds_all = policy.sectors.iter().any(|s| s == ALL_SECTORS);
    if !audience.sectors.is_empty()
        && !binds_all
        && !policy.sectors.iter().any(|s| audience.sectors.contains(s))
    {
        return Some(NotApplied::Sectors {
            binds: policy.sectors.clone(),
            audience: audience.sectors.clone(),
        });
    }
    if !policy.organizations.is_empty() && !audience.is_unrestricted() {
        let named = audience.organization.as_deref().is_some_and(|org| {
            policy
                .organizations
                .iter()
                .any(|o| o.eq_ignore_ascii_case(org.trim()))
        });
        if !named {
            return Some(NotApplied::Organization {
                binds: policy.organizations.clone(),
            });
        }
    }
    match Standing::of(policy, as_of) {
        // Matches under a phase-out or an injunction are still reported,
        // each as what it is on the day.
        Standing::InForce { .. } | Standing::PhaseOut { .. } | Standing::NotEnforceable { .. } => {
            None
        }
        Standing::NotYetEffective { effective } => {
            Some(NotApplied::NotYetEffective { as_of, effective })
        }
        Standing::Expired { expires } => Some(NotApplied::Expired { expires }),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    /// The words are what the JSON report has always said; scripts may
    /// read them, so they are pinned here.
    #[test]
    fn reasons_read_as_before() {
        let cases = [
            (
                NotApplied::Jurisdiction {
                    policy: "TW".into(),
                    audience: "US-TX".into(),
                },
                "jurisdiction TW does not reach US-TX",
            ),
            (
                NotApplied::Sectors {
                    binds: vec!["government".into(), "education".into()],
                    audience: vec!["private".into()],
                },
                "binds government, education, not private",
            ),
            (
                NotApplied::Organization {
                    binds: vec!["Ministry A".into(), "Agency B".into()],
                },
                "binds only Ministry A / Agency B",
            ),
            (
                NotApplied::NotYetEffective {
                    as_of: date("2024-12-31"),
                    effective: date("2025-02-03"),
                },
                "not yet effective on 2024-12-31 (effective 2025-02-03)",
            ),
            (
                NotApplied::Expired {
                    expires: date("2025-06-30"),
                },
                "expired: applied until 2025-06-30",
            ),
        ];
        for (reason, text) in cases {
            assert_eq!(reason.to_string(), text);
        }
    }
}
