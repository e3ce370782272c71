//! YAML read into a tree in which every node keeps its place in the file.
//!
//! Policies are not deserialised straight into structs: serde stops at the
//! first error, and a policy author wants every problem in one go. Instead a
//! file becomes a tree of [`Node`]s, each with its span ([`tree`] builds it
//! from the YAML parser's events), and
//! the typed model is read from the tree with the helpers below, which record
//! a diagnostic for each unknown key, wrong type or bad value and go on.

use std::fmt;
use std::sync::Arc;

use miette::SourceSpan;

use crate::diag::{Code, Problem, SourceFile, did_you_mean};

mod tree;

#[derive(Clone, Debug)]
pub struct Node {
    pub value: Value,
    pub span: SourceSpan,
}

#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Value {
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Limits that make an alias bomb or absurd nesting fail fast. Policy files
/// are small and flat; these leave plenty of room for real ones.
const POLICY_LIMITS: tree::Limits = tree::Limits {
    depth: 24,
    nodes: 200_000,
    aliases: 1_000,
    events: 400_000,
    documents: 512,
};

/// Why a text is not YAML: a message without its location, the byte
/// offset it points at, and whether a limit was breached.
#[derive(Debug)]
pub struct SyntaxError {
    pub message: String,
    pub offset: usize,
    pub is_limit: bool,
}

/// The nodes a text of `len` bytes may make, at most `max`: about one per
/// byte, as every node written takes at least a byte, plus room for a
/// small file. Aliases copy nodes without writing them, so this is what
/// stops an alias bomb (a few hundred bytes, billions of nodes) within its
/// own size instead of at `max`, gigabytes later.
pub fn node_budget(len: usize, max: usize) -> usize {
    max.min(len.saturating_add(1024))
}

/// Parses every document of `text`, with room for `nodes` nodes (the
/// parser events allowed are twice as many) nested at most `depth` deep:
/// a lockfile is far larger than a policy, and as flat.
pub fn parse_text(text: &str, nodes: usize, depth: usize) -> Result<Vec<Node>, SyntaxError> {
    tree::parse(
        text,
        tree::Limits {
            nodes,
            events: nodes.saturating_mul(2),
            depth,
            ..POLICY_LIMITS
        },
    )
}

/// Parses every document of `file`. A syntax error or a breached limit is
/// one diagnostic at its place; nothing of that file is returned then.
pub fn parse_documents(file: &Arc<SourceFile>) -> Result<Vec<Node>, Problem> {
    let text: &str = file.inner();
    tree::parse(text, POLICY_LIMITS).map_err(|e| {
        let (code, help) = if e.is_limit {
            (
                Code::YamlLimit,
                "policy files are small and flat: remove deep nesting and repeated aliases",
            )
        } else {
            (Code::YamlSyntax, "fix the YAML syntax at this place")
        };
        Problem::error(code, format!("invalid YAML: {}", e.message))
            .with_help(help)
            .in_file(file, (e.offset, 0).into(), "here")
    })
}

/// A value read from the tree together with where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At<T> {
    pub value: T,
    pub span: SourceSpan,
}

/// Reading context: the file and the list problems are collected into.
pub struct Reader<'a> {
    pub file: &'a Arc<SourceFile>,
    pub problems: &'a mut Vec<Problem>,
}

