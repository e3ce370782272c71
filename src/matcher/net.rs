//! The safety net: a literal search for the identifiers of the applicable
//! policies, run over every file (or line) a scan meets but does not read
//! as evidence, so that a scan never passes silently over a file it could
//! not parse (issue 10). A hit makes the file unread evidence.
//!
//! One ASCII-case-insensitive Aho-Corasick automaton holds every literal
//! kind: domains, app names and publishers, bundle ids, package names in
//! the spellings manifests use, and digests. The cost is then one pass
//! over the text however many rules apply. The automaton only proposes;
//! each candidate is checked at its edges, since an identifier inside a
//! longer word (`notdeepseek.com`, `deepseek-fan`, `TikToker`) is not the
//! identifier. Addresses need a parse rather than a literal, so a second
//! pass reads address-shaped tokens, and only when IP or CIDR rules exist.
//!
//! Domains go into the automaton rather than through the scan's
//! [`HostSuffixes`](super::prefilter::HostSuffixes), which only picks
//! candidate lines and leaves the rest to a parser. The boundary rule is
//! the same as there: the domain ends a run of host characters (before any
//! root dot) and starts it or follows a `.`. One automaton over every kind
//! keeps this to one pass instead of two.
//!
//! What the net does not see: percent-encoded hosts, Unicode case folding
//! (a name is matched in ASCII case only), and app or package literals
//! shorter than [`MIN_LITERAL`], which cannot be told apart from prose.

use std::net::IpAddr;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap as HashMap;

use crate::ident::{Ecosystem, Host, canonical_ip};
use crate::policy::{AppRule, HostRule, PackageRule};

use super::hosts::HostIndex;
use super::prefilter::longest_literal;
use super::{CompileError, Rule, RuleIdentifier};

/// App and package literals shorter than this are not searched: `QQ` or
/// `AI` would be found in any prose.
pub const MIN_LITERAL: usize = 4;

/// The automaton holds each literal's first bytes only, up to this many,
/// and a candidate is then compared whole: text holding the literal holds
/// its start, and short patterns keep the automaton small enough for the
/// cache (as in [`super::prefilter`]): over the built-in library, 0.8 MB
/// instead of 3.6 MB, at the same speed.
const PREFIX_MAX: usize = 12;

/// How far from a Maven `<artifactId>` element its `<groupId>` may be.
const MAVEN_WINDOW: usize = 1024;

/// What the net caught: where in the searched text, and which rule's
/// identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Catch {
    /// Byte offset of the identifier in the searched text.
    pub offset: usize,
    /// Its length in bytes, as it appears in the text.
    pub len: usize,
    /// Index into the rules the net was built from.
    pub rule: u32,
}

/// A literal search for the identifiers of a set of rules; see the module
/// documentation.
pub struct Net {
    literals: Option<Literals>,
    addresses: Option<HostIndex>,
}

impl Net {
    /// Built once per scan from the same rules the matcher uses
    /// ([`super::Matcher::rules`]).
    pub fn new(rules: &[Rule]) -> Result<Net, CompileError> {
        Net::of(rules, |_| true)
    }

    /// The net over the rules `keep` takes, numbered as in `rules`: over a
    /// file read for one kind of identifier (source code, for endpoints),
    /// the others.
    pub fn of(rules: &[Rule], keep: impl Fn(&RuleIdentifier) -> bool) -> Result<Net, CompileError> {
        let mut literals = LiteralsBuilder::default();
        let mut addresses = None;
        for (i, rule) in rules.iter().enumerate() {
            // The matcher refuses more rules than a `u32` numbers.
            let Ok(id) = u32::try_from(i) else { break };
            if !keep(&rule.identifier) {
                continue;
            }
            match &rule.identifier {
                RuleIdentifier::Endpoint(e) => match &e.host {
                    HostRule::Domain {
                        domain,
                        subdomains_only,
                    } => {
                        let check = Check::Domain {
                            subdomains_only: *subdomains_only,
                        };
                        let ascii = domain.as_str();
                        if ascii.contains("xn--")
                            && let (unicode, Ok(())) = idna::domain_to_unicode(ascii)
                            && unicode != ascii
                        {
                            literals.add(&unicode, id, check.clone());
                        }
                        literals.add(ascii, id, check);
                    }
                    HostRule::Ip(_) | HostRule::Net(_) => addresses
                        .get_or_insert_with(HostIndex::default)
                        .add(&e.host, id),
                },
                RuleIdentifier::App(a) => app_literals(&mut literals, a, id),
                RuleIdentifier::Package(p) => package_literals(&mut literals, p, id),
                RuleIdentifier::File(f) => literals.add(f.sha256.as_str(), id, Check::Digest),
            }
        }
        Ok(Net {
            literals: literals.build()?,
            addresses,
        })
    }

