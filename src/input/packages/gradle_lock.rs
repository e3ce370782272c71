//! Gradle dependency lockfiles, line by line.
//!
//! Two layouts, told apart by where the file is:
//! - Gradle 6 and later: one `gradle.lockfile` per project (and
//!   `buildscript-gradle.lockfile` for the build script's classpath), with
//!   `#` comments, one `group:name:version=conf1,conf2` line per locked
//!   module, and an `empty=conf3,…` line, always last, naming the
//!   configurations that lock nothing;
//! - Gradle 4.8 to 5: one file per configuration,
//!   `gradle/dependency-locks/<configuration>.lockfile`, with `#`
//!   comments and bare `group:name:version` lines.
//!
//! Each module line is one maven [`Package`] (`group:name`) at its line,
//! pointing at `group:name`, with its version as written. The lockfile
//! does not tell what the build asks for itself from what comes with it,
//! so `direct` is `None` and `path` is empty. A module locked only in
//! configurations whose names start with `test` (`testCompileClasspath`,
//! `testRuntimeClasspath`, or a per-configuration file so named) is
//! [`DepScope::Dev`]; any other is needed to run, with no scope.
//!
//! A line that is not `group:name:version` (with `=…` in the newer
//! layout) is a record passed over, and the rest is read. Gradle ends
//! every line with a line ending, and the newer layout with its `empty=`
//! line: a last line cut short, or a newer file without `empty=`, is a
//! problem at that line, and the file is unread evidence.

use std::sync::Arc;

use crate::ident::Ecosystem;
use crate::input::item::{DepScope, ItemView, Package};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "gradle-lock",
    evidence: Evidence::Packages,
    description: "Gradle lockfile",
    names: &[
        "gradle.lockfile",
        "buildscript-gradle.lockfile",
        "gradle/dependency-locks/*.lockfile",
    ],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::gradle_lock),
    reader: Reader::Stream(read),
};

const HELP: &str = "Gradle writes `group:name:version=configurations` lines; fix the line or \
     regenerate the file with `gradle dependencies --write-locks`";

/// Which layout a file is in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Layout {
    /// `gradle.lockfile`: `=configurations` on every line, `empty=` last.
    PerProject,
    /// `dependency-locks/<configuration>.lockfile`: bare coordinates.
    PerConfiguration { test: bool },
}

fn layout(name: &str) -> Layout {
    let (dir, file) = name.rsplit_once('/').unwrap_or(("", name));
    match file.strip_suffix(".lockfile") {
        Some(conf) if dir == "dependency-locks" || dir.ends_with("/dependency-locks") => {
            Layout::PerConfiguration {
                test: is_test(conf),
            }
        }
        _ => Layout::PerProject,
    }
}

/// Whether a configuration is for tests only.
fn is_test(configuration: &str) -> bool {
    configuration.starts_with("test")
}

fn read(
    source: &Source,
    opened: Opened,
    _limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = super::toml_lock::read_text(source, opened)?;
    read_text(&source.name, &text, sink)
}

fn read_text(name: &Arc<str>, text: &str, sink: &mut dyn Sink) -> Result<(), InputProblem> {
    let layout = layout(name);
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - body.len();
    let cut = !body.is_empty() && !body.ends_with('\n');
    let mut byte = bom;
    let mut saw_empty = false;
    let mut last = (0, "");
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    for (i, raw) in lines.iter().enumerate() {
        let number = i as u64 + 1;
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let line_byte = byte;
        byte += raw.len();
        if !line.trim().is_empty() {
            last = (number, line);
        }
        let flow = match entry(layout, line) {
            Ok(Entry::Nothing) => Flow::Continue,
            Ok(Entry::Empty) => {
                saw_empty = true;
                Flow::Continue
            }
            Ok(Entry::Module(package, len)) => sink.item(
                ItemView::Package(&package),
                At {
                    source: name,
                    text: line,
                    line: number,
                    offset: 0,
                    len,
                    byte: line_byte as u64,
                },
            ),
            Err(_) if cut && i + 1 == lines.len() => {
                return Err(InputProblem::line(
                    name,
                    number,
                    line,
                    line.len(),
                    1,
                    "the lockfile ends inside this line (truncated?); it was not read",
                    HELP,
                ));
            }
            Err(misfit) => sink.skip(
                InputProblem::line(
                    name,
                    number,
                    line,
                    misfit.at,
                    misfit.len,
                    format!("{}; it was passed over", misfit.message),
                    HELP,
                ),
                line,
            ),
        };
        if flow == Flow::Stop {
            return Ok(());
        }
    }
    if layout == Layout::PerProject && last.0 > 0 && !saw_empty {
        let (number, line) = last;
        return Err(InputProblem::line(
            name,
            number,
            line,
            line.len(),
            1,
            "the lockfile ends before its `empty=` line, which Gradle always writes last \
             (truncated?); it was not read",
            HELP,
        ));
    }
    Ok(())
}

/// What a line holds.
enum Entry {
    /// A blank line or a comment.
    Nothing,
    /// The `empty=` line.
    Empty,
    /// A locked module, and the length of its `group:name`.
    Module(Package, usize),
}

/// Why a line does not fit: where, and what is wrong.
struct Misfit {
    at: usize,
    len: usize,
    message: String,
}

/// Reads one line of a lockfile in `layout`.
fn entry(layout: Layout, line: &str) -> Result<Entry, Misfit> {
    let trimmed = line.trim_end();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Ok(Entry::Nothing);
    }
    let whole = |message: &str| Misfit {
        at: 0,
        len: trimmed.len(),
        message: message.to_string(),
    };
    let (coords, configurations) = match (layout, trimmed.split_once('=')) {
        (Layout::PerProject, Some(("empty", _))) => return Ok(Entry::Empty),
        (Layout::PerProject, Some((coords, confs))) => (coords, Some(confs)),
        (Layout::PerConfiguration { .. }, None) => (trimmed, None),
        (Layout::PerProject, None) => {
            return Err(whole(
                "a gradle.lockfile line is `group:name:version=configurations`; this one has \
                 no `=`",
            ));
        }
        (Layout::PerConfiguration { .. }, Some(_)) => {
            return Err(whole(
                "a per-configuration lockfile line is a bare `group:name:version`; this one \
                 has `=`",
            ));
        }
    };
    let parts: Vec<&str> = coords.split(':').collect();
    let misfit = |message: String| Misfit {
        at: 0,
        len: coords.len(),
        message,
    };
    let [group, artifact, version] = parts.as_slice() else {
        return Err(misfit(format!(
            "`{coords}` is not `group:name:version` ({} parts)",
            parts.len()
        )));
    };
    if parts
        .iter()
        .any(|p| p.is_empty() || p.contains(char::is_whitespace))
    {
        return Err(misfit(format!("`{coords}` has an empty or blank part")));
    }
    let scope = match (layout, configurations) {
        (Layout::PerConfiguration { test: true }, _) => Some(DepScope::Dev),
        (Layout::PerProject, Some(confs)) if !confs.is_empty() && confs.split(',').all(is_test) => {
            Some(DepScope::Dev)
        }
        _ => None,
    };
    let package = Package {
        device: None,
        ecosystem: Ecosystem::Maven,
        name: format!("{group}:{artifact}"),
        key: Ecosystem::Maven.package_key(Some(group), artifact),
        version: Some((*version).to_string()),
        requirement: None,
        path: Vec::new(),
        direct: None,
        scope,
    };
    Ok(Entry::Module(package, group.len() + 1 + artifact.len()))
}

#[cfg(test)]
#[path = "gradle_lock_tests.rs"]
mod tests;
