//! Pipfile.lock, composer.lock, Gemfile.lock and NuGet packages.lock.json
//! (issue 11): the fixtures under `tests/fixtures/{pipfile,composer,
//! gemfile,nuget}-lock/` (see their READMEs) scanned by the real binary,
//! with a small test policy per ecosystem. Version ranges are read for
//! PyPI only (banscan has no range syntax for gems, Composer or NuGet
//! yet), so the range test is Pipfile.lock's.

use serde_json::Value;

use crate::common::{banscan, flagged_packages};

const AS_OF: &str = "2025-06-01";

/// A test policy banning `packages` (YAML list items).
fn policy(id: &str, packages: &str) -> String {
    format!(
        r#"
policy: xx-demo-{id}
title: Demo ban on {id} packages
authority: Demo Authority
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Demo Act
sources: [{{title: Demo notice, publisher: Demo Gazette, url: "https://example.org/notice"}}]
binds: {{sectors: [all]}}
severity: ban
bans:
  - identifiers:
      packages:
{packages}
"#
    )
}

/// Scans `file` with the test policy `yaml` only.
fn scan_with(file: &str, yaml: &str) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.yaml");
    std::fs::write(&path, yaml).unwrap();
    let run = banscan(&[
        "scan",
        "--no-profile",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        file,
        "--no-builtin",
        "--policies",
        path.to_str().unwrap(),
    ]);
    (run.code, run.json())
}

fn flagged(report: &Value) -> Vec<(String, String, u64, u64)> {
    flagged_packages(report)
}

fn finding<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["item"]["name"] == name)
        .unwrap_or_else(|| panic!("no finding for {name}: {report:#}"))
}

/// A truncated file is unread evidence: exit 2, at the line it stops.
fn truncated_exits_2(file: &str, line: u64) {
    let run = banscan(&[
        "scan",
        "--no-profile",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        file,
    ]);
    let report = run.json();
    assert_eq!(run.code, 2, "{report:#}");
    let input = &report["inputs"][0];
    assert_eq!(input["state"], "unread", "{input:#}");
    assert_eq!(input["problems"][0]["line"], line, "{input:#}");
    let message = input["problems"][0]["message"].as_str().unwrap();
    assert!(message.contains("truncated"), "{message}");
}

const PIPFILE_LOCK: &str = "tests/fixtures/pipfile-lock/pipenv/Pipfile.lock";

/// The built-in library flags `langchain-deepseek` in a pipenv lock, at
/// its key; `langchain-openai` and `langchain-core` beside it are near
/// misses, not findings.
#[test]
fn pipfile_lock_banned_package_at_its_line() {
    let run = banscan(&[
        "scan",
        "--no-profile",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        PIPFILE_LOCK,
    ]);
    let report = run.json();
    assert_eq!(run.code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "pipfile-lock");
    assert_eq!(report["inputs"][0]["state"], "read");
    assert_eq!(
        flagged(&report),
        [("langchain-deepseek".into(), "0.1.3".into(), 409, 10)]
    );
    let item = &finding(&report, "langchain-deepseek")["item"];
    assert_eq!(item["ecosystem"], "pypi");
}

/// A range is applied to the locked version: `openai` 2.54.0 is inside
/// `>=2`, `six` 1.17.0 (the `docs` category, scope dev) is outside `<1.17`
/// and not flagged; `iniconfig` is banned in the dev category.
#[test]
fn pipfile_lock_version_ranges() {
    let yaml = policy(
        "pypi",
        "        - purl: pkg:pypi/openai\n          versions: \">=2\"\n        - purl: pkg:pypi/six\n          versions: \"<1.17\"\n        - purl: pkg:pypi/iniconfig\n",
    );
    let (code, report) = scan_with(PIPFILE_LOCK, &yaml);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        flagged(&report),
        [
            ("iniconfig".into(), "2.3.1".into(), 1568, 10),
            ("openai".into(), "2.54.0".into(), 434, 10),
        ]
    );
    assert_eq!(finding(&report, "iniconfig")["item"]["scope"], "dev");
}

#[test]
fn pipfile_lock_truncated_exits_2() {
    truncated_exits_2("tests/fixtures/pipfile-lock/truncated/Pipfile.lock", 54);
}

const COMPOSER_LOCK: &str = "tests/fixtures/composer-lock/app/composer.lock";

