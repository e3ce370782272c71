//! `policy export --target zeek-intel` and `--target mde` (issue 15): golden
//! files, and every file read back as the engine reads it.
//!
//! Zeek is not packaged in Debian's main archive, and Defender's importer is
//! a cloud service, so neither engine runs here. Instead [`zeek_read`]
//! follows Zeek's input-framework ASCII reader (`#` comment lines, the
//! `#fields` line, one tab between fields, `-` unset, `\xHH` decoded) and
//! [`mde_read`] checks the CSV against Microsoft's import template (its
//! columns, types, actions, severities and value formats). Both always
//! run: there is nothing to install, so `BANSCAN_SKIP_VALIDATORS` does not
//! apply to them.

use std::collections::BTreeMap;
use std::net::IpAddr;

use crate::common::banscan;
use crate::export::{export, export_from};

/// The export of the intel fixture (exemptions inside ranges, an expiry,
/// a hostile title and remediation).
fn export_ranges(target: &str) -> crate::common::Run {
    export_from(
        "tests/fixtures/export/intel",
        "2026-03-01",
        &["--target", target],
    )
}

/// The built-in library as an agency with no profile would export it.
fn export_builtin(target: &str, extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["--target", target];
    args.extend_from_slice(extra);
    crate::export::export_builtin(&args)
}

type Row = BTreeMap<String, String>;

