//! The adversarial corpus (issue 17): hostile or broken input must neither
//! crash banscan nor make it pass silently. Each test builds its input in a
//! temporary folder (large ones are generated here, never committed), runs
//! the real binary under a time limit and, where `/usr/bin/time` is
//! present, a memory limit, and then checks the report: the hostile file is
//! either a problem naming it (exit 2) or a counted, reported skip.
//!
//! Small inputs that are easier to read as files than as code live in
//! `tests/adversarial/`; the one policy every scan applies (`demo-chat`, a
//! made-up product) is `tests/adversarial/policy.yaml`.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::root;

/// Longer than any of these scans takes on a loaded two-core machine;
/// reaching it means banscan hangs.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// The most memory a scan of one hostile file may take. banscan itself
/// needs about 30 MiB; the whole-file readers hold at most their cap.
const MEMORY_LIMIT_KIB: u64 = 384 * 1024;

const AS_OF: &str = "2026-01-01";

/// What one run of banscan did.
struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
    /// Peak resident memory, when `/usr/bin/time` could measure it.
    peak_kib: Option<u64>,
}

impl Outcome {
    fn report(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not a JSON report ({e})\n--- stderr\n{}",
                self.stderr
            )
        })
    }
}

/// Runs banscan in `dir` with `args`, killing it at [`TIME_LIMIT`], and
/// checks what every hostile input must give: no panic (exit 0, 1 or 2,
/// no panic message or internal error on stderr) and memory under
/// [`MEMORY_LIMIT_KIB`].
#[track_caller]
fn run(dir: &Path, args: &[&str]) -> Outcome {
    run_as(dir, args, &[])
}

/// [`run`], with `wrapper` (such as `setpriv` and its options) in front of
/// the binary.
#[track_caller]
fn run_as(dir: &Path, args: &[&str], wrapper: &[&str]) -> Outcome {
    let out = tempfile::tempdir().unwrap();
    let (stdout, stderr, rss) = (
        out.path().join("stdout"),
        out.path().join("stderr"),
        out.path().join("rss"),
    );
    let time = Path::new("/usr/bin/time");
    let mut command = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "%M", "-o"]).arg(&rss).args(wrapper);
        c
    } else if let Some((first, rest)) = wrapper.split_first() {
        let mut c = Command::new(first);
        c.args(rest);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_banscan"))
    };
    if time.exists() || !wrapper.is_empty() {
        command.arg(env!("CARGO_BIN_EXE_banscan"));
    }
    let mut child = command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout).unwrap())
        .stderr(fs::File::create(&stderr).unwrap())
        // Its own process group, so a hang is killed with every process
        // under `time`.
        .process_group(0)
        .spawn()
        .expect("banscan starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
            panic!("banscan {args:?} ran longer than {TIME_LIMIT:?} in {dir:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let outcome = Outcome {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&fs::read(&stdout).unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&fs::read(&stderr).unwrap()).into_owned(),
        peak_kib: fs::read_to_string(&rss).ok().and_then(|text| {
            text.lines()
                .filter_map(|l| l.trim().parse::<u64>().ok())
                .next_back()
        }),
    };
    assert!(
        matches!(outcome.code, 0..=2),
        "banscan {args:?} exited {} (a crash or a signal)\n--- stderr\n{}",
        outcome.code,
        outcome.stderr
    );
    for sign in [
        "panicked",
        "internal error",
        "stack backtrace",
        "RUST_BACKTRACE",
    ] {
        assert!(
            !outcome.stderr.contains(sign),
            "banscan {args:?} panicked\n--- stderr\n{}",
            outcome.stderr
        );
    }
    if let Some(kib) = outcome.peak_kib {
        assert!(
            kib < MEMORY_LIMIT_KIB,
            "banscan {args:?} took {} MiB (limit {} MiB)",
            kib / 1024,
            MEMORY_LIMIT_KIB / 1024
        );
    }
    outcome
}

/// `banscan scan` of `paths` in `dir` with only the demo policy, no
/// profile, JSON on stdout.
#[track_caller]
fn scan(dir: &Path, paths: &[&str]) -> Outcome {
    let policy = policy();
    let mut args = vec![
        "scan",
        "--no-builtin",
        "--no-profile",
        "--policies",
        &policy,
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ];
    args.extend_from_slice(paths);
    run(dir, &args)
}

fn policy() -> String {
    corpus("policy.yaml").to_str().unwrap().to_string()
}

fn corpus(name: &str) -> PathBuf {
    root().join("tests/adversarial").join(name)
}

fn fixture(rel: &str) -> Vec<u8> {
    fs::read(root().join("tests/fixtures").join(rel)).unwrap()
}

/// Writes `bytes` at `rel` under `dir`, making folders as needed.
fn write(dir: &Path, rel: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
    path
}

/// A temporary folder with one file.
fn tree(rel: &str, bytes: impl AsRef<[u8]>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), rel, bytes);
    dir
}

/// The report's entry for `path`.
#[track_caller]
fn entry<'r>(report: &'r Value, path: &str) -> &'r Value {
    report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"] == path)
        .unwrap_or_else(|| panic!("no input {path:?} in {:#}", report["inputs"]))
}

/// Whether the entry says what happened to the file: a state other than
/// read (each has its reason), or read with items, skipped records,
/// problems or warnings. A file read to nothing without a word is silence.
fn accounted(entry: &Value) -> bool {
    let said = |key: &str| entry[key].as_array().is_some_and(|a| !a.is_empty());
    match entry["state"].as_str() {
        Some("read") => {
            entry["items"].as_u64().unwrap_or(0) > 0
                || entry["skipped"]["count"].as_u64().unwrap_or(0) > 0
                || said("problems")
                || said("warnings")
        }
        Some(_) => entry["reason"].as_str().is_some_and(|r| !r.is_empty()),
        None => false,
    }
}

/// The hostile file is unread evidence named with its reason, and the
/// scan fails (exit 2).
#[track_caller]
fn assert_unread(outcome: &Outcome, path: &str) -> Value {
    let report = outcome.report();
    let e = entry(&report, path);
    assert_eq!(e["state"], "unread", "{e:#}");
    assert!(accounted(e), "{e:#}");
    assert_eq!(outcome.code, 2, "{e:#}");
    e.clone()
}

/// The hostile file was read and the records it could not take were
/// counted as skipped, each with the reason of the first.
#[track_caller]
fn assert_skipped(outcome: &Outcome, path: &str) -> Value {
    let report = outcome.report();
    let e = entry(&report, path);
    assert_eq!(e["state"], "read", "{e:#}");
    assert!(e["skipped"]["count"].as_u64().unwrap_or(0) > 0, "{e:#}");
    assert!(
        report["summary"]["skipped_records"].as_u64().unwrap() > 0,
        "{:#}",
        report["summary"]
    );
    e.clone()
}

/// The demo product was found in `path` (the scan fails, exit 1 or 2).
#[track_caller]
fn assert_found(outcome: &Outcome, path: &str) {
    let report = outcome.report();
    let hit = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["location"]["path"] == path && f["product"] == "demo-chat");
    assert!(
        hit,
        "no demo-chat finding in {path}: {:#}\n{:#}",
        report["findings"], report["inputs"]
    );
    assert!(matches!(outcome.code, 1 | 2));
}

