//! Inputs the fuzz targets found to break a reader (`fuzz/`,
//! RELIABILITY.md "Fuzzing"), each run through the binary: it must end
//! quickly, without a panic, and say what it could not read.

use std::time::{Duration, Instant};

use crate::common::{Run, banscan};

const DIR: &str = "tests/fixtures/fuzz-regressions";

/// Runs a scan and checks it ended in time and without a panic.
#[track_caller]
fn scan_in_time(args: &[&str]) -> Run {
    let started = Instant::now();
    let run = banscan(args);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the scan took {:?}",
        started.elapsed()
    );
    run.expect_lacks("panicked").expect_lacks("internal error");
    run
}

/// A yarn.lock with a vertical tab among control bytes once made the
/// tokenizer push empty words until memory ran out; now the file is a
/// diagnostic at its line, and unread evidence (exit 2).
#[test]
fn yarn_lock_with_a_vertical_tab() {
    let path = format!("{DIR}/yarn.lock");
    scan_in_time(&["scan", "--no-profile", &path])
        .expect_code(2)
        .expect_contains(&format!("[{path}:1:"))
        .expect_contains("1 file of unread evidence");
}

/// A CRLF app table whose quoted cell runs on to the next line once gave
/// an item a span past its line; its ragged rows are skipped and counted,
/// the one that may hold a banned app's id named.
#[test]
fn app_table_with_a_cell_over_two_crlf_lines() {
    let path = format!("{DIR}/apps-crlf-multiline.csv");
    let run = scan_in_time(&[
        "scan",
        "--no-profile",
        "--input-format",
        "app-csv",
        "--format",
        "json",
        &path,
    ]);
    run.expect_code(2);
    let report = run.json();
    let input = &report["inputs"][0];
    assert_eq!(input["path"], path.as_str());
    assert_eq!(input["state"], "unread");
    assert_eq!(input["items"], 2);
    assert_eq!(input["skipped"]["count"], 2);
    assert_eq!(input["problems"][0]["line"], 6);
}

/// A go.mod with a two-byte character inside a word once made the
/// tokenizer slice the line inside it (a panic); now its lines that fit no
/// shape are passed over and counted, and with nothing left to check the
/// scan fails (exit 2).
#[test]
fn go_mod_with_a_multibyte_character_in_a_word() {
    let path = format!("{DIR}/go.mod");
    scan_in_time(&["scan", "--no-profile", "--input-format", "go-mod", &path])
        .expect_code(2)
        .expect_contains(&format!("{path}: 8 records passed over"))
        .expect_contains("nothing was checked");
}

/// A Defender export whose lines are braces around corrupt JSON, one with
/// DeepSeek's name in a path: the prefilter once counted such lines as
/// items unread, so the scan passed where a full parse fails. Now every
/// line the prefilter passes over is checked for JSON syntax: the corrupt
/// lines are skipped and counted, and the one holding an identifier makes
/// the file unread evidence (exit 2).
#[test]
fn defender_lines_of_corrupt_json_are_not_passed_over() {
    let path = format!("{DIR}/defender-software.json");
    scan_in_time(&[
        "scan",
        "--no-profile",
        "--input-format",
        "defender-software",
        &path,
    ])
    .expect_code(2)
    .expect_contains("this line is not valid JSON; it was not read")
    .expect_contains("so a finding may be lost")
    .expect_contains("1 file of unread evidence");
}