/// Reads an Intel file as Zeek's ASCII input reader does, panicking where
/// Zeek would warn and skip a line or refuse the file: the first line
/// that is not a comment must be `#fields` and a tab, each row has as
/// many tab-separated fields as it names (a trailing tab or an empty field
/// loses a field), every indicator type is one Zeek defines and every
/// indicator parses as its type.
fn zeek_read(text: &str) -> Vec<Row> {
    assert!(!text.contains('\r'), "a carriage return in the Intel file");
    let mut fields: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for line in text.split('\n').filter(|l| !l.is_empty()) {
        if let Some(names) = line.strip_prefix("#fields\t") {
            assert!(fields.is_none(), "a second #fields line: {line:?}");
            fields = Some(names.split('\t').map(str::to_string).collect());
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let names = fields
            .as_ref()
            .unwrap_or_else(|| panic!("a data line before #fields: {line:?}"));
        let values: Vec<&str> = line.split('\t').collect();
        assert_eq!(values.len(), names.len(), "field count of {line:?}");
        let mut row = Row::new();
        for (name, value) in names.iter().zip(values) {
            assert!(!value.is_empty(), "an empty {name} in {line:?}");
            row.insert(name.clone(), zeek_unescape(value));
        }
        check_intel_item(&row, line);
        rows.push(row);
    }
    let names = fields.expect("a #fields line");
    for required in ["indicator", "indicator_type", "meta.source"] {
        assert!(names.iter().any(|n| n == required), "no {required} field");
    }
    rows
}

/// `\xHH` to its byte, as Zeek's `get_unescaped_string` does.
fn zeek_unescape(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\'
            && bytes.get(i + 1) == Some(&b'x')
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 3).is_some_and(u8::is_ascii_hexdigit)
        {
            out.push(u8::from_str_radix(&value[i + 2..i + 4], 16).unwrap());
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8 after unescaping")
}

fn check_intel_item(row: &Row, line: &str) {
    let indicator = &row["indicator"];
    assert_ne!(row["meta.source"], "-", "an unset source in {line:?}");
    match row["indicator_type"].as_str() {
        "Intel::DOMAIN" => assert!(is_host_name(indicator), "not a domain name: {indicator:?}"),
        "Intel::ADDR" => {
            indicator
                .parse::<IpAddr>()
                .unwrap_or_else(|e| panic!("not an address: {indicator:?}: {e}"));
        }
        "Intel::SUBNET" => {
            indicator
                .parse::<ipnet::IpNet>()
                .unwrap_or_else(|e| panic!("not a subnet: {indicator:?}: {e}"));
        }
        "Intel::FILE_HASH" => assert!(is_sha256(indicator), "not a SHA-256 digest: {indicator:?}"),
        other => panic!("not an indicator type banscan writes: {other} in {line:?}"),
    }
}

fn is_host_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').count() >= 2
        && name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Microsoft's import template, in its order.
const MDE_COLUMNS: [&str; 12] = [
    "IndicatorType",
    "IndicatorValue",
    "ExpirationTime",
    "Action",
    "Severity",
    "Title",
    "Description",
    "RecommendedActions",
    "RbacGroups",
    "Category",
    "MitreTechniques",
    "GenerateAlert",
];

/// Reads a Defender indicators CSV as its importer takes it: the template's
/// columns exactly, each value of an allowed type, action and severity and
/// in its type's form, network indicators never `BlockAndRemediate`,
/// required cells filled, one-line cells, no indicator twice, `Allowed`
/// rows first and at most 15,000 rows.
fn mde_read(text: &str) -> Vec<Row> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(headers, MDE_COLUMNS, "the template's columns");
    let mut rows = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut blocks_started = false;
    for record in reader.records() {
        let record = record.expect("a well-formed CSV row");
        assert_eq!(record.len(), MDE_COLUMNS.len(), "{record:?}");
        let row: Row = MDE_COLUMNS
            .iter()
            .zip(record.iter())
            .map(|(c, v)| (c.to_string(), v.to_string()))
            .collect();
        for (column, value) in &row {
            assert!(
                !value.chars().any(char::is_control),
                "a control character in {column}: {value:?}"
            );
        }
        let (kind, value, action) = (
            row["IndicatorType"].as_str(),
            row["IndicatorValue"].as_str(),
            row["Action"].as_str(),
        );
        match kind {
            "DomainName" => assert!(is_host_name(value), "domain {value:?}"),
            "IpAddress" => {
                value
                    .parse::<IpAddr>()
                    .unwrap_or_else(|e| panic!("not a single address: {value:?}: {e}"));
            }
            "FileSha256" => assert!(is_sha256(value), "sha256 {value:?}"),
            other => panic!("an indicator type banscan does not write: {other}"),
        }
        assert!(
            ["Allowed", "Audit", "Block", "BlockAndRemediate", "Warn"].contains(&action),
            "action {action:?}"
        );
        if kind != "FileSha256" {
            assert_ne!(action, "BlockAndRemediate", "a network indicator {value}");
        }
        if action == "Allowed" {
            assert!(!blocks_started, "an Allowed row after a block: {value}");
        } else {
            blocks_started = true;
        }
        assert!(
            ["", "Informational", "Low", "Medium", "High"].contains(&row["Severity"].as_str()),
            "{row:?}"
        );
        assert!(
            ["", "True", "False"].contains(&row["GenerateAlert"].as_str()),
            "{row:?}"
        );
        let expires = &row["ExpirationTime"];
        if !expires.is_empty() {
            let date = expires
                .strip_suffix("T23:59:59.0Z")
                .unwrap_or_else(|| panic!("expiration {expires:?}"));
            date.parse::<jiff::civil::Date>()
                .unwrap_or_else(|e| panic!("expiration {expires:?}: {e}"));
        }
        assert!(!row["Title"].is_empty() && !row["Description"].is_empty());
        assert!(
            seen.insert((kind.to_string(), value.to_string())),
            "{kind} {value} twice"
        );
        rows.push(row);
    }
    assert!(rows.len() <= 15_000, "{} rows", rows.len());
    rows
}

fn indicators(rows: &[Row], column: &str) -> Vec<String> {
    rows.iter().map(|r| r[column].clone()).collect()
}

