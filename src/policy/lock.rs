//! `banscan policy lock` / `verify`: pin a rule set by the sha256 of each of
//! its files, so a CI job or an auditor can tell that the policies in use are
//! the ones that were reviewed. The lockfile is in `sha256sum` format, so it
//! can be checked without banscan too (`sha256sum -c policies.lock`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::load::policy_files;
use crate::diag::Problem;

pub const LOCKFILE: &str = "policies.lock";

/// A difference between the lockfile and the folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Changed(String),
    Added(String),
    Removed(String),
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Changed(p) => write!(f, "changed: {p}"),
            Change::Added(p) => write!(f, "added:   {p} (not in the lockfile)"),
            Change::Removed(p) => write!(f, "removed: {p} (in the lockfile, not on disk)"),
        }
    }
}

fn digest_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// The digest of every policy file below `dir`, by `/`-separated path
/// relative to `dir`.
pub fn digests(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let files = policy_files(dir).map_err(|p: Problem| p.message)?;
    let mut out = BTreeMap::new();
    for file in files {
        let rel = file
            .strip_prefix(dir)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        let digest =
            digest_file(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        out.insert(rel, digest);
    }
    Ok(out)
}

pub fn lockfile_path(dir: &Path) -> PathBuf {
    dir.join(LOCKFILE)
}

/// Writes the lockfile; returns how many files it pins.
pub fn lock(dir: &Path) -> Result<usize, String> {
    let digests = digests(dir)?;
    let mut text = String::new();
    for (path, digest) in &digests {
        text.push_str(&format!("{digest}  {path}\n"));
    }
    crate::write_atomically(&lockfile_path(dir), text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", lockfile_path(dir).display()))?;
    Ok(digests.len())
}

/// Compares the folder with its lockfile.
pub fn verify(dir: &Path) -> Result<Vec<Change>, String> {
    let path = lockfile_path(dir);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read {}: {e}; create it with `banscan policy lock {}`",
            path.display(),
            dir.display()
        )
    })?;
    let mut locked = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (digest, file) = line
            .split_once("  ")
            .filter(|(d, _)| d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| format!("{}:{}: not a `<sha256>  <path>` line; recreate the lockfile with `banscan policy lock`", path.display(), n + 1))?;
        locked.insert(file.to_string(), digest.to_ascii_lowercase());
    }
    let current = digests(dir)?;
    let mut changes = Vec::new();
    for (file, digest) in &current {
        match locked.get(file) {
            Some(d) if d == digest => {}
            Some(_) => changes.push(Change::Changed(file.clone())),
            None => changes.push(Change::Added(file.clone())),
        }
    }
    changes.extend(
        locked
            .keys()
            .filter(|f| !current.contains_key(*f))
            .map(|f| Change::Removed(f.clone())),
    );
    Ok(changes)
}
