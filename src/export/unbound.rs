//! `unbound`: a `server:` clause for Unbound, to drop into
//! `/etc/unbound/unbound.conf.d/`. A `local-zone` covers a name and all its
//! subdomains, and the most specific zone decides, so exemptions are
//! `transparent` zones inside `always_nxdomain` bans. Unconfirmed names
//! become `inform` zones: resolved normally and logged with the client's
//! address, an alert and never a block.
//!
//! Banned addresses and ranges are `response-ip` rules (an answer resolving
//! to them becomes NXDOMAIN), which need Unbound's `respip` module; the
//! header says so. A local zone cannot block a name's subdomains without
//! the name, and an `inform` zone inside a ban would lift the ban, so those
//! are handed back unless a ban already covers them.

use std::collections::HashSet;

use ipnet::IpNet;

use super::dns::comments;
use super::{Entry, Export, Target, Unexpressed, What};
use super::{comment, trailing};

pub struct Unbound;

impl Target for Unbound {
    fn name(&self) -> &'static str {
        "unbound"
    }

    fn file_name(&self) -> &'static str {
        "banscan.unbound.conf"
    }

    fn description(&self) -> &'static str {
        "an Unbound server: clause of local-zone and response-ip rules"
    }

    fn write(&self, export: &Export<'_>, unexpressed: &mut Vec<Unexpressed>) -> String {
        let bans = Bans::of(export);
        let mut out = comments(export, "#");
        out.push_str(
            "# Include it from unbound.conf (Debian reads /etc/unbound/unbound.conf.d/*.conf).\n\
             # Banned names answer NXDOMAIN with all their subdomains (always_nxdomain);\n\
             # exempted names (transparent) and unconfirmed ones (inform: resolved and\n\
             # logged) are more specific zones, so they win.\n\
             # The response-ip rules (answers resolving to a banned address) need the\n\
             # respip module: module-config: \"respip validator iterator\"\n\
             server:\n",
        );
        // Zones and netblocks already written: an exemption keeps its
        // name, and none is written twice.
        let mut written = HashSet::new();
        for entry in &export.allows {
            let line = match entry.what {
                What::Domain {
                    subdomains_only: true,
                    ..
                } => {
                    unexpressed.push(Unexpressed::of(
                        entry,
                        "an Unbound local zone cannot exempt a name's subdomains without the name",
                    ));
                    continue;
                }
                What::Domain { name, .. } => local_zone(name, "transparent"),
                What::Ip(ip) => response_ip(ip.into(), "always_transparent"),
                What::Net(net) => response_ip(net, "always_transparent"),
                _ => {
                    unexpressed.push(Unexpressed::of(entry, NOT_DNS));
                    continue;
                }
            };
            rule(&mut out, &mut written, line, entry);
        }
        for entry in &export.blocks {
            let action = if entry.alert_only {
                "inform"
            } else {
                "always_nxdomain"
            };
            let line = match entry.what {
                What::Domain {
                    name,
                    subdomains_only,
                } => {
                    let covering = bans.covering_name(name);
                    match (covering, entry.alert_only, subdomains_only) {
                        (Some(_), true, _) => {
                            unexpressed.push(Unexpressed::of(entry, INSIDE_A_BAN));
                            continue;
                        }
                        (Some(ban), false, true) => {
                            out.push_str(&comment(
                                "    #",
                                &format!(
                                    "{} ({}): within the ban on {ban}",
                                    entry.what.describe(),
                                    entry.policy_ids()
                                ),
                            ));
                            continue;
                        }
                        (None, _, true) => {
                            unexpressed.push(Unexpressed::of(
                                entry,
                                "an Unbound local zone cannot block a name's subdomains without the name",
                            ));
                            continue;
                        }
                        _ => local_zone(name, action),
                    }
                }
                What::Ip(_) | What::Net(_) => {
                    let Some(net) = address(&entry.what) else {
                        continue;
                    };
                    if entry.alert_only && bans.covers(net) {
                        unexpressed.push(Unexpressed::of(entry, INSIDE_A_BAN));
                        continue;
                    }
                    response_ip(net, action)
                }
                _ => {
                    unexpressed.push(Unexpressed::of(entry, NOT_DNS));
                    continue;
                }
            };
            rule(&mut out, &mut written, line, entry);
        }
        out
    }
}

const NOT_DNS: &str = "not a DNS name or address";
const INSIDE_A_BAN: &str =
    "unconfirmed, inside a ban: an inform rule there would lift the ban, and it is blocked already";

/// The confirmed bans, to tell whether a name or range is already inside
/// one.
struct Bans<'a> {
    /// Looked up by each suffix of a name: a scan of every ban per name
    /// made 100,000 domains take half a minute.
    names: HashSet<&'a str>,
    nets: Vec<IpNet>,
}

impl<'a> Bans<'a> {
    fn of(export: &Export<'a>) -> Bans<'a> {
        let mut bans = Bans {
            names: HashSet::new(),
            nets: Vec::new(),
        };
        for entry in export.blocks.iter().filter(|e| !e.alert_only) {
            match entry.what {
                What::Domain {
                    name,
                    subdomains_only: false,
                } => {
                    bans.names.insert(name);
                }
                _ => bans.nets.extend(address(&entry.what)),
            }
        }
        bans
    }

    /// The banned name, `name` itself or its nearest banned parent, whose
    /// zone covers `name` and its subdomains.
    fn covering_name(&self, name: &str) -> Option<&'a str> {
        let mut suffix = name;
        loop {
            if let Some(&ban) = self.names.get(suffix) {
                return Some(ban);
            }
            suffix = suffix.split_once('.')?.1;
        }
    }

    /// Whether a banned address or range holds all of `net`.
    fn covers(&self, net: IpNet) -> bool {
        self.nets.iter().any(|ban| ban.contains(&net))
    }
}

/// The address or range an entry names, as a range.
fn address(what: &What<'_>) -> Option<IpNet> {
    match *what {
        What::Ip(ip) => Some(ip.into()),
        What::Net(net) => Some(net.trunc()),
        _ => None,
    }
}

/// Writes `line` with the entry's policies, unless a rule for the same
/// zone or netblock was written before.
fn rule(out: &mut String, written: &mut HashSet<String>, line: Line, entry: &Entry<'_>) {
    if written.insert(line.key) {
        out.push_str("    ");
        out.push_str(&line.text);
        out.push_str(&trailing(" #", &entry.policy_ids()));
    }
}

/// One rule and what it is keyed on (the zone or the netblock).
struct Line {
    key: String,
    text: String,
}

/// Names are checked host names (no quote or space can occur), so they
/// are written inside quotes as they are.
fn local_zone(name: &str, kind: &str) -> Line {
    Line {
        key: format!("zone {name}"),
        text: format!("local-zone: \"{name}.\" {kind}"),
    }
}

fn response_ip(net: IpNet, action: &str) -> Line {
    let net = net.trunc();
    Line {
        key: format!("ip {net}"),
        text: format!("response-ip: {net} {action}"),
    }
}
