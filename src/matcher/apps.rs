//! App rules: plain names and publishers in hash maps, globs in one glob
//! set each, bundle ids and extension ids exact; an index hit is then
//! checked against every field the rule names (name, publisher, bundle
//! id, extension id, platform, versions).
//!
//! Bundle ids and extension ids are two indexes: an extension is read with
//! its id as its extension id and no bundle id, so a rule for one never
//! matches the other. A version range holds when the app's version is in
//! it, or when the app has no version or one that cannot be read, as for
//! packages: a finding to check by hand beats a missed ban.
//!
//! Names and publishers are compared [folded](fold): inventories show the
//! same app as `DeepSeek  `, `ＤｅｅｐＳｅｅｋ` or `腾讯科技（深圳）有限公司`
//! with fullwidth brackets, and a policy names it once.

use std::borrow::Cow;

use globset::{GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use rustc_hash::FxHashMap as HashMap;
use unicode_normalization::UnicodeNormalization;

use crate::input::AppView;
use crate::policy::compile::is_glob;
use crate::policy::{AppRule, VersionRange};

use super::{CompileError, RuleId};

fn glob(pattern: &str) -> Result<globset::Glob, CompileError> {
    Ok(GlobBuilder::new(pattern).case_insensitive(true).build()?)
}

/// A case-insensitive name pattern of one rule.
enum Pattern {
    /// A plain name, lower-cased.
    Exact(String),
    Glob(GlobMatcher),
}

impl Pattern {
    fn new(pattern: &str) -> Result<Pattern, CompileError> {
        let pattern = fold(pattern);
        Ok(if is_glob(&pattern) {
            Pattern::Glob(glob(&pattern)?.compile_matcher())
        } else {
            Pattern::Exact(pattern.to_lowercase())
        })
    }

    /// Whether folded `text` matches.
    fn is_match(&self, text: &str) -> bool {
        match self {
            Pattern::Exact(name) => *lower(text) == **name,
            Pattern::Glob(g) => g.is_match(text),
        }
    }
}

/// What a plain name or publisher pattern is looked up as (folded, in
/// lower case), or `None` for a glob.
pub(super) fn exact_key(pattern: &str) -> Option<String> {
    let pattern = fold(pattern);
    (!is_glob(&pattern)).then(|| pattern.to_lowercase())
}

/// An index of name patterns: plain names in a hash map, globs in one
/// glob set, each leading back to its rule.
struct PatternIndex {
    exact: HashMap<String, Vec<RuleId>>,
    globs: GlobSet,
    owners: Vec<RuleId>,
}

#[derive(Default)]
struct PatternIndexBuilder {
    exact: HashMap<String, Vec<RuleId>>,
    globs: Vec<(globset::Glob, RuleId)>,
}

impl PatternIndexBuilder {
    fn add(&mut self, pattern: &str, rule: RuleId) -> Result<(), CompileError> {
        match exact_key(pattern) {
            Some(key) => self.exact.entry(key).or_default().push(rule),
            None => self.globs.push((glob(&fold(pattern))?, rule)),
        }
        Ok(())
    }

    fn build(self) -> Result<PatternIndex, CompileError> {
        let mut set = GlobSetBuilder::new();
        let mut owners = Vec::with_capacity(self.globs.len());
        for (g, rule) in self.globs {
            set.add(g);
            owners.push(rule);
        }
        Ok(PatternIndex {
            exact: self.exact,
            globs: set.build()?,
            owners,
        })
    }
}

impl PatternIndex {
    /// Adds the rules whose pattern matches folded `text` to `out`.
    fn candidates(&self, text: &str, out: &mut Vec<RuleId>) {
        if let Some(ids) = self.exact.get(&*lower(text)) {
            out.extend(ids);
        }
        if !self.owners.is_empty() {
            out.extend(self.globs.matches(text).into_iter().map(|g| self.owners[g]));
        }
    }
}

/// The field a rule is looked up by: the most selective it has. An app
/// can match the rule only if that field matches, which the
/// [prefilter](super::prefilter) relies on as well.
pub(super) enum IndexKey<'a> {
    /// In lower case.
    BundleId(String),
    /// In lower case.
    ExtensionId(String),
    /// As written (a pattern, folded when compiled).
    Name(&'a str),
    Publisher(&'a str),
}

impl IndexKey<'_> {
    pub(super) fn of(a: &AppRule) -> Option<IndexKey<'_>> {
        if let Some(b) = &a.bundle_id {
            Some(IndexKey::BundleId(b.to_lowercase()))
        } else if let Some(e) = &a.extension_id {
            Some(IndexKey::ExtensionId(e.to_lowercase()))
        } else if let Some(n) = &a.name {
            Some(IndexKey::Name(n))
        } else {
            a.publisher.as_deref().map(IndexKey::Publisher)
        }
    }
}

/// Per-rule compiled app conditions, checked after an index hit.
struct AppCheck {
    name: Option<Pattern>,
    publisher: Option<Pattern>,
    bundle_id: Option<String>,
    extension_id: Option<String>,
    platform: Option<String>,
    versions: Option<VersionRange>,
}

/// The app rules of a ban set.
#[derive(Default)]
pub(super) struct AppIndexBuilder {
    names: PatternIndexBuilder,
    publishers: PatternIndexBuilder,
    bundle_ids: HashMap<String, Vec<RuleId>>,
    extension_ids: HashMap<String, Vec<RuleId>>,
    checks: HashMap<RuleId, AppCheck>,
}

