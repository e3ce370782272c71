//! Manifests as direct-dependency evidence (issue 11): `package.json`,
//! `pyproject.toml` and `Pipfile` fixtures (see their READMEs) scanned by
//! the real binary with the built-in library.

use serde_json::Value;

use crate::common::scan_json_as_of;

const AS_OF: &str = "2025-06-01";

fn scan_json(args: &[&str]) -> (i32, Value) {
    scan_json_as_of(AS_OF, args)
}

/// `(name, line, column, scope)` of each flagged item (several policies
/// may flag one), sorted, once each.
fn flagged(report: &Value) -> Vec<(String, u64, u64, String)> {
    let mut got: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["item"]["direct"], true, "{f:#}");
            (
                f["item"]["name"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
                f["location"]["column"].as_u64().unwrap(),
                f["item"]["scope"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    got.sort();
    got.dedup();
    got
}

/// A read file exits 2 at `line`, unread.
fn broken_exits_2(path: &str, line: u64) {
    let (code, report) = scan_json(&[path]);
    assert_eq!(code, 2, "{report:#}");
    let input = &report["inputs"][0];
    assert_eq!(input["state"], "unread", "{input:#}");
    assert_eq!(input["problems"][0]["line"], line, "{input:#}");
}

/// package.json: the banned `@ai-sdk/deepseek` range in `dependencies` is
/// flagged, direct, at its key; the near miss `@ai-sdk/deepseek-tools` in
/// `devDependencies` is not.
#[test]
fn package_json_banned_direct_dependency_at_its_line() {
    let (code, report) = scan_json(&["tests/fixtures/npm-manifest/app/package.json"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "npm-manifest");
    assert_eq!(report["inputs"][0]["state"], "read");
    assert_eq!(
        flagged(&report),
        [("@ai-sdk/deepseek".to_string(), 14, 6, "-".to_string())]
    );
}

/// package.json: a banned package only in `devDependencies` is flagged
/// with the dev scope.
#[test]
fn package_json_dev_dependency_has_its_scope() {
    let (code, report) = scan_json(&["tests/fixtures/npm-manifest/dev-only/package.json"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        flagged(&report),
        [("@ai-sdk/deepseek".to_string(), 4, 6, "dev".to_string())]
    );
}

/// package.json without dependencies is read with no items and no
/// problem; a broken one is unread evidence at its line.
#[test]
fn package_json_without_deps_is_read_and_broken_exits_2() {
    let (_, report) = scan_json(&["tests/fixtures/npm-manifest/no-deps/package.json"]);
    let input = &report["inputs"][0];
    assert_eq!(input["state"], "read", "{input:#}");
    assert_eq!(input["items"], 0, "{input:#}");
    assert!(input.get("problems").is_none(), "{input:#}");
    broken_exits_2("tests/fixtures/npm-manifest/broken/package.json", 5);
}

/// pyproject.toml (PEP 621 and PEP 735, as uv writes it): the banned
/// `langchain-deepseek` is flagged at its requirement string; the near
/// miss `langchain-deepseek-tools` in a dependency group is not.
#[test]
fn pyproject_pep621_banned_direct_dependency_at_its_line() {
    let (code, report) = scan_json(&["tests/fixtures/pyproject/uv/pyproject.toml"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "pyproject");
    assert_eq!(
        flagged(&report),
        [("langchain-deepseek".to_string(), 8, 6, "-".to_string())]
    );
}

/// pyproject.toml (Poetry): flagged at its key in the main dependencies,
/// and again, dev, in the legacy dev-dependencies.
#[test]
fn pyproject_poetry_banned_dependency_with_dev_scope() {
    let (code, report) = scan_json(&["tests/fixtures/pyproject/poetry/pyproject.toml"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        flagged(&report),
        [
            ("langchain-deepseek".to_string(), 11, 1, "-".to_string()),
            ("langchain-deepseek".to_string(), 22, 1, "dev".to_string()),
        ]
    );
}

/// A tool-only pyproject.toml is read with no items; a broken one is
/// unread evidence at its line.
#[test]
fn pyproject_tool_only_is_read_and_broken_exits_2() {
    let (_, report) = scan_json(&["tests/fixtures/pyproject/tool-only/pyproject.toml"]);
    let input = &report["inputs"][0];
    assert_eq!(input["state"], "read", "{input:#}");
    assert_eq!(input["items"], 0, "{input:#}");
    broken_exits_2("tests/fixtures/pyproject/broken/pyproject.toml", 7);
}

/// Pipfile: the banned `langchain-deepseek` in `[packages]` at its key;
/// the near miss `langchain-deepseek-tools` is not flagged.
#[test]
fn pipfile_banned_direct_dependency_at_its_line() {
    let (code, report) = scan_json(&["tests/fixtures/pipfile/app/Pipfile"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "pipfile");
    assert_eq!(
        flagged(&report),
        [("langchain-deepseek".to_string(), 7, 1, "-".to_string())]
    );
}

/// Pipfile: a banned package only in `[dev-packages]` is dev; a broken
/// Pipfile is unread evidence at its line.
#[test]
fn pipfile_dev_scope_and_broken_exits_2() {
    let (code, report) = scan_json(&["tests/fixtures/pipfile/dev-only/Pipfile"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        flagged(&report),
        [("langchain-deepseek".to_string(), 9, 1, "dev".to_string())]
    );
    broken_exits_2("tests/fixtures/pipfile/broken/Pipfile", 8);
}
