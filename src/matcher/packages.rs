//! Package rules: exact keys per ecosystem in a hash map, name prefixes
//! (`pkg:npm/%40scope/*`) in one glob set; a version range, when the rule
//! has one, is checked after the name.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use rustc_hash::FxHashMap as HashMap;

use crate::ident::Ecosystem;
use crate::input::Package;
use crate::policy::PackageRule;

use super::{CompileError, RuleId};

/// The key a package prefix rule is matched on in the prefix glob set.
fn subject(ecosystem: Ecosystem, key: &str) -> String {
    format!("{}/{key}", ecosystem.purl_type())
}

pub(super) struct PackageIndexBuilder {
    exact: HashMap<(Ecosystem, String), Vec<RuleId>>,
    prefixes: GlobSetBuilder,
    owners: Vec<RuleId>,
}

impl Default for PackageIndexBuilder {
    fn default() -> Self {
        PackageIndexBuilder {
            exact: HashMap::default(),
            prefixes: GlobSetBuilder::new(),
            owners: Vec::new(),
        }
    }
}

impl PackageIndexBuilder {
    pub(super) fn add(&mut self, p: &PackageRule, id: RuleId) -> Result<(), CompileError> {
        if p.prefix {
            let pattern = format!("{}*", globset::escape(&subject(p.ecosystem, &p.key)));
            self.prefixes.add(
                GlobBuilder::new(&pattern)
                    .literal_separator(false)
                    .build()?,
            );
            self.owners.push(id);
        } else {
            self.exact
                .entry((p.ecosystem, p.key.clone()))
                .or_default()
                .push(id);
        }
        Ok(())
    }

    pub(super) fn build(self) -> Result<PackageIndex, CompileError> {
        Ok(PackageIndex {
            exact: self.exact,
            prefixes: self.prefixes.build()?,
            owners: self.owners,
        })
    }
}

pub(super) struct PackageIndex {
    exact: HashMap<(Ecosystem, String), Vec<RuleId>>,
    prefixes: GlobSet,
    owners: Vec<RuleId>,
}

impl PackageIndex {
    /// Rules whose name matches `p`; versions are checked by the caller.
    pub(super) fn candidates(&self, p: &Package, out: &mut Vec<RuleId>) {
        if let Some(ids) = self.exact.get(&(p.ecosystem, p.key.clone())) {
            out.extend(ids);
        }
        if !self.owners.is_empty() {
            let subject = subject(p.ecosystem, &p.key);
            out.extend(
                self.prefixes
                    .matches(&subject)
                    .into_iter()
                    .map(|g| self.owners[g]),
            );
        }
    }
}