    /// The first identifier found in `text` (one line or a block of lines,
    /// any bytes), by offset; of two at one offset, the longer.
    pub fn find(&self, text: &[u8]) -> Option<Catch> {
        let mut best = self.literals.as_ref().and_then(|l| l.find(text));
        if let Some(addresses) = &self.addresses {
            let limit = best.map_or(text.len(), |b| b.offset);
            if let Some(c) = find_address(addresses, text, limit) {
                best = Some(c);
            }
        }
        best
    }

    /// Whether there is nothing to look for: no rules, or none with an
    /// identifier the net can search.
    pub fn is_empty(&self) -> bool {
        self.literals.is_none() && self.addresses.is_none()
    }
}

/// How a candidate is checked at its edges.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Check {
    /// A whole host, or a label-boundary suffix of a run of host
    /// characters; with `subdomains_only` (`*.example.com`), a suffix only.
    Domain { subdomains_only: bool },
    /// The literal of an app name or publisher: no ASCII letter or digit
    /// next to it on a side where the pattern has no wildcard.
    Word { left: bool, right: bool },
    /// A bundle id: not part of a longer dotted id on either side, and in
    /// its own case. Inventories write an id as its vendor spells it; in
    /// other case it is another thing (`anthropic.claude-3-5-sonnet`, a
    /// Bedrock model id, is not the winget id `Anthropic.Claude`).
    Token { spelt: Box<[u8]> },
    /// A package name: not part of a longer name; a version may follow
    /// (`-0.1.3`, `_12.0`). A prefix rule (`@scope/*`) leaves the right
    /// side open. A name that is one plain word (`anthropic`, `kesl`) is
    /// also a word of prose, which a doc or a comment uses on its own (POLICY-FACTS
    /// G2: never match "anthropic" alone), so it is caught only where a
    /// listing writes it: see [`listed`].
    Package { prefix: bool, plain: bool },
    /// A Maven `<artifactId>` element, with the rule's `<groupId>` element
    /// within [`MAVEN_WINDOW`] bytes.
    MavenArtifact { group: Box<[u8]> },
    /// A sha256 digest, not inside a longer run of hex digits.
    Digest,
}

impl Check {
    /// Whether the candidate at `text[start..end]` passes.
    fn holds(&self, text: &[u8], start: usize, end: usize) -> bool {
        let before = |k: usize| start.checked_sub(k).map(|i| text[i]);
        let after = |k: usize| text.get(end + k).copied();
        match self {
            Check::Domain { subdomains_only } => {
                let left = match before(1) {
                    Some(b'.') => true,
                    None => !subdomains_only,
                    Some(b) => !subdomains_only && !is_host(b),
                };
                // A root dot (`deepseek.com.`) is not part of the name.
                let mut i = end;
                while text.get(i) == Some(&b'.') {
                    i += 1;
                }
                left && !text.get(i).is_some_and(|&b| is_host(b))
            }
            Check::Word { left, right } => {
                let word = |checked: bool, b: Option<u8>| {
                    checked && b.is_some_and(|b| b.is_ascii_alphanumeric())
                };
                !word(*left, before(1)) && !word(*right, after(0))
            }
            Check::Token { spelt } => {
                text[start..end] == **spelt
                    && !continues_id(before(1), before(2))
                    && !continues_id(after(0), after(1))
            }
            Check::Package { prefix, plain } => {
                let left = match before(1) {
                    Some(b) if b.is_ascii_alphanumeric() => false,
                    // `my-deepseek`, `x.deepseek`; not `--deepseek`.
                    Some(b'-' | b'_' | b'.') => {
                        !before(2).is_some_and(|b| b.is_ascii_alphanumeric())
                    }
                    _ => true,
                };
                let right = *prefix
                    || match after(0) {
                        Some(b) if b.is_ascii_alphanumeric() => false,
                        // `-extra` is another name; `-0.1.3` a version,
                        // `.` at the end of a sentence nothing.
                        Some(b'-' | b'_' | b'.') => {
                            !after(1).is_some_and(|b| b.is_ascii_alphabetic())
                        }
                        _ => true,
                    };
                left && right && (!plain || listed(text, start, end))
            }
            Check::MavenArtifact { group } => {
                let near =
                    &text[start.saturating_sub(MAVEN_WINDOW)..text.len().min(end + MAVEN_WINDOW)];
                memchr::memmem::find(near, group).is_some()
            }
            Check::Digest => {
                !before(1).is_some_and(|b| b.is_ascii_hexdigit())
                    && !after(0).is_some_and(|b| b.is_ascii_hexdigit())
            }
        }
    }
}

