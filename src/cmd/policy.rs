//! The `policy` commands: lint, test, list, show, schema, lock, verify;
//! `new` and `diff` are in files of their own.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::{Out, count, load, load_tested, policy_timeline, sets};
use crate::Outcome;
use crate::check::examples;
use crate::cli::config::{
    check_audience, parse_as_of, parse_due_within, policy_sets, resolve_profile, usage,
};
use crate::cli::{ListFormat, PolicyCommand, PolicySources, ProfileChoice};
use crate::diag::{Code, Problem};
use crate::policy::load::{Examples, load_all, load_profile};
use crate::policy::select::{Audience, NotApplied, Standing, why_not};
use crate::policy::{
    Ban, Confidence, Identifiers, Library, Place, Policy, PolicySetRef, lock, schema, vocab,
};
use crate::report::ItemInfo;

pub(super) fn run(out: &Out, cmd: PolicyCommand) -> Outcome {
    match cmd {
        PolicyCommand::Lint { paths, no_builtin } => lint(out, &paths, no_builtin),
        PolicyCommand::Test { paths, no_builtin } => {
            let library = match load_tested(out, &sets(!no_builtin, &paths)) {
                Ok(l) => l,
                Err(o) => return o,
            };
            // With paths, test the policies from those files only; the
            // built-in library is loaded for the products they reference.
            let indices: Vec<usize> = library
                .policies
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    paths.is_empty()
                        || !p
                            .place
                            .file
                            .name()
                            .starts_with(crate::policy::builtin::PREFIX)
                })
                .map(|(i, _)| i)
                .collect();
            match examples::test_policies(&library, &indices) {
                Ok(run) => {
                    let failed = run.failures.len();
                    if failed > 0 {
                        out.problems(&run.failures);
                    }
                    out.print(&format!(
                        "policy examples: {} passed, {failed} failed ({})\n",
                        run.passed,
                        count(run.policies, "policy", "policies")
                    ));
                    if failed > 0 {
                        Outcome::Violations
                    } else {
                        Outcome::Clean
                    }
                }
                Err(e) => out.fail(Problem::error(Code::Internal, e.to_string())),
            }
        }
        PolicyCommand::List {
            sources,
            profile,
            jurisdiction,
            sector,
            product,
            as_of,
            due_within,
            wide,
            format,
        } => {
            if let Err(p) = check_audience(jurisdiction.as_deref(), sector.as_slice()) {
                return out.fail(p);
            }
            let as_of = match parse_as_of(as_of.as_deref()) {
                Ok(d) => d,
                Err(p) => return out.fail(p),
            };
            let due_days = match due_within.as_deref().map(parse_due_within).transpose() {
                Ok(d) => d,
                Err(p) => return out.fail(p),
            };
            let (library, audience) = match library_for(out, &sources, &profile) {
                Ok(l) => l,
                Err(o) => return o,
            };
            let filter = Filter {
                jurisdiction: jurisdiction.as_deref(),
                sector: sector.as_deref(),
                product: product.as_deref(),
            };
            let text = match due_days {
                Some(days) => {
                    // The deadlines coming up for whom the profile checks:
                    // of policies that bind it, in force or not yet.
                    let rows: Vec<&Policy> = filter
                        .keep(&library)
                        .into_iter()
                        .filter(|p| {
                            matches!(
                                why_not(p, &audience, as_of),
                                None | Some(NotApplied::NotYetEffective { .. })
                            )
                        })
                        .collect();
                    super::policy_timeline::due_within(&rows, as_of, days, format)
                }
                None => list(&library, &filter, as_of, wide, format),
            };
            out.print(&text);
            Outcome::Clean
        }
        PolicyCommand::Show {
            id,
            sources,
            profile,
            as_of,
        } => {
            let day = match parse_as_of(as_of.as_deref()) {
                Ok(d) => StateDay {
                    day: d,
                    asked: as_of.is_some(),
                },
                Err(p) => return out.fail(p),
            };
            match library_for(out, &sources, &profile) {
                Ok((library, _)) => show(out, &id, &library, day),
                Err(o) => o,
            }
        }
        PolicyCommand::New(args) => super::policy_new::run(out, &args),
        PolicyCommand::Diff(args) => super::policy_diff::run(out, &args),
        PolicyCommand::Draft(args) => super::policy_draft::run(out, &args),
        PolicyCommand::Export(args) => super::export::run(out, &args),
        PolicyCommand::Schema => {
            let text = serde_json::to_string_pretty(&schema::schema()).unwrap_or_default();
            out.print(&format!("{text}\n"));
            Outcome::Clean
        }
        PolicyCommand::Lock { dir } => lock_valid(out, &dir),
        PolicyCommand::Verify { dir } => match lock::verify(&dir) {
            Ok(changes) if changes.is_empty() => {
                out.print(&format!(
                    "{} matches {}\n",
                    dir.display(),
                    lock::lockfile_path(&dir).display()
                ));
                Outcome::Clean
            }
            Ok(changes) => {
                let mut text = String::new();
                for c in &changes {
                    text.push_str(&format!("{c}\n"));
                }
                text.push_str(&format!(
                    "banscan: {} from {}; review them, then run `banscan policy lock {}`\n",
                    count(changes.len(), "file differs", "files differ"),
                    lock::lockfile_path(&dir).display(),
                    dir.display()
                ));
                out.print(&text);
                Outcome::Violations
            }
            Err(e) => out.fail(usage(e.to_string(), "run `banscan policy lock DIR` first")),
        },
    }
}

