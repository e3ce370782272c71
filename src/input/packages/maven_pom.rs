//! Maven project files (`pom.xml`), parsed with quick-xml for its byte
//! positions, never by hand.
//!
//! What is emitted, one maven [`Package`] (`group:artifact`) per
//! `<dependency>`, at its `<artifactId>` text:
//! - `project/dependencies/dependency` (and the same under
//!   `project/profiles/profile`) are what the project asks for:
//!   `direct: Some(true)`. Scope `test` → [`DepScope::Dev`]; `provided`
//!   and `system` → [`DepScope::Peer`], since Maven's own words for them
//!   are "provided by the JDK or a container at run time", which is what a
//!   peer dependency is, and they are needed at compile time, so not
//!   [`DepScope::Build`]; `<optional>true</optional>`, or a dependency
//!   of a profile (active only when asked for) → [`DepScope::Optional`];
//!   `compile`, `runtime` and no scope → none. `test` wins over optional.
//! - `project/dependencyManagement/dependencies/dependency` pins versions;
//!   it is no use by itself, but Maven applies it to transitive
//!   dependencies too, so a banned artifact listed only there is likely in
//!   the build: it is an item with `direct: None`, unless the same
//!   `group:artifact` is also a dependency of this file (then the
//!   dependency is the one item). A BOM import (`scope=import`,
//!   `type=pom`) is such an item too.
//! - `<plugins>` and `<extensions>` are build tools, not dependencies, and
//!   are not read; `<modules>` are other pom files, found by the walk.
//!
//! Versions: `${…}` is substituted from `<properties>` (a profile's own
//! first, for its dependencies), the built-ins `project.version`,
//! `project.groupId`, `project.artifactId`, `project.parent.*` (also with
//! the old `pom.` prefix), after inheritance, as Maven interpolates the
//! effective model. A dependency without `<version>` gets it from
//! `dependencyManagement`. The `<parent>` at its `relativePath` (default
//! `../pom.xml`; a folder means its `pom.xml`; an empty one means "not on
//! disk") is read when it exists and its coordinates are the ones named,
//! up to [`MAX_PARENTS`] deep, cycle-safe: its properties and
//! dependencyManagement are inherited. Its own dependencies are not
//! emitted again here: the walk finds the parent pom itself. A `${…}`
//! that nothing defines, or a version only an imported BOM or a parent
//! not on disk could give, is never guessed: the item has no version (its
//! name still matches; a version range is then unknown) and a warning at
//! its line says why. A version range (`[1.0,2.0)`) is kept as the
//! requirement.
//!
//! A syntax error (quick-xml's, at its place), a file cut short, or a root
//! that is not `<project>` is one problem, and the file is unread
//! evidence.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;

use quick_xml::events::Event;

use super::toml_lock::{self, LineIndex};
use crate::ident::Ecosystem;
use crate::input::item::{DepScope, ItemView, Package};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader};
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "maven-pom",
    evidence: Evidence::Packages,
    description: "Maven project file",
    names: &["pom.xml"],
    maybe: &[],
    sniff: None,
    shape: None,
    reader: Reader::Stream(read),
};

/// How many parents up a pom's `<parent>` chain is followed on disk.
pub const MAX_PARENTS: usize = 8;

/// How deep a property may refer to other properties before it counts as
/// a cycle.
const MAX_EXPANSION: usize = 16;

const FIX_XML: &str = "fix the XML (Maven itself would refuse this file), or restore it from \
     version control";

const DEFINE: &str = "define the property in `<properties>`, or scan the tree with the parent \
     pom that defines it; `mvn help:effective-pom` shows what Maven resolves";

