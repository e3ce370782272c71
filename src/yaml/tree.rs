//! The spanned tree built straight from the YAML parser's events.
//!
//! serde-saphyr reads the same events, but a generic tree through serde
//! costs a visitor and a span record per node: a 10,000-identifier policy
//! took 45 ms and a 50 MB pnpm lockfile 15 s. Built here from
//! granit-parser (the parser serde-saphyr itself runs on) the same trees
//! take a quarter of that and less. Scalars are typed as serde-saphyr types
//! them for an untyped value (YAML 1.1 booleans, no leading-zero decimals),
//! so a policy reads the same either way; duplicate keys are errors, as
//! serde-saphyr makes them by default.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use granit_parser::{Event, Parser, ScalarStyle, ScanError, Span};
use rustc_hash::{FxHashSet, FxHasher};

use super::{Node, SyntaxError, Value};

/// How much a text may make: deep nesting and alias bombs fail fast.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub depth: usize,
    pub nodes: usize,
    pub aliases: usize,
    pub events: usize,
    pub documents: usize,
}

/// A collection being read.
struct Open {
    span: (usize, usize),
    anchor: usize,
    kind: Kind,
}

enum Kind {
    Seq(Vec<Node>),
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        /// Hashes of the keys so far: a duplicate is found without a
        /// quadratic scan in a lockfile's 100,000-key mappings.
        seen: FxHashSet<u64>,
    },
}

struct Builder<'t> {
    text: &'t str,
    limits: Limits,
    stack: Vec<Open>,
    documents: Vec<Node>,
    anchors: Vec<Option<Node>>,
    nodes: usize,
    aliases: usize,
}

/// Parses every document of `text`.
pub fn parse(text: &str, limits: Limits) -> Result<Vec<Node>, SyntaxError> {
    let mut b = Builder {
        text,
        limits,
        stack: Vec::new(),
        documents: Vec::new(),
        anchors: Vec::new(),
        nodes: 0,
        aliases: 0,
    };
    for (events, next) in Parser::new_from_str(text).enumerate() {
        let (event, span) = next.map_err(|e| scan_error(text, &e))?;
        if events >= limits.events {
            return Err(b.limit(span, "the document has more parser events than allowed"));
        }
        b.event(event, span)?;
    }
    Ok(b.documents)
}

