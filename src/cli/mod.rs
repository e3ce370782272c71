//! The command line: clap definitions in [`args`], made into settings in
//! [`config`].

pub mod args;
pub mod config;

pub use args::*;
