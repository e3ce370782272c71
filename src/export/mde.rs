//! `mde`: a Microsoft Defender for Endpoint custom-indicators CSV, the file
//! the portal imports (Settings > Endpoints > Indicators > Import), so
//! Defender blocks banned domains, addresses and installers on every
//! managed device, and alerts on them.
//!
//! The columns are Microsoft's sample template's, in its order. Exemptions
//! are `Allowed` rows and come first (Defender lets Allow win over Block
//! anyway); blocks are `Block`, file hashes `BlockAndRemediate` (Defender
//! refuses it for network indicators); unconfirmed identifiers are `Audit`:
//! an alert, never a block. Defender takes no ranges (CIDR) and no
//! wildcards, nor app names or packages: those are handed back.
//!
//! A CSV has no comment lines and Defender's import refuses rows it does
//! not know, so the provenance (banscan version, as-of date, policy-set
//! digest) ends every row's Description instead of heading the file.
//!
//! Defender holds at most 15,000 active indicators per tenant: rows past
//! that are not written but handed back, so the file imports whole and
//! the warning (an error with `--strict`) says exactly what is missing.

use super::{Entry, Export, Header, Target, Unexpressed, What};
use crate::policy::Severity;

pub struct Mde;

/// The import template's columns, in its order.
pub const COLUMNS: [&str; 12] = [
    "IndicatorType",
    "IndicatorValue",
    "ExpirationTime",
    "Action",
    "Severity",
    "Title",
    "Description",
    "RecommendedActions",
    "RbacGroups",
    "Category",
    "MitreTechniques",
    "GenerateAlert",
];

/// Defender's limit of active indicators per tenant.
pub const TENANT_LIMIT: usize = 15_000;

impl Target for Mde {
    fn name(&self) -> &'static str {
        "mde"
    }

    fn file_name(&self) -> &'static str {
        "banscan-mde-indicators.csv"
    }

    fn description(&self) -> &'static str {
        "a Microsoft Defender for Endpoint custom-indicators import CSV (domains, IPs, SHA-256)"
    }

    fn write(&self, export: &Export<'_>, unexpressed: &mut Vec<Unexpressed>) -> String {
        let provenance = provenance(&export.header);
        let mut rows: Vec<(&Entry<'_>, [String; 12])> = Vec::new();
        for allow in &export.allows {
            match indicator(allow) {
                Ok((kind, value)) => {
                    rows.push((allow, row(allow, kind, value, Action::Allowed, &provenance)))
                }
                Err(why) => unexpressed.push(Unexpressed::of(allow, why)),
            }
        }
        for entry in &export.blocks {
            if export.allows.iter().any(|a| a.covers(entry)) {
                // Its Allowed row (or one for a parent name) already wins.
                continue;
            }
            let (kind, value) = match indicator(entry) {
                Ok(found) => found,
                Err(why) => {
                    unexpressed.push(Unexpressed::of(entry, why));
                    continue;
                }
            };
            let action = match (entry.alert_only, kind) {
                (true, _) => Action::Audit,
                (false, Kind::FileSha256) => Action::BlockAndRemediate,
                (false, _) => Action::Block,
            };
            rows.push((entry, row(entry, kind, value, action, &provenance)));
        }
        for (entry, _) in rows.iter().skip(TENANT_LIMIT) {
            unexpressed.push(Unexpressed::of(
                entry,
                "beyond Defender's 15,000 active indicators per tenant",
            ));
        }
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let written = csv
            .write_record(COLUMNS)
            .and_then(|()| {
                rows.iter()
                    .take(TENANT_LIMIT)
                    .try_for_each(|(_, r)| csv.write_record(r))
            })
            .and_then(|()| csv.flush().map_err(csv::Error::from));
        // Writing to memory fails only if memory does.
        written.expect("a CSV written to memory");
        let bytes = csv.into_inner().expect("a CSV flushed to memory");
        String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
    }
}

/// Defender's indicator types that banscan's identifiers map to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    DomainName,
    IpAddress,
    FileSha256,
}

#[derive(Clone, Copy)]
enum Action {
    Allowed,
    Audit,
    Block,
    BlockAndRemediate,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Allowed => "Allowed",
            Action::Audit => "Audit",
            Action::Block => "Block",
            Action::BlockAndRemediate => "BlockAndRemediate",
        }
    }
}

