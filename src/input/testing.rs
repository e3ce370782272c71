//! Test support shared by the parser modules: a sink that keeps everything.

use std::sync::Arc;

use super::item::{ItemKind, ItemView};
use super::problem::InputProblem;
use super::registry::FormatSpec;
use super::sink::{At, Flow, Sink};
use super::source::{Limits, Source};

/// One item as a test sees it.
#[derive(Clone, Debug)]
pub struct Got {
    pub item: ItemKind,
    pub source: Arc<str>,
    pub text: String,
    pub line: u64,
    pub column: usize,
    pub len: usize,
    /// Byte offset of the line in the source.
    pub byte: u64,
}

/// Collects what a parser emits, in order.
#[derive(Default)]
pub struct Collect {
    pub items: Vec<Got>,
    pub problems: Vec<InputProblem>,
    /// What the reader said it passed over in a table's header.
    pub ignored_columns: Vec<String>,
}

impl Sink for Collect {
    fn item(&mut self, item: ItemView<'_>, at: At<'_>) -> Flow {
        self.items.push(Got {
            item: item.to_owned_item(),
            source: Arc::clone(at.source),
            text: at.text.to_string(),
            line: at.line,
            column: at.offset + 1,
            len: at.len,
            byte: at.byte,
        });
        Flow::Continue
    }

    fn problem(&mut self, problem: InputProblem) -> Flow {
        self.problems.push(problem);
        Flow::Continue
    }

    fn ignored_columns(&mut self, headers: &[String]) {
        self.ignored_columns = headers.to_vec();
    }
}

impl Collect {
    /// `(line, column, length)` of each problem that points at a line.
    pub fn problem_places(&self) -> Vec<(u64, u32, u32)> {
        self.problems
            .iter()
            .filter_map(|p| p.at.as_ref())
            .map(|a| (a.line, a.column, a.excerpt.len))
            .collect()
    }
}

/// Reads `source` in `format` start to end into a [`Collect`].
pub fn read(format: &FormatSpec, source: &Source) -> Collect {
    read_with(format, source, &Limits::default())
}

pub fn read_with(format: &FormatSpec, source: &Source, limits: &Limits) -> Collect {
    let mut sink = Collect::default();
    if let Err(p) = super::read(source, format, limits, &mut sink) {
        sink.problems.push(p);
    }
    sink
}

/// Reads a fixture under `tests/fixtures/`, named in reports as `shown`.
pub fn read_fixture(format: &FormatSpec, fixture: &str, shown: &str) -> Collect {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    read(format, &Source::file(shown, path))
}

/// Golden lines for a package reader: `line:column name@version [shown]
/// direct scope path` per item, then `line:column impact: message` per
/// problem.
pub fn render_packages(got: &Collect) -> Vec<String> {
    render_packages_as(got, false)
}

/// [`render_packages`], with the ecosystem before each name where a file
/// holds several (`pypi:requests@2.32.3`), as SBOMs do.
pub fn render_packages_as(got: &Collect, with_ecosystem: bool) -> Vec<String> {
    let mut out: Vec<String> = got
        .items
        .iter()
        .map(|g| {
            let ItemKind::Package(p) = &g.item else {
                panic!("not a package: {:?}", g.item)
            };
            let shown = &g.text[g.column - 1..g.column - 1 + g.len];
            let ecosystem = if with_ecosystem {
                format!("{}:", p.ecosystem)
            } else {
                String::new()
            };
            format!(
                "{}:{} {ecosystem}{}@{} [{shown}] direct={} scope={} path={}",
                g.line,
                g.column,
                p.name,
                p.version.as_deref().unwrap_or("-"),
                match p.direct {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "?",
                },
                p.scope
                    .map_or("-".to_string(), |s| format!("{s:?}").to_lowercase()),
                p.path.join(" > "),
            )
        })
        .collect();
    out.extend(got.problems.iter().map(|p| {
        let at =
            p.at.as_ref()
                .map_or("-".to_string(), |a| format!("{}:{}", a.line, a.column));
        format!("{at} {:?}: {}", p.impact, p.message)
    }));
    out
}

/// `line:column host client time [text at the column]` per endpoint, then
/// `line:column impact: message` per problem: a log reader's golden text.
pub fn endpoint_lines(c: &Collect) -> Vec<String> {
    let mut out: Vec<String> = c
        .items
        .iter()
        .map(|g| {
            let ItemKind::Endpoint(e) = &g.item else {
                panic!("not an endpoint: {:?}", g.item)
            };
            let shown = &g.text[g.column - 1..g.column - 1 + g.len];
            format!(
                "{}:{} {} {} {} [{shown}]",
                g.line,
                g.column,
                e.host,
                e.client.as_deref().unwrap_or("-"),
                e.time.as_deref().unwrap_or("-"),
            )
        })
        .collect();
    out.extend(c.problems.iter().map(|p| {
        let at =
            p.at.as_ref()
                .map_or("-".to_string(), |a| format!("{}:{}", a.line, a.column));
        format!("{at} {:?}: {}", p.impact, p.message)
    }));
    out
}
