use super::*;
use crate::input::testing::{endpoint_lines, read_fixture};

fn run(name: &str) -> Vec<String> {
    endpoint_lines(&read_fixture(&SPEC, &format!("zeek-log/{name}"), name))
}

/// TSV dns.log: hosts by the `query` column, client and time as written;
/// `-` is no host; an mDNS name with a typographic apostrophe (written
/// `\xe2\x80\x99`) is a counted skip; NetBIOS and reverse names are read.
#[test]
fn tsv_dns_log() {
    insta::assert_snapshot!(run("dns.log").join("\n"));
}

/// JSON dns.log gives the same hosts, clients and times as the TSV one,
/// at the columns of the JSON values.
#[test]
fn json_dns_log_matches_tsv() {
    let strip = |lines: Vec<String>| -> Vec<String> {
        lines
            .into_iter()
            .map(|l| {
                let (at, rest) = l.split_once(' ').unwrap();
                let line = at.split(':').next().unwrap().to_string();
                let rest = rest
                    .split(" [")
                    .next()
                    .unwrap()
                    .split(" (")
                    .next()
                    .unwrap()
                    .to_string();
                format!("{line} {rest}")
            })
            .collect()
    };
    // The TSV has 8 header lines before the first row.
    let tsv: Vec<String> = strip(run("dns.log"))
        .into_iter()
        .map(|l| {
            let (n, rest) = l.split_once(' ').unwrap();
            match n.parse::<u64>() {
                Ok(n) => format!("{} {rest}", n - 8),
                Err(_) => l,
            }
        })
        .collect();
    let json = strip(run("json/dns.log"));
    // The same names; the JSON writes the mDNS name in UTF-8 and the
    // punycode name in Unicode.
    assert_eq!(json.len(), tsv.len(), "{json:#?}\n{tsv:#?}");
    for (j, t) in json.iter().zip(&tsv) {
        assert_eq!(j, t);
    }
    insta::assert_snapshot!(run("json/dns.log").join("\n"));
}

/// ssl.log: `server_name`; a client that sent no SNI (`-`, or no key in
/// JSON) is passed over without a word.
#[test]
fn ssl_logs() {
    insta::assert_snapshot!(run("ssl.log").join("\n"));
    insta::assert_snapshot!(run("json/ssl.log").join("\n"));
}

/// http.log: `host` with a port, an IP literal, `[v6]:port`; `(empty)`
/// and a missing key are no host.
#[test]
fn http_logs() {
    insta::assert_snapshot!(run("http.log").join("\n"));
    insta::assert_snapshot!(run("json/http.log").join("\n"));
}

/// Rows cut short or with a field too many are counted skips at their
/// line; the rows after them are read.
#[test]
fn malformed_rows_are_skipped() {
    insta::assert_snapshot!(run("dns-malformed.log").join("\n"));
}

/// `#fields` decides the columns, not their position: a log with the
/// columns in another order and a custom separator reads the same.
#[test]
fn columns_by_fields_and_separator() {
    let text = "#separator \\x7c\n#unset_field|NONE\n#path|dns\n#fields|query|ts|id.orig_h\n\
                #types|string|time|addr\nchat.deepseek.com|1714550400.5|192.0.2.9\n\
                NONE|1714550401.5|192.0.2.9\nweird\\x7cname.example|1.0|192.0.2.9\n";
    let c = crate::input::testing::read(
        &SPEC,
        &crate::input::Source::bytes("dns.log", text.as_bytes().to_vec()),
    );
    let got = endpoint_lines(&c);
    assert_eq!(
        got[0],
        "6:1 chat.deepseek.com 192.0.2.9 1714550400.5 [chat.deepseek.com]"
    );
    // An escaped separator inside a cell is the character, not a break:
    // the name is refused, not misread.
    assert!(
        got[1].starts_with("8:1 Skipped: query: `weird|name.example`"),
        "{got:?}"
    );
    assert_eq!(c.items.len(), 1, "{:?}", endpoint_lines(&c));
    assert_eq!(c.problems.len(), 1, "{:?}", endpoint_lines(&c));
    assert_eq!(c.problems[0].at.as_ref().unwrap().line, 8);
}