impl Reader<'_> {
    pub fn report(
        &mut self,
        code: Code,
        span: SourceSpan,
        message: impl Into<String>,
        label: &str,
        help: impl Into<String>,
    ) {
        let p = Problem::error(code, message)
            .with_help(help)
            .in_file(self.file, span, label);
        self.problems.push(p);
    }

    fn wrong_type(&mut self, node: &Node, expected: &str) {
        self.report(
            Code::WrongType,
            node.span,
            format!("expected {expected}, found {}", node.value.type_name()),
            &format!("expected {expected}"),
            format!("write {expected} here"),
        );
    }

    /// A string scalar. Numbers and booleans written where text is expected
    /// are taken as written (`version: 1.10` stays `1.10`), since YAML's
    /// typing of unquoted scalars is not what a policy author means.
    pub fn string(&mut self, node: &Node) -> Option<At<String>> {
        let text = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                let start = node.span.offset();
                self.file
                    .inner()
                    .get(start..start + node.span.len())
                    .unwrap_or_default()
                    .to_string()
            }
            _ => {
                self.wrong_type(node, "a string");
                return None;
            }
        };
        Some(At {
            value: text,
            span: node.span,
        })
    }

    /// A non-empty, trimmed string.
    pub fn text(&mut self, node: &Node) -> Option<At<String>> {
        let s = self.string(node)?;
        if s.value.trim().is_empty() {
            self.report(
                Code::BadValue,
                node.span,
                "this value is empty",
                "empty",
                "write a value or remove the key",
            );
            return None;
        }
        Some(s)
    }

    pub fn bool(&mut self, node: &Node) -> Option<bool> {
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong_type(node, "true or false");
                None
            }
        }
    }

    /// The items of a list; a single scalar is not silently promoted.
    pub fn seq<'n>(&mut self, node: &'n Node) -> &'n [Node] {
        match &node.value {
            Value::Seq(items) => items,
            Value::Null => &[],
            _ => {
                self.wrong_type(node, "a list");
                &[]
            }
        }
    }

    /// A mapping with a known set of keys; see [`MapReader`].
    pub fn map<'n>(
        &mut self,
        node: &'n Node,
        what: &'static str,
        keys: &'static [&'static str],
    ) -> Option<MapReader<'n>> {
        match &node.value {
            Value::Map(entries) => Some(MapReader {
                entries,
                used: vec![false; entries.len()],
                span: node.span,
                what,
                keys,
            }),
            _ => {
                self.wrong_type(node, &format!("a mapping ({what})"));
                None
            }
        }
    }

    /// A calendar date written `YYYY-MM-DD`; impossible dates are refused.
    pub fn date(&mut self, node: &Node) -> Option<At<jiff::civil::Date>> {
        let s = self.string(node)?;
        match parse_date(&s.value) {
            Ok(d) => Some(At {
                value: d,
                span: s.span,
            }),
            Err(e) => {
                self.report(
                    Code::BadDate,
                    node.span,
                    e.to_string(),
                    "not a valid date",
                    "write the date as YYYY-MM-DD, e.g. 2025-01-31",
                );
                None
            }
        }
    }
}

/// Parses a strict `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Result<jiff::civil::Date, DateError> {
    let ok_shape = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !ok_shape {
        return Err(DateError::Shape(text.to_string()));
    }
    text.parse::<jiff::civil::Date>()
        .map_err(|_| DateError::NotReal(text.to_string()))
}

/// Why a date was refused: the two need different fixes (the format, or
/// the day), so they are told apart. Each keeps the text as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not `YYYY-MM-DD` with two-digit month and day.
    Shape(String),
    /// The right shape, but no such day (`2025-02-30`).
    NotReal(String),
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Shape(text) => write!(f, "`{text}` is not a date in the form YYYY-MM-DD"),
            DateError::NotReal(text) => write!(f, "`{text}` is not a real calendar date"),
        }
    }
}

impl std::error::Error for DateError {}

/// Reads a mapping whose keys are known in advance. Each key is taken at
/// most once; [`MapReader::finish`] reports the keys nobody took, with a
/// suggestion when one looks like a typo of a known key.
pub struct MapReader<'n> {
    entries: &'n [(Node, Node)],
    used: Vec<bool>,
    pub span: SourceSpan,
    what: &'static str,
    keys: &'static [&'static str],
}

