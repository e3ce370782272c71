//! Bundler's `Gemfile.lock`, line by line.
//!
//! A top-level line starts a section. In `GEM`, `GIT`, `PATH` and
//! `PLUGIN SOURCE`, after `  specs:`, a 4-space `name (version)` line is
//! an installed gem (`version-platform` keeps only the version, as
//! Bundler's own parser splits at the first `-`), and the 6-space lines
//! under it are what it depends on (`name (constraints)`). `DEPENDENCIES`
//! lists what the Gemfile asks for (`name`, `name (constraint)`, with `!`
//! for a gem from a non-default source). `PLATFORMS`, `RUBY VERSION`,
//! `CHECKSUMS` and `BUNDLED WITH` name no gems and are passed over.
//!
//! Each gem is emitted at its spec line, pointing at its name, with
//! `direct` (listed in `DEPENDENCIES`) and the shortest chain of gems from
//! the project (`Gemfile > rails > nokogiri`), found by one breadth-first
//! walk from `DEPENDENCIES`. A spec line without `(version)` is a record
//! passed over.
//!
//! Bundler always ends the file with a line ending and always writes
//! `DEPENDENCIES`: a file without that section, or whose last line is cut
//! (no line ending, and it does not fit its section), is a problem at its
//! last line, and the file is unread evidence.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::graph::Paths;
use crate::ident::Ecosystem;
use crate::input::item::{ItemView, Package};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "gemfile-lock",
    evidence: Evidence::Packages,
    description: "Bundler lockfile",
    names: &["Gemfile.lock"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::gemfile_lock),
    reader: Reader::Stream(read),
};

/// The project, first in every path: the lockfile does not name it.
const ROOT: &str = "Gemfile";

const REGENERATE: &str = "regenerate it with `bundle lock`, or restore it from version control";

fn read(
    source: &Source,
    opened: Opened,
    _limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = super::json_lock::read_text(source, opened)?;
    read_text(&source.name, &text, sink)
}

/// One line of the file: its number, where it starts, its text without
/// the line ending.
#[derive(Clone, Copy)]
struct Line<'t> {
    number: u64,
    start: usize,
    text: &'t str,
}

/// `name (inner)!` as Bundler writes it: the name, and what is in the
/// parentheses; `None` when a parenthesis is left open.
fn name_and_inner(entry: &str) -> Option<(&str, Option<&str>)> {
    let entry = entry.strip_suffix('!').unwrap_or(entry);
    match entry.find(" (") {
        Some(i) => {
            let inner = entry[i + 2..].strip_suffix(')')?;
            Some((&entry[..i], Some(inner)))
        }
        None if entry.contains('(') || entry.contains(')') => None,
        None => Some((entry, None)),
    }
}

/// An installed gem.
struct Spec<'t> {
    line: Line<'t>,
    name: &'t str,
    version: &'t str,
    needs: Vec<&'t str>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    /// `GEM`, `GIT`, `PATH`, `PLUGIN SOURCE`; whether `specs:` was seen.
    Source {
        specs: bool,
    },
    Dependencies,
    Other,
}

fn indent(text: &str) -> usize {
    text.len() - text.trim_start_matches(' ').len()
}

