//! Cargo.toml as package evidence: declared dependencies read directly,
//! and the resolved graph from `cargo metadata` where no scanned
//! Cargo.lock covers the manifest (`tests/fixtures/cargo-toml/README.md`).
//! Each test copies its fixture to a temporary folder and runs banscan
//! there: cargo may run, and nothing it does can touch the repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::common::{Run, root};

/// Bans `anyhow` (declared by `locked/` and `rejected/`), the workspace
/// member `deepseek-core` (reached from `app` through `bridge`), `bridge`
/// only from 1.0 (the workspace's is 0.1.0), and `deepseek-fa`, a near
/// miss of the member `deepseek-fan`.
const POLICY: &str = r#"
product: demo-crates
name: Demo crates
identifiers:
  packages:
    - purl: pkg:cargo/anyhow
    - purl: pkg:cargo/deepseek-core
    - purl: pkg:cargo/bridge
      versions: ">=1.0"
    - purl: pkg:cargo/deepseek-fa
---
policy: xx-demo-2025-crates
title: Demo ban on some crates
authority: Demo Ministry
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Demo Act
sources: [{title: Demo notice, publisher: Demo Gazette, url: "https://example.org/notice"}]
binds: {sectors: [all]}
severity: ban
bans:
  - product: demo-crates
examples:
  violating: [{package: pkg:cargo/anyhow@1.0.0}]
  compliant: [{package: pkg:cargo/serde_json@1.0.0}]
"#;

/// A copy of `tests/fixtures/cargo-toml/<case>` in a temporary folder,
/// with the policy beside it.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new(case: &str) -> Case {
        let dir = tempfile::tempdir().expect("a temporary folder");
        copy(
            &root().join("tests/fixtures/cargo-toml").join(case),
            &dir.path().join(case),
        );
        std::fs::write(dir.path().join("policy.yaml"), POLICY).expect("the policy is written");
        Case { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// `banscan scan` in the copy, JSON out, with `extra` flags and the
    /// environment changed by `env`.
    fn scan(&self, extra: &[&str], env: impl FnOnce(&mut Command)) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_banscan"));
        cmd.args([
            "scan",
            "--no-builtin",
            "--no-profile",
            "--policies",
            "policy.yaml",
            "--as-of",
            "2026-01-01",
            "--format",
            "json",
        ])
        .args(extra)
        .current_dir(self.dir.path())
        .env("NO_COLOR", "1");
        env(&mut cmd);
        let out = cmd.output().expect("the banscan binary runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for e in std::fs::read_dir(from).expect("the fixture exists") {
        let e = e.expect("an entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("a type").is_dir() {
            copy(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("a copy");
        }
    }
}

/// `(path, line, name, version, direct, item path)` of every finding,
/// sorted.
fn flagged(report: &Value) -> Vec<(String, u64, String, Value, Value, Value)> {
    let mut got: Vec<_> = report["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .map(|f| {
            (
                f["location"]["path"].as_str().unwrap_or("").to_string(),
                f["location"]["line"].as_u64().unwrap_or(0),
                f["item"]["name"].as_str().unwrap_or("").to_string(),
                f["item"]["version"].clone(),
                f["item"]["direct"].clone(),
                f["item"]["path"].clone(),
            )
        })
        .collect();
    got.sort_by(|a, b| (&a.0, a.1, &a.2).cmp(&(&b.0, b.1, &b.2)));
    got
}

fn input<'r>(report: &'r Value, path: &str) -> &'r Value {
    report["inputs"]
        .as_array()
        .expect("inputs is an array")
        .iter()
        .find(|i| i["path"] == path)
        .unwrap_or_else(|| panic!("no input {path}: {report:#}"))
}

/// A crate with a Cargo.lock beside it: the manifest gives its declared
/// dependencies only (the lock gives the graph; cargo is not run, so no
/// network), the banned `anyhow` at its line with its requirement, no
/// version, and the lock's own finding too.
#[test]
fn locked_crate_reads_declared_dependencies_without_cargo() {
    let case = Case::new("locked");
    // A PATH without cargo proves cargo was not needed.
    let run = case.scan(&["locked"], |c| {
        c.env("PATH", "/nonexistent").env_remove("CARGO");
    });
    run.expect_code(1);
    let report = run.json();
    assert_eq!(
        flagged(&report),
        [
            (
                "locked/Cargo.lock".into(),
                6,
                "anyhow".into(),
                json!("1.0.105"),
                json!(true),
                json!(["app", "anyhow"])
            ),
            (
                "locked/Cargo.toml".into(),
                7,
                "anyhow".into(),
                // The report shows the requirement where there is no version.
                json!("1"),
                json!(true),
                Value::Null
            ),
        ]
    );
    let manifest = input(&report, "locked/Cargo.toml");
    assert_eq!(manifest["state"], "read");
    assert_eq!(manifest["format"], "cargo-toml");
    // anyhow, serde_json, fastrand, itoa (renamed `text`), memchr, cfg-if, libc.
    assert_eq!(manifest["items"], 7);
    let f = &report["findings"][1];
    assert_eq!(f["location"]["column"], 1);
}

