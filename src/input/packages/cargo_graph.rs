//! The resolved dependency graph of one Cargo.toml, from `cargo metadata`
//! (through the `cargo_metadata` crate), for a manifest that no scanned
//! Cargo.lock covers, or for every manifest with `--cargo-metadata`.
//!
//! Why here and not a step of the scan: a reader already gets
//! [`Limits`](crate::input::Limits), so the choice (when, `--offline`, the
//! scanned roots) rides in its [`CargoRun`] field and the scan pipeline,
//! the reader signature and every other format stay as they were. The
//! reader emits the declared dependencies first, so a failed cargo run
//! still leaves them read and matched.
//!
//! How cargo is run, and what it may touch:
//! - `cargo metadata --format-version 1 --all-features --manifest-path
//!   <Cargo.toml>`: every optional dependency is in the graph, since a
//!   feature may turn it on; no `--filter-platform`, so every target's
//!   dependencies are too. `--offline` is added with `banscan scan
//!   --offline`.
//! - When the workspace already has a Cargo.lock, `--locked` is added: cargo
//!   reads it and fails (a diagnostic) rather than rewrite it.
//! - When there is none, cargo writes one (it cannot resolve without), so
//!   banscan deletes every Cargo.lock that was not there before the run as
//!   soon as cargo returns: the tree is left as it was found. The window
//!   is a fraction of a second; a build running in the same folder at that
//!   moment could lose a lockfile it just wrote. Copying the workspace to a
//!   temporary folder instead would break every `path` dependency that
//!   points outside it, and `--no-deps` loses the graph. Committing a
//!   Cargo.lock avoids running cargo at all.
//! - A `build.rustc` or `build.rustc-wrapper` that the scanned tree's
//!   `.cargo/config.toml` names is never run: the environment given to
//!   cargo overrides both (see [`metadata`]).
//! - Runs are one at a time in a process, and one run serves every member
//!   of its workspace (the graph is the workspace's).
//!
//! What the graph gives: every package reached from this manifest's own
//! package through the resolve graph (dev-dependencies only from the
//! manifest itself, not from the crates it depends on), with the shortest
//! chain of names from it, and a scope class searched in the order
//! run-time, optional, build, dev. Workspace members other than the
//! manifest's own package are packages like any other crate it depends on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use cargo_metadata::{CargoOpt, DependencyKind, Metadata, MetadataCommand};

use super::graph::Paths;
use crate::input::item::DepScope;
use crate::input::source::{CargoRun, CargoWhen};

/// Why the graph could not be had, in words for the report.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub help: String,
}

/// One crate the manifest's package depends on, directly or not.
#[derive(Debug)]
pub struct Resolved {
    pub name: String,
    pub version: String,
    /// From the manifest's package to this crate, both included.
    pub path: Vec<String>,
    pub scope: Option<DepScope>,
    /// For a direct dependency: the name the manifest gives it (its key,
    /// which a rename makes differ from `name`), as cargo reports it.
    pub key: Option<String>,
}

/// The packages one manifest brings in.
#[derive(Debug)]
pub struct Graph {
    pub crates: Vec<Resolved>,
}

/// Whether `manifest` (a file) is read with cargo too.
pub fn wanted(manifest: &Path, run: &CargoRun) -> bool {
    match run.when {
        CargoWhen::Never => false,
        CargoWhen::Always => true,
        CargoWhen::Unlocked => !covered(manifest, &run.roots),
    }
}

/// Whether a Cargo.lock that the scan reads covers `manifest`: one beside
/// its workspace root (itself, or the nearest folder above whose
/// Cargo.toml has `[workspace]`), inside a scanned path.
fn covered(manifest: &Path, roots: &[PathBuf]) -> bool {
    let Ok(manifest) = std::fs::canonicalize(manifest) else {
        return false;
    };
    let lock = workspace_root(&manifest).join("Cargo.lock");
    lock.is_file() && roots.iter().any(|r| lock.starts_with(r))
}

/// The folder whose Cargo.lock cargo uses for `manifest` (canonical): the
/// nearest folder at or above it whose Cargo.toml has a `[workspace]`
/// table, else the manifest's own. Cargo's rule, less `package.workspace`
/// and `exclude`, which only matter to a workspace cargo then rejects.
pub(super) fn workspace_root(manifest: &Path) -> PathBuf {
    let own = manifest.parent().unwrap_or(Path::new("/"));
    own.ancestors()
        .find(|d| has_workspace(&d.join("Cargo.toml")))
        .unwrap_or(own)
        .to_path_buf()
}