/// Whether the name at `text[start..end]` stands as a manifest, a
/// lockfile, an install command or a package listing writes it: first on
/// its line (`anthropic==0.40`), or followed by a version, a requirement or a closing quote
/// (`anthropic>=0.40`, `deepseek@2`, `kesl  12.0.0`, `anthropic[bedrock]`,
/// `"anthropic"`). Prose (`built by Anthropic, a`, `Anthropic's API`,
/// `https://api.example/anthropic`) is none of these.
fn listed(text: &[u8], start: usize, end: usize) -> bool {
    let blank = |b: &u8| matches!(b, b' ' | b'\t');
    let first_on_line = text[..start]
        .iter()
        .rev()
        .find(|b| !blank(b))
        .is_none_or(|b| matches!(b, b'\n' | b'\r'));
    let after = |k: usize| text.get(end + k).copied();
    let gap = text[end..].iter().take_while(|b| blank(b)).count();
    // `kesl  12.0.0` (a listing), `anthropic >= 0.40`.
    let spaced_version =
        gap > 0 && after(gap).is_some_and(|b| b.is_ascii_digit() || b"=<>!~".contains(&b));
    let versioned = match after(0) {
        Some(b'=' | b'<' | b'>' | b'!' | b'~' | b'@' | b'[') => true,
        Some(b':' | b'-' | b'_') => after(1).is_some_and(|b| b.is_ascii_digit()),
        // A closing quote, not an apostrophe (`Anthropic's`).
        Some(b'"' | b'\'') => !after(1).is_some_and(|b| b.is_ascii_alphanumeric()),
        _ => false,
    };
    first_on_line || spaced_version || versioned
}

/// A letter, digit, `-` or `_`: a byte of a host label.
fn is_host(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Whether a bundle id goes on past its edge: the byte next to it, then
/// the one after that, going outward (`x.com.demo`, `com.demo.extra`,
/// `com.demo_x`; not `com.demo-1/base.apk` or `com.demo.` at a sentence end).
fn continues_id(near: Option<u8>, far: Option<u8>) -> bool {
    let id = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
    id(near) || (near == Some(b'.') && id(far))
}

/// Who to check when the automaton finds the start of a literal.
struct Target {
    /// The whole literal, in ASCII lower case.
    literal: Box<[u8]>,
    rule: u32,
    check: Check,
}

impl Target {
    /// The length of the literal at `start`, if it is there and passes
    /// its check.
    fn at(&self, text: &[u8], start: usize) -> Option<usize> {
        let end = start + self.literal.len();
        let here = text.get(start..end)?;
        (here.eq_ignore_ascii_case(&self.literal) && self.check.holds(text, start, end))
            .then_some(self.literal.len())
    }
}

/// The automaton, and for each of its patterns the rules to check.
struct Literals {
    automaton: AhoCorasick,
    targets: Vec<Vec<Target>>,
    /// The longest pattern, in bytes: how far past the first catch the
    /// overlapping search must go for a catch that starts earlier.
    longest: usize,
}

impl Literals {
    fn find(&self, text: &[u8]) -> Option<Catch> {
        let mut best: Option<Catch> = None;
        // Overlapping, so that a candidate failing its check cannot hide
        // another ending inside it (`xkesl-gui` holding `kesl-gui`).
        // Matches come by end offset.
        for m in self.automaton.find_overlapping_iter(text) {
            if let Some(b) = best {
                if m.end() > b.offset + self.longest {
                    break;
                }
                if m.start() > b.offset {
                    continue;
                }
            }
            for t in &self.targets[m.pattern().as_usize()] {
                let Some(len) = t.at(text, m.start()) else {
                    continue;
                };
                // Earlier, or longer at the same offset; of equals, the
                // first rule (targets are in rule order).
                let better = best.is_none_or(|b| {
                    (m.start(), std::cmp::Reverse(len)) < (b.offset, std::cmp::Reverse(b.len))
                });
                if better {
                    best = Some(Catch {
                        offset: m.start(),
                        len,
                        rule: t.rule,
                    });
                }
            }
        }
        best
    }
}

#[derive(Default)]
struct LiteralsBuilder {
    /// Pattern index by its bytes: the first [`PREFIX_MAX`] bytes of
    /// literals, ASCII lower case (the automaton ignores ASCII case).
    index: HashMap<Vec<u8>, usize>,
    patterns: Vec<Vec<u8>>,
    targets: Vec<Vec<Target>>,
}

impl LiteralsBuilder {
    fn add(&mut self, literal: &str, rule: u32, check: Check) {
        let literal = literal.to_ascii_lowercase().into_bytes();
        let prefix = literal[..literal.len().min(PREFIX_MAX)].to_vec();
        let next = self.patterns.len();
        let at = *self.index.entry(prefix).or_insert_with_key(|prefix| {
            self.patterns.push(prefix.clone());
            self.targets.push(Vec::new());
            next
        });
        // Many policies ban one product: only the first rule with a
        // literal and check can be the catch, so a near miss is checked
        // once, not once per policy.
        let targets = &mut self.targets[at];
        if !targets
            .iter()
            .any(|t| *t.literal == *literal && t.check == check)
        {
            targets.push(Target {
                literal: literal.into_boxed_slice(),
                rule,
                check,
            });
        }
    }

    fn build(self) -> Result<Option<Literals>, CompileError> {
        if self.patterns.is_empty() {
            return Ok(None);
        }
        let kind = if self.patterns.len() > 20_000 {
            AhoCorasickKind::ContiguousNFA
        } else {
            AhoCorasickKind::DFA
        };
        let build = |kind| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .kind(kind)
                .build(&self.patterns)
        };
        // Building fails only past billions of states; rather than a net
        // with a hole, the scan stops with an internal error.
        let automaton = build(Some(kind))
            .or_else(|_| build(None))
            .map_err(CompileError::Literals)?;
        Ok(Some(Literals {
            automaton,
            longest: self.patterns.iter().map(Vec::len).max().unwrap_or(0),
            targets: self.targets,
        }))
    }
}

