//! Egress allowlists and firewall rules kept as YAML or JSON
//! configuration: lists of domains, URLs, addresses or CIDR blocks under
//! any key (`egress: {allow: [...]}`, a Kubernetes `ipBlock: {cidr: …}`
//! in a list of rules, an AWS domain list's `Targets`). Each entry is an
//! item at its line, with its key path (`egress.allow[3]`) so a reviewer
//! finds the rule.
//!
//! **Which files.** Configuration looks like any other YAML or JSON, so
//! the name is required and the content confirms it: a `.yaml`, `.yml` or
//! `.json` file whose name holds `allowlist` (or `allow-list`,
//! `allow_list`, `whitelist`), `egress` or `firewall`, and whose first
//! bytes list at least one host, URL or address. There is no content
//! shape: a Helm values file or a CI config also holds URLs in lists.
//!
//! **Which values.** A string in a list, at any depth below it (a list
//! of rule maps too), is an entry when it reads as one endpoint and is
//! likely meant as one: a URL, an address or block, `*.domain`, or a
//! domain with a dot and a top label that is not a number (a leading `.`,
//! as Squid and AWS write "this domain and its subdomains", is dropped).
//! Everything else a rule list holds is not an endpoint and not an
//! error: `*` (any host), ports, protocols, rule names and actions. A
//! string outside any list (`name: egress-proxy`) is configuration, not
//! an entry.
//!
//! **Blocked entries.** An allowlist file may also say what it denies.
//! Entries under a key naming a block (`deny`, `block`, `blocklist`,
//! `reject`, `drop`, `exclude`, …) or in a rule map whose `action` (or
//! `policy`, `verdict`) is one are checked but are not uses, so not items,
//! as the hosts file's sinkholed names are not.
//!
//! YAML is parsed into the span-keeping tree of [`crate::yaml`]; JSON is
//! checked by serde_json (a syntax error is one problem at its line and
//! column) and then read into the same tree, so both are walked alike.

use std::sync::Arc;

use crate::ident::Host;
use crate::input::item::{EndpointView, ItemView};
use crate::input::packages::json_lock::{self, LineIndex, key_text};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader};
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Limits, Opened, Source};
use crate::yaml::{self, Node, Value};

use super::list::endpoint;

pub static SPEC: FormatSpec = FormatSpec {
    name: "endpoint-allowlist",
    evidence: Evidence::Endpoints,
    description: "egress allowlist or firewall rules (YAML or JSON lists of hosts or URLs)",
    names: &[],
    maybe: &[
        "*allowlist*.{yaml,yml,json}",
        "*allow-list*.{yaml,yml,json}",
        "*allow_list*.{yaml,yml,json}",
        "*whitelist*.{yaml,yml,json}",
        "*egress*.{yaml,yml,json}",
        "*firewall*.{yaml,yml,json}",
    ],
    sniff: Some(looks_like),
    shape: None,
    reader: Reader::Stream(read),
};

/// The most YAML nodes read from one file: far above any real allowlist.
const MAX_NODES: usize = 5_000_000;

const HELP: &str = "fix the syntax at this place; an allowlist is YAML or JSON whose lists \
     hold host names, URLs, IP addresses or CIDR blocks";

/// Keys under which entries are denied, normalised (lower case, no `_`
/// or `-`).
const BLOCKING_KEYS: &[&str] = &[
    "deny",
    "denied",
    "denylist",
    "block",
    "blocked",
    "blocklist",
    "blacklist",
    "reject",
    "rejected",
    "drop",
    "exclude",
    "excluded",
    "except",
    "disallow",
    "disallowed",
];

/// Keys of a rule map that say what the rule does.
const ACTION_KEYS: &[&str] = &["action", "policy", "verdict"];

