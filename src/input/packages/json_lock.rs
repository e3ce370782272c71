//! What the JSON readers (package-lock.json, Pipfile.lock, composer.lock,
//! NuGet's packages.lock.json, and the CycloneDX and SPDX SBOMs) share: reading the file as
//! UTF-8, parsing it with serde_json (a syntax error or a cut file is one
//! problem at its line and column), objects read in file order
//! ([`InOrder`]), one line index, and one O(n) pass of a small tokenizer
//! over the (then known valid) bytes that reports where each key starts
//! with the keys and array indices above it ([`keys`]), since serde gives
//! no positions.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use crate::input::item::{ItemView, Package};
use crate::input::problem::InputProblem;
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Opened, Source};

/// Reads a whole source as UTF-8 text; bytes that are not UTF-8 are a
/// problem at their line.
pub fn read_text(source: &Source, opened: Opened) -> Result<String, InputProblem> {
    let name = &source.name;
    let max_depth = opened.max_depth;
    let bytes = opened.read_whole(source)?;
    if let Some(at) = too_deep(&bytes, max_depth) {
        let lines = LineIndex::new(&bytes);
        let (line, start, end) = lines.line_of(&bytes, at);
        let text = String::from_utf8_lossy(&bytes[start..end]);
        return Err(InputProblem::line(
            name,
            line,
            &text,
            at - start,
            1,
            format!("the JSON nests deeper than {max_depth} levels here"),
            "no lockfile, SBOM or export nests this deep: check the file is what its name says, or lower the nesting; --max-depth sets the limit (at most 128)",
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let lines = LineIndex::new(bytes);
        let (line, start, end) = lines.line_of(bytes, at);
        crate::input::lines::not_utf8(name, line, &bytes[start..end], at - start)
    })
}

/// Where JSON text first nests deeper than `max` arrays and objects,
/// outside strings; found in one pass before parsing, so a 100,000-level
/// file is refused at once with its place.
pub fn too_deep(bytes: &[u8], max: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The line index of a lockfile's text; `None` for an empty file, which
/// is a warning (nothing was lost) saying how to `regenerate` it.
pub fn lines_unless_empty(
    name: &Arc<str>,
    text: &str,
    sink: &mut dyn Sink,
    regenerate: &str,
) -> Option<LineIndex> {
    if text.trim().is_empty() {
        sink.problem(
            InputProblem::file(
                name,
                "the lockfile is empty: it lists no packages",
                regenerate,
            )
            .warning(),
        );
        return None;
    }
    Some(LineIndex::new(text.as_bytes()))
}

/// Parses `text` into `T`; a syntax error or a truncated file is a
/// problem at its line and column, with `help`.
pub fn parse<'de, T: Deserialize<'de>>(
    name: &Arc<str>,
    text: &'de str,
    lines: &LineIndex,
    help: &str,
) -> Result<T, InputProblem> {
    serde_json::from_str(text).map_err(|e| syntax(name, text, lines, &e, "the lockfile", help))
}

/// The problem for a file serde_json could not read, at its line and
/// column; `what` names the file (`the lockfile`, `the SBOM`).
pub fn syntax(
    name: &Arc<str>,
    text: &str,
    lines: &LineIndex,
    e: &serde_json::Error,
    what: &str,
    help: &str,
) -> InputProblem {
    let line = e.line().max(1);
    let (start, end) = lines.bounds(text.as_bytes(), line);
    let line_text = &text[start..end];
    let column = e.column().saturating_sub(1).min(line_text.len());
    let message = match e.classify() {
        serde_json::error::Category::Eof => {
            format!("{what} ends in the middle of its JSON (truncated?): {e}; it was not read")
        }
        _ => format!("{what} cannot be read: {e}"),
    };
    InputProblem::line(
        name,
        line as u64,
        line_text,
        column,
        1,
        message,
        help.to_string(),
    )
}

/// Byte offsets of line starts, for turning a byte offset into a line.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(bytes: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `at`, and its bounds without the line
    /// ending.
    pub fn line_of(&self, bytes: &[u8], at: usize) -> (u64, usize, usize) {
        let line = self.starts.partition_point(|&s| s <= at).max(1);
        let (start, end) = self.bounds(bytes, line);
        (line as u64, start, end)
    }

    /// Bounds of 1-based line `line`, without its line ending.
    pub fn bounds(&self, bytes: &[u8], line: usize) -> (usize, usize) {
        let i = line.clamp(1, self.starts.len()) - 1;
        let start = self.starts[i];
        let mut end = self.starts.get(i + 1).map_or(bytes.len(), |&next| next - 1);
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        (start, end.max(start))
    }

    /// The place of a quoted string's content (`span` includes the
    /// quotes; a string with escapes is shown whole): line, line bounds,
    /// offset in the line and length.
    pub fn place(&self, text: &str, span: Span) -> Placed {
        let (line, start, end) = self.line_of(text.as_bytes(), span.start);
        let stop = span.end.min(end).max(span.start);
        let raw = &text[span.start..stop];
        let (offset, len) = match raw.strip_prefix('"').and_then(|k| k.strip_suffix('"')) {
            Some(inner) if !inner.contains('\\') && !inner.is_empty() => {
                (span.start + 1 - start, inner.len())
            }
            _ => (span.start - start, (stop - span.start).max(1)),
        };
        Placed {
            line,
            start,
            end,
            offset,
            len,
        }
    }
}

/// Where a string is: its line, the line's bounds, and the string's
/// offset and length in the line.
#[derive(Clone, Copy, Debug)]
pub struct Placed {
    pub line: u64,
    pub start: usize,
    pub end: usize,
    pub offset: usize,
    pub len: usize,
}

/// A JSON object's entries in file order, duplicates kept, so they line
/// up with the keys the tokenizer finds.
pub struct InOrder<T>(pub Vec<(String, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for InOrder<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = InOrder<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(InOrder(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// A key's (or string's) bytes, quotes included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// One step down into a JSON document: an object's key or an array's index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

impl Seg<'_> {
    /// Whether this step is the key `key`.
    pub fn is(&self, key: &str) -> bool {
        matches!(self, Seg::Key(k) if k == key)
    }

    pub fn key(&self) -> Option<&str> {
        match self {
            Seg::Key(k) => Some(k),
            Seg::Index(_) => None,
        }
    }
}

/// One pass over valid JSON calling `found(path, span)` for every object
/// key, in document order: `path` is the keys and array indices from the
/// top down to the key itself (its last step), `span` the key's bytes.
pub fn keys<'a>(bytes: &'a [u8], mut found: impl FnMut(&[Seg<'a>], Span)) {
    // One step per open container: the key or index of its current child.
    let mut path: Vec<Seg<'a>> = Vec::new();
    // Per open container: whether it is an object expecting a key.
    let mut expecting: Vec<Option<bool>> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if let (Some(Some(expect_key @ true)), Some(seg)) =
                    (expecting.last_mut(), path.last_mut())
                {
                    let raw = &bytes[start + 1..i.min(bytes.len())];
                    *expect_key = false;
                    *seg = Seg::Key(key_text(raw));
                    found(
                        &path,
                        Span {
                            start,
                            end: (i + 1).min(bytes.len()),
                        },
                    );
                }
            }
            b'{' => {
                path.push(Seg::Key(Cow::Borrowed("")));
                expecting.push(Some(true));
            }
            b'[' => {
                path.push(Seg::Index(0));
                expecting.push(None);
            }
            b'}' | b']' => {
                path.pop();
                expecting.pop();
            }
            b',' => match (expecting.last_mut(), path.last_mut()) {
                (Some(Some(e)), _) => *e = true,
                (Some(None), Some(Seg::Index(n))) => *n += 1,
                _ => {}
            },
            _ => {}
        }
        i += 1;
    }
}

/// The string value after the key ending at `key_end` (`"key": "value"`),
/// quotes included; `None` when the value is not a string.
pub fn string_after(bytes: &[u8], key_end: usize) -> Option<Span> {
    let mut i = key_end;
    while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b':') {
        i += 1;
    }
    if bytes.get(i) != Some(&b'"') {
        return None;
    }
    let start = i;
    i += 1;
    while i < bytes.len() && bytes[i] != b'"' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    Some(Span {
        start,
        end: (i + 1).min(bytes.len()),
    })
}

/// The span of every string value whose key `wanted` accepts, by the
/// JSON pointer of the value (`/a/0/purl`; keys are not `~`-escaped), in
/// one pass of [`keys`]. A later duplicate key wins, as serde reads it.
pub fn string_values(bytes: &[u8], wanted: impl Fn(&str) -> bool) -> HashMap<String, Span> {
    let mut out = HashMap::new();
    keys(bytes, |path, key| {
        let Some(last) = path.last().and_then(Seg::key) else {
            return;
        };
        if !wanted(last) {
            return;
        }
        if let Some(value) = string_after(bytes, key.end) {
            let mut pointer = String::new();
            for seg in path {
                pointer.push('/');
                match seg {
                    Seg::Key(k) => pointer.push_str(k),
                    Seg::Index(n) => pointer.push_str(&n.to_string()),
                }
            }
            out.insert(pointer, value);
        }
    });
    out
}

/// A key's text: its raw bytes, unescaped only when it has escapes.
pub fn key_text(raw: &[u8]) -> Cow<'_, str> {
    if raw.contains(&b'\\') {
        let quoted = [b"\"", raw, b"\""].concat();
        serde_json::from_slice::<String>(&quoted).map_or(Cow::Borrowed(""), Cow::Owned)
    } else {
        String::from_utf8_lossy(raw)
    }
}