/// The entry as a Defender indicator, or why it cannot be one.
fn indicator(entry: &Entry<'_>) -> Result<(Kind, String), &'static str> {
    match entry.what {
        What::Domain {
            subdomains_only: true,
            ..
        } => Err("Defender indicators take no wildcards (*.name)"),
        What::Domain { name, .. } => Ok((Kind::DomainName, name.to_string())),
        What::Ip(ip) => Ok((Kind::IpAddress, ip.to_string())),
        What::Net(_) => Err("Defender indicators take single addresses, not ranges (CIDR)"),
        What::File(f) => Ok((Kind::FileSha256, f.sha256.to_string())),
        What::App(_) | What::Package(_) => {
            Err("not a Defender indicator type (domain, URL, IP or file hash)")
        }
    }
}

fn row(
    entry: &Entry<'_>,
    kind: Kind,
    value: String,
    action: Action,
    provenance: &str,
) -> [String; 12] {
    let allowed = matches!(action, Action::Allowed);
    let first = entry.policies[0];
    let mut title = format!("{}: {}", first.id, first.title);
    if entry.policies.len() > 1 {
        title.push_str(&format!(" (and {} more)", entry.policies.len() - 1));
    }
    let mut description = format!(
        "{} by {}.",
        if allowed { "Exempted" } else { "Banned" },
        entry.policy_ids()
    );
    if !entry.products.is_empty() {
        description.push_str(&format!(" Products: {}.", entry.products.join(", ")));
    }
    if entry.alert_only {
        description.push_str(" Unconfirmed identifier: audit only, never blocked.");
    }
    description.push_str(&format!(" {provenance}"));
    let recommended = if allowed {
        String::new()
    } else {
        entry
            .policies
            .iter()
            .find_map(|p| p.remediation.as_deref())
            .map(text)
            .unwrap_or_default()
    };
    [
        match kind {
            Kind::DomainName => "DomainName",
            Kind::IpAddress => "IpAddress",
            Kind::FileSha256 => "FileSha256",
        }
        .to_string(),
        value,
        expiration(entry),
        action.as_str().to_string(),
        if allowed {
            "Informational".to_string()
        } else {
            severity(entry).to_string()
        },
        text(&title),
        text(&description),
        recommended,
        String::new(),
        String::new(),
        String::new(),
        if allowed { "False" } else { "True" }.to_string(),
    ]
}

/// The gravest of the entry's policies, on Defender's scale.
fn severity(entry: &Entry<'_>) -> &'static str {
    match entry.policies.iter().map(|p| p.severity).max() {
        Some(Severity::Ban) => "High",
        Some(Severity::Restrict) => "Medium",
        _ => "Low",
    }
}

/// The end of the last day any of its policies applies, in Defender's
/// `YYYY-MM-DDTHH:MM:SS.0Z` form; empty (never) when one of them has no end.
fn expiration(entry: &Entry<'_>) -> String {
    let ends: Option<Vec<_>> = entry.policies.iter().map(|p| p.expires).collect();
    match ends.and_then(|ends| ends.into_iter().max()) {
        Some(last) => format!("{last}T23:59:59.0Z"),
        None => String::new(),
    }
}

/// Where the row came from, closing its Description.
fn provenance(header: &Header) -> String {
    let mut text = format!(
        "Source: banscan {} policy export, as of {}",
        header.version, header.as_of
    );
    if let Some(generated) = &header.generated {
        text.push_str(&format!(", generated {generated}"));
    }
    if let Some(profile) = &header.profile {
        text.push_str(&format!(", profile {profile}"));
    }
    for (source, digest) in &header.policy_sets {
        text.push_str(&format!(", policy set {source} sha256:{digest}"));
    }
    text.push('.');
    text
}

/// Free text from a policy as one safe cell: line breaks and other control
/// characters become spaces (Defender's importer is not documented to take
/// multi-line cells), and a leading `=`, `+`, `-` or `@` is quoted with `'`
/// so a spreadsheet opening the file never runs it as a formula.
fn text(value: &str) -> String {
    let flat: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.starts_with(['=', '+', '-', '@']) {
        format!("'{flat}")
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn free_text_is_one_inert_cell() {
        assert_eq!(text("a\r\nb\tc"), "a  b c");
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("Demo Chat's \"Helper\""), "Demo Chat's \"Helper\"");
    }
}
