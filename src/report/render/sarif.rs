//! `--format sarif`: SARIF 2.1.0, the format GitHub code scanning and other
//! SARIF viewers import. One rule per policy with findings, carrying its
//! citation (a reviewer on GitHub sees the law, not only a rule id), and
//! one result per finding pointing at its evidence line.
//!
//! What GitHub reads (see FORMATS.md): rule descriptions and help, the
//! default level, `security-severity` and tags; a result's level, message,
//! first location and `partialFingerprints.primaryLocationLineHash`, which
//! it uses to follow an alert across commits. Everything else banscan knows
//! (device, waiver approver, occurrences) goes into property bags, which
//! SARIF allows on every object.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::Render;
use super::escape::neutralise;
use crate::policy::Severity;
use crate::report::{
    DeadlineInfo, Evidence, Finding, InputState, ItemInfo, LegalStatusInfo, Location, Notice,
    PolicyEntry, PolicySetInfo, Report,
};

/// The OASIS schema the output validates against (its own `id`).
const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

pub struct Sarif;

impl Render for Sarif {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &log(report)).map_err(io::Error::other)?;
        out.write_all(b"\n")
    }
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: [Invocation; 1],
    automation_details: AutomationDetails,
    /// Columns count UTF-16 code units, as GitHub and SARIF's default do.
    column_kind: &'static str,
    results: Vec<SarifResult>,
    properties: RunProperties,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

/// banscan itself. No `informationUri`: the project has no published
/// address yet, and an invented one would send readers astray.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: String,
    version: String,
    semantic_version: String,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

impl Text {
    fn new(text: impl Into<String>) -> Text {
        Text { text: text.into() }
    }
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleProperties {
    tags: Vec<String>,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    severity: Severity,
    authority: String,
    jurisdiction: String,
    effective: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [ResultLocation; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<ResultLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    baseline_state: &'static str,
    occurrence_count: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: ResultProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context_region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text>,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
    properties: WaiverProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WaiverProperties {
    approved_by: String,
    expires: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    /// The finding's own severity: an unconfirmed identifier lowers it
    /// below its policy's.
    severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    product: Option<String>,
    identifier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<crate::policy::Confidence>,
    /// The item as the JSON report has it: device, host, client, version...
    item: ItemInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_seen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_seen: Option<String>,
    /// The status event deciding the finding on the scan's day.
    #[serde(skip_serializing_if = "Option::is_none")]
    legal_status: Option<LegalStatusInfo>,
    /// The next compliance date while a phase-out runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    deadline: Option<DeadlineInfo>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_time_utc: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_time_utc: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_configuration_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    descriptor: Descriptor,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<ResultLocation>,
}

#[derive(Serialize)]
struct Descriptor {
    id: String,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties {
    as_of: String,
    policy_sets: Vec<PolicySetInfo>,
}

fn log(report: &Report) -> Log {
    let policies = policies_with_findings(report);
    let rules = policies.iter().map(rule).collect();
    let results = report
        .findings
        .iter()
        .map(|f| {
            let index = policies.iter().position(|p| p.id == f.policy);
            result(f, index.unwrap_or(0))
        })
        .collect();
    Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: report.tool.name.clone(),
                    version: report.tool.version.clone(),
                    semantic_version: report.tool.version.clone(),
                    rules,
                },
            },
            invocations: [invocation(report)],
            automation_details: AutomationDetails {
                // GitHub reads what precedes the last `/` as the analysis
                // category, which must stay the same from run to run for
                // alerts to be followed; the rest names this run.
                id: format!("banscan/{}", report.run.started),
            },
            column_kind: "utf16CodeUnits",
            results,
            properties: RunProperties {
                as_of: report.as_of.clone(),
                policy_sets: report.policy_sets.clone(),
            },
        }],
    }
}

/// The policies that have findings, in the report's order, each once; a
/// finding whose policy the report does not describe (a hand-edited or
/// merged report) gets a rule that only names it.
fn policies_with_findings(report: &Report) -> Vec<PolicyEntry> {
    let mut rules: Vec<PolicyEntry> = report
        .policies
        .iter()
        .filter(|p| report.findings.iter().any(|f| f.policy == p.id))
        .cloned()
        .collect();
    for f in &report.findings {
        if !rules.iter().any(|p| p.id == f.policy) {
            rules.push(bare_policy(f));
        }
    }
    rules
}