fn read(
    source: &Source,
    opened: Opened,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let text = toml_lock::read_text(source, opened)?;
    let index = LineIndex::new(&text);
    let pom = parse(&text).map_err(|e| e.problem(source, &index))?;
    let mut seen = HashSet::new();
    if let Some(p) = source.path().and_then(|p| std::fs::canonicalize(p).ok()) {
        seen.insert(p);
    }
    let (parents, parent_note) = load_parents(source, &pom, limits, &mut seen);
    if let Some(note) = &parent_note
        && let Some(warning) = &note.warning
    {
        let problem = index.problem(
            source,
            note.span.clone(),
            warning.clone(),
            "fix `<relativePath>`, or leave it empty (`<relativePath/>`) for a parent from a \
             repository",
        );
        if sink.problem(problem.warning()) == Flow::Stop {
            return Ok(());
        }
    }
    let model = Model::new(&pom, &parents, parent_note.as_ref());
    // A stop asked for by the sink is no problem of the file.
    let _ = emit_all(source, &index, &pom, &model, sink);
    Ok(())
}

/// A value as the pom writes it, trimmed, with the byte range of its text
/// (an empty range at the element for an empty element).
#[derive(Clone, Debug, Default)]
struct Text {
    value: String,
    span: Range<usize>,
}

/// `groupId`, `artifactId`, `version` of a project, parent or dependency.
#[derive(Clone, Debug, Default)]
struct Coords {
    group: Option<Text>,
    artifact: Option<Text>,
    version: Option<Text>,
}

#[derive(Clone, Debug, Default)]
struct Dependency {
    coords: Coords,
    scope: Option<Text>,
    optional: Option<Text>,
    /// The profile it is declared in, by index.
    profile: Option<usize>,
    /// Where `<dependency>` starts, for a dependency without `artifactId`.
    start: usize,
}

#[derive(Clone, Debug, Default)]
struct ParentRef {
    coords: Coords,
    relative_path: Option<Text>,
    /// The `<parent>` start tag.
    span: Range<usize>,
}

/// What one pom says, before inheritance and interpolation.
#[derive(Clone, Debug, Default)]
struct Pom {
    project: Coords,
    parent: Option<ParentRef>,
    properties: HashMap<String, String>,
    /// Each profile's own properties.
    profiles: Vec<HashMap<String, String>>,
    dependencies: Vec<Dependency>,
    managed: Vec<Dependency>,
}

/// A pom that could not be parsed: the message and the byte it is at.
struct ParseError {
    message: String,
    at: usize,
}

impl ParseError {
    fn problem(&self, source: &Source, index: &LineIndex<'_>) -> InputProblem {
        index.problem(source, self.at..self.at, self.message.clone(), FIX_XML)
    }
}

/// Which dependency list a `<dependency>` element is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    Used,
    Managed,
}

/// The list a `dependency` element at `path` belongs to, and whether it
/// is inside a profile.
fn list_of(path: &[String]) -> Option<(List, bool)> {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    match p.as_slice() {
        ["project", "dependencies", "dependency"] => Some((List::Used, false)),
        [
            "project",
            "dependencyManagement",
            "dependencies",
            "dependency",
        ] => Some((List::Managed, false)),
        [
            "project",
            "profiles",
            "profile",
            "dependencies",
            "dependency",
        ] => Some((List::Used, true)),
        [
            "project",
            "profiles",
            "profile",
            "dependencyManagement",
            "dependencies",
            "dependency",
        ] => Some((List::Managed, true)),
        _ => None,
    }
}

/// Parses a pom into what banscan uses of it.
fn parse(text: &str) -> Result<Pom, ParseError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut pom = Pom::default();
    let mut path: Vec<String> = Vec::new();
    // The text of the innermost element, while it has no child element.
    let mut leaf: Option<Text> = None;
    let mut dependency: Option<(List, Dependency)> = None;
    let mut saw_root = false;
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|e| ParseError {
            message: format!("not a valid pom.xml: {e}"),
            at: usize::try_from(reader.error_position()).unwrap_or(0),
        })?;
        let after = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match event {
            Event::Start(ref tag) | Event::Empty(ref tag) => {
                let empty = matches!(event, Event::Empty(_));
                let name = AsRef::<str>::as_ref(&tag.local_name()).to_string();
                if path.is_empty() && name != "project" {
                    return Err(ParseError {
                        message: format!(
                            "the root element is `<{name}>`, not `<project>`: not a Maven pom"
                        ),
                        at: before,
                    });
                }
                saw_root = true;
                path.push(name);
                start_element(&mut pom, &path, &mut dependency, before..after);
                leaf = Some(Text {
                    value: String::new(),
                    span: after..after,
                });
                if empty {
                    end_element(&mut pom, &path, &mut dependency, leaf.take());
                    path.pop();
                }
            }
            Event::End(_) => {
                end_element(&mut pom, &path, &mut dependency, leaf.take());
                path.pop();
            }
            Event::Text(t) => add_text(&mut leaf, &t.xml10_content(), before..after),
            Event::CData(c) => {
                let raw = c.to_string();
                add_text(&mut leaf, &raw, before + 9..after.saturating_sub(3));
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&r)
                        .map_or_else(|| format!("&{};", &*r), str::to_string),
                };
                add_text(&mut leaf, &resolved, before..after);
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(name) = path.last() {
        return Err(ParseError {
            message: format!("the file ends inside `<{name}>` (truncated?): not a valid pom.xml"),
            at: text.trim_end().len(),
        });
    }
    if !saw_root {
        return Err(ParseError {
            message: "no `<project>` element: not a Maven pom".to_string(),
            at: 0,
        });
    }
    Ok(pom)
}

