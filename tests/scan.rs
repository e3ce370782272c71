//! `banscan scan` end to end on the bundled example agency and on fixtures.

use serde_json::Value;

use crate::common::{banscan, banscan_in, root};

const AS_OF: &str = "2025-06-01";

fn scan_examples_json(extra: &[&str]) -> Value {
    let mut args = vec!["scan", "examples", "--as-of", AS_OF, "--format", "json"];
    args.extend_from_slice(extra);
    let run = banscan(&args);
    run.expect_code(1);
    run.json()
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings is an array")
}

/// `(policy, path, line, column)` of every finding, waived or not.
fn located(report: &Value) -> Vec<(String, String, u64, u64)> {
    let mut v: Vec<_> = findings(report)
        .iter()
        .map(|f| {
            (
                f["policy"].as_str().unwrap().to_string(),
                f["location"]["path"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
                f["location"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// DeepSeek shows up in all three kinds of evidence of the example agency,
/// each at its exact line; the approved lab device is waived.
#[test]
fn examples_have_findings_of_all_three_kinds_at_the_right_lines() {
    let report = scan_examples_json(&[]);
    let kinds: std::collections::BTreeSet<&str> = findings(&report)
        .iter()
        .map(|f| f["item"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["app", "endpoint", "package"]
    );
    let got = located(&report);
    let want = [
        (
            "tw-ey-2025-deepseek",
            "examples/chat-frontend/package-lock.json",
            15,
            19,
        ),
        (
            "tw-ey-2025-deepseek",
            "examples/chat-frontend/package.json",
            6,
            6,
        ),
        (
            "tw-ey-2025-deepseek",
            "examples/inventory/devices.csv",
            6,
            12,
        ),
        (
            "tw-ey-2025-deepseek",
            "examples/inventory/devices.csv",
            9,
            10,
        ),
        (
            "tw-ey-2025-deepseek",
            "examples/network/egress-allowlist.list",
            5,
            1,
        ),
        (
            "tw-ey-2025-deepseek",
            "examples/project/requirements.txt",
            6,
            1,
        ),
        (
            "tw-moda-2022-tiktok",
            "examples/inventory/devices.csv",
            8,
            12,
        ),
        (
            "tw-moda-2025-deepseek",
            "examples/chat-frontend/package-lock.json",
            15,
            19,
        ),
        (
            "tw-moda-2025-deepseek",
            "examples/chat-frontend/package.json",
            6,
            6,
        ),
        (
            "tw-moda-2025-deepseek",
            "examples/inventory/devices.csv",
            6,
            12,
        ),
        (
            "tw-moda-2025-deepseek",
            "examples/inventory/devices.csv",
            9,
            10,
        ),
        (
            "tw-moda-2025-deepseek",
            "examples/network/egress-allowlist.list",
            5,
            1,
        ),
        (
            "tw-moda-2025-deepseek",
            "examples/project/requirements.txt",
            6,
            1,
        ),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(p, f, l, c)| (p.to_string(), f.to_string(), *l, *c))
        .collect();
    assert_eq!(got, want);
    assert_eq!(report["summary"]["waived"], 2);
    assert_eq!(report["summary"]["by_severity"]["ban"], 6);
    assert_eq!(report["summary"]["by_severity"]["restrict"], 5);
    assert_eq!(report["summary"]["files"]["unread"], 0);
}

/// Look-alikes in every kind of evidence are not flagged.
#[test]
fn near_misses_are_not_flagged() {
    let report = scan_examples_json(&[]);
    let text = serde_json::to_string(findings(&report)).unwrap();
    for near_miss in [
        "notdeepseek.com",
        "deepseek.com.example.net",
        "DeepSeek Fan Wallpapers",
        "deepseek-wallpapers-fan",
        "langchain-core",
    ] {
        assert!(!text.contains(near_miss), "{near_miss} was flagged");
    }
}

/// Before the first DeepSeek ban no DeepSeek policy applies; the 2022
/// TikTok ban still does.
#[test]
fn as_of_2024_applies_no_deepseek_policy() {
    let run = banscan(&[
        "scan",
        "examples",
        "--as-of",
        "2024-12-31",
        "--format",
        "json",
    ]);
    run.expect_code(1);
    let report = run.json();
    for p in report["policies"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        if id.contains("deepseek") {
            assert_eq!(p["applied"], false, "{p}");
        }
        if ["tw-ey-2025-deepseek", "tw-moda-2025-deepseek"].contains(&id) {
            assert!(
                p["reason"]
                    .as_str()
                    .unwrap()
                    .starts_with("not yet effective on 2024-12-31"),
                "{p}"
            );
        }
    }
    let policies: Vec<&str> = findings(&report)
        .iter()
        .map(|f| f["policy"].as_str().unwrap())
        .collect();
    assert_eq!(policies, ["tw-moda-2022-tiktok"]);
}

/// The JSON report has the documented shape.
#[test]
fn json_report_shape() {
    let report = scan_examples_json(&[]);
    assert_eq!(report["schema"], "banscan-report/3");
    assert_eq!(report["tool"]["name"], "banscan");
    assert_eq!(report["as_of"], AS_OF);
    assert_eq!(report["profiles"][0]["jurisdiction"], "TW");
    assert_eq!(report["profiles"][0]["unrestricted"], false);
    for key in ["policies", "inputs", "findings", "notices"] {
        assert!(report[key].is_array(), "{key}");
    }
    let input = &report["inputs"][0];
    for key in ["path", "state", "format", "items", "profile"] {
        assert!(input.get(key).is_some(), "inputs[].{key}");
    }
    let f = findings(&report)
        .iter()
        .find(|f| f["item"]["kind"] == "package" && f["item"]["ecosystem"] == "pypi")
        .unwrap();
    for key in [
        "fingerprint",
        "policy",
        "product",
        "severity",
        "identifier",
        "item",
        "location",
        "count",
        "waiver",
    ] {
        assert!(f.get(key).is_some(), "finding.{key}");
    }
    assert_eq!(f["fingerprint"].as_str().unwrap().len(), 64);
    assert_eq!(f["identifier"], "pkg:pypi/langchain-deepseek");
    assert_eq!(f["item"]["ecosystem"], "pypi");
    assert_eq!(f["item"]["version"], "0.1.3");
    assert_eq!(f["count"], 1);
    for key in [
        "findings",
        "by_severity",
        "waived",
        "files",
        "skipped_records",
    ] {
        assert!(report["summary"].get(key).is_some(), "summary.{key}");
    }
    // Fingerprints are stable across runs.
    let again = scan_examples_json(&[]);
    assert_eq!(
        findings(&report)[0]["fingerprint"],
        findings(&again)[0]["fingerprint"]
    );
}

/// The human report points at the evidence line and cites the policy.
#[test]
fn human_report_cites_the_policy_at_the_evidence_line() {
    let run = banscan(&["scan", "examples", "--as-of", AS_OF]);
    run.expect_code(1)
        .expect_contains("banscan::finding::banned_package")
        .expect_contains("[examples/project/requirements.txt:6:1]")
        .expect_contains("langchain_deepseek==0.1.3")
        .expect_contains("matches pkg:pypi/langchain-deepseek")
        .expect_contains("Executive Yuan")
        .expect_contains("legal basis: Executive Yuan (2019), Principles on Restricting")
        .expect_contains("https://ithome.com.tw/news/167184")
        .expect_contains("[examples/network/egress-allowlist.list:5:5]")
        .expect_contains(
            "banscan: 13 findings (ban 6, restrict 5, advisory 0; 2 waived) in 5 files read",
        )
        .expect_contains("Ministry of Example Affairs");
}

/// Without a profile or flags every policy in force applies, and the report says so.
#[test]
fn no_profile_means_every_policy_applies() {
    let run = banscan(&["scan", "examples/project", "--no-profile", "--as-of", AS_OF]);
    run.expect_code(1)
        .expect_contains("every policy in force applies");
}

/// `--fail-on never` reports but passes; `--fail-on ban` ignores restrictions.
#[test]
fn fail_on_sets_the_threshold() {
    banscan(&[
        "scan",
        "examples",
        "--as-of",
        AS_OF,
        "--fail-on",
        "never",
        "-q",
    ])
    .expect_code(0);
    banscan(&[
        "scan",
        "examples/project",
        "--no-profile",
        "--as-of",
        AS_OF,
        "--sector",
        "critical-infrastructure",
        "--jurisdiction",
        "TW",
        "--fail-on",
        "ban",
        "-q",
    ])
    .expect_code(0);
}

/// A path that does not exist fails the scan.
#[test]
fn missing_input_is_exit_2() {
    banscan(&[
        "scan",
        "examples/project",
        "no/such/file.csv",
        "--as-of",
        AS_OF,
    ])
    .expect_code(2)
    .expect_contains("no/such/file.csv");
}

/// A file that cannot be read (a dangling link) fails the scan.
#[cfg(unix)]
#[test]
fn unreadable_input_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone.list"), dir.path().join("hosts.list"))
        .unwrap();
    let run = banscan_in(
        dir.path(),
        &["scan", "hosts.list", "--no-profile", "--as-of", AS_OF],
    );
    run.expect_code(2).expect_contains("hosts.list");
}

/// A line that fits no shape is passed over and counted with its first
/// example, and the findings after it are kept; it fails the scan only when
/// the literal search finds an identifier in it (a finding may be lost).
#[test]
fn malformed_lines_are_counted_and_fail_only_when_they_may_hide_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let scan = |text: &str| {
        std::fs::write(dir.path().join("egress.list"), text).unwrap();
        banscan_in(
            dir.path(),
            &[
                "scan",
                "egress.list",
                "--no-profile",
                "--as-of",
                AS_OF,
                "--format",
                "json",
            ],
        )
    };
    let run = scan("www.gov.tw\nexa$mple!com\napi.deepseek.com\n");
    run.expect_code(1);
    let report = run.json();
    let input = &report["inputs"][0];
    assert_eq!(input["state"], "read");
    assert_eq!(input["skipped"]["count"], 1, "{input:#}");
    assert_eq!(input["skipped"]["first"]["line"], 2);
    assert!(findings(&report).iter().any(|f| f["location"]["line"] == 3));

    let run = scan("www.gov.tw\nchat.deepseek.com!!\napi.deepseek.com\n");
    run.expect_code(2);
    let report = run.json();
    let input = &report["inputs"][0];
    assert_eq!(input["state"], "unread");
    assert_eq!(input["problems"][0]["line"], 2);
    let message = input["problems"][0]["message"].as_str().unwrap();
    assert!(message.contains("deepseek.com"), "{message}");
    assert!(findings(&report).iter().any(|f| f["location"]["line"] == 3));
}

/// `--output` writes the report to a file and nothing to stdout.
#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let run = banscan(&[
        "scan",
        "examples",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    run.expect_code(1);
    assert!(run.stdout.is_empty());
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(report["schema"], "banscan-report/3");
}

/// `--output` through a symlink writes the file it points at and keeps the
/// link: the atomic rename goes to the real file, not over the link.
#[cfg(unix)]
#[test]
fn output_through_a_symlink_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    let link = dir.path().join("report.json");
    std::fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let run = banscan(&[
        "scan",
        "examples",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "-o",
        link.to_str().unwrap(),
    ]);
    run.expect_code(1);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&real).unwrap()).unwrap();
    assert_eq!(report["schema"], "banscan-report/3");
}

/// `--output` to something that is not a regular file (a FIFO here; the same
/// holds for `/dev/null`) is written in place: a rename over it would
/// replace the FIFO or the device with a regular file.
#[cfg(unix)]
#[test]
fn output_to_a_fifo_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("report.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let run = banscan(&[
        "scan",
        "examples",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "-o",
        fifo.to_str().unwrap(),
    ]);
    run.expect_code(1);
    // Checked before joining: had the FIFO been replaced, its reader would
    // wait for a writer forever.
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let report: Value = serde_json::from_str(&reader.join().unwrap()).unwrap();
    assert_eq!(report["schema"], "banscan-report/3");
}

