//! The scan pipeline: select → compile → discover → parse and match → waive
//! → report. Inputs are read in parallel, each into its own partial
//! result, and large record inputs are split across cores too
//! ([`chunk`]); everything is merged in input order so that output never
//! depends on thread timing.

pub mod chunk;
mod declared;
mod evidence;
pub mod fold;
pub mod judges;
mod net;
pub mod progress;
mod timeline;
mod waivers;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use rayon::prelude::*;

use progress::Progress;

use crate::diag::Code;
use crate::input::detect::{Found, Input, Options, Skipped, Verdict, discover};
use crate::input::records::{Candidates, CellFilter, LineVerdict};
use crate::input::{Evidence, InputProblem, Reader};
use crate::matcher::{CompileError, LazyNet, Matcher, Prefilter};
use crate::policy::compile::BanSet;
use crate::policy::select::{Selection, select};
use crate::policy::{Library, Policy};
use crate::report::{
    InputEntry, InputProblemEntry, InputState, Notice, PolicyEntry, ProfileInfo, Report, SCHEMA,
    SkippedRecords, Tool,
};

use fold::{ScanSink, Yield};
use judges::Judge;

/// What to scan, and on which day.
#[derive(Clone, Debug)]
pub struct ScanConfig {
    pub paths: Vec<PathBuf>,
    /// Folders and files whose every file is read as its sha256
    /// (`--hash`), in addition to the evidence in `paths`.
    pub hash: Vec<PathBuf>,
    pub detect: Options,
    pub as_of: Date,
    /// Counted as files and blocks are read, for a progress bar.
    pub progress: Option<std::sync::Arc<Progress>>,
}

/// A judge with the library its profile loads.
#[derive(Clone, Copy)]
pub struct Bench<'a> {
    pub judge: &'a Judge,
    pub library: &'a Library,
}

impl Candidates for Prefilter {
    fn next(&self, haystack: &[u8], from: usize) -> Option<usize> {
        Prefilter::next(self, haystack, from)
    }

    fn line(&self, data: &[u8], from: usize) -> Option<LineVerdict> {
        Prefilter::line(self, data, from)
    }

    fn cells(&self) -> Option<&dyn CellFilter> {
        Prefilter::cells(self).map(|c| c as &dyn CellFilter)
    }

    fn host(&self, host: &[u8]) -> Option<bool> {
        Prefilter::host(self, host)
    }
}

/// What the scan found in the named paths, before it is read: so the
/// caller can refuse an `--output` that is one of the inputs.
pub fn find_inputs(config: &ScanConfig) -> Found {
    let mut found = discover(&config.paths, &config.detect);
    if !config.hash.is_empty() {
        let options = Options {
            forced: None,
            hash: true,
            ..config.detect.clone()
        };
        let hashed = discover(&config.hash, &options);
        found.inputs.extend(hashed.inputs);
        found.skipped.extend(hashed.skipped);
        found.problems.extend(hashed.problems);
    }
    found
}

/// One bench compiled: the policies that apply, their indexes, the
/// prefilters and the literal search.
struct Court<'a> {
    bench: Bench<'a>,
    selection: Selection,
    matcher: Matcher,
    apps: Option<Prefilter>,
    endpoints: Option<Prefilter>,
    net: LazyNet,
    /// The net without endpoint rules, over files read for endpoints only.
    other_net: LazyNet,
}

