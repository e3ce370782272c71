//! The input layer (issue 5): decoding (UTF-16, gzip), stdin, walking
//! folders (skipped and ignored files), sniffing look-alike files, path
//! spellings, output safety, huge lines, parallelism and the format table.
//! Fixtures live in tests/fixtures/input-layer/.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::common::{Run, banscan, banscan_in, root};

const AS_OF: &str = "2025-06-01";
const FIX: &str = "tests/fixtures/input-layer";

fn fixture(name: &str) -> PathBuf {
    root().join(FIX).join(name)
}

/// Runs banscan in `dir` with `input` piped to its stdin.
fn banscan_stdin(dir: &Path, args: &[&str], input: Vec<u8>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_banscan"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the banscan binary runs");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        // banscan may stop reading early; a broken pipe is not our failure.
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("banscan finishes");
    writer.join().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `scan ARGS --no-profile --as-of AS_OF --format json` in `dir`.
fn scan_json_in(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["scan"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--no-profile", "--as-of", AS_OF, "--format", "json"]);
    banscan_in(dir, &all)
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings is an array")
}

fn inputs(report: &Value) -> &Vec<Value> {
    report["inputs"].as_array().expect("inputs is an array")
}

fn input<'a>(report: &'a Value, path: &str) -> &'a Value {
    inputs(report)
        .iter()
        .find(|i| i["path"] == path)
        .unwrap_or_else(|| panic!("no input {path:?} in {:#}", report["inputs"]))
}

