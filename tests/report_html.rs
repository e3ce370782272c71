//! `--format html`: the self-contained compliance report for auditors.
//! It must hold what an auditor asks for, escape every value taken from
//! evidence, load nothing, and open in a real browser (headless Chromium)
//! with no request and no console message.
//!
//! The browser tests need Chromium (`apt-get install chromium`; `.ci/run`
//! installs it). Without it they fail, unless `BANSCAN_SKIP_BROWSER=1` is
//! set; `BANSCAN_CHROMIUM` names another binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Run, banscan};

/// Runs `scan ARGS --format html -o OUT` (and a JSON report beside it)
/// in a temporary folder: the run, the HTML and the JSON report.
fn scan_html(args: &[&str]) -> (Run, String, serde_json::Value, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let html = dir.path().join("report.html");
    let json = dir.path().join("report.json");
    let mut all = vec!["scan"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "html", "-o", html.to_str().unwrap()]);
    all.extend_from_slice(&["--format", "json", "-o", json.to_str().unwrap()]);
    let run = banscan(&all);
    let html = std::fs::read_to_string(&html)
        .unwrap_or_else(|e| panic!("no HTML report ({e})\n{}", run.all()));
    let json = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    (run, html, json, dir)
}

/// Text as the template's auto-escaping writes it.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2f;")
}

/// The part of the page from the section `id` to the next section.
fn section<'h>(html: &'h str, id: &str) -> &'h str {
    let start = html
        .find(&format!("<section id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id}"));
    let rest = &html[start..];
    &rest[..rest.find("</section>").expect("the section ends")]
}

/// Every `src=`, `href=`, `srcset=` in a tag, and `url(` or `@import`
/// in the style sheet, whose target is not inside the page: what would
/// make a browser load something. Text between tags is escaped, so it
/// holds no `<` and is not looked at.
fn external_loads(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut places: Vec<(&str, &[&str])> = lower
        .split('<')
        .skip(1)
        .map(|tag| {
            (
                tag.split('>').next().unwrap_or(tag),
                &["src=", "href=", "srcset="][..],
            )
        })
        .collect();
    if let Some(style) = lower.split("<style>").nth(1) {
        places.push((
            style.split("</style>").next().unwrap(),
            &["url(", "@import"][..],
        ));
    }
    let mut found = Vec::new();
    for (text, needles) in places {
        for needle in needles {
            for (at, _) in text.match_indices(needle) {
                let target = text[at + needle.len()..].trim_start_matches(['"', '\'', ' ']);
                if !target.starts_with('#') {
                    found.push(target.chars().take(60).collect());
                }
            }
        }
    }
    found
}

/// The static check finds what would load, and not text that looks so.
#[test]
fn external_load_check_can_fail() {
    let page = "<style>p { background: url(https://x.test/a.png) }</style>\
                <p>src=x is text</p><img src=\"https://x.test/b.png\"><a href=\"#top\">top</a>";
    assert_eq!(
        external_loads(page),
        vec![
            "https://x.test/b.png\"".to_string(),
            "https://x.test/a.png) }".to_string()
        ]
    );
}

