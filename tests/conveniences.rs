//! `banscan init`, shell completions and the man page, and the CI recipes
//! (the GitHub Action, the GitLab job, the pre-commit hook): the recipes
//! are YAML files that must parse and run banscan with flags it accepts.

use std::path::Path;
use std::process::Command;

use crate::common::{Run, banscan, banscan_in, root};

/// A folder holding a copy of each fixture, by the name it gets there.
fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (fixture, name) in files {
        std::fs::copy(root().join(fixture), dir.path().join(name)).unwrap();
    }
    dir
}

/// The profile `init` writes loads as written: `policy lint` passes it
/// and `scan` judges by it; it says what evidence the folder holds.
#[test]
fn init_writes_a_profile_that_lint_and_scan_accept() {
    let dir = folder_with(&[("tests/fixtures/cargo-lock/v4/Cargo.lock", "Cargo.lock")]);
    banscan_in(dir.path(), &["init"])
        .expect_code(0)
        .expect_contains("wrote banscan.yaml");
    let text = std::fs::read_to_string(dir.path().join("banscan.yaml")).unwrap();
    for key in [
        "organization:",
        "jurisdiction:",
        "sectors:",
        "policies:",
        "fail_on: restrict",
        "strict: false",
        "allow_unread: false",
        "exclude:",
        "waivers:",
        "central-government",
    ] {
        assert!(text.contains(key), "no {key} in\n{text}");
    }
    assert!(
        text.contains("read by a scan: cargo-lock (1 file)"),
        "{text}"
    );
    banscan_in(dir.path(), &["policy", "lint", "banscan.yaml"]).expect_code(0);
    let run = banscan_in(
        dir.path(),
        &["scan", "--profile", "banscan.yaml", "--format", "json"],
    );
    run.expect_code(0);
    let report = run.json();
    assert_eq!(report["profiles"][0]["path"], "banscan.yaml");
    assert_eq!(report["summary"]["files"]["read"], 1, "{report:#}");
    assert_eq!(
        report["summary"]["files"]["not_evidence"], 1,
        "the profile itself"
    );
}

/// Who the organisation is, given on the command line, is written in and
/// used: a TW central-government profile flags the requirements file
/// that the README's second job flags.
#[test]
fn init_writes_who_the_organisation_is() {
    let dir = folder_with(&[("examples/project/requirements.txt", "requirements.txt")]);
    banscan_in(
        dir.path(),
        &[
            "init",
            "--jurisdiction",
            "tw",
            "--sector",
            "central-government",
            "--organization",
            "Agency: \"A\" # B",
        ],
    )
    .expect_code(0);
    banscan_in(dir.path(), &["policy", "lint", "banscan.yaml"]).expect_code(0);
    let run = banscan_in(dir.path(), &["scan", "--format", "json"]);
    run.expect_code(1);
    let profile = &run.json()["profiles"][0];
    assert_eq!(profile["jurisdiction"], "TW", "{profile:#}");
    assert_eq!(profile["organization"], "Agency: \"A\" # B", "{profile:#}");
}

/// A profile someone has filled in is never lost to a second `init`:
/// exit 2 and the file untouched, unless `--force`.
#[test]
fn init_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("banscan.yaml");
    std::fs::write(&path, "organization: Filled In\n").unwrap();
    banscan_in(dir.path(), &["init"])
        .expect_code(2)
        .expect_contains("banscan.yaml exists already")
        .expect_contains("--force");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "organization: Filled In\n"
    );
    banscan_in(dir.path(), &["init", "--force"]).expect_code(0);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("policies:")
    );
}

