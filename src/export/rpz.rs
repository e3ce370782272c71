//! `rpz`: a DNS Response Policy Zone, the blocklist format BIND, Knot
//! Resolver, PowerDNS Recursor and Unbound all load. Each banned domain
//! answers NXDOMAIN for itself and its subdomains (`name CNAME .` and
//! `*.name CNAME .`); each banned address or range is an `rpz-ip` trigger,
//! so any answer that resolves to it becomes NXDOMAIN too. Exemptions come
//! first as `rpz-passthru.`, the RPZ allow action, and the more specific
//! name wins over the wildcard of its parent.
//!
//! Names are written relative to the zone, so the zone may be loaded under
//! any name (`rpz.banscan.` in the examples). An RPZ record can only
//! rewrite an answer: there is no per-record "log only" action (BIND's
//! is a whole zone's `policy passthru` in named.conf), so unconfirmed
//! identifiers, which are never blocked, are handed back; so are apps,
//! packages and digests, which are not DNS names.

use std::collections::HashSet;
use std::net::IpAddr;

use ipnet::IpNet;

use super::dns::comments;
use super::trailing;
use super::{Entry, Export, Target, Unexpressed, What};

pub struct Rpz;

impl Target for Rpz {
    fn name(&self) -> &'static str {
        "rpz"
    }

    fn file_name(&self) -> &'static str {
        "banscan.rpz.zone"
    }

    fn description(&self) -> &'static str {
        "a DNS Response Policy Zone (BIND, Knot, PowerDNS, Unbound)"
    }

    fn write(&self, export: &Export<'_>, unexpressed: &mut Vec<Unexpressed>) -> String {
        let mut out = comments(export, ";");
        out.push_str(
            "; Load it as a response-policy zone under any name, e.g. in BIND:\n\
             ;   zone \"rpz.banscan\" { type primary; file \"banscan.rpz.zone\"; };\n\
             ;   response-policy { zone \"rpz.banscan\"; };\n\
             ; Banned names answer NXDOMAIN with all their subdomains; answers that\n\
             ; resolve to a banned address or range (rpz-ip) answer NXDOMAIN too.\n\
             ; Exempted names (rpz-passthru.) come first and resolve normally.\n",
        );
        out.push_str(&format!(
            "$TTL 300\n@ SOA localhost. hostmaster.localhost. {} 3600 600 86400 300\n@ NS localhost.\n",
            serial(&export.header.as_of)
        ));
        // Owner names already written: an exemption keeps its name, and a
        // name is never given two CNAMEs.
        let mut owners = HashSet::new();
        if !export.allows.is_empty() {
            out.push_str("; Exemptions: resolved normally\n");
        }
        for entry in &export.allows {
            let why = format!("exempted by {}", entry.policy_ids());
            write_rules(
                entry,
                "rpz-passthru.",
                &why,
                &mut owners,
                &mut out,
                unexpressed,
            );
        }
        if !export.blocks.is_empty() {
            out.push_str("; Bans: NXDOMAIN\n");
        }
        for entry in &export.blocks {
            if entry.alert_only {
                unexpressed.push(Unexpressed::of(
                    entry,
                    "unconfirmed: an RPZ record can only rewrite answers, and unconfirmed identifiers are never blocked",
                ));
                continue;
            }
            write_rules(
                entry,
                ".",
                &entry.policy_ids(),
                &mut owners,
                &mut out,
                unexpressed,
            );
        }
        out
    }
}

/// Writes `entry`'s triggers with `action` as the CNAME target, skipping
/// owners already written.
fn write_rules(
    entry: &Entry<'_>,
    action: &str,
    why: &str,
    owners: &mut HashSet<String>,
    out: &mut String,
    unexpressed: &mut Vec<Unexpressed>,
) {
    let triggers = match entry.what {
        What::Domain {
            name,
            subdomains_only,
        } => {
            let mut names = vec![format!("*.{name}")];
            if !subdomains_only {
                names.insert(0, name.to_string());
            }
            names
        }
        What::Ip(ip) => vec![ip_trigger(IpNet::from(ip))],
        What::Net(net) => vec![ip_trigger(net)],
        _ => {
            unexpressed.push(Unexpressed::of(
                entry,
                "not a DNS name or address: a response policy zone cannot hold it",
            ));
            return;
        }
    };
    for owner in triggers {
        if owners.insert(owner.clone()) {
            out.push_str(&format!("{owner} CNAME {action}"));
            out.push_str(&trailing(" ;", why));
        }
    }
}

