//! `--format junit`: JUnit XML for CI test reports (GitLab's
//! `artifacts: reports: junit:`, Jenkins, the GitHub actions that read it).
//!
//! Each applied policy is a test suite and each file read a test case in
//! it (classname `banscan.<policy>`, name the file), so a CI page shows
//! which file breaks which policy, and a file that stays clean stays
//! green. A test case fails when it has findings that are neither waived,
//! nor in the baseline, nor in a phase-out, nor not enforceable (those are
//! listed in its system-out with their status); the failure cites the policy, because the person
//! reading a CI page has not read the policy. Unread evidence is an error
//! in a `banscan.coverage` suite: a scan that could not look at a file
//! must not look complete. banscan does not time policies or files, so
//! test cases and suites take no time and the root the whole run's.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::Render;
use super::escape::neutralise;
use crate::policy::Severity;
use crate::report::{Finding, InputEntry, InputState, PolicyEntry, Report};

/// The classname of the coverage suite's test cases.
pub const COVERAGE: &str = "banscan.coverage";

pub struct Junit;

impl Render for Junit {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let suites = suites(report);
        let mut w = Writer::new_with_indent(out, b' ', 2);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let total = Counts::sum(suites.iter().map(|s| s.counts()));
        let mut attrs = vec![("name", "banscan".to_string())];
        attrs.extend(total.attributes());
        attrs.push(("time", seconds(report.run.duration_ms)));
        w.write_event(Event::Start(element("testsuites", &attrs)))?;
        for suite in &suites {
            suite.write(report, &mut w)?;
        }
        w.write_event(Event::End(BytesEnd::new("testsuites")))?;
        w.into_inner().write_all(b"\n")
    }
}

/// An element's start tag; quick-xml escapes the values.
fn element<'a>(name: &'a str, attrs: &[(&str, String)]) -> BytesStart<'a> {
    let mut start = BytesStart::new(name);
    for (key, value) in attrs {
        start.push_attribute((*key, value.as_str()));
    }
    start
}

/// One test suite: an applied policy, or the coverage of the scan.
struct Suite<'r> {
    name: &'r str,
    classname: String,
    policy: Option<&'r PolicyEntry>,
    cases: Vec<Case<'r>>,
}

/// One test case: a file under one policy, or a file's coverage.
struct Case<'r> {
    path: &'r str,
    outcome: Outcome<'r>,
}

enum Outcome<'r> {
    /// Checked against a policy: `failing` fail it, `known` (waived, in
    /// the baseline, in a phase-out or not enforceable) are only listed.
    Checked {
        failing: Vec<&'r Finding>,
        known: Vec<&'r Finding>,
    },
    /// Read to the end: coverage passes.
    Read,
    /// Evidence banscan did not read: a coverage error.
    Unread(&'r InputEntry),
}

impl Case<'_> {
    fn fails(&self) -> bool {
        matches!(&self.outcome, Outcome::Checked { failing, .. } if !failing.is_empty())
    }

    fn errs(&self) -> bool {
        matches!(self.outcome, Outcome::Unread(_))
    }
}

#[derive(Clone, Copy, Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
}

impl Counts {
    fn sum(all: impl Iterator<Item = Counts>) -> Counts {
        all.fold(Counts::default(), |a, b| Counts {
            tests: a.tests + b.tests,
            failures: a.failures + b.failures,
            errors: a.errors + b.errors,
        })
    }

    fn attributes(self) -> [(&'static str, String); 4] {
        [
            ("tests", self.tests.to_string()),
            ("failures", self.failures.to_string()),
            ("errors", self.errors.to_string()),
            ("skipped", "0".into()),
        ]
    }
}

/// The suites of `report`: the applied policies in report order, then
/// the coverage suite.
fn suites(report: &Report) -> Vec<Suite<'_>> {
    // Each file once, even when a merged report has it from two origins:
    // classname and name must be unique.
    let mut read: Vec<&str> = report
        .inputs
        .iter()
        .filter(|i| i.state == InputState::Read)
        .map(|i| i.path.as_str())
        .collect();
    read.sort_unstable();
    read.dedup();
    let mut suites: Vec<Suite<'_>> = report
        .policies
        .iter()
        .filter(|p| p.applied)
        .map(|policy| {
            let mut cases: BTreeMap<&str, (Vec<&Finding>, Vec<&Finding>)> =
                read.iter().map(|p| (*p, Default::default())).collect();
            for f in report.findings.iter().filter(|f| f.policy == policy.id) {
                let (failing, known) = cases.entry(f.location.path.as_str()).or_default();
                if f.waiver.is_some() || f.baseline || f.phase_out() || super::not_enforceable(f) {
                    known.push(f);
                } else {
                    failing.push(f);
                }
            }
            Suite {
                name: &policy.id,
                classname: format!("banscan.{}", policy.id),
                policy: Some(policy),
                cases: cases
                    .into_iter()
                    .map(|(path, (failing, known))| Case {
                        path,
                        outcome: Outcome::Checked { failing, known },
                    })
                    .collect(),
            }
        })
        .collect();
    let mut coverage: BTreeMap<&str, Outcome<'_>> =
        read.iter().map(|p| (*p, Outcome::Read)).collect();
    for input in report
        .inputs
        .iter()
        .filter(|i| i.state == InputState::Unread)
    {
        coverage.insert(&input.path, Outcome::Unread(input));
    }
    suites.push(Suite {
        name: COVERAGE,
        classname: COVERAGE.into(),
        policy: None,
        cases: coverage
            .into_iter()
            .map(|(path, outcome)| Case { path, outcome })
            .collect(),
    });
    suites
}

