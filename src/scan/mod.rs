//! The scan pipeline: select → compile → discover → parse and match → waive
//! → report. Inputs are parsed in parallel, each into its own partial
//! result, and merged in input order so that output never depends on
//! thread timing.

use std::collections::HashMap;
use std::path::PathBuf;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::diag::Code;
use crate::input::discover::discover;
use crate::input::{Format, Input, InputProblem, Item, Sink};
use crate::matcher::Matcher;
use crate::policy::compile::BanSet;
use crate::policy::select::{Audience, select};
use crate::policy::{Library, Profile, Waiver};
use crate::report::{
    Evidence, Finding, InputEntry, InputProblemEntry, InputStatus, ItemInfo, Location, Notice,
    PolicyEntry, ProfileInfo, Report, SCHEMA, Tool, WaiverInfo, fingerprint, identity,
};

/// What to scan and for whom: the result of defaults, profile and flags.
#[derive(Clone, Debug)]
pub struct ScanConfig {
    pub paths: Vec<PathBuf>,
    pub input_format: Option<Format>,
    pub as_of: Date,
    pub audience: Audience,
    pub profile: Option<Profile>,
}

pub fn scan(library: &Library, config: &ScanConfig) -> Result<Report, String> {
    let selection = select(library, &config.audience, config.as_of);
    let matcher =
        Matcher::new(BanSet::compile(library, &selection.applied)).map_err(|e| e.to_string())?;

    let discovery = discover(&config.paths, config.input_format);
    let scanned: Vec<InputScan> = discovery
        .inputs
        .par_iter()
        .map(|input| scan_input(library, &matcher, input))
        .collect();

    let mut policies: Vec<PolicyEntry> = selection
        .applied
        .iter()
        .map(|&i| PolicyEntry::new(&library.policies[i], None))
        .collect();
    policies.extend(
        selection
            .not_applied
            .iter()
            .map(|(i, why)| PolicyEntry::new(&library.policies[*i], Some(why.to_string()))),
    );

    let mut inputs = Vec::new();
    let mut findings: Vec<Finding> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for s in scanned {
        inputs.push(s.entry);
        for f in s.findings {
            // An included file read from two inputs is the same evidence.
            if seen.insert(f.fingerprint.clone()) {
                findings.push(f);
            }
        }
    }
    for problem in discovery.problems {
        inputs.push(input_entry(
            problem.path.to_string(),
            None,
            0,
            vec![problem],
        ));
    }

    let profile = config.profile.clone().unwrap_or_default();
    let notices = apply_waivers(&mut findings, &profile.waivers, config.as_of);
    let mut report = Report {
        schema: SCHEMA.into(),
        tool: Tool::default(),
        as_of: config.as_of.to_string(),
        profile: ProfileInfo {
            path: profile.path.clone(),
            organization: config.audience.organization.clone(),
            jurisdiction: config.audience.jurisdiction.clone(),
            sectors: config.audience.sectors.clone(),
            unrestricted: config.audience.is_unrestricted(),
        },
        policies,
        inputs,
        findings,
        notices,
        summary: Default::default(),
    };
    report.summarise();
    Ok(report)
}

struct InputScan {
    entry: InputEntry,
    findings: Vec<Finding>,
}

fn input_entry(
    path: String,
    format: Option<Format>,
    items: u64,
    problems: Vec<InputProblem>,
) -> InputEntry {
    InputEntry {
        path,
        format: format.map(|f| f.name().to_string()),
        items,
        status: if problems.is_empty() {
            InputStatus::Ok
        } else {
            InputStatus::Error
        },
        error: problems.first().map(|p| p.to_string()),
        problems: problems
            .into_iter()
            .map(|p| InputProblemEntry {
                message: p.message,
                help: p.help,
                line: p.at.as_ref().map(|a| a.line),
                column: p.at.as_ref().map(|a| a.column),
                len: p.at.as_ref().map(|a| a.len),
                text: p.at.map(|a| a.text),
            })
            .collect(),
    }
}

fn scan_input(library: &Library, matcher: &Matcher, input: &Input) -> InputScan {
    let mut sink = ScanSink {
        library,
        matcher,
        hits: Vec::new(),
        items: 0,
        folded: HashMap::new(),
        findings: Vec::new(),
        problems: Vec::new(),
    };
    if let Err(p) = input.format.parse(input, &mut sink) {
        sink.problems.push(p);
    }
    InputScan {
        entry: input_entry(
            input.display.to_string(),
            Some(input.format),
            sink.items,
            sink.problems,
        ),
        findings: sink.findings,
    }
}

