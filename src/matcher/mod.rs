//! Matching items against the ban set.
//!
//! The [`Matcher`] indexes the rules of a [`BanSet`] (built in
//! [`crate::policy::compile`]) once: hash maps for exact names, one glob
//! set per field, a domain-suffix table, a CIDR table keyed by prefix
//! length, a digest set. Each item then costs a few lookups, whether ten
//! rules apply or ten thousand.

use std::fmt;
use std::net::IpAddr;

use globset::{GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use ipnet::IpNet;

use crate::ident::{Ecosystem, Host};
use rustc_hash::FxHashMap as HashMap;

use crate::input::{AppView, ItemView};
use crate::policy::HostRule;
use crate::policy::compile::{BanSet, Rule, RuleIdentifier, is_glob};

pub mod prefilter;

pub use prefilter::Prefilter;

/// Why the indexes could not be built. Patterns are validated when the
/// policies are loaded, so this is a bug (or a rule set too large for the
/// index), not a user error: a type rather than a string so callers can
/// tell it apart from problems in what the user wrote.
#[derive(Debug)]
pub enum CompileError {
    /// More rules than a rule id can number.
    TooManyRules,
    /// A pattern that validation let through but the glob engine refused.
    Glob(globset::Error),
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::TooManyRules => f.write_str("too many rules"),
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

fn glob(pattern: &str) -> Result<globset::Glob, CompileError> {
    Ok(GlobBuilder::new(pattern).case_insensitive(true).build()?)
}

/// A case-insensitive name pattern of one rule.
enum Pattern {
    /// A plain name, lower-cased.
    Exact(String),
    Glob(GlobMatcher),
}

impl Pattern {
    fn new(pattern: &str) -> Result<Pattern, CompileError> {
        Ok(if is_glob(pattern) {
            Pattern::Glob(glob(pattern)?.compile_matcher())
        } else {
            Pattern::Exact(pattern.trim().to_lowercase())
        })
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            Pattern::Exact(name) => *lower(text) == **name,
            Pattern::Glob(g) => g.is_match(text),
        }
    }
}

/// An index of name patterns: plain names in a hash map, globs in one
/// glob set, each leading back to its rule.
struct PatternIndex {
    exact: HashMap<String, Vec<RuleId>>,
    globs: GlobSet,
    owners: Vec<RuleId>,
}

#[derive(Default)]
struct PatternIndexBuilder {
    exact: HashMap<String, Vec<RuleId>>,
    globs: Vec<(globset::Glob, RuleId)>,
}

impl PatternIndexBuilder {
    fn add(&mut self, pattern: &str, rule: RuleId) -> Result<(), CompileError> {
        if is_glob(pattern) {
            self.globs.push((glob(pattern)?, rule));
        } else {
            self.exact
                .entry(pattern.trim().to_lowercase())
                .or_default()
                .push(rule);
        }
        Ok(())
    }

    fn build(self) -> Result<PatternIndex, CompileError> {
        let mut set = GlobSetBuilder::new();
        let mut owners = Vec::with_capacity(self.globs.len());
        for (g, rule) in self.globs {
            set.add(g);
            owners.push(rule);
        }
        Ok(PatternIndex {
            exact: self.exact,
            globs: set.build()?,
            owners,
        })
    }
}

impl PatternIndex {
    /// Adds the rules whose pattern matches `text` to `out`.
    fn candidates(&self, text: &str, out: &mut Vec<RuleId>) {
        if let Some(ids) = self.exact.get(&*lower(text)) {
            out.extend(ids);
        }
        if !self.owners.is_empty() {
            out.extend(self.globs.matches(text).into_iter().map(|g| self.owners[g]));
        }
    }
}

/// Per-rule compiled app conditions, checked after an index hit.
struct AppCheck {
    name: Option<Pattern>,
    publisher: Option<Pattern>,
    bundle_id: Option<String>,
    platform: Option<String>,
}

/// The indexes over a [`BanSet`].
pub struct Matcher {
    set: BanSet,
    packages: HashMap<(Ecosystem, String), Vec<RuleId>>,
    package_prefixes: (GlobSet, Vec<RuleId>),
    app_names: PatternIndex,
    app_publishers: PatternIndex,
    bundle_ids: HashMap<String, Vec<RuleId>>,
    app_checks: HashMap<RuleId, AppCheck>,
    domains: HashMap<String, Vec<(RuleId, bool)>>,
    ips: HashMap<IpAddr, Vec<RuleId>>,
    /// Banned networks by (is IPv4, prefix length), then by network.
    nets: HashMap<(bool, u8), HashMap<IpNet, Vec<RuleId>>>,
    digests: HashMap<String, Vec<RuleId>>,
}

/// The key a package prefix rule is matched on in the prefix glob set.
fn package_subject(ecosystem: Ecosystem, key: &str) -> String {
    format!("{}/{key}", ecosystem.purl_type())
}

impl Matcher {
    /// Compiles the indexes. Patterns were validated when the policies
    /// were loaded, so an error here is a bug.
    pub fn new(set: BanSet) -> Result<Matcher, CompileError> {
        let mut packages: HashMap<(Ecosystem, String), Vec<RuleId>> = HashMap::default();
        let mut prefixes = GlobSetBuilder::new();
        let mut prefix_owners = Vec::new();
        let mut names = PatternIndexBuilder::default();
        let mut publishers = PatternIndexBuilder::default();
        let mut bundle_ids: HashMap<String, Vec<RuleId>> = HashMap::default();
        let mut app_checks = HashMap::default();
        let mut domains: HashMap<String, Vec<(RuleId, bool)>> = HashMap::default();
        let mut ips: HashMap<IpAddr, Vec<RuleId>> = HashMap::default();
        let mut nets: HashMap<(bool, u8), HashMap<IpNet, Vec<RuleId>>> = HashMap::default();
        let mut digests: HashMap<String, Vec<RuleId>> = HashMap::default();
        for (i, rule) in set.rules.iter().enumerate() {
            let id = RuleId::try_from(i).map_err(|_| CompileError::TooManyRules)?;
            match &rule.identifier {
                RuleIdentifier::Package(p) if p.prefix => {
                    let pattern = format!(
                        "{}*",
                        globset::escape(&package_subject(p.ecosystem, &p.key))
                    );
                    prefixes.add(
                        GlobBuilder::new(&pattern)
                            .literal_separator(false)
                            .build()?,
                    );
                    prefix_owners.push(id);
                }
                RuleIdentifier::Package(p) => packages
                    .entry((p.ecosystem, p.key.clone()))
                    .or_default()
                    .push(id),
                RuleIdentifier::App(a) => {
                    // Index on the most selective field the rule has.
                    if let Some(b) = &a.bundle_id {
                        bundle_ids.entry(b.to_lowercase()).or_default().push(id);
                    } else if let Some(n) = &a.name {
                        names.add(n, id)?;
                    } else if let Some(p) = &a.publisher {
                        publishers.add(p, id)?;
                    }
                    app_checks.insert(
                        id,
                        AppCheck {
                            name: a.name.as_deref().map(Pattern::new).transpose()?,
                            publisher: a.publisher.as_deref().map(Pattern::new).transpose()?,
                            bundle_id: a.bundle_id.as_ref().map(|b| b.to_lowercase()),
                            platform: a.platform.clone(),
                        },
                    );
                }
                RuleIdentifier::Endpoint(e) => match &e.host {
                    HostRule::Domain {
                        domain,
                        subdomains_only,
                    } => {
                        domains
                            .entry(domain.as_str().to_string())
                            .or_default()
                            .push((id, *subdomains_only));
                    }
                    HostRule::Ip(ip) => ips.entry(*ip).or_default().push(id),
                    HostRule::Net(net) => nets
                        .entry((matches!(net, IpNet::V4(_)), net.prefix_len()))
                        .or_default()
                        .entry(*net)
                        .or_default()
                        .push(id),
                },
                RuleIdentifier::File(f) => digests
                    .entry(f.sha256.as_str().to_string())
                    .or_default()
                    .push(id),
            }
        }
        Ok(Matcher {
            set,
            packages,
            package_prefixes: (prefixes.build()?, prefix_owners),
            app_names: names.build()?,
            app_publishers: publishers.build()?,
            bundle_ids,
            app_checks,
            domains,
            ips,
            nets,
            digests,
        })
    }

    pub fn rules(&self) -> &[Rule] {
        &self.set.rules
    }

    pub fn rule(&self, id: RuleId) -> &Rule {
        &self.set.rules[id as usize]
    }

    /// The rules `item` matches, at most one per policy (the first the
    /// policy lists), in policy order.
    pub fn matches(&self, item: ItemView<'_>, out: &mut Vec<RuleId>) {
        out.clear();
        match item {
            ItemView::Package(p) => {
                if let Some(ids) = self.packages.get(&(p.ecosystem, p.key.clone())) {
                    out.extend(ids);
                }
                if !self.package_prefixes.1.is_empty() {
                    let subject = package_subject(p.ecosystem, &p.key);
                    out.extend(
                        self.package_prefixes
                            .0
                            .matches(&subject)
                            .into_iter()
                            .map(|g| self.package_prefixes.1[g]),
                    );
                }
                out.retain(|&id| match &self.rule(id).identifier {
                    RuleIdentifier::Package(rule) => match (&rule.versions, &p.version) {
                        (Some(range), Some(v)) => range.contains(v),
                        _ => true,
                    },
                    _ => false,
                });
            }
            ItemView::App(app) => self.match_app(app, out),
            ItemView::Endpoint(e) => self.match_host(e.host, out),
            ItemView::File(f) => {
                if let Some(ids) = self.digests.get(f.sha256.as_str()) {
                    out.extend(ids);
                }
            }
        }
        out.sort_unstable();
        out.dedup_by(|a, b| self.rule(*a).policy == self.rule(*b).policy);
    }

    fn match_app(&self, app: AppView<'_>, out: &mut Vec<RuleId>) {
        if let Some(b) = app.bundle_id
            && let Some(ids) = self.bundle_ids.get(&*lower(b))
        {
            out.extend(ids);
        }
        if let Some(n) = app.name {
            self.app_names.candidates(n.trim(), out);
        }
        if let Some(p) = app.publisher {
            self.app_publishers.candidates(p.trim(), out);
        }
        if out.is_empty() {
            return;
        }
        let platform = app.platform.and_then(normalise_platform);
        out.retain(|id| {
            let Some(check) = self.app_checks.get(id) else {
                return false;
            };
            let field = |pattern: &Option<Pattern>, value: Option<&str>| match pattern {
                Some(p) => value.is_some_and(|v| p.is_match(v.trim())),
                None => true,
            };
            field(&check.name, app.name)
                && field(&check.publisher, app.publisher)
                && check
                    .bundle_id
                    .as_ref()
                    .is_none_or(|b| app.bundle_id.is_some_and(|a| *lower(a) == **b))
                && match (&check.platform, platform) {
                    (Some(want), Some(have)) => want == have,
                    _ => true,
                }
        });
    }

    fn match_host(&self, host: &Host, out: &mut Vec<RuleId>) {
        match host {
            Host::Domain(d) => {
                for (level, suffix) in d.suffixes().enumerate() {
                    if let Some(ids) = self.domains.get(suffix) {
                        out.extend(
                            ids.iter()
                                .filter(|(_, sub_only)| level > 0 || !sub_only)
                                .map(|(id, _)| *id),
                        );
                    }
                }
            }
            Host::Ip(ip) => {
                if let Some(ids) = self.ips.get(ip) {
                    out.extend(ids);
                }
                for (&(v4, len), table) in &self.nets {
                    if v4 != ip.is_ipv4() {
                        continue;
                    }
                    if let Ok(net) = IpNet::new(*ip, len)
                        && let Some(ids) = table.get(&net.trunc())
                    {
                        out.extend(ids);
                    }
                }
            }
            Host::Net(item) => {
                out.extend(
                    self.ips
                        .iter()
                        .filter(|(ip, _)| item.contains(*ip))
                        .flat_map(|(_, ids)| ids),
                );
                for table in self.nets.values() {
                    for (net, ids) in table {
                        if net.contains(item) || item.contains(net) {
                            out.extend(ids);
                        }
                    }
                }
            }
        }
    }
}

/// `text` in lower case, without allocating when it is lower case already
/// (most inventory cells are not, but most bundle ids and hosts are).
fn lower(text: &str) -> std::borrow::Cow<'_, str> {
    if text
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        std::borrow::Cow::Owned(text.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Maps the platform names inventories use ("Windows 11", "iOS",
/// "macOS 14") onto the policy vocabulary.
pub fn normalise_platform(text: &str) -> Option<&'static str> {
    let t = text.to_ascii_lowercase();
    if t.contains("android") {
        Some("android")
    } else if t.contains("ios") || t.contains("iphone") || t.contains("ipad") {
        Some("ios")
    } else if t.contains("windows") {
        Some("windows")
    } else if t.contains("mac") || t.contains("os x") {
        Some("macos")
    } else if t.contains("linux")
        || t.contains("ubuntu")
        || t.contains("debian")
        || t.contains("rhel")
    {
        Some("linux")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diag::SourceFile;
    use crate::ident::{Domain, parse_endpoint};
    use crate::input::{App, Endpoint, ItemKind, Package};
    use crate::policy::Library;
    use crate::policy::read::{Document, read_documents};

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
        let file = Arc::new(SourceFile::new("t.yaml", Arc::from(LIBRARY)));
        let mut problems = Vec::new();
        let mut library = Library::default();
        for doc in read_documents(&file, &mut problems) {
            match doc {
                Document::Product(p) => library.products.push(p),
                Document::Policy(p) => library.policies.push(p),
                Document::Profile(_) => unreachable!(),
            }
        }
        assert!(problems.is_empty(), "{problems:?}");
        Matcher::new(BanSet::compile(&library, &[0, 1])).unwrap()
    }

    /// The policies (by index) that match `item`.
    fn policies(m: &Matcher, item: ItemKind) -> Vec<usize> {
        let mut out = Vec::new();
        m.matches(item.view(), &mut out);
        out.iter().map(|&id| m.rule(id).policy).collect()
    }

    fn host(text: &str) -> ItemKind {
        ItemKind::Endpoint(Endpoint {
            host: parse_endpoint(text).unwrap(),
            url: None,
        })
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
            ecosystem,
            name: name.into(),
            key: ecosystem.package_key(None, name),
            version: version.map(Into::into),
            requirement: None,
            path: Vec::new(),
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
}
