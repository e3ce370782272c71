//! The compiled "what is banned" model, and matching items against it.
//!
//! [`BanSet`] flattens the applicable policies into one list of [`Rule`]s
//! (one identifier of one policy each): an exporter walks that list. The
//! [`Matcher`] indexes the same rules once (hash maps for exact names, one
//! glob set per field, a domain-suffix table, a CIDR table keyed by prefix
//! length, a digest set) so that each item costs a few lookups, whether ten
//! rules apply or ten thousand.

use std::collections::HashMap;
use std::net::IpAddr;

use globset::{GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use ipnet::IpNet;

use crate::ident::{Ecosystem, Host};
use crate::inventory::{App, ItemKind};
use crate::policy::{
    AppRule, Ban, EndpointRule, FileRule, HostRule, IdentifierKind, Library, PackageRule,
};

/// One identifier of one applicable policy.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Index into [`Library::policies`].
    pub policy: usize,
    /// The product the identifier belongs to; `None` for inline identifiers.
    pub product: Option<String>,
    pub identifier: RuleIdentifier,
}

#[derive(Clone, Debug)]
pub enum RuleIdentifier {
    Package(PackageRule),
    App(AppRule),
    Endpoint(EndpointRule),
    File(FileRule),
}

impl RuleIdentifier {
    /// The identifier as a policy author would write it.
    pub fn describe(&self) -> String {
        match self {
            RuleIdentifier::Package(p) => match &p.versions {
                Some(v) => format!("{} {}", p.purl, v.text),
                None => p.purl.clone(),
            },
            RuleIdentifier::App(a) => a.describe(),
            RuleIdentifier::Endpoint(e) => e.text.clone(),
            RuleIdentifier::File(f) => format!("sha256:{}", f.sha256),
        }
    }
}

/// Every identifier of the selected policies, in policy order.
#[derive(Clone, Debug, Default)]
pub struct BanSet {
    pub rules: Vec<Rule>,
}

impl BanSet {
    pub fn compile(library: &Library, policies: &[usize]) -> BanSet {
        let mut rules = Vec::new();
        for &pi in policies {
            for ban in &library.policies[pi].bans {
                let (product, ids, only) = match ban {
                    Ban::Product { id, only, .. } => match library.product(id) {
                        Some(p) => (Some(id.clone()), &p.identifiers, only.as_deref()),
                        None => continue,
                    },
                    Ban::Inline(ids) => (None, ids, None),
                };
                let wanted = |kind| only.is_none_or(|o: &[IdentifierKind]| o.contains(&kind));
                let push = |identifier| Rule {
                    policy: pi,
                    product: product.clone(),
                    identifier,
                };
                if wanted(IdentifierKind::Packages) {
                    rules.extend(
                        ids.packages
                            .iter()
                            .cloned()
                            .map(RuleIdentifier::Package)
                            .map(push),
                    );
                }
                if wanted(IdentifierKind::Apps) {
                    rules.extend(ids.apps.iter().cloned().map(RuleIdentifier::App).map(push));
                }
                if wanted(IdentifierKind::Endpoints) {
                    rules.extend(
                        ids.endpoints
                            .iter()
                            .cloned()
                            .map(RuleIdentifier::Endpoint)
                            .map(push),
                    );
                }
                if wanted(IdentifierKind::Files) {
                    rules.extend(
                        ids.files
                            .iter()
                            .cloned()
                            .map(RuleIdentifier::File)
                            .map(push),
                    );
                }
            }
        }
        BanSet { rules }
    }
}

type RuleId = u32;

/// A glob set and, for each of its globs, the rule it came from.
struct Globs {
    builder: GlobSetBuilder,
    owners: Vec<RuleId>,
}

impl Globs {
    fn new() -> Globs {
        Globs {
            builder: GlobSetBuilder::new(),
            owners: Vec::new(),
        }
    }

    fn add(&mut self, pattern: &str, rule: RuleId) -> Result<(), String> {
        let glob = GlobBuilder::new(pattern)
            .case_insensitive(true)
            .build()
            .map_err(|e| e.to_string())?;
        self.builder.add(glob);
        self.owners.push(rule);
        Ok(())
    }

    fn build(self) -> Result<(GlobSet, Vec<RuleId>), String> {
        Ok((
            self.builder.build().map_err(|e| e.to_string())?,
            self.owners,
        ))
    }
}