/// The longest plain literal of each name and publisher pattern, with
/// word boundaries where the pattern has no wildcard; the bundle id and
/// extension id whole.
fn app_literals(literals: &mut LiteralsBuilder, app: &AppRule, id: u32) {
    for pattern in [&app.name, &app.publisher].into_iter().flatten() {
        let pattern = pattern.trim();
        let literal = longest_literal(pattern);
        if literal.trim().len() < MIN_LITERAL {
            continue;
        }
        // `longest_literal` gives a slice of the trimmed pattern.
        let at = literal.as_ptr() as usize - pattern.as_ptr() as usize;
        let check = Check::Word {
            left: at == 0,
            right: at + literal.len() == pattern.len(),
        };
        literals.add(literal, id, check);
    }
    for id_text in [&app.bundle_id, &app.extension_id].into_iter().flatten() {
        let id_text = id_text.trim();
        if id_text.len() >= MIN_LITERAL {
            let spelt = id_text.as_bytes().into();
            literals.add(id_text, id, Check::Token { spelt });
        }
    }
}

/// A package name as manifests, lockfiles and installers write it.
fn package_literals(literals: &mut LiteralsBuilder, p: &PackageRule, id: u32) {
    if p.key.len() < MIN_LITERAL {
        return;
    }
    let plain = !p.prefix && p.key.bytes().all(|b| b.is_ascii_alphanumeric());
    let check = || Check::Package {
        prefix: p.prefix,
        plain,
    };
    match p.ecosystem {
        // PEP 503: `langchain-deepseek`, `langchain_deepseek`, `langchain.deepseek`.
        Ecosystem::Pypi => {
            for s in spellings(&p.key, &['-'], &['-', '_', '.']) {
                literals.add(&s, id, check());
            }
        }
        // Cargo takes `-` and `_` for one another in names and paths.
        Ecosystem::Cargo => {
            for s in spellings(&p.key, &['-', '_'], &['-', '_']) {
                literals.add(&s, id, check());
            }
        }
        // `group:artifact` (Gradle, `mvn dependency:tree`), or the two
        // elements of a pom.xml near each other.
        Ecosystem::Maven => {
            literals.add(&p.key, id, check());
            if !p.prefix
                && let Some((group, artifact)) = p.key.split_once(':')
            {
                let group = format!("<groupId>{group}</groupId>");
                literals.add(
                    &format!("<artifactId>{artifact}</artifactId>"),
                    id,
                    Check::MavenArtifact {
                        group: group.into_bytes().into_boxed_slice(),
                    },
                );
            }
        }
        // npm `@scope/name`, Go module paths, NuGet, gems, Composer
        // `vendor/name`, distribution packages: the key as written.
        Ecosystem::Npm
        | Ecosystem::Golang
        | Ecosystem::Nuget
        | Ecosystem::Gem
        | Ecosystem::Composer
        | Ecosystem::Deb
        | Ecosystem::Rpm => literals.add(&p.key, id, check()),
    }
}

