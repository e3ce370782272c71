//! What the JSON-lines logs (Zeek's JSON mode, Suricata's eve.json) share:
//! finding a value in the line as written, for the column a finding
//! points at and for a time kept as the log writes it, and the cheap
//! shape check of a line a prefilter passes over unread.

use crate::input::registry::{Misfit, Record};
use crate::input::sink::{Flow, Sink};

/// Where the string `value` (decoded) stands in `line`, as the value of
/// the first `"key":` at or after `from` that holds it: the byte span
/// inside its quotes. The whole line when the value is written with
/// escapes (`\u002e`), which only a parser could locate.
pub fn span_of(line: &str, from: usize, key: &str, value: &str) -> (usize, usize) {
    let mut at = from;
    while let Some(start) = value_start(line, at, key) {
        if let Some(inner) = line[start..].strip_prefix('"')
            && inner.starts_with(value)
            && inner[value.len()..].starts_with('"')
        {
            return (start + 1, value.len());
        }
        at = start;
    }
    (0, line.len())
}

/// The offset of the value after the first `"key":` at or after `from`
/// (spaces allowed around the colon).
pub fn value_start(line: &str, from: usize, key: &str) -> Option<usize> {
    let quoted = format!("\"{key}\"");
    let mut at = from;
    while let Some(i) = line.get(at..).and_then(|rest| rest.find(&quoted)) {
        let after = at + i + quoted.len();
        let rest = &line[after..];
        let trimmed = rest.trim_start();
        if let Some(value) = trimmed.strip_prefix(':') {
            let value = value.trim_start();
            return Some(line.len() - value.len());
        }
        at = after;
    }
    None
}

/// The scalar after `"key":` as written: a number's digits, or a
/// string's text without its quotes (a time: `1714550400.123456`,
/// `"2024-05-01T10:00:00.000000+0000"`). `None` for a missing key, a
/// `null` or an empty string.
pub fn raw_scalar<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = &line[value_start(line, 0, key)?..];
    let raw = match rest.strip_prefix('"') {
        Some(inner) => &inner[..inner.find('"')?],
        None => {
            let end = rest
                .find(|c: char| c == ',' || c == '}' || c.is_whitespace())
                .unwrap_or(rest.len());
            &rest[..end]
        }
    };
    Some(raw).filter(|r| !r.is_empty() && *r != "null")
}

/// A line a prefilter passes over is still one whole, valid JSON object:
/// a cut-off or corrupt line is skipped whatever the policies, as when
/// parsed, so the skipped count and the literal search over skipped lines
/// are the same with the prefilter and without (a fuzzing find, issue 17).
/// The syntax pass builds nothing.
pub fn check_object(line: &[u8], help: &'static str) -> Option<Misfit> {
    let trimmed = line.trim_ascii();
    if trimmed.is_empty() {
        return None;
    }
    if !(trimmed.starts_with(b"{") && trimmed.ends_with(b"}")) {
        return Some(Misfit {
            message: "this line is not one whole JSON object (cut off?); it was not read"
                .to_string(),
            help,
        });
    }
    serde_json::from_slice::<serde::de::IgnoredAny>(trimmed)
        .err()
        .map(|e| Misfit {
            message: format!("this line is not valid JSON; it was not read: {e}"),
            help,
        })
}

/// A record of a JSON-lines log read as `T`: `Err` with the flow to
/// return for a blank line (nothing) and for a line that is no JSON object
/// or does not parse (passed over, with why).
pub fn parse<'a, T: serde::Deserialize<'a>>(
    record: &Record<'a>,
    sink: &mut dyn Sink,
    help: &'static str,
) -> Result<T, Flow> {
    let trimmed = record.text.trim();
    if trimmed.is_empty() {
        return Err(Flow::Continue);
    }
    if !trimmed.starts_with('{') {
        return Err(record.skip(
            sink,
            "this line is not a JSON object; it was not read".to_string(),
            help,
        ));
    }
    serde_json::from_str(record.text).map_err(|e| record.skip(sink, parse_error(&e), help))
}

/// Why a line did not parse, in words: a cut-off line or another error.
pub fn parse_error(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Eof => {
            "this line ends in the middle of its JSON (cut off?); it was not read"
        }
        serde_json::error::Category::Data => {
            "this line's JSON does not have the shape of this log; it was not read"
        }
        _ => "this line is not valid JSON; it was not read",
    };
    format!("{what}: {e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_scalars() {
        let line = r#"{"ts":1714550400.5, "uid":"C1","query" : "a.example","n":null,"t":"x"}"#;
        let (at, len) = span_of(line, 0, "query", "a.example");
        assert_eq!(&line[at..at + len], "a.example");
        assert_eq!(span_of(line, 0, "query", "b.example"), (0, line.len()));
        assert_eq!(span_of(line, 0, "host", "a.example"), (0, line.len()));
        assert_eq!(raw_scalar(line, "ts"), Some("1714550400.5"));
        assert_eq!(raw_scalar(line, "uid"), Some("C1"));
        assert_eq!(raw_scalar(line, "n"), None);
        assert_eq!(raw_scalar(line, "t"), Some("x"));
        assert_eq!(raw_scalar(line, "missing"), None);
        // A key's name inside a value is no key.
        let tricky = r#"{"uri":"/?\"query\"=1","query":"b.example"}"#;
        let (at, len) = span_of(tricky, 0, "query", "b.example");
        assert_eq!(&tricky[at..at + len], "b.example");
    }

    #[test]
    fn whole_objects_only() {
        assert!(check_object(b"{\"a\":1}", "h").is_none());
        assert!(check_object(b"  ", "h").is_none());
        assert!(check_object(b"{\"a\":", "h").is_some());
        assert!(check_object(b"garbage", "h").is_some());
        // Braces at both ends are not enough.
        assert!(check_object(b"{\"a\":1 \"b\"}", "h").is_some());
    }
}
