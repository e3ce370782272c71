//! Composer constraints: `^1.2`, `~1.2`, `1.2.*`, `1.0 - 2.0`,
//! `>=1.0 <2.0` (space or `,` as AND), `||` (or `|`) between
//! alternatives, `v` prefixes, stability suffixes (`1.2.3-beta1`,
//! `-RC2`, `-dev`) and `@stability` flags, read as composer/semver's
//! `VersionParser` reads them.
//!
//! Written here from Composer's "Versions and constraints" page and
//! composer/semver's behaviour: `semver-php` 0.1.0 was tried first and
//! dropped because it sorts `1.2.3` below `1.2.3-beta1`, and
//! `composer-semver` needs a newer Rust than ours (and is EUPL). As in
//! Composer, `>=1.2` starts at 1.2's dev and pre-releases, and `<2.0`
//! stops before 2.0's; branches (`dev-main`) are no versions: a range
//! naming one is refused, an item at one counts as inside.

use version_ranges::Ranges;

use super::comparator::{Op, ranges, split_op};

/// A Composer version: four numbers, then its stability and that
/// stability's number (`1.2.3-beta2` is 1.2.3.0, beta, 2).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ComposerVersion {
    release: [u64; 4],
    stability: Stability,
    number: u64,
}

/// Composer's stabilities, least stable first; `patch` (`-p1`, `-pl1`)
/// is after the release.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Stability {
    Dev,
    Alpha,
    Beta,
    Rc,
    Stable,
    Patch,
}

impl ComposerVersion {
    /// The lowest version of a release: its `-dev`.
    fn dev(release: [u64; 4]) -> ComposerVersion {
        ComposerVersion {
            release,
            stability: Stability::Dev,
            number: 0,
        }
    }
}

/// A version as written: its numbers (how many were written counts for
/// `~`, `^` and partial bounds) and the version they name.
struct Written {
    parts: Vec<u64>,
    version: ComposerVersion,
    /// A stability suffix was written (`1.0-beta1`), so no `-dev` is put
    /// in front of it.
    suffixed: bool,
}

pub(super) fn version(text: &str) -> Option<ComposerVersion> {
    written(text).map(|w| w.version)
}

fn written(text: &str) -> Option<Written> {
    let text = text.trim();
    let text = text.split_once('+').map_or(text, |(v, _build)| v);
    let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
    let numbers_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (numbers, suffix) = text.split_at(numbers_end);
    let numbers = numbers
        .strip_suffix('.')
        .filter(|_| !suffix.is_empty())
        .unwrap_or(numbers);
    let mut parts = Vec::new();
    for part in numbers.split('.') {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) || parts.len() == 4 {
            return None;
        }
        parts.push(part.parse().ok()?);
    }
    let mut release = [0; 4];
    release[..parts.len()].copy_from_slice(&parts);
    let (stability, number) = stability(suffix)?;
    Some(Written {
        parts,
        version: ComposerVersion {
            release,
            stability,
            number,
        },
        suffixed: !suffix.is_empty(),
    })
}

/// Reads `-beta1`, `.RC2`, `alpha`, `-p1`, `-dev`.
fn stability(suffix: &str) -> Option<(Stability, u64)> {
    if suffix.is_empty() {
        return Some((Stability::Stable, 0));
    }
    let rest = suffix.strip_prefix(['-', '.', '_']).unwrap_or(suffix);
    let lower = rest.to_ascii_lowercase();
    // Longest names first, so `beta` is not read as `b` + `eta`.
    const NAMES: [(&str, Stability); 10] = [
        ("stable", Stability::Stable),
        ("alpha", Stability::Alpha),
        ("patch", Stability::Patch),
        ("beta", Stability::Beta),
        ("dev", Stability::Dev),
        ("rc", Stability::Rc),
        ("pl", Stability::Patch),
        ("a", Stability::Alpha),
        ("b", Stability::Beta),
        ("p", Stability::Patch),
    ];
    let (name, stability) = NAMES
        .into_iter()
        .find(|(name, _)| lower.starts_with(name))?;
    let digits = lower[name.len()..].trim_start_matches(['.', '-']);
    let number = if digits.is_empty() {
        0
    } else if digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()?
    } else {
        return None;
    };
    Some((stability, number))
}

pub(super) fn parse(text: &str) -> Result<Ranges<ComposerVersion>, String> {
    let mut any = Ranges::empty();
    for alternative in text.split("||").flat_map(|a| a.split('|')) {
        any = any.union(&conjunction(alternative)?);
    }
    Ok(any)
}

