//! `suricata`: Suricata rules, so a network sensor sees every DNS query,
//! TLS handshake (SNI) and connection that reaches a banned name or
//! address. A domain is matched the way banscan matches it, itself and its
//! subdomains: `dotprefix` puts a dot before the query name, so
//! `content:".example.com"; endswith;` matches `example.com` and
//! `a.example.com` but not `badexample.com`.
//!
//! Exemptions are `pass` rules with the same matching, written first; pass
//! outranks alert and drop in Suricata's action order, so an exempt host
//! never alerts, whichever policy's rule it would hit (Suricata has no
//! per-rule exemption; the header says so). Every ban is an `alert` (IDS mode): the header says how an
//! IPS turns confirmed ones into `drop`. Unconfirmed identifiers stay
//! alerts whatever is done with the rest (`banscan_confidence
//! unconfirmed`).
//!
//! Each rule has a stable `sid` in the range the Suricata sid allocation
//! keeps for local rules, 1,000,000–1,999,999, derived from the SHA-256 of
//! its action, policy ids, protocol and identifier, so a rule keeps its
//! sid from one export to the next and a SIEM can follow it; a collision
//! takes the next free sid, in the file's (sorted) order.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::{Entry, Export, Target, Unexpressed, What, comment_header};

pub struct Suricata;

/// The first sid banscan uses (the local range), and how many it may use.
pub const SID_BASE: u32 = 1_000_000;
pub const SID_RANGE: u32 = 1_000_000;

impl Target for Suricata {
    fn name(&self) -> &'static str {
        "suricata"
    }

    fn file_name(&self) -> &'static str {
        "banscan.rules"
    }

    fn description(&self) -> &'static str {
        "Suricata rules for DNS queries, TLS SNI and addresses (local sids 1000000-1999999)"
    }

    fn write(&self, export: &Export<'_>, unexpressed: &mut Vec<Unexpressed>) -> String {
        let mut out = comment_header(&export.header, "#");
        out.push_str(
            "# Suricata rules (DNS query names, TLS SNI, addresses); local sids 1000000-1999999.\n\
             # Exemptions are `pass` rules, which outrank alert and drop: a pass rule\n\
             # exempts its name from every rule here, not only its own policies'.\n\
             # Bans are written as `alert`. To block in IPS mode, turn the confirmed ones\n\
             # into `drop`: with suricata-update, put `re:banscan_confidence confirmed`\n\
             # in drop.conf. Unconfirmed identifiers must stay alerts.\n",
        );
        let mut sids = Sids::default();
        for entry in &export.allows {
            write_entry(&mut out, &mut sids, entry, Action::Pass, unexpressed);
        }
        for entry in &export.blocks {
            write_entry(&mut out, &mut sids, entry, Action::Alert, unexpressed);
        }
        out
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Pass,
    Alert,
}

fn write_entry(
    out: &mut String,
    sids: &mut Sids,
    entry: &Entry<'_>,
    action: Action,
    unexpressed: &mut Vec<Unexpressed>,
) {
    let (verb, label) = match (action, entry.alert_only) {
        (Action::Pass, _) => ("pass", "exempt from"),
        (Action::Alert, false) => ("alert", "banned by"),
        (Action::Alert, true) => ("alert", "unconfirmed, banned by"),
    };
    let ids = entry.policy_ids();
    let name = entry.what.describe();
    let msg = escape_msg(&format!("banscan {label} {ids}: {name}"));
    let meta = metadata(entry, action);
    // Suricata's own class for what a policy forbids (classification.config).
    let class = match action {
        Action::Pass => "",
        Action::Alert => "classtype:policy-violation; ",
    };
    match entry.what {
        What::Domain {
            name: domain,
            subdomains_only,
        } => {
            // `*.example.com` must not match `example.com`: no dot prefix.
            let prefix = if subdomains_only { "" } else { "dotprefix; " };
            let content = escape_content(&format!(".{domain}"));
            for (proto, buffer) in [("dns", "dns.query"), ("tls", "tls.sni")] {
                let Some(sid) = sids.take(&format!("{verb}|{ids}|{proto}|{name}")) else {
                    unexpressed.push(Unexpressed::of(entry, NO_SID));
                    continue;
                };
                let _ = writeln!(
                    out,
                    "{verb} {proto} any any -> any any (msg:\"{msg}\"; flow:to_server; {buffer}; {prefix}content:\"{content}\"; endswith; nocase; {class}sid:{sid}; rev:1; {meta})"
                );
            }
        }
        What::Ip(_) | What::Net(_) => {
            let Some(sid) = sids.take(&format!("{verb}|{ids}|ip|{name}")) else {
                unexpressed.push(Unexpressed::of(entry, NO_SID));
                return;
            };
            let _ = writeln!(
                out,
                "{verb} ip any any -> {name} any (msg:\"{msg}\"; {class}sid:{sid}; rev:1; {meta})"
            );
        }
        _ => unexpressed.push(Unexpressed::of(
            entry,
            "not on the wire: Suricata rules here match DNS, TLS SNI and addresses",
        )),
    }
}