impl AppIndexBuilder {
    pub(super) fn add(&mut self, a: &AppRule, id: RuleId) -> Result<(), CompileError> {
        match IndexKey::of(a) {
            Some(IndexKey::BundleId(b)) => self.bundle_ids.entry(b).or_default().push(id),
            Some(IndexKey::ExtensionId(e)) => self.extension_ids.entry(e).or_default().push(id),
            Some(IndexKey::Name(n)) => self.names.add(n, id)?,
            Some(IndexKey::Publisher(p)) => self.publishers.add(p, id)?,
            None => {}
        }
        self.checks.insert(
            id,
            AppCheck {
                name: a.name.as_deref().map(Pattern::new).transpose()?,
                publisher: a.publisher.as_deref().map(Pattern::new).transpose()?,
                bundle_id: a.bundle_id.as_ref().map(|b| b.to_lowercase()),
                extension_id: a.extension_id.as_ref().map(|e| e.to_lowercase()),
                platform: a.platform.clone(),
                versions: a.versions.clone(),
            },
        );
        Ok(())
    }

    pub(super) fn build(self) -> Result<AppIndex, CompileError> {
        Ok(AppIndex {
            names: self.names.build()?,
            publishers: self.publishers.build()?,
            bundle_ids: self.bundle_ids,
            extension_ids: self.extension_ids,
            checks: self.checks,
        })
    }
}

pub(super) struct AppIndex {
    names: PatternIndex,
    publishers: PatternIndex,
    bundle_ids: HashMap<String, Vec<RuleId>>,
    extension_ids: HashMap<String, Vec<RuleId>>,
    checks: HashMap<RuleId, AppCheck>,
}

impl AppIndex {
    pub(super) fn matches(&self, app: AppView<'_>, out: &mut Vec<RuleId>) {
        if let Some(b) = app.bundle_id
            && let Some(ids) = self.bundle_ids.get(&*lower(b))
        {
            out.extend(ids);
        }
        if let Some(e) = app.extension_id
            && let Some(ids) = self.extension_ids.get(&*lower(e))
        {
            out.extend(ids);
        }
        let name = app.name.map(fold);
        let publisher = app.publisher.map(fold);
        if let Some(n) = &name {
            self.names.candidates(n, out);
        }
        if let Some(p) = &publisher {
            self.publishers.candidates(p, out);
        }
        if out.is_empty() {
            return;
        }
        let platform = app.platform.and_then(normalise_platform);
        out.retain(|id| {
            let Some(check) = self.checks.get(id) else {
                return false;
            };
            let field = |pattern: &Option<Pattern>, value: &Option<Cow<'_, str>>| match pattern {
                Some(p) => value.as_deref().is_some_and(|v| p.is_match(v)),
                None => true,
            };
            field(&check.name, &name)
                && field(&check.publisher, &publisher)
                && check
                    .bundle_id
                    .as_ref()
                    .is_none_or(|b| app.bundle_id.is_some_and(|a| *lower(a) == **b))
                && check
                    .extension_id
                    .as_ref()
                    .is_none_or(|e| app.extension_id.is_some_and(|a| *lower(a) == **e))
                && check
                    .versions
                    .as_ref()
                    .is_none_or(|r| app.version.is_none_or(|v| r.contains(v)))
                && match (&check.platform, platform) {
                    (Some(want), Some(have)) => want == have,
                    _ => true,
                }
        });
    }
}

/// An app name or publisher as it is compared: in Unicode NFKC (fullwidth
/// letters, compatibility brackets and ideographic spaces become their
/// plain forms), with every run of whitespace one space, trimmed. Policy
/// patterns are folded when compiled and inventory cells when matched.
/// A cell of ASCII with single spaces, nearly every cell, is returned as
/// is without allocating: NFKC leaves ASCII alone.
pub(crate) fn fold(text: &str) -> Cow<'_, str> {
    if is_folded_ascii(text) {
        return Cow::Borrowed(text);
    }
    let normal: Cow<'_, str> = if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfkc().collect())
    };
    let mut out = String::with_capacity(normal.len());
    for word in normal.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Cow::Owned(out)
}

/// ASCII with no whitespace but single spaces between words.
fn is_folded_ascii(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut after_space = false;
    for &b in bytes {
        match b {
            b' ' if after_space => return false,
            b' ' => after_space = true,
            b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => return false,
            0x80.. => return false,
            _ => after_space = false,
        }
    }
    true
}

/// `text` in lower case, without allocating when it is lower case already
/// (most inventory cells are not, but most bundle ids and hosts are).
fn lower(text: &str) -> std::borrow::Cow<'_, str> {
    if text
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        std::borrow::Cow::Owned(text.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Maps the platform names inventories use ("Windows 11", "iOS",
/// "macOS 14") onto the policy vocabulary.
pub fn normalise_platform(text: &str) -> Option<&'static str> {
    let t = text.to_ascii_lowercase();
    if t.contains("android") {
        Some("android")
    } else if t.contains("ios") || t.contains("iphone") || t.contains("ipad") {
        Some("ios")
    } else if t.contains("windows") {
        Some("windows")
    } else if t.contains("mac") || t.contains("os x") {
        Some("macos")
    } else if t.contains("linux")
        || t.contains("ubuntu")
        || t.contains("debian")
        || t.contains("rhel")
    {
        Some("linux")
    } else {
        None
    }
}

#[cfg(test)]
#[path = "apps_tests.rs"]
mod tests;
