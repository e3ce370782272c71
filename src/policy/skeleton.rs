//! The policy `banscan policy new` writes: every required key, the
//! optional ones commented out, and a `<FILL IN: ...>` placeholder wherever
//! only the author knows the fact. Reading refuses placeholders
//! ([`super::validate::placeholders`]), so a skeleton cannot slip into a
//! rule set half-written, and `policy lint` lists every one left in one run.

/// The skeleton of policy `id` banning `product` in `jurisdiction`. The
/// three are checked by the caller (ids and a jurisdiction code need no
/// quoting in YAML, so they are written as they are).
pub fn skeleton(id: &str, product: &str, jurisdiction: &str) -> String {
    format!(
        r#"# A new policy, written by `banscan policy new`. Replace every FILL IN
# placeholder (quotes and all) with the fact as the ban's own text or
# announcement gives it; `banscan policy lint FILE` lists those left.
# Optional keys are commented out: keep those the sources support.
policy: {id}
title: "<FILL IN: a one-line title, such as Public-sector ban on DeepSeek AI services>"
authority: "<FILL IN: the authority that issued the ban>"
jurisdiction: {jurisdiction}                   # ISO 3166-1 alpha-2, ISO 3166-2 (US-TX), EU or GLOBAL
issued: "<FILL IN: the day the ban was issued, YYYY-MM-DD>"
effective: "<FILL IN: the first day it applies, YYYY-MM-DD>"
expires: null                      # or the last day it applies, YYYY-MM-DD
legal_basis: "<FILL IN: the law, order or decision the ban rests on>"
# instrument: the letter, order or decision that gave the ban, and its date
sources:                           # at least one; findings cite the first with a url
  - title: "<FILL IN: the title of the announcement or legal text>"
    publisher: "<FILL IN: who published it>"
    url: "<FILL IN: its address, starting with https://>"
    date: "<FILL IN: the day it was published, YYYY-MM-DD>"   # optional
binds:
  sectors: ["<FILL IN: the sectors bound, such as central-government; all for everyone>"]
  # organizations: [the names and aliases of the only organisations bound]
  # scope: official devices, networks and services
severity: "<FILL IN: ban, restrict or advisory>"
# confidence: unconfirmed          # facts no source confirms yet; then severity must be advisory
# rationale: why the authority banned it
# remediation: what to do about a finding
# exceptions: who may still use it, and on what condition
# notes: anything else a reviewer should know
bans:
  - product: {product}
    # only: [apps]                 # narrow the ban to some kinds: packages, apps, endpoints, files
examples:                          # run by `banscan policy test`; `package:`, `app:` and `file:` work too
  violating:                       # items the policy must flag
    - endpoint: "<FILL IN: a host of {product} that this policy must flag>"
  compliant:                       # near misses it must not flag
    - endpoint: "<FILL IN: a look-alike host it must not flag>"
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Placeholders are quoted, so the skeleton is YAML a reader takes in
    /// before it refuses the placeholders.
    #[test]
    fn skeleton_is_yaml() {
        let text = skeleton("xx-demo-2026-chat", "demo-chat", "US-TX");
        let file = std::sync::Arc::new(crate::diag::SourceFile::new(
            "t.yaml",
            std::sync::Arc::from(text.as_str()),
        ));
        assert!(crate::yaml::parse_documents(&file).is_ok());
        assert_eq!(
            text.matches(super::super::validate::PLACEHOLDER).count(),
            13
        );
    }
}
