//! Golden tests of the uv.lock reader on lockfiles uv wrote
//! (`tests/fixtures/uv-lock/README.md` says how).
use super::*;
use crate::input::item::{ItemKind, Package};
use crate::input::problem::Impact;
use crate::input::testing::{Collect, read_fixture};

/// One item as a stable line: `line:column name@version direct scope path`.
pub(crate) fn golden(c: &Collect) -> Vec<String> {
    c.items
        .iter()
        .map(|g| {
            let ItemKind::Package(p) = &g.item else {
                panic!("not a package: {:?}", g.item)
            };
            let Package {
                name,
                version,
                direct,
                scope,
                path,
                ..
            } = p;
            format!(
                "{}:{} {name}@{} direct={} scope={} path={}",
                g.line,
                g.column,
                version.as_deref().unwrap_or("-"),
                direct.map_or("-", |d| if d { "yes" } else { "no" }),
                scope.map_or("-".to_string(), |s| format!("{s:?}").to_lowercase()),
                path.join(">"),
            )
        })
        .collect()
}

fn read_uv(fixture: &str) -> Collect {
    read_fixture(&SPEC, &format!("uv-lock/{fixture}"), "uv.lock")
}

/// The real lock of a project that needs `langchain-deepseek`, with
/// `tomli-w` as an extra and `pytest` as a dev dependency: every package
/// at its name's line, the project itself not an item, direct ones
/// flagged, and each path the shortest chain from the project.
#[test]
fn uv_lock_of_a_project() {
    let out = read_uv("app/uv.lock");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let got = golden(&out);
    assert_eq!(got.len(), 44, "{got:#?}");
    let want = [
        "12:9 annotated-types@0.8.0 direct=no scope=- path=app>langchain-deepseek>langchain-core>pydantic>annotated-types",
        "62:9 certifi@2026.10.19.post1 direct=no scope=- path=app>langchain-deepseek>langchain-core>certifi",
        "180:9 iniconfig@2.3.1 direct=no scope=dev path=app>pytest>iniconfig",
        "257:9 langchain-deepseek@1.1.1 direct=yes scope=- path=app>langchain-deepseek",
        "270:9 langchain-openai@1.8.1 direct=no scope=- path=app>langchain-deepseek>langchain-openai",
        "357:9 packaging@26.4 direct=no scope=- path=app>langchain-deepseek>langchain-core>packaging",
        "366:9 pluggy@1.7.0 direct=no scope=dev path=app>pytest>pluggy",
        "430:9 pytest@9.2.0 direct=yes scope=dev path=app>pytest",
        "561:9 tomli-w@1.2.0 direct=yes scope=optional path=app>tomli-w",
    ];
    for w in want {
        assert!(got.iter().any(|g| g == w), "missing {w}\n{got:#?}");
    }
    assert!(
        !got.iter().any(|g| g.contains(" app@")),
        "the project is an item"
    );
    // Every item is reached from the project.
    assert!(got.iter().all(|g| g.contains("path=app>")), "{got:#?}");
    insta::assert_snapshot!(got.join("\n"));
}

/// An empty file is a lock of nothing: no item, no problem (the scan says
/// "nothing was checked").
#[test]
fn empty_uv_lock() {
    let out = read_uv("empty.lock");
    assert!(out.items.is_empty() && out.problems.is_empty());
}

/// A lock cut short inside a string is unread evidence at the line and
/// column where TOML breaks.
#[test]
fn truncated_uv_lock() {
    let out = read_uv("truncated.lock");
    assert!(out.items.is_empty());
    assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
    let p = &out.problems[0];
    assert_eq!(p.impact, Impact::Unread);
    assert_eq!(p.at.as_ref().map(|a| a.line), Some(28), "{p}");
    assert!(p.message.starts_with("not a valid uv lockfile"), "{p}");
}

fn read_text(text: &str) -> Collect {
    let source = Source::bytes("uv.lock", text.as_bytes().to_vec());
    crate::input::testing::read(&SPEC, &source)
}

/// A package without a name or a version is a record passed over, with
/// the whole table as its text; the rest is read. A local project may
/// have no version.
#[test]
fn packages_without_name_or_version_are_skipped() {
    let out = read_text(
        "version = 1\nrequires-python = \">=3.12\"\n\n\
         [[package]]\nversion = \"1.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n\
         [[package]]\nname = \"idna\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n\
         [[package]]\nname = \"Lib_Local\"\nsource = { editable = \"lib\" }\n\n\
         [[package]]\nname = 'six'\nversion = \"1.17.0\"\n",
    );
    let got = golden(&out);
    assert_eq!(
        got,
        [
            "13:9 Lib_Local@- direct=- scope=- path=",
            "17:9 six@1.17.0 direct=- scope=- path=",
        ]
    );
    let skipped: Vec<(u64, Impact)> = out
        .problems
        .iter()
        .map(|p| (p.at.as_ref().unwrap().line, p.impact))
        .collect();
    assert_eq!(skipped, [(4, Impact::Skipped), (9, Impact::Skipped)]);
    let ItemKind::Package(p) = &out.items[0].item else {
        unreachable!()
    };
    assert_eq!(p.key, "lib-local");
}

/// A value of the wrong type is a problem at its place.
#[test]
fn wrong_types_point_at_the_value() {
    let out = read_text("[[package]]\nname = \"a\"\nversion = \"1\"\ndependencies = 3\n");
    assert_eq!(out.problem_places(), [(4, 16, 1)], "{:?}", out.problems);
}

/// A `[[package]]` line inside a multi-line string is the string's text:
/// the package holding it is one, and the next is read at its own line.
#[test]
fn package_header_inside_a_multi_line_string() {
    let out = read_text(
        "version = 1\n\n[[package]]\nname = \"a\"\nversion = \"1\"\n\
         note = \"\"\"\n[[package]]\nname = \"fake\"\n\"\"\"\n\n\
         [[package]]   # the next one\nname = \"b\"\nversion = \"2\"\n",
    );
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(
        golden(&out),
        [
            "4:9 a@1 direct=- scope=- path=",
            "12:9 b@2 direct=- scope=- path="
        ]
    );
}

/// A record passed over before a break further on is not counted: the
/// file is unread, one problem at the break, as when it was parsed whole.
#[test]
fn a_break_after_a_skipped_record_leaves_only_the_break() {
    let out = read_text(
        "version = 1\n\n[[package]]\nversion = \"1\"\n\n\
         [[package]]\nname = \"b\"\nversion = \"2\"\n\n\
         [[package]]\nname = \"c\nversion = \"3\"\n",
    );
    assert!(out.items.is_empty());
    assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
    assert_eq!(out.problems[0].impact, Impact::Unread);
    assert_eq!(out.problems[0].at.as_ref().map(|a| a.line), Some(11));
}
