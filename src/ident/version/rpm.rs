//! RPM package versions (`[epoch:]version[-release]`) in rpm's order, for
//! `pkg:rpm` rules' `versions:` against `rpm -qa` and osquery
//! `rpm_packages` versions.
//!
//! The order is rpm's `rpmvercmp`: the epoch as a number (none is 0), then
//! the version, then the release, each split into runs of letters and of
//! digits at any other character. Digit runs compare as numbers and rank
//! above letter runs; letter runs compare as bytes. `~` ranks below
//! everything, the end included (`1.0~rc1 < 1.0`), and `^` above the end
//! but below any further run (`1.0 < 1.0^git1 < 1.0.1`). Where one side
//! runs out of runs, the longer one is newer.
//!
//! rpm compares releases only where both sides name one: a rule's `>= 1.0`
//! takes every release of 1.0, and so does `<= 1.0` and `= 1.0`. Here a
//! version without a release in a range stands for all of its releases:
//! `<=` and `>` reach past the last of them, `>=` and `<` stop before the
//! first.
//!
//! Written here from rpm's documentation (rpm-version(7)): the crates that
//! compare RPM versions bind librpm.

use std::cmp::Ordering;

use version_ranges::Ranges;

use super::comparator::{Op, alternative_sets, ranges};

/// An RPM version, ordered as rpm orders it.
#[derive(Clone, Debug)]
pub struct RpmVersion {
    epoch: u64,
    version: String,
    release: Release,
}

/// A release, and the two ends a range's release-less version needs.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Release {
    /// Below every release of the version.
    First,
    Some(String),
    /// Above every release of the version.
    Last,
}

impl RpmVersion {
    /// Reads `[epoch:]version[-release]` as `rpm -q --qf '%{EVR}'` writes
    /// it; `None` for a non-numeric epoch or a version not starting with a
    /// letter or digit. A version without a release sorts below its
    /// releases.
    pub fn parse(text: &str) -> Option<RpmVersion> {
        let (epoch, version, release) = split(text)?;
        Some(RpmVersion {
            epoch,
            version: version.to_string(),
            release: release.map_or(Release::First, |r| Release::Some(r.to_string())),
        })
    }
}

fn split(text: &str) -> Option<(u64, &str, Option<&str>)> {
    let text = text.trim();
    let (epoch, rest) = match text.split_once(':') {
        Some((epoch, rest)) => (epoch.parse().ok()?, rest),
        None => (0, text),
    };
    let (version, release) = match rest.rsplit_once('-') {
        Some((version, release)) => (version, Some(release)),
        None => (rest, None),
    };
    let valid = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_alphanumeric())
            && !s.contains(|c: char| c.is_whitespace() || c == '-')
    };
    (valid(version) && release.is_none_or(valid)).then_some((epoch, version, release))
}

