//! Folding: many occurrences of one item in one file become one finding
//! with a count, and a chunk's findings merge into its input's in order.

use rustc_hash::FxHashMap;

use crate::input::{At, Flow, Impact, InputProblem, ItemView, Sink};
use crate::matcher::{LazyNet, Matcher};
use crate::policy::{Confidence, Library};
use crate::report::{Finding, ItemInfo, Location, fingerprint, identity};

use super::evidence;

/// Problems kept per input; the rest are counted. A file in the wrong
/// format must not make a report of a million diagnostics.
pub const MAX_PROBLEMS_KEPT: usize = 100;

/// What one input (or one chunk of it) yielded.
#[derive(Debug, Default)]
pub struct Yield {
    pub items: u64,
    pub findings: Vec<Finding>,
    index: FxHashMap<String, usize>,
    /// What could not be read ([`Impact::Unread`]).
    pub problems: Vec<InputProblem>,
    pub problems_omitted: u64,
    /// Records passed over, and the first of them.
    pub skipped: u64,
    pub first_skipped: Option<InputProblem>,
    /// Problems that lost nothing, the first [`MAX_PROBLEMS_KEPT`].
    pub warnings: Vec<InputProblem>,
    /// Names a block list sends nowhere.
    pub blocked: u64,
    /// Headers of a table no column was taken from.
    pub ignored_columns: Vec<String>,
}

impl Yield {
    /// An input that could not be read at all.
    pub fn failed(problem: InputProblem) -> Yield {
        Yield {
            problems: vec![problem],
            ..Yield::default()
        }
    }

    /// Moves the findings out into a yield of their own.
    pub fn take_findings(&mut self) -> Yield {
        Yield {
            findings: std::mem::take(&mut self.findings),
            index: std::mem::take(&mut self.index),
            ..Yield::default()
        }
    }

    fn add(&mut self, finding: Finding) {
        if let Some(&i) = self.index.get(&finding.fingerprint) {
            let f = &mut self.findings[i];
            f.count += finding.count;
            // Rows of one app that count devices (one a version, in
            // Intune's aggregate report) fold into one finding: its
            // devices are all of theirs.
            if let (Some(a), Some(b)) = (&mut f.item.device_count, finding.item.device_count) {
                *a = a.saturating_add(b);
            }
            f.last_location = finding.last_location.or(Some(finding.location));
            if finding.last_seen.is_some() || finding.first_seen.is_some() {
                f.last_seen = finding.last_seen.or(finding.first_seen);
            }
            return;
        }
        self.index
            .insert(finding.fingerprint.clone(), self.findings.len());
        self.findings.push(finding);
    }

    /// A problem whose line counts from the start of the input already.
    pub fn merge_problem(&mut self, problem: InputProblem) {
        self.add_problem(problem);
    }

    /// Files each problem by what it cost: unread evidence, a record
    /// passed over, or a warning.
    fn add_problem(&mut self, problem: InputProblem) {
        match problem.impact {
            Impact::Unread if self.problems.len() < MAX_PROBLEMS_KEPT => {
                self.problems.push(problem)
            }
            Impact::Unread => self.problems_omitted += 1,
            Impact::Skipped => {
                self.skipped += 1;
                self.first_skipped.get_or_insert(problem);
            }
            Impact::Warning => {
                if self.warnings.len() < MAX_PROBLEMS_KEPT {
                    self.warnings.push(problem);
                }
            }
        }
    }

    /// Appends what a later chunk (starting at `first_line`) yielded.
    pub fn merge(&mut self, chunk: Yield, first_line: u64) {
        self.items += chunk.items;
        self.blocked += chunk.blocked;
        for mut f in chunk.findings {
            f.location.line += first_line - 1;
            if let Some(l) = &mut f.last_location {
                l.line += first_line - 1;
            }
            self.add(f);
        }
        let skipped = chunk.first_skipped.into_iter();
        for mut p in chunk
            .problems
            .into_iter()
            .chain(skipped)
            .chain(chunk.warnings)
        {
            p.rebase(first_line);
            self.add_problem(p);
        }
        // The first skipped record was counted again just now.
        self.skipped += chunk.skipped.saturating_sub(1);
        self.problems_omitted += chunk.problems_omitted;
    }
}

/// Matches each item as it is read.
pub struct ScanSink<'a> {
    pub library: &'a Library,
    pub matcher: &'a Matcher,
    /// Looks in records passed over for identifiers, so a record that fits
    /// no shape never hides a finding.
    pub net: &'a LazyNet,
    hits: Vec<u32>,
    pub out: Yield,
}

impl<'a> ScanSink<'a> {
    pub fn new(library: &'a Library, matcher: &'a Matcher, net: &'a LazyNet) -> Self {
        ScanSink {
            library,
            matcher,
            net,
            hits: Vec::new(),
            out: Yield::default(),
        }
    }
}