/// A banned Composer package at its `"name"` value; its near miss
/// `deepseek-php/deepseek-laravel` is not flagged; names compare
/// case-insensitively (`PHPUnit/PHPUnit` against `phpunit/phpunit`), and
/// the dev package says so.
#[test]
fn composer_lock_banned_package_at_its_line() {
    let yaml = policy(
        "composer",
        "        - purl: pkg:composer/deepseek-php/deepseek-php-client\n        - purl: pkg:composer/phpunit/phpunit\n",
    );
    let (code, report) = scan_with(COMPOSER_LOCK, &yaml);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "composer-lock");
    assert_eq!(
        flagged(&report),
        [
            ("PHPUnit/PHPUnit".into(), "11.5.3".into(), 72, 22),
            (
                "deepseek-php/deepseek-php-client".into(),
                "2.0.4".into(),
                10,
                22
            ),
        ]
    );
    assert_eq!(finding(&report, "PHPUnit/PHPUnit")["item"]["scope"], "dev");
}

#[test]
fn composer_lock_truncated_exits_2() {
    truncated_exits_2("tests/fixtures/composer-lock/truncated/composer.lock", 30);
}

const GEMFILE_LOCK: &str = "tests/fixtures/gemfile-lock/app/Gemfile.lock";

/// A banned gem from a GIT source, direct, at its spec line; a banned
/// transitive gem with the chain that brings it in; `faraday-net_http`,
/// a near miss of the banned `faraday`, is not flagged.
#[test]
fn gemfile_lock_direct_and_transitive() {
    let yaml = policy(
        "gem",
        "        - purl: pkg:gem/deepseek-rails\n        - purl: pkg:gem/net-http\n        - purl: pkg:gem/faraday\n",
    );
    let (code, report) = scan_with(GEMFILE_LOCK, &yaml);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "gemfile-lock");
    assert_eq!(
        flagged(&report),
        [
            ("deepseek-rails".into(), "0.3.0".into(), 6, 5),
            ("faraday".into(), "2.12.2".into(), 20, 5),
            ("net-http".into(), "0.6.0".into(), 28, 5),
        ]
    );
    let direct = &finding(&report, "deepseek-rails")["item"];
    assert_eq!(direct["direct"], true);
    assert_eq!(
        direct["path"],
        serde_json::json!(["Gemfile", "deepseek-rails"])
    );
    let transitive = &finding(&report, "net-http")["item"];
    assert_eq!(transitive["direct"], false);
    assert_eq!(
        transitive["path"],
        serde_json::json!([
            "Gemfile",
            "chat_app",
            "faraday",
            "faraday-net_http",
            "net-http"
        ])
    );
}

#[test]
fn gemfile_lock_truncated_exits_2() {
    truncated_exits_2("tests/fixtures/gemfile-lock/truncated/Gemfile.lock", 30);
}

const NUGET_LOCK: &str = "tests/fixtures/nuget-lock/app/packages.lock.json";

/// A banned NuGet package, named in another case, at its key under each
/// framework (one finding seen twice), direct; `DeepSeek.Client.Extensions` is a near miss; the
/// transitive `System.Text.Json` says it is not direct.
#[test]
fn nuget_lock_banned_package_at_its_lines() {
    let yaml = policy(
        "nuget",
        "        - purl: pkg:nuget/deepseek.client\n        - purl: pkg:nuget/System.Text.Json\n",
    );
    let (code, report) = scan_with(NUGET_LOCK, &yaml);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["inputs"][0]["format"], "nuget-lock");
    assert_eq!(
        flagged(&report),
        [
            ("DeepSeek.Client".into(), "1.2.0".into(), 5, 8),
            ("System.Text.Json".into(), "8.0.5".into(), 23, 8),
        ]
    );
    // Found under both frameworks: one finding, seen twice, last at net6.0's key.
    let both = finding(&report, "DeepSeek.Client");
    assert_eq!(both["count"], 2, "{both:#}");
    assert_eq!(both["last_location"]["line"], 36, "{both:#}");
    assert_eq!(both["item"]["direct"], true);
    assert_eq!(
        finding(&report, "System.Text.Json")["item"]["direct"],
        false
    );
}

#[test]
fn nuget_lock_truncated_exits_2() {
    truncated_exits_2("tests/fixtures/nuget-lock/truncated/packages.lock.json", 23);
}