/// `(policy, identifier, line, column, evidence text)` of every finding,
/// sorted: what a finding says, without where the file is.
fn what_and_where(report: &Value) -> Vec<(String, String, u64, u64, String)> {
    let mut v: Vec<_> = findings(report)
        .iter()
        .map(|f| {
            (
                f["policy"].as_str().unwrap().to_string(),
                f["identifier"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
                f["location"]["column"].as_u64().unwrap(),
                f["evidence"]["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn decoded(input: &Value) -> Vec<&str> {
    input["decoded"]
        .as_array()
        .map(|a| a.iter().map(|d| d.as_str().unwrap()).collect())
        .unwrap_or_default()
}

/// An Intune export saved as UTF-16 LE with a BOM (what Excel and
/// PowerShell's `Export-Csv -Encoding Unicode` write) is decoded: the
/// DeepSeek row is found at its own line and column, and the report says
/// the file was decoded from UTF-16 LE.
#[test]
fn utf16le_intune_export_is_decoded_and_located() {
    let run = scan_json_in(&root(), &[&format!("{FIX}/intune-utf16le.csv")]);
    run.expect_code(1);
    let report = run.json();
    let inp = input(&report, "tests/fixtures/input-layer/intune-utf16le.csv");
    assert_eq!(inp["state"], "read");
    assert_eq!(inp["format"], "app-csv");
    assert_eq!(inp["items"], 4);
    assert!(decoded(inp).contains(&"utf-16le"), "decoded: {inp:#}");
    let f = findings(&report)
        .iter()
        .find(|f| f["policy"] == "tw-ey-2025-deepseek")
        .expect("the TW ban applies");
    assert_eq!(f["item"]["bundle_id"], "com.deepseek.chat");
    assert_eq!(f["location"]["line"], 4);
    // `PIXEL-7-0231,` is 13 characters: the app name starts at column 14.
    assert_eq!(f["location"]["column"], 14);
    assert_eq!(
        f["evidence"]["text"],
        "PIXEL-7-0231,DeepSeek,DeepSeek,1.0.9,Android,com.deepseek.chat"
    );
    // Every finding is on the DeepSeek row, none on the other devices.
    assert!(findings(&report).iter().all(|f| f["location"]["line"] == 4));
}

/// A gzip-compressed endpoint list gives exactly the findings of the plain
/// list: same policies, identifiers, lines, columns and count.
#[test]
fn gzip_endpoint_list_matches_the_plain_list() {
    let plain = scan_json_in(&root(), &[&format!("{FIX}/egress.list")]);
    plain.expect_code(1);
    let gz = scan_json_in(&root(), &[&format!("{FIX}/egress.list.gz")]);
    gz.expect_code(1);
    let (plain, gz) = (plain.json(), gz.json());
    let inp = input(&gz, "tests/fixtures/input-layer/egress.list.gz");
    assert_eq!(inp["state"], "read");
    assert_eq!(inp["format"], "endpoint-list");
    assert_eq!(decoded(inp), ["gzip"]);
    assert_eq!(inp["items"], plain["inputs"][0]["items"]);
    assert!(!findings(&plain).is_empty());
    assert_eq!(findings(&plain).len(), findings(&gz).len());
    assert_eq!(what_and_where(&plain), what_and_where(&gz));
    for f in findings(&gz) {
        assert_eq!(
            f["location"]["path"],
            "tests/fixtures/input-layer/egress.list.gz"
        );
    }
}

/// Excel's "Unicode text" export (tab-separated UTF-16 LE with a BOM,
/// CRLF, saved as `.txt`) met in a walk is read as an inventory.
#[test]
fn excel_unicode_text_in_a_walk_is_an_inventory() {
    let run = scan_json_in(&root(), &[&format!("{FIX}/excel-unicode-text")]);
    run.expect_code(1);
    let report = run.json();
    let inp = input(
        &report,
        "tests/fixtures/input-layer/excel-unicode-text/installed.txt",
    );
    assert_eq!(inp["format"], "app-csv");
    assert_eq!(decoded(inp), ["utf-16le"]);
    assert_eq!(inp["items"], 2);
    let f = &findings(&report)[0];
    assert_eq!(f["item"]["name"], "Kaspersky Free");
    assert_eq!(f["location"]["line"], 3);
    assert_eq!(f["location"]["column"], 9);
}

/// zstd, made by the `zstd` tool, reads like the plain list.
#[test]
fn zstd_endpoint_list_matches_the_plain_list() {
    let plain = scan_json_in(&root(), &[&format!("{FIX}/egress.list")]);
    let zst = scan_json_in(&root(), &[&format!("{FIX}/egress.list.zst")]);
    zst.expect_code(1);
    let (plain, zst) = (plain.json(), zst.json());
    let inp = input(&zst, "tests/fixtures/input-layer/egress.list.zst");
    assert_eq!(decoded(inp), ["zstd"]);
    assert_eq!(inp["items"], plain["inputs"][0]["items"]);
    assert_eq!(what_and_where(&plain), what_and_where(&zst));
}

/// Compression is detected by content, not by name: gzip bytes saved as
/// `egress.list` give byte-for-byte the same findings, fingerprints
/// included, as the plain `egress.list` in another folder.
#[test]
fn gzip_under_a_plain_name_gives_the_same_fingerprints() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("egress.list"), a.path().join("egress.list")).unwrap();
    std::fs::copy(fixture("egress.list.gz"), b.path().join("egress.list")).unwrap();
    let plain = scan_json_in(a.path(), &["egress.list"]);
    plain.expect_code(1);
    let gz = scan_json_in(b.path(), &["egress.list"]);
    gz.expect_code(1);
    let (plain, gz) = (plain.json(), gz.json());
    assert_eq!(decoded(&gz["inputs"][0]), ["gzip"]);
    assert_eq!(plain["findings"], gz["findings"]);
}

/// `-` reads stdin, with or without `--input-format`; the report calls it
/// `-`, and the findings are those of the same list read from a file.
#[test]
fn stdin_is_read_with_and_without_input_format() {
    let list = std::fs::read(fixture("egress.list")).unwrap();
    let from_file = scan_json_in(&root(), &[&format!("{FIX}/egress.list")]).json();
    for extra in [&["--input-format", "endpoint-list"][..], &[][..]] {
        let mut args = vec!["scan", "-"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--no-profile", "--as-of", AS_OF, "--format", "json"]);
        let run = banscan_stdin(&root(), &args, list.clone());
        run.expect_code(1);
        let report = run.json();
        let inp = input(&report, "-");
        assert_eq!(inp["format"], "endpoint-list", "{extra:?}");
        assert_eq!(inp["state"], "read", "{extra:?}");
        assert_eq!(inp["items"], 6, "{extra:?}");
        assert!(
            findings(&report)
                .iter()
                .all(|f| f["location"]["path"] == "-")
        );
        assert_eq!(
            what_and_where(&report),
            what_and_where(&from_file),
            "{extra:?}"
        );
    }
}

/// A project folder: every file the walk meets is accounted for in the
/// JSON `inputs` with its state; lockfiles banscan does not read yet are
/// unread evidence (listed, with `--allow-unread`, not fatal), the README
/// is not evidence, and the gitignored `exports/` folder is excluded with
/// a reason saying so and that evidence is inside.
#[test]
fn walk_lists_every_file_with_its_state() {
    let run = scan_json_in(&fixture("walk"), &[".", "--allow-unread"]);
    run.expect_code(1);
    let report = run.json();

    let req = input(&report, "requirements.txt");
    assert_eq!(req["state"], "read");
    assert_eq!(req["format"], "requirements");
    assert!(
        findings(&report)
            .iter()
            .any(|f| f["location"]["path"] == "requirements.txt" && f["location"]["line"] == 3)
    );

    let npm = input(&report, "package-lock.json");
    assert_eq!(npm["state"], "read");
    assert_eq!(npm["format"], "npm-lock");

    for lock in ["bun.lock", "Podfile.lock"] {
        let i = input(&report, lock);
        assert_eq!(i["state"], "unread", "{lock}");
        let reason = i["reason"].as_str().unwrap();
        assert!(
            reason.contains("not read by this version"),
            "{lock}: {reason}"
        );
    }

    let readme = input(&report, "README.md");
    assert_eq!(readme["state"], "not-evidence");

    let exports = input(&report, "exports/");
    assert_eq!(exports["state"], "excluded");
    let reason = exports["reason"].as_str().unwrap();
    assert!(reason.contains(".gitignore"), "{reason}");
    assert!(reason.contains("evidence"), "{reason}");
    assert!(
        inputs(&report)
            .iter()
            .all(|i| i["path"] != "exports/devices.csv"),
        "an ignored file was read"
    );

    assert_eq!(report["summary"]["files"]["unread"], 2);
    // `exports/` (git-ignored) and `.gitignore` (hidden).
    assert_eq!(report["summary"]["files"]["excluded"], 2);
    // No finding comes from the ignored inventory.
    assert!(
        findings(&report)
            .iter()
            .all(|f| f["location"]["path"] == "requirements.txt")
    );
}

/// Unread evidence fails the scan (exit 2) though violations were found,
/// and the human report names every file of it with what to do, so a
/// reviewer sees what was not checked even without `--format json`.
#[test]
fn walk_human_report_names_unread_evidence() {
    let run = banscan_in(
        &fixture("walk"),
        &["scan", ".", "--no-profile", "--as-of", AS_OF],
    );
    run.expect_code(2)
        .expect_contains("Unread evidence")
        .expect_contains("--allow-unread")
        .expect_contains("bun.lock")
        .expect_contains("Podfile.lock")
        .expect_contains("exports/")
        .expect_contains("not read by this version");
}

/// `--strict` fails on records passed over in files that were read: a
/// ragged row without a banned name is a listed skip by default.
#[test]
fn strict_fails_on_skipped_records() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("apps.csv"),
        "Device,Name,Version\nPC-1,Notepad++,8.6\nPC-2,Zoom,6.0,extra\n",
    )
    .unwrap();
    let run = scan_json_in(dir.path(), &["apps.csv"]);
    run.expect_code(0);
    let skipped = &run.json()["inputs"][0]["skipped"];
    assert_eq!(skipped["count"], 1, "{skipped:#}");
    assert_eq!(skipped["first"]["line"], 3, "{skipped:#}");
    banscan_in(
        dir.path(),
        &[
            "scan",
            "apps.csv",
            "--no-profile",
            "--as-of",
            AS_OF,
            "--strict",
        ],
    )
    .expect_code(2)
    .expect_contains("--strict")
    .expect_contains("1 record was passed over");
}

/// The profile key `allow_unread: true` does what `--allow-unread` does;
/// without it the same folder fails on its lockfile.
#[test]
fn profile_allow_unread_lists_the_lockfile() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "requests==2.32.3\n").unwrap();
    std::fs::write(dir.path().join("bun.lock"), "{\n  \"lockfileVersion\": 1,\n  \"workspaces\": {\n    \"\": {\n      \"name\": \"app\",\n    },\n  },\n}\n").unwrap();
    std::fs::write(dir.path().join("banscan.yaml"), "jurisdiction: TW\n").unwrap();
    banscan_in(dir.path(), &["scan", ".", "--as-of", AS_OF])
        .expect_code(2)
        .expect_contains("bun.lock")
        .expect_contains("unread evidence");
    std::fs::write(
        dir.path().join("banscan.yaml"),
        "jurisdiction: TW\nallow_unread: true\n",
    )
    .unwrap();
    banscan_in(dir.path(), &["scan", ".", "--as-of", AS_OF])
        .expect_code(0)
        .expect_contains("bun.lock");
}

