//! Installed-application inventories: which apps are on which devices.

pub mod android_packages;
pub mod app_csv;
pub mod defender;
pub mod defender_api_page;
pub(crate) mod device;
pub mod fleet;
pub mod macos_apps;
pub mod osquery;
