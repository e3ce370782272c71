//! Golden tests: each fixture under `tests/fixtures/composer-lock/` (see its
//! README for how it was made) read into one line per item or problem.

use super::*;
use crate::input::testing::{read, read_fixture, render_packages};

fn fixture(name: &str) -> Vec<String> {
    render_packages(&read_fixture(
        &SPEC,
        &format!("composer-lock/{name}/composer.lock"),
        "composer.lock",
    ))
}

#[allow(dead_code)]
fn bytes(text: &str) -> Vec<String> {
    render_packages(&read(
        &SPEC,
        &Source::bytes("composer.lock", text.as_bytes().to_vec()),
    ))
}

/// Hand-written in Composer 2's shape: `packages` without scope and
/// `packages-dev` as dev, each at its `"name"` value, versions as
/// written (`v1.3.0`); a package without a version is passed over.
#[test]
fn app() {
    assert_eq!(
        fixture("app"),
        [
            "10:22 deepseek-php/deepseek-php-client@2.0.4 [deepseek-php/deepseek-php-client] direct=? scope=- path=",
            "36:22 deepseek-php/deepseek-laravel@v1.3.0 [deepseek-php/deepseek-laravel] direct=? scope=- path=",
            "53:22 psr/http-client@1.0.3 [psr/http-client] direct=? scope=- path=",
            "72:22 PHPUnit/PHPUnit@11.5.3 [PHPUnit/PHPUnit] direct=? scope=dev path=",
            "86:22 Skipped: the package `acme/no-version` has no version",
        ]
    );
}

/// Composer names are looked up lower-case (the purl rule).
#[test]
fn keys_are_lower_case() {
    let got = read_fixture(&SPEC, "composer-lock/app/composer.lock", "composer.lock");
    let keys: Vec<String> = got
        .items
        .iter()
        .map(|g| match &g.item {
            crate::input::item::ItemKind::Package(p) => p.key.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(keys[3], "phpunit/phpunit");
}

/// An empty file lists nothing, and says so as a warning.
#[test]
fn empty() {
    assert_eq!(
        fixture("empty"),
        ["- Warning: the lockfile is empty: it lists no packages"]
    );
}

/// A file cut short is one problem at its last line: unread evidence.
#[test]
fn truncated() {
    assert_eq!(
        fixture("truncated"),
        [
            "30:4 Unread: the lockfile ends in the middle of its JSON (truncated?): EOF while parsing a list at line 30 column 4; it was not read",
        ]
    );
}

/// Minified: the name value is found after its key; a package without a
/// name is passed over at its first key; `packages-dev: null` is nothing.
#[test]
fn minified() {
    assert_eq!(
        bytes(
            r#"{"_readme":[],"content-hash":"x","packages":[{"version":"1","name":"a/b"},{"version":"2"}],"packages-dev":null}"#
        ),
        [
            "1:69 a/b@1 [a/b] direct=? scope=- path=",
            "1:77 Skipped: a package without a `name`",
        ]
    );
}
