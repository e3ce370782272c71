//! Hostile and huge values in evidence: what people see is escaped, and
//! what any report holds of a value is bounded.

use std::path::Path;

use crate::common::{Run, banscan_in};

const AS_OF: &str = "2025-06-01";

/// Scans `target` in `dir` with every policy in force on [`AS_OF`].
fn scan(dir: &Path, target: &str, format: &str) -> Run {
    banscan_in(
        dir,
        &[
            "scan",
            target,
            "--no-profile",
            "--as-of",
            AS_OF,
            "--format",
            format,
        ],
    )
}

#[track_caller]
fn assert_no_raw_controls(text: &str) {
    for bad in ['\u{1b}', '\u{7}', '\u{202e}', '\u{8}', '\r'] {
        assert!(!text.contains(bad), "{bad:?} reached the output:\n{text}");
    }
}

const ESC_TITLE: &str = "\u{1b}]0;pwned\u{7}";
const ESC_CLEAR: &str = "\u{1b}[2J";

/// An app inventory whose app name, device and version carry terminal
/// escapes (retitle the window, clear the screen) and a right-to-left
/// override: people see them escaped, the JSON report keeps them exactly.
#[test]
fn hostile_app_fields_are_escaped_for_people_and_kept_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("Kaspersky Internet Security{ESC_TITLE}");
    let device = format!("LAB-{ESC_CLEAR}01");
    let version = "21.3\u{202e}7";
    std::fs::write(
        dir.path().join("apps.csv"),
        format!("Device,Name,Version,Publisher\n{device},{name},{version},AO Kaspersky Lab\n"),
    )
    .unwrap();

    let human = scan(dir.path(), ".", "human");
    human.expect_code(1);
    assert_no_raw_controls(&human.all());
    human
        .expect_contains("Kaspersky Internet Security\\x1b]0;pwned\\x07")
        .expect_contains("device LAB-\\x1b[2J01")
        .expect_contains("21.3\\u{202e}7,AO Kaspersky Lab");

    let json = scan(dir.path(), ".", "json");
    json.expect_code(1);
    let report = json.json();
    let item = &report["findings"][0]["item"];
    assert_eq!(item["name"], name.as_str());
    assert_eq!(item["device"], device.as_str());
    assert_eq!(item["version"], version);
    let evidence = report["findings"][0]["evidence"]["text"].as_str().unwrap();
    assert!(evidence.contains(ESC_TITLE), "{evidence:?}");
}

/// File and folder names are evidence too: a skipped file under a folder
/// named with an escape sequence, and an empty inventory whose name holds
/// a newline (which would forge a line of output) are shown escaped.
#[test]
fn hostile_file_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join(format!("evil{ESC_TITLE}"));
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("bun.lock"), "{\n  \"lockfileVersion\": 1,\n  \"workspaces\": {\n    \"\": {\n      \"name\": \"app\",\n    },\n  },\n}\n").unwrap();
    std::fs::write(
        dir.path().join("new\nline.csv"),
        "Device,Name,Version,Publisher\n",
    )
    .unwrap();

    // Nothing was checked, which does not pass.
    let run = scan(dir.path(), ".", "human");
    run.expect_code(2);
    assert_no_raw_controls(&run.all());
    run.expect_contains("  evil\\x1b]0;pwned\\x07/bun.lock — Bun lockfile")
        .expect_contains("note: new\\nline.csv was read but holds no items");
}

/// One host in an endpoint list as a 100 KB URL (its user-info padded)
/// whose host ends in `.chat.deepseek.com`: each finding shows a window
/// around the matched domain with the cut bytes counted, and the URL is
/// capped, so the report stays small; a reader still sees the host whole.
#[test]
fn a_huge_url_is_cut_around_the_matched_domain() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("https://{}@x.chat.deepseek.com", "a".repeat(99_970));
    std::fs::write(dir.path().join("egress.list"), format!("# egress\n{url}\n")).unwrap();

    let run = scan(dir.path(), "egress.list", "json");
    run.expect_code(1);
    let mut report = run.json();
    let findings = report["findings"].as_array().unwrap().clone();
    assert!(!findings.is_empty());
    for f in &findings {
        let size = f.to_string().len();
        assert!(size < 4096, "a finding of {size} bytes: {f:#}");
        assert_eq!(f["item"]["host"], "x.chat.deepseek.com");
        let shown = f["item"]["url"].as_str().unwrap();
        assert!(shown.starts_with("https://aaa") && shown.ends_with(" bytes]"));

        let ev = &f["evidence"];
        let text = ev["text"].as_str().unwrap();
        assert!(
            text.starts_with("[… 99") && text.contains(" bytes]a"),
            "{text}"
        );
        assert!(text.ends_with("@x.chat.deepseek.com"), "{text}");
        let (col, len) = (ev["column"].as_u64().unwrap(), ev["len"].as_u64().unwrap());
        let matched = &text[col as usize - 1..(col + len) as usize - 1];
        let identifier = f["identifier"].as_str().unwrap();
        assert_eq!(matched, identifier.trim_start_matches("*."), "{f:#}");
    }
    report.as_object_mut().unwrap().remove("policies");
    let rest = report.to_string().len();
    assert!(
        rest < 4096 * findings.len(),
        "{rest} bytes without the policies"
    );

    let human = scan(dir.path(), "egress.list", "human");
    human.expect_code(1);
    assert!(
        human.stdout.len() < 3000 * findings.len(),
        "{}",
        human.stdout
    );
    human.expect_lacks(&"a".repeat(300));
}

