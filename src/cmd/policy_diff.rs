//! `banscan policy diff OLD NEW [--against PATHS]`: what updating a rule
//! set changes, in the rules ([`crate::policy::diff`]) and, with
//! `--against`, in the findings on real inventories, so a reviewer sees the
//! effect before pinning the new digest. A finding both sides make but
//! that a recorded injunction or a moved deadline turns into something
//! else is listed as changed: it was not cleared, and must not look so.
//!
//! Each side is loaded with the built-in library underneath (unless
//! `--no-builtin`), so a rule set may ban built-in products; only the
//! policies and products defined under the given path are compared, and
//! only its policies are applied in the `--against` scans.

use std::collections::HashSet;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Serialize;

use super::{Out, count, load};
use crate::Outcome;
use crate::cli::config::{parse_as_of, usage};
use crate::cli::{DiffArgs, OutputFormat};
use crate::diag::{Code, Problem};
use crate::policy::diff::{Changes, Diff, diff, show_value};
use crate::policy::{Library, Place, PolicySetRef, Severity, builtin};
use crate::report::{DeadlineInfo, Finding, InputState, LegalStatusInfo};
use crate::scan::judges::{Flags, Judge};
use crate::scan::{Assignment, Bench, ScanConfig, find_inputs, scan};

/// The `--format json` output.
#[derive(Serialize)]
struct Output<'a> {
    #[serde(flatten)]
    rules: &'a Diff,
    /// `null` without `--against`.
    newly_flagged: Option<&'a [Finding]>,
    newly_cleared: Option<&'a [Finding]>,
    /// Findings both sides make, but as something else: a violation that
    /// an injunction makes not enforceable, a phase-out whose deadline moved.
    changed_findings: Option<&'a [FindingChange]>,
    unread: Option<&'a [Unread]>,
}

/// One finding both sides make, with what it is under each.
#[derive(Serialize)]
struct FindingChange {
    /// The finding as NEW makes it.
    finding: Finding,
    before: FindingState,
    after: FindingState,
    /// Whether it fails the scan (by the default `--fail-on`) under NEW
    /// and did not under OLD.
    newly_failing: bool,
}

/// What a finding is on the day: its severity, and the legal status and
/// phase-out deadline the timeline gives it.
#[derive(Serialize, PartialEq)]
struct FindingState {
    severity: Severity,
    legal_status: Option<StatusWords>,
    deadline: Option<DeadlineWords>,
}

/// The parts of [`LegalStatusInfo`] that change what a finding means.
#[derive(Serialize, PartialEq)]
struct StatusWords {
    state: String,
    since: String,
    by: String,
    enforceable: bool,
}

/// The parts of [`DeadlineInfo`] that change what a finding means (the
/// days left depend on the day only, which both sides share).
#[derive(Serialize, PartialEq)]
struct DeadlineWords {
    date: String,
    action: String,
    phase_out_until: String,
}

impl FindingState {
    fn of(f: &Finding) -> FindingState {
        FindingState {
            severity: f.severity,
            legal_status: f
                .legal_status
                .as_ref()
                .map(|s: &LegalStatusInfo| StatusWords {
                    state: s.state.clone(),
                    since: s.since.clone(),
                    by: s.by.clone(),
                    enforceable: s.enforceable,
                }),
            deadline: f.deadline.as_ref().map(|d: &DeadlineInfo| DeadlineWords {
                date: d.date.clone(),
                action: d.action.clone(),
                phase_out_until: d.phase_out_until.clone(),
            }),
        }
    }
}

impl fmt::Display for FindingState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.severity)?;
        match (&self.legal_status, &self.deadline) {
            (Some(s), _) if !s.enforceable => write!(
                f,
                ", not enforceable: {} since {} by {}",
                s.state.replace('-', " "),
                s.since,
                s.by
            ),
            (_, Some(d)) => write!(
                f,
                ", phase-out until {} ({} by {})",
                d.phase_out_until, d.action, d.date
            ),
            (Some(s), None) if s.state != "in-force" => {
                write!(
                    f,
                    ", {} since {} by {}",
                    s.state.replace('-', " "),
                    s.since,
                    s.by
                )
            }
            _ => Ok(()),
        }
    }
}

/// What the `--against` scans found: the findings only NEW makes, those
/// only OLD makes, and the files under the paths that were not read.
struct Rescan {
    flagged: Vec<Finding>,
    cleared: Vec<Finding>,
    changed: Vec<FindingChange>,
    unread: Vec<Unread>,
}

/// A file under `--against` that neither side's scan read: evidence
/// skipped (a format banscan does not read yet) or an input that failed.
/// A comparison says nothing about it, so it is listed beside the answer.
#[derive(Serialize)]
struct Unread {
    path: String,
    state: InputState,
    reason: String,
}

/// One rule set: its own entries, to compare, and what a scan with it
/// needs (its policies, and the built-in products they may ban).
struct Side {
    own: Library,
    scan: Library,
}

