//! The ban set: what the selected policies ban, compiled once.
//!
//! It is kept two ways over the same rules. Flat, [`BanSet::rules`] has one
//! rule per identifier per policy, in policy order; the matcher indexes it
//! and a finding points back at its rule. Grouped,
//! [`BanSet::by_identifier`] has each distinct identifier once with every
//! policy and product that bans it; that is what an exporter walks, since a
//! blocklist names a domain once however many laws ban it.

use rustc_hash::FxHashMap;

use crate::ident::{Ecosystem, Sha256};

use super::{
    AppRule, Ban, Confidence, EndpointRule, FileRule, HostRule, IdentifierKind, Identifiers,
    Library, PackageRule, Severity,
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

impl Rule {
    /// The identifier's own confidence. An unconfirmed one (a P fact)
    /// may advise but must not fail anyone's scan.
    pub fn confidence(&self) -> Confidence {
        self.identifier.confidence()
    }

    /// The severity of a finding from this rule: the policy's, lowered to
    /// an advisory when the identifier is unconfirmed.
    pub fn severity(&self, policy: Severity) -> Severity {
        match self.confidence() {
            Confidence::Confirmed => policy,
            Confidence::Unconfirmed => policy.min(Severity::Advisory),
        }
    }
}

#[derive(Clone, Debug)]
pub enum RuleIdentifier {
    Package(PackageRule),
    App(AppRule),
    Endpoint(EndpointRule),
    File(FileRule),
}

impl RuleIdentifier {
    pub fn kind(&self) -> IdentifierKind {
        match self {
            RuleIdentifier::Package(_) => IdentifierKind::Packages,
            RuleIdentifier::App(_) => IdentifierKind::Apps,
            RuleIdentifier::Endpoint(_) => IdentifierKind::Endpoints,
            RuleIdentifier::File(_) => IdentifierKind::Files,
        }
    }

    pub fn confidence(&self) -> Confidence {
        match self {
            RuleIdentifier::Package(p) => p.confidence,
            RuleIdentifier::App(a) => a.confidence,
            RuleIdentifier::Endpoint(e) => e.confidence,
            RuleIdentifier::File(f) => f.confidence,
        }
    }

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
    /// Every identifier the selected policies exempt (`except:`), in policy
    /// order; `product` is always `None`. An exemption cancels only its
    /// own policy's hits, and an exporter emits them as allow rules ahead
    /// of the blocks.
    pub exemptions: Vec<Rule>,
}

impl BanSet {
    pub fn compile(library: &Library, policies: &[usize]) -> BanSet {
        let mut rules = Vec::new();
        let mut exemptions = Vec::new();
        for &pi in policies {
            let policy = &library.policies[pi];
            for ban in &policy.bans {
                match ban {
                    Ban::Product { id, only, .. } => {
                        if let Some(p) = library.product(id) {
                            push_rules(&mut rules, pi, Some(id), &p.identifiers, only.as_deref());
                        }
                    }
                    Ban::Inline(ids) => push_rules(&mut rules, pi, None, ids, None),
                }
            }
            for ids in &policy.exemptions {
                push_rules(&mut exemptions, pi, None, ids, None);
            }
        }
        BanSet { rules, exemptions }
    }
}

/// One rule per identifier of `ids` of the kinds `only` keeps.
fn push_rules(
    rules: &mut Vec<Rule>,
    policy: usize,
    product: Option<&String>,
    ids: &Identifiers,
    only: Option<&[IdentifierKind]>,
) {
    let wanted = |kind| only.is_none_or(|o: &[IdentifierKind]| o.contains(&kind));
    let push = |identifier| Rule {
        policy,
        product: product.cloned(),
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

/// Whether an app name pattern uses glob syntax. Plain names are compared
/// without a regex, which keeps thousands of app rules cheap in the
/// matcher; the identifier key has to draw the same line.
pub fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '[', '{'])
}

