//! Arguments → configuration → run. Defaults come first, then the profile
//! file, then flags; each command prints through the renderers and returns
//! an [`Outcome`].

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::Outcome;
use crate::cli::{Cli, Command};
use crate::diag::{Problem, Renderer};
use crate::policy::load::{Examples, load_all, load_library};
use crate::policy::{Library, PolicySetRef};

mod completions;
mod export;
mod formats;
mod init;
mod policy;
mod policy_diff;
mod policy_draft;
mod policy_new;
mod policy_timeline;
mod progress;
mod report;
mod scan;

/// Where output goes; errors to stderr, results to stdout.
struct Out {
    color_out: bool,
    /// Standard output is a terminal (its width then sets the report's).
    terminal_out: bool,
    color_err: bool,
}

impl Out {
    fn new() -> Out {
        Out {
            color_out: Renderer::color_for(std::io::stdout().is_terminal()),
            terminal_out: std::io::stdout().is_terminal(),
            color_err: Renderer::color_for(std::io::stderr().is_terminal()),
        }
    }

    fn print(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        // A closed pipe (`banscan ... | head`) is not an error worth a panic.
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }

    fn eprint(&self, text: &str) {
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }

    /// Prints diagnostics to stderr and says how many.
    fn problems(&self, problems: &[Problem]) {
        let renderer = Renderer::new(self.color_err);
        for p in problems {
            self.eprint(&renderer.render(p));
            self.eprint("\n");
        }
        let errors = problems
            .iter()
            .filter(|p| p.severity == miette::Severity::Error)
            .count();
        // Warnings alone are counted as warnings, not as "0 errors".
        let (n, what) = match errors {
            0 => (problems.len(), "warning"),
            n => (n, "error"),
        };
        self.eprint(&format!(
            "banscan: {n} {what}{}\n",
            if n == 1 { "" } else { "s" }
        ));
    }

    fn fail(&self, problem: Problem) -> Outcome {
        self.problems(&[problem]);
        Outcome::Failed
    }
}

pub fn run(cli: Cli) -> Outcome {
    let out = Out::new();
    match cli.command {
        Command::Scan(args) => scan::run(&out, *args),
        Command::Formats => formats::run(&out),
        Command::Policy(cmd) => policy::run(&out, cmd),
        Command::Report(cmd) => report::run(&out, cmd),
        Command::Init(args) => init::run(&out, &args),
        Command::Completions { shell } => completions::completions(&out, shell),
        Command::Man { command } => completions::man(&out, command.as_deref()),
    }
}

/// Reads a saved JSON report; what is wrong with it is an error naming
/// the file and, for bad JSON, the line.
fn read_report(path: &std::path::Path) -> Result<crate::report::Report, Problem> {
    use crate::diag::Code;
    use crate::report::{READABLE_SCHEMAS, Report};
    let shown = path.display();
    let bad = |message: String| Problem::error(Code::UsageBadReport, message);
    let text = std::fs::read_to_string(path).map_err(|e| {
        bad(format!("cannot read the report {shown}: {e}"))
            .with_help("give the JSON report an earlier `banscan scan --format json -o FILE` wrote")
    })?;
    let schema = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("schema")?.as_str().map(str::to_string));
    if let Some(schema) = &schema
        && !READABLE_SCHEMAS.contains(&schema.as_str())
    {
        return Err(bad(format!(
            "{shown} is a `{schema}` report; this banscan reads {}",
            READABLE_SCHEMAS.join(" and ")
        ))
        .with_help("scan again with this banscan to make a report it reads"));
    }
    serde_json::from_str::<Report>(&text).map_err(|e| {
        let line = e.line();
        let problem = bad(format!("{shown}:{line}: not a banscan JSON report: {e}")).with_help(
            "give the JSON report an earlier `banscan scan --format json -o FILE` wrote",
        );
        match text.lines().nth(line.saturating_sub(1)) {
            Some(text) if line > 0 => problem.on_line(
                &shown.to_string(),
                u32::try_from(line).unwrap_or(u32::MAX),
                u32::try_from(e.column()).unwrap_or(1),
                1,
                text,
                "here",
            ),
            _ => problem,
        }
    })
}

/// Writes one report in `format` to `path` (atomically) or to standard
/// output; a write that fails is an error (exit 2), a closed pipe is not.
fn write_report(
    out: &Out,
    report: &crate::report::Report,
    format: crate::report::render::Format,
    path: Option<&std::path::Path>,
    mut options: crate::report::render::Options,
) -> Result<(), Outcome> {
    use crate::diag::Code;
    let write_failed = |e: std::io::Error, to: String| {
        out.fail(
            Problem::error(Code::UsageWrite, format!("cannot write {to}: {e}"))
                .with_help("check that the folder exists and is writable"),
        )
    };
    match path {
        Some(path) => {
            options.color = false;
            let renderer = crate::report::render::renderer(format, options);
            let mut bytes = Vec::new();
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
                && let Err(e) = std::fs::create_dir_all(dir)
            {
                return Err(write_failed(e, dir.display().to_string()));
            }
            renderer
                .render(report, &mut bytes)
                .and_then(|()| crate::write_atomically(path, &bytes))
                .map_err(|e| write_failed(e, path.display().to_string()))
        }
        None => {
            let renderer = crate::report::render::renderer(format, options);
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            match renderer
                .render(report, &mut lock)
                .and_then(|()| lock.flush())
            {
                Ok(()) => Ok(()),
                // `banscan scan | head`: the reader has what it wanted.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(write_failed(e, "the report to standard output".into())),
            }
        }
    }
}

/// `1 policy`, `2 policies`; `1 file differs`, `2 files differ`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn sets(builtin: bool, paths: &[PathBuf]) -> Vec<PolicySetRef> {
    let mut sets = Vec::new();
    if builtin {
        sets.push(PolicySetRef::Builtin);
    }
    sets.extend(paths.iter().cloned().map(PolicySetRef::Path));
    sets
}

/// Loads for a scan, `list` and `show`: a user policy without examples is
/// usable (the scan warns about it).
fn load(out: &Out, sets: &[PolicySetRef]) -> Result<Library, Outcome> {
    load_library(sets).map_err(|problems| {
        out.problems(&problems);
        Outcome::Failed
    })
}

/// Loads for `policy test`: every policy must carry its examples.
fn load_tested(out: &Out, sets: &[PolicySetRef]) -> Result<Library, Outcome> {
    let sets: Vec<_> = sets.iter().map(|s| (s.clone(), None)).collect();
    let loaded = load_all(&sets, Examples::Required);
    if loaded.problems.is_empty() {
        Ok(loaded.library)
    } else {
        out.problems(&loaded.problems);
        Err(Outcome::Failed)
    }
}