/// A workspace without a lock whose members depend on each other by path:
/// `cargo metadata --offline` resolves it without network. `app` reaches
/// the banned member `deepseek-core` through `bridge`: a transitive
/// finding at `bridge`'s line of app/Cargo.toml, with its path and
/// version; `bridge` 0.1.0 is outside the banned `>=1.0`; the near miss
/// `deepseek-fan` is not flagged; the Cargo.lock cargo wrote is gone.
#[test]
fn workspace_without_lock_gives_transitive_finding_with_path() {
    let case = Case::new("workspace");
    let run = case.scan(&["--offline", "workspace"], |_| {});
    run.expect_code(1);
    let report = run.json();
    assert_eq!(
        flagged(&report),
        [
            (
                "workspace/app/Cargo.toml".into(),
                7,
                "deepseek-core".into(),
                json!("2.1.0"),
                json!(false),
                json!(["app", "bridge", "deepseek-core"])
            ),
            (
                "workspace/bridge/Cargo.toml".into(),
                7,
                "deepseek-core".into(),
                json!("2.1.0"),
                json!(true),
                json!(["bridge", "deepseek-core"])
            ),
        ]
    );
    assert!(
        !case.path("workspace/Cargo.lock").exists(),
        "the lock cargo wrote is removed"
    );
    for path in [
        "workspace/Cargo.toml",
        "workspace/app/Cargo.toml",
        "workspace/bridge/Cargo.toml",
    ] {
        assert_eq!(input(&report, path)["state"], "read", "{path}");
    }
    // The declared `utils = { workspace = true }` is core-utils, renamed
    // in the workspace table, with cargo's version; the dev dependency has
    // its scope.
    let app = input(&report, "workspace/app/Cargo.toml");
    assert_eq!(app["items"], 4);
}

/// With a Cargo.lock in the workspace, the manifests are not run through
/// cargo unless `--cargo-metadata` asks; then cargo reads the lock with
/// `--locked` and leaves it as it was.
#[test]
fn cargo_metadata_flag_runs_cargo_despite_a_lock() {
    let case = Case::new("workspace");
    let made = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["generate-lockfile", "--offline"])
        .current_dir(case.path("workspace"))
        .output()
        .expect("cargo runs");
    assert!(made.status.success(), "{made:?}");
    let lock = std::fs::read(case.path("workspace/Cargo.lock")).expect("a lock");

    let core_in_app = |report: &Value| {
        flagged(report)
            .iter()
            .any(|f| f.0 == "workspace/app/Cargo.toml" && f.2 == "deepseek-core")
    };
    let run = case.scan(&["--offline", "workspace"], |_| {});
    run.expect_code(1);
    let report = run.json();
    assert!(!core_in_app(&report), "{report:#}");
    // Declared only, `bridge` has no version to put outside `>=1.0`: a
    // requirement-only item matches any range.
    assert!(
        flagged(&report)
            .iter()
            .any(|f| f.0 == "workspace/app/Cargo.toml" && f.2 == "bridge")
    );

    let run = case.scan(&["--offline", "--cargo-metadata", "workspace"], |_| {});
    run.expect_code(1);
    let report = run.json();
    assert!(core_in_app(&report), "{report:#}");
    // With cargo's version, bridge 0.1.0 is outside `>=1.0`.
    assert!(!flagged(&report).iter().any(|f| f.2 == "bridge"));
    assert_eq!(
        std::fs::read(case.path("workspace/Cargo.lock")).expect("the lock"),
        lock
    );
}

/// A manifest cargo rejects (a path dependency that does not exist): the
/// declared `anyhow` is still found, and the file has cargo's error with
/// what to do, so the scan exits 2.
#[test]
fn manifest_cargo_rejects_is_unread_with_cargo_error() {
    let case = Case::new("rejected");
    let run = case.scan(&["--offline", "rejected"], |_| {});
    run.expect_code(2);
    let report = run.json();
    let names: Vec<String> = flagged(&report).into_iter().map(|f| f.2).collect();
    assert_eq!(names, ["anyhow"]);
    let manifest = input(&report, "rejected/Cargo.toml");
    assert_eq!(manifest["state"], "unread");
    let problem = &manifest["problems"][0];
    let message = problem["message"].as_str().unwrap_or("");
    assert!(message.contains("`cargo metadata` failed"), "{message}");
    assert!(message.contains("gone"), "{message}");
    let help = problem["help"].as_str().unwrap_or("");
    assert!(help.contains("without --offline"), "{help}");
    assert!(help.contains("Cargo.lock"), "{help}");
    // --allow-unread lists it and lets the finding decide.
    case.scan(&["--offline", "--allow-unread", "rejected"], |_| {})
        .expect_code(1);
}

