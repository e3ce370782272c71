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

mod formats;
mod policy;
mod policy_diff;
mod policy_new;
mod scan;

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

pub fn run(cli: Cli) -> Outcome {
    let out = Out::new();
    match cli.command {
        Command::Scan(args) => scan::run(&out, args),
        Command::Formats => formats::run(&out),
        Command::Policy(cmd) => policy::run(&out, cmd),
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
