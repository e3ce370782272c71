//! What the TOML lockfile readers (Cargo.lock, uv.lock, poetry.lock)
//! share: reading a
//! whole file under a cap, parsing it with the `toml` crate into
//! [`Spanned`] values, one line index to turn byte spans into lines and
//! columns, and handing a package to the sink with its place.
//!
//! A lockfile is read whole (the dependency graph needs every package
//! before any path can be told), so its size is capped.

use std::collections::VecDeque;
use std::io::Read;
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;

use crate::ident::Ecosystem;
use crate::input::item::{DepScope, ItemView, Package};
use crate::input::problem::InputProblem;
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Opened, Source};

/// The largest lockfile read: far above any real one (a monorepo's
/// uv.lock is a few MB), low enough that a stray huge file named
/// `uv.lock` does not take the machine.
pub const MAX_LOCK_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a whole decoded source as UTF-8 text.
pub fn read_text(source: &Source, opened: Opened) -> Result<String, InputProblem> {
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
                "`{}` is larger than {} MiB, the most banscan reads of a lockfile",
                source.name,
                MAX_LOCK_BYTES / (1024 * 1024)
            ),
            "check that the file is the lockfile its name says; a real one is far smaller",
        ));
    }
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

/// Parses `text` as TOML into `T`; a syntax error, a truncated file or a
/// value of the wrong type is a problem at its line and column.
pub fn parse<T: DeserializeOwned>(
    source: &Source,
    text: &str,
    index: &LineIndex<'_>,
    tool: &str,
) -> Result<T, InputProblem> {
    parse_as(
        source,
        text,
        index,
        &format!("not a valid {tool} lockfile"),
        &format!("the file may be cut short or edited by hand; regenerate it with {tool}"),
    )
}

/// [`parse`] with the problem's words: `what` (`not a valid Pipfile`) and
/// `help`.
pub fn parse_as<T: DeserializeOwned>(
    source: &Source,
    text: &str,
    index: &LineIndex<'_>,
    what: &str,
    help: &str,
) -> Result<T, InputProblem> {
    toml::from_str(text).map_err(|e| {
        let message = format!("{what}: {}", e.message().trim_end().replace('\n', "; "));
        match e.span() {
            Some(span) => index.problem(source, span, message, help),
            None => InputProblem::file(&source.name, message, help),
        }
    })
}

/// A string value of a lockfile, with where it is.
pub type Str = Spanned<String>;

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

/// Shortest paths from a root through a graph of packages, by one
/// breadth-first search per scope class that share what they have seen:
/// what the project needs to run is found first, then what only its
/// optional dependencies bring, then what only its dev dependencies bring.
/// A package is reached once; its path is the shortest in its class.
pub struct Paths {
    /// For each node: the node it was reached from (`usize::MAX` for the
    /// root's own dependencies) and its scope class.
    reached: Vec<Option<(usize, Option<DepScope>)>>,
}

impl Paths {
    /// `seeds`: the root's dependencies in class order, each with its
    /// class; `edges(n)`: the nodes node `n` depends on.
    pub fn search<'e>(
        nodes: usize,
        seeds: &[(usize, Option<DepScope>)],
        edges: impl Fn(usize) -> &'e [usize],
    ) -> Paths {
        let mut reached: Vec<Option<(usize, Option<DepScope>)>> = vec![None; nodes];
        let mut queue = VecDeque::new();
        let mut i = 0;
        while i < seeds.len() {
            // The seeds of one class, then everything they bring.
            let class = seeds[i].1;
            while i < seeds.len() && seeds[i].1 == class {
                let n = seeds[i].0;
                if reached[n].is_none() {
                    reached[n] = Some((usize::MAX, class));
                    queue.push_back(n);
                }
                i += 1;
            }
            while let Some(n) = queue.pop_front() {
                for &m in edges(n) {
                    if reached[m].is_none() {
                        reached[m] = Some((n, class));
                        queue.push_back(m);
                    }
                }
            }
        }
        Paths { reached }
    }

    /// The scope class a node was reached in, and whether it was.
    pub fn scope(&self, n: usize) -> Option<Option<DepScope>> {
        self.reached[n].map(|(_, s)| s)
    }

    /// The names from the root to node `n`, both included; empty when the
    /// root does not reach it.
    pub fn path(&self, root: &str, n: usize, name: impl Fn(usize) -> String) -> Vec<String> {
        if self.reached[n].is_none() {
            return Vec::new();
        }
        let mut path = vec![name(n)];
        let mut at = n;
        while let Some((from, _)) = self.reached[at] {
            if from == usize::MAX {
                break;
            }
            path.push(name(from));
            at = from;
        }
        path.push(root.to_string());
        path.reverse();
        path
    }
}

#[cfg(test)]
mod tests {
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

    /// The run-time class is searched first, so a package both the
    /// project and a dev tool need is a run-time one, with its path.
    #[test]
    fn paths_prefer_the_run_time_class() {
        // 0 → 1 → 2; dev seed 3 → 2, 3 → 4.
        let edges: Vec<Vec<usize>> = vec![vec![1], vec![2], vec![], vec![2, 4], vec![]];
        let paths = Paths::search(5, &[(0, None), (3, Some(DepScope::Dev))], |n| {
            edges[n].as_slice()
        });
        let name = |n: usize| format!("p{n}");
        assert_eq!(paths.path("app", 2, name), ["app", "p0", "p1", "p2"]);
        assert_eq!(paths.scope(2), Some(None));
        assert_eq!(paths.path("app", 4, name), ["app", "p3", "p4"]);
        assert_eq!(paths.scope(4), Some(Some(DepScope::Dev)));
    }
}
