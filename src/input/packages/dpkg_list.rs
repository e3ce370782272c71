//! `dpkg -l`: the human listing of Debian packages, five header lines
//! (`Desired=…`, three `|` lines, `+++-===…`) and then `ii  name  version
//! arch  description` rows whose spacing depends on the terminal width, so
//! rows are split on runs of spaces. Only `ii` and `hi` rows (installed,
//! wanted or held) are evidence; `rc` (removed, configuration left) and
//! `un` rows are not.
//!
//! Rows are independent (the header lines are recognised wherever they
//! fall), so a large listing is read in chunks on every core.

use std::sync::Arc;

use super::dpkg_query::{Row, Status, abbreviation, emit_at, package_name};
use crate::input::problem::InputProblem;
use crate::input::registry::{
    Evidence, FormatSpec, Misfit, Reader, Record, RecordFormat, RecordReader, shapes,
};
use crate::input::sink::{Flow, Sink};

pub static SPEC: FormatSpec = FormatSpec {
    name: "dpkg-list",
    evidence: Evidence::Packages,
    description: "dpkg -l listing",
    names: &[],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::dpkg_list),
    reader: Reader::Records(&DpkgList),
};

const HELP: &str = "each row of `dpkg -l` is `<status> <name> <version> <architecture> \
     <description>`; for an export made to be read, use \
     `dpkg-query -W -f='${binary:Package}\\t${Version}\\t${Architecture}\\t${db:Status-Abbrev}\\n'`";

struct DpkgList;

impl RecordFormat for DpkgList {
    fn start(
        &self,
        _source: &Arc<str>,
        _header: Option<&str>,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        Ok(Box::new(DpkgList))
    }
}

impl RecordReader for DpkgList {
    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow {
        let line = record.text;
        match parse(line) {
            Ok(Some((offset, row))) => emit_at(record, offset, &row, sink),
            Ok(None) => Flow::Continue,
            Err(message) => record.skip(sink, message, HELP),
        }
    }

    fn holds_item(&self, line: &[u8]) -> bool {
        std::str::from_utf8(line).is_ok_and(|l| matches!(parse(l), Ok(Some(_))))
    }

    fn check(&self, line: &[u8]) -> Option<Misfit> {
        parse(&String::from_utf8_lossy(line))
            .err()
            .map(|message| Misfit {
                message,
                help: HELP,
            })
    }
}

/// Whether `line` is one of the header lines.
fn header(line: &str) -> bool {
    line.starts_with("Desired=") || line.starts_with('|') || line.starts_with("+++-")
}

/// Reads one row: the name's offset and the installed package, `Ok(None)`
/// for a header, a blank line or a package that is not installed.
fn parse(line: &str) -> Result<Option<(usize, Row<'_>)>, String> {
    if line.trim().is_empty() || header(line) {
        return Ok(None);
    }
    let base = line.as_ptr() as usize;
    let mut tokens = line.split_ascii_whitespace();
    let (Some(status), Some(written), Some(version)) =
        (tokens.next(), tokens.next(), tokens.next())
    else {
        return Err(format!(
            "`{line}` is not a `dpkg -l` row (status, name, version, architecture, description)"
        ));
    };
    if !abbreviation(status) {
        return Err(format!(
            "`{status}` is not a dpkg status such as `ii` or `rc`"
        ));
    }
    let name = package_name(written)?;
    if Status::parse(status) != Some(Status::Installed) {
        return Ok(None);
    }
    Ok(Some((
        written.as_ptr() as usize - base,
        Row {
            name,
            written: written.len(),
            version,
        },
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Header lines and removed packages hold nothing; an `ii` row gives
    /// its name (without the architecture) at its column.
    #[test]
    fn rows() {
        assert_eq!(parse("Desired=Unknown/Install/Remove/Purge/Hold"), Ok(None));
        assert_eq!(
            parse("||/ Name  Version  Architecture Description"),
            Ok(None)
        );
        assert_eq!(parse("+++-====-====-"), Ok(None));
        assert_eq!(parse("rc  kesl  11.1.0-1  amd64  removed"), Ok(None));
        assert_eq!(
            parse("un  kesl  <none>  <none>  (no description)"),
            Ok(None)
        );
        let (offset, row) = parse("ii  libc6:amd64   2.36-9   amd64  GNU C Library")
            .unwrap()
            .unwrap();
        assert_eq!(
            (offset, row.name, row.written, row.version),
            (4, "libc6", 11, "2.36-9")
        );
        assert!(parse("hi  kesl 11.1.0-1 amd64 held").unwrap().is_some());
    }

    /// A row that is no `dpkg -l` row is refused, with why.
    #[test]
    fn malformed_rows() {
        assert!(parse("ii").is_err());
        assert!(
            parse("zz  kesl  1.0  amd64  x")
                .unwrap_err()
                .contains("dpkg status")
        );
        assert!(
            parse("ii  Kesl  1.0  amd64  x")
                .unwrap_err()
                .contains("package name")
        );
    }
}