fn has_workspace(manifest: &Path) -> bool {
    // A manifest is small; a huge file named Cargo.toml is not one.
    let small = std::fs::metadata(manifest).is_ok_and(|m| m.is_file() && m.len() < 4 << 20);
    small
        && std::fs::read_to_string(manifest)
            .ok()
            .and_then(|t| t.parse::<toml::Table>().ok())
            .is_some_and(|t| t.contains_key("workspace"))
}

/// What cargo said, by workspace member manifest; the lock also makes the
/// runs one at a time.
type Cache = Vec<(PathBuf, Arc<Metadata>)>;
static RUNS: Mutex<Cache> = Mutex::new(Vec::new());

/// The crates `manifest` (a file) brings in, by running cargo.
pub fn resolve(manifest: &Path, run: &CargoRun) -> Result<Graph, Failure> {
    let manifest = std::fs::canonicalize(manifest).map_err(|e| Failure {
        message: format!("cannot find the manifest to run `cargo metadata` on: {e}"),
        help: "check that the file exists and is readable".to_string(),
    })?;
    let metadata = metadata(&manifest, run)?;
    graph(&metadata, &manifest)
}

fn metadata(manifest: &Path, run: &CargoRun) -> Result<Arc<Metadata>, Failure> {
    let mut cache = RUNS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, m)) = cache.iter().find(|(p, _)| p == manifest) {
        return Ok(Arc::clone(m));
    }
    let locked = workspace_root(manifest).join("Cargo.lock").is_file();
    let absent: Vec<PathBuf> = manifest
        .ancestors()
        .skip(1)
        .map(|d| d.join("Cargo.lock"))
        .filter(|l| !l.exists())
        .collect();
    let mut options = Vec::new();
    if locked {
        options.push("--locked".to_string());
    }
    if run.offline {
        options.push("--offline".to_string());
    }
    let mut command = MetadataCommand::new();
    command
        .manifest_path(manifest)
        .features(CargoOpt::AllFeatures)
        .other_options(options);
    // A scanned tree is not trusted: its `.cargo/config.toml` may name a
    // `build.rustc` or `build.rustc-wrapper` program, which `cargo
    // metadata` runs to learn the target. The environment overrides the
    // config: the user's own `RUSTC`, else `rustc` from PATH, and no
    // wrapper (none is needed to read metadata).
    if std::env::var_os("RUSTC").is_none() {
        command.env("RUSTC", "rustc");
    }
    command
        .env("RUSTC_WRAPPER", "")
        .env("RUSTC_WORKSPACE_WRAPPER", "");
    let result = command.exec();
    for lock in absent.iter().filter(|l| l.exists()) {
        // Cargo wrote it to resolve; the user's tree is left as it was.
        let _ = std::fs::remove_file(lock);
    }
    let metadata = Arc::new(result.map_err(|e| failure(&e, run.offline))?);
    for id in &metadata.workspace_members {
        if let Some(p) = metadata.packages.iter().find(|p| &p.id == id) {
            let path = std::fs::canonicalize(&p.manifest_path)
                .unwrap_or_else(|_| p.manifest_path.clone().into_std_path_buf());
            cache.push((path, Arc::clone(&metadata)));
        }
    }
    Ok(metadata)
}

/// Lines of cargo's error kept in a report.
const ERROR_LINES: usize = 4;

fn failure(e: &cargo_metadata::Error, offline: bool) -> Failure {
    let unread = "so the crates it brings in through its dependencies were not read \
                  (its declared dependencies were)";
    let lock = "commit a Cargo.lock beside the manifest (banscan reads it without cargo)";
    match e {
        cargo_metadata::Error::Io(io) if io.kind() == std::io::ErrorKind::NotFound => Failure {
            message: format!("cargo was not found to run `cargo metadata`, {unread}"),
            help: format!(
                "install cargo (rustup) and put it on PATH, or {lock}; `--allow-unread` lists this as a warning"
            ),
        },
        cargo_metadata::Error::CargoMetadata { stderr } => {
            let said: Vec<&str> = stderr
                .lines()
                .map(str::trim_end)
                .filter(|l| !l.trim().is_empty())
                .take(ERROR_LINES)
                .collect();
            let retry = if offline {
                "run without --offline so cargo can fetch what its cache lacks, or "
            } else {
                "fix what cargo says, or "
            };
            Failure {
                message: format!("`cargo metadata` failed, {unread}: {}", said.join(" / ")),
                help: format!("{retry}{lock}; `--allow-unread` lists this as a warning"),
            }
        }
        other => Failure {
            message: format!("`cargo metadata` could not be run or read ({other}), {unread}"),
            help: format!("check the cargo on PATH, or {lock}"),
        },
    }
}