impl<'n> MapReader<'n> {
    pub fn get(&mut self, key: &str) -> Option<&'n Node> {
        debug_assert!(
            self.keys.contains(&key),
            "{key} is not declared for {}",
            self.what
        );
        let i = self
            .entries
            .iter()
            .position(|(k, _)| matches!(&k.value, Value::Str(s) if s == key))?;
        self.used[i] = true;
        Some(&self.entries[i].1)
    }

    /// Like [`get`](Self::get), but a missing or null value is reported.
    pub fn required(&mut self, r: &mut Reader<'_>, key: &str) -> Option<&'n Node> {
        match self.get(key) {
            Some(node) if !matches!(node.value, Value::Null) => Some(node),
            Some(node) => {
                r.report(
                    Code::MissingKey,
                    node.span,
                    format!("`{key}` of {} has no value", self.what),
                    "empty",
                    format!("give `{key}` a value"),
                );
                None
            }
            None => {
                r.report(
                    Code::MissingKey,
                    self.span,
                    format!("{} has no `{key}`", self.what),
                    &format!("`{key}` missing here"),
                    format!("add `{key}:`"),
                );
                None
            }
        }
    }

    /// A key whose null value means "absent".
    pub fn optional(&mut self, key: &str) -> Option<&'n Node> {
        self.get(key).filter(|n| !matches!(n.value, Value::Null))
    }

    /// The first key of the mapping, which tells a document's kind.
    pub fn first_key(node: &Node) -> Option<&str> {
        match &node.value {
            Value::Map(entries) => match entries.first().map(|(k, _)| &k.value) {
                Some(Value::Str(s)) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn finish(self, r: &mut Reader<'_>) {
        for ((key, _), used) in self.entries.iter().zip(&self.used) {
            if *used {
                continue;
            }
            let name = match &key.value {
                Value::Str(s) => s.as_str(),
                _ => "?",
            };
            let help = match did_you_mean(name, self.keys.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the keys of {} are: {}", self.what, self.keys.join(", ")),
            };
            r.report(
                Code::UnknownKey,
                key.span,
                format!("unknown key `{name}` in {}", self.what),
                "unknown key",
                help,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> Arc<SourceFile> {
        Arc::new(SourceFile::new("t.yaml", Arc::from(text)))
    }

    #[test]
    fn spans_point_at_values_and_keys() {
        let f = file("product: deepseek\nname: DeepSeek\n---\npolicy: x\n");
        let docs = parse_documents(&f).unwrap();
        assert_eq!(docs.len(), 2);
        let Value::Map(entries) = &docs[0].value else {
            panic!()
        };
        assert_eq!(entries[1].1.span, SourceSpan::from((24, 8)));
        assert_eq!(MapReader::first_key(&docs[1]), Some("policy"));
    }

    #[test]
    fn alias_bombs_and_deep_nesting_fail_fast() {
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for (i, c) in "bcdefghij".chars().enumerate() {
            let prev = (b'a' + i as u8) as char;
            bomb.push_str(&format!(
                "{c}: &{c} [{}]\n",
                vec![format!("*{prev}"); 10].join(",")
            ));
        }
        // Refused by the alias budget (the code says so), not by running out
        // of time: no wall-clock assertion, which would fail on a busy machine.
        let err = parse_documents(&file(&bomb)).unwrap_err();
        assert_eq!(err.code, Code::YamlLimit, "{}", err.message);
        let deep = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert_eq!(
            parse_documents(&file(&deep)).unwrap_err().code,
            Code::YamlLimit
        );
    }

    #[test]
    fn dates_must_exist() {
        assert!(parse_date("2025-02-28").is_ok());
        assert!(parse_date("2025-02-30").is_err());
        assert!(parse_date("2025-2-3").is_err());
    }

    #[test]
    fn numbers_read_as_written_where_text_is_expected() {
        let f = file("v: 1.10\n");
        let docs = parse_documents(&f).unwrap();
        let Value::Map(e) = &docs[0].value else {
            panic!()
        };
        let mut problems = Vec::new();
        let mut r = Reader {
            file: &f,
            problems: &mut problems,
        };
        assert_eq!(r.string(&e[0].1).unwrap().value, "1.10");
    }

    /// The messages are the text users saw when the error was a `String`.
    #[test]
    fn date_messages() {
        assert_eq!(
            parse_date("2025-2-3").unwrap_err().to_string(),
            "`2025-2-3` is not a date in the form YYYY-MM-DD"
        );
        assert_eq!(
            parse_date("2025-02-30").unwrap_err().to_string(),
            "`2025-02-30` is not a real calendar date"
        );
    }
}
