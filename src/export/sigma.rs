//! `sigma`: Sigma detection rules, so any SIEM with a Sigma backend
//! (Splunk, Elastic, Sentinel, QRadar…) watches its DNS and proxy logs for
//! banned names and addresses. Sigma only detects: every rule alerts.
//!
//! One rule per policy and log source (`category: dns`, field `query`;
//! `category: proxy`, fields `cs-host` and `dst_ip`, as the Sigma taxonomy
//! names them), in one multi-document YAML file (`sigma check` and
//! `sigma convert` read every document). A policy's exemptions become
//! `filter_*` selections (`… and not 1 of filter_*`), so an exempt host
//! never alerts. Unconfirmed identifiers, with `--include-unconfirmed`,
//! get a rule of their own, `status: experimental` and `level: low`, so
//! they can be routed apart. Apps, packages and digests are not in these
//! logs and are handed back.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::{Entry, Export, Target, Unexpressed, What, comment_header};
use crate::policy::{Confidence, Policy, Severity};

pub struct Sigma;

impl Target for Sigma {
    fn name(&self) -> &'static str {
        "sigma"
    }

    fn file_name(&self) -> &'static str {
        "banscan.sigma.yml"
    }

    fn description(&self) -> &'static str {
        "Sigma rules for DNS and proxy logs, one per policy (for any SIEM)"
    }

    fn write(&self, export: &Export<'_>, unexpressed: &mut Vec<Unexpressed>) -> String {
        let mut out = comment_header(&export.header, "#");
        out.push_str(
            "# Sigma rules, one YAML document per policy and log source (DNS, proxy).\n\
             # Convert them for your SIEM: sigma convert -t <backend> -p <pipeline> FILE\n",
        );
        for entry in export.allows.iter().chain(&export.blocks) {
            if !is_network(entry) {
                unexpressed.push(Unexpressed::of(
                    entry,
                    "not in DNS or proxy logs: Sigma rules here read those only",
                ));
            }
        }
        for policy in policies(export) {
            let allows = for_policy(&export.allows, policy);
            for unconfirmed in [false, true] {
                let blocks: Vec<&Entry<'_>> = for_policy(&export.blocks, policy)
                    .into_iter()
                    .filter(|e| e.alert_only == unconfirmed)
                    .collect();
                for source in [LogSource::Dns, LogSource::Proxy] {
                    let rule = Rule {
                        policy,
                        source,
                        unconfirmed,
                    };
                    if let Some(detection) = rule.detection(&blocks, &allows) {
                        out.push_str(&rule.render(&detection));
                    }
                }
            }
        }
        out
    }
}

/// The log sources rules are written for, with the Sigma taxonomy's
/// category and field names.
#[derive(Clone, Copy)]
enum LogSource {
    Dns,
    Proxy,
}

impl LogSource {
    fn category(self) -> &'static str {
        match self {
            LogSource::Dns => "dns",
            LogSource::Proxy => "proxy",
        }
    }

    /// The field holding the host name asked for.
    fn host_field(self) -> &'static str {
        match self {
            LogSource::Dns => "query",
            LogSource::Proxy => "cs-host",
        }
    }

    fn words(self) -> &'static str {
        match self {
            LogSource::Dns => "DNS queries",
            LogSource::Proxy => "proxy requests",
        }
    }
}

/// The names, subdomains and addresses one side (selection or filter) of
/// a rule matches.
#[derive(Default)]
struct Matches {
    names: Vec<String>,
    suffixes: Vec<String>,
    nets: Vec<String>,
}

impl Matches {
    fn of(entries: &[&Entry<'_>], source: LogSource) -> Matches {
        let mut m = Matches::default();
        for entry in entries {
            match entry.what {
                What::Domain {
                    name,
                    subdomains_only,
                } => {
                    if !subdomains_only {
                        m.names.push(name.to_string());
                    }
                    m.suffixes.push(format!(".{name}"));
                }
                What::Ip(ip) if matches!(source, LogSource::Proxy) => {
                    m.nets.push(ipnet::IpNet::from(ip).to_string());
                }
                What::Net(net) if matches!(source, LogSource::Proxy) => {
                    m.nets.push(net.to_string());
                }
                _ => {}
            }
        }
        m
    }

    /// `(suffix of the detection name, field with modifiers, values)`,
    /// the non-empty ones.
    fn fields(&self, source: LogSource) -> Vec<(&'static str, String, &[String])> {
        let host = source.host_field();
        [
            ("name", host.to_string(), &self.names),
            ("subdomain", format!("{host}|endswith"), &self.suffixes),
            ("address", "dst_ip|cidr".to_string(), &self.nets),
        ]
        .into_iter()
        .filter(|(_, _, values)| !values.is_empty())
        .map(|(n, f, v)| (n, f, v.as_slice()))
        .collect()
    }
}

/// One rule: a policy, a log source, and whether it holds the policy's
/// unconfirmed identifiers.
struct Rule<'a> {
    policy: &'a Policy,
    source: LogSource,
    unconfirmed: bool,
}

