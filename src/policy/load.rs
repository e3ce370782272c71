//! Loading: policy files from the built-in library and from folders into
//! one validated [`Library`], and profiles from `banscan.yaml`.
//!
//! Checks that span files (duplicate ids, products that do not exist) are
//! made here, once every document has been read.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Code, Problem, SourceFile};
use crate::yaml::{Node, Value};

use super::lock;
use super::read::{Document, read_documents};
use super::{Ban, Library, Pin, Place, PolicySetRef, Profile};

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
        .with_help("check the path: it must be a policy file or a folder of them")
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

/// Whether a user policy may lack examples. A scan takes a quick local
/// policy and warns; lint and test refuse it; the built-in library is
/// always strict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Examples {
    Required,
    OptionalForUserPolicies,
}

/// Everything read from some policy sets, and every problem found on the
/// way. The library holds what could be read, so the checks across files
/// (unknown products, waivers) still run while a document is wrong, and a
/// policy author sees every error in one run.
#[derive(Debug, Default)]
pub struct Loaded {
    pub library: Library,
    pub problems: Vec<Problem>,
    /// Ids of the policies written in files that had a problem, read or
    /// not: a waiver naming one of them names a policy that exists.
    pub unread_policies: HashSet<String>,
}

/// Loads the built-in library and the given policy sets into one library,
/// validated as a whole (duplicate ids across files, references to products
/// that do not exist).
pub fn load_library(sets: &[PolicySetRef]) -> Result<Library, Vec<Problem>> {
    let sets: Vec<_> = sets.iter().map(|s| (s.clone(), None)).collect();
    let loaded = load_all(&sets, Examples::OptionalForUserPolicies);
    if loaded.problems.is_empty() {
        Ok(loaded.library)
    } else {
        Err(loaded.problems)
    }
}

/// Loads policy sets, each with the profile entry that named it (if one
/// did), collecting every problem rather than stopping at a file.
pub fn load_all(sets: &[(PolicySetRef, Option<Place>)], examples: Examples) -> Loaded {
    let mut problems = Vec::new();
    let mut files: Vec<Arc<SourceFile>> = Vec::new();
    for (set, at) in sets {
        let root = match set {
            PolicySetRef::Builtin => {
                files.extend(super::builtin::files());
                continue;
            }
            PolicySetRef::Path(root) => root,
            PolicySetRef::Pinned(pin) => {
                check_pin(pin, &mut problems);
                &pin.path
            }
        };
        match policy_files(root) {
            Ok(paths) => {
                for path in paths {
                    let display = path.to_string_lossy().replace('\\', "/");
                    match read_source(&path, &display) {
                        Ok(f) => files.push(f),
                        Err(p) => problems.push(p),
                    }
                }
            }
            Err(p) => problems.push(match at {
                Some(at) => p
                    .in_file(&at.file, at.span, "no policies here")
                    .with_help("fix the path (it is relative to the profile) or remove the entry"),
                None => p,
            }),
        }
    }
    read_library(&files, problems, examples)
}

/// Reads the files into one library and checks it as a whole.
fn read_library(
    files: &[Arc<SourceFile>],
    mut problems: Vec<Problem>,
    examples: Examples,
) -> Loaded {
    let mut library = Library::default();
    // Files with a problem in them: their documents are read again as
    // plain YAML for the ids and product references they hold.
    let mut unread: Vec<Arc<SourceFile>> = Vec::new();
    for file in files {
        let before = problems.len();
        for doc in read_documents(file, &mut problems) {
            match doc {
                Document::Product(p) => library.products.push(p),
                Document::Policy(p) => library.policies.push(*p),
                Document::Profile(_) => problems.push(
                    Problem::error(
                        Code::UnknownDocument,
                        format!("{} is a profile, not a policy file", file.name()),
                    )
                    .with_help("pass a profile with --profile, not --policies"),
                ),
            }
        }
        if examples == Examples::OptionalForUserPolicies
            && !file.name().starts_with(super::builtin::PREFIX)
        {
            let mut i = before;
            while i < problems.len() {
                if problems[i].code == Code::NoExamples {
                    problems.remove(i);
                } else {
                    i += 1;
                }
            }
        }
        if problems.len() > before {
            unread.push(Arc::clone(file));
        }
    }
    override_builtin(&mut library);
    let raw = RawRefs::read(&unread);
    check_library(&library, &raw, &mut problems);
    Loaded {
        library,
        problems,
        unread_policies: raw.policies,
    }
}