/// The library `list` and `show` describe: the sets the profile names, as
/// `scan` would load them from the working folder; and whom the profile
/// checks.
fn library_for(
    out: &Out,
    sources: &PolicySources,
    choice: &ProfileChoice,
) -> Result<(Library, Audience), Outcome> {
    let profile = resolve_profile(choice.profile.as_deref(), choice.no_profile, Path::new("."))
        .map_err(|problems| {
            out.problems(&problems);
            Outcome::Failed
        })?;
    let sets = policy_sets(profile.as_ref(), sources).map_err(|p| out.fail(p))?;
    let audience = profile.map_or_else(Audience::default, |p| Audience {
        jurisdiction: p.jurisdiction,
        sectors: p.sectors,
        organization: p.organization,
    });
    Ok((load(out, &sets)?, audience))
}

/// The same folder or file, however it was spelt.
fn same_set(a: &PolicySetRef, b: &PolicySetRef) -> bool {
    match (a.path(), b.path()) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a == b
                || matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    }
}

/// Adds a set unless it is there already; a pinned entry replaces an
/// unpinned one of the same folder, so the pin is checked.
fn add_set(sets: &mut Vec<(PolicySetRef, Option<Place>)>, set: PolicySetRef, at: Option<Place>) {
    match sets.iter_mut().find(|(s, _)| same_set(s, &set)) {
        Some(existing) if matches!(set, PolicySetRef::Pinned(_)) => *existing = (set, at),
        Some(_) => {}
        None => sets.push((set, at)),
    }
}

/// Lints policy files, and profiles (`banscan.yaml`) named among them with
/// the policy sets they load, so a waiver is checked against the policies
/// the scan will have. Every problem, in documents and across them, is
/// reported in this one run.
fn lint(out: &Out, paths: &[PathBuf], no_builtin: bool) -> Outcome {
    match run_lint(paths, no_builtin) {
        Ok(linted) => {
            let profiles = match linted.profiles {
                0 => String::new(),
                n => format!(", and {}", count(n, "profile", "profiles")),
            };
            out.print(&format!(
                "banscan: {} and {} are valid{profiles}\n",
                count(linted.policies, "policy", "policies"),
                count(linted.products, "product", "products"),
            ));
            Outcome::Clean
        }
        Err(problems) => {
            out.problems(&problems);
            Outcome::Failed
        }
    }
}

/// What a clean [`run_lint`] found.
struct Linted {
    policies: usize,
    products: usize,
    profiles: usize,
}

