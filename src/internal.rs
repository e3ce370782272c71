//! When banscan itself fails: a panic anywhere is a bug, and a bug must
//! neither print a bare backtrace nor let a scan pass. The binary installs
//! [`install_panic_hook`]; a scan catches a panic while reading one file
//! ([`catch`]), so the rest of the report is still made and that file is
//! unread evidence; and whatever a run returns, `main` exits 2 once any
//! panic happened ([`panicked`]). An interrupted run leaves no report
//! behind and exits 130 ([`exit_on_interrupt`]).

use std::panic::{self, AssertUnwindSafe};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

static PANICKED: AtomicBool = AtomicBool::new(false);

/// Set by `BANSCAN_FAULT_PANIC_ON=NAME`, the test suite's way to make the
/// reader of a file whose name ends with NAME panic, so that the path a
/// real bug would take is tested. Nothing else reads it.
pub const FAULT_ENV: &str = "BANSCAN_FAULT_PANIC_ON";

/// Prints a panic as an internal-error diagnostic (with the backtrace only
/// when `RUST_BACKTRACE` asks for one) and records that it happened.
pub fn install_panic_hook() {
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        PANICKED.store(true, Ordering::SeqCst);
        let place = info
            .location()
            .map_or(String::new(), |l| format!(" at {}:{}", l.file(), l.line()));
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "banscan::internal::bug\n\n  × internal error: {}{place}\n  help: this is a bug in banscan {}, not a problem with your files or \
                 policies; please report it with the command line and, if you can, the file being read. \
                 The run fails (exit 2) and no scan passes.",
                message(info.payload()),
                env!("CARGO_PKG_VERSION"),
            );
        }
        if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
            default(info);
        }
    }));
}

/// The exit code of a run stopped by SIGINT, SIGTERM or SIGHUP: 128 plus
/// SIGINT's number, as shells report an interrupted command.
pub const INTERRUPTED: i32 = 130;

/// On SIGINT, SIGTERM or SIGHUP: remove any report being written, say
/// so, and exit [`INTERRUPTED`]. Reports are written whole or not at all
/// ([`crate::write_atomically`]), so none is left half-written, and an
/// interrupted scan never exits 0.
pub fn exit_on_interrupt() {
    let installed = ctrlc::set_handler(|| {
        crate::remove_partial_files();
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "banscan: interrupted; the run stopped without a result and left no partial report (exit {INTERRUPTED})"
            );
        }
        std::process::exit(INTERRUPTED);
    });
    // Without a handler the signal's default action still ends the run
    // with no report written, so a failure to install one is not fatal.
    drop(installed);
}

/// Whether any thread has panicked in this run.
pub fn panicked() -> bool {
    PANICKED.load(Ordering::SeqCst)
}

/// Runs `f`, turning a panic into its message.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| message(&*payload))
}

/// A panic's message: the `&str` or `String` it was given, if any.
fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// Panics when the fault-injection variable names the end of `name`. The
/// variable is read once, not once a file.
pub fn inject_fault(name: &str) {
    static TARGET: OnceLock<Option<String>> = OnceLock::new();
    let target = TARGET.get_or_init(|| {
        std::env::var_os(FAULT_ENV)
            .map(|t| t.to_string_lossy().into_owned())
            .filter(|t| !t.is_empty())
    });
    if let Some(target) = target
        && name.ends_with(target.as_str())
    {
        panic!("fault injected by {FAULT_ENV} while reading {name}");
    }
}
