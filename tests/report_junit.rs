//! `--format junit`: JUnit XML for CI test reports (issue 14).

use std::collections::{BTreeMap, BTreeSet};

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::common::{Run, banscan};

const PROFILE: &str = "tests/fixtures/reports/hostile/banscan.yaml";
const HOSTILE: &str = "tests/fixtures/reports/hostile/macos-apps.csv";

/// Scans `paths` with the demo-chat profile as of 2026-01-01.
fn scan_demo(format: &str, paths: &[&str]) -> Run {
    let mut args = vec!["scan", "--profile", PROFILE, "--as-of", "2026-01-01"];
    args.extend_from_slice(&["--format", format]);
    args.extend_from_slice(paths);
    banscan(&args)
}

/// A suite's counts (tests, failures, errors) and test cases.
type Suite = ((usize, usize, usize), Vec<Case>);

/// What the tests read back from a JUnit document.
#[derive(Default)]
struct Junit {
    /// The root's counts: tests, failures, errors.
    root: (usize, usize, usize),
    /// Per suite: its attributes' counts and its test cases.
    suites: BTreeMap<String, Suite>,
}

#[derive(Default, Clone)]
struct Case {
    classname: String,
    name: String,
    failure: Option<(String, String, String)>,
    error: Option<String>,
    out: String,
}

fn attr(e: &quick_xml::events::BytesStart<'_>, key: &str) -> String {
    e.try_get_attribute(key)
        .expect("attributes parse")
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .expect("unescapes")
                .into_owned()
        })
        .unwrap_or_default()
}

fn counts(e: &quick_xml::events::BytesStart<'_>) -> (usize, usize, usize) {
    let n = |k| attr(e, k).parse::<usize>().expect("a count");
    (n("tests"), n("failures"), n("errors"))
}

/// A test case's names; `file` is its name, the input path.
fn case_of(e: &quick_xml::events::BytesStart<'_>) -> Case {
    assert_eq!(attr(e, "file"), attr(e, "name"));
    Case {
        classname: attr(e, "classname"),
        name: attr(e, "name"),
        ..Case::default()
    }
}

/// Parses a JUnit document with quick-xml, as a CI server would.
fn parse(xml: &str) -> Junit {
    let mut reader = Reader::from_str(xml);
    let mut junit = Junit::default();
    let mut suite = String::new();
    let mut case: Option<Case> = None;
    let mut text = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().0 == "testsuites" => {
                junit.root = counts(&e);
            }
            Event::Start(e) if e.name().0 == "testsuite" => {
                suite = attr(&e, "name");
                junit.suites.insert(suite.clone(), (counts(&e), Vec::new()));
            }
            Event::Empty(e) if e.name().0 == "testcase" => {
                junit.suites.get_mut(&suite).unwrap().1.push(case_of(&e));
            }
            Event::Start(e) if e.name().0 == "testcase" => case = Some(case_of(&e)),
            Event::Start(e) => {
                text.clear();
                if e.name().0 == "failure"
                    && let Some(c) = case.as_mut()
                {
                    c.failure = Some((attr(&e, "message"), attr(&e, "type"), String::new()));
                }
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let known = quick_xml::escape::resolve_predefined_entity(&r);
                text.push_str(known.unwrap_or_else(|| panic!("unexpected entity {}", &*r)));
            }
            Event::End(e) => match e.name().0 {
                "failure" => {
                    if let Some((_, _, t)) = case.as_mut().and_then(|c| c.failure.as_mut()) {
                        *t = text.clone();
                    }
                }
                "error" => case.as_mut().unwrap().error = Some(text.clone()),
                "system-out" => case.as_mut().unwrap().out = text.clone(),
                "testcase" => {
                    let c = case.take().unwrap();
                    junit.suites.get_mut(&suite).unwrap().1.push(c);
                }
                _ => {}
            },
            _ => {}
        }
    }
    junit
}

