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
pub mod draft;
pub mod export;
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
///
/// Only a regular file, or a path not there yet, is replaced that way: a
/// rename over `/dev/null`, a FIFO or a symlink replaces the device or the
/// link itself (run as root, `-o /dev/null` once turned a machine's
/// /dev/null into a regular file). A symlink is followed to its file; any
/// other kind of file is written in place.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(e),
        Ok(meta) if meta.file_type().is_symlink() => match std::fs::canonicalize(path) {
            Ok(real) => real,
            // A dangling link: writing through it creates its target.
            Err(_) => return std::fs::write(path, bytes),
        },
        Ok(_) => path.to_path_buf(),
    };
    match std::fs::metadata(&target) {
        Ok(meta) if !meta.is_file() => return std::fs::write(&target, bytes),
        _ => {}
    }
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
