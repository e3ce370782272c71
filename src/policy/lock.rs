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

/// Why a folder could not be locked or verified. I/O errors keep the path
/// they happened at, since an `io::Error` does not say which file.
#[derive(Debug)]
pub enum LockError {
    /// The folder's policy files could not be listed; the problem's
    /// message is the whole text.
    List(Problem),
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `verify` found no readable lockfile in `dir`; the message says how
    /// to create one.
    NoLockfile {
        dir: PathBuf,
        source: std::io::Error,
    },
    /// A lockfile line (1-based) that is not `<sha256>  <path>`.
    BadLine { path: PathBuf, line: usize },
}

impl std::fmt::Display for LockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LockError::List(problem) => f.write_str(&problem.message),
            LockError::Read { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            LockError::Write { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
            LockError::NoLockfile { dir, source } => write!(
                f,
                "cannot read {}: {source}; create it with `banscan policy lock {}`",
                lockfile_path(dir).display(),
                dir.display()
            ),
            LockError::BadLine { path, line } => write!(
                f,
                "{}:{line}: not a `<sha256>  <path>` line; recreate the lockfile with `banscan policy lock`",
                path.display()
            ),
        }
    }
}

// No `source()`: the I/O error's text is already in each message.
impl std::error::Error for LockError {}

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
pub fn digests(dir: &Path) -> Result<BTreeMap<String, String>, LockError> {
    let files = policy_files(dir).map_err(LockError::List)?;
    let mut out = BTreeMap::new();
    for file in files {
        let rel = file
            .strip_prefix(dir)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        let digest = digest_file(&file).map_err(|source| LockError::Read { path: file, source })?;
        out.insert(rel, digest);
    }
    Ok(out)
}

pub fn lockfile_path(dir: &Path) -> PathBuf {
    dir.join(LOCKFILE)
}

/// What [`lock`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Locked {
    /// How many policy files the lockfile pins.
    pub files: usize,
    /// The sha256 of the lockfile itself, the value a profile pins.
    pub sha256: String,
}

impl Locked {
    /// The pin as a profile writes it.
    pub fn pin(&self) -> String {
        format!("sha256:{}", self.sha256)
    }
}

/// Writes the lockfile and returns its own digest: one value that stands
/// for every file of the rule set, for a profile to pin.
pub fn lock(dir: &Path) -> Result<Locked, LockError> {
    let digests = digests(dir)?;
    let text = lock_text(&digests);
    let path = lockfile_path(dir);
    crate::write_atomically(&path, text.as_bytes())
        .map_err(|source| LockError::Write { path, source })?;
    Ok(Locked {
        files: digests.len(),
        sha256: hex::encode(Sha256::digest(text.as_bytes())),
    })
}

/// A lockfile's text: a `<sha256>  <path>` line per file, by path.
fn lock_text(digests: &BTreeMap<String, String>) -> String {
    digests
        .iter()
        .map(|(path, digest)| format!("{digest}  {path}\n"))
        .collect()
}

/// What `banscan policy lock` would pin for a policy set, computed without
/// writing: the built-in set from its embedded files (equal to the
/// digest of `policies/policies.lock`), a folder or file from disk.
pub fn set_digest(set: &super::PolicySetRef) -> Result<Locked, LockError> {
    let digests = match set.path() {
        None => super::builtin::FILES
            .iter()
            .map(|(path, text)| {
                // Embedded as `policies/<path>`; the lockfile is in that folder.
                let rel = path.strip_prefix("policies/").unwrap_or(path);
                (
                    rel.to_string(),
                    hex::encode(Sha256::digest(text.as_bytes())),
                )
            })
            .collect(),
        Some(root) if root.is_file() => {
            let name = root.file_name().map_or_else(
                || root.to_string_lossy().into_owned(),
                |n| n.to_string_lossy().into_owned(),
            );
            let digest = digest_file(root).map_err(|source| LockError::Read {
                path: root.to_path_buf(),
                source,
            })?;
            BTreeMap::from([(name, digest)])
        }
        Some(root) => digests(root)?,
    };
    Ok(Locked {
        files: digests.len(),
        sha256: hex::encode(Sha256::digest(lock_text(&digests).as_bytes())),
    })
}

/// The sha256 of `dir`'s lockfile as it is on disk, to compare with a pin.
pub fn lockfile_sha256(dir: &Path) -> Result<String, LockError> {
    let path = lockfile_path(dir);
    let bytes = std::fs::read(&path).map_err(|source| LockError::NoLockfile {
        dir: dir.to_path_buf(),
        source,
    })?;
    Ok(hex::encode(Sha256::digest(&bytes)))
}

/// Compares the folder with its lockfile.
pub fn verify(dir: &Path) -> Result<Vec<Change>, LockError> {
    let path = lockfile_path(dir);
    let text = std::fs::read_to_string(&path).map_err(|source| LockError::NoLockfile {
        dir: dir.to_path_buf(),
        source,
    })?;
    let mut locked = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (digest, file) = line
            .split_once("  ")
            .filter(|(d, _)| d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| LockError::BadLine {
                path: path.clone(),
                line: n + 1,
            })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each failure mode's message is the text users saw when the error
    /// was a `String`, naming the file it happened at.
    #[test]
    fn error_messages() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let missing = root.join("missing");
        let message = lock(&missing).unwrap_err().to_string();
        assert!(
            message.starts_with(&format!("cannot read policies at {}: ", missing.display())),
            "{message}"
        );
        let file = root.join("p.yaml");
        std::fs::write(&file, "").unwrap();
        let message = lock(&file).unwrap_err().to_string();
        assert!(
            message.starts_with(&format!("cannot write {}: ", file.join(LOCKFILE).display())),
            "{message}"
        );
        let message = verify(root).unwrap_err().to_string();
        let lockfile = root.join(LOCKFILE);
        assert!(
            message.starts_with(&format!("cannot read {}: ", lockfile.display()))
                && message.ends_with(&format!(
                    "; create it with `banscan policy lock {}`",
                    root.display()
                )),
            "{message}"
        );
        std::fs::write(&lockfile, "\nnot a digest\n").unwrap();
        assert_eq!(
            lockfile_sha256(root).unwrap(),
            hex::encode(Sha256::digest(b"\nnot a digest\n"))
        );
        assert_eq!(
            verify(root).unwrap_err().to_string(),
            format!(
                "{}:2: not a `<sha256>  <path>` line; recreate the lockfile with `banscan policy lock`",
                lockfile.display()
            )
        );
    }
}
