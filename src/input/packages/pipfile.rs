//! Pipenv's manifest, `Pipfile` (TOML): what the project itself asks for,
//! read as direct-dependency evidence (`Pipfile.lock` says what is
//! installed).
//!
//! Each entry of `[packages]` (no scope) and `[dev-packages]` (Dev) is one
//! pypi [`Package`] at its key, `direct: Some(true)`. The value is a
//! specifier (`"*"`, `"==1.2"`, `">=1,<2"`) or a table with `version`
//! (and `extras`, `markers`, `index`...); the specifier is the
//! `requirement`, and an `==X` pin the `version`. A `git`, `path` or
//! `file` table has no version (name only). A Pipfile without packages is
//! read with no items; a value of the wrong kind is a record passed over;
//! a file that is not TOML is a problem at its line.

use serde::Deserialize;

use super::pyproject::{Table, emit_all, keyed};
use super::toml_lock::{self, LineIndex};
use crate::input::item::DepScope;
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader};
use crate::input::sink::Sink;
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "pipfile",
    evidence: Evidence::Packages,
    description: "Pipenv manifest",
    names: &["Pipfile"],
    maybe: &[],
    sniff: None,
    shape: None,
    reader: Reader::Stream(read),
};

#[derive(Deserialize)]
struct Pipfile {
    packages: Option<Table>,
    #[serde(rename = "dev-packages")]
    dev: Option<Table>,
}

fn read(
    source: &Source,
    opened: Opened,
    _limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = toml_lock::read_text(source, opened)?;
    let index = LineIndex::new(&text);
    let file: Pipfile = toml_lock::parse_as(
        source,
        &text,
        &index,
        "not a valid Pipfile",
        "fix the TOML at this place (pipenv cannot read it either), \
         or restore the file from version control",
    )?;
    let sections = [(&file.packages, None), (&file.dev, Some(DepScope::Dev))];
    let mut found = Vec::new();
    for (table, scope) in sections {
        for (k, v) in table.iter().flatten() {
            found.push(keyed(k, v, scope, false));
        }
    }
    emit_all(source, &index, found, sink);
    Ok(())
}

#[cfg(test)]
#[path = "pipfile_tests.rs"]
mod tests;
