//! Each ecosystem's range syntax and version ordering, checked against
//! the examples of its own documentation.

use super::*;

/// `range` read for `ecosystem`; panics with the reason if refused.
#[track_caller]
fn range(ecosystem: Ecosystem, text: &str) -> VersionRange {
    VersionRange::parse(ecosystem, text).unwrap_or_else(|e| panic!("`{text}`: {e}"))
}

/// Asserts which of `versions` are inside `text`, as `(version, inside)`.
#[track_caller]
fn check(ecosystem: Ecosystem, text: &str, cases: &[(&str, bool)]) {
    let r = range(ecosystem, text);
    for &(version, inside) in cases {
        assert_eq!(
            r.contains(version),
            inside,
            "{ecosystem} `{text}` contains `{version}`"
        );
    }
}

#[track_caller]
fn refused(ecosystem: Ecosystem, text: &str) -> String {
    match VersionRange::parse(ecosystem, text) {
        Ok(r) => panic!("`{text}` was read as {:?}", r.kind),
        Err(e) => e.to_string(),
    }
}

/// `*` is any version in every ecosystem, deb and rpm included, and an
/// unreadable version is inside.
#[test]
fn star_is_any_version_everywhere() {
    for ecosystem in Ecosystem::ALL {
        let r = range(ecosystem, "*");
        assert!(r.contains("1.0"), "{ecosystem}");
        assert!(r.contains("not a version"), "{ecosystem}");
    }
}

#[test]
fn go_orders_as_go_does() {
    let v = |t| GoVersion::parse(t).unwrap();
    // Build metadata is ignored: +incompatible is the release itself.
    assert_eq!(v("v2.0.0+incompatible"), v("v2.0.0"));
    // A pseudo-version is a pre-release of its base.
    assert!(v("v0.0.0-20240102150405-abcdef123456") < v("v0.0.0"));
    assert!(v("v0.0.0-20230102150405-abcdef123456") < v("v0.0.0-20240102150405-abcdef123456"));
    assert!(v("v1.2.3") < v("v1.2.4-0.20240102150405-abcdef123456"));
    assert!(v("v1.2.4-0.20240102150405-abcdef123456") < v("v1.2.4"));
    assert!(v("v1.2.4-pre.0.20240102150405-abcdef123456") > v("v1.2.4-pre"));
    assert!(v("v1.0.0-alpha") < v("v1.0.0-alpha.1"));
    assert!(v("v1.0.0-rc.1") < v("v1.0.0"));
    assert!(GoVersion::parse("vX").is_none());
}

#[test]
fn go_ranges() {
    check(
        Ecosystem::Golang,
        ">=v1.2.0, <v1.5.0",
        &[
            ("v1.2.0", true),
            ("v1.4.9", true),
            ("v1.5.0", false),
            ("v1.1.9", false),
            ("v1.5.0-0.20240102150405-abcdef123456", true),
            ("v1.2.0-rc.1", false),
            ("1.3.0", true),
            ("not-a-version", true),
        ],
    );
    check(
        Ecosystem::Golang,
        "<v1.0.0 || v2.0.0+incompatible",
        &[
            ("v0.0.0-20250125120000-0123456789ab", true),
            ("v0.9.1", true),
            ("v1.0.0", false),
            ("v2.0.0+incompatible", true),
            ("v2.0.1+incompatible", false),
        ],
    );
    check(
        Ecosystem::Golang,
        "!=v1.2.8",
        &[("v1.2.8", false), ("v1.2.9", true)],
    );
    let message = refused(Ecosystem::Golang, ">=1.x");
    assert_eq!(
        message,
        "not a Go version range: `1.x` in `>=1.x` is not a Go version such as v1.2.3"
    );
    refused(Ecosystem::Golang, ">=v1.0.0,");
    refused(Ecosystem::Golang, "~> v1.0.0");
}

