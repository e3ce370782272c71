//! Defects found in a user trial of the rule-set workflow (issue 10), one
//! test each, on the real binary.

use std::path::Path;

use crate::common::{Run, banscan, root};

/// The valid fixture's text, to write changed copies of.
fn valid_policy() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/valid-policy.yaml")).unwrap()
}

fn write(path: &Path, text: &str) -> String {
    std::fs::write(path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn lint(args: &[&str]) -> Run {
    banscan(&[&["policy", "lint"], args].concat())
}

/// `organisation:` (British spelling) opening a profile is read as a
/// profile with an unknown key and a "did you mean `organization`?", not
/// as a document of no kind without a hint; `organisations:` under a
/// policy's `binds:` gets the same hint.
#[test]
fn british_spelling_of_organization_is_suggested() {
    let dir = tempfile::tempdir().unwrap();
    let profile = write(
        &dir.path().join("banscan.yaml"),
        "organisation: Ministry of Example Affairs\njurisdiction: TW\n",
    );
    lint(&[&profile])
        .expect_code(2)
        .expect_contains("unknown key `organisation` in a profile")
        .expect_contains("did you mean `organization`?")
        .expect_lacks("unknown_document");

    let policy = write(
        &dir.path().join("p.yaml"),
        &valid_policy().replace(
            "  sectors: [central-government]\n",
            "  sectors: [central-government]\n  organisations: [Demo Agency]\n",
        ),
    );
    lint(&["--no-builtin", &policy])
        .expect_code(2)
        .expect_contains("unknown key `organisations` in binds")
        .expect_contains("did you mean `organizations`?");
}

/// Jurisdiction codes typed by a user are case-insensitive: `--jurisdiction
/// tw` selects what `TW` does in `scan`, `us-tx` filters `policy list` as
/// `US-TX` does, and a profile's `jurisdiction: tw` is `TW`. A policy file
/// stays strict, and lint says to write the code in upper case.
#[test]
fn jurisdiction_codes_are_case_insensitive_for_users() {
    let scan = |args: &[&str]| {
        let base = [
            "scan",
            "examples/project",
            "--as-of",
            "2025-06-01",
            "--format",
            "json",
        ];
        banscan(&[&base[..], args].concat()).json()
    };
    let lower = scan(&["--no-profile", "--jurisdiction", "tw"]);
    let upper = scan(&["--no-profile", "--jurisdiction", "TW"]);
    assert_eq!(lower["profiles"][0]["jurisdiction"], "TW");
    assert_eq!(lower["summary"], upper["summary"]);
    assert!(
        lower["summary"]["findings"].as_u64().unwrap() > 0,
        "{lower}"
    );

    let ids = |code: &str| -> Vec<String> {
        let listed = banscan(&["policy", "list", "--format", "json", "--jurisdiction", code]);
        listed.expect_code(0);
        listed
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].to_string())
            .collect()
    };
    let texas = ids("us-tx");
    assert!(
        texas.iter().any(|id| id.contains("us-tx-2025-deepseek")),
        "{texas:?}"
    );
    assert_eq!(texas, ids("US-TX"));

    let dir = tempfile::tempdir().unwrap();
    let profile = write(
        &dir.path().join("banscan.yaml"),
        "jurisdiction: tw\nsectors: [central-government]\n",
    );
    lint(&[&profile]).expect_code(0);
    let by_profile = scan(&["--profile", &profile]);
    assert_eq!(by_profile["profiles"][0]["jurisdiction"], "TW");

    let policy = write(
        &dir.path().join("p.yaml"),
        &valid_policy().replace("jurisdiction: TW", "jurisdiction: tw"),
    );
    lint(&["--no-builtin", &policy])
        .expect_code(2)
        .expect_contains("banscan::policy::bad_jurisdiction")
        .expect_contains("write the jurisdiction in upper case, `TW`");
}