/// The demo product was found in `path`, or the file is unread evidence
/// naming it (exit 2): the two answers that are not silence.
#[track_caller]
fn assert_found_or_unread(outcome: &Outcome, path: &str) {
    let report = outcome.report();
    if entry(&report, path)["state"] == "read" {
        assert_found(outcome, path);
    } else {
        assert_unread(outcome, path);
    }
}

/// The first problem's message of an entry.
fn problem(entry: &Value) -> String {
    entry["problems"][0]["message"]
        .as_str()
        .or(entry["reason"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// A deterministic stream of bytes that looks like nothing.
fn garbage(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 56) as u8
        })
        .collect()
}

fn utf16le(text: &str, bom: bool) -> Vec<u8> {
    let mut out: Vec<u8> = if bom { vec![0xFF, 0xFE] } else { vec![] };
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

fn utf16be(text: &str) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF];
    out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// A requirements file pinning the demo package beside a harmless one.
const REQUIREMENTS: &str = "requests==2.32.3\ndemo-chat==1.0.0\n";

/// An app inventory with the demo app on its second row.
const APP_CSV: &str = "Name,Publisher,Version\nNotepad,Example Corp,1.0\nDemo Chat,Demo Inc,2.0\n";

/// A package-lock.json (v3) locking the demo package.
const NPM_LOCK: &str = r#"{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "app", "dependencies": { "demo-chat": "^1.0.0" } },
    "node_modules/demo-chat": { "version": "1.0.0" }
  }
}
"#;

// ---------------------------------------------------------------------
// Every format: truncated and empty
// ---------------------------------------------------------------------

/// One sample of each format banscan reads, from the tests' fixtures, and
/// whether the format is closed: a JSON or XML document ends with its
/// closing bracket or tag, and Gemfile.lock and gradle.lockfile with a
/// section their tools always write, so that a cut copy is always found
/// out. TOML, YAML and line formats can be cut at a line's end into a
/// valid shorter file, which no reader can tell.
const SAMPLES: &[(&str, &str, bool)] = &[
    ("cargo-lock", "cargo-lock/v4/Cargo.lock", false),
    ("cargo-toml", "cargo-toml/locked/Cargo.toml", false),
    ("npm-lock", "npm-lock/v2/package-lock.json", true),
    ("pnpm-lock", "pnpm-lock/v9/pnpm-lock.yaml", false),
    ("yarn-lock", "yarn-lock/classic/yarn.lock", false),
    ("npm-manifest", "npm-manifest/app/package.json", true),
    ("requirements", "requirements/pep508-forms.txt", false),
    ("uv-lock", "uv-lock/app/uv.lock", false),
    ("poetry-lock", "poetry-lock/v2.1/poetry.lock", false),
    ("pyproject", "pyproject/uv/pyproject.toml", false),
    ("go-mod", "go-mod/app/go.mod", false),
    ("go-sum", "go-sum/app/go.sum", false),
    ("cyclonedx", "cyclonedx/requirements/bom.json", true),
    ("spdx", "spdx/app/app.spdx.json", true),
    ("pipfile-lock", "pipfile-lock/vcs/Pipfile.lock", true),
    ("pipfile", "pipfile/app/Pipfile", false),
    ("composer-lock", "composer-lock/app/composer.lock", true),
    ("gemfile-lock", "gemfile-lock/app/Gemfile.lock", true),
    ("nuget-lock", "nuget-lock/app/packages.lock.json", true),
    ("maven-pom", "maven-pom/app/pom.xml", true),
    ("gradle-lock", "gradle-lock/app/gradle.lockfile", true),
    ("dpkg-query", "dpkg-query/debian12-default.txt", false),
    ("dpkg-status", "dpkg-status/var/lib/dpkg/status", false),
    ("dpkg-list", "dpkg-list/debian12.txt", false),
    ("rpm-qa", "rpm-qa/fedora40-qf.txt", false),
    ("app-csv", "app-csv/get-package-export.csv", false),
    ("osquery-json", "osquery/PC-0042.osquery.json", true),
    ("fleet-software", "fleet/fleet-software.json", true),
    (
        "defender-api-page",
        "defender/SoftwareInventoryByMachine-page-1.json",
        true,
    ),
    (
        "defender-software",
        "defender/SoftwareInventoryExport-part-00001.json",
        false,
    ),
    ("macos-apps", "macos-apps/MAC-01.json", true),
    ("android-packages", "android-packages/packages.txt", false),
    ("zeek-log", "zeek-log/dns.log", false),
    ("suricata-eve", "suricata-eve/eve-v3.json", false),
    ("bind-query-log", "bind-query-log/query.log", false),
    ("dnsmasq-log", "dnsmasq-log/pihole.log", false),
    ("windows-dns-log", "windows-dns-log/dns.log", false),
    ("squid-access", "squid-access/access.log", false),
    ("endpoint-csv", "endpoint-csv/proxy-export.csv", false),
    (
        "endpoint-allowlist",
        "endpoint-allowlist/egress-allowlist.yaml",
        false,
    ),
    ("endpoint-list", "endpoint-list/hosts", false),
    ("source-code", "source-code/chat-service/client.py", false),
    ("sha256sum", "sha256sum/SHA256SUMS", false),
];

/// The formats `banscan formats` lists as read.
fn read_formats() -> Vec<String> {
    let out = run(&root(), &["formats"]);
    out.stdout
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let (name, _, status) = (words.next()?, words.next()?, words.next()?);
            (status == "read" && !l.starts_with(' ')).then(|| name.to_string())
        })
        .collect()
}

/// Scans each file of `files` (name, bytes) as `format`, each in its own
/// run, and gives each file's entry as one line: `format name: state
/// (reason)`.
fn verdicts(format: &str, files: &[(String, Vec<u8>)]) -> Vec<(String, Value, i32)> {
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for (name, bytes) in files {
        write(dir.path(), name, bytes);
        names.push(name.as_str());
    }
    // `--offline`: a Cargo.toml without its lockfile runs `cargo
    // metadata`, which must not reach the network from a test.
    let mut args = vec!["--offline", "--input-format", format];
    args.extend(names.iter().copied());
    let out = scan(dir.path(), &args);
    // `cargo metadata` quotes the folder, which differs in every run.
    let folder = dir.path().to_str().unwrap();
    let report: Value =
        serde_json::from_str(&out.stdout.replace(folder, "<tmp>")).expect("a JSON report");
    names
        .iter()
        .map(|n| (n.to_string(), entry(&report, n).clone(), out.code))
        .collect()
}

/// The corpus has a sample of every format `banscan formats` lists as
/// read, so a new format joins the truncated and empty cases.
#[test]
fn every_read_format_has_a_sample() {
    let listed = read_formats();
    let sampled: Vec<String> = SAMPLES.iter().map(|s| s.0.to_string()).collect();
    assert!(!listed.is_empty());
    for format in &listed {
        assert!(sampled.contains(format), "no sample of {format} in SAMPLES");
    }
    for (format, path, _) in SAMPLES {
        assert!(listed.iter().any(|f| f == format), "{format} is not read");
        assert!(root().join("tests/fixtures").join(path).is_file(), "{path}");
    }
}

