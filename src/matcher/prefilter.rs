//! Prefilters: what a line must contain to match any rule of one kind of
//! evidence, found over whole chunks, so that the lines of a log that
//! cannot match are never parsed.
//!
//! - Endpoints: a banned domain matches a host that is it or ends with
//!   `.` and it, so every run of host characters in the text (`a-z0-9-_.`)
//!   is hashed from its end, label by label, and each suffix looked up in
//!   a set of the banned domains' hashes: a few table lookups a byte, the
//!   same for ten domains or ten thousand, and a small set instead of an
//!   automaton of every domain's bytes.
//! - Apps: each rule gives the longest plain run of its name, publisher,
//!   bundle id or extension id, which every line it matches contains in some ASCII case;
//!   those are searched with Aho-Corasick.
//!
//! Two things escape both, and make a line a candidate by themselves:
//! bytes outside ASCII (Unicode host names become `xn--` labels; Unicode
//! case folding) and, for endpoints, `%` (a percent-encoded host). A rule
//! with no usable literal (an IP range, a glob of wildcards) turns the
//! prefilter off for its kind: correctness first.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::input::Evidence;
use crate::input::records::{CellFilter, KeyField, LineVerdict};
use crate::policy::{AppRule, HostRule};

use super::apps::{IndexKey, exact_key};
use super::{Rule, RuleIdentifier};

/// The shortest literal worth searching for.
const MIN_LITERAL: usize = 3;
/// Literals are cut to this many bytes: a line holding the whole literal
/// holds its start, and short literals keep the automaton small enough
/// for the cache (1,000 publishers of 30 bytes make 30,000 states).
const LITERAL_MAX: usize = 12;

fn floor_char(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

pub enum Prefilter {
    Hosts(HostSuffixes),
    Apps(AppFilter),
}

impl Prefilter {
    /// The prefilter for `evidence` over `rules`, or `None` when some rule
    /// has no literal (then every line is parsed).
    pub fn new(rules: &[Rule], evidence: Evidence) -> Option<Prefilter> {
        match evidence {
            Evidence::Endpoints => HostSuffixes::new(rules).map(Prefilter::Hosts),
            Evidence::Apps => AppFilter::new(rules).map(Prefilter::Apps),
            Evidence::Packages | Evidence::Files => None,
        }
    }

    /// Where the line at `from` ends and what it holds, when this
    /// prefilter judges lines one at a time (the host filter does; literals
    /// search whole blocks).
    pub fn line(&self, data: &[u8], from: usize) -> Option<LineVerdict> {
        match self {
            Prefilter::Hosts(hosts) => Some(hosts.line(data, from)),
            Prefilter::Apps(_) => None,
        }
    }

    /// The first offset at or after `from` where a line may match.
    pub fn next(&self, haystack: &[u8], from: usize) -> Option<usize> {
        match self {
            Prefilter::Hosts(hosts) => hosts.next(haystack.get(from..)?).map(|at| from + at),
            Prefilter::Apps(apps) => apps.literals.next(haystack, from),
        }
    }

    /// Whether a rule may match the one host `host`, for the host filter.
    pub fn host(&self, host: &[u8]) -> Option<bool> {
        match self {
            Prefilter::Hosts(hosts) => Some(hosts.line(host, 0).may_match),
            Prefilter::Apps(_) => None,
        }
    }

    /// The filter that judges table rows by their key cells, when there
    /// is one.
    pub fn cells(&self) -> Option<&AppCells> {
        match self {
            Prefilter::Apps(apps) => apps.cells.as_ref(),
            Prefilter::Hosts(_) => None,
        }
    }
}

/// The app prefilter: literals searched over lines of any app format, and
/// for tables, whose key cells are found anyway, a lookup of those cells.
pub struct AppFilter {
    literals: Literals,
    cells: Option<AppCells>,
}

impl AppFilter {
    fn new(rules: &[Rule]) -> Option<AppFilter> {
        let apps: Vec<&AppRule> = rules
            .iter()
            .filter_map(|rule| match &rule.identifier {
                RuleIdentifier::App(a) => Some(a),
                _ => None,
            })
            .collect();
        Some(AppFilter {
            literals: Literals::new(&apps)?,
            cells: AppCells::new(&apps),
        })
    }
}

/// The longest literal of each app rule, searched with Aho-Corasick.
struct Literals(AhoCorasick);

impl Literals {
    /// The literals of `rules`, or `None` when a rule has none long enough.
    ///
    /// Names and publishers are matched [folded](super::apps::fold), so
    /// their literal is taken from the folded pattern and holds no space:
    /// a line of ASCII folds to itself but for its whitespace (`Deep  Seek`
    /// is `Deep Seek`), and a line with any other byte is a candidate
    /// anyway.
    fn new(rules: &[&AppRule]) -> Option<Literals> {
        let mut literals: Vec<String> = Vec::new();
        for a in rules {
            let folded = [&a.name, &a.publisher]
                .into_iter()
                .flatten()
                .map(|field| super::apps::fold(field).into_owned());
            let best = folded
                .map(|field| longest_word(longest_literal(&field)).to_owned())
                .chain(
                    [&a.bundle_id, &a.extension_id]
                        .into_iter()
                        .flatten()
                        .map(|b| longest_literal(b).to_owned()),
                )
                .max_by_key(String::len)?;
            if best.len() < MIN_LITERAL {
                return None;
            }
            let cut = floor_char(&best, LITERAL_MAX);
            literals.push(best[..cut].to_owned());
        }
        literals.sort_unstable();
        literals.dedup();
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(if literals.len() > 20_000 {
                AhoCorasickKind::ContiguousNFA
            } else {
                AhoCorasickKind::DFA
            }))
            .build(&literals)
            .ok()
            .map(Literals)
    }

    /// The first offset at or after `from` where a literal or a byte
    /// outside ASCII is.
    fn next(&self, haystack: &[u8], from: usize) -> Option<usize> {
        let rest = haystack.get(from..)?;
        let literal = self.0.find(rest).map(|m| m.start());
        let before = &rest[..literal.unwrap_or(rest.len())];
        // Word-at-a-time; almost every inventory is ASCII.
        let wide = if before.is_ascii() {
            None
        } else {
            before.iter().position(|&b| b >= 0x80)
        };
        wide.or(literal).map(|at| from + at)
    }
}