/// Maven's ComparableVersion: qualifiers order alpha < beta < milestone
/// < rc < snapshot < release < sp, trailing zeros do not count.
#[test]
fn maven_orders_as_comparable_version_does() {
    let v = |t| maven::version(t).unwrap();
    assert!(v("1.0-SNAPSHOT") < v("1.0"));
    assert!(v("1.0-alpha") < v("1.0"));
    assert!(v("1.0-alpha-1") < v("1.0-beta"));
    assert!(v("1.0-beta") < v("1.0-rc1"));
    assert!(v("1.0-rc1") < v("1.0-SNAPSHOT"));
    assert!(v("1.0") < v("1.0-sp1"));
    assert!(v("1.0") < v("1.0.1"));
    assert_eq!(v("1.0.0"), v("1"));
    assert_eq!(v("1.0"), v("1-ga"));
    assert!(v("1.9") < v("1.10"));
}

#[test]
fn maven_ranges() {
    check(
        Ecosystem::Maven,
        "[1.0,2.0)",
        &[
            ("1.0", true),
            ("1", true),
            ("1.5.3", true),
            ("2.0", false),
            ("2.0-SNAPSHOT", true),
            ("1.0-SNAPSHOT", false),
        ],
    );
    check(
        Ecosystem::Maven,
        "(,1.0]",
        &[("0.9", true), ("1.0", true), ("1.0.1", false)],
    );
    check(
        Ecosystem::Maven,
        "[1.2]",
        &[("1.2", true), ("1.2.0", true), ("1.2.1", false)],
    );
    check(
        Ecosystem::Maven,
        "(,1.0],[1.2,)",
        &[("1.0", true), ("1.1", false), ("1.2", true), ("3", true)],
    );
    check(
        Ecosystem::Maven,
        "(,1.1),(1.1,)",
        &[("1.1", false), ("1.2", true)],
    );
    // A bare version is that version exactly.
    check(Ecosystem::Maven, "1.0", &[("1.0.0", true), ("1.1", false)]);
    assert_eq!(
        refused(Ecosystem::Maven, "[2.0,1.0]"),
        "not a Maven version range: `[2.0,1.0]` names no version: its lower bound is above its upper"
    );
    refused(Ecosystem::Maven, "[1.0,2.0");
    refused(Ecosystem::Maven, "(1.0)");
    refused(Ecosystem::Maven, "(,)");
    refused(Ecosystem::Maven, "[1.0,2.0) [3.0,)");
    refused(Ecosystem::Maven, "[1,2,3]");
}

#[test]
fn nuget_orders_as_nuget_does() {
    let v = |t| NugetVersion::parse(t).unwrap();
    assert_eq!(v("1.0.0.0"), v("1.0.0"));
    assert_eq!(v("1.0"), v("1.0.0"));
    assert!(v("1.0.0.1") > v("1.0.0"));
    assert!(v("1.0.0-beta") < v("1.0.0"));
    assert_eq!(v("1.0.0-Beta"), v("1.0.0-beta"));
    assert!(v("1.0.0-alpha.2") < v("1.0.0-alpha.10"));
    assert!(v("1.0.0-alpha") < v("1.0.0-alpha.1"));
    assert_eq!(v("1.0.0+build.5"), v("1.0.0"));
    assert!(NugetVersion::parse("1.0.0.0.0").is_none());
    assert!(NugetVersion::parse("1.x").is_none());
    assert!(NugetVersion::parse("1.0-").is_none());
}

/// The table of NuGet's "Version ranges" documentation.
#[test]
fn nuget_ranges() {
    check(
        Ecosystem::Nuget,
        "1.0",
        &[("0.9", false), ("1.0.0.0", true), ("5.0", true)],
    );
    check(Ecosystem::Nuget, "[1.0,)", &[("0.9", false), ("1.0", true)]);
    check(
        Ecosystem::Nuget,
        "(1.0,)",
        &[("1.0", false), ("1.0.0.1", true)],
    );
    check(
        Ecosystem::Nuget,
        "[1.0]",
        &[("1.0.0.0", true), ("1.0.1", false)],
    );
    check(Ecosystem::Nuget, "(,1.0]", &[("1.0", true), ("1.1", false)]);
    check(
        Ecosystem::Nuget,
        "(,1.0)",
        &[("1.0", false), ("1.0.0-rc.1", true)],
    );
    check(
        Ecosystem::Nuget,
        "[1.0,2.0)",
        &[
            ("1.0", true),
            ("1.9.9.9", true),
            ("2.0", false),
            ("2.0.0-preview", true),
        ],
    );
    check(
        Ecosystem::Nuget,
        "(1.0,2.0)",
        &[("1.0", false), ("1.5", true)],
    );
    refused(Ecosystem::Nuget, "(,1.0],[1.2,)");
    refused(Ecosystem::Nuget, "[1.0");
    assert_eq!(
        refused(Ecosystem::Nuget, "latest"),
        "not a NuGet version range: `latest` is neither a version nor an interval such as [1.0,2.0)"
    );
}

