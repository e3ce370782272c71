//! Discovery: which inputs the named paths hold, and what was passed over.
//!
//! A file named on the command line is read in the format its name (and,
//! for generic names such as `*.txt`, its content) says, or the one forced
//! with `--input-format`; a name banscan does not read is an error that
//! lists what it does read. A folder is walked as ripgrep walks it
//! (`.gitignore` honoured, hidden files passed over, links not followed,
//! sorted by path), and **every file the walk meets is either an input or
//! [`Skipped`] with its reason** — a lockfile banscan does not read yet, a
//! file that is not evidence, a git-ignored folder, a binary file — so a
//! scan never reports "0 findings" for files it did not read.
//!
//! All format globs are compiled into one [`GlobSet`].

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, OnceLock};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::problem::InputProblem;
use super::registry::{FORMATS, FormatSpec, read_names};
use super::source::{Limits, Source};

/// One input to read.
#[derive(Clone, Debug)]
pub struct Input {
    pub source: Source,
    pub format: &'static FormatSpec,
}

/// Why a file met in a walk is not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// A format banscan knows but does not read yet.
    NotRead(&'static FormatSpec),
    /// Neither its name nor its content is a format of evidence.
    NotEvidence,
    /// Its name says a format its content does not fit.
    NotThatFormat(&'static FormatSpec),
    /// A pip constraints file pins versions and installs nothing.
    Constraints,
    /// Excluded by `.gitignore`, `.ignore` or a global git exclude.
    Ignored { evidence_inside: usize },
    /// A hidden file or folder.
    Hidden { evidence_inside: usize },
    /// A symbolic link, which a walk does not follow.
    Link,
    /// NUL bytes in its first block.
    Binary,
    /// A pipe, socket or device.
    NotAFile,
    /// Not the format `--input-format` names.
    NotForced(&'static FormatSpec),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inside = |n: usize| match n {
            0 => String::new(),
            1 => "; 1 evidence file inside".to_string(),
            n => format!("; {n} evidence files inside"),
        };
        match self {
            SkipReason::NotRead(spec) => write!(
                f,
                "{} ({}): recognised, not read by this version",
                spec.description, spec.name
            ),
            SkipReason::NotEvidence => f.write_str("not evidence"),
            SkipReason::NotThatFormat(spec) => write!(
                f,
                "not evidence: named like {} ({}) but its first lines do not fit",
                spec.description, spec.name
            ),
            SkipReason::Constraints => {
                f.write_str("pip constraints file: pins versions, installs nothing")
            }
            SkipReason::Ignored { evidence_inside } => write!(
                f,
                "ignored by .gitignore or .ignore{} (--no-ignore reads it)",
                inside(*evidence_inside)
            ),
            SkipReason::Hidden { evidence_inside } => {
                write!(f, "hidden{} (name it to scan it)", inside(*evidence_inside))
            }
            SkipReason::Link => f.write_str("symbolic link, not followed (name its target)"),
            SkipReason::Binary => f.write_str("binary"),
            SkipReason::NotAFile => f.write_str("not a regular file (a pipe, socket or device)"),
            SkipReason::NotForced(spec) => write!(f, "not {} (--input-format)", spec.name),
        }
    }
}

/// A file or folder passed over.
#[derive(Clone, Debug)]
pub struct Skipped {
    pub name: Arc<str>,
    pub reason: SkipReason,
}

