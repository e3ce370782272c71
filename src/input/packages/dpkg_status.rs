//! The dpkg database itself (`/var/lib/dpkg/status`, or a copy of it taken
//! from a machine): one stanza per package, blank-line separated, with
//! `Package:`, `Status:` and `Version:` fields among many others and
//! continuation lines that start with a space. Only `install ok installed`
//! and `hold ok installed` stanzas are installed software; a package
//! removed with its configuration left (`deinstall ok config-files`) is not.
//!
//! Stanzas span lines, so the file is read in order; each installed
//! package is a deb package at its `Package:` line.

use std::sync::Arc;

use super::dpkg_query::{Status, package_name};
use crate::ident::Ecosystem;
use crate::input::item::{ItemView, Package};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "dpkg-status",
    evidence: Evidence::Packages,
    description: "Debian package database",
    names: &["var/lib/dpkg/status", "dpkg-status", "dpkg.status"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::dpkg_status_file),
    reader: Reader::Stream(read),
};

const HELP: &str = "each stanza of the dpkg database starts `Package: <name>` and has \
     `Status:` and `Version:` fields; copy the file whole from /var/lib/dpkg/status";

/// One stanza as it is read: where its `Package:` line is, and the two
/// fields that decide it.
#[derive(Default)]
struct Stanza<'t> {
    /// `(line number, line, byte offset of the line)` of `Package:`.
    package: Option<(u64, &'t str, usize)>,
    status: Option<&'t str>,
    version: Option<&'t str>,
    /// The first line of the stanza, for a stanza without `Package:`.
    first: Option<(u64, &'t str)>,
}

fn read(
    source: &Source,
    opened: Opened,
    _limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = super::toml_lock::read_text(source, opened)?;
    read_text(&source.name, &text, sink);
    Ok(())
}

fn read_text(name: &Arc<str>, text: &str, sink: &mut dyn Sink) {
    let device = crate::input::apps::device::from_file_name(name);
    let mut stanza = Stanza::default();
    let mut byte = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let number = i as u64 + 1;
        let line = raw.trim_end_matches(['\n', '\r']);
        let line = if i == 0 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        let at = byte;
        byte += raw.len();
        if line.trim().is_empty() {
            if finish(name, std::mem::take(&mut stanza), device, sink) == Flow::Stop {
                return;
            }
            continue;
        }
        stanza.first.get_or_insert((number, line));
        if line.starts_with([' ', '\t']) {
            continue;
        }
        if line.starts_with("Package:") {
            stanza.package = Some((number, line, at));
        } else if let Some(v) = line.strip_prefix("Status:") {
            stanza.status = Some(v.trim());
        } else if let Some(v) = line.strip_prefix("Version:") {
            stanza.version = Some(v.trim());
        }
    }
    finish(name, stanza, device, sink);
}

/// Hands over the package of a finished stanza when it is installed; a
/// stanza that names no package, or an installed one without a version,
/// is a record passed over.
fn finish(name: &Arc<str>, stanza: Stanza<'_>, device: Option<&str>, sink: &mut dyn Sink) -> Flow {
    let Some((first_line, first)) = stanza.first else {
        return Flow::Continue;
    };
    let skip = |sink: &mut dyn Sink, line: u64, text: &str, message: String| {
        sink.skip(
            InputProblem::line(name, line, text, 0, text.len(), message, HELP),
            text,
        )
    };
    let Some((line, text, byte)) = stanza.package else {
        return skip(
            sink,
            first_line,
            first,
            "a stanza without a `Package:` field".into(),
        );
    };
    let written = text["Package:".len()..].trim();
    let offset = text.len() - text["Package:".len()..].trim_start().len();
    let installed = stanza
        .status
        .and_then(Status::parse)
        .is_some_and(|s| matches!(s, Status::Installed));
    if !installed {
        return Flow::Continue;
    }
    let package_name = match package_name(written) {
        Ok(n) => n,
        Err(message) => return skip(sink, line, text, message),
    };
    let Some(version) = stanza.version.filter(|v| !v.is_empty()) else {
        return skip(
            sink,
            line,
            text,
            format!("the installed package `{package_name}` has no `Version:`"),
        );
    };
    let package = Package {
        device: device.map(str::to_string),
        ecosystem: Ecosystem::Deb,
        name: package_name.to_string(),
        key: Ecosystem::Deb.package_key(None, package_name),
        version: Some(version.to_string()),
        requirement: None,
        path: Vec::new(),
        direct: None,
        scope: None,
    };
    sink.item(
        ItemView::Package(&package),
        At {
            source: name,
            text,
            line,
            offset,
            len: written.len(),
            byte: byte as u64,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::testing::render_packages;

    fn run(text: &str) -> Vec<String> {
        let mut sink = crate::input::testing::Collect::default();
        read_text(&Arc::from("var/lib/dpkg/status"), text, &mut sink);
        render_packages(&sink)
    }

    /// Installed and held stanzas are packages at their `Package:` line;
    /// one removed with its configuration left, one without a version and
    /// one without a name are not, the last two counted as passed over.
    #[test]
    fn installed_stanzas_only() {
        let text = "Package: adduser\nStatus: install ok installed\nVersion: 3.134\nDescription: add users\n with a continuation\n\n\
Package: kesl\nStatus: hold ok installed\nArchitecture: amd64\nVersion: 12.1.0.1297\n\n\
Package: old-tool\nStatus: deinstall ok config-files\nVersion: 1.0\n\n\
Package: broken\nStatus: install ok installed\n\n\
Status: install ok installed\nVersion: 2\n";
        insta::assert_debug_snapshot!(run(text), @r#"
        [
            "1:10 adduser@3.134 [adduser] direct=? scope=- path=",
            "7:10 kesl@12.1.0.1297 [kesl] direct=? scope=- path=",
            "16:1 Skipped: the installed package `broken` has no `Version:`",
            "19:1 Skipped: a stanza without a `Package:` field",
        ]
        "#);
    }
}
