//! Version ranges, each in its ecosystem's own syntax, and whether a
//! version read from evidence falls inside one.
//!
//! A range is read once, when the policy is validated, into the set of
//! versions it names; matching is then a lookup. The syntaxes and the
//! version orderings come from crates where a kept one exists:
//!
//! | ecosystem | syntax | ordering |
//! |---|---|---|
//! | pypi | PEP 440 specifiers (`pep440_rs`) | `pep440_rs` |
//! | cargo | Cargo requirements (`semver`) | `semver` |
//! | npm | node-semver ranges (`nodejs-semver`) | `nodejs-semver` |
//! | composer | Composer constraints (`composer.rs`) | `composer.rs` |
//! | golang | comparators (`go.rs`) | `semver`, build metadata ignored |
//! | maven | interval notation (`interval.rs`) | `mvn_version` (ComparableVersion) |
//! | nuget | interval notation (`interval.rs`) | `nuget.rs`, pre-releases by `semver` |
//! | gem | RubyGems requirements (`gem.rs`) | `gem_version` |
//! | deb | comparators (`deb.rs`) | `deb.rs`, dpkg's order |
//! | rpm | comparators (`rpm.rs`) | `rpm.rs`, `rpmvercmp` |
//! | apps | comparators (`loose.rs`) | `loose.rs`, segment by segment |
//!
//! Where no crate reads the range syntax (Go, Maven and NuGet intervals,
//! RubyGems requirements, Composer constraints) the parsers here are
//! small and only split the text into comparators: the set algebra
//! (union, intersection, complement) is `version-ranges`, pubgrub's range
//! type. Two orderings are written here from their documentation, for
//! want of a usable crate: NuGet's (`nuget-client` keeps range bounds as
//! strings), reusing `semver`'s pre-release ordering, and Composer's
//! (`semver-php` sorts releases below their own pre-releases;
//! `composer-semver` needs Rust 1.95 and is EUPL-licensed); and dpkg's
//! and rpm's, whose crates bind librpm or pull a regex engine and a date
//! library into forty lines. `*` is any version in every ecosystem.
//!
//! A manifest may ask for a range and pin no version; [`VersionRange::may_meet`]
//! asks whether the two ranges share a version. Both become sets on
//! `version-ranges` and are intersected (Cargo's in `cargo.rs`, PEP 440's
//! and Poetry's in `pypi.rs`); npm's are intervals in `nodejs-semver`
//! already. Where a set cannot be written exactly it is made wider, so
//! the answer errs towards a finding.

mod cargo;
mod comparator;
mod composer;
mod deb;
mod gem;
mod go;
mod interval;
mod loose;
mod maven;
mod nuget;
mod pypi;
mod rpm;

use std::fmt;

use version_ranges::Ranges;

use super::Ecosystem;

pub use deb::DebVersion;
pub use go::GoVersion;
pub use loose::LooseVersion;
pub use nuget::NugetVersion;
pub use rpm::RpmVersion;

/// A version range as written, and the versions it names.
#[derive(Clone, Debug)]
pub struct VersionRange {
    pub text: String,
    pub kind: VersionRangeKind,
}

#[derive(Clone, Debug)]
pub enum VersionRangeKind {
    /// `*`, in any ecosystem.
    Any,
    Pep440(pep440_rs::VersionSpecifiers),
    Cargo(semver::VersionReq),
    Npm(nodejs_semver::Range),
    Composer(Ranges<composer::ComposerVersion>),
    Go(Ranges<GoVersion>),
    Maven(Ranges<mvn_version::ComparableVersion>),
    Nuget(Ranges<NugetVersion>),
    Gem(Ranges<gem_version::GemVersion>),
    Deb(Ranges<DebVersion>),
    Rpm(Ranges<RpmVersion>),
    /// An app rule's range, on the versions inventories write.
    Loose(Ranges<LooseVersion>),
}

