//! The coverage contract (issue 10): every file a scan meets ends in one
//! state (read, unread evidence, not evidence, excluded), and evidence
//! banscan did not read fails the scan unless the user allows it. Each
//! test is one case a user trial found passing silently.

use std::path::Path;

use serde_json::Value;

use crate::common::{Run, banscan_in, root};

const AS_OF: &str = "2025-06-01";

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn scan(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["scan", "--no-profile", "--as-of", AS_OF, "--format", "json"];
    all.extend_from_slice(args);
    banscan_in(dir, &all)
}

fn input<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"] == path)
        .unwrap_or_else(|| panic!("no input {path} in {:#}", report["inputs"]))
}

/// A folder with a clean requirements file and one coverage fixture.
fn beside_clean_requirements(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "requirements.txt", "requests==2.32.3\n");
    let from = root().join("tests/fixtures/coverage").join(fixture);
    std::fs::copy(from, dir.path().join(fixture)).unwrap();
    dir
}

/// Each kind of evidence this version does not read, scanned beside a
/// clean requirements file, fails the scan (exit 2) as unread evidence
/// with its format named, whatever its file name; `--allow-unread` lists
/// it and lets the scan pass. Where the literal search finds an
/// identifier, the line and the identifier are named.
#[test]
fn unread_evidence_fails_the_scan_by_default() {
    let cases = [
        // dpkg-query and Android package lists are read now (issue 12),
        // and BIND, Zeek and Squid logs (issue 13: tests/dns_logs.rs,
        // tests/network_logs.rs, tests/proxy_logs.rs).
        // npm-lock and yarn-lock are read now; Bun's lockfile is still only
        // recognised.
        ("bun.lock", "bun-lock", Some((8, "ai-sdk/deepseek"))),
        ("zh-headers.csv", "app-csv", Some((3, "TikTok"))),
    ];
    for (file, format, caught) in cases {
        let dir = beside_clean_requirements(file);
        let run = scan(dir.path(), &["."]);
        run.expect_code(2);
        let report = run.json();
        let entry = input(&report, file);
        assert_eq!(entry["state"], "unread", "{file}: {entry:#}");
        assert_eq!(entry["format"], format, "{file}: {entry:#}");
        assert_eq!(input(&report, "requirements.txt")["state"], "read");
        match caught {
            Some((line, what)) => {
                let c = &entry["caught"];
                assert_eq!(c["line"], line, "{file}: {c:#}");
                let identifier = c["identifier"].as_str().unwrap();
                assert!(identifier.contains(what), "{file}: {identifier}");
            }
            None => assert!(entry.get("caught").is_none(), "{file}: {entry:#}"),
        }
        scan(dir.path(), &[".", "--allow-unread"]).expect_code(0);
    }
}

/// The human report names the unread file, its line and identifier, and
/// the fixes, and the last line says why the scan failed.
#[test]
fn the_human_report_says_what_was_not_read_and_what_to_do() {
    let dir = beside_clean_requirements("bun.lock");
    banscan_in(dir.path(), &["scan", ".", "--no-profile", "--as-of", AS_OF])
        .expect_code(2)
        .expect_contains("Unread evidence: 1 file banscan did not read")
        .expect_contains("bun.lock — Bun lockfile (bun-lock): recognised, not read")
        .expect_contains("line 8 holds `")
        .expect_contains("ai-sdk/deepseek")
        .expect_contains("--input-format")
        .expect_contains("--exclude")
        .expect_contains("--allow-unread")
        .expect_contains("1 file of unread evidence");
}

/// A UTF-16 export without a byte-order mark is decoded (told by its NUL
/// pattern): with known headers it is read and its banned app found; with
/// headers no profile knows, the literal search still finds the app.
#[test]
fn utf16_without_a_byte_order_mark() {
    let utf16 =
        |text: &str| -> Vec<u8> { text.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "known.csv",
        utf16(
            "DeviceName,ApplicationName,ApplicationPublisher\r\nPC-1,TikTok,TikTok Pte. Ltd.\r\n",
        ),
    );
    write(
        dir.path(),
        "unknown.csv",
        utf16("應用程式,版本\r\nTikTok,1.0\r\n"),
    );
    let run = scan(dir.path(), &["known.csv"]);
    run.expect_code(1);
    let report = run.json();
    assert_eq!(
        report["inputs"][0]["decoded"][0],
        "utf-16le (no byte-order mark)"
    );
    assert_eq!(report["findings"][0]["location"]["line"], 2);

    let run = scan(dir.path(), &["unknown.csv"]);
    run.expect_code(2);
    let report = run.json();
    let entry = input(&report, "unknown.csv");
    assert_eq!(entry["state"], "unread", "{entry:#}");
}