fn matcher(pattern: &str) -> Result<GlobMatcher, String> {
    GlobBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| e.to_string())
}

/// Per-rule compiled app conditions, checked after an index hit.
struct AppCheck {
    name: Option<GlobMatcher>,
    publisher: Option<GlobMatcher>,
    bundle_id: Option<String>,
    platform: Option<String>,
}

/// The indexes over a [`BanSet`].
pub struct Matcher {
    set: BanSet,
    packages: HashMap<(Ecosystem, String), Vec<RuleId>>,
    package_prefixes: (GlobSet, Vec<RuleId>),
    app_names: (GlobSet, Vec<RuleId>),
    app_publishers: (GlobSet, Vec<RuleId>),
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
    /// were loaded, so an error here is a bug, reported as a message.
    pub fn new(set: BanSet) -> Result<Matcher, String> {
        let mut packages: HashMap<(Ecosystem, String), Vec<RuleId>> = HashMap::new();
        let mut prefixes = GlobSetBuilder::new();
        let mut prefix_owners = Vec::new();
        let mut names = Globs::new();
        let mut publishers = Globs::new();
        let mut bundle_ids: HashMap<String, Vec<RuleId>> = HashMap::new();
        let mut app_checks = HashMap::new();
        let mut domains: HashMap<String, Vec<(RuleId, bool)>> = HashMap::new();
        let mut ips: HashMap<IpAddr, Vec<RuleId>> = HashMap::new();
        let mut nets: HashMap<(bool, u8), HashMap<IpNet, Vec<RuleId>>> = HashMap::new();
        let mut digests: HashMap<String, Vec<RuleId>> = HashMap::new();
        for (i, rule) in set.rules.iter().enumerate() {
            let id = RuleId::try_from(i).map_err(|_| "too many rules".to_string())?;
            match &rule.identifier {
                RuleIdentifier::Package(p) if p.prefix => {
                    let pattern = format!(
                        "{}*",
                        globset::escape(&package_subject(p.ecosystem, &p.key))
                    );
                    prefixes.add(
                        GlobBuilder::new(&pattern)
                            .literal_separator(false)
                            .build()
                            .map_err(|e| e.to_string())?,
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
                            name: a.name.as_deref().map(matcher).transpose()?,
                            publisher: a.publisher.as_deref().map(matcher).transpose()?,
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
            package_prefixes: (prefixes.build().map_err(|e| e.to_string())?, prefix_owners),
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
    pub fn matches(&self, item: &ItemKind, out: &mut Vec<RuleId>) {
        out.clear();
        match item {
            ItemKind::Package(p) => {
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
            ItemKind::App(app) => self.match_app(app, out),
            ItemKind::Endpoint(e) => self.match_host(&e.host, out),
            ItemKind::File(f) => {
                if let Some(ids) = self.digests.get(f.sha256.as_str()) {
                    out.extend(ids);
                }
            }
        }
        out.sort_unstable();
        out.dedup_by(|a, b| self.rule(*a).policy == self.rule(*b).policy);
    }

    fn match_app(&self, app: &App, out: &mut Vec<RuleId>) {
        if let Some(b) = &app.bundle_id
            && let Some(ids) = self.bundle_ids.get(&b.to_lowercase())
        {
            out.extend(ids);
        }
        if let Some(n) = &app.name {
            out.extend(
                self.app_names
                    .0
                    .matches(n)
                    .into_iter()
                    .map(|g| self.app_names.1[g]),
            );
        }
        if let Some(p) = &app.publisher {
            out.extend(
                self.app_publishers
                    .0
                    .matches(p)
                    .into_iter()
                    .map(|g| self.app_publishers.1[g]),
            );
        }
        let platform = app.platform.as_deref().and_then(normalise_platform);
        out.retain(|id| {
            let Some(check) = self.app_checks.get(id) else {
                return false;
            };
            let field = |glob: &Option<GlobMatcher>, value: &Option<String>| match glob {
                Some(g) => value.as_deref().is_some_and(|v| g.is_match(v.trim())),
                None => true,
            };
            field(&check.name, &app.name)
                && field(&check.publisher, &app.publisher)
                && check.bundle_id.as_ref().is_none_or(|b| {
                    app.bundle_id
                        .as_ref()
                        .is_some_and(|a| a.to_lowercase() == *b)
                })
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