/// `name` with each separator (a char of `separators`) written as each
/// char of `spelt`: every combination for up to three separators, else
/// one char throughout (`a-b-c-d-e` as `a_b_c_d_e`, not `a-b_c.d-e`).
fn spellings(name: &str, separators: &[char], spelt: &[char]) -> Vec<String> {
    let parts: Vec<&str> = name.split(separators).collect();
    let gaps = parts.len() - 1;
    if gaps > 3 {
        return spelt
            .iter()
            .map(|c| parts.join(c.encode_utf8(&mut [0; 4])))
            .collect();
    }
    let combinations = (0..gaps).fold(1, |n, _| n * spelt.len());
    (0..combinations)
        .map(|mut n| {
            let mut s = String::with_capacity(name.len());
            s.push_str(parts[0]);
            for part in &parts[1..] {
                s.push(spelt[n % spelt.len()]);
                n /= spelt.len();
                s.push_str(part);
            }
            s
        })
        .collect()
}

/// Hex digits, `.` and `:`: the bytes of an address token.
const ADDRESS: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_hexdigit() || c == b'.' || c == b':';
        b += 1;
    }
    t
};

/// The first address token starting before `limit` that a rule bans: a
/// run of hex digits, `.` and `:` that reads as an IPv4 or IPv6 address,
/// or does once a port (`:443`) or a sentence's full stop is dropped.
fn find_address(index: &HostIndex, text: &[u8], limit: usize) -> Option<Catch> {
    // Allocates only when an address matches.
    let mut out = Vec::new();
    let mut i = 0;
    while i < limit {
        if !ADDRESS[usize::from(text[i])] {
            i += 1;
            continue;
        }
        let start = i;
        let (mut dots, mut colons) = (0, 0);
        while i < text.len() && ADDRESS[usize::from(text[i])] {
            match text[i] {
                b'.' => dots += 1,
                b':' => colons += 1,
                _ => {}
            }
            i += 1;
        }
        // `1.2.3.4` or `::1` at the least; no address is longer than
        // `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255:65535`.
        if (dots >= 3 || colons >= 2) && (3..=64).contains(&(i - start)) {
            let mut run = &text[start..i];
            while let [rest @ .., b'.'] = run {
                run = rest;
            }
            let port = run.iter().rposition(|&b| b == b':').map(|at| &run[..at]);
            let ip = parse(run).or_else(|| port.and_then(parse));
            if let Some((ip, len)) = ip {
                out.clear();
                index.matches(&Host::Ip(canonical_ip(ip)), &mut out);
                if let Some(&rule) = out.iter().min() {
                    return Some(Catch {
                        offset: start,
                        len,
                        rule,
                    });
                }
            }
        }
    }
    None
}

/// An address and its length in bytes.
fn parse(token: &[u8]) -> Option<(IpAddr, usize)> {
    let ip = std::str::from_utf8(token).ok()?.parse().ok()?;
    Some((ip, token.len()))
}

/// A [`Net`] built the first time something is searched: most scans
/// meet no file and no record the net must look in, and building it for
/// thousands of rules costs more than reading a large file does.
#[derive(Default)]
pub struct LazyNet(OnceLock<Result<Net, String>>);

impl LazyNet {
    /// The net over `rules` (always the same rules for one `LazyNet`), or
    /// why it could not be built.
    pub fn get(&self, rules: &[Rule]) -> Result<&Net, &str> {
        self.get_of(rules, |_| true)
    }

