//! A literal prefilter: the text a line must contain to match any rule of
//! one kind of evidence, searched with Aho-Corasick over whole chunks, so
//! that the lines of a log that cannot match are never parsed.
//!
//! Each rule gives one literal that every line it matches contains, in
//! any ASCII case: a domain (a host below it ends with it), or the longest
//! plain run of an app rule's name, publisher or bundle id. Two things
//! escape a literal search, and make a line a candidate by themselves:
//! bytes outside ASCII (Unicode host names become `xn--` labels; Unicode
//! case folding) and, for endpoints, `%` (a percent-encoded host). A rule
//! with no usable literal (an IP range, a glob of wildcards) turns the
//! prefilter off for its kind: correctness first.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::input::Evidence;
use crate::policy::HostRule;

use super::{Rule, RuleIdentifier};

/// The shortest literal worth searching for.
const MIN_LITERAL: usize = 3;

pub struct Prefilter {
    literals: AhoCorasick,
    /// A byte that makes a line a candidate by itself (besides non-ASCII).
    trigger: Option<u8>,
}

impl Prefilter {
    /// The prefilter for `evidence` over `rules`, or `None` when some rule
    /// has no literal (then every line is parsed).
    pub fn new(rules: &[Rule], evidence: Evidence) -> Option<Prefilter> {
        let mut literals: Vec<String> = Vec::new();
        for rule in rules {
            match (&rule.identifier, evidence) {
                (RuleIdentifier::Endpoint(e), Evidence::Endpoints) => match &e.host {
                    HostRule::Domain { domain, .. } => literals.push(domain.as_str().to_string()),
                    HostRule::Ip(_) | HostRule::Net(_) => return None,
                },
                (RuleIdentifier::App(a), Evidence::Apps) => {
                    let best = [&a.name, &a.publisher, &a.bundle_id]
                        .into_iter()
                        .flatten()
                        .map(|field| longest_literal(field))
                        .max_by_key(|l| l.len())?;
                    if best.len() < MIN_LITERAL {
                        return None;
                    }
                    literals.push(best.to_string());
                }
                (_, Evidence::Packages) => return None,
                _ => {}
            }
        }
        literals.sort_unstable();
        literals.dedup();
        let literals = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(if literals.len() > 20_000 {
                AhoCorasickKind::ContiguousNFA
            } else {
                AhoCorasickKind::DFA
            }))
            .build(&literals)
            .ok()?;
        Some(Prefilter {
            literals,
            trigger: (evidence == Evidence::Endpoints).then_some(b'%'),
        })
    }

    /// The first offset at or after `from` where a line may match: a
    /// literal, a non-ASCII byte or the trigger byte.
    pub fn next(&self, haystack: &[u8], from: usize) -> Option<usize> {
        let rest = haystack.get(from..)?;
        let literal = self.literals.find(rest).map(|m| m.start());
        let before = &rest[..literal.unwrap_or(rest.len())];
        // Both checks are word-at-a-time or SIMD; almost every log is ASCII.
        let wide = if before.is_ascii() {
            None
        } else {
            before.iter().position(|&b| b >= 0x80)
        };
        let trigger = self
            .trigger
            .and_then(|t| memchr::memchr(t, &before[..wide.unwrap_or(before.len())]));
        trigger.or(wide).or(literal).map(|at| from + at)
    }
}

/// The longest run of a case-insensitive glob (or plain name) that any
/// text it matches contains as is: outside `[…]` and `{…}`, between
/// wildcards, and without `"` (a CSV writes it doubled).
fn longest_literal(pattern: &str) -> &str {
    let pattern = pattern.trim();
    let mut best = "";
    let mut start = 0;
    let mut depth = 0usize;
    let bytes = pattern.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let special = matches!(b, b'*' | b'?' | b'[' | b']' | b'{' | b'}' | b'\\' | b'"');
        if special {
            if depth == 0 && i - start > best.len() {
                best = &pattern[start..i];
            }
            match b {
                b'[' | b'{' => depth += 1,
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            start = i + 1;
        }
    }
    if depth == 0 && bytes.len() - start > best.len() {
        best = &pattern[start..];
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_of_globs() {
        assert_eq!(longest_literal("DeepSeek*"), "DeepSeek");
        assert_eq!(
            longest_literal("*DeepSeek Artificial Intelligence*"),
            "DeepSeek Artificial Intelligence"
        );
        assert_eq!(longest_literal("Tik{Tok,Talk} Lite"), " Lite");
        assert_eq!(longest_literal("[Kk]aspersky"), "aspersky");
        assert_eq!(longest_literal("say \"hi\" now"), "say ");
        assert_eq!(longest_literal("*"), "");
    }
}
