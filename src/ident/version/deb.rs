//! Debian package versions (`[epoch:]upstream[-revision]`) in dpkg's order,
//! for `pkg:deb` rules' `versions:` against `dpkg-query`, `dpkg -l`,
//! `dpkg/status` and osquery `deb_packages` versions.
//!
//! The order is dpkg's (deb-version(7)): the epoch as a number, then the
//! upstream version and the revision, each compared as alternating runs
//! of non-digits and digits. Non-digit runs compare character by character
//! with `~` before everything, even the end of the run (`1.0~rc1 < 1.0`),
//! then letters, then other characters; digit runs compare as numbers. A
//! missing revision is an empty one, as dpkg compares it: `1.0 < 1.0-1`,
//! so `<= 1.0` leaves out Debian's own `1.0-1`.
//!
//! Ranges are the comparators app and Go ranges share (`>= 1:2.38, <
//! 1:2.39~`), with `<` and `>` strict; Debian's own `<<` and `>>` are told
//! to be written so.
//!
//! Written here from deb-version(7): the crates that compare Debian
//! versions pull in a regex engine, a date library and a proc-macro stack
//! for these forty lines.

use std::cmp::Ordering;

use version_ranges::Ranges;

use super::comparator::alternatives;

/// A Debian version, ordered as dpkg orders it.
#[derive(Clone, Debug)]
pub struct DebVersion {
    epoch: u64,
    upstream: String,
    revision: String,
}

impl DebVersion {
    /// Reads a version as dpkg writes it; `None` for a non-numeric epoch,
    /// an empty upstream part, or one that does not start with a digit.
    pub fn parse(text: &str) -> Option<DebVersion> {
        let text = text.trim();
        let (epoch, rest) = match text.split_once(':') {
            Some((epoch, rest)) => (epoch.parse().ok()?, rest),
            None => (0, text),
        };
        let (upstream, revision) = rest.rsplit_once('-').unwrap_or((rest, ""));
        let valid = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".+~-:".contains(&b))
        };
        if !upstream.starts_with(|c: char| c.is_ascii_digit())
            || !valid(upstream)
            || !valid(revision)
        {
            return None;
        }
        Some(DebVersion {
            epoch,
            upstream: upstream.to_string(),
            revision: revision.to_string(),
        })
    }
}

/// Where a character sorts in a non-digit run: `~` first, then the end of
/// the run, letters, and everything else.
fn order(c: Option<u8>) -> i32 {
    match c {
        Some(b'~') => -1,
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp` on one part (upstream or revision).
fn compare_part(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    while !a.is_empty() || !b.is_empty() {
        // The non-digit runs, character by character.
        while a.first().is_some_and(|c| !c.is_ascii_digit())
            || b.first().is_some_and(|c| !c.is_ascii_digit())
        {
            let (x, y) = (order(a.first().copied()), order(b.first().copied()));
            if x != y {
                return x.cmp(&y);
            }
            a = &a[1.min(a.len())..];
            b = &b[1.min(b.len())..];
        }
        // The digit runs, as numbers of any length.
        let digits = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
        let (da, db) = (digits(a), digits(b));
        let trim = |s: &[u8]| {
            let zeros = s.iter().take_while(|&&c| c == b'0').count();
            s[zeros..].to_vec()
        };
        let (na, nb) = (trim(&a[..da]), trim(&b[..db]));
        let by_number = na.len().cmp(&nb.len()).then_with(|| na.cmp(&nb));
        if by_number.is_ne() {
            return by_number;
        }
        a = &a[da..];
        b = &b[db..];
    }
    Ordering::Equal
}

impl Ord for DebVersion {
    fn cmp(&self, other: &DebVersion) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| compare_part(&self.upstream, &other.upstream))
            .then_with(|| compare_part(&self.revision, &other.revision))
    }
}

impl PartialOrd for DebVersion {
    fn partial_cmp(&self, other: &DebVersion) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for DebVersion {
    fn eq(&self, other: &DebVersion) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for DebVersion {}

/// Reads a range of Debian versions: `>= 1:2.38, < 1:2.39~`, `= 12.1.0-1`.
pub(super) fn parse(text: &str) -> Result<Ranges<DebVersion>, String> {
    alternatives(text, |term, _, version| {
        if version.starts_with(['<', '>']) {
            return Err(format!(
                "`{term}`: write Debian's `<<` and `>>` as `<` and `>` (strict)"
            ));
        }
        DebVersion::parse(version)
            .ok_or_else(|| format!("`{version}` in `{term}` is not a Debian version"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> DebVersion {
        DebVersion::parse(text).unwrap_or_else(|| panic!("{text}"))
    }

    /// dpkg's order, in the cases deb-version(7) and `dpkg
    /// --compare-versions` are known for.
    #[test]
    fn dpkg_order() {
        let ascending = [
            "0.9",
            "1.0~~",
            "1.0~~a",
            "1.0~rc1",
            "1.0",
            "1.0-0.1",
            "1.0-1",
            "1.0-1+b1",
            "1.0-1+deb12u1",
            "1.0-2",
            "1.0-10",
            "1.0a",
            "1.0+dfsg",
            "1.0.1",
            "1.2",
            "1.10",
            "2.0",
            "1:0.1",
            "2:0.0.1",
        ];
        for pair in ascending.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
            assert!(v(pair[1]) > v(pair[0]), "{} > {}", pair[1], pair[0]);
        }
        assert_eq!(v("1.0"), v("1.0-"));
        assert_eq!(v("1.01"), v("1.1"));
        assert_eq!(v("0:1.0"), v("1.0"));
        assert_eq!(v("2.38.1-5+deb12u3"), v("0:2.38.1-5+deb12u3"));
    }

    #[test]
    fn unreadable_versions() {
        for text in ["", "a1.0", "x:1.0", "1.0 beta", "-1"] {
            assert!(DebVersion::parse(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn ranges() {
        let r = parse(">= 1:2.38, < 1:2.39~").unwrap();
        assert!(r.contains(&v("1:2.38.1-5")));
        assert!(!r.contains(&v("1:2.39~rc1")));
        assert!(!r.contains(&v("2.38.1-5")), "no epoch is epoch 0");
        let r = parse("<= 12.1.0").unwrap();
        assert!(r.contains(&v("12.1.0~beta")) && !r.contains(&v("12.1.0-1")));
        assert!(parse("<< 2.0").unwrap_err().contains("`<` and `>`"));
        assert!(parse(">= x").unwrap_err().contains("not a Debian version"));
    }
}