#[test]
fn gem_orders_as_gem_version_does() {
    let v = |t| gem::version(t).unwrap();
    assert!(v("1.0.a") < v("1.0"));
    assert!(v("1.0.a") < v("1.0.b"));
    assert!(v("1.0.rc1") < v("1.0"));
    assert!(v("1.0.0-alpha") < v("1.0.0"));
    assert_eq!(v("1.0"), v("1.0.0"));
    assert!(v("1.9") < v("1.10"));
}

/// The examples of RubyGems' "Patterns: pessimistic version constraint".
#[test]
fn gem_requirements() {
    check(
        Ecosystem::Gem,
        "~> 2.2",
        &[
            ("2.2", true),
            ("2.9.9", true),
            ("3.0", false),
            ("2.1", false),
        ],
    );
    check(
        Ecosystem::Gem,
        "~> 2.2.0",
        &[("2.2.0", true), ("2.2.9", true), ("2.3", false)],
    );
    check(
        Ecosystem::Gem,
        "~> 1",
        &[("1.0", true), ("1.9", true), ("2", false)],
    );
    check(
        Ecosystem::Gem,
        ">= 1.0, < 2",
        &[
            ("1.0", true),
            ("1.99", true),
            ("2", false),
            ("1.0.a", false),
        ],
    );
    check(
        Ecosystem::Gem,
        "1.2.3",
        &[("1.2.3", true), ("1.2.4", false)],
    );
    check(
        Ecosystem::Gem,
        "!= 1.2.3",
        &[("1.2.3", false), ("1.2.4", true)],
    );
    check(
        Ecosystem::Gem,
        "~> 1.2, >= 1.2.3",
        &[
            ("1.2.2", false),
            ("1.2.3", true),
            ("1.9", true),
            ("2.0", false),
        ],
    );
    assert_eq!(gem::bump("1.2.3"), "1.3");
    assert_eq!(gem::bump("1.2"), "2");
    assert_eq!(gem::bump("1"), "2");
    assert_eq!(gem::bump("1.2.3.a"), "1.3");
    assert_eq!(gem::bump("1.2.3a"), "1.3");
    assert_eq!(
        refused(Ecosystem::Gem, ">= x!"),
        "not a RubyGems requirement: `x!` in `>= x!` is not a gem version such as 1.2.3"
    );
    refused(Ecosystem::Gem, ">= 1.0,");
    refused(Ecosystem::Gem, ">=");
}

