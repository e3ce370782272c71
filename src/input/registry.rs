//! Every input format in one table, as ripgrep's default file types are:
//! a name, the evidence it holds, a line of description, the file names it
//! goes by, a content sniffer for generic names, a [shape](shapes) that
//! tells it whatever its name, and how it is read. Discovery, the
//! `--input-format` values, `banscan formats` and the help texts all come
//! from [`FORMATS`]; adding a format is one module with a [`FormatSpec`],
//! one line in the table and a fixtures folder.

use std::fmt;
use std::sync::Arc;

use super::problem::InputProblem;
use super::sink::{Flow, Sink};
use super::source::{Limits, Opened, Source};
use super::{apps, endpoints, files, packages, recognised};

pub mod shapes;

/// What kind of evidence a format holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Evidence {
    Packages,
    Apps,
    Endpoints,
    /// Files identified by their sha256 (digest lists, `--hash`).
    Files,
}

impl Evidence {
    pub fn name(self) -> &'static str {
        match self {
            Evidence::Packages => "packages",
            Evidence::Apps => "apps",
            Evidence::Endpoints => "endpoints",
            Evidence::Files => "files",
        }
    }
}

/// Reads a whole source in order, handing items to the sink.
pub type StreamFn = fn(&Source, Opened, &Limits, &mut dyn Sink) -> Result<(), InputProblem>;

/// Reads a whole source as stored, without the decoding layer.
pub type RawFn = fn(&Source, &Limits, &mut dyn Sink) -> Result<(), InputProblem>;

/// How a format is read.
pub enum Reader {
    /// In order, from the start: formats whose lines depend on each other
    /// (continuations, includes).
    Stream(StreamFn),
    /// Independent records after an optional header: a large input is cut
    /// into chunks at record boundaries and read on every core.
    Records(&'static dyn RecordFormat),
    /// The bytes as stored, not decompressed nor transcoded: a file's
    /// digest is of what is on disk (`--hash`).
    Raw(RawFn),
    /// Recognised by name, not read by this version.
    NotRead,
}

/// A format of independent records (one a line, or CSV rows).
pub trait RecordFormat: Sync {
    /// Whether a record can run over several lines inside a quoted cell.
    fn quoted(&self) -> bool {
        false
    }
    /// Whether the first line is a header.
    fn has_header(&self) -> bool {
        false
    }
    /// Whether a line before the header is one to pass over (PowerShell's
    /// `#TYPE` line).
    fn before_header(&self, _line: &str) -> bool {
        false
    }
    /// Whether a source whose first byte is `first` was written without
    /// the header [`Self::has_header`] expects: for a format written both
    /// ways (Zeek's TSV logs have a header, its JSON lines none).
    fn headless(&self, _first: u8) -> bool {
        false
    }
    /// Reads the header (when the format has one) and returns the reader
    /// of the records after it.
    fn start(
        &self,
        source: &Arc<str>,
        header: Option<&str>,
    ) -> Result<Box<dyn RecordReader>, InputProblem>;
    /// [`start`](Self::start), for a format the scan's options change
    /// (`--columns` and `--device` for app tables).
    fn start_in(
        &self,
        source: &Arc<str>,
        header: Option<&str>,
        _limits: &crate::input::Limits,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        self.start(source, header)
    }
    /// [`start_in`](Self::start_in), for a format whose lines before the
    /// header say how to read the records (Zeek's `#separator`,
    /// `#unset_field` and `#path`): `preamble` holds the lines
    /// [`Self::before_header`] passed over, in order.
    fn start_after(
        &self,
        source: &Arc<str>,
        _preamble: &[String],
        header: Option<&str>,
        limits: &crate::input::Limits,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        self.start_in(source, header, limits)
    }
}

/// One record, without its line ending.
#[derive(Clone, Copy, Debug)]
pub struct Record<'a> {
    pub source: &'a Arc<str>,
    pub text: &'a str,
    /// 1-based, counted from the start of the chunk.
    pub line: u64,
    /// Byte offset of `text`, counted from the start of the chunk.
    pub byte: u64,
}

impl Record<'_> {
    /// Passes the whole record over as fitting no shape of its format, with
    /// why and what to do: for line formats whose parser refuses a line.
    pub fn skip(&self, sink: &mut dyn Sink, message: String, help: &str) -> Flow {
        sink.skip(
            InputProblem::line(
                self.source,
                self.line,
                self.text,
                0,
                self.text.len(),
                message,
                help,
            ),
            self.text,
        )
    }
}

