//! `dnsmasq`: configuration lines for dnsmasq and Pi-hole (whose FTL is
//! dnsmasq), to drop into `/etc/dnsmasq.d/`. `address=/name/` answers
//! NXDOMAIN for a name and its subdomains, `address=/*.name/` for its
//! subdomains only (dnsmasq 2.86 and later); an exemption is
//! `server=/name/#` ("use the usual servers"), which wins because dnsmasq
//! takes the most specific domain. Banned addresses and ranges are
//! `bogus-nxdomain=`, which turns any answer holding them into NXDOMAIN.
//!
//! dnsmasq has no per-domain log, so unconfirmed identifiers (alerts,
//! never blocks) are handed back, as are exempted addresses (a
//! `bogus-nxdomain` has no exception) and apps, packages and digests.
//! Comments go on their own lines: in dnsmasq `#` is also a value
//! (`server=/name/#`).

use std::collections::HashSet;

use super::comment;
use super::dns::comments;
use super::{Entry, Export, Target, Unexpressed, What};

pub struct Dnsmasq;

impl Target for Dnsmasq {
    fn name(&self) -> &'static str {
        "dnsmasq"
    }

    fn file_name(&self) -> &'static str {
        "banscan.dnsmasq.conf"
    }

    fn description(&self) -> &'static str {
        "dnsmasq and Pi-hole address=/name/ lines"
    }

    fn write(&self, export: &Export<'_>, unexpressed: &mut Vec<Unexpressed>) -> String {
        let mut out = comments(export, "#");
        out.push_str(
            "# Put it in /etc/dnsmasq.d/ (Pi-hole: /etc/dnsmasq.d/ too); needs dnsmasq 2.86+.\n\
             # Banned names answer NXDOMAIN with all their subdomains (address=/name/);\n\
             # answers holding a banned address answer NXDOMAIN (bogus-nxdomain=).\n\
             # Exempted names (server=/name/#) are more specific, so they resolve normally.\n",
        );
        // Domain patterns already written: an exemption keeps its name.
        let mut written = HashSet::new();
        for entry in &export.allows {
            let Some(pattern) = pattern(entry) else {
                let why = match entry.what {
                    What::Ip(_) | What::Net(_) => {
                        "dnsmasq cannot exempt an address from bogus-nxdomain"
                    }
                    _ => NOT_DNS,
                };
                unexpressed.push(Unexpressed::of(entry, why));
                continue;
            };
            if written.insert(pattern.clone()) {
                rule(
                    &mut out,
                    &format!("server=/{pattern}/#"),
                    &format!("exempted by {}", entry.policy_ids()),
                );
            }
        }
        for entry in &export.blocks {
            if entry.alert_only {
                unexpressed.push(Unexpressed::of(
                    entry,
                    "unconfirmed: dnsmasq can only block, and unconfirmed identifiers are never blocked",
                ));
                continue;
            }
            let line = match (pattern(entry), entry.what) {
                (Some(pattern), _) => {
                    if !written.insert(pattern.clone()) {
                        continue;
                    }
                    format!("address=/{pattern}/")
                }
                (None, What::Ip(ip)) => format!("bogus-nxdomain={ip}"),
                (None, What::Net(net)) => format!("bogus-nxdomain={}", net.trunc()),
                (None, _) => {
                    unexpressed.push(Unexpressed::of(entry, NOT_DNS));
                    continue;
                }
            };
            rule(&mut out, &line, &entry.policy_ids());
        }
        out
    }
}

const NOT_DNS: &str = "not a DNS name or address";

/// The dnsmasq domain pattern of a name: `name`, or `*.name` for its
/// subdomains only.
fn pattern(entry: &Entry<'_>) -> Option<String> {
    entry.domain().map(|(name, subdomains_only)| {
        if subdomains_only {
            format!("*.{name}")
        } else {
            name.to_string()
        }
    })
}

/// A rule after the comment naming its policies (own line: `#` is a
/// value in dnsmasq).
fn rule(out: &mut String, line: &str, why: &str) {
    out.push_str(&comment("#", why));
    out.push_str(line);
    out.push('\n');
}