/// An expired waiver waives nothing and is reported.
#[test]
fn expired_waiver_is_reported_and_waives_nothing() {
    let run = banscan(&[
        "scan",
        "examples",
        "--as-of",
        "2027-07-01",
        "--format",
        "json",
    ]);
    let report = run.json();
    assert_eq!(report["summary"]["waived"], 0);
    let notices = serde_json::to_string(&report["notices"]).unwrap();
    assert!(notices.contains("banscan::waiver::expired"), "{notices}");
}

/// A repository's README and licence are not taken for evidence in a walk.
#[test]
fn walks_pass_over_files_that_are_not_evidence() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("README.txt"),
        "This project talks to the DeepSeek API.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("LICENSE.txt"),
        "MIT License\n\nPermission is hereby granted\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("requirements.txt"),
        "langchain-deepseek==0.1.3\n",
    )
    .unwrap();
    let run = banscan_in(
        dir.path(),
        &[
            "scan",
            ".",
            "--no-profile",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
    );
    run.expect_code(1);
    let report = run.json();
    let paths: Vec<(&str, &str)> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["path"].as_str().unwrap(), i["state"].as_str().unwrap()))
        .collect();
    // Every file met is listed: read, or not evidence with its reason.
    assert_eq!(
        paths,
        [
            ("requirements.txt", "read"),
            ("LICENSE.txt", "not-evidence"),
            ("README.txt", "not-evidence")
        ]
    );
}