impl Sink for ScanSink<'_> {
    fn item(&mut self, item: ItemView<'_>, at: At<'_>) -> Flow {
        self.out.items += 1;
        self.matcher.matches(item, &mut self.hits);
        if self.hits.is_empty() {
            return Flow::Continue;
        }
        let id = match item {
            ItemView::Endpoint(e) if e.each_line => {
                format!("{}\u{0}line {}", identity(item, at.source), at.line)
            }
            _ => identity(item, at.source),
        };
        for i in 0..self.hits.len() {
            let rule = self.matcher.rule(self.hits[i]);
            let policy = &self.library.policies[rule.policy];
            let identifier = rule.identifier.describe();
            self.out.add(Finding {
                fingerprint: fingerprint(&policy.id, &identifier, &id),
                profile: None,
                policy: policy.id.clone(),
                product: rule.product.clone(),
                severity: rule.severity(policy.severity),
                identifier,
                confidence: (rule.confidence() == Confidence::Unconfirmed)
                    .then_some(Confidence::Unconfirmed),
                item: ItemInfo::new(item),
                location: Location {
                    path: at.source.to_string(),
                    line: at.line,
                    column: u32::try_from(at.offset + 1).unwrap_or(u32::MAX),
                },
                last_location: None,
                count: 1,
                first_seen: match item {
                    ItemView::Endpoint(e) => e.time.map(str::to_string),
                    _ => None,
                },
                last_seen: None,
                waiver: None,
                baseline: false,
                origins: Vec::new(),
                evidence: evidence::of(&at, rule),
                declared: None,
                legal_status: None,
                deadline: None,
            });
        }
        Flow::Continue
    }

    fn problem(&mut self, problem: InputProblem) -> Flow {
        self.out.add_problem(problem);
        Flow::Continue
    }

    fn skip(&mut self, problem: InputProblem, text: &str) -> Flow {
        let problem = match self.net.get(self.matcher.rules()) {
            Ok(net) => match net.find(text.as_bytes()) {
                None => InputProblem {
                    impact: Impact::Skipped,
                    ..problem
                },
                Some(catch) => {
                    let rule = self.matcher.rule(catch.rule);
                    let policy = &self.library.policies[rule.policy].id;
                    InputProblem {
                        message: format!(
                            "{}; it holds `{}` ({}, policy {policy}), so a finding may be lost",
                            problem.message,
                            rule.identifier.describe(),
                            rule.product.as_deref().unwrap_or("an inline identifier"),
                        ),
                        impact: Impact::Unread,
                        ..problem
                    }
                }
            },
            // Without the search, a record passed over may hide a finding.
            Err(e) => InputProblem {
                message: format!(
                    "{}; the literal search could not be built ({e}), so the record counts as unread",
                    problem.message
                ),
                impact: Impact::Unread,
                ..problem
            },
        };
        self.problem(problem)
    }

    fn passed(&mut self, items: u64) {
        self.out.items += items;
    }

    fn blocked(&mut self, names: u64) {
        self.out.blocked += names;
    }

    fn ignored_columns(&mut self, headers: &[String]) {
        self.out.ignored_columns = headers.to_vec();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::input::{App, ItemKind};
    use crate::policy::Severity;
    use crate::policy::compile::BanSet;

    const LIBRARY: &str = r#"
product: demo
name: Demo
identifiers:
  apps:
    - bundle_id: com.demo.chat
      platform: ios
      confidence: unconfirmed
    - publisher: Demo Labs
---
policy: xx-demo
title: t
authority: a
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: b
sources: [{title: s, publisher: p}]
binds: {sectors: [all]}
severity: ban
bans:
  - product: demo
examples:
  violating: [{app: {publisher: Demo Labs}}]
  compliant: [{app: {publisher: Other}}]
"#;

    fn findings(apps: &[App]) -> Vec<Finding> {
        let library = crate::policy::read::library_from(LIBRARY);
        let matcher = Matcher::new(BanSet::compile(&library, &[0])).unwrap();
        let net = LazyNet::default();
        let mut sink = ScanSink::new(&library, &matcher, &net);
        let source: Arc<str> = Arc::from("apps.csv");
        for (i, app) in apps.iter().enumerate() {
            let item = ItemKind::App(app.clone());
            let at = At {
                source: &source,
                text: "row",
                line: i as u64 + 1,
                offset: 0,
                len: 3,
                byte: 0,
            };
            sink.item(item.view(), at);
        }
        sink.out.findings
    }

    /// A finding from an unconfirmed identifier is an advisory, whatever
    /// the policy's severity, and says why; a confirmed one keeps the
    /// policy's severity and says nothing.
    #[test]
    fn an_unconfirmed_identifier_only_advises() {
        let by_bundle = App {
            bundle_id: Some("com.demo.chat".into()),
            platform: Some("iOS".into()),
            ..App::default()
        };
        let by_publisher = App {
            publisher: Some("Demo Labs".into()),
            ..App::default()
        };
        let found = findings(&[by_bundle, by_publisher]);
        let got: Vec<(Severity, Option<Confidence>)> =
            found.iter().map(|f| (f.severity, f.confidence)).collect();
        assert_eq!(
            got,
            [
                (Severity::Advisory, Some(Confidence::Unconfirmed)),
                (Severity::Ban, None),
            ]
        );
        let json = serde_json::to_value(&found).unwrap();
        assert_eq!(json[0]["confidence"], "unconfirmed");
        assert!(json[1].get("confidence").is_none(), "only when unconfirmed");
    }
}
