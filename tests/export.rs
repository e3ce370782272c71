//! `banscan policy export` (issue 15): what every target shares — the
//! header, the choice of policies, determinism, `--output`, `--strict`,
//! unconfirmed identifiers — shown on the `hosts` target; each other
//! target has its own file.

use crate::common::{banscan, root};

/// `policy export` of the export fixture with `extra` arguments.
pub fn export(extra: &[&str]) -> crate::common::Run {
    export_from("tests/fixtures/export/policies", "2026-01-01", extra)
}

/// `policy export` of the policies at `policies` alone (no built-in
/// library, no profile) as of `as_of`, with `extra` arguments.
pub fn export_from(policies: &str, as_of: &str, extra: &[&str]) -> crate::common::Run {
    let mut args = vec![
        "policy",
        "export",
        "--no-builtin",
        "--no-profile",
        "--policies",
        policies,
        "--as-of",
        as_of,
    ];
    args.extend_from_slice(extra);
    banscan(&args)
}

/// `policy export` of the built-in library as an agency with no profile
/// would run it on 2026-12-01: real data.
pub fn export_builtin(extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["policy", "export", "--no-profile", "--as-of", "2026-12-01"];
    args.extend_from_slice(extra);
    banscan(&args)
}

/// The header names the version, profile, as-of date, policies and the
/// policy-set digest; each line names its policies; what a hosts file
/// cannot hold is listed on standard error.
#[test]
fn hosts_file_golden() {
    let run = export(&["--target", "hosts"]);
    run.expect_code(0)
        .expect_contains("not exported (a hosts file maps names, not addresses): `203.0.113.7`")
        .expect_contains("(a hosts file cannot name every subdomain): `*.cdn.demochat.example`")
        .expect_contains("5 identifiers not exported (not a host name)");
    insta::assert_snapshot!(run.stdout);
}

/// Same inputs, same bytes; `--timestamp` adds the time, and only then.
#[test]
fn export_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    export(&["--target", "all", "-o", a.to_str().unwrap()]).expect_code(0);
    export(&["--target", "all", "-o", b.to_str().unwrap()]).expect_code(0);
    let mut files: Vec<_> = std::fs::read_dir(&a)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    files.sort();
    assert_eq!(files.len(), banscan::export::TARGETS.len(), "{files:?}");
    for name in &files {
        assert_eq!(
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
            "{name:?} differs between two runs"
        );
        let text = String::from_utf8(std::fs::read(a.join(name)).unwrap()).unwrap();
        assert!(!text.contains("Generated at"), "{name:?}");
    }
    let stamped = export(&["--target", "hosts", "--timestamp"]);
    stamped.expect_code(0).expect_contains("# Generated at: ");
}

/// `--strict` makes an identifier a target cannot express an error.
#[test]
fn strict_fails_on_what_a_target_cannot_express() {
    export(&["--target", "hosts", "--strict"])
        .expect_code(2)
        .expect_contains("error: hosts: ")
        .expect_contains("--strict: 8 identifiers could not be exported");
}

/// Unconfirmed identifiers are left out and counted, or with
/// `--include-unconfirmed` exported as alerts: never as blocks.
#[test]
fn unconfirmed_identifiers_are_never_blocked() {
    let run = export(&["--target", "hosts"]);
    run.expect_contains("# Unconfirmed identifiers: 1 left out")
        .expect_lacks("beta.demochat.example");
    let with = export(&["--target", "hosts", "--include-unconfirmed"]);
    with.expect_code(0)
        .expect_contains("# Unconfirmed identifiers: 1 included as alerts where the target can alert, never as blocks")
        .expect_contains("`beta.demochat.example` (xx-a-2025-chat, xx-b-2025-chat)");
    assert!(!with.stdout.contains("0.0.0.0 beta."), "{}", with.stdout);
}

/// The profile and flags choose the policies as a scan's would: a sector
/// the policies do not bind exports none of them.
#[test]
fn audience_chooses_the_policies() {
    let run = export(&[
        "--target",
        "hosts",
        "--sector",
        "critical-infrastructure",
        "--jurisdiction",
        "TW",
    ]);
    run.expect_code(0)
        .expect_contains("# Policies (0): \n")
        .expect_contains("# Audience: jurisdiction TW; sectors critical-infrastructure")
        .expect_lacks("0.0.0.0 demochat.example");
    // Several targets need a folder.
    export(&["--target", "hosts", "--target", "all"])
        .expect_code(2)
        .expect_contains("several targets need a folder");
}

/// A domain with a quote, a newline or a space never reaches a generated
/// file: the policy is refused at lint time, and so at load.
#[test]
fn hostile_domains_are_refused_at_lint() {
    let dir = tempfile::tempdir().unwrap();
    let policy = std::fs::read_to_string(root().join("tests/fixtures/export/policies/demo.yaml"))
        .unwrap()
        .replace(
            "    - demochat.example\n",
            "    - \"evil\\\".demochat.example\"\n    - \"a\\nb.demochat.example\"\n",
        );
    std::fs::write(dir.path().join("p.yaml"), policy).unwrap();
    let path = dir.path().join("p.yaml");
    let path = path.to_str().unwrap();
    banscan(&["policy", "lint", "--no-builtin", path])
        .expect_code(2)
        .expect_contains("`evil\".demochat.example` is not a valid host name");
    banscan(&[
        "policy",
        "export",
        "--target",
        "hosts",
        "--no-builtin",
        "--no-profile",
        "--policies",
        path,
    ])
    .expect_code(2)
    .expect_lacks("0.0.0.0");
}
