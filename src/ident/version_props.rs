//! Property tests: each ecosystem's range check agrees with the crate
//! that defines its versions, on random versions and simple ranges.
//!
//! Where banscan hands the range to the crate (Cargo to `semver`, npm to
//! `nodejs-semver`, PyPI to `pep440_rs`), `contains` must be the crate's
//! own answer, and the sets that `may_meet` builds from the range
//! (`cargo.rs`, `pypi.rs`) must hold every version the crate lets in.
//! Where banscan reads the syntax itself (Maven intervals, RubyGems
//! requirements), the reference below evaluates each comparator on the
//! crate's ordering directly, so the set algebra is checked against
//! plain comparisons. Last, `may_meet` must never say no to two ranges
//! that share a version: a missed overlap is a missed ban.

use std::cmp::Ordering;

use proptest::prelude::*;

use super::*;

const CASES: u32 = 256;

/// A pre-release or qualifier tag, from a small pool so that ranges and
/// versions share them often.
fn tag() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::of(prop::sample::select(
        &["alpha", "alpha.1", "beta", "0", "rc.1"][..],
    ))
}

/// A semver version: small numbers, an optional pre-release and build.
fn semver_version() -> impl Strategy<Value = String> {
    (0..3u64, 0..3u64, 0..3u64, tag(), any::<bool>()).prop_map(|(a, b, c, pre, build)| {
        let mut v = format!("{a}.{b}.{c}");
        if let Some(pre) = pre {
            v = format!("{v}-{pre}");
        }
        if build {
            v.push_str("+build.5");
        }
        v
    })
}

/// A comparator's version: one to three numbers, and a pre-release only
/// when all three are written (`semver` and node-semver refuse others).
fn partial_version() -> impl Strategy<Value = String> {
    (prop::collection::vec(0..3u64, 1..=3), tag()).prop_map(|(numbers, pre)| {
        let mut v = numbers
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(".");
        if let (3, Some(pre)) = (numbers.len(), pre) {
            v = format!("{v}-{pre}");
        }
        v
    })
}

