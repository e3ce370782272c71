//! The report for people: miette diagnostics grouped by policy, each
//! pointing at its line of evidence and citing the policy, then a summary.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use miette::Severity as MietteSeverity;

use crate::diag::{Code, Problem, Renderer};
use crate::input::Kind;
use crate::input::problem::saturating_u32;
use crate::policy::{Confidence, Severity};
use crate::report::{Declared, Finding, InputEntry, InputState, PolicyEntry, Report};

use super::escape::{neutralise, neutralise_span};
use super::{GroupBy, Options};

/// Problems shown per input: a file in the wrong format would otherwise
/// flood the terminal with one diagnostic a line.
const MAX_PROBLEMS_SHOWN: usize = 10;

fn code_for(kind: Kind) -> Code {
    match kind {
        Kind::Package => Code::BannedPackage,
        Kind::App => Code::BannedApp,
        Kind::Endpoint => Code::BannedEndpoint,
        Kind::File => Code::BannedFile,
    }
}

fn line_u32(line: u64) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// Points `problem` at bytes `column-1 .. column-1+len` of a line of
/// evidence, shown neutralised, with the underline kept under the same
/// characters.
fn on_evidence(
    problem: Problem,
    path: &str,
    line: u64,
    (column, len): (u32, u32),
    text: &str,
    label: impl Into<String>,
) -> Problem {
    let (text, start, len) = neutralise_span(text, column.saturating_sub(1) as usize, len as usize);
    problem.on_line(
        &neutralise(path),
        line_u32(line),
        saturating_u32(start + 1),
        saturating_u32(len),
        &text,
        label,
    )
}

/// Findings of one (policy, product, file) shown with their evidence
/// excerpt; the next ones get a line each, and the rest are counted: an
/// inventory of 10,000 devices with the same app is one thing to fix, not
/// 10,000 diagnostics. `--verbose` shows every excerpt.
const EXCERPTS: usize = 3;

/// One-line findings listed after the excerpts of a group.
const LISTED: usize = 10;

/// Distinct devices among `findings`, of a slice.
fn devices_of(findings: &[&Finding]) -> usize {
    devices(findings.iter().copied())
}

/// Distinct devices among `findings`.
fn devices<'a>(findings: impl Iterator<Item = &'a Finding>) -> usize {
    findings
        .filter_map(|f| f.item.device.as_deref())
        .collect::<BTreeSet<_>>()
        .len()
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// One policy's findings cut into runs of the same product, file and
/// waiver state, in the order the report has them (first appearance):
/// waived findings are never folded in with ones that need action.
fn by_product_and_file<'a>(findings: &[&'a Finding]) -> Vec<Vec<&'a Finding>> {
    let mut groups: Vec<Vec<&Finding>> = Vec::new();
    let mut index: HashMap<(Option<&str>, &str, bool), usize> = HashMap::new();
    for f in findings {
        let key = (
            f.product.as_deref(),
            f.location.path.as_str(),
            f.waiver.is_some(),
        );
        let at = *index.entry(key).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[at].push(f);
    }
    groups
}

/// The label under a finding's evidence: its device, when it has one, so
/// the few lines shown of a large group say whose they are.
fn evidence_label(f: &Finding) -> String {
    match &f.item.device {
        Some(d) => format!("{}: matches {}", neutralise(d), f.identifier),
        None => format!("matches {}", f.identifier),
    }
}

/// How a finding is shown: waived ones and advisories as advice.
fn miette_severity(f: &Finding) -> MietteSeverity {
    match (f.severity, &f.waiver) {
        (_, Some(_)) | (Severity::Advisory, _) => MietteSeverity::Advice,
        _ if f.phase_out() => MietteSeverity::Warning,
        (Severity::Restrict, _) => MietteSeverity::Warning,
        (Severity::Ban, _) => MietteSeverity::Error,
    }
}