/// Every format cut at a third, a half and two thirds of its sample: no
/// panic, and each cut file is listed as read or unread (never dropped).
/// A closed format cut short is unread evidence naming the file, failing
/// the scan. Any other format cut short loses what followed the cut,
/// which no reader can tell: the snapshot keeps what each one read, and
/// a line cut in the middle is a counted skip where it fits no shape.
#[test]
fn truncated_file_of_every_format() {
    let mut table = String::new();
    let mut silent = Vec::new();
    for &(format, path, whole) in SAMPLES {
        let bytes = fixture(path);
        let base = Path::new(path).file_name().unwrap().to_str().unwrap();
        let cuts: Vec<(String, Vec<u8>)> = [3, 2]
            .iter()
            .map(|d| {
                (
                    format!("cut-1-{d}/{base}"),
                    bytes[..bytes.len() / d].to_vec(),
                )
            })
            .chain(std::iter::once((
                format!("cut-2-3/{base}"),
                bytes[..bytes.len() * 2 / 3].to_vec(),
            )))
            .collect();
        for (name, e, code) in verdicts(format, &cuts) {
            let listed = e["state"] == "read" || e["state"] == "unread";
            if !listed || whole && (!accounted(&e) || e["state"] != "unread" || code != 2) {
                silent.push(format!("{format} {name} (exit {code}): {e:#}"));
            }
            writeln!(
                table,
                "{format:<18} {name}: {} ({} items, {} skipped) {}",
                e["state"].as_str().unwrap(),
                e["items"],
                e["skipped"]["count"].as_u64().unwrap_or(0),
                // cargo's own words differ between its versions.
                problem(&e).split(": error:").next().unwrap()
            )
            .unwrap();
        }
    }
    insta::assert_snapshot!(table);
    assert!(silent.is_empty(), "silent:\n{}", silent.join("\n"));
}

/// An empty file of every format: no panic, and listed as read with no
/// items (the human report notes "read but holds no items"; many formats
/// warn that it lists nothing) or as unread evidence. The snapshot keeps
/// which formats warn.
#[test]
fn empty_file_of_every_format() {
    let mut table = String::new();
    let mut silent = Vec::new();
    for &(format, path, _) in SAMPLES {
        let base = Path::new(path).file_name().unwrap().to_str().unwrap();
        for (name, e, _) in verdicts(format, &[(base.to_string(), Vec::new())]) {
            let listed =
                e["state"] == "unread" && accounted(&e) || e["state"] == "read" && e["items"] == 0;
            if !listed {
                silent.push(format!("{format} {name}: {e:#}"));
            }
            let warning = e["warnings"][0]["message"].as_str().unwrap_or_default();
            writeln!(
                table,
                "{format:<18} {}: {}",
                e["state"].as_str().unwrap(),
                if warning.is_empty() {
                    problem(&e)
                } else {
                    warning.to_string()
                }
            )
            .unwrap();
        }
    }
    insta::assert_snapshot!(table);
    assert!(silent.is_empty(), "silent:\n{}", silent.join("\n"));
}

// ---------------------------------------------------------------------
// Binary garbage and NUL bytes
// ---------------------------------------------------------------------

/// Binary garbage under a lockfile's own name is unread evidence, not
/// "not evidence": the name says what it should hold.
#[test]
fn binary_garbage_named_as_a_lockfile() {
    let dir = tree("package-lock.json", garbage(64 * 1024, 1));
    let out = scan(dir.path(), &["."]);
    assert_unread(&out, "package-lock.json");
}

/// Binary garbage named as a text inventory (`requirements.txt`) is
/// unread evidence too.
#[test]
fn binary_garbage_named_as_requirements() {
    let dir = tree("requirements.txt", garbage(64 * 1024, 2));
    let out = scan(dir.path(), &["."]);
    assert_unread(&out, "requirements.txt");
}

/// Binary garbage read as a line format by `--input-format`: each line
/// that fits no shape is counted, or the file is unread; never zero
/// items without a word.
#[test]
fn binary_garbage_forced_as_a_log() {
    let dir = tree("dump.bin", garbage(256 * 1024, 3));
    let out = scan(
        dir.path(),
        &["--input-format", "bind-query-log", "dump.bin"],
    );
    let report = out.report();
    let e = entry(&report, "dump.bin");
    assert!(accounted(e), "{e:#}");
    assert_ne!(out.code, 0, "{e:#}");
}

/// NUL bytes in the middle of an endpoint list, past the first block the
/// sniffer looks at: the banned name on the following line is still
/// found.
#[test]
fn nul_bytes_inside_an_endpoint_list() {
    let mut text = "example.org\n".repeat(8000).into_bytes();
    text.extend_from_slice(b"x\0\0\0y.example\n\0\0\0\napi.demo-chat.example\n");
    let dir = tree("hosts.txt", text);
    let out = scan(dir.path(), &["."]);
    assert_found(&out, "hosts.txt");
}

/// A NUL inside a package name in requirements.txt: the line is not
/// taken as a different package, and the banned one after it is found.
#[test]
fn nul_byte_in_a_requirement_name() {
    let dir = tree(
        "requirements.txt",
        b"requests==2.32.3\ndemo\0chat==1.0.0\ndemo-chat==1.0.0\n",
    );
    let out = scan(dir.path(), &["."]);
    assert_found(&out, "requirements.txt");
    let report = out.report();
    let e = entry(&report, "requirements.txt");
    assert!(accounted(e), "{e:#}");
}

/// NUL bytes inside a JSON lockfile are a syntax error naming the file.
#[test]
fn nul_bytes_inside_a_json_lockfile() {
    let text = NPM_LOCK.replace("\"name\": \"app\",", "\"name\": \"app\",\0\0");
    let dir = tree("package-lock.json", text);
    let out = scan(dir.path(), &["."]);
    assert_unread(&out, "package-lock.json");
}

/// NUL bytes inside an app inventory row: the row is read or skipped,
/// and the demo app on the next row is found.
#[test]
fn nul_bytes_inside_an_app_inventory() {
    let text = "Name,Publisher,Version\nNote\0pad,Ex\0ample,1.0\nDemo Chat,Demo Inc,2.0\n";
    let dir = tree("apps.csv", text);
    let out = scan(dir.path(), &["--input-format", "app-csv", "apps.csv"]);
    assert_found(&out, "apps.csv");
}

// ---------------------------------------------------------------------
// Invalid UTF-8 and UTF-16
// ---------------------------------------------------------------------

/// A line of invalid UTF-8 in requirements.txt is reported; the banned
/// package after it is still found.
#[test]
fn invalid_utf8_in_requirements() {
    let dir = tree(
        "requirements.txt",
        b"requests==2.32.3\n\xff\xfe\xc3(==1.0\ndemo-chat==1.0.0\n",
    );
    let out = scan(dir.path(), &["."]);
    assert_found(&out, "requirements.txt");
    let report = out.report();
    assert!(accounted(entry(&report, "requirements.txt")));
}

/// Invalid UTF-8 in a JSON lockfile is a problem at its line.
#[test]
fn invalid_utf8_in_a_json_lockfile() {
    let at = NPM_LOCK.find("app").unwrap() + 3;
    let mut text = NPM_LOCK.as_bytes().to_vec();
    text.insert(at, 0xFF);
    let dir = tree("package-lock.json", text);
    let out = scan(dir.path(), &["."]);
    let e = assert_unread(&out, "package-lock.json");
    assert_eq!(e["problems"][0]["line"], 2, "{e:#}");
}

/// Invalid UTF-8 in Cargo.lock is a problem naming the file.
#[test]
fn invalid_utf8_in_cargo_lock() {
    let dir = tree(
        "Cargo.lock",
        b"version = 4\n\n[[package]]\nname = \"demo-chat\xff\"\nversion = \"1.0.0\"\n",
    );
    let out = scan(dir.path(), &["."]);
    assert_unread(&out, "Cargo.lock");
}