/// Table rows judged by their key cells: a rule looked up by a plain name,
/// publisher, bundle id or extension id (its [index
/// key](super::apps::IndexKey)) can match a row only if that cell equals
/// it, so the cell is looked up in a set instead of the row's bytes being
/// searched for 1,000 literals. Only rules looked up by a glob are left to
/// the literal search.
pub struct AppCells {
    /// The [`key_hash`] of the plain keys of the rules looked up by each
    /// [`KeyField`] (folded and in lower case, as the app index holds
    /// them). Keys outside ASCII are left out: a cell that could match one
    /// is not ASCII either, and is parsed.
    keys: [rustc_hash::FxHashSet<u64>; 4],
    /// The same keys by their first and last bytes in lower case (a bit
    /// for each pair): most cells are told apart by these alone, without
    /// being hashed.
    ends: [EndPairs; 4],
    /// The literals of the rules looked up by a glob, if any.
    globs: Option<Literals>,
}

/// A set of (first byte, last byte) pairs of ASCII text, lower-cased.
#[derive(Default)]
struct EndPairs(Vec<u64>);

impl EndPairs {
    fn index(first: u8, last: u8) -> usize {
        usize::from(first.to_ascii_lowercase() & 0x7f) << 7
            | usize::from(last.to_ascii_lowercase() & 0x7f)
    }

    fn insert(&mut self, text: &[u8]) {
        if let (Some(&first), Some(&last)) = (text.first(), text.last()) {
            self.0.resize(128 * 128 / 64, 0);
            let i = Self::index(first, last);
            self.0[i / 64] |= 1 << (i % 64);
        }
    }

    fn contains(&self, first: u8, last: u8) -> bool {
        let i = Self::index(first, last);
        self.0
            .get(i / 64)
            .is_some_and(|bits| bits & (1 << (i % 64)) != 0)
    }
}

