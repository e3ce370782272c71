//! `zeek-intel`: a Zeek Intelligence Framework file, so network sensors log
//! (in `intel.log`) every connection, DNS query, TLS name or file that
//! touches a banned identifier. Zeek only detects: it never blocks, so
//! unconfirmed identifiers are rows like the others, marked in `meta.desc`.
//!
//! The file is what Zeek's input framework (the ASCII reader) reads: lines
//! starting with `#` are comments except the `#fields` line, fields are
//! separated by one tab, `-` is an unset field, and a string field's
//! `\xHH` sequences are decoded. So every field is written non-empty, and
//! tabs, newlines and backslashes in descriptions are written as `\xHH`.
//!
//! `Intel::DOMAIN` matches the exact name seen, never its subdomains, so a
//! `*.example.com` entry (subdomains only) is handed back. Zeek Intel has
//! no allow rule: an exempted identifier is simply not listed, and an
//! exemption inside a listed range cannot be expressed.

use super::{Entry, Export, Target, Unexpressed, What};

pub struct ZeekIntel;

/// What the `source` of every item is: Zeek keys an indicator's metadata
/// by source, so a feed of ours never overwrites another feed's.
const SOURCE: &str = "banscan";

impl Target for ZeekIntel {
    fn name(&self) -> &'static str {
        "zeek-intel"
    }

    fn file_name(&self) -> &'static str {
        "banscan.intel"
    }

    fn description(&self) -> &'static str {
        "a Zeek Intelligence Framework file (domains, addresses, subnets, SHA-256 file hashes)"
    }

    fn write(&self, export: &Export<'_>, unexpressed: &mut Vec<Unexpressed>) -> String {
        let mut out = String::new();
        for line in export.header.lines() {
            out.push_str(&format!("# {}\n", one_line(&line)));
        }
        out.push_str(
            "# Zeek Intel matches exact values: Intel::DOMAIN rows match the name itself,\n\
             # NOT its subdomains. FILE_HASH rows are SHA-256: load an analyzer that\n\
             # computes it (Files::ANALYZER_SHA256) for them to match.\n\
             # Load with: redef Intel::read_files += { \"/path/to/banscan.intel\" };\n",
        );
        out.push_str("#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\n");
        for allow in &export.allows {
            if let Some(why) = allow_unexpressible(allow, &export.blocks) {
                unexpressed.push(Unexpressed::of(allow, why));
            }
        }
        for entry in &export.blocks {
            if export.allows.iter().any(|a| a.covers(entry)) {
                // Exempted: Zeek has no allow rule, so it is left out.
                continue;
            }
            let (indicator, kind) = match entry.what {
                What::Domain {
                    subdomains_only: true,
                    ..
                } => {
                    unexpressed.push(Unexpressed::of(
                        entry,
                        "Zeek Intel matches exact names, not every subdomain",
                    ));
                    continue;
                }
                What::Domain { name, .. } => (name.to_string(), "Intel::DOMAIN"),
                What::Ip(ip) => (ip.to_string(), "Intel::ADDR"),
                What::Net(net) => (net.to_string(), "Intel::SUBNET"),
                What::File(f) => (f.sha256.to_string(), "Intel::FILE_HASH"),
                What::App(_) | What::Package(_) => {
                    unexpressed.push(Unexpressed::of(
                        entry,
                        "not a network or file indicator Zeek sees",
                    ));
                    continue;
                }
            };
            out.push_str(&format!(
                "{indicator}\t{kind}\t{SOURCE}\t{}\t{}\n",
                escape(&desc(entry)),
                url(entry).map_or_else(|| "-".to_string(), escape)
            ));
        }
        out
    }
}

/// `ids: title`, the first policy's title standing for the rest; the
/// products and, for an unconfirmed identifier, that it is one.
fn desc(entry: &Entry<'_>) -> String {
    let mut desc = format!("{}: {}", entry.policy_ids(), entry.policies[0].title);
    if entry.policies.len() > 1 {
        desc.push_str(&format!(" (and {} more)", entry.policies.len() - 1));
    }
    if !entry.products.is_empty() {
        desc.push_str(&format!("; products: {}", entry.products.join(", ")));
    }
    if entry.alert_only {
        desc.push_str("; unconfirmed identifier: alert only");
    }
    desc
}

/// The first policy's primary source with a URL, for analysts to follow.
fn url<'a>(entry: &'a Entry<'_>) -> Option<&'a str> {
    entry
        .policies
        .iter()
        .find_map(|p| p.primary_source().and_then(|s| s.url.as_deref()))
}

/// Why an exemption cannot be written, when it narrows a listed block that
/// it does not cover whole (an exempted address inside a banned range, an
/// exempted subdomain of a banned name is fine: Zeek matches exact names).
fn allow_unexpressible(allow: &Entry<'_>, blocks: &[Entry<'_>]) -> Option<&'static str> {
    let narrows = blocks.iter().any(|block| match (allow.what, block.what) {
        (What::Ip(a), What::Net(b)) => b.contains(&a),
        (What::Net(a), What::Net(b)) => b.contains(&a) && a != b,
        _ => false,
    });
    narrows.then_some("Zeek Intel has no allow rule: the banned range still matches it")
}

/// A header line as one comment line: a newline in it would start a data
/// line.
fn one_line(line: &str) -> String {
    line.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A field value as Zeek's ASCII reader decodes it back: the separator,
/// line breaks, other control characters and the backslash itself become
/// `\xHH`; a value that is exactly `-` (unset) or empty cannot occur, as
/// every description starts with a policy id and every URL with a scheme.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c == '\\' || c.is_ascii_control() {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_what_the_reader_would_split_or_decode() {
        assert_eq!(escape("a\tb\nc\\x41"), "a\\x09b\\x0ac\\x5cx41");
        assert_eq!(escape("Demo Chat's «Helper»"), "Demo Chat's «Helper»");
    }
}
