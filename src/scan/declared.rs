//! Where a lockfile's package comes from in the project's own words: the
//! manifest beside the lockfile (`package.json` beside `package-lock.json`,
//! `pyproject.toml` beside `uv.lock`) declares the direct dependency that
//! starts the package's path, and a reader fixing the finding edits that
//! line, not the lockfile.
//!
//! This runs after the scan and only for findings with a dependency path,
//! so readers stay one file each and a scan without such findings reads no
//! extra file. The manifest is found on disk, whether or not it was among
//! the scanned paths; one that is missing or cannot be read gives no
//! label (when it was scanned, its own entry reports the problem).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::ident::Ecosystem;
use crate::input::Kind;
use crate::input::{At, Excerpt, Flow, InputProblem, ItemView, Limits, Sink, Source};
use crate::report::{Declared, Evidence, Finding, Location};

/// The manifests that declare what a lockfile format resolves: file name
/// beside the lockfile, and the format it is read as.
fn manifests_of(lockfile_format: &str) -> &'static [(&'static str, &'static str)] {
    match lockfile_format {
        "npm-lock" | "pnpm-lock" | "yarn-lock" => &[("package.json", "npm-manifest")],
        "uv-lock" | "poetry-lock" => &[("pyproject.toml", "pyproject")],
        "pipfile-lock" => &[("Pipfile", "pipfile")],
        "cargo-lock" => &[("Cargo.toml", "cargo-toml")],
        "go-sum" => &[("go.mod", "go-mod")],
        _ => &[],
    }
}

/// One direct dependency as a manifest declares it.
#[derive(Clone, Debug)]
struct Declaration {
    location: Location,
    evidence: Evidence,
}

/// The direct dependencies of one manifest, by ecosystem and package key.
type Declarations = HashMap<(Ecosystem, String), Declaration>;

/// Collects a manifest's direct dependencies; the first declaration of a
/// name wins (a name in `dependencies` and again in an optional group is
/// shown where it is first declared).
#[derive(Default)]
struct Collect(Declarations);

impl Sink for Collect {
    fn item(&mut self, item: ItemView<'_>, at: At<'_>) -> Flow {
        if let ItemView::Package(p) = item
            && p.direct != Some(false)
        {
            let excerpt = Excerpt::new(at.text, at.offset, at.len);
            self.0
                .entry((p.ecosystem, p.key.clone()))
                .or_insert_with(|| Declaration {
                    location: Location {
                        path: at.source.to_string(),
                        line: at.line,
                        column: u32::try_from(at.offset + 1).unwrap_or(u32::MAX),
                    },
                    evidence: Evidence {
                        text: excerpt.text,
                        column: excerpt.offset + 1,
                        len: excerpt.len,
                    },
                });
        }
        Flow::Continue
    }

    fn problem(&mut self, _problem: InputProblem) -> Flow {
        Flow::Continue
    }
}

/// A lockfile that was read: its format and where it is on disk.
pub struct Lockfile<'a> {
    pub format: &'static str,
    pub path: &'a Path,
}

/// Sets [`Finding::declared`] on every package finding whose path starts
/// at a direct dependency that a manifest beside its lockfile declares.
/// `lockfiles` maps a report path to the lockfile read there.
pub fn annotate(
    findings: &mut [Finding],
    lockfiles: &HashMap<&str, Lockfile<'_>>,
    limits: &Limits,
) {
    let mut read: HashMap<PathBuf, Option<Declarations>> = HashMap::new();
    for f in findings.iter_mut() {
        if f.item.kind != Kind::Package {
            continue;
        }
        let (Some(path), Some(ecosystem)) = (f.item.path.as_ref(), f.item.ecosystem.as_deref())
        else {
            continue;
        };
        let (Some(direct), Some(ecosystem)) = (path.get(1), Ecosystem::from_purl_type(ecosystem))
        else {
            continue;
        };
        let Some(lockfile) = lockfiles.get(f.location.path.as_str()) else {
            continue;
        };
        let key = (ecosystem, ecosystem.package_key(None, direct));
        for &(file, format) in manifests_of(lockfile.format) {
            let Some(dir) = lockfile.path.parent() else {
                continue;
            };
            let manifest = dir.join(file);
            let shown = shown_beside(&f.location.path, file);
            let declarations = read
                .entry(manifest.clone())
                .or_insert_with(|| declarations(&manifest, shown, format, limits));
            if let Some(d) = declarations.as_ref().and_then(|d| d.get(&key)) {
                f.declared = Some(Declared {
                    dependency: direct.clone(),
                    location: d.location.clone(),
                    evidence: d.evidence.clone(),
                });
                break;
            }
        }
    }
}

/// The report path of `file` in the folder of the report path `lockfile`.
fn shown_beside(lockfile: &str, file: &str) -> String {
    match lockfile.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{file}"),
        None => file.to_string(),
    }
}

/// The direct dependencies `manifest` declares, or `None` when it is not
/// there, is not read by this version, or cannot be read.
fn declarations(
    manifest: &Path,
    shown: String,
    format: &str,
    limits: &Limits,
) -> Option<Declarations> {
    let spec = crate::input::registry::by_name(format).filter(|f| f.is_read())?;
    if !manifest.is_file() {
        return None;
    }
    let source = Source::file(Arc::from(shown), manifest);
    let mut sink = Collect::default();
    // Declarations are what the file says: never a cargo run for them.
    let limits = Limits {
        cargo: Default::default(),
        ..limits.clone()
    };
    crate::input::read(&source, spec, &limits, &mut sink).ok()?;
    Some(sink.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_is_shown_in_its_lockfiles_folder() {
        assert_eq!(
            shown_beside("app/uv.lock", "pyproject.toml"),
            "app/pyproject.toml"
        );
        assert_eq!(shown_beside("uv.lock", "pyproject.toml"), "pyproject.toml");
    }
}
