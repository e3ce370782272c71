//! What the HTML template shows, gathered from the report once: sections
//! by policy, device and evidence kind, waivers, coverage. The template
//! only lays these out, so grouping rules live in Rust where they are
//! tested, and every string here is text the template escapes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::input::Kind;
use crate::policy::Confidence;
use crate::report::render::escape::neutralise;
use crate::report::{
    DeviceCounts, Finding, InputEntry, InputState, Location, Notice, Origin, PolicyEntry,
    PolicySetInfo, Report, Summary, WaiverInfo,
};

/// Evidence kinds in the order the report lists them.
pub const KINDS: [Kind; 4] = [Kind::Package, Kind::App, Kind::Endpoint, Kind::File];

#[derive(Serialize)]
pub struct View<'r> {
    pub organizations: Vec<String>,
    pub as_of: &'r str,
    pub started: &'r str,
    pub duration: String,
    pub version: &'r str,
    pub policy_sets: &'r [PolicySetInfo],
    pub profiles: Vec<ProfileView>,
    pub origins: &'r [Origin],
    pub verdict: Verdict,
    pub summary: &'r Summary,
    pub devices_counted: &'r DeviceCounts,
    pub inputs: Vec<InputGroup<'r>>,
    pub policies: Vec<PolicySection<'r>>,
    /// Applied policies that found nothing: checked, and clean.
    pub clean_policies: Vec<&'r PolicyEntry>,
    pub devices: Vec<DeviceSection>,
    pub kinds: Vec<KindSection>,
    pub waived: Vec<FindingRow<'r>>,
    pub notices: &'r [Notice],
    pub upcoming: Vec<&'r PolicyEntry>,
    /// Not applied for another reason than a later effective date.
    pub not_applied: Vec<&'r PolicyEntry>,
}

#[derive(Serialize)]
pub struct ProfileView {
    pub path: Option<String>,
    pub organization: Option<String>,
    pub jurisdiction: Option<String>,
    pub sectors: String,
    pub applied: usize,
    pub unrestricted: bool,
}

/// The report's answer in one line, with a class for its colour.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// `fail`, `warn` or `pass`.
    pub class: &'static str,
    pub headline: String,
    pub detail: String,
}

#[derive(Serialize)]
pub struct InputGroup<'r> {
    pub state: &'static str,
    pub files: Vec<InputRow<'r>>,
}

#[derive(Serialize)]
pub struct InputRow<'r> {
    pub path: String,
    pub format: Option<&'r str>,
    pub items: u64,
    pub reason: Option<String>,
    pub problems: usize,
}

#[derive(Serialize)]
pub struct PolicySection<'r> {
    pub policy: &'r PolicyEntry,
    pub findings: Vec<FindingRow<'r>>,
    pub waived: usize,
    pub devices: u64,
}

/// One finding as a table row.
#[derive(Serialize)]
pub struct FindingRow<'r> {
    pub policy: &'r str,
    pub severity: &'static str,
    pub item: String,
    pub kind: &'static str,
    pub device: Option<String>,
    pub location: String,
    pub last_location: Option<String>,
    pub count: u64,
    /// `first – last`, for logs.
    pub seen: Option<String>,
    pub evidence: EvidenceView,
    pub waiver: Option<&'r WaiverInfo>,
    pub baseline: bool,
    pub unconfirmed: bool,
    /// A phase-out with its next deadline, or the event that makes the
    /// finding not enforceable.
    pub timeline: Option<String>,
    /// Where the manifest declares the dependency that brought it in.
    pub declared: Option<String>,
}

/// The evidence line cut around the match, so the template can mark it.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct EvidenceView {
    pub before: String,
    pub matched: String,
    pub after: String,
}

#[derive(Serialize)]
pub struct DeviceSection {
    pub name: String,
    pub items: Vec<DeviceItem>,
    pub findings: usize,
    pub waived: usize,
}

/// One item on one device, with every policy that bans it.
#[derive(Serialize)]
pub struct DeviceItem {
    pub item: String,
    pub policies: Vec<String>,
    pub locations: Vec<String>,
    pub waived: bool,
}

#[derive(Serialize)]
pub struct KindSection {
    pub kind: &'static str,
    pub findings: usize,
    pub waived: usize,
    /// Each item once, with the policies that flag it.
    pub items: Vec<KindItem>,
}