/// The demo fixture as a Zeek Intel file: a row per domain, address,
/// subnet and hash naming its policies; the `*.` entry, apps and the
/// package handed back; the exempted host absent.
#[test]
fn zeek_intel_golden() {
    let run = export(&["--target", "zeek-intel"]);
    run.expect_code(0)
        .expect_contains(
            "(Zeek Intel matches exact names, not every subdomain): `*.cdn.demochat.example`",
        )
        .expect_contains("4 identifiers not exported (not a network or file indicator Zeek sees)");
    let rows = zeek_read(&run.stdout);
    assert_eq!(
        indicators(&rows, "indicator_type"),
        [
            "Intel::DOMAIN",
            "Intel::ADDR",
            "Intel::SUBNET",
            "Intel::FILE_HASH"
        ]
    );
    assert!(
        rows.iter()
            .all(|r| r["meta.desc"].starts_with("xx-a-2025-chat"))
    );
    assert!(!run.stdout.contains("help.demochat.example"));
    insta::assert_snapshot!(run.stdout);
}

/// Zeek only detects, so an unconfirmed host is a row like the others,
/// marked in its description.
#[test]
fn zeek_intel_lists_unconfirmed_as_marked_rows() {
    let run = export(&["--target", "zeek-intel", "--include-unconfirmed"]);
    run.expect_code(0);
    let rows = zeek_read(&run.stdout);
    let beta = rows
        .iter()
        .find(|r| r["indicator"] == "beta.demochat.example")
        .expect("the unconfirmed host listed");
    assert!(beta["meta.desc"].ends_with("unconfirmed identifier: alert only"));
}

/// The demo fixture as a Defender import: the exemption an `Allowed` row
/// first, blocks `Block`, the installer `BlockAndRemediate`, severity from
/// the gravest policy; ranges, wildcards, apps and packages handed back.
#[test]
fn mde_golden() {
    let run = export(&["--target", "mde"]);
    run.expect_code(0)
        .expect_contains(
            "(Defender indicators take single addresses, not ranges (CIDR)): `198.51.100.0/24`",
        )
        .expect_contains(
            "(Defender indicators take no wildcards (*.name)): `*.cdn.demochat.example`",
        )
        .expect_contains("4 identifiers not exported (not a Defender indicator type");
    // Records end in CRLF, as RFC 4180 and Excel's CSV do (the snapshot
    // folds line endings, so this says it).
    assert_eq!(
        run.stdout.matches("\r\n").count(),
        run.stdout.lines().count()
    );
    let rows = mde_read(&run.stdout);
    assert_eq!(
        indicators(&rows, "Action"),
        ["Allowed", "Block", "Block", "BlockAndRemediate"]
    );
    assert_eq!(rows[0]["IndicatorValue"], "help.demochat.example");
    assert_eq!(rows[1]["Severity"], "High");
    assert!(rows[1]["Description"].contains("Banned by xx-a-2025-chat, xx-b-2025-chat."));
    assert!(rows[1]["Description"].contains("policy set tests/fixtures/export/policies sha256:"));
    insta::assert_snapshot!(run.stdout);
}

/// An unconfirmed identifier is audited (an alert), never blocked.
#[test]
fn mde_audits_unconfirmed_identifiers() {
    let run = export(&["--target", "mde", "--include-unconfirmed"]);
    run.expect_code(0);
    let rows = mde_read(&run.stdout);
    let beta = rows
        .iter()
        .find(|r| r["IndicatorValue"] == "beta.demochat.example")
        .expect("the unconfirmed host listed");
    assert_eq!(beta["Action"], "Audit");
    assert_eq!(beta["GenerateAlert"], "True");
    assert!(beta["Description"].contains("Unconfirmed identifier: audit only"));
}

