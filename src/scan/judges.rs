//! Who judges each file: the nearest `banscan.yaml` at or above it (as
//! `.editorconfig` and eslint find theirs), one profile for everything
//! (`--profile`), or none (`--no-profile`), with the command-line flags
//! laid over each. So one run can audit `agencies/`, each agency's folder
//! under its own profile, whatever order the paths are given in.
//!
//! A walk asks for exclusions as it meets each folder, so profiles are
//! found as the walk goes, each loaded once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::diag::Problem;
use crate::input::detect::{Exclude, display_name};
use crate::policy::load::load_profile;
use crate::policy::select::Audience;
use crate::policy::{FailOn, PolicySetRef, Profile, Severity};

/// What the command line says, over every profile.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    pub jurisdiction: Option<String>,
    pub sectors: Vec<String>,
    pub organization: Option<String>,
    pub fail_on: Option<FailOn>,
    pub strict: bool,
    pub allow_unread: bool,
    /// `--policies` paths, added to every profile's sets.
    pub policies: Vec<PathBuf>,
    pub no_builtin: bool,
}

/// How profiles are chosen.
#[derive(Clone, Debug)]
pub enum Choice {
    /// One profile (or none) for every file.
    One(Option<Profile>),
    /// The nearest `banscan.yaml` at or above each file.
    Nearest,
}

/// One profile (or none) with the flags laid over it: everything the scan
/// needs to judge a file.
#[derive(Debug)]
pub struct Judge {
    pub profile: Option<Profile>,
    pub audience: Audience,
    pub policy_sets: Vec<PolicySetRef>,
    pub fail_on: FailOn,
    pub strict: bool,
    pub allow_unread: bool,
    exclude: Option<Globs>,
}

impl Judge {
    pub fn new(profile: Option<Profile>, flags: &Flags) -> Judge {
        let from = |f: fn(&Profile) -> Option<String>| profile.as_ref().and_then(f);
        let audience = Audience {
            jurisdiction: flags
                .jurisdiction
                .clone()
                .or_else(|| from(|p| p.jurisdiction.clone())),
            sectors: if flags.sectors.is_empty() {
                profile
                    .as_ref()
                    .map(|p| p.sectors.clone())
                    .unwrap_or_default()
            } else {
                flags.sectors.clone()
            },
            organization: flags
                .organization
                .clone()
                .or_else(|| from(|p| p.organization.clone())),
        };
        let mut policy_sets = match &profile {
            Some(p) if !p.policies.is_empty() => p.policies.clone(),
            _ => vec![PolicySetRef::Builtin],
        };
        if flags.no_builtin {
            policy_sets.retain(|s| *s != PolicySetRef::Builtin);
        }
        policy_sets.extend(flags.policies.iter().cloned().map(PolicySetRef::Path));
        let setting = |f: fn(&Profile) -> Option<bool>| profile.as_ref().and_then(f);
        let exclude = profile.as_ref().and_then(|p| {
            let base = Path::new(p.path.as_deref()?).parent()?;
            let base = std::fs::canonicalize(if base.as_os_str().is_empty() {
                Path::new(".")
            } else {
                base
            })
            .ok()?;
            Globs::new(
                &p.exclude,
                base,
                format!("`exclude:` of {}", p.path.as_deref()?),
            )
        });
        Judge {
            audience,
            policy_sets,
            fail_on: flags
                .fail_on
                .or_else(|| profile.as_ref().and_then(|p| p.fail_on))
                .unwrap_or(FailOn::At(Severity::Restrict)),
            strict: flags.strict || setting(|p| p.strict).unwrap_or(false),
            allow_unread: flags.allow_unread || setting(|p| p.allow_unread).unwrap_or(false),
            exclude,
            profile,
        }
    }

    /// The profile's file, as reports show it.
    pub fn profile_path(&self) -> Option<&str> {
        self.profile.as_ref().and_then(|p| p.path.as_deref())
    }
}

/// Exclusion globs and what they are relative to: one with a `/` matches
/// the path from `base`, one without matches a file or folder name.
#[derive(Debug)]
struct Globs {
    base: PathBuf,
    paths: GlobSet,
    path_globs: Vec<String>,
    names: GlobSet,
    name_globs: Vec<String>,
    /// Where the globs were written, for the report.
    origin: String,
}

impl Globs {
    fn new(globs: &[String], base: PathBuf, origin: String) -> Option<Globs> {
        if globs.is_empty() {
            return None;
        }
        let (mut paths, mut names) = (GlobSetBuilder::new(), GlobSetBuilder::new());
        let (mut path_globs, mut name_globs) = (Vec::new(), Vec::new());
        for g in globs {
            let trimmed = g.trim_start_matches("./").trim_end_matches('/');
            let Ok(glob) = GlobBuilder::new(trimmed).literal_separator(true).build() else {
                // Profiles are validated when read; flags in `Judges::new`.
                continue;
            };
            if trimmed.contains('/') {
                paths.add(glob);
                path_globs.push(g.clone());
            } else {
                names.add(glob);
                name_globs.push(g.clone());
            }
        }
        Some(Globs {
            base,
            paths: paths.build().ok()?,
            path_globs,
            names: names.build().ok()?,
            name_globs,
            origin,
        })
    }