impl Rule<'_> {
    /// The `detection:` block, or `None` when the policy bans nothing this
    /// log source shows.
    fn detection(&self, blocks: &[&Entry<'_>], allows: &[&Entry<'_>]) -> Option<String> {
        let (banned, exempt) = (
            Matches::of(blocks, self.source),
            Matches::of(allows, self.source),
        );
        let selection = banned.fields(self.source);
        if selection.is_empty() {
            return None;
        }
        let filter = exempt.fields(self.source);
        let mut out = String::from("detection:\n");
        for (prefix, side) in [("selection", &selection), ("filter", &filter)] {
            for (suffix, field, values) in side {
                let _ = writeln!(out, "    {prefix}_{suffix}:\n        {field}:");
                for v in *values {
                    let _ = writeln!(out, "            - {}", quote(&sigma_value(v)));
                }
            }
        }
        let mut condition = group("selection", &selection);
        if !filter.is_empty() {
            condition = format!("{condition} and not {}", group("filter", &filter));
        }
        let _ = writeln!(out, "    condition: {condition}");
        Some(out)
    }

    fn render(&self, detection: &str) -> String {
        let p = self.policy;
        let mut out = String::from("---\n");
        let unconfirmed = if self.unconfirmed {
            ", unconfirmed"
        } else {
            ""
        };
        let title = format!(
            "{} ({}, {}{unconfirmed})",
            p.title,
            p.id,
            self.source.words()
        );
        let _ = writeln!(out, "title: {}", quote(&title));
        let _ = writeln!(out, "id: {}", self.id());
        let stable = !self.unconfirmed && p.confidence == Confidence::Confirmed;
        let status = if stable { "stable" } else { "experimental" };
        let _ = writeln!(out, "status: {status}");
        let mut description = format!(
            "{} for what policy {} ({} by {}, {}) bans. Generated by banscan; the policy's exemptions are filtered out.",
            capitalised(self.source.words()),
            p.id,
            p.severity.as_str(),
            p.authority,
            p.jurisdiction,
        );
        if self.unconfirmed {
            description.push_str(
                " These identifiers are unconfirmed: worth a look, not proof of a violation.",
            );
        }
        let _ = writeln!(out, "description: {}", quote(&description));
        let mut urls: Vec<&str> = Vec::new();
        for url in p.sources.iter().filter_map(|s| s.url.as_deref()) {
            if !urls.contains(&url) {
                urls.push(url);
            }
        }
        if !urls.is_empty() {
            out.push_str("references:\n");
            for url in urls {
                let _ = writeln!(out, "    - {}", quote(url));
            }
        }
        out.push_str("author: banscan\n");
        let _ = writeln!(out, "date: {}", p.issued);
        if p.effective > p.issued {
            let _ = writeln!(out, "modified: {}", p.effective);
        }
        let _ = writeln!(out, "logsource:\n    category: {}", self.source.category());
        out.push_str(detection);
        out.push_str("falsepositives:\n");
        let _ = writeln!(
            out,
            "    - {}",
            quote(&format!(
                "Devices or users outside the policy's audience ({})",
                audience(p)
            ))
        );
        let _ = writeln!(out, "level: {}", self.level());
        out
    }

    /// A UUID (version 5 layout) from the SHA-256 of the policy id, log
    /// source and confidence: the same rule keeps its id from one export
    /// to the next, so a SIEM updates it instead of adding a copy.
    fn id(&self) -> String {
        let unconfirmed = if self.unconfirmed { " unconfirmed" } else { "" };
        let key = format!(
            "banscan sigma {} {}{unconfirmed}",
            self.policy.id,
            self.source.category()
        );
        let mut b: [u8; 16] = Sha256::digest(key.as_bytes())[..16]
            .try_into()
            .expect("a SHA-256 is 32 bytes");
        b[6] = (b[6] & 0x0f) | 0x50;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h = hex::encode(b);
        format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    }

    fn level(&self) -> &'static str {
        if self.unconfirmed {
            return "low";
        }
        match self.policy.severity {
            Severity::Ban => "high",
            Severity::Restrict => "medium",
            Severity::Advisory => "low",
        }
    }
}

fn is_network(entry: &Entry<'_>) -> bool {
    matches!(entry.what, What::Domain { .. } | What::Ip(_) | What::Net(_))
}

/// Every policy an entry names, sorted by id.
fn policies<'a>(export: &Export<'a>) -> Vec<&'a Policy> {
    let mut all: BTreeMap<&str, &'a Policy> = BTreeMap::new();
    for entry in export.allows.iter().chain(&export.blocks) {
        for p in &entry.policies {
            all.insert(p.id.as_str(), p);
        }
    }
    all.into_values().collect()
}

fn for_policy<'e, 'a>(entries: &'e [Entry<'a>], policy: &Policy) -> Vec<&'e Entry<'a>> {
    entries
        .iter()
        .filter(|e| e.policies.iter().any(|p| p.id == policy.id))
        .collect()
}

/// `selection_name` alone, or `1 of selection_*` for several.
fn group(prefix: &str, side: &[(&'static str, String, &[String])]) -> String {
    match side {
        [(suffix, _, _)] => format!("{prefix}_{suffix}"),
        _ => format!("1 of {prefix}_*"),
    }
}

fn audience(p: &Policy) -> String {
    let mut words = format!("jurisdiction {}", p.jurisdiction);
    if !p.sectors.is_empty() {
        let _ = write!(words, "; sectors {}", p.sectors.join(", "));
    }
    if !p.organizations.is_empty() {
        let _ = write!(words, "; organisations {}", p.organizations.join(", "));
    }
    words
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A YAML double-quoted scalar: JSON's escapes are YAML's, so any title,
/// name or URL (quotes, backslashes, newlines, non-ASCII) stays one
/// string.
fn quote(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// A value Sigma matches literally: `*` and `?` are its wildcards and `\`
/// its escape, so each is escaped.
fn sigma_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '?' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sigma wildcards in a value are escaped, so a value matches itself
    /// only.
    #[test]
    fn values_escape_sigma_wildcards() {
        assert_eq!(sigma_value(r"a*b?c\d.example"), r"a\*b\?c\\d.example");
        assert_eq!(sigma_value("plain.example"), "plain.example");
    }

    /// Quoting keeps hostile text one YAML string.
    #[test]
    fn quoting_escapes_yaml() {
        assert_eq!(quote("it's \"x\"\n\\"), r#""it's \"x\"\n\\""#);
    }
}
