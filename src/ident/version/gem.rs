//! RubyGems requirements: `op version` terms joined by `,`, all of which
//! must hold (`~> 1.2, >= 1.2.3`), ordered by `gem_version`, a port of
//! `Gem::Version` (so `1.0.a` < `1.0` < `1.0.1`).
//!
//! `~> v` is `>= v` and below `v` bumped, as `Gem::Requirement` reads
//! it; the pre-releases of the bumped version (`2.0.a` for `~> 1.2`)
//! count as inside, where RubyGems leaves them out: a ban errs towards a
//! finding.

use gem_version::GemVersion;
use version_ranges::Ranges;

use super::comparator::{Op, ranges, split_op};

pub(super) fn version(text: &str) -> Option<GemVersion> {
    text.trim().parse().ok()
}

pub(super) fn parse(text: &str) -> Result<Ranges<GemVersion>, String> {
    let mut all = Ranges::full();
    for term in text.split(',') {
        if term.trim().is_empty() {
            return Err("an empty requirement (a stray `,`?)".to_string());
        }
        let (op, written) = split_op(term);
        let v = version(written)
            .filter(|_| !written.is_empty())
            .ok_or_else(|| {
                format!(
                    "`{written}` in `{}` is not a gem version such as 1.2.3",
                    term.trim()
                )
            })?;
        let mut set = ranges(op, v);
        if op == Op::Pessimistic {
            let upper =
                version(&bump(written)).ok_or_else(|| format!("`{written}` cannot be bumped"))?;
            set = set.intersection(&Ranges::strictly_lower_than(upper));
        }
        all = all.intersection(&set);
    }
    Ok(all)
}

/// `Gem::Version#bump`: drop the pre-release letters, drop the last
/// number unless it is the only one, and add one to the new last:
/// `1.2.3` → `1.3`, `1.2` → `2`, `1` → `2`, `1.2.a` → `2`.
pub(super) fn bump(written: &str) -> String {
    // Gem::Version's segments are runs of digits or of letters.
    let mut numbers: Vec<u64> = Vec::new();
    let mut rest = written.trim();
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphanumeric()) {
        rest = &rest[start..];
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        // A letter run is a pre-release segment: the release part ends.
        let Ok(n) = rest[..digits].parse::<u64>() else {
            break;
        };
        numbers.push(n);
        rest = &rest[digits..];
    }
    if numbers.len() > 1 {
        numbers.pop();
    }
    if let Some(last) = numbers.last_mut() {
        *last = last.saturating_add(1);
    }
    numbers
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}