/// Appends a piece of an element's text (text, reference or CDATA), its
/// span growing to cover it; surrounding blanks are trimmed when the
/// element ends.
fn add_text(leaf: &mut Option<Text>, piece: &str, span: Range<usize>) {
    if let Some(t) = leaf {
        if t.value.is_empty() && t.span.is_empty() {
            t.span = span.clone();
        }
        t.value.push_str(piece);
        t.span.end = span.end;
    }
}

/// A whole text, trimmed, its span shrunk to match: blanks are the same
/// bytes raw and decoded, so the raw span shrinks by as many.
fn trimmed(text: Text) -> Text {
    let lead = text.value.len() - text.value.trim_start().len();
    let value = text.value.trim().to_string();
    let tail = text.value.len() - text.value.trim_end().len();
    let start = text.span.start + lead;
    let end = text.span.end.saturating_sub(tail).max(start);
    Text {
        value,
        span: start..end,
    }
}

fn start_element(
    pom: &mut Pom,
    path: &[String],
    dependency: &mut Option<(List, Dependency)>,
    tag: Range<usize>,
) {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    if let Some((list, in_profile)) = list_of(path) {
        let profile = in_profile.then(|| pom.profiles.len().saturating_sub(1));
        *dependency = Some((
            list,
            Dependency {
                profile,
                start: tag.start,
                ..Dependency::default()
            },
        ));
        return;
    }
    match p.as_slice() {
        ["project", "parent"] => {
            pom.parent = Some(ParentRef {
                span: tag,
                ..ParentRef::default()
            });
        }
        ["project", "profiles", "profile"] => pom.profiles.push(HashMap::new()),
        _ => {}
    }
}

fn end_element(
    pom: &mut Pom,
    path: &[String],
    dependency: &mut Option<(List, Dependency)>,
    leaf: Option<Text>,
) {
    if list_of(path).is_some() {
        if let Some((list, d)) = dependency.take() {
            match list {
                List::Used => pom.dependencies.push(d),
                List::Managed => pom.managed.push(d),
            }
        }
        return;
    }
    let Some(leaf) = leaf else { return };
    let leaf = trimmed(leaf);
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    let field = |c: &mut Coords, name: &str, leaf: Text| match name {
        "groupId" => c.group = Some(leaf),
        "artifactId" => c.artifact = Some(leaf),
        "version" => c.version = Some(leaf),
        _ => {}
    };
    match p.as_slice() {
        ["project", name] => field(&mut pom.project, name, leaf),
        ["project", "parent", "relativePath"] => {
            if let Some(parent) = &mut pom.parent {
                parent.relative_path = Some(leaf);
            }
        }
        ["project", "parent", name] => {
            if let Some(parent) = &mut pom.parent {
                field(&mut parent.coords, name, leaf);
            }
        }
        ["project", "properties", name] => {
            pom.properties.insert((*name).to_string(), leaf.value);
        }
        ["project", "profiles", "profile", "properties", name] => {
            if let Some(props) = pom.profiles.last_mut() {
                props.insert((*name).to_string(), leaf.value);
            }
        }
        [.., "dependency", name] => {
            if let Some((_, d)) = dependency {
                match *name {
                    "scope" => d.scope = Some(leaf),
                    "optional" => d.optional = Some(leaf),
                    _ => field(&mut d.coords, name, leaf),
                }
            }
        }
        _ => {}
    }
}