/// The policy's citation and remediation, written once under its
/// heading: who, on what legal basis, the source, what to do.
fn citation(p: &PolicyEntry) -> String {
    let mut text = format!("   {}; legal basis: {}", p.authority, p.legal_basis);
    if let Some(i) = &p.instrument {
        let _ = write!(text, " ({i})");
    }
    text.push('\n');
    if let Some(src) = &p.source {
        let _ = write!(text, "   source: {} ({})", src.title, src.publisher);
        if let Some(url) = &src.url {
            let _ = write!(text, " {url}");
        }
        text.push('\n');
    }
    if let Some(r) = &p.remediation {
        let _ = writeln!(text, "   remediation: {r}");
    }
    neutralise_lines(&text)
}

/// [`neutralise`] line by line: a policy's text may hold line breaks of
/// its own, which are kept.
fn neutralise_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| match line.strip_suffix('\n') {
            Some(line) => format!("{}\n", neutralise(line)),
            None => neutralise(line).into_owned(),
        })
        .collect()
}

/// A waived finding says by whom and until when; a baseline one that it
/// is known.
fn standing(f: &Finding) -> Option<String> {
    match (&f.waiver, f.baseline) {
        (Some(w), _) => Some(format!(
            "waived until {} by {}: {}",
            w.expires, w.approved_by, w.reason
        )),
        (None, true) => Some("in the baseline report: known, and failing no scan".into()),
        (None, false) => None,
    }
}

/// A finding's place in its policy's timeline, in one line: not
/// enforceable since an event (by whom, cited), or in a phase-out.
fn timeline_line(f: &Finding) -> Option<String> {
    if let Some(l) = f.legal_status.as_ref().filter(|l| !l.enforceable) {
        let mut line = format!(
            "not enforceable: {} since {} by {}; source: {} ({})",
            l.state, l.since, l.by, l.source.title, l.source.publisher
        );
        if let Some(url) = &l.source.url {
            let _ = write!(line, " {url}");
        }
        return Some(line);
    }
    let d = f.deadline.as_ref()?;
    let days = if d.days_left == 1 { "day" } else { "days" };
    let mut line = format!(
        "phase-out: {} by {} ({} {days} left): {}",
        d.action, d.date, d.days_left, d.text
    );
    if d.phase_out_until != d.date {
        let _ = write!(line, "; full severity from {}", d.phase_out_until);
    }
    Some(line)
}

/// The finding in one line, under the excerpts of its group.
fn finding_line(f: &Finding) -> String {
    let mut line = format!(
        "  {}:{}:{}  {}",
        f.location.path,
        f.location.line,
        f.location.column,
        f.item.describe()
    );
    if f.count > 1 {
        let _ = write!(line, " ({} occurrences)", f.count);
    }
    if f.waiver.is_some() {
        line.push_str(" [waived]");
    } else if f.baseline {
        line.push_str(" [baseline]");
    }
    neutralise(&line).into_owned()
}

fn finding_problem(f: &Finding) -> Problem {
    let product = f
        .product
        .as_deref()
        .map(|p| format!(" (product {p})"))
        .unwrap_or_default();
    let verb = match f.severity {
        Severity::Ban => "banned",
        Severity::Restrict => "restricted",
        Severity::Advisory => "advised against",
    };
    let item = neutralise(&f.item.describe()).into_owned();
    let mut message = match &f.legal_status {
        Some(l) if !l.enforceable => format!("{item} would violate {}{product}", f.policy),
        _ => format!("{item} is {verb} by {}{product}", f.policy),
    };
    if f.confidence == Some(Confidence::Unconfirmed) {
        message.push_str(" (unconfirmed identifier: advisory only)");
    }
    if f.count > 1 {
        let _ = write!(message, " ({} occurrences", f.count);
        if let Some(last) = &f.last_location {
            let _ = write!(message, ", last at line {}", last.line);
        }
        if let (Some(first), Some(last)) = (&f.first_seen, &f.last_seen) {
            let _ = write!(
                message,
                ", from {} to {}",
                neutralise(first),
                neutralise(last)
            );
        }
        message.push(')');
    } else if let Some(first) = &f.first_seen {
        let _ = write!(message, " (at {})", neutralise(first));
    }
    let mut help = String::new();
    // A transitive package: which dependency brings it in.
    if let Some(path) = f.item.path.as_ref().filter(|p| p.len() > 1) {
        let _ = writeln!(help, "dependency path: {}", neutralise(&path.join(" → ")));
    }
    if let Some(line) = timeline_line(f) {
        let _ = writeln!(help, "{}", neutralise(&line));
    }
    if let Some(standing) = standing(f) {
        help.push_str(&neutralise(&standing));
    }
    let mut problem =
        Problem::error(code_for(f.item.kind), message).with_severity(miette_severity(f));
    if !help.is_empty() {
        problem = problem.with_help(help.trim_end());
    }
    let problem = on_evidence(
        problem,
        &f.location.path,
        f.location.line,
        (f.evidence.column, f.evidence.len),
        &f.evidence.text,
        evidence_label(f),
    );
    match &f.declared {
        Some(d) => problem.with_related(declared_problem(f, d)),
        None => problem,
    }
}

