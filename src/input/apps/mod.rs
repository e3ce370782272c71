//! Installed-application inventories: which apps are on which devices.

pub mod android_packages;
pub mod app_csv;
mod device;
pub mod macos_apps;