fn normalised(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_blocking(word: &str) -> bool {
    BLOCKING_KEYS.contains(&normalised(word).as_str())
}

/// The endpoint an entry names, when it names one.
fn entry(text: &str) -> Option<crate::input::item::Endpoint> {
    let text = text.trim();
    if text.is_empty() || text.contains(char::is_whitespace) {
        return None;
    }
    // `.example.com`: the domain and its subdomains.
    let text = match text.strip_prefix('.') {
        Some(rest) if !rest.starts_with('.') => rest,
        _ => text,
    };
    let found = endpoint(text).ok()?;
    let likely = match &found.host {
        Host::Domain(d) => {
            text.contains("://")
                || text.starts_with("*.")
                || d.as_str()
                    .rsplit_once('.')
                    .is_some_and(|(_, top)| !top.bytes().all(|b| b.is_ascii_digit()))
        }
        Host::Ip(_) | Host::Net(_) => true,
    };
    likely.then_some(found)
}

/// Whether the head of a file whose name may be an allowlist lists a
/// host: a YAML `- entry` line, or a JSON string in an array.
pub fn looks_like(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('{') || text.starts_with('[') {
        return json_strings_in_arrays(text).any(|s| entry(s).is_some());
    }
    text.lines().any(|line| {
        let Some(item) = line.trim_start().strip_prefix("- ") else {
            return false;
        };
        let item = item.split(" #").next().unwrap_or(item).trim();
        let item = item
            .strip_prefix(['"', '\''])
            .and_then(|i| i.strip_suffix(['"', '\'']))
            .unwrap_or(item);
        entry(item).is_some()
    })
}

/// The strings directly inside arrays in a (possibly cut) JSON text,
/// escapes left as written: enough for a sniffer.
fn json_strings_in_arrays(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut stack: Vec<u8> = Vec::new();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if stack.last() == Some(&b'[') && i <= bytes.len() {
                    out.push(&text[start..i.min(text.len())]);
                }
            }
            b @ (b'[' | b'{') => stack.push(b),
            b']' | b'}' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    out.into_iter()
}

fn read(
    source: &Source,
    opened: Opened,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = json_lock::read_text(source, opened)?;
    read_text(&source.name, &text, limits.max_depth, sink)
}

fn read_text(
    name: &Arc<str>,
    text: &str,
    max_depth: usize,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    // Positions count from after a byte-order mark, which neither parser
    // takes.
    let text = text.trim_start_matches('\u{feff}');
    let lines = LineIndex::new(text.as_bytes());
    let trimmed = text.trim_start();
    let docs = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        serde_json::from_str::<serde::de::IgnoredAny>(text)
            .map_err(|e| json_lock::syntax(name, text, &lines, &e, "the allowlist", HELP))?;
        // Nesting past --max-depth was refused before (json_lock::read_text):
        // json_tree and the walk recurse once a level.
        vec![json_tree(text)]
    } else {
        yaml::parse_text(text, yaml::node_budget(text.len(), MAX_NODES), max_depth).map_err(
            |e| {
                let at = e.offset.min(text.len());
                let (line, start, end) = lines.line_of(text.as_bytes(), at);
                InputProblem::line(
                    name,
                    line,
                    &text[start..end],
                    at - start,
                    1,
                    format!("the allowlist is not valid YAML: {}", e.message),
                    HELP,
                )
            },
        )?
    };
    let mut walk = Walk {
        name,
        text,
        lines: &lines,
        sink,
        path: String::new(),
    };
    for doc in &docs {
        if walk.node(doc, false, false) == Flow::Stop {
            break;
        }
    }
    Ok(())
}

/// Walks the tree, keeping the key path of the node being read.
struct Walk<'a> {
    name: &'a Arc<str>,
    text: &'a str,
    lines: &'a LineIndex,
    sink: &'a mut dyn Sink,
    path: String,
}

