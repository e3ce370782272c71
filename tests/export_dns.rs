//! The DNS resolver targets of `banscan policy export` (issue 15): `rpz`,
//! `unbound` and `dnsmasq`. Each file is checked by the resolver's own
//! checker: `named-checkzone` (Debian `bind9-utils`), `unbound-checkconf`
//! (`unbound`) and `dnsmasq --test` (`dnsmasq-base`); `.ci/run` installs
//! them. A missing checker fails the test unless
//! `BANSCAN_SKIP_VALIDATORS=1` is set.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Run, banscan, root};
use crate::export::export;

const TARGETS: [&str; 3] = ["rpz", "unbound", "dnsmasq"];

/// The checker `name`, or `None` when `BANSCAN_SKIP_VALIDATORS=1` says to
/// skip; otherwise a missing checker fails the test. Looks in `/usr/sbin`
/// too, where Debian puts `unbound-checkconf` and `dnsmasq`.
fn validator(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    dirs.extend(["/usr/sbin", "/sbin"].map(PathBuf::from));
    let found = dirs.iter().map(|d| d.join(name)).find(|p| p.is_file());
    if found.is_none() && std::env::var("BANSCAN_SKIP_VALIDATORS").as_deref() == Ok("1") {
        // Said on the test's output, so a skipped check is seen.
        #[allow(clippy::print_stderr)]
        {
            eprintln!("BANSCAN_SKIP_VALIDATORS=1: {name} missing, check skipped");
        }
        return None;
    }
    Some(found.unwrap_or_else(|| {
        panic!(
            "{name} is needed to check the DNS exports: `apt-get install bind9-utils unbound \
             dnsmasq-base` (or BANSCAN_SKIP_VALIDATORS=1 to skip)"
        )
    }))
}

/// Runs the resolver's own checker on `file`, an export for `target`;
/// fails the test with the checker's output when it rejects the file.
fn check(target: &str, file: &Path) {
    let dir = file.parent().unwrap();
    let mut command = match target {
        "rpz" => {
            let Some(bin) = validator("named-checkzone") else {
                return;
            };
            let mut c = Command::new(bin);
            c.arg("rpz.banscan.").arg(file);
            c
        }
        "unbound" => {
            let Some(bin) = validator("unbound-checkconf") else {
                return;
            };
            // The export is an include: wrap it in a minimal configuration
            // that, as the header asks, loads the respip module.
            let conf = dir.join("unbound-wrapper.conf");
            std::fs::write(
                &conf,
                format!(
                    "server:\n    chroot: \"\"\n    username: \"\"\n    directory: \"{}\"\n    \
                     pidfile: \"\"\n    module-config: \"respip validator iterator\"\n\
                     include: \"{}\"\n",
                    dir.display(),
                    file.display()
                ),
            )
            .unwrap();
            let mut c = Command::new(bin);
            c.arg(conf);
            c
        }
        "dnsmasq" => {
            let Some(bin) = validator("dnsmasq") else {
                return;
            };
            let mut c = Command::new(bin);
            c.arg("--test")
                .arg(format!("--conf-file={}", file.display()));
            c
        }
        other => panic!("no checker for {other}"),
    };
    let out = command.output().expect("the checker runs");
    assert!(
        out.status.success(),
        "{target} export rejected by its checker:\n{}{}\n--- the file:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(file).unwrap()
    );
}

/// Writes `target`'s export of `args` into `dir` and checks it: the run
/// and the file's text.
fn export_and_check(dir: &Path, target: &str, args: &[&str]) -> (Run, String) {
    let file = dir.join(format!("{target}.out"));
    let mut all = vec!["policy", "export", "--target", target, "-o"];
    let path = file.to_str().unwrap().to_string();
    all.push(&path);
    all.extend_from_slice(args);
    let run = banscan(&all);
    run.expect_code(0);
    check(target, &file);
    let text = std::fs::read_to_string(&file).unwrap();
    (run, text)
}

const FIXTURE: [&str; 7] = [
    "--no-builtin",
    "--no-profile",
    "--policies",
    "tests/fixtures/export/policies",
    "--as-of",
    "2026-01-01",
    "--include-unconfirmed",
];

/// The RPZ: exemptions as `rpz-passthru.` before the bans, each ban for
/// the name and its subdomains (`*.cdn…` for subdomains only), addresses
/// as `rpz-ip` triggers, every rule naming its policies; unconfirmed
/// names, apps, packages and digests handed back.
#[test]
fn rpz_golden() {
    let run = export(&["--target", "rpz"]);
    run.expect_code(0)
        .expect_contains("rpz: 5 identifiers not exported (not a DNS name or address")
        .expect_contains("app name \"Demo Chat's Helper\", on macos");
    let text = &run.stdout;
    let passthru = text
        .find("help.demochat.example CNAME rpz-passthru.")
        .unwrap();
    let ban = text.find("\ndemochat.example CNAME .").unwrap();
    assert!(passthru < ban, "{text}");
    insta::assert_snapshot!(run.stdout);
}

