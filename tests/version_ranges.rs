//! Version ranges in each ecosystem's syntax, applied to what the real
//! readers read: a range takes in one version of a package and leaves out
//! another, and a bad range is refused at its line.

use crate::common::{banscan, flagged_packages, scan_with_policy};

/// A product whose package identifiers are `packages` (YAML list items,
/// indented as under `packages:`), banned by one policy.
fn policy(packages: &str) -> String {
    format!(
        r#"product: demo-ranges
name: Demo ranged packages
identifiers:
  packages:
{packages}
---
policy: xx-demo-2025-ranges
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
  - product: demo-ranges
"#
    )
}

/// The names of the packages flagged when `packages` scan `path`.
#[track_caller]
fn flagged(packages: &str, path: &str) -> Vec<(String, String)> {
    let run = scan_with_policy(&policy(packages), &[path], "json");
    let mut names: Vec<_> = flagged_packages(&run.json())
        .into_iter()
        .map(|(name, version, _, _)| (name, version))
        .collect();
    names.dedup();
    names
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

/// Go comparators: a release inside, a pseudo-version below its base
/// outside, `+incompatible` equal to its release.
#[test]
fn go_mod_ranges() {
    let got = flagged(
        r#"    - {purl: pkg:golang/github.com/cohesion-org/deepseek-go, versions: ">=v1.2.0, <v1.3.0"}
    - {purl: pkg:golang/github.com/go-deepseek/deepseek, versions: ">=v0.0.0"}
    - {purl: pkg:golang/github.com/docker/docker, versions: "v24.0.7"}
    - {purl: pkg:golang/github.com/google/uuid, versions: "<v1.6.0 || >v1.6.0"}"#,
        "tests/fixtures/go-mod/app/go.mod",
    );
    assert_eq!(
        got,
        pairs(&[
            ("github.com/cohesion-org/deepseek-go", "v1.2.8"),
            ("github.com/docker/docker", "v24.0.7+incompatible"),
        ])
    );
}

/// RubyGems requirements, `~>` included, on Gemfile.lock specs.
#[test]
fn gemfile_lock_ranges() {
    let got = flagged(
        r#"    - {purl: pkg:gem/deepseek-client, versions: "~> 0.2"}
    - {purl: pkg:gem/deepseek-rails, versions: ">= 0.3.1"}
    - {purl: pkg:gem/faraday, versions: ">= 2.0, < 2.12.2"}
    - {purl: pkg:gem/nokogiri, versions: "~> 1.18.0"}"#,
        "tests/fixtures/gemfile-lock/app/Gemfile.lock",
    );
    let names: Vec<_> = got.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["deepseek-client", "nokogiri"]);
}

/// Composer constraints on composer.lock versions, `v` prefix included.
#[test]
fn composer_lock_ranges() {
    let got = flagged(
        r#"    - {purl: pkg:composer/deepseek-php/deepseek-php-client, versions: "^2.0"}
    - {purl: pkg:composer/deepseek-php/deepseek-laravel, versions: ">=1.0 <1.3"}
    - {purl: pkg:composer/psr/http-client, versions: "~1.0.0 || ^2"}"#,
        "tests/fixtures/composer-lock/app/composer.lock",
    );
    assert_eq!(
        got,
        pairs(&[
            ("deepseek-php/deepseek-php-client", "2.0.4"),
            ("psr/http-client", "1.0.3"),
        ])
    );
}

/// NuGet intervals on packages.lock.json, four-part versions included.
#[test]
fn nuget_lock_ranges() {
    let got = flagged(
        r#"    - {purl: pkg:nuget/DeepSeek.Client, versions: "[1.0,2.0)"}
    - {purl: pkg:nuget/DeepSeek.Client.Extensions, versions: "(,0.4.1)"}
    - {purl: pkg:nuget/System.Text.Json, versions: "[8.0.5.0]"}"#,
        "tests/fixtures/nuget-lock/app/packages.lock.json",
    );
    let names: Vec<_> = got.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["DeepSeek.Client", "System.Text.Json"]);
}

/// Maven intervals on CycloneDX components: `1.0-SNAPSHOT` and
/// `2.1.0-alpha` sort below their releases.
#[test]
fn maven_sbom_ranges() {
    let got = flagged(
        r#"    - {purl: pkg:maven/org.acme/deepseek-bridge, versions: "[1.0,2.0)"}
    - {purl: pkg:maven/org.acme/deepseek-core, versions: "[1.0,2.0)"}
    - {purl: pkg:maven/org.acme/deepseek-client, versions: "(,2.1.0)"}
    - {purl: pkg:maven/org.apache.commons/commons-lang3, versions: "(,3.12],[3.14,)"}"#,
        "tests/fixtures/version-ranges/maven/bom.json",
    );
    let names: Vec<_> = got.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["org.acme:deepseek-client", "org.acme:deepseek-core"]
    );
    let nested = flagged(
        r#"    - {purl: pkg:maven/org.apache.commons/commons-lang3, versions: "(,3.12],[3.14,)"}"#,
        "tests/fixtures/cyclonedx/nested/bom.json",
    );
    assert_eq!(nested.len(), 1, "{nested:?}");
    let outside = flagged(
        r#"    - {purl: pkg:maven/org.apache.commons/commons-lang3, versions: "[3.12,3.14)"}"#,
        "tests/fixtures/cyclonedx/nested/bom.json",
    );
    assert!(outside.is_empty(), "{outside:?}");
}

/// A range in the wrong syntax is the policy's `bad_version_range` at the
/// range's line, and the help shows a range in the right one.
#[test]
fn bad_range_is_refused_at_its_line() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("policy.yaml");
    let text = policy(
        r#"    - purl: pkg:nuget/DeepSeek.Client
      versions: "[1.0,2.0"
    - purl: pkg:gem/faraday
      versions: ">= 2.0 < 3""#,
    );
    std::fs::write(&file, text).expect("the policy is written");
    let file = file.to_str().expect("a UTF-8 path");
    banscan(&["policy", "lint", "--no-builtin", file])
        .expect_code(2)
        .expect_contains("banscan::policy::bad_version_range")
        .expect_contains(&format!("{file}:6:"))
        .expect_contains(&format!("{file}:8:"))
        .expect_contains("not a NuGet version range")
        .expect_contains("write a NuGet version range such as `[1.0.0,2.0.0)`")
        .expect_contains("not a RubyGems requirement");
}
