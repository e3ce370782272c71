//! `policy export --target sigma` and `--target suricata` (issue 15): the
//! golden files of the export fixture, and every generated file checked by
//! the engines' own tools — `sigma check` (and a `sigma convert` to Splunk)
//! from the `sigma-cli` PyPI package, and `suricata-check` from PyPI — on
//! the fixture, on a policy with a hostile title, and on the whole
//! built-in library.
//!
//! The tools are found on `PATH` or in `target/validators/bin` (the venv
//! `.ci/run` makes). A missing tool fails the test; set
//! `BANSCAN_SKIP_VALIDATORS=1` to skip the validator runs instead.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Run, root};
use crate::export::{export, export_builtin, export_from};

/// The validator `name`, or `None` when it is missing and
/// `BANSCAN_SKIP_VALIDATORS=1` says to skip; missing otherwise fails.
fn validator(name: &str) -> Option<PathBuf> {
    let venv = root().join("target/validators/bin").join(name);
    let found = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(name))
        .chain([venv])
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var("BANSCAN_SKIP_VALIDATORS").as_deref() == Ok("1"),
            "`{name}` is missing: install it (.ci/run does: pip install sigma-cli \
             pysigma-backend-splunk suricata-check into target/validators) or set \
             BANSCAN_SKIP_VALIDATORS=1"
        );
        // The one line saying a check was skipped, on purpose.
        #[allow(clippy::print_stderr)]
        {
            eprintln!("skipping the {name} run: BANSCAN_SKIP_VALIDATORS=1");
        }
    }
    found
}

