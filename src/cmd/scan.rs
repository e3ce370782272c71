//! `banscan scan`: settings ([`crate::cli::config`]) → the library → the
//! inputs → the scan → a renderer → the exit code.

use std::io::Write;
use std::path::Path;

use super::{Out, load};
use crate::Outcome;
use crate::cli::config::{ScanSettings, usage};
use crate::cli::{GroupByArg, OutputFormat, ScanArgs};
use crate::diag::{Code, Problem};
use crate::input::detect::Found;
use crate::policy::{FailOn, Library, Severity};
use crate::report::render::{GroupBy, Human, Json, Render, human};
use crate::report::{InputState, Report};
use crate::scan::judges::Judge;
use crate::scan::{Assignment, Bench, find_inputs, scan};

pub(super) fn run(out: &Out, args: ScanArgs) -> Outcome {
    let settings = match ScanSettings::new(&args) {
        Ok(s) => s,
        Err(problems) => {
            out.problems(&problems);
            return Outcome::Failed;
        }
    };
    let mut config = settings.config;
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
    // Every file's judge, found before the libraries are loaded.
    let assignment = Assignment::new(&found, |path| settings.judges.judge_of(path));
    config.detect.exclude = None;
    let Ok(judges) = std::sync::Arc::try_unwrap(settings.judges) else {
        return out.fail(Problem::error(
            Code::Internal,
            "internal error: the profile finder is still shared after discovery",
        ));
    };
    let (judges, problems) = judges.finish();
    if !problems.is_empty() {
        out.problems(&problems);
        return Outcome::Failed;
    }
    // Each distinct list of policy sets is loaded once.
    let mut libraries: Vec<Library> = Vec::new();
    let mut library_of: Vec<usize> = Vec::with_capacity(judges.len());
    for (j, judge) in judges.iter().enumerate() {
        match judges[..j]
            .iter()
            .position(|o| o.policy_sets == judge.policy_sets)
        {
            Some(same) => library_of.push(library_of[same]),
            None => match load(out, &judge.policy_sets) {
                Ok(l) => {
                    library_of.push(libraries.len());
                    libraries.push(l);
                }
                Err(o) => return o,
            },
        }
    }
    let benches: Vec<Bench<'_>> = judges
        .iter()
        .zip(&library_of)
        .map(|(judge, &l)| Bench {
            judge,
            library: &libraries[l],
        })
        .collect();
    let report = match scan(&config, &benches, found, &assignment) {
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
            group_by: match args.group_by {
                GroupByArg::Policy => GroupBy::Policy,
                GroupByArg::Device => GroupBy::Device,
            },
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
    outcome(out, &report, &judges)
}

/// The exit, by the coverage contract: evidence not read fails the scan
/// (exit 2) unless its judge allows it; so do records passed over under
/// `--strict`, and a scan that checked nothing. Violations count with
/// each finding's own judge's `fail_on`.
fn outcome(out: &Out, report: &Report, judges: &[Judge]) -> Outcome {
    let judge = |i: Option<usize>| i.and_then(|i| judges.get(i));
    let unread = report
        .inputs
        .iter()
        .filter(|i| i.state == InputState::Unread)
        .filter(|i| !judge(i.profile).is_some_and(|j| j.allow_unread))
        .count();
    if unread > 0 {
        out.eprint(&format!(
            "banscan: {} evidence (listed above); the scan is incomplete (--allow-unread lists it as a warning)\n",
            plural(unread, "file of unread", "files of unread")
        ));
        return Outcome::Failed;
    }
    let strict_skips: u64 = report
        .inputs
        .iter()
        .filter(|i| judge(i.profile).is_some_and(|j| j.strict))
        .filter_map(|i| i.skipped.as_ref().map(|s| s.count))
        .sum();
    if strict_skips > 0 {
        out.eprint(&format!(
            "banscan: --strict: {} passed over (listed above); the scan is incomplete\n",
            plural(strict_skips as usize, "record was", "records were")
        ));
        return Outcome::Failed;
    }
    let blocked: u64 = report.inputs.iter().map(|i| i.blocked).sum();
    if report.summary.items == 0 && blocked == 0 {
        out.eprint(
            "banscan: nothing was checked: the inputs hold no packages, apps or endpoints\n",
        );
        return Outcome::Failed;
    }
    let violations = report.findings.iter().any(|f| {
        f.waiver.is_none()
            && judge(f.profile)
                .map_or(FailOn::At(Severity::Restrict), |j| j.fail_on)
                .fails(f.severity)
    });
    if violations {
        Outcome::Violations
    } else {
        Outcome::Clean
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
