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

use std::collections::{HashMap, HashSet};
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

/// Why a file the scan met is not read, and so which state it ends in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// A format banscan knows but does not read yet.
    NotRead(&'static FormatSpec),
    /// A file named on the command line whose format neither its name nor
    /// its content tells.
    UnknownFormat,
    /// Neither its name nor its content is a format of evidence.
    NotEvidence,
    /// Its name says a format its content does not fit.
    NotThatFormat(&'static FormatSpec),
    /// A pip constraints file pins versions and installs nothing.
    Constraints,
    /// NUL bytes in its first block, after decoding.
    Binary,
    /// A banscan policy, profile or lockfile: the rules, not evidence.
    PolicyFile,
    /// A pipe, socket or device.
    NotAFile,
    /// A symbolic link whose target does not exist, or that comes `round`
    /// to itself through other links.
    BrokenLink { round: bool },
    /// A link back to a folder the walk is already in: its files are read
    /// there.
    LinkLoop { ancestor: Arc<str> },
    /// Excluded by `.gitignore`, `.ignore` or a global git exclude.
    Ignored { evidence_inside: usize },
    /// A hidden file or folder.
    Hidden { evidence_inside: usize },
    /// Left out by `--exclude` or a profile's `exclude:`.
    ExcludedBy(String),
    /// A `node_modules` folder that a JavaScript lockfile (named, in the
    /// folder above or an ancestor) lists: its manifests are installed
    /// copies of what the lockfile already holds.
    Installed { lockfile: Arc<str> },
    /// Build output or a cache (cargo's and Maven's `target/`, Gradle's
    /// `build/`, a folder with `CACHEDIR.TAG`): copies and downloads, not
    /// the project's own evidence. Says how it was told.
    BuildOutput(&'static str),
    /// A symbolic link, with `--no-follow`.
    Link,
    /// Not the format `--input-format` names.
    NotForced(&'static FormatSpec),
    /// Another path to a file already met, under that name.
    SameFile(Arc<str>),
}

/// The state a skipped file ends in (see the coverage contract in the
/// README): the report turns it into its own state type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Evidence banscan did not read: fails the scan unless allowed.
    Unread,
    NotEvidence,
    Excluded,
}

impl SkipReason {
    pub fn verdict(&self) -> Verdict {
        match self {
            SkipReason::NotRead(_) | SkipReason::UnknownFormat => Verdict::Unread,
            SkipReason::NotEvidence
            | SkipReason::NotThatFormat(_)
            | SkipReason::Constraints
            | SkipReason::Binary
            | SkipReason::PolicyFile
            | SkipReason::NotAFile
            | SkipReason::BrokenLink { .. }
            | SkipReason::LinkLoop { .. } => Verdict::NotEvidence,
            SkipReason::Ignored { .. }
            | SkipReason::Hidden { .. }
            | SkipReason::ExcludedBy(_)
            | SkipReason::Installed { .. }
            | SkipReason::BuildOutput(_)
            | SkipReason::Link
            | SkipReason::NotForced(_)
            | SkipReason::SameFile(_) => Verdict::Excluded,
        }
    }

    /// Whether the literal search looks in the file: every text file not
    /// read, whose content was not judged already (a constraints file was,
    /// a binary cannot be searched as text).
    pub fn searched(&self) -> bool {
        matches!(
            self,
            SkipReason::NotRead(_)
                | SkipReason::UnknownFormat
                | SkipReason::NotEvidence
                | SkipReason::NotThatFormat(_)
        )
    }

    /// The format the file was recognised as, if any.
    pub fn format(&self) -> Option<&'static FormatSpec> {
        match self {
            SkipReason::NotRead(spec)
            | SkipReason::NotThatFormat(spec)
            | SkipReason::NotForced(spec) => Some(spec),
            _ => None,
        }
    }
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
            SkipReason::UnknownFormat => f.write_str(
                "neither its name nor its content tells its format (--input-format names one)",
            ),
            SkipReason::NotEvidence => {
                f.write_str("no format banscan knows by its name or its first lines")
            }
            SkipReason::NotThatFormat(spec) => write!(
                f,
                "named like {} ({}) but its first lines do not fit",
                spec.description, spec.name
            ),
            SkipReason::Constraints => {
                f.write_str("pip constraints file: pins versions, installs nothing")
            }
            SkipReason::Binary => f.write_str("binary (NUL bytes in its first block)"),
            SkipReason::PolicyFile => f.write_str("a banscan policy, profile or lockfile"),
            SkipReason::NotAFile => f.write_str("not a regular file (a pipe, socket or device)"),
            SkipReason::BrokenLink { round: false } => {
                f.write_str("symbolic link to a file that does not exist")
            }
            SkipReason::BrokenLink { round: true } => {
                f.write_str("symbolic link that leads back to itself through other links")
            }
            SkipReason::LinkLoop { ancestor } => write!(
                f,
                "symbolic link back to `{ancestor}`, which the walk is in already (its files are read there)"
            ),
            SkipReason::Ignored { evidence_inside } => write!(
                f,
                "ignored by .gitignore or .ignore{} (--no-ignore reads it)",
                inside(*evidence_inside)
            ),
            SkipReason::Hidden { evidence_inside } => write!(
                f,
                "hidden{} (name it, or --no-ignore, to scan it)",
                inside(*evidence_inside)
            ),
            SkipReason::ExcludedBy(rule) => write!(f, "excluded by {rule}"),
            SkipReason::BuildOutput(how) => {
                write!(
                    f,
                    "build output or cache: {how} (name the folder to scan it)"
                )
            }
            SkipReason::Installed { lockfile } => write!(
                f,
                "installed packages, which `{lockfile}` lists (name the folder to scan it)"
            ),
            SkipReason::Link => f.write_str("symbolic link, not followed (--no-follow)"),
            SkipReason::NotForced(spec) => write!(f, "not {} (--input-format)", spec.name),
            SkipReason::SameFile(first) => write!(f, "the same file as `{first}`"),
        }
    }
}