impl<'t> Builder<'t> {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), SyntaxError> {
        match event {
            Event::DocumentStart(..) => {
                if self.documents.len() >= self.limits.documents {
                    return Err(self.limit(span, "the file has more documents than allowed"));
                }
                self.anchors.clear();
            }
            Event::Scalar(value, style, anchor, tag) => {
                let value = if tag.as_deref().is_some_and(|t| t.suffix() == "str") {
                    Value::Str(value.into_owned())
                } else {
                    resolve(value, style)
                };
                let node = self.node(value, span)?;
                self.done(node, anchor, span)?;
            }
            Event::SequenceStart(_, anchor, _) => self.open(span, anchor, Kind::Seq(Vec::new()))?,
            Event::MappingStart(_, anchor, _) => self.open(
                span,
                anchor,
                Kind::Map {
                    entries: Vec::new(),
                    key: None,
                    seen: FxHashSet::default(),
                },
            )?,
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = self.stack.pop() else {
                    return Err(self.error(span, "a collection ends that never started"));
                };
                let value = match open.kind {
                    Kind::Seq(items) => Value::Seq(items),
                    Kind::Map { entries, .. } => Value::Map(entries),
                };
                let node = Node {
                    value,
                    span: open.span.into(),
                };
                self.done(node, open.anchor, span)?;
            }
            Event::Alias(id) => {
                self.aliases += 1;
                if self.aliases > self.limits.aliases {
                    return Err(self.limit(span, "the file uses more aliases than allowed"));
                }
                let Some(node) = self.anchors.get(id).cloned().flatten() else {
                    return Err(self.error(span, "an alias to an anchor not defined before it"));
                };
                self.nodes += count(&node);
                if self.nodes > self.limits.nodes {
                    return Err(self.limit(span, "aliases expand to more nodes than allowed"));
                }
                self.done(node, 0, span)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn open(&mut self, span: Span, anchor: usize, kind: Kind) -> Result<(), SyntaxError> {
        if self.stack.len() >= self.limits.depth {
            return Err(self.limit(span, "the YAML nests deeper than allowed"));
        }
        self.count_node(span)?;
        self.stack.push(Open {
            span: self.range(span),
            anchor,
            kind,
        });
        Ok(())
    }

    fn node(&mut self, value: Value, span: Span) -> Result<Node, SyntaxError> {
        self.count_node(span)?;
        Ok(Node {
            value,
            span: self.range(span).into(),
        })
    }

    fn count_node(&mut self, span: Span) -> Result<(), SyntaxError> {
        self.nodes += 1;
        if self.nodes > self.limits.nodes {
            return Err(self.limit(span, "the file has more nodes than allowed"));
        }
        Ok(())
    }

    /// A finished node goes where it belongs: under its anchor, and into
    /// the open collection or the document list.
    fn done(&mut self, node: Node, anchor: usize, span: Span) -> Result<(), SyntaxError> {
        if anchor != 0 {
            if self.anchors.len() <= anchor {
                self.anchors.resize(anchor + 1, None);
            }
            self.anchors[anchor] = Some(node.clone());
        }
        let Some(open) = self.stack.last_mut() else {
            self.documents.push(node);
            return Ok(());
        };
        match &mut open.kind {
            Kind::Seq(items) => items.push(node),
            Kind::Map { entries, key, seen } => match key.take() {
                Some(k) => entries.push((k, node)),
                None => {
                    let Value::Str(name) = key_text(node.value, &node.span, self.text) else {
                        return Err(self.error(span, "a mapping key must be a plain value"));
                    };
                    let mut hasher = FxHasher::default();
                    name.hash(&mut hasher);
                    if !seen.insert(hasher.finish())
                        && entries
                            .iter()
                            .any(|(k, _)| matches!(&k.value, Value::Str(s) if *s == name))
                    {
                        return Err(self.error(span, &format!("duplicate mapping key `{name}`")));
                    }
                    *key = Some(Node {
                        value: Value::Str(name),
                        span: node.span,
                    });
                }
            },
        }
        Ok(())
    }

    fn range(&self, span: Span) -> (usize, usize) {
        let start = span
            .start
            .byte_offset()
            .unwrap_or_else(|| char_to_byte(self.text, span.start.index()))
            .min(self.text.len());
        let end = span
            .end
            .byte_offset()
            .unwrap_or_else(|| char_to_byte(self.text, span.end.index()))
            .clamp(start, self.text.len());
        (start, end - start)
    }

    fn error(&self, span: Span, message: &str) -> SyntaxError {
        SyntaxError {
            message: message.to_string(),
            offset: self.range(span).0,
            is_limit: false,
        }
    }

    fn limit(&self, span: Span, message: &str) -> SyntaxError {
        SyntaxError {
            is_limit: true,
            ..self.error(span, message)
        }
    }
}

/// A key as text: every scalar key is the text it was written as (`1`,
/// `true` and `null` keys included), as serde-saphyr reads keys into
/// strings; a collection is no key.
fn key_text(value: Value, span: &miette::SourceSpan, text: &str) -> Value {
    match value {
        Value::Str(s) => Value::Str(s),
        Value::Seq(_) | Value::Map(_) => value,
        _ => Value::Str(
            text.get(span.offset()..span.offset() + span.len())
                .unwrap_or_default()
                .to_string(),
        ),
    }
}

fn count(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(items) => items.iter().map(count).sum(),
        Value::Map(entries) => entries.iter().map(|(k, v)| count(k) + count(v)).sum(),
        _ => 0,
    }
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

fn scan_error(text: &str, e: &ScanError) -> SyntaxError {
    let m = e.marker();
    SyntaxError {
        message: e.info(),
        offset: m
            .byte_offset()
            .unwrap_or_else(|| char_to_byte(text, m.index()))
            .min(text.len()),
        is_limit: false,
    }
}

/// Types a scalar as serde-saphyr types one for an untyped value: quoted
/// and block scalars are text; a plain one is null, a boolean (YAML 1.1
/// spellings too), an integer or a float when it reads as one, else text.
fn resolve(value: Cow<'_, str>, style: ScalarStyle) -> Value {
    if style != ScalarStyle::Plain {
        return Value::Str(value.into_owned());
    }
    let t = value.trim();
    if matches!(t, "" | "~" | "null" | "Null" | "NULL") {
        return Value::Null;
    }
    if let Some(b) = yaml11_bool(t) {
        return Value::Bool(b);
    }
    if let Some(i) = integer(t) {
        return i;
    }
    // `012` is text (a zip code, a version part), not octal or twelve.
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if unsigned.len() > 1
        && unsigned.starts_with('0')
        && unsigned.bytes().all(|b| b.is_ascii_digit())
    {
        return Value::Str(value.into_owned());
    }
    if let Some(f) = float(t) {
        return Value::Float(f);
    }
    Value::Str(value.into_owned())
}

fn yaml11_bool(t: &str) -> Option<bool> {
    let is = |words: &[&str]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    if is(&["true", "yes", "y", "on"]) {
        Some(true)
    } else if is(&["false", "no", "n", "off"]) {
        Some(false)
    } else {
        None
    }
}

/// Decimal (no leading zero), `0x`, `0o` or `0b` integers with `_`
/// separators; one past `i64` is a float, as serde-saphyr hands it over.
fn integer(t: &str) -> Option<Value> {
    let (negative, rest) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if let Some(d) = rest.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = rest.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = rest.strip_prefix("0b") {
        (2, d)
    } else {
        if rest.len() > 1 && rest.starts_with('0') {
            return None;
        }
        (10, rest)
    };
    if !digits.chars().all(|c| c == '_' || c.is_digit(radix))
        || !digits.chars().any(|c| c.is_digit(radix))
    {
        return None;
    }
    let magnitude = u128::from_str_radix(&digits.replace('_', ""), radix).ok()?;
    let signed = if negative {
        -(i128::try_from(magnitude).ok()?)
    } else {
        i128::try_from(magnitude).ok()?
    };
    Some(match i64::try_from(signed) {
        Ok(i) => Value::Int(i),
        Err(_) => Value::Float(signed as f64),
    })
}

/// YAML floats: digits with a point or an exponent, and `.inf`, `.nan`.
fn float(t: &str) -> Option<f64> {
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    match unsigned {
        ".inf" | ".Inf" | ".INF" => {
            return Some(if t.starts_with('-') {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            });
        }
        ".nan" | ".NaN" | ".NAN" if unsigned.len() == t.len() => return Some(f64::NAN),
        _ => {}
    }
    let ok = unsigned.bytes().any(|b| b.is_ascii_digit())
        && unsigned
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-' | b'_'));
    if !ok {
        return None;
    }
    t.replace('_', "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(t: &str) -> Value {
        resolve(Cow::Borrowed(t), ScalarStyle::Plain)
    }

    #[test]
    fn plain_scalars_are_typed_as_serde_saphyr_types_them() {
        assert!(matches!(scalar("~"), Value::Null));
        assert!(matches!(scalar("NO"), Value::Bool(false)));
        assert!(matches!(scalar("On"), Value::Bool(true)));
        assert!(matches!(scalar("12"), Value::Int(12)));
        assert!(matches!(scalar("-0x1f"), Value::Int(-31)));
        assert!(matches!(scalar("1_000"), Value::Int(1000)));
        assert!(matches!(scalar("012"), Value::Str(_)));
        assert!(matches!(scalar("1.10"), Value::Float(_)));
        assert!(matches!(scalar("-.inf"), Value::Float(f) if f == f64::NEG_INFINITY));
        assert!(matches!(scalar("inf"), Value::Str(_)));
        assert!(matches!(scalar("2025-01-01"), Value::Str(_)));
        assert!(matches!(scalar("1.2.3"), Value::Str(_)));
        assert!(matches!(scalar("18446744073709551616"), Value::Float(_)));
        assert!(matches!(
            resolve(Cow::Borrowed("true"), ScalarStyle::DoubleQuoted),
            Value::Str(_)
        ));
    }

    fn limits() -> Limits {
        Limits {
            depth: 24,
            nodes: 1000,
            aliases: 10,
            events: 2000,
            documents: 4,
        }
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second() {
        let text = "a: 1\nb: 2\na: 3\n";
        let e = parse(text, limits()).unwrap_err();
        assert!(
            e.message.contains("duplicate mapping key `a`"),
            "{}",
            e.message
        );
        assert_eq!(e.offset, 10);
    }

    #[test]
    fn aliases_are_copies_of_their_anchor() {
        let docs = parse("a: &x [1, 2]\nb: *x\n", limits()).unwrap();
        let Value::Map(e) = &docs[0].value else {
            panic!()
        };
        assert!(matches!(&e[1].1.value, Value::Seq(items) if items.len() == 2));
    }
}
