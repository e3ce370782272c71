//! Every way a policy file can be wrong is an exit 2 with a diagnostic that
//! names the file, the line and what to do.

use crate::common::banscan;

/// Lints one fixture of `tests/fixtures/bad-policies/`.
#[track_caller]
fn rejects(fixture: &str, code: &str, line: u32) {
    crate::common::lint_rejects("bad-policies", fixture, code, line);
}

#[test]
fn yaml_syntax_error() {
    rejects("yaml-syntax", "yaml_syntax", 15);
}

/// A misspelt key is reported with the key it probably meant.
#[test]
fn unknown_key_suggests_the_right_one() {
    rejects("unknown-key", "unknown_key", 28);
    banscan(&[
        "policy",
        "lint",
        "--no-builtin",
        "tests/fixtures/bad-policies/unknown-key.yaml",
    ])
    .expect_contains("did you mean `effective`?");
}

#[test]
fn wrong_type() {
    rejects("wrong-type", "wrong_type", 26);
}

#[test]
fn impossible_date() {
    rejects("impossible-date", "bad_date", 17);
}

#[test]
fn effective_before_issued() {
    rejects("effective-before-issued", "date_order", 18);
}

#[test]
fn expires_before_effective() {
    rejects("expires-before-effective", "date_order", 19);
}

#[test]
fn unknown_severity() {
    rejects("unknown-severity", "bad_severity", 27);
}

#[test]
fn unknown_sector() {
    rejects("unknown-sector", "bad_sector", 26);
}

#[test]
fn malformed_purl() {
    rejects("bad-purl", "bad_purl", 6);
}

#[test]
fn malformed_glob() {
    rejects("bad-glob", "bad_glob", 9);
}

#[test]
fn malformed_version_range() {
    rejects("bad-version-range", "bad_version_range", 7);
}

/// A CIDR with host bits set is a typo more often than an intent.
#[test]
fn malformed_cidr() {
    rejects("bad-cidr", "bad_endpoint", 12);
}

#[test]
fn malformed_sha256() {
    rejects("bad-sha256", "bad_sha256", 13);
}

/// A duplicate id in one file labels both places.
#[test]
fn duplicate_product_labels_both_places() {
    rejects("duplicate-product", "duplicate_id", 13);
    banscan(&[
        "policy",
        "lint",
        "--no-builtin",
        "tests/fixtures/bad-policies/duplicate-product.yaml",
    ])
    .expect_contains("first defined here")
    .expect_contains("defined again here");
}

#[test]
fn duplicate_policy() {
    rejects("duplicate-policy", "duplicate_id", 36);
}

#[test]
fn policy_banning_an_unknown_product() {
    rejects("unknown-product", "unknown_product", 29);
}

#[test]
fn policy_without_sources() {
    rejects("no-sources", "no_sources", 13);
}

/// An alias bomb and absurd nesting are refused by the reader's budgets
/// (`yaml_limit`, at the offending line), not expanded.
#[test]
fn alias_bomb_and_deep_nesting_are_refused_by_the_budgets() {
    rejects("alias-bomb", "yaml_limit", 7);
    rejects("deep-nesting", "yaml_limit", 2);
}

/// All problems of all files are reported in one run, not just the first.
#[test]
fn every_problem_in_every_file_is_collected() {
    let run = banscan(&[
        "policy",
        "lint",
        "--no-builtin",
        "tests/fixtures/bad-policies/impossible-date.yaml",
        "tests/fixtures/bad-policies/unknown-sector.yaml",
        "tests/fixtures/bad-policies/bad-glob.yaml",
    ]);
    run.expect_code(2)
        .expect_contains("bad_date")
        .expect_contains("bad_sector")
        .expect_contains("bad_glob");
}

/// A duplicate id across two files labels both places, each in its file.
#[test]
fn duplicate_across_files_labels_both_places() {
    banscan(&[
        "policy",
        "lint",
        "--no-builtin",
        "tests/fixtures/duplicate-across-files",
    ])
    .expect_code(2)
    .expect_contains("[tests/fixtures/duplicate-across-files/b.yaml:2:10]")
    .expect_contains("defined again here")
    .expect_contains("[tests/fixtures/duplicate-across-files/a.yaml:2:10]")
    .expect_contains("first defined here");
}
