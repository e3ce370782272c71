//! `banscan policy export`: the profile and flags choose the policies, as
//! `scan` would for the same folder; the export layer compiles them; this
//! writes each target's file and says what a target could not express.

use std::path::Path;

use rayon::prelude::*;

use super::{Out, load};
use crate::Outcome;
use crate::cli::ExportArgs;
use crate::cli::config::{check_audience, parse_as_of, policy_sets, resolve_profile, usage};
use crate::diag::{Code, Problem};
use crate::export::{Compiled, Header, TARGETS, Target, Unexpressed};
use crate::policy::select::{Audience, select};
use crate::policy::{PolicySetRef, lock};
use crate::report::render::escape::neutralise;

pub(super) fn run(out: &Out, args: &ExportArgs) -> Outcome {
    match export(out, args) {
        Ok(outcome) => outcome,
        Err(problem) => out.fail(problem),
    }
}

fn export(out: &Out, args: &ExportArgs) -> Result<Outcome, Problem> {
    let as_of = parse_as_of(args.as_of.as_deref())?;
    check_audience(args.jurisdiction.as_deref(), &args.sector)?;
    let profile = match resolve_profile(
        args.profile.profile.as_deref(),
        args.profile.no_profile,
        Path::new("."),
    ) {
        Ok(p) => p,
        Err(problems) => {
            out.problems(&problems);
            return Ok(Outcome::Failed);
        }
    };
    let sets = policy_sets(profile.as_ref(), &args.sources)?;
    let library = match load(out, &sets) {
        Ok(l) => l,
        Err(outcome) => return Ok(outcome),
    };
    let audience = Audience {
        jurisdiction: args
            .jurisdiction
            .clone()
            .or_else(|| profile.as_ref().and_then(|p| p.jurisdiction.clone())),
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
            .or_else(|| profile.as_ref().and_then(|p| p.organization.clone())),
    };
    let selection = select(&library, &audience, as_of);
    let mut policies: Vec<String> = selection
        .applied
        .iter()
        .map(|&i| library.policies[i].id.clone())
        .collect();
    policies.sort();
    let header = Header {
        version: env!("CARGO_PKG_VERSION").into(),
        profile: profile.as_ref().and_then(|p| p.path.clone()),
        audience: describe(&audience),
        as_of: as_of.to_string(),
        policies,
        policy_sets: digests(&sets)?,
        generated: args.timestamp.then(|| {
            let now = jiff::Timestamp::now();
            now.round(jiff::Unit::Second).unwrap_or(now).to_string()
        }),
        unconfirmed: None,
        not_enforceable: Vec::new(),
    };
    let compiled = Compiled::new(&library, &selection.applied, as_of);
    let export = compiled.export(args.include_unconfirmed, header);

    let all = args.target.iter().any(|t| t == "all");
    let targets: Vec<&dyn Target> = if all {
        TARGETS.to_vec()
    } else {
        let mut chosen: Vec<&dyn Target> = Vec::new();
        for name in &args.target {
            if let Some(t) = crate::export::target(name)
                && !chosen.iter().any(|c| c.name() == t.name())
            {
                chosen.push(t);
            }
        }
        chosen
    };
    let several = all || targets.len() > 1;
    let into_dir = match &args.output {
        None if several => {
            return Err(usage(
                "several targets need a folder to write into".to_string(),
                "give --output DIR (one file per target), or one --target for standard output",
            ));
        }
        None => None,
        Some(path) => Some(several || path.is_dir()),
    };
    if into_dir == Some(true)
        && let Some(path) = &args.output
        && let Err(e) = std::fs::create_dir_all(path)
    {
        return Err(cannot_write(path, &e));
    }
    // Targets are independent: each is written (and its file saved, so
    // only a few are held at once) on its own thread; what they could not
    // express is reported after, in target order.
    let written: Vec<Result<Vec<Unexpressed>, Problem>> = targets
        .par_iter()
        .map(|target| {
            let mut unexpressed: Vec<Unexpressed> = Vec::new();
            let text = target.write(&export, &mut unexpressed);
            match (&args.output, into_dir) {
                (Some(path), Some(dir)) => {
                    let file = if dir {
                        path.join(target.file_name())
                    } else {
                        path.clone()
                    };
                    crate::write_atomically(&file, text.as_bytes())
                        .map_err(|e| cannot_write(&file, &e))?;
                }
                _ => out.print(&text),
            }
            Ok(unexpressed)
        })
        .collect();
    let mut unexpressed_all = 0;
    for (target, result) in targets.iter().zip(written) {
        let unexpressed = result?;
        warn(out, target.name(), &unexpressed, args.strict, args.verbose);
        unexpressed_all += unexpressed.len();
    }
    if unexpressed_all > 0 && args.strict {
        out.eprint(&format!(
            "banscan: --strict: {unexpressed_all} identifier{} could not be exported\n",
            if unexpressed_all == 1 { "" } else { "s" }
        ));
        return Ok(Outcome::Failed);
    }
    Ok(Outcome::Clean)
}