impl Walk<'_> {
    fn node(&mut self, node: &Node, in_list: bool, blocked: bool) -> Flow {
        match &node.value {
            Value::Str(s) if in_list => self.entry(node, s, blocked),
            Value::Seq(items) => {
                let len = self.path.len();
                for (i, item) in items.iter().enumerate() {
                    self.path.push_str(&format!("[{i}]"));
                    let flow = self.node(item, true, blocked);
                    self.path.truncate(len);
                    if flow == Flow::Stop {
                        return flow;
                    }
                }
                Flow::Continue
            }
            Value::Map(entries) => {
                let denies = entries.iter().any(|(k, v)| {
                    matches!((&k.value, &v.value), (Value::Str(k), Value::Str(v))
                        if ACTION_KEYS.contains(&normalised(k).as_str()) && is_blocking(v))
                });
                let len = self.path.len();
                for (key, value) in entries {
                    let key_text = match &key.value {
                        Value::Str(s) => s.clone(),
                        Value::Int(i) => i.to_string(),
                        _ => "?".to_string(),
                    };
                    if !self.path.is_empty() {
                        self.path.push('.');
                    }
                    self.path.push_str(&key_text);
                    let flow =
                        self.node(value, in_list, blocked || denies || is_blocking(&key_text));
                    self.path.truncate(len);
                    if flow == Flow::Stop {
                        return flow;
                    }
                }
                Flow::Continue
            }
            _ => Flow::Continue,
        }
    }

    fn entry(&mut self, node: &Node, value: &str, blocked: bool) -> Flow {
        let Some(found) = entry(value) else {
            return Flow::Continue;
        };
        if blocked {
            self.sink.blocked(1);
            return Flow::Continue;
        }
        let start = node.span.offset();
        let end = (start + node.span.len()).min(self.text.len());
        let (line, line_start, line_end) = self.lines.line_of(self.text.as_bytes(), start);
        let stop = end.min(line_end).max(start);
        let raw = &self.text[start..stop];
        // Inside the quotes of a quoted scalar.
        let (offset, len) = match raw
            .strip_prefix(['"', '\''])
            .and_then(|r| r.strip_suffix(['"', '\'']))
        {
            Some(inner) => (start + 1 - line_start, inner.len()),
            None => (start - line_start, raw.len()),
        };
        let url = value.contains('/') && !matches!(found.host, Host::Net(_));
        self.sink.item(
            ItemView::Endpoint(EndpointView {
                host: &found.host,
                url: url.then_some(value.trim()),
                client: None,
                time: None,
                key: Some(&self.path),
                each_line: false,
            }),
            At {
                source: self.name,
                text: &self.text[line_start..line_end],
                line,
                offset,
                len: len.max(1),
                byte: line_start as u64,
            },
        )
    }
}

/// Valid JSON read into the tree YAML is read into, with each value's
/// span (a string's includes its quotes).
fn json_tree(text: &str) -> Node {
    let bytes = text.as_bytes();
    let mut at = 0;
    json_value(bytes, &mut at)
}

fn skip_space(bytes: &[u8], at: &mut usize) {
    while *at < bytes.len() && bytes[*at].is_ascii_whitespace() {
        *at += 1;
    }
}

fn spanned(value: Value, start: usize, end: usize) -> Node {
    Node {
        value,
        span: (start, end - start).into(),
    }
}

