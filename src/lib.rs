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
pub mod internal;
pub mod matcher;
pub mod policy;
pub mod report;
pub mod scan;
pub mod yaml;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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

/// Temporary files being written now: an interrupted run removes them
/// ([`remove_partial_files`]), so it leaves no half-written report.
static WRITING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A temporary file registered in [`WRITING`] while it lives.
struct Writing(PathBuf);

impl Writing {
    fn start(path: &Path) -> Writing {
        if let Ok(mut w) = WRITING.lock() {
            w.push(path.to_path_buf());
        }
        Writing(path.to_path_buf())
    }
}

impl Drop for Writing {
    fn drop(&mut self) {
        if let Ok(mut w) = WRITING.lock() {
            w.retain(|p| *p != self.0);
        }
    }
}

/// Removes the temporary files being written; for the interrupt handler,
/// just before the process exits.
pub fn remove_partial_files() {
    if let Ok(mut w) = WRITING.lock() {
        for path in w.drain(..) {
            let _ = std::fs::remove_file(path);
        }
    }
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
    let _writing = Writing::start(&tmp);
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