    /// [`Net::of`], built once.
    pub fn get_of(
        &self,
        rules: &[Rule],
        keep: impl Fn(&RuleIdentifier) -> bool,
    ) -> Result<&Net, &str> {
        self.0
            .get_or_init(|| Net::of(rules, keep).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::compile::BanSet;

    const DIGEST: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    const LIBRARY: &str = r#"
product: demo
name: Demo
identifiers:
  packages:
    - purl: pkg:pypi/langchain-deepseek
    - purl: pkg:npm/%40ai-sdk/deepseek
    - purl: pkg:npm/%40deepseek-ai/*
    - purl: pkg:npm/deepseek
    - purl: pkg:deb/kesl
    - purl: pkg:cargo/deepseek_rs
    - purl: pkg:golang/github.com/cohesion-org/deepseek-go
    - purl: pkg:maven/org.acme.ai/deepseek-client
    - purl: pkg:pypi/zai
  apps:
    - name: "Kaspersky*"
      publisher: Kaspersky
    - bundle_id: com.zhiliaoapp.musically
      platform: android
    - name: TikTok
      confidence: unconfirmed
    - name: QQ
    - publisher: "*AI*"
  endpoints:
    - deepseek.com
    - "*.cdn.example"
    - xn--bcher-kva.example
  files:
    - sha256: 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08
---
product: addresses
name: Addresses
identifiers:
  endpoints:
    - 203.0.113.0/24
    - 2001:db8::1
"#;

    /// The rules of the selected policies (by index) and their net.
    fn net_of(policies: &[usize]) -> (Vec<Rule>, Net) {
        use crate::policy::read::{library_from, test_policy};
        let text = LIBRARY.to_string()
            + &test_policy("xx-demo", "demo")
            + &test_policy("xx-addresses", "addresses");
        let rules = BanSet::compile(&library_from(&text), policies).rules;
        let net = Net::new(&rules).unwrap();
        (rules, net)
    }

    /// What the net catches in `text`: the text caught and the rule's
    /// identifier.
    fn caught(rules: &[Rule], net: &Net, text: &str) -> Option<(String, String)> {
        net.find(text.as_bytes()).map(|c| {
            (
                text[c.offset..c.offset + c.len].to_string(),
                rules[c.rule as usize].identifier.describe(),
            )
        })
    }

    fn hits(policies: &[usize], cases: &[(&str, &str, &str)]) {
        let (rules, net) = net_of(policies);
        for &(text, found, identifier) in cases {
            assert_eq!(
                caught(&rules, &net, text),
                Some((found.to_string(), identifier.to_string())),
                "in {text:?}"
            );
        }
    }

    fn misses(policies: &[usize], texts: &[&str]) {
        let (rules, net) = net_of(policies);
        for text in texts {
            assert_eq!(caught(&rules, &net, text), None, "in {text:?}");
        }
    }

    /// A domain is caught as a whole host or a label-boundary suffix of
    /// one, in any ASCII case and with a root dot, never inside a longer
    /// label or followed by more labels; `*.domain` wants a subdomain. An
    /// internationalised name is caught in both its forms.
    #[test]
    fn domains_on_label_boundaries() {
        hits(
            &[0],
            &[
                (
                    "CONNECT chat.deepseek.com:443 HTTP/1.1",
                    "deepseek.com",
                    "deepseek.com",
                ),
                (
                    "1712 GET https://api.deepseek.com/v1/chat",
                    "deepseek.com",
                    "deepseek.com",
                ),
                (
                    "resolved DEEPSEEK.COM. A 1.2.3.4",
                    "DEEPSEEK.COM",
                    "deepseek.com",
                ),
                ("deepseek.com", "deepseek.com", "deepseek.com"),
                ("host=eu.cdn.example;", "cdn.example", "*.cdn.example"),
                (
                    "GET https://bücher.example/ 200",
                    "bücher.example",
                    "xn--bcher-kva.example",
                ),
                (
                    "GET https://xn--bcher-kva.example/ 200",
                    "xn--bcher-kva.example",
                    "xn--bcher-kva.example",
                ),
            ],
        );
        misses(
            &[0],
            &[
                "notdeepseek.com",
                "deepseek.com.example.net",
                "mydeepseek.org",
                "deepseek.community",
                "a-deepseek.com_b",
                "cdn.example is the apex only",
            ],
        );
        let (_, net) = net_of(&[0]);
        assert_eq!(
            net.find(b"\xff\xfe d\x00 chat.deepseek.com\xff")
                .map(|c| c.offset),
            Some(11),
            "bytes that are not UTF-8"
        );
    }

    /// App names and publishers are caught by their longest literal, with
    /// word boundaries where the pattern has none of its wildcards; bundle
    /// ids as whole dotted tokens. Unconfirmed identifiers count as well.
    #[test]
    fn app_names_publishers_and_bundle_ids() {
        hits(
            &[0],
            &[
                (
                    "Kaspersky Internet Security,21.3,com.kaspersky.kis,MAC-01",
                    "Kaspersky",
                    "app name \"Kaspersky*\", publisher \"Kaspersky\"",
                ),
                (
                    "package:com.zhiliaoapp.musically",
                    "com.zhiliaoapp.musically",
                    "app bundle id com.zhiliaoapp.musically, on android",
                ),
                (
                    "/data/app/~~x==/com.zhiliaoapp.musically-1/base.apk",
                    "com.zhiliaoapp.musically",
                    "app bundle id com.zhiliaoapp.musically, on android",
                ),
                (
                    "应用名称,版本,设备\n抖音 TikTok,35.1.3,设备-01\n",
                    "TikTok",
                    "app name \"TikTok\"",
                ),
                ("\"tiktok\",\"35.1\"", "tiktok", "app name \"TikTok\""),
            ],
        );
        misses(
            &[0],
            &[
                "com.zhiliaoapp.musically.extra",
                "org.com.zhiliaoapp.musically",
                "TikTokers love short videos",
                "AntiKaspersky",
                "Chat on QQ about AI tools, said the FAIR report",
            ],
        );
    }

    /// Package names are caught as manifests, lockfiles and installers
    /// write them (every PEP 503 spelling, Cargo's `-`/`_`, npm scopes,
    /// Go module paths, Maven coordinates) and not inside longer names.
    #[test]
    fn package_names_as_manifests_write_them() {
        hits(
            &[0],
            &[
                (
                    "    \"node_modules/@ai-sdk/deepseek\": {",
                    "@ai-sdk/deepseek",
                    "pkg:npm/%40ai-sdk/deepseek",
                ),
                (
                    "    \"@deepseek-ai/sdk\": \"^1.0.0\",",
                    "@deepseek-ai/",
                    "pkg:npm/%40deepseek-ai/*",
                ),
                (
                    "langchain_deepseek==0.1.3",
                    "langchain_deepseek",
                    "pkg:pypi/langchain-deepseek",
                ),
                (
                    "LangChain.DeepSeek>=0.1 ; python_version>'3.9'",
                    "LangChain.DeepSeek",
                    "pkg:pypi/langchain-deepseek",
                ),
                (
                    "site-packages/langchain_deepseek-0.1.3.dist-info/RECORD",
                    "langchain_deepseek",
                    "pkg:pypi/langchain-deepseek",
                ),
                (
                    "ii  kesl  12.0.0.6672  amd64  Kaspersky Endpoint Security for Linux",
                    "kesl",
                    "pkg:deb/kesl",
                ),
                (
                    "deepseek-rs = \"0.2\"",
                    "deepseek-rs",
                    "pkg:cargo/deepseek_rs",
                ),
                (
                    "\tgithub.com/cohesion-org/deepseek-go v1.3.1 // indirect",
                    "github.com/cohesion-org/deepseek-go",
                    "pkg:golang/github.com/cohesion-org/deepseek-go",
                ),
                (
                    "implementation 'org.acme.ai:deepseek-client:1.2.0'",
                    "org.acme.ai:deepseek-client",
                    "pkg:maven/org.acme.ai/deepseek-client",
                ),
                (
                    "<dependency>\n  <groupId>org.acme.ai</groupId>\n  <artifactId>deepseek-client</artifactId>\n",
                    "<artifactId>deepseek-client</artifactId>",
                    "pkg:maven/org.acme.ai/deepseek-client",
                ),
                ("npm install deepseek@2", "deepseek", "pkg:npm/deepseek"),
                ("deepseek", "deepseek", "pkg:npm/deepseek"),
                (
                    "\"dependencies\": [\"deepseek\"]",
                    "deepseek",
                    "pkg:npm/deepseek",
                ),
                ("deps: ['deepseek']", "deepseek", "pkg:npm/deepseek"),
                ("pip install deepseek[all]", "deepseek", "pkg:npm/deepseek"),
                ("dependency deepseek >=2.0", "deepseek", "pkg:npm/deepseek"),
            ],
        );
        misses(
            &[0],
            &[
                "npm install deepseek-fan",
                "langchain-deepseek-extra==1.0",
                "pip install zai",
                "<groupId>org.other</groupId><artifactId>deepseek-client</artifactId>",
                "ii  kesler  1.0  amd64  unrelated",
                // A plain-word name in prose is not a listing.
                "We compared DeepSeek models last year.",
                "# Notes on DeepSeek, and others",
                "the DeepSeek's API is down",
                "base_url: https://api.example/deepseek",
                "see the Kesl manual: chapter 2",
                "- DeepSeek is one of them",
            ],
        );
    }

    /// A digest is caught in either case, not inside a longer hex run.
    #[test]
    fn digests_as_whole_hex_runs() {
        let upper = DIGEST.to_ascii_uppercase();
        let line = format!("SHA256 ({upper}) = installer.exe");
        hits(&[0], &[(&line, &upper, &format!("sha256:{DIGEST}"))]);
        misses(&[0], &[&format!("{DIGEST}0"), &format!("a{DIGEST}")]);
    }

    /// Addresses are read only when address rules apply, and caught when
    /// a banned network holds them or a rule names them, with a port or
    /// in brackets.
    #[test]
    fn addresses_inside_banned_networks() {
        hits(
            &[0, 1],
            &[
                (
                    "src=10.0.0.1 dst=203.0.113.77 len=60",
                    "203.0.113.77",
                    "203.0.113.0/24",
                ),
                (
                    "connect 203.0.113.9:8080 ok",
                    "203.0.113.9",
                    "203.0.113.0/24",
                ),
                ("peer [2001:db8::1]:443", "2001:db8::1", "2001:db8::1"),
                (
                    "mapped ::ffff:203.0.113.7.",
                    "::ffff:203.0.113.7",
                    "203.0.113.0/24",
                ),
            ],
        );
        misses(
            &[0, 1],
            &[
                "203.0.114.1",
                "2001:db8::2",
                "version 1.203.0.113.5",
                "aa:bb:cc:dd:ee:ff",
            ],
        );
        misses(&[0], &["dst=203.0.113.77"]);
    }

    /// The first identifier by offset wins, whatever kind; a candidate
    /// that fails its check does not hide one overlapping it.
    #[test]
    fn the_first_catch_by_offset() {
        let (rules, net) = net_of(&[0, 1]);
        let text = "x 203.0.113.5 chat.deepseek.com TikTok";
        assert_eq!(
            caught(&rules, &net, text).map(|c| c.0),
            Some("203.0.113.5".to_string())
        );
        let text = "see notdeepseek.com, then deepseek.com";
        assert_eq!(net.find(text.as_bytes()).map(|c| c.offset), Some(26));
        let empty = Net::new(&[]).unwrap();
        assert!(empty.is_empty());
        assert_eq!(empty.find(b"deepseek.com"), None);
        assert!(!net.is_empty());
    }

    /// Over random runs of host characters, the net's verdict on a domain
    /// equals the plain definition: the host (without root dots) is the
    /// domain or ends with `.` and it.
    #[test]
    fn domain_verdicts_match_the_definition() {
        let (mut rules, _) = net_of(&[0]);
        // The package rule `deepseek` would rightly catch `deepseek..x`.
        rules.retain(|r| matches!(r.identifier, RuleIdentifier::Endpoint(_)));
        let net = Net::new(&rules).unwrap();
        let pieces = [
            "deepseek",
            "DeepSeek",
            ".",
            "com",
            "COM",
            "not",
            "-",
            "_",
            "x",
            "cdn",
            "example",
            "eu",
            "..",
            "deepseek.com",
            ".cdn.example",
        ];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut caught = 0;
        for _ in 0..20_000 {
            let mut host = String::new();
            for _ in 0..1 + next(6) {
                host.push_str(pieces[next(pieces.len())]);
            }
            let name = host.trim_end_matches('.').to_ascii_lowercase();
            let suffix = |d: &str| name.ends_with(&format!(".{d}"));
            let expected = if name == "deepseek.com" || suffix("deepseek.com") {
                Some("deepseek.com")
            } else if suffix("cdn.example") {
                Some("*.cdn.example")
            } else {
                None
            };
            let line = format!("GET https://{host}/ HTTP/1.1");
            let got = net
                .find(line.as_bytes())
                .map(|c| rules[c.rule as usize].identifier.describe());
            assert_eq!(got.as_deref(), expected, "host {host:?}");
            caught += usize::from(got.is_some());
        }
        assert!(
            (1_000..19_000).contains(&caught),
            "both verdicts are common: {caught}"
        );
    }

    /// The built-in library: real identifiers in real lines are caught, and
    /// prose about software in general is not.
    #[test]
    fn the_builtin_library() {
        use crate::policy::PolicySetRef;
        let library = crate::policy::load::load_library(&[PolicySetRef::Builtin]).unwrap();
        let all: Vec<usize> = (0..library.policies.len()).collect();
        let rules = BanSet::compile(&library, &all).rules;
        let net = Net::new(&rules).unwrap();
        for (text, found) in [
            ("CONNECT chat.deepseek.com:443 HTTP/1.1", "deepseek.com"),
            (
                "GET https://v16.tiktokcdn-us.com.edgesuite.net/obj",
                "tiktokcdn-us.com.edgesuite.net",
            ),
            (
                "package:com.zhiliaoapp.musically",
                "com.zhiliaoapp.musically",
            ),
            ("  \"node_modules/@ai-sdk/deepseek\": {", "@ai-sdk/deepseek"),
            ("langchain_deepseek==0.1.3", "langchain_deepseek"),
            ("ii  kesl  12.0.0.6672  amd64  Endpoint Security", "kesl"),
            (
                "Kaspersky Internet Security,21.3,com.kaspersky.kis,MAC-01",
                "Kaspersky",
            ),
        ] {
            let c = net
                .find(text.as_bytes())
                .unwrap_or_else(|| panic!("{text}"));
            assert_eq!(&text[c.offset..c.offset + c.len], found);
        }
        for text in [
            "This tool scans dependency manifests, app inventories and proxy logs.",
            "Install with cargo, then run the tests; see docs at example.com for details.",
            "Chat apps, video editors and AI assistants from many vendors are common.",
        ] {
            assert_eq!(net.find(text.as_bytes()), None, "{text}");
        }
    }
}