/// Unbound: `transparent` exemptions before `always_nxdomain` bans,
/// `response-ip` for addresses (the header names the respip module), a
/// subdomains-only ban already inside a ban said in a comment.
#[test]
fn unbound_golden() {
    let run = export(&["--target", "unbound"]);
    run.expect_code(0)
        .expect_contains("unbound: 5 identifiers not exported (not a DNS name or address)");
    insta::assert_snapshot!(run.stdout);
}

/// dnsmasq: `server=/name/#` exemptions before `address=/name/` bans,
/// `address=/*.name/` for subdomains only, `bogus-nxdomain=` for
/// addresses, each rule after a comment naming its policies.
#[test]
fn dnsmasq_golden() {
    let run = export(&["--target", "dnsmasq"]);
    run.expect_code(0)
        .expect_contains("dnsmasq: 5 identifiers not exported (not a DNS name or address)");
    insta::assert_snapshot!(run.stdout);
}

/// Unconfirmed names are never blocked: Unbound logs them with an
/// `inform` zone when no ban covers them; inside a ban (as in the fixture)
/// and in RPZ and dnsmasq, which cannot log, they are handed back.
#[test]
fn unconfirmed_names_are_alerts_or_handed_back() {
    let dir = tempfile::tempdir().unwrap();
    for target in TARGETS {
        let (run, text) = export_and_check(dir.path(), target, &FIXTURE);
        run.expect_contains("`beta.demochat.example` (xx-a-2025-chat, xx-b-2025-chat)");
        assert!(!text.contains("beta."), "{target}:\n{text}");
    }
    // Without the ban on demochat.example, Unbound logs beta.… (inform).
    let policy = std::fs::read_to_string(root().join("tests/fixtures/export/policies/demo.yaml"))
        .unwrap()
        .replace("    - demochat.example\n", "");
    std::fs::write(dir.path().join("p.yaml"), policy).unwrap();
    let p = dir.path().join("p.yaml");
    let mut args = FIXTURE;
    args[3] = p.to_str().unwrap();
    let (_, text) = export_and_check(dir.path(), "unbound", &args);
    assert!(
        text.contains(
            "local-zone: \"beta.demochat.example.\" inform # xx-a-2025-chat, xx-b-2025-chat\n"
        ),
        "{text}"
    );
    // …and the subdomains-only ban, no longer inside a ban, is handed back.
    let (run, _) = export_and_check(dir.path(), "unbound", &args);
    run.expect_contains(
        "cannot block a name's subdomains without the name): `*.cdn.demochat.example`",
    );
}

/// A policy title with line breaks, a `$INCLUDE`, a dnsmasq option, quotes,
/// a backslash, a `;` and non-ASCII stays inside one comment line: every
/// file still passes its checker and no injected line appears.
#[test]
fn hostile_titles_stay_in_comments() {
    let dir = tempfile::tempdir().unwrap();
    let policy = std::fs::read_to_string(root().join("tests/fixtures/export/policies/demo.yaml"))
        .unwrap()
        .replace(
            "title: Demo ban on Demo Chat\n",
            "title: \"Demo ban\\n$INCLUDE /etc/passwd\\nserver=/evil.example/#\\r\\u2028\
             local-zone: \\\"evil.\\\" static \\\"q\\\" \\\\ ; \u{e9}\"\n",
        );
    std::fs::write(dir.path().join("p.yaml"), policy).unwrap();
    let p = dir.path().join("p.yaml");
    let mut args = FIXTURE;
    args[3] = p.to_str().unwrap();
    for target in TARGETS {
        let (_, text) = export_and_check(dir.path(), target, &args);
        assert!(
            text.contains("$INCLUDE /etc/passwd server=/evil.example/#"),
            "{text}"
        );
        for line in text.lines() {
            assert!(
                !line.starts_with("$INCLUDE")
                    && !line.starts_with("server=/evil")
                    && !line.trim_start().starts_with("local-zone: \"evil"),
                "{target}: injected line {line:?}"
            );
        }
    }
}

/// The whole built-in library (no profile, unconfirmed included) passes
/// each resolver's checker, and the Kaspersky exemption holds: its Threat
/// Intelligence host stays resolvable while kaspersky.com is blocked.
#[test]
fn builtin_library_passes_the_resolvers_checkers() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "--no-profile",
        "--as-of",
        "2026-12-01",
        "--include-unconfirmed",
    ];
    let (_, rpz) = export_and_check(dir.path(), "rpz", &args);
    let allow = rpz
        .find("\nopentip.kaspersky.com CNAME rpz-passthru.")
        .unwrap();
    let ban = rpz.find("\nkaspersky.com CNAME .").unwrap();
    assert!(allow < ban);
    let (_, unbound) = export_and_check(dir.path(), "unbound", &args);
    assert!(unbound.contains("local-zone: \"opentip.kaspersky.com.\" transparent"));
    assert!(unbound.contains("local-zone: \"kaspersky.com.\" always_nxdomain"));
    let (_, dnsmasq) = export_and_check(dir.path(), "dnsmasq", &args);
    assert!(dnsmasq.contains("\nserver=/opentip.kaspersky.com/#\n"));
    assert!(dnsmasq.contains("\naddress=/kaspersky.com/\n"));
}