/// The examples, with the profile beside them: every section holds what
/// the report says, the policy set's digest included, and the page loads
/// nothing and has no script.
#[test]
fn html_report_of_the_examples_is_complete_and_self_contained() {
    let (run, html, json, _dir) = scan_html(&["examples", "--as-of", "2026-12-01"]);
    run.expect_code(1);
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..100]);
    assert!(html.len() < 1_000_000, "{} bytes", html.len());
    assert!(!html.to_ascii_lowercase().contains("<script"));
    assert!(!html.contains("<link") && !html.contains("<img"));
    assert_eq!(external_loads(&html), Vec::<String>::new());
    assert!(html.contains("default-src &#x27;none&#x27;") || html.contains("default-src 'none'"));

    // Who, when, with what.
    assert!(html.contains("Ministry of Example Affairs"));
    assert!(html.contains("<dt>As of</dt><dd>2026-12-01</dd>"));
    assert!(html.contains(&format!(
        "<dd>{}</dd>",
        json["run"]["started"].as_str().unwrap()
    )));
    assert!(html.contains(&format!("banscan {}", env!("CARGO_PKG_VERSION"))));
    let digest = json["policy_sets"][0]["sha256"].as_str().unwrap();
    assert_eq!(digest.len(), 64);
    assert!(html.contains(digest), "policy set digest missing");
    assert!(html.contains("Not compliant: 5 findings to act on"));

    // What was scanned, with the reason a file was not evidence.
    let scanned = section(&html, "scanned");
    assert!(scanned.contains("Read (5)"), "{scanned}");
    assert!(scanned.contains("Not evidence (1)"), "{scanned}");
    assert!(scanned.contains(&escaped("examples/banscan.yaml")));
    assert!(scanned.contains(&escaped("a banscan policy, profile or lockfile")));

    // Findings by policy: the citation once per policy, each finding a row.
    let by_policy = section(&html, "by-policy");
    let policies: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["policy"].as_str().unwrap())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for id in &policies {
        let policy = json["policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == *id)
            .unwrap();
        let basis = escaped(policy["legal_basis"].as_str().unwrap());
        assert_eq!(by_policy.matches(&basis).count(), 1, "legal basis of {id}");
        let source = &policy["source"];
        assert!(by_policy.contains(&escaped(source["title"].as_str().unwrap())));
        if let Some(url) = source["url"].as_str() {
            assert!(
                by_policy.contains(&escaped(url)),
                "{id}: source URL as text"
            );
        }
        assert!(by_policy.contains(&escaped(policy["remediation"].as_str().unwrap())));
    }
    assert_eq!(
        by_policy.matches("<article class=\"policy\"").count(),
        policies.len()
    );
    assert_eq!(
        by_policy.matches("<tr>").count() - policies.len(),
        json["findings"].as_array().unwrap().len(),
        "a row per finding (plus a header row per policy)"
    );

    // By device and by evidence kind.
    let by_device = section(&html, "by-device");
    assert!(by_device.contains("1 device with an unwaived finding (by product: deepseek 1)"));
    assert!(by_device.contains("PHONE-0107"), "{by_device}");
    let by_kind = section(&html, "by-kind");
    assert!(by_kind.contains("<h3>Packages"), "{by_kind}");
    assert!(by_kind.contains("<h3>Apps"), "{by_kind}");
    assert!(by_kind.contains("@ai-sdk&#x2f;deepseek"), "{by_kind}");

    // Charts: inline SVG with titles, numbers as text.
    let summary = section(&html, "summary");
    assert_eq!(
        summary.matches("<svg class=\"chart\" role=\"img\"").count(),
        3
    );
    assert!(summary.contains("<title id=\"chart-policy-title\">Findings per policy</title>"));
    assert!(summary.contains("<title>deepseek: 1</title>"), "{summary}");
}

/// A profile with a waiver: the waived finding shows its reason, approver
/// and expiry; once the waiver has expired, the notice says so.
#[test]
fn html_report_shows_waivers_and_expired_ones() {
    let args = [
        "examples/inventory",
        "examples/network",
        "--profile",
        "examples/banscan.yaml",
    ];
    let (_run, html, json, _dir) = scan_html(&[&args[..], &["--as-of", "2026-12-01"]].concat());
    let waiver = &json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| !f["waiver"].is_null())
        .expect("a waived finding")["waiver"];
    let waivers = section(&html, "waivers");
    for field in ["reason", "approved_by", "expires"] {
        let value = escaped(waiver[field].as_str().unwrap());
        assert!(
            waivers.contains(&value),
            "waiver {field} {value:?} in\n{waivers}"
        );
    }
    assert!(section(&html, "by-policy").contains("waived until 2027-06-30"));
    assert!(waivers.contains("None: every waiver is in date"));

    let (_run, html, _json, _dir) = scan_html(&[&args[..], &["--as-of", "2027-07-01"]].concat());
    let waivers = section(&html, "waivers");
    assert!(waivers.contains("banscan::waiver::expired"), "{waivers}");
    assert!(waivers.contains("expired on 2027-06-30"), "{waivers}");
    assert!(waivers.contains("No finding is waived."), "{waivers}");
}

