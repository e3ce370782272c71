//! PEP 440 specifiers as sets of versions, for asking whether two of
//! them share a version.
//!
//! `pep440_rs` turns each specifier into the interval PEP 440 gives it
//! (its `version-ranges` feature, the conversion uv resolves with), for
//! versions without a local label (`+cpu`). Those are the only versions
//! needed: a specifier without a local label ignores a candidate's, so
//! two specifiers that share a version share it without its label. The
//! specifiers that do not fit are widened, never narrowed: `==V+local`
//! becomes `==V`; `!=`, `!=V.*`, `===` (arbitrary equality) and any other
//! specifier with a local label become any version.
//!
//! A requirement may also be a Poetry constraint (`[tool.poetry]`
//! tables in pyproject.toml): `^1.2` and `~1.2` as Poetry reads them
//! (`>=1.2,<2.0` and `>=1.2,<1.3`), a bare version for `==` that
//! version, `,` or spaces between terms that must all hold, `||` (or
//! `|`) between alternatives. Poetry's own bounds leave out pre-releases
//! these sets let in.

use std::str::FromStr;

use pep440_rs::{Operator, Version, VersionSpecifier, VersionSpecifiers};
use version_ranges::Ranges;

/// Whether `specifiers` allow `v`: `pep440_rs`'s answer, but for two
/// operators it gets wrong. A prefix match (`==1.1.*`, `!=1.1.*`, and
/// the one in `~=1.1`) pads the candidate's release with zeros, as
/// PEP 440 does, where the crate compares only as many numbers as the
/// shorter release has (so `1` was inside `==1.1.*` and outside
/// `!=1.1.*`). And `<V` leaves out the pre-releases of V's own release
/// only when V is no pre-release itself, and only in V's epoch (the crate
/// left `2a1` out of `<2b2` and `0a1` out of `<1!0`).
pub(super) fn contains(specifiers: &VersionSpecifiers, v: &Version) -> bool {
    specifiers.iter().all(|s| {
        let written = s.version();
        match s.operator() {
            Operator::EqualStar | Operator::NotEqualStar | Operator::TildeEqual
                if v.release().len() < written.release().len() =>
            {
                let padded = v.release().iter().copied().chain(std::iter::repeat(0));
                s.contains(&v.clone().with_release(padded.take(written.release().len())))
            }
            Operator::LessThan if written.local().is_empty() => less_than(v, written),
            _ => s.contains(v),
        }
    })
}

/// PEP 440's `<V` (as `packaging` reads it): below V, and not a
/// pre-release of V's release unless V is a pre-release too.
fn less_than(v: &Version, written: &Version) -> bool {
    let v = v.clone().without_local();
    let base = |x: &Version| Version::new(x.release()).with_epoch(x.epoch());
    let pre_of_written = v.any_prerelease() && base(&v) == base(written);
    v < *written && (written.any_prerelease() || !pre_of_written)
}

/// The versions, without local labels, that `specifiers` may allow.
pub(super) fn ranges(specifiers: &VersionSpecifiers) -> Ranges<Version> {
    specifiers
        .iter()
        .fold(Ranges::full(), |all, s| all.intersection(&specifier(s)))
}

fn specifier(s: &VersionSpecifier) -> Ranges<Version> {
    let local = !s.version().local().is_empty();
    match s.operator() {
        Operator::Equal if local => Ranges::singleton(s.version().clone().without_local()),
        // Excluding one version or series from all others leaves too many
        // to be worth the exactness.
        Operator::NotEqual | Operator::NotEqualStar | Operator::ExactEqual => Ranges::full(),
        _ if local => Ranges::full(),
        // pep440_rs bounds `<2.post1` below `2.min0`, leaving out `2`
        // itself. Below `2.post1` holds `2`, and also the pre-releases of
        // `2` that `<2.post1` leaves out: wider, never narrower.
        Operator::LessThan if s.version().is_post() => {
            Ranges::strictly_lower_than(s.version().clone())
        }
        _ => Ranges::from(s.clone()),
    }
}

/// The versions a manifest's requirement may allow, PEP 440 specifiers
/// or a Poetry constraint; `None` when it is neither.
pub(super) fn requirement(text: &str) -> Option<Ranges<Version>> {
    match text.parse::<VersionSpecifiers>() {
        Ok(specifiers) => Some(ranges(&specifiers)),
        Err(_) => poetry(text),
    }
}

fn poetry(text: &str) -> Option<Ranges<Version>> {
    let mut any = Ranges::empty();
    let mut alternatives = 0;
    for alternative in text.split('|').filter(|a| !a.trim().is_empty()) {
        let mut all = Ranges::full();
        for term in terms(alternative) {
            all = all.intersection(&poetry_term(&term)?);
        }
        any = any.union(&all);
        alternatives += 1;
    }
    (alternatives > 0).then_some(any)
}

/// The terms of one alternative, split at `,` and spaces, with an
/// operator written apart (`>= 1.2`) joined to its version.
fn terms(alternative: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    let mut pending = String::new();
    for word in alternative
        .split([',', ' ', '\t'])
        .filter(|w| !w.is_empty())
    {
        pending.push_str(word);
        if !word.ends_with(['<', '>', '=', '!', '~', '^']) {
            terms.push(std::mem::take(&mut pending));
        }
    }
    if !pending.is_empty() {
        terms.push(pending);
    }
    terms
}

fn poetry_term(term: &str) -> Option<Ranges<Version>> {
    if term == "*" {
        return Some(Ranges::full());
    }
    if let Some(written) = term.strip_prefix('^') {
        let v = Version::from_str(written).ok()?;
        // The first number that is not zero may not change.
        let keep = v
            .release()
            .iter()
            .position(|&n| n != 0)
            .unwrap_or(v.release().len().saturating_sub(1));
        return Some(up_to_next(v, keep));
    }
    if let Some(written) = term.strip_prefix('~').filter(|w| !w.starts_with('=')) {
        let v = Version::from_str(written).ok()?;
        // `~1` keeps the major, `~1.2` and `~1.2.3` the minor.
        let keep = v.release().len().min(2).saturating_sub(1);
        return Some(up_to_next(v, keep));
    }
    let written = if term.starts_with(|c: char| c.is_ascii_digit()) {
        format!("=={term}")
    } else {
        term.to_string()
    };
    VersionSpecifier::from_str(&written)
        .ok()
        .map(|s| specifier(&s))
}

/// From `v` to before the release after its first `keep + 1` numbers:
/// `1.2.3` keeping 0 is below 2.
fn up_to_next(v: Version, keep: usize) -> Ranges<Version> {
    let release = v.release();
    let Some(&last) = release.get(keep) else {
        return Ranges::higher_than(v);
    };
    let Some(bumped) = last.checked_add(1) else {
        return Ranges::higher_than(v);
    };
    let upper = Version::new(release[..keep].iter().chain([&bumped])).with_epoch(v.epoch());
    Ranges::higher_than(v).intersection(&Ranges::strictly_lower_than(upper))
}