pub(super) fn run(out: &Out, args: &DiffArgs) -> Outcome {
    let as_of = match parse_as_of(args.as_of.as_deref()) {
        Ok(d) => d,
        Err(p) => return out.fail(p),
    };
    let (old, new) = match (
        side(out, &args.old, args.no_builtin),
        side(out, &args.new, args.no_builtin),
    ) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(o), _) | (_, Err(o)) => return o,
    };
    let rules = diff(&old.own, &new.own);
    let scans = if args.against.is_empty() {
        None
    } else {
        match rescan(&old.scan, &new.scan, &args.against, as_of) {
            Ok(s) => Some(s),
            Err(p) => return out.fail(p),
        }
    };
    let text = match args.format {
        OutputFormat::Json => {
            let output = Output {
                rules: &rules,
                newly_flagged: scans.as_ref().map(|s| s.flagged.as_slice()),
                newly_cleared: scans.as_ref().map(|s| s.cleared.as_slice()),
                changed_findings: scans.as_ref().map(|s| s.changed.as_slice()),
                unread: scans.as_ref().map(|s| s.unread.as_slice()),
            };
            match serde_json::to_string_pretty(&output) {
                Ok(t) => format!("{t}\n"),
                Err(e) => {
                    return out.fail(Problem::error(
                        Code::Internal,
                        format!("cannot write the diff as JSON: {e}"),
                    ));
                }
            }
        }
        OutputFormat::Human => human(&rules, scans.as_ref(), args, as_of),
    };
    out.print(&text);
    let Some(scans) = scans else {
        return Outcome::Clean;
    };
    // As for a scan: an input that failed makes the answer incomplete,
    // whatever it says; a skipped file is listed but does not fail.
    if !scans.unread.is_empty() {
        Outcome::Failed
    } else if !scans.flagged.is_empty() || scans.changed.iter().any(|c| c.newly_failing) {
        Outcome::Violations
    } else {
        Outcome::Clean
    }
}

fn side(out: &Out, path: &Path, no_builtin: bool) -> Result<Side, Outcome> {
    let mut sets = Vec::new();
    if !no_builtin {
        sets.push(PolicySetRef::Builtin);
    }
    sets.push(PolicySetRef::Path(path.to_path_buf()));
    let full = load(out, &sets)?;
    let own = |place: &Place| !place.file.name().starts_with(builtin::PREFIX);
    let policies: Vec<_> = full
        .policies
        .into_iter()
        .filter(|p| own(&p.place))
        .collect();
    Ok(Side {
        own: Library {
            products: full
                .products
                .iter()
                .filter(|p| own(&p.place))
                .cloned()
                .collect(),
            policies: policies.clone(),
        },
        scan: Library {
            products: full.products,
            policies,
        },
    })
}