/// Zeek Intel has no allow rule: an address exempted outright is left
/// out, one exempted inside a listed range is handed back. Defender has
/// allow rows but no ranges. A hostile title stays in its field in both,
/// and a policy's expiry becomes the indicator's.
#[test]
fn exemptions_hostile_text_and_expiry() {
    let zeek = export_ranges("zeek-intel");
    zeek.expect_code(0).expect_contains(
        "(Zeek Intel has no allow rule: the banned range still matches it): `192.0.2.10`",
    );
    let rows = zeek_read(&zeek.stdout);
    assert_eq!(
        indicators(&rows, "indicator"),
        ["netdemo.example", "192.0.2.0/24"]
    );
    // The title comes back exactly as written, tab, newline and all.
    assert_eq!(
        rows[0]["meta.desc"],
        "xx-c-2026-ranges: Demo \"ban\" on\tDemo\\Net, 第二\nline"
    );
    insta::assert_snapshot!("zeek_intel_ranges", zeek.stdout);

    let mde = export_ranges("mde");
    mde.expect_code(0)
        .expect_contains("not ranges (CIDR)): `192.0.2.0/24`");
    let rows = mde_read(&mde.stdout);
    assert_eq!(
        indicators(&rows, "IndicatorValue"),
        ["192.0.2.10", "198.51.100.9", "netdemo.example"]
    );
    assert_eq!(indicators(&rows, "Action"), ["Allowed", "Allowed", "Block"]);
    let block = &rows[2];
    assert_eq!(block["ExpirationTime"], "2027-06-30T23:59:59.0Z");
    assert_eq!(block["Severity"], "Low");
    assert_eq!(
        block["Title"],
        "xx-c-2026-ranges: Demo \"ban\" on Demo\\Net, 第二 line"
    );
    assert_eq!(
        block["RecommendedActions"],
        "'=HYPERLINK(\"https://evil.example\")"
    );
    insta::assert_snapshot!("mde_ranges", mde.stdout);
}

/// The whole built-in library, read back by both validators; the
/// Kaspersky Threat Intelligence host stays allowed while kaspersky.com
/// is blocked.
#[test]
fn builtin_library_reads_back() {
    let zeek = export_builtin("zeek-intel", &[]);
    zeek.expect_code(0);
    let rows = zeek_read(&zeek.stdout);
    let names = indicators(&rows, "indicator");
    assert!(names.len() > 100, "{} rows", names.len());
    assert!(names.iter().any(|n| n == "kaspersky.com"));
    assert!(!names.iter().any(|n| n == "opentip.kaspersky.com"));

    let mde = export_builtin("mde", &["--include-unconfirmed"]);
    mde.expect_code(0);
    let rows = mde_read(&mde.stdout);
    let action = |value: &str| {
        rows.iter()
            .find(|r| r["IndicatorValue"] == value)
            .map(|r| r["Action"].clone())
    };
    assert_eq!(action("opentip.kaspersky.com").as_deref(), Some("Allowed"));
    assert_eq!(action("kaspersky.com").as_deref(), Some("Block"));
    assert!(rows.iter().any(|r| r["Action"] == "Audit"));
}

/// Past Defender's 15,000 active indicators a tenant, rows are not written
/// but handed back, so the file still imports whole.
#[test]
fn mde_stops_at_the_tenant_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut policy = String::from(
        "policy: xx-d-2026-many\ntitle: Many names\nauthority: Demo Ministry\n\
         jurisdiction: TW\nissued: 2026-01-02\neffective: 2026-01-02\nexpires: null\n\
         legal_basis: Demo Act\nsources:\n  - title: Demo\n    publisher: Demo News\n\
         binds:\n  sectors: [central-government]\nseverity: ban\nbans:\n  - identifiers:\n      endpoints:\n",
    );
    for i in 0..15_003 {
        policy.push_str(&format!("        - n{i:05}.many.example\n"));
    }
    policy.push_str("examples:\n  violating:\n    - endpoint: n00000.many.example\n");
    std::fs::write(dir.path().join("many.yaml"), policy).unwrap();
    let run = banscan(&[
        "policy",
        "export",
        "--target",
        "mde",
        "--no-builtin",
        "--no-profile",
        "--policies",
        dir.path().to_str().unwrap(),
        "--as-of",
        "2026-03-01",
    ]);
    run.expect_code(0).expect_contains(
        "3 identifiers not exported (beyond Defender's 15,000 active indicators per tenant): \
         `n15000.many.example`",
    );
    assert_eq!(mde_read(&run.stdout).len(), 15_000);
}