fn graph(metadata: &Metadata, manifest: &Path) -> Result<Graph, Failure> {
    let missing = |what: &str| {
        Failure {
        message: format!("`cargo metadata` gave no {what} for this manifest, so the crates it brings in were not read"),
        help: "report this as a bug in banscan, with the output of `cargo metadata --format-version 1`".to_string(),
    }
    };
    let resolve = metadata
        .resolve
        .as_ref()
        .ok_or_else(|| missing("resolve graph"))?;
    let own = metadata
        .packages
        .iter()
        .find(|p| {
            std::fs::canonicalize(&p.manifest_path).is_ok_and(|m| m == manifest)
                || p.manifest_path.as_std_path() == manifest
        })
        .ok_or_else(|| missing("package"))?;
    let packages: HashMap<&cargo_metadata::PackageId, &cargo_metadata::Package> =
        metadata.packages.iter().map(|p| (&p.id, p)).collect();
    let index: HashMap<&cargo_metadata::PackageId, usize> = resolve
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (&n.id, i))
        .collect();
    let root = *index.get(&own.id).ok_or_else(|| missing("node"))?;
    let dev_only = |d: &cargo_metadata::NodeDep| {
        !d.dep_kinds.is_empty()
            && d.dep_kinds
                .iter()
                .all(|k| k.kind == DependencyKind::Development)
    };
    let edges: Vec<Vec<usize>> = resolve
        .nodes
        .iter()
        .map(|n| {
            n.deps
                .iter()
                .filter(|d| !dev_only(d))
                .filter_map(|d| index.get(&d.pkg).copied())
                .collect()
        })
        .collect();
    let mut seeds: Vec<(usize, Option<DepScope>)> = Vec::new();
    let mut keys: HashMap<usize, String> = HashMap::new();
    for d in &resolve.nodes[root].deps {
        let Some(&i) = index.get(&d.pkg) else {
            continue;
        };
        let name = packages.get(&d.pkg).map_or("", |p| p.name.as_str());
        let has = |kind: DependencyKind| {
            d.dep_kinds.is_empty() && kind == DependencyKind::Normal
                || d.dep_kinds.iter().any(|k| k.kind == kind)
        };
        let scope = if has(DependencyKind::Normal) {
            let optional = own
                .dependencies
                .iter()
                .any(|dep| dep.name == name && dep.optional && dep.kind == DependencyKind::Normal);
            optional.then_some(DepScope::Optional)
        } else if has(DependencyKind::Build) {
            Some(DepScope::Build)
        } else {
            Some(DepScope::Dev)
        };
        seeds.push((i, scope));
        keys.insert(i, d.name.clone());
    }
    let paths = Paths::search(resolve.nodes.len(), &[&seeds], |n| edges[n].as_slice());
    let name_of = |n: usize| {
        packages
            .get(&resolve.nodes[n].id)
            .map_or_else(String::new, |p| p.name.to_string())
    };
    let mut crates: Vec<Resolved> = (0..resolve.nodes.len())
        .filter(|&n| n != root)
        .filter_map(|n| {
            let scope = paths.scope(n)?;
            let package = packages.get(&resolve.nodes[n].id)?;
            let path = paths.path(n, name_of, |_| own.name.to_string());
            Some(Resolved {
                name: package.name.to_string(),
                version: package.version.to_string(),
                key: (path.len() == 2).then(|| keys.get(&n).cloned()).flatten(),
                path,
                scope,
            })
        })
        .collect();
    crates.sort_by(|a, b| {
        (a.path.len(), &a.name, &a.version).cmp(&(b.path.len(), &b.name, &b.version))
    });
    Ok(Graph { crates })
}
