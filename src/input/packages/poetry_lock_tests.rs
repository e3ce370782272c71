//! Golden tests of the poetry.lock reader on lockfiles Poetry wrote
//! (`tests/fixtures/poetry-lock/README.md` says how).
use super::*;
use crate::input::packages::uv_lock::tests::golden;
use crate::input::problem::Impact;
use crate::input::testing::{Collect, read_fixture};

fn read_poetry(fixture: &str) -> Collect {
    read_fixture(&SPEC, &format!("poetry-lock/{fixture}"), "poetry.lock")
}

/// Lock 2.1 (Poetry 2.5.1, PEP 621 `pyproject.toml` beside it): groups
/// say dev, `optional = true` says optional, the pyproject says what is
/// direct, and paths run from the project through `[package.dependencies]`.
#[test]
fn poetry_lock_2_1() {
    let out = read_poetry("v2.1/poetry.lock");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let got = golden(&out);
    assert_eq!(got.len(), 14, "{got:#?}");
    for w in [
        "338:9 tencentcloud-sdk-python-hunyuan@3.1.180 direct=yes scope=- path=app>tencentcloud-sdk-python-hunyuan",
        "320:9 tencentcloud-sdk-python-common@3.1.195 direct=no scope=- path=app>tencentcloud-sdk-python-hunyuan>tencentcloud-sdk-python-common",
        "298:9 requests@2.34.2 direct=no scope=- path=app>tencentcloud-sdk-python-hunyuan>tencentcloud-sdk-python-common>requests",
        "276:9 pytest@9.2.0 direct=yes scope=dev path=app>pytest",
        "249:9 pluggy@1.7.0 direct=no scope=dev path=app>pytest>pluggy",
        "353:9 tomli-w@1.2.0 direct=yes scope=optional path=app>tomli-w",
    ] {
        assert!(got.iter().any(|g| g == w), "missing {w}\n{got:#?}");
    }
    insta::assert_snapshot!(got.join("\n"));
}

/// Lock 2.0 (Poetry 1.8.5, `[tool.poetry]` pyproject): no groups in the
/// lock, so dev comes from the pyproject's dev group and the paths.
#[test]
fn poetry_lock_2_0() {
    let out = read_poetry("v2.0/poetry.lock");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let got = golden(&out);
    assert_eq!(got.len(), 14, "{got:#?}");
    for w in [
        "326:9 tencentcloud-sdk-python-hunyuan@3.1.180 direct=yes scope=- path=app>tencentcloud-sdk-python-hunyuan",
        "267:9 pytest@9.2.0 direct=yes scope=dev path=app>pytest",
        "242:9 pluggy@1.7.0 direct=no scope=dev path=app>pytest>pluggy",
        "340:9 tomli-w@1.2.0 direct=yes scope=optional path=app>tomli-w",
    ] {
        assert!(got.iter().any(|g| g == w), "missing {w}\n{got:#?}");
    }
    insta::assert_snapshot!(got.join("\n"));
}

/// Without a pyproject.toml beside it (here: read from bytes), direct is
/// unknown and paths are empty; the lock's own scope still shows.
#[test]
fn without_pyproject_direct_is_unknown() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/poetry-lock/v2.1/poetry.lock");
    let source = Source::bytes("poetry.lock", std::fs::read(path).unwrap());
    let out = crate::input::testing::read(&SPEC, &source);
    let got = golden(&out);
    assert!(got.contains(&"276:9 pytest@9.2.0 direct=- scope=dev path=".to_string()));
    assert!(got.contains(&"353:9 tomli-w@1.2.0 direct=- scope=optional path=".to_string()));
}

/// Lock 1.1 (Poetry ≤ 1.4) marks dev packages with `category = "dev"`
/// and keeps hashes in `[metadata.files]`. Hand-written after
/// FORMATS.md: Poetry 1.4.2 could no longer lock against today's PyPI.
#[test]
fn poetry_lock_1_1_category() {
    let text = "[[package]]\nname = \"pytest\"\nversion = \"7.4.0\"\ndescription = \"\"\n\
                category = \"dev\"\noptional = false\npython-versions = \">=3.7\"\n\n\
                [[package]]\nname = \"Requests\"\nversion = \"2.31.0\"\ncategory = \"main\"\n\
                optional = false\npython-versions = \">=3.7\"\n\n\
                [metadata]\nlock-version = \"1.1\"\n\n[metadata.files]\npytest = []\nrequests = []\n";
    let out = crate::input::testing::read(
        &SPEC,
        &Source::bytes("poetry.lock", text.as_bytes().to_vec()),
    );
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(
        golden(&out),
        [
            "2:9 pytest@7.4.0 direct=- scope=dev path=",
            "10:9 Requests@2.31.0 direct=- scope=- path=",
        ]
    );
}