/// The checks of `policy lint`, for `lint` and `lock` alike.
fn run_lint(paths: &[PathBuf], no_builtin: bool) -> Result<Linted, Vec<Problem>> {
    let is_profile =
        |p: &PathBuf| p.file_name().is_some_and(|n| n == "banscan.yaml") && p.is_file();
    let (profile_paths, policy_paths): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.iter().cloned().partition(is_profile);
    let mut problems = Vec::new();
    let mut to_load = Vec::new();
    for set in sets(!no_builtin, &policy_paths) {
        add_set(&mut to_load, set, None);
    }
    let mut profiles = Vec::new();
    for path in &profile_paths {
        match load_profile(path) {
            Ok(profile) => {
                if profile.policies.is_empty() {
                    add_set(&mut to_load, PolicySetRef::Builtin, None);
                }
                for (set, at) in profile.policies.iter().zip(&profile.policy_places) {
                    add_set(&mut to_load, set.clone(), Some(at.clone()));
                }
                profiles.push(profile);
            }
            Err(p) => problems.extend(p),
        }
    }
    let loaded = load_all(&to_load, Examples::Required);
    problems.extend(loaded.problems);
    let library = &loaded.library;
    for w in profiles.iter().flat_map(|p| &p.waivers) {
        if library.policy(&w.policy).is_some() || loaded.unread_policies.contains(&w.policy) {
            continue;
        }
        let ids = library
            .policies
            .iter()
            .map(|p| p.id.as_str())
            .chain(loaded.unread_policies.iter().map(String::as_str));
        let help = match crate::diag::did_you_mean(&w.policy, ids) {
            Some(m) => format!("did you mean `{m}`?"),
            None => "`banscan policy list` shows the policy ids".into(),
        };
        problems.push(
            Problem::error(
                Code::UnknownPolicy,
                format!(
                    "the waiver names policy `{}`, which does not exist",
                    w.policy
                ),
            )
            .in_file(&w.place.file, w.place.span, "unknown policy")
            .with_help(help),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Linted {
        policies: library.policies.len(),
        products: library.products.len(),
        profiles: profiles.len(),
    })
}

/// `policy lock DIR`: a lockfile says "these files are the reviewed rule
/// set", so it is written only over files that lint clean (with the
/// built-in library underneath, as a profile loads them).
fn lock_valid(out: &Out, dir: &Path) -> Outcome {
    if let Err(problems) = run_lint(&[dir.to_path_buf()], false) {
        out.problems(&problems);
        out.eprint(&format!(
            "banscan: {} not written; fix the errors above, then lock again\n",
            lock::lockfile_path(dir).display()
        ));
        return Outcome::Failed;
    }
    match lock::lock(dir) {
        Ok(locked) => {
            out.print(&format!(
                "wrote {} ({})\npin it in a profile's policies: {{ path: {}, lock: \"{}\" }}\n",
                lock::lockfile_path(dir).display(),
                count(locked.files, "file", "files"),
                dir.display(),
                locked.pin(),
            ));
            Outcome::Clean
        }
        Err(e) => out.fail(usage(e.to_string(), "give a folder of policy files")),
    }
}

/// `policy list --jurisdiction/--sector/--product`.
struct Filter<'a> {
    jurisdiction: Option<&'a str>,
    sector: Option<&'a str>,
    product: Option<&'a str>,
}

impl Filter<'_> {
    /// The policies of `library` the filter keeps, in library order.
    fn keep<'l>(&self, library: &'l Library) -> Vec<&'l Policy> {
        library
            .policies
            .iter()
            .filter(|p| {
                self.jurisdiction.is_none_or(|j| {
                    vocab::jurisdiction_reaches(&p.jurisdiction, j) || p.jurisdiction == j
                })
            })
            .filter(|p| {
                self.sector
                    .is_none_or(|s| p.sectors.iter().any(|x| x == s || x == vocab::ALL_SECTORS))
            })
            .filter(|p| {
                self.product
                    .is_none_or(|id| library.banned_products(p).any(|b| b == id))
            })
            .collect()
    }
}