    /// The glob that leaves `path` (canonical) out, if one does.
    fn matching(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.base).ok()?;
        let name = rel.file_name()?;
        let hit = |set: &GlobSet, globs: &[String], text: &Path| {
            set.matches(text).first().map(|&i| globs[i].clone())
        };
        hit(&self.names, &self.name_globs, Path::new(name))
            .or_else(|| hit(&self.paths, &self.path_globs, rel))
            .map(|glob| format!("{} `{glob}`", self.origin))
    }
}

#[derive(Default)]
struct State {
    judges: Vec<Judge>,
    /// A folder's nearest profile's judge, by the folder's real path.
    by_dir: HashMap<PathBuf, Option<usize>>,
    /// A profile's judge, by the profile's real path.
    by_profile: HashMap<PathBuf, usize>,
    /// The judge of files with no profile above them.
    none: Option<usize>,
    problems: Vec<Problem>,
}

/// Every judge a scan meets, found as it goes.
pub struct Judges {
    flags: Flags,
    choice: Choice,
    exclude: Option<Globs>,
    state: Mutex<State>,
}

impl Judges {
    /// `exclude` are the `--exclude` globs, relative to the working folder.
    pub fn new(choice: Choice, flags: Flags, exclude: &[String]) -> Result<Judges, Problem> {
        for g in exclude {
            if let Err(e) = GlobBuilder::new(g).build() {
                return Err(crate::cli::config::usage(
                    format!("--exclude `{g}` is not a valid glob: {}", e.kind()),
                    "use `*` for any text, `**` for any folders, `?` for one character",
                ));
            }
        }
        let cwd = std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .unwrap_or_default();
        Ok(Judges {
            exclude: Globs::new(exclude, cwd, "--exclude".into()),
            flags,
            choice,
            state: Mutex::default(),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The judge of a file or folder at `path` (standard input: `-`, judged
    /// from the working folder).
    pub fn judge_of(&self, path: &Path) -> usize {
        let dir = if path.as_os_str() == "-" {
            PathBuf::from(".")
        } else if path.is_dir() {
            path.to_path_buf()
        } else {
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        };
        let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
        let mut state = self.state();
        self.find(&mut state, &dir)
    }

    fn find(&self, state: &mut State, dir: &Path) -> usize {
        let nearest = match &self.choice {
            Choice::One(profile) => return self.fallback(state, profile.clone()),
            Choice::Nearest => self.nearest(state, dir),
        };
        nearest.unwrap_or_else(|| self.fallback(state, None))
    }

    /// The judge of files with no profile of their own.
    fn fallback(&self, state: &mut State, profile: Option<Profile>) -> usize {
        if let Some(j) = state.none {
            return j;
        }
        state.judges.push(Judge::new(profile, &self.flags));
        let j = state.judges.len() - 1;
        state.none = Some(j);
        j
    }

    /// The judge of the nearest `banscan.yaml` at or above `dir`; every
    /// folder on the way is remembered.
    fn nearest(&self, state: &mut State, dir: &Path) -> Option<usize> {
        let mut walked = Vec::new();
        let mut found = None;
        for ancestor in dir.ancestors() {
            if let Some(&judge) = state.by_dir.get(ancestor) {
                found = judge;
                break;
            }
            walked.push(ancestor.to_path_buf());
            let candidate = ancestor.join("banscan.yaml");
            if candidate.is_file() {
                found = Some(self.load(state, &candidate));
                break;
            }
        }
        for dir in walked {
            state.by_dir.insert(dir, found);
        }
        found
    }

    fn load(&self, state: &mut State, file: &Path) -> usize {
        if let Some(&j) = state.by_profile.get(file) {
            return j;
        }
        // Shown in reports relative to the working folder, as paths are.
        let shown = PathBuf::from(display_name(file).as_ref());
        let profile = match load_profile(&shown) {
            Ok(p) => Some(p),
            Err(problems) => {
                state.problems.extend(problems);
                None
            }
        };
        state.judges.push(Judge::new(profile, &self.flags));
        let j = state.judges.len() - 1;
        state.by_profile.insert(file.to_path_buf(), j);
        j
    }

    /// The judges met, and the problems of profiles that could not be read.
    pub fn finish(self) -> (Vec<Judge>, Vec<Problem>) {
        let state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        (state.judges, state.problems)
    }
}

impl Exclude for Judges {
    fn exclude(&self, path: &Path, _is_dir: bool) -> Option<String> {
        let real = std::fs::canonicalize(path).ok()?;
        if let Some(rule) = self.exclude.as_ref().and_then(|g| g.matching(&real)) {
            return Some(rule);
        }
        // A folder's own profile excludes what is inside it, not itself.
        let parent = real.parent()?;
        let mut state = self.state();
        let judge = self.find(&mut state, parent);
        state.judges[judge]
            .exclude
            .as_ref()
            .and_then(|g| g.matching(&real))
    }
}
