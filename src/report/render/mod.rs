//! Renderers: each reads only the [`Report`] and writes one format. SARIF,
//! JUnit, Markdown and HTML are added here as further implementations.

pub mod devices;
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

/// How the human report groups findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GroupBy {
    /// A section per policy, a diagnostic per finding (many findings of
    /// one product in one file folded into one).
    #[default]
    Policy,
    /// A block per device, each banned app once with every policy that
    /// bans it.
    Device,
}

/// Diagnostics for people.
pub struct Human {
    pub color: bool,
    /// Only problems and the summary.
    pub quiet: bool,
    pub group_by: GroupBy,
}

impl Render for Human {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(
            human::render_grouped(report, self.color, self.quiet, self.group_by).as_bytes(),
        )
    }
}