impl AppCells {
    /// `None` when a rule looked up by a glob has no literal: then the
    /// whole row must be searched or parsed anyway.
    fn new(rules: &[&AppRule]) -> Option<AppCells> {
        let mut keys: [rustc_hash::FxHashSet<u64>; 4] = Default::default();
        let mut ends: [EndPairs; 4] = Default::default();
        let mut globs = Vec::new();
        for &a in rules {
            let (field, key) = match IndexKey::of(a) {
                Some(IndexKey::BundleId(b)) => (KeyField::BundleId, Some(b)),
                Some(IndexKey::ExtensionId(e)) => (KeyField::ExtensionId, Some(e)),
                Some(IndexKey::Name(n)) => (KeyField::Name, exact_key(n)),
                Some(IndexKey::Publisher(p)) => (KeyField::Publisher, exact_key(p)),
                None => continue,
            };
            match key {
                Some(key) => {
                    if let Some(hash) = key_hash(key.as_bytes()) {
                        keys[field as usize].insert(hash);
                        ends[field as usize].insert(key.as_bytes());
                    }
                }
                None => globs.push(a),
            }
        }
        let globs = if globs.is_empty() {
            None
        } else {
            Some(Literals::new(&globs)?)
        };
        Some(AppCells { keys, ends, globs })
    }
}

/// A hash of `text` in ASCII lower case, eight bytes at a time, or `None`
/// when `text` is not what [`fold`](super::apps::fold) and the parser's
/// trim leave as it is (bytes outside ASCII, control bytes, spaces doubled
/// or at an end): such a cell must be parsed to be judged. Equal hashes
/// are not proof (the matcher decides), unequal ones are.
fn key_hash(text: &[u8]) -> Option<u64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    if text.first() == Some(&b' ') || text.last() == Some(&b' ') {
        return None;
    }
    let mut hash = text.len() as u64;
    let mut space_before = false;
    let (words, tail) = text.as_chunks::<8>();
    // The last bytes padded with `a` (not a space nor a control byte).
    let tail = (!tail.is_empty()).then(|| {
        tail.iter()
            .rev()
            .fold(u64::from_le_bytes(*b"aaaaaaaa"), |w, &b| {
                (w << 8) | u64::from(b)
            })
    });
    for w in words
        .iter()
        .map(|word| u64::from_le_bytes(*word))
        .chain(tail)
    {
        // Bytes outside ASCII, then (on ASCII) bytes below a space.
        if w & HIGH != 0 || w.wrapping_sub(ONES * 0x20) & !w & HIGH != 0 {
            return None;
        }
        // A 0x80 flag on each space (exact: no carry crosses a byte).
        let x = w ^ (ONES * 0x20);
        let spaces = !((x & LOW7).wrapping_add(LOW7) | x | LOW7);
        if spaces & (spaces << 8) != 0 || (space_before && spaces & 0x80 != 0) {
            return None;
        }
        space_before = spaces >> 63 != 0;
        let upper = (w + ONES * 0x3f) & !(w + ONES * 0x25) & HIGH;
        let lower = w | (upper >> 2);
        hash = (hash.rotate_left(5) ^ lower).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    Some(hash)
}

impl CellFilter for AppCells {
    /// A cell the matcher would fold or trim (not ASCII, spaces doubled or
    /// at an end, control bytes) may match whatever it says: it is parsed.
    fn may_match(&self, field: KeyField, text: &[u8]) -> bool {
        let keys = &self.keys[field as usize];
        if keys.is_empty() {
            return false;
        }
        let text = match field {
            // As the tables read names (`input::apps::app_name`).
            KeyField::Name => text
                .strip_suffix(b".app")
                .filter(|name| name.iter().any(|b| !b.is_ascii_whitespace()))
                .unwrap_or(text),
            _ => text,
        };
        // Folding an ASCII cell keeps its first and last visible bytes;
        // a cell with any other byte is parsed.
        let visible = |b: &u8| !b.is_ascii_whitespace();
        let (Some(first), Some(last)) = (
            text.iter().position(visible),
            text.iter().rposition(visible),
        ) else {
            return false;
        };
        if !text.is_ascii() {
            return true;
        }
        if !self.ends[field as usize].contains(text[first], text[last]) {
            return false;
        }
        match key_hash(text) {
            Some(hash) => keys.contains(&hash),
            None => true,
        }
    }