/// A row of invalid UTF-8 in an app inventory: the demo app on the next
/// row is found and the bad row is accounted for.
#[test]
fn invalid_utf8_in_an_app_inventory() {
    let mut text = b"Name,Publisher,Version\n".to_vec();
    text.extend_from_slice(b"Note\xffpad,Example \xc3Corp,1.0\n");
    text.extend_from_slice(b"Demo Chat,Demo Inc,2.0\n");
    let dir = tree("apps.csv", text);
    let out = scan(dir.path(), &["--input-format", "app-csv", "apps.csv"]);
    assert_found(&out, "apps.csv");
}

/// Invalid UTF-8 on one line of a BIND query log: the line is counted as
/// skipped or read lossily, and the banned query after it is found.
#[test]
fn invalid_utf8_in_a_query_log() {
    let good = "07-Mar-2025 10:00:00.000 queries: info: client @0x1 192.0.2.1#5353 (api.demo-chat.example): query: api.demo-chat.example IN A +E(0)K (192.0.2.53)\n";
    let mut text = good.replace("api.demo-chat", "w\u{1}w").into_bytes();
    for b in &mut text {
        if *b == 1 {
            *b = 0xC0;
        }
    }
    text.extend_from_slice(good.as_bytes());
    let dir = tree("query.log", text);
    let out = scan(dir.path(), &["."]);
    assert_found(&out, "query.log");
}

/// A UTF-16LE inventory with a lone high surrogate in one row: the
/// decoder puts a replacement character there, and the demo app on the
/// next row is found.
#[test]
fn lone_surrogate_in_a_utf16_inventory() {
    let mut bytes = utf16le("Name,Publisher,Version\nNote", true);
    bytes.extend_from_slice(&0xD800u16.to_le_bytes());
    bytes.extend(utf16le(
        "pad,Example Corp,1.0\nDemo Chat,Demo Inc,2.0\n",
        false,
    ));
    let dir = tree("apps.csv", bytes);
    let out = scan(dir.path(), &["--input-format", "app-csv", "apps.csv"]);
    assert_found(&out, "apps.csv");
    let report = out.report();
    let e = entry(&report, "apps.csv");
    assert!(
        e["decoded"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d == "utf-16le"),
        "{e:#}"
    );
}

/// A UTF-16BE endpoint list with a lone low surrogate: the banned name on
/// the next line is found.
#[test]
fn lone_surrogate_in_a_utf16be_endpoint_list() {
    let mut bytes = utf16be("example.org\nbad");
    bytes.extend_from_slice(&0xDC00u16.to_be_bytes());
    let rest = utf16be("\napi.demo-chat.example\n");
    bytes.extend_from_slice(&rest[2..]);
    let dir = tree("hosts.txt", bytes);
    let out = scan(
        dir.path(),
        &["--input-format", "endpoint-list", "hosts.txt"],
    );
    assert_found(&out, "hosts.txt");
}

/// UTF-16 with an odd number of bytes (the last code unit cut in half):
/// read to the cut, the banned name before it found.
#[test]
fn utf16_cut_in_half_a_code_unit() {
    let mut bytes = utf16le("api.demo-chat.example\nexample.org\n", true);
    bytes.push(b'x');
    let dir = tree("hosts.txt", bytes);
    let out = scan(
        dir.path(),
        &["--input-format", "endpoint-list", "hosts.txt"],
    );
    assert_found(&out, "hosts.txt");
}

// ---------------------------------------------------------------------
// Byte-order marks in odd places
// ---------------------------------------------------------------------

/// A UTF-8 byte-order mark at the start of a line in the middle of
/// requirements.txt (two files pasted together): the package after it
/// is found, not taken as a different name.
#[test]
fn bom_in_the_middle_of_requirements() {
    let dir = tree(
        "requirements.txt",
        "requests==2.32.3\n\u{feff}demo-chat==1.0.0\n",
    );
    let out = scan(dir.path(), &["."]);
    assert_found_or_unread(&out, "requirements.txt");
}

/// Two byte-order marks at the start of an app inventory: the header is
/// still found and the demo app read.
#[test]
fn two_boms_before_an_inventory_header() {
    let dir = tree("apps.csv", format!("\u{feff}\u{feff}{APP_CSV}"));
    let out = scan(dir.path(), &["--input-format", "app-csv", "apps.csv"]);
    assert_found(&out, "apps.csv");
}

/// A UTF-16 byte-order mark after a UTF-8 one at the start of an
/// endpoint list: not a silent pass.
#[test]
fn utf16_bom_after_a_utf8_bom() {
    let mut bytes = b"\xEF\xBB\xBF\xFF\xFE".to_vec();
    bytes.extend_from_slice(b"api.demo-chat.example\n");
    let dir = tree("hosts.txt", bytes);
    let out = scan(
        dir.path(),
        &["--input-format", "endpoint-list", "hosts.txt"],
    );
    let report = out.report();
    let e = entry(&report, "hosts.txt");
    assert!(accounted(e), "{e:#}");
    assert_ne!(out.code, 0, "{e:#}");
}

/// A byte-order mark in the middle of a JSON lockfile (inside its
/// whitespace) is a syntax error naming the file.
#[test]
fn bom_inside_a_json_lockfile() {
    let text = NPM_LOCK.replace("\"lockfileVersion\"", "\u{feff}\"lockfileVersion\"");
    let dir = tree("package-lock.json", text);
    let out = scan(dir.path(), &["."]);
    assert_unread(&out, "package-lock.json");
}

/// A byte-order mark inside a gzip-compressed lockfile (after
/// decompression) is dropped as at the start of any file.
#[test]
fn bom_inside_a_gzip_lockfile() {
    let dir = tree(
        "package-lock.json.gz",
        gzip(format!("\u{feff}{NPM_LOCK}").as_bytes()),
    );
    let out = scan(dir.path(), &["."]);
    assert_found(&out, "package-lock.json.gz");
}

// ---------------------------------------------------------------------
// Line endings
// ---------------------------------------------------------------------

/// requirements.txt with CR-only line endings (classic Mac): the banned
/// package is found, or the file is reported; never a pass.
#[test]
fn cr_only_requirements() {
    let dir = tree("requirements.txt", REQUIREMENTS.replace('\n', "\r"));
    let out = scan(dir.path(), &["."]);
    assert_found_or_unread(&out, "requirements.txt");
}

/// An endpoint list with CR-only line endings.
#[test]
fn cr_only_endpoint_list() {
    let dir = tree(
        "hosts.txt",
        "example.org\rapi.demo-chat.example\rexample.net\r",
    );
    let out = scan(
        dir.path(),
        &["--input-format", "endpoint-list", "hosts.txt"],
    );
    assert_found(&out, "hosts.txt");
}

/// An app inventory with CR-only line endings: unread evidence naming it
/// (before issue 17 the rows were taken for part of the header, and the
/// file was read as an empty table: a pass beside any other input).
#[test]
fn cr_only_app_inventory() {
    let dir = tree("apps.csv", APP_CSV.replace('\n', "\r"));
    let out = scan(dir.path(), &["--input-format", "app-csv", "apps.csv"]);
    assert_found_or_unread(&out, "apps.csv");
}