/// Refuses a pinned rule set whose lockfile is not the pinned one, or whose
/// files are not the ones its lockfile names.
fn check_pin(pin: &Pin, problems: &mut Vec<Problem>) {
    let dir = pin.path.display();
    let at = |p: Problem, label: &str| match &pin.place {
        Some(place) => p.in_file(&place.file, place.span, label),
        None => p,
    };
    match lock::lockfile_sha256(&pin.path) {
        Err(e) => {
            problems.push(at(
                Problem::error(Code::PinMismatch, format!("the pinned rule set {dir} has no lockfile: {e}")),
                "pinned here",
            ).with_help("a pinned rule set ships its policies.lock; restore it, or pin a folder that has one"));
            return;
        }
        Ok(sha256) if sha256 != pin.sha256 => problems.push(at(
            Problem::error(
                Code::PinMismatch,
                format!(
                    "{} is sha256:{sha256}, but the profile pins sha256:{}",
                    lock::lockfile_path(&pin.path).display(),
                    pin.sha256
                ),
            ),
            "pinned here",
        ).with_help(format!("the rule set changed since it was pinned: review the change (`banscan policy verify {dir}`), then pin sha256:{sha256}"))),
        Ok(_) => {}
    }
    match lock::verify(&pin.path) {
        Ok(changes) if changes.is_empty() => {}
        Ok(changes) => {
            let list: Vec<String> = changes.iter().map(ToString::to_string).collect();
            problems.push(at(
                Problem::error(
                    Code::PinMismatch,
                    format!(
                        "the pinned rule set {dir} differs from its policies.lock ({})",
                        list.join("; ")
                    ),
                ),
                "pinned here",
            ).with_help(format!("restore the reviewed files; or review them, run `banscan policy lock {dir}` and pin the digest it prints")));
        }
        Err(e) => problems.push(at(
            Problem::error(
                Code::PinMismatch,
                format!("cannot check the pinned rule set {dir}: {e}"),
            ),
            "pinned here",
        )),
    }
}

/// What documents that could not be read still say: the product and policy
/// ids they define and the products their bans name. Without this, an
/// unknown product in a policy with a bad date would surface only once the
/// date is fixed.
#[derive(Debug, Default)]
struct RawRefs {
    files: Vec<Arc<SourceFile>>,
    products: HashSet<String>,
    policies: HashSet<String>,
    /// (policy id, product id, where the product is named)
    bans: Vec<(String, String, Place)>,
}

impl RawRefs {
    fn read(files: &[Arc<SourceFile>]) -> RawRefs {
        let mut raw = RawRefs {
            files: files.to_vec(),
            ..RawRefs::default()
        };
        for file in files {
            // A syntax error is reported already; such a file says nothing.
            let Ok(nodes) = crate::yaml::parse_documents(file) else {
                continue;
            };
            for node in &nodes {
                if let Some(id) = text_at(node, "product") {
                    raw.products.insert(id.to_string());
                }
                let Some(policy) = text_at(node, "policy") else {
                    continue;
                };
                raw.policies.insert(policy.to_string());
                let Some(Value::Seq(entries)) = value_at(node, "bans").map(|n| &n.value) else {
                    continue;
                };
                for entry in entries {
                    if let Some(product) = value_at(entry, "product")
                        && let Value::Str(id) = &product.value
                    {
                        let place = Place {
                            file: Arc::clone(file),
                            span: product.span,
                        };
                        raw.bans
                            .push((policy.to_string(), id.trim().to_string(), place));
                    }
                }
            }
        }
        raw
    }