/// The JUnit of a scan of the examples, parsed back, counts what its JSON
/// report holds: a suite per applied policy plus coverage, a test case per
/// file read in each, a failure per (policy, file) with unwaived findings;
/// the root's and each suite's counts add up; classname and name are
/// unique, as GitLab and Jenkins need.
#[test]
fn junit_counts_match_the_json_report() {
    let dir = tempfile::tempdir().unwrap();
    let json_path = dir.path().join("r.json");
    let xml_path = dir.path().join("r.xml");
    let (j, x) = (json_path.to_str().unwrap(), xml_path.to_str().unwrap());
    let args = ["scan", "examples", "--as-of", "2026-12-01"];
    let run = banscan(
        &[
            &args[..],
            &["--format", "json", "-o", j, "--format", "junit", "-o", x],
        ]
        .concat(),
    );
    run.expect_code(1);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(j).unwrap()).unwrap();
    let junit = parse(&std::fs::read_to_string(x).unwrap());

    let applied: BTreeSet<String> = report["policies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["applied"] == true)
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    let mut suites: BTreeSet<String> = junit.suites.keys().cloned().collect();
    assert!(suites.remove("banscan.coverage"));
    assert_eq!(suites, applied);

    let read = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["state"] == "read")
        .count();
    let failing: BTreeSet<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["waiver"].is_null() && f["baseline"] != true)
        .map(|f| {
            let p = f["policy"].as_str().unwrap().to_string();
            (p, f["location"]["path"].as_str().unwrap().to_string())
        })
        .collect();
    assert!(!failing.is_empty());
    let mut failed = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut sum = (0, 0, 0);
    for (name, (count, cases)) in &junit.suites {
        assert_eq!(cases.len(), read, "{name}");
        let failures = cases.iter().filter(|c| c.failure.is_some()).count();
        let errors = cases.iter().filter(|c| c.error.is_some()).count();
        assert_eq!(*count, (cases.len(), failures, errors), "{name}");
        sum = (sum.0 + count.0, sum.1 + count.1, sum.2 + count.2);
        for c in cases {
            assert!(
                names.insert((c.classname.clone(), c.name.clone())),
                "{c:?}",
                c = c.name
            );
            if c.failure.is_some() {
                let policy = c.classname.strip_prefix("banscan.").unwrap();
                failed.insert((policy.to_string(), c.name.clone()));
            }
        }
    }
    assert_eq!(junit.root, sum);
    assert_eq!(failed, failing);
    let (_, (_, cases)) = junit.suites.iter().find(|(_, (c, _))| c.1 > 0).unwrap();
    let (_, kind, text) = cases.iter().find_map(|c| c.failure.clone()).unwrap();
    assert_eq!(kind, "ban");
    assert!(
        text.contains("Authority: ") && text.contains("Legal basis: "),
        "{text}"
    );
    assert!(
        text.contains("Source: ") && text.contains("<https://"),
        "{text}"
    );
}

/// A hostile app name (`<`, `&`, `"`, `]`, `|`) comes back from the XML
/// exactly as it was; a waived finding is listed as waived in
/// `<system-out>` and fails nothing; unread evidence is an error in the
/// coverage suite.
#[test]
fn junit_escapes_lists_waivers_and_flags_unread_evidence() {
    let run = scan_demo("junit", &[HOSTILE, "tests/fixtures/coverage/bun.lock"]);
    run.expect_code(2);
    let junit = parse(&run.stdout);
    let (_, cases) = &junit.suites["xx-demo-2025-chat"];
    let case = cases.iter().find(|c| c.name == HOSTILE).unwrap();
    let (message, _, text) = case.failure.clone().unwrap();
    let name = "<script>alert(1)</script> | ](http://x) *b* _i_ `c` [l]";
    assert!(message.contains(&format!("\"{name}\"")), "{message}");
    assert!(
        text.contains(&format!("{HOSTILE}:2: app \"{name}\"")),
        "{text}"
    );
    assert!(!text.contains("LAB-02"), "{text}");
    assert!(case.out.contains("waived: "), "{}", case.out);
    assert!(
        case.out.contains("LAB-02") && case.out.contains("reason: Lab test <of> \"the\" app & its updates; approved by Demo CISO; expires 2027-06-30"),
        "{}",
        case.out
    );
    let (count, coverage) = &junit.suites["banscan.coverage"];
    assert_eq!(*count, (2, 0, 1));
    let unread = coverage.iter().find(|c| c.error.is_some()).unwrap();
    assert_eq!(unread.name, "tests/fixtures/coverage/bun.lock");
    assert!(unread.error.as_ref().unwrap().contains("bun-lock"));
}

/// A file whose only finding is waived passes: no failure, the waiver in
/// its output.
#[test]
fn junit_a_waived_finding_does_not_fail() {
    let run = scan_demo("junit", &["tests/fixtures/reports/waived-only.csv"]);
    run.expect_code(0);
    let junit = parse(&run.stdout);
    assert_eq!(junit.root, (2, 0, 0));
    let (_, cases) = &junit.suites["xx-demo-2025-chat"];
    assert!(cases[0].failure.is_none());
    assert!(cases[0].out.starts_with("waived: "), "{}", cases[0].out);
}

/// The `time` and `timestamp` attribute values replaced: they change
/// with every run.
fn redact_times(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(at) = rest.find(" time") {
        let (head, tail) = rest.split_at(at);
        out.push_str(head);
        let open = tail.find('"').unwrap();
        let close = open + 1 + tail[open + 1..].find('"').unwrap();
        out.push_str(&tail[..=open]);
        out.push_str("[redacted]\"");
        rest = &tail[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The whole document of a small scan, times redacted.
#[test]
fn junit_snapshot() {
    let run = scan_demo("junit", &[HOSTILE, "tests/fixtures/coverage/bun.lock"]);
    insta::assert_snapshot!(redact_times(&run.stdout));
}