/// Scans `paths` once with each side, for every organisation (no
/// profile), and returns the findings only NEW has, those only OLD has,
/// and the files not read. A finding is the same when its policy, file and
/// item are: the identifier that matched may change between the sides.
fn rescan(old: &Library, new: &Library, paths: &[PathBuf], as_of: Date) -> Result<Rescan, Problem> {
    let config = ScanConfig {
        paths: paths.to_vec(),
        hash: Vec::new(),
        detect: crate::input::detect::Options::default(),
        as_of,
        progress: None,
    };
    let judge = Judge::new(None, &Flags::default());
    let run = |library: &Library| {
        let found = find_inputs(&config);
        let assignment = Assignment::one(&found);
        let bench = Bench {
            judge: &judge,
            library,
        };
        scan(&config, &[bench], found, &assignment).map_err(|e| {
            Problem::error(
                Code::Internal,
                format!("internal error while compiling policies: {e}"),
            )
        })
    };
    let (before, after) = (run(old)?, run(new)?);
    // Both sides read the same files: which were read does not depend on
    // the policies.
    let unread: Vec<Unread> = after
        .inputs
        .iter()
        .filter(|i| i.state == InputState::Unread)
        .map(|i| Unread {
            path: i.path.clone(),
            state: i.state,
            // The first problem without the path it starts with.
            reason: i
                .problems
                .first()
                .map(|p| p.message.clone())
                .or_else(|| i.reason.clone())
                .unwrap_or_default(),
        })
        .collect();
    if after.summary.items == 0 && unread.is_empty() {
        return Err(usage(
            "--against: the inventories hold no packages, apps or endpoints, so nothing was compared",
            "give the files or folders that `banscan scan` would read",
        ));
    }
    let key = |f: &Finding| (f.policy.clone(), f.location.path.clone(), f.item.describe());
    let only = |a: &[Finding], b: &[Finding]| {
        let seen: HashSet<_> = b.iter().map(key).collect();
        a.iter()
            .filter(|f| !seen.contains(&key(f)))
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut changed = Vec::new();
    for f in &after.findings {
        let Some(old) = before.findings.iter().find(|o| key(o) == key(f)) else {
            continue;
        };
        let (was, is) = (FindingState::of(old), FindingState::of(f));
        if was != is {
            let fails = |f: &Finding| judge.fail_on.fails(f.severity, f.phase_out());
            changed.push(FindingChange {
                finding: f.clone(),
                before: was,
                after: is,
                newly_failing: fails(f) && !fails(old),
            });
        }
    }
    Ok(Rescan {
        flagged: only(&after.findings, &before.findings),
        cleared: only(&before.findings, &after.findings),
        changed,
        unread,
    })
}

fn human(d: &Diff, scans: Option<&Rescan>, args: &DiffArgs, as_of: Date) -> String {
    let mut t = String::new();
    let p = &d.policies;
    let _ = writeln!(
        t,
        "policies: {} added, {} removed, {} changed",
        p.added.len(),
        p.removed.len(),
        p.changed.len()
    );
    for (mark, list) in [("+", &p.added), ("-", &p.removed)] {
        for e in list {
            let _ = writeln!(
                t,
                "  {mark} {} ({}, {}, effective {}): {}",
                e.id, e.jurisdiction, e.severity, e.effective, e.title
            );
        }
    }
    for c in &p.changed {
        let _ = writeln!(t, "  ~ {}", c.id);
        for f in &c.fields {
            let _ = writeln!(
                t,
                "      {}: {} -> {}",
                f.field,
                show_value(&f.old),
                show_value(&f.new)
            );
        }
        timeline_lines(&mut t, "deadline", &c.deadlines);
        timeline_lines(&mut t, "status", &c.status);
    }
    let r = &d.products;
    let _ = writeln!(
        t,
        "products: {} added, {} removed, {} changed",
        r.added.len(),
        r.removed.len(),
        r.changed.len()
    );
    for (mark, list) in [("+", &r.added), ("-", &r.removed)] {
        for e in list {
            let n = e.identifiers.iter().count();
            let _ = writeln!(
                t,
                "  {mark} {} ({}, {n} identifier{})",
                e.id,
                e.name,
                if n == 1 { "" } else { "s" }
            );
        }
    }
    for c in &r.changed {
        let _ = writeln!(t, "  ~ {}", c.id);
        for f in &c.fields {
            let _ = writeln!(
                t,
                "      {}: {} -> {}",
                f.field,
                show_value(&f.old),
                show_value(&f.new)
            );
        }
        for (mark, ids) in [("+", &c.added), ("-", &c.removed)] {
            for (kind, id) in ids.iter() {
                let _ = writeln!(t, "      {mark} {kind} {id}");
            }
        }
    }
    if let Some(Rescan {
        flagged,
        cleared,
        changed,
        unread,
    }) = scans
    {
        let inventories: Vec<String> = args
            .against
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let _ = writeln!(
            t,
            "against {} as of {as_of}: {} finding{} newly flagged, {} newly cleared, {} changed",
            inventories.join(", "),
            flagged.len(),
            if flagged.len() == 1 { "" } else { "s" },
            cleared.len(),
            changed.len()
        );
        for (mark, list) in [("+", flagged), ("-", cleared)] {
            for (item, policies) in by_item(list) {
                let _ = writeln!(t, "  {mark} {item} under {}", policies.join(", "));
            }
        }
        for c in changed {
            let f = &c.finding;
            let _ = writeln!(
                t,
                "  ~ {} ({}:{}) under {}: {} -> {}",
                f.item.describe(),
                f.location.path,
                f.location.line,
                f.policy,
                c.before,
                c.after
            );
        }
        if !unread.is_empty() {
            let _ = writeln!(
                t,
                "not read in full, so not compared: {} (`banscan scan` on the same paths shows why)",
                count(unread.len(), "file", "files")
            );
            for u in unread {
                let _ = writeln!(t, "  ! {}: {}", u.path, u.reason);
            }
        }
    }
    t
}

/// `+`, `-` and `~` lines of a policy's deadlines or status events.
fn timeline_lines<T: fmt::Display>(t: &mut String, what: &str, changes: &Changes<T>) {
    for (mark, list) in [("+", &changes.added), ("-", &changes.removed)] {
        for e in list {
            let _ = writeln!(t, "      {mark} {what} {e}");
        }
    }
    for c in &changes.changed {
        let _ = writeln!(t, "      ~ {what} {} -> {}", c.old, c.new);
    }
}

/// Findings grouped by item and place, in order of first appearance: an
/// identifier added to a product flags the same item under every policy
/// banning it, and one line each would bury the item.
fn by_item(findings: &[Finding]) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for f in findings {
        let item = format!(
            "{} ({}:{})",
            f.item.describe(),
            f.location.path,
            f.location.line
        );
        let policy = format!("{} ({})", f.policy, f.severity);
        match groups.iter_mut().find(|(i, _)| *i == item) {
            Some((_, policies)) => policies.push(policy),
            None => groups.push((item, vec![policy])),
        }
    }
    groups
}
