//! File digests: `sha256sum` lists (`tests/fixtures/sha256sum/README.md`)
//! and `scan --hash DIR`, judged by a small local policy that bans one
//! demo installer by its sha256.

use std::path::Path;

use serde_json::Value;

use crate::common::{Run, scan_with_policy};

/// The sha256 of `demo banned installer DeepSeekSetup 1.0\n`.
const BANNED: &str = "3079dbdd9cbc792fc7386a57363fdc663bec436620bebe7eda3228cb72ed41e4";

const POLICY: &str = r#"
product: demo-installer
name: Demo installer
identifiers:
  files:
    - sha256: 3079dbdd9cbc792fc7386a57363fdc663bec436620bebe7eda3228cb72ed41e4
      name: DeepSeekSetup.exe
---
policy: xx-demo-2025-files
title: Demo ban on an installer
authority: Demo Ministry
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Demo Act
sources: [{title: Demo notice, publisher: Demo Gazette, url: "https://example.org/notice"}]
binds: {sectors: [all]}
severity: ban
bans:
  - product: demo-installer
examples:
  violating: [{file: {sha256: 3079dbdd9cbc792fc7386a57363fdc663bec436620bebe7eda3228cb72ed41e4}}]
  compliant: [{file: {sha256: 283af72f1c75c61bc2db44dd4c1295bf35bfb9fff4a6547e6f54d55523790a12}}]
"#;

fn findings(report: &Value) -> Vec<(String, u64, String)> {
    report["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .map(|f| {
            (
                f["location"]["path"].as_str().unwrap_or("").to_string(),
                f["location"]["line"].as_u64().unwrap_or(0),
                f["evidence"]["text"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn input<'r>(report: &'r Value, path: &str) -> &'r Value {
    report["inputs"]
        .as_array()
        .expect("inputs is an array")
        .iter()
        .find(|i| i["path"] == path)
        .unwrap_or_else(|| panic!("no input {path}: {report}"))
}

/// A digest list: the banned digest found at its line (3, binary mode),
/// the one-byte-apart near miss on line 2 not flagged.
#[test]
fn digest_list_finds_the_banned_line() {
    let run = scan_with_policy(POLICY, &["tests/fixtures/sha256sum/SHA256SUMS"], "json");
    run.expect_code(1);
    let report = run.json();
    let got = findings(&report);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "tests/fixtures/sha256sum/SHA256SUMS");
    assert_eq!(got[0].1, 3);
    assert!(got[0].2.contains(BANNED));
    let f = &report["findings"][0];
    assert_eq!(f["location"]["column"], 1);
    assert_eq!(f["item"]["kind"], "file");
    let entry = input(&report, "tests/fixtures/sha256sum/SHA256SUMS");
    assert_eq!(entry["format"], "sha256sum");
    assert_eq!(entry["items"], 4);
}

/// Malformed lines are counted as skipped (with the first), the banned
/// digest after them still found; `--strict` makes them fail the scan.
#[test]
fn malformed_digest_lines_are_skipped() {
    let path = "tests/fixtures/sha256sum/malformed.sha256";
    let run = scan_with_policy(POLICY, &[path], "json");
    run.expect_code(1);
    let report = run.json();
    assert_eq!(findings(&report)[0].1, 8);
    let entry = input(&report, path);
    assert_eq!(entry["skipped"]["count"], 4);
    assert_eq!(entry["skipped"]["first"]["line"], 3);
    assert_eq!(entry["state"], "read");
}

/// A digest list under another name is told by its shape.
#[test]
fn digest_list_by_shape() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        crate::common::root().join("tests/fixtures/sha256sum/bsd-tag.sha256"),
        dir.path().join("digests-pc-0042.txt"),
    )
    .unwrap();
    let run = scan_with_policy(POLICY, &[dir.path().to_str().unwrap()], "json");
    run.expect_code(1);
    assert_eq!(findings(&run.json())[0].1, 2);
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn hash_scan(dir: &Path) -> Run {
    let policy = dir.join("policy.yaml");
    std::fs::write(&policy, POLICY).unwrap();
    crate::common::banscan_in(
        dir,
        &[
            "scan",
            "--no-builtin",
            "--no-profile",
            "--policies",
            policy.to_str().unwrap(),
            "--as-of",
            "2026-01-01",
            "--format",
            "json",
            "--hash",
            "tree",
        ],
    )
}

