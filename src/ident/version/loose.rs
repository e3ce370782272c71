//! Loose versions: the version text app inventories show, which follows
//! no scheme. Windows writes a DisplayVersion (`6.0.11.39959`,
//! `4.1.5.16`), macOS a marketing version and a build (`3.8.10 (28125)`),
//! Android a versionName (`1.2.3-beta`), and app rules' `versions:` are
//! read against them.
//!
//! A version is split into segments at `.`, `-`, `_`, `+` and whitespace,
//! and where digits meet letters (`1.2.3b` is `1 2 3 b`, `rc10` is
//! `rc 10`); numeric segments compare numerically, others as text without
//! regard to case, and a missing trailing segment is zero, so
//! `4.1 == 4.1.0.0`. A number ranks above text, so `1.2.3-beta` sits
//! below `1.2.3` and above `1.2.2`, as pre-releases do elsewhere.
//!
//! A build number in brackets after the version, macOS's `3.8.10
//! (28125)`, is left out: a rule says `<= 3.8.10` to mean every build of
//! 3.8.10. A leading `v` before a digit is left out too (`v2.1`). Text
//! that does not start with a digit then (`Unknown`, `latest`) is no
//! version, and an app rule counts it as inside its range, as package
//! rules do with versions they cannot read.
//!
//! No scheme means no way to tell a mis-numbered version: winget's
//! `Tencent.WeChat` `4.15.16`, a folder holding the 4.1.5 installer, ranks
//! above `4.1.6.0`, as it would in any inventory's sort.
//!
//! Ranges are comparators joined by `,` (all must hold), with `||`
//! between alternatives: `>= 4.0, < 4.1.6`, `= 3.9.12`, `< 6`.

use std::cmp::Ordering;

use version_ranges::Ranges;

use super::comparator::{Op, alternatives};

/// An app version as an inventory writes it, ordered segment by segment.
#[derive(Clone, Debug)]
pub struct LooseVersion {
    /// Without trailing zeros, so equal versions have equal segments.
    segments: Vec<Segment>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Segment {
    // Text before numbers: the derived order ranks any number above text.
    /// Lower-cased.
    Text(String),
    /// Digits without leading zeros, compared by length then digit by
    /// digit, so no number is too long.
    Number(String),
}

impl Segment {
    fn zero() -> Segment {
        Segment::Number(String::new())
    }

