//! Package names and versions from distribution file names: wheels
//! (`name-ver[-build]-py-abi-plat.whl`) and sdists (`name-ver.tar.gz`).

use std::str::FromStr;

use pep440_rs::Version;

use super::pep508::valid_name;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Archive {
    Wheel,
    Sdist,
}

pub(super) const SDIST_SUFFIXES: &[&str] = &[
    ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".zip",
];

pub(super) fn archive_kind(file: &str) -> Option<Archive> {
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".whl") {
        Some(Archive::Wheel)
    } else if SDIST_SUFFIXES.iter().any(|s| lower.ends_with(s)) {
        Some(Archive::Sdist)
    } else {
        None
    }
}

/// Name and version from a wheel (`name-ver[-build]-py-abi-plat.whl`) or an
/// sdist (`name-ver.tar.gz`) file name, when they are valid.
pub(super) fn archive_name(file: &str) -> Option<(&str, &str)> {
    let lower = file.to_ascii_lowercase();
    let (name, version) = match archive_kind(file)? {
        Archive::Wheel => {
            let stem = &file[..file.len() - ".whl".len()];
            let parts: Vec<&str> = stem.split('-').collect();
            if parts.len() != 5 && parts.len() != 6 {
                return None;
            }
            (parts[0], parts[1])
        }
        Archive::Sdist => {
            let suffix = SDIST_SUFFIXES.iter().find(|s| lower.ends_with(*s))?;
            file[..file.len() - suffix.len()].rsplit_once('-')?
        }
    };
    (valid_name(name) && Version::from_str(version).is_ok()).then_some((name, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_names() {
        assert_eq!(
            archive_name("torch-2.3.0+cpu-cp312-cp312-linux_x86_64.whl"),
            Some(("torch", "2.3.0+cpu"))
        );
        assert_eq!(archive_name("my_pkg-1.0.tar.gz"), Some(("my_pkg", "1.0")));
        assert_eq!(archive_name("setup.py"), None);
        assert_eq!(archive_name("notaversion-x.zip"), None);
    }
}