/// `rpmvercmp` on one part (version or release).
fn compare_part(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    let separator = |c: &u8| !c.is_ascii_alphanumeric() && *c != b'~' && *c != b'^';
    loop {
        let skip = |s: &[u8]| s.iter().take_while(|c| separator(c)).count();
        a = &a[skip(a)..];
        b = &b[skip(b)..];
        // `~` below everything, the end included.
        match (a.first() == Some(&b'~'), b.first() == Some(&b'~')) {
            (true, true) => {
                a = &a[1..];
                b = &b[1..];
                continue;
            }
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        // `^` above the end, below anything else.
        match (a.first() == Some(&b'^'), b.first() == Some(&b'^')) {
            (true, true) => {
                a = &a[1..];
                b = &b[1..];
                continue;
            }
            (true, false) => {
                return if b.is_empty() {
                    Ordering::Greater
                } else {
                    Ordering::Less
                };
            }
            (false, true) => {
                return if a.is_empty() {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
            }
            (false, false) => {}
        }
        match (a.is_empty(), b.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        let numeric = a[0].is_ascii_digit();
        let run = |s: &[u8]| {
            s.iter()
                .take_while(|c| {
                    if numeric {
                        c.is_ascii_digit()
                    } else {
                        c.is_ascii_alphabetic()
                    }
                })
                .count()
        };
        let (ra, rb) = (run(a), run(b));
        // A digit run against a letter run: the number is newer.
        if rb == 0 {
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let by_run = if numeric {
            let trim = |s: &[u8]| {
                let zeros = s.iter().take_while(|&&c| c == b'0').count();
                s[zeros..].to_vec()
            };
            let (na, nb) = (trim(&a[..ra]), trim(&b[..rb]));
            na.len().cmp(&nb.len()).then_with(|| na.cmp(&nb))
        } else {
            a[..ra].cmp(&b[..rb])
        };
        if by_run.is_ne() {
            return by_run;
        }
        a = &a[ra..];
        b = &b[rb..];
    }
}

impl Ord for RpmVersion {
    fn cmp(&self, other: &RpmVersion) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| compare_part(&self.version, &other.version))
            .then_with(|| match (&self.release, &other.release) {
                (Release::Some(a), Release::Some(b)) => compare_part(a, b),
                (a, b) => rank(a).cmp(&rank(b)),
            })
    }
}

fn rank(release: &Release) -> u8 {
    match release {
        Release::First => 0,
        Release::Some(_) => 1,
        Release::Last => 2,
    }
}

impl PartialOrd for RpmVersion {
    fn partial_cmp(&self, other: &RpmVersion) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for RpmVersion {
    fn eq(&self, other: &RpmVersion) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for RpmVersion {}

/// Reads a range of RPM versions: `>= 12.0, < 12.1`, `= 1:2.39-8.fc40`;
/// a version without a release stands for all of its releases.
pub(super) fn parse(text: &str) -> Result<Ranges<RpmVersion>, String> {
    alternative_sets(text, |term, op, version| {
        if op == Op::Pessimistic {
            return Err(format!("`{term}`: `~>` is RubyGems' operator"));
        }
        let (epoch, v, release) = split(version)
            .ok_or_else(|| format!("`{version}` in `{term}` is not an RPM version"))?;
        let at = |release: Release| RpmVersion {
            epoch,
            version: v.to_string(),
            release,
        };
        Ok(match release {
            Some(r) => ranges(op, at(Release::Some(r.to_string()))),
            None => {
                let every = Ranges::between(at(Release::First), at(Release::Last));
                match op {
                    Op::Eq => every,
                    Op::Ne => every.complement(),
                    Op::Ge | Op::Lt | Op::Pessimistic => ranges(op, at(Release::First)),
                    Op::Gt | Op::Le => ranges(op, at(Release::Last)),
                }
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> RpmVersion {
        RpmVersion::parse(text).unwrap_or_else(|| panic!("{text}"))
    }

    /// rpm's order, in the cases rpm-version(7) and `rpmdev-vercmp` are
    /// known for.
    #[test]
    fn rpmvercmp_order() {
        let ascending = [
            "1.0~rc1-1",
            "1.0-1",
            "1.0^git1-1",
            "1.0a-1",
            "1.0.1-1",
            "1.0.1-1.fc39",
            "1.0.1-1.fc40",
            "1.0.1-2",
            "1.0.1-10",
            "1.1-1",
            "1.10-1",
            "2.0-1",
            "1:0.1-1",
        ];
        for pair in ascending.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        // Separators only separate; leading zeros are no digits.
        assert_eq!(v("1.0-1"), v("1_0-1"));
        assert_eq!(v("1.01-1"), v("1.1-1"));
        assert_eq!(v("0:1.0-1"), v("1.0-1"));
        // A number is newer than letters in the same place.
        assert!(v("1.0.1-1") > v("1.0.a-1"));
    }

    #[test]
    fn unreadable_versions() {
        for text in ["", "x:1.0", "1.0 beta", "-1", ".1"] {
            assert!(RpmVersion::parse(text).is_none(), "{text:?}");
        }
    }

    /// A version without a release in a range is every release of it.
    #[test]
    fn release_less_ranges() {
        let contains = |range: &str, version: &str| parse(range).unwrap().contains(&v(version));
        assert!(contains("= 12.0", "12.0-5.el9") && contains("= 12.0", "12.0"));
        assert!(!contains("= 12.0", "12.0.1-1"));
        assert!(contains("<= 12.0", "12.0-99") && !contains("< 12.0", "12.0-1"));
        assert!(contains(">= 12.0", "12.0-1") && !contains("> 12.0", "12.0-99"));
        assert!(contains("!= 12.0", "12.1-1") && !contains("!= 12.0", "12.0-3"));
        assert!(contains("< 12.0-5", "12.0-4.el9") && !contains("< 12.0-5", "12.0-5"));
        assert!(contains(">= 1:2.0", "1:2.39-8.fc40") && !contains(">= 1:2.0", "2.39-8.fc40"));
        assert!(parse("~> 1.0").unwrap_err().contains("RubyGems"));
        assert!(
            parse(">= 1.0 beta")
                .unwrap_err()
                .contains("not an RPM version")
        );
    }
}