    fn looks_up(&self, field: KeyField) -> bool {
        !self.keys[field as usize].is_empty()
    }

    fn next_elsewhere(&self, haystack: &[u8], from: usize) -> Option<usize> {
        self.globs.as_ref()?.next(haystack, from)
    }
}

/// How each byte takes part in a host name.
const OTHER: u8 = 0;
const HOST: u8 = 1;
const DOT: u8 = 2;
/// Non-ASCII or `%`: the line is a candidate whatever it says.
const WIDE: u8 = 3;
const NEWLINE: u8 = 4;

const CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 || c == b'%' {
            WIDE
        } else if c == b'\n' {
            NEWLINE
        } else if c == b'.' {
            DOT
        } else if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' {
            HOST
        } else {
            OTHER
        };
        b += 1;
    }
    t
};

/// Up to the last 8 bytes of `text` as one word, in ASCII lower case
/// (`| 0x20` lower-cases letters and leaves digits, `-` and `.` alone; `_`
/// becomes DEL on both sides of a comparison).
fn tail_word(text: &[u8], n: usize) -> u64 {
    let mut word = [0u8; 8];
    word[..n].copy_from_slice(&text[text.len() - n..]);
    u64::from_le_bytes(word) | (u64::MAX >> (8 * (8 - n)) & 0x2020_2020_2020_2020)
}

/// The banned domains by their last eight bytes (or, for shorter ones,
/// whole), with a bit array in front of the set.
///
/// A host `h` matches a banned `d` only if `h` ends with `d`, so a run of
/// host characters (letters, digits, `-`, `_`, `.`) whose last eight bytes
/// are not the last eight of any banned domain cannot match. A line is
/// read byte by byte only to find where its runs end, one predictable
/// branch a byte; each run end costs one word load and one bit test. The
/// parser and the matcher then decide, exactly.
pub struct HostSuffixes {
    /// `(length up to 8, tail word)` of every banned domain.
    tails: rustc_hash::FxHashSet<(usize, u64)>,
    /// The tail lengths in use: 8, and the lengths of shorter domains.
    lengths: Vec<usize>,
    bits: Vec<u64>,
}

impl HostSuffixes {
    fn new(rules: &[Rule]) -> Option<HostSuffixes> {
        let mut tails = rustc_hash::FxHashSet::default();
        for rule in rules {
            if let RuleIdentifier::Endpoint(e) = &rule.identifier {
                match &e.host {
                    HostRule::Domain { domain, .. } => {
                        let d = domain.as_str().as_bytes();
                        let n = d.len().min(8);
                        tails.insert((n, tail_word(d, n)));
                    }
                    HostRule::Ip(_) | HostRule::Net(_) => return None,
                }
            }
        }
        let mut lengths: Vec<usize> = tails.iter().map(|&(n, _)| n).collect();
        lengths.sort_unstable();
        lengths.dedup();
        lengths.reverse();
        // About 64 bits a domain: one false positive in 60 run ends.
        let words = tails.len().next_power_of_two().clamp(1024, 1 << 16);
        let mut bits = vec![0u64; words];
        for &(n, word) in &tails {
            let bit = bit_of(n, word, words);
            bits[bit / 64] |= 1 << (bit % 64);
        }
        Some(HostSuffixes {
            tails,
            lengths,
            bits,
        })
    }

    /// The start of the first line of `text` that may match.
    fn next(&self, text: &[u8]) -> Option<usize> {
        let mut start = 0;
        while start < text.len() {
            let line = self.line(text, start);
            if line.may_match {
                return Some(start);
            }
            start = line.end + 1;
        }
        None
    }