#[derive(Serialize)]
pub struct KindItem {
    pub item: String,
    pub policies: Vec<String>,
    pub location: String,
    pub count: u64,
}

/// Evidence text shown to people: control, bidirectional and invisible
/// characters escaped, so a value reads as what it is.
fn text(s: &str) -> String {
    neutralise(s).into_owned()
}

fn at(l: &Location) -> String {
    text(&format!("{}:{}:{}", l.path, l.line, l.column))
}

impl<'r> View<'r> {
    pub fn of(report: &'r Report) -> View<'r> {
        let mut organizations: Vec<String> = report
            .profiles
            .iter()
            .filter_map(|p| p.organization.clone())
            .chain(report.origins.iter().flat_map(|o| o.organizations.clone()))
            .map(|o| text(&o))
            .collect();
        organizations.sort();
        organizations.dedup();
        let upcoming: Vec<&PolicyEntry> = report.policies.iter().filter(|p| p.upcoming).collect();
        let not_applied = report
            .policies
            .iter()
            .filter(|p| !p.applied && !p.upcoming)
            .collect();
        let policies = by_policy(report);
        let clean_policies = report
            .policies
            .iter()
            .filter(|p| p.applied && !policies.iter().any(|s| s.policy.id == p.id))
            .collect();
        View {
            organizations,
            as_of: &report.as_of,
            started: &report.run.started,
            duration: duration(report.run.duration_ms),
            version: &report.tool.version,
            policy_sets: &report.policy_sets,
            profiles: report
                .profiles
                .iter()
                .map(|p| ProfileView {
                    path: p.path.as_deref().map(text),
                    organization: p.organization.as_deref().map(text),
                    jurisdiction: p.jurisdiction.clone(),
                    sectors: p.sectors.join(", "),
                    applied: p.applied.len(),
                    unrestricted: p.unrestricted,
                })
                .collect(),
            origins: &report.origins,
            verdict: verdict(&report.summary),
            summary: &report.summary,
            devices_counted: &report.summary.devices,
            inputs: inputs(&report.inputs),
            policies,
            clean_policies,
            devices: by_device(report),
            kinds: by_kind(report),
            waived: report
                .findings
                .iter()
                .filter(|f| f.waiver.is_some())
                .map(FindingRow::of)
                .collect(),
            notices: &report.notices,
            upcoming,
            not_applied,
        }
    }
}

/// `1 device`, `3 devices` (also the template's `counted` filter).
pub fn counted(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `219 ms`, `3.4 s`, `2 min 5 s`.
pub fn duration(ms: u64) -> String {
    match ms {
        0..1_000 => format!("{ms} ms"),
        1_000..60_000 => format!("{}.{} s", ms / 1000, ms % 1000 / 100),
        _ => format!("{} min {} s", ms / 60_000, ms % 60_000 / 1000),
    }
}

/// What needs action, from the counts that fail a scan (unwaived, not in
/// a baseline, not in a phase-out; a not-enforceable finding counts as
/// the advisory it is). The exit status also depends on `--fail-on`, which the
/// report does not record, so this names severities, not a threshold.
pub fn verdict(s: &Summary) -> Verdict {
    let b = &s.by_severity;
    let mut detail = format!(
        "{} findings: ban {}, restrict {}, advisory {}, phase-out {}; {} waived, {} in the baseline. \
         {} files read, {} unread evidence, {} not evidence, {} excluded.",
        s.findings,
        b.ban,
        b.restrict,
        b.advisory,
        b.phase_out,
        s.waived,
        s.baseline,
        s.files.read,
        s.files.unread,
        s.files.not_evidence,
        s.files.excluded
    );
    let (class, headline) = if b.ban + b.restrict > 0 {
        (
            "fail",
            format!(
                "Not compliant: {} to act on",
                counted(b.ban + b.restrict, "finding")
            ),
        )
    } else if b.phase_out > 0 {
        // Matched but not yet due: a warning with the count, not a failure.
        (
            "warn",
            format!("Phase-out: {} not yet due", counted(b.phase_out, "finding")),
        )
    } else if b.advisory > 0 {
        (
            "warn",
            format!("Advisory only: {}", counted(b.advisory, "finding")),
        )
    } else if s.files.unread > 0 {
        ("warn", "No violations in what was read".to_string())
    } else {
        ("pass", "No violations found".to_string())
    };
    if s.files.unread > 0 {
        detail.push_str(&format!(
            " Incomplete: {} files of evidence could not be read (see What was scanned).",
            s.files.unread
        ));
    }
    Verdict {
        class,
        headline,
        detail,
    }
}

fn inputs(all: &[InputEntry]) -> Vec<InputGroup<'_>> {
    let mut groups: BTreeMap<InputState, Vec<InputRow<'_>>> = BTreeMap::new();
    for i in all {
        groups.entry(i.state).or_default().push(InputRow {
            path: text(&i.path),
            format: i.format.as_deref(),
            items: i.items,
            reason: i.reason.as_deref().map(text),
            problems: i.problems.len() + usize::try_from(i.problems_omitted).unwrap_or(usize::MAX),
        });
    }
    groups
        .into_iter()
        .map(|(state, files)| InputGroup {
            state: state.name(),
            files,
        })
        .collect()
}

impl<'r> FindingRow<'r> {
    fn of(f: &'r Finding) -> FindingRow<'r> {
        FindingRow {
            policy: &f.policy,
            severity: f.severity.as_str(),
            item: text(&f.item.describe_off_device()),
            kind: f.item.kind.name(),
            device: f.item.device.as_deref().map(text),
            location: at(&f.location),
            last_location: f.last_location.as_ref().map(at),
            count: f.count,
            seen: match (&f.first_seen, &f.last_seen) {
                (Some(a), Some(b)) if a != b => Some(text(&format!("{a} – {b}"))),
                (Some(a), _) => Some(text(a)),
                _ => None,
            },
            evidence: evidence(&f.evidence.text, f.evidence.column, f.evidence.len),
            waiver: f.waiver.as_ref(),
            baseline: f.baseline,
            unconfirmed: f.confidence == Some(Confidence::Unconfirmed),
            timeline: crate::report::render::timeline_status(f).map(|t| text(&t)),
            declared: f
                .declared
                .as_ref()
                .map(|d| format!("{} at {}", text(&d.dependency), at(&d.location))),
        }
    }
}

/// The line split at the match (1-based byte `column`, `len` bytes); the
/// whole line as `before` when the span does not fall on characters.
pub fn evidence(line: &str, column: u32, len: u32) -> EvidenceView {
    let start = (column as usize).saturating_sub(1);
    let end = start.saturating_add(len as usize);
    match (line.get(..start), line.get(start..end), line.get(end..)) {
        (Some(a), Some(m), Some(b)) if len > 0 => EvidenceView {
            before: text(a),
            matched: text(m),
            after: text(b),
        },
        _ => EvidenceView {
            before: text(line),
            matched: String::new(),
            after: String::new(),
        },
    }
}

/// Policies with findings, in the report's policy order (most severe
/// findings first within each).
fn by_policy(report: &Report) -> Vec<PolicySection<'_>> {
    report
        .policies
        .iter()
        .filter_map(|p| {
            let mut findings: Vec<&Finding> = report
                .findings
                .iter()
                .filter(|f| f.policy == p.id)
                .collect();
            if findings.is_empty() {
                return None;
            }
            findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
            Some(PolicySection {
                policy: p,
                waived: findings.iter().filter(|f| f.waiver.is_some()).count(),
                devices: report
                    .summary
                    .devices
                    .by_policy
                    .get(&p.id)
                    .copied()
                    .unwrap_or(0),
                findings: findings.into_iter().map(FindingRow::of).collect(),
            })
        })
        .collect()
}

fn policy_label(f: &Finding) -> String {
    let mut label = format!("{} ({})", f.policy, f.severity.as_str());
    if let Some(w) = &f.waiver {
        label.push_str(&format!(", waived until {}", w.expires));
    }
    label
}

/// Devices by name, each item on it once with every policy that flags it.
/// Findings with no device are in the evidence-kind view only.
fn by_device(report: &Report) -> Vec<DeviceSection> {
    let mut devices: BTreeMap<&str, BTreeMap<String, DeviceItem>> = BTreeMap::new();
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for f in &report.findings {
        let Some(device) = f.item.device.as_deref() else {
            continue;
        };
        let count = counts.entry(device).or_default();
        count.0 += 1;
        count.1 += usize::from(f.waiver.is_some());
        let item = text(&f.item.describe_off_device());
        let entry = devices
            .entry(device)
            .or_default()
            .entry(item.clone())
            .or_insert_with(|| DeviceItem {
                item,
                policies: Vec::new(),
                locations: Vec::new(),
                waived: true,
            });
        entry.policies.push(text(&policy_label(f)));
        entry.waived &= f.waiver.is_some();
        let location = text(&format!("{}:{}", f.location.path, f.location.line));
        if !entry.locations.contains(&location) {
            entry.locations.push(location);
        }
    }
    devices
        .into_iter()
        .map(|(name, items)| {
            let (findings, waived) = counts[name];
            DeviceSection {
                name: text(name),
                items: items.into_values().collect(),
                findings,
                waived,
            }
        })
        .collect()
}

/// Findings per evidence kind, each item (with its device) once.
fn by_kind(report: &Report) -> Vec<KindSection> {
    KINDS
        .iter()
        .filter_map(|&kind| {
            let findings: Vec<&Finding> = report
                .findings
                .iter()
                .filter(|f| f.item.kind == kind)
                .collect();
            if findings.is_empty() {
                return None;
            }
            let mut items: BTreeMap<String, KindItem> = BTreeMap::new();
            for f in &findings {
                let item = text(&f.item.describe());
                let location = at(&f.location);
                let entry = items
                    .entry(format!("{item}\u{0}{location}"))
                    .or_insert_with(|| KindItem {
                        item,
                        policies: Vec::new(),
                        location,
                        count: f.count,
                    });
                entry.policies.push(text(&policy_label(f)));
            }
            Some(KindSection {
                kind: kind.name(),
                findings: findings.len(),
                waived: findings.iter().filter(|f| f.waiver.is_some()).count(),
                items: items.into_values().collect(),
            })
        })
        .collect()
}

/// Findings per policy id (waived included), for the chart.
pub fn findings_per_policy(report: &Report) -> Vec<(String, u64)> {
    let mut counts: Vec<(String, u64)> = Vec::new();
    for p in &report.policies {
        let n = report.findings.iter().filter(|f| f.policy == p.id).count() as u64;
        if n > 0 {
            counts.push((p.id.clone(), n));
        }
    }
    counts
}

/// Findings per evidence kind, for the chart.
pub fn findings_per_kind(report: &Report) -> Vec<(String, u64)> {
    KINDS
        .iter()
        .map(|&k| {
            let n = report.findings.iter().filter(|f| f.item.kind == k).count() as u64;
            (format!("{}s", k.name()), n)
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_splits_at_the_match_and_survives_a_bad_span() {
        let e = evidence("a,DeepSeek,b", 3, 8);
        assert_eq!(
            (e.before.as_str(), e.matched.as_str(), e.after.as_str()),
            ("a,", "DeepSeek", ",b")
        );
        // A span inside a multi-byte character keeps the whole line.
        let e = evidence("é", 2, 1);
        assert_eq!((e.before.as_str(), e.matched.as_str()), ("é", ""));
        let e = evidence("short", 4, 50);
        assert_eq!(e.before, "short");
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(counted(1, "device"), "1 device");
        assert_eq!(counted(0, "device"), "0 devices");
        assert_eq!(counted(12, "finding"), "12 findings");
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(219), "219 ms");
        assert_eq!(duration(3_450), "3.4 s");
        assert_eq!(duration(125_000), "2 min 5 s");
    }

    #[test]
    fn verdict_follows_the_counts_that_fail_a_scan() {
        let mut s = Summary::default();
        assert_eq!(verdict(&s).class, "pass");
        s.by_severity.advisory = 2;
        assert_eq!(verdict(&s).class, "warn");
        s.by_severity.phase_out = 3;
        let v = verdict(&s);
        assert_eq!(
            (v.class, v.headline.as_str()),
            ("warn", "Phase-out: 3 findings not yet due")
        );
        s.by_severity.ban = 1;
        let v = verdict(&s);
        assert_eq!(
            (v.class, v.headline.as_str()),
            ("fail", "Not compliant: 1 finding to act on")
        );
        s.by_severity = Default::default();
        s.files.unread = 3;
        let v = verdict(&s);
        assert_eq!(v.class, "warn");
        assert!(v.detail.contains("Incomplete: 3 files"), "{}", v.detail);
    }
}
