//! What the TOML lockfile readers (Cargo.lock, uv.lock, poetry.lock)
//! share: reading a
//! whole file under a cap, parsing it with the `toml` crate into
//! [`Spanned`] values, one line index to turn byte spans into lines and
//! columns, and handing a package to the sink with its place.
//!
//! A lockfile's text is read whole (the dependency graph needs every
//! package before any path can be told, and excerpts need the text), so
//! its size is capped. Its TOML is not parsed whole: a DOM of a 60 MB
//! lock takes about 15 times its size. [`tables`] cuts the text at its
//! top-level table headers (`[[package]]`, `[metadata]`…) and parses one
//! block at a time, so a reader keeps only what it takes from each table.

use std::borrow::Cow;
use std::io::Read;
use std::ops::Range;

use rustc_hash::FxHashMap;
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

use crate::ident::Ecosystem;
use crate::input::item::{DepScope, ItemView, Package};
use crate::input::problem::InputProblem;
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Opened, Source};

/// The largest file read whole (lockfiles, manifests, SBOMs and JSON
/// exports): far above any real one (a monorepo's uv.lock is a few MB),
/// low enough that a stray huge file named `uv.lock`, or a small gzip
/// bomb named `package-lock.json.gz`, does not take the machine.
pub const MAX_LOCK_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a whole decoded source, at most [`MAX_LOCK_BYTES`]; a larger
/// one is a problem naming the file, read no further.
pub fn read_capped(source: &Source, opened: Opened) -> Result<Vec<u8>, InputProblem> {
    let mut bytes = Vec::new();
    opened
        .reader
        .take(MAX_LOCK_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| source.unreadable(&e))?;
    if bytes.len() as u64 > MAX_LOCK_BYTES {
        return Err(InputProblem::file(
            &source.name,
            format!(
                "`{}` is larger than {} MiB (decoded), the most banscan reads of a file it parses whole",
                source.name,
                MAX_LOCK_BYTES / (1024 * 1024)
            ),
            "check that the file is what its name says (a lockfile, manifest, SBOM or export is far smaller), and that it is not a compressed bomb",
        ));
    }
    Ok(bytes)
}

/// Reads a whole decoded source as UTF-8 text.
pub fn read_text(source: &Source, opened: Opened) -> Result<String, InputProblem> {
    let bytes = read_capped(source, opened)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        InputProblem::file(
            &source.name,
            format!("`{}` is not UTF-8 text (byte {at})", source.name),
            "TOML files are UTF-8; regenerate the lockfile with its tool",
        )
    })
}

/// Where each line of a text starts, built once in one pass, so any byte
/// offset becomes a line and column by a binary search.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

/// A place in the text: the 1-based line, its text without the line
/// ending, where it starts, and a byte range within it.
pub struct Place<'t> {
    pub line: u64,
    pub text: &'t str,
    pub line_start: usize,
    pub offset: usize,
    pub len: usize,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts }
    }

    /// The place of `span`, cut at the end of its first line; an empty
    /// span (or one past the end) is one byte wide.
    pub fn place(&self, span: Range<usize>) -> Place<'t> {
        let at = span.start.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= at).max(1) - 1;
        let start = self.starts[line];
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let text = self.text[start..end]
            .strip_suffix('\r')
            .unwrap_or(&self.text[start..end]);
        let offset = (at - start).min(text.len());
        let len = span.end.min(start + text.len()).saturating_sub(at).max(1);
        Place {
            line: line as u64 + 1,
            text,
            line_start: start,
            offset,
            len,
        }
    }

    /// A problem at `span`, with the default impact (unread evidence).
    pub fn problem(
        &self,
        source: &Source,
        span: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> InputProblem {
        let p = self.place(span);
        InputProblem::line(&source.name, p.line, p.text, p.offset, p.len, message, help)
    }

    /// The text of a span (a whole `[[package]]` table, for a skipped
    /// record).
    pub fn slice(&self, span: Range<usize>) -> &'t str {
        let end = span.end.min(self.text.len());
        self.text.get(span.start.min(end)..end).unwrap_or("")
    }
}

/// Parses `text` as TOML into `T`; a syntax error or a value of the wrong
/// type is a problem at its line and column, with the problem's words:
/// `what` (`not a valid Pipfile`) and `help`.
pub fn parse_as<T: DeserializeOwned>(
    source: &Source,
    text: &str,
    index: &LineIndex<'_>,
    what: &str,
    help: &str,
) -> Result<T, InputProblem> {
    toml::from_str(text).map_err(|e| syntax_problem(source, index, &e, 0, what, help))
}