/// An app inventory mixing LF, CRLF and CR line endings.
#[test]
fn mixed_line_endings_app_inventory() {
    let text = "Name,Publisher,Version\r\nNotepad,Example Corp,1.0\rZip,Example Corp,3.0\nDemo Chat,Demo Inc,2.0\r\n";
    let dir = tree("apps.csv", text);
    let out = scan(dir.path(), &["--input-format", "app-csv", "apps.csv"]);
    assert_found(&out, "apps.csv");
}

/// A Cargo.lock mixing CRLF and CR line endings: a bare CR is not TOML,
/// so the file is unread evidence naming it, or the crate is found.
#[test]
fn mixed_line_endings_cargo_lock() {
    let text = "version = 4\r\n\r\n[[package]]\rname = \"demo-chat\"\r\nversion = \"1.0.0\"\n";
    let dir = tree("Cargo.lock", text);
    let out = scan(dir.path(), &["."]);
    assert_found_or_unread(&out, "Cargo.lock");
}

/// A BIND query log with CR-only line endings.
#[test]
fn cr_only_query_log() {
    let line = "07-Mar-2025 10:00:00.000 queries: info: client @0x1 192.0.2.1#5353 (api.demo-chat.example): query: api.demo-chat.example IN A +E(0)K (192.0.2.53)";
    let dir = tree("query.log", format!("{line}\r{line}\r"));
    let out = scan(dir.path(), &["."]);
    assert_found_or_unread(&out, "query.log");
}

// ---------------------------------------------------------------------
// Long lines, deep nesting, bombs
// ---------------------------------------------------------------------

/// Writes a file of one line of `len` bytes made of `unit` repeated,
/// then `tail`.
fn long_line(dir: &Path, rel: &str, unit: &[u8], len: usize, tail: &[u8]) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut file = std::io::BufWriter::new(fs::File::create(path).unwrap());
    let block = unit.repeat(64 * 1024 / unit.len());
    let mut left = len;
    while left > 0 {
        let n = left.min(block.len());
        file.write_all(&block[..n]).unwrap();
        left -= n;
    }
    file.write_all(tail).unwrap();
    file.flush().unwrap();
}

/// A 100 MB single line in an endpoint list: the line is over the line
/// limit, reported and skipped in bounded memory; the banned name on the
/// next line is found.
#[test]
fn hundred_megabyte_line_in_an_endpoint_list() {
    let dir = tempfile::tempdir().unwrap();
    long_line(
        dir.path(),
        "hosts.txt",
        b"a.example ",
        100 * 1024 * 1024,
        b"\napi.demo-chat.example\n",
    );
    let out = scan(
        dir.path(),
        &["--input-format", "endpoint-list", "hosts.txt"],
    );
    assert_found(&out, "hosts.txt");
    let report = out.report();
    let e = entry(&report, "hosts.txt");
    assert!(problem(e).contains("line"), "{e:#}");
}

/// A 100 MB single line in requirements.txt.
#[test]
fn hundred_megabyte_line_in_requirements() {
    let dir = tempfile::tempdir().unwrap();
    long_line(
        dir.path(),
        "requirements.txt",
        b"requests ",
        100 * 1024 * 1024,
        b"\ndemo-chat==1.0.0\n",
    );
    let out = scan(dir.path(), &["."]);
    assert_found(&out, "requirements.txt");
    let report = out.report();
    assert!(accounted(entry(&report, "requirements.txt")));
}

/// A 100 MB quoted cell in an app inventory: bounded memory, and the
/// file is reported.
#[test]
fn hundred_megabyte_cell_in_an_app_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("apps.csv");
    {
        let mut f = fs::File::create(&path).unwrap();
        f.write_all(b"Name,Publisher,Version\n\"").unwrap();
    }
    let mut rest = Vec::new();
    rest.extend_from_slice(b"\",Example Corp,1.0\nDemo Chat,Demo Inc,2.0\n");
    long_line(dir.path(), "cell", b"x", 100 * 1024 * 1024, &rest);
    let mut f = fs::OpenOptions::new().append(true).open(&path).unwrap();
    std::io::copy(
        &mut fs::File::open(dir.path().join("cell")).unwrap(),
        &mut f,
    )
    .unwrap();
    fs::remove_file(dir.path().join("cell")).unwrap();
    let out = scan(dir.path(), &["--input-format", "app-csv", "apps.csv"]);
    let report = out.report();
    let e = entry(&report, "apps.csv");
    assert!(accounted(e), "{e:#}");
    assert_ne!(out.code, 0, "{e:#}");
}

/// JSON nested 100,000 levels deep.
fn deep_json() -> String {
    format!("{}{}", "[".repeat(100_000), "]".repeat(100_000))
}

/// A package-lock.json nested 100,000 levels deep: a problem naming the
/// file, no stack overflow.
#[test]
fn json_nested_100000_levels_as_a_lockfile() {
    let dir = tree("package-lock.json", deep_json());
    let out = scan(dir.path(), &["."]);
    assert_unread(&out, "package-lock.json");
}

/// A CycloneDX SBOM whose `components` are nested 100,000 levels deep.
#[test]
fn json_nested_100000_levels_as_an_sbom() {
    let text = format!(
        "{{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":{}}}",
        deep_json()
    );
    let dir = tree("bom.json", text);
    let out = scan(dir.path(), &["."]);
    assert_unread(&out, "bom.json");
}

/// A Suricata EVE dns event with a field nested 100,000 levels deep
/// (under the line limit) before its query name: no stack overflow, and
/// the event is read (the deep field is passed over) or skipped and
/// counted; the banned name in the next event is found.
#[test]
fn json_nested_100000_levels_in_an_eve_log() {
    let deep = format!(
        r#"{{"timestamp":"2025-03-07T10:00:00.000000+0000","event_type":"dns","src_ip":"192.0.2.1","x":{}1{},"dns":{{"type":"query","rrname":"chat.demo-chat.example","rrtype":"A"}}}}"#,
        "{\"a\":".repeat(100_000),
        "}".repeat(100_000)
    );
    let event = r#"{"timestamp":"2025-03-07T10:00:01.000000+0000","event_type":"dns","src_ip":"192.0.2.1","dns":{"type":"query","rrname":"api.demo-chat.example","rrtype":"A"}}"#;
    let dir = tree("eve.json", format!("{deep}\n{event}\n"));
    let out = scan(dir.path(), &["."]);
    assert_found(&out, "eve.json");
    let report = out.report();
    let deep_read = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["item"]["host"] == "chat.demo-chat.example");
    if !deep_read {
        assert_skipped(&out, "eve.json");
    }
}

/// An osquery results file nested 100,000 levels deep.
#[test]
fn json_nested_100000_levels_as_osquery_results() {
    let dir = tree("PC-1.osquery.json", deep_json());
    let out = scan(dir.path(), &["."]);
    assert_unread(&out, "PC-1.osquery.json");
}

/// An egress allowlist (JSON) nested 100,000 levels deep.
#[test]
fn json_nested_100000_levels_as_an_allowlist() {
    let dir = tree("egress-allowlist.json", deep_json());
    let out = scan(
        dir.path(),
        &[
            "--input-format",
            "endpoint-allowlist",
            "egress-allowlist.json",
        ],
    );
    assert_unread(&out, "egress-allowlist.json");
}

/// The billion laughs: nine aliases of nine aliases, nine levels deep.
fn alias_bomb(top: &str) -> String {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let (prev, name) = (pair[0], pair[1]);
        let refs = vec![format!("*{prev}"); 9].join(",");
        writeln!(text, "{name}: &{name} [{refs}]").unwrap();
    }
    writeln!(text, "{top}: *i").unwrap();
    text
}

