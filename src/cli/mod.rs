//! The command line: clap definitions in [`args`].

pub mod args;

pub use args::*;
