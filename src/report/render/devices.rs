//! The auditor's view of the human report (`--group-by device`): one block
//! per device, each banned app on it once, with every policy that bans it.
//! The policy view repeats an app under each policy that bans it; an
//! auditor removing apps device by device wants the transpose.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::input::Kind;
use crate::policy::Confidence;
use crate::report::{Finding, Report};

use super::escape::neutralise;

/// The block of findings with no device: packages, endpoints, files, and
/// apps from an export without a device column. Sorted after every device.
pub const NO_DEVICE: &str = "(no device)";

/// Locations listed per app before the rest are counted.
const LOCATIONS_SHOWN: usize = 3;

/// One item on one device: where it was seen and what bans it.
#[derive(Default)]
struct Entry<'a> {
    /// Distinct `path:line` of the first occurrence of each finding.
    locations: Vec<String>,
    findings: usize,
    waived: usize,
    /// Policy id → the finding that policy made (one per policy, the most
    /// severe if a policy matched the item by two identifiers).
    policies: BTreeMap<&'a str, &'a Finding>,
}

/// Writes one block per device (sorted by name, [`NO_DEVICE`] last).
/// Findings with no device are listed per item and file, since without a
/// device the file is what says where the item is.
pub fn render(report: &Report, out: &mut String) {
    // Device → (item described without the device, and its file when
    // there is no device) → entry.
    type Items<'a> = BTreeMap<(String, Option<&'a str>), Entry<'a>>;
    let mut devices: BTreeMap<(bool, &str), Items<'_>> = BTreeMap::new();
    for f in &report.findings {
        let device = f.item.device.as_deref();
        let file = device.is_none().then_some(f.location.path.as_str());
        let item = (f.item.describe_off_device(), file);
        let entry = devices
            .entry((device.is_none(), device.unwrap_or(NO_DEVICE)))
            .or_default()
            .entry(item)
            .or_default();
        let at = format!("{}:{}", f.location.path, f.location.line);
        entry.findings += 1;
        entry.waived += usize::from(f.waiver.is_some());
        if !entry.locations.contains(&at) {
            entry.locations.push(at);
        }
        let kept = entry.policies.entry(&f.policy).or_insert(f);
        if f.severity > kept.severity {
            *kept = f;
        }
    }
    for ((_, device), items) in &devices {
        let findings: usize = items.values().map(|e| e.findings).sum();
        let waived: usize = items.values().map(|e| e.waived).sum();
        // "apps" on a device; "items" in the no-device block of packages
        // and hosts, or where kinds mix.
        let first = items
            .values()
            .next()
            .and_then(|e| e.policies.values().next());
        let kind = match first.map(|f| f.item.kind) {
            Some(kind)
                if items
                    .values()
                    .all(|e| e.policies.values().all(|f| f.item.kind == kind)) =>
            {
                match kind {
                    Kind::Package => "package",
                    Kind::App => "app",
                    Kind::Endpoint => "endpoint",
                    Kind::File => "file",
                }
            }
            _ => "item",
        };
        let _ = writeln!(
            out,
            "── {} ({} banned {kind}{}, {} finding{}{})\n",
            neutralise(device),
            items.len(),
            if items.len() == 1 { "" } else { "s" },
            findings,
            if findings == 1 { "" } else { "s" },
            if waived > 0 {
                format!(", {waived} waived")
            } else {
                String::new()
            }
        );
        for ((item, _), entry) in items {
            let _ = writeln!(out, "  {}", neutralise(item));
            let shown = entry.locations.iter().take(LOCATIONS_SHOWN);
            let mut at = shown.map(|l| neutralise(l)).collect::<Vec<_>>().join(", ");
            if entry.locations.len() > LOCATIONS_SHOWN {
                let _ = write!(at, " and {} more", entry.locations.len() - LOCATIONS_SHOWN);
            }
            let _ = writeln!(out, "    at {at}");
            // Most severe first, then by id.
            let mut policies: Vec<&&Finding> = entry.policies.values().collect();
            policies.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.policy.cmp(&b.policy)));
            for f in policies {
                let _ = writeln!(out, "    {}", policy_line(report, f));
            }
        }
        out.push('\n');
    }
}

/// `ban       tw-ey-2025-deepseek · Executive Yuan (product deepseek)`,
/// with the waiver or the unconfirmed identifier said.
fn policy_line(report: &Report, f: &Finding) -> String {
    let mut line = format!("{:<9} {}", f.severity.as_str(), f.policy);
    if let Some(p) = report.policy(&f.policy) {
        let _ = write!(line, " · {}", p.authority);
    }
    if let Some(product) = &f.product {
        let _ = write!(line, " (product {product})");
    }
    if f.confidence == Some(Confidence::Unconfirmed) {
        line.push_str(" (unconfirmed identifier: advisory only)");
    }
    if let Some(w) = &f.waiver {
        let _ = write!(
            line,
            " [waived until {} by {}: {}]",
            w.expires,
            neutralise(&w.approved_by),
            neutralise(&w.reason)
        );
    }
    line
}