/// `--hash DIR`: the banned file found by path with its digest as the
/// evidence, the one-byte-apart file not flagged, every hashed file an
/// input of its own, hidden files listed as excluded.
#[test]
fn hash_finds_the_banned_file() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    write(
        &tree,
        "Downloads/DeepSeekSetup (1).exe",
        b"demo banned installer DeepSeekSetup 1.0\n",
    );
    write(
        &tree,
        "Downloads/DeepSeekFanSetup.exe",
        b"demo banned installer DeepSeekSetup 1.1\n",
    );
    write(&tree, "notes.txt", b"hello\n");
    write(
        &tree,
        ".hidden",
        b"demo banned installer DeepSeekSetup 1.0\n",
    );
    let run = hash_scan(dir.path());
    run.expect_code(1);
    let report = run.json();
    assert_eq!(
        findings(&report),
        [(
            "tree/Downloads/DeepSeekSetup (1).exe".to_string(),
            1,
            BANNED.to_string()
        )]
    );
    assert_eq!(report["findings"][0]["product"], "demo-installer");
    for path in [
        "tree/Downloads/DeepSeekSetup (1).exe",
        "tree/Downloads/DeepSeekFanSetup.exe",
        "tree/notes.txt",
    ] {
        let entry = input(&report, path);
        assert_eq!(entry["format"], "file-sha256");
        assert_eq!(entry["state"], "read");
        assert_eq!(entry["items"], 1);
    }
    assert_eq!(input(&report, "tree/.hidden")["state"], "excluded");
}

/// A file that cannot be read is a problem of its input (exit 2), never
/// skipped silently: a link to `/proc/self/mem` (reading it from the start
/// fails, even for root) and, when not root, a file with mode 000.
#[cfg(unix)]
#[test]
fn hash_reports_unreadable_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    write(&tree, "ok.bin", b"fine\n");
    std::os::unix::fs::symlink("/proc/self/mem", tree.join("mem")).unwrap();
    let root = is_root();
    if !root {
        write(&tree, "locked.bin", b"secret\n");
        std::fs::set_permissions(
            tree.join("locked.bin"),
            std::fs::Permissions::from_mode(0o000),
        )
        .unwrap();
    }
    let run = hash_scan(dir.path());
    run.expect_code(2);
    let report = run.json();
    let mem = input(&report, "tree/mem");
    assert_eq!(mem["state"], "unread");
    assert!(
        mem["problems"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot read `tree/mem`"),
        "{mem}"
    );
    if !root {
        assert_eq!(input(&report, "tree/locked.bin")["state"], "unread");
    }
    assert_eq!(input(&report, "tree/ok.bin")["state"], "read");
}

/// Whether the tests run as root (who can read a file with mode 000).
#[cfg(unix)]
fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// A folder both scanned and hashed: its digest list is read as evidence
/// and hashed as a file, each an input of its own; a `policies.lock`
/// (which has the `sha256sum` shape) stays a policy file in the scan.
#[test]
fn scanned_and_hashed() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    write(
        &tree,
        "SHA256SUMS",
        format!("{BANNED} *DeepSeekSetup.exe\n").as_bytes(),
    );
    write(
        &tree,
        "rules/policies.lock",
        format!("{BANNED}  rules/demo.yaml\n").as_bytes(),
    );
    let policy = dir.path().join("policy.yaml");
    std::fs::write(&policy, POLICY).unwrap();
    let run = crate::common::banscan_in(
        dir.path(),
        &[
            "scan",
            "--no-builtin",
            "--no-profile",
            "--policies",
            policy.to_str().unwrap(),
            "--as-of",
            "2026-01-01",
            "--format",
            "json",
            "tree",
            "--hash",
            "tree",
        ],
    );
    run.expect_code(1);
    let report = run.json();
    let formats: Vec<(&str, &str, &str)> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["path"].as_str().unwrap(),
                i["format"].as_str().unwrap_or("-"),
                i["state"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        formats.contains(&("tree/SHA256SUMS", "sha256sum", "read")),
        "{formats:?}"
    );
    assert!(formats.contains(&("tree/SHA256SUMS", "file-sha256", "read")));
    assert!(
        formats.contains(&("tree/rules/policies.lock", "-", "not-evidence")),
        "{formats:?}"
    );
    assert!(formats.contains(&("tree/rules/policies.lock", "file-sha256", "read")));
    // Only the list's line matches: no file here has the banned digest.
    assert_eq!(
        findings(&report),
        [(
            "tree/SHA256SUMS".to_string(),
            1,
            format!("{BANNED} *DeepSeekSetup.exe")
        )]
    );
}
