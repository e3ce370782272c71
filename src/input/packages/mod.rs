//! Dependency manifests and lockfiles of code projects.
//!
//! One module per format; each turns a manifest into
//! [`Package`](crate::input::Package) items.

mod cargo_graph;
pub mod cargo_lock;
pub mod cargo_toml;
pub mod composer_lock;
pub mod cyclonedx;
mod dist_name;
pub mod dpkg_list;
pub mod dpkg_query;
pub mod dpkg_status;
pub mod gemfile_lock;
pub mod go_mod;
pub mod go_sum;
pub mod gradle_lock;
pub mod graph;
pub(crate) mod json_lock;
pub mod maven_pom;
pub mod npm_lock;
pub mod npm_manifest;
pub mod nuget_lock;
mod pep508;
pub mod pipfile;
pub mod pipfile_lock;
pub mod pnpm_lock;
pub mod poetry_lock;
pub mod pyproject;
pub mod requirements;
mod requirements_sniff;
pub mod rpm_qa;
mod sbom;
pub mod spdx;
mod toml_lock;
pub mod uv_lock;
pub mod yarn_lock;
