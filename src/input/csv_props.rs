//! Property tests: the CSV readers (app inventories and endpoint tables,
//! both on the one [table reader](super::table)) survive random quoting,
//! delimiters, line endings and encodings, and never lose a row.
//!
//! A well-formed table is written here as an export would write it: a
//! header from one export profile in random column order, cells quoted
//! when they must be (and at random when they need not), `,` `;` or tab
//! between them, LF or CRLF, as UTF-8 with or without a byte-order mark
//! or as UTF-16 with one. The file is found as a scan finds it
//! ([`discover`]) and read; every row comes back as it was written, so the
//! banned app or host in a random row is never silently lost. A third
//! property feeds both readers token soup (stray quotes, NULs, invalid
//! UTF-8, marks in odd places) and asks only that they do not panic.

use std::path::PathBuf;

use proptest::prelude::*;

use super::detect::{Options, discover};
use super::item::ItemKind;
use super::testing::{Collect, read};
use super::{Source, apps::app_csv, endpoints::endpoint_csv};

const CASES: u32 = 256;

#[derive(Clone, Copy, Debug)]
enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        Just(Encoding::Utf8),
        Just(Encoding::Utf8Bom),
        Just(Encoding::Utf16Le),
        Just(Encoding::Utf16Be),
    ]
}

fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Encoding::Utf16Le => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        Encoding::Utf16Be => [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
    }
}

/// How the table is laid out: delimiter, line ending, whether cells that
/// need no quotes get them anyway (one bit per cell, cycled), and whether
/// the last line ends.
#[derive(Clone, Debug)]
struct Layout {
    delimiter: char,
    crlf: bool,
    quote_anyway: Vec<bool>,
    final_newline: bool,
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        prop::sample::select(vec![',', ';', '\t']),
        any::<bool>(),
        prop::collection::vec(any::<bool>(), 1..8),
        any::<bool>(),
    )
        .prop_map(|(delimiter, crlf, quote_anyway, final_newline)| Layout {
            delimiter,
            crlf,
            quote_anyway,
            final_newline,
        })
}

impl Layout {
    /// The table as text, each row's cells in the order of `columns`.
    fn write(&self, rows: &[Vec<String>]) -> String {
        let newline = if self.crlf { "\r\n" } else { "\n" };
        let mut bits = self.quote_anyway.iter().cycle();
        let lines: Vec<String> = rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| {
                        let must = cell.contains([self.delimiter, '"', '\n', '\r']);
                        let anyway = *bits.next().unwrap_or(&false);
                        if must || anyway {
                            format!("\"{}\"", cell.replace('"', "\"\""))
                        } else {
                            cell.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(&self.delimiter.to_string())
            })
            .collect();
        let mut text = lines.join(newline);
        if self.final_newline {
            text.push_str(newline);
        }
        text
    }
}

/// A cell's text: plain characters mostly, and the ones a table must
/// quote (delimiters, `"`, a line break); never empty and never with
/// space at either end, which readers may trim.
fn cell() -> impl Strategy<Value = String> {
    let plain = prop::sample::select("abcXYZ019-_/é中".chars().collect::<Vec<_>>());
    let special = prop::sample::select(vec![' ', ',', ';', '\t', '"', '\'', '\n']);
    prop::collection::vec(prop_oneof![6 => plain, 1 => special], 1..10)
        .prop_map(|chars| chars.into_iter().collect::<String>())
        .prop_map(|s| s.trim().to_string())
        .prop_filter("a cell with text", |s| !s.is_empty())
}

/// Where a table is written, found and read as a scan reads it; `None`
/// when discovery picks another format or none.
fn scan(file: &str, bytes: &[u8]) -> Result<(&'static str, Collect), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join(file);
    std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
    let found = discover(&[PathBuf::from(&path)], &Options::default());
    let Some(input) = found.inputs.first() else {
        return Err(format!(
            "not read: {:?} {:?}",
            found.skipped.iter().map(|s| &s.reason).collect::<Vec<_>>(),
            found.problems
        ));
    };
    Ok((input.format.name, read(input.format, &input.source)))
}

/// An app inventory export's header: app, version, publisher, device.
const APP_HEADERS: [[&str; 4]; 5] = [
    ["app_name", "version", "publisher", "device"],
    ["Software Name", "App Version", "Vendor", "Computer Name"],
    [
        "ApplicationName",
        "ApplicationVersion",
        "ApplicationPublisher",
        "DeviceName",
    ],
    [
        "DisplayName",
        "DisplayVersion",
        "Publisher",
        "PSComputerName",
    ],
    [
        "softwareName",
        "softwareVersion",
        "softwareVendor",
        "deviceName",
    ],
];