fn bare_policy(f: &Finding) -> PolicyEntry {
    PolicyEntry {
        id: f.policy.clone(),
        title: f.policy.clone(),
        authority: "unknown".into(),
        jurisdiction: "unknown".into(),
        severity: f.severity,
        legal_basis: "not recorded in the report".into(),
        instrument: None,
        effective: "unknown".into(),
        source: None,
        remediation: None,
        applied: true,
        reason: None,
        upcoming: false,
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Ban => "error",
        Severity::Restrict => "warning",
        Severity::Advisory => "note",
    }
}

/// GitHub ranks security alerts by `security-severity` (a CVSS-like score:
/// over 9.0 critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, 0.1 to 3.9 low).
/// A ban is law in force, so critical; a restriction medium; an advisory
/// low. The numbers are banscan's choice, not a CVSS score of any product.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Ban => "9.5",
        Severity::Restrict => "6.0",
        Severity::Advisory => "3.0",
    }
}

fn rule(p: &PolicyEntry) -> Rule {
    let what = match p.severity {
        Severity::Ban => "Ban",
        Severity::Restrict => "Restriction",
        Severity::Advisory => "Advisory",
    };
    let full = format!(
        "{what} by {} ({}), under {}{}; effective {}.",
        p.authority,
        p.jurisdiction,
        p.legal_basis,
        p.instrument
            .as_deref()
            .map(|i| format!(" ({i})"))
            .unwrap_or_default(),
        p.effective,
    );
    Rule {
        id: p.id.clone(),
        name: rule_name(&p.title),
        short_description: Text::new(p.title.clone()),
        full_description: Text::new(full),
        help: help(p),
        help_uri: p.source.as_ref().and_then(|s| s.url.clone()),
        default_configuration: Configuration {
            level: level(p.severity),
        },
        properties: RuleProperties {
            // GitHub shows `security-severity` only on rules tagged
            // `security`.
            tags: vec![
                "security".into(),
                "compliance".into(),
                p.severity.as_str().into(),
                p.jurisdiction.clone(),
            ],
            security_severity: security_severity(p.severity),
            severity: p.severity,
            authority: p.authority.clone(),
            jurisdiction: p.jurisdiction.clone(),
            effective: p.effective.clone(),
        },
    }
}

/// The rule's `name`: SARIF wants an identifier readable by people, without
/// spaces, so the title in UpperCamelCase (`Ban on DeepSeek apps` →
/// `BanOnDeepSeekApps`).
fn rule_name(title: &str) -> String {
    let mut name = String::with_capacity(title.len());
    for word in title.split(|c: char| !c.is_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.extend(first.to_uppercase());
            name.extend(chars);
        }
    }
    name
}

/// The rule's help: the citation and what to do, as plain text and as
/// Markdown (GitHub shows the Markdown).
fn help(p: &PolicyEntry) -> Help {
    let mut text = format!("Legal basis: {}", p.legal_basis);
    let mut markdown = format!("**Legal basis:** {}", md(&p.legal_basis));
    if let Some(i) = &p.instrument {
        text.push_str(&format!("\nInstrument: {i}"));
        markdown.push_str(&format!("\n\n**Instrument:** {}", md(i)));
    }
    text.push_str(&format!(
        "\nAuthority: {} ({}); effective {}",
        p.authority, p.jurisdiction, p.effective
    ));
    markdown.push_str(&format!(
        "\n\n**Authority:** {} ({}); effective {}",
        md(&p.authority),
        md(&p.jurisdiction),
        md(&p.effective)
    ));
    if let Some(s) = &p.source {
        text.push_str(&format!("\nSource: {}, {}", s.title, s.publisher));
        let title = md(&s.title);
        let cited = match &s.url {
            Some(url) => {
                text.push_str(&format!(", {url}"));
                format!("[{title}](<{}>)", url.replace(['<', '>'], ""))
            }
            None => title,
        };
        markdown.push_str(&format!("\n\n**Source:** {cited}, {}", md(&s.publisher)));
    }
    if let Some(r) = &p.remediation {
        text.push_str(&format!("\nRemediation: {r}"));
        markdown.push_str(&format!("\n\n**Remediation:** {}", md(r)));
    }
    Help { text, markdown }
}

