//! `dpkg-query -W` output: the Debian packages installed on one machine,
//! `name<TAB>version` a line, or with `-f` adding the architecture and the
//! status (`${db:Status-Abbrev}` `ii `, or `${Status}` `install ok
//! installed`).
//!
//! Only installed packages are evidence: with a status column a row counts
//! when it is `ii` or `hi` (installed, wanted or held); without one, a row
//! with no version is a package dpkg knows but has not installed. The
//! default form also lists removed packages whose configuration files are
//! left, which it cannot tell apart: FORMATS.md recommends the `-f` form.
//! Names may carry an architecture (`libc6:amd64`), which is not part of
//! the package's name.
//!
//! Lines are independent, so a large export is read in chunks on every core.

use std::sync::Arc;

use crate::ident::Ecosystem;
use crate::input::item::{ItemView, Package};
use crate::input::problem::InputProblem;
use crate::input::registry::{
    Evidence, FormatSpec, Misfit, Reader, Record, RecordFormat, RecordReader, shapes,
};
use crate::input::sink::{At, Flow, Sink};

pub static SPEC: FormatSpec = FormatSpec {
    name: "dpkg-query",
    evidence: Evidence::Packages,
    description: "dpkg-query -W output (name, version and more, tab-separated)",
    names: &[],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::dpkg_query),
    reader: Reader::Records(&DpkgQuery),
};

const HELP: &str = "each line of `dpkg-query -W` is `name<TAB>version`, optionally followed by \
     the architecture and status: export it again with \
     `dpkg-query -W -f='${binary:Package}\\t${Version}\\t${Architecture}\\t${db:Status-Abbrev}\\n'`";

struct DpkgQuery;

impl RecordFormat for DpkgQuery {
    fn start(
        &self,
        _source: &Arc<str>,
        _header: Option<&str>,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        Ok(Box::new(DpkgQuery))
    }
}

impl RecordReader for DpkgQuery {
    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow {
        let line = record.text;
        if line.trim().is_empty() {
            return Flow::Continue;
        }
        match parse(line) {
            Ok(Some(row)) => emit(record, &row, sink),
            Ok(None) => Flow::Continue,
            Err(message) => record.skip(sink, message, HELP),
        }
    }

    /// Rows of packages that are not installed hold no item.
    fn holds_item(&self, line: &[u8]) -> bool {
        std::str::from_utf8(line).is_ok_and(|l| matches!(parse(l), Ok(Some(_))))
    }

    fn check(&self, line: &[u8]) -> Option<Misfit> {
        let line = String::from_utf8_lossy(line);
        if line.trim().is_empty() {
            return None;
        }
        parse(&line).err().map(|message| Misfit {
            message,
            help: HELP,
        })
    }
}

/// One installed package's row: the name as written (with any
/// `:arch`) and its place, and the version.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Row<'a> {
    /// The name without its architecture.
    pub name: &'a str,
    /// Byte length of the name as written, `:arch` included.
    pub written: usize,
    pub version: &'a str,
}

/// Reads one line: `Ok(None)` for a package that is not installed.
fn parse(line: &str) -> Result<Option<Row<'_>>, String> {
    let mut fields = line.split('\t');
    let written = fields.next().unwrap_or_default();
    let Some(version) = fields.next() else {
        return Err(format!("`{line}` is not `name<TAB>version`: it has no tab"));
    };
    let name = package_name(written)?;
    let mut installed = true;
    for field in fields {
        if let Some(state) = Status::parse(field) {
            installed &= state == Status::Installed;
        }
    }
    if !installed || version.is_empty() {
        return Ok(None);
    }
    Ok(Some(Row {
        name,
        written: written.len(),
        version,
    }))
}

/// A Debian package name (without its `:arch`), as policy 5.6.1 allows:
/// lower-case letters, digits, `+`, `-` and `.`, from a letter or digit.
pub(super) fn package_name(written: &str) -> Result<&str, String> {
    let name = written.split_once(':').map_or(written, |(name, _)| name);
    let fits = name.len() >= 2
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(&b));
    if fits {
        Ok(name)
    } else {
        Err(format!("`{written}` is not a Debian package name"))
    }
}

/// What a status field says of the package.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Status {
    /// Installed and wanted or held (`ii`, `hi`, `install ok installed`).
    Installed,
    /// Anything else: removed with its configuration left (`rc`),
    /// half-installed, unpacked, purged.
    Not,
}

impl Status {
    /// The status in `field`, or `None` when the field is no status (an
    /// architecture, a field of a custom `-f`).
    pub(super) fn parse(field: &str) -> Option<Status> {
        let words: Vec<&str> = field.split_whitespace().collect();
        match words.as_slice() {
            [want, _flag, state] if STATES.contains(state) => Some(Status::of(
                matches!(*want, "install" | "hold") && *state == "installed",
            )),
            [abbrev] if abbrev.len() <= 3 && field.len() <= 3 && abbreviation(abbrev) => {
                let b = abbrev.as_bytes();
                Some(Status::of(matches!(b[0], b'i' | b'h') && b[1] == b'i'))
            }
            _ => None,
        }
    }

    fn of(installed: bool) -> Status {
        if installed {
            Status::Installed
        } else {
            Status::Not
        }
    }
}

/// dpkg's package states, the last word of `${Status}`.
const STATES: &[&str] = &[
    "not-installed",
    "config-files",
    "half-installed",
    "unpacked",
    "half-configured",
    "triggers-awaited",
    "triggers-pending",
    "installed",
];

/// `${db:Status-Abbrev}`: desired action, state, and an optional error
/// flag (`ii`, `rc`, `iUR`).
pub(super) fn abbreviation(s: &str) -> bool {
    let b = s.as_bytes();
    (2..=3).contains(&b.len())
        && b"uirhp".contains(&b[0])
        && b"ncHUFWti".contains(&b[1])
        && b.get(2).is_none_or(|&c| c == b'R')
}

/// Hands over the package of `row`, its name's place on the line.
pub(super) fn emit_at(
    record: Record<'_>,
    offset: usize,
    row: &Row<'_>,
    sink: &mut dyn Sink,
) -> Flow {
    let package = Package {
        device: crate::input::apps::device::from_file_name(record.source).map(str::to_string),
        ecosystem: Ecosystem::Deb,
        name: row.name.to_string(),
        key: Ecosystem::Deb.package_key(None, row.name),
        version: Some(row.version.to_string()),
        requirement: None,
        path: Vec::new(),
        direct: None,
        scope: None,
    };
    sink.item(
        ItemView::Package(&package),
        At {
            source: record.source,
            text: record.text,
            line: record.line,
            offset,
            len: row.written,
            byte: record.byte,
        },
    )
}

fn emit(record: Record<'_>, row: &Row<'_>, sink: &mut dyn Sink) -> Flow {
    emit_at(record, 0, row, sink)
}

#[cfg(test)]
#[path = "dpkg_query_tests.rs"]
mod tests;
