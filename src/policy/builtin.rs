//! The built-in policy library, embedded at build time from `policies/`.

use std::sync::{Arc, OnceLock};

use crate::diag::SourceFile;

include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

/// The prefix that marks a built-in file in diagnostics and reports.
pub const PREFIX: &str = "builtin:";

/// The built-in files as diagnostic sources, made once per process.
pub fn files() -> Vec<Arc<SourceFile>> {
    static CACHE: OnceLock<Vec<Arc<SourceFile>>> = OnceLock::new();
    CACHE
        .get_or_init(|| {
            FILES
                .iter()
                .map(|(path, text)| {
                    Arc::new(SourceFile::new(format!("{PREFIX}{path}"), Arc::from(*text)))
                })
                .collect()
        })
        .clone()
}
