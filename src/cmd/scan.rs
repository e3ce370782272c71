//! `banscan scan`: settings ([`crate::cli::config`]) → the library → the
//! inputs → the scan → a renderer → the exit code.

use std::io::Write;
use std::path::Path;

use super::{Out, load};
use crate::Outcome;
use crate::cli::config::{ScanSettings, usage};
use crate::cli::{OutputFormat, ScanArgs};
use crate::diag::{Code, Problem};
use crate::input::detect::Found;
use crate::policy::FailOn;
use crate::report::Report;
use crate::report::render::{Human, Json, Render, human};
use crate::scan::{find_inputs, scan};

pub(super) fn run(out: &Out, args: ScanArgs) -> Outcome {
    let settings = match ScanSettings::new(&args) {
        Ok(s) => s,
        Err(problems) => {
            out.problems(&problems);
            return Outcome::Failed;
        }
    };
    let library = match load(out, &settings.policy_sets) {
        Ok(l) => l,
        Err(o) => return o,
    };
    let (config, fail_on, strict) = (settings.config, settings.fail_on, settings.strict);
    if let Some(jobs) = args.jobs {
        // Only fails when a pool exists already (tests run in one process).
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(jobs))
            .build_global();
    }
    let found = find_inputs(&config);
    if let Some(output) = &args.output
        && let Some(input) = reads_output(output, &found)
    {
        return out.fail(usage(
            format!("--output {} is one of the scan's inputs (`{input}`); writing the report there would overwrite the evidence", output.display()),
            "write the report to another file",
        ));
    }
    let report = match scan(&library, &config, found) {
        Ok(r) => r,
        Err(e) => {
            return out.fail(Problem::error(
                Code::Internal,
                format!("internal error while compiling policies: {e}"),
            ));
        }
    };

    let renderer: Box<dyn Render> = match args.format {
        OutputFormat::Json => Box::new(Json),
        OutputFormat::Human => Box::new(Human {
            color: args.output.is_none() && out.color_out,
            quiet: args.quiet,
        }),
    };
    match &args.output {
        Some(path) => {
            let mut bytes = Vec::new();
            let written = renderer
                .render(&report, &mut bytes)
                .and_then(|()| crate::write_atomically(path, &bytes));
            if let Err(e) = written {
                return out.fail(
                    Problem::error(
                        Code::UsageWrite,
                        format!("cannot write {}: {e}", path.display()),
                    )
                    .with_help("check that the folder exists and is writable"),
                );
            }
            if !args.quiet {
                out.eprint(&human::summary_line(&report));
            }
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            let written = renderer
                .render(&report, &mut lock)
                .and_then(|()| lock.flush());
            match written {
                Ok(()) => {}
                // `banscan scan | head`: the reader has what it wanted.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                Err(e) => {
                    return out.fail(Problem::error(
                        Code::UsageWrite,
                        format!("cannot write the report to standard output: {e}"),
                    ));
                }
            }
        }
    }
    outcome(out, &report, fail_on, strict)
}

/// The exit: an incomplete scan never passes.
fn outcome(out: &Out, report: &Report, fail_on: FailOn, strict: bool) -> Outcome {
    let s = &report.summary;
    if s.inputs_failed > 0 {
        return Outcome::Failed;
    }
    if strict && s.evidence_skipped > 0 {
        out.eprint(&format!(
            "banscan: --strict: {} evidence file{} skipped (listed above); the scan is incomplete\n",
            s.evidence_skipped,
            if s.evidence_skipped == 1 { " was" } else { "s were" }
        ));
        return Outcome::Failed;
    }
    if s.items == 0 {
        out.eprint(
            "banscan: nothing was checked: the inputs hold no packages, apps or endpoints\n",
        );
        return Outcome::Failed;
    }
    if report.violations(fail_on) > 0 {
        Outcome::Violations
    } else {
        Outcome::Clean
    }
}

/// The input that `--output` would overwrite, if any.
fn reads_output(output: &Path, found: &Found) -> Option<String> {
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    let target = canonical(output).or_else(|| {
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Some(canonical(parent)?.join(output.file_name()?))
    })?;
    found.inputs.iter().find_map(|input| {
        let path = input.source.path()?;
        (canonical(path).as_deref() == Some(target.as_path()))
            .then(|| input.source.name.to_string())
    })
}