/// `--no-ignore` reads the gitignored inventory, and its DeepSeek row is a
/// finding.
#[test]
fn walk_with_no_ignore_reads_the_ignored_inventory() {
    let run = scan_json_in(&fixture("walk"), &[".", "--no-ignore", "--allow-unread"]);
    run.expect_code(1);
    let report = run.json();
    let csv = input(&report, "exports/devices.csv");
    assert_eq!(csv["state"], "read");
    assert_eq!(csv["format"], "app-csv");
    assert!(
        findings(&report)
            .iter()
            .any(|f| f["location"]["path"] == "exports/devices.csv" && f["location"]["line"] == 3)
    );
}

/// A CSV with only its header holds nothing to check: exit 2, not a clean 0.
#[test]
fn header_only_csv_is_nothing_checked() {
    banscan(&[
        "scan",
        &format!("{FIX}/header-only.csv"),
        "--no-profile",
        "--as-of",
        AS_OF,
    ])
    .expect_code(2)
    .expect_contains("nothing was checked");
}

/// An empty endpoint list holds nothing to check: exit 2, not a clean 0.
#[test]
fn empty_list_is_nothing_checked() {
    banscan(&[
        "scan",
        &format!("{FIX}/empty.list"),
        "--no-profile",
        "--as-of",
        AS_OF,
    ])
    .expect_code(2)
    .expect_contains("nothing was checked");
}