/// A TOML error of the text starting at byte `offset` of the file, at its
/// place in the whole file.
fn syntax_problem(
    source: &Source,
    index: &LineIndex<'_>,
    e: &toml::de::Error,
    offset: usize,
    what: &str,
    help: &str,
) -> InputProblem {
    let message = format!("{what}: {}", e.message().trim_end().replace('\n', "; "));
    match e.span() {
        Some(span) => index.problem(
            source,
            span.start + offset..span.end + offset,
            message,
            help,
        ),
        None => InputProblem::file(&source.name, message, help),
    }
}

/// One `[[package]]` table, parsed from its block alone: its value, with
/// the spans inside it made absolute by [`Table::at`].
pub struct Table<T> {
    pub value: T,
    span: Range<usize>,
    offset: usize,
}

impl<T> Table<T> {
    /// The whole table, from its header, in the whole text.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// Where a value inside the table is in the whole text.
    pub fn at<V>(&self, value: &Spanned<V>) -> Range<usize> {
        let span = value.span();
        span.start + self.offset..span.end + self.offset
    }
}

/// One block as TOML sees it: a `[[package]]` table (and its
/// sub-tables), or the header or another top-level table, whose keys are
/// parsed (so a syntax error anywhere is found) and ignored.
#[derive(Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
struct Block<T> {
    #[serde(default = "Vec::new")]
    package: Vec<Spanned<T>>,
}

/// Reads a lockfile block by block (see [`blocks`]) and hands each
/// `[[package]]` table to `each`, in file order, until it says stop. A
/// TOML error is a problem at its line and column in the whole file, as
/// [`parse_as`] gives it; nothing is handed on after it.
pub fn tables<'t, T: Deserialize<'t>>(
    source: &Source,
    index: &LineIndex<'t>,
    tool: &str,
    mut each: impl FnMut(Table<T>) -> Flow,
) -> Result<(), InputProblem> {
    let text = index.text;
    for block in blocks(text) {
        let parsed: Block<T> = toml::from_str(&text[block.clone()]).map_err(|e| {
            syntax_problem(
                source,
                index,
                &e,
                block.start,
                &format!("not a valid {tool} lockfile"),
                &format!("the file may be cut short or edited by hand; regenerate it with {tool}"),
            )
        })?;
        for table in parsed.package {
            let span = table.span();
            let table = Table {
                span: span.start + block.start..span.end + block.start,
                offset: block.start,
                value: table.into_inner(),
            };
            if each(table) == Flow::Stop {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// The blocks of a TOML text: byte ranges, each starting at a line that is
/// a top-level table header other than a `package` sub-table
/// (`[[package]]`, `[metadata]`, `[[patch.unused]]`…), the first at 0.
///
/// A line is a header only where TOML would read one: not inside a
/// multi-line string (`"""`, `'''`) or an array or inline table running
/// over lines. A header that could belong to the table before it (a
/// `[package.…]` table, a quoted key, or anything this does not know)
/// does not start a block: parsing two blocks as one is always right,
/// only larger.
pub fn blocks(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut lexer = Lexer::default();
    let mut start = 0;
    let mut lines = text.split_inclusive('\n');
    let mut at = 0;
    let mut done = text.is_empty();
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        for line in lines.by_ref() {
            let line_start = at;
            at += line.len();
            if lexer.line(line) && line_start > start {
                let block = start..line_start;
                start = line_start;
                return Some(block);
            }
        }
        done = true;
        Some(start..text.len())
    })
}

/// What a line-by-line reading of TOML must carry from one line to the
/// next to know whether a line starts a table header: an open multi-line
/// string, and how deep in arrays and inline tables it is.
#[derive(Default)]
struct Lexer {
    string: Option<&'static [u8]>,
    depth: u32,
}

impl Lexer {
    /// Reads one line; says whether it starts a block.
    fn line(&mut self, line: &str) -> bool {
        if self.string.is_none() && self.depth == 0 {
            let head = line.trim_start();
            if head.starts_with('[') {
                // A header line opens no string or bracket that outlives it.
                return starts_block(head);
            }
        }
        self.scan(line.as_bytes());
        false
    }

    fn scan(&mut self, b: &[u8]) {
        // The next quote, or escape in a basic string, from `at`.
        let to_quote = |q: u8, at: usize| match q {
            b'"' => memchr::memchr2(q, b'\\', &b[at..]),
            _ => memchr::memchr(q, &b[at..]),
        };
        let mut i = 0;
        while i < b.len() {
            if let Some(close) = self.string {
                // Inside a multi-line string: find its end.
                let Some(n) = to_quote(close[0], i) else {
                    return;
                };
                i += n;
                if b[i] == b'\\' {
                    i += 2;
                } else if b[i..].starts_with(close) {
                    i += 3;
                    // Up to two quotes before the delimiter are content.
                    let mut extra = 0;
                    while extra < 2 && b.get(i) == Some(&close[0]) {
                        i += 1;
                        extra += 1;
                    }
                    self.string = None;
                } else {
                    i += 1;
                }
                continue;
            }
            let Some(n) = b[i..]
                .iter()
                .position(|c| matches!(c, b'#' | b'"' | b'\'' | b'[' | b']' | b'{' | b'}'))
            else {
                return;
            };
            i += n;
            match b[i] {
                b'#' => return,
                q @ (b'"' | b'\'') => {
                    if b[i..].starts_with(&[q, q, q]) {
                        self.string = Some(if q == b'"' { b"\"\"\"" } else { b"'''" });
                        i += 3;
                        continue;
                    }
                    // A one-line string: to its closing quote.
                    i += 1;
                    loop {
                        let Some(n) = to_quote(q, i.min(b.len())) else {
                            return;
                        };
                        i += n;
                        if b[i] != b'\\' {
                            break;
                        }
                        i += 2;
                    }
                }
                b'[' | b'{' => self.depth += 1,
                _ => self.depth = self.depth.saturating_sub(1),
            }
            i += 1;
        }
    }
}

/// Whether a header line (`head`, from its `[`) starts a block: a
/// `[[package]]` table, or a top-level table whose key is not `package`.
fn starts_block(head: &str) -> bool {
    let (key, rest) = match head.strip_prefix("[[") {
        Some(inner) => match inner.split_once("]]") {
            Some((key, rest)) => (key.trim(), rest),
            None => return false,
        },
        None => match head[1..].split_once(']') {
            Some((key, rest)) => {
                let key = key.trim();
                if key == "package" {
                    return false;
                }
                (key, rest)
            }
            None => return false,
        },
    };
    let rest = rest.trim();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return false;
    }
    let first = key.split('.').next().unwrap_or("").trim();
    let bare = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if first.is_empty() || !first.chars().all(bare) {
        return false;
    }
    key == "package" || first != "package"
}

/// A string of a lockfile, borrowed from the text when it has no escapes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text<'t>(pub Cow<'t, str>);

impl std::borrow::Borrow<str> for Text<'_> {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(s.to_string())))
            }
            fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V(std::marker::PhantomData))
    }
}