/// One alternative: a hyphen range, or terms that must all hold.
fn conjunction(text: &str) -> Result<Ranges<ComposerVersion>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("an empty constraint (a stray `||`?)".to_string());
    }
    if let Some((low, high)) = text.split_once(" - ") {
        return hyphen(low, high);
    }
    // `>= 1.0` is one term: join operators to their versions.
    let mut joined = String::with_capacity(text.len());
    let mut after_op = false;
    for c in text.chars() {
        if c.is_whitespace() && after_op {
            continue;
        }
        after_op = "<>=!~^".contains(c);
        joined.push(c);
    }
    let mut all = Ranges::full();
    for term in joined.split([',', ' ']).filter(|t| !t.trim().is_empty()) {
        all = all.intersection(&term_ranges(term)?);
    }
    Ok(all)
}

fn term_ranges(term: &str) -> Result<Ranges<ComposerVersion>, String> {
    // `@dev` and friends choose what a solver may install, not versions.
    let term = term.split_once('@').map_or(term, |(t, _flag)| t).trim();
    if matches!(term, "*" | "x" | "X" | "*.*" | "*.*.*") {
        return Ok(Ranges::full());
    }
    let bad = || format!("`{term}` is not a Composer version such as 1.2.3 or v1.2.3-beta1");
    if let Some(rest) = term.strip_prefix('^') {
        let w = written(rest).ok_or_else(bad)?;
        // The first non-zero number written may not change.
        let keep = w
            .parts
            .iter()
            .position(|&n| n != 0)
            .unwrap_or(w.parts.len() - 1);
        return Ok(between(&w, next(&w.parts[..=keep])));
    }
    if let Some(rest) = term.strip_prefix('~').filter(|r| !r.starts_with('>')) {
        let w = written(rest).ok_or_else(bad)?;
        let keep = w.parts.len().saturating_sub(1).max(1);
        return Ok(between(&w, next(&w.parts[..keep.min(w.parts.len())])));
    }
    if let Some(prefix) = term.strip_suffix(".*").or_else(|| term.strip_suffix(".x")) {
        let w = written(prefix).ok_or_else(bad)?;
        return Ok(between(&w, next(&w.parts)));
    }
    let (op, rest) = match term.strip_prefix("<>") {
        Some(rest) => (Op::Ne, rest),
        None => split_op(term),
    };
    if op == Op::Pessimistic {
        return Err(format!(
            "`{term}`: `~>` is RubyGems' operator; Composer writes `~1.2`"
        ));
    }
    let w = written(rest).ok_or_else(bad)?;
    let v = match op {
        // Composer starts `>=` at the release's dev and ends `<` before it.
        Op::Ge | Op::Lt if !w.suffixed => ComposerVersion::dev(w.version.release),
        _ => w.version,
    };
    Ok(ranges(op, v))
}

/// `A - B`: from A; to B inclusive, or before the next release after a
/// partial B (`1.0 - 2` is below 3).
fn hyphen(low: &str, high: &str) -> Result<Ranges<ComposerVersion>, String> {
    let bad = |t: &str| format!("`{t}` is not a Composer version such as 1.2.3");
    let low = written(low).ok_or_else(|| bad(low))?;
    let high_w = written(high).ok_or_else(|| bad(high))?;
    let from = Ranges::higher_than(floor(&low));
    let to = if high_w.parts.len() < 3 && !high_w.suffixed {
        Ranges::strictly_lower_than(next(&high_w.parts))
    } else {
        Ranges::lower_than(high_w.version)
    };
    Ok(from.intersection(&to))
}

/// From `w` (its dev versions too, unless a stability was written) to
/// before `upper`.
fn between(w: &Written, upper: ComposerVersion) -> Ranges<ComposerVersion> {
    Ranges::higher_than(floor(w)).intersection(&Ranges::strictly_lower_than(upper))
}

fn floor(w: &Written) -> ComposerVersion {
    if w.suffixed {
        w.version.clone()
    } else {
        ComposerVersion::dev(w.version.release)
    }
}

/// The dev version of the release after `parts`: `[1, 2]` → 1.3.0.0-dev.
fn next(parts: &[u64]) -> ComposerVersion {
    let mut release = [0; 4];
    release[..parts.len()].copy_from_slice(parts);
    if let Some(last) = parts.len().checked_sub(1) {
        release[last] = release[last].saturating_add(1);
    }
    ComposerVersion::dev(release)
}
