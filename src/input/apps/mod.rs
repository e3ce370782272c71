//! Installed-application inventories: which apps are on which devices.

pub mod android_packages;
pub mod app_csv;
pub mod defender;
pub mod defender_api_page;
pub(crate) mod device;
pub mod fleet;
pub mod macos_apps;
pub mod osquery;

/// An app's name as a macOS bundle folder gives it (`WeChat.app`, as Jamf
/// Pro's Application Title and osquery's `apps.name` write it) without the
/// folder suffix, so that a policy naming `WeChat` matches. Table filters
/// that look names up by their cell strip it the same way.
pub fn app_name(name: &str) -> &str {
    name.strip_suffix(".app")
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(name)
}