/// A value that ought to be a string: `None` when it is of another type,
/// so that a reader can pass its record over rather than fail the file.
pub struct Loose<'t>(pub Option<Text<'t>>);

impl<'de: 'a, 'a> Deserialize<'de> for Loose<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Loose<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any value")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Loose(Some(Text(Cow::Borrowed(s)))))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Loose(Some(Text(Cow::Owned(s.to_string())))))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Loose(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Loose(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Loose(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Loose(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Loose(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Loose(None))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl<'t> Loose<'t> {
    /// The string, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

/// The span of a string's content, inside its quotes.
pub fn inside_quotes(text: &str, span: Range<usize>) -> Range<usize> {
    let raw = text.get(span.clone()).unwrap_or("");
    let quote = if raw.starts_with("'''") || raw.starts_with("\"\"\"") {
        3
    } else if raw.starts_with(['"', '\'']) {
        1
    } else {
        0
    };
    if quote > 0 && raw.len() >= 2 * quote {
        span.start + quote..span.end - quote
    } else {
        span
    }
}

/// Records passed over while a lock is read, handed to the sink only once
/// the whole file has parsed: a file that turns out to be broken further
/// on is unread evidence, with none of its records counted as skipped
/// (as when it was parsed whole).
#[derive(Default)]
pub struct Skipped {
    records: Vec<(InputProblem, Range<usize>)>,
}

impl Skipped {
    /// A record passed over: the problem, and the table's span.
    pub fn push(&mut self, problem: InputProblem, record: Range<usize>) {
        self.records.push((problem, record));
    }