impl Skipped {
    /// Whether evidence was passed over: what `--strict` fails on.
    pub fn is_evidence(&self) -> bool {
        match &self.reason {
            SkipReason::NotRead(_) => true,
            SkipReason::Ignored { evidence_inside } | SkipReason::Hidden { evidence_inside } => {
                *evidence_inside > 0
            }
            _ => false,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub forced: Option<&'static FormatSpec>,
    /// Walk git-ignored and hidden files too.
    pub no_ignore: bool,
    pub limits: Limits,
}

/// What the named paths hold.
#[derive(Debug, Default)]
pub struct Found {
    pub inputs: Vec<Input>,
    pub skipped: Vec<Skipped>,
    pub problems: Vec<InputProblem>,
}

/// The formats a file name may be: strong matches first.
struct Globs {
    set: GlobSet,
    /// For each glob: the format's index in [`FORMATS`] and whether the
    /// name alone decides.
    owners: Vec<(usize, bool)>,
}

fn globs() -> &'static Globs {
    static GLOBS: OnceLock<Globs> = OnceLock::new();
    GLOBS.get_or_init(|| {
        let mut set = GlobSetBuilder::new();
        let mut owners = Vec::new();
        for (i, spec) in FORMATS.iter().enumerate() {
            let all = spec.names.iter().map(|g| (g, true));
            for (glob, strong) in all.chain(spec.maybe.iter().map(|g| (g, false))) {
                let pattern = format!("**/{glob}");
                // The table is tested to hold valid globs.
                if let Ok(g) = GlobBuilder::new(&pattern)
                    .case_insensitive(true)
                    .literal_separator(true)
                    .build()
                {
                    set.add(g);
                    owners.push((i, strong));
                }
            }
        }
        Globs {
            set: set.build().unwrap_or_else(|_| GlobSet::empty()),
            owners,
        }
    })
}

/// The formats whose globs match `name` (a `/`-separated path): those the
/// name decides first, then those to sniff, each in table order.
fn candidates(name: &str) -> Vec<(&'static FormatSpec, bool)> {
    let name = strip_compression(name);
    let g = globs();
    let mut hits: Vec<(usize, bool)> = g
        .set
        .matches(name)
        .into_iter()
        .map(|i| g.owners[i])
        .collect();
    hits.sort_by_key(|&(i, strong)| (!strong, i));
    hits.dedup_by_key(|h| h.0);
    hits.into_iter().map(|(i, s)| (FORMATS[i], s)).collect()
}

/// Compression is told by magic bytes; a `.gz` name only hides the real one.
fn strip_compression(name: &str) -> &str {
    for ext in [".gz", ".gzip", ".zst", ".zstd"] {
        if name.len() > ext.len() && name[name.len() - ext.len()..].eq_ignore_ascii_case(ext) {
            return &name[..name.len() - ext.len()];
        }
    }
    name
}

/// What a file is, from its name and first bytes.
enum Verdict {
    Read(&'static FormatSpec),
    Skip(SkipReason),
}

fn is_constraints(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    file.starts_with("constraints") && file.ends_with(".txt")
}

/// Classifies a file met in a walk. `head` reads its first bytes when a
/// sniffer needs them.
fn classify(name: &str, head: &mut dyn FnMut() -> Option<Vec<u8>>) -> Verdict {
    let cands = candidates(name);
    if let Some((spec, _)) = cands.iter().find(|(_, strong)| *strong) {
        return if spec.is_read() {
            Verdict::Read(spec)
        } else {
            Verdict::Skip(SkipReason::NotRead(spec))
        };
    }
    if cands.is_empty() {
        return Verdict::Skip(SkipReason::NotEvidence);
    }
    let Some(bytes) = head() else {
        return Verdict::Skip(SkipReason::NotEvidence);
    };
    if bytes.contains(&0) {
        return Verdict::Skip(SkipReason::Binary);
    }
    let text = String::from_utf8_lossy(&bytes);
    let text = cut_partial_line(&text, bytes.len() == super::source::HEAD_BYTES);
    for (spec, _) in &cands {
        if spec.sniff.is_some_and(|sniff| sniff(text)) {
            // A constraints file pins versions and installs nothing; it is
            // read only when named.
            if spec.evidence == super::registry::Evidence::Packages && is_constraints(name) {
                return Verdict::Skip(SkipReason::Constraints);
            }
            return Verdict::Read(spec);
        }
    }
    Verdict::Skip(SkipReason::NotThatFormat(cands[0].0))
}

/// Drops a last line cut off by the head's size.
fn cut_partial_line(text: &str, truncated: bool) -> &str {
    if truncated {
        text.rsplit_once('\n').map_or(text, |(whole, _)| whole)
    } else {
        text
    }
}

/// The format of a file named explicitly: by name, by content for generic
/// names, or the most generic format its name allows. `None` when neither
/// tells; the caller words the problem.
fn named_format(
    name: &str,
    head: &mut dyn FnMut() -> Option<Vec<u8>>,
) -> Option<&'static FormatSpec> {
    let cands = candidates(name);
    if let Some((spec, _)) = cands.iter().find(|(_, strong)| *strong) {
        return Some(spec);
    }
    let text = head().map(|b| String::from_utf8_lossy(&b).into_owned());
    if let Some(text) = &text
        && let Some((spec, _)) = cands
            .iter()
            .find(|(spec, _)| spec.sniff.is_some_and(|sniff| sniff(text)))
    {
        return Some(spec);
    }
    match cands.last() {
        Some((spec, _)) => Some(spec),
        None => text.as_deref().and_then(sniff_any),
    }
}

/// The first read format whose sniffer takes `text` (standard input, and
/// files whose name says nothing).
fn sniff_any(text: &str) -> Option<&'static FormatSpec> {
    FORMATS
        .iter()
        .copied()
        .find(|f| f.is_read() && f.sniff.is_some_and(|s| s(text)))
}