/// Files named like evidence whose content is something else (Unicode's
/// Blocks.txt, apt's sources.list, IANA's leap-seconds.list) are passed
/// over as not evidence, not read as requirements or endpoints; the real
/// requirements file next to them is read and the scan is clean.
#[test]
fn look_alike_txt_and_list_files_are_not_evidence() {
    let run = scan_json_in(&fixture("unicode-lookalikes"), &["."]);
    run.expect_code(0);
    let report = run.json();
    assert_eq!(input(&report, "requirements.txt")["state"], "read");
    for name in ["Blocks.txt", "sources.list", "leap-seconds.list"] {
        let i = input(&report, name);
        assert_eq!(i["state"], "not-evidence", "{name}: {i:#}");
        assert_eq!(i["problems"].as_array().map_or(0, Vec::len), 0, "{name}");
    }
    assert_eq!(report["summary"]["items"], 2);
    assert_eq!(report["summary"]["files"]["unread"], 0);
}

/// `x.list`, `./x.list` and the absolute path are one file: same report
/// path, same fingerprints (so waivers and baselines keep matching).
#[test]
fn three_spellings_of_a_path_give_one_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("egress.list"), dir.path().join("x.list")).unwrap();
    let abs = dir.path().join("x.list");
    let abs = abs.to_str().unwrap();
    let mut seen: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for spelling in ["x.list", "./x.list", abs] {
        let run = scan_json_in(dir.path(), &[spelling]);
        run.expect_code(1);
        let report = run.json();
        assert_eq!(report["inputs"][0]["path"], "x.list", "{spelling}");
        let mut fps: Vec<(String, String)> = findings(&report)
            .iter()
            .map(|f| {
                (
                    f["fingerprint"].as_str().unwrap().to_string(),
                    f["location"]["path"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        fps.sort();
        assert!(!fps.is_empty());
        seen.push((spelling.to_string(), fps));
    }
    assert_eq!(seen[0].1, seen[1].1, "{} vs {}", seen[0].0, seen[1].0);
    assert_eq!(seen[0].1, seen[2].1, "{} vs {}", seen[0].0, seen[2].0);
    assert!(seen[0].1.iter().all(|(_, p)| p == "x.list"));
}

/// `-o` naming one of the inputs is refused before anything is written:
/// the evidence file is left as it was.
#[test]
fn output_onto_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read(fixture("egress.list")).unwrap();
    std::fs::write(dir.path().join("x.list"), &original).unwrap();
    for (target, out) in [("x.list", "x.list"), (".", "./x.list")] {
        let run = banscan_in(
            dir.path(),
            &["scan", target, "--no-profile", "--as-of", AS_OF, "-o", out],
        );
        run.expect_code(2)
            .expect_contains("one of the scan's inputs");
        assert_eq!(
            std::fs::read(dir.path().join("x.list")).unwrap(),
            original,
            "scan {target} -o {out} changed the input"
        );
    }
}

/// Writes an endpoint list whose second line is 5,000,000 `a`s.
fn long_line_list(dir: &Path) {
    let mut text = String::from("www.gov.tw\n");
    text.push_str(&"a".repeat(5_000_000));
    text.push_str("\napi.deepseek.com\n");
    std::fs::write(dir.join("long.list"), text).unwrap();
}

/// A 5 MB line does not flood the report (human output stays under 64 KB,
/// and it adds under 64 KB to the JSON), is reported as a problem at its
/// line, and the finding on the next line is still reported.
#[test]
fn a_five_megabyte_line_is_a_bounded_problem() {
    let dir = tempfile::tempdir().unwrap();
    long_line_list(dir.path());

    let human = banscan_in(
        dir.path(),
        &["scan", "long.list", "--no-profile", "--as-of", AS_OF],
    );
    human.expect_code(2).expect_contains("long.list:2");
    assert!(
        human.all().len() < 64 * 1024,
        "human output is {} bytes",
        human.all().len()
    );

    let json = scan_json_in(dir.path(), &["long.list"]);
    json.expect_code(2);
    // The JSON report lists every loaded policy, whatever the input; what
    // the long line adds must stay small.
    std::fs::write(
        dir.path().join("short.list"),
        "www.gov.tw\napi.deepseek.com\n",
    )
    .unwrap();
    let baseline = scan_json_in(dir.path(), &["short.list"]);
    let added = json.all().len().saturating_sub(baseline.all().len());
    assert!(
        added < 64 * 1024,
        "the long line adds {added} bytes of JSON"
    );
    let report = json.json();
    let inp = input(&report, "long.list");
    assert_eq!(inp["state"], "unread");
    let problems = inp["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0]["line"], 2);
    let text = problems[0]["text"].as_str().unwrap();
    assert!(text.len() <= 200, "excerpt is {} bytes", text.len());
    assert!(
        findings(&report)
            .iter()
            .any(|f| f["location"]["line"] == 3 && f["evidence"]["text"] == "api.deepseek.com")
    );
}

/// The message about an over-long line states no wrong length: every number
/// in it is either the limit or the line's real length (5,000,000 bytes).
#[test]
fn long_line_message_does_not_misstate_the_length() {
    let dir = tempfile::tempdir().unwrap();
    long_line_list(dir.path());
    let report = scan_json_in(dir.path(), &["long.list"]).json();
    let message = report["inputs"][0]["problems"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    let numbers: Vec<u64> = message
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    for n in numbers {
        assert!(
            n == 1_048_576 || n == 5_000_000,
            "message states {n} bytes: {message:?}"
        );
    }
}

/// Parallel reading does not change the report: `--jobs 1` and `--jobs 2`
/// write byte-identical JSON for a 300,000-line endpoint list.
#[test]
fn jobs_1_and_2_give_identical_json() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::with_capacity(300_000 * 24);
    text.push_str("# generated egress list\n");
    for i in 0..300_000u32 {
        let line = match i % 50_000 {
            7 => "api.deepseek.com".to_string(),
            8 => "notdeepseek.com".to_string(),
            9 => format!("https://chat.deepseek.com/c/{i}"),
            _ => format!("host{i}.svc{}.example.gov.tw", i % 97),
        };
        text.push_str(&line);
        text.push('\n');
    }
    std::fs::write(dir.path().join("big.list"), text).unwrap();
    let one = scan_json_in(dir.path(), &["big.list", "--jobs", "1"]);
    one.expect_code(1);
    let two = scan_json_in(dir.path(), &["big.list", "--jobs", "2"]);
    two.expect_code(1);
    assert_eq!(one.json()["summary"]["items"], 300_000);
    assert!(
        one.json_without_run() == two.json_without_run(),
        "--jobs 1 and --jobs 2 differ"
    );
}

/// The format table: what banscan reads, what it only recognises, and by
/// which file names. A change here is a user-visible change.
#[test]
fn formats_table_snapshot() {
    let run = banscan(&["formats"]);
    run.expect_code(0);
    insta::assert_snapshot!("formats", run.stdout);
}

/// Naming a lockfile banscan does not read yet is unread evidence (exit 2),
/// and the report says which formats banscan does read.
#[test]
fn naming_an_unread_lockfile_lists_what_is_read() {
    banscan(&[
        "scan",
        &format!("{FIX}/walk/bun.lock"),
        "--no-profile",
        "--as-of",
        AS_OF,
    ])
    .expect_code(2)
    .expect_contains("not read by this version")
    .expect_contains("npm-lock")
    .expect_contains("requirements")
    .expect_contains("app-csv")
    .expect_contains("endpoint-list");
}

/// A semicolon-separated inventory (Excel in many European locales) and a
/// Workspace ONE export, whose bundle-id column is `ApplicationIdentifier`:
/// both are read, and the DeepSeek row is found by its bundle id.
#[test]
fn semicolon_and_workspace_one_inventories_give_findings() {
    for file in ["semicolon-inventory.csv", "workspace-one.csv"] {
        let run = scan_json_in(&root(), &[&format!("{FIX}/{file}")]);
        run.expect_code(1);
        let report = run.json();
        let inp = &report["inputs"][0];
        assert_eq!(inp["format"], "app-csv", "{file}");
        assert_eq!(inp["state"], "read", "{inp:#}");
        assert_eq!(inp["items"], 2, "{file}");
        let f = findings(&report)
            .iter()
            .find(|f| f["policy"] == "tw-ey-2025-deepseek")
            .expect("the TW ban applies");
        assert_eq!(f["item"]["bundle_id"], "com.deepseek.chat", "{file}");
        assert_eq!(f["location"]["line"], 3, "{file}");
    }
}