/// Composer's own documentation examples ("Writing Version Constraints").
#[test]
fn composer_constraints() {
    check(
        Ecosystem::Composer,
        "^1.2",
        &[
            ("1.2.0", true),
            ("v1.2.3", true),
            ("1.9", true),
            ("2.0.0", false),
            ("1.1", false),
        ],
    );
    check(
        Ecosystem::Composer,
        "~1.2",
        &[("1.2", true), ("1.9.9", true), ("2.0", false)],
    );
    check(
        Ecosystem::Composer,
        "~1.2.3",
        &[("1.2.3", true), ("1.2.9", true), ("1.3", false)],
    );
    check(
        Ecosystem::Composer,
        ">=1.0 <2.0",
        &[("1.0", true), ("1.2.3-beta1", true), ("2.0", false)],
    );
    check(
        Ecosystem::Composer,
        ">=1.0, <1.1",
        &[("1.0.5", true), ("1.1.0", false)],
    );
    check(
        Ecosystem::Composer,
        "<1.1 || >=1.2",
        &[("1.0.9", true), ("1.1.5", false), ("1.2", true)],
    );
    check(
        Ecosystem::Composer,
        "1.2.3",
        &[("v1.2.3", true), ("1.2.3.0", true), ("1.2.4", false)],
    );
    check(
        Ecosystem::Composer,
        ">=1.2.3-beta1 <1.2.4",
        &[
            ("1.2.3-beta1", true),
            ("1.2.3-beta2", true),
            ("1.2.3-alpha1", false),
            ("1.2.3", true),
            ("1.2.4", false),
        ],
    );
    // Composer reads `<1.2.3` as below 1.2.3's dev versions: its
    // pre-releases are outside.
    check(
        Ecosystem::Composer,
        "<1.2.3",
        &[("1.2.2", true), ("1.2.3-beta1", false), ("1.2.3", false)],
    );
    check(
        Ecosystem::Composer,
        "^0.3",
        &[("0.3.9", true), ("0.4.0", false)],
    );
    check(
        Ecosystem::Composer,
        "1.2.*",
        &[("1.2.9", true), ("1.3", false)],
    );
    check(
        Ecosystem::Composer,
        "1.0 - 2.0",
        &[("2.0.9", true), ("2.1", false)],
    );
    check(
        Ecosystem::Composer,
        "1.0 - 2.0.0",
        &[("2.0.0", true), ("2.0.1", false)],
    );
    check(
        Ecosystem::Composer,
        ">= 2.0@dev",
        &[("2.0.0-dev", true), ("1.9", false)],
    );
    let v = |t| composer::version(t).unwrap();
    assert!(v("1.2.3-beta1") < v("1.2.3"));
    assert!(v("1.2.3-alpha2") < v("1.2.3-b1"));
    assert!(v("1.2.3-RC1") < v("1.2.3"));
    assert!(v("1.2.3") < v("1.2.3-p1"));
    assert_eq!(v("v1.2.3"), v("1.2.3.0"));
    refused(Ecosystem::Composer, "dev-main");
    refused(Ecosystem::Composer, "^1.2 ||");
    // A branch has no place in a range: inside, to be checked by hand.
    check(Ecosystem::Composer, "^1.2", &[("not a version", true)]);
    assert!(
        refused(Ecosystem::Composer, ">>1.0").starts_with("not a Composer version constraint: ")
    );
}

#[test]
fn the_first_three_keep_their_crates() {
    check(
        Ecosystem::Pypi,
        ">=0.1, <0.3",
        &[("0.2", true), ("0.3", false), ("x", true)],
    );
    check(
        Ecosystem::Cargo,
        ">=0.1.0, <0.3",
        &[("0.2.0", true), ("0.3.0", false)],
    );
    check(
        Ecosystem::Npm,
        ">=1.0.0 <2.0.0 || ^3.1",
        &[("3.2.0", true), ("2.1.0", false)],
    );
}

/// Each refusal names the ecosystem's syntax, and the help shows a range
/// written in it; the first line is what a policy diagnostic shows.
#[test]
fn messages_name_the_syntax() {
    let error = |e, t: &str| VersionRange::parse(e, t).unwrap_err();
    assert_eq!(
        error(Ecosystem::Cargo, "1.q").to_string(),
        "not a Cargo version requirement: unexpected character 'q' while parsing minor version number"
    );
    assert_eq!(
        error(Ecosystem::Npm, "not a range").to_string(),
        "not an npm version range: Invalid semantic version or range"
    );
    assert_eq!(
        error(Ecosystem::Pypi, ">=x").to_string().lines().next(),
        Some(
            "not a PEP 440 version specifier: Failed to parse version: expected version to start with a number, but no leading ASCII digits were found:"
        )
    );
    assert_eq!(
        error(Ecosystem::Deb, ">= x1").to_string(),
        "not a Debian version range: `x1` in `>= x1` is not a Debian version"
    );
    assert_eq!(
        error(Ecosystem::Rpm, ">= 1.0 beta").help(),
        "write an RPM version range such as `>= 12.0, < 12.1.0-5`, or `*` for any version"
    );
    assert_eq!(
        error(Ecosystem::Maven, "[1.0").help(),
        "write a Maven version range such as `(,1.0],[1.2,2.0)`, or `*` for any version"
    );
    for ecosystem in Ecosystem::ALL {
        let (name, example) = range_syntax(ecosystem);
        assert!(
            VersionRange::parse(ecosystem, example).is_ok(),
            "{ecosystem}: the example {example} of {name} is read"
        );
    }
}