/// The policies the filter keeps, each with its state on `as_of`: a
/// reviewer asks "which of these bind us today" before anything else.
fn list(
    library: &Library,
    filter: &Filter<'_>,
    as_of: Date,
    wide: bool,
    format: ListFormat,
) -> String {
    let rows = filter.keep(library);
    if format == ListFormat::Json {
        let json: Vec<_> = rows
            .iter()
            .map(|p| {
                serde_json::json!({
                    "id": p.id, "title": p.title, "authority": p.authority, "jurisdiction": p.jurisdiction,
                    "issued": p.issued.to_string(), "effective": p.effective.to_string(),
                    "expires": p.expires.map(|d| d.to_string()),
                    "state": Standing::of(p, as_of).as_str(),
                    "severity": p.severity, "confidence": p.confidence, "sectors": p.sectors,
                    "organizations": p.organizations, "instrument": p.instrument, "scope": p.scope,
                    "products": library.banned_products(p).collect::<Vec<_>>(),
                    "defined_at": p.place.describe(),
                })
            })
            .collect();
        return format!(
            "{}\n",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
    }
    let mut header = vec![
        "ID",
        "JURISDICTION",
        "EFFECTIVE",
        "STATE",
        "SEVERITY",
        "PRODUCTS",
    ];
    if wide {
        header.extend(["AUTHORITY", "INSTRUMENT", "SCOPE"]);
    }
    header.push("TITLE");
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|p| {
            let mut row = vec![
                p.id.clone(),
                p.jurisdiction.clone(),
                p.effective.to_string(),
                Standing::of(p, as_of).to_string(),
                p.severity.to_string(),
                library.banned_products(p).collect::<Vec<_>>().join(","),
            ];
            if wide {
                let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                row.extend([
                    p.authority.clone(),
                    or_dash(&p.instrument),
                    or_dash(&p.scope),
                ]);
            }
            row.push(p.title.clone());
            row
        })
        .collect();
    let mut text = table(&header, &cells);
    text.push_str(&format!("{}\n", count(cells.len(), "policy", "policies")));
    text
}

/// Rows under a header in columns two spaces apart, the last column left
/// unpadded (a long title runs on).
pub(super) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    let mut line = |cells: &[&str]| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                l.push_str(cell);
            } else {
                l.push_str(&format!("{cell:<w$}  "));
            }
        }
        text.push_str(l.trim_end());
        text.push('\n');
    };
    line(header);
    for row in rows {
        line(&row.iter().map(String::as_str).collect::<Vec<_>>());
    }
    text
}

/// Each identifier as `(kind, text)`, an unconfirmed one marked: a reader
/// of `policy show` must see which identifiers can only advise.
fn identifier_lines(ids: &Identifiers) -> Vec<(&'static str, String)> {
    let mark = |text: String, confidence: Confidence| match confidence {
        Confidence::Confirmed => text,
        Confidence::Unconfirmed => format!("{text} (unconfirmed: advisory only)"),
    };
    let mut lines = Vec::with_capacity(ids.len());
    for r in &ids.packages {
        let text = r
            .versions
            .as_ref()
            .map_or(r.purl.clone(), |v| format!("{} {}", r.purl, v.text));
        lines.push(("package", mark(text, r.confidence)));
    }
    for r in &ids.apps {
        lines.push(("app", mark(r.describe(), r.confidence)));
    }
    for r in &ids.endpoints {
        lines.push(("endpoint", mark(r.text.clone(), r.confidence)));
    }
    for r in &ids.files {
        lines.push(("file", mark(r.sha256.as_str().to_string(), r.confidence)));
    }
    lines
}

