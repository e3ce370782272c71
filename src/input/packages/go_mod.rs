//! Go module files (`go.mod`).
//!
//! There is no maintained Rust parser of go.mod that keeps places, so the
//! file is read by a small tokenizer after Go's own
//! (`golang.org/x/mod/modfile`): a line is a directive and its arguments;
//! `//` starts a comment where a token could start; `(`, `)`, `[`, `]`,
//! `{`, `}` and `,` are tokens of their own; a module path may be quoted
//! (`"..."` with escapes, or `` `...` ``); `verb (` opens a block whose
//! lines each take `verb`'s arguments, and a line of `)` alone closes it.
//!
//! What is emitted:
//! - every `require path version` (single line or in a block) is one
//!   golang [`Package`], pointing at the module path on its line, with its
//!   version as Go writes it (`v1.2.3`, a pseudo-version
//!   `v0.0.0-20240101000000-abcdef123456`, or `v2.0.0+incompatible`):
//!   versions keep their `v`, as `pkg:golang` purls do; `direct` is
//!   `Some(false)` when the line's comment is `// indirect` (or starts
//!   `// indirect;`), else `Some(true)`; there is no dependency graph in
//!   go.mod, so `path` is empty;
//! - `replace old [v] => new v` is applied before matching, wherever it is
//!   in the file: the item of a require of `old` (of `old v` only, when the
//!   replace names a version; a versioned replace wins over an unversioned
//!   one) is the replacement module `new` at `v`, still pointing at the
//!   require line, since that line is why it is built;
//! - `replace old [v] => ./dir` (a local directory: `./`, `../` or an
//!   absolute path) builds code from the disk in place of `old`: it is no
//!   registry module, so the item stays the original module, with no
//!   version (the local copy has none); a ban on the module's name still
//!   applies to a copy of its code, and a version range cannot;
//! - `module`, `go`, `toolchain`, `exclude`, `retract`, `godebug`, `tool`,
//!   `ignore` and unknown directives are not dependencies and are passed
//!   over;
//! - a require or replace line Go would refuse (no version, a version
//!   without `v`, a replace without `=>`) is a skipped record, `)` without
//!   a block too; a block never closed is unread evidence at its opening
//!   line (what is inside was still read, as the lines of that directive,
//!   so no finding is lost).

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::toml_lock;
use crate::ident::Ecosystem;
use crate::input::item::{ItemView, Package};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "go-mod",
    evidence: Evidence::Packages,
    description: "Go module file (go.mod)",
    names: &["go.mod"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::go_mod),
    reader: Reader::Stream(read),
};

const HELP_REQUIRE: &str = "Go writes `require module/path v1.2.3` (or the same line inside \
     `require ( … )`); fix the line or run `go mod tidy`";
const HELP_REPLACE: &str = "Go writes `replace old/path [v1.2.3] => new/path v1.2.4` or \
     `replace old/path => ./local/dir`; fix the line or run `go mod tidy`";

fn read(
    source: &Source,
    opened: Opened,
    _limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = toml_lock::read_text(source, opened)?;
    parse(source, &text, sink);
    Ok(())
}

/// One line of the file.
#[derive(Clone, Copy)]
struct Line<'a> {
    number: u64,
    /// Byte offset of the line in the file.
    byte: u64,
    text: &'a str,
}

/// A token of a line: where it is and what it says (quotes removed).
#[derive(Debug)]
struct Tok<'a> {
    start: usize,
    end: usize,
    value: Cow<'a, str>,
    /// One of `()[]{},`.
    punct: bool,
}

impl Tok<'_> {
    fn is(&self, punct: &str) -> bool {
        self.punct && self.value == punct
    }
}

/// A line's tokens and its comment (the text after `//`).
struct Lexed<'a> {
    toks: Vec<Tok<'a>>,
    comment: Option<&'a str>,
}

