//! Go module version ranges: comparators on Go's semantic versions,
//! `,` between comparators that must all hold and `||` between
//! alternatives: `>=v1.2.0, <v1.5.0 || v2.0.1`.
//!
//! Go has no range syntax of its own (`go get` takes one version), so
//! this is the npm/Cargo comparator form with Go's versions. Go orders
//! versions by semver 2 precedence (golang.org/x/mod/semver): build
//! metadata such as `+incompatible` is ignored, and a pseudo-version
//! (`v0.0.0-20240102150405-abcdef123456`, `v1.2.4-0.2024…`) is a
//! pre-release of its base, so it sorts below that release and, for the
//! second form, above the release it was made after.

use version_ranges::Ranges;

use super::comparator::{Op, alternatives};

/// A Go module version, ordered as Go orders it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct GoVersion(semver::Version);

impl GoVersion {
    /// Reads `v1.2.3`, `v1.2.3-pre`, `v2.0.0+incompatible` and
    /// pseudo-versions; the `v` Go writes is optional here.
    pub fn parse(text: &str) -> Option<GoVersion> {
        let text = text.trim();
        let bare = text.strip_prefix('v').unwrap_or(text);
        let mut version = semver::Version::parse(bare).ok()?;
        version.build = semver::BuildMetadata::EMPTY;
        Some(GoVersion(version))
    }
}

pub(super) fn parse(text: &str) -> Result<Ranges<GoVersion>, String> {
    alternatives(text, |term, op, version| {
        if op == Op::Pessimistic {
            return Err(format!("`{term}`: `~>` is RubyGems' operator, not Go's"));
        }
        GoVersion::parse(version)
            .ok_or_else(|| format!("`{version}` in `{term}` is not a Go version such as v1.2.3"))
    })
}