/// The manifest line that brings a lockfile's package in: a second place
/// in another file, so a diagnostic of its own under the finding.
fn declared_problem(f: &Finding, d: &Declared) -> Problem {
    let name = neutralise(&d.dependency);
    let (message, label) = if f.item.direct == Some(true) {
        (
            format!("{name} is declared here"),
            "declared here".to_string(),
        )
    } else {
        let package = neutralise(f.item.name.as_deref().unwrap_or_default());
        (
            format!("{name}, declared here, brings in {package}"),
            format!("brings in {package}"),
        )
    };
    on_evidence(
        Problem::error(code_for(f.item.kind), message).with_severity(MietteSeverity::Advice),
        &d.location.path,
        d.location.line,
        (d.evidence.column, d.evidence.len),
        &d.evidence.text,
        label,
    )
}

/// Renders the report grouped by policy. `quiet` keeps only input
/// problems and the summary.
pub fn render(report: &Report, color: bool, quiet: bool) -> String {
    render_with(
        report,
        Options {
            color,
            quiet,
            ..Options::default()
        },
    )
}

/// Renders the report with its findings grouped by policy (a heading with
/// the citation, then diagnostics) or by device (a listing); the rest is
/// the same in both.
pub fn render_with(report: &Report, options: Options) -> String {
    let Options {
        color,
        quiet,
        verbose,
        group_by,
        width,
    } = options;
    let renderer = Renderer::new(color).with_width(width);
    let mut out = String::new();
    if !quiet && group_by == GroupBy::Device {
        super::devices::render(report, &mut out);
    }
    if !quiet && group_by == GroupBy::Policy {
        // Several profiles (one folder per agency): each organisation's
        // findings together, under its own heading.
        let several = report.profiles.len() > 1;
        for (index, profile) in report.profiles.iter().enumerate() {
            let own = |f: &&Finding| !several || f.profile == Some(index);
            if several && report.findings.iter().any(|f| own(&f)) {
                let _ = writeln!(
                    out,
                    "══ {} ({})\n",
                    neutralise(profile.organization.as_deref().unwrap_or("no organisation")),
                    neutralise(profile.path.as_deref().unwrap_or("no profile"))
                );
            }
            for policy in report.policies.iter().filter(|p| p.applied) {
                let findings: Vec<&Finding> = report
                    .findings
                    .iter()
                    .filter(|f| f.policy == policy.id)
                    .filter(own)
                    .collect();
                if findings.is_empty() {
                    continue;
                }
                let devices = devices(findings.iter().copied().filter(|f| f.waiver.is_none()));
                let _ = writeln!(
                    out,
                    "── {} · {} ({}, {} finding{}{})",
                    policy.id,
                    neutralise(&policy.title),
                    policy.severity,
                    findings.len(),
                    if findings.len() == 1 { "" } else { "s" },
                    match devices {
                        0 => String::new(),
                        n => format!(" on {}", plural(n, "device")),
                    }
                );
                out.push_str(&citation(policy));
                out.push('\n');
                for group in by_product_and_file(&findings) {
                    let shown = if verbose {
                        group.len()
                    } else {
                        EXCERPTS.min(group.len())
                    };
                    for f in &group[..shown] {
                        out.push_str(&renderer.render(&finding_problem(f)));
                        out.push('\n');
                    }
                    let rest = &group[shown..];
                    for f in rest.iter().take(LISTED) {
                        let _ = writeln!(out, "{}", finding_line(f));
                    }
                    if let Some(more) = rest.len().checked_sub(LISTED).filter(|&n| n > 0) {
                        let _ = writeln!(
                            out,
                            "  … and {more} more in {}{} (--verbose shows them all; the JSON report lists every finding)",
                            neutralise(&group[0].location.path),
                            match devices_of(&rest[LISTED..]) {
                                0 => String::new(),
                                n => format!(" on {}", plural(n, "device")),
                            }
                        );
                    }
                    if !rest.is_empty() {
                        out.push('\n');
                    }
                }
            }
            if !several {
                break;
            }
        }
    }
    for input in report.inputs.iter().filter(|i| !i.problems.is_empty()) {
        for p in input.problems.iter().take(MAX_PROBLEMS_SHOWN) {
            let mut problem = Problem::error(
                if p.line.is_some() {
                    Code::InputMalformed
                } else {
                    Code::InputUnreadable
                },
                neutralise(&format!("{}: {}", input.path, p.message)),
            )
            .with_help(neutralise(&p.help));
            problem = match (&p.text, p.line) {
                (Some(text), Some(line)) => on_evidence(
                    problem,
                    &input.path,
                    line,
                    (p.text_column.unwrap_or(1), p.len.unwrap_or(0)),
                    text,
                    "here",
                ),
                _ => problem,
            };
            out.push_str(&renderer.render(&problem));
            out.push('\n');
        }
        if let Some(more) = input
            .problems
            .len()
            .checked_sub(MAX_PROBLEMS_SHOWN)
            .filter(|n| *n > 0)
        {
            let _ = writeln!(
                out,
                "… and {more} more problem{} in {} (the JSON report has them all)\n",
                if more == 1 { "" } else { "s" },
                neutralise(&input.path)
            );
        }
    }
    skipped(report, &mut out);
    if !quiet {
        let dated: Vec<_> = report
            .policies
            .iter()
            .filter(|p| {
                p.reason
                    .as_deref()
                    .is_some_and(|r| r.starts_with("not yet effective") || r.starts_with("expired"))
            })
            .collect();
        if !dated.is_empty() {
            let _ = writeln!(out, "Not in force on {}:", report.as_of);
            for p in dated {
                let _ = writeln!(out, "  {} — {}", p.id, p.reason.as_deref().unwrap_or(""));
            }
            out.push('\n');
        }
        for n in &report.notices {
            let location = n
                .location
                .as_ref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "notice [{}]: {}",
                n.code,
                neutralise(&format!("{}{location}", n.message))
            );
        }
    }
    out.push_str(&summary_line(report));
    out
}