/// A policy file with no document (0 bytes, only comments, only `---`)
/// is an error naming the file, alone and inside a folder: it used to
/// lint as "0 policies are valid" and get locked as if it held rules.
#[test]
fn empty_policy_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("zero.yaml", ""),
        ("comments.yaml", "# a policy to be written\n\n"),
        ("dashes.yaml", "---\n"),
        ("two-empty-documents.yaml", "---\n# nothing\n---\n"),
    ] {
        let path = write(&dir.path().join(name), text);
        lint(&["--no-builtin", &path])
            .expect_code(2)
            .expect_contains("banscan::policy::empty_file")
            .expect_contains(&format!(
                "{path} holds no product, policy or profile document"
            ))
            .expect_contains("or delete the file");
    }
    let folder = dir.path().join("rules");
    std::fs::create_dir(&folder).unwrap();
    write(&folder.join("chat.yaml"), &valid_policy());
    let empty = write(&folder.join("empty.yaml"), "");
    lint(&[folder.to_str().unwrap()])
        .expect_code(2)
        .expect_contains(&format!("{empty} holds no product"))
        .expect_contains("banscan: 1 error");
}

/// `policy lock` checks the folder as lint does and writes no lockfile
/// over files with errors, so a digest is never pinned for a broken rule
/// set.
#[test]
fn lock_refuses_a_folder_that_fails_lint() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path();
    let chat = rules.join("chat.yaml");
    write(&chat, &valid_policy().replace("2025-02-03", "2025-02-30"));
    let lockfile = rules.join("policies.lock");
    banscan(&["policy", "lock", rules.to_str().unwrap()])
        .expect_code(2)
        .expect_contains("banscan::policy::bad_date")
        .expect_contains("policies.lock not written");
    assert!(!lockfile.exists());

    write(&chat, &valid_policy());
    banscan(&["policy", "lock", rules.to_str().unwrap()]).expect_code(0);
    assert!(lockfile.exists());
}

/// `policy verify` agrees its verb with the count: "1 file differs",
/// "2 files differ".
#[test]
fn verify_counts_files_in_good_grammar() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().to_str().unwrap();
    let a = dir.path().join("a.yaml");
    write(&a, &valid_policy());
    let b = write(
        &dir.path().join("b.yaml"),
        "product: other-chat\nname: Other Chat\nidentifiers: { endpoints: [other-chat.example] }\n",
    );
    banscan(&["policy", "lock", rules]).expect_code(0);
    write(&a, &valid_policy().replace("Demo News", "Other News"));
    banscan(&["policy", "verify", rules])
        .expect_code(1)
        .expect_contains("banscan: 1 file differs from");
    std::fs::remove_file(b).unwrap();
    banscan(&["policy", "verify", rules])
        .expect_code(1)
        .expect_contains("banscan: 2 files differ from");
}

