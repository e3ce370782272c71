//! Dependency manifests and lockfiles of code projects.
//!
//! One module per ecosystem; each turns a manifest into
//! [`Package`](crate::inventory::Package) items.

pub mod python;
