//! Issue 11: a manifest that asks for a range and pins no version is
//! flagged only when its range may reach the banned one. In each manifest
//! fixture, one rule's range leaves a declared requirement out (no
//! finding) and another's takes one in (a finding, showing the
//! requirement); a requirement of `*`, one that cannot be read and a
//! name without any stay flagged.

use crate::common::{flagged_packages, scan_with_policy};

/// A product whose package identifiers are `packages` (YAML list items,
/// indented as under `packages:`), banned by one policy.
fn policy(packages: &str) -> String {
    format!(
        r#"product: demo-requirements
name: Demo declared packages
identifiers:
  packages:
{packages}
---
policy: xx-demo-2025-requirements
title: Demo ban on some versions
authority: Demo Ministry
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Demo Act
sources: [{{title: Demo notice, publisher: Demo Gazette, url: "https://example.org/notice"}}]
binds: {{sectors: [all]}}
severity: ban
bans:
  - product: demo-requirements
"#
    )
}

/// `(name, version or requirement, line)` of each finding when `packages`
/// scan `path`; the scan exits 1 when there is one, else 0.
#[track_caller]
fn flagged(packages: &str, path: &str) -> Vec<(String, String, u64)> {
    let run = scan_with_policy(&policy(packages), &[path], "json");
    let got: Vec<_> = flagged_packages(&run.json())
        .into_iter()
        .map(|(name, version, line, _)| (name, version, line))
        .collect();
    assert_eq!(run.code, i32::from(!got.is_empty()), "{got:?}");
    got
}

#[track_caller]
fn expect(got: &[(String, String, u64)], expected: &[(&str, &str, u64)]) {
    let expected: Vec<_> = expected
        .iter()
        .map(|&(n, v, l)| (n.to_string(), v.to_string(), l))
        .collect();
    assert_eq!(got, expected);
}

/// npm ranges in package.json: `^1.0.0` cannot reach 2.x, `>=18 <20`
/// cannot reach 20, an alias's `^4.2.3` cannot reach 5; `^0.1.0`, `~5.9.2`
/// and `*` can, and an exact version is judged as a version.
#[test]
fn package_json() {
    let got = flagged(
        r#"    - {purl: pkg:npm/%40ai-sdk/deepseek, versions: ">=2.0.0"}
    - {purl: pkg:npm/react, versions: ">=20"}
    - {purl: pkg:npm/string-width, versions: ">=5"}
    - {purl: pkg:npm/left-pad, versions: ">=2"}
    - {purl: pkg:npm/%40ai-sdk/deepseek-tools, versions: "0.1.5"}
    - {purl: pkg:npm/typescript, versions: ">=5.9.3 <6"}
    - {purl: pkg:npm/anything, versions: "<1"}"#,
        "tests/fixtures/npm-manifest/app/package.json",
    );
    expect(
        &got,
        &[
            ("@ai-sdk/deepseek-tools", "^0.1.0", 25),
            ("anything", "*", 22),
            ("typescript", "~5.9.2", 26),
        ],
    );
}

/// PEP 440 specifiers in `[project]` and `[dependency-groups]`:
/// `>=0.1.3` cannot be below 0.1.3, `>=0.28,<1` cannot reach 1; `>=8.3.5`
/// and `>=0.1` may meet what is banned.
#[test]
fn pyproject_pep621() {
    let got = flagged(
        r#"    - {purl: pkg:pypi/langchain-deepseek, versions: "<0.1.3"}
    - {purl: pkg:pypi/httpx, versions: ">=1"}
    - {purl: pkg:pypi/requests, versions: ">=2.32.4"}
    - {purl: pkg:pypi/pytest, versions: ">=8.4,<9"}
    - {purl: pkg:pypi/langchain-deepseek-tools, versions: "==0.2.*"}"#,
        "tests/fixtures/pyproject/uv/pyproject.toml",
    );
    let names: Vec<_> = got
        .iter()
        .map(|(n, v, _)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        names,
        [("langchain-deepseek-tools", ">=0.1"), ("pytest", ">=8.3.5")]
    );
}

