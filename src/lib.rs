//! banscan: checks software against government bans.
//!
//! Data flows one way: policies are loaded and validated ([`policy`]),
//! selected for the organisation and the day, compiled into a ban set and
//! indexes ([`policy::compile`], [`matcher`]); inputs are discovered and
//! decoded, and their parsers lend items to a sink ([`input`]); items are
//! matched into findings ([`scan`]) and the [`report`] is rendered.
//! [`cmd`] turns arguments ([`cli`]) into that run; [`check`] runs the
//! policies' own examples.

pub mod check;
pub mod cli;
pub mod cmd;
pub mod diag;
pub mod ident;
pub mod input;
pub mod matcher;
pub mod policy;
pub mod report;
pub mod scan;
pub mod yaml;

use std::io::Write;
use std::path::Path;

/// How a run ended; `main` turns it into the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing at or above `--fail-on`.
    Clean = 0,
    /// Violations (or, for `policy verify`, differences; for `policy test`, failures).
    Violations = 1,
    /// The run could not be completed: bad policy, bad input, bad arguments.
    Failed = 2,
}

/// Writes `bytes` to `path` through a temporary file in the same folder and
/// a rename, so a reader never sees half a report.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
