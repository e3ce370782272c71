//! Reports beyond one scan's own output (issue 14): several formats in
//! one run, the short and quiet forms, what a report records of its run,
//! baselines, and saved reports merged and rendered again.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::{banscan, banscan_in, root};

const AS_OF: &str = "2026-12-01";

/// The examples in a temporary folder, so a test may add evidence.
fn examples_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("examples"), dir.path());
    dir
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn read_json(path: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `--format short`: a `file:line:col: severity policy: message` line per
/// finding, as linters write them.
#[test]
fn short_format_is_a_line_per_finding() {
    let run = banscan(&["scan", "examples", "--as-of", AS_OF, "--format", "short"]);
    run.expect_code(1).expect_contains(
        "examples/project/requirements.txt:6:1: ban tw-moda-2025-deepseek-statute: package langchain_deepseek 0.1.3 (product deepseek)\n",
    );
    let json = banscan(&["scan", "examples", "--as-of", AS_OF, "--format", "json"]).json();
    let findings = json["findings"].as_array().unwrap().len();
    assert_eq!(run.stdout.lines().count(), findings, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("device LAB-0003 (product deepseek) [waived until 2027-06-30: "),
        "{}",
        run.stdout
    );
}

/// `-q`: the findings in the short form and the summary, nothing else;
/// unread evidence still gets a line of its own.
#[test]
fn quiet_is_short_findings_and_the_summary() {
    let run = banscan(&[
        "scan",
        "examples",
        "tests/fixtures/coverage",
        "--as-of",
        AS_OF,
        "-q",
    ]);
    run.expect_code(2)
        .expect_contains("examples/project/requirements.txt:6:1: ban ")
        .expect_contains("tests/fixtures/coverage/bun.lock: error unread-evidence: ")
        .expect_contains("banscan: 43 findings")
        .expect_lacks("── ")
        .expect_lacks("╭─[");
    assert!(run.stderr.starts_with("banscan: "), "{}", run.stderr);
}

/// The human report cites each policy once, in its heading, and shows a
/// few excerpts per file; `--verbose` shows every one.
#[test]
fn citation_once_per_policy_and_verbose_excerpts() {
    let args = [
        "scan",
        "tests/fixtures/grouping/inventory",
        "--profile",
        "tests/fixtures/grouping/banscan.yaml",
        "--as-of",
        "2026-01-01",
    ];
    let run = banscan(&args);
    run.expect_code(1);
    assert_eq!(
        run.stdout.matches("legal basis: Demo Act").count(),
        1,
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("help: Demo ban"), "{}", run.stdout);
    let excerpts = |text: &str| text.matches("╭─[").count();
    let mut verbose_args = args.to_vec();
    verbose_args.push("--verbose");
    let verbose = banscan(&verbose_args);
    verbose.expect_code(1);
    assert!(
        excerpts(&verbose.stdout) > excerpts(&run.stdout),
        "{}",
        verbose.stdout
    );
    assert!(
        run.stdout.contains("fleet.csv:5:9  app \"Demo Chat\""),
        "{}",
        run.stdout
    );
}

/// Several formats in one run: each `--format` goes to the `--output` in
/// the same place; an `--output` without one is told by its extension;
/// nothing goes to standard output then, and the summary to stderr.
#[test]
fn several_formats_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let (json, short, by_ext) = (
        dir.path().join("r.json"),
        dir.path().join("r.txt"),
        dir.path().join("again.json"),
    );
    let run = banscan(&[
        "scan",
        "examples",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "-o",
        json.to_str().unwrap(),
        "--format",
        "short",
        "-o",
        short.to_str().unwrap(),
        "-o",
        by_ext.to_str().unwrap(),
    ]);
    run.expect_code(1).expect_contains("banscan: 6 findings");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_eq!(read_json(&json)["findings"], read_json(&by_ext)["findings"]);
    let short = std::fs::read_to_string(&short).unwrap();
    assert!(
        short.contains(": ban tw-moda-2025-deepseek-statute: "),
        "{short}"
    );

    // A format too many for the files given is a usage error.
    banscan(&[
        "scan",
        "examples",
        "--format",
        "json",
        "--format",
        "short",
        "--format",
        "sarif",
        "-o",
        json.to_str().unwrap(),
    ])
    .expect_code(2)
    .expect_contains("every format but one needs a file");
}

