//! npm lockfiles: `package-lock.json` and `npm-shrinkwrap.json`, every
//! `lockfileVersion` npm has written (1: npm 5–6, 2: npm 7–8, 3: npm 9+;
//! absent: the npm ≤4 shrinkwrap, read as 1). `node_modules/.package-lock.json`
//! is the same format, but walks pass over hidden files.
//!
//! The file is parsed with serde_json, never by hand; a syntax error or a
//! truncated file is one problem at its line and column, and the file is
//! unread evidence. serde gives no positions of values, so one pass of a
//! small tokenizer over the (then known valid) bytes records where each
//! package entry's key starts, in document order, and the k-th key found is
//! the k-th entry parsed (entries are kept in file order, duplicates too).
//!
//! What is emitted, one [`Package`] per installed package, at its key:
//! - v2/v3 `packages`: the key is the folder; the name is the entry's
//!   `name` when present (aliases `sw` → `string-width`, workspaces,
//!   `file:` dependencies), else the text after the last `node_modules/`.
//!   `""` (the project itself) is not a dependency and is not emitted; a
//!   `link: true` entry is not emitted either, its target folder's own
//!   entry is (once). npm 7+ ignores `dependencies` when `packages` exists,
//!   and so does banscan.
//! - v1 `dependencies`: name → entry, nested `dependencies` recursively
//!   (folder `node_modules/a/node_modules/b`). A `version` of `npm:real@x`
//!   is an alias of `real` at `x`; a URL, `file:` or git version has no
//!   registry version (`version: None`).
//!
//! The graph: each entry's `dependencies`, `optionalDependencies` and
//! `peerDependencies` (and `devDependencies` of the root and of workspace
//! members) are resolved as npm resolves them, from the entry's folder up:
//! `node_modules/a/node_modules/b` needing `c` finds
//! `node_modules/a/node_modules/b/node_modules/c`, then
//! `node_modules/a/node_modules/c`, then `node_modules/c`; a link is
//! followed to its target. One breadth-first walk from the root gives each
//! package the shortest chain of names from the project (`path`), and
//! `direct` says whether the root or a workspace member asks for it. A v1
//! file lists no root dependencies: packages that no other package
//! `requires` are taken as the root's (`direct: Some(true)`), the others
//! are `direct: None` (the file cannot tell whether the project also asks
//! for them).
//!
//! `scope`: `dev`/`devOptional` → Dev, `optional` → Optional, `peer` → Peer.
//! An installed entry without a `version` is a record passed over; a
//! workspace or `file:` folder without one (a private package.json may
//! have none) is emitted without a version.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use serde::{Deserialize, Deserializer};

use super::json_lock::{self, InOrder, LineIndex, Span};

use crate::ident::Ecosystem;
use crate::input::item::{DepScope, ItemView, Package};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "npm-lock",
    evidence: Evidence::Packages,
    description: "npm lockfile",
    names: &["package-lock.json", "npm-shrinkwrap.json"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::npm_lock),
    reader: Reader::Stream(read),
};

const SYNTAX_HELP: &str = "the lockfile is not valid JSON: regenerate it with \
     `npm install --package-lock-only`, or restore it from version control";

fn read(
    source: &Source,
    opened: Opened,
    _limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = json_lock::read_text(source, opened)?;
    read_text(&source.name, &text, sink)
}

