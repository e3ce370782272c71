//! Evidence: what the scanned files say is installed, depended on or contacted.
//!
//! Every input format is one parser module that turns a file into a stream of
//! [`Item`]s, each with its [`Origin`]. Parsers know nothing about policies:
//! they only normalise what the file says (see [`crate::ident`]) and hand
//! each item, with the line it came from, to a [`Sink`]. Nothing is
//! collected here, so a log of any size is read with bounded memory.

pub mod apps;
pub mod discover;
pub mod endpoints;
pub mod packages;
#[cfg(test)]
pub(crate) mod testing;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::ident::{Ecosystem, Host, Sha256};

/// Where a piece of evidence stands: the file as the user named it, the
/// 1-based line and column, and the length (in bytes) of the text that
/// identifies the item on that line.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    pub path: Arc<str>,
    pub line: u32,
    pub column: u32,
    pub len: u32,
}

impl Origin {
    /// The origin of `needle` found at byte `offset` of line `line`.
    pub fn at(path: &Arc<str>, line: usize, offset: usize, len: usize) -> Origin {
        Origin {
            path: Arc::clone(path),
            line: saturating_u32(line),
            column: saturating_u32(offset + 1),
            len: saturating_u32(len),
        }
    }
}

fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One normalised piece of evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Package(Package),
    App(App),
    Endpoint(Endpoint),
    File(FileItem),
}

impl ItemKind {
    pub fn kind_name(&self) -> &'static str {
        match self {
            ItemKind::Package(_) => "package",
            ItemKind::App(_) => "app",
            ItemKind::Endpoint(_) => "endpoint",
            ItemKind::File(_) => "file",
        }
    }
}

/// A dependency of a code project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    pub ecosystem: Ecosystem,
    /// The name as the manifest writes it.
    pub name: String,
    /// The lookup key, from [`Ecosystem::package_key`].
    pub key: String,
    /// The exact version when the manifest pins one (`==1.2.3`), else `None`.
    pub version: Option<String>,
    /// The requirement as written when it is a range (`>=1.0,<2`), for reports.
    pub requirement: Option<String>,
    /// Names from the root to this package; empty for a direct dependency.
    pub path: Vec<String>,
}

/// An installed application on a device.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct App {
    pub name: Option<String>,
    pub publisher: Option<String>,
    pub version: Option<String>,
    pub bundle_id: Option<String>,
    pub platform: Option<String>,
    pub device: Option<String>,
}

/// A host or address the evidence shows being used or allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub host: Host,
    /// The URL it was taken from, when the evidence had one.
    pub url: Option<String>,
}

/// A file identified by its digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileItem {
    pub sha256: Sha256,
    pub name: Option<String>,
}

/// A problem with one input, pointing at a line where there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputProblem {
    pub path: Arc<str>,
    /// `None` when the file as a whole failed (unreadable, not UTF-8, ...).
    pub at: Option<ProblemAt>,
    pub message: String,
    pub help: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProblemAt {
    pub line: u32,
    pub column: u32,
    pub len: u32,
    /// The text of the offending line, so the report can show it.
    pub text: String,
}

impl InputProblem {
    pub fn file(path: &Arc<str>, message: impl Into<String>, help: impl Into<String>) -> Self {
        InputProblem {
            path: Arc::clone(path),
            at: None,
            message: message.into(),
            help: help.into(),
        }
    }

    /// A problem with the text `line_text` (line `line`, 1-based), covering
    /// `len` bytes from byte `offset` of that line.
    pub fn line(
        path: &Arc<str>,
        line: usize,
        line_text: &str,
        offset: usize,
        len: usize,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        InputProblem {
            path: Arc::clone(path),
            at: Some(ProblemAt {
                line: saturating_u32(line),
                column: saturating_u32(offset + 1),
                len: saturating_u32(len),
                text: line_text.to_string(),
            }),
            message: message.into(),
            help: help.into(),
        }
    }
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            Some(at) => write!(
                f,
                "{}:{}:{}: {}",
                self.path, at.line, at.column, self.message
            ),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// Receives what a parser reads. `line` is the text of the evidence line,
/// kept only if the item turns out to be a finding.
pub trait Sink {
    fn item(&mut self, item: Item, line: &str);
    /// A problem that does not stop the parser: the rest of the file is
    /// still read, so no finding is lost, but the scan will not pass.
    fn problem(&mut self, problem: InputProblem);
}

/// An input file as the scan sees it.
#[derive(Clone, Debug)]
pub struct Input {
    /// The path as shown in reports (as the user named it, or relative to
    /// the folder the user named).
    pub display: Arc<str>,
    /// The path to open.
    pub path: PathBuf,
    pub format: Format,
}

/// The input formats banscan reads. Adding a format is one variant here, one
/// parser module, and one rule in [`discover`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// pip `requirements.txt` and files it includes.
    Requirements,
    /// A generic installed-app inventory CSV.
    AppCsv,
    /// A plain list of hosts, URLs, IPs or CIDRs.
    EndpointList,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Requirements, Format::AppCsv, Format::EndpointList];

    /// The name used in reports and in `--input-format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Requirements => "requirements",
            Format::AppCsv => "app-csv",
            Format::EndpointList => "endpoint-list",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Reads `input`, streaming items into `sink`. An `Err` means the file
    /// could not be read at all; problems with single lines go to the sink.
    pub fn parse(self, input: &Input, sink: &mut dyn Sink) -> Result<(), InputProblem> {
        match self {
            Format::Requirements => packages::requirements::parse_requirements(input, sink),
            Format::AppCsv => apps::app_csv::parse(input, sink),
            Format::EndpointList => endpoints::list::parse(input, sink),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Opens `path` for buffered reading, turning the error into a problem that
/// says what to do.
pub fn open(
    display: &Arc<str>,
    path: &Path,
) -> Result<std::io::BufReader<std::fs::File>, InputProblem> {
    std::fs::File::open(path)
        .map(std::io::BufReader::new)
        .map_err(|e| {
            InputProblem::file(
                display,
                format!("cannot read the file: {e}"),
                "check that the path exists and is readable by this user",
            )
        })
}

/// Reads `reader` line by line with one reused buffer, calling `each` with
/// the 1-based line number and the line without its line ending. A line that
/// is not UTF-8 is a problem, not a crash; reading goes on after it.
pub fn for_each_line(
    display: &Arc<str>,
    mut reader: impl std::io::BufRead,
    sink: &mut dyn Sink,
    mut each: impl FnMut(usize, &str, &mut dyn Sink),
) -> Result<(), InputProblem> {
    let mut buf = Vec::with_capacity(256);
    let mut number = 0usize;
    loop {
        buf.clear();
        let read = reader.read_until(b'\n', &mut buf).map_err(|e| {
            InputProblem::file(
                display,
                format!("reading failed after line {number}: {e}"),
                "check the file and the device it is on",
            )
        })?;
        if read == 0 {
            return Ok(());
        }
        number += 1;
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        let bytes = if number == 1 {
            buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf)
        } else {
            &buf
        };
        match std::str::from_utf8(bytes) {
            Ok(line) => each(number, line, sink),
            Err(e) => sink.problem(InputProblem::line(
                display,
                number,
                &String::from_utf8_lossy(bytes),
                e.valid_up_to(),
                1,
                "this line is not valid UTF-8",
                "save the file as UTF-8",
            )),
        }
    }
}