impl Suite<'_> {
    fn counts(&self) -> Counts {
        Counts {
            tests: self.cases.len(),
            failures: self.cases.iter().filter(|c| c.fails()).count(),
            errors: self.cases.iter().filter(|c| c.errs()).count(),
        }
    }

    fn write<W: Write>(&self, report: &Report, w: &mut Writer<W>) -> io::Result<()> {
        let mut attrs = vec![("name", clean(self.name).into_owned())];
        attrs.extend(self.counts().attributes());
        attrs.push(("time", "0".into()));
        if let Some(t) = timestamp(&report.run.started) {
            attrs.push(("timestamp", t.into()));
        }
        w.write_event(Event::Start(element("testsuite", &attrs)))?;
        write_properties(report, self.policy, w)?;
        for case in &self.cases {
            self.write_case(case, w)?;
        }
        w.write_event(Event::End(BytesEnd::new("testsuite")))
    }

    fn write_case<W: Write>(&self, case: &Case<'_>, w: &mut Writer<W>) -> io::Result<()> {
        let path = clean(case.path);
        let start = BytesStart::new("testcase").with_attributes([
            ("classname", clean(&self.classname).as_ref()),
            ("name", path.as_ref()),
            ("file", path.as_ref()),
            ("time", "0"),
        ]);
        let (failure, error, out) = match &case.outcome {
            Outcome::Read => (None, None, Vec::new()),
            Outcome::Unread(input) => (None, Some(unread(input)), Vec::new()),
            Outcome::Checked { failing, known } => {
                let failure = match (failing.is_empty(), self.policy) {
                    (false, Some(policy)) => Some(failure(policy, failing)),
                    _ => None,
                };
                (failure, None, known.iter().map(|f| known_line(f)).collect())
            }
        };
        if failure.is_none() && error.is_none() && out.is_empty() {
            return w.write_event(Event::Empty(start));
        }
        w.write_event(Event::Start(start))?;
        for (tag, problem) in [("failure", failure), ("error", error)] {
            if let Some(p) = problem {
                w.create_element(tag)
                    .with_attributes([("message", p.message.as_str()), ("type", p.kind)])
                    .write_text_content(BytesText::new(&p.text))?;
            }
        }
        if !out.is_empty() {
            w.create_element("system-out")
                .write_text_content(BytesText::new(&out.join("\n")))?;
        }
        w.write_event(Event::End(BytesEnd::new("testcase")))
    }
}

/// What a report was made with, so a CI page can tell which rules judged:
/// the as-of date, banscan's version, each policy set's digest and, in a
/// policy's suite, its authority and severity.
fn write_properties<W: Write>(
    report: &Report,
    policy: Option<&PolicyEntry>,
    w: &mut Writer<W>,
) -> io::Result<()> {
    let mut props = vec![
        ("banscan.version".to_string(), report.tool.version.clone()),
        ("as-of".to_string(), report.as_of.clone()),
    ];
    for set in &report.policy_sets {
        props.push((format!("policy-set.{}", set.source), set.sha256.clone()));
    }
    if let Some(p) = policy {
        props.push(("authority".into(), p.authority.clone()));
        props.push(("severity".into(), p.severity.as_str().into()));
    }
    w.write_event(Event::Start(BytesStart::new("properties")))?;
    for (name, value) in &props {
        w.create_element("property")
            .with_attributes([
                ("name", clean(name).as_ref()),
                ("value", clean(value).as_ref()),
            ])
            .write_empty()?;
    }
    w.write_event(Event::End(BytesEnd::new("properties")))
}

/// A `<failure>` or `<error>`: its one-line message, its type and its text.
struct Problem {
    message: String,
    kind: &'static str,
    text: String,
}

