//! `--format markdown`: a report for pull-request comments and GitHub
//! step summaries (issue 14).

use crate::common::{Run, banscan};

const PROFILE: &str = "tests/fixtures/reports/hostile/banscan.yaml";
const HOSTILE: &str = "tests/fixtures/reports/hostile/macos-apps.csv";

/// Scans `paths` with the demo-chat profile as of 2026-01-01.
fn scan_demo(paths: &[&str]) -> Run {
    let mut args = vec!["scan", "--profile", PROFILE, "--as-of", "2026-01-01"];
    args.extend_from_slice(&["--format", "markdown"]);
    args.extend_from_slice(paths);
    banscan(&args)
}

/// `line` without its code spans (a fence of backticks to the same
/// fence), which show their content literally.
fn outside_code(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find('`') {
        out.push_str(&rest[..at]);
        let fence_len = rest[at..].chars().take_while(|c| *c == '`').count();
        let fence = &rest[at..at + fence_len];
        let after = &rest[at + fence_len..];
        let close = after.find(fence).expect("a closed code span");
        rest = &after[close + fence_len..];
    }
    out.push_str(rest);
    out
}

/// The `|` of `row` that separate cells: not escaped by a backslash.
fn cell_bars(row: &str) -> usize {
    let bytes = row.as_bytes();
    (0..bytes.len())
        .filter(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\'))
        .count()
}

/// The report has its title with the verdict, the summary table, a
/// section per policy with its citation, then unread evidence and (for
/// an early as-of date) upcoming policies.
#[test]
fn markdown_has_its_sections() {
    let run = scan_demo(&[HOSTILE, "tests/fixtures/coverage/bun.lock"]);
    run.expect_code(2);
    let md = &run.stdout;
    assert!(md.starts_with("## ❌ banscan: 1 finding to fix\n"), "{md}");
    assert!(md.contains("| Policy | Authority | Severity | Findings | Waived |"));
    assert!(md.contains("| `xx-demo-2025-chat` | Demo Ministry | ban | 1 | 1 |"));
    assert!(md.contains("### `xx-demo-2025-chat`: Demo ban on Demo Chat"));
    assert!(md.contains("**Source:** [Demo announcement](<https://news.example/demo>)"));
    assert!(md.contains("**Remediation:** Uninstall Demo Chat\\."));
    assert!(
        md.contains("### Unread evidence\n\n- `tests/fixtures/coverage/bun.lock` (`bun-lock`)")
    );

    let early = banscan(&[
        "scan",
        "examples",
        "--no-profile",
        "--as-of",
        "2025-06-01",
        "--format",
        "markdown",
    ]);
    assert!(
        early.stdout.contains("### Upcoming policies\n\n- `"),
        "{}",
        early.stdout
    );
    assert!(
        early
            .stdout
            .contains("`tw-moda-2025-deepseek-statute`: Public\\-agency ban")
    );
}

/// A hostile app name (`<script>`, `|`, `](http://x)`, emphasis,
/// backticks) stays inside its code span: no HTML, link or emphasis
/// outside one, and its row keeps five cells.
#[test]
fn markdown_escapes_hostile_values() {
    let run = scan_demo(&[HOSTILE]);
    let row = run
        .stdout
        .lines()
        .find(|l| l.contains("alert(1)"))
        .expect("the hostile app's row");
    assert_eq!(cell_bars(row), 6, "{row}");
    let outside = outside_code(row);
    for bad in ["<", "](", "*b*", "_i_", "[l]"] {
        assert!(!outside.contains(bad), "{bad:?} outside code in {row}");
    }
    assert!(
        row.contains("``app \"<script>alert(1)</script> \\| ](http://x) *b* _i_ `c` [l]\" "),
        "{row}"
    );
    // The waiver's reason is prose: its markup characters are escaped.
    assert!(run.stdout.contains("waived: Lab test &lt;of&gt; \"the\" app &amp; its updates (approved by Demo CISO, expires 2027\\-06\\-30)"));
}

/// A waived finding is shown as waived, and a report whose findings are
/// all waived passes.
#[test]
fn markdown_shows_waived_findings_as_waived() {
    let run = scan_demo(&["tests/fixtures/reports/waived-only.csv"]);
    run.expect_code(0);
    let md = &run.stdout;
    assert!(
        md.starts_with("## ✅ banscan: no findings to fix\n"),
        "{md}"
    );
    let row = md.lines().find(|l| l.contains("LAB-02")).unwrap();
    assert!(row.ends_with("| waived: Lab test &lt;of&gt; \"the\" app &amp; its updates (approved by Demo CISO, expires 2027\\-06\\-30) |"), "{row}");
    assert!(!md.contains("**fails**"));
}

/// Past 50 findings the list stops with a count of the rest, and the
/// whole stays under GitHub's 65,536-character comment limit.
#[test]
fn markdown_truncates_with_a_count() {
    let run = scan_demo(&["tests/fixtures/reports/many/macos-apps.csv"]);
    run.expect_code(1);
    let md = &run.stdout;
    let rows = md.lines().filter(|l| l.starts_with("| `tests/")).count();
    assert_eq!(rows, 50);
    assert!(
        md.contains(
            "\n… and 10 more findings (not listed here: the JSON or HTML report has them all).\n"
        ),
        "{md}"
    );
    assert!(md.chars().count() < 65_536);
}

/// The whole report of a small scan.
#[test]
fn markdown_snapshot() {
    let run = scan_demo(&[HOSTILE, "tests/fixtures/coverage/bun.lock"]);
    insta::assert_snapshot!(run.stdout);
}
