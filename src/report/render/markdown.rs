//! `--format markdown`: a report for a pull-request comment or a GitHub
//! step summary (`>> $GITHUB_STEP_SUMMARY`).
//!
//! A verdict line, a table of the policies with findings, then the
//! findings by policy with the citation once in each policy's heading,
//! then unread evidence, upcoming policies and notices. A comment on
//! GitHub holds at most 65,536 characters, so the findings listed stop at
//! [`LIST_MAX`] or when the text nears that limit, with a count of the
//! rest; the JSON or HTML report has them all.
//!
//! Everything from the report is untrusted (an app name can be
//! `<script>` or `](http://x)`): names, paths and identifiers go into code
//! spans, which GitHub shows literally and never turns into mentions or
//! links; prose (titles, legal bases, reasons) has every character
//! Markdown or GitHub gives a meaning escaped.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::Render;
use super::escape::neutralise;
use crate::input::problem::keep_start;
use crate::policy::Severity;
use crate::report::{Finding, InputState, PolicyEntry, Report};

pub struct Markdown;

/// Findings listed at most; the rest are counted.
pub const LIST_MAX: usize = 50;
/// GitHub's limit on a comment, in characters.
pub const GITHUB_COMMENT_MAX: usize = 65_536;
/// Bytes after which no more findings are listed: what follows (the
/// count, unread evidence, upcoming policies, notices; each capped) fits
/// in the rest of [`GITHUB_COMMENT_MAX`].
const FINDINGS_BUDGET: usize = 45_000;
/// Entries listed at most in each of the closing sections.
const SECTION_MAX: usize = 20;
/// Bytes kept of one value from the report.
const VALUE_MAX: usize = 300;
/// Bytes kept of a policy's prose (legal basis, remediation).
const PROSE_MAX: usize = 1_000;

impl Render for Markdown {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(render(report).as_bytes())
    }
}

/// The whole report as Markdown, within [`GITHUB_COMMENT_MAX`] characters.
pub fn render(report: &Report) -> String {
    let mut md = String::new();
    title(report, &mut md);
    summary_table(report, &mut md);
    findings(report, &mut md);
    unread(report, &mut md);
    upcoming(report, &mut md);
    notices(report, &mut md);
    within_limit(md)
}

fn title(report: &Report, md: &mut String) {
    let s = &report.summary;
    let by = &s.by_severity;
    let counted = by.ban + by.restrict + by.advisory;
    let (mark, verdict) = if by.ban + by.restrict > 0 {
        ("❌", format!("{} to fix", plural(counted, "finding")))
    } else if counted + by.phase_out > 0 {
        // Advisories (not-enforceable findings among them) and phase-outs
        // fail nothing by default: a warning, saying which.
        let mut parts = Vec::new();
        if counted > 0 {
            parts.push(format!("{} (advisory)", plural(counted, "finding")));
        }
        if by.phase_out > 0 {
            parts.push(format!(
                "{} in a phase-out",
                plural(by.phase_out, "finding")
            ));
        }
        ("⚠️", parts.join(", "))
    } else if s.files.unread > 0 {
        (
            "⚠️",
            format!(
                "no findings, but {} of evidence not read",
                plural(s.files.unread, "file")
            ),
        )
    } else {
        ("✅", "no findings to fix".to_string())
    };
    let _ = writeln!(md, "## {mark} banscan: {verdict}\n");
    let mut facts = vec![
        format!(
            "ban {}, restrict {}, advisory {}{}",
            by.ban,
            by.restrict,
            by.advisory,
            match by.phase_out {
                0 => String::new(),
                n => format!(", phase-out {n}"),
            }
        ),
        format!("{} waived", s.waived),
    ];
    if s.baseline > 0 {
        facts.push(format!("{} in the baseline", s.baseline));
    }
    facts.push(format!(
        "{} read ({}), {} unread",
        plural(s.files.read, "file"),
        plural(s.items, "item"),
        s.files.unread
    ));
    facts.push(format!("as of {}", text(&report.as_of)));
    facts.push(format!("banscan {}", text(&report.tool.version)));
    for set in &report.policy_sets {
        facts.push(format!(
            "policy set {} sha256 {}",
            code(&set.source, Place::Line),
            code(&set.sha256, Place::Line)
        ));
    }
    let _ = writeln!(md, "{}\n", facts.join(" · "));
}

