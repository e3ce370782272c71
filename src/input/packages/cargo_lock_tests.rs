//! Golden tests of the Cargo.lock reader on fixtures made by cargo (see
//! `tests/fixtures/cargo-lock/README.md`): every item as one line,
//! `line:column name@version direct path`, then every problem.

use super::*;
use crate::input::item::ItemKind;
use crate::input::problem::Impact;
use crate::input::testing::{Collect, read_fixture};

/// Reads `tests/fixtures/cargo-lock/<case>/Cargo.lock`.
fn run(case: &str) -> Collect {
    read_fixture(
        &SPEC,
        &format!("cargo-lock/{case}/Cargo.lock"),
        &format!("{case}/Cargo.lock"),
    )
}

/// Items and problems as stable lines.
fn render(c: &Collect) -> String {
    let mut out = String::new();
    for g in &c.items {
        let ItemKind::Package(p) = &g.item else {
            panic!("not a package: {:?}", g.item);
        };
        assert_eq!(p.ecosystem, Ecosystem::Cargo);
        assert_eq!(p.key, p.name);
        // The place is the name's value on its line.
        assert_eq!(&g.text[g.column - 1..g.column - 1 + g.len], p.name);
        let direct = match p.direct {
            Some(true) => "direct",
            Some(false) => "transitive",
            None => "unreached",
        };
        out.push_str(&format!(
            "{}:{} {}@{} {direct} {}\n",
            g.line,
            g.column,
            p.name,
            p.version.as_deref().unwrap_or("-"),
            p.path.join(">"),
        ));
    }
    for p in &c.problems {
        let impact = match p.impact {
            Impact::Unread => "unread",
            Impact::Skipped => "skipped",
            Impact::Warning => "warning",
        };
        match &p.at {
            Some(at) => out.push_str(&format!(
                "{impact} {}:{}: {}\n",
                at.line, at.column, p.message
            )),
            None => out.push_str(&format!("{impact} {}\n", p.message)),
        }
    }
    out
}

#[track_caller]
fn golden(case: &str, want: &str) {
    let got = render(&run(case));
    assert_eq!(got, want, "\n--- got\n{got}");
}

/// `cargo generate-lockfile` 1.95, version 4: the root `app` is no item;
/// its three dependencies are direct, the rest reached through them by
/// the shortest chain.
#[test]
fn v4_from_cargo() {
    golden("v4", V4);
}

const V4: &str = "\
6:9 anyhow@1.0.105 direct app>anyhow
21:9 itoa@1.0.19 transitive app>serde_json>itoa
27:9 memchr@2.8.3 transitive app>serde_json>memchr
33:9 proc-macro2@1.0.107 transitive app>serde>serde_derive>proc-macro2
42:9 quote@1.0.47 transitive app>serde>serde_derive>quote
51:9 serde@1.0.229 direct app>serde
61:9 serde_core@1.0.229 transitive app>serde>serde_core
70:9 serde_derive@1.0.229 transitive app>serde>serde_derive
81:9 serde_json@1.0.154 direct app>serde_json
94:9 syn@3.0.10 transitive app>serde>serde_derive>syn
105:9 unicode-ident@1.0.27 transitive app>serde>serde_derive>proc-macro2>unicode-ident
111:9 zmij@1.0.23 transitive app>serde_json>zmij
";

/// The same project with `rust-version = \"1.70\"`, for which cargo 1.95
/// writes version 3: the same items.
#[test]
fn v3_from_cargo() {
    let v3 = render(&run("v3"));
    assert_eq!(v3, render(&run("v4")));
}

/// A workspace of two members where `app` depends on `core-lib` by path:
/// both are roots, so `itoa 0.4.8` is direct through `core-lib`, and the
/// two `itoa` versions are told apart by `"itoa 0.4.8"` entries.
#[test]
fn workspace_from_cargo() {
    golden("workspace", WORKSPACE);
}