/// Hands `package` to the sink at the string `span` (quotes included).
pub fn emit(
    sink: &mut dyn Sink,
    name: &Arc<str>,
    text: &str,
    lines: &LineIndex,
    span: Span,
    package: &Package,
) -> Flow {
    let p = lines.place(text, span);
    sink.item(
        ItemView::Package(package),
        At {
            source: name,
            text: &text[p.start..p.end],
            line: p.line,
            offset: p.offset,
            len: p.len,
            byte: p.start as u64,
        },
    )
}

/// Passes over a record at the string `span`, saying why.
pub fn skip(
    sink: &mut dyn Sink,
    name: &Arc<str>,
    text: &str,
    lines: &LineIndex,
    span: Span,
    message: String,
    help: &str,
) -> Flow {
    let p = lines.place(text, span);
    let line_text = &text[p.start..p.end];
    sink.skip(
        InputProblem::line(
            name,
            p.line,
            line_text,
            p.offset,
            p.len,
            message,
            help.to_string(),
        ),
        line_text,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys come with the keys and indices above them, whatever the
    /// layout, escapes and brackets inside strings included.
    /// Nesting is counted outside strings only, and refused one level past
    /// the limit, at its bracket (issue 17: 100,000 levels overflowed the
    /// stack of a recursive walker).
    #[test]
    fn nesting_past_the_limit_is_found() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(too_deep(deep(128).as_bytes(), 128), None);
        assert_eq!(too_deep(deep(129).as_bytes(), 128), Some(128));
        assert_eq!(too_deep(br#"{"a": "[[[[\"[[[[", "b": ["x"]}"#, 2), None);
        assert_eq!(too_deep(deep(100_000).as_bytes(), 128), Some(128));
    }

    #[test]
    fn keys_with_their_paths() {
        let text = r#"{"a":{"b":1,"c":[{"d":"}{"},{"e\u0066":[1,2]}]},"g":"h"}"#;
        let mut got = Vec::new();
        keys(text.as_bytes(), |path, span| {
            let steps: Vec<String> = path
                .iter()
                .map(|s| match s {
                    Seg::Key(k) => k.to_string(),
                    Seg::Index(n) => n.to_string(),
                })
                .collect();
            got.push(format!("{}@{}", steps.join("."), span.start));
        });
        assert_eq!(
            got,
            [
                "a@1",
                "a.b@6",
                "a.c@12",
                "a.c.0.d@18",
                "a.c.1.ef@29",
                "g@48"
            ]
        );
        assert_eq!(
            string_after(text.as_bytes(), 21),
            Some(Span { start: 22, end: 26 })
        );
    }

    #[test]
    fn pointers_of_wanted_values() {
        let text =
            r#"{"a":[{"purl":"x","b":{"purl":"y"}},{"c":[1,2],"purl":"z\"q"}],"purl":"top"}"#;
        let got = string_values(text.as_bytes(), |k| k == "purl");
        let at = |p: &str| {
            let s = got[p];
            &text[s.start..s.end]
        };
        assert_eq!(got.len(), 4);
        assert_eq!(at("/a/0/purl"), "\"x\"");
        assert_eq!(at("/a/0/b/purl"), "\"y\"");
        assert_eq!(at("/a/1/purl"), "\"z\\\"q\"");
        assert_eq!(at("/purl"), "\"top\"");
    }
}
