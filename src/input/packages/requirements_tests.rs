//! Tests of the pip requirements reader, on real-shaped fixtures.
use super::*;
use crate::input::item::ItemKind;
use crate::input::testing::Collect;

fn packages(c: &Collect) -> Vec<&Package> {
    c.items
        .iter()
        .filter_map(|g| match &g.item {
            ItemKind::Package(p) => Some(p),
            _ => None,
        })
        .collect()
}

fn keys(c: &Collect) -> Vec<&str> {
    packages(c).iter().map(|p| p.key.as_str()).collect()
}

fn messages(c: &Collect) -> Vec<String> {
    c.problems.iter().map(|p| p.message.clone()).collect()
}

fn no_env(_: &str) -> Option<String> {
    None
}

fn read_source(source: &Source, env: Env<'_>) -> Collect {
    let mut sink = Collect::default();
    let limits = Limits::default();
    let opened = source.open(&limits).expect("fixture is readable");
    read_with_env(source, opened, &limits, &mut sink, env).expect("fixture is readable");
    sink
}

fn run(name: &str) -> Collect {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/requirements")
        .join(name);
    read_source(
        &Source::file(format!("tests/fixtures/requirements/{name}"), path),
        &no_env,
    )
}

/// Parses text written to a temporary file.
fn run_text(text: &str, env: Env<'_>) -> Collect {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("requirements.txt");
    std::fs::write(&path, text).unwrap();
    read_source(&Source::file("requirements.txt", path), env)
}

/// pip-compile output: pins, hashes on continuation lines, `# via`
/// comments; the origin is on the name, the line is the physical line.
#[test]
fn pip_compile_output_with_hashes() {
    let out = run("pip-compile-hashes.txt");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(
        keys(&out),
        ["certifi", "charset-normalizer", "deepseek-sdk", "requests"]
    );
    let item = &out.items[2];
    let line = &item.text;
    assert_eq!(item.line, 14);
    assert_eq!((item.column, item.len), (1, 12));
    assert_eq!(line, "deepseek_sdk==0.3.1 \\");
    let p = packages(&out)[2];
    assert_eq!(p.name, "deepseek_sdk");
    assert_eq!(p.version.as_deref(), Some("0.3.1"));
    assert_eq!(p.requirement.as_deref(), Some("==0.3.1"));
}

/// `poetry export` output: markers without spaces, a hash on the same
/// line, a wildcard range (no pin), a `file:` wheel, an editable `file:`
/// project (skipped).
#[test]
fn poetry_export_output() {
    let out = run("poetry-export.txt");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(
        keys(&out),
        [
            "anyio",
            "backports-zoneinfo",
            "deepseek-sdk",
            "requests",
            "pkg"
        ]
    );
    let versions: Vec<Option<&str>> = packages(&out)
        .iter()
        .map(|p| p.version.as_deref())
        .collect();
    assert_eq!(
        versions,
        [
            Some("4.4.0"),
            Some("0.2.1"),
            Some("0.3.1"),
            None,
            Some("1.0")
        ]
    );
    assert_eq!(out.items[2].line, 7);
}

