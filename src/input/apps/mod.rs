//! Installed-application inventories: which apps are on which devices.

pub mod app_csv;
pub mod defender;
pub mod fleet;
pub mod osquery;