/// No cargo on PATH: the declared dependencies are read and matched, and
/// the file says cargo is missing and what to do; exit 2.
#[test]
fn cargo_missing_is_a_clear_diagnostic() {
    let case = Case::new("workspace");
    let run = case.scan(&["workspace/bridge/Cargo.toml"], |c| {
        c.env("PATH", "/nonexistent").env_remove("CARGO");
    });
    run.expect_code(2);
    let report = run.json();
    let names: Vec<String> = flagged(&report).into_iter().map(|f| f.2).collect();
    assert_eq!(names, ["deepseek-core"]);
    let manifest = input(&report, "workspace/bridge/Cargo.toml");
    let problem = &manifest["problems"][0];
    assert!(
        problem["message"]
            .as_str()
            .unwrap_or("")
            .contains("cargo was not found"),
        "{problem}"
    );
    assert!(
        problem["help"]
            .as_str()
            .unwrap_or("")
            .contains("install cargo"),
        "{problem}"
    );
}

/// A manifest that is not TOML: exit 2, the parser's line and column.
#[test]
fn broken_manifest_exits_2_at_the_parser_span() {
    let case = Case::new("broken");
    let run = case.scan(&["broken"], |_| {});
    run.expect_code(2);
    let report = run.json();
    let problem = &input(&report, "broken/Cargo.toml")["problems"][0];
    assert!(
        problem["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("not a valid Cargo.toml"),
        "{problem}"
    );
    assert_eq!(problem["line"], 6, "{problem}");
}

/// A crate a Cargo.lock resolves transitively points, under its lockfile
/// line, at the Cargo.toml line of the dependency that brings it in.
#[test]
fn a_locked_transitive_crate_points_at_its_manifest_line() {
    let policy = r#"
policy: xx-test-cargo-declared
title: Test ban on a transitive crate
authority: Test Authority
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Test Act
sources: [{title: Test notice, publisher: Test Gazette}]
binds: {sectors: [all]}
severity: ban
bans:
  - identifiers:
      packages:
        - purl: pkg:cargo/serde_core
examples:
  violating: [{package: pkg:cargo/serde_core@1.0.229}]
  compliant: [{package: pkg:cargo/serde@1.0.229}]
"#;
    let lock = "tests/fixtures/cargo-toml/locked/Cargo.lock";
    let report = crate::common::scan_with_policy(policy, &[lock], "json")
        .expect_code(1)
        .json();
    let f = &report["findings"][0];
    assert_eq!(
        f["item"]["path"],
        json!(["app", "serde_json", "serde_core"])
    );
    assert_eq!(f["location"]["line"], 82);
    assert_eq!(f["declared"]["dependency"], "serde_json");
    assert_eq!(
        f["declared"]["location"],
        json!({"path": "tests/fixtures/cargo-toml/locked/Cargo.toml", "line": 8, "column": 1})
    );
}

/// A scanned tree is not trusted: a `build.rustc` or `build.rustc-wrapper`
/// program its `.cargo/config.toml` names is never run when banscan runs
/// `cargo metadata`, and the graph is still read.
#[cfg(unix)]
#[test]
fn a_scanned_trees_cargo_config_cannot_run_a_program() {
    use std::os::unix::fs::PermissionsExt;
    let case = Case::new("workspace");
    let marker = case.path("ran");
    let program = case.path("program.sh");
    std::fs::write(
        &program,
        format!(
            "#!/bin/sh\ntouch '{}'\nexec rustc \"$@\"\n",
            marker.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Where a user scanning the tree from its root runs banscan: cargo
    // reads the config of the folder it is run in.
    std::fs::create_dir_all(case.path(".cargo")).unwrap();
    for key in ["rustc", "rustc-wrapper"] {
        std::fs::write(
            case.path(".cargo/config.toml"),
            format!("[build]\n{key} = '{}'\n", program.display()),
        )
        .unwrap();
        let run = case.scan(&["--offline", "workspace"], |cmd| {
            cmd.env_remove("RUSTC").env_remove("RUSTC_WRAPPER");
        });
        run.expect_code(1);
        assert!(!marker.exists(), "{key}: the config's program ran");
        assert!(
            !flagged(&run.json()).is_empty(),
            "{key}: the graph is still read"
        );
    }
}