/// Asserts, for a banned range `text`, whether each requirement may meet it,
/// as `(requirement, may meet)`.
#[track_caller]
fn meets(ecosystem: Ecosystem, text: &str, cases: &[(&str, bool)]) {
    let r = range(ecosystem, text);
    for &(requirement, may) in cases {
        assert_eq!(
            r.may_meet(requirement),
            may,
            "{ecosystem} `{requirement}` may meet `{text}`"
        );
    }
}

/// A requirement nothing reads, an empty one and `*` may meet any range;
/// `*` as the ban meets any requirement.
#[test]
fn unreadable_and_any_requirements_may_meet() {
    for ecosystem in Ecosystem::ALL {
        let r = range(ecosystem, "*");
        assert!(r.may_meet("not a requirement !!"), "{ecosystem}");
        assert!(r.may_meet(">=99"), "{ecosystem}");
    }
    for (ecosystem, ban) in [
        (Ecosystem::Pypi, ">=3"),
        (Ecosystem::Cargo, ">=2"),
        (Ecosystem::Npm, ">=4.0.0 <5.0.0"),
        (Ecosystem::Composer, ">=2.0"),
        (Ecosystem::Golang, ">=v2.0.0"),
        (Ecosystem::Maven, "[2.0,)"),
        (Ecosystem::Nuget, "[2.0,)"),
        (Ecosystem::Gem, ">= 2.0"),
    ] {
        let r = range(ecosystem, ban);
        for requirement in ["", "  ", "*", "~~> not one ((", "latest"] {
            assert!(r.may_meet(requirement), "{ecosystem} `{requirement}`");
        }
    }
}

#[test]
fn npm_requirements() {
    meets(
        Ecosystem::Npm,
        ">=4.0.0 <5.0.0",
        &[
            ("^3.25.0", false),
            ("~3.25.0", false),
            ("3.x", false),
            ("<4.0.0", false),
            (">=3", true),
            ("^4.0.0-beta.1", true),
            ("4.2.0", true),
            ("^3.25.0 || ^4.1", true),
            ("3.0.0 - 4.0.0", true),
        ],
    );
    meets(Ecosystem::Npm, "<4", &[(">=3", true), (">=4", false)]);
}

/// Cargo's own examples: a bare version is `^`, partial versions widen.
#[test]
fn cargo_requirements() {
    meets(
        Ecosystem::Cargo,
        ">=2",
        &[
            ("1", false),
            ("1.99.99", false),
            ("^1.2", false),
            ("~1", false),
            ("=1.2", false),
            ("1.*", false),
            ("<=1.9", false),
            ("<2", false),
            (">1", true),
            (">=1.5", true),
            ("<=2.0", true),
            ("0.5, >=0.4", false),
        ],
    );
    meets(
        Ecosystem::Cargo,
        "<1.6",
        &[
            (">=1.5", true),
            (">1.5", true),
            (">1.6", false),
            ("^1.6", false),
            ("^1.5.3", true),
        ],
    );
    meets(
        Ecosystem::Cargo,
        ">=1.3",
        &[
            ("~1.2.3", false),
            ("~1.2", false),
            ("~1", true),
            ("=1.2.9", false),
            (">1.2", true),
            ("<=1.2", false),
        ],
    );
    meets(
        Ecosystem::Cargo,
        "^0.2",
        &[
            ("0.1", false),
            ("0.2.7", true),
            ("0.3", false),
            ("^0.0.3", false),
            ("^0", true),
            ("0.2.0-alpha.1", true),
        ],
    );
    meets(
        Ecosystem::Cargo,
        "=1.0.0-rc.1",
        &[
            ("1.0.0-rc.1", true),
            ("^1.0.0-rc.2", false),
            (">=0.9, <1.0.0-rc.1", false),
        ],
    );
}

