//! The classic (Yarn 1) syntax, read line by line.
//!
//! Yarn 1 writes blocks separated by blank lines: a key line at column 0
//! listing comma-separated descriptors and ending in `:`, then fields
//! indented by two spaces, `key value` (the value quoted when it holds
//! anything but a plain word), or `key:` opening a map one level deeper.
//! Comments are whole lines starting with `#`. Yarn's own parser also
//! takes a colon between key and value; so does this one.

use std::ops::Range;

use super::{Entry, Kind, LineIndex, REGENERATE, package_name};
use crate::input::problem::InputProblem;
use crate::input::source::Source;

/// One token of a line, with its byte span in the text.
#[derive(Debug, PartialEq)]
enum Tok {
    Word(String),
    Colon,
    Comma,
}

/// A line that cannot be read: where and why.
struct Bad {
    span: Range<usize>,
    why: String,
}

fn bad(span: Range<usize>, why: impl Into<String>) -> Bad {
    Bad {
        span,
        why: why.into(),
    }
}

/// The tokens of one line's content, which starts at byte `base`.
fn tokens(line: &str, base: usize) -> Result<Vec<(Tok, Range<usize>)>, Bad> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\r' => i += 1,
            b':' => {
                out.push((Tok::Colon, base + i..base + i + 1));
                i += 1;
            }
            b',' => {
                out.push((Tok::Comma, base + i..base + i + 1));
                i += 1;
            }
            b'"' => {
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                if j >= bytes.len() {
                    return Err(bad(
                        base + i..base + line.len(),
                        "a quoted string is not closed",
                    ));
                }
                let raw = &line[i..=j];
                let value: String = serde_json::from_str(raw)
                    .map_err(|_| bad(base + i..base + j + 1, "a quoted string has a bad escape"))?;
                out.push((Tok::Word(value), base + i..base + j + 1));
                i = j + 1;
            }
            _ => {
                let end = line[i..]
                    .find(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | '"'))
                    .map_or(line.len(), |e| i + e);
                if end == i {
                    // Whitespace the arms above do not name (a vertical
                    // tab, a form feed, U+00A0): passed over like a space,
                    // or this loop would push empty words until memory
                    // runs out (found by fuzzing).
                    i += line[i..].chars().next().map_or(1, char::len_utf8);
                    continue;
                }
                out.push((Tok::Word(line[i..end].to_string()), base + i..base + end));
                i = end;
            }
        }
    }
    Ok(out)
}

/// What a line says.
enum Line {
    /// `a, b:` at column 0: an entry key and its descriptors' spans.
    Key(Vec<(String, Range<usize>)>),
    /// `key:` opening a map.
    Open(String),
    /// `key value`.
    Field(String, String),
}

fn line_of(toks: Vec<(Tok, Range<usize>)>, depth: usize, end: usize) -> Result<Line, Bad> {
    let mut it = toks.into_iter().peekable();
    let Some((Tok::Word(first), first_span)) = it.next() else {
        return Err(bad(end..end, "expected a key"));
    };
    if depth == 0 {
        let mut keys = vec![(first, first_span)];
        loop {
            match it.next() {
                Some((Tok::Comma, _)) => match it.next() {
                    Some((Tok::Word(w), span)) => keys.push((w, span)),
                    other => {
                        let at = other.map_or(end..end, |t| t.1);
                        return Err(bad(at, "expected a descriptor after the comma"));
                    }
                },
                Some((Tok::Colon, span)) => {
                    if let Some((_, extra)) = it.next() {
                        return Err(bad(extra, "an entry key line ends at its colon"));
                    }
                    let _ = span;
                    return Ok(Line::Key(keys));
                }
                Some((_, span)) => {
                    return Err(bad(span, "expected `,` or `:` after a descriptor"));
                }
                None => {
                    return Err(bad(end..end, "an entry key line ends with `:`"));
                }
            }
        }
    }
    if matches!(it.peek(), Some((Tok::Colon, _))) {
        it.next();
        if it.peek().is_none() {
            return Ok(Line::Open(first));
        }
    }
    match it.next() {
        Some((Tok::Word(value), _)) => match it.next() {
            None => Ok(Line::Field(first, value)),
            Some((_, span)) => Err(bad(span, "a field has one key and one value")),
        },
        Some((_, span)) => Err(bad(span, "expected a value")),
        None => Err(bad(end..end, "expected a value or `:`")),
    }
}