/// Splits a line into tokens as Go's modfile lexer does; an unterminated
/// quote is an error at its byte offset.
fn lex(line: &str) -> Result<Lexed<'_>, usize> {
    let bytes = line.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if line[i..].starts_with("//") {
            return Ok(Lexed {
                toks,
                comment: Some(&line[i + 2..]),
            });
        }
        if matches!(c, b'(' | b')' | b'[' | b']' | b'{' | b'}' | b',') {
            toks.push(Tok {
                start: i,
                end: i + 1,
                value: Cow::Borrowed(&line[i..=i]),
                punct: true,
            });
            i += 1;
            continue;
        }
        if c == b'"' {
            let mut j = i + 1;
            let mut escaped = false;
            while j < bytes.len() && (escaped || bytes[j] != b'"') {
                escaped = !escaped && bytes[j] == b'\\';
                j += 1;
            }
            if j >= bytes.len() {
                return Err(i);
            }
            toks.push(Tok {
                start: i,
                end: j + 1,
                value: unescape(&line[i + 1..j]),
                punct: false,
            });
            i = j + 1;
            continue;
        }
        if c == b'`' {
            let Some(len) = line[i + 1..].find('`') else {
                return Err(i);
            };
            toks.push(Tok {
                start: i,
                end: i + len + 2,
                value: Cow::Borrowed(&line[i + 1..i + 1 + len]),
                punct: false,
            });
            i += len + 2;
            continue;
        }
        let mut j = i;
        while j < bytes.len()
            && !bytes[j].is_ascii_whitespace()
            && !matches!(
                bytes[j],
                b'(' | b')' | b'[' | b']' | b'{' | b'}' | b',' | b'"' | b'`'
            )
            && !bytes[j..].starts_with(b"//")
        {
            j += 1;
        }
        // A multi-byte character is never one of the stops above, so `j`
        // ends on a character boundary; it passes through the middle of
        // one on the way, so the comment is looked for in bytes, not in a
        // `str` slice from `j` (fuzzing found that panic).
        toks.push(Tok {
            start: i,
            end: j,
            value: Cow::Borrowed(&line[i..j]),
            punct: false,
        });
        i = j;
    }
    Ok(Lexed {
        toks,
        comment: None,
    })
}

/// The value of a `"..."` string: Go's common escapes; any other escaped
/// character stands for itself.
fn unescape(inner: &str) -> Cow<'_, str> {
    if !inner.contains('\\') {
        return Cow::Borrowed(inner);
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    Cow::Owned(out)
}

/// Whether a line's comment marks its require as indirect, as
/// `modfile.isIndirect` decides.
fn is_indirect(comment: Option<&str>) -> bool {
    comment.is_some_and(|c| {
        let c = c.trim();
        c == "indirect" || c.starts_with("indirect;")
    })
}

/// A local replacement: a directory path, as `modfile.IsDirectoryPath`
/// tells one (`./`, `../`, rooted, or a Windows drive).
fn is_directory_path(path: &str) -> bool {
    path == "."
        || path == ".."
        || path.starts_with("./")
        || path.starts_with("../")
        || path.starts_with(".\\")
        || path.starts_with("..\\")
        || path.starts_with('/')
        || path.starts_with('\\')
        || (path.len() >= 3
            && path.as_bytes()[0].is_ascii_alphabetic()
            && path.as_bytes()[1] == b':'
            && matches!(path.as_bytes()[2], b'/' | b'\\'))
}

/// One `require`d module.
struct Require<'a> {
    line: Line<'a>,
    path: String,
    version: String,
    /// Where the module path is on its line.
    start: usize,
    len: usize,
    direct: bool,
}

/// What a `replace` puts in place of a module.
#[derive(Clone)]
enum Target {
    Module { path: String, version: String },
    Local,
}

struct Replaces {
    /// `old` (any version) → its replacement.
    any: FxHashMap<String, Target>,
    /// `(old, version)` → its replacement.
    exact: FxHashMap<(String, String), Target>,
}

impl Replaces {
    fn of(&self, path: &str, version: &str) -> Option<&Target> {
        self.exact
            .get(&(path.to_string(), version.to_string()))
            .or_else(|| self.any.get(path))
    }
}

