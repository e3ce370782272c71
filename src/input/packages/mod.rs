//! Dependency manifests and lockfiles of code projects.
//!
//! One module per format; each turns a manifest into
//! [`Package`](crate::input::Package) items.

mod dist_name;
pub mod npm_lock;
mod pep508;
pub mod requirements;
mod requirements_sniff;
