//! Maven version ranges: interval notation with unions, ordered by
//! Maven's `ComparableVersion` (`mvn_version`), so `1.0-alpha` <
//! `1.0-SNAPSHOT` < `1.0` = `1.0.0` < `1.0-sp1`.
//!
//! A bare version (`1.0`) is, to Maven, a soft requirement that any
//! version satisfies. A ban that meant any version would say `*`, so
//! here a bare version is that version exactly, the same as `[1.0]`.

use mvn_version::ComparableVersion;
use version_ranges::Ranges;

use super::interval;

/// Any text is a Maven version; only empty text or range punctuation
/// is refused.
pub(super) fn version(text: &str) -> Option<ComparableVersion> {
    let text = text.trim();
    let forbidden = |c: char| c.is_whitespace() || "[](),".contains(c);
    if text.is_empty() || text.contains(forbidden) {
        return None;
    }
    Some(ComparableVersion::new(text))
}

/// A dependency's version as a pom writes it: a range, or a bare version
/// that is the version exactly (a soft requirement, which Maven keeps
/// unless something overrides it). The meta-versions `LATEST` and
/// `RELEASE` and an unresolved `${property}` name no version: `None`.
pub(super) fn requirement(text: &str) -> Option<Ranges<ComparableVersion>> {
    let trimmed = text.trim();
    let meta = ["LATEST", "RELEASE"]
        .iter()
        .any(|m| trimmed.eq_ignore_ascii_case(m));
    if meta || trimmed.contains("${") {
        return None;
    }
    parse(trimmed).ok()
}

pub(super) fn parse(text: &str) -> Result<Ranges<ComparableVersion>, String> {
    let trimmed = text.trim();
    if trimmed.starts_with(['[', '(']) {
        return interval::parse(trimmed, version, true);
    }
    version(trimmed).map(Ranges::singleton).ok_or_else(|| {
        format!("`{trimmed}` is neither a version nor an interval such as [1.0,2.0)")
    })
}