/// `text` with the characters Markdown would read as markup escaped, so a
/// policy's wording shows as written.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn result(f: &Finding, rule_index: usize) -> SarifResult {
    let mut related = Vec::new();
    if let Some(last) = &f.last_location {
        related.push(ResultLocation {
            id: Some(related.len() + 1),
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri(&last.path),
                },
                region: line_region(last),
                context_region: None,
            },
            message: Some(Text::new(format!("the last of {} occurrences", f.count))),
        });
    }
    if let Some(d) = &f.declared {
        related.push(ResultLocation {
            id: Some(related.len() + 1),
            physical_location: evidence_location(&d.location, &d.evidence),
            message: Some(Text::new(neutralise(&format!(
                "the direct dependency {} is declared here",
                d.dependency
            )))),
        });
    }
    SarifResult {
        rule_id: f.policy.clone(),
        rule_index,
        level: result_level(f),
        message: Text::new(message(f)),
        locations: [ResultLocation {
            id: None,
            physical_location: evidence_location(&f.location, &f.evidence),
            message: None,
        }],
        related_locations: related,
        partial_fingerprints: BTreeMap::from([
            // GitHub's own hashes are 16 hex digits and an occurrence
            // number; ours come from what was found, not the line's text,
            // so an alert survives edits around it.
            (
                "primaryLocationLineHash",
                format!("{}:1", &f.fingerprint[..f.fingerprint.len().min(16)]),
            ),
            ("banscan/v1", f.fingerprint.clone()),
        ]),
        baseline_state: if f.baseline { "unchanged" } else { "new" },
        occurrence_count: f.count.max(1),
        suppressions: f
            .waiver
            .iter()
            .map(|w| Suppression {
                kind: "external",
                status: "accepted",
                justification: w.reason.clone(),
                properties: WaiverProperties {
                    approved_by: w.approved_by.clone(),
                    expires: w.expires.clone(),
                },
            })
            .collect(),
        properties: ResultProperties {
            severity: f.severity,
            product: f.product.clone(),
            identifier: f.identifier.clone(),
            confidence: f.confidence,
            item: f.item.clone(),
            first_seen: f.first_seen.clone(),
            last_seen: f.last_seen.clone(),
            legal_status: f.legal_status.clone(),
            deadline: f.deadline.clone(),
        },
    }
}

/// A phase-out finding is not yet due, so at most a warning: a code
/// scanning gate on errors must not fail on it. A not-enforceable one is
/// an advisory already, hence a note.
fn result_level(f: &Finding) -> &'static str {
    if f.phase_out() && f.severity == Severity::Ban {
        "warning"
    } else {
        level(f.severity)
    }
}

/// What was found, by which policy, and how often. Values from the
/// evidence have their control and bidirectional characters escaped: a
/// viewer shows this text to people.
fn message(f: &Finding) -> String {
    let mut text = f.item.describe();
    if let Some(p) = &f.product {
        text.push_str(&format!(" (product {p})"));
    }
    text.push_str(&format!(
        " is {} by {} (matches {})",
        match f.severity {
            Severity::Ban => "banned",
            Severity::Restrict => "restricted",
            Severity::Advisory => "advised against",
        },
        f.policy,
        f.identifier
    ));
    if f.count > 1 {
        text.push_str(&format!("; {} occurrences", f.count));
        if let Some(last) = &f.last_location {
            if last.path == f.location.path {
                text.push_str(&format!(", the last at line {}", last.line));
            } else {
                text.push_str(&format!(", the last at {}:{}", last.path, last.line));
            }
        }
    }
    if let (Some(first), Some(last)) = (&f.first_seen, &f.last_seen) {
        text.push_str(&format!("; seen {first} to {last}"));
    }
    if let Some(status) = super::timeline_status(f) {
        text.push_str(&format!("; {status}"));
    }
    if let Some(w) = &f.waiver {
        text.push_str(&format!("; waived until {}", w.expires));
    }
    text.push('.');
    neutralise(&text).into_owned()
}

