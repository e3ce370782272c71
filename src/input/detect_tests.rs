//! Tests of discovery: formats by name and content, and what a walk lists.
use super::*;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// What a walk makes of each file: its format, or why it was skipped.
fn verdicts(found: &Found, root: &Path) -> Vec<(String, String)> {
    let base = format!("{}/", display_name(root));
    let strip = |n: &str| n.strip_prefix(&base).unwrap_or(n).to_string();
    let mut out: Vec<(String, String)> = found
        .inputs
        .iter()
        .map(|i| (strip(&i.source.name), i.format.name.to_string()))
        .chain(
            found
                .skipped
                .iter()
                .map(|s| (strip(&s.name), format!("skipped: {}", s.reason))),
        )
        .collect();
    out.sort();
    out
}

/// A walk reads evidence by name and content, and lists every other
/// file with its reason: lockfiles not read yet, prose, look-alike
/// `.txt` and `.list` files, constraints, ignored and hidden folders.
#[test]
fn walk_reads_or_lists_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "requirements.txt", "requests==2.32.3\n");
    write(r, "requirements/base.txt", "flask\n");
    write(r, "svc/constraints.txt", "urllib3<3\n");
    write(
        r,
        "inventory/apps.csv",
        "DeviceName,ApplicationName\npc,Zoom\n",
    );
    write(r, "docs/contacts.csv", "name,email\nAda,ada@example.org\n");
    write(
        r,
        "net/allow.txt",
        "# allowed\napi.example.com\n*.example.org # w\n",
    );
    write(
        r,
        "net/hosts",
        "127.0.0.1 localhost\n203.0.113.9 intranet.example\n",
    );
    write(r, "ansible/hosts", "[web]\nweb1\nweb2\n");
    write(
        r,
        "Blocks.txt",
        "# Blocks\n0000..007F; Basic Latin\n0080..00FF; Latin-1 Supplement\n",
    );
    write(
        r,
        "sources.list",
        "deb http://deb.debian.org/debian bookworm main\n",
    );
    write(r, "package-lock.json", "{}\n");
    write(
        r,
        "bun.lock",
        "{\n  \"lockfileVersion\": 1,\n  \"workspaces\": {\n    \"\": {\n      \"name\": \"app\",\n    },\n  },\n}\n",
    );
    write(r, "README.md", "# hi\n");
    write(r, ".gitignore", "build/\n");
    write(r, "build/requirements.txt", "ignored\n");
    let found = discover(&[r.to_path_buf()], &Options::default());
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    let got = verdicts(&found, r);
    let want = [
        (
            ".gitignore",
            "skipped: hidden (name it, or --no-ignore, to scan it)",
        ),
        (
            "Blocks.txt",
            "skipped: named like pip requirements file (pip freeze, pip-compile, uv pip compile, poetry export) (requirements) but its first lines do not fit",
        ),
        (
            "README.md",
            "skipped: no format banscan knows by its name or its first lines",
        ),
        (
            "ansible/hosts",
            "skipped: named like endpoint list: hosts, URLs, IPs or CIDR blocks one a line, or a hosts file (endpoint-list) but its first lines do not fit",
        ),
        (
            "build/",
            "skipped: ignored by .gitignore or .ignore; 1 evidence file inside (--no-ignore reads it)",
        ),
        (
            "bun.lock",
            "skipped: Bun lockfile (bun-lock): recognised, not read by this version",
        ),
        (
            "docs/contacts.csv",
            "skipped: named like installed-app inventory table (CSV, semicolon or tab separated) (app-csv) but its first lines do not fit",
        ),
        ("inventory/apps.csv", "app-csv"),
        ("net/allow.txt", "endpoint-list"),
        ("net/hosts", "endpoint-list"),
        ("package-lock.json", "npm-lock"),
        ("requirements.txt", "requirements"),
        ("requirements/base.txt", "requirements"),
        (
            "sources.list",
            "skipped: named like endpoint list: hosts, URLs, IPs or CIDR blocks one a line, or a hosts file (endpoint-list) but its first lines do not fit",
        ),
        (
            "svc/constraints.txt",
            "skipped: pip constraints file: pins versions, installs nothing",
        ),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
    let evidence: Vec<&str> = found
        .skipped
        .iter()
        .filter(|s| s.reason.verdict() == Verdict::Unread)
        .map(|s| s.name.rsplit('/').find(|p| !p.is_empty()).unwrap_or(""))
        .collect();
    assert_eq!(evidence, ["bun.lock"]);
}