/// A file or folder not read.
#[derive(Clone, Debug)]
pub struct Skipped {
    pub name: Arc<str>,
    /// Where it is, for the literal search.
    pub path: Option<PathBuf>,
    pub reason: SkipReason,
}

/// What leaves files out of a walk besides ignore rules: `--exclude` and
/// the profiles' `exclude:`. A trait, so that discovery knows nothing of
/// profiles.
pub trait Exclude: Send + Sync {
    /// Why `path` (met in a walk; a folder when `is_dir`) is left out, if
    /// it is: the rule, as the report shows it.
    fn exclude(&self, path: &Path, is_dir: bool) -> Option<String>;
}

#[derive(Clone, Default)]
pub struct Options {
    pub forced: Option<&'static FormatSpec>,
    /// Walk git-ignored and hidden files too.
    pub no_ignore: bool,
    /// List symbolic links as excluded instead of following them.
    pub no_follow: bool,
    pub exclude: Option<Arc<dyn Exclude>>,
    pub limits: Limits,
    /// Every regular file is an input read as its sha256 (`--hash`),
    /// whatever its name or content.
    pub hash: bool,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("forced", &self.forced)
            .field("no_ignore", &self.no_ignore)
            .field("no_follow", &self.no_follow)
            .field("hash", &self.hash)
            .finish_non_exhaustive()
    }
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
/// Compared as bytes: a name ending in a character of several bytes
/// (`報告`, or the replacement character of a name that is not UTF-8)
/// must not be cut inside it.
fn strip_compression(name: &str) -> &str {
    let bytes = name.as_bytes();
    for ext in [".gz", ".gzip", ".zst", ".zstd"] {
        let cut = bytes.len().saturating_sub(ext.len());
        if cut > 0 && bytes[cut..].eq_ignore_ascii_case(ext.as_bytes()) {
            // The tail is ASCII, so `cut` is a character boundary.
            return &name[..cut];
        }
    }
    name
}