/// The failure of a file under `policy`: each finding a line, then the
/// policy's citation once.
fn failure(policy: &PolicyEntry, failing: &[&Finding]) -> Problem {
    let severity = failing
        .iter()
        .map(|f| f.severity)
        .max()
        .unwrap_or(Severity::Advisory);
    let message = match failing {
        [one] => format!("1 finding: {}", what(one)),
        many => {
            let mut products: Vec<&str> = many
                .iter()
                .map(|f| f.product.as_deref().unwrap_or(&f.identifier))
                .collect();
            products.sort_unstable();
            products.dedup();
            format!("{} findings: {}", many.len(), products.join(", "))
        }
    };
    let mut lines: Vec<String> = failing.iter().map(|f| finding_line(f)).collect();
    lines.push(String::new());
    lines.extend(citation(policy));
    Problem {
        message: clean(&message).into_owned(),
        kind: severity.as_str(),
        text: lines.join("\n"),
    }
}

fn unread(input: &InputEntry) -> Problem {
    let reason = input.reason.as_deref().unwrap_or("not read");
    let mut lines = vec![format!(
        "{}: unread evidence: {}",
        clean(&input.path),
        clean(reason)
    )];
    if let Some(format) = &input.format {
        lines.push(format!("format: {}", clean(format)));
    }
    if let Some(c) = &input.caught {
        lines.push(format!(
            "line {}: {} ({}) found by the literal search",
            c.line,
            clean(&c.identifier),
            clean(&c.policy)
        ));
    }
    Problem {
        message: format!("unread evidence: {}", clean(reason)),
        kind: "unread-evidence",
        text: lines.join("\n"),
    }
}

/// `path:line: what, product, count`.
fn finding_line(f: &Finding) -> String {
    let mut line = format!(
        "{}:{}: {}",
        clean(&f.location.path),
        f.location.line,
        what(f)
    );
    if let Some(product) = &f.product {
        line.push_str(&format!(", product {}", clean(product)));
    }
    line.push_str(&match f.count {
        1 => ", 1 occurrence".to_string(),
        n => format!(", {n} occurrences"),
    });
    line
}

/// A waived, baseline, phase-out or not-enforceable finding, for
/// `<system-out>`.
fn known_line(f: &Finding) -> String {
    match (&f.waiver, super::timeline_status(f)) {
        (Some(w), _) => format!(
            "waived: {} (reason: {}; approved by {}; expires {})",
            finding_line(f),
            clean(&w.reason),
            clean(&w.approved_by),
            clean(&w.expires)
        ),
        (None, Some(status)) => format!("{}: {}", clean(&status), finding_line(f)),
        (None, None) => format!("baseline: {} (in the baseline report)", finding_line(f)),
    }
}

fn what(f: &Finding) -> String {
    clean(&f.item.describe()).into_owned()
}

/// The policy's citation: who, under what law, where it is written.
fn citation(p: &PolicyEntry) -> Vec<String> {
    let mut lines = vec![
        format!("Policy: {} ({})", clean(&p.id), clean(&p.title)),
        format!("Authority: {}", clean(&p.authority)),
    ];
    match &p.instrument {
        Some(i) => lines.push(format!(
            "Legal basis: {} ({})",
            clean(&p.legal_basis),
            clean(i)
        )),
        None => lines.push(format!("Legal basis: {}", clean(&p.legal_basis))),
    }
    if let Some(s) = &p.source {
        let mut line = format!("Source: {}, {}", clean(&s.title), clean(&s.publisher));
        if let Some(url) = &s.url {
            line.push_str(&format!(" <{}>", clean(url)));
        }
        lines.push(line);
    }
    if let Some(r) = &p.remediation {
        lines.push(format!("Remediation: {}", clean(r.trim())));
    }
    lines
}

/// `text` safe in XML 1.0: control characters (which no escaping makes
/// legal there) and the invisible ones shown as escapes, and the two
/// noncharacters XML forbids replaced. quick-xml escapes the markup.
fn clean(text: &str) -> Cow<'_, str> {
    let text = neutralise(text);
    if !text.contains(['\u{fffe}', '\u{ffff}']) {
        return text;
    }
    Cow::Owned(
        text.replace('\u{fffe}', "\\u{fffe}")
            .replace('\u{ffff}', "\\u{ffff}"),
    )
}

fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// JUnit's timestamp has no zone (Ant's schema forbids one); the report's
/// start is in UTC, so its `Z` is dropped.
fn timestamp(started: &str) -> Option<&str> {
    let t = started.strip_suffix('Z').unwrap_or(started);
    (!t.is_empty()).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Characters XML 1.0 cannot carry even escaped come out as visible
    /// escapes; markup characters are left for quick-xml to escape.
    #[test]
    fn clean_keeps_the_xml_legal() {
        assert_eq!(clean("a\u{1}b\u{fffe}<&>"), "a\\x01b\\u{fffe}<&>");
        assert!(matches!(clean("plain <app>"), Cow::Borrowed(_)));
    }

    #[test]
    fn times_and_timestamps() {
        assert_eq!(seconds(1234), "1.234");
        assert_eq!(seconds(5), "0.005");
        assert_eq!(
            timestamp("2026-12-06T22:30:00Z"),
            Some("2026-12-06T22:30:00")
        );
        assert_eq!(timestamp(""), None);
    }
}
