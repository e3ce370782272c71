//! NuGet version ranges and versions.
//!
//! Ranges are NuGet's interval notation, one interval (`[1.0,2.0)`,
//! `(,1.0]`, `[1.2]`); a bare version means what NuGet says it means,
//! that version or higher (`1.0` = `[1.0,)`).
//!
//! Versions are NuGet's SemVer 2 with up to four numbers (the fourth is
//! the legacy revision): missing numbers are zero, so `1.0.0.0` =
//! `1.0.0` = `1.0`; a pre-release sorts below its release and labels
//! compare as SemVer 2 says (numbers numerically, text in ASCII order),
//! case-insensitively as NuGet compares them; build metadata after `+`
//! is ignored. No crate reads NuGet versions, so this ordering is written
//! here from NuGet's "Package versioning" page, with `semver`'s
//! pre-release ordering underneath.

use version_ranges::Ranges;

use super::interval;

/// A NuGet package version, ordered as NuGet orders it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct NugetVersion {
    release: [u64; 4],
    pre: semver::Prerelease,
}

impl NugetVersion {
    pub fn parse(text: &str) -> Option<NugetVersion> {
        let text = text.trim();
        let text = text.split_once('+').map_or(text, |(v, _build)| v);
        let (numbers, pre) = match text.split_once('-') {
            Some((numbers, pre)) => (numbers, Some(pre)),
            None => (text, None),
        };
        let mut release = [0u64; 4];
        for (i, part) in numbers.split('.').enumerate() {
            if i == 4 || part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            release[i] = part.parse().ok()?;
        }
        let pre = match pre {
            Some("") => return None,
            Some(pre) => semver::Prerelease::new(&pre.to_ascii_lowercase()).ok()?,
            None => semver::Prerelease::EMPTY,
        };
        Some(NugetVersion { release, pre })
    }
}

pub(super) fn parse(text: &str) -> Result<Ranges<NugetVersion>, String> {
    let trimmed = text.trim();
    if trimmed.starts_with(['[', '(']) {
        return interval::parse(trimmed, NugetVersion::parse, false);
    }
    NugetVersion::parse(trimmed)
        .map(Ranges::higher_than)
        .ok_or_else(|| {
            format!("`{trimmed}` is neither a version nor an interval such as [1.0,2.0)")
        })
}