/// The RPZ trigger name of a response address range: the prefix length,
/// then the address's parts in reverse (`24.0.100.51.198.rpz-ip`); IPv6
/// groups in hex with the longest run of zero groups written `zz`, as
/// `::` is (`128.57.zz.1.0.db8.2001.rpz-ip` is `2001:db8:0:1::57/128`).
fn ip_trigger(net: IpNet) -> String {
    let prefix = net.prefix_len();
    let labels: Vec<String> = match net.network() {
        IpAddr::V4(a) => a.octets().iter().rev().map(u8::to_string).collect(),
        IpAddr::V6(a) => {
            let groups = a.segments();
            let (start, len) = longest_zero_run(&groups);
            let mut labels = Vec::new();
            let mut i = 0;
            while i < groups.len() {
                if len >= 2 && i == start {
                    labels.push("zz".to_string());
                    i += len;
                } else {
                    labels.push(format!("{:x}", groups[i]));
                    i += 1;
                }
            }
            labels.reverse();
            labels
        }
    };
    format!("{prefix}.{}.rpz-ip", labels.join("."))
}

/// The first longest run of zero groups, as (start, length).
fn longest_zero_run(groups: &[u16; 8]) -> (usize, usize) {
    let (mut best, mut run_start, mut run) = ((0, 0), 0, 0);
    for (i, &g) in groups.iter().enumerate() {
        if g == 0 {
            if run == 0 {
                run_start = i;
            }
            run += 1;
            if run > best.1 {
                best = (run_start, run);
            }
        } else {
            run = 0;
        }
    }
    best
}

/// The SOA serial: the as-of date as `YYYYMMDD00`, so a zone republished
/// for a later date has a larger serial and secondaries transfer it.
fn serial(as_of: &str) -> String {
    let digits: String = as_of.chars().filter(char::is_ascii_digit).collect();
    if digits.len() == 8 {
        format!("{digits}00")
    } else {
        "1".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{ip_trigger, serial};

    fn trigger(net: &str) -> String {
        ip_trigger(net.parse().unwrap())
    }

    /// The examples of the RPZ draft and Unbound's manual.
    #[test]
    fn ip_triggers_are_written_as_rpz_names_them() {
        assert_eq!(trigger("203.0.113.7/32"), "32.7.113.0.203.rpz-ip");
        assert_eq!(trigger("198.51.100.0/24"), "24.0.100.51.198.rpz-ip");
        assert_eq!(
            trigger("2001:db8:0:1::57/128"),
            "128.57.zz.1.0.db8.2001.rpz-ip"
        );
        assert_eq!(trigger("2001:db8::/32"), "32.zz.db8.2001.rpz-ip");
        // One zero group is not a run: it stays `0`.
        assert_eq!(
            trigger("2001:db8:0:1:1:1:1:1/128"),
            "128.1.1.1.1.1.0.db8.2001.rpz-ip"
        );
        // The first of two equal runs is the one written `zz`.
        assert_eq!(
            trigger("2001:0:0:1:0:0:1:1/128"),
            "128.1.1.0.0.1.zz.2001.rpz-ip"
        );
        // Host bits past the prefix are dropped.
        assert_eq!(trigger("198.51.100.9/24"), "24.0.100.51.198.rpz-ip");
    }

    #[test]
    fn the_serial_is_the_as_of_date() {
        assert_eq!(serial("2026-01-01"), "2026010100");
        assert_eq!(serial("soon"), "1");
    }
}