/// Why the parent's part of the model is missing, or that it was read.
struct ParentNote {
    span: Range<usize>,
    /// What the parent is (`org.acme:parent`), for messages.
    name: String,
    /// Whether the chain was read to its end (every parent named was on
    /// disk, or there was none).
    complete: bool,
    /// A warning to give at the `<parent>` tag: the file is there but
    /// unreadable or another artifact.
    warning: Option<String>,
}

/// Reads the parent chain from disk: the poms in order, nearest first, and
/// a note on the first parent that was not read.
fn load_parents(
    source: &Source,
    pom: &Pom,
    limits: &Limits,
    seen: &mut HashSet<PathBuf>,
) -> (Vec<Pom>, Option<ParentNote>) {
    let mut chain: Vec<Pom> = Vec::new();
    let mut current_source = source.clone();
    let mut current = pom.clone();
    let first = pom.parent.as_ref().map(|p| p.span.clone());
    let Some(first_span) = first else {
        return (chain, None);
    };
    let note = |complete: bool, name: String, warning: Option<String>| ParentNote {
        span: first_span.clone(),
        name,
        complete,
        warning,
    };
    loop {
        let Some(parent) = current.parent.clone() else {
            let name = coords_name(&pom.parent.as_ref().map(|p| p.coords.clone()));
            return (chain, Some(note(true, name, None)));
        };
        let name = coords_name(&Some(parent.coords.clone()));
        if chain.len() >= MAX_PARENTS {
            return (
                chain,
                Some(note(
                    false,
                    name,
                    Some(format!(
                        "the parent chain is over {MAX_PARENTS} poms deep; banscan stopped at `{}`",
                        current_source.name
                    )),
                )),
            );
        }
        let relative = match &parent.relative_path {
            Some(t) if t.value.is_empty() => return (chain, Some(note(false, name, None))),
            Some(t) => t.value.clone(),
            None => "../pom.xml".to_string(),
        };
        let relative = if relative.ends_with(".xml") {
            relative
        } else {
            format!("{}/pom.xml", relative.trim_end_matches('/'))
        };
        let next = current_source.include(&relative);
        let Some(path) = next.path().and_then(|p| std::fs::canonicalize(p).ok()) else {
            return (chain, Some(note(false, name, None)));
        };
        if !seen.insert(path) {
            return (
                chain,
                Some(note(
                    false,
                    name,
                    Some(format!(
                        "the parent chain comes back to `{}`: a cycle",
                        next.name
                    )),
                )),
            );
        }
        let parsed = next
            .open(limits)
            .and_then(|opened| toml_lock::read_text(&next, opened))
            .map_err(|p| p.message)
            .and_then(|text| {
                parse(&text).map_err(|e| {
                    let line = text[..e.at.min(text.len())].matches('\n').count() + 1;
                    format!("line {line}: {}", e.message)
                })
            });
        let parsed = match parsed {
            Ok(p) => p,
            Err(why) => {
                return (
                    chain,
                    Some(note(
                        false,
                        name,
                        Some(format!(
                            "the parent pom `{}` cannot be read ({why}); what it defines is unknown",
                            next.name
                        )),
                    )),
                );
            }
        };
        let own = |c: &Coords, parent: &Option<ParentRef>, f: fn(&Coords) -> &Option<Text>| {
            f(c).clone()
                .or_else(|| parent.as_ref().and_then(|p| f(&p.coords).clone()))
                .map(|t| t.value)
        };
        let wanted = (
            parent.coords.group.as_ref().map(|t| t.value.clone()),
            parent.coords.artifact.as_ref().map(|t| t.value.clone()),
        );
        let found = (
            own(&parsed.project, &parsed.parent, |c| &c.group),
            parsed.project.artifact.as_ref().map(|t| t.value.clone()),
        );
        if wanted != found {
            let found_name = format!(
                "{}:{}",
                found.0.unwrap_or_default(),
                found.1.unwrap_or_default()
            );
            return (
                chain,
                Some(note(
                    false,
                    name,
                    Some(format!(
                        "`{}` is `{found_name}`, not the parent this pom names; Maven would \
                         look for the parent in a repository, so what it defines is unknown",
                        next.name
                    )),
                )),
            );
        }
        current_source = next;
        current = parsed.clone();
        chain.push(parsed);
    }
}