/// Names every file of unread evidence with why and what to do, every
/// file read with records passed over, and the warnings; counts the rest,
/// so "0 findings" is never taken for "checked and clean".
fn skipped(report: &Report, out: &mut String) {
    let unread: Vec<&InputEntry> = report
        .inputs
        .iter()
        .filter(|i| i.state == InputState::Unread && i.problems.is_empty())
        .collect();
    if !unread.is_empty() {
        let _ = writeln!(
            out,
            "Unread evidence: {} banscan did not read:",
            files(unread.len())
        );
        for i in &unread {
            let _ = writeln!(
                out,
                "  {} — {}",
                neutralise(&i.path),
                neutralise(i.reason.as_deref().unwrap_or(""))
            );
            if let Some(c) = &i.caught {
                let _ = writeln!(
                    out,
                    "      line {} holds `{}` ({}; policy {} applies): {}",
                    c.line,
                    c.identifier,
                    c.product
                        .as_deref()
                        .map_or("an inline identifier".to_string(), |p| format!(
                            "product {p}"
                        )),
                    c.policy,
                    neutralise(c.text.trim())
                );
            }
        }
        let _ = writeln!(
            out,
            "  fix: this version reads {}; read a file as one of them with --input-format FORMAT (`banscan formats` lists every format), leave it out with --exclude GLOB, or list unread evidence without failing with --allow-unread\n",
            crate::input::registry::read_names().join(", ")
        );
    }
    for i in report.inputs.iter() {
        if let Some(s) = &i.skipped {
            let _ = writeln!(
                out,
                "note: {}: {} passed over (fit no shape of {}); the first, line {}: {}",
                neutralise(&i.path),
                records(s.count),
                i.format.as_deref().unwrap_or("the format"),
                s.first.line.unwrap_or(0),
                neutralise(&s.first.message)
            );
        }
        if !i.ignored_columns.is_empty() {
            let _ = writeln!(
                out,
                "note: {}: ignored columns: {}",
                neutralise(&i.path),
                neutralise(&ignored_columns(&i.ignored_columns))
            );
        }
        for w in &i.warnings {
            // `path:line:` where there is a line, `path:` for the whole file.
            let line = w.line.map(|l| format!("{l}:")).unwrap_or_default();
            let _ = writeln!(
                out,
                "warning: {}:{line} {}",
                neutralise(&i.path),
                neutralise(&w.message)
            );
        }
    }
    for i in report.inputs.iter().filter(|i| i.state == InputState::Read) {
        if i.blocked > 0 {
            let _ = writeln!(
                out,
                "note: {}: {} blocked there (sent to 0.0.0.0 or loopback, refused by the resolver, or under a deny rule), so not uses",
                neutralise(&i.path),
                if i.blocked == 1 {
                    "1 banned name is".to_string()
                } else {
                    format!("{} banned names are", i.blocked)
                }
            );
        } else if i.items == 0 {
            let _ = writeln!(
                out,
                "note: {} was read but holds no items",
                neutralise(&i.path)
            );
        }
    }
    // Folders left out are few and may hide much: each is named.
    for i in report
        .inputs
        .iter()
        .filter(|i| i.state == InputState::Excluded && i.path.ends_with('/'))
    {
        let _ = writeln!(
            out,
            "excluded: {} — {}",
            neutralise(&i.path),
            neutralise(i.reason.as_deref().unwrap_or(""))
        );
    }
    let f = &report.summary.files;
    if f.not_evidence + f.excluded > 0 {
        let _ = writeln!(
            out,
            "Passed over {} not evidence and {} excluded (--format json lists each with its reason).",
            files(f.not_evidence as usize),
            files(f.excluded as usize)
        );
    }
    out.push('\n');
}