fn read_text(name: &Arc<str>, text: &str, sink: &mut dyn Sink) -> Result<(), InputProblem> {
    if text.trim().is_empty() {
        sink.problem(
            InputProblem::file(name, "the lockfile is empty: it lists no gems", REGENERATE)
                .warning(),
        );
        return Ok(());
    }
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let body = raw.strip_suffix('\n').unwrap_or(raw);
        let body = body.strip_suffix('\r').unwrap_or(body);
        lines.push(Line {
            number: i as u64 + 1,
            start,
            text: body,
        });
        start += raw.len();
    }
    let cut = !text.ends_with('\n');
    let last = lines.len() - 1;
    let truncated = |line: &Line<'_>, why: &str| {
        InputProblem::line(
            name,
            line.number,
            line.text,
            line.text.len(),
            1,
            format!("the lockfile ends {why} (truncated?); it was not read"),
            REGENERATE,
        )
    };

    let mut section = Section::Other;
    let mut specs: Vec<Spec<'_>> = Vec::new();
    // Spec lines without a version, passed over.
    let mut bad: Vec<Line<'_>> = Vec::new();
    let mut roots: Vec<&str> = Vec::new();
    let mut seen_dependencies = false;
    for (i, line) in lines.iter().enumerate() {
        let t = line.text;
        if t.trim().is_empty() {
            continue;
        }
        let depth = indent(t);
        let entry = t.trim();
        let fits = match depth {
            0 => {
                section = match t.trim_end() {
                    "GEM" | "GIT" | "PATH" | "PLUGIN SOURCE" => Section::Source { specs: false },
                    "DEPENDENCIES" => {
                        seen_dependencies = true;
                        Section::Dependencies
                    }
                    _ => Section::Other,
                };
                true
            }
            2 if matches!(section, Section::Source { .. }) && entry == "specs:" => {
                section = Section::Source { specs: true };
                true
            }
            4 if section == (Section::Source { specs: true }) => match name_and_inner(entry) {
                Some((gem, Some(inner))) if !gem.is_empty() && !inner.is_empty() => {
                    let version = inner.split('-').next().unwrap_or(inner);
                    specs.push(Spec {
                        line: *line,
                        name: gem,
                        version,
                        needs: Vec::new(),
                    });
                    true
                }
                Some(_) => {
                    bad.push(*line);
                    true
                }
                None => {
                    bad.push(*line);
                    false
                }
            },
            6 if section == (Section::Source { specs: true }) => match name_and_inner(entry) {
                Some((gem, _)) => {
                    if let Some(spec) = specs.last_mut() {
                        spec.needs.push(gem);
                    }
                    true
                }
                None => false,
            },
            2 if section == Section::Dependencies => match name_and_inner(entry) {
                Some((gem, _)) => {
                    roots.push(gem);
                    true
                }
                None => false,
            },
            _ => true,
        };
        if cut && i == last && !fits {
            return Err(truncated(line, "in the middle of a line"));
        }
    }
    if !seen_dependencies {
        return Err(truncated(
            &lines[last],
            "before its DEPENDENCIES section, which Bundler always writes",
        ));
    }
    if cut && bad.last().is_some_and(|b| b.number == lines[last].number) {
        return Err(truncated(&lines[last], "in the middle of a line"));
    }

    // The graph: gems by name (one name may have a spec per platform).
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in specs.iter().enumerate() {
        by_name.entry(s.name).or_default().push(i);
    }
    let edges: Vec<Vec<usize>> = specs
        .iter()
        .map(|s| {
            s.needs
                .iter()
                .flat_map(|n| by_name.get(n).into_iter().flatten().copied())
                .collect()
        })
        .collect();
    let direct: HashSet<&str> = roots.iter().copied().collect();
    let seeds: Vec<(usize, Option<crate::input::item::DepScope>)> = roots
        .iter()
        .flat_map(|n| by_name.get(n).into_iter().flatten().map(|&i| (i, None)))
        .collect();
    let paths = Paths::search(specs.len(), &[&seeds], |n| edges[n].as_slice());

    // Emit in file order: gems, and spec lines passed over.
    let mut bad = bad.into_iter().peekable();
    for (i, spec) in specs.iter().enumerate() {
        while let Some(b) = bad.next_if(|b| b.number < spec.line.number) {
            if skip(sink, name, &b) == Flow::Stop {
                return Ok(());
            }
        }
        let package = Package {
            device: None,
            ecosystem: Ecosystem::Gem,
            name: spec.name.to_string(),
            key: Ecosystem::Gem.package_key(None, spec.name),
            version: Some(spec.version.to_string()),
            requirement: None,
            path: paths.path(i, |j| specs[j].name.to_string(), |_| ROOT.to_string()),
            direct: Some(direct.contains(spec.name)),
            scope: None,
        };
        let flow = sink.item(
            ItemView::Package(&package),
            At {
                source: name,
                text: spec.line.text,
                line: spec.line.number,
                offset: 4,
                len: spec.name.len(),
                byte: spec.line.start as u64,
            },
        );
        if flow == Flow::Stop {
            return Ok(());
        }
    }
    for b in bad {
        if skip(sink, name, &b) == Flow::Stop {
            return Ok(());
        }
    }
    Ok(())
}

fn skip(sink: &mut dyn Sink, name: &Arc<str>, line: &Line<'_>) -> Flow {
    let entry = line.text.trim();
    sink.skip(
        InputProblem::line(
            name,
            line.number,
            line.text,
            indent(line.text),
            entry.len().max(1),
            format!("the gem `{entry}` has no version: a spec is `name (version)`"),
            "Bundler writes a version for every gem it locks: regenerate the lockfile \
             with `bundle lock`",
        ),
        line.text,
    )
}

#[cfg(test)]
#[path = "gemfile_lock_tests.rs"]
mod tests;