/// Binary files are not searched (their state says so), and neither are
/// banscan's own policy files, which name every banned identifier.
#[test]
fn binaries_and_policy_files_are_not_evidence() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "requirements.txt", "requests==2.32.3\n");
    write(dir.path(), "blob.bin", b"\x00\x01\x02chat.deepseek.com\x00");
    std::fs::copy(
        root().join("policies/products/deepseek.yaml"),
        dir.path().join("deepseek.yaml"),
    )
    .unwrap();
    let run = scan(dir.path(), &["."]);
    run.expect_code(0);
    let report = run.json();
    let blob = input(&report, "blob.bin");
    assert_eq!(blob["state"], "not-evidence");
    assert!(
        blob["reason"].as_str().unwrap().starts_with("binary"),
        "{blob:#}"
    );
    let policy = input(&report, "deepseek.yaml");
    assert_eq!(policy["state"], "not-evidence");
    assert!(
        policy["reason"].as_str().unwrap().contains("policy"),
        "{policy:#}"
    );
}

/// A README that names a banned domain is searched like any file banscan
/// does not read: the domain makes it unread evidence, and `--exclude`
/// (or the profile's `exclude:`) leaves it out, listed as excluded.
#[test]
fn excluded_files_are_listed_and_not_searched() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "requirements.txt", "requests==2.32.3\n");
    write(
        dir.path(),
        "docs/README.md",
        "We block api.deepseek.com at the proxy.\n",
    );
    scan(dir.path(), &["."]).expect_code(2);
    let run = scan(dir.path(), &[".", "--exclude", "docs"]);
    run.expect_code(0);
    let docs = input(&run.json(), "docs/").clone();
    assert_eq!(docs["state"], "excluded");
    assert_eq!(docs["reason"], "excluded by --exclude `docs`");

    write(
        dir.path(),
        "banscan.yaml",
        "jurisdiction: TW\nexclude: [\"docs/*.md\"]\n",
    );
    let run = banscan_in(
        dir.path(),
        &["scan", ".", "--as-of", AS_OF, "--format", "json"],
    );
    run.expect_code(0);
    let readme = input(&run.json(), "docs/README.md").clone();
    assert_eq!(readme["state"], "excluded");
    assert_eq!(
        readme["reason"],
        "excluded by `exclude:` of banscan.yaml `docs/*.md`"
    );
}

/// Symbolic links are followed: an inventory reached through a linked
/// file or folder is read, once, and the second path to it is listed; a
/// link back to a folder the walk is in is reported as a loop, not
/// followed for ever; `--no-follow` lists links as excluded.
#[cfg(unix)]
#[test]
fn symbolic_links_are_followed_once() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "exports/devices.csv",
        "DeviceName,ApplicationName,ApplicationPublisher\nPC-1,TikTok,TikTok Pte. Ltd.\n",
    );
    write(
        outside.path(),
        "one.csv",
        "DeviceName,ApplicationName\nPC-2,TikTok\n",
    );
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "requirements.txt", "requests==2.32.3\n");
    symlink(
        outside.path().join("exports"),
        dir.path().join("linked-folder"),
    )
    .unwrap();
    symlink(
        outside.path().join("one.csv"),
        dir.path().join("linked.csv"),
    )
    .unwrap();
    symlink(outside.path().join("one.csv"), dir.path().join("again.csv")).unwrap();
    symlink(dir.path(), dir.path().join("loop")).unwrap();

    let run = scan(dir.path(), &["."]);
    run.expect_code(1);
    let report = run.json();
    assert_eq!(input(&report, "linked-folder/devices.csv")["state"], "read");
    assert_eq!(input(&report, "again.csv")["state"], "read");
    let twice = input(&report, "linked.csv");
    assert_eq!(twice["state"], "excluded");
    assert_eq!(twice["reason"], "the same file as `again.csv`");
    let lp = input(&report, "loop");
    assert_eq!(lp["state"], "not-evidence");
    assert!(
        lp["reason"].as_str().unwrap().contains("link back to"),
        "{lp:#}"
    );
    let devices = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["item"]["device"] == "PC-1")
        .count();
    assert!(devices > 0);

    let run = scan(dir.path(), &[".", "--no-follow"]);
    run.expect_code(0);
    let report = run.json();
    for link in ["linked-folder", "linked.csv", "again.csv", "loop"] {
        let entry = input(&report, link);
        assert_eq!(entry["state"], "excluded", "{link}: {entry:#}");
    }
}