const WORKSPACE: &str = "\
6:9 anyhow@1.0.105 direct app>anyhow
29:9 itoa@0.4.8 direct core-lib>itoa
35:9 itoa@1.0.19 transitive app>serde_json>itoa
41:9 memchr@2.8.3 transitive app>serde_json>memchr
47:9 proc-macro2@1.0.107 transitive app>serde>serde_derive>proc-macro2
56:9 quote@1.0.47 transitive app>serde>serde_derive>quote
65:9 serde@1.0.229 direct app>serde
75:9 serde_core@1.0.229 transitive app>serde>serde_core
84:9 serde_derive@1.0.229 transitive app>serde>serde_derive
95:9 serde_json@1.0.154 direct app>serde_json
108:9 syn@3.0.10 transitive app>serde>serde_derive>syn
119:9 unicode-ident@1.0.27 transitive app>serde>serde_derive>proc-macro2>unicode-ident
125:9 zmij@1.0.23 transitive app>serde_json>zmij
";

/// Hand-written in the v1 shape (no `version`, every dependency with its
/// version and source, checksums in `[metadata]`).
#[test]
fn v1_hand_written() {
    golden("v1", V1);
}

const V1: &str = "\
2:9 anyhow@1.0.105 direct app>anyhow
15:9 serde@1.0.229 direct app>serde
23:9 serde_derive@1.0.229 transitive app>serde>serde_derive
";

/// An empty file locks nothing and is no problem.
#[test]
fn empty_file() {
    golden("empty", "");
}

/// A file cut short is a problem at the parser's line and column.
#[test]
fn truncated_file() {
    golden("truncated", TRUNCATED);
}

const TRUNCATED: &str = "\
unread 30:6: not a valid Cargo lockfile: key with no value, expected `=`
";

/// A [[package]] without `version`, and one without `name`: each passed
/// over and counted, the rest read.
#[test]
fn missing_fields() {
    golden("missing-fields", MISSING);
}

const MISSING: &str = "\
6:9 anyhow@1.0.105 direct app>anyhow
21:9 itoa@1.0.19 transitive app>serde_json>itoa
32:9 proc-macro2@1.0.107 transitive app>serde>serde_derive>proc-macro2
41:9 quote@1.0.47 transitive app>serde>serde_derive>quote
50:9 serde@1.0.229 direct app>serde
60:9 serde_core@1.0.229 transitive app>serde>serde_core
69:9 serde_derive@1.0.229 transitive app>serde>serde_derive
80:9 serde_json@1.0.154 direct app>serde_json
93:9 syn@3.0.10 transitive app>serde>serde_derive>syn
104:9 unicode-ident@1.0.27 transitive app>serde>serde_derive>proc-macro2>unicode-ident
skipped 26:1: the [[package]] `memchr` has no string `version`; it was passed over
skipped 109:1: a [[package]] without a string `name`; it was passed over
";

fn read_text(text: &str) -> Collect {
    let source = Source::bytes("Cargo.lock", text.as_bytes().to_vec());
    crate::input::testing::read(&SPEC, &source)
}

/// The v4 fixture with CRLF line endings: the same items at the same
/// lines and columns (the file is read block by block).
#[test]
fn crlf_line_endings() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cargo-lock/v4/Cargo.lock");
    let text = std::fs::read_to_string(path).unwrap().replace('\n', "\r\n");
    assert_eq!(render(&read_text(&text)), V4);
}

/// A syntax error in the third block is at its line and column in the
/// whole file, and nothing is handed on.
#[test]
fn error_in_the_third_block_is_at_its_line() {
    let text = "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n\n\
                [[package]]\nname = \"a\"\nversion = \"1.0.0\"\n\n\
                [[package]]\nname = \"b\"\nversion = 1.0.0\"\n";
    let out = read_text(text);
    assert!(out.items.is_empty());
    assert_eq!(out.problems.len(), 1);
    let at = out.problems[0].at.as_ref().unwrap();
    assert_eq!((at.line, at.column), (13, 14), "{}", out.problems[0]);
    assert_eq!(
        (at.line, at.column),
        toml_lock::tests::whole_file_error(text)
    );
}
