//! Dependency manifests and lockfiles of code projects.
//!
//! One module per format; each turns a manifest into
//! [`Package`](crate::input::Package) items.

pub mod requirements;
