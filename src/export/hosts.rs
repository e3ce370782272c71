//! `hosts`: a `0.0.0.0 name` blocklist, for machines and tools that read a
//! hosts file (Pi-hole and dnsmasq take one too). A hosts file names exact
//! host names: it cannot block subdomains, so each banned domain is listed
//! as written (and its `www.`), and the header says so; addresses, ranges,
//! apps, packages and digests are not host names and are handed back.

use super::{Export, Target, Unexpressed, What, comment_header};

pub struct Hosts;

impl Target for Hosts {
    fn name(&self) -> &'static str {
        "hosts"
    }

    fn file_name(&self) -> &'static str {
        "banscan.hosts"
    }

    fn description(&self) -> &'static str {
        "a 0.0.0.0 hosts-file blocklist (exact names only)"
    }

    fn write(&self, export: &Export<'_>, unexpressed: &mut Vec<Unexpressed>) -> String {
        let mut out = comment_header(&export.header, "#");
        out.push_str(
            "# A hosts file blocks exact names only: subdomains of these names are NOT\n\
             # blocked. Use the rpz, unbound or dnsmasq target for whole domains.\n",
        );
        for entry in &export.allows {
            if entry.domain().is_some() {
                // Exemptions are names left out: a hosts file blocks
                // nothing it does not list, so there is nothing to write.
                continue;
            }
            unexpressed.push(Unexpressed::of(
                entry,
                "a hosts file cannot allow an address",
            ));
        }
        for entry in &export.blocks {
            let Some((name, subdomains_only)) = entry.domain() else {
                let why = match entry.what {
                    What::Ip(_) | What::Net(_) => "a hosts file maps names, not addresses",
                    _ => "not a host name",
                };
                unexpressed.push(Unexpressed::of(entry, why));
                continue;
            };
            if entry.alert_only {
                unexpressed.push(Unexpressed::of(
                    entry,
                    "unconfirmed: a hosts file can only block, and unconfirmed identifiers are never blocked",
                ));
                continue;
            }
            if export.allows.iter().any(|a| a.covers(entry)) {
                continue;
            }
            if subdomains_only {
                unexpressed.push(Unexpressed::of(
                    entry,
                    "a hosts file cannot name every subdomain",
                ));
                continue;
            }
            out.push_str(&format!("0.0.0.0 {name} # {}\n", entry.policy_ids()));
        }
        out
    }
}