fn naming_help() -> String {
    format!(
        "banscan reads: {}; name the file as `banscan formats` lists, or pass --input-format",
        read_names().join(", ")
    )
}

/// Finds the inputs in `paths` (`-` is standard input).
pub fn discover(paths: &[PathBuf], options: &Options) -> Found {
    let mut found = Found::default();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for path in paths {
        if path.as_os_str() == "-" {
            stdin_input(options, &mut found);
            continue;
        }
        let name = display_name(path);
        match std::fs::metadata(path) {
            Err(e) => found.problems.push(InputProblem::file(
                &name,
                format!("cannot read `{name}`: {e}"),
                "check the path; it must be a file or folder this user can read",
            )),
            Ok(meta) if meta.is_dir() => walk(path, &name, options, &mut found, &mut seen),
            Ok(_) => named_file(path, name, options, &mut found, &mut seen),
        }
    }
    found
}

fn stdin_input(options: &Options, found: &mut Found) {
    let source = match Source::stdin() {
        Ok(s) => s,
        Err(e) => {
            found.problems.push(InputProblem::file(
                &Arc::from("-"),
                format!("cannot read standard input: {e}"),
                "pipe the evidence into banscan, or name a file",
            ));
            return;
        }
    };
    let format = options.forced.or_else(|| {
        let head = source.head(&options.limits).ok()?;
        sniff_any(&String::from_utf8_lossy(&head))
    });
    match format {
        Some(format) => found.inputs.push(Input { source, format }),
        None => found.problems.push(InputProblem::file(
            &source.name,
            "cannot tell the format of standard input from its content",
            format!(
                "pass --input-format with one of: {}",
                read_names().join(", ")
            ),
        )),
    }
}

fn first_once(seen: &mut HashSet<PathBuf>, path: &Path) -> bool {
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    seen.insert(key)
}

fn named_file(
    path: &Path,
    name: Arc<str>,
    options: &Options,
    found: &mut Found,
    seen: &mut HashSet<PathBuf>,
) {
    if !first_once(seen, path) {
        return;
    }
    let source = Source::file(Arc::clone(&name), path);
    if let Err(e) = std::fs::File::open(path) {
        found.problems.push(source.unreadable(&e));
        return;
    }
    let limits = options.limits;
    let mut head = || source.head(&limits).ok();
    let format = match options.forced {
        Some(f) => Ok(f),
        None => named_format(&name, &mut head)
            .ok_or_else(|| format!("cannot tell the format of `{name}` from its name or content")),
    };
    match format {
        Ok(format) if format.is_read() => found.inputs.push(Input { source, format }),
        Ok(format) => found.problems.push(InputProblem::file(
            &name,
            format!(
                "`{name}` is a {} ({}), which banscan does not read yet",
                format.description, format.name
            ),
            naming_help(),
        )),
        Err(message) => found
            .problems
            .push(InputProblem::file(&name, message, naming_help())),
    }
}

fn walk(
    root: &Path,
    root_name: &Arc<str>,
    options: &Options,
    found: &mut Found,
    seen: &mut HashSet<PathBuf>,
) {
    let before = (found.inputs.len(), found.skipped.len());
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(!options.no_ignore)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    let mut visited: HashSet<PathBuf> = HashSet::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let name: Arc<str> =
                    error_path(&e).map_or_else(|| Arc::clone(root_name), display_name);
                found.problems.push(InputProblem::file(
                    &name,
                    format!("cannot read `{name}` while walking `{root_name}`: {e}"),
                    "make it readable by this user, or exclude it with a .ignore file",
                ));
                continue;
            }
        };
        let path = entry.path().to_path_buf();
        visited.insert(path.clone());
        let Some(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            dirs.push(path);
            continue;
        }
        let name = display_name(&path);
        if kind.is_symlink() {
            found.skipped.push(Skipped {
                name,
                reason: SkipReason::Link,
            });
            continue;
        }
        if !kind.is_file() {
            found.skipped.push(Skipped {
                name,
                reason: SkipReason::NotAFile,
            });
            continue;
        }
        if !first_once(seen, &path) {
            continue;
        }
        let source = Source::file(Arc::clone(&name), &path);
        // A file whose first bytes cannot be read is a problem, not a skip.
        let mut unreadable = None;
        let mut head = || match source.head(&options.limits) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                unreadable = Some(source.unreadable(&e));
                None
            }
        };
        let verdict = classify(&name, &mut head);
        if let Some(problem) = unreadable {
            found.problems.push(problem);
            continue;
        }
        match verdict {
            Verdict::Read(format) if options.forced.is_none_or(|f| f == format) => {
                found.inputs.push(Input { source, format })
            }
            Verdict::Read(format) => found.skipped.push(Skipped {
                name,
                reason: SkipReason::NotForced(format),
            }),
            Verdict::Skip(reason) => found.skipped.push(Skipped { name, reason }),
        }
    }
    if !options.no_ignore {
        passed_over(&dirs, &visited, options, found);
    }
    found.skipped[before.1..].sort_by(|a, b| a.name.cmp(&b.name));
    if found.inputs.len() == before.0 {
        let evidence_skipped = found.skipped[before.1..]
            .iter()
            .filter(|s| s.is_evidence())
            .count();
        found.problems.push(InputProblem::file(
            root_name,
            format!(
                "found no evidence file that banscan reads in `{root_name}`{}",
                if evidence_skipped > 0 {
                    format!(" ({evidence_skipped} it does not read yet are listed as skipped)")
                } else {
                    String::new()
                }
            ),
            format!(
                "{}; or check .gitignore rules (--no-ignore walks ignored files)",
                naming_help()
            ),
        ));
    }
}