pub trait RecordReader: Send + Sync {
    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow;
    /// Bytes that make a line worth parsing even when no rule could match
    /// it, because they are how malformed lines show (a space inside a
    /// one-entry-a-line list): so a prefilter never hides a bad line of
    /// that kind.
    fn always_parse(&self) -> &'static [u8] {
        &[]
    }

    /// Whether a line holds an item (is not blank or a comment), to count
    /// the lines a prefilter lets pass unread.
    fn holds_item(&self, line: &[u8]) -> bool {
        line.iter().any(|b| !b.is_ascii_whitespace())
    }

    /// A cheap check of the shape of a line the prefilter lets pass unread
    /// (no rule can match it): a ragged row or a line that is no entry at
    /// all is still counted as skipped, whatever it holds, so the count
    /// does not depend on the policies.
    fn check(&self, _line: &[u8]) -> Option<Misfit> {
        None
    }

    /// Whether [`Self::glance`] sees the lines of this format.
    fn glances(&self) -> bool {
        false
    }

    /// A line's items and hosts, found without reading it whole, or why
    /// it does not fit; `None` when this line must be read. A format that
    /// finds its hosts in one cheap pass (a DNS log's query name) is then
    /// judged by a host filter on those bytes, not on the whole line.
    fn glance(&self, _line: &[u8]) -> Option<Result<super::records::Glance, Misfit>> {
        None
    }

    /// A line the prefilter passes over unread: why it does not fit, or
    /// how many items it holds ([`Self::check`], then
    /// [`Self::holds_item`]). A format that finds both in one parse of the
    /// line says so here, so the line is parsed once.
    fn pass_over(&self, line: &[u8]) -> Result<u64, Misfit> {
        match self.check(line) {
            Some(misfit) => Err(misfit),
            None => Ok(u64::from(self.holds_item(line))),
        }
    }

    /// For a delimited table: its rows' shape, so rows a prefilter passes
    /// over are checked in the pass that finds where they end.
    fn table(&self) -> Option<super::records::TableShape> {
        None
    }

    /// Headers of the table's header row that no column was taken from,
    /// as written, in order: what the reader passed over, so a column
    /// mapped wrongly (an id column read as nothing) shows in the report.
    fn ignored_columns(&self) -> &[String] {
        &[]
    }

    /// Whether a line of host characters only (`a-z0-9-_.`) always fits,
    /// so a prefilter that saw one spares [`Self::check`] a second pass.
    fn plain_fits(&self) -> bool {
        false
    }
}

/// Why a line does not fit its format, found without parsing it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Misfit {
    pub message: String,
    pub help: &'static str,
}

/// One input format.
pub struct FormatSpec {
    /// The name in reports and in `--input-format`.
    pub name: &'static str,
    pub evidence: Evidence,
    pub description: &'static str,
    /// File-name globs that make a file this format. A glob without `/`
    /// matches the file name in any folder.
    pub names: &'static [&'static str],
    /// Globs that make a file this format only when [`Self::sniff`] agrees
    /// (`*.txt` may be anything) or, without a sniffer, its shape does; for
    /// a read format with neither (source code, whose content is not
    /// distinctive), when no other format's shape or sniffer claims the
    /// file.
    pub maybe: &'static [&'static str],
    /// Whether the first decoded bytes of a file look like this format:
    /// most of the first lines must fit.
    pub sniff: Option<fn(&str) -> bool>,
    /// A test on the first decoded bytes (up to [`HEAD_BYTES`], the last
    /// partial line cut) that identifies this format whatever the file is
    /// called: a rotated `squid-access-20261205.log`, a `dpkg.txt`, an
    /// SBOM saved as `out.json`. Only for distinctive shapes (a `#separator`
    /// header, `package:com.foo` lines, a `"bomFormat": "CycloneDX"` key),
    /// so it never claims prose, config or code, nor the plain lines of a
    /// format that has none (an endpoint list). Shapes are tried in table
    /// order, read formats first; [`Self::sniff`] may be more lenient, as
    /// it only judges files whose name already says "maybe".
    ///
    /// [`HEAD_BYTES`]: super::source::HEAD_BYTES
    pub shape: Option<fn(&str) -> bool>,
    pub reader: Reader,
}

impl FormatSpec {
    pub fn is_read(&self) -> bool {
        !matches!(self.reader, Reader::NotRead)
    }
}

