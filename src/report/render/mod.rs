//! Renderers: each reads only the [`Report`] and writes one format. SARIF,
//! JUnit, Markdown and HTML are added here as further implementations.

pub mod escape;
pub mod human;

use std::io::{self, Write};

use crate::report::Report;

/// Writes a report in one format.
pub trait Render {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
}

/// The `banscan-report/1` JSON document.
pub struct Json;

impl Render for Json {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, report).map_err(io::Error::other)?;
        out.write_all(b"\n")
    }
}

/// Diagnostics for people.
pub struct Human {
    pub color: bool,
    /// Only problems and the summary.
    pub quiet: bool,
}

impl Render for Human {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(human::render(report, self.color, self.quiet).as_bytes())
    }
}
