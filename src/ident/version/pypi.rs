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

use pep440_rs::{Operator, Version, VersionSpecifier, VersionSpecifiers};
use version_ranges::Ranges;

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
        _ => Ranges::from(s.clone()),
    }
}