impl<'a> Court<'a> {
    fn new(bench: Bench<'a>, as_of: Date) -> Result<Court<'a>, CompileError> {
        let selection = select(bench.library, &bench.judge.audience, as_of);
        let matcher = Matcher::new(BanSet::compile(bench.library, &selection.applied))?;
        Ok(Court {
            apps: Prefilter::new(matcher.rules(), Evidence::Apps),
            endpoints: Prefilter::new(matcher.rules(), Evidence::Endpoints),
            net: LazyNet::default(),
            other_net: LazyNet::default(),
            bench,
            selection,
            matcher,
        })
    }

    fn prefilter(&self, evidence: Evidence) -> Option<&dyn Candidates> {
        match evidence {
            Evidence::Apps => self.apps.as_ref(),
            Evidence::Endpoints => self.endpoints.as_ref(),
            Evidence::Packages | Evidence::Files => None,
        }
        .map(|p| p as &dyn Candidates)
    }

    fn policy(&self, index: usize) -> &Policy {
        &self.bench.library.policies[index]
    }
}

/// Each file discovery found, and the judge it falls to: an index into
/// the benches, in the order of `Found`'s lists.
#[derive(Debug, Default)]
pub struct Assignment {
    inputs: Vec<usize>,
    skipped: Vec<usize>,
    problems: Vec<usize>,
}

impl Assignment {
    pub fn new(found: &Found, judge_of: impl Fn(&Path) -> usize) -> Assignment {
        let path_of = |name: &str, path: Option<&Path>| -> PathBuf {
            path.map_or_else(
                || PathBuf::from(name.trim_end_matches('/')),
                Path::to_path_buf,
            )
        };
        Assignment {
            inputs: found
                .inputs
                .iter()
                .map(|i| judge_of(&path_of(&i.source.name, i.source.path())))
                .collect(),
            skipped: found
                .skipped
                .iter()
                .map(|s| judge_of(&path_of(&s.name, s.path.as_deref())))
                .collect(),
            problems: found
                .problems
                .iter()
                .map(|p| judge_of(Path::new(p.path.as_ref())))
                .collect(),
        }
    }

