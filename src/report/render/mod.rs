//! Renderers: each reads only the [`Report`] and writes one format, so a
//! saved JSON report renders to any format later (`banscan report
//! render`).

pub mod devices;
pub mod escape;
pub mod html;
pub mod human;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod short;

use std::io::{self, Write};

use crate::report::{Finding, Report};

/// Writes a report in one format.
pub trait Render {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
}

/// The formats a report is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Format {
    /// Diagnostics for people, a section per policy.
    Human,
    /// One `file:line:col: severity policy: message` line per finding.
    Short,
    /// The `banscan-report` JSON document: the one to keep, merge and
    /// render again.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML, for CI test reports (GitLab, Jenkins).
    Junit,
    /// Markdown, for pull-request comments and step summaries.
    Markdown,
    /// One self-contained HTML file, for auditors.
    Html,
}

impl Format {
    /// The file a `--report-dir` gets in this format.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Human => "banscan.txt",
            Format::Short => "banscan.short.txt",
            Format::Json => "banscan.json",
            Format::Sarif => "banscan.sarif",
            Format::Junit => "banscan.junit.xml",
            Format::Markdown => "banscan.md",
            Format::Html => "banscan.html",
        }
    }

    /// The formats a `--report-dir` gets when no `--format` names any.
    pub const REPORT_DIR: [Format; 5] = [
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Markdown,
        Format::Html,
    ];
}

/// What a renderer may be told beyond the report.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// ANSI colours (human output on a terminal only).
    pub color: bool,
    /// Findings in the short form and the summary, nothing else.
    pub quiet: bool,
    /// Every finding's excerpt, not only the first few per file.
    pub verbose: bool,
    pub group_by: GroupBy,
    /// The terminal's width, when known.
    pub width: Option<usize>,
}

/// The renderer of `format`.
pub fn renderer(format: Format, options: Options) -> Box<dyn Render> {
    match format {
        Format::Human => Box::new(Human { options }),
        Format::Short => Box::new(short::Short),
        Format::Json => Box::new(Json),
        Format::Sarif => Box::new(sarif::Sarif),
        Format::Junit => Box::new(junit::Junit),
        Format::Markdown => Box::new(markdown::Markdown),
        Format::Html => Box::new(html::Html),
    }
}

/// The `banscan-report` JSON document.
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
    pub options: Options,
}

impl Render for Human {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(human::render_with(report, self.options).as_bytes())
    }
}

/// A finding's place in its policy's timeline in a few words, for the
/// formats that give it a column or a suffix: `phase-out until D, N days
/// left` (or the next deadline's action and days, when it comes
/// first) or `not enforceable: enjoined since D by C`. `None` when the
/// finding is simply in force.
pub fn timeline_status(f: &Finding) -> Option<String> {
    if let Some(l) = f.legal_status.as_ref().filter(|l| !l.enforceable) {
        return Some(format!(
            "not enforceable: {} since {} by {}",
            l.state, l.since, l.by
        ));
    }
    let d = f.deadline.as_ref()?;
    let days = if d.days_left == 1 { "day" } else { "days" };
    // The days left count to the next deadline, which is not always the
    // end of the phase-out: then the next one is named with its action.
    if d.date == d.phase_out_until {
        Some(format!(
            "phase-out until {}, {} {days} left",
            d.date, d.days_left
        ))
    } else {
        Some(format!(
            "phase-out until {}; {} by {}, {} {days} left",
            d.phase_out_until, d.action, d.date, d.days_left
        ))
    }
}

/// Not enforceable on the scan's day: kept as an advisory naming the event.
pub fn not_enforceable(f: &Finding) -> bool {
    f.legal_status.as_ref().is_some_and(|l| !l.enforceable)
}