/// What a file is, from its name and first bytes.
enum Class {
    Read(&'static FormatSpec),
    Skip(SkipReason),
}

impl Class {
    /// A recognised format: read, or listed as unread evidence.
    fn of(spec: &'static FormatSpec, name: &str) -> Class {
        if !spec.is_read() {
            Class::Skip(SkipReason::NotRead(spec))
        } else if spec.evidence == super::registry::Evidence::Packages && is_constraints(name) {
            // A constraints file pins versions and installs nothing; it is
            // read only when named.
            Class::Skip(SkipReason::Constraints)
        } else {
            Class::Read(spec)
        }
    }
}

fn is_constraints(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    file.starts_with("constraints") && file.ends_with(".txt")
}

/// banscan's own rule files: profiles, lockfiles, and YAML whose first
/// key opens a product or policy. They name every banned identifier, so
/// the literal search must never take them for evidence.
fn is_policy_file(name: &str, text: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    if file == "banscan.yaml" || file == "policies.lock" {
        return true;
    }
    let lower = file.to_ascii_lowercase();
    (lower.ends_with(".yaml") || lower.ends_with(".yml"))
        && text
            .lines()
            .map(str::trim_end)
            .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---")
            .is_some_and(|l| l.starts_with("product:") || l.starts_with("policy:"))
}

/// Classifies a file met in a walk: a decisive name first, then the
/// sniffers of the formats its name may be, then every format's content
/// shape, whatever the name (a rotated log, a dated export). `head` reads
/// its first decoded bytes; `None` when they cannot be read.
fn classify(name: &str, head: &mut dyn FnMut() -> Option<Vec<u8>>) -> Class {
    let cands = candidates(name);
    if let Some((spec, _)) = cands.iter().find(|(_, strong)| *strong) {
        return Class::of(spec, name);
    }
    let Some(bytes) = head() else {
        return Class::Skip(SkipReason::NotEvidence);
    };
    if bytes.contains(&0) {
        return Class::Skip(SkipReason::Binary);
    }
    let text = String::from_utf8_lossy(&bytes);
    let text = cut_partial_line(&text, bytes.len() == super::source::HEAD_BYTES);
    // banscan's own files first: `policies.lock` has the `sha256sum` shape.
    if is_policy_file(name, text) {
        return Class::Skip(SkipReason::PolicyFile);
    }
    // Distinctive shapes next: the lenient sniffers of generic names would
    // take `rpm -qa` lines for host names.
    if let Some(spec) = by_shape(text) {
        return Class::of(spec, name);
    }
    if let Some((spec, _)) = cands
        .iter()
        .find(|(spec, _)| spec.sniff.is_some_and(|sniff| sniff(text)))
    {
        return Class::of(spec, name);
    }
    // A name a format takes with no content test at all (source code)
    // decides last.
    if let Some((spec, _)) = cands
        .iter()
        .find(|(spec, _)| spec.sniff.is_none() && spec.shape.is_none())
    {
        return Class::of(spec, name);
    }
    match cands.first() {
        Some((spec, _)) => Class::Skip(SkipReason::NotThatFormat(spec)),
        None => Class::Skip(SkipReason::NotEvidence),
    }
}

/// The first format whose content shape `text` has, read formats first.
fn by_shape(text: &str) -> Option<&'static FormatSpec> {
    FORMATS
        .iter()
        .copied()
        .find(|f| f.shape.is_some_and(|shape| shape(text)))
}

/// Drops a last line cut off by the head's size.
fn cut_partial_line(text: &str, truncated: bool) -> &str {
    if truncated {
        text.rsplit_once('\n').map_or(text, |(whole, _)| whole)
    } else {
        text
    }
}

/// The format of a file named explicitly: by name, by content (the
/// sniffers its name allows, then every shape), or the most generic format
/// its name allows. `None` when neither tells.
fn named_format(
    name: &str,
    head: &mut dyn FnMut() -> Option<Vec<u8>>,
) -> Option<&'static FormatSpec> {
    let cands = candidates(name);
    if let Some((spec, _)) = cands.iter().find(|(_, strong)| *strong) {
        return Some(spec);
    }
    let text = head().map(|bytes| {
        let text = String::from_utf8_lossy(&bytes);
        cut_partial_line(&text, bytes.len() == super::source::HEAD_BYTES).to_owned()
    });
    if let Some(text) = &text {
        let sniffed = || {
            cands
                .iter()
                .map(|(spec, _)| *spec)
                .find(|spec| spec.sniff.is_some_and(|sniff| sniff(text)))
        };
        if let Some(spec) = by_shape(text).or_else(sniffed) {
            return Some(spec);
        }
    }
    match cands.last() {
        Some((spec, _)) => Some(spec),
        None => text.as_deref().and_then(sniff_any),
    }
}

