//! Failure behaviour (issue 17): a bug fails the run with an internal
//! error and never passes a scan; parallel scans give the same report as
//! serial ones; an interrupted scan leaves no report behind.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Run, banscan, root};

const FEDERAL: &str = "tests/fixtures/timeline/anthropic/federal";

fn run_with_fault(file: &str, args: &[&str]) -> Run {
    crate::common::banscan_env(
        &root(),
        args,
        &[
            ("BANSCAN_FAULT_PANIC_ON", Some(file)),
            ("RUST_BACKTRACE", None),
        ],
    )
}

/// A panic in one file's reader (a bug; injected here) costs that file,
/// not the report: it is unread evidence naming the internal error, the
/// other files' findings are kept, and the run exits 2 even where unread
/// evidence is allowed. No bare backtrace is printed.
#[test]
fn a_panic_while_reading_a_file_is_an_internal_error_and_fails_the_run() {
    let run = run_with_fault(
        "requirements.txt",
        &[
            "scan",
            "--no-profile",
            "--allow-unread",
            "--format",
            "json",
            FEDERAL,
        ],
    );
    run.expect_code(2)
        .expect_contains("banscan::internal::bug")
        .expect_contains("internal error: fault injected by BANSCAN_FAULT_PANIC_ON")
        .expect_contains("please report it")
        .expect_contains("the run failed because of an internal error")
        .expect_lacks("stack backtrace")
        .expect_lacks("panicked at");
    let report = run.json();
    let inputs = report["inputs"].as_array().unwrap();
    let broken = inputs
        .iter()
        .find(|i| i["path"].as_str().unwrap().ends_with("requirements.txt"))
        .unwrap();
    assert_eq!(broken["state"], "unread");
    assert!(
        broken["reason"]
            .as_str()
            .unwrap()
            .starts_with("internal error while reading this file as requirements"),
        "{broken}"
    );
    assert_eq!(
        inputs.iter().filter(|i| i["state"] == "read").count(),
        4,
        "the other files are read"
    );
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["item"]["name"] == "@anthropic-ai/sdk"),
        "findings of the other files are kept"
    );
    // The human report fails the same way, and says why.
    run_with_fault(
        "egress.list",
        &["scan", "--no-profile", "--allow-unread", FEDERAL],
    )
    .expect_code(2)
    .expect_contains("internal error while reading this file as endpoint-list");
}

/// The JSON report without its `run` block (start time and duration), as
/// text: everything else must be the same bytes.
fn without_run(json: &str) -> String {
    let start = json.find("  \"run\": {").expect("a run block");
    let end = start + json[start..].find("},\n").expect("its end") + 3;
    format!("{}{}", &json[..start], &json[end..])
}

/// The same inputs give byte-identical JSON reports however many threads
/// read them: the whole fixture tree (every format, good and broken, with
/// findings, unread evidence and skips), serially and in parallel.
#[test]
fn parallel_scans_are_deterministic() {
    let scan = |jobs: Option<&str>| {
        let mut args = vec![
            "scan",
            "--no-profile",
            "--as-of",
            "2026-12-01",
            "--format",
            "json",
        ];
        if let Some(j) = jobs {
            args.extend(["--jobs", j]);
        }
        args.push("tests/fixtures");
        let run = banscan(&args);
        assert!(run.code == 1 || run.code == 2, "{}", run.stderr);
        without_run(&run.stdout)
    };
    let serial = scan(Some("1"));
    assert!(serial.len() > 100_000, "a large report");
    assert_eq!(scan(None), serial, "default threads");
    assert_eq!(scan(Some("4")), serial, "four threads");
}

