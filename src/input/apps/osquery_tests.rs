use super::*;
use crate::input::Source;
use crate::input::item::ItemKind;
use crate::input::testing::{Collect, read};

fn run(text: &str) -> Collect {
    read(
        &SPEC,
        &Source::bytes("inventory/PC-7.json", text.as_bytes().to_vec()),
    )
}

/// Tables by name, at the end of a query name too.
#[test]
fn tables_by_name() {
    assert_eq!(Table::from_name("programs"), Some(Table::Programs));
    assert_eq!(
        Table::from_name("pack/inventory/deb_packages"),
        Some(Table::Deb)
    );
    assert_eq!(
        Table::from_name("firefox_addons"),
        Some(Table::FirefoxAddons)
    );
    assert_eq!(
        Table::from_name("safari_extensions"),
        Some(Table::SafariExtensions)
    );
    assert_eq!(Table::from_name("homebrew_packages"), None);
}

/// Every value a string, as osqueryi writes them: each table's row
/// becomes its item, the device the file's name.
#[test]
fn rows_by_their_columns() {
    let out = run(concat!(
        r#"[{"name":"WeChat","publisher":"Tencent","version":"3.9","identifying_number":""}]"#,
        "\n",
        r#"[{"arch":"amd64","maintainer":"K","name":"kesl","revision":"","version":"12"}]"#,
        "\n",
        r#"[{"arch":"x86_64","epoch":"","name":"kesl","release":"2","version":"12.1"}]"#,
        "\n",
        r#"[{"name":"Requests","version":"2.0","summary":"","path":"/usr/lib/python3/dist-packages/x"}]"#,
        "\n",
        r#"[{"name":"Zoom.app","bundle_identifier":"us.zoom.xos","bundle_short_version":"6.0"}]"#,
    ));
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let got: Vec<String> = out
        .items
        .iter()
        .map(|g| match &g.item {
            ItemKind::App(a) => format!(
                "{}:{:?}/{:?}/{:?}/{:?}",
                g.line, a.name, a.platform, a.device, a.version
            ),
            ItemKind::Package(p) => {
                format!("{}:{}/{}/{:?}", g.line, p.ecosystem, p.key, p.version)
            }
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(
        got,
        [
            r#"1:Some("WeChat")/Some("windows")/Some("PC-7")/Some("3.9")"#,
            r#"2:deb/kesl/Some("12")"#,
            r#"3:rpm/kesl/Some("12.1-2")"#,
            r#"4:pypi/requests/Some("2.0")"#,
            r#"5:Some("Zoom")/Some("macos")/Some("PC-7")/Some("6.0")"#,
        ]
    );
}

/// A row without a name is skipped at its line, not dropped; an element
/// that is no object too; the rest is read.
#[test]
fn rows_without_a_name_are_skipped() {
    let out = run("[\n{\"version\":\"1\"},\n\"x\",\n{\"name\":\"A\"}\n]\n");
    assert_eq!(out.items.len(), 1);
    assert_eq!(out.problem_places().len(), 2);
    assert!(
        out.problems
            .iter()
            .all(|p| p.impact == crate::input::Impact::Skipped)
    );
}

/// Removed rows, in either form of the log, are not items.
#[test]
fn removed_rows_are_not_items() {
    let out = run(concat!(
        r#"{"name":"programs","hostIdentifier":"h","columns":{"name":"A"},"action":"removed"}"#,
        "\n",
        r#"{"name":"programs","hostIdentifier":"h","diffResults":{"added":[],"removed":[{"name":"B"}]}}"#,
        "\n",
    ));
    assert!(out.items.is_empty() && out.problems.is_empty());
}

/// An empty export is a warning; text after the last array is an error.
#[test]
fn empty_and_trailing_text() {
    let out = run("  \n");
    assert_eq!(out.problems[0].impact, crate::input::Impact::Warning);
    let out = run("[{\"name\":\"A\"}]\nnot json\n");
    assert_eq!(out.problem_places()[0].0, 2);
}

#[test]
fn locate_finds_a_value_or_its_bundle() {
    assert_eq!(
        locate(r#"{"a":"DeepSeek Fan","b":"DeepSeek"}"#, 0, "DeepSeek"),
        (25, 8)
    );
    assert_eq!(locate(r#"{"name":"X.app"}"#, 0, "X"), (9, 1));
    assert_eq!(locate(r#"{"name":"X\"y"}"#, 0, "X\"y"), (0, 15));
}