/// Bad arguments are exit 2 with a message.
#[test]
fn bad_arguments_are_exit_2() {
    banscan(&["scan", "--as-of", "2025-02-30", "examples"])
        .expect_code(2)
        .expect_contains("--as-of");
    banscan(&["scan", "--sector", "govt", "examples"])
        .expect_code(2)
        .expect_contains("unknown sector");
    banscan(&["scan", "--bogus"]).expect_code(2);
    let _ = root();
}

/// The human report of one small project, as a user sees it (no colour).
#[test]
fn human_report_snapshot() {
    let run = banscan(&[
        "scan",
        "examples/project",
        "--no-profile",
        "--jurisdiction",
        "TW",
        "--sector",
        "central-government",
        "--as-of",
        AS_OF,
    ]);
    run.expect_code(1);
    insta::assert_snapshot!(run.stdout);
}

/// Real `uv pip compile --generate-hashes` output: the package is found on
/// its own line, with its pinned version, across hash continuations and
/// `# via` comments.
#[test]
fn uv_pip_compile_with_hashes() {
    let run = banscan(&[
        "scan",
        "tests/fixtures/requirements/uv-pip-compile-hashes.txt",
        "--no-profile",
        "--jurisdiction",
        "TW",
        "--sector",
        "central-government",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["inputs"][0]["state"], "read");
    let f = &findings(&report)[0];
    assert_eq!(f["location"]["line"], 27);
    assert_eq!(f["item"]["version"], "1.1.1");
}

/// A compiled requirements file whose name does not say so is recognised by
/// its content, not misread as an endpoint list.
#[test]
fn requirements_recognised_by_content() {
    let run = banscan(&[
        "scan",
        "tests/fixtures/requirements/uv-compiled-deps.txt",
        "--no-profile",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["inputs"][0]["format"], "requirements");
    assert!(
        findings(&report)
            .iter()
            .all(|f| f["location"]["line"] == 18)
    );
}

/// A policy that binds one agency (NASA's memo) applies to that agency only.
#[test]
fn organisation_bound_policies_apply_to_that_organisation_only() {
    let applied = |extra: &[&str]| -> bool {
        let mut args = vec![
            "scan",
            "examples/project",
            "--no-profile",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let report = banscan(&args).json();
        let nasa = report["policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == "us-nasa-2025-deepseek")
            .unwrap()
            .clone();
        nasa["applied"].as_bool().unwrap()
    };
    assert!(!applied(&[
        "--jurisdiction",
        "US",
        "--sector",
        "central-government"
    ]));
    assert!(!applied(&[
        "--jurisdiction",
        "US",
        "--sector",
        "central-government",
        "--organization",
        "Department of Education"
    ]));
    assert!(applied(&[
        "--jurisdiction",
        "US",
        "--sector",
        "central-government",
        "--organization",
        "nasa"
    ]));
    assert!(applied(&[]));
}

/// A saved JSON report reads back into the report model, so it can be
/// rendered again or merged later.
#[test]
fn json_report_reads_back_into_the_model() {
    let run = banscan(&["scan", "examples", "--as-of", AS_OF, "--format", "json"]);
    let report: banscan::report::Report =
        serde_json::from_str(&run.stdout).expect("the report model reads its own JSON");
    assert_eq!(report.findings.len(), 13);
    assert_eq!(report.to_json(), run.stdout);
    let human = banscan::report::render::human::render(&report, false, true);
    assert!(human.contains("banscan: 13 findings"), "{human}");
}

/// Taiwan's handover for an approved exception: the lab PC is waived under
/// the 2019 principles up to 2026-01-14 and under the statute from
/// 2026-01-15, and neither waiver is reported while the other's policy is
/// the one in force.
#[test]
fn waivers_follow_the_taiwan_handover_without_stale_notices() {
    for (as_of, policy) in [
        ("2026-01-14", "tw-ey-2025-deepseek"),
        ("2026-01-16", "tw-moda-2025-deepseek-statute"),
    ] {
        let run = banscan(&["scan", "examples", "--as-of", as_of, "--format", "json"]);
        let report = run.json();
        let lab: Vec<_> = findings(&report)
            .iter()
            .filter(|f| f["item"]["device"] == "LAB-0003" && f["policy"] == policy)
            .collect();
        assert_eq!(lab.len(), 1, "{as_of}: {lab:?}");
        assert!(lab[0]["waiver"].is_object(), "{as_of}: {:?}", lab[0]);
        let notices = serde_json::to_string(&report["notices"]).unwrap();
        assert!(!notices.contains("banscan::waiver::"), "{as_of}: {notices}");
    }
}
