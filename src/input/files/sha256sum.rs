//! Digest lists in the formats `sha256sum` writes, so an auditor can feed
//! digests computed elsewhere (on the devices, by another tool):
//!
//! - GNU: `<64 hex>  name` (text mode) or `<64 hex> *name` (binary mode);
//! - BSD and `sha256sum --tag`: `SHA256 (name) = <64 hex>`.
//!
//! In both, a line that starts with `\` has an escaped name (`\\`, `\n`,
//! `\r`), as coreutils writes names holding those characters. Blank lines
//! and `#` comments hold nothing. A line of another shape or digest (an
//! `md5sum` line, a `SHA512 (…)` tag) is passed over and counted, never
//! dropped silently. Each digest is a file item at its line.
//!
//! Lines are independent, so a large list is read in chunks on every core.

use std::borrow::Cow;
use std::sync::Arc;

use crate::ident::Sha256;
use crate::input::item::{FileView, ItemView};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, Record, RecordFormat, RecordReader};
use crate::input::sink::{At, Flow, Sink};

pub static SPEC: FormatSpec = FormatSpec {
    name: "sha256sum",
    evidence: Evidence::Files,
    description: "sha256 digest list: `sha256sum` output, GNU or BSD (`--tag`) lines",
    names: &["SHA256SUMS", "*.sha256", "*.sha256sum", "*.sha256sums"],
    maybe: &[],
    sniff: None,
    shape: Some(looks_like),
    reader: Reader::Records(&List),
};

const LINE_HELP: &str = "write `<64 hex>  name` (or ` *name`) as `sha256sum` prints it, \
     or `SHA256 (name) = <64 hex>` as `sha256sum --tag` does";

/// The length of a sha256 digest in hex.
const HEX: usize = 64;

struct List;

impl RecordFormat for List {
    fn start(
        &self,
        _source: &Arc<str>,
        _header: Option<&str>,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        Ok(Box::new(List))
    }
}

impl RecordReader for List {
    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow {
        parse_record(record, sink)
    }

    fn holds_item(&self, line: &[u8]) -> bool {
        line.iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b != b'#')
    }
}

/// One line's entry: the digest's place in the line and the file's name.
#[derive(Debug, PartialEq, Eq)]
struct Entry<'a> {
    digest_at: usize,
    name: Cow<'a, str>,
}

/// Why a line is no entry: the part of the line to point at.
#[derive(Debug, PartialEq, Eq)]
struct Bad {
    offset: usize,
    len: usize,
    message: String,
}

impl Bad {
    fn whole(line: &str, message: impl Into<String>) -> Bad {
        Bad {
            offset: 0,
            len: line.len(),
            message: message.into(),
        }
    }
}

/// Reads one line: `Ok(None)` for a blank line or a comment.
fn parse(line: &str) -> Result<Option<Entry<'_>>, Bad> {
    let trimmed = line.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Ok(None);
    }
    let (escaped, body, start) = match line.strip_prefix('\\') {
        Some(rest) => (true, rest, 1),
        None => (false, line, 0),
    };
    let (digest_at, name) = if let Some(tagged) = body.strip_prefix("SHA256 (") {
        // The name may hold `) = ` itself: the digest follows the last one.
        let Some(close) = tagged.rfind(") = ") else {
            return Err(Bad::whole(line, "a `SHA256 (` tag without `) = <digest>`"));
        };
        let digest_at = start + "SHA256 (".len() + close + ") = ".len();
        check_digest(&line[digest_at..], digest_at)?;
        (digest_at, &tagged[..close])
    } else if let Some(open) = body.find(" (").filter(|&i| is_tag(&body[..i])) {
        return Err(Bad {
            offset: start,
            len: open,
            message: format!(
                "a {} digest: banscan matches sha256 digests only",
                &body[..open]
            ),
        });
    } else {
        let end = body.find([' ', '\t']).unwrap_or(body.len());
        let digest_at = start;
        let rest = &body[end..];
        // GNU: one space, then a space (text) or `*` (binary), then the name.
        let name = rest
            .strip_prefix(' ')
            .and_then(|r| r.strip_prefix([' ', '*']))
            .filter(|n| !n.is_empty());
        check_digest(&body[..end], digest_at)?;
        let Some(name) = name else {
            return Err(Bad::whole(
                line,
                "a digest without `  name` or ` *name` after it",
            ));
        };
        (digest_at, name)
    };
    let name = if escaped {
        unescape(name).ok_or_else(|| {
            Bad::whole(
                line,
                "a name with a `\\` escape other than `\\\\`, `\\n` or `\\r`",
            )
        })?
    } else {
        Cow::Borrowed(name)
    };
    Ok(Some(Entry { digest_at, name }))
}

/// Whether `word` is the algorithm of a BSD tag line (`MD5`, `SHA1`,
/// `SHA512`, `BLAKE2b-256`...).
fn is_tag(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 16
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn check_digest(token: &str, at: usize) -> Result<(), Bad> {
    match Sha256::parse(token) {
        Ok(_) if token.len() == HEX => Ok(()),
        Ok(_) => Err(Bad {
            offset: at,
            len: token.len(),
            message: format!("`{token}` is not a sha256 digest (64 hexadecimal characters)"),
        }),
        Err(e) => Err(Bad {
            offset: at,
            len: token.len(),
            message: e.to_string(),
        }),
    }
}

/// A coreutils-escaped name: `\\`, `\n` and `\r`; `None` for any other
/// escape.
fn unescape(name: &str) -> Option<Cow<'_, str>> {
    if !name.contains('\\') {
        return Some(Cow::Borrowed(name));
    }
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            '\\' => '\\',
            'n' => '\n',
            'r' => '\r',
            _ => return None,
        });
    }
    Some(Cow::Owned(out))
}

fn parse_record(record: Record<'_>, sink: &mut dyn Sink) -> Flow {
    let line = record.text;
    match parse(line) {
        Ok(None) => Flow::Continue,
        Ok(Some(entry)) => {
            let hex = &line[entry.digest_at..entry.digest_at + HEX];
            let Ok(sha256) = Sha256::parse(hex) else {
                // `parse` checked it.
                return Flow::Continue;
            };
            sink.item(
                ItemView::File(FileView {
                    sha256: &sha256,
                    name: Some(&entry.name),
                }),
                At {
                    source: record.source,
                    text: line,
                    line: record.line,
                    offset: entry.digest_at,
                    len: HEX,
                    byte: record.byte,
                },
            )
        }
        Err(bad) => sink.skip(
            InputProblem::line(
                record.source,
                record.line,
                line,
                bad.offset,
                bad.len.max(1),
                bad.message,
                LINE_HELP,
            ),
            line,
        ),
    }
}

/// How many content lines the shape looks at.
const SHAPE_LINES: usize = 20;

/// Whether most of the first content lines are digest lines: 64 hex
/// characters and a name, a shape no prose or config has.
pub fn looks_like(text: &str) -> bool {
    let (mut seen, mut fit) = (0, 0);
    for line in text
        .lines()
        .filter(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .take(SHAPE_LINES)
    {
        seen += 1;
        fit += usize::from(matches!(parse(line.trim_end_matches('\r')), Ok(Some(_))));
    }
    fit > 0 && fit * 10 >= seen * 8
}

#[cfg(test)]
#[path = "sha256sum_tests.rs"]
mod tests;