/// Lists what the walker's filters passed over in each folder it entered:
/// git-ignored and hidden files and folders, with the evidence inside.
fn passed_over(dirs: &[PathBuf], visited: &HashSet<PathBuf>, options: &Options, found: &mut Found) {
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for child in children {
            if visited.contains(&child) {
                continue;
            }
            let file_name = child.file_name().map(|n| n.to_string_lossy().into_owned());
            let Some(file_name) = file_name else { continue };
            if file_name == ".git" {
                continue;
            }
            let evidence_inside = evidence_inside(&child, options);
            let mut name = display_name(&child).to_string();
            if child.is_dir() {
                name.push('/');
            }
            found.skipped.push(Skipped {
                name: name.into(),
                reason: if file_name.starts_with('.') {
                    SkipReason::Hidden { evidence_inside }
                } else {
                    SkipReason::Ignored { evidence_inside }
                },
            });
        }
    }
}

/// Files looked at under one ignored or hidden folder (`node_modules`,
/// `.venv`) to count the evidence in it, and how many of those with a
/// generic name (`*.csv`, `*.txt`) are sniffed.
const INSIDE_LIMIT: usize = 20_000;
const INSIDE_SNIFFS: usize = 200;

/// How many files under `path` (or `path` itself) are evidence: by name,
/// or by content for the first [`INSIDE_SNIFFS`] generic names.
fn evidence_inside(path: &Path, options: &Options) -> usize {
    let walker = ignore::WalkBuilder::new(path)
        .standard_filters(false)
        .follow_links(false)
        .build();
    let mut sniffs = 0;
    walker
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .take(INSIDE_LIMIT)
        .filter(|e| {
            let name = e.path().to_string_lossy().replace('\\', "/");
            let cands = candidates(&name);
            if cands.iter().any(|(_, strong)| *strong) {
                return true;
            }
            if cands.is_empty() || sniffs >= INSIDE_SNIFFS {
                return false;
            }
            sniffs += 1;
            let source = Source::file(Arc::from(name.as_str()), e.path());
            let mut head = || source.head(&options.limits).ok();
            matches!(classify(&name, &mut head), Verdict::Read(_))
        })
        .count()
}

fn error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::WithLineNumber { err, .. } | ignore::Error::WithDepth { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

/// The name reports use for `path`: relative to the working folder when
/// inside it, `/`-separated, with `.` and `..` resolved, so `x.txt`,
/// `./x.txt` and `/abs/x.txt` are one name (and one fingerprint).
pub fn display_name(path: &Path) -> Arc<str> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = lexical(&cwd.join(path));
    let relative = absolute
        .strip_prefix(lexical(&cwd))
        .ok()
        .map(Path::to_path_buf)
        .or_else(|| {
            // The working folder may be reached through a link.
            let real_cwd = std::fs::canonicalize(&cwd).ok()?;
            let real = std::fs::canonicalize(&absolute).ok()?;
            real.strip_prefix(real_cwd).ok().map(Path::to_path_buf)
        });
    let shown = match relative {
        Some(r) if r.as_os_str().is_empty() => PathBuf::from("."),
        Some(r) => r,
        None => absolute,
    };
    normalise_name(&shown.to_string_lossy()).into()
}

/// `/`-separated, without `./` segments; `a/../b` is `b`.
pub fn normalise_name(name: &str) -> String {
    let name = if std::path::MAIN_SEPARATOR == '\\' {
        name.replace('\\', "/")
    } else {
        name.to_string()
    };
    let absolute = name.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
#[path = "detect_tests.rs"]
mod tests;