/// Reads a decoded lockfile.
fn read_text(name: &Arc<str>, text: &str, sink: &mut dyn Sink) -> Result<(), InputProblem> {
    let Some(lines) = json_lock::lines_unless_empty(
        name,
        text,
        sink,
        "regenerate it with `npm install --package-lock-only`, or delete it",
    ) else {
        return Ok(());
    };
    let lock: Lock = json_lock::parse(name, text, &lines, SYNTAX_HELP)?;
    let keys = key_offsets(text.as_bytes());
    match &lock.lockfile_version {
        None => {}
        Some(serde_json::Value::Number(n)) if matches!(n.as_u64(), Some(1..=3)) => {}
        Some(other) => {
            let key = keys.version.unwrap_or(Span { start: 0, end: 1 });
            let (line, start, end) = lines.line_of(text.as_bytes(), key.start);
            return Err(InputProblem::line(
                name,
                line,
                &text[start..end],
                key.start - start,
                key.end - key.start,
                format!("unknown lockfileVersion {other}: banscan reads versions 1, 2 and 3"),
                "regenerate the lockfile with npm 6–11, or report the new version to banscan",
            ));
        }
    }
    let graph = match (&lock.packages, &lock.dependencies) {
        (Some(packages), _) => Graph::from_packages(&lock, packages, &keys.packages),
        (None, Some(deps)) => Graph::from_v1(&lock, deps, &keys.v1),
        (None, None) => return Ok(()),
    };
    graph.emit(name, text, &lines, sink);
    Ok(())
}

// ---------------------------------------------------------------------------
// The parsed file.

#[derive(Deserialize)]
struct Lock {
    name: Option<String>,
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<serde_json::Value>,
    packages: Option<InOrder<Entry>>,
    dependencies: Option<InOrder<V1Entry>>,
}

/// A v2/v3 `packages` entry.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Entry {
    name: Option<String>,
    version: Option<String>,
    resolved: Option<String>,
    #[serde(default)]
    link: bool,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    dev_optional: bool,
    #[serde(default)]
    peer: bool,
    dependencies: Option<Names>,
    dev_dependencies: Option<Names>,
    optional_dependencies: Option<Names>,
    peer_dependencies: Option<Names>,
    workspaces: Option<serde::de::IgnoredAny>,
}

/// A v1 `dependencies` entry.
#[derive(Deserialize, Default)]
struct V1Entry {
    version: Option<String>,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    optional: bool,
    requires: Option<Names>,
    dependencies: Option<InOrder<V1Entry>>,
}

/// The names of a dependency map (`name → range`); the ranges are not
/// needed, the lockfile has the versions.
struct Names(Vec<String>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let InOrder(entries) = InOrder::<serde::de::IgnoredAny>::deserialize(d)?;
        Ok(Names(entries.into_iter().map(|(k, _)| k).collect()))
    }
}

// ---------------------------------------------------------------------------
// Where the keys are.

/// Byte offsets of keys, in document order: each `packages` entry's key,
/// each v1 `dependencies` entry's key (nested ones in pre-order, as serde
/// reads them), and the `lockfileVersion` key.
#[derive(Default)]
struct Keys {
    packages: Vec<Span>,
    v1: Vec<Span>,
    version: Option<Span>,
}

/// One pass over valid JSON recording where the keys that matter start
/// (the offset of the opening quote).
fn key_offsets(bytes: &[u8]) -> Keys {
    let mut keys = Keys::default();
    json_lock::keys(bytes, |path, span| match path {
        [k] if k.is("lockfileVersion") => keys.version = Some(span),
        [p, _] if p.is("packages") => keys.packages.push(span),
        // `dependencies`, `a`, `dependencies`, `b`...: v1 entries, nested
        // ones in pre-order.
        _ if path.len() % 2 == 0
            && path.iter().step_by(2).all(|s| s.is("dependencies"))
            && path.iter().skip(1).step_by(2).all(|s| s.key().is_some()) =>
        {
            keys.v1.push(span)
        }
        _ => {}
    });
    keys
}

// ---------------------------------------------------------------------------
// The graph.

/// One folder of the installed tree.
struct Node {
    /// The folder (`node_modules/a/node_modules/b`); `""` is the root.
    folder: String,
    /// The package name (the real one for an alias).
    name: String,
    version: Option<String>,
    /// Where the key is in the file; `None` for a root without an entry.
    key: Option<Span>,
    /// The folder a link points at.
    link: Option<String>,
    scope: Option<DepScope>,
    /// Names it asks for, resolved from its folder.
    wants: Vec<String>,
    /// Whether the installed entry lacked a version it should have.
    missing_version: bool,
    /// Whether the emitted package is direct when the file cannot tell
    /// (v1): `None` means "cannot tell" rather than "no".
    unknown_direct: bool,
}