fn coords_name(c: &Option<Coords>) -> String {
    let part = |t: &Option<Text>| t.as_ref().map_or("?", |t| t.value.as_str()).to_string();
    match c {
        Some(c) => format!("{}:{}", part(&c.group), part(&c.artifact)),
        None => "?".to_string(),
    }
}

/// The effective model of a pom: its properties and built-ins after
/// inheritance, and the managed versions, nearest pom first.
struct Model<'p> {
    properties: HashMap<String, String>,
    builtins: HashMap<&'static str, String>,
    managed: Vec<&'p Dependency>,
    profiles: &'p [HashMap<String, String>],
    /// What not on disk may define properties: a parent not read.
    parent_elsewhere: Option<String>,
    /// What not on disk may give versions: a parent not read, or an
    /// imported BOM.
    elsewhere: Vec<String>,
}

impl<'p> Model<'p> {
    fn new(pom: &'p Pom, parents: &'p [Pom], note: Option<&ParentNote>) -> Self {
        let mut properties = HashMap::new();
        for p in parents.iter().rev().chain(std::iter::once(pom)) {
            for (k, v) in &p.properties {
                properties.insert(k.clone(), v.clone());
            }
        }
        let value = |t: &Option<Text>| t.as_ref().map(|t| t.value.clone());
        let parent = pom.parent.as_ref().map(|p| &p.coords);
        let mut builtins = HashMap::new();
        let mut put = |keys: &[&'static str], v: Option<String>| {
            if let Some(v) = v {
                for k in keys {
                    builtins.insert(*k, v.clone());
                }
            }
        };
        let inherited = |f: fn(&Coords) -> &Option<Text>| {
            value(f(&pom.project)).or_else(|| parent.and_then(|c| value(f(c))))
        };
        put(&["project.groupId", "pom.groupId"], inherited(|c| &c.group));
        put(
            &["project.artifactId", "pom.artifactId"],
            value(&pom.project.artifact),
        );
        put(
            &["project.version", "pom.version"],
            inherited(|c| &c.version),
        );
        put(
            &["project.parent.groupId", "pom.parent.groupId"],
            parent.and_then(|c| value(&c.group)),
        );
        put(
            &["project.parent.artifactId", "pom.parent.artifactId"],
            parent.and_then(|c| value(&c.artifact)),
        );
        put(
            &["project.parent.version", "pom.parent.version"],
            parent.and_then(|c| value(&c.version)),
        );
        // A parent's profiles are its own build's; only this pom's
        // profile indices mean anything here.
        let managed: Vec<&Dependency> = pom
            .managed
            .iter()
            .chain(
                parents
                    .iter()
                    .flat_map(|p| p.managed.iter().filter(|d| d.profile.is_none())),
            )
            .collect();
        let parent_elsewhere = note
            .filter(|n| !n.complete)
            .map(|n| format!("the parent `{}`, which is not on disk", n.name));
        let mut elsewhere: Vec<String> = parent_elsewhere.iter().cloned().collect();
        for d in &managed {
            if d.scope.as_ref().is_some_and(|s| s.value == "import") {
                elsewhere.push(format!(
                    "the imported BOM `{}`",
                    coords_name(&Some(d.coords.clone()))
                ));
            }
        }
        Model {
            properties,
            builtins,
            managed,
            profiles: &pom.profiles,
            parent_elsewhere,
            elsewhere,
        }
    }

    /// `raw` with every `${name}` substituted; the first name nothing
    /// defines (or that refers to itself) when one is left.
    fn resolve(&self, raw: &str, profile: Option<usize>) -> Result<String, String> {
        self.expand(raw, profile, 0)
    }