impl VersionRange {
    /// Reads `text` in the syntax of `ecosystem`.
    pub fn parse(ecosystem: Ecosystem, text: &str) -> Result<VersionRange, VersionRangeError> {
        let error = |reason| VersionRangeError {
            ecosystem: Some(ecosystem),
            reason,
        };
        let kind = if text.trim() == "*" {
            VersionRangeKind::Any
        } else {
            match ecosystem {
                Ecosystem::Pypi => text
                    .parse::<pep440_rs::VersionSpecifiers>()
                    .map(VersionRangeKind::Pep440)
                    .map_err(|e| error(Reason::Pep440(e)))?,
                Ecosystem::Cargo => semver::VersionReq::parse(text)
                    .map(VersionRangeKind::Cargo)
                    .map_err(|e| error(Reason::Cargo(e)))?,
                Ecosystem::Npm => nodejs_semver::Range::parse(text)
                    .map(VersionRangeKind::Npm)
                    .map_err(|e| error(Reason::Npm(e)))?,
                Ecosystem::Composer => composer::parse(text)
                    .map(VersionRangeKind::Composer)
                    .map_err(|e| error(Reason::Syntax(e)))?,
                Ecosystem::Golang => go::parse(text)
                    .map(VersionRangeKind::Go)
                    .map_err(|e| error(Reason::Syntax(e)))?,
                Ecosystem::Maven => maven::parse(text)
                    .map(VersionRangeKind::Maven)
                    .map_err(|e| error(Reason::Syntax(e)))?,
                Ecosystem::Nuget => nuget::parse(text)
                    .map(VersionRangeKind::Nuget)
                    .map_err(|e| error(Reason::Syntax(e)))?,
                Ecosystem::Gem => gem::parse(text)
                    .map(VersionRangeKind::Gem)
                    .map_err(|e| error(Reason::Syntax(e)))?,
                Ecosystem::Deb => deb::parse(text)
                    .map(VersionRangeKind::Deb)
                    .map_err(|e| error(Reason::Syntax(e)))?,
                Ecosystem::Rpm => rpm::parse(text)
                    .map(VersionRangeKind::Rpm)
                    .map_err(|e| error(Reason::Syntax(e)))?,
            }
        };
        Ok(VersionRange {
            text: text.to_string(),
            kind,
        })
    }

    /// Reads an app rule's range: `*`, or comparators on
    /// [loose versions](LooseVersion) such as `>= 4.0, < 4.1.6`.
    pub fn parse_app(text: &str) -> Result<VersionRange, VersionRangeError> {
        let kind = if text.trim() == "*" {
            VersionRangeKind::Any
        } else {
            loose::parse(text)
                .map(VersionRangeKind::Loose)
                .map_err(|e| VersionRangeError {
                    ecosystem: None,
                    reason: Reason::Syntax(e),
                })?
        };
        Ok(VersionRange {
            text: text.to_string(),
            kind,
        })
    }

    /// Whether `version` is in the range. A version that cannot be read in
    /// the ecosystem's syntax counts as inside: a finding to check by hand
    /// is better than a ban missed.
    pub fn contains(&self, version: &str) -> bool {
        match &self.kind {
            VersionRangeKind::Any => true,
            VersionRangeKind::Pep440(spec) => version
                .parse::<pep440_rs::Version>()
                .map_or(true, |v| pypi::contains(spec, &v)),
            VersionRangeKind::Cargo(req) => {
                semver::Version::parse(version).map_or(true, |v| req.matches(&v))
            }
            VersionRangeKind::Npm(range) => {
                nodejs_semver::Version::parse(version).map_or(true, |v| range.satisfies(&v))
            }
            VersionRangeKind::Composer(ranges) => {
                composer::version(version).is_none_or(|v| ranges.contains(&v))
            }
            VersionRangeKind::Go(ranges) => {
                GoVersion::parse(version).is_none_or(|v| ranges.contains(&v))
            }
            VersionRangeKind::Maven(ranges) => {
                maven::version(version).is_none_or(|v| ranges.contains(&v))
            }
            VersionRangeKind::Nuget(ranges) => {
                NugetVersion::parse(version).is_none_or(|v| ranges.contains(&v))
            }
            VersionRangeKind::Gem(ranges) => {
                gem::version(version).is_none_or(|v| ranges.contains(&v))
            }
            VersionRangeKind::Deb(ranges) => {
                DebVersion::parse(version).is_none_or(|v| ranges.contains(&v))
            }
            VersionRangeKind::Rpm(ranges) => {
                RpmVersion::parse(version).is_none_or(|v| ranges.contains(&v))
            }
            VersionRangeKind::Loose(ranges) => {
                LooseVersion::parse(version).is_none_or(|v| ranges.contains(&v))
            }
        }
    }
}