/// The first format, read ones first, whose sniffer or shape takes `text`
/// (standard input, and files whose name says nothing).
fn sniff_any(text: &str) -> Option<&'static FormatSpec> {
    by_shape(text).or_else(|| {
        FORMATS
            .iter()
            .copied()
            .find(|f| f.is_read() && f.sniff.is_some_and(|s| s(text)))
    })
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
    let mut seen = Seen::default();
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
        Some(format) if format.is_read() => found.inputs.push(Input { source, format }),
        other => found.problems.push(InputProblem::file(
            &source.name,
            match other {
                Some(format) => format!(
                    "standard input is a {} ({}), which banscan does not read yet",
                    format.description, format.name
                ),
                None => "cannot tell the format of standard input from its content".into(),
            },
            format!(
                "pass --input-format with one of: {}",
                read_names().join(", ")
            ),
        )),
    }
}

/// The files met so far, by their real path: a file reached twice (a
/// link, or a folder named twice) is read once, and listed the second
/// time as the same file.
#[derive(Default)]
struct Seen(HashMap<PathBuf, Arc<str>>);

impl Seen {
    /// `None` the first time `path` is met; else the name it was met by.
    fn first_name(&mut self, path: &Path, name: &Arc<str>) -> Option<Arc<str>> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        match self.0.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => Some(Arc::clone(e.get())),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(Arc::clone(name));
                None
            }
        }
    }
}

fn named_file(path: &Path, name: Arc<str>, options: &Options, found: &mut Found, seen: &mut Seen) {
    if seen.first_name(path, &name).is_some() {
        return;
    }
    let source = Source::file(Arc::clone(&name), path);
    if options.hash {
        // Opening a pipe would wait for a writer.
        if std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
            found.inputs.push(Input {
                source,
                format: &super::files::hash::SPEC,
            });
        } else {
            found.skipped.push(Skipped {
                name,
                path: None,
                reason: SkipReason::NotAFile,
            });
        }
        return;
    }
    if let Err(e) = std::fs::File::open(path) {
        found.problems.push(source.unreadable(&e));
        return;
    }
    let limits = &options.limits;
    let mut head = || source.head(limits).ok();
    let skip = |reason| Skipped {
        name: Arc::clone(&name),
        path: Some(path.to_path_buf()),
        reason,
    };
    match options.forced.or_else(|| named_format(&name, &mut head)) {
        Some(format) if format.is_read() => found.inputs.push(Input { source, format }),
        // Unread evidence, with its reason: named, it is evidence.
        Some(format) => found.skipped.push(skip(SkipReason::NotRead(format))),
        None => found.skipped.push(skip(SkipReason::UnknownFormat)),
    }
}

/// Folders and files left out of a walk, recorded by the walker's filter
/// as it meets them: by the [`Exclude`] rules, or as installed packages.
type ExcludedLog = Arc<std::sync::Mutex<Vec<(PathBuf, bool, SkipReason)>>>;

/// The lockfiles that list what a `node_modules` folder beside them holds.
const NODE_LOCKFILES: [&str; 6] = [
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "bun.lockb",
];

/// Whether `dir` is build output or a cache, and how that is told: a
/// `CACHEDIR.TAG` that starts with the signature of the Cache Directory
/// Tagging Specification (<https://bford.info/cachedir/>; cargo tags its
/// `target/` so), or the output folder a build tool's project file beside
/// it names by default.
fn build_output(dir: &Path) -> Option<&'static str> {
    const SIGNATURE: &[u8] = b"Signature: 8a477f597d28d172789f06886806bc55";
    let mut head = [0u8; SIGNATURE.len()];
    let tagged = std::fs::File::open(dir.join("CACHEDIR.TAG"))
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok_and(|()| head == SIGNATURE);
    if tagged {
        return Some("tagged by CACHEDIR.TAG");
    }
    let beside = |file: &str| dir.parent().is_some_and(|p| p.join(file).is_file());
    match dir.file_name()?.to_str()? {
        "target" if beside("Cargo.toml") => Some("cargo's target/ beside Cargo.toml"),
        "target" if beside("pom.xml") => Some("Maven's target/ beside pom.xml"),
        "build" if beside("build.gradle") || beside("build.gradle.kts") => {
            Some("Gradle's build/ beside its build script")
        }
        _ => None,
    }
}