/// The PEP 508 forms: extras, ranges, markers, parentheses, `===`,
/// wildcards (not a pin), and direct URL references.
#[test]
fn pep508_forms() {
    let out = run("pep508-forms.txt");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let got: Vec<(&str, Option<&str>, Option<&str>)> = packages(&out)
        .iter()
        .map(|p| {
            (
                p.key.as_str(),
                p.version.as_deref(),
                p.requirement.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("requests", Some("2.32.3"), Some("==2.32.3")),
            ("httpx", None, Some(">=0.27,<0.28")),
            ("pydantic", None, Some("~= 2.7")),
            ("django", None, Some("==4.2.*")),
            ("legacy-pkg", Some("1.0-custom"), Some("===1.0-custom")),
            ("zope-interface", None, Some(">=5")),
            ("flask", None, None),
            ("urllib3", Some("2.2.2"), None),
            ("openai", None, None),
            ("torch", Some("2.3.0+cpu"), Some("==2.3.0+cpu")),
        ]
    );
    let item = &out.items[7];
    assert_eq!((item.line, item.column, item.len), (10, 1, 7));
}

/// Editables and bare paths/URLs: `#egg=` names a package, wheel and
/// sdist file names do too, the project itself and unnamed VCS URLs are
/// skipped without a problem.
#[test]
fn editables_and_links() {
    let out = run("editable-and-links.txt");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(
        keys(&out),
        [
            "proj",
            "deepseek-tools",
            "mylib",
            "vendored-lib",
            "other-lib"
        ]
    );
    let p = packages(&out);
    assert_eq!(p[2].version.as_deref(), Some("1.2.0"));
    assert_eq!(p[3].version.as_deref(), Some("0.9"));
    // The origin is on the egg name in the URL.
    let item = &out.items[0];
    let line = &item.text;
    let col = line.find("egg=proj").unwrap() + "egg=".len() + 1;
    assert_eq!((item.column, item.len), (col, 4));
}

/// `-r` includes are read relative to the including file, with the
/// included file's path as origin; `-c` constraints emit nothing;
/// global options are ignored.
#[test]
fn includes_and_constraints() {
    let out = run("include-root.txt");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(keys(&out), ["deepseek-sdk", "flask", "pytest"]);
    let origins: Vec<(&str, u64)> = out.items.iter().map(|g| (&*g.source, g.line)).collect();
    assert_eq!(
        origins,
        [
            ("tests/fixtures/requirements/included/base.txt", 2),
            ("tests/fixtures/requirements/include-root.txt", 6),
            ("tests/fixtures/requirements/included/dev.txt", 3),
        ]
    );
}

/// An include cycle is a problem at the `-r` line, not a hang; a
/// missing include is a problem; later lines are still read.
#[test]
fn include_cycle_and_missing_include() {
    let out = run("cycle-a.txt");
    assert_eq!(keys(&out), ["alpha", "beta", "after-cycle"]);
    assert_eq!(out.problems.len(), 2, "{:?}", out.problems);
    assert!(
        out.problems[0].message.contains("cycle"),
        "{}",
        out.problems[0]
    );
    assert!(
        out.problems[0].message.contains("cycle-a.txt → "),
        "{}",
        out.problems[0]
    );
    assert_eq!(
        &*out.problems[0].path,
        "tests/fixtures/requirements/cycle-b.txt"
    );
    assert!(out.problems[1].message.contains("does-not-exist.txt"));
    assert_eq!(out.problems[1].at.as_ref().unwrap().line, 3);
}

/// A chain of ten includes, each in a folder of its own, is followed to
/// its end, every path relative to the file that includes it; a chain
/// deeper than [`MAX_INCLUDE_DEPTH`] stops there with a problem at the
/// `-r` line that goes too deep, and the lines read so far still count.
#[test]
fn include_chains_are_followed_to_a_bound() {
    let dir = tempfile::tempdir().unwrap();
    let chain = |depth: usize| {
        let mut folder = dir.path().join(format!("chain-{depth}"));
        let root = folder.join("requirements.txt");
        for level in 0..depth {
            std::fs::create_dir_all(folder.join("next")).unwrap();
            std::fs::write(
                folder.join("requirements.txt"),
                format!("pkg-{level}==1.0\n-r next/requirements.txt\n"),
            )
            .unwrap();
            folder = folder.join("next");
        }
        std::fs::write(
            folder.join("requirements.txt"),
            "langchain-deepseek==0.1.3\n",
        )
        .unwrap();
        read_source(&Source::file("requirements.txt", root), &no_env)
    };

    let ten = chain(10);
    assert!(ten.problems.is_empty(), "{:?}", ten.problems);
    assert_eq!(keys(&ten).len(), 11);
    let last = ten.items.last().unwrap();
    assert_eq!(last.line, 1);
    assert!(
        last.source
            .ends_with(&format!("{}requirements.txt", "next/".repeat(10))),
        "{}",
        last.source
    );

    let deep = chain(MAX_INCLUDE_DEPTH + 5);
    assert_eq!(keys(&deep).len(), MAX_INCLUDE_DEPTH);
    assert_eq!(deep.problems.len(), 1, "{:?}", deep.problems);
    assert!(deep.problems[0].message.contains("64 files deep"));
    assert_eq!(deep.problems[0].at.as_ref().unwrap().line, 2);
}

/// A remote include cannot be checked, so it is a problem.
#[test]
fn remote_include_is_a_problem() {
    let out = run_text(
        "-r https://example.com/requirements.txt\nrequests\n",
        &no_env,
    );
    assert_eq!(keys(&out), ["requests"]);
    assert_eq!(out.problems.len(), 1);
    let at = out.problems[0].at.as_ref().unwrap();
    assert_eq!((at.line, at.column), (1, 4));
    assert!(out.problems[0].help.contains("download"));
}

/// Malformed lines are problems pointing at the bad text; the lines
/// after them are still read.
#[test]
fn malformed_lines_are_problems_and_parsing_goes_on() {
    let out = run("malformed.txt");
    assert_eq!(keys(&out), ["good-one", "requests", "good-two"]);
    let at = out.problem_places();
    assert_eq!(
        at,
        [
            (2, 9, 2),  // requests==
            (3, 1, 3),  // !!!
            (4, 1, 12), // --frobnicate
            (5, 17, 7), // bad hash
            (6, 6, 1),  // numpy$
            (7, 10, 1), // foo>=1.0,,2
            (8, 1, 4),  // bad- name
        ]
    );
    for p in &out.problems {
        assert!(!p.help.is_empty());
    }
    assert!(messages(&out)[0].contains("`==`"), "{:?}", messages(&out));
}

/// `${VAR}` is expanded only in that form; unset variables stay.
#[test]
fn env_vars_are_expanded() {
    let env = |name: &str| (name == "PKG_VERSION").then(|| "1.4.2".to_string());
    let out = run_text(
        "mypkg==${PKG_VERSION}\nother @ https://example.com/${UNSET_DIR}/other-1.0.tar.gz\n$HOME\n",
        &env,
    );
    let p = packages(&out);
    assert_eq!(p[0].version.as_deref(), Some("1.4.2"));
    assert_eq!(p[1].key, "other");
    // `${UNSET_DIR}` stays, and `$HOME` is not expanded: a problem.
    assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
    assert_eq!(out.problems[0].at.as_ref().unwrap().line, 3);
}

/// Comments: `#` at the start or after whitespace; `url#egg=` is not a
/// comment; a comment ending in `\` does not continue.
#[test]
fn comments_and_continuations() {
    let text =
        "# header \\\nrequests \\\n  >=2 # why \\\nflask\n-e git+https://x.test/r.git#egg=named\n";
    let out = run_text(text, &no_env);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    // The comment on line 3 ends with `\`, so `flask` is joined into the
    // comment, as pip does.
    assert_eq!(keys(&out), ["requests", "named"]);
    assert_eq!(packages(&out)[0].requirement.as_deref(), Some(">=2"));
}

/// Garbage never panics.
#[test]
fn garbage_does_not_panic() {
    let cases = [
        "\\",
        "\\\n\\",
        "-",
        "--",
        "-r",
        "-e",
        "--hash",
        "a[",
        "a(",
        "a @",
        "a @ ;",
        "a;",
        "${",
        "${}",
        "${X",
        "é==1",
        "a==1 ; ",
        "[x]",
        "@",
        "a[,]",
        "'",
        "\"-r\"",
        "-r '",
        "a==1 --hash=sha256:zz",
        "#egg=",
        "./x.whl#egg=",
        "é/é.whl",
        "./-1.whl",
        "a (>=1",
        "a==1 -e .",
        "-e",
        "-e ''",
        "--index-url=",
        "x @ file:",
        "\u{feff}a",
    ];
    for case in cases {
        let _ = run_text(case, &no_env);
        let _ = run_text(&format!("{case}\n{case}\\\n{case}"), &|_| Some("é€".into()));
    }
}

/// Each `--hash` failure mode's message is the text users saw when the
/// error was a `String`.
#[test]
fn hash_messages() {
    let hash = |t: &str| check_hash(t).unwrap_err().to_string();
    assert_eq!(hash("abc"), "`--hash=abc` is not `<algorithm>:<digest>`");
    assert_eq!(
        hash("md5:abc"),
        "`md5` is not a hash algorithm pip accepts for --hash"
    );
    assert_eq!(
        hash("sha256:zz"),
        "the sha256 digest `zz` is not 64 hexadecimal characters"
    );
}