/// A row per policy with findings, waived ones included.
fn summary_table(report: &Report, md: &mut String) {
    let applied: Vec<&PolicyEntry> = report.policies.iter().filter(|p| p.applied).collect();
    let rows: Vec<(&PolicyEntry, usize, usize)> = applied
        .iter()
        .map(|p| {
            let of: Vec<&Finding> = report
                .findings
                .iter()
                .filter(|f| f.policy == p.id)
                .collect();
            let waived = of.iter().filter(|f| f.waiver.is_some()).count();
            (*p, of.len() - waived, waived)
        })
        .filter(|(_, open, waived)| open + waived > 0)
        .collect();
    if rows.is_empty() {
        let _ = writeln!(
            md,
            "No findings under the {} applied.\n",
            plural(applied.len() as u64, "policy")
        );
        return;
    }
    md.push_str("| Policy | Authority | Severity | Findings | Waived |\n");
    md.push_str("| --- | --- | --- | ---: | ---: |\n");
    for (p, open, waived) in &rows {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {open} | {waived} |",
            code(&p.id, Place::Table),
            text(&p.authority),
            p.severity.as_str()
        );
    }
    let clean = applied.len() - rows.len();
    if clean > 0 {
        let _ = writeln!(
            md,
            "\n{} applied had no findings.",
            plural(clean as u64, "more policy")
        );
    }
    md.push('\n');
}

/// The findings by policy: the citation once, then a row per finding,
/// the ones that fail first; listing stops at [`LIST_MAX`] findings or
/// [`FINDINGS_BUDGET`] bytes.
fn findings(report: &Report, md: &mut String) {
    let mut listed = 0;
    for policy in report.policies.iter().filter(|p| p.applied) {
        let mut of: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.policy == policy.id)
            .collect();
        if of.is_empty() {
            continue;
        }
        if listed >= LIST_MAX || md.len() >= FINDINGS_BUDGET {
            break;
        }
        // New findings first (phase-outs and not-enforceable ones after
        // those that fail), then baseline, then waived: what to fix
        // survives the truncation.
        of.sort_by_key(|f| {
            (
                f.waiver.is_some(),
                f.baseline,
                f.phase_out() || super::not_enforceable(f),
            )
        });
        heading(policy, md);
        md.push_str("| Location | What | Product | Count | Status |\n");
        md.push_str("| --- | --- | --- | ---: | --- |\n");
        for f in of {
            if listed >= LIST_MAX || md.len() >= FINDINGS_BUDGET {
                break;
            }
            row(f, md);
            listed += 1;
        }
        md.push('\n');
    }
    let rest = report.findings.len() - listed;
    if rest > 0 {
        let _ = writeln!(
            md,
            "… and {} (not listed here: the JSON or HTML report has them all).\n",
            plural(rest as u64, "more finding")
        );
    }
}

fn heading(p: &PolicyEntry, md: &mut String) {
    let _ = writeln!(md, "### {}: {}\n", code(&p.id, Place::Line), text(&p.title));
    let _ = writeln!(
        md,
        "**Authority:** {} · **Severity:** {} · **Effective:** {}  ",
        text(&p.authority),
        p.severity.as_str(),
        text(&p.effective)
    );
    let basis = match &p.instrument {
        Some(i) => format!("{} ({})", prose(&p.legal_basis), prose(i)),
        None => prose(&p.legal_basis),
    };
    let _ = write!(md, "**Legal basis:** {basis}");
    if let Some(s) = &p.source {
        let title = text(&s.title);
        let shown = match s.url.as_deref().and_then(safe_url) {
            Some(url) => format!("[{title}](<{url}>)"),
            None => title,
        };
        let _ = write!(md, "  \n**Source:** {shown}, {}", text(&s.publisher));
    }
    if let Some(r) = &p.remediation {
        let _ = write!(md, "  \n**Remediation:** {}", prose(r.trim()));
    }
    md.push_str("\n\n");
}