/// Which map a depth-1 `key:` line opened.
#[derive(Clone, Copy, PartialEq)]
enum Section {
    Dependencies,
    Other,
}

/// Reads every entry of a classic lock; a line it cannot read is the
/// file's one problem.
pub(super) fn entries(
    source: &Source,
    text: &str,
    index: &LineIndex<'_>,
) -> Result<Vec<Entry>, InputProblem> {
    let problem = |b: Bad| {
        index.problem(
            source,
            b.span,
            format!("not a valid yarn.lock: {}", b.why),
            format!("the file may be cut short or edited by hand; {REGENERATE}"),
        )
    };
    let mut entries: Vec<Entry> = Vec::new();
    // The current entry's version, and the deepest level the next line
    // may be at.
    let mut version: Option<String> = None;
    let mut deepest = 0;
    let mut section = Section::Other;
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let line_start = start;
        start += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if content.starts_with('\t') {
            let at = line_start + indent;
            return Err(problem(bad(at..at + 1, "a tab in the indentation")));
        }
        if indent % 2 == 1 || indent / 2 > deepest {
            let at = line_start + indent;
            return Err(problem(bad(
                line_start..at.max(line_start + 1),
                "the indentation does not fit the line above",
            )));
        }
        let depth = indent / 2;
        if depth > 0
            && let Some(entry) = entries.last_mut()
        {
            entry.record.end = start;
        }
        let toks = tokens(content, line_start + indent).map_err(problem)?;
        let parsed = line_of(toks, depth, line_start + line.len()).map_err(problem)?;
        match (depth, parsed) {
            (0, Line::Key(keys)) => {
                finish(&mut entries, version.take());
                let span = keys[0].1.clone();
                entries.push(Entry {
                    key: span,
                    record: line_start..start,
                    descriptors: keys.into_iter().map(|k| k.0).collect(),
                    kind: Kind::Incomplete("has no version"),
                    deps: Vec::new(),
                });
                deepest = 1;
            }
            (1, Line::Field(key, value)) => {
                if key == "version" {
                    version = Some(value);
                }
                deepest = 1;
            }
            (1, Line::Open(key)) => {
                section = if matches!(key.as_str(), "dependencies" | "optionalDependencies") {
                    Section::Dependencies
                } else {
                    Section::Other
                };
                deepest = 2;
            }
            (2, Line::Field(name, range)) => {
                if section == Section::Dependencies
                    && let Some(entry) = entries.last_mut()
                {
                    entry.deps.push((name, range));
                }
                deepest = 2;
            }
            (_, Line::Open(_)) => deepest = depth + 1,
            (_, _) => deepest = depth,
        }
    }
    finish(&mut entries, version);
    Ok(entries)
}

/// Settles the last entry read once its block ends: a package when it has
/// a version and its first descriptor names one.
fn finish(entries: &mut [Entry], version: Option<String>) {
    let Some(entry) = entries.last_mut() else {
        return;
    };
    let name = entry
        .descriptors
        .first()
        .and_then(|d| package_name(d))
        .map(str::to_string);
    entry.kind = match (name, version) {
        (Some(name), Some(version)) if !version.trim().is_empty() => Kind::Package(name, version),
        (None, _) => Kind::Incomplete("names no package (`name@range`)"),
        _ => Kind::Incomplete("has no version"),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quoted words are JSON strings; bare words stop at `:`, `,` and
    /// spaces.
    #[test]
    fn tokens_of_a_key_line() {
        let toks = tokens(r#""@a/b@^1.0.0", c@~2:"#, 0).unwrap_or_else(|_| panic!());
        let kinds: Vec<Tok> = toks.into_iter().map(|t| t.0).collect();
        assert_eq!(
            kinds,
            [
                Tok::Word("@a/b@^1.0.0".into()),
                Tok::Comma,
                Tok::Word("c@~2".into()),
                Tok::Colon
            ]
        );
        assert!(tokens(r#"version "1.0"#, 0).is_err());
    }

    /// Whitespace other than space, tab and `\r` separates words too; it
    /// once made an empty word again and again, without end.
    #[test]
    fn other_whitespace_separates_words() {
        let toks = tokens("a\u{b}b\u{c}\u{a0}c:", 0).unwrap_or_else(|_| panic!());
        let kinds: Vec<Tok> = toks.into_iter().map(|t| t.0).collect();
        assert_eq!(
            kinds,
            [
                Tok::Word("a".into()),
                Tok::Word("b".into()),
                Tok::Word("c".into()),
                Tok::Colon
            ]
        );
    }
}