fn run_tool(tool: &Path, args: &[&str], dir: &Path) -> Run {
    let out = Command::new(tool)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the validator runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Writes `run`'s artifact to `dir/name` and returns its path.
fn save(dir: &Path, name: &str, run: &Run) -> PathBuf {
    run.expect_code(0);
    let path = dir.join(name);
    std::fs::write(&path, &run.stdout).unwrap();
    path
}

/// `sigma check`, failing on any validation issue as well as on errors.
fn sigma_check(file: &Path) {
    let Some(sigma) = validator("sigma") else {
        return;
    };
    let dir = file.parent().unwrap();
    run_tool(
        &sigma,
        &["check", "--fail-on-issues", file.to_str().unwrap()],
        dir,
    )
    .expect_code(0)
    .expect_contains("No rule errors found.")
    .expect_contains("No validation issues found.");
}

/// `suricata-check` at error level: every rule of the file is read as a
/// rule, none has an error-level issue, and no option is unknown to it.
fn suricata_check(file: &Path) {
    let Some(tool) = validator("suricata-check") else {
        return;
    };
    let dir = file.parent().unwrap();
    let out = dir.join("suricata-check");
    let run = run_tool(
        &tool,
        &[
            "--rules",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--issue-severity",
            "ERROR",
        ],
        dir,
    );
    run.expect_code(0)
        .expect_contains("Total issues found: 0")
        .expect_lacks("Error parsing rule");
    let log = std::fs::read_to_string(out.join("suricata-check.log")).unwrap();
    for line in log.lines().filter(|l| l.contains("is not recognized")) {
        // Custom metadata keys (banscan_policy) are Suricata's to allow.
        assert!(line.contains("Metadata option banscan_"), "{line}");
    }
    let text = std::fs::read_to_string(file).unwrap();
    // suricata-check's header pattern has no `:` among address characters
    // (`_ADDR_REGEX` in its utils/regex.py), so it refuses every IPv6
    // address rule, which Suricata reads; those are left out of the count.
    let ipv6 = |l: &str| {
        l.starts_with("alert ip any any -> ")
            && l.split(' ').nth(5).is_some_and(|a| a.contains(':'))
    };
    let rules: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty() && !ipv6(l))
        .collect();
    let checked: Vec<String> = std::fs::read_to_string(out.join("suricata-check.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["rule"].to_string())
        .collect();
    assert_eq!(checked.len(), rules.len(), "every rule is read as one");
    let mut sids: Vec<u32> = rules
        .iter()
        .map(|r| {
            let sid = r.split("sid:").nth(1).unwrap().split(';').next().unwrap();
            sid.parse().unwrap()
        })
        .collect();
    assert!(sids.iter().all(|s| (1_000_000..2_000_000).contains(s)));
    sids.sort_unstable();
    sids.dedup();
    assert_eq!(sids.len(), rules.len(), "sids are unique");
}

/// The whole built-in library as of 2026-12-01, no profile: real data.
fn library(target: &str) -> Run {
    export_builtin(&["--target", target, "--include-unconfirmed"])
}

/// The fixture with its policy's title (and an app name) made hostile:
/// quotes, a backslash, YAML and rule syntax, non-ASCII, a tab.
fn hostile(target: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let policy = std::fs::read_to_string(root().join("tests/fixtures/export/policies/demo.yaml"))
        .unwrap()
        .replace(
            "title: Demo ban on Demo Chat\n",
            "title: \"Ban \\\"Demo\\\" \\\\ it's: #1 — 禁止 {x} --- [y]; sid:1;\\ttab\"\n",
        )
        .replace(
            "\"Demo Chat's Helper\"",
            "\"Demo \\\"Chat\\\"; Helper\\\\\\\\\"",
        );
    let path = dir.path().join("hostile.yaml");
    std::fs::write(&path, policy).unwrap();
    export_from(
        path.to_str().unwrap(),
        "2026-01-01",
        &["--target", target, "--include-unconfirmed"],
    )
}

/// One rule per policy and log source (DNS, proxy), the unconfirmed host
/// in an `experimental` rule of its own, the exemption as a filter of the
/// policy that grants it only; apps, packages and digests handed back.
#[test]
fn sigma_golden() {
    let run = export(&["--target", "sigma", "--include-unconfirmed"]);
    run.expect_code(0)
        .expect_contains("5 identifiers not exported (not in DNS or proxy logs")
        .expect_contains("`app name \"Demo Chat's Helper\", on macos`");
    insta::assert_snapshot!(run.stdout);
}

/// `sigma check` accepts the fixture's rules without an issue, and the
/// Splunk backend converts them: the exemption is a NOT.
#[test]
fn sigma_rules_pass_sigma_check_and_convert() {
    let dir = tempfile::tempdir().unwrap();
    let run = export(&["--target", "sigma", "--include-unconfirmed"]);
    let file = save(dir.path(), "banscan.sigma.yml", &run);
    sigma_check(&file);
    let Some(sigma) = validator("sigma") else {
        return;
    };
    let args = [
        "convert",
        "-t",
        "splunk",
        "--without-pipeline",
        file.to_str().unwrap(),
    ];
    run_tool(&sigma, &args, dir.path())
        .expect_code(0)
        .expect_contains(r#"query="demochat.example" OR query IN ("*.cdn.demochat.example", "*.demochat.example") NOT (query IN ("help.demochat.example", "*.help.demochat.example"))"#)
        .expect_contains(r#"dst_ip="198.51.100.0/24""#);
}

/// A hostile title stays one YAML string that `sigma check` accepts.
#[test]
fn sigma_escapes_a_hostile_title() {
    let run = hostile("sigma");
    run.expect_contains(r#"title: "Ban \"Demo\" \\ it's: #1 — 禁止 {x} --- [y]; sid:1;\ttab (xx-a-2025-chat, DNS queries)""#);
    let dir = tempfile::tempdir().unwrap();
    sigma_check(&save(dir.path(), "banscan.sigma.yml", &run));
}

/// The whole built-in library passes `sigma check`; Kaspersky's Threat
/// Intelligence hosts are filtered out of the ban that exempts them.
#[test]
fn sigma_library_passes_sigma_check() {
    let run = library("sigma");
    run.expect_contains("title: \"Prohibition of transactions in Kaspersky cybersecurity")
        .expect_contains("- \"opentip.kaspersky.com\"");
    let dir = tempfile::tempdir().unwrap();
    sigma_check(&save(dir.path(), "banscan.sigma.yml", &run));
}

/// DNS and TLS SNI rules per domain, dot-prefixed so the name and its
/// subdomains match (a `*.` name without the prefix), an `ip` rule per
/// address or range; the exemption as `pass` rules first; the unconfirmed
/// host an alert marked unconfirmed.
#[test]
fn suricata_golden() {
    let run = export(&["--target", "suricata", "--include-unconfirmed"]);
    run.expect_code(0)
        .expect_contains("5 identifiers not exported (not on the wire");
    let rules: Vec<&str> = run.stdout.lines().filter(|l| !l.starts_with('#')).collect();
    let first_alert = rules.iter().position(|r| r.starts_with("alert")).unwrap();
    assert!(rules[..first_alert].iter().all(|r| r.starts_with("pass")));
    assert_eq!(first_alert, 2, "{rules:#?}");
    assert!(
        rules
            .iter()
            .filter(|r| r.contains("beta.demochat.example"))
            .all(|r| r.starts_with("alert ") && r.contains("banscan_confidence unconfirmed"))
    );
    insta::assert_snapshot!(run.stdout);
}

/// suricata-check reads every rule and finds no error-level issue; sids
/// are unique and in the local range.
#[test]
fn suricata_rules_pass_suricata_check() {
    let dir = tempfile::tempdir().unwrap();
    let run = export(&["--target", "suricata", "--include-unconfirmed"]);
    suricata_check(&save(dir.path(), "banscan.rules", &run));
    let hostile = hostile("suricata");
    hostile.expect_contains(r#"`app name "Demo "Chat"; Helper\\", on macos`"#);
    suricata_check(&save(dir.path(), "hostile.rules", &hostile));
}

/// The whole built-in library passes suricata-check; the Kaspersky
/// exemptions are pass rules.
#[test]
fn suricata_library_passes_suricata_check() {
    let run = library("suricata");
    run.expect_contains(
        "pass dns any any -> any any (msg:\"banscan exempt from us-bis-2024-kaspersky",
    );
    let dir = tempfile::tempdir().unwrap();
    suricata_check(&save(dir.path(), "banscan.rules", &run));
}
