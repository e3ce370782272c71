//! Running the binary and reading its output.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout and stderr together, for assertions that do not care which.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn expect_contains(&self, needle: &str) -> &Run {
        assert!(
            self.all().contains(needle),
            "output lacks {needle:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn expect_lacks(&self, needle: &str) -> &Run {
        assert!(
            !self.all().contains(needle),
            "output has {needle:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The JSON report without `run` (when and how long), which is all
    /// two runs of the same scan may differ in.
    pub fn json_without_run(&self) -> serde_json::Value {
        let mut json = self.json();
        json.as_object_mut().unwrap().remove("run");
        json
    }
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs banscan in the repository root (so fixture paths are relative and
/// appear in output as written), without colour.
pub fn banscan(args: &[&str]) -> Run {
    banscan_in(&root(), args)
}

/// Lints `tests/fixtures/FOLDER/FIXTURE.yaml` and checks it is refused
/// (exit 2) with diagnostic `code` pointing at `file:line`, with help.
#[track_caller]
pub fn lint_rejects(folder: &str, fixture: &str, code: &str, line: u32) {
    let path = format!("tests/fixtures/{folder}/{fixture}.yaml");
    banscan(&["policy", "lint", "--no-builtin", &path])
        .expect_code(2)
        .expect_contains(&format!("banscan::policy::{code}"))
        .expect_contains(&format!("[{path}:{line}:"))
        .expect_contains("help:");
}

pub fn banscan_in(dir: &Path, args: &[&str]) -> Run {
    banscan_env(dir, args, &[])
}

/// As [`banscan_in`], with environment variables set (`Some`) or removed
/// (`None`).
pub fn banscan_env(dir: &Path, args: &[&str], env: &[(&str, Option<&str>)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_banscan"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    for (key, value) in env {
        match value {
            Some(v) => command.env(key, v),
            None => command.env_remove(key),
        };
    }
    let out = command.output().expect("the banscan binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Scans `paths` (relative to the repository root) with only the policy
/// YAML `policy`, written to a temporary folder: no built-in library, no
/// profile, as of 2026-01-01.
pub fn scan_with_policy(policy: &str, paths: &[&str], format: &str) -> Run {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("policy.yaml");
    std::fs::write(&file, policy).expect("the policy is written");
    let file = file.to_str().expect("a UTF-8 path");
    let mut args = vec![
        "scan",
        "--no-builtin",
        "--no-profile",
        "--policies",
        file,
        "--as-of",
        "2026-01-01",
        "--format",
        format,
    ];
    args.extend_from_slice(paths);
    banscan(&args)
}

/// The first finding whose item is called `name`.
pub fn finding_named<'r>(
    report: &'r serde_json::Value,
    name: &str,
) -> Option<&'r serde_json::Value> {
    report["findings"]
        .as_array()?
        .iter()
        .find(|f| f["item"]["name"] == name)
}

/// `scan --no-profile --as-of AS_OF --format json ARGS` from the
/// repository root: the exit code and the report.
pub fn scan_json_as_of(as_of: &str, args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["scan", "--no-profile", "--as-of", as_of, "--format", "json"];
    all.extend_from_slice(args);
    let run = banscan(&all);
    (run.code, run.json())
}

/// `(name, version, line, column)` of each finding, sorted, once each.
pub fn flagged_packages(report: &serde_json::Value) -> Vec<(String, String, u64, u64)> {
    let mut got: Vec<_> = report["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .map(|f| {
            (
                f["item"]["name"].as_str().unwrap_or("").to_string(),
                f["item"]["version"].as_str().unwrap_or("-").to_string(),
                f["location"]["line"].as_u64().unwrap_or(0),
                f["location"]["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    got.sort();
    got.dedup();
    got
}

/// Scans `path` with the built-in library and no profile, as of
/// 2025-06-01 (every DeepSeek ban in force): the exit code and the JSON
/// report.
pub fn scan_builtin_json(path: &str) -> (i32, serde_json::Value) {
    let run = banscan(&[
        "scan",
        "--no-profile",
        "--as-of",
        "2025-06-01",
        "--format",
        "json",
        path,
    ]);
    (run.code, run.json())
}

/// The names of the items flagged, sorted, each once.
pub fn flagged_names(report: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = report["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .map(|f| f["item"]["name"].as_str().unwrap_or_default().to_string())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The network-log tests' policy: DeepSeek's domain and the network
/// `203.0.113.0/24`, so each reader is checked for domains and CIDR
/// blocks alike.
pub const DEEPSEEK_ENDPOINTS: &str = r#"
product: demo-deepseek
name: Demo DeepSeek
identifiers:
  endpoints:
    - deepseek.com
    - 203.0.113.0/24
---
policy: xx-demo-2025-deepseek
title: Demo ban on DeepSeek
authority: Demo Ministry
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Demo Act
sources: [{title: Demo notice, publisher: Demo Gazette, url: "https://example.org/notice"}]
binds: {sectors: [all]}
severity: ban
bans:
  - product: demo-deepseek
examples:
  violating: [{endpoint: chat.deepseek.com}]
  compliant: [{endpoint: notdeepseek.com}]
"#;

/// A log finding as the network-log tests compare them: host, client,
/// first line and column, count, first and last time (`-` when absent).
pub type Seen = (String, String, u64, u64, u64, String, String);

/// Every finding of `report` as [`Seen`], in report order.
pub fn seen(report: &serde_json::Value) -> Vec<Seen> {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("-").to_string();
    report["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .map(|f| {
            (
                s(&f["item"]["host"]),
                s(&f["item"]["client"]),
                f["location"]["line"].as_u64().unwrap_or(0),
                f["location"]["column"].as_u64().unwrap_or(0),
                f["count"].as_u64().unwrap_or(0),
                s(&f["first_seen"]),
                s(&f["last_seen"]),
            )
        })
        .collect()
}

/// A [`Seen`] written out.
pub fn seen_row(
    host: &str,
    client: &str,
    line: u64,
    column: u64,
    count: u64,
    first: &str,
    last: &str,
) -> Seen {
    (
        host.into(),
        client.into(),
        line,
        column,
        count,
        first.into(),
        last.into(),
    )
}