/// A log of another kind (conn.log) and a header without `#fields` are
/// errors naming what is missing.
#[test]
fn logs_without_a_host_column_are_errors() {
    let conn = "#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tservice\n1.0\tC1\t192.0.2.1\tdns\n";
    let no_fields = "#separator \\x09\n#path\tdns\n1.0\tC1\n";
    for (text, want) in [
        (conn, "none of the columns banscan reads"),
        (no_fields, "is not a `#fields` line"),
    ] {
        let c = crate::input::testing::read(
            &SPEC,
            &crate::input::Source::bytes("dns.log", text.as_bytes().to_vec()),
        );
        assert!(c.items.is_empty());
        assert!(
            c.problems.len() == 1 && c.problems[0].message.contains(want),
            "{:?}",
            c.problems
        );
    }
}

/// A second, different `#fields` header (another log appended) is one
/// skipped line, read or passed over by a prefilter alike; the same
/// header again is none.
#[test]
fn appended_headers() {
    let head = "#separator \\x09\n#path\tdns\n#fields\tts\tid.orig_h\tquery\n";
    let text = format!(
        "{head}1.0\t192.0.2.1\ta.example\n#close\tx\n{head}2.0\t192.0.2.1\tb.example\n\
         #fields\tts\tquery\tid.orig_h\n3.0\tc.example\t192.0.2.1\n"
    );
    let c = crate::input::testing::read(
        &SPEC,
        &crate::input::Source::bytes("dns.log", text.into_bytes()),
    );
    assert_eq!(c.items.len(), 3);
    assert_eq!(c.problem_places(), [(10, 1, 26)]);
    assert_eq!(c.problems[0].impact, crate::input::Impact::Skipped);
    let reader = ZeekLog
        .start_after(
            &c.problems[0].path,
            &[],
            Some(head.lines().nth(2).unwrap()),
            &Default::default(),
        )
        .unwrap();
    assert!(reader.check(b"#fields\tts\tquery\tid.orig_h").is_some());
    assert!(reader.check(b"#fields\tts\tid.orig_h\tquery").is_none());
    assert!(reader.check(b"#close\tx").is_none());
}

#[test]
fn unescapes() {
    assert_eq!(unescape("a\\x09b"), "a\tb");
    assert_eq!(unescape("ana\\xe2\\x80\\x99s"), "ana\u{2019}s");
    assert_eq!(unescape("no\\xzz"), "no\\xzz");
    assert_eq!(unescape("end\\x"), "end\\x");
    assert!(matches!(unescape("plain"), Cow::Borrowed(_)));
}

/// A glance finds the host column's cell of every row, wherever that
/// column is (`query` in dns.log, `host` in http.log, `server_name` in
/// ssl.log), and counts the row's items as the record does.
#[test]
fn glance_finds_the_host_cell() {
    for (name, column) in [
        ("dns.log", "query"),
        ("http.log", "host"),
        ("ssl.log", "server_name"),
    ] {
        let text = std::fs::read_to_string(format!(
            "{}/tests/fixtures/zeek-log/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let preamble: Vec<String> = lines
            .iter()
            .take_while(|l| !l.starts_with("#fields"))
            .map(|l| l.to_string())
            .collect();
        let fields = lines[preamble.len()];
        let source: Arc<str> = Arc::from(name);
        let reader = ZeekLog
            .start_after(&source, &preamble, Some(fields), &Default::default())
            .unwrap();
        let index = fields.split('\t').position(|f| f == column).unwrap() - 1;
        let mut seen = 0;
        for line in lines.iter().filter(|l| !l.starts_with('#')) {
            let cell = line.split('\t').nth(index).unwrap();
            let Some(glance) = reader.glance(line.as_bytes()) else {
                // A cell with an escape is read whole.
                assert!(cell.contains('\\'), "{name}: {line}");
                continue;
            };
            let glance = glance.unwrap();
            match glance.hosts[0] {
                Some((from, to)) => {
                    assert_eq!(&line[from..to], cell, "{name}: {line}");
                    seen += 1;
                }
                None => assert!(cell == "-" || cell == "(empty)", "{name}: {line}"),
            }
        }
        assert!(seen > 2, "{name}");
    }
}
