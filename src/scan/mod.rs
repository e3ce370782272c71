//! The scan pipeline: select → compile → discover → parse and match → waive
//! → report. Inputs are read in parallel, each into its own partial
//! result, and large record inputs are split across cores too
//! ([`chunk`]); everything is merged in input order so that output never
//! depends on thread timing.

pub mod chunk;
pub mod fold;
mod waivers;

use std::path::PathBuf;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::diag::Code;
use crate::input::detect::{Found, Input, Options, SkipReason, discover};
use crate::input::records::Candidates;
use crate::input::{Evidence, InputProblem, Reader};
use crate::matcher::{CompileError, Matcher, Prefilter};
use crate::policy::compile::BanSet;
use crate::policy::select::{Audience, select};
use crate::policy::{Library, Profile};
use crate::report::{
    InputEntry, InputProblemEntry, InputStatus, Notice, PolicyEntry, ProfileInfo, Report, SCHEMA,
    Tool,
};

use fold::{ScanSink, Yield};

/// What to scan and for whom: the result of defaults, profile and flags.
#[derive(Clone, Debug)]
pub struct ScanConfig {
    pub paths: Vec<PathBuf>,
    pub detect: Options,
    pub as_of: Date,
    pub audience: Audience,
    pub profile: Option<Profile>,
}

impl Candidates for Prefilter {
    fn next(&self, haystack: &[u8], from: usize) -> Option<usize> {
        Prefilter::next(self, haystack, from)
    }

    fn line(&self, data: &[u8], from: usize) -> Option<(usize, bool)> {
        Prefilter::line(self, data, from)
    }
}

/// What the scan found in the named paths, before it is read: so the
/// caller can refuse an `--output` that is one of the inputs.
pub fn find_inputs(config: &ScanConfig) -> Found {
    discover(&config.paths, &config.detect)
}

pub fn scan(library: &Library, config: &ScanConfig, found: Found) -> Result<Report, CompileError> {
    let selection = select(library, &config.audience, config.as_of);
    let matcher = Matcher::new(BanSet::compile(library, &selection.applied))?;
    let apps = Prefilter::new(matcher.rules(), Evidence::Apps);
    let endpoints = Prefilter::new(matcher.rules(), Evidence::Endpoints);
    let prefilter = |e: Evidence| {
        match e {
            Evidence::Apps => apps.as_ref(),
            Evidence::Endpoints => endpoints.as_ref(),
            Evidence::Packages => None,
        }
        .map(|p| p as &dyn Candidates)
    };

    let scanned: Vec<InputEntryAndYield> = found
        .inputs
        .par_iter()
        .map(|input| {
            let prefilter = prefilter(input.format.evidence);
            let result = read_input(library, &matcher, input, &config.detect, prefilter);
            entry_for(input, result)
        })
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
    let mut findings = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (entry, found) in scanned {
        inputs.push(entry);
        // A file read itself and through an include is the same evidence.
        findings.extend(
            found
                .findings
                .into_iter()
                .filter(|f| seen.insert(f.fingerprint.clone())),
        );
    }
    for skipped in found.skipped {
        inputs.push(InputEntry {
            path: skipped.name.to_string(),
            format: match &skipped.reason {
                SkipReason::NotRead(spec) => Some(spec.name.to_string()),
                _ => None,
            },
            items: 0,
            status: InputStatus::Skipped,
            evidence: skipped.is_evidence(),
            reason: Some(skipped.reason.to_string()),
            decoded: Vec::new(),
            error: None,
            problems: Vec::new(),
            problems_omitted: 0,
        });
    }
    for problem in found.problems {
        inputs.push(problem_entry(
            problem.path.to_string(),
            None,
            Yield::failed(problem),
        ));
    }

    let profile = config.profile.clone().unwrap_or_default();
    let mut notices = untested_policies(library);
    let applied: std::collections::HashSet<&str> = selection
        .applied
        .iter()
        .map(|&i| library.policies[i].id.as_str())
        .collect();
    notices.extend(waivers::apply(
        &mut findings,
        &profile.waivers,
        config.as_of,
        |policy| applied.contains(policy),
        library.policies.iter().map(|p| p.id.as_str()),
    ));
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

/// A user policy without examples is used (a quick local rule should not
/// need a test suite to work), but the report says nothing has checked
/// that it matches what it should. The built-in library never gets here:
/// loading refuses a built-in policy without examples.
fn untested_policies(library: &Library) -> Vec<Notice> {
    library
        .policies
        .iter()
        .filter(|p| !p.place.file.name().starts_with(crate::policy::builtin::PREFIX))
        .filter_map(|p| {
            let missing: Vec<&str> = [(true, "violating"), (false, "compliant")]
                .into_iter()
                .filter(|(violating, _)| !p.examples.iter().any(|e| e.violating == *violating))
                .map(|(_, what)| what)
                .collect();
            (!missing.is_empty()).then(|| Notice {
                code: Code::NoExamplesWarning.as_str().into(),
                message: format!(
                    "policy {} has no {} examples, so nothing has tested what it matches; add them and run `banscan policy test`",
                    p.id,
                    missing.join(" or ")
                ),
                location: Some(p.place.describe()),
            })
        })
        .collect()
}

type InputEntryAndYield = (InputEntry, Yield);

/// Reads one input into its findings and problems.
fn read_input(
    library: &Library,
    matcher: &Matcher,
    input: &Input,
    options: &Options,
    prefilter: Option<&dyn Candidates>,
) -> Result<(Yield, Vec<String>), InputProblem> {
    let limits = &options.limits;
    let layers = input.source.layers(limits);
    let found = match &input.format.reader {
        Reader::Records(format) => {
            chunk::read_parallel(&input.source, *format, limits, prefilter, library, matcher)?
        }
        _ => {
            let mut sink = ScanSink::new(library, matcher);
            crate::input::read(&input.source, input.format, limits, &mut sink)?;
            sink.out
        }
    };
    Ok((found, layers))
}

fn entry_for(
    input: &Input,
    result: Result<(Yield, Vec<String>), InputProblem>,
) -> InputEntryAndYield {
    let (mut found, decoded) = match result {
        Ok(r) => r,
        Err(problem) => (Yield::failed(problem), Vec::new()),
    };
    let findings = Yield::take_findings(&mut found);
    let mut entry = problem_entry(
        input.source.name.to_string(),
        Some(input.format.name),
        found,
    );
    entry.decoded = decoded;
    (entry, findings)
}

fn problem_entry(path: String, format: Option<&str>, found: Yield) -> InputEntry {
    let problems = found.problems;
    InputEntry {
        path,
        format: format.map(str::to_string),
        items: found.items,
        status: if problems.is_empty() {
            InputStatus::Ok
        } else {
            InputStatus::Error
        },
        reason: None,
        evidence: false,
        decoded: Vec::new(),
        error: problems.first().map(|p| p.to_string()),
        problems: problems
            .into_iter()
            .map(|p| {
                let at = p.at;
                InputProblemEntry {
                    message: p.message,
                    help: p.help,
                    line: at.as_ref().map(|a| a.line),
                    column: at.as_ref().map(|a| a.column),
                    len: at.as_ref().map(|a| a.excerpt.len),
                    text_column: at.as_ref().map(|a| a.excerpt.offset + 1),
                    text: at.map(|a| a.excerpt.text),
                }
            })
            .collect(),
        problems_omitted: found.problems_omitted,
    }
}