    fn covers(&self, place: &Place) -> bool {
        self.files.iter().any(|f| Arc::ptr_eq(f, &place.file))
    }
}

fn value_at<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| matches!(&k.value, Value::Str(s) if s == key))
            .map(|(_, v)| v),
        _ => None,
    }
}

fn text_at<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    match &value_at(node, key)?.value {
        Value::Str(s) => Some(s.trim()),
        _ => None,
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

fn check_library(library: &Library, raw: &RawRefs, problems: &mut Vec<Problem>) {
    let mut products: HashMap<&str, &Place> = HashMap::new();
    for p in &library.products {
        if let Some(first) = products.insert(&p.id, &p.place) {
            problems.push(duplicate("product", &p.id, first, &p.place));
        }
    }
    let mut policies: HashMap<&str, &Place> = HashMap::new();
    let mut bans: Vec<(&str, &str, &Place)> = Vec::new();
    for p in &library.policies {
        if let Some(first) = policies.insert(&p.id, &p.place) {
            problems.push(duplicate("policy", &p.id, first, &p.place));
        }
        for ban in &p.bans {
            if let Ban::Product { id, place, .. } = ban
                && !raw.covers(place)
            {
                bans.push((&p.id, id, place));
            }
        }
    }
    // The bans of files with problems come from the plain YAML, which
    // holds the policies that could not be read as well.
    bans.extend(
        raw.bans
            .iter()
            .map(|(p, id, place)| (p.as_str(), id.as_str(), place)),
    );
    let known = |id: &str| products.contains_key(id) || raw.products.contains(id);
    for (policy, id, place) in bans {
        if known(id) {
            continue;
        }
        let names = products
            .keys()
            .copied()
            .chain(raw.products.iter().map(String::as_str));
        let help = match crate::diag::did_you_mean(id, names) {
            Some(m) => format!("did you mean `{m}`? (`banscan policy list` shows the products)"),
            None => {
                "define the product in a `product:` document, or load the policy set that has it"
                    .into()
            }
        };
        problems.push(
            Problem::error(
                Code::UnknownProduct,
                format!("policy `{policy}` bans product `{id}`, which does not exist"),
            )
            .in_file(&place.file, place.span, "unknown product")
            .with_help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNTESTED: &str = "product: demo-chat\nname: Demo Chat\nidentifiers: { endpoints: [demo-chat.example] }\n---\npolicy: xx-demo-2025-chat\ntitle: Demo ban\nauthority: Demo Ministry\njurisdiction: TW\nissued: 2025-01-31\neffective: 2025-02-03\nlegal_basis: Demo Act\nsources: [{ title: Demo, publisher: Demo News }]\nbinds: { sectors: [central-government] }\nseverity: ban\nbans: [{ product: demo-chat }]\n";

    fn codes(name: &str, examples: Examples) -> Vec<Code> {
        let file = Arc::new(SourceFile::new(name, Arc::from(UNTESTED)));
        read_library(&[file], Vec::new(), examples)
            .problems
            .iter()
            .map(|p| p.code)
            .collect()
    }

    /// A scan takes a user policy without examples, but never a built-in
    /// one: the library's own policies are always tested.
    #[test]
    fn only_user_policies_may_lack_examples() {
        let lenient = Examples::OptionalForUserPolicies;
        assert_eq!(codes("local/p.yaml", lenient), []);
        let builtin = format!("{}p.yaml", super::super::builtin::PREFIX);
        assert_eq!(
            codes(&builtin, lenient),
            [Code::NoExamples, Code::NoExamples]
        );
        assert_eq!(
            codes("local/p.yaml", Examples::Required),
            [Code::NoExamples, Code::NoExamples]
        );
    }
}