/// Sends `signal` to a scan waiting on its standard input, which is never
/// closed: the scan stops, exits 130 and leaves no report file, whole or
/// partial, in the report folder.
fn interrupted(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_banscan"))
        .args([
            "scan",
            "-",
            "--input-format",
            "endpoint-list",
            "--no-profile",
            "-o",
            report.to_str().unwrap(),
        ])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Some input, then silence: the scan is reading when the signal comes.
    {
        use std::io::Write;
        let stdin = child.stdin.as_mut().unwrap();
        stdin.write_all(b"api.deepseek.com\nexample.org\n").unwrap();
        stdin.flush().unwrap();
    }
    std::thread::sleep(Duration::from_millis(700));
    let pid = child.id().to_string();
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the scan did not stop on SIG{signal}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = child.wait_with_output().unwrap();
    assert_eq!(status.code(), Some(130), "exit code on SIG{signal}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("banscan: interrupted"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
}

#[test]
fn an_interrupted_scan_leaves_no_report_and_exits_non_zero() {
    interrupted("INT");
}

#[test]
fn a_terminated_scan_leaves_no_report_and_exits_non_zero() {
    interrupted("TERM");
}

/// Runs `scan --no-profile EXTRA... DIR` in `dir`'s parent, so the report
/// names the file as `case/NAME`.
fn scan_dir(dir: &std::path::Path, extra: &[&str]) -> Run {
    let mut args = vec!["scan", "--no-profile"];
    args.extend_from_slice(extra);
    args.push("case");
    crate::common::banscan_in(dir.parent().unwrap(), &args)
}

/// A folder `case` in a fresh temporary folder, holding `name` = `bytes`.
fn case(name: &str, bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("case");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
    (tmp, dir)
}

const LOCK: &str = r#"{
  "name": "app",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": { "name": "app", "version": "1.0.0" },
    "node_modules/left-pad": { "version": "1.3.0" }
  }
}
"#;

/// Each limit is a flag, and hitting it is a diagnostic naming the file
/// and the flag; the file is unread evidence (exit 2), never silence.
#[test]
fn the_nesting_limit_is_a_flag_and_a_diagnostic() {
    let deep = format!(
        "{{\"name\": \"x\", \"lockfileVersion\": 3, \"deep\": {}{}}}\n",
        "[".repeat(200),
        "]".repeat(200)
    );
    let (_tmp, dir) = case("package-lock.json", deep.as_bytes());
    scan_dir(&dir, &[])
        .expect_code(2)
        .expect_contains("case/package-lock.json: the JSON nests deeper than 128 levels here")
        .expect_contains("--max-depth");
    // A real lockfile nests 3 deep: under --max-depth 2 it is refused.
    let (_tmp, dir) = case("package-lock.json", LOCK.as_bytes());
    scan_dir(&dir, &[]).expect_code(0);
    scan_dir(&dir, &["--max-depth", "2"])
        .expect_code(2)
        .expect_contains("nests deeper than 2 levels");
    // YAML evidence as well.
    let pnpm = "lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-x}\nsnapshots:\n  a@1.0.0: {}\n";
    let (_tmp, dir) = case("pnpm-lock.yaml", pnpm.as_bytes());
    scan_dir(&dir, &[]).expect_code(0);
    scan_dir(&dir, &["--max-depth", "2"]).expect_code(2);
    crate::common::banscan(&["scan", "--max-depth", "129", "examples"])
        .expect_code(2)
        .expect_contains("129 is not in 1..=128");
}

#[test]
fn the_document_size_limit_is_a_flag_and_a_diagnostic() {
    let (_tmp, dir) = case("package-lock.json", LOCK.as_bytes());
    scan_dir(&dir, &["--max-document-bytes", "1024"]).expect_code(0);
    let big = LOCK.replace(
        "\"1.0.0\",",
        &format!("\"1.0.0\", \"pad\": \"{}\",", "x".repeat(4000)),
    );
    let (_tmp, dir) = case("package-lock.json", big.as_bytes());
    scan_dir(&dir, &["--max-document-bytes", "1024"])
        .expect_code(2)
        .expect_contains("is larger than 1024 bytes, the most banscan reads whole of one file")
        .expect_contains("--max-document-bytes");
    scan_dir(&dir, &[]).expect_code(0);
}

#[test]
fn the_decompressed_size_limit_is_a_flag_and_a_diagnostic() {
    let gz = gzip(&"api.example.org\n".repeat(10_000));
    let (_tmp, dir) = case("egress.list.gz", &gz);
    scan_dir(&dir, &["--input-format", "endpoint-list"]).expect_code(0);
    scan_dir(
        &dir,
        &[
            "--input-format",
            "endpoint-list",
            "--max-decoded-bytes",
            "4096",
        ],
    )
    .expect_code(2)
    .expect_contains("decompresses to more than 4096 bytes (--max-decoded-bytes)");
}

/// `text` compressed by the system's `gzip`.
fn gzip(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new("gzip")
        .arg("-c")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap().stdout
}
