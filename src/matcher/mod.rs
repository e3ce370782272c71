//! Matching items against the ban set.
//!
//! The [`Matcher`] indexes the rules of a [`BanSet`] (built in
//! [`crate::policy::compile`]) once: hash maps for exact names, one glob
//! set per field, a domain-suffix table, a CIDR table keyed by prefix
//! length, a digest set. Each item then costs a few lookups, whether ten
//! rules apply or ten thousand.

use std::fmt;

use rustc_hash::FxHashMap as HashMap;

use crate::input::ItemView;
use crate::policy::Confidence;
use crate::policy::compile::{BanSet, Rule, RuleIdentifier};

pub(crate) mod apps;
mod hosts;
pub mod net;
mod packages;
pub mod prefilter;

pub use apps::normalise_platform;
pub use net::{Catch, LazyNet, Net};
pub use prefilter::Prefilter;

/// Why the indexes could not be built. Patterns are validated when the
/// policies are loaded, so this is a bug (or a rule set too large for the
/// index), not a user error: a type rather than a string so callers can
/// tell it apart from problems in what the user wrote.
#[derive(Debug)]
pub enum CompileError {
    /// More rules than a rule id can number.
    TooManyRules,
    /// The literal search's automaton, past its size limits.
    Literals(aho_corasick::BuildError),
    /// A pattern that validation let through but the glob engine refused.
    Glob(globset::Error),
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::TooManyRules => f.write_str("too many rules"),
            CompileError::Literals(e) => e.fmt(f),
            CompileError::Glob(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for CompileError {}

impl From<globset::Error> for CompileError {
    fn from(e: globset::Error) -> CompileError {
        CompileError::Glob(e)
    }
}

type RuleId = u32;

/// The indexes over one list of rules.
struct Indexes {
    packages: packages::PackageIndex,
    apps: apps::AppIndex,
    hosts: hosts::HostIndex,
    digests: HashMap<String, Vec<RuleId>>,
}

impl Indexes {
    fn new(rules: &[Rule]) -> Result<Indexes, CompileError> {
        let mut packages = packages::PackageIndexBuilder::default();
        let mut apps = apps::AppIndexBuilder::default();
        let mut hosts = hosts::HostIndex::default();
        let mut digests: HashMap<String, Vec<RuleId>> = HashMap::default();
        for (i, rule) in rules.iter().enumerate() {
            let id = RuleId::try_from(i).map_err(|_| CompileError::TooManyRules)?;
            match &rule.identifier {
                RuleIdentifier::Package(p) => packages.add(p, id)?,
                RuleIdentifier::App(a) => apps.add(a, id)?,
                RuleIdentifier::Endpoint(e) => hosts.add(&e.host, id),
                RuleIdentifier::File(f) => digests
                    .entry(f.sha256.as_str().to_string())
                    .or_default()
                    .push(id),
            }
        }
        Ok(Indexes {
            packages: packages.build()?,
            apps: apps.build()?,
            hosts,
            digests,
        })
    }

    /// Every rule of `rules` that matches `item`, into an empty `out`.
    fn matches(&self, rules: &[Rule], item: ItemView<'_>, out: &mut Vec<RuleId>) {
        match item {
            ItemView::Package(p) => {
                self.packages.candidates(p, out);
                out.retain(|&id| match &rules[id as usize].identifier {
                    // A manifest that asks for a range without pinning a
                    // version is flagged when the range may reach the ban;
                    // with neither, the item may be at any version.
                    RuleIdentifier::Package(rule) => {
                        match (&rule.versions, &p.version, &p.requirement) {
                            (Some(range), Some(v), _) => range.contains(v),
                            (Some(range), None, Some(req)) => range.may_meet(req),
                            _ => true,
                        }
                    }
                    _ => false,
                });
            }
            ItemView::App(app) => self.apps.matches(app, out),
            ItemView::Endpoint(e) => self.hosts.matches(e.host, out),
            ItemView::File(f) => {
                if let Some(ids) = self.digests.get(f.sha256.as_str()) {
                    out.extend(ids);
                }
            }
        }
    }
}

/// The indexes over a [`BanSet`]: its bans, and its exemptions in indexes
/// of their own, so an exemption costs the same few lookups as a ban.
pub struct Matcher {
    set: BanSet,
    bans: Indexes,
    exemptions: Indexes,
}

impl Matcher {
    /// Compiles the indexes. Patterns were validated when the policies
    /// were loaded, so an error here is a bug.
    pub fn new(set: BanSet) -> Result<Matcher, CompileError> {
        Ok(Matcher {
            bans: Indexes::new(&set.rules)?,
            exemptions: Indexes::new(&set.exemptions)?,
            set,
        })
    }

    pub fn rules(&self) -> &[Rule] {
        &self.set.rules
    }

    pub fn rule(&self, id: RuleId) -> &Rule {
        &self.set.rules[id as usize]
    }

    /// The rules `item` matches, at most one per policy, in policy order.
    /// A policy's confirmed identifier wins over an unconfirmed one, so
    /// the finding keeps the policy's own severity when it can; otherwise
    /// the first the policy lists. A policy whose exemption matches the
    /// item has no hit at all.
    pub fn matches(&self, item: ItemView<'_>, out: &mut Vec<RuleId>) {
        out.clear();
        self.bans.matches(&self.set.rules, item, out);
        if out.is_empty() {
            return;
        }
        out.sort_unstable();
        out.dedup_by(|later, kept| {
            let (l, k) = (self.rule(*later), self.rule(*kept));
            if l.policy != k.policy {
                return false;
            }
            if k.confidence() == Confidence::Unconfirmed && l.confidence() == Confidence::Confirmed
            {
                *kept = *later;
            }
            true
        });
        if self.set.exemptions.is_empty() {
            return;
        }
        // Allocates only when an exemption matches, which is rare.
        let mut exempt = Vec::new();
        self.exemptions
            .matches(&self.set.exemptions, item, &mut exempt);
        if !exempt.is_empty() {
            out.retain(|&id| {
                let policy = self.rule(id).policy;
                !exempt
                    .iter()
                    .any(|&e| self.set.exemptions[e as usize].policy == policy)
            });
        }
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::ident::{Domain, Ecosystem, parse_endpoint};
    use crate::input::{App, Endpoint, ItemKind, Package};

    const LIBRARY: &str = r#"
product: demo
name: Demo
identifiers:
  packages:
    - purl: pkg:pypi/demo-sdk
      versions: ">=1.0,<2"
    - purl: pkg:npm/%40demo/*
  apps:
    - name: Demo Chat
      publisher: "Demo Labs*"
    - bundle_id: com.demo.chat
      platform: android
    - publisher: Demo Labs Ltd.
  endpoints:
    - demo.example
    - "*.cdn.example"
    - 203.0.113.0/24
    - 2001:db8::1
---
policy: xx-demo
title: t
authority: a
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: b
sources: [{title: s, publisher: p}]
binds: {sectors: [all]}
severity: ban
bans:
  - product: demo
examples:
  violating: [{endpoint: demo.example}]
  compliant: [{endpoint: example.org}]
---
policy: xx-demo-apps
title: t
authority: a
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: b
sources: [{title: s, publisher: p}]
binds: {sectors: [all]}
severity: advisory
bans:
  - product: demo
    only: [apps]
examples:
  violating: [{app: {bundle_id: com.demo.chat}}]
  compliant: [{endpoint: demo.example}]
"#;

    fn matcher() -> Matcher {
        matcher_of(LIBRARY)
    }

    fn matcher_of(text: &str) -> Matcher {
        let library = crate::policy::read::library_from(text);
        Matcher::new(BanSet::compile(&library, &[0, 1])).unwrap()
    }

    /// The policies (by index) that match `item`.
    fn policies(m: &Matcher, item: ItemKind) -> Vec<usize> {
        let mut out = Vec::new();
        m.matches(item.view(), &mut out);
        out.iter().map(|&id| m.rule(id).policy).collect()
    }

    fn host(text: &str) -> ItemKind {
        ItemKind::Endpoint(Endpoint::of(parse_endpoint(text).unwrap(), None))
    }

    fn app(
        name: Option<&str>,
        publisher: Option<&str>,
        bundle: Option<&str>,
        platform: Option<&str>,
    ) -> ItemKind {
        ItemKind::App(App {
            name: name.map(Into::into),
            publisher: publisher.map(Into::into),
            bundle_id: bundle.map(Into::into),
            platform: platform.map(Into::into),
            ..App::default()
        })
    }

    fn package(ecosystem: Ecosystem, name: &str, version: Option<&str>) -> ItemKind {
        ItemKind::Package(Package {
            device: None,
            ecosystem,
            name: name.into(),
            key: ecosystem.package_key(None, name),
            version: version.map(Into::into),
            requirement: None,
            path: Vec::new(),
            direct: None,
            scope: None,
        })
    }

    #[test]
    fn domains_match_on_label_boundaries() {
        let m = matcher();
        assert_eq!(policies(&m, host("demo.example")), [0]);
        assert_eq!(policies(&m, host("API.Demo.Example.")), [0]);
        assert!(policies(&m, host("notdemo.example")).is_empty());
        assert!(policies(&m, host("demo.example.net")).is_empty());
        assert!(
            policies(&m, host("cdn.example")).is_empty(),
            "*.cdn.example is subdomains only"
        );
        assert_eq!(policies(&m, host("eu.cdn.example")), [0]);
        assert_eq!(
            Domain::parse("demo.example").unwrap().as_str(),
            "demo.example"
        );
    }

    #[test]
    fn addresses_match_cidrs_and_exact_ips() {
        let m = matcher();
        assert_eq!(policies(&m, host("203.0.113.200")), [0]);
        assert_eq!(policies(&m, host("::ffff:203.0.113.7")), [0]);
        assert!(policies(&m, host("203.0.114.1")).is_empty());
        assert_eq!(policies(&m, host("2001:db8::1")), [0]);
        assert_eq!(
            policies(&m, host("203.0.113.128/25")),
            [0],
            "an allowed range inside a banned one"
        );
        assert_eq!(
            policies(&m, host("203.0.0.0/16")),
            [0],
            "an allowed range around a banned one"
        );
    }

    #[test]
    fn apps_need_every_field_of_a_rule() {
        let m = matcher();
        assert_eq!(
            policies(
                &m,
                app(Some("demo chat"), Some("Demo Labs GmbH"), None, None)
            ),
            [0, 1]
        );
        assert!(policies(&m, app(Some("Demo Chat"), Some("Other"), None, None)).is_empty());
        assert!(
            policies(
                &m,
                app(Some("Demo Chat Wallpapers"), Some("Fan Studio"), None, None)
            )
            .is_empty()
        );
        assert_eq!(
            policies(
                &m,
                app(Some("Anything"), Some(" demo labs ltd. "), None, None)
            ),
            [0, 1]
        );
        assert_eq!(
            policies(
                &m,
                app(None, None, Some("COM.DEMO.CHAT"), Some("Android 14"))
            ),
            [0, 1]
        );
        assert!(policies(&m, app(None, None, Some("com.demo.chat"), Some("iOS"))).is_empty());
        assert_eq!(
            policies(&m, app(None, None, Some("com.demo.chat"), None)),
            [0, 1],
            "unknown platform"
        );
    }

    #[test]
    fn packages_match_names_prefixes_and_ranges() {
        let m = matcher();
        assert_eq!(
            policies(&m, package(Ecosystem::Pypi, "Demo_SDK", Some("1.4"))),
            [0]
        );
        assert!(policies(&m, package(Ecosystem::Pypi, "demo-sdk", Some("2.0"))).is_empty());
        assert_eq!(
            policies(&m, package(Ecosystem::Pypi, "demo-sdk", None)),
            [0],
            "unpinned"
        );
        assert!(policies(&m, package(Ecosystem::Npm, "demo-sdk", Some("1.4"))).is_empty());
        assert_eq!(
            policies(&m, package(Ecosystem::Npm, "@demo/core", Some("3.0.0"))),
            [0]
        );
        assert!(policies(&m, package(Ecosystem::Npm, "@demolition/core", None)).is_empty());
    }

    /// A requirement without a pinned version is flagged only when it may
    /// reach the banned range; a pinned version decides alone.
    #[test]
    fn requirements_are_flagged_when_they_may_meet_the_range() {
        let m = matcher();
        let wanting = |requirement: &str, version: Option<&str>| {
            let mut item = package(Ecosystem::Pypi, "demo-sdk", version);
            if let ItemKind::Package(p) = &mut item {
                p.requirement = Some(requirement.to_string());
            }
            policies(&m, item)
        };
        assert!(wanting(">=2.1", None).is_empty(), "above the ban");
        assert!(wanting("~=0.9", None).is_empty(), "below the ban");
        assert_eq!(wanting(">=1.5", None), [0]);
        assert_eq!(wanting("not a specifier", None), [0], "unreadable");
        assert!(
            wanting(">=1.0", Some("2.3")).is_empty(),
            "the version decides"
        );
        assert_eq!(wanting(">=2.1", Some("1.2")), [0], "the version decides");
    }

    #[test]
    fn only_narrows_a_product_ban() {
        let m = matcher();
        assert_eq!(
            policies(&m, host("demo.example")),
            [0],
            "policy 1 bans only the apps"
        );
        let kinds: Vec<&str> = m
            .rules()
            .iter()
            .filter(|r| r.policy == 1)
            .map(|r| match r.identifier {
                RuleIdentifier::App(_) => "app",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["app", "app", "app"]);
    }

    /// Table rows are judged by their key cells: a plain name, publisher
    /// or bundle id is looked up in any ASCII case, by the field its rule
    /// is indexed on; a cell the matcher would fold (not ASCII, spaces
    /// doubled or at an end, also across a word of eight bytes) is a
    /// candidate whatever it says; rules indexed on a glob are left to the
    /// literal search, and one without a literal turns the filter off.
    #[test]
    fn app_cells_look_up_key_cells() {
        use crate::input::Evidence;
        use crate::input::records::{CellFilter, KeyField};
        let m = matcher();
        let p = Prefilter::new(m.rules(), Evidence::Apps).expect("app literals");
        let cells = p.cells().expect("no glob-indexed rule");
        let name = |text: &str| cells.may_match(KeyField::Name, text.as_bytes());
        assert!(name("Demo Chat") && name("DEMO CHAT") && name("demo chat"));
        assert!(!name("Demo Chats") && !name("Demo") && !name("Other"));
        assert!(!name("") && !name("   "));
        // A macOS bundle's name, as Jamf Pro writes it.
        assert!(name("Demo Chat.app") && !name("Demo Chats.app") && !name(".app"));
        for folded in [
            "Demo  Chat",
            "Demo Ch  at",
            " Demo Chat",
            "Demo Chat\t",
            "Ｄemo Chat",
        ] {
            assert!(name(folded), "{folded:?} is parsed");
        }
        let publisher = |text: &str| cells.may_match(KeyField::Publisher, text.as_bytes());
        assert!(publisher("demo labs ltd.") && publisher("Demo Labs Ltd."));
        // `Demo Labs*` only narrows the rule indexed on `Demo Chat`.
        assert!(!publisher("Demo Labs GmbH"));
        let bundle = |text: &str| cells.may_match(KeyField::BundleId, text.as_bytes());
        assert!(bundle("COM.DEMO.CHAT") && !bundle("com.demo.chat2"));
        assert!(!cells.looks_up(KeyField::ExtensionId));
        assert_eq!(cells.next_elsewhere(b"pc,Demo Chat\n", 0), None);

        let globbed = LIBRARY.replace(
            "    - publisher: Demo Labs Ltd.\n",
            "    - name: \"Demo V*\"\n",
        );
        let m = matcher_of(&globbed);
        let p = Prefilter::new(m.rules(), Evidence::Apps).expect("app literals");
        let cells = p.cells().expect("the glob has a literal");
        assert_eq!(
            cells.next_elsewhere(b"pc,Other\npc,DEMO VOICE\n", 0),
            Some(12)
        );
        assert_eq!(cells.next_elsewhere(b"pc,Other\n", 0), None);
        assert!(!cells.looks_up(KeyField::Publisher));

        let short = LIBRARY.replace("    - publisher: Demo Labs Ltd.\n", "    - name: \"D*\"\n");
        let m = matcher_of(&short);
        assert!(Prefilter::new(m.rules(), Evidence::Apps).is_none());
    }

    /// The prefilter finds every line a rule could match (in any ASCII
    /// case, Unicode and percent-encoded hosts included) and is off where
    /// a rule has no literal (a CIDR block).
    #[test]
    fn prefilter_finds_candidate_lines() {
        use crate::input::Evidence;
        let m = matcher();
        assert!(
            Prefilter::new(m.rules(), Evidence::Endpoints).is_none(),
            "CIDR rules turn it off"
        );
        let apps = Prefilter::new(m.rules(), Evidence::Apps).expect("app literals");
        let text = b"pc,Other\npc,DEMO CHAT,Demo Labs GmbH\n";
        assert_eq!(
            apps.next(text, 0),
            Some(27),
            "at `Labs`, a longest word of the longest literal (`Demo Labs`)"
        );

        let domains_only = LIBRARY
            .replace("    - 203.0.113.0/24\n", "")
            .replace("    - 2001:db8::1\n", "");
        let m = matcher_of(&domains_only);
        let p = Prefilter::new(m.rules(), Evidence::Endpoints).expect("domain literals");
        // The start of the line with a host that may end in a banned
        // domain (a superset: the matcher decides).
        let text = "a.test\nAPI.DEMO.EXAMPLE\ndemo.example.net\nb.test\n".as_bytes();
        assert_eq!(p.next(text, 0), Some(7));
        assert_eq!(
            p.next(text, 24),
            None,
            "demo.example.net does not end in it"
        );
        assert_eq!(p.next(b"x\nGET https://eu.cdn.example./v1\n", 0), Some(2));
        // A line with a byte the filter cannot judge.
        assert_eq!(p.next("x\nbücher.example\n".as_bytes(), 0), Some(2));
        assert_eq!(p.next(b"x\nhttps://de%6do.example/\n", 0), Some(2));
    }

    const EXEMPTING: &str = r#"
product: demo
name: Demo
identifiers:
  apps:
    - name: Demo Chat
      confidence: unconfirmed
    - publisher: Demo Labs
  endpoints:
    - demo.example
---
policy: xx-exempting
title: t
authority: a
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: b
sources: [{title: s, publisher: p}]
binds: {sectors: [all]}
severity: ban
bans:
  - product: demo
except:
  - identifiers:
      endpoints: [intel.demo.example, 203.0.113.9]
      apps: [{bundle_id: com.demo.intel}]
examples:
  violating: [{endpoint: demo.example}]
  compliant: [{endpoint: intel.demo.example}]
---
policy: xx-plain
title: t
authority: a
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: b
sources: [{title: s, publisher: p}]
binds: {sectors: [all]}
severity: ban
bans:
  - product: demo
  - identifiers: {endpoints: [203.0.113.0/24], apps: [{name: "Demo*"}]}
examples:
  violating: [{endpoint: demo.example}]
  compliant: [{endpoint: example.org}]
"#;

    /// An exemption cancels its own policy's hit on an item, subdomains
    /// of the exempted host included, and leaves every other policy's hit
    /// on the same item alone.
    #[test]
    fn an_exemption_drops_only_its_own_policys_hit() {
        let m = matcher_of(EXEMPTING);
        assert_eq!(policies(&m, host("intel.demo.example")), [1]);
        assert_eq!(policies(&m, host("eu.intel.demo.example")), [1]);
        assert_eq!(policies(&m, host("api.demo.example")), [0, 1]);
        assert_eq!(policies(&m, host("203.0.113.9")), [1]);
        assert_eq!(
            policies(
                &m,
                app(
                    Some("Demo Intel"),
                    Some("Demo Labs"),
                    Some("com.demo.intel"),
                    None
                )
            ),
            [1],
            "policy 0 bans the publisher but exempts the bundle id"
        );
    }

    /// When an item matches both an unconfirmed and a confirmed identifier
    /// of one policy, the confirmed one makes the finding, so it keeps the
    /// policy's severity; an unconfirmed one alone lowers it.
    #[test]
    fn a_confirmed_identifier_wins_over_an_unconfirmed_one() {
        use crate::policy::{Confidence, Severity};
        let m = matcher_of(EXEMPTING);
        let rule_of = |item| {
            let mut out = Vec::new();
            m.matches(ItemKind::view(&item), &mut out);
            out.first().map(|&id| m.rule(id).clone())
        };
        let both = rule_of(app(Some("Demo Chat"), Some("Demo Labs"), None, None)).unwrap();
        assert_eq!(both.confidence(), Confidence::Confirmed);
        assert_eq!(both.severity(Severity::Ban), Severity::Ban);
        let unconfirmed = rule_of(app(Some("Demo Chat"), Some("Other"), None, None)).unwrap();
        assert_eq!(unconfirmed.confidence(), Confidence::Unconfirmed);
        assert_eq!(unconfirmed.severity(Severity::Ban), Severity::Advisory);
        assert_eq!(unconfirmed.severity(Severity::Advisory), Severity::Advisory);
    }

    const APP_LIBRARY: &str = r#"
policy: xx-app-rules
title: t
authority: a
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: b
sources: [{title: s, publisher: p}]
binds: {sectors: [all]}
severity: ban
bans:
  - identifiers:
      apps:
        - {name: Demo Chat, versions: ">= 4.0, < 4.1.6"}
        - {extension_id: ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP}
        - {bundle_id: com.demo.only-an-app}
examples:
  violating: [{app: {name: Demo Chat, version: 4.1.5.16}}]
  compliant: [{app: {name: Demo Chat, version: 4.1.6.0}}]
"#;

    fn app_matcher() -> Matcher {
        let library = crate::policy::read::library_from(APP_LIBRARY);
        Matcher::new(BanSet::compile(&library, &[0])).unwrap()
    }

    fn versioned(name: &str, version: Option<&str>) -> ItemKind {
        ItemKind::App(App {
            name: Some(name.into()),
            version: version.map(Into::into),
            ..App::default()
        })
    }

    fn with_ids(bundle: Option<&str>, extension: Option<&str>) -> ItemKind {
        ItemKind::App(App {
            bundle_id: bundle.map(Into::into),
            extension_id: extension.map(Into::into),
            ..App::default()
        })
    }

    /// An app rule's range holds for versions inside it, and, as for
    /// packages, for an app with no version or one that cannot be read.
    #[test]
    fn app_versions_in_range_no_version_or_unreadable() {
        let m = app_matcher();
        assert_eq!(policies(&m, versioned("Demo Chat", Some("4.1.5.16"))), [0]);
        assert_eq!(policies(&m, versioned("Demo Chat", Some("4.0"))), [0]);
        assert!(policies(&m, versioned("Demo Chat", Some("4.1.6.0"))).is_empty());
        assert!(policies(&m, versioned("Demo Chat", Some("4.15.16"))).is_empty());
        assert!(policies(&m, versioned("Demo Chat", Some("3.9"))).is_empty());
        assert_eq!(policies(&m, versioned("Demo Chat", None)), [0]);
        assert_eq!(policies(&m, versioned("Demo Chat", Some("Unknown"))), [0]);
    }

    /// Extension ids match without case and only as extension ids; a
    /// bundle id rule never matches an extension with that id.
    #[test]
    fn extension_ids_and_bundle_ids_stay_apart() {
        let m = app_matcher();
        let chrome = "abcdefghijklmnopabcdefghijklmnop";
        assert_eq!(policies(&m, with_ids(None, Some(chrome))), [0]);
        assert!(policies(&m, with_ids(Some(chrome), None)).is_empty());
        assert_eq!(
            policies(&m, with_ids(Some("com.demo.only-an-app"), None)),
            [0]
        );
        assert!(policies(&m, with_ids(None, Some("com.demo.only-an-app"))).is_empty());
    }
}
