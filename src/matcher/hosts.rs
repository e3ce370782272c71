//! Endpoint rules: a domain-suffix table (a host is looked up once per
//! label boundary), exact addresses, and networks keyed by prefix length,
//! so an address costs one lookup per prefix length in use.

use std::net::IpAddr;

use ipnet::IpNet;
use rustc_hash::FxHashMap as HashMap;

use crate::ident::Host;
use crate::policy::HostRule;

use super::RuleId;

#[derive(Default)]
pub(super) struct HostIndex {
    /// Domain → rules, with whether the rule wants subdomains only.
    domains: HashMap<String, Vec<(RuleId, bool)>>,
    ips: HashMap<IpAddr, Vec<RuleId>>,
    /// Banned networks by (is IPv4, prefix length), then by network.
    nets: HashMap<(bool, u8), HashMap<IpNet, Vec<RuleId>>>,
}

impl HostIndex {
    pub(super) fn add(&mut self, rule: &HostRule, id: RuleId) {
        match rule {
            HostRule::Domain {
                domain,
                subdomains_only,
            } => self
                .domains
                .entry(domain.as_str().to_string())
                .or_default()
                .push((id, *subdomains_only)),
            HostRule::Ip(ip) => self.ips.entry(*ip).or_default().push(id),
            HostRule::Net(net) => self
                .nets
                .entry((matches!(net, IpNet::V4(_)), net.prefix_len()))
                .or_default()
                .entry(*net)
                .or_default()
                .push(id),
        }
    }

    pub(super) fn matches(&self, host: &Host, out: &mut Vec<RuleId>) {
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

#[cfg(test)]
#[path = "hosts_props.rs"]
mod props;