/// YAML nested 100,000 levels deep (flow sequences).
fn deep_yaml(key: &str) -> String {
    format!("{key}: {}{}\n", "[".repeat(100_000), "]".repeat(100_000))
}

/// YAML nested 5,000 levels deep (block mappings).
fn deep_block_yaml(key: &str) -> String {
    let mut text = String::new();
    for depth in 0..5_000 {
        writeln!(text, "{}{key}:", " ".repeat(depth)).unwrap();
    }
    text
}

/// A policy file that is a YAML alias bomb is refused, naming the file.
#[test]
fn yaml_alias_bomb_as_a_policy() {
    let dir = tree("bomb.yaml", alias_bomb("product"));
    write(dir.path(), "requirements.txt", REQUIREMENTS);
    let out = run(
        dir.path(),
        &[
            "scan",
            "--no-builtin",
            "--no-profile",
            "--policies",
            "bomb.yaml",
            ".",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("bomb.yaml"), "{}", out.stderr);
}

/// A policy file nested 100,000 levels deep is refused, naming the file.
#[test]
fn yaml_deep_nesting_as_a_policy() {
    let dir = tree("deep.yaml", deep_yaml("product"));
    let out = run(dir.path(), &["policy", "lint", "--no-builtin", "deep.yaml"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("deep.yaml"), "{}", out.stderr);
}

/// A policy file of block mappings 5,000 levels deep is refused, naming
/// the file.
#[test]
fn yaml_deep_block_nesting_as_a_policy() {
    let dir = tree("deep.yaml", deep_block_yaml("product"));
    let out = run(dir.path(), &["policy", "lint", "--no-builtin", "deep.yaml"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("deep.yaml"), "{}", out.stderr);
}

/// A profile (banscan.yaml) that is an alias bomb is refused.
#[test]
fn yaml_alias_bomb_as_a_profile() {
    let dir = tree("banscan.yaml", alias_bomb("organization"));
    write(dir.path(), "requirements.txt", REQUIREMENTS);
    let policy = policy();
    let out = run(
        dir.path(),
        &[
            "scan",
            "--no-builtin",
            "--policies",
            &policy,
            "--format",
            "json",
            ".",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("banscan.yaml"), "{}", out.stderr);
}

/// A pnpm-lock.yaml that is an alias bomb is unread evidence naming it,
/// refused within its own size (before issue 17 it copied up to 50
/// million nodes: 4.5 GiB).
#[test]
fn yaml_alias_bomb_as_a_pnpm_lock() {
    let dir = tree(
        "pnpm-lock.yaml",
        format!("lockfileVersion: '9.0'\n{}", alias_bomb("packages")),
    );
    let out = scan(dir.path(), &["."]);
    let e = assert_unread(&out, "pnpm-lock.yaml");
    assert!(problem(&e).contains("nodes"), "{e:#}");
}

/// A pnpm-lock.yaml nested 100,000 levels deep.
#[test]
fn yaml_deep_nesting_as_a_pnpm_lock() {
    let dir = tree(
        "pnpm-lock.yaml",
        format!("lockfileVersion: '9.0'\n{}", deep_yaml("packages")),
    );
    let out = scan(dir.path(), &["."]);
    assert_unread(&out, "pnpm-lock.yaml");
}

/// A pnpm-lock.yaml of block mappings 5,000 levels deep.
#[test]
fn yaml_deep_block_nesting_as_a_pnpm_lock() {
    let dir = tree(
        "pnpm-lock.yaml",
        format!("lockfileVersion: '9.0'\n{}", deep_block_yaml("packages")),
    );
    let out = scan(dir.path(), &["."]);
    assert_unread(&out, "pnpm-lock.yaml");
}

/// An egress allowlist (YAML) that is an alias bomb: refused within its
/// own size (before issue 17, up to 5 million copied nodes).
#[test]
fn yaml_alias_bomb_as_an_allowlist() {
    let dir = tree("egress-allowlist.yaml", alias_bomb("allow"));
    let out = scan(
        dir.path(),
        &[
            "--input-format",
            "endpoint-allowlist",
            "egress-allowlist.yaml",
        ],
    );
    let e = assert_unread(&out, "egress-allowlist.yaml");
    assert!(problem(&e).contains("nodes"), "{e:#}");
}

/// A gzip bomb: 1 MB that decompresses to 1 GiB of zeros (64 gzip
/// members of 16 MiB each), named as a JSON lockfile. The reader stops
/// at the cap of a file read whole and names the file, in bounded memory
/// (before issue 17 it held the whole gigabyte).
#[test]
fn gzip_bomb_named_as_a_lockfile() {
    let member = gzip(&vec![0u8; 16 * 1024 * 1024]);
    let dir = tree("package-lock.json.gz", member.repeat(64));
    let out = scan(dir.path(), &["."]);
    let e = assert_unread(&out, "package-lock.json.gz");
    assert!(problem(&e).contains("larger than 268435456 bytes"), "{e:#}");
}

/// A gzip bomb named as a log: 1 MB that decompresses to 1 GiB of
/// zeros, one endless line. Read in bounded memory, the line over the
/// line limit is a problem naming the file (the decompressed-size limit,
/// 16 GiB by default, is not reached).
#[test]
fn gzip_bomb_named_as_a_log() {
    let member = gzip(&vec![0u8; 16 * 1024 * 1024]);
    let dir = tree("query.log.gz", member.repeat(64));
    let out = scan(dir.path(), &["."]);
    let e = assert_unread(&out, "query.log.gz");
    assert!(problem(&e).contains("limit"), "{e:#}");
}

/// A gzip bomb of ordinary log lines (16 MB decoded from a few kB): it
/// stops at `--max-decoded-bytes`, a diagnostic naming the flag.
#[test]
fn gzip_bomb_stops_at_the_decompressed_size_limit() {
    let member = gzip("api.example.org\n".repeat(1 << 20).as_bytes());
    let dir = tree("query.log.gz", member);
    let out = scan(dir.path(), &["--max-decoded-bytes", "4194304", "."]);
    let e = assert_unread(&out, "query.log.gz");
    assert!(problem(&e).contains("--max-decoded-bytes"), "{e:#}");
}

/// A gzip file inside a gzip file: one layer is decoded, the inner one
/// is binary, never expanded again.
#[test]
fn gzip_inside_gzip() {
    let inner = gzip(&vec![b'a'; 1024 * 1024]);
    let dir = tree("package-lock.json.gz", gzip(&inner));
    let out = scan(dir.path(), &["."]);
    assert_unread(&out, "package-lock.json.gz");
}

/// A gzip file cut short: a problem naming the file.
#[test]
fn truncated_gzip() {
    let whole = gzip(NPM_LOCK.repeat(50).as_bytes());
    let dir = tree("query.log.gz", &whole[..whole.len() / 2]);
    let out = scan(dir.path(), &["."]);
    assert_unread(&out, "query.log.gz");
}

/// A gzip file whose checksum is wrong.
#[test]
fn gzip_with_a_bad_checksum() {
    let mut bytes = gzip(REQUIREMENTS.as_bytes());
    let n = bytes.len();
    bytes[n - 8] ^= 0xFF;
    let dir = tree("requirements.txt.gz", bytes);
    let out = scan(dir.path(), &["."]);
    let report = out.report();
    let e = entry(&report, "requirements.txt.gz");
    assert!(accounted(e), "{e:#}");
    assert_eq!(out.code, 2, "{e:#}");
}

// ---------------------------------------------------------------------
// The file system: links, FIFOs, devices, permissions, names
// ---------------------------------------------------------------------

/// A tree with a symlink loop (`a` → `b` → `a`), a link to itself and a
/// link to its own parent: the walk ends, each is accounted for, and the
/// banned package beside them is found.
#[test]
fn symlink_loops_in_a_scanned_tree() {
    let dir = tree("tree/requirements.txt", REQUIREMENTS);
    let t = dir.path().join("tree");
    symlink("b", t.join("a")).unwrap();
    symlink("a", t.join("b")).unwrap();
    symlink("self", t.join("self")).unwrap();
    symlink("..", t.join("up")).unwrap();
    let out = scan(dir.path(), &["tree"]);
    assert_found(&out, "tree/requirements.txt");
    let report = out.report();
    for link in ["tree/a", "tree/b", "tree/self"] {
        let e = entry(&report, link);
        assert!(accounted(e), "{link}: {e:#}");
        assert!(problem(e).contains("leads back to itself"), "{link}: {e:#}");
    }
    // One state per file: before issue 17 each of these links was listed
    // twice, the second time as "ignored by .gitignore", which no rule
    // said.
    let mut paths: Vec<&str> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap().trim_end_matches('/'))
        .collect();
    let all = paths.len();
    paths.sort_unstable();
    paths.dedup();
    assert_eq!(paths.len(), all, "{:#}", report["inputs"]);
    assert!(
        !report["inputs"].to_string().contains(".gitignore"),
        "{:#}",
        report["inputs"]
    );
}

/// A FIFO inside a scanned tree, under an evidence file's name: banscan
/// does not open it (which would wait for a writer forever) and says why.
#[test]
fn fifo_in_a_scanned_tree() {
    let dir = tree("tree/requirements.txt", REQUIREMENTS);
    let t = dir.path().join("tree");
    fs::create_dir(t.join("sub")).unwrap();
    let made = Command::new("mkfifo")
        .arg(t.join("sub/requirements.txt"))
        .arg(t.join("hosts"))
        .status()
        .unwrap();
    assert!(made.success());
    let out = scan(dir.path(), &["tree"]);
    assert_found(&out, "tree/requirements.txt");
    let report = out.report();
    for fifo in ["tree/sub/requirements.txt", "tree/hosts"] {
        let e = entry(&report, fifo);
        assert_ne!(e["state"], "read", "{fifo}: {e:#}");
        assert!(accounted(e), "{fifo}: {e:#}");
    }
}

/// Device files linked into a scanned tree under evidence names:
/// `/dev/zero` and `/dev/urandom` never end, `/dev/null` is empty. None
/// is read as a file; each is accounted for.
#[test]
fn device_files_in_a_scanned_tree() {
    let dir = tree("tree/requirements.txt", REQUIREMENTS);
    let t = dir.path().join("tree");
    fs::create_dir(t.join("a")).unwrap();
    fs::create_dir(t.join("b")).unwrap();
    symlink("/dev/zero", t.join("hosts")).unwrap();
    symlink("/dev/urandom", t.join("a/package-lock.json")).unwrap();
    symlink("/dev/null", t.join("b/requirements.txt")).unwrap();
    let out = scan(dir.path(), &["tree"]);
    assert_found(&out, "tree/requirements.txt");
    let report = out.report();
    for device in [
        "tree/hosts",
        "tree/a/package-lock.json",
        "tree/b/requirements.txt",
    ] {
        let e = entry(&report, device);
        assert!(accounted(e), "{device}: {e:#}");
    }
}

/// A file that cannot be read even by root (a link to `/proc/self/mem`,
/// whose first page is not mapped) under an evidence name: unread
/// evidence naming it.
#[test]
fn unreadable_file_even_for_root() {
    let dir = tree("tree/requirements.txt", REQUIREMENTS);
    symlink("/proc/self/mem", dir.path().join("tree/hosts")).unwrap();
    let out = scan(dir.path(), &["tree"]);
    assert_unread(&out, "tree/hosts");
}

/// Whether the tests run as root.
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// Says why a test checks less than it would as another user.
#[allow(clippy::print_stderr)]
fn skip_because(reason: &str) {
    eprintln!("adversarial: {reason}");
}

/// A file with mode 000 and a folder with mode 000 in a scanned tree:
/// each is unread evidence naming it (exit 2). Root reads through mode
/// 000, so as root the scan runs as `nobody` with `setpriv`; without
/// setpriv, as root, the case is skipped with this reason.
#[test]
fn unreadable_file_and_folder_mode_000() {
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let t = dir.path().join("tree");
    write(&t, "ok/requirements.txt", "requests==2.32.3\n");
    write(&t, "locked/requirements.txt", REQUIREMENTS);
    write(&t, "closed/inside/requirements.txt", REQUIREMENTS);
    for (path, mode) in [("locked/requirements.txt", 0o000), ("closed", 0o000)] {
        fs::set_permissions(t.join(path), fs::Permissions::from_mode(mode)).unwrap();
    }
    // A copy beside the tree: the checkout may sit in a folder `nobody`
    // cannot enter (a clone under mktemp -d is mode 700).
    let policy_copy = dir.path().join("policy.yaml");
    fs::copy(policy(), &policy_copy).unwrap();
    fs::set_permissions(&policy_copy, fs::Permissions::from_mode(0o644)).unwrap();
    let policy = policy_copy.to_str().unwrap().to_string();
    let args = [
        "scan",
        "--no-builtin",
        "--no-profile",
        "--policies",
        &policy,
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "tree",
    ];
    let setpriv = Path::new("/usr/bin/setpriv");
    let out = if !is_root() {
        run(dir.path(), &args)
    } else if setpriv.exists() {
        run_as(
            dir.path(),
            &args,
            &[
                "/usr/bin/setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
            ],
        )
    } else {
        skip_because(
            "running as root without setpriv: mode 000 does not stop root, so this case cannot be made",
        );
        return;
    };
    // Readable again, so that the temporary folder can be removed.
    for path in ["locked/requirements.txt", "closed"] {
        fs::set_permissions(t.join(path), fs::Permissions::from_mode(0o755)).unwrap();
    }
    let report = out.report();
    assert_eq!(out.code, 2, "{:#}", report["inputs"]);
    assert_eq!(entry(&report, "tree/ok/requirements.txt")["state"], "read");
    assert_unread(&out, "tree/locked/requirements.txt");
    assert_unread(&out, "tree/closed");
}

/// File and folder names with newlines: found, and the human report
/// shows the name with the newline escaped, so no line of it can be
/// forged by a file name.
#[test]
fn file_names_with_newlines() {
    let dir = tree("evil\nname/requirements.txt", REQUIREMENTS);
    write(dir.path(), "hosts\n.txt", "api.demo-chat.example\n");
    let out = scan(dir.path(), &["."]);
    assert_found(&out, "evil\nname/requirements.txt");
    let policy = policy();
    let human = run(
        dir.path(),
        &[
            "scan",
            "--no-builtin",
            "--no-profile",
            "--policies",
            &policy,
            "--as-of",
            AS_OF,
            ".",
        ],
    );
    assert_eq!(human.code, 1, "{}{}", human.stdout, human.stderr);
    let all = format!("{}{}", human.stdout, human.stderr);
    assert!(!all.contains("evil\nname"), "{all}");
    assert!(!all.contains("hosts\n.txt"), "{all}");
    let report = out.report();
    assert!(accounted(entry(&report, "hosts\n.txt")));
}

/// A file name ending in a character of several bytes (`報告`, and one
/// with `.gz` after it): scanned, not a crash (before issue 17 the check
/// for a compression suffix cut the name inside the character).
#[test]
fn file_names_ending_in_wide_characters() {
    let dir = tree("inventory/報告", "api.demo-chat.example\n");
    write(dir.path(), "inventory/requirements.txt", REQUIREMENTS);
    write(
        dir.path(),
        "inventory/報告.gz",
        gzip(b"api.demo-chat.example\n"),
    );
    let out = scan(dir.path(), &["inventory"]);
    assert_found(&out, "inventory/requirements.txt");
    let report = out.report();
    for name in ["inventory/報告", "inventory/報告.gz"] {
        assert!(accounted(entry(&report, name)), "{name}");
    }
}

/// File and folder names that are not UTF-8: the file is scanned (the
/// banned package found) or named as unread evidence; never dropped.
#[test]
fn file_names_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"bad-\xff-dir"));
    write(&folder, "requirements.txt", REQUIREMENTS);
    let file = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"requirements-\xfe.txt"));
    fs::write(&file, REQUIREMENTS).unwrap();
    let out = scan(dir.path(), &["."]);
    let report = out.report();
    assert_ne!(out.code, 0, "{:#}", report["inputs"]);
    let inputs = report["inputs"].as_array().unwrap();
    let findings = report["findings"].as_array().unwrap();
    for stem in ["-dir/requirements.txt", "requirements-"] {
        let named = inputs
            .iter()
            .filter(|i| i["path"].as_str().unwrap().contains(stem))
            .collect::<Vec<_>>();
        assert_eq!(named.len(), 1, "{stem}: {inputs:#?}");
        let e = named[0];
        assert!(accounted(e), "{e:#}");
        if e["state"] == "read" {
            assert!(
                findings.iter().any(|f| f["location"]["path"] == e["path"]),
                "{e:#}"
            );
        }
    }
}