/// A package without a version is passed over; an empty lock is no item
/// and no problem; a truncated one is unread evidence at its line.
#[test]
fn bad_poetry_locks() {
    let text = "[[package]]\nname = \"a\"\n\n[[package]]\nname = \"b\"\nversion = \"1\"\n";
    let out = crate::input::testing::read(
        &SPEC,
        &Source::bytes("poetry.lock", text.as_bytes().to_vec()),
    );
    assert_eq!(golden(&out), ["5:9 b@1 direct=- scope=- path="]);
    assert_eq!(out.problems.len(), 1);
    assert_eq!(out.problems[0].impact, Impact::Skipped);
    assert_eq!(out.problem_places(), [(2, 8, 3)]);

    let out = read_poetry("empty.lock");
    assert!(out.items.is_empty() && out.problems.is_empty());

    let out = read_poetry("truncated.lock");
    assert!(out.items.is_empty());
    assert_eq!(out.problems.len(), 1);
    let p = &out.problems[0];
    assert_eq!(
        (p.impact, p.at.as_ref().map(|a| a.line)),
        (Impact::Unread, Some(26)),
        "{p}"
    );
}

/// The direct set from each pyproject shape Poetry uses.
#[test]
fn pyproject_shapes() {
    let p = project_from(
        "[tool.poetry]\nname = \"svc\"\n[tool.poetry.dependencies]\npython = \"^3.11\"\n\
         Requests = \"*\"\nextra_one = { version = \"*\", optional = true }\n\
         [tool.poetry.dev-dependencies]\nblack = \"*\"\n\
         [dependency-groups]\ntest = [\"pytest>=8\", { include-group = \"x\" }]\n",
        None,
    )
    .unwrap();
    assert_eq!(p.name, "svc");
    assert_eq!(
        p.direct,
        [
            ("requests".to_string(), None),
            ("extra-one".to_string(), Some(DepScope::Optional)),
            ("black".to_string(), Some(DepScope::Dev)),
            ("pytest".to_string(), Some(DepScope::Dev)),
        ]
    );
    assert_eq!(project_from("not toml [", None), None);
}

/// The 2.1 fixture with CRLF endings reads as with LF (its
/// `[package.dependencies]` and `[package.extras]` stay with their
/// package; `[metadata]` is a block of its own); a break in the third
/// package is at its line in the whole file.
#[test]
fn crlf_and_an_error_in_a_later_block() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/poetry-lock/v2.1/poetry.lock");
    let lf = std::fs::read_to_string(path).unwrap();
    let read = |text: &str| {
        crate::input::testing::read(
            &SPEC,
            &Source::bytes("poetry.lock", text.as_bytes().to_vec()),
        )
    };
    let (a, b) = (read(&lf), read(&lf.replace('\n', "\r\n")));
    assert!(b.problems.is_empty(), "{:?}", b.problems);
    assert_eq!(golden(&a), golden(&b));
    assert_eq!(golden(&a).len(), 14);

    let text = "[[package]]\nname = \"a\"\nversion = \"1\"\n\n[package.dependencies]\nb = \"*\"\n\n\
                [[package]]\nname = \"b\"\nversion = \"1\"\n\n\
                [[package]]\nname = \"c\"\nversion = \"1\"\ngroups = [\"main\"\n\n\
                [metadata]\nlock-version = \"2.1\"\n";
    let out = read(text);
    assert!(out.items.is_empty());
    assert_eq!(out.problems.len(), 1);
    // The array left open runs on to `[metadata]`, as TOML reads it.
    let at = out.problems[0].at.as_ref().unwrap();
    assert_eq!((at.line, at.column), (17, 1), "{}", out.problems[0]);
    assert_eq!(
        (at.line, at.column),
        toml_lock::tests::whole_file_error(text)
    );
}