    /// Hands every record to the sink, in file order, until it says stop.
    pub fn send(self, sink: &mut dyn Sink, index: &LineIndex<'_>) -> Flow {
        for (problem, record) in self.records {
            if sink.skip(problem, index.slice(record)) == Flow::Stop {
                return Flow::Stop;
            }
        }
        Flow::Continue
    }
}

/// A package's PEP 503 key, borrowed from the text when the name is one
/// already (uv and Poetry write names so), which spares a string for
/// every package and every dependency of a large lock.
pub fn pypi_key<'t>(name: &Text<'t>) -> Cow<'t, str> {
    match &name.0 {
        Cow::Borrowed(s) if is_pep503(s) => Cow::Borrowed(s),
        _ => Cow::Owned(Ecosystem::Pypi.package_key(None, name)),
    }
}

/// Whether a name is its own PEP 503 key: lower-case ASCII letters,
/// digits and single hyphens.
fn is_pep503(name: &str) -> bool {
    let b = name.as_bytes();
    b.iter()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && !b.windows(2).any(|w| w == b"--")
}

/// The packages of a lock by key, each key's in file order: one map entry
/// per key and one link per package, not a list per key.
pub struct ByKey<'k> {
    first: FxHashMap<Cow<'k, str>, usize>,
    /// For each package, the next one with its key (`usize::MAX`: none).
    next: Vec<usize>,
}

impl<'k> ByKey<'k> {
    /// `keys`: each package's key, in order.
    pub fn new(keys: Vec<Cow<'k, str>>) -> Self {
        let mut first: FxHashMap<Cow<'k, str>, usize> = FxHashMap::default();
        first.reserve(keys.len());
        let mut next = vec![usize::MAX; keys.len()];
        // From the last, each package put before the ones after it.
        for (i, key) in keys.into_iter().enumerate().rev() {
            if let Some(old) = first.insert(key, i) {
                next[i] = old;
            }
        }
        ByKey { first, next }
    }

    /// The packages with `key`, in file order.
    pub fn get(&self, key: &str) -> impl Iterator<Item = usize> + '_ {
        let mut at = self.first.get(key).copied().unwrap_or(usize::MAX);
        std::iter::from_fn(move || {
            let i = at;
            at = *self.next.get(i)?;
            Some(i)
        })
    }
}

/// What a lock says of one package besides its name and version.
pub struct Facts {
    pub direct: Option<bool>,
    pub scope: Option<DepScope>,
    pub path: Vec<String>,
}

/// Hands one package to the sink, its place on the name's value (`span`,
/// quotes included).
#[allow(clippy::too_many_arguments)]
pub fn emit(
    sink: &mut dyn Sink,
    source: &Source,
    index: &LineIndex<'_>,
    ecosystem: Ecosystem,
    name: &str,
    span: Range<usize>,
    version: Option<&str>,
    facts: Facts,
) -> Flow {
    let package = Package {
        device: None,
        ecosystem,
        name: name.to_string(),
        key: ecosystem.package_key(None, name),
        version: version.map(str::to_string),
        requirement: None,
        path: facts.path,
        direct: facts.direct,
        scope: facts.scope,
    };
    emit_package(sink, source, index, span, &package)
}

