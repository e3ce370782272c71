//! Arguments → configuration → run. Defaults come first, then the profile
//! file, then flags; each command prints through the renderers and returns
//! an [`Outcome`].

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::Outcome;
use crate::cli::{Cli, Command, FailOnArg, OutputFormat, ScanArgs};
use crate::diag::{Code, Problem, Renderer};
use crate::input::Format;
use crate::policy::load::{load_library, load_profile};
use crate::policy::select::Audience;
use crate::policy::{FailOn, Library, PolicySetRef, Profile, Severity, vocab};
use crate::report::render::human;

mod policy;
use crate::scan::{ScanConfig, scan};

/// Where output goes; errors to stderr, results to stdout.
struct Out {
    color_out: bool,
    color_err: bool,
}

impl Out {
    fn new() -> Out {
        Out {
            color_out: Renderer::color_for(std::io::stdout().is_terminal()),
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
        self.eprint(&format!(
            "banscan: {errors} error{}\n",
            if errors == 1 { "" } else { "s" }
        ));
    }

    fn fail(&self, problem: Problem) -> Outcome {
        self.problems(&[problem]);
        Outcome::Failed
    }
}

fn usage(message: impl Into<String>, help: impl Into<String>) -> Problem {
    Problem::error(Code::UsageBadFlag, message).with_help(help)
}

pub fn run(cli: Cli) -> Outcome {
    let out = Out::new();
    match cli.command {
        Command::Scan(args) => run_scan(&out, args),
        Command::Policy(cmd) => policy::run(&out, cmd),
    }
}

fn sets(builtin: bool, paths: &[PathBuf]) -> Vec<PolicySetRef> {
    let mut sets = Vec::new();
    if builtin {
        sets.push(PolicySetRef::Builtin);
    }
    sets.extend(paths.iter().cloned().map(PolicySetRef::Path));
    sets
}

fn load(out: &Out, sets: &[PolicySetRef]) -> Result<Library, Outcome> {
    load_library(sets).map_err(|problems| {
        out.problems(&problems);
        Outcome::Failed
    })
}

/// The nearest `banscan.yaml` at or above `start`.
fn find_profile(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join("banscan.yaml");
        if candidate.is_file() {
            // Shown in reports: relative to the working folder when inside it.
            let cwd = std::env::current_dir()
                .ok()
                .and_then(|c| std::fs::canonicalize(c).ok());
            return Some(
                match cwd.and_then(|c| candidate.strip_prefix(&c).ok().map(Path::to_path_buf)) {
                    Some(relative) => relative,
                    None => candidate,
                },
            );
        }
        dir = d.parent();
    }
    None
}

fn parse_as_of(text: Option<&str>) -> Result<jiff::civil::Date, Problem> {
    match text {
        Some(t) => crate::yaml::parse_date(t)
            .map_err(|e| usage(format!("--as-of: {e}"), "write the date as YYYY-MM-DD")),
        None => Ok(jiff::ZonedDateTime::now().date()),
    }
}

fn check_audience(jurisdiction: Option<&str>, sectors: &[String]) -> Result<(), Problem> {
    if let Some(j) = jurisdiction {
        vocab::check_jurisdiction(j).map_err(|e| {
            usage(
                format!("--jurisdiction: {e}"),
                "use an ISO code such as TW or US-TX",
            )
        })?;
    }
    for s in sectors {
        if !vocab::is_sector(s) {
            let names: Vec<&str> = vocab::SECTORS.iter().map(|(n, _)| *n).collect();
            return Err(usage(
                format!("--sector: unknown sector `{s}`"),
                format!("use one of: {}", names.join(", ")),
            ));
        }
    }
    Ok(())
}

fn run_scan(out: &Out, args: ScanArgs) -> Outcome {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let as_of = match parse_as_of(args.as_of.as_deref()) {
        Ok(d) => d,
        Err(p) => return out.fail(p),
    };
    if let Err(p) = check_audience(args.jurisdiction.as_deref(), &args.sector) {
        return out.fail(p);
    }
    let profile_path = match (&args.profile, args.no_profile) {
        (Some(p), _) => Some(p.clone()),
        (None, true) => None,
        (None, false) => find_profile(&paths[0]),
    };
    let profile: Option<Profile> = match profile_path {
        Some(p) => match load_profile(&p) {
            Ok(profile) => Some(profile),
            Err(problems) => {
                out.problems(&problems);
                return Outcome::Failed;
            }
        },
        None => None,
    };

    let mut policy_sets = match &profile {
        Some(p) if !p.policies.is_empty() => p.policies.clone(),
        _ => vec![PolicySetRef::Builtin],
    };
    if args.sources.no_builtin {
        policy_sets.retain(|s| *s != PolicySetRef::Builtin);
    }
    policy_sets.extend(
        args.sources
            .policies
            .iter()
            .cloned()
            .map(PolicySetRef::Path),
    );
    if policy_sets.is_empty() {
        return out.fail(usage(
            "no policies to check against",
            "drop --no-builtin or add --policies PATH",
        ));
    }
    let library = match load(out, &policy_sets) {
        Ok(l) => l,
        Err(o) => return o,
    };

    let audience = Audience {
        jurisdiction: args
            .jurisdiction
            .clone()
            .or_else(|| profile.as_ref().and_then(|p| p.jurisdiction.clone())),
        sectors: if args.sector.is_empty() {
            profile
                .as_ref()
                .map(|p| p.sectors.clone())
                .unwrap_or_default()
        } else {
            args.sector.clone()
        },
        organization: args
            .organization
            .clone()
            .or_else(|| profile.as_ref().and_then(|p| p.organization.clone())),
    };
    let fail_on = match args.fail_on {
        Some(FailOnArg::Ban) => FailOn::At(Severity::Ban),
        Some(FailOnArg::Restrict) => FailOn::At(Severity::Restrict),
        Some(FailOnArg::Advisory) => FailOn::At(Severity::Advisory),
        Some(FailOnArg::Never) => FailOn::Never,
        None => profile
            .as_ref()
            .and_then(|p| p.fail_on)
            .unwrap_or(FailOn::At(Severity::Restrict)),
    };
    let config = ScanConfig {
        paths,
        input_format: args.input_format.as_deref().and_then(Format::from_name),
        as_of,
        audience,
        profile,
    };
    let report = match scan(&library, &config) {
        Ok(r) => r,
        Err(e) => {
            return out.fail(Problem::error(
                Code::Internal,
                format!("internal error while compiling policies: {e}"),
            ));
        }
    };

    let to_file = args.output.is_some();
    let text = match args.format {
        OutputFormat::Json => report.to_json(),
        OutputFormat::Human => human::render(&report, !to_file && out.color_out, args.quiet),
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = crate::write_atomically(path, text.as_bytes()) {
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
        None => out.print(&text),
    }
    if report.summary.inputs_failed > 0 {
        Outcome::Failed
    } else if report.violations(fail_on) > 0 {
        Outcome::Violations
    } else {
        Outcome::Clean
    }
}