/// The report says when it ran, how long it took, and which rules made
/// it: the built-in set's digest is that of `policies/policies.lock`.
#[test]
fn report_records_its_run_and_policy_digests() {
    let report = banscan(&["scan", "examples", "--as-of", AS_OF, "--format", "json"]).json();
    assert_eq!(report["schema"], "banscan-report/3");
    let started = report["run"]["started"].as_str().unwrap();
    assert!(started.parse::<jiff::Timestamp>().is_ok(), "{started}");
    assert!(report["run"]["duration_ms"].as_u64().is_some());
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let lock = std::fs::read(root().join("policies/policies.lock")).unwrap();
    let sets = report["policy_sets"].as_array().unwrap();
    assert_eq!(sets[0]["source"], "builtin");
    assert_eq!(sets[0]["sha256"], hex::encode(Sha256::digest(&lock)));
    assert_eq!(
        sets[0]["files"],
        String::from_utf8(lock).unwrap().lines().count()
    );
}

/// Policies that take effect after the as-of date are listed as
/// upcoming, so an agency can prepare.
#[test]
fn upcoming_policies_are_marked() {
    let report = banscan(&[
        "scan",
        "examples",
        "--no-profile",
        "--jurisdiction",
        "TW",
        "--as-of",
        "2025-06-01",
        "--format",
        "json",
    ])
    .json();
    let upcoming: Vec<&str> = report["policies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["upcoming"] == true)
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(
        upcoming.contains(&"tw-moda-2025-deepseek-statute"),
        "{upcoming:?}"
    );
    assert!(!upcoming.contains(&"tw-moda-2022-tiktok"), "{upcoming:?}");
}

/// A baseline: findings already in an earlier report are marked and fail
/// no scan; a new finding does.
#[test]
fn baseline_fails_only_on_new_findings() {
    let dir = examples_copy();
    let keep = tempfile::tempdir().unwrap();
    let old = keep.path().join("old.json");
    let old = old.to_str().unwrap();
    banscan_in(dir.path(), &["scan", ".", "--as-of", AS_OF, "-o", old]).expect_code(1);

    let with_baseline = || {
        banscan_in(
            dir.path(),
            &[
                "scan",
                ".",
                "--as-of",
                AS_OF,
                "--baseline",
                old,
                "--format",
                "json",
            ],
        )
    };
    let again = with_baseline();
    again.expect_code(0);
    let report = again.json();
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .all(|f| f["baseline"] == true || f["waiver"].is_object()),
        "{findings:#?}"
    );
    assert_eq!(report["summary"]["baseline"], 5);

    let list = dir.path().join("network/egress-allowlist.list");
    let mut text = std::fs::read_to_string(&list).unwrap();
    text.push_str("chat.deepseek.com\n");
    std::fs::write(&list, text).unwrap();
    let new = with_baseline();
    new.expect_code(1);
    let report = new.json();
    let fresh: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["baseline"] != true && f["waiver"].is_null())
        .collect();
    assert_eq!(fresh.len(), 1, "{fresh:#?}");
    assert_eq!(fresh[0]["item"]["host"], "chat.deepseek.com");
}

/// A baseline that is no report is an error naming the file and line.
#[test]
fn bad_baseline_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("old.json"),
        "{\n  \"schema\": \"banscan-report/3\",\n  \"findings\": 7\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("future.json"),
        "{\"schema\": \"banscan-report/9\"}",
    )
    .unwrap();
    let examples = root().join("examples");
    let examples = examples.to_str().unwrap();
    banscan_in(dir.path(), &["scan", examples, "--baseline", "old.json"])
        .expect_code(2)
        .expect_contains("banscan::usage::bad_report")
        .expect_contains("old.json:");
    banscan_in(dir.path(), &["scan", examples, "--baseline", "future.json"])
        .expect_code(2)
        .expect_contains("is a `banscan-report/9` report");
    banscan_in(
        dir.path(),
        &["scan", examples, "--baseline", "missing.json"],
    )
    .expect_code(2)
    .expect_contains("cannot read the report missing.json");
}