/// Hands a whole package to the sink at a value (`span`, quotes
/// included; the place is the string's content).
pub fn emit_package(
    sink: &mut dyn Sink,
    source: &Source,
    index: &LineIndex<'_>,
    span: Range<usize>,
    package: &Package,
) -> Flow {
    let p = index.place(inside_quotes(index.text, span));
    sink.item(
        ItemView::Package(package),
        At {
            source: &source.name,
            text: p.text,
            line: p.line,
            offset: p.offset,
            len: p.len,
            byte: p.line_start as u64,
        },
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Lines and columns come from one index; CRLF endings are not part
    /// of a line.
    #[test]
    fn line_index_places_spans() {
        let text = "a = 1\r\nname = \"x\"\n\nlast";
        let index = LineIndex::new(text);
        let p = index.place(14..17);
        assert_eq!((p.line, p.text, p.offset, p.len), (2, "name = \"x\"", 7, 3));
        let p = index.place(text.len()..text.len());
        assert_eq!((p.line, p.text, p.offset, p.len), (4, "last", 4, 1));
        assert_eq!(inside_quotes(text, 14..17), 15..16);
    }

    /// Where `toml` puts the first error of a whole text: the line and
    /// column a block-by-block reading must give too.
    pub(crate) fn whole_file_error(text: &str) -> (u64, u32) {
        let e = toml::from_str::<toml::Table>(text).unwrap_err();
        let p = LineIndex::new(text).place(e.span().unwrap());
        (p.line, p.offset as u32 + 1)
    }

    /// The blocks' texts, for the tests below.
    fn split(text: &str) -> Vec<&str> {
        blocks(text).map(|b| &text[b]).collect()
    }

    /// The header, each `[[package]]` with its sub-tables, and each other
    /// top-level table are blocks; together they are the whole text.
    #[test]
    fn blocks_start_at_top_level_headers() {
        let text = "version = 4\n\n[[package]]\nname = \"a\"\n\n[package.dependencies]\nb = \"*\"\n\n\
                    [[package]]\nname = \"b\"\n[[package.wheels]]\nurl = \"x\"\n\n\
                    [metadata]\nlock-version = \"2.1\"\n[metadata.files]\na = []\n";
        let got = split(text);
        assert_eq!(
            got,
            [
                "version = 4\n\n",
                "[[package]]\nname = \"a\"\n\n[package.dependencies]\nb = \"*\"\n\n",
                "[[package]]\nname = \"b\"\n[[package.wheels]]\nurl = \"x\"\n\n",
                "[metadata]\nlock-version = \"2.1\"\n",
                "[metadata.files]\na = []\n",
            ]
        );
        assert_eq!(got.concat(), text);
        assert!(split("").is_empty());
        assert_eq!(
            split("[[package]]\nname = \"a\""),
            ["[[package]]\nname = \"a\""]
        );
    }

    /// A `[[package]]` line inside a multi-line string (either kind, with
    /// an escaped quote and quotes doubled before its end) or inside an
    /// array running over lines is text, not a header.
    #[test]
    fn blocks_do_not_split_inside_strings_or_arrays() {
        let basic = r#"[[package]]
d = """
[[package]]
q \""" still
""""
[[package]]
name = "b"
"#;
        let got = split(basic);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[1].starts_with("[[package]]\nname"), "{got:?}");
        let literal = "[[package]]\nd = '''\n  [[package]] # \"\n'''\n[[package]]\n";
        let got = split(literal);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].ends_with("# \"\n'''\n"), "{got:?}");
        let array = "[[package]]\nx = [\n  [1],\n[[package]]\n]\n";
        assert_eq!(split(array), [array]);
        // Quotes and brackets in a one-line string or a comment open nothing.
        let quoted = "a = \"[\\\"\" # [ '''\nb = '\"\"\"['\n[[package]]\n";
        assert_eq!(split(quoted).len(), 2, "{:?}", split(quoted));
        // And these splits are TOML's own: each block parses.
        for text in [basic, literal, quoted] {
            for block in split(text) {
                assert!(toml::from_str::<toml::Table>(block).is_ok(), "{block:?}");
            }
        }
    }

    /// A header line may be indented and end in blanks, a comment or a CR;
    /// one with anything else after it, a quoted key or a `[package]`
    /// table starts no block.
    #[test]
    fn header_lines() {
        let crlf = "a = 1\r\n  [[package]]  # c\t\r\nname = 'x'\r\n";
        assert_eq!(
            split(crlf),
            ["a = 1\r\n", "  [[package]]  # c\t\r\nname = 'x'\r\n"]
        );
        assert_eq!(split("a = 1\n[[ package ]]\n").len(), 2);
        for line in [
            "[[package]] x",
            "[\"package\".deps]",
            "[package]",
            "[[package.wheels]]",
            "[ package . x ]",
        ] {
            assert_eq!(split(&format!("a = 1\n{line}\n")).len(), 1, "{line}");
        }
    }

    /// Packages sharing a key come back in file order; a key that is one
    /// already is borrowed, another is made.
    #[test]
    fn packages_by_key() {
        let keys = ["a", "b", "a", "c", "a"].map(Cow::Borrowed).to_vec();
        let by = ByKey::new(keys);
        assert_eq!(by.get("a").collect::<Vec<_>>(), [0, 2, 4]);
        assert_eq!(by.get("c").collect::<Vec<_>>(), [3]);
        assert_eq!(by.get("z").count(), 0);
        let key = |s: &'static str| pypi_key(&Text(Cow::Borrowed(s)));
        assert!(matches!(
            key("langchain-deepseek"),
            Cow::Borrowed("langchain-deepseek")
        ));
        for (name, want) in [("Lib_Local", "lib-local"), ("a--b", "a-b"), ("a.b", "a-b")] {
            assert!(matches!(key(name), Cow::Owned(k) if k == want), "{name}");
        }
    }
}