/// Identifiers shown per reason before "and N more" (all with --verbose).
const LISTED: usize = 5;

/// What a target could not express, a line per reason: most targets take
/// one kind of identifier, and a line per app for a DNS blocklist would
/// bury the ones that matter.
fn warn(out: &Out, target: &str, unexpressed: &[Unexpressed], strict: bool, verbose: bool) {
    let mut reasons: Vec<&str> = unexpressed.iter().map(|u| u.why).collect();
    reasons.dedup();
    let mut seen = std::collections::BTreeSet::new();
    reasons.retain(|r| seen.insert(*r));
    for why in reasons {
        let of: Vec<&Unexpressed> = unexpressed.iter().filter(|u| u.why == why).collect();
        let shown = if verbose {
            of.len()
        } else {
            LISTED.min(of.len())
        };
        let mut listed: Vec<String> = of[..shown]
            .iter()
            .map(|u| format!("`{}` ({})", neutralise(&u.identifier), u.policies))
            .collect();
        if of.len() > shown {
            listed.push(format!(
                "and {} more (--verbose lists them)",
                of.len() - shown
            ));
        }
        out.eprint(&format!(
            "{}: {target}: {} not exported ({why}): {}\n",
            if strict { "error" } else { "warning" },
            if of.len() == 1 {
                "1 identifier".to_string()
            } else {
                format!("{} identifiers", of.len())
            },
            listed.join(", ")
        ));
    }
}

fn cannot_write(path: &Path, e: &std::io::Error) -> Problem {
    Problem::error(
        Code::UsageWrite,
        format!("cannot write {}: {e}", path.display()),
    )
    .with_help("check that the folder exists and is writable")
}

/// Each policy set loaded, with the digest `banscan policy lock` pins.
fn digests(sets: &[PolicySetRef]) -> Result<Vec<(String, String)>, Problem> {
    sets.iter()
        .map(|set| {
            let locked = lock::set_digest(set).map_err(|e| {
                Problem::error(
                    Code::PolicyFileUnreadable,
                    format!("cannot take the digest of a policy set: {e}"),
                )
            })?;
            let source = set.path().map_or_else(
                || "builtin".into(),
                |p| p.to_string_lossy().replace('\\', "/"),
            );
            Ok((source, locked.sha256))
        })
        .collect()
}

/// Who the policies were selected for, in words.
fn describe(audience: &Audience) -> String {
    if audience.is_unrestricted() {
        return "everyone (no jurisdiction, sector or organisation narrowed the policies)".into();
    }
    let mut parts = Vec::new();
    if let Some(j) = &audience.jurisdiction {
        parts.push(format!("jurisdiction {j}"));
    }
    if !audience.sectors.is_empty() {
        parts.push(format!("sectors {}", audience.sectors.join(", ")));
    }
    if let Some(o) = &audience.organization {
        parts.push(format!("organisation {o}"));
    }
    parts.join("; ")
}