/// The lockfile that covers `dir` when it is a `node_modules` folder: one
/// in the folder holding it or, for a workspace member, in a folder above
/// it up to the walk's root.
fn node_lockfile(dir: &Path, root: &Path) -> Option<Arc<str>> {
    if dir.file_name()? != "node_modules" {
        return None;
    }
    let mut folder = dir.parent();
    while let Some(f) = folder {
        if let Some(lock) = NODE_LOCKFILES
            .iter()
            .map(|l| f.join(l))
            .find(|l| l.is_file())
        {
            return Some(display_name(&lock));
        }
        if f == root {
            break;
        }
        folder = f.parent();
    }
    None
}

fn walk(root: &Path, root_name: &Arc<str>, options: &Options, found: &mut Found, seen: &mut Seen) {
    let before = (found.inputs.len(), found.skipped.len());
    let excluded: ExcludedLog = Arc::default();
    let mut builder = ignore::WalkBuilder::new(root);
    // Hidden entries are passed over here rather than by the walker, so a
    // hidden file named as evidence (`.env`) is read.
    let hide = !options.no_ignore;
    builder
        .standard_filters(!options.no_ignore)
        .hidden(false)
        .require_git(false)
        .follow_links(!options.no_follow)
        .sort_by_file_path(|a, b| a.cmp(b));
    let log = Arc::clone(&excluded);
    let rules = options.exclude.clone();
    let walk_root = root.to_path_buf();
    builder.filter_entry(move |entry| {
        // The root itself is what the user named.
        if entry.depth() == 0 && entry.path() == walk_root {
            return true;
        }
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        if hide && entry.file_name().to_string_lossy().starts_with('.') {
            let name = entry.path().to_string_lossy().replace('\\', "/");
            let named = !is_dir && candidates(&name).iter().any(|(_, strong)| *strong);
            if !named {
                return false;
            }
        }
        let reason = rules
            .as_ref()
            .and_then(|r| r.exclude(entry.path(), is_dir))
            .map(SkipReason::ExcludedBy)
            .or_else(|| {
                is_dir
                    .then(|| node_lockfile(entry.path(), &walk_root))
                    .flatten()
                    .map(|lockfile| SkipReason::Installed { lockfile })
            })
            .or_else(|| {
                is_dir
                    .then(|| build_output(entry.path()))
                    .flatten()
                    .map(SkipReason::BuildOutput)
            });
        match reason {
            None => true,
            Some(reason) => {
                if let Ok(mut log) = log.lock() {
                    log.push((entry.path().to_path_buf(), is_dir, reason));
                }
                false
            }
        }
    });
    let mut visited: HashSet<PathBuf> = HashSet::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for entry in builder.build() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                // Listed here, so not again as passed over by the ignore
                // rules: one state per file.
                if let Some(path) = error_path(&e) {
                    visited.insert(path.to_path_buf());
                }
                walk_error(&e, root_name, found);
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
        let skip = |reason| Skipped {
            name: Arc::clone(&name),
            path: Some(path.clone()),
            reason,
        };
        if kind.is_symlink() {
            found.skipped.push(skip(SkipReason::Link));
            continue;
        }
        if !kind.is_file() {
            found.skipped.push(skip(SkipReason::NotAFile));
            continue;
        }
        if let Some(first) = seen.first_name(&path, &name) {
            found.skipped.push(skip(SkipReason::SameFile(first)));
            continue;
        }
        let source = Source::file(Arc::clone(&name), &path);
        if options.hash {
            // Read when hashed: a file that cannot be is that input's problem.
            found.inputs.push(Input {
                source,
                format: &super::files::hash::SPEC,
            });
            continue;
        }
        // A file whose first bytes cannot be read is a problem, not a skip.
        let mut unreadable = None;
        let mut head = || match source.head(&options.limits) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                unreadable = Some(source.unreadable(&e));
                None
            }
        };
        let class = classify(&name, &mut head);
        if let Some(problem) = unreadable {
            found.problems.push(problem);
            continue;
        }
        match class {
            Class::Read(format) if options.forced.is_none_or(|f| f == format) => {
                found.inputs.push(Input { source, format })
            }
            Class::Read(format) => found.skipped.push(skip(SkipReason::NotForced(format))),
            Class::Skip(reason) => found.skipped.push(skip(reason)),
        }
    }
    let excluded = std::mem::take(&mut *excluded.lock().unwrap_or_else(|e| e.into_inner()));
    for (path, is_dir, reason) in excluded {
        // Listed here, so not again as passed over by the ignore rules.
        visited.insert(path.clone());
        let mut name = display_name(&path).to_string();
        if is_dir {
            name.push('/');
        }
        found.skipped.push(Skipped {
            name: name.into(),
            path: None,
            reason,
        });
    }
    if !options.no_ignore {
        passed_over(&dirs, &visited, options, found);
    }
    found.skipped[before.1..].sort_by(|a, b| a.name.cmp(&b.name));
    let unread = found.skipped[before.1..]
        .iter()
        .any(|s| s.reason.verdict() == Verdict::Unread);
    if found.inputs.len() == before.0 && options.hash {
        found.problems.push(InputProblem::file(
            root_name,
            format!("found no file to hash in `{root_name}`"),
            "check the folder, its .gitignore rules (--no-ignore walks ignored files) and --exclude",
        ));
    } else if found.inputs.len() == before.0 && !unread {
        found.problems.push(InputProblem::file(
            root_name,
            format!("found no evidence file in `{root_name}`"),
            format!(
                "{}; or check .gitignore rules (--no-ignore walks ignored files)",
                naming_help()
            ),
        ));
    }
}