    /// Where the line at `from` ends, whether it has a run of host
    /// characters that may end with a banned domain, or a non-ASCII or `%`
    /// byte, and whether it is host characters only. One pass: the line
    /// break is found by the same loop.
    fn line(&self, text: &[u8], from: usize) -> LineVerdict {
        let mut i = from;
        let mut hit = false;
        let mut other = false;
        while i < text.len() {
            match CLASS[usize::from(text[i])] {
                OTHER => {
                    other = true;
                    i += 1;
                }
                NEWLINE => break,
                WIDE => {
                    hit = true;
                    i += 1;
                }
                _ => {
                    let start = i;
                    while i < text.len() && matches!(CLASS[usize::from(text[i])], HOST | DOT) {
                        i += 1;
                    }
                    hit = hit || self.run_may_match(&text[start..i]);
                }
            }
        }
        LineVerdict {
            end: i,
            may_match: hit,
            plain: !other && !hit && i > from,
        }
    }

    fn run_may_match(&self, run: &[u8]) -> bool {
        // A root dot (`deepseek.com.`) is not part of the name.
        let mut end = run.len();
        while end > 0 && run[end - 1] == b'.' {
            end -= 1;
        }
        let run = &run[..end];
        self.lengths.iter().any(|&n| {
            // A shorter banned domain must also start on a label boundary.
            n <= run.len() && (n == 8 || run.len() == n || run[run.len() - n - 1] == b'.') && {
                let word = tail_word(run, n);
                let bit = bit_of(n, word, self.bits.len());
                self.bits[bit / 64] & (1 << (bit % 64)) != 0 && self.tails.contains(&(n, word))
            }
        })
    }
}

fn bit_of(n: usize, word: u64, words: usize) -> usize {
    let mixed = (word ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((mixed >> 32) as usize) & (words * 64 - 1)
}

/// The longest part of `literal` without whitespace.
fn longest_word(literal: &str) -> &str {
    literal
        .split(char::is_whitespace)
        .max_by_key(|w| w.len())
        .unwrap_or("")
}

/// The longest run of a case-insensitive glob (or plain name) that any
/// text it matches contains as is: outside `[…]` and `{…}`, between
/// wildcards, and without `"` (a CSV writes it doubled). The result is a
/// slice of `pattern.trim()`, so a caller can tell whether it starts or
/// ends the pattern (the safety net checks word boundaries there).
pub(crate) fn longest_literal(pattern: &str) -> &str {
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

    /// App literals come from the folded pattern and hold no space, so an
    /// ASCII line spelling the name with other whitespace still passes.
    #[test]
    fn app_literals_hold_no_space() {
        let text = "product: demo\nname: Demo\nidentifiers:\n  apps:\n    - name: \"Ｑｕｉｃｋ  Zebra-Chat\"\n"
            .to_string()
            + &crate::policy::read::test_policy("xx-demo", "demo");
        let library = crate::policy::read::library_from(&text);
        let set = crate::policy::compile::BanSet::compile(&library, &[0]);
        let Some(filter) = Prefilter::new(&set.rules, Evidence::Apps) else {
            panic!("an app filter");
        };
        let data = b"PC-1,Firefox,Mozilla\nPC-2,quick \t zebra-chat,x\n";
        // At `zebra-chat`, in the second line.
        assert_eq!(filter.next(data, 0), Some(34));
    }

    /// The host filter judges each line in one pass: where it ends,
    /// whether a banned domain may end one of its runs, and whether it is a
    /// bare host name (which then needs no shape check of its own).
    #[test]
    fn lines_are_judged_in_one_pass() {
        let text = "product: demo\nname: Demo\nidentifiers:\n  endpoints: [deepseek.com]\n"
            .to_string()
            + &crate::policy::read::test_policy("xx-demo", "demo");
        let library = crate::policy::read::library_from(&text);
        let set = crate::policy::compile::BanSet::compile(&library, &[0]);
        let Some(Prefilter::Hosts(hosts)) = Prefilter::new(&set.rules, Evidence::Endpoints) else {
            panic!("a host filter");
        };
        let data = b"www.example.org\nhttps://x.example/y\napi.deepseek.com\n\nexa$mple\n";
        let mut got = Vec::new();
        let mut from = 0;
        while from < data.len() {
            let v = hosts.line(data, from);
            got.push((v.may_match, v.plain));
            from = v.end + 1;
        }
        assert_eq!(
            got,
            [
                (false, true),
                (false, false),
                (true, false),
                (false, false),
                (false, false)
            ]
        );
    }
}
