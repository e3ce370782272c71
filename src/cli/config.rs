//! Settings: the command line and the profile made into one value, in
//! the order defaults → profile → flags, before anything is read.

use std::path::{Path, PathBuf};

use crate::cli::{FailOnArg, PolicySources, ScanArgs};
use crate::diag::{Code, Problem};
use crate::input::detect::Options;
use crate::input::{Limits, registry};
use crate::policy::load::load_profile;
use crate::policy::select::Audience;
use crate::policy::{FailOn, PolicySetRef, Profile, Severity, vocab};
use crate::scan::ScanConfig;

/// A problem with the command line.
pub fn usage(message: impl Into<String>, help: impl Into<String>) -> Problem {
    Problem::error(Code::UsageBadFlag, message).with_help(help)
}

/// Everything `banscan scan` needs to know, settled.
pub struct ScanSettings {
    pub config: ScanConfig,
    /// The policy sets to load, in order.
    pub policy_sets: Vec<PolicySetRef>,
    pub fail_on: FailOn,
    /// A skipped evidence file fails the scan.
    pub strict: bool,
}

impl ScanSettings {
    pub fn new(args: &ScanArgs) -> Result<ScanSettings, Vec<Problem>> {
        let one = |p: Problem| vec![p];
        let paths = if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        let as_of = parse_as_of(args.as_of.as_deref()).map_err(one)?;
        check_audience(args.jurisdiction.as_deref(), &args.sector).map_err(one)?;
        // Standard input has no folder: look from the working folder.
        let start = if paths[0].as_os_str() == "-" {
            Path::new(".")
        } else {
            paths[0].as_path()
        };
        let profile = resolve_profile(args.profile.as_deref(), args.no_profile, start)?;
        let policy_sets = policy_sets(profile.as_ref(), &args.sources).map_err(one)?;
        let from_profile = |f: fn(&Profile) -> Option<String>| profile.as_ref().and_then(f);
        let audience = Audience {
            jurisdiction: args
                .jurisdiction
                .clone()
                .or_else(|| from_profile(|p| p.jurisdiction.clone())),
            sectors: if args.sector.is_empty() {
                profile
                    .as_ref()
                    .map(|p| p.sectors.clone())
                    .unwrap_or_default()
            } else {
                args.sector.clone()
            },
            organization: args
                .organization
                .clone()
                .or_else(|| from_profile(|p| p.organization.clone())),
        };
        let fail_on = match args.fail_on {
            Some(FailOnArg::Ban) => FailOn::At(Severity::Ban),
            Some(FailOnArg::Restrict) => FailOn::At(Severity::Restrict),
            Some(FailOnArg::Advisory) => FailOn::At(Severity::Advisory),
            Some(FailOnArg::Never) => FailOn::Never,
            None => profile
                .as_ref()
                .and_then(|p| p.fail_on)
                .unwrap_or(FailOn::At(Severity::Restrict)),
        };
        let strict = args.strict || profile.as_ref().and_then(|p| p.strict).unwrap_or(false);
        Ok(ScanSettings {
            config: ScanConfig {
                paths,
                detect: Options {
                    forced: args.input_format.as_deref().and_then(registry::by_name),
                    no_ignore: args.no_ignore,
                    limits: Limits {
                        max_line: usize::try_from(args.max_line_bytes).unwrap_or(usize::MAX),
                        ..Limits::default()
                    },
                },
                as_of,
                audience,
                profile,
            },
            policy_sets,
            fail_on,
            strict,
        })
    }
}

/// The profile a command uses: `--profile FILE`, none with `--no-profile`,
/// else the nearest `banscan.yaml` at or above `start`. Every command that
/// loads policies finds it the same way, so `policy show` sees what `scan`
/// sees.
pub fn resolve_profile(
    profile: Option<&Path>,
    no_profile: bool,
    start: &Path,
) -> Result<Option<Profile>, Vec<Problem>> {
    let path = match (profile, no_profile) {
        (Some(p), _) => Some(p.to_path_buf()),
        (None, true) => None,
        (None, false) => find_profile(start),
    };
    path.map(|p| load_profile(&p)).transpose()
}

/// The policy sets to load: the profile's (the built-in library when it
/// names none), less the built-in one with `--no-builtin`, then each
/// `--policies` path.
pub fn policy_sets(
    profile: Option<&Profile>,
    sources: &PolicySources,
) -> Result<Vec<PolicySetRef>, Problem> {
    let mut sets = match profile {
        Some(p) if !p.policies.is_empty() => p.policies.clone(),
        _ => vec![PolicySetRef::Builtin],
    };
    if sources.no_builtin {
        sets.retain(|s| *s != PolicySetRef::Builtin);
    }
    sets.extend(sources.policies.iter().cloned().map(PolicySetRef::Path));
    if sets.is_empty() {
        return Err(usage(
            "no policies to check against",
            "drop --no-builtin or add --policies PATH",
        ));
    }
    Ok(sets)
}

/// The nearest `banscan.yaml` at or above `start`.
pub fn find_profile(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join("banscan.yaml");
        if candidate.is_file() {
            // Shown in reports: relative to the working folder when inside it.
            let cwd = std::env::current_dir()
                .ok()
                .and_then(|c| std::fs::canonicalize(c).ok());
            return Some(
                match cwd.and_then(|c| candidate.strip_prefix(&c).ok().map(Path::to_path_buf)) {
                    Some(relative) => relative,
                    None => candidate,
                },
            );
        }
        dir = d.parent();
    }
    None
}

pub fn parse_as_of(text: Option<&str>) -> Result<jiff::civil::Date, Problem> {
    match text {
        Some(t) => crate::yaml::parse_date(t)
            .map_err(|e| usage(format!("--as-of: {e}"), "write the date as YYYY-MM-DD")),
        None => Ok(jiff::ZonedDateTime::now().date()),
    }
}

pub fn check_audience(jurisdiction: Option<&str>, sectors: &[String]) -> Result<(), Problem> {
    if let Some(j) = jurisdiction {
        vocab::check_jurisdiction(j).map_err(|e| {
            usage(
                format!("--jurisdiction: {e}"),
                "use an ISO code such as TW or US-TX",
            )
        })?;
    }
    for s in sectors {
        if !vocab::is_sector(s) {
            let names: Vec<&str> = vocab::SECTORS.iter().map(|(n, _)| *n).collect();
            return Err(usage(
                format!("--sector: unknown sector `{s}`"),
                format!("use one of: {}", names.join(", ")),
            ));
        }
    }
    Ok(())
}