/// The value at `at`, in text serde_json found valid.
fn json_value(bytes: &[u8], at: &mut usize) -> Node {
    skip_space(bytes, at);
    let start = *at;
    match bytes.get(*at) {
        Some(b'"') => {
            *at += 1;
            while *at < bytes.len() && bytes[*at] != b'"' {
                *at += if bytes[*at] == b'\\' { 2 } else { 1 };
            }
            *at += 1;
            let raw = &bytes[start + 1..(*at - 1).min(bytes.len())];
            spanned(Value::Str(key_text(raw).into_owned()), start, *at)
        }
        Some(b'[') => {
            *at += 1;
            let mut items = Vec::new();
            loop {
                skip_space(bytes, at);
                match bytes.get(*at) {
                    Some(b']') | None => break,
                    Some(b',') => *at += 1,
                    Some(_) => items.push(json_value(bytes, at)),
                }
            }
            *at += 1;
            spanned(Value::Seq(items), start, (*at).min(bytes.len()))
        }
        Some(b'{') => {
            *at += 1;
            let mut entries = Vec::new();
            loop {
                skip_space(bytes, at);
                match bytes.get(*at) {
                    Some(b'}') | None => break,
                    Some(b',') => *at += 1,
                    Some(_) => {
                        let key = json_value(bytes, at);
                        skip_space(bytes, at);
                        if bytes.get(*at) == Some(&b':') {
                            *at += 1;
                        }
                        let value = json_value(bytes, at);
                        entries.push((key, value));
                    }
                }
            }
            *at += 1;
            spanned(Value::Map(entries), start, (*at).min(bytes.len()))
        }
        _ => {
            // A number, `true`, `false` or `null`: not an entry.
            while *at < bytes.len()
                && !matches!(bytes[*at], b',' | b']' | b'}')
                && !bytes[*at].is_ascii_whitespace()
            {
                *at += 1;
            }
            if *at == start {
                *at += 1;
            }
            spanned(Value::Null, start, (*at).min(bytes.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::item::ItemKind;
    use crate::input::testing::Collect;

    /// `(host, key path, line, column, len)` of an entry.
    type Entry = (String, String, u64, usize, usize);

    fn run(text: &str) -> (Collect, Vec<Entry>) {
        let mut sink = Collect::default();
        read_text(&Arc::from("t"), text, crate::input::MAX_DEPTH, &mut sink).unwrap();
        let got = sink
            .items
            .iter()
            .map(|g| match &g.item {
                ItemKind::Endpoint(e) => (
                    e.host.to_string(),
                    e.key.clone().unwrap_or_default(),
                    g.line,
                    g.column,
                    g.len,
                ),
                _ => unreachable!(),
            })
            .collect();
        (sink, got)
    }

    fn e(host: &str, key: &str, line: u64, col: usize, len: usize) -> Entry {
        (host.into(), key.into(), line, col, len)
    }

    /// Entries in YAML lists at any depth, with their key paths; words,
    /// ports and `*` are not entries; denied entries are not items.
    #[test]
    fn yaml_lists() {
        let (_, got) = run(
            "egress:\n  allow:\n    - \"*\"\n    - api.deepseek.com\n    - '.example.org'\n    - 443\n  deny:\n    - chat.deepseek.com\nrules:\n  - {host: 203.0.113.7, action: allow}\n  - {host: cdn.example.net, action: deny}\nname: egress.example.com\n",
        );
        assert_eq!(
            got,
            [
                e("api.deepseek.com", "egress.allow[1]", 4, 7, 16),
                e("example.org", "egress.allow[2]", 5, 8, 12),
                e("203.0.113.7", "rules[0].host", 10, 12, 11),
            ]
        );
    }

    /// JSON arrays, escapes and nesting; positions inside the quotes.
    #[test]
    fn json_lists() {
        let (_, got) = run(
            "{\"egress\": {\"allow\": [\"tcp\", \"https://api.deepseek.com/v1\",\n  \"203.0.113.0/24\"]}, \"n\": [1, true, null]}",
        );
        assert_eq!(
            got,
            [
                e("api.deepseek.com", "egress.allow[1]", 1, 31, 27),
                e("203.0.113.0/24", "egress.allow[2]", 2, 4, 14),
            ]
        );
    }

    /// A syntax error is one problem at its line.
    #[test]
    fn syntax_errors() {
        let mut sink = Collect::default();
        let err = read_text(
            &Arc::from("t"),
            "{\"a\": [\n\"x\",\n}",
            crate::input::MAX_DEPTH,
            &mut sink,
        )
        .unwrap_err();
        assert_eq!(err.at.unwrap().line, 3);
        let err = read_text(
            &Arc::from("t"),
            "a:\n  - b\n c: [",
            crate::input::MAX_DEPTH,
            &mut sink,
        )
        .unwrap_err();
        assert!(err.message.contains("not valid YAML"), "{}", err.message);
    }

    #[test]
    fn sniffs_lists_of_hosts() {
        assert!(looks_like("egress:\n  - api.example.com\n"));
        assert!(looks_like("{\"allow\": [\"*.example.com\"]}"));
        assert!(!looks_like("steps:\n  - run build\n  - test\n"));
        assert!(!looks_like("{\"allow\": \"example.com\"}"));
    }
}