/// Poetry constraints in `[tool.poetry]` tables: `^0.1.3` cannot reach
/// 0.2 and `^8.3` cannot reach 9; `^1.2` may meet `>=1.2.1,<1.3`.
#[test]
fn pyproject_poetry() {
    let got = flagged(
        r#"    - {purl: pkg:pypi/langchain-deepseek, versions: ">=0.2"}
    - {purl: pkg:pypi/pytest, versions: ">=9"}
    - {purl: pkg:pypi/httpx, versions: "<0.28"}
    - {purl: pkg:pypi/tomli-w, versions: ">=1.2.1,<1.3"}"#,
        "tests/fixtures/pyproject/poetry/pyproject.toml",
    );
    let names: Vec<_> = got
        .iter()
        .map(|(n, v, _)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(names, [("tomli-w", "^1.2")]);
}

/// Pipfile: `>=0.28,<1` and `>=8.3` stay outside bans above and below
/// them; `*` may be any version.
#[test]
fn pipfile() {
    let got = flagged(
        r#"    - {purl: pkg:pypi/httpx, versions: ">=1"}
    - {purl: pkg:pypi/pytest, versions: "<8"}
    - {purl: pkg:pypi/langchain-deepseek, versions: ">=5"}
    - {purl: pkg:pypi/langchain-deepseek-tools, versions: "~=0.1.0"}"#,
        "tests/fixtures/pipfile/app/Pipfile",
    );
    let names: Vec<_> = got
        .iter()
        .map(|(n, v, _)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("langchain-deepseek", "*"),
            ("langchain-deepseek-tools", "*")
        ]
    );
}

/// A requirements file: `>=0.27,<0.28`, `~= 2.7` (below 3) and `==4.2.*`
/// cannot meet their bans; `(>=5)` can; `Flask`, with no requirement at
/// all, may be at any version.
#[test]
fn requirements_txt() {
    let got = flagged(
        r#"    - {purl: pkg:pypi/httpx, versions: ">=0.28"}
    - {purl: pkg:pypi/pydantic, versions: ">=3"}
    - {purl: pkg:pypi/django, versions: ">=5"}
    - {purl: pkg:pypi/zope.interface, versions: ">=6"}
    - {purl: pkg:pypi/flask, versions: ">=3"}"#,
        "tests/fixtures/requirements/pep508-forms.txt",
    );
    let names: Vec<_> = got
        .iter()
        .map(|(n, v, l)| (n.as_str(), v.as_str(), *l))
        .collect();
    assert_eq!(names, [("Flask", "-", 8), ("zope.interface", ">=5", 7)]);
}

/// Cargo.toml beside its Cargo.lock: declared dependencies take the
/// locked versions, except the dev-dependency `memchr = "2"`, which keeps
/// its requirement. A bare `2` is `^2` and cannot reach 3 but may meet
/// `>=2.7, <2.8`; memchr 2.8.3, locked for serde_json, is judged by its
/// version.
#[test]
fn cargo_toml() {
    let path = "tests/fixtures/cargo-toml/locked/Cargo.toml";
    let outside = flagged(
        r#"    - {purl: pkg:cargo/memchr, versions: ">=3"}
    - {purl: pkg:cargo/anyhow, versions: ">=2"}"#,
        path,
    );
    expect(&outside, &[]);
    let inside = flagged(
        r#"    - {purl: pkg:cargo/memchr, versions: ">=2.7, <2.8"}"#,
        path,
    );
    expect(&inside, &[("memchr", "2", 13)]);
}

/// A pom's version range (the finding at its `<artifactId>`):
/// `[2.10,2.13)` cannot reach 2.13 but may meet `[2.12.0,2.12.7]`.
#[test]
fn maven_pom_range() {
    let path = "tests/fixtures/maven-pom/standalone/pom.xml";
    let outside = flagged(
        r#"    - {purl: pkg:maven/com.fasterxml.jackson.core/jackson-databind, versions: "[2.13,)"}"#,
        path,
    );
    expect(&outside, &[]);
    let inside = flagged(
        r#"    - {purl: pkg:maven/com.fasterxml.jackson.core/jackson-databind, versions: "[2.12.0,2.12.7]"}"#,
        path,
    );
    expect(
        &inside,
        &[(
            "com.fasterxml.jackson.core:jackson-databind",
            "[2.10,2.13)",
            25,
        )],
    );
}