/// The status of a finding the timeline keeps from failing: not
/// enforceable since an event, or in a phase-out.
fn timeline_cell(f: &Finding) -> Option<String> {
    if let Some(l) = f.legal_status.as_ref().filter(|l| !l.enforceable) {
        return Some(format!(
            "not enforceable ({} since {} by {})",
            text(&l.state),
            text(&l.since),
            text(&l.by)
        ));
    }
    let d = f.deadline.as_ref()?;
    let days = if d.days_left == 1 { "day" } else { "days" };
    Some(format!(
        "phase-out until {} ({} by {}, {} {days} left)",
        text(&d.phase_out_until),
        text(&d.action),
        text(&d.date),
        d.days_left
    ))
}

fn row(f: &Finding, md: &mut String) {
    let status = match (&f.waiver, f.baseline) {
        (Some(w), _) => format!(
            "waived: {} (approved by {}, expires {})",
            text(&w.reason),
            text(&w.approved_by),
            text(&w.expires)
        ),
        (None, true) => "baseline".to_string(),
        (None, false) => match timeline_cell(f) {
            Some(cell) => cell,
            None if f.severity == Severity::Advisory => "**advisory**".to_string(),
            None => "**fails**".to_string(),
        },
    };
    let _ = writeln!(
        md,
        "| {} | {} | {} | {} | {status} |",
        code(
            &format!("{}:{}", f.location.path, f.location.line),
            Place::Table
        ),
        code(&f.item.describe(), Place::Table),
        code(f.product.as_deref().unwrap_or(&f.identifier), Place::Table),
        f.count,
    );
}

fn unread(report: &Report, md: &mut String) {
    let unread: Vec<_> = report
        .inputs
        .iter()
        .filter(|i| i.state == InputState::Unread)
        .collect();
    if unread.is_empty() {
        return;
    }
    md.push_str("### Unread evidence\n\n");
    for i in unread.iter().take(SECTION_MAX) {
        let _ = write!(md, "- {}", code(&i.path, Place::Line));
        if let Some(format) = &i.format {
            let _ = write!(md, " ({})", code(format, Place::Line));
        }
        if let Some(reason) = &i.reason {
            let _ = write!(md, ": {}", text(reason));
        }
        md.push('\n');
    }
    more(unread.len(), "file", md);
}

fn upcoming(report: &Report, md: &mut String) {
    let upcoming: Vec<_> = report.policies.iter().filter(|p| p.upcoming).collect();
    if upcoming.is_empty() {
        return;
    }
    md.push_str("### Upcoming policies\n\n");
    for p in upcoming.iter().take(SECTION_MAX) {
        let _ = writeln!(
            md,
            "- {}: {} ({}), effective {}",
            code(&p.id, Place::Line),
            text(&p.title),
            text(&p.authority),
            text(&p.effective)
        );
    }
    more(upcoming.len(), "policy", md);
}

fn notices(report: &Report, md: &mut String) {
    if report.notices.is_empty() {
        return;
    }
    md.push_str("### Notices\n\n");
    for n in report.notices.iter().take(SECTION_MAX) {
        let _ = writeln!(md, "- {}", text(&n.message));
    }
    more(report.notices.len(), "notice", md);
}

/// The count of a section's entries past [`SECTION_MAX`], and the blank
/// line that ends the section.
fn more(total: usize, what: &str, md: &mut String) {
    if total > SECTION_MAX {
        let _ = writeln!(
            md,
            "- … and {} more",
            plural((total - SECTION_MAX) as u64, what)
        );
    }
    md.push('\n');
}

/// `md` cut at a line end if it still exceeds GitHub's limit (it would
/// take policies with pages of prose), saying so.
fn within_limit(md: String) -> String {
    const NOTE: &str = "\n… cut at GitHub's comment limit: the JSON or HTML report has it all.\n";
    if md.chars().count() <= GITHUB_COMMENT_MAX {
        return md;
    }
    let mut end = GITHUB_COMMENT_MAX - NOTE.len() - 4;
    while !md.is_char_boundary(end) {
        end -= 1;
    }
    let end = md[..end].rfind('\n').map_or(end, |i| i + 1);
    let mut cut = md[..end].to_string();
    cut.push_str(NOTE);
    cut
}

fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        return format!("1 {word}");
    }
    match word.strip_suffix('y') {
        Some(stem) => format!("{n} {stem}ies"),
        None => format!("{n} {word}s"),
    }
}

/// Where a code span stands: in a table a `|` must be escaped even inside
/// one (GitHub splits cells first), elsewhere the backslash would show.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Table,
    Line,
}

/// `value` as a code span: shown literally (no HTML, links, mentions or
/// emphasis), with a fence longer than any run of backticks in it, and
/// control characters shown as escapes so it stays on its line.
fn code(value: &str, place: Place) -> String {
    let value = neutralise(&keep_start(value, VALUE_MAX)).into_owned();
    if value.is_empty() {
        return "-".into();
    }
    let value = match place {
        Place::Table => value.replace('|', "\\|"),
        Place::Line => value,
    };
    let mut longest = 0;
    let mut run = 0;
    for c in value.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if value.starts_with(['`', ' ']) || value.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{value}{pad}{fence}")
}

/// `value` as Markdown text, at most [`VALUE_MAX`] bytes of it.
fn text(value: &str) -> String {
    escape_text(&keep_start(value, VALUE_MAX))
}

/// A policy's prose, at most [`PROSE_MAX`] bytes.
fn prose(value: &str) -> String {
    escape_text(&keep_start(value, PROSE_MAX))
}

/// Text with every character that means something to Markdown, GitHub's
/// extensions (autolinks, mentions, references, emoji, math) or HTML
/// escaped, and control characters shown as escapes.
fn escape_text(value: &str) -> String {
    let value = neutralise(value);
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' | '@' | ':' | '$' | '.'
            | '(' | ')' | '{' | '}' | '+' | '-' | '=' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A source URL fit for a link: http or https only (never `javascript:`),
/// as the `url` crate writes it, with no character that could end the
/// `<...>` destination.
fn safe_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    let s = parsed.as_str();
    (!s.contains(['<', '>', '\n', '\r', ' ', '\\'])).then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A code span outlasts the backticks inside it, and in a table its
    /// pipes cannot split the cell.
    #[test]
    fn code_spans_hold_any_value() {
        assert_eq!(code("a`b", Place::Line), "``a`b``");
        assert_eq!(code("`x", Place::Line), "`` `x ``");
        assert_eq!(code("a|b", Place::Table), "`a\\|b`");
        assert_eq!(code("a|b", Place::Line), "`a|b`");
        assert_eq!(code("line\nforged", Place::Line), "`line\\nforged`");
        assert_eq!(code("", Place::Table), "-");
    }

    /// Markup, links, HTML and GitHub references come out inert.
    #[test]
    fn text_escapes_what_markdown_reads() {
        assert_eq!(
            escape_text("<b>*x*](http://y) @me #1|"),
            "&lt;b&gt;\\*x\\*\\]\\(http\\://y\\) \\@me \\#1\\|"
        );
    }

    #[test]
    fn only_web_urls_are_linked() {
        assert_eq!(
            safe_url("https://example.org/a b").as_deref(),
            Some("https://example.org/a%20b")
        );
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("not a url"), None);
    }

    /// The last resort cuts at a line end and says so.
    #[test]
    fn an_overlong_report_is_cut_with_a_note() {
        let md = format!("{}\n", "x".repeat(100)).repeat(1_000);
        let cut = within_limit(md);
        assert!(cut.chars().count() <= GITHUB_COMMENT_MAX);
        let (kept, note) = cut.split_once("\n\n").expect("the note after a blank line");
        assert!(kept.lines().all(|l| l.len() == 100), "cut inside a line");
        assert_eq!(
            note,
            "… cut at GitHub's comment limit: the JSON or HTML report has it all.\n"
        );
    }

    #[test]
    fn plurals() {
        assert_eq!(plural(1, "policy"), "1 policy");
        assert_eq!(plural(3, "policy"), "3 policies");
        assert_eq!(plural(0, "finding"), "0 findings");
    }
}