    fn expand(&self, raw: &str, profile: Option<usize>, depth: usize) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = raw;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                return Ok(out);
            };
            let name = &after[..end];
            let value = profile
                .and_then(|i| self.profiles.get(i))
                .and_then(|props| props.get(name))
                .or_else(|| self.properties.get(name))
                .or_else(|| self.builtins.get(name))
                .ok_or_else(|| name.to_string())?;
            if depth >= MAX_EXPANSION {
                return Err(name.to_string());
            }
            out.push_str(&self.expand(value, profile, depth + 1)?);
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// The managed version text for `key` (`group:artifact`), nearest
    /// pom first, with the profile it is declared in.
    fn managed_version(&self, key: &str) -> Option<(&'p Text, Option<usize>)> {
        self.managed.iter().find_map(|d| {
            let group = self
                .resolve(&d.coords.group.as_ref()?.value, d.profile)
                .ok()?;
            let artifact = self
                .resolve(&d.coords.artifact.as_ref()?.value, d.profile)
                .ok()?;
            (format!("{group}:{artifact}") == key)
                .then_some(d.coords.version.as_ref())
                .flatten()
                .map(|v| (v, d.profile))
        })
    }
}

/// What a version came to.
enum Version {
    Exact(String),
    Range(String),
    /// Not known, for the reason given.
    Unknown(String),
    /// Not in any pom on disk, though an imported BOM or a parent not on
    /// disk may give it: one warning for all of these in a file.
    Elsewhere,
}

fn version_of(text: String) -> Version {
    if text.starts_with(['[', '(']) {
        Version::Range(text)
    } else {
        Version::Exact(text)
    }
}

fn scope_of(d: &Dependency) -> Option<DepScope> {
    let scope = d.scope.as_ref().map(|t| t.value.as_str());
    let optional = d.optional.as_ref().is_some_and(|t| t.value == "true");
    match scope {
        Some("test") => Some(DepScope::Dev),
        _ if optional || d.profile.is_some() => Some(DepScope::Optional),
        Some("provided" | "system") => Some(DepScope::Peer),
        _ => None,
    }
}

/// The sink said stop.
struct Stop;

fn check(flow: Flow) -> Result<(), Stop> {
    match flow {
        Flow::Continue => Ok(()),
        Flow::Stop => Err(Stop),
    }
}

/// Emits every dependency, then the managed ones no dependency uses.
fn emit_all(
    source: &Source,
    index: &LineIndex<'_>,
    pom: &Pom,
    model: &Model<'_>,
    sink: &mut dyn Sink,
) -> Result<(), Stop> {
    let mut used = HashSet::new();
    // Dependencies whose version only something not on disk could give.
    let mut elsewhere: Vec<(Range<usize>, String)> = Vec::new();
    for d in &pom.dependencies {
        if let Some(key) = emit_one(source, index, model, d, Some(true), &mut elsewhere, sink)? {
            used.insert(key);
        }
    }
    for d in &pom.managed {
        let key = match (&d.coords.group, &d.coords.artifact) {
            (Some(g), Some(a)) => format!(
                "{}:{}",
                model.resolve(&g.value, d.profile).unwrap_or_default(),
                model.resolve(&a.value, d.profile).unwrap_or_default()
            ),
            _ => String::new(),
        };
        if !used.contains(&key) {
            emit_one(source, index, model, d, None, &mut elsewhere, sink)?;
        }
    }
    if let Some((span, first)) = elsewhere.first() {
        let count = elsewhere.len();
        let which = if count == 1 {
            format!("the version of {first} is")
        } else {
            format!("the versions of {count} dependencies ({first}, …) are")
        };
        let message = format!(
            "{which} not in this pom or the parents on disk; {} may give {}, so {} unknown",
            model.elsewhere.join(" or "),
            if count == 1 { "it" } else { "them" },
            if count == 1 { "it is" } else { "they are" },
        );
        check(
            sink.problem(
                index
                    .problem(
                        source,
                        span.clone(),
                        message,
                        "scan the BOM or parent pom with this one, or check the versions \
                     `mvn help:effective-pom` shows",
                    )
                    .warning(),
            ),
        )?;
    }
    Ok(())
}