/// The evidence's file and region: the matched part of the line when the
/// report kept the line whole (so its columns can be counted), else the
/// line alone.
fn evidence_location(at: &Location, evidence: &Evidence) -> PhysicalLocation {
    let span = span_columns(evidence);
    let (region, context_region) = match (line_region(at), span) {
        (Some(mut region), Some(span)) => {
            region.start_column = Some(span.start);
            region.end_column = Some(span.end);
            region.snippet = Some(Text::new(span.matched));
            let context = Region {
                start_line: at.line,
                start_column: None,
                end_column: None,
                snippet: Some(Text::new(evidence.text.clone())),
            };
            (Some(region), Some(context))
        }
        (region, _) => (region, None),
    };
    PhysicalLocation {
        artifact_location: ArtifactLocation { uri: uri(&at.path) },
        region,
        context_region,
    }
}

/// A location's line, when it has one (line numbers start at 1).
fn line_region(at: &Location) -> Option<Region> {
    (at.line > 0).then_some(Region {
        start_line: at.line,
        start_column: None,
        end_column: None,
        snippet: None,
    })
}

/// Where the match is on its line, in UTF-16 columns (1-based, the end
/// exclusive).
#[derive(Debug, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
    matched: String,
}

/// The match's columns, counted from the evidence text when it is the
/// whole line. A long line is kept as a window that opens with a cut
/// marker (`[… 1200 bytes]`); what was cut is unknown, so its columns
/// are too, and the region is then the line alone.
fn span_columns(evidence: &Evidence) -> Option<Span> {
    let text = &evidence.text;
    if text.starts_with("[… ") {
        return None;
    }
    let start = (evidence.column as usize).checked_sub(1)?;
    let end = start.checked_add(evidence.len as usize)?;
    let (before, matched) = (text.get(..start)?, text.get(start..end)?);
    if matched.is_empty() {
        return None;
    }
    let utf16 = |s: &str| s.encode_utf16().count();
    let start_column = utf16(before) + 1;
    Some(Span {
        start: start_column,
        end: start_column + utf16(matched),
        matched: matched.to_string(),
    })
}

/// A report path as a URI reference: forward slashes, no leading `./`,
/// percent-encoded. Relative paths stay relative, which GitHub resolves
/// against the repository root (scan from it); absolute ones become
/// `file://` URIs.
fn uri(path: &str) -> String {
    let mut path = path.replace('\\', "/");
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.to_string();
    }
    let drive = path.len() >= 3
        && path.as_bytes()[0].is_ascii_alphabetic()
        && &path.as_bytes()[1..3] == b":/";
    if drive {
        format!("file:///{}{}", &path[..2], encode(&path[2..]))
    } else if path.starts_with('/') {
        format!("file://{}", encode(&path))
    } else {
        encode(&path)
    }
}

/// Percent-encodes every byte but unreserved characters and `/`: a `:` in
/// a relative path would otherwise read as a scheme, and a space, `#` or
/// `?` would end the path.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn invocation(report: &Report) -> Invocation {
    let unread: Vec<Notification> = report
        .inputs
        .iter()
        .filter(|i| i.state == InputState::Unread)
        .map(|i| Notification {
            descriptor: Descriptor {
                id: "unread-evidence".into(),
            },
            level: "error",
            message: Text::new(neutralise(&format!(
                "{} was not read: {}",
                i.path,
                i.reason.as_deref().unwrap_or("no reason recorded")
            ))),
            locations: vec![file_location(&i.path, 0)],
        })
        .collect();
    let (start, end) = times(&report.run);
    Invocation {
        // Unread evidence fails a scan: its files were not checked.
        execution_successful: unread.is_empty(),
        start_time_utc: start,
        end_time_utc: end,
        tool_execution_notifications: unread,
        tool_configuration_notifications: report.notices.iter().map(notice).collect(),
    }
}