/// An identifier up to what the matcher ignores: case and surrounding
/// space in plain app names and publishers, case in bundle ids, and how a
/// host or digest was spelt. Two rules with equal keys match exactly the
/// same items; globs are kept as written, so two globs that happen to
/// match the same names stay two identifiers.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum IdentifierKey {
    Package {
        ecosystem: Ecosystem,
        key: String,
        prefix: bool,
        /// The range as written, trimmed: ranges are not rewritten into a
        /// canonical form, so `>=1` and `>= 1` stay two identifiers.
        versions: Option<String>,
    },
    App {
        name: Option<String>,
        publisher: Option<String>,
        bundle_id: Option<String>,
        extension_id: Option<String>,
        platform: Option<String>,
        /// As written, trimmed, as for packages.
        versions: Option<String>,
    },
    Endpoint(HostRule),
    File(Sha256),
}

impl RuleIdentifier {
    pub fn key(&self) -> IdentifierKey {
        // As the matcher compares them: see `Pattern` there.
        let pattern = |s: &Option<String>| {
            s.as_ref().map(|s| {
                if is_glob(s) {
                    s.clone()
                } else {
                    s.trim().to_lowercase()
                }
            })
        };
        match self {
            RuleIdentifier::Package(p) => IdentifierKey::Package {
                ecosystem: p.ecosystem,
                key: p.key.clone(),
                prefix: p.prefix,
                versions: p.versions.as_ref().map(|v| v.text.trim().to_string()),
            },
            RuleIdentifier::App(a) => IdentifierKey::App {
                name: pattern(&a.name),
                publisher: pattern(&a.publisher),
                bundle_id: a.bundle_id.as_ref().map(|b| b.to_lowercase()),
                extension_id: a.extension_id.as_ref().map(|e| e.to_lowercase()),
                platform: a.platform.clone(),
                versions: a.versions.as_ref().map(|v| v.text.trim().to_string()),
            },
            RuleIdentifier::Endpoint(e) => IdentifierKey::Endpoint(e.host.clone()),
            RuleIdentifier::File(f) => IdentifierKey::File(f.sha256.clone()),
        }
    }
}

/// One distinct identifier and everything that bans it.
#[derive(Clone, Debug)]
pub struct IdentifierGroup<'a> {
    pub key: IdentifierKey,
    /// The identifier as the first rule wrote it, for describing it.
    pub identifier: &'a RuleIdentifier,
    /// `(policy index, product)` pairs, in rule order, without repeats;
    /// the product is `None` for an inline identifier.
    pub banned_by: Vec<(usize, Option<&'a str>)>,
    /// Indices into [`BanSet::rules`], in order.
    pub rules: Vec<usize>,
}

impl BanSet {
    /// The rules grouped by [`IdentifierKey`], in the order each identifier
    /// first appears, so output built from it is stable.
    pub fn by_identifier(&self) -> Vec<IdentifierGroup<'_>> {
        group_by_identifier(&self.rules)
    }
}