// ---------------------------------------------------------------------
// Wide tables and duplicate keys
// ---------------------------------------------------------------------

/// The header of a table with 10,000 columns, `Name` being the last.
fn wide_header() -> String {
    let mut header: Vec<String> = (0..9_999).map(|i| format!("c{i}")).collect();
    header.push("Name".into());
    header.join(",")
}

/// An app inventory with 10,000 columns, the app name in the last one:
/// read in bounded time, the demo app found.
#[test]
fn csv_with_10000_columns() {
    let mut text = wide_header();
    text.push('\n');
    let cells = vec!["x"; 9_999].join(",");
    writeln!(text, "{cells},Notepad").unwrap();
    writeln!(text, "{cells},Demo Chat").unwrap();
    let dir = tree("apps.csv", text);
    let out = scan(dir.path(), &["--input-format", "app-csv", "apps.csv"]);
    assert_found(&out, "apps.csv");
}

/// A table with 10,000 columns none of which banscan knows: unread
/// evidence (no usable column), and the report stays small.
#[test]
fn csv_with_10000_unknown_columns() {
    let header: Vec<String> = (0..10_000).map(|i| format!("c{i}")).collect();
    let text = format!(
        "{}\n{}\n",
        header.join(","),
        vec!["Demo Chat"; 10_000].join(",")
    );
    let dir = tree("apps.csv", text);
    let out = scan(dir.path(), &["--input-format", "app-csv", "apps.csv"]);
    assert_unread(&out, "apps.csv");
    assert!(out.stdout.len() < 1024 * 1024, "{} bytes", out.stdout.len());
}