/// `--output` writes elsewhere and surveys that folder: evidence banscan
/// does not read yet is named, since it would stop the scan.
#[test]
fn init_output_surveys_its_own_folder() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("site");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/coverage/bun.lock"),
        sub.join("bun.lock"),
    )
    .unwrap();
    banscan_in(dir.path(), &["init", "--output", "site/banscan.yaml"]).expect_code(0);
    let text = std::fs::read_to_string(sub.join("banscan.yaml")).unwrap();
    assert!(
        text.contains("recognised, not read yet: bun-lock (1 file)"),
        "{text}"
    );
    assert!(!dir.path().join("banscan.yaml").exists());
}

/// The audience is checked as `scan` checks it, before anything is written.
#[test]
fn init_rejects_an_unknown_sector() {
    let dir = tempfile::tempdir().unwrap();
    banscan_in(dir.path(), &["init", "--sector", "goverment"])
        .expect_code(2)
        .expect_contains("unknown sector `goverment`");
    assert!(!dir.path().join("banscan.yaml").exists());
}

/// Completions come from the CLI definition: commands and flags are in.
#[test]
fn completions_for_every_shell() {
    banscan(&["completions", "bash"])
        .expect_code(0)
        .expect_contains("scan")
        .expect_contains("--format")
        .expect_contains("--report-dir");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let run = banscan(&["completions", shell]);
        run.expect_code(0).expect_contains("--format");
    }
    banscan(&["completions", "tcsh"]).expect_code(2);
}

/// The man pages come from the CLI definition; a command has its own.
#[test]
fn man_pages() {
    banscan(&["man"])
        .expect_code(0)
        .expect_contains(".TH banscan")
        .expect_contains("completions");
    banscan(&["man", "scan"])
        .expect_code(0)
        .expect_contains(".TH banscan-scan")
        .expect_contains("\\-\\-report\\-dir");
    banscan(&["man", "scna"])
        .expect_code(2)
        .expect_contains("no command `scna`");
}

/// A YAML file of the repository, parsed as pre-commit, GitHub and GitLab
/// would (any YAML parser would do; this one is banscan's own).
fn yaml(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn step<'a>(action: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no step {name}"))
}

/// The action's scan step, run as the runner runs it (bash, inputs in the
/// environment) on the examples: banscan's exit code reaches the step's
/// output, the reports are written and the summary gets the Markdown.
#[test]
fn action_scan_step_runs() {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    for input in ["paths", "args", "sarif-file", "version", "fail-on"] {
        assert!(action["inputs"][input].is_object(), "no input {input}");
    }
    let upload = step(&action, "Upload SARIF to code scanning");
    assert_eq!(upload["uses"], "github/codeql-action/upload-sarif@v3");
    assert!(upload["if"].as_str().unwrap().starts_with("always()"));
    let install = step(&action, "Install banscan")["run"].as_str().unwrap();
    assert!(install.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\""));

    let script = step(&action, "Scan")["run"].as_str().unwrap();
    let script = script.to_string();
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let output = dir.path().join("output");
    std::fs::write(&summary, "# before\n").unwrap();
    let run = run_step(
        &script,
        &[
            ("INPUT_PATHS", "examples/inventory examples/network"),
            (
                "INPUT_ARGS",
                "--profile examples/banscan.yaml --as-of 2026-12-01",
            ),
            (
                "INPUT_SARIF_FILE",
                &dir.path().join("r.sarif").to_string_lossy(),
            ),
            ("INPUT_FAIL_ON", "ban"),
            ("GITHUB_STEP_SUMMARY", &summary.to_string_lossy()),
            ("GITHUB_OUTPUT", &output.to_string_lossy()),
        ],
        dir.path(),
    );
    run.expect_code(0);
    assert_eq!(
        std::fs::read_to_string(&output).unwrap(),
        "exit-code=1\n",
        "{}",
        run.all()
    );
    let sarif = std::fs::read_to_string(dir.path().join("r.sarif")).unwrap();
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(summary.starts_with("# before\n") && summary.len() > 100);
    // Both reports were made by one run of the profile's scan.
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    assert!(
        summary.contains("tw-moda-2025-deepseek-statute"),
        "{summary}"
    );
    // `fail-on: never` passes a scan with findings.
    std::fs::remove_file(&output).unwrap();
    run_step(
        &script,
        &[
            ("INPUT_PATHS", "examples/inventory"),
            ("INPUT_ARGS", ""),
            (
                "INPUT_SARIF_FILE",
                &dir.path().join("r.sarif").to_string_lossy(),
            ),
            ("INPUT_FAIL_ON", "never"),
            (
                "GITHUB_STEP_SUMMARY",
                &dir.path().join("s").to_string_lossy(),
            ),
            ("GITHUB_OUTPUT", &output.to_string_lossy()),
        ],
        dir.path(),
    )
    .expect_code(0);
    assert_eq!(std::fs::read_to_string(&output).unwrap(), "exit-code=0\n");
}

