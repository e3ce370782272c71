//! Cargo requirements as sets of versions, for asking whether two of
//! them share a version: `semver` matches a version against a
//! requirement but cannot intersect two.
//!
//! Each comparator becomes the interval semver's documentation gives it
//! (`^1.2` is `>=1.2.0, <2.0.0`, `>1.2` is `>=1.3.0`, `~1` is `>=1.0.0,
//! <2.0.0`), and a requirement is the intersection of its comparators.
//! The intervals may hold more than the requirement does, never less:
//! semver keeps pre-releases out unless a comparator names one of the
//! same release, while an interval lets in every pre-release between its
//! bounds. Build metadata is ignored by semver and no bound carries
//! any, so two requirements that share a version share one without it.

use semver::{Comparator, Op, Prerelease, Version, VersionReq};
use version_ranges::Ranges;

/// The versions `req` may allow: every comparator must hold.
pub(super) fn ranges(req: &VersionReq) -> Ranges<Version> {
    req.comparators
        .iter()
        .fold(Ranges::full(), |all, c| all.intersection(&comparator(c)))
}

fn comparator(c: &Comparator) -> Ranges<Version> {
    let written: Vec<u64> = [Some(c.major), c.minor, c.patch]
        .into_iter()
        .map_while(|n| n)
        .collect();
    let lowest = Version {
        major: c.major,
        minor: c.minor.unwrap_or(0),
        patch: c.patch.unwrap_or(0),
        pre: c.pre.clone(),
        build: semver::BuildMetadata::EMPTY,
    };
    let complete = c.patch.is_some();
    match c.op {
        Op::Exact | Op::Wildcard if complete => Ranges::singleton(lowest),
        // `=1.2` and `1.2.*`: the releases that start with what is written.
        Op::Exact | Op::Wildcard => below(lowest, &written),
        Op::Greater if complete => Ranges::strictly_higher_than(lowest),
        // `>1.2` is from 1.3.0 on; its pre-releases are let in.
        Op::Greater => bumped(&written).map_or_else(Ranges::full, |next| {
            Ranges::higher_than(with_lowest_pre(next))
        }),
        Op::GreaterEq => Ranges::higher_than(lowest),
        Op::Less => Ranges::strictly_lower_than(lowest),
        Op::LessEq if complete => Ranges::lower_than(lowest),
        Op::LessEq => bumped(&written).map_or_else(Ranges::full, Ranges::strictly_lower_than),
        // `~1.2.3` and `~1.2` keep major and minor, `~1` the major.
        Op::Tilde => below(lowest, &written[..written.len().min(2)]),
        // `^` keeps the first number that is not zero, or the last written.
        Op::Caret => {
            let keep = written
                .iter()
                .position(|&n| n != 0)
                .unwrap_or(written.len() - 1);
            below(lowest, &written[..=keep])
        }
        // An operator newer than this code: any version, so a ban errs
        // towards a finding.
        _ => Ranges::full(),
    }
}

/// From `lowest` to before the release after `kept` numbers.
fn below(lowest: Version, kept: &[u64]) -> Ranges<Version> {
    let from = Ranges::higher_than(lowest);
    match bumped(kept) {
        Some(next) => from.intersection(&Ranges::strictly_lower_than(next)),
        None => from,
    }
}

/// The release after `numbers` (`[1, 2]` → 1.3.0); `None` past the
/// largest number, where there is no bound.
fn bumped(numbers: &[u64]) -> Option<Version> {
    let mut release = [0u64; 3];
    release[..numbers.len()].copy_from_slice(numbers);
    let last = numbers.len().checked_sub(1)?;
    release[last] = release[last].checked_add(1)?;
    Some(Version::new(release[0], release[1], release[2]))
}

/// `v`'s lowest pre-release (`1.3.0-0`), below all its others.
fn with_lowest_pre(mut v: Version) -> Version {
    if let Ok(pre) = Prerelease::new("0") {
        v.pre = pre;
    }
    v
}