struct Parser<'s, 'a> {
    source: &'s Source,
    requires: Vec<Require<'a>>,
    replaces: Replaces,
    stopped: bool,
}

impl<'a> Parser<'_, 'a> {
    /// A record passed over, pointing at `start..end` of the line.
    fn skip(
        &mut self,
        sink: &mut dyn Sink,
        line: Line<'a>,
        start: usize,
        end: usize,
        message: String,
        help: &str,
    ) {
        let problem = InputProblem::line(
            &self.source.name,
            line.number,
            line.text,
            start,
            end.saturating_sub(start).max(1),
            format!("{message}; it was passed over"),
            help,
        );
        if sink.skip(problem, line.text) == Flow::Stop {
            self.stopped = true;
        }
    }

    /// The arguments of one `verb` line (the verb already taken off).
    fn directive(
        &mut self,
        sink: &mut dyn Sink,
        line: Line<'a>,
        verb: &str,
        args: &[Tok<'_>],
        comment: Option<&str>,
    ) {
        match verb {
            "require" => self.require(sink, line, args, comment),
            "replace" => self.replace(sink, line, args),
            _ => {}
        }
    }

    fn require(
        &mut self,
        sink: &mut dyn Sink,
        line: Line<'a>,
        args: &[Tok<'_>],
        comment: Option<&str>,
    ) {
        let (start, end) = span(line.text, args);
        match args {
            [path, version] if !path.punct && !version.punct && version.value.starts_with('v') => {
                let (start, len) = inside_quotes(line.text, path);
                self.requires.push(Require {
                    line,
                    path: path.value.to_string(),
                    version: version.value.to_string(),
                    start,
                    len,
                    direct: !is_indirect(comment),
                });
            }
            [path] if !path.punct => self.skip(
                sink,
                line,
                start,
                end,
                format!("the require of `{}` has no version", path.value),
                HELP_REQUIRE,
            ),
            [path, version] if !path.punct && !version.punct => self.skip(
                sink,
                line,
                version.start,
                version.end,
                format!(
                    "the require of `{}` has `{}` for a version, which does not start with `v`",
                    path.value, version.value
                ),
                HELP_REQUIRE,
            ),
            _ => self.skip(
                sink,
                line,
                start,
                end,
                "a require line that is not `module/path version`".to_string(),
                HELP_REQUIRE,
            ),
        }
    }

    fn replace(&mut self, sink: &mut dyn Sink, line: Line<'a>, args: &[Tok<'_>]) {
        let (start, end) = span(line.text, args);
        let arrow = args.iter().position(|t| !t.punct && t.value == "=>");
        let parsed = arrow.and_then(|at| {
            let (old, new) = (&args[..at], &args[at + 1..]);
            if old.iter().chain(new).any(|t| t.punct) {
                return None;
            }
            let old_version = match old {
                [_] => None,
                [_, v] if v.value.starts_with('v') => Some(v.value.to_string()),
                _ => return None,
            };
            let target = match new {
                [dir] if is_directory_path(&dir.value) => Target::Local,
                [path, v] if v.value.starts_with('v') => Target::Module {
                    path: path.value.to_string(),
                    version: v.value.to_string(),
                },
                _ => return None,
            };
            Some((old[0].value.to_string(), old_version, target))
        });
        match parsed {
            Some((old, None, target)) => {
                self.replaces.any.insert(old, target);
            }
            Some((old, Some(version), target)) => {
                self.replaces.exact.insert((old, version), target);
            }
            None => self.skip(
                sink,
                line,
                start,
                end,
                "a replace line that is not `old [version] => new version` or `old [version] => ./dir`"
                    .to_string(),
                HELP_REPLACE,
            ),
        }
    }
}