/// One identifier on one line; an app's description names its kind already.
fn kind_and_text((kind, text): (&'static str, String)) -> String {
    if kind == "app" {
        text
    } else {
        format!("{kind} {text}")
    }
}

/// The day `policy show` names the state on, and whether `--as-of` asked
/// for it: without, a policy with no timeline shows as it always has.
struct StateDay {
    day: Date,
    asked: bool,
}

/// `policy show ID`: every field, then the timeline and the state on the day.
fn show(out: &Out, id: &str, library: &Library, state: StateDay) -> Outcome {
    let mut t = String::new();
    let field = |t: &mut String, k: &str, v: &str| t.push_str(&format!("{k:<13}{v}\n"));
    if let Some(p) = library.policy(id) {
        field(&mut t, "policy", &p.id);
        field(&mut t, "title", &p.title);
        field(&mut t, "authority", &p.authority);
        field(&mut t, "jurisdiction", &p.jurisdiction);
        field(&mut t, "issued", &p.issued.to_string());
        field(&mut t, "effective", &p.effective.to_string());
        field(
            &mut t,
            "expires",
            &p.expires.map_or("never".into(), |d| d.to_string()),
        );
        field(&mut t, "legal basis", &p.legal_basis);
        if let Some(i) = &p.instrument {
            field(&mut t, "instrument", i);
        }
        field(&mut t, "severity", p.severity.as_str());
        field(
            &mut t,
            "confidence",
            if p.confidence == crate::policy::Confidence::Confirmed {
                "confirmed"
            } else {
                "unconfirmed"
            },
        );
        field(&mut t, "binds", &p.sectors.join(", "));
        if !p.organizations.is_empty() {
            field(&mut t, "only", &p.organizations.join(" / "));
        }
        for (k, v) in [
            ("scope", &p.scope),
            ("rationale", &p.rationale),
            ("remediation", &p.remediation),
            ("exceptions", &p.exceptions),
            ("notes", &p.notes),
        ] {
            if let Some(v) = v {
                field(&mut t, k, v);
            }
        }
        for ban in &p.bans {
            match ban {
                Ban::Product { id, .. } => {
                    let name = library
                        .product(id)
                        .map_or(String::new(), |p| format!(" ({})", p.name));
                    field(&mut t, "bans", &format!("product {id}{name}"));
                }
                Ban::Inline(ids) => {
                    for line in identifier_lines(ids) {
                        field(&mut t, "bans", &kind_and_text(line));
                    }
                }
            }
        }
        for ids in &p.exemptions {
            for line in identifier_lines(ids) {
                field(&mut t, "except", &kind_and_text(line));
            }
        }
        if policy_timeline::has_timeline(p) {
            t.push_str(&policy_timeline::block(p));
        }
        if policy_timeline::has_timeline(p) || state.asked {
            t.push_str(&policy_timeline::state_on(p, state.day));
        }
        t.push_str("sources:\n");
        for (n, s) in p.sources.iter().enumerate() {
            t.push_str(&format!("  [{}] {} — {}", n + 1, s.title, s.publisher));
            if let Some(d) = s.date {
                t.push_str(&format!(", {d}"));
            }
            t.push('\n');
            if let Some(u) = &s.url {
                t.push_str(&format!("      {u}\n"));
            }
        }
        for (violating, heading) in [
            (true, "violating examples:"),
            (false, "compliant examples:"),
        ] {
            t.push_str(heading);
            t.push('\n');
            for e in p.examples.iter().filter(|e| e.violating == violating) {
                t.push_str(&format!("  {}\n", ItemInfo::new(e.item.view()).describe()));
            }
        }
        field(&mut t, "defined at", &p.place.describe());
    } else if let Some(p) = library.product(id) {
        field(&mut t, "product", &p.id);
        field(&mut t, "name", &p.name);
        if let Some(v) = &p.vendor {
            field(&mut t, "vendor", v);
        }
        for (kind, text) in identifier_lines(&p.identifiers) {
            field(&mut t, kind, &text);
        }
        let banned_by: Vec<&str> = library
            .policies
            .iter()
            .filter(|pol| library.banned_products(pol).any(|b| b == id))
            .map(|pol| pol.id.as_str())
            .collect();
        field(&mut t, "banned by", &banned_by.join(", "));
        field(&mut t, "defined at", &p.place.describe());
    } else {
        let ids = library
            .policies
            .iter()
            .map(|p| p.id.as_str())
            .chain(library.products.iter().map(|p| p.id.as_str()));
        let help = match crate::diag::did_you_mean(id, ids) {
            Some(m) => format!("did you mean `{m}`?"),
            None => "`banscan policy list` shows the policy ids".into(),
        };
        return out.fail(
            Problem::error(Code::UnknownPolicy, format!("no policy or product `{id}`"))
                .with_help(help),
        );
    }
    out.print(&t);
    Outcome::Clean
}
