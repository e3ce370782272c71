//! `banscan policy draft`: the seed brief drafted field by field, with
//! evidence and links to the library; drafts that lint only on their
//! placeholders; bad input refused or warned about, never guessed.

use crate::common::{banscan, root};

const SEED: &str = "tests/fixtures/draft/seed-brief.txt";

fn seed_json(extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["policy", "draft", SEED, "--format", "json"];
    args.extend_from_slice(extra);
    let run = banscan(&args);
    run.expect_code(0);
    run.json()
}

/// The TW draft: MODA, 2025-01-31, the sectors of line 4, the 2019
/// principles, DeepSeek, the Focus Taiwan reference, known as the
/// library's MODA policy, every filled value with its line and words.
#[test]
fn seed_brief_taiwan_draft() {
    let json = seed_json(&["--year", "2025"]);
    let first = &json["articles"][0];
    assert_eq!(first["lines"], serde_json::json!([1, 10]));
    let tw = &first["drafts"][0];
    let p = &tw["policy"];
    assert_eq!(p["jurisdiction"], "TW");
    assert_eq!(p["authority"], "Ministry of Digital Affairs (MODA)");
    assert_eq!(p["issued"], "2025-01-31");
    assert_eq!(p["effective"], "2025-01-31");
    assert_eq!(
        p["binds"]["sectors"],
        serde_json::json!([
            "central-government",
            "local-government",
            "public-school",
            "state-owned-enterprise",
            "critical-infrastructure",
            "government-foundation"
        ])
    );
    assert!(p["legal_basis"].as_str().unwrap().contains(
        "Principles on Restricting the Use of Products That Endanger National Cyber Security"
    ));
    assert_eq!(p["bans"][0]["product"], "deepseek");
    assert_eq!(p["sources"][0]["publisher"], "Focus Taiwan");
    assert!(
        p["sources"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("<FILL IN:")
    );
    assert_eq!(tw["known_as"], serde_json::json!(["tw-moda-2025-deepseek"]));
    let ev = &tw["evidence"];
    assert_eq!(
        ev["issued"],
        serde_json::json!({"line": 2, "text": "January 31"})
    );
    assert_eq!(ev["authority"]["line"], 2);
    assert_eq!(ev["legal_basis"]["line"], 5);
    assert_eq!(ev["sources[0].publisher"]["line"], 10);
    assert_eq!(
        ev["binds.sectors[2]"],
        serde_json::json!({"line": 4, "text": "public schools"})
    );
    assert_eq!(
        ev["binds.sectors[5]"]["text"],
        "government-endowed foundations"
    );
    assert_eq!(ev["bans[0].product"]["text"], "DeepSeek");
    // Every filled value of the policy has its evidence (the id and the
    // example are made, and say so in the YAML).
    for key in [
        "title",
        "authority",
        "jurisdiction",
        "issued",
        "effective",
        "legal_basis",
        "severity",
        "rationale",
    ] {
        assert!(ev.get(key).is_some(), "no evidence for {key}");
    }
}

/// The IT draft from the reported action on line 7; nothing for the U.S.
/// and Australia sentence; articles 2 and 3 listed with no draft.
#[test]
fn seed_brief_italy_draft_and_no_others() {
    let json = seed_json(&["--year", "2025"]);
    let articles = json["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 3);
    let drafts = articles[0]["drafts"].as_array().unwrap();
    assert_eq!(drafts.len(), 2, "TW and IT only: {drafts:#?}");
    let it = &drafts[1];
    assert_eq!(it["policy"]["jurisdiction"], "IT");
    assert_eq!(it["policy"]["authority"], "data protection authority");
    assert_eq!(it["policy"]["issued"], "2025-01-30");
    assert_eq!(it["policy"]["bans"][0]["product"], "deepseek");
    assert_eq!(
        it["known_as"],
        serde_json::json!(["it-garante-2025-deepseek"])
    );
    assert_eq!(it["evidence"]["issued"]["line"], 7);
    for a in &articles[1..] {
        assert_eq!(a["drafts"], serde_json::json!([]));
    }
    assert_eq!(articles[1]["lines"], serde_json::json!([11, 24]));
    assert_eq!(articles[2]["lines"], serde_json::json!([25, 36]));
    let run = banscan(&["policy", "draft", SEED, "--year", "2025"]);
    run.expect_contains("article 2 (lines 11-24)")
        .expect_contains("no ban statement, no draft")
        .expect_lacks("jurisdiction: \"US\"")
        .expect_lacks("jurisdiction: \"AU\"");
}

/// YAML carries the evidence beside each value, and the fields where the
/// draft and the library's policy differ; the same brief, the same bytes.
#[test]
fn yaml_evidence_and_determinism() {
    let run = banscan(&["policy", "draft", SEED, "--year", "2025"]);
    run.expect_code(0)
        .expect_contains("    - \"public-school\"    # brief line 4: \"public schools\"")
        .expect_contains("issued: \"2025-01-31\"    # brief line 2: \"January 31\"")
        .expect_contains("# Known in the library as: tw-moda-2025-deepseek")
        .expect_contains("#   severity: restrict (library) -> ban (brief)");
    let again = banscan(&["policy", "draft", SEED, "--year", "2025"]);
    assert_eq!(run.stdout, again.stdout);
}

/// Without --year: a warning per date and placeholders, never a guessed
/// year.
#[test]
fn no_year_is_a_warning_and_a_placeholder() {
    let run = banscan(&["policy", "draft", SEED]);
    run.expect_code(0)
        .expect_contains("banscan::brief::no_year")
        .expect_contains("\"January 31\" has no year")
        .expect_contains("issued: \"<FILL IN: the day of \\\"January 31\\\", YYYY-MM-DD>\"")
        .expect_lacks("2025-01-31");
}

/// Drafts written with --output lint with placeholder errors only, all
/// listed in one run; a second run does not overwrite them.
#[test]
fn written_drafts_fail_lint_only_on_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("drafts");
    let out = out.to_str().unwrap();
    banscan(&["policy", "draft", SEED, "--year", "2025", "--output", out]).expect_code(0);
    assert!(
        dir.path()
            .join("drafts/tw-moda-2025-deepseek-draft.yaml")
            .is_file()
    );
    assert!(
        dir.path()
            .join("drafts/it-dpa-2025-deepseek.yaml")
            .is_file()
    );
    let lint = banscan(&["policy", "lint", out]);
    lint.expect_code(2);
    let codes: Vec<&str> = lint
        .stderr
        .lines()
        .filter(|l| l.starts_with("banscan::"))
        .collect();
    assert!(!codes.is_empty());
    assert!(
        codes.iter().all(|c| *c == "banscan::policy::placeholder"),
        "{codes:?}"
    );
    lint.expect_contains("`sources[0].url` is not filled in yet")
        .expect_contains("`examples.compliant[0].endpoint` is not filled in yet");
    banscan(&["policy", "draft", SEED, "--year", "2025", "--output", out])
        .expect_code(2)
        .expect_contains("exists already; not overwriting it");
}

/// A product the library does not know (Webull, in the Texas brief) is
/// written as a product document beside the policy that bans it; lint
/// fails on its placeholders only, each named, like the policy's.
#[test]
fn unknown_products_are_written_as_skeletons_that_lint_on_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("drafts");
    let out = out.to_str().unwrap();
    let brief = "tests/fixtures/briefs/us-tx-prohibited-apps.txt";
    banscan(&["policy", "draft", brief, "--year", "2025", "--output", out]).expect_code(0);
    let written =
        std::fs::read_to_string(dir.path().join("drafts/us-tx-gov-2025-deepseek.yaml")).unwrap();
    assert!(written.contains("  - product: \"webull\"    # brief line 2: \"Webull\""));
    assert!(written.contains("---\n"), "{written}");
    assert!(written.contains("product: \"tiger-brokers\""), "{written}");
    let lint = banscan(&["policy", "lint", out]);
    lint.expect_code(2);
    let codes: Vec<&str> = lint
        .stderr
        .lines()
        .filter(|l| l.starts_with("banscan::"))
        .collect();
    assert!(
        codes.iter().all(|c| *c == "banscan::policy::placeholder"),
        "{codes:?}"
    );
    lint.expect_contains("`identifiers.endpoints[0].host` is not filled in yet")
        .expect_contains("`vendor` is not filled in yet")
        .expect_lacks("not a valid host name");
}

