//! `banscan completions SHELL` and `banscan man [COMMAND]`: generated from
//! the clap definition of the command line, so a new flag is completed and
//! documented the day it is added, with nothing written twice.

use clap::CommandFactory;
use clap_complete::Shell;

use super::Out;
use crate::Outcome;
use crate::cli::Cli;
use crate::cli::config::usage;

pub(super) fn completions(out: &Out, shell: Shell) -> Outcome {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "banscan", &mut script);
    out.print(&String::from_utf8_lossy(&script));
    Outcome::Clean
}

/// The page of banscan, or of one of its commands (`banscan man scan`
/// gives `banscan-scan(1)`, as `git help` names its pages).
pub(super) fn man(out: &Out, command: Option<&str>) -> Outcome {
    let mut cli = Cli::command();
    // Built, so every subcommand carries the version and help flags.
    cli.build();
    let page = match command {
        None => cli,
        Some(name) => match cli.find_subcommand(name) {
            Some(sub) => {
                let full = format!("banscan-{}", sub.get_name());
                sub.clone().display_name(full)
            }
            None => {
                let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
                return out.fail(usage(
                    format!("no command `{name}`"),
                    format!("name one of: {}", names.join(", ")),
                ));
            }
        },
    };
    let mut roff = Vec::new();
    let source = format!("banscan {}", env!("CARGO_PKG_VERSION"));
    match clap_mangen::Man::new(page).source(source).render(&mut roff) {
        Ok(()) => {
            out.print(&String::from_utf8_lossy(&roff));
            Outcome::Clean
        }
        // Rendering into memory fails only on a bug in the generator.
        Err(e) => out.fail(usage(
            format!("cannot render the man page: {e}"),
            "report this as a bug",
        )),
    }
}