/// Named files: by name, by content, or the most generic format the
/// name allows; a format not read yet and an unknown name are errors.
#[test]
fn named_files() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "deps.txt", "langchain-deepseek==0.1.3\n");
    write(r, "allow.txt", "not a host at all!\n");
    write(r, "hosts", "[web]\n");
    write(r, "Podfile.lock", "PODS:\n");
    write(r, "notes", "hello\n");
    let names = [
        "deps.txt",
        "allow.txt",
        "hosts",
        "Podfile.lock",
        "notes",
        "missing.txt",
    ];
    let paths: Vec<PathBuf> = names.iter().map(|n| r.join(n)).collect();
    let found = discover(&paths, &Options::default());
    let formats: Vec<&str> = found.inputs.iter().map(|i| i.format.name).collect();
    assert_eq!(formats, ["requirements", "endpoint-list", "endpoint-list"]);
    // Named, a format not read yet and a file of no known format are
    // unread evidence; a missing path is a problem.
    let unread: Vec<String> = found
        .skipped
        .iter()
        .map(|s| format!("{:?} {}", s.reason.verdict(), s.reason))
        .collect();
    assert_eq!(unread.len(), 2, "{unread:?}");
    assert!(
        unread[0].starts_with("Unread CocoaPods lockfile (cocoapods-lock)"),
        "{}",
        unread[0]
    );
    assert!(
        unread[1].starts_with("Unread neither its name"),
        "{}",
        unread[1]
    );
    let messages: Vec<&str> = found.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("missing.txt"));
    // The same file twice, spelled two ways, is one input.
    let twice = [r.join("deps.txt"), r.join(".").join("deps.txt")];
    assert_eq!(discover(&twice, &Options::default()).inputs.len(), 1);
}

/// A pipe in a folder is listed, never opened (reading it would hang).
#[cfg(unix)]
#[test]
fn pipes_are_listed_not_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "requirements.txt", "requests\n");
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("queries.txt"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    let found = discover(&[dir.path().to_path_buf()], &Options::default());
    let got = verdicts(&found, dir.path());
    assert!(
        got.contains(&(
            "queries.txt".to_string(),
            "skipped: not a regular file (a pipe, socket or device)".to_string()
        )),
        "{got:?}"
    );
}

#[test]
fn names_are_normalised() {
    assert_eq!(normalise_name("./a/./b/../c.txt"), "a/c.txt");
    assert_eq!(normalise_name("../x"), "../x");
    assert_eq!(normalise_name("/abs/./x"), "/abs/x");
    assert_eq!(normalise_name("."), ".");
    assert_eq!(strip_compression("access.log.GZ"), "access.log");
}

/// Names ending in a character of several bytes are not cut inside it
/// (issue 17: `報告` and the replacement character of a name that is not
/// UTF-8 crashed the walk).
#[test]
fn compression_suffix_of_names_ending_in_wide_characters() {
    assert_eq!(strip_compression("報告"), "報告");
    assert_eq!(
        strip_compression("requirements-\u{fffd}.txt"),
        "requirements-\u{fffd}.txt"
    );
    assert_eq!(strip_compression("é"), "é");
    assert_eq!(strip_compression("報告.gz"), "報告");
    assert_eq!(strip_compression(".gz"), ".gz");
}

/// Defender's two forms: the export's JSON lines and a saved API page.
/// `SoftwareInventoryExport` names are JSON lines and `…ByMachine` names
/// a page; any other name is told by content, a page first.
#[test]
fn defender_lines_and_pages() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    let lines = "{\"deviceId\":\"a1\",\"deviceName\":\"pc\",\"softwareName\":\"zoom\",\"softwareVersion\":\"6.0\"}\n";
    let page = "{\n  \"@odata.context\": \"x\",\n  \"value\": [\n    {\"deviceId\": \"a1\", \"softwareName\": \"zoom\", \"softwareVersion\": \"6.0\"}\n  ]\n}\n";
    write(r, "SoftwareInventoryExport-part-00001.json", lines);
    write(r, "SoftwareInventory-2026-12.json", lines);
    write(r, "SoftwareInventoryByMachine.json", page);
    write(r, "SoftwareInventory-page-2.json", page);
    write(r, "saved/page-3.json", page);
    let found = discover(&[r.to_path_buf()], &Options::default());
    assert_eq!(
        verdicts(&found, r),
        [
            ("SoftwareInventory-2026-12.json", "defender-software"),
            ("SoftwareInventory-page-2.json", "defender-api-page"),
            ("SoftwareInventoryByMachine.json", "defender-api-page"),
            (
                "SoftwareInventoryExport-part-00001.json",
                "defender-software"
            ),
            ("saved/page-3.json", "defender-api-page"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
}
