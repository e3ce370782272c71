//! Loading: policy files from the built-in library and from folders into
//! one validated [`Library`], and profiles from `banscan.yaml`.
//!
//! Checks that span files (duplicate ids, products that do not exist) are
//! made here, once every document has been read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Code, Problem, SourceFile};

use super::read::{Document, read_documents};
use super::{Ban, Library, Place, PolicySetRef, Profile};

/// Reads a file from disk into a diagnostics source.
pub fn read_source(path: &Path, display: &str) -> Result<Arc<SourceFile>, Problem> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Problem::error(
            Code::PolicyFileUnreadable,
            format!("cannot read {display}: {e}"),
        )
        .with_help("check that the path exists, is readable and is UTF-8 text")
    })?;
    Ok(Arc::new(SourceFile::new(display, Arc::from(text))))
}

/// Reads a profile file (`banscan.yaml`).
pub fn load_profile(path: &Path) -> Result<Profile, Vec<Problem>> {
    let display = path.to_string_lossy().replace('\\', "/");
    let file = read_source(path, &display).map_err(|p| vec![p])?;
    let mut problems = Vec::new();
    let docs = read_documents(&file, &mut problems);
    let mut profiles = docs.into_iter().filter_map(|d| match d {
        Document::Profile(p) => Some(p),
        _ => None,
    });
    let profile = profiles.next();
    if profile.is_none() && problems.is_empty() {
        problems.push(
            Problem::error(Code::UnknownDocument, format!("{display} holds no profile"))
                .with_help("a profile starts with `organization:`, `jurisdiction:` or `sectors:`"),
        );
    }
    if problems.is_empty() {
        profile.ok_or_else(Vec::new)
    } else {
        Err(problems)
    }
}

/// The policy files of a folder (every `*.yaml`/`*.yml` below it, sorted),
/// or the file itself. Profiles (`banscan.yaml`) are not policy files.
pub fn policy_files(root: &Path) -> Result<Vec<PathBuf>, Problem> {
    let display = root.to_string_lossy();
    let meta = std::fs::metadata(root).map_err(|e| {
        Problem::error(
            Code::PolicyFileUnreadable,
            format!("cannot read policies at {display}: {e}"),
        )
        .with_help("check the path given to --policies or in the profile's `policies:`")
    })?;
    if meta.is_file() {
        return Ok(vec![root.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .hidden(true)
        .build()
    {
        let entry = entry.map_err(|e| {
            Problem::error(
                Code::PolicyFileUnreadable,
                format!("cannot list policies in {display}: {e}"),
            )
        })?;
        let path = entry.path();
        let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if entry.file_type().is_some_and(|t| t.is_file())
            && is_yaml
            && path.file_name() != Some("banscan.yaml".as_ref())
        {
            files.push(path.to_path_buf());
        }
    }
    files.sort();
    Ok(files)
}

/// Loads the built-in library and the given policy sets into one library,
/// validated as a whole (duplicate ids across files, references to products
/// that do not exist).
pub fn load_library(sets: &[PolicySetRef]) -> Result<Library, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut files: Vec<Arc<SourceFile>> = Vec::new();
    for set in sets {
        match set {
            PolicySetRef::Builtin => files.extend(super::builtin::files()),
            PolicySetRef::Path(root) => match policy_files(root) {
                Ok(paths) => {
                    for path in paths {
                        let display = path.to_string_lossy().replace('\\', "/");
                        match read_source(&path, &display) {
                            Ok(f) => files.push(f),
                            Err(p) => problems.push(p),
                        }
                    }
                }
                Err(p) => problems.push(p),
            },
        }
    }
    let mut library = Library::default();
    for file in &files {
        for doc in read_documents(file, &mut problems) {
            match doc {
                Document::Product(p) => library.products.push(p),
                Document::Policy(p) => library.policies.push(p),
                Document::Profile(_) => problems.push(
                    Problem::error(
                        Code::UnknownDocument,
                        format!("{} is a profile, not a policy file", file.name()),
                    )
                    .with_help("pass a profile with --profile, not --policies"),
                ),
            }
        }
    }
    override_builtin(&mut library);
    check_library(&library, &mut problems);
    if problems.is_empty() {
        Ok(library)
    } else {
        Err(problems)
    }
}

fn is_builtin(place: &Place) -> bool {
    place.file.name().starts_with(super::builtin::PREFIX)
}

/// A policy or product loaded from a file replaces the built-in one with the
/// same id: that is how a rule set updates a built-in policy, and how the
/// library's own files are linted and tested while being edited.
fn override_builtin(library: &mut Library) {
    let local_products: Vec<String> = library
        .products
        .iter()
        .filter(|p| !is_builtin(&p.place))
        .map(|p| p.id.clone())
        .collect();
    library
        .products
        .retain(|p| !is_builtin(&p.place) || !local_products.contains(&p.id));
    let local_policies: Vec<String> = library
        .policies
        .iter()
        .filter(|p| !is_builtin(&p.place))
        .map(|p| p.id.clone())
        .collect();
    library
        .policies
        .retain(|p| !is_builtin(&p.place) || !local_policies.contains(&p.id));
}

fn duplicate(kind: &str, id: &str, first: &Place, again: &Place) -> Problem {
    let p = Problem::error(Code::DuplicateId, format!("{kind} `{id}` is defined twice"));
    if Arc::ptr_eq(&first.file, &again.file) {
        p.in_file(&again.file, again.span, "defined again here")
            .in_file(&first.file, first.span, "first defined here")
            .with_help("rename one of them or remove the copy")
    } else {
        p.in_file(&again.file, again.span, "defined again here")
            .with_help("rename one of them or remove the copy")
            .with_related(
                Problem::error(
                    Code::DuplicateId,
                    format!("{kind} `{id}` is first defined here"),
                )
                .with_severity(miette::Severity::Advice)
                .in_file(&first.file, first.span, "first defined here"),
            )
    }
}

fn check_library(library: &Library, problems: &mut Vec<Problem>) {
    let mut products: HashMap<&str, &Place> = HashMap::new();
    for p in &library.products {
        if let Some(first) = products.insert(&p.id, &p.place) {
            problems.push(duplicate("product", &p.id, first, &p.place));
        }
    }
    let mut policies: HashMap<&str, &Place> = HashMap::new();
    for p in &library.policies {
        if let Some(first) = policies.insert(&p.id, &p.place) {
            problems.push(duplicate("policy", &p.id, first, &p.place));
        }
        for ban in &p.bans {
            if let Ban::Product { id, place, .. } = ban
                && !products.contains_key(id.as_str())
            {
                let help = match crate::diag::did_you_mean(id, products.keys().copied()) {
                    Some(m) => format!("did you mean `{m}`? (`banscan policy list` shows the products)"),
                    None => "define the product in a `product:` document, or load the policy set that has it".into(),
                };
                problems.push(
                    Problem::error(
                        Code::UnknownProduct,
                        format!(
                            "policy `{}` bans product `{id}`, which does not exist",
                            p.id
                        ),
                    )
                    .in_file(&place.file, place.span, "unknown product")
                    .with_help(help),
                );
            }
        }
    }
}