/// Columns named in a note before the rest are counted: an export of
/// sixty columns must not make a sixty-name line.
const IGNORED_COLUMNS_SHOWN: usize = 8;

/// `A, B, C`, or the first [`IGNORED_COLUMNS_SHOWN`] and `and N more`.
fn ignored_columns(headers: &[String]) -> String {
    let mut text = headers
        .iter()
        .take(IGNORED_COLUMNS_SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(more) = headers
        .len()
        .checked_sub(IGNORED_COLUMNS_SHOWN)
        .filter(|n| *n > 0)
    {
        let _ = write!(text, " and {more} more");
    }
    text
}

fn files(n: usize) -> String {
    if n == 1 {
        "1 file".into()
    } else {
        format!("{n} files")
    }
}

fn records(n: u64) -> String {
    if n == 1 {
        "1 record".into()
    } else {
        format!("{n} records")
    }
}

/// The closing lines: counts by state, and who the policies were
/// selected for.
pub fn summary_line(report: &Report) -> String {
    let s = &report.summary;
    let f = &s.files;
    let mut out = format!(
        "banscan: {} finding{} (ban {}, restrict {}, advisory {}{}; {} waived) in {} read ({} item{}); {} unread evidence, {} not evidence, {} excluded\n",
        s.findings,
        if s.findings == 1 { "" } else { "s" },
        s.by_severity.ban,
        s.by_severity.restrict,
        s.by_severity.advisory,
        match s.by_severity.phase_out {
            0 => String::new(),
            n => format!(", phase-out {n}"),
        },
        s.waived,
        files(f.read as usize),
        s.items,
        if s.items == 1 { "" } else { "s" },
        f.unread,
        f.not_evidence,
        f.excluded,
    );
    let d = &s.devices;
    if d.affected > 0 {
        let products: Vec<String> = d
            .by_product
            .iter()
            .map(|(product, n)| format!("{product} {n}"))
            .collect();
        let _ = writeln!(
            out,
            "         {} affected{}",
            plural(usize::try_from(d.affected).unwrap_or(usize::MAX), "device"),
            if products.is_empty() {
                String::new()
            } else {
                format!(" (by product: {})", products.join(", "))
            }
        );
    }
    if let Some(c) = d.counted_by_exports {
        let range = if c.at_least == c.at_most {
            c.at_most.to_string()
        } else {
            format!("{}–{}", c.at_least, c.at_most)
        };
        let _ = writeln!(
            out,
            "         {range} device{} counted by exports that name none (not in the affected count)",
            if c.at_most == 1 { "" } else { "s" }
        );
    }
    for p in &report.profiles {
        let who = if p.unrestricted {
            "no jurisdiction, sector or organisation narrowed them: every policy in force applies"
                .to_string()
        } else {
            let mut parts = Vec::new();
            if let Some(o) = &p.organization {
                parts.push(o.clone());
            }
            if let Some(j) = &p.jurisdiction {
                parts.push(format!("jurisdiction {j}"));
            }
            if !p.sectors.is_empty() {
                parts.push(format!("sectors {}", p.sectors.join(", ")));
            }
            parts.join("; ")
        };
        let whose = match &p.path {
            Some(path) => format!("profile {}", neutralise(path)),
            None => "no profile".to_string(),
        };
        let _ = writeln!(
            out,
            "         {whose}: {} polic{} applied as of {} ({who})",
            p.applied.len(),
            if p.applied.len() == 1 { "y" } else { "ies" },
            report.as_of,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long list of ignored headers is cut after the first few, counted.
    #[test]
    fn ignored_columns_are_capped() {
        let names = |n: usize| (1..=n).map(|i| format!("C{i}")).collect::<Vec<_>>();
        assert_eq!(ignored_columns(&names(2)), "C1, C2");
        assert_eq!(ignored_columns(&names(8)), "C1, C2, C3, C4, C5, C6, C7, C8");
        assert_eq!(
            ignored_columns(&names(11)),
            "C1, C2, C3, C4, C5, C6, C7, C8 and 3 more"
        );
    }

    /// A Zeek-style tab-separated line with escapes in it: shown neutralised,
    /// with the underline starting under the matched host.
    #[test]
    fn the_underline_stays_under_the_match() {
        let line = "1717000000.1\tCk1\t10.0.0.5\t\u{1b}[2J\t53\tchat.deepseek.com\tA";
        let at = line.find("deepseek").unwrap();
        let problem = on_evidence(
            Problem::error(Code::BannedEndpoint, "endpoint"),
            "dns\u{7}.log",
            7,
            (u32::try_from(at + 1).unwrap(), 12),
            line,
            "matches deepseek.com",
        );
        let shown = Renderer::new(false).render(&problem);
        assert!(!shown.contains(['\u{1b}', '\u{7}', '\t']), "{shown}");
        assert!(shown.contains("[dns\\x07.log:7:"), "{shown}");
        let lines: Vec<&str> = shown.lines().collect();
        let i = lines.iter().position(|l| l.starts_with(" 7 │ ")).unwrap();
        let chars_before = |l: &str, b: usize| l[..b].chars().count();
        let host = chars_before(lines[i], lines[i].find("deepseek").unwrap());
        let underline = chars_before(lines[i + 1], lines[i + 1].find('─').unwrap());
        assert_eq!(underline, host, "\n{}", shown);
    }
}