/// A notice about the rules (an expired or unused waiver), at its place
/// in the profile or policy when it says (`path:line`).
fn notice(n: &Notice) -> Notification {
    // A built-in policy's place (`builtin:...`) is no file of the
    // repository; the message names the policy.
    let locations = n
        .location
        .as_deref()
        .filter(|at| !at.starts_with(crate::policy::builtin::PREFIX))
        .map(|at| match at.rsplit_once(':') {
            Some((path, line)) if line.parse::<u64>().is_ok() => {
                file_location(path, line.parse().unwrap_or(0))
            }
            _ => file_location(at, 0),
        })
        .into_iter()
        .collect();
    Notification {
        descriptor: Descriptor { id: n.code.clone() },
        level: "warning",
        message: Text::new(n.message.clone()),
        locations,
    }
}

fn file_location(path: &str, line: u64) -> ResultLocation {
    ResultLocation {
        id: None,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri: uri(path) },
            region: (line > 0).then_some(Region {
                start_line: line,
                start_column: None,
                end_column: None,
                snippet: None,
            }),
            context_region: None,
        },
        message: None,
    }
}

/// The run's start and end, when the report recorded them (a version 2
/// report did not).
fn times(run: &crate::report::RunInfo) -> (Option<String>, Option<String>) {
    let Ok(start) = run.started.parse::<jiff::Timestamp>() else {
        return (None, None);
    };
    let millis = i64::try_from(run.duration_ms).unwrap_or(i64::MAX);
    let end = start
        .checked_add(jiff::SignedDuration::from_millis(millis))
        .unwrap_or(start);
    (Some(start.to_string()), Some(end.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(text: &str, column: u32, len: u32) -> Evidence {
        Evidence {
            text: text.into(),
            column,
            len,
        }
    }

    /// Paths become URI references GitHub resolves against the
    /// repository: no `./`, forward slashes, reserved characters encoded,
    /// absolute paths as `file:` URIs.
    #[test]
    fn report_paths_become_uri_references() {
        assert_eq!(
            uri("examples/project/requirements.txt"),
            "examples/project/requirements.txt"
        );
        assert_eq!(uri("./././a/b.json"), "a/b.json");
        assert_eq!(
            uri("exports\\site 1\\apps#2.csv"),
            "exports/site%201/apps%232.csv"
        );
        assert_eq!(uri("c:d/x"), "c%3Ad/x");
        assert_eq!(uri("/srv/scan/x?.log"), "file:///srv/scan/x%3F.log");
        assert_eq!(uri("C:\\scans\\x.csv"), "file:///C:/scans/x.csv");
        assert_eq!(uri("données/é.txt"), "donn%C3%A9es/%C3%A9.txt");
    }

    /// Columns count UTF-16 code units and the end is exclusive; a line
    /// kept only in part has no columns.
    #[test]
    fn span_columns_count_utf16_units() {
        let s = span_columns(&evidence("langchain_deepseek==0.1.3", 1, 18)).unwrap();
        assert_eq!(
            (s.start, s.end, s.matched.as_str()),
            (1, 19, "langchain_deepseek")
        );
        // "é" is two bytes and one unit; "😀" four bytes and two units.
        let s = span_columns(&evidence("é😀,DeepSeek", 8, 8)).unwrap();
        assert_eq!((s.start, s.end, s.matched.as_str()), (5, 13, "DeepSeek"));
        assert_eq!(
            span_columns(&evidence("[… 1200 bytes]x deepseek.com", 17, 12)),
            None
        );
        assert_eq!(span_columns(&evidence("short", 9, 3)), None);
        assert_eq!(span_columns(&evidence("short", 0, 3)), None);
    }

    /// Rule names are the title's words joined, each capitalised.
    #[test]
    fn rule_names_are_upper_camel_case_titles() {
        assert_eq!(
            rule_name("Malicious DeepSeek typosquat packages on PyPI"),
            "MaliciousDeepSeekTyposquatPackagesOnPyPI"
        );
        assert_eq!(
            rule_name("Ban (2025): apps, services"),
            "Ban2025AppsServices"
        );
    }
}