    fn cmp_value(&self, other: &Segment) -> Ordering {
        match (self, other) {
            (Segment::Number(a), Segment::Number(b)) => {
                a.len().cmp(&b.len()).then_with(|| a.cmp(b))
            }
            _ => self.cmp(other),
        }
    }
}

impl LooseVersion {
    /// Reads a version as inventories write it; `None` when it does not
    /// start with a digit (after an optional `v`).
    pub fn parse(text: &str) -> Option<LooseVersion> {
        let mut text = text.trim();
        // macOS's `3.8.10 (28125)`: the build in brackets is left out.
        if let Some(open) = text.find('(')
            && text.ends_with(')')
        {
            text = text[..open].trim_end();
        }
        if let Some(rest) = text.strip_prefix(['v', 'V'])
            && rest.starts_with(|c: char| c.is_ascii_digit())
        {
            text = rest;
        }
        if !text.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let mut segments = Vec::new();
        for part in text.split(|c: char| matches!(c, '.' | '-' | '_' | '+') || c.is_whitespace()) {
            let mut rest = part;
            while let Some(first) = rest.chars().next() {
                let digits = first.is_ascii_digit();
                let end = rest
                    .find(|c: char| c.is_ascii_digit() != digits)
                    .unwrap_or(rest.len());
                let (run, tail) = rest.split_at(end);
                segments.push(if digits {
                    Segment::Number(run.trim_start_matches('0').to_string())
                } else {
                    Segment::Text(run.to_lowercase())
                });
                rest = tail;
            }
        }
        while segments.last() == Some(&Segment::zero()) {
            segments.pop();
        }
        Some(LooseVersion { segments })
    }
}

impl Ord for LooseVersion {
    fn cmp(&self, other: &LooseVersion) -> Ordering {
        let zero = Segment::zero();
        let len = self.segments.len().max(other.segments.len());
        (0..len)
            .map(|i| {
                let a = self.segments.get(i).unwrap_or(&zero);
                let b = other.segments.get(i).unwrap_or(&zero);
                a.cmp_value(b)
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for LooseVersion {
    fn partial_cmp(&self, other: &LooseVersion) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for LooseVersion {
    fn eq(&self, other: &LooseVersion) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for LooseVersion {}

pub(super) fn parse(text: &str) -> Result<Ranges<LooseVersion>, String> {
    alternatives(text, |term, op, version| {
        if op == Op::Pessimistic {
            return Err(format!("`{term}`: `~>` is RubyGems' operator"));
        }
        LooseVersion::parse(version)
            .ok_or_else(|| format!("`{version}` in `{term}` is not a version such as 4.1.5.16"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> LooseVersion {
        LooseVersion::parse(text).unwrap_or_else(|| panic!("`{text}` is not read"))
    }

    /// Segments compare as numbers, whatever their width.
    #[test]
    fn numbers_compare_numerically() {
        assert!(v("6.0.11.39959") > v("6.0.9.99999"));
        assert!(v("4.1.5.16") < v("4.1.6.0"));
        assert!(v("10") > v("9"));
        assert_eq!(v("1.02"), v("1.2"));
        assert!(v("99999999999999999999999.1") > v("9999999999999999999999.9"));
    }

    /// Missing trailing segments are zero.
    #[test]
    fn trailing_zeros_are_missing_segments() {
        assert_eq!(v("4.1"), v("4.1.0.0"));
        assert_eq!(v("4"), v("4.0"));
        assert!(v("4.1") < v("4.1.0.1"));
    }

    /// POLICY-FACTS D, note 17: winget's mis-numbered `Tencent.WeChat`
    /// `4.15.16` ranks above `4.1.6.0`; that is the true ordering of the
    /// text, and a range must not guess otherwise.
    #[test]
    fn winget_4_15_16_ranks_above_4_1_6_0() {
        assert!(v("4.15.16") > v("4.1.6.0"));
        let below = parse("< 4.1.6").unwrap();
        assert!(!below.contains(&v("4.15.16")));
        assert!(below.contains(&v("4.1.5.16")));
    }

    /// Text ranks below a number, so a pre-release sits below its release;
    /// text compares without case, and separators are all alike.
    #[test]
    fn text_segments() {
        assert!(v("1.2.3-beta") < v("1.2.3"));
        assert!(v("1.2.3-beta") > v("1.2.2"));
        assert!(v("1.2.3-alpha") < v("1.2.3-beta"));
        assert_eq!(v("1.2.3-Beta"), v("1.2.3_beta"));
        assert_eq!(v("1.2+3"), v("1 2 3"));
        assert!(v("1.0-rc9") < v("1.0-rc10"));
        assert!(v("1.2.3b") > v("1.2.2"));
    }

    /// A bracketed build is left out, a leading `v` too; text that starts
    /// with no digit is no version.
    #[test]
    fn builds_prefixes_and_unreadable_text() {
        assert_eq!(v("3.8.10 (28125)"), v("3.8.10"));
        assert_eq!(v("v2.1"), v("2.1"));
        for text in ["", "  ", "Unknown", "latest", "(28125)", "v"] {
            assert!(LooseVersion::parse(text).is_none(), "`{text}`");
        }
    }

    /// Comparators joined by `,` must all hold; `||` joins alternatives.
    #[test]
    fn ranges_of_comparators() {
        let r = parse(">= 4.0, < 4.1.6").unwrap();
        assert!(r.contains(&v("4.0")));
        assert!(r.contains(&v("4.1.5.16")));
        assert!(!r.contains(&v("4.1.6.0")));
        assert!(!r.contains(&v("3.9.12")));
        let exact = parse("= 3.9.12").unwrap();
        assert!(exact.contains(&v("3.9.12.0")));
        assert!(!exact.contains(&v("3.9.12.1")));
        let either = parse("< 2 || >= 6.0.11").unwrap();
        assert!(either.contains(&v("1.9")) && either.contains(&v("6.0.11.39959")));
        assert!(!either.contains(&v("3")));
        assert!(parse("3.9.12").unwrap().contains(&v("3.9.12")));
    }

    #[test]
    fn bad_ranges_are_refused() {
        for text in [">= 4.0,", "< latest", "~> 1.2", "||"] {
            assert!(parse(text).is_err(), "`{text}`");
        }
    }
}
