//! `banscan scan`: settings ([`crate::cli::config`]) → the library → the
//! inputs → the scan → a renderer → the exit code.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::{Out, load, write_report};
use crate::Outcome;
use crate::cli::config::{ScanSettings, usage};
use crate::cli::{GroupByArg, ScanArgs};
use crate::diag::{Code, Problem};
use crate::input::detect::Found;
use crate::policy::{FailOn, Library, PolicySetRef, Severity};
use crate::report::render::{Format, GroupBy, Options, human};
use crate::report::{InputState, PolicySetInfo, Report, RunInfo};
use crate::scan::judges::Judge;
use crate::scan::{Assignment, Bench, find_inputs, scan};

pub(super) fn run(out: &Out, args: ScanArgs) -> Outcome {
    let started = jiff::Timestamp::now();
    let clock = std::time::Instant::now();
    let targets = match targets(&args) {
        Ok(t) => t,
        Err(problem) => return out.fail(problem),
    };
    let baseline = match &args.baseline {
        Some(path) => match super::read_report(path) {
            Ok(report) => Some(report),
            Err(problem) => return out.fail(problem),
        },
        None => None,
    };
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
    if let Some((output, input)) = targets
        .iter()
        .filter_map(|(_, path)| path.as_ref())
        .find_map(|output| Some((output, reads_output(output, &found)?)))
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
    let progress = std::sync::Arc::new(crate::scan::progress::Progress::default());
    config.progress = Some(std::sync::Arc::clone(&progress));
    let bar =
        super::progress::Bar::start(&progress, !args.quiet && std::io::stderr().is_terminal());
    let scanned = scan(&config, &benches, found, &assignment);
    bar.finish();
    let mut report = match scanned {
        Ok(r) => r,
        Err(e) => {
            return out.fail(Problem::error(
                Code::Internal,
                format!("internal error while compiling policies: {e}"),
            ));
        }
    };
    let mut sets: Vec<&PolicySetRef> = Vec::new();
    for set in judges.iter().flat_map(|j| &j.policy_sets) {
        if !sets.contains(&set) {
            sets.push(set);
        }
    }
    for set in sets {
        match crate::policy::lock::set_digest(set) {
            Ok(locked) => report.policy_sets.push(PolicySetInfo {
                source: set
                    .path()
                    .map_or_else(|| "builtin".into(), |p| p.to_string_lossy().into_owned()),
                files: locked.files,
                sha256: locked.sha256,
            }),
            Err(e) => {
                return out.fail(Problem::error(
                    Code::PolicyFileUnreadable,
                    format!("cannot take the digest of a policy set: {e}"),
                ));
            }
        }
    }
    if let Some(old) = &baseline {
        report.mark_baseline(old);
    }
    report.run = RunInfo {
        started: started
            .round(jiff::Unit::Second)
            .unwrap_or(started)
            .to_string(),
        duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
    };

    let options = Options {
        color: out.color_out,
        quiet: args.quiet,
        verbose: args.verbose,
        group_by: match args.group_by {
            GroupByArg::Policy => GroupBy::Policy,
            GroupByArg::Device => GroupBy::Device,
        },
        // As wide as the terminal, when the report goes to one.
        width: out
            .terminal_out
            .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
            .flatten(),
    };
    let to_stdout = targets.iter().any(|(_, path)| path.is_none());
    for (format, path) in &targets {
        if let Err(outcome) = write_report(out, &report, *format, path.as_deref(), options) {
            return outcome;
        }
    }
    if !to_stdout || args.quiet {
        out.eprint(&human::summary_line(&report));
    }
    outcome(out, &report, &judges)
}

/// Where each report goes: the `--format`s paired in order with the
/// `--output`s, an `--output` without a format told by its extension, one
/// format left over to standard output, and the `--report-dir` set.
fn targets(args: &ScanArgs) -> Result<Vec<(Format, Option<PathBuf>)>, Problem> {
    let (formats, outputs) = (&args.format, &args.output);
    if formats.len() > outputs.len() + 1 {
        return Err(usage(
            format!(
                "{} --format options but {} --output: every format but one needs a file",
                formats.len(),
                outputs.len()
            ),
            "give an --output after each --format (`--format json -o r.json --format sarif -o r.sarif`), or use --report-dir",
        ));
    }
    let mut targets = Vec::new();
    for (i, path) in outputs.iter().enumerate() {
        let format = formats
            .get(i)
            .copied()
            .unwrap_or_else(|| by_extension(path));
        targets.push((format, Some(path.clone())));
    }
    if let Some(&format) = formats.get(outputs.len()) {
        targets.push((format, None));
    } else if outputs.is_empty() && args.report_dir.is_none() {
        targets.push((Format::Human, None));
    }
    if let Some(dir) = &args.report_dir {
        targets.extend(Format::REPORT_DIR.map(|f| (f, Some(dir.join(f.file_name())))));
    }
    if args.quiet {
        // `-q`: findings in the short form and the summary, nothing else.
        for (format, path) in &mut targets {
            if *format == Format::Human && path.is_none() {
                *format = Format::Short;
            }
        }
    }
    Ok(targets)
}

/// The format a file's extension names; the human report for any other.
fn by_extension(path: &Path) -> Format {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("json") => Format::Json,
        Some("sarif") => Format::Sarif,
        Some("xml") => Format::Junit,
        Some("md" | "markdown") => Format::Markdown,
        Some("html" | "htm") => Format::Html,
        _ => Format::Human,
    }
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
            && !f.baseline
            && judge(f.profile)
                .map_or(FailOn::At(Severity::Restrict), |j| j.fail_on)
                .fails(f.severity, f.phase_out())
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