/// PEP 440: `~=2.7` is `>=2.7, ==2.*`; `!=` is widened to any version.
#[test]
fn pypi_requirements() {
    meets(
        Ecosystem::Pypi,
        ">=3",
        &[
            (">=2.7,<3", false),
            (">=2.7, <3.0", false),
            ("~=2.7", false),
            ("~=2.7.1", false),
            ("==2.*", false),
            ("<=3.0", true),
            ("~=3.1", true),
            ("==3.*", true),
            (">=2.7,<3.0.1", true),
            ("!=2.0", true),
        ],
    );
    meets(
        Ecosystem::Pypi,
        "==2.0",
        &[
            ("!=2.0", true),
            ("==2.0.0", true),
            (">2.0", false),
            ("<2.0", false),
            ("===2.0", true),
            ("==2.0+cpu", true),
            ("==2.1+cpu", false),
        ],
    );
    meets(
        Ecosystem::Pypi,
        "==2.0+cpu",
        &[("==2.0", true), ("<=2.0", true), ("==2.1", false)],
    );
    // `<3` leaves out 3.0's pre-releases, `<3rc1` does not.
    meets(
        Ecosystem::Pypi,
        ">=3.0rc1",
        &[("<3", false), ("<=3.0rc1", true)],
    );
    meets(Ecosystem::Pypi, "<2", &[("^1.2", true), (">=2,<3", false)]);
}

/// Poetry constraints from `[tool.poetry]` tables: `^`, `~`, bare
/// versions, spaces and `,` for AND, `||` for OR.
#[test]
fn poetry_requirements() {
    meets(
        Ecosystem::Pypi,
        ">=0.2",
        &[
            ("^0.1.3", false),
            ("~0.1", false),
            ("0.1.9", false),
            ("0.1.*", false),
            (">= 0.1, < 0.2", false),
            (">=0.1 <0.2", false),
            ("^0.1 || ^0.3", true),
            ("^0", true),
            ("~0", true),
            ("0.2.0", true),
            ("^0.1.3 <0.1", false),
            ("^x", true),
            ("||", true),
        ],
    );
    meets(
        Ecosystem::Pypi,
        ">=2",
        &[
            ("^1.2", false),
            ("~1.9.9", false),
            ("~1", false),
            ("^2!1.0", true),
        ],
    );
    meets(
        Ecosystem::Pypi,
        "==0.0.4",
        &[("^0.0.3", false), ("^0.0", true)],
    );
}

#[test]
fn gem_requirements_meet() {
    meets(
        Ecosystem::Gem,
        ">= 2.0",
        &[
            ("~> 1.2", false),
            ("~> 1.2.3", false),
            ("< 2", false),
            ("~> 1", false),
            ("~> 1.0, >= 1.5.2", false),
            ("~> 2.1", true),
            (">= 1.9", true),
            ("1.9.9", false),
        ],
    );
}

#[test]
fn composer_requirements_meet() {
    meets(
        Ecosystem::Composer,
        ">=2.0",
        &[
            ("^1.2", false),
            ("~1.2", false),
            ("1.*", false),
            ("1.0 - 1.9", false),
            ("~1", false),
            ("^1.2 || ^2.0", true),
            ("2.0.*", true),
            ("dev-main", true),
        ],
    );
}

#[test]
fn go_requirements_meet() {
    meets(
        Ecosystem::Golang,
        ">=v2.0.0",
        &[("<v2.0.0", false), ("v1.9.0", false), (">=v1.9.0", true)],
    );
}

/// Maven's bare version in a requirement is that version, as in a range.
#[test]
fn maven_requirements_meet() {
    meets(
        Ecosystem::Maven,
        "[2.0,)",
        &[
            ("[1.0,2.0)", false),
            ("(,2.0)", false),
            ("1.5", false),
            ("[1.0,2.0]", true),
            ("2.0.0", true),
            ("(,1.0],[3.0,)", true),
        ],
    );
}

/// NuGet's bare version in a requirement is that version or higher.
#[test]
fn nuget_requirements_meet() {
    meets(
        Ecosystem::Nuget,
        "[2.0,)",
        &[
            ("[1.0,2.0)", false),
            ("(,1.9]", false),
            ("1.5", true),
            ("[1.5]", false),
        ],
    );
    meets(
        Ecosystem::Nuget,
        "[1.0,2.0)",
        &[("2.0", false), ("1.9.9", true)],
    );
}
