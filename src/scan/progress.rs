//! How far a scan has got, counted where the work is done and read by
//! whoever shows it (the command's progress bar): the scan knows nothing
//! of terminals.

use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Default)]
pub struct Progress {
    files_total: AtomicU64,
    files_done: AtomicU64,
    /// Decoded bytes read: blocks of a large log as they are read, other
    /// files whole when done.
    bytes: AtomicU64,
}

/// A moment's reading of a [`Progress`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seen {
    pub files_total: u64,
    pub files_done: u64,
    pub bytes: u64,
}

impl Progress {
    pub fn start(&self, files: u64) {
        self.files_total.store(files, Ordering::Relaxed);
    }

    pub fn read(&self, bytes: u64) {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    pub fn file_done(&self) {
        self.files_done.fetch_add(1, Ordering::Relaxed);
    }

    pub fn seen(&self) -> Seen {
        Seen {
            files_total: self.files_total.load(Ordering::Relaxed),
            files_done: self.files_done.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        }
    }
}