/// A walk error: a loop and a broken link are listed as what they are;
/// anything else (a folder that cannot be read) is a problem.
fn walk_error(e: &ignore::Error, root_name: &Arc<str>, found: &mut Found) {
    if let Some((ancestor, child)) = link_loop(e) {
        found.skipped.push(Skipped {
            name: display_name(child),
            path: None,
            reason: SkipReason::LinkLoop {
                ancestor: display_name(ancestor),
            },
        });
        return;
    }
    let path = error_path(e);
    if let Some(path) = path
        && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        && std::fs::metadata(path).is_err()
    {
        found.skipped.push(Skipped {
            name: display_name(path),
            path: None,
            reason: SkipReason::BrokenLink {
                round: links_round(path),
            },
        });
        return;
    }
    let name: Arc<str> = path.map_or_else(|| Arc::clone(root_name), display_name);
    found.problems.push(InputProblem::file(
        &name,
        format!("cannot read `{name}` while walking `{root_name}`: {e}"),
        "make it readable by this user, or leave it out with --exclude",
    ));
}

/// Whether following the symbolic link at `path` comes round to a link
/// already met (`a` → `b` → `a`, or a link to itself) rather than ending
/// at a missing file. Past 40 links (where Linux gives up too) it counts
/// as round, so a chain that grows its path through a link to `.` ends.
fn links_round(path: &Path) -> bool {
    let mut met = HashSet::new();
    let mut at = path.to_path_buf();
    while let Ok(target) = std::fs::read_link(&at) {
        if !met.insert(at.clone()) || met.len() > 40 {
            return true;
        }
        at = at
            .parent()
            .map_or_else(|| target.clone(), |p| p.join(&target));
    }
    false
}

fn link_loop(e: &ignore::Error) -> Option<(&Path, &Path)> {
    match e {
        ignore::Error::Loop { ancestor, child } => Some((ancestor, child)),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithLineNumber { err, .. }
        | ignore::Error::WithDepth { err, .. } => link_loop(err),
        _ => None,
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
                path: None,
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
            matches!(classify(&name, &mut head), Class::Read(_))
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
