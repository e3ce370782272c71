//! The vocabularies the drafting reader matches: data files under
//! `vocab/draft/`, embedded in the binary so a draft needs no network and
//! no install step, and extendable with `--vocab FILE` (same keys) so a
//! user can teach it a place, an authority, a sector phrase or a verb
//! without a new release.

use serde::Deserialize;

use crate::policy::Severity;

/// A jurisdiction and the words that name it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jurisdiction {
    pub code: String,
    pub terms: Vec<String>,
}

/// An authority pattern, with what it tells about the policy.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    pub pattern: String,
    #[serde(default)]
    pub jurisdiction: Option<String>,
    pub slug: String,
    /// The capitalised words after the pattern are part of the name.
    #[serde(default)]
    pub name_follows: bool,
    /// A catch-all word ("government") that stands for the actor only
    /// when the sentence names no other authority: "No TikTok on
    /// Government Devices Act, passed by Congress" is Congress's.
    #[serde(default)]
    pub fallback: bool,
}

/// A phrase naming who is bound, and the sector ids it stands for.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorPhrase {
    pub phrase: String,
    pub sectors: Vec<String>,
    /// Only in jurisdictions this one reaches (`US` reaches `US-TX`).
    #[serde(default, rename = "in")]
    pub within: Option<String>,
    /// A phrase about equipment ("state-owned devices"), which implies
    /// who is bound: used only when no phrase names the people or bodies
    /// bound ("state employees"), which say it better.
    #[serde(default)]
    pub implied: bool,
}

/// A verb phrase and the severity it gives.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub phrase: String,
    pub severity: Severity,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Actions {
    #[serde(default)]
    actions: Vec<Action>,
    #[serde(default)]
    hedges: Vec<String>,
}

/// A user's additions, any section optional.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Extension {
    #[serde(default)]
    jurisdictions: Vec<Jurisdiction>,
    #[serde(default)]
    authorities: Vec<Authority>,
    #[serde(default)]
    sectors: Vec<SectorPhrase>,
    #[serde(default)]
    actions: Vec<Action>,
    #[serde(default)]
    hedges: Vec<String>,
}

/// Every vocabulary, built-in entries first.
#[derive(Clone, Debug)]
pub struct Vocab {
    pub jurisdictions: Vec<Jurisdiction>,
    pub authorities: Vec<Authority>,
    pub sectors: Vec<SectorPhrase>,
    pub actions: Vec<Action>,
    pub hedges: Vec<String>,
}

impl Vocab {
    /// The vocabularies shipped in `vocab/draft/`. They are tested, so a
    /// broken one fails the build's tests rather than a user's run.
    pub fn builtin() -> Vocab {
        let actions: Actions = parse(include_str!("../../vocab/draft/actions.yaml"))
            .expect("vocab/draft/actions.yaml is valid");
        Vocab {
            jurisdictions: parse(include_str!("../../vocab/draft/jurisdictions.yaml"))
                .expect("vocab/draft/jurisdictions.yaml is valid"),
            authorities: parse(include_str!("../../vocab/draft/authorities.yaml"))
                .expect("vocab/draft/authorities.yaml is valid"),
            sectors: parse(include_str!("../../vocab/draft/sectors.yaml"))
                .expect("vocab/draft/sectors.yaml is valid"),
            actions: actions.actions,
            hedges: actions.hedges,
        }
    }

    /// Adds a user's file (`jurisdictions:`, `authorities:`, `sectors:`,
    /// `actions:`, `hedges:`), checked as the built-in ones are.
    pub fn extend(&mut self, text: &str) -> Result<(), String> {
        let ext: Extension = parse(text)?;
        let problems: Vec<String> = check(&ext.jurisdictions, &ext.sectors);
        if !problems.is_empty() {
            return Err(problems.join("; "));
        }
        self.jurisdictions.extend(ext.jurisdictions);
        self.authorities.extend(ext.authorities);
        self.sectors.extend(ext.sectors);
        self.actions.extend(ext.actions);
        self.hedges.extend(ext.hedges);
        Ok(())
    }
}

fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_saphyr::from_str(text).map_err(|e| e.to_string())
}

/// Codes and sector ids must be the policy format's own, or a draft would
/// carry values lint refuses.
fn check(jurisdictions: &[Jurisdiction], sectors: &[SectorPhrase]) -> Vec<String> {
    let mut problems = Vec::new();
    for j in jurisdictions {
        if let Err(e) = crate::policy::vocab::check_jurisdiction(&j.code) {
            problems.push(e.to_string());
        }
    }
    for s in sectors {
        for id in &s.sectors {
            if !crate::policy::vocab::is_sector(id) {
                problems.push(format!("`{id}` (for \"{}\") is not a sector", s.phrase));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped files read, and use only codes and sectors the policy
    /// format accepts.
    #[test]
    fn builtin_vocabularies_are_valid() {
        let v = Vocab::builtin();
        assert!(check(&v.jurisdictions, &v.sectors).is_empty());
        for a in &v.authorities {
            if let Some(j) = &a.jurisdiction {
                assert!(crate::policy::vocab::check_jurisdiction(j).is_ok(), "{j}");
            }
            assert!(crate::policy::validate::is_id(&a.slug), "{}", a.slug);
        }
        assert!(v.actions.iter().any(|a| a.phrase == "blocked"));
    }

    /// A user's file adds entries, and a sector outside the format's
    /// vocabulary is refused.
    #[test]
    fn extension() {
        let mut v = Vocab::builtin();
        v.extend("jurisdictions: [{ code: SG, terms: [Singapore] }]")
            .unwrap();
        assert!(v.jurisdictions.iter().any(|j| j.code == "SG"));
        let err = v
            .extend("sectors: [{ phrase: civil servants, sectors: [civil-service] }]")
            .unwrap_err();
        assert!(err.contains("civil-service"), "{err}");
    }
}