/// `metadata:` naming the policies and the confidence, for suricata-update
/// matchers and for the alerts' JSON (`alert.metadata`).
fn metadata(entry: &Entry<'_>, action: Action) -> String {
    let mut pairs: Vec<String> = entry
        .policies
        .iter()
        .map(|p| format!("banscan_policy {}", metadata_value(&p.id)))
        .collect();
    let confidence = match (action, entry.alert_only) {
        (Action::Pass, _) => "exempt",
        (Action::Alert, false) => "confirmed",
        (Action::Alert, true) => "unconfirmed",
    };
    pairs.push(format!("banscan_confidence {confidence}"));
    format!("metadata:{};", pairs.join(", "))
}

/// Stable sids: the hash of a rule's key picks its place in the range; a
/// collision walks on to the next free sid.
#[derive(Default)]
struct Sids {
    taken: BTreeSet<u32>,
}

impl Sids {
    /// The sid for `key`, or `None` once the range is full.
    fn take(&mut self, key: &str) -> Option<u32> {
        if self.taken.len() >= SID_RANGE as usize {
            return None;
        }
        let mut offset = preferred_offset(key);
        while !self.taken.insert(SID_BASE + offset) {
            offset = (offset + 1) % SID_RANGE;
        }
        Some(SID_BASE + offset)
    }
}

const NO_SID: &str = "no sid left in the local range 1000000-1999999";

fn preferred_offset(key: &str) -> u32 {
    let digest = Sha256::digest(key.as_bytes());
    let n = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
    u32::try_from(n % u64::from(SID_RANGE)).expect("the range fits in u32")
}

/// `msg` text: `"`, `;` and `\` escaped as Suricata requires; control
/// characters (a rule is one line) become spaces.
fn escape_msg(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' | ';' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `content` text: the characters with a meaning there (`"`, `;`, `\`,
/// and `|` which opens hex) and anything outside printable ASCII are
/// written as `|hex|` bytes.
fn escape_content(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_graphic() && !matches!(b, b'"' | b';' | b'\\' | b'|') || b == b' ' {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "|{b:02X}|");
        }
    }
    out
}

/// A metadata value holds no `,` or `;` (they end it) nor space.
fn metadata_value(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A title or name with Suricata's special characters stays inside
    /// `msg`.
    #[test]
    fn msg_escapes_quotes_semicolons_backslashes_and_newlines() {
        assert_eq!(
            escape_msg("Demo Chat's \"Helper\"; a\\b\nc"),
            r#"Demo Chat's \"Helper\"\; a\\b c"#
        );
    }

    #[test]
    fn content_writes_special_bytes_as_hex() {
        assert_eq!(escape_content(".a.example"), ".a.example");
        assert_eq!(
            escape_content("a\"b;c|d\\é"),
            "a|22|b|3B|c|7C|d|5C||C3||A9|"
        );
    }

    /// Sids stay in banscan's range, are stable, and a collision takes
    /// the next free one rather than a duplicate.
    #[test]
    fn sids_are_stable_in_range_and_unique() {
        let mut a = Sids::default();
        let first = a.take("alert|p|dns|x.example").unwrap();
        assert!((SID_BASE..SID_BASE + SID_RANGE).contains(&first));
        assert_eq!(Sids::default().take("alert|p|dns|x.example"), Some(first));
        let again = a.take("alert|p|dns|x.example").unwrap();
        let next = if first == SID_BASE + SID_RANGE - 1 {
            SID_BASE
        } else {
            first + 1
        };
        assert_eq!(again, next);
    }

    #[test]
    fn metadata_values_cannot_break_out() {
        assert_eq!(metadata_value("xx-a-2025; sid:1,"), "xx-a-2025__sid_1_");
    }
}