/// An endpoint table with 10,000 columns, the host in the last.
#[test]
fn endpoint_csv_with_10000_columns() {
    let mut header: Vec<String> = (0..9_999).map(|i| format!("c{i}")).collect();
    header.push("host".into());
    let cells = vec!["x"; 9_999].join(",");
    let text = format!("{}\n{cells},api.demo-chat.example\n", header.join(","));
    let dir = tree("dest.csv", text);
    let out = scan(dir.path(), &["--input-format", "endpoint-csv", "dest.csv"]);
    assert_found(&out, "dest.csv");
}

/// A package-lock.json with `packages` twice, the demo package in the
/// first: never a pass that read only the second.
#[test]
fn duplicate_keys_in_a_json_lockfile() {
    let text = r#"{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "node_modules/demo-chat": { "version": "1.0.0" }
  },
  "packages": {
    "node_modules/left-pad": { "version": "1.3.0" }
  }
}
"#;
    let dir = tree("package-lock.json", text);
    let out = scan(dir.path(), &["."]);
    assert_found_or_unread(&out, "package-lock.json");
}

/// A package entry with `version` twice: the lockfile is refused or the
/// package found; never read as a harmless version alone.
#[test]
fn duplicate_keys_inside_a_json_package_entry() {
    let text = NPM_LOCK.replace(
        "\"version\": \"1.0.0\" }",
        "\"version\": \"1.0.0\", \"version\": \"9.9.9\" }",
    );
    let dir = tree("package-lock.json", text);
    let out = scan(dir.path(), &["."]);
    assert_found_or_unread(&out, "package-lock.json");
}

/// A CycloneDX SBOM with `components` twice, the demo package in the
/// first.
#[test]
fn duplicate_keys_in_an_sbom() {
    let text = r#"{"bomFormat":"CycloneDX","specVersion":"1.5",
"components":[{"type":"library","name":"demo-chat","version":"1.0.0","purl":"pkg:pypi/demo-chat@1.0.0"}],
"components":[{"type":"library","name":"requests","version":"2.32.3","purl":"pkg:pypi/requests@2.32.3"}]}
"#;
    let dir = tree("bom.json", text);
    let out = scan(dir.path(), &["."]);
    assert_found_or_unread(&out, "bom.json");
}

/// A pnpm-lock.yaml with a duplicate key is unread evidence naming it.
#[test]
fn duplicate_keys_in_a_pnpm_lock() {
    let text = "lockfileVersion: '9.0'\npackages:\n  demo-chat@1.0.0:\n    resolution: {integrity: sha512-AAAA}\npackages:\n  left-pad@1.3.0:\n    resolution: {integrity: sha512-BBBB}\n";
    let dir = tree("pnpm-lock.yaml", text);
    let out = scan(dir.path(), &["."]);
    assert_unread(&out, "pnpm-lock.yaml");
}

/// A Cargo.lock with a duplicate key in a package table is unread
/// evidence naming it.
#[test]
fn duplicate_keys_in_cargo_lock() {
    let text = "version = 4\n\n[[package]]\nname = \"demo-chat\"\nname = \"left-pad\"\nversion = \"1.0.0\"\n";
    let dir = tree("Cargo.lock", text);
    let out = scan(dir.path(), &["."]);
    assert_unread(&out, "Cargo.lock");
}

/// A policy with a duplicate key is refused, naming the file.
#[test]
fn duplicate_keys_in_a_policy() {
    let text = fs::read_to_string(corpus("policy.yaml"))
        .unwrap()
        .replace("severity: ban\n", "severity: ban\nseverity: advisory\n");
    let dir = tree("dup.yaml", text);
    let out = run(dir.path(), &["policy", "lint", "--no-builtin", "dup.yaml"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("dup.yaml"), "{}", out.stderr);
}