struct Graph {
    nodes: Vec<Node>,
    by_folder: HashMap<String, usize>,
    /// Nodes the root and workspace members ask for (after links).
    root_wants: Vec<usize>,
    /// Workspace members (folders outside `node_modules` the root owns).
    members: Vec<usize>,
}

fn scope_of(dev: bool, dev_optional: bool, optional: bool, peer: bool) -> Option<DepScope> {
    if dev || dev_optional {
        Some(DepScope::Dev)
    } else if optional {
        Some(DepScope::Optional)
    } else if peer {
        Some(DepScope::Peer)
    } else {
        None
    }
}

/// The package name a folder holds: the text after the last `node_modules/`,
/// else after the last `/` (a workspace folder).
fn folder_name(folder: &str) -> &str {
    match folder.rfind("node_modules/") {
        Some(i) => &folder[i + "node_modules/".len()..],
        None => folder.rsplit('/').next().unwrap_or(folder),
    }
}

/// The folder npm looks in next, going up from `folder`: the parent
/// package's folder, `""` (the root) at the top; `None` above the root.
fn parent_folder(folder: &str) -> Option<&str> {
    if folder.is_empty() {
        return None;
    }
    Some(match folder.rfind("/node_modules/") {
        Some(i) => &folder[..i],
        None => "",
    })
}

/// `npm:real@range` → `(real, range)`.
fn alias(version: &str) -> Option<(&str, &str)> {
    let spec = version.strip_prefix("npm:")?;
    // `@scope/name@1.0.0`: the version's `@` is not the first character.
    let at = spec[1..].find('@').map(|i| i + 1)?;
    Some((&spec[..at], &spec[at + 1..]))
}

/// A v1 version that is a registry version (not a URL, path or git spec).
fn registry_version(version: &str) -> bool {
    !version.contains(':') && !version.contains('/')
}