/// As of a date before the bans took effect, they are listed as upcoming.
#[test]
fn html_report_lists_upcoming_policies() {
    let (_run, html, json, _dir) = scan_html(&[
        "examples/inventory",
        "--profile",
        "examples/banscan.yaml",
        "--as-of",
        "2025-01-01",
    ]);
    let upcoming = section(&html, "upcoming");
    let ids: Vec<&str> = json["policies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["upcoming"] == true)
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(!ids.is_empty());
    for id in ids {
        assert!(
            upcoming.contains(&format!("<code>{id}</code>")),
            "{id} in\n{upcoming}"
        );
    }
}

/// An app named `<script>alert(1)</script>` on a device named
/// `<img src=x onerror=alert(1)>`, by a publisher with markup, and a
/// device name with a right-to-left override: all shown as text.
#[test]
fn html_report_escapes_hostile_values() {
    let (_run, html, _json, _dir) = scan_html(&[
        "tests/fixtures/html-hostile",
        "--no-profile",
        "--jurisdiction",
        "TW",
        "--sector",
        "central-government",
        "--as-of",
        "2026-12-01",
    ]);
    assert!(!html.to_ascii_lowercase().contains("<script"), "{html}");
    assert!(!html.contains("<img") && !html.contains("<b>"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("Evil &amp; Co &lt;b&gt;bold&lt;&#x2f;b&gt;"));
    assert!(
        !html.contains('\u{202e}'),
        "a bidi override reaches the page"
    );
    assert!(html.contains("PC-\\u{202e}evil"));
    assert_eq!(external_loads(&html), Vec::<String>::new());
}

/// A saved JSON report renders to the same HTML (`report render`), so a
/// merged report of many sites gets the auditor's view too.
#[test]
fn saved_report_renders_to_html() {
    let (_run, html, _json, dir) = scan_html(&["examples", "--as-of", "2026-12-01"]);
    let saved = dir.path().join("report.json");
    let again = dir.path().join("again.html");
    banscan(&[
        "report",
        "render",
        saved.to_str().unwrap(),
        "--format",
        "html",
        "-o",
        again.to_str().unwrap(),
    ])
    .expect_code(0);
    assert_eq!(std::fs::read_to_string(again).unwrap(), html);
}

/// What headless Chromium did with a page.
struct BrowserRun {
    png: Vec<u8>,
    /// Console messages (Chromium logs them as `CONSOLE`).
    console: Vec<String>,
    /// Requests the page made to anything but a `file:` or `data:` URL.
    requests: Vec<String>,
}

/// The Chromium binary, or `None` when `BANSCAN_SKIP_BROWSER=1` says to
/// skip; otherwise a missing browser fails the test.
fn chromium() -> Option<PathBuf> {
    if let Ok(path) = std::env::var("BANSCAN_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|dir| dir.join(name))
                    .find(|p| p.is_file())
            })
        });
    if found.is_none() && std::env::var("BANSCAN_SKIP_BROWSER").as_deref() == Ok("1") {
        // Said on the test's output, so a skipped check is seen.
        #[allow(clippy::print_stderr)]
        {
            eprintln!("BANSCAN_SKIP_BROWSER=1: browser test skipped");
        }
        return None;
    }
    Some(found.expect(
        "Chromium is needed for the HTML report's browser test: `apt-get install chromium` \
         (or set BANSCAN_CHROMIUM=/path/to/chrome, or BANSCAN_SKIP_BROWSER=1 to skip)",
    ))
}

/// Opens `page` in headless Chromium: a screenshot, the console, and the
/// page's requests from Chromium's network log. Chromium's own requests
/// (updates, dictionaries) have no initiator ("not an origin"); a page
/// opened from a file initiates with the opaque origin `null`.
fn open_in_chromium(browser: &Path, page: &Path) -> BrowserRun {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let png = dir.path().join("page.png");
    let netlog = dir.path().join("netlog.json");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2000",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().expect("chromium runs").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().expect("chromium's output");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&netlog).expect("a network log"))
            .expect("the network log is JSON");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].clone();
    assert!(
        start_job.is_u64(),
        "no URL_REQUEST_START_JOB in the log's constants"
    );
    let requests = log["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["type"] == start_job)
        .map(|e| &e["params"])
        .filter(|p| p["initiator"] != "not an origin")
        .filter_map(|p| p["url"].as_str())
        .filter(|url| !url.starts_with("file:") && !url.starts_with("data:"))
        .map(str::to_string)
        .collect();
    BrowserRun {
        png: std::fs::read(&png).unwrap_or_default(),
        console,
        requests,
    }
}

#[track_caller]
fn assert_png(png: &[u8]) {
    assert!(png.len() > 1000, "screenshot of {} bytes", png.len());
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
}

/// The examples' report in headless Chromium: it renders (a screenshot),
/// logs nothing to the console, makes no request, and prints to PDF.
#[test]
fn html_report_opens_in_chromium_without_requests_or_console_messages() {
    let Some(browser) = chromium() else { return };
    let (_run, _html, _json, dir) = scan_html(&["examples", "--as-of", "2026-12-01"]);
    let seen = open_in_chromium(&browser, &dir.path().join("report.html"));
    assert_png(&seen.png);
    assert_eq!(seen.console, Vec::<String>::new());
    assert_eq!(seen.requests, Vec::<String>::new());

    // And it prints (the print style sheet applies): a PDF comes out.
    let pdf = dir.path().join("report.pdf");
    let status = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("pdf-profile").display()
        ))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!(
            "file://{}",
            dir.path().join("report.html").display()
        ))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("chromium prints");
    assert!(status.success(), "{status}");
    let pdf = std::fs::read(&pdf).expect("a PDF");
    assert!(
        pdf.starts_with(b"%PDF-") && pdf.len() > 1000,
        "{} bytes",
        pdf.len()
    );
}

/// The browser check can fail: a page with an external image and a
/// console error is caught on both counts (no network is needed: the
/// request is logged when it starts).
#[test]
fn browser_check_catches_an_external_image_and_a_console_error() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("leaky.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><body><p>leaky</p>\
         <img src=\"https://example.org/banscan-leak.png\">\
         <script>console.error('banscan-console-check')</script></body></html>",
    )
    .unwrap();
    let seen = open_in_chromium(&browser, &page);
    assert_png(&seen.png);
    assert_eq!(
        seen.requests,
        vec!["https://example.org/banscan-leak.png".to_string()]
    );
    assert!(
        seen.console
            .iter()
            .any(|l| l.contains("banscan-console-check")),
        "{:?}",
        seen.console
    );
}