/// The same 100 KB token as a bare host name is refused (a name is at most
/// 253 characters); the problem quotes it cut, not whole.
#[test]
fn a_huge_refused_host_is_quoted_cut() {
    let dir = tempfile::tempdir().unwrap();
    let host = format!("{}.chat.deepseek.com", "a".repeat(99_982));
    std::fs::write(dir.path().join("egress.list"), format!("{host}\n")).unwrap();

    let run = scan(dir.path(), "egress.list", "json");
    run.expect_code(2);
    // The report lists every policy whatever the input; the token must
    // add little to that.
    std::fs::write(dir.path().join("short.list"), "x!.chat.deepseek.com\n").unwrap();
    let baseline = scan(dir.path(), "short.list", "json").stdout.len();
    let added = run.stdout.len().saturating_sub(baseline);
    assert!(added < 8 * 1024, "the token adds {added} bytes");
    let report = run.json();
    let problem = &report["inputs"][0]["problems"][0];
    let message = problem["message"].as_str().unwrap();
    // Refused, so passed over; the literal search finds the banned domain
    // in it, so the file is unread evidence.
    assert!(
        message.contains(".chat.deepseek.com` is longer than 253 characters"),
        "{message}"
    );
    assert!(message.contains("so a finding may be lost"), "{message}");
    assert!(message.contains(" bytes]"), "{message}");

    let human = scan(dir.path(), "egress.list", "human");
    human.expect_code(2);
    human.expect_lacks(&"a".repeat(300));
}

/// Hosts files separate columns with tabs. Each tab is shown as one space,
/// so the underline sits under the matched host, not to the right of it.
#[test]
fn tabs_before_the_match_keep_the_underline_under_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("hosts"),
        "203.0.113.9\t\tchat.deepseek.com\tds\t# pinned\n",
    )
    .unwrap();
    let run = scan(dir.path(), ".", "human");
    run.expect_code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let source = lines
        .iter()
        .position(|l| l.starts_with(" 1 │ "))
        .expect("the evidence line is shown");
    assert_eq!(
        lines[source],
        " 1 │ 203.0.113.9  chat.deepseek.com ds # pinned"
    );
    let column = |l: &str, c: &str| l.rfind(c).map(|b| l[..b].chars().count());
    let (_, domain) = lines[source + 2].split_once("matches ").unwrap();
    let host = column(lines[source], domain).unwrap();
    let underline = column(lines[source + 1], "·").unwrap()
        + 1
        + lines[source + 1]
            .chars()
            .skip_while(|&c| c != '·')
            .skip(1)
            .take_while(|&c| c == ' ')
            .count();
    assert_eq!(
        underline,
        host,
        "\n{}\n{}",
        lines[source],
        lines[source + 1]
    );
}

/// Two apps whose names differ only past the cut are two findings: the
/// names are cut for the report, but folding and fingerprints use them
/// whole.
#[test]
fn capped_names_do_not_merge_distinct_apps() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!("Kaspersky {}", "x".repeat(300));
    std::fs::write(
        dir.path().join("apps.csv"),
        format!("Device,Name,Version,Publisher\nPC-1,{long}A,1,AO Kaspersky Lab\nPC-1,{long}B,1,AO Kaspersky Lab\n"),
    )
    .unwrap();
    let run = scan(dir.path(), ".", "json");
    run.expect_code(1);
    let report = run.json();
    let policy = report["findings"][0]["policy"].as_str().unwrap();
    let ours: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["policy"] == policy)
        .collect();
    assert_eq!(ours.len(), 2, "{ours:#?}");
    assert_ne!(ours[0]["fingerprint"], ours[1]["fingerprint"]);
    let shown = ours[0]["item"]["name"].as_str().unwrap();
    assert_eq!(shown, ours[1]["item"]["name"].as_str().unwrap());
    assert!(shown.ends_with("x[… 55 bytes]"), "{shown}");
}
