//! Positions in JSON files read with serde_json, which gives none: a line
//! index, the problem for a file serde could not read, and one O(n) pass
//! of a small tokenizer over (then known valid) JSON recording where
//! chosen string values start, by JSON pointer (`/components/0/purl`).

use std::collections::HashMap;
use std::sync::Arc;

use crate::input::problem::InputProblem;
use crate::input::source::Opened;

/// The whole file as text; a read error or bytes that are not UTF-8 are
/// the problem.
pub(super) fn read_utf8(name: &Arc<str>, mut opened: Opened) -> Result<String, InputProblem> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut opened.reader, &mut bytes).map_err(|e| {
        InputProblem::file(
            name,
            format!("reading `{name}` failed: {e}"),
            "check the file and the device it is on",
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let lines = LineIndex::new(bytes);
        let (line, start, end) = lines.line_of(bytes, at);
        crate::input::lines::not_utf8(name, line, &bytes[start..end], at - start)
    })
}

/// Byte offsets of line starts, for turning a byte offset into a line.
pub(super) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(super) fn new(bytes: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `at`, and its bounds without the line
    /// ending.
    pub(super) fn line_of(&self, bytes: &[u8], at: usize) -> (u64, usize, usize) {
        let line = self.starts.partition_point(|&s| s <= at).max(1);
        let (start, end) = self.bounds(bytes, line);
        (line as u64, start, end)
    }

    /// Bounds of 1-based line `line`, without its line ending.
    pub(super) fn bounds(&self, bytes: &[u8], line: usize) -> (usize, usize) {
        let i = line.clamp(1, self.starts.len()) - 1;
        let start = self.starts[i];
        let mut end = self.starts.get(i + 1).map_or(bytes.len(), |&next| next - 1);
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        (start, end.max(start))
    }
}

/// A string's bytes, quotes included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Span {
    pub start: usize,
    pub end: usize,
}

/// The problem for a file serde_json could not read, at its line and
/// column; `what` names the file (`the lockfile`, `the SBOM`).
pub(super) fn syntax(
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
    InputProblem::line(name, line as u64, line_text, column, 1, message, help)
}

/// A key's text: its raw bytes, unescaped only when it has escapes.
pub(super) fn key_text(raw: &[u8]) -> std::borrow::Cow<'_, str> {
    if raw.contains(&b'\\') {
        let quoted = [b"\"", raw, b"\""].concat();
        serde_json::from_slice::<String>(&quoted)
            .map_or(std::borrow::Cow::Borrowed(""), std::borrow::Cow::Owned)
    } else {
        String::from_utf8_lossy(raw)
    }
}

/// Where an object key or array element is, for building pointers.
enum Frame {
    Object {
        key: Option<String>,
        expecting_key: bool,
    },
    Array {
        index: usize,
    },
}

/// One pass over valid JSON: the span of every string value whose key
/// `wanted` accepts, by the JSON pointer of the value (`/a/0/purl`; keys
/// are not `~`-escaped). A later duplicate key wins, as serde reads it.
pub(super) fn string_values(bytes: &[u8], wanted: impl Fn(&str) -> bool) -> HashMap<String, Span> {
    let mut out = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let raw = &bytes[start + 1..i.min(bytes.len())];
                let span = Span {
                    start,
                    end: (i + 1).min(bytes.len()),
                };
                match stack.last_mut() {
                    Some(Frame::Object { key, expecting_key }) if *expecting_key => {
                        *expecting_key = false;
                        *key = Some(key_text(raw).into_owned());
                    }
                    Some(Frame::Object { key: Some(k), .. }) if wanted(k) => {
                        out.insert(pointer(&stack), span);
                    }
                    _ => {}
                }
            }
            b'{' => stack.push(Frame::Object {
                key: None,
                expecting_key: true,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { expecting_key, .. }) => *expecting_key = true,
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    out
}

fn pointer(stack: &[Frame]) -> String {
    let mut p = String::new();
    for f in stack {
        p.push('/');
        match f {
            Frame::Object { key, .. } => p.push_str(key.as_deref().unwrap_or("")),
            Frame::Array { index } => p.push_str(&index.to_string()),
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

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
