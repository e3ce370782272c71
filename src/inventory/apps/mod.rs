//! Installed-application inventories: which apps are on which devices.

pub mod csv;