/// A banned app as an inventory may name it, quotes and delimiters
/// included.
const BANNED_APPS: [&str; 3] = ["demo-chat", "Demo Chat", "Demo \"Chat\"; Pro, Edition"];

#[derive(Clone, Debug)]
struct AppTable {
    header: usize,
    /// The order of the four columns.
    order: Vec<usize>,
    /// Each row's app, version, publisher and device.
    rows: Vec<[String; 4]>,
    banned_row: usize,
}

fn app_table() -> impl Strategy<Value = AppTable> {
    (
        0..APP_HEADERS.len(),
        Just(vec![0, 1, 2, 3]).prop_shuffle(),
        prop::collection::vec([cell(), cell(), cell(), cell()], 0..12),
        any::<prop::sample::Index>(),
        0..BANNED_APPS.len(),
    )
        .prop_map(|(header, order, mut rows, at, banned)| {
            let banned_row = at.index(rows.len() + 1);
            rows.insert(
                banned_row,
                [
                    BANNED_APPS[banned].to_string(),
                    "1.2.3".to_string(),
                    "Demo Corp".to_string(),
                    "PC-7".to_string(),
                ],
            );
            AppTable {
                header,
                order,
                rows,
                banned_row,
            }
        })
}

impl AppTable {
    fn text(&self, layout: &Layout) -> String {
        let pick = |row: &[String; 4]| self.order.iter().map(|&i| row[i].clone()).collect();
        let header = APP_HEADERS[self.header].map(str::to_string);
        let lines: Vec<Vec<String>> = std::iter::once(pick(&header))
            .chain(self.rows.iter().map(pick))
            .collect();
        layout.write(&lines)
    }
}

/// An endpoint table's host column names, and the other columns.
const HOST_HEADERS: [&str; 6] = [
    "url",
    "host",
    "sni",
    "server_name",
    "dest_host",
    "Destination",
];
const CLIENT_HEADERS: [&str; 3] = ["client", "src_ip", "user"];
const TIME_HEADERS: [&str; 3] = ["time", "timestamp", "date"];

/// A banned host as a proxy log may write it: bare, with a port, or in a
/// URL with a query that needs quoting.
const BANNED_HOSTS: [&str; 4] = [
    "chat.demo.example",
    "CHAT.demo.example:443",
    "https://chat.demo.example/v1/chat?a=1,b=2;c",
    "chat.demo.example/v1/\"x\"",
];

fn host() -> impl Strategy<Value = String> {
    (
        "[a-z]{1,6}",
        prop::sample::select(vec!["example", "test", "example.net"]),
        prop::sample::select(vec!["", ":8080", "/a,b", "/p?q=\"1\";2"]),
    )
        .prop_map(|(label, tld, tail)| format!("{label}.{tld}{tail}"))
}