impl VersionRange {
    /// Whether a version that `requirement` allows may be in the range,
    /// for a manifest that asks for a range (`^3.25.0`, `>=2.7,<3`) and
    /// pins no version. The requirement is read in the syntax manifests of
    /// the ecosystem write, which is the range syntax here (a bare version
    /// is Cargo's `^`, NuGet's `>=` and Maven's exact version) or, for
    /// PyPI, also a Poetry constraint (`^1.2`), and the
    /// answer is no only when the two sets provably share no version:
    /// sets are widened where a syntax cannot be followed exactly, and a
    /// requirement that cannot be read may meet any range.
    pub fn may_meet(&self, requirement: &str) -> bool {
        let requirement = requirement.trim();
        if requirement.is_empty() || requirement == "*" {
            return true;
        }
        match &self.kind {
            VersionRangeKind::Any => true,
            VersionRangeKind::Pep440(spec) => {
                pypi::requirement(requirement).is_none_or(|req| meet(&pypi::ranges(spec), &req))
            }
            VersionRangeKind::Cargo(range) => semver::VersionReq::parse(requirement)
                .map_or(true, |req| {
                    meet(&cargo::ranges(range), &cargo::ranges(&req))
                }),
            // nodejs-semver keeps a range as intervals and intersects them;
            // they let in the pre-releases node-semver would leave out.
            VersionRangeKind::Npm(range) => {
                nodejs_semver::Range::parse(requirement).map_or(true, |req| range.allows_any(&req))
            }
            VersionRangeKind::Composer(ranges) => {
                composer::parse(requirement).map_or(true, |req| meet(ranges, &req))
            }
            VersionRangeKind::Go(ranges) => {
                go::parse(requirement).map_or(true, |req| meet(ranges, &req))
            }
            VersionRangeKind::Maven(ranges) => {
                maven::requirement(requirement).is_none_or(|req| meet(ranges, &req))
            }
            VersionRangeKind::Nuget(ranges) => {
                nuget::parse(requirement).map_or(true, |req| meet(ranges, &req))
            }
            VersionRangeKind::Gem(ranges) => {
                gem::parse(requirement).map_or(true, |req| meet(ranges, &req))
            }
            VersionRangeKind::Deb(ranges) => {
                deb::parse(requirement).map_or(true, |req| meet(ranges, &req))
            }
            VersionRangeKind::Rpm(ranges) => {
                rpm::parse(requirement).map_or(true, |req| meet(ranges, &req))
            }
            VersionRangeKind::Loose(ranges) => {
                loose::parse(requirement).map_or(true, |req| meet(ranges, &req))
            }
        }
    }
}

/// Whether two sets of versions may share one.
fn meet<V: Ord + Clone>(a: &Ranges<V>, b: &Ranges<V>) -> bool {
    !a.is_disjoint(b)
}

/// The name of an ecosystem's range syntax and a range written in it, for
/// messages that say what would have been read.
pub fn range_syntax(ecosystem: Ecosystem) -> (&'static str, &'static str) {
    match ecosystem {
        Ecosystem::Pypi => ("a PEP 440 version specifier", ">=0.1, <0.3"),
        Ecosystem::Cargo => ("a Cargo version requirement", ">=0.1.0, <0.3"),
        Ecosystem::Npm => ("an npm version range", ">=1.0.0 <2.0.0 || ^3.1"),
        Ecosystem::Composer => ("a Composer version constraint", "^1.2 || >=2.0 <2.4"),
        Ecosystem::Golang => ("a Go version range", ">=v1.2.0, <v1.5.0"),
        Ecosystem::Maven => ("a Maven version range", "(,1.0],[1.2,2.0)"),
        Ecosystem::Nuget => ("a NuGet version range", "[1.0.0,2.0.0)"),
        Ecosystem::Gem => ("a RubyGems requirement", "~> 1.2, >= 1.2.3"),
        Ecosystem::Deb => ("a Debian version range", ">= 1:2.38, < 1:2.39~"),
        Ecosystem::Rpm => ("an RPM version range", ">= 12.0, < 12.1.0-5"),
    }
}

/// The name of an app rule's range syntax and a range written in it.
pub const APP_RANGE_SYNTAX: (&str, &str) = ("an app version range", ">= 4.0, < 4.1.6");

/// Why a version range was refused, for the ecosystem it was written for
/// (`None`: an app rule's). The parsers' errors are kept whole; their
/// text is part of the message.
#[derive(Debug)]
pub struct VersionRangeError {
    pub ecosystem: Option<Ecosystem>,
    reason: Reason,
}

#[derive(Debug)]
enum Reason {
    Pep440(pep440_rs::VersionSpecifiersParseError),
    Cargo(semver::Error),
    Npm(nodejs_semver::SemverError),
    /// From the parsers of this module: what was wrong, in words.
    Syntax(String),
}

impl VersionRangeError {
    /// What to write instead: the syntax, a range in it, and `*`.
    pub fn help(&self) -> String {
        let (name, example) = self.syntax();
        format!("write {name} such as `{example}`, or `*` for any version")
    }
}

impl VersionRangeError {
    fn syntax(&self) -> (&'static str, &'static str) {
        self.ecosystem.map_or(APP_RANGE_SYNTAX, range_syntax)
    }
}

impl fmt::Display for VersionRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, _) = self.syntax();
        match &self.reason {
            Reason::Pep440(e) => write!(f, "not {name}: {e}"),
            Reason::Cargo(e) => write!(f, "not {name}: {e}"),
            Reason::Npm(e) => write!(f, "not {name}: {e}"),
            Reason::Syntax(e) => write!(f, "not {name}: {e}"),
        }
    }
}

// No `source()`: the parser's message is already in this one.
impl std::error::Error for VersionRangeError {}

#[cfg(test)]
#[path = "version_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "version_props.rs"]
mod props;