impl Graph {
    fn index(nodes: Vec<Node>) -> Graph {
        let by_folder = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.folder.clone(), i))
            .collect();
        Graph {
            nodes,
            by_folder,
            root_wants: Vec::new(),
            members: Vec::new(),
        }
    }

    fn from_packages(lock: &Lock, packages: &InOrder<Entry>, keys: &[Span]) -> Graph {
        let aligned = keys.len() == packages.0.len();
        let mut nodes = Vec::with_capacity(packages.0.len() + 1);
        let mut has_workspaces = false;
        for (i, (folder, e)) in packages.0.iter().enumerate() {
            let name = e
                .name
                .clone()
                .or_else(|| (folder.is_empty()).then(|| lock.name.clone()).flatten())
                .unwrap_or_else(|| folder_name(folder).to_string());
            let mut wants: Vec<String> = Vec::new();
            let own = folder.is_empty() || !folder.contains("node_modules/");
            for names in [
                &e.dependencies,
                &e.optional_dependencies,
                &e.peer_dependencies,
            ]
            .into_iter()
            .chain(own.then_some(&e.dev_dependencies))
            .flatten()
            {
                wants.extend(names.0.iter().cloned());
            }
            if folder.is_empty() {
                has_workspaces = e.workspaces.is_some();
            }
            nodes.push(Node {
                folder: folder.clone(),
                name,
                version: e.version.clone(),
                key: aligned.then(|| keys[i]),
                link: e.link.then(|| e.resolved.clone().unwrap_or_default()),
                scope: scope_of(e.dev, e.dev_optional, e.optional, e.peer),
                wants,
                missing_version: e.version.is_none() && !e.link && !own,
                unknown_direct: false,
            });
        }
        if !nodes.iter().any(|n| n.folder.is_empty()) {
            nodes.push(Node {
                folder: String::new(),
                name: lock.name.clone().unwrap_or_else(|| "(root)".into()),
                version: None,
                key: None,
                link: None,
                scope: None,
                wants: Vec::new(),
                missing_version: false,
                unknown_direct: false,
            });
        }
        let mut g = Graph::index(nodes);
        if has_workspaces {
            g.members = (0..g.nodes.len())
                .filter(|&i| {
                    let f = &g.nodes[i].folder;
                    !f.is_empty() && !f.contains("node_modules/") && g.nodes[i].link.is_none()
                })
                .collect();
        }
        let root = g.by_folder[""];
        let mut wants = g.resolve_all(root);
        for &m in &g.members {
            wants.extend(g.resolve_all(m));
        }
        g.root_wants = wants;
        g
    }

    fn from_v1(lock: &Lock, deps: &InOrder<V1Entry>, keys: &[Span]) -> Graph {
        let mut nodes = vec![Node {
            folder: String::new(),
            name: lock.name.clone().unwrap_or_else(|| "(root)".into()),
            version: None,
            key: None,
            link: None,
            scope: None,
            wants: Vec::new(),
            missing_version: false,
            unknown_direct: false,
        }];
        // Pre-order, as the tokenizer found the keys.
        fn walk<'a>(
            parent: &str,
            deps: &'a InOrder<V1Entry>,
            out: &mut Vec<(String, String, &'a V1Entry)>,
        ) {
            for (name, e) in &deps.0 {
                let folder = if parent.is_empty() {
                    format!("node_modules/{name}")
                } else {
                    format!("{parent}/node_modules/{name}")
                };
                out.push((folder.clone(), name.clone(), e));
                if let Some(nested) = &e.dependencies {
                    walk(&folder, nested, out);
                }
            }
        }
        let mut order: Vec<(String, String, &V1Entry)> = Vec::new();
        walk("", deps, &mut order);
        let aligned = keys.len() == order.len();
        for (i, (folder, key_name, e)) in order.iter().enumerate() {
            let (name, version) = match e.version.as_deref() {
                Some(v) => match alias(v) {
                    Some((real, version)) => (real.to_string(), Some(version.to_string())),
                    None => (key_name.clone(), registry_version(v).then(|| v.to_string())),
                },
                None => (key_name.clone(), None),
            };
            nodes.push(Node {
                folder: folder.clone(),
                name,
                version,
                key: aligned.then(|| keys[i]),
                link: None,
                scope: scope_of(e.dev, false, e.optional, false),
                wants: e.requires.as_ref().map(|r| r.0.clone()).unwrap_or_default(),
                missing_version: e.version.is_none(),
                unknown_direct: true,
            });
        }
        let mut g = Graph::index(nodes);
        // The file lists no root dependencies: the top-level packages no
        // package requires are the root's.
        let mut required = vec![false; g.nodes.len()];
        for n in 1..g.nodes.len() {
            for w in g.resolve_all(n) {
                required[w] = true;
            }
        }
        let top: Vec<String> = (1..g.nodes.len())
            .filter(|&n| {
                !required[n]
                    && !g.nodes[n].folder["node_modules/".len()..].contains("/node_modules/")
            })
            .map(|n| folder_name(&g.nodes[n].folder).to_string())
            .collect();
        g.nodes[0].wants = top;
        g.root_wants = g.resolve_all(0);
        g
    }

    /// The node a link leads to (itself when it is no link).
    fn target(&self, node: usize) -> Option<usize> {
        match &self.nodes[node].link {
            None => Some(node),
            Some(to) => self.by_folder.get(to.as_str()).copied(),
        }
    }

    /// Resolves `name` from `folder` as npm does: in `folder/node_modules`,
    /// then in each parent package's `node_modules` up to the root's.
    fn resolve(&self, folder: &str, name: &str) -> Option<usize> {
        let mut at = Some(folder);
        let mut candidate = String::new();
        while let Some(f) = at {
            candidate.clear();
            if !f.is_empty() {
                candidate.push_str(f);
                candidate.push('/');
            }
            candidate.push_str("node_modules/");
            candidate.push_str(name);
            if let Some(&i) = self.by_folder.get(candidate.as_str()) {
                return self.target(i);
            }
            at = parent_folder(f);
        }
        None
    }

    fn resolve_all(&self, node: usize) -> Vec<usize> {
        let folder = &self.nodes[node].folder;
        self.nodes[node]
            .wants
            .iter()
            .filter_map(|w| self.resolve(folder, w))
            .collect()
    }

    /// The shortest chain from the root to each node (`parent[i]`), by one
    /// breadth-first walk.
    fn parents(&self) -> Vec<Option<usize>> {
        const UNSEEN: usize = usize::MAX;
        let root = self.by_folder[""];
        let mut parent = vec![UNSEEN; self.nodes.len()];
        parent[root] = root;
        let mut queue = VecDeque::new();
        let mut visit = |from: usize, to: usize, queue: &mut VecDeque<usize>| {
            if parent[to] == UNSEEN {
                parent[to] = from;
                queue.push_back(to);
            }
        };
        // Members first: what only a member asks for is reached through it.
        for &m in &self.members {
            visit(root, m, &mut queue);
        }
        for w in self.resolve_all(root) {
            visit(root, w, &mut queue);
        }
        while let Some(n) = queue.pop_front() {
            for w in self.resolve_all(n) {
                visit(n, w, &mut queue);
            }
        }
        parent
            .into_iter()
            .map(|p| (p != UNSEEN).then_some(p))
            .collect()
    }

    fn path(&self, parent: &[Option<usize>], node: usize) -> Vec<String> {
        let root = self.by_folder[""];
        let mut chain = Vec::new();
        let mut at = node;
        loop {
            chain.push(self.nodes[at].name.clone());
            match parent[at] {
                Some(p) if at != root => at = p,
                Some(_) => break,
                None => return Vec::new(),
            }
        }
        chain.reverse();
        chain
    }

    fn emit(&self, name: &Arc<str>, text: &str, lines: &LineIndex, sink: &mut dyn Sink) {
        let parent = self.parents();
        let mut direct = vec![false; self.nodes.len()];
        for &i in self.root_wants.iter().chain(&self.members) {
            direct[i] = true;
        }
        let bytes = text.as_bytes();
        for (i, node) in self.nodes.iter().enumerate() {
            if node.folder.is_empty() || node.link.is_some() {
                continue;
            }
            let key = node.key.unwrap_or(Span { start: 0, end: 1 });
            let (line, start, end) = lines.line_of(bytes, key.start);
            let line_text = &text[start..end];
            // The item's own text: the name part of the key (inside the
            // quotes), or the whole key when it has escapes.
            let key_end = key.end.min(end).max(key.start);
            let raw_key = &text[key.start..key_end];
            let (offset, len) = match raw_key.strip_prefix('"').and_then(|k| k.strip_suffix('"')) {
                Some(inner) if !inner.contains('\\') && node.key.is_some() => {
                    let tail = inner
                        .rfind("node_modules/")
                        .map_or(inner, |i| &inner[i + "node_modules/".len()..]);
                    (key.end - 1 - tail.len() - start, tail.len())
                }
                _ => (key.start - start, (key_end - key.start).max(1)),
            };
            if node.missing_version {
                let flow = sink.skip(
                    InputProblem::line(
                        name,
                        line,
                        line_text,
                        offset,
                        len,
                        format!("the entry `{}` has no version", node.folder),
                        "npm writes a version for every installed package: regenerate the \
                         lockfile with `npm install --package-lock-only`",
                    ),
                    line_text,
                );
                if flow == Flow::Stop {
                    return;
                }
                continue;
            }
            let package = Package {
                device: None,
                ecosystem: Ecosystem::Npm,
                name: node.name.clone(),
                key: Ecosystem::Npm.package_key(None, &node.name),
                version: node.version.clone(),
                requirement: None,
                path: self.path(&parent, i),
                direct: if direct[i] {
                    Some(true)
                } else if node.unknown_direct {
                    None
                } else {
                    Some(false)
                },
                scope: node.scope,
            };
            let flow = sink.item(
                ItemView::Package(&package),
                At {
                    source: name,
                    text: line_text,
                    line,
                    offset,
                    len,
                    byte: start as u64,
                },
            );
            if flow == Flow::Stop {
                return;
            }
        }
    }
}

#[cfg(test)]
#[path = "npm_lock_tests.rs"]
mod tests;