/// A ragged row without a banned name is counted as skipped (the scan
/// passes); with one it may hide a finding, so the file is unread
/// evidence, naming the row and the identifier.
#[test]
fn ragged_rows_fail_only_when_they_may_hide_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let header = "DeviceName,ApplicationName,ApplicationPublisher\n";
    write(
        dir.path(),
        "clean.csv",
        format!("{header}PC-1,Zoom,Zoom\nPC-2,Notepad++,Don Ho,x\n"),
    );
    write(
        dir.path(),
        "hidden.csv",
        format!("{header}PC-1,Zoom,Zoom\nPC-2,TikTok,TikTok Pte. Ltd.,x\n"),
    );
    let run = scan(dir.path(), &["clean.csv"]);
    run.expect_code(0);
    let entry = run.json()["inputs"][0].clone();
    assert_eq!(entry["state"], "read");
    assert_eq!(entry["skipped"]["count"], 1);
    assert_eq!(entry["skipped"]["first"]["line"], 3);

    let run = scan(dir.path(), &["hidden.csv"]);
    run.expect_code(2);
    let entry = run.json()["inputs"][0].clone();
    assert_eq!(entry["state"], "unread");
    let message = entry["problems"][0]["message"].as_str().unwrap();
    assert!(message.contains("TikTok"), "{message}");
    assert_eq!(entry["problems"][0]["line"], 3);
}

/// A line longer than `--max-line-bytes` is reported at any length: a
/// 4 MB and a 12 MB line holding `chat.deepseek.com` are unread evidence
/// at their line, never "ok, 0 findings".
#[test]
fn long_lines_are_reported_at_any_length() {
    let dir = tempfile::tempdir().unwrap();
    for mb in [4, 12] {
        let name = format!("long-{mb}.list");
        let line = format!("{}.chat.deepseek.com", "x".repeat(mb << 20));
        write(dir.path(), &name, format!("{line}\nwww.gov.tw\n"));
        let run = scan(dir.path(), &[&name]);
        run.expect_code(2);
        let entry = run.json()["inputs"][0].clone();
        assert_eq!(entry["state"], "unread", "{mb} MB");
        assert_eq!(entry["problems"][0]["line"], 1, "{mb} MB");
        assert_eq!(entry["items"], 1, "{mb} MB: the line after it is read");
    }
}

