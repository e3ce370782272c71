//! The `policy` commands: lint, test, list, show, schema, lock, verify;
//! `new` and `diff` are in files of their own.

use std::path::PathBuf;

use super::{Out, load, sets};
use crate::Outcome;
use crate::check::examples;
use crate::cli::config::usage;
use crate::cli::{ListFormat, PolicyCommand, PolicySources};
use crate::diag::{Code, Problem};
use crate::policy::load::{load_library, load_profile};
use crate::policy::{Ban, Library, lock, schema, vocab};
use crate::report::ItemInfo;

pub(super) fn run(out: &Out, cmd: PolicyCommand) -> Outcome {
    match cmd {
        PolicyCommand::Lint { paths, no_builtin } => lint(out, &paths, no_builtin),
        PolicyCommand::Test { paths, no_builtin } => {
            let library = match load(out, &sets(!no_builtin, &paths)) {
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
                        "policy examples: {} passed, {failed} failed ({} policies)\n",
                        run.passed, run.policies
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
            jurisdiction,
            sector,
            product,
            format,
        } => {
            let library = match load(out, &sets(!sources.no_builtin, &sources.policies)) {
                Ok(l) => l,
                Err(o) => return o,
            };
            out.print(&list(
                &library,
                jurisdiction.as_deref(),
                sector.as_deref(),
                product.as_deref(),
                format,
            ));
            Outcome::Clean
        }
        PolicyCommand::Show { id, sources } => show(out, &id, &sources),
        PolicyCommand::New(args) => super::policy_new::run(out, &args),
        PolicyCommand::Diff(args) => super::policy_diff::run(out, &args),
        PolicyCommand::Schema => {
            let text = serde_json::to_string_pretty(&schema::schema()).unwrap_or_default();
            out.print(&format!("{text}\n"));
            Outcome::Clean
        }
        PolicyCommand::Lock { dir } => match lock::lock(&dir) {
            Ok(n) => {
                out.print(&format!(
                    "wrote {} ({n} files)\n",
                    lock::lockfile_path(&dir).display()
                ));
                Outcome::Clean
            }
            Err(e) => out.fail(usage(e.to_string(), "give a folder of policy files")),
        },
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
                    "banscan: {} file{} differ from {}; review them, then run `banscan policy lock {}`\n",
                    changes.len(),
                    if changes.len() == 1 { "" } else { "s" },
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

/// Lints policy files, and profiles (`banscan.yaml`) named among them: a
/// waiver naming a policy that does not exist would never waive anything.
fn lint(out: &Out, paths: &[PathBuf], no_builtin: bool) -> Outcome {
    let is_profile =
        |p: &PathBuf| p.file_name().is_some_and(|n| n == "banscan.yaml") && p.is_file();
    let (profiles, policy_paths): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.iter().cloned().partition(is_profile);
    let mut problems = Vec::new();
    let library = match load_library(&sets(!no_builtin, &policy_paths)) {
        Ok(l) => Some(l),
        Err(p) => {
            problems.extend(p);
            None
        }
    };
    for path in &profiles {
        let profile = match load_profile(path) {
            Ok(p) => p,
            Err(p) => {
                problems.extend(p);
                continue;
            }
        };
        let Some(library) = &library else { continue };
        for w in &profile.waivers {
            if library.policy(&w.policy).is_none() {
                let ids = library.policies.iter().map(|p| p.id.as_str());
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
        }
    }
    if !problems.is_empty() {
        out.problems(&problems);
        return Outcome::Failed;
    }
    if let Some(library) = library {
        let profiles = match profiles.len() {
            0 => String::new(),
            1 => ", and 1 profile".to_string(),
            n => format!(", and {n} profiles"),
        };
        out.print(&format!(
            "banscan: {} policies and {} products are valid{profiles}\n",
            library.policies.len(),
            library.products.len(),
        ));
    }
    Outcome::Clean
}

fn list(
    library: &Library,
    jurisdiction: Option<&str>,
    sector: Option<&str>,
    product: Option<&str>,
    format: ListFormat,
) -> String {
    let rows: Vec<_> = library
        .policies
        .iter()
        .filter(|p| {
            jurisdiction.is_none_or(|j| {
                vocab::jurisdiction_reaches(&p.jurisdiction, j) || p.jurisdiction == j
            })
        })
        .filter(|p| {
            sector.is_none_or(|s| p.sectors.iter().any(|x| x == s || x == vocab::ALL_SECTORS))
        })
        .filter(|p| product.is_none_or(|id| library.banned_products(p).any(|b| b == id)))
        .collect();
    if format == ListFormat::Json {
        let json: Vec<_> = rows
            .iter()
            .map(|p| {
                serde_json::json!({
                    "id": p.id, "title": p.title, "authority": p.authority, "jurisdiction": p.jurisdiction,
                    "effective": p.effective.to_string(), "expires": p.expires.map(|d| d.to_string()),
                    "severity": p.severity, "sectors": p.sectors,
                    "products": library.banned_products(p).collect::<Vec<_>>(),
                })
            })
            .collect();
        return format!(
            "{}\n",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
    }
    let header = [
        "ID",
        "JURISDICTION",
        "EFFECTIVE",
        "SEVERITY",
        "PRODUCTS",
        "AUTHORITY",
    ];
    let table: Vec<[String; 6]> = rows
        .iter()
        .map(|p| {
            [
                p.id.clone(),
                p.jurisdiction.clone(),
                p.effective.to_string(),
                p.severity.to_string(),
                library.banned_products(p).collect::<Vec<_>>().join(","),
                p.authority.clone(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &table {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    let mut line = |cells: &[&str]| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                l.push_str(cell);
            } else {
                l.push_str(&format!("{cell:<w$}  "));
            }
        }
        text.push_str(l.trim_end());
        text.push('\n');
    };
    line(&header);
    for row in &table {
        line(&row.iter().map(String::as_str).collect::<Vec<_>>());
    }
    text.push_str(&format!(
        "{} polic{}\n",
        table.len(),
        if table.len() == 1 { "y" } else { "ies" }
    ));
    text
}

fn show(out: &Out, id: &str, sources: &PolicySources) -> Outcome {
    let library = match load(out, &sets(!sources.no_builtin, &sources.policies)) {
        Ok(l) => l,
        Err(o) => return o,
    };
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
                Ban::Inline(ids) => field(
                    &mut t,
                    "bans",
                    &format!(
                        "{} inline identifiers",
                        ids.packages.len() + ids.apps.len() + ids.endpoints.len() + ids.files.len()
                    ),
                ),
            }
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
        let ids = &p.identifiers;
        for r in &ids.packages {
            field(
                &mut t,
                "package",
                &r.versions
                    .as_ref()
                    .map_or(r.purl.clone(), |v| format!("{} {}", r.purl, v.text)),
            );
        }
        for r in &ids.apps {
            field(&mut t, "app", &r.describe());
        }
        for r in &ids.endpoints {
            field(&mut t, "endpoint", &r.text);
        }
        for r in &ids.files {
            field(&mut t, "file", r.sha256.as_str());
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