/// A Cargo requirement: one or two comparators joined by `,`.
fn cargo_req() -> impl Strategy<Value = String> {
    let ops = prop::sample::select(&["", "=", ">", ">=", "<", "<=", "~", "^"][..]);
    prop::collection::vec((ops, partial_version()), 1..=2).prop_map(|terms| {
        terms
            .iter()
            .map(|(op, v)| format!("{op}{v}"))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// An npm range: alternatives of space-separated comparators, with
/// x-ranges and hyphen ranges.
fn npm_range() -> impl Strategy<Value = String> {
    let ops = prop::sample::select(&["", "=", ">", ">=", "<", "<=", "~", "^"][..]);
    let comparator = (ops, partial_version()).prop_map(|(op, v)| format!("{op}{v}"));
    let x_range =
        (0..3u64, prop::sample::select(&["x", "*"][..])).prop_map(|(a, x)| format!("{a}.{x}"));
    let hyphen = (partial_version(), partial_version()).prop_map(|(a, b)| format!("{a} - {b}"));
    let set = prop_oneof![
        prop::collection::vec(comparator, 1..=2).prop_map(|c| c.join(" ")),
        x_range,
        hyphen,
    ];
    prop::collection::vec(set, 1..=2).prop_map(|alternatives| alternatives.join(" || "))
}

/// A PEP 440 version: an optional epoch, one to three numbers, an
/// optional pre-, post- or dev-release and an optional local label.
fn pep440_version() -> impl Strategy<Value = String> {
    let suffix = prop::sample::select(&["", "", "a1", "b2", "rc1", ".post1", ".dev0"][..]);
    (
        any::<bool>(),
        prop::collection::vec(0..3u64, 1..=3),
        suffix,
        prop::option::of(prop::sample::select(&["cpu", "ubuntu.1"][..])),
    )
        .prop_map(|(epoch, numbers, suffix, local)| {
            let mut v = if epoch {
                "1!".to_string()
            } else {
                String::new()
            };
            v.push_str(
                &numbers
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join("."),
            );
            v.push_str(suffix);
            if let Some(local) = local {
                v = format!("{v}+{local}");
            }
            v
        })
}

/// A PEP 440 specifier set. `==`, `!=` and `===` take any version (local
/// labels included); the others a version without one, and `.*` only
/// after `==` and `!=`, as PEP 440 allows.
fn pep440_specifiers() -> impl Strategy<Value = String> {
    let ops = prop::sample::select(
        &[
            "==", "!=", ">", ">=", "<", "<=", "~=", "==.*", "!=.*", "===",
        ][..],
    );
    let specifier = (ops, pep440_version()).prop_map(|(op, v)| match op {
        // The epoch and release only: `1!1.2` of `1!1.2rc1+cpu`.
        "==.*" | "!=.*" => {
            let end = v
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '!'))
                .unwrap_or(v.len());
            format!("{}{}.*", &op[..2], v[..end].trim_end_matches('.'))
        }
        "==" | "!=" | "===" => format!("{op}{v}"),
        _ => format!("{op}{}", v.split('+').next().unwrap_or(&v)),
    });
    prop::collection::vec(specifier, 1..=2).prop_map(|s| s.join(", "))
}

/// A Maven version: numbers joined by `.`, and an optional qualifier
/// after `-`, from a pool that exercises ComparableVersion's order
/// (`alpha` < `beta` < `milestone` < `rc` < `snapshot` < release < `sp`).
///
/// Not after `.`: with `1.0.0.alpha`, `mvn_version` 0.1.0 orders
/// `1` < `1-sp1` < `1.0.0.alpha` < `1`, a cycle, and no set of versions
/// can follow an order that is not one (see RELIABILITY.md).
fn maven_version() -> impl Strategy<Value = String> {
    let qualifier = prop::option::of((
        Just("-"),
        prop::sample::select(
            &[
                "alpha", "beta-1", "m2", "rc1", "SNAPSHOT", "final", "ga", "sp1",
            ][..],
        ),
    ));
    (prop::collection::vec(0..3u64, 1..=3), qualifier).prop_map(|(numbers, qualifier)| {
        let mut v = numbers
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(".");
        if let Some((sep, q)) = qualifier {
            v = format!("{v}{sep}{q}");
        }
        v
    })
}

/// One Maven interval: a version exactly (`[1.0]`), or two bounds each
/// inclusive or not, either of which may be absent.
#[derive(Clone, Debug)]
enum MavenInterval {
    Exactly(String),
    Between(Option<(String, bool)>, Option<(String, bool)>),
}

impl MavenInterval {
    fn text(&self) -> String {
        match self {
            MavenInterval::Exactly(v) => format!("[{v}]"),
            MavenInterval::Between(low, high) => {
                let open = if low.as_ref().is_some_and(|l| l.1) {
                    '['
                } else {
                    '('
                };
                let close = if high.as_ref().is_some_and(|h| h.1) {
                    ']'
                } else {
                    ')'
                };
                let bound = |b: &Option<(String, bool)>| {
                    b.as_ref().map_or("", |b| b.0.as_str()).to_string()
                };
                format!("{open}{},{}{close}", bound(low), bound(high))
            }
        }
    }

    /// The reference: each bound compared on ComparableVersion's order.
    fn holds(&self, v: &mvn_version::ComparableVersion) -> bool {
        let cmp = |b: &str| v.cmp(&mvn_version::ComparableVersion::new(b));
        match self {
            MavenInterval::Exactly(x) => cmp(x) == Ordering::Equal,
            MavenInterval::Between(low, high) => {
                let above = low.as_ref().is_none_or(|(b, inclusive)| match cmp(b) {
                    Ordering::Greater => true,
                    Ordering::Equal => *inclusive,
                    Ordering::Less => false,
                });
                let below = high.as_ref().is_none_or(|(b, inclusive)| match cmp(b) {
                    Ordering::Less => true,
                    Ordering::Equal => *inclusive,
                    Ordering::Greater => false,
                });
                above && below
            }
        }
    }

    /// Whether the interval names no version at all, which the parser
    /// refuses.
    fn is_empty(&self) -> bool {
        match self {
            MavenInterval::Exactly(_) => false,
            MavenInterval::Between(Some((low, li)), Some((high, hi))) => {
                let (low, high) = (
                    mvn_version::ComparableVersion::new(low),
                    mvn_version::ComparableVersion::new(high),
                );
                low > high || (low == high && !(*li && *hi))
            }
            MavenInterval::Between(..) => false,
        }
    }
}

fn maven_interval() -> impl Strategy<Value = MavenInterval> {
    let bound = || (maven_version(), any::<bool>());
    prop_oneof![
        maven_version().prop_map(MavenInterval::Exactly),
        (prop::option::of(bound()), prop::option::of(bound()))
            .prop_filter("an interval needs a bound", |(l, h)| l.is_some()
                || h.is_some())
            .prop_map(|(l, h)| MavenInterval::Between(l, h)),
    ]
}

/// A RubyGems version as its parts: numbers and an optional pre-release
/// tail of letters (`1.2.a`, `1.2.pre.1`).
#[derive(Clone, Debug)]
struct Gem {
    numbers: Vec<u64>,
    pre: Option<&'static str>,
}

impl Gem {
    fn text(&self) -> String {
        let mut v = self
            .numbers
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(".");
        if let Some(pre) = self.pre {
            v = format!("{v}.{pre}");
        }
        v
    }

    fn parsed(&self) -> gem_version::GemVersion {
        self.text()
            .parse()
            .expect("generated gem versions are valid")
    }

    /// `Gem::Version#release`: the version without its pre-release tail.
    fn release(&self) -> gem_version::GemVersion {
        Gem {
            numbers: self.numbers.clone(),
            pre: None,
        }
        .parsed()
    }

    /// `Gem::Version#bump`, for a version without a pre-release tail.
    fn bump(&self) -> gem_version::GemVersion {
        let mut numbers = self.numbers.clone();
        if numbers.len() > 1 {
            numbers.pop();
        }
        if let Some(last) = numbers.last_mut() {
            *last += 1;
        }
        Gem { numbers, pre: None }.parsed()
    }
}

fn gem() -> impl Strategy<Value = Gem> {
    (
        prop::collection::vec(0..3u64, 1..=3),
        prop::option::of(prop::sample::select(&["a", "b", "pre.1", "rc"][..])),
    )
        .prop_map(|(numbers, pre)| Gem { numbers, pre })
}

/// One RubyGems comparator; `~>` only on versions without a pre-release
/// tail, the ones whose bump RubyGems defines plainly.
fn gem_comparator() -> impl Strategy<Value = (&'static str, Gem)> {
    let ops = prop::sample::select(&["=", "!=", ">", ">=", "<", "<=", "~>"][..]);
    (ops, gem()).prop_map(|(op, mut v)| {
        if op == "~>" {
            v.pre = None;
        }
        (op, v)
    })
}

/// The reference: `Gem::Requirement#satisfied_by?` on `gem_version`'s
/// order, `~>` as RubyGems defines it (`v >= r && v.release < r.bump`).
fn gem_holds(op: &str, r: &Gem, v: &Gem) -> bool {
    let (rv, vv) = (r.parsed(), v.parsed());
    match op {
        "=" => vv == rv,
        "!=" => vv != rv,
        ">" => vv > rv,
        ">=" => vv >= rv,
        "<" => vv < rv,
        "<=" => vv <= rv,
        "~>" => vv >= rv && v.release() < r.bump(),
        _ => unreachable!("not a generated operator: {op}"),
    }
}

fn range(ecosystem: Ecosystem, text: &str) -> Option<VersionRange> {
    VersionRange::parse(ecosystem, text).ok()
}

/// A semver version without its build metadata, which `semver` orders
/// but no requirement looks at.
fn without_build(mut v: semver::Version) -> semver::Version {
    v.build = semver::BuildMetadata::EMPTY;
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    /// Cargo: `contains` is `semver`'s `matches`; the set `may_meet`
    /// builds holds every version semver lets in, and exactly those among
    /// releases (semver's pre-release rule only narrows).
    #[test]
    fn cargo_agrees_with_semver(req in cargo_req(), version in semver_version()) {
        let Ok(reference) = semver::VersionReq::parse(&req) else {
            prop_assert!(range(Ecosystem::Cargo, &req).is_none(), "banscan read `{}`", req);
            return Ok(());
        };
        let ours = range(Ecosystem::Cargo, &req).expect("semver reads it");
        let v = semver::Version::parse(&version).unwrap();
        prop_assert_eq!(ours.contains(&version), reference.matches(&v), "`{}` on {}", req, version);
        let set = cargo::ranges(&reference);
        let stripped = without_build(v.clone());
        if reference.matches(&v) {
            prop_assert!(set.contains(&stripped), "`{}`'s set lacks {}", req, version);
        }
        if v.pre.is_empty() {
            prop_assert_eq!(set.contains(&stripped), reference.matches(&v), "`{}` set on {}", req, version);
        }
    }

    /// npm: `contains` is node-semver's `satisfies`, parse errors alike.
    #[test]
    fn npm_agrees_with_nodejs_semver(text in npm_range(), version in semver_version()) {
        let Ok(reference) = nodejs_semver::Range::parse(&text) else {
            prop_assert!(range(Ecosystem::Npm, &text).is_none(), "banscan read `{}`", text);
            return Ok(());
        };
        let ours = range(Ecosystem::Npm, &text).expect("nodejs-semver reads it");
        let v = nodejs_semver::Version::parse(&version).unwrap();
        prop_assert_eq!(ours.contains(&version), reference.satisfies(&v), "`{}` on {}", text, version);
    }

    /// PyPI: `contains` is `pep440_rs`'s but where `pypi::contains`
    /// mends it (a prefix match longer than the candidate's release, `<`
    /// on a pre-release, both checked by the set instead);
    /// the set `may_meet` builds holds every version `contains` allows,
    /// and exactly those when no specifier is widened (`!=`, `===`,
    /// local labels, `<` a post-release) and the candidate is no post-release (which `>V`
    /// leaves out for V's release, `>1a1` for `1.post1`, and the set
    /// does not).
    #[test]
    fn pypi_agrees_with_pep440_rs(text in pep440_specifiers(), version in pep440_version()) {
        let Ok(reference) = text.parse::<pep440_rs::VersionSpecifiers>() else {
            prop_assert!(range(Ecosystem::Pypi, &text).is_none(), "banscan read `{}`", text);
            return Ok(());
        };
        let ours = range(Ecosystem::Pypi, &text).expect("pep440_rs reads it");
        let v: pep440_rs::Version = version.parse().unwrap();
        let inside = ours.contains(&version);
        let mended = reference.iter().any(|s| match s.operator() {
            pep440_rs::Operator::EqualStar
            | pep440_rs::Operator::NotEqualStar
            | pep440_rs::Operator::TildeEqual => s.version().release().len() > v.release().len(),
            pep440_rs::Operator::LessThan => v.any_prerelease(),
            _ => false,
        });
        if !mended {
            prop_assert_eq!(inside, reference.contains(&v), "`{}` on {}", text, version);
        }
        let set = pypi::ranges(&reference);
        let plain = v.clone().without_local();
        if inside {
            prop_assert!(set.contains(&plain), "`{}`'s set lacks {}", text, version);
        }
        let widened = reference.iter().any(|s| {
            matches!(
                s.operator(),
                pep440_rs::Operator::NotEqual | pep440_rs::Operator::NotEqualStar | pep440_rs::Operator::ExactEqual
            ) || !s.version().local().is_empty()
                || (s.operator() == &pep440_rs::Operator::LessThan && s.version().is_post())
        });
        if !widened && v.post().is_none() {
            prop_assert_eq!(set.contains(&plain), inside, "`{}` set on {}", text, version);
        }
    }

    /// Maven: a union of intervals holds a version exactly when one of
    /// them does on ComparableVersion's order; only an interval that
    /// names no version is refused.
    #[test]
    fn maven_agrees_with_comparable_version(
        intervals in prop::collection::vec(maven_interval(), 1..=3),
        version in maven_version(),
    ) {
        let text = intervals.iter().map(MavenInterval::text).collect::<Vec<_>>().join(",");
        let Some(ours) = range(Ecosystem::Maven, &text) else {
            prop_assert!(intervals.iter().any(MavenInterval::is_empty), "`{}` refused", text);
            return Ok(());
        };
        let v = mvn_version::ComparableVersion::new(&version);
        let reference = intervals.iter().any(|i| i.holds(&v));
        prop_assert_eq!(ours.contains(&version), reference, "`{}` on {}", text, version);
    }

    /// RubyGems: every comparator must hold, on `gem_version`'s order.
    /// `~>` lets in the pre-releases of its bump, which RubyGems leaves
    /// out (a ban errs towards a finding): for a pre-release banscan's
    /// answer may only be wider.
    #[test]
    fn gem_agrees_with_gem_version(
        comparators in prop::collection::vec(gem_comparator(), 1..=2),
        version in gem(),
    ) {
        let text = comparators
            .iter()
            .map(|(op, v)| format!("{op} {}", v.text()))
            .collect::<Vec<_>>()
            .join(", ");
        let ours = range(Ecosystem::Gem, &text).expect("generated requirements are valid");
        let reference = comparators.iter().all(|(op, r)| gem_holds(op, r, &version));
        let inside = ours.contains(&version.text());
        if version.pre.is_none() {
            prop_assert_eq!(inside, reference, "`{}` on {}", text, version.text());
        } else if reference {
            prop_assert!(inside, "`{}` leaves out {}", text, version.text());
        }
    }

    /// `may_meet` never says no to two ranges that share a version: a
    /// version both contain, read by the ecosystem's crate, proves the
    /// overlap.
    #[test]
    fn may_meet_finds_every_shared_version(
        (ecosystem, a, b, version) in prop_oneof![
            (cargo_req(), cargo_req(), semver_version())
                .prop_map(|(a, b, v)| (Ecosystem::Cargo, a, b, v)),
            (npm_range(), npm_range(), semver_version())
                .prop_map(|(a, b, v)| (Ecosystem::Npm, a, b, v)),
            (pep440_specifiers(), pep440_specifiers(), pep440_version())
                .prop_map(|(a, b, v)| (Ecosystem::Pypi, a, b, v)),
            (prop::collection::vec(maven_interval(), 1..=2), prop::collection::vec(maven_interval(), 1..=2), maven_version())
                .prop_map(|(a, b, v)| {
                    let join = |i: Vec<MavenInterval>| i.iter().map(MavenInterval::text).collect::<Vec<_>>().join(",");
                    (Ecosystem::Maven, join(a), join(b), v)
                }),
            (prop::collection::vec(gem_comparator(), 1..=2), prop::collection::vec(gem_comparator(), 1..=2), gem())
                .prop_map(|(a, b, v)| {
                    let join = |c: Vec<(&str, Gem)>| c.iter().map(|(op, v)| format!("{op} {}", v.text())).collect::<Vec<_>>().join(", ");
                    (Ecosystem::Gem, join(a), join(b), v.text())
                }),
        ],
    ) {
        let (Some(ra), Some(rb)) = (range(ecosystem, &a), range(ecosystem, &b)) else {
            return Ok(());
        };
        if ra.contains(&version) && rb.contains(&version) {
            prop_assert!(ra.may_meet(&b), "{} `{}` and `{}` share {}", ecosystem, a, b, version);
            prop_assert!(rb.may_meet(&a), "{} `{}` and `{}` share {}", ecosystem, b, a, version);
        }
    }
}

/// Found by `pypi_agrees_with_pep440_rs`: a prefix match pads the
/// candidate's release with zeros, so `1` is `1.0`, outside `==1.1.*`
/// and inside `!=1.1.*` (pep440_rs alone says the opposite of both).
#[test]
fn prefix_matches_pad_the_candidate() {
    let pypi = |text| VersionRange::parse(Ecosystem::Pypi, text).unwrap();
    assert!(!pypi("==1!1.1.*").contains("1!1"));
    assert!(!pypi("==1.1.*").contains("1"));
    assert!(pypi("!=1.1.*").contains("1"));
    assert!(pypi("==1.0.*").contains("1"));
    assert!(!pypi("!=1.0.*").contains("1"));
    assert!(pypi("==1.1.*").contains("1.1.5rc1"));
    assert!(pypi("~=1.0.0").contains("1"));
}

/// Found by `pypi_agrees_with_pep440_rs`: `<V` leaves out V's own
/// pre-releases only when V is not one, and only in V's epoch; a
/// pre-release of the same release in a lower epoch is simply lower.
#[test]
fn less_than_and_pre_releases() {
    let pypi = |text| VersionRange::parse(Ecosystem::Pypi, text).unwrap();
    assert!(pypi("<1!0").contains("0a1"));
    assert!(!pypi("<1!0").contains("1!0a1"));
    assert!(!pypi("<1").contains("1!0a1"));
    assert!(!pypi("<1.0").contains("1.0rc1"));
    assert!(!pypi("<1.0").contains("1.dev0"));
    assert!(pypi("<1.0").contains("0.9rc1"));
    assert!(pypi("<1!2b2").contains("1!2a1"));
    assert!(!pypi("<2b2").contains("2b2"));
    assert!(!pypi("<2").contains("2+local"));
}

/// Found by `pypi_agrees_with_pep440_rs`: `<2.post1` holds `2`, so a
/// manifest pinning `==2` may meet it.
#[test]
fn less_than_a_post_release_holds_its_release() {
    let pypi = |text| VersionRange::parse(Ecosystem::Pypi, text).unwrap();
    assert!(pypi("<1!2.post1").contains("1!2"));
    assert!(pypi("<1!2.post1").may_meet("==1!2"));
    assert!(pypi("<2.post1").may_meet("==2.0"));
    assert!(!pypi("<2.post1").may_meet("==2.post1"));
}