/// Standard input reads as a file does.
#[test]
fn reads_standard_input() {
    let text = std::fs::read(root().join(SEED)).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_banscan"))
        .args(["policy", "draft", "-", "--year", "2025"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("policy: \"tw-moda-2025-deepseek-draft\"")
    );
}

/// Empty, binary and non-English briefs are errors (exit 2) that draft
/// nothing.
#[test]
fn unreadable_briefs_are_errors() {
    for (file, code, says) in [
        ("empty.txt", "banscan::brief::unreadable", "is empty"),
        ("binary.txt", "banscan::brief::unreadable", "binary file"),
        (
            "italian.txt",
            "banscan::brief::not_english",
            "only English briefs are read yet",
        ),
    ] {
        let run = banscan(&["policy", "draft", &format!("tests/fixtures/draft/{file}")]);
        run.expect_code(2)
            .expect_contains(code)
            .expect_contains(says);
        assert!(run.stdout.is_empty(), "{file}: {}", run.stdout);
    }
}

/// One paragraph with no title: a warning, and its statement drafted
/// (a US state's executive order, state employees and contractors).
#[test]
fn one_paragraph_without_title() {
    let run = banscan(&[
        "policy",
        "draft",
        "tests/fixtures/draft/one-paragraph.txt",
        "--format",
        "json",
    ]);
    run.expect_code(0)
        .expect_contains("banscan::brief::no_title");
    let p = &run.json()["articles"][0]["drafts"][0]["policy"];
    assert_eq!(p["jurisdiction"], "US-VA");
    assert_eq!(p["issued"], "2025-02-11");
    assert_eq!(p["instrument"], "Executive Order 46");
    assert_eq!(
        p["binds"]["sectors"],
        serde_json::json!(["regional-government", "government-contractor"])
    );
}

/// "late January" has no day: a warning quoting the words and a
/// placeholder, whatever --year says.
#[test]
fn month_without_day_is_left_to_fill_in() {
    let run = banscan(&[
        "policy",
        "draft",
        "tests/fixtures/draft/late-january.txt",
        "--year",
        "2025",
    ]);
    run.expect_code(0)
        .expect_contains("banscan::brief::vague_date")
        .expect_contains("\"late January\" gives no day")
        .expect_contains("issued: \"<FILL IN: the day of \\\"late January\\\", YYYY-MM-DD>\"");
}
