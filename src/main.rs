//! The `banscan` binary: parse arguments, run, map the outcome to an exit code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = match banscan::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Help and version are successes; argument errors are exit 2.
            return std::process::ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    banscan::internal::install_panic_hook();
    banscan::internal::exit_on_interrupt();
    let outcome = banscan::internal::catch(|| banscan::cmd::run(cli));
    // A panic anywhere, even one a scan survived, fails the run.
    let code = match outcome {
        Ok(outcome) if !banscan::internal::panicked() => outcome as u8,
        _ => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!(
                    "banscan: the run failed because of an internal error (banscan::internal::bug above); exit 2"
                );
            }
            banscan::Outcome::Failed as u8
        }
    };
    std::process::ExitCode::from(code)
}