/// Hands one dependency to the sink, with a warning when a property is
/// not defined; its `group:artifact` key, or `None` when it was passed
/// over. `direct` is `None` for a managed entry.
fn emit_one(
    source: &Source,
    index: &LineIndex<'_>,
    model: &Model<'_>,
    d: &Dependency,
    direct: Option<bool>,
    elsewhere: &mut Vec<(Range<usize>, String)>,
    sink: &mut dyn Sink,
) -> Result<Option<String>, Stop> {
    let (Some(group), Some(artifact)) = (&d.coords.group, &d.coords.artifact) else {
        let missing = if d.coords.artifact.is_none() {
            "artifactId"
        } else {
            "groupId"
        };
        let span = d
            .coords
            .artifact
            .as_ref()
            .map_or(d.start..d.start + 1, |t| t.span.clone());
        let p = index.place(span.clone());
        let problem = index.problem(
            source,
            span,
            format!("a `<dependency>` without `<{missing}>`; it was passed over"),
            "Maven requires groupId and artifactId on every dependency; fix the pom",
        );
        check(sink.skip(problem, p.text))?;
        return Ok(None);
    };
    let undefined = |property: &str| {
        let maybe = model
            .parent_elsewhere
            .as_ref()
            .map_or(String::new(), |p| format!(" (it may be in {p})"));
        format!("`${{{property}}}` is not defined in this pom or the parents on disk{maybe}")
    };
    let mut warnings: Vec<(Range<usize>, String)> = Vec::new();
    let mut name_part = |t: &Text| match model.resolve(&t.value, d.profile) {
        Ok(v) => v,
        Err(property) => {
            warnings.push((
                t.span.clone(),
                format!("{}; the name is kept as written", undefined(&property)),
            ));
            t.value.clone()
        }
    };
    let group_value = name_part(group);
    let artifact_value = name_part(artifact);
    let name = format!("{group_value}:{artifact_value}");
    let version = match &d.coords.version {
        Some(v) => match model.resolve(&v.value, d.profile) {
            Ok(text) => version_of(text),
            Err(property) => Version::Unknown(format!(
                "{}; the version of {name} is unknown",
                undefined(&property)
            )),
        },
        // A managed entry without a version (it sets only a scope or
        // exclusions): nothing is missing.
        None if direct.is_none() => Version::Unknown(String::new()),
        None => match model.managed_version(&name) {
            Some((v, profile)) => match model.resolve(&v.value, profile) {
                Ok(text) => version_of(text),
                Err(property) => Version::Unknown(format!(
                    "{}: it is the managed version of {name}, which is unknown",
                    undefined(&property)
                )),
            },
            None if model.elsewhere.is_empty() => Version::Unknown(format!(
                "{name} has no `<version>`, and no `<dependencyManagement>` in this pom or its \
                 parents gives one (Maven would refuse it); its version is unknown"
            )),
            None => Version::Elsewhere,
        },
    };
    let (version, requirement) = match version {
        Version::Exact(v) => (Some(v), None),
        Version::Range(r) => (None, Some(r)),
        Version::Unknown(why) => {
            if !why.is_empty() {
                let span = d
                    .coords
                    .version
                    .as_ref()
                    .map_or(artifact.span.clone(), |v| v.span.clone());
                warnings.push((span, why));
            }
            (None, None)
        }
        Version::Elsewhere => {
            elsewhere.push((artifact.span.clone(), name.clone()));
            (None, None)
        }
    };
    for (span, message) in warnings {
        check(sink.problem(index.problem(source, span, message, DEFINE).warning()))?;
    }
    let package = Package {
        device: None,
        ecosystem: Ecosystem::Maven,
        key: Ecosystem::Maven.package_key(Some(&group_value), &artifact_value),
        name,
        version,
        requirement,
        path: Vec::new(),
        direct,
        scope: scope_of(d),
    };
    let p = index.place(artifact.span.clone());
    check(sink.item(
        ItemView::Package(&package),
        At {
            source: &source.name,
            text: p.text,
            line: p.line,
            offset: p.offset,
            len: p.len,
            byte: p.line_start as u64,
        },
    ))?;
    Ok(Some(package.key))
}

#[cfg(test)]
#[path = "maven_pom_tests.rs"]
mod tests;