/// Each file is judged under the nearest banscan.yaml at or above it, so
/// two agencies' folders scanned in one run give the same findings in
/// either order, each under its own profile; `--profile` judges all.
#[test]
fn profiles_follow_the_evidence_not_the_argument_order() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "DeviceName,ApplicationName,ApplicationPublisher\nPC-1,DeepSeek,\"Hangzhou DeepSeek Artificial Intelligence Basic Technology Research Co., Ltd.\"\n";
    write(
        dir.path(),
        "agencies/tw/banscan.yaml",
        "organization: Ministry of Example Affairs\njurisdiction: TW\nsectors: [central-government]\n",
    );
    write(dir.path(), "agencies/tw/apps.csv", csv);
    write(
        dir.path(),
        "agencies/school/banscan.yaml",
        "organization: Example Elementary School\njurisdiction: JP\nsectors: [public-school]\n",
    );
    write(dir.path(), "agencies/school/apps.csv", csv);
    let judged = |args: &[&str]| {
        let mut all = vec!["scan", "--as-of", AS_OF, "--format", "json"];
        all.extend_from_slice(args);
        let run = banscan_in(dir.path(), &all);
        let report = run.json();
        let profiles: Vec<String> = report["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["path"].as_str().unwrap_or("-").to_string())
            .collect();
        let mut got: Vec<(String, String, String)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let profile = &profiles[f["profile"].as_u64().unwrap() as usize];
                (
                    f["location"]["path"].as_str().unwrap().to_string(),
                    f["policy"].as_str().unwrap().to_string(),
                    profile.clone(),
                )
            })
            .collect();
        got.sort();
        (run.code, got)
    };
    let (code, one) = judged(&["agencies/tw", "agencies/school"]);
    assert_eq!(code, 1);
    let (_, other) = judged(&["agencies/school", "agencies/tw"]);
    assert_eq!(one, other);
    assert!(one.contains(&(
        "agencies/tw/apps.csv".into(),
        "tw-ey-2025-deepseek".into(),
        "agencies/tw/banscan.yaml".into()
    )));
    assert!(
        one.iter()
            .all(|(path, policy, _)| !(path.starts_with("agencies/school")
                && policy.starts_with("tw-"))),
        "the school is not bound by Taiwan's bans: {one:?}"
    );

    let (_, fixed) = judged(&["agencies", "--profile", "agencies/tw/banscan.yaml"]);
    assert!(
        fixed
            .iter()
            .any(|(path, policy, _)| path.starts_with("agencies/school")
                && policy == "tw-ey-2025-deepseek")
    );

    // People see each organisation's findings under its own heading.
    banscan_in(dir.path(), &["scan", "agencies", "--as-of", AS_OF])
        .expect_code(1)
        .expect_contains("══ Ministry of Example Affairs (agencies/tw/banscan.yaml)")
        .expect_contains("profile agencies/school/banscan.yaml:");
}

/// A scan that finds no profile says so, and that nothing narrowed the
/// policies.
#[test]
fn no_profile_is_said_in_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "requirements.txt", "requests==2.32.3\n");
    banscan_in(dir.path(), &["scan", ".", "--as-of", AS_OF])
        .expect_code(0)
        .expect_contains("no profile:")
        .expect_contains("every policy in force applies");
}

/// A block list (`0.0.0.0 name`) says what it checked: banned names it
/// blocks are not uses, and the scan passes.
#[test]
fn block_lists_say_what_they_block() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "blocklist.hosts",
        "0.0.0.0 chat.deepseek.com\n0.0.0.0 www.tiktok.com\n",
    );
    let run = banscan_in(
        dir.path(),
        &["scan", "blocklist.hosts", "--no-profile", "--as-of", AS_OF],
    );
    run.expect_code(0)
        .expect_contains("2 banned names are blocked there (sent to 0.0.0.0 or loopback");
}

/// A problem that loses nothing is a warning listed with its line: the
/// scan's result is its findings'.
#[test]
fn warnings_list_their_line_and_do_not_fail() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "requirements.txt",
        "requests==2.32.3 --hash=sha256:123\n--frobnicate\nflask==3.0.0\n",
    );
    let run = scan(dir.path(), &["requirements.txt"]);
    run.expect_code(0);
    let entry = run.json()["inputs"][0].clone();
    assert_eq!(entry["state"], "read");
    let lines: Vec<u64> = entry["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1, 2]);
}

/// A URL without its scheme, as proxy exports write it, is an endpoint,
/// and an Android line in an endpoint list is not called a CIDR block.
#[test]
fn urls_without_a_scheme_are_endpoints() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "egress.list",
        "api.deepseek.com/v1/chat/completions\npackage:com.example.app\n",
    );
    let run = scan(dir.path(), &["egress.list"]);
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["findings"][0]["item"]["host"], "api.deepseek.com");
    let skipped = &report["inputs"][0]["skipped"]["first"]["message"];
    let message = skipped.as_str().unwrap();
    assert!(!message.contains("CIDR block`"), "{message}");
    assert!(message.contains("package:com.example.app"), "{message}");
}