/// A profile's waiver naming a policy that is not loaded is a notice in
/// the scan report (lint makes it an error), with its own code, the
/// waiver's place in the profile and a "did you mean": the finding it was
/// meant to waive is not silently kept.
#[test]
fn scan_reports_a_waiver_for_an_unknown_policy() {
    let profile = "tests/fixtures/profile-typo/banscan.yaml";
    let run = banscan(&[
        "scan",
        "examples/network",
        "--profile",
        profile,
        "--as-of",
        "2025-06-01",
        "--format",
        "json",
    ]);
    run.expect_code(1);
    let report = run.json();
    let unknown: Vec<&serde_json::Value> = report["notices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["code"] == "banscan::waiver::unknown_policy")
        .collect();
    assert_eq!(unknown.len(), 1, "{report}");
    let message = unknown[0]["message"].as_str().unwrap();
    assert!(
        message.contains("`tw-ey-2025-deepseak`")
            && message.contains("did you mean `tw-ey-2025-deepseek`?"),
        "{message}"
    );
    assert_eq!(unknown[0]["location"], format!("{profile}:8"));
    banscan(&[
        "scan",
        "examples/network",
        "--profile",
        profile,
        "--as-of",
        "2025-06-01",
    ])
    .expect_code(1)
    .expect_contains("notice [banscan::waiver::unknown_policy]");
}

/// `policy list --as-of DATE` shows each policy's state on that day, in
/// words in the table and as a word for machines in JSON, so a reviewer
/// sees which listed policies bind today and which have lapsed.
#[test]
fn list_shows_the_state_on_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let policy = write(
        &dir.path().join("p.yaml"),
        &valid_policy().replace("expires: null", "expires: 2025-12-31"),
    );
    let list = |as_of: &str, format: &str| {
        banscan(&[
            "policy",
            "list",
            "--no-profile",
            "--no-builtin",
            "--policies",
            &policy,
            "--as-of",
            as_of,
            "--format",
            format,
        ])
    };
    for (as_of, words, word) in [
        (
            "2025-01-01",
            "not yet effective (from 2025-02-03)",
            "not-yet-effective",
        ),
        ("2025-06-01", "in force, expires 2025-12-31", "in-force"),
        ("2026-01-01", "expired 2025-12-31", "expired"),
    ] {
        list(as_of, "table")
            .expect_code(0)
            .expect_contains("STATE")
            .expect_contains(&format!("2025-02-03  {words}  "));
        let json = list(as_of, "json").json();
        assert_eq!(json[0]["state"], word, "{json}");
        assert_eq!(json[0]["expires"], "2025-12-31");
    }
    banscan(&[
        "policy",
        "list",
        "--no-profile",
        "--no-builtin",
        "--policies",
        "tests/fixtures/valid-policy.yaml",
        "--as-of",
        "2025-06-01",
    ])
    .expect_code(0)
    .expect_contains("2025-02-03  in force  ");
    banscan(&["policy", "list", "--as-of", "2025-6-1"])
        .expect_code(2)
        .expect_contains("--as-of");
}

/// `policy diff --against` lists the evidence it did not read (a format
/// recognised but not read, an input that failed) with the reason, in text
/// and JSON, so "nothing newly flagged" is never said silently over unread
/// files; unread evidence exits 2 as a scan does.
#[test]
fn diff_against_lists_unread_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inventory");
    std::fs::create_dir(&inventory).unwrap();
    write(&inventory.join("endpoints.txt"), "intranet.example\n");
    let lockfile = write(
        &inventory.join("bun.lock"),
        "{\n  \"lockfileVersion\": 1,\n  \"workspaces\": {\n    \"\": {\n      \"name\": \"app\",\n    },\n  },\n}\n",
    );
    let inventory = inventory.to_str().unwrap();
    let diff = |format: &str| {
        banscan(&[
            "policy",
            "diff",
            "policies/",
            "policies/",
            "--against",
            inventory,
            "--format",
            format,
        ])
    };
    diff("human")
        .expect_code(2)
        .expect_contains("0 findings newly flagged, 0 newly cleared")
        .expect_contains("not read in full, so not compared: 1 file")
        .expect_contains(&format!(
            "  ! {lockfile}: Bun lockfile (bun-lock): recognised, not read by this version"
        ));
    let json = diff("json").expect_code(2).json();
    assert_eq!(json["unread"][0]["path"], lockfile.as_str());
    assert_eq!(json["unread"][0]["state"], "unread");

    // A gzip header with no gzip after it: an input that fails to read.
    let broken = Path::new(inventory).join("egress.list.gz");
    std::fs::write(&broken, b"\x1f\x8b\x08not gzip").unwrap();
    let broken = broken.to_str().unwrap();
    diff("human")
        .expect_code(2)
        .expect_contains("not compared: 2 files")
        .expect_contains(&format!("  ! {broken}: cannot read"));
    let json = diff("json").expect_code(2).json();
    let unread = json["unread"].as_array().unwrap();
    assert!(
        unread
            .iter()
            .any(|u| u["path"] == broken && u["state"] == "unread"),
        "{unread:?}"
    );
    let rules_only = banscan(&[
        "policy",
        "diff",
        "policies/",
        "policies/",
        "--format",
        "json",
    ]);
    assert!(rules_only.expect_code(0).json()["unread"].is_null());
}