/// The bytes from the first to the last token (the line's end when there
/// is none).
fn span(text: &str, toks: &[Tok<'_>]) -> (usize, usize) {
    match (toks.first(), toks.last()) {
        (Some(a), Some(b)) => (a.start, b.end),
        _ => (text.len(), text.len()),
    }
}

/// A token's place without its quotes, when it has them.
fn inside_quotes(text: &str, tok: &Tok<'_>) -> (usize, usize) {
    let raw = &text[tok.start..tok.end];
    if raw.len() >= 2 && (raw.starts_with('"') || raw.starts_with('`')) {
        (tok.start + 1, raw.len() - 2)
    } else {
        (tok.start, raw.len())
    }
}

fn parse(source: &Source, text: &str, sink: &mut dyn Sink) {
    let mut parser = Parser {
        source,
        requires: Vec::new(),
        replaces: Replaces {
            any: FxHashMap::default(),
            exact: FxHashMap::default(),
        },
        stopped: false,
    };
    // The open block: its verb and its `verb (` line.
    let mut block: Option<(String, Line<'_>)> = None;
    let mut byte = 0usize;
    for (i, raw) in text.split('\n').enumerate() {
        let line = Line {
            number: i as u64 + 1,
            byte: byte as u64,
            text: raw.strip_suffix('\r').unwrap_or(raw),
        };
        byte += raw.len() + 1;
        let raw = if i == 0 {
            line.text.strip_prefix('\u{feff}').unwrap_or(line.text)
        } else {
            line.text
        };
        let bom = line.text.len() - raw.len();
        let lexed = match lex(raw) {
            Ok(lexed) => lexed,
            Err(at) => {
                parser.skip(
                    sink,
                    line,
                    bom + at,
                    line.text.len(),
                    "a quoted string that is never closed".to_string(),
                    "close the quote; Go refuses the file as it is",
                );
                if parser.stopped {
                    return;
                }
                continue;
            }
        };
        let mut toks = lexed.toks;
        for t in &mut toks {
            t.start += bom;
            t.end += bom;
        }
        let Some(first) = toks.first() else {
            continue;
        };
        if let Some((verb, _)) = &block {
            if toks.len() == 1 && first.is(")") {
                block = None;
            } else {
                let verb = verb.clone();
                parser.directive(sink, line, &verb, &toks, lexed.comment);
            }
        } else if first.is(")") {
            parser.skip(
                sink,
                line,
                first.start,
                first.end,
                "a `)` that closes no block".to_string(),
                "remove the `)` or open its block with `require (`",
            );
        } else if toks.len() == 2 && toks[1].is("(") && !first.punct {
            block = Some((first.value.to_string(), line));
        } else if !first.punct {
            let verb = first.value.to_string();
            parser.directive(sink, line, &verb, &toks[1..], lexed.comment);
        }
        if parser.stopped {
            return;
        }
    }

    for r in &parser.requires {
        let (name, version) = match parser.replaces.of(&r.path, &r.version) {
            Some(Target::Module { path, version }) => (path.as_str(), Some(version.as_str())),
            Some(Target::Local) => (r.path.as_str(), None),
            None => (r.path.as_str(), Some(r.version.as_str())),
        };
        let package = Package {
            device: None,
            ecosystem: Ecosystem::Golang,
            name: name.to_string(),
            key: Ecosystem::Golang.package_key(None, name),
            version: version.map(str::to_string),
            requirement: None,
            path: Vec::new(),
            direct: Some(r.direct),
            scope: None,
        };
        let at = At {
            source: &source.name,
            text: r.line.text,
            line: r.line.number,
            offset: r.start,
            len: r.len,
            byte: r.line.byte,
        };
        if sink.item(ItemView::Package(&package), at) == Flow::Stop {
            return;
        }
    }

    if let Some((verb, line)) = block {
        let start = line.text.len() - line.text.trim_start().len();
        let len = line.text.trim().len();
        sink.problem(InputProblem::line(
            &source.name,
            line.number,
            line.text,
            start,
            len,
            format!("the `{verb} (` block is never closed; Go refuses the file"),
            "close the block with a line of `)`, or regenerate the file with `go mod tidy`",
        ));
    }
}

#[cfg(test)]
#[path = "go_mod_tests.rs"]
pub(crate) mod tests;
