//! The device an export is from, when the export itself does not say:
//! inventories gathered one file a device are named after it
//! (`inventory/PC-0042.txt`, `phones/PHONE-7.txt`), so the file name is
//! the device, unless it is a name the tool or the format gives every
//! such file (`packages.txt`, `SPApplicationsDataType.json`), which says
//! nothing about the device.

/// File stems that name the export, not a device.
const GENERIC: &[&str] = &[
    "android-packages",
    "applications",
    "apps",
    "dpkg",
    "dpkg-status",
    "export",
    "inventory",
    "output",
    "packages",
    "pm-list",
    "pm-list-packages",
    "software",
    "status",
];

/// Stem prefixes of the names tools write (`system_profiler-2024.json`).
const GENERIC_PREFIXES: &[&str] = &["spapplicationsdatatype", "system_profiler"];

/// The device named by the file `source` (a path as shown in reports),
/// or `None` when its name is generic.
pub fn from_file_name(source: &str) -> Option<&str> {
    let file = source.rsplit(['/', '\\']).next().unwrap_or(source);
    let stem = file.split_once('.').map_or(file, |(stem, _)| stem).trim();
    let lower = stem.to_ascii_lowercase();
    let generic = stem.is_empty()
        || GENERIC.contains(&lower.as_str())
        || GENERIC_PREFIXES.iter().any(|p| lower.starts_with(p));
    (!generic).then_some(stem)
}

#[cfg(test)]
mod tests {
    use super::from_file_name;

    /// One export a device: the stem is the device; generic names and
    /// hidden files give none.
    #[test]
    fn device_from_the_file_name() {
        assert_eq!(from_file_name("inventory/PC-0042.txt"), Some("PC-0042"));
        assert_eq!(from_file_name(r"exports\PHONE-7.list.txt"), Some("PHONE-7"));
        assert_eq!(from_file_name("MAC-01.json"), Some("MAC-01"));
        assert_eq!(from_file_name("phones/packages.txt"), None);
        assert_eq!(from_file_name("SPApplicationsDataType.json"), None);
        assert_eq!(from_file_name("system_profiler-mac.json"), None);
        assert_eq!(from_file_name(".hidden"), None);
    }
}