/// `rules` (the bans or the exemptions of a [`BanSet`]) grouped by
/// [`IdentifierKey`], in the order each identifier first appears.
pub fn group_by_identifier(rules: &[Rule]) -> Vec<IdentifierGroup<'_>> {
    let mut groups: Vec<IdentifierGroup<'_>> = Vec::new();
    let mut index: FxHashMap<IdentifierKey, usize> = FxHashMap::default();
    index.reserve(rules.len());
    for (i, rule) in rules.iter().enumerate() {
        let key = rule.identifier.key();
        let g = match index.get(&key) {
            Some(&g) => g,
            None => {
                index.insert(key.clone(), groups.len());
                groups.push(IdentifierGroup {
                    key,
                    identifier: &rule.identifier,
                    banned_by: Vec::new(),
                    rules: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let group = &mut groups[g];
        let by = (rule.policy, rule.product.as_deref());
        if !group.banned_by.contains(&by) {
            group.banned_by.push(by);
        }
        group.rules.push(i);
    }
    groups
}

#[cfg(test)]
mod tests {

    use super::*;

    const POLICY: &str = r#"
policy: POLICY_ID
title: t
authority: a
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: b
sources: [{title: s, publisher: p}]
binds: {sectors: [all]}
severity: ban
examples:
  violating: [{endpoint: demo.example}]
  compliant: [{endpoint: example.org}]
"#;

    fn library(products: &str, bans: &[&str]) -> Library {
        let mut text = products.to_string();
        for (i, b) in bans.iter().enumerate() {
            text.push_str("\n---");
            text.push_str(&POLICY.replace("POLICY_ID", &format!("p{i}")));
            text.push_str(b);
        }
        crate::policy::read::library_from(&text)
    }

    const PRODUCTS: &str = r#"
product: demo
name: Demo
identifiers:
  packages:
    - purl: pkg:pypi/Demo_SDK
  apps:
    - name: Demo Chat
  endpoints:
    - demo.example
    - "*.demo.example"
---
product: demo-lite
name: Demo Lite
identifiers:
  packages:
    - purl: pkg:pypi/demo-sdk
      versions: "<2"
  apps:
    - name: " demo chat "
  endpoints:
    - Demo.Example.
"#;

    fn describe(set: &BanSet) -> Vec<String> {
        set.by_identifier()
            .iter()
            .map(|g| {
                let by: Vec<String> = g
                    .banned_by
                    .iter()
                    .map(|(p, product)| format!("p{p}:{}", product.unwrap_or("inline")))
                    .collect();
                format!("{} <- {}", g.identifier.describe(), by.join(" "))
            })
            .collect()
    }

    /// An identifier banned by several policies, or by several products,
    /// is one group listing each of them; spellings the matcher treats as
    /// equal (case, a root dot) meet, while a version range, a
    /// subdomains-only rule or another kind stay apart.
    #[test]
    fn groups_identifiers_across_policies_and_products() {
        let library = library(
            PRODUCTS,
            &[
                "bans:\n  - product: demo\n  - product: demo-lite\n",
                "bans:\n  - product: demo-lite\n    only: [endpoints]\n  - identifiers: {endpoints: [demo.example]}\n",
            ],
        );
        let set = BanSet::compile(&library, &[0, 1]);
        assert_eq!(set.rules.len(), 9, "the flat list keeps every rule");
        assert_eq!(
            describe(&set),
            [
                "pkg:pypi/Demo_SDK <- p0:demo",
                "app name \"Demo Chat\" <- p0:demo p0:demo-lite",
                "demo.example <- p0:demo p0:demo-lite p1:demo-lite p1:inline",
                "*.demo.example <- p0:demo",
                "pkg:pypi/demo-sdk <2 <- p0:demo-lite",
            ]
        );
        let groups = set.by_identifier();
        assert_eq!(groups[2].rules, [2, 6, 7, 8]);
        assert_eq!(
            groups.iter().map(|g| g.rules.len()).sum::<usize>(),
            set.rules.len(),
            "every rule is in exactly one group"
        );
    }

    /// Only the selected policies are compiled, and a policy that bans an
    /// identifier twice is listed once.
    #[test]
    fn groups_follow_the_selection_without_repeats() {
        let library = library(
            PRODUCTS,
            &[
                "bans:\n  - product: demo\n",
                "bans:\n  - identifiers: {files: [{sha256: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA}]}\n  - identifiers: {files: [{sha256: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}]}\n",
            ],
        );
        let set = BanSet::compile(&library, &[1]);
        let groups = set.by_identifier();
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].banned_by, [(1, None)]);
        assert_eq!(groups[0].rules, [0, 1]);
        assert!(matches!(groups[0].key, IdentifierKey::File(_)));
    }

    /// Exemptions are compiled beside the bans, for the selected policies
    /// only and never as bans, so an exporter can put allow rules first.
    #[test]
    fn exemptions_are_carried_apart_from_the_bans() {
        let library = library(
            PRODUCTS,
            &[
                "bans:\n  - product: demo\nexcept:\n  - identifiers: {endpoints: [intel.demo.example], apps: [{bundle_id: com.demo.intel}]}\n",
                "bans:\n  - product: demo\nexcept:\n  - identifiers: {endpoints: [other.demo.example]}\n",
            ],
        );
        let set = BanSet::compile(&library, &[0]);
        let exempt: Vec<(usize, Option<&str>, String)> = set
            .exemptions
            .iter()
            .map(|r| (r.policy, r.product.as_deref(), r.identifier.describe()))
            .collect();
        assert_eq!(
            exempt,
            [
                (0, None, "app bundle id com.demo.intel".to_string()),
                (0, None, "intel.demo.example".to_string()),
            ]
        );
        assert!(
            set.rules
                .iter()
                .all(|r| r.identifier.describe() != "intel.demo.example")
        );
    }
}