#[derive(Clone, Debug)]
struct EndpointTable {
    headers: [&'static str; 3],
    order: Vec<usize>,
    /// Each row's time, client and host.
    rows: Vec<[String; 3]>,
    banned_row: usize,
}

fn endpoint_table() -> impl Strategy<Value = EndpointTable> {
    let row = (
        "2025-0[1-9]-1[0-9] 0[0-9]:00:00",
        "10\\.0\\.[0-9]\\.[0-9]{1,2}",
        host(),
    )
        .prop_map(|(t, c, h)| [t, c, h]);
    (
        prop::sample::select(TIME_HEADERS.to_vec()),
        prop::sample::select(CLIENT_HEADERS.to_vec()),
        prop::sample::select(HOST_HEADERS.to_vec()),
        Just(vec![0, 1, 2]).prop_shuffle(),
        prop::collection::vec(row, 0..12),
        any::<prop::sample::Index>(),
        0..BANNED_HOSTS.len(),
    )
        .prop_map(|(time, client, host, order, mut rows, at, banned)| {
            let banned_row = at.index(rows.len() + 1);
            rows.insert(
                banned_row,
                [
                    "2025-03-04 05:06:07".to_string(),
                    "10.0.0.7".to_string(),
                    BANNED_HOSTS[banned].to_string(),
                ],
            );
            EndpointTable {
                headers: [time, client, host],
                order,
                rows,
                banned_row,
            }
        })
}

impl EndpointTable {
    fn text(&self, layout: &Layout) -> String {
        let pick = |row: &[String; 3]| self.order.iter().map(|&i| row[i].clone()).collect();
        let header = self.headers.map(str::to_string);
        let lines: Vec<Vec<String>> = std::iter::once(pick(&header))
            .chain(self.rows.iter().map(pick))
            .collect();
        layout.write(&lines)
    }
}

/// Pieces of broken tables.
fn soup() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(b"name".to_vec()),
        Just(b"device,version".to_vec()),
        Just(b"url;client".to_vec()),
        Just(b"demo-chat".to_vec()),
        Just(b"https://chat.demo.example/".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\"\"".to_vec()),
        Just(b",".to_vec()),
        Just(b";".to_vec()),
        Just(b"\t".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\0".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xFF\xFE".to_vec()),
        Just(b"\xc3".to_vec()),
        Just(b"\xed\xa0\x80".to_vec()),
        Just(b"#TYPE x\n".to_vec()),
        prop::collection::vec(any::<u8>(), 1..4),
    ];
    prop::collection::vec(token, 0..40).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    /// Every row of a well-formed app inventory comes back as written,
    /// the banned app's row among them, and nothing is reported wrong.
    #[test]
    fn app_tables_lose_no_row(
        table in app_table(),
        layout in layout(),
        encoding in encoding(),
        file in prop::sample::select(vec!["apps.csv", "inventory.tsv", "export.txt"]),
    ) {
        let text = table.text(&layout);
        let (format, out) = scan(file, &encode(&text, encoding)).map_err(TestCaseError::fail)?;
        prop_assert_eq!(format, app_csv::SPEC.name, "{:?}", text);
        prop_assert!(out.problems.is_empty(), "{:?}\n{:?}", out.problems, text);
        let got: Vec<[Option<String>; 4]> = out
            .items
            .iter()
            .filter_map(|g| match &g.item {
                ItemKind::App(a) => Some([a.name.clone(), a.version.clone(), a.publisher.clone(), a.device.clone()]),
                _ => None,
            })
            .collect();
        let want: Vec<[Option<String>; 4]> = table.rows.iter().map(|r| r.clone().map(Some)).collect();
        prop_assert_eq!(&got, &want, "{:?}", text);
        prop_assert_eq!(got[table.banned_row][0].as_deref(), Some(table.rows[table.banned_row][0].as_str()));
    }

    /// Every row of a well-formed endpoint table yields its host, the
    /// banned host's row among them, with its client and time.
    #[test]
    fn endpoint_tables_lose_no_row(
        table in endpoint_table(),
        layout in layout(),
        encoding in encoding(),
        file in prop::sample::select(vec!["proxy.csv", "proxy.tsv"]),
    ) {
        let text = table.text(&layout);
        let (format, out) = scan(file, &encode(&text, encoding)).map_err(TestCaseError::fail)?;
        prop_assert_eq!(format, endpoint_csv::SPEC.name, "{:?}", text);
        prop_assert!(out.problems.is_empty(), "{:?}\n{:?}", out.problems, text);
        let got: Vec<(String, Option<String>, Option<String>)> = out
            .items
            .iter()
            .filter_map(|g| match &g.item {
                ItemKind::Endpoint(e) => Some((e.host.to_string(), e.client.clone(), e.time.clone())),
                _ => None,
            })
            .collect();
        prop_assert_eq!(got.len(), table.rows.len(), "{:?}", text);
        let (host, client, time) = &got[table.banned_row];
        prop_assert_eq!(host.as_str(), "chat.demo.example", "{:?}", text);
        prop_assert_eq!(client.as_deref(), Some("10.0.0.7"));
        prop_assert_eq!(time.as_deref(), Some("2025-03-04 05:06:07"));
    }

    /// Broken tables in any encoding: neither reader panics.
    #[test]
    fn broken_tables_do_not_panic(bytes in soup(), encoding in encoding()) {
        let bytes = match encoding {
            Encoding::Utf8 => bytes,
            Encoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), &bytes].concat(),
            // Raw bytes after a UTF-16 mark: odd lengths and lone
            // surrogates included.
            Encoding::Utf16Le => [b"\xFF\xFE".as_slice(), &bytes].concat(),
            Encoding::Utf16Be => [b"\xFE\xFF".as_slice(), &bytes].concat(),
        };
        for spec in [&app_csv::SPEC, &endpoint_csv::SPEC] {
            let _ = read(spec, &Source::bytes("t.csv", bytes.clone()));
        }
    }
}