    /// Everything to the one judge there is.
    pub fn one(found: &Found) -> Assignment {
        Assignment::new(found, |_| 0)
    }
}

/// Scans what discovery found, each file with the bench of its judge.
pub fn scan(
    config: &ScanConfig,
    benches: &[Bench<'_>],
    found: Found,
    assignment: &Assignment,
) -> Result<Report, CompileError> {
    let courts = benches
        .iter()
        .map(|&b| Court::new(b, config.as_of))
        .collect::<Result<Vec<_>, _>>()?;
    let limits = &config.detect.limits;
    let inputs: Vec<(&Input, usize)> = found
        .inputs
        .iter()
        .zip(assignment.inputs.iter().copied())
        .collect();
    let progress = config.progress.as_deref();
    if let Some(p) = progress {
        p.start(inputs.len() as u64);
    }
    let read: Vec<(InputEntry, Yield)> = inputs
        .par_iter()
        .map(|&(input, judge)| {
            let court = &courts[judge];
            // A bug in one reader costs that file, not the report: it is
            // unread evidence naming the internal error, and `main` fails
            // the run.
            let result = crate::internal::catch(|| {
                crate::internal::inject_fault(&input.source.name);
                read_input(court, input, &config.detect, progress)
            })
            .unwrap_or_else(|message| {
                Err(InputProblem::file(
                    &input.source.name,
                    format!("internal error while reading this file as {}: {message}", input.format.name),
                    "this is a bug in banscan: please report it with this file (or a copy with private parts replaced); the rest of the report is complete, and the run fails",
                ))
            });
            if let Some(p) = progress {
                p.file_done();
            }
            let (mut entry, findings) = entry_for(input, result);
            if crate::input::endpoints::source::reads_endpoints_only(input.format)
                && entry.state == InputState::Read
            {
                search_the_rest(&mut entry, &input.source, court, limits);
            }
            entry.profile = Some(judge);
            (entry, findings)
        })
        .collect();
    let skipped: Vec<(&Skipped, usize)> = found
        .skipped
        .iter()
        .zip(assignment.skipped.iter().copied())
        .collect();
    let passed: Vec<InputEntry> = skipped
        .par_iter()
        .map(|&(skipped, judge)| {
            let mut entry = passed_entry(skipped, &courts[judge], limits);
            entry.profile = Some(judge);
            entry
        })
        .collect();

    let mut entries = Vec::new();
    let mut findings = Vec::new();
    let mut seen = HashSet::new();
    for (entry, found) in read {
        // A file read itself and through an include is the same evidence.
        let judge = entry.profile;
        findings.extend(
            found
                .findings
                .into_iter()
                .filter(|f| seen.insert(f.fingerprint.clone()))
                .map(|mut f| {
                    f.profile = judge;
                    f
                }),
        );
        entries.push(entry);
    }
    entries.extend(passed);
    let lockfiles = found
        .inputs
        .iter()
        // A folder both scanned and hashed has its lockfile twice.
        .filter(|i| i.format.evidence == Evidence::Packages)
        .filter_map(|i| {
            let path = i.source.path()?;
            Some((
                &*i.source.name,
                declared::Lockfile {
                    format: i.format.name,
                    path,
                },
            ))
        })
        .collect();
    declared::annotate(&mut findings, &lockfiles, limits);
    for (problem, &judge) in found.problems.into_iter().zip(&assignment.problems) {
        let mut entry = problem_entry(problem.path.to_string(), None, Yield::failed(problem));
        entry.profile = Some(judge);
        entries.push(entry);
    }

    // Grouped by profile (stable: in input order within each), so each
    // profile's waivers apply to its own run of findings.
    findings.sort_by_key(|f| f.profile);
    let mut notices = Vec::new();
    for (j, court) in courts.iter().enumerate() {
        let library = court.bench.library;
        // Judges that share a library share its notices.
        if !courts[..j]
            .iter()
            .any(|c| std::ptr::eq(c.bench.library, library))
        {
            notices.extend(untested_policies(library));
        }
        let applied: HashSet<&str> = court
            .selection
            .applied
            .iter()
            .map(|&i| court.policy(i).id.as_str())
            .collect();
        let own = {
            let start = findings.partition_point(|f| f.profile < Some(j));
            let end = findings.partition_point(|f| f.profile <= Some(j));
            &mut findings[start..end]
        };
        timeline::annotate(own, library, config.as_of);
        let waivers = court
            .bench
            .judge
            .profile
            .as_ref()
            .map(|p| p.waivers.as_slice())
            .unwrap_or_default();
        notices.extend(waivers::apply(
            own,
            waivers,
            config.as_of,
            |policy| applied.contains(policy),
            library.policies.iter().map(|p| p.id.as_str()),
        ));
    }

    let applied = courts
        .iter()
        .flat_map(|c| c.selection.applied.iter().map(|&i| c.policy(i)));
    notices.extend(timeline::stale_status(applied, config.as_of));

    let mut report = Report {
        schema: SCHEMA.into(),
        tool: Tool::default(),
        as_of: config.as_of.to_string(),
        run: Default::default(),
        policy_sets: Vec::new(),
        origins: Vec::new(),
        profiles: courts.iter().map(profile_info).collect(),
        policies: policy_entries(&courts),
        inputs: entries,
        findings,
        notices,
        summary: Default::default(),
    };
    report.summarise();
    Ok(report)
}

fn profile_info(court: &Court<'_>) -> ProfileInfo {
    let judge = court.bench.judge;
    ProfileInfo {
        path: judge.profile_path().map(str::to_string),
        organization: judge.audience.organization.clone(),
        jurisdiction: judge.audience.jurisdiction.clone(),
        sectors: judge.audience.sectors.clone(),
        unrestricted: judge.audience.is_unrestricted(),
        applied: court
            .selection
            .applied
            .iter()
            .map(|&i| court.policy(i).id.clone())
            .collect(),
    }
}

/// Every loaded policy once, applied when any profile applied it.
fn policy_entries(courts: &[Court<'_>]) -> Vec<PolicyEntry> {
    let mut entries: Vec<PolicyEntry> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for court in courts {
        let applied = court.selection.applied.iter().map(|&i| (i, None));
        let not = court
            .selection
            .not_applied
            .iter()
            .map(|(i, why)| (*i, Some(why)));
        for (i, why) in applied.chain(not) {
            let policy = court.policy(i);
            match at.get(&policy.id) {
                Some(&e) if why.is_none() => {
                    entries[e].applied = true;
                    entries[e].reason = None;
                }
                Some(_) => {}
                None => {
                    at.insert(policy.id.clone(), entries.len());
                    let upcoming = matches!(
                        why,
                        Some(crate::policy::select::NotApplied::NotYetEffective { .. })
                    );
                    entries.push(PolicyEntry::new(
                        policy,
                        why.map(ToString::to_string),
                        upcoming,
                    ));
                }
            }
        }
    }
    // Applied first, as a single profile's selection lists them.
    entries.sort_by_key(|e| !e.applied);
    entries
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

/// Reads one input into its findings and problems.
fn read_input(
    court: &Court<'_>,
    input: &Input,
    options: &Options,
    progress: Option<&Progress>,
) -> Result<(Yield, Vec<String>), InputProblem> {
    let limits = &options.limits;
    // A digest is of the stored bytes: nothing is decoded to report.
    let layers = match input.format.reader {
        Reader::Raw(_) => Vec::new(),
        _ => input.source.layers(limits),
    };
    let (library, matcher, net) = (court.bench.library, &court.matcher, &court.net);
    let found = match &input.format.reader {
        Reader::Records(format) => chunk::read_parallel(
            &input.source,
            *format,
            limits,
            court.prefilter(input.format.evidence),
            chunk::Judging {
                library,
                matcher,
                net,
            },
            progress,
        )?,
        _ => {
            let mut sink = ScanSink::new(library, matcher, net);
            crate::input::read(&input.source, input.format, limits, &mut sink)?;
            if let (Some(p), Some(path)) = (progress, input.source.path()) {
                p.read(std::fs::metadata(path).map_or(0, |m| m.len()));
            }
            sink.out
        }
    };
    Ok((found, layers))
}

fn entry_for(
    input: &Input,
    result: Result<(Yield, Vec<String>), InputProblem>,
) -> (InputEntry, Yield) {
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

/// A file not read: its state, and for a text file the literal search's
/// catch, which makes it unread evidence.
fn passed_entry(skipped: &Skipped, court: &Court<'_>, limits: &crate::input::Limits) -> InputEntry {
    let state = match skipped.reason.verdict() {
        Verdict::Unread => InputState::Unread,
        Verdict::NotEvidence => InputState::NotEvidence,
        Verdict::Excluded => InputState::Excluded,
    };
    let mut entry = InputEntry::unread(skipped.name.to_string(), state, skipped.reason.to_string());
    entry.format = skipped.reason.format().map(|f| f.name.to_string());
    let Some(path) = skipped
        .path
        .as_deref()
        .filter(|_| skipped.reason.searched())
    else {
        return entry;
    };
    let source = crate::input::Source::file(std::sync::Arc::clone(&skipped.name), path);
    let net = court.net.get(court.matcher.rules());
    searched(&mut entry, &source, court, limits, net);
    entry
}

/// A file read for its endpoints only (source code) is searched for the
/// other identifiers, as a file not read is: a package or app named in it
/// would otherwise pass unseen.
fn search_the_rest(
    entry: &mut InputEntry,
    source: &crate::input::Source,
    court: &Court<'_>,
    limits: &crate::input::Limits,
) {
    let net = court.other_net.get_of(court.matcher.rules(), |identifier| {
        !matches!(
            identifier,
            crate::policy::compile::RuleIdentifier::Endpoint(_)
        )
    });
    searched(entry, source, court, limits, net);
}

/// Runs the literal search over `source`: its first catch makes the entry
/// unread evidence, named with its line.
fn searched(
    entry: &mut InputEntry,
    source: &crate::input::Source,
    court: &Court<'_>,
    limits: &crate::input::Limits,
    net: Result<&crate::matcher::Net, &str>,
) {
    let searched = net
        .map_err(|e| {
            InputProblem::file(
                &source.name,
                format!(
                    "the literal search could not be built ({e}), so `{}` was not searched",
                    source.name
                ),
                "report this as a bug in banscan",
            )
        })
        .and_then(|net| net::search(source, limits, net));
    match searched {
        Ok(None) => {}
        Ok(Some(catch)) => {
            let rule = court.matcher.rule(catch.rule);
            entry.state = InputState::Unread;
            entry.caught = Some(crate::report::Caught {
                line: catch.line,
                column: catch.column,
                identifier: rule.identifier.describe(),
                product: rule.product.clone(),
                policy: court.policy(rule.policy).id.clone(),
                text: catch.text,
            });
        }
        Err(problem) => {
            entry.state = InputState::Unread;
            entry.problems.push(problem_entry_of(problem));
        }
    }
}

fn problem_entry_of(p: InputProblem) -> InputProblemEntry {
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
}

fn problem_entry(path: String, format: Option<&str>, found: Yield) -> InputEntry {
    let unread = !found.problems.is_empty() || found.problems_omitted > 0;
    let mut entry = InputEntry::unread(
        path,
        if unread {
            InputState::Unread
        } else {
            InputState::Read
        },
        String::new(),
    );
    entry.reason = unread.then(|| {
        found
            .problems
            .first()
            .map_or_else(String::new, |p| p.message.clone())
    });
    entry.format = format.map(str::to_string);
    entry.items = found.items;
    entry.problems = found.problems.into_iter().map(problem_entry_of).collect();
    entry.problems_omitted = found.problems_omitted;
    entry.blocked = found.blocked;
    entry.ignored_columns = found.ignored_columns;
    entry.warnings = found.warnings.into_iter().map(problem_entry_of).collect();
    entry.skipped = found.first_skipped.map(|first| SkippedRecords {
        count: found.skipped,
        first: problem_entry_of(first),
    });
    entry
}