/// Reports of two sites merged: findings deduplicated by fingerprint with
/// every report they came from, inputs kept with theirs, counts redone.
#[test]
fn merge_keeps_provenance_and_deduplicates() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, all) = (
        dir.path().join("a.json"),
        dir.path().join("b.json"),
        dir.path().join("all.json"),
    );
    banscan(&[
        "scan",
        "examples",
        "--as-of",
        AS_OF,
        "-o",
        a.to_str().unwrap(),
    ])
    .expect_code(1);
    banscan(&[
        "scan",
        "examples/network",
        "--as-of",
        AS_OF,
        "-o",
        b.to_str().unwrap(),
    ])
    .expect_code(1);
    banscan(&[
        "report",
        "merge",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "-o",
        all.to_str().unwrap(),
    ])
    .expect_code(0);
    let (ra, rb, merged) = (read_json(&a), read_json(&b), read_json(&all));
    let origins = merged["origins"].as_array().unwrap();
    assert_eq!(origins.len(), 2);
    assert_eq!(origins[0]["report"], a.to_str().unwrap());
    assert_eq!(origins[1]["run"], rb["run"]);
    let count = |r: &Value, key: &str| r[key].as_array().unwrap().len();
    assert_eq!(
        count(&merged, "inputs"),
        count(&ra, "inputs") + count(&rb, "inputs")
    );
    // b's findings are all in a too (the same files): none added.
    assert_eq!(count(&merged, "findings"), count(&ra, "findings"));
    let endpoint = merged["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["item"]["host"] == "api.deepseek.com")
        .unwrap();
    assert_eq!(endpoint["origins"], serde_json::json!([0, 1]));
    assert_eq!(merged["summary"]["findings"], ra["summary"]["findings"]);
    assert!(
        merged["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["origin"].is_u64())
    );
}

/// A saved report renders again as the scan rendered it.
#[test]
fn saved_report_renders_in_any_format() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("r.json");
    banscan(&[
        "scan",
        "examples",
        "--as-of",
        AS_OF,
        "-o",
        saved.to_str().unwrap(),
    ])
    .expect_code(1);
    for format in ["short", "human"] {
        let scan = banscan(&["scan", "examples", "--as-of", AS_OF, "--format", format]);
        let rendered = banscan(&[
            "report",
            "render",
            saved.to_str().unwrap(),
            "--format",
            format,
        ]);
        rendered.expect_code(0);
        assert_eq!(rendered.stdout, scan.stdout, "{format}");
    }
    banscan(&["report", "render", "Cargo.toml"])
        .expect_code(2)
        .expect_contains("not a banscan JSON report");
}

/// `--report-dir` writes every machine format, each the same findings;
/// nothing goes to standard output.
#[test]
fn report_dir_holds_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports");
    let run = banscan(&[
        "scan",
        "examples",
        "--as-of",
        AS_OF,
        "--report-dir",
        out.to_str().unwrap(),
    ]);
    run.expect_code(1).expect_contains("banscan: 6 findings");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let json = read_json(&out.join("banscan.json"));
    let findings = json["findings"].as_array().unwrap().len();
    let sarif = read_json(&out.join("banscan.sarif"));
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        findings
    );
    for name in ["banscan.junit.xml", "banscan.md", "banscan.html"] {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        assert!(text.contains("tw-moda-2025-deepseek-statute"), "{name}");
    }
}

/// Every `--fail-on` threshold on the same findings (bans, a restriction
/// and advisories), and a baseline that passes them all.
#[test]
fn exit_codes_with_each_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("all.json");
    let args = [
        "scan",
        "tests/fixtures/coverage/squid-access-20261205.log",
        "--no-profile",
        "--as-of",
        AS_OF,
    ];
    let mut with_save = args.to_vec();
    with_save.extend(["-o", saved.to_str().unwrap(), "--fail-on", "never"]);
    banscan(&with_save).expect_code(0);
    let report = read_json(&saved);
    let severity = &report["summary"]["by_severity"];
    assert!(
        severity["ban"].as_u64().unwrap() > 0
            && severity["restrict"].as_u64().unwrap() > 0
            && severity["advisory"].as_u64().unwrap() > 0
    );
    for (fail_on, code) in [("ban", 1), ("restrict", 1), ("advisory", 1), ("never", 0)] {
        let mut run = args.to_vec();
        run.extend(["--fail-on", fail_on, "-q"]);
        banscan(&run).expect_code(code);
        run.extend(["--baseline", saved.to_str().unwrap()]);
        banscan(&run).expect_code(0);
    }
}