/// Runs a step's script with bash in the repository root, this build's
/// banscan first on PATH; `scratch` receives the Markdown report.
fn run_step(script: &str, env: &[(&str, &str)], scratch: &Path) -> Run {
    let script = script.replace("banscan.md", &scratch.join("banscan.md").to_string_lossy());
    let bin = Path::new(env!("CARGO_BIN_EXE_banscan")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .envs(env.iter().copied())
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .current_dir(root())
        .output()
        .expect("bash runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The documented GitHub workflow uses this action with its inputs and
/// the permission SARIF upload needs.
#[test]
fn github_workflow_uses_the_action() {
    let workflow = yaml("docs/ci/github.yml");
    let action = yaml("action.yml");
    assert_eq!(workflow["permissions"]["security-events"], "write");
    let steps = workflow["jobs"]["banscan"]["steps"].as_array().unwrap();
    let uses = steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.contains("/banscan@")))
        .expect("a step using the action");
    for (input, _) in uses["with"].as_object().unwrap() {
        assert!(action["inputs"][input].is_object(), "no input {input}");
    }
}

/// The GitLab job's scan writes the JUnit report its `artifacts: reports:
/// junit:` uploads, even when the job fails, with flags banscan accepts.
#[test]
fn gitlab_job_uploads_junit() {
    let ci = yaml("docs/ci/gitlab-ci.yml");
    let job = &ci["banscan"];
    assert_eq!(job["artifacts"]["when"], "always");
    assert_eq!(job["artifacts"]["reports"]["junit"], "banscan.junit.xml");
    let scan = job["script"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s.as_str())
        .find(|s| s.contains("banscan scan"))
        .expect("a scan line");
    assert!(scan.contains("--format junit --output banscan.junit.xml"));
    // The job's flags on the bundled project, in a scratch folder.
    let dir = tempfile::tempdir().unwrap();
    let args = scan.split_once("scan .").unwrap().1.to_string();
    let mut argv: Vec<String> = vec!["scan".into(), "examples/project".into()];
    argv.extend(args.split_whitespace().map(|a| match a {
        "banscan.junit.xml" | "banscan.json" => dir.path().join(a).display().to_string(),
        _ => a.to_string(),
    }));
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    banscan(&argv).expect_code(1);
    assert!(dir.path().join("banscan.junit.xml").is_file());
    assert!(dir.path().join("banscan.json").is_file());
}

/// The pre-commit hook is built from this repository with cargo and runs
/// a scan of the whole repository when an evidence file changes.
#[test]
fn pre_commit_hook() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hook = &hooks[0];
    assert_eq!(hook["id"], "banscan");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], false);
    let files = hook["files"].as_str().unwrap();
    for name in [
        r"banscan\.yaml",
        r"Cargo\.(lock|toml)",
        r"package(-lock)?\.json",
    ] {
        assert!(files.contains(name), "{name} not in {files}");
    }
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split(' ').collect();
    assert_eq!(entry, ["banscan", "scan"]);
    let mut argv = entry[1..].to_vec();
    argv.extend(["examples/project", "--jurisdiction", "TW"]);
    banscan(&argv).expect_code(1);
}