impl fmt::Debug for FormatSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for FormatSpec {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for FormatSpec {}

/// Every format, read ones first, each group in the order a file is tried
/// against them (specific before generic).
pub static FORMATS: &[&FormatSpec] = &[
    &packages::cargo_lock::SPEC,
    &packages::cargo_toml::SPEC,
    &packages::npm_lock::SPEC,
    &packages::pnpm_lock::SPEC,
    &packages::yarn_lock::SPEC,
    &packages::npm_manifest::SPEC,
    &packages::requirements::SPEC,
    &packages::uv_lock::SPEC,
    &packages::poetry_lock::SPEC,
    &packages::pyproject::SPEC,
    &packages::go_mod::SPEC,
    &packages::go_sum::SPEC,
    &packages::cyclonedx::SPEC,
    &packages::spdx::SPEC,
    &packages::pipfile_lock::SPEC,
    &packages::pipfile::SPEC,
    &packages::composer_lock::SPEC,
    &packages::gemfile_lock::SPEC,
    &packages::nuget_lock::SPEC,
    &packages::maven_pom::SPEC,
    &packages::gradle_lock::SPEC,
    &packages::dpkg_query::SPEC,
    &packages::dpkg_status::SPEC,
    &packages::dpkg_list::SPEC,
    &packages::rpm_qa::SPEC,
    &apps::app_csv::SPEC,
    &apps::osquery::SPEC,
    &apps::fleet::SPEC,
    &apps::defender_api_page::SPEC,
    &apps::defender::SPEC,
    &apps::macos_apps::SPEC,
    &apps::android_packages::SPEC,
    &endpoints::zeek::SPEC,
    &endpoints::suricata_eve::SPEC,
    &endpoints::bind_query::SPEC,
    &endpoints::dnsmasq::SPEC,
    &endpoints::windows_dns::SPEC,
    &endpoints::squid::SPEC,
    &endpoints::endpoint_csv::SPEC,
    &endpoints::allowlist::SPEC,
    &endpoints::list::SPEC,
    &endpoints::source::SPEC,
    &files::sha256sum::SPEC,
    &recognised::BUN_LOCK,
    &recognised::DENO_LOCK,
    &recognised::GRADLE,
    &recognised::GEMFILE,
    &recognised::COMPOSER_JSON,
    &recognised::SETUP_PY,
    &recognised::NUGET_PROJECT,
    &recognised::SWIFT_RESOLVED,
    &recognised::COCOAPODS_LOCK,
    &recognised::PUB_LOCK,
    &recognised::MIX_LOCK,
    &recognised::CYCLONEDX_XML,
    &recognised::SPDX_TAG_VALUE,
    &recognised::SPDX_YAML,
];

/// The format named `name`.
pub fn by_name(name: &str) -> Option<&'static FormatSpec> {
    FORMATS.iter().copied().find(|f| f.name == name)
}

/// The names of the formats banscan reads, for help texts and errors.
pub fn read_names() -> Vec<&'static str> {
    FORMATS
        .iter()
        .filter(|f| f.is_read())
        .map(|f| f.name)
        .collect()
}

/// A table glob as discovery matches it: in any folder, ignoring case.
#[cfg(test)]
fn glob_matcher(glob: &str) -> globset::GlobMatcher {
    globset::GlobBuilder::new(&format!("**/{glob}"))
        .case_insensitive(true)
        .literal_separator(true)
        .build()
        .unwrap()
        .compile_matcher()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names are unique and match `^[a-z0-9-]+$`, every format has a file
    /// name or a shape to go by, every `maybe` glob has a sniff or shape to
    /// decide it, no decisive glob belongs to two formats, and every read
    /// format comes before the recognised-only ones.
    #[test]
    fn table_is_consistent() {
        let mut names: Vec<&str> = FORMATS.iter().map(|f| f.name).collect();
        let read = FORMATS.iter().take_while(|f| f.is_read()).count();
        assert!(FORMATS[read..].iter().all(|f| !f.is_read()));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FORMATS.len());
        for f in FORMATS {
            assert!(
                !f.name.is_empty()
                    && f.name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}: a name is [a-z0-9-]+",
                f.name
            );
            assert!(
                !f.names.is_empty() || !f.maybe.is_empty() || f.shape.is_some(),
                "{}: no name or shape to go by",
                f.name
            );
            assert!(
                f.maybe.is_empty() || f.sniff.is_some() || f.shape.is_some() || f.is_read(),
                "{}: `maybe` globs with nothing to decide them",
                f.name
            );
            for g in f.names.iter().chain(f.maybe) {
                globset::Glob::new(g).unwrap();
            }
        }
        // A decisive glob's own example (`*` read as `x`) matches no other
        // format's decisive glob: `dns.log` cannot be both Zeek's and
        // Windows' by name.
        for f in FORMATS {
            for g in f.names {
                let example = g.replace("**/", "").replace(['*', '?'], "x");
                for other in FORMATS.iter().filter(|o| o.name != f.name) {
                    for h in other.names {
                        assert!(
                            !glob_matcher(h).is_match(&example),
                            "`{g}` ({}) is also `{h}` ({})",
                            f.name,
                            other.name
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "shapes_tests.rs"]
mod shapes_tests;
