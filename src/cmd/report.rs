//! `banscan report merge` and `banscan report render`: saved JSON reports
//! combined and rendered again, without scanning.

use super::{Out, read_report, write_report};
use crate::Outcome;
use crate::cli::ReportCommand;
use crate::report::RunInfo;
use crate::report::merge::merge;
use crate::report::render::{Format, Options};

pub(super) fn run(out: &Out, command: ReportCommand) -> Outcome {
    match command {
        ReportCommand::Merge { reports, output } => {
            let started = jiff::Timestamp::now();
            let clock = std::time::Instant::now();
            let mut read = Vec::with_capacity(reports.len());
            for path in &reports {
                match read_report(path) {
                    Ok(report) => read.push((path.display().to_string(), report)),
                    Err(problem) => return out.fail(problem),
                }
            }
            let run = RunInfo {
                started: started
                    .round(jiff::Unit::Second)
                    .unwrap_or(started)
                    .to_string(),
                duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
            };
            let merged = merge(read, run);
            match write_report(
                out,
                &merged,
                Format::Json,
                output.as_deref(),
                Options::default(),
            ) {
                Ok(()) => Outcome::Clean,
                Err(outcome) => outcome,
            }
        }
        ReportCommand::Render {
            report,
            format,
            output,
            verbose,
        } => {
            let report = match read_report(&report) {
                Ok(r) => r,
                Err(problem) => return out.fail(problem),
            };
            let options = Options {
                color: output.is_none() && out.color_out,
                verbose,
                ..Options::default()
            };
            match write_report(out, &report, format, output.as_deref(), options) {
                Ok(()) => Outcome::Clean,
                Err(outcome) => outcome,
            }
        }
    }
}
