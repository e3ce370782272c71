//! What the three DNS resolver targets (`rpz`, `unbound`, `dnsmasq`)
//! share: the comment block that opens their files. A resolver's
//! administrator reads these files long after they were made, so beside
//! the provenance header each one lists the policies its rules name, with
//! their titles and authorities. Titles come from policy files and may
//! hold anything, so every comment line is made safe for a line-based
//! configuration format first.

use std::collections::BTreeMap;

use super::{Export, comment};

/// The header, then one line per policy the rules name (`id: title
/// (authority)`), each prefixed with `prefix` and a space.
pub(super) fn comments(export: &Export<'_>, prefix: &str) -> String {
    let mut out = String::new();
    for line in export.header.lines() {
        out.push_str(&comment(prefix, &line));
    }
    let mut named = BTreeMap::new();
    for entry in export.allows.iter().chain(&export.blocks) {
        for policy in &entry.policies {
            named.insert(policy.id.as_str(), *policy);
        }
    }
    if !named.is_empty() {
        out.push_str(&comment(prefix, "Policies the rules name:"));
    }
    for (id, policy) in named {
        out.push_str(&comment(
            prefix,
            &format!("- {id}: {} ({})", policy.title, policy.authority),
        ));
    }
    out
}
