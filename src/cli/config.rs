//! Settings: the command line and the profile made into one value, in
//! the order defaults → profile → flags, before anything is read.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cli::{FailOnArg, PolicySources, ScanArgs};
use crate::diag::{Code, Problem};
use crate::input::detect::Options;
use crate::input::{CargoRun, CargoWhen, Limits, registry};
use crate::policy::load::load_profile;
use crate::policy::{FailOn, PolicySetRef, Profile, Severity, vocab};
use crate::scan::ScanConfig;
use crate::scan::judges::{Choice, Flags, Judges};

/// A problem with the command line.
pub fn usage(message: impl Into<String>, help: impl Into<String>) -> Problem {
    Problem::error(Code::UsageBadFlag, message).with_help(help)
}

/// Everything `banscan scan` needs to know, settled.
pub struct ScanSettings {
    pub config: ScanConfig,
    /// Who judges each file: profiles with the flags laid over them.
    pub judges: Arc<Judges>,
}

impl ScanSettings {
    pub fn new(args: &ScanArgs) -> Result<ScanSettings, Vec<Problem>> {
        let one = |p: Problem| vec![p];
        // `--hash DIR` alone hashes DIR without scanning the working folder.
        let paths = if args.paths.is_empty() && args.hash.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        // A Cargo.lock outside these was not scanned, so it covers no manifest.
        let roots = paths
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect();
        let as_of = parse_as_of(args.as_of.as_deref()).map_err(one)?;
        check_audience(args.jurisdiction.as_deref(), &args.sector).map_err(one)?;
        let choice = match (&args.profile, args.no_profile) {
            (Some(path), _) => Choice::One(Some(load_profile(path)?)),
            (None, true) => Choice::One(None),
            (None, false) => Choice::Nearest,
        };
        let flags = Flags {
            jurisdiction: args.jurisdiction.clone(),
            sectors: args.sector.clone(),
            organization: args.organization.clone(),
            fail_on: args.fail_on.map(|f| match f {
                FailOnArg::Ban => FailOn::At(Severity::Ban),
                FailOnArg::Restrict => FailOn::At(Severity::Restrict),
                FailOnArg::PhaseOut => FailOn::PhaseOut,
                FailOnArg::Advisory => FailOn::At(Severity::Advisory),
                FailOnArg::Never => FailOn::Never,
            }),
            strict: args.strict,
            allow_unread: args.allow_unread,
            policies: args.sources.policies.clone(),
            no_builtin: args.sources.no_builtin,
        };
        let judges = Arc::new(Judges::new(choice, flags, &args.exclude).map_err(one)?);
        Ok(ScanSettings {
            config: ScanConfig {
                paths,
                hash: args.hash.clone(),
                detect: Options {
                    forced: args.input_format.as_deref().and_then(registry::by_name),
                    no_ignore: args.no_ignore,
                    no_follow: args.no_follow,
                    exclude: Some(Arc::clone(&judges) as Arc<dyn crate::input::detect::Exclude>),
                    limits: Limits {
                        max_line: usize::try_from(args.max_line_bytes).unwrap_or(usize::MAX),
                        max_decoded: args.max_decoded_bytes,
                        max_document: args.max_document_bytes,
                        max_depth: usize::from(args.max_depth),
                        cargo: CargoRun {
                            when: if args.cargo_metadata {
                                CargoWhen::Always
                            } else {
                                CargoWhen::Unlocked
                            },
                            offline: args.offline,
                            roots,
                        },
                        app_columns: args
                            .columns
                            .clone()
                            .unwrap_or_default()
                            .with_device(args.device.as_deref()),
                    },
                    hash: false,
                },
                as_of,
                progress: None,
            },
            judges,
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

/// `--due-within`: a number of days (`90d`) or weeks (`12w`). Months and
/// years are refused: their length depends on the day they start from,
/// and a window that shifts with the calendar would surprise.
pub fn parse_due_within(text: &str) -> Result<i64, Problem> {
    let bad = || {
        usage(
            format!("--due-within: `{text}` is not a number of days or weeks"),
            "write it as 90d (days) or 12w (weeks)",
        )
    };
    let text = text.trim();
    let (number, per) = match text.char_indices().last() {
        Some((i, 'd')) => (&text[..i], 1),
        Some((i, 'w')) => (&text[..i], 7),
        _ => return Err(bad()),
    };
    // Digits only: no sign, and at most 100 years of days.
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match number.parse::<i64>() {
        Ok(n) if n * per <= 36_600 => Ok(n * per),
        _ => Err(bad()),
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

#[cfg(test)]
mod tests {
    use super::parse_due_within;

    /// Days and weeks are read; months, signs, blanks and huge numbers are
    /// refused rather than guessed at.
    #[test]
    fn due_within_reads_days_and_weeks_only() {
        assert_eq!(parse_due_within("90d").ok(), Some(90));
        assert_eq!(parse_due_within("12w").ok(), Some(84));
        assert_eq!(parse_due_within("0d").ok(), Some(0));
        for bad in [
            "6m",
            "90",
            "d",
            "-3d",
            "+3d",
            "1.5w",
            "99999999999999999999d",
            "40000d",
        ] {
            assert!(parse_due_within(bad).is_err(), "{bad}");
        }
    }
}