/// Matches each item as it is read and folds repeated occurrences (the
/// same host a thousand times in a log) into one finding with a count.
struct ScanSink<'a> {
    library: &'a Library,
    matcher: &'a Matcher,
    hits: Vec<u32>,
    items: u64,
    folded: HashMap<String, usize>,
    findings: Vec<Finding>,
    problems: Vec<InputProblem>,
}

impl Sink for ScanSink<'_> {
    fn item(&mut self, item: Item, line: &str) {
        self.items += 1;
        let mut hits = std::mem::take(&mut self.hits);
        self.matcher.matches(&item.kind, &mut hits);
        if !hits.is_empty() {
            let id = identity(&item);
            for &rid in &hits {
                self.record(rid, &item, &id, line);
            }
        }
        self.hits = hits;
    }

    fn problem(&mut self, problem: InputProblem) {
        self.problems.push(problem);
    }
}

impl ScanSink<'_> {
    fn record(&mut self, rid: u32, item: &Item, identity: &str, line: &str) {
        let rule = self.matcher.rule(rid);
        let policy = &self.library.policies[rule.policy];
        let identifier = rule.identifier.describe();
        let fp = fingerprint(&policy.id, &identifier, identity);
        let location = Location {
            path: item.origin.path.to_string(),
            line: item.origin.line,
            column: item.origin.column,
        };
        if let Some(&i) = self.folded.get(&fp) {
            let f = &mut self.findings[i];
            f.count += 1;
            f.last_location = Some(location);
            return;
        }
        self.folded.insert(fp.clone(), self.findings.len());
        self.findings.push(Finding {
            fingerprint: fp,
            policy: policy.id.clone(),
            product: rule.product.clone(),
            severity: policy.severity,
            identifier,
            item: ItemInfo::new(&item.kind),
            location,
            last_location: None,
            count: 1,
            waiver: None,
            evidence: Evidence {
                text: line.to_string(),
                column: item.origin.column,
                len: item.origin.len,
            },
        });
    }
}

/// The text a waiver's `item` pattern is matched against.
fn waiver_subject(f: &Finding) -> String {
    match f.item.kind.as_str() {
        "package" => format!(
            "pkg:{}/{}",
            f.item.ecosystem.as_deref().unwrap_or(""),
            f.item.name.as_deref().unwrap_or("")
        ),
        "app" => f
            .item
            .name
            .clone()
            .or_else(|| f.item.bundle_id.clone())
            .unwrap_or_default(),
        "endpoint" => f.item.host.clone().unwrap_or_default(),
        _ => f.item.sha256.clone().unwrap_or_default(),
    }
}

fn glob_matches(pattern: &str, text: &str) -> bool {
    globset::GlobBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .is_ok_and(|g| g.compile_matcher().is_match(text))
}

/// Marks waived findings. An expired waiver waives nothing and is reported,
/// and so is a waiver that matched nothing, so stale exceptions surface.
fn apply_waivers(findings: &mut [Finding], waivers: &[Waiver], as_of: Date) -> Vec<Notice> {
    let mut notices = Vec::new();
    for w in waivers {
        let matches = |f: &Finding| {
            f.policy == w.policy
                && w.product
                    .as_ref()
                    .is_none_or(|p| f.product.as_ref() == Some(p))
                && w.item
                    .as_ref()
                    .is_none_or(|pat| glob_matches(pat, &waiver_subject(f)))
                && w.device
                    .as_ref()
                    .is_none_or(|pat| f.item.device.as_ref().is_some_and(|d| glob_matches(pat, d)))
        };
        let location = Some(w.place.describe());
        if w.expires < as_of {
            let hits = findings.iter().filter(|f| matches(f)).count();
            notices.push(Notice {
                code: Code::WaiverExpired.as_str().into(),
                message: format!(
                    "the waiver for {} expired on {} and no longer waives anything ({hits} finding{} would match)",
                    w.policy,
                    w.expires,
                    if hits == 1 { "" } else { "s" }
                ),
                location,
            });
            continue;
        }
        let mut used = false;
        for f in findings
            .iter_mut()
            .filter(|f| f.waiver.is_none() && matches(f))
        {
            used = true;
            f.waiver = Some(WaiverInfo {
                reason: w.reason.clone(),
                approved_by: w.approved_by.clone(),
                expires: w.expires.to_string(),
            });
        }
        if !used {
            notices.push(Notice {
                code: Code::WaiverUnused.as_str().into(),
                message: format!(
                    "the waiver for {} matched no finding; remove it if it is no longer needed",
                    w.policy
                ),
                location,
            });
        }
    }
    notices
}
