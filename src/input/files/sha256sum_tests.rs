use super::*;
use crate::input::item::ItemKind;
use crate::input::testing::{Collect, read_fixture};

const BANNED: &str = "3079dbdd9cbc792fc7386a57363fdc663bec436620bebe7eda3228cb72ed41e4";

fn run(name: &str) -> Collect {
    read_fixture(&SPEC, &format!("sha256sum/{name}"), name)
}

/// `(digest, name, line, column)` of each file item.
fn files(c: &Collect) -> Vec<(String, String, u64, usize)> {
    c.items
        .iter()
        .map(|g| match &g.item {
            ItemKind::File(f) => (
                f.sha256.to_string(),
                f.name.clone().unwrap_or_default(),
                g.line,
                g.column,
            ),
            other => panic!("not a file: {other:?}"),
        })
        .collect()
}

/// GNU lines, text and binary mode, and an escaped name: each digest at
/// its line, the banned one on line 3.
#[test]
fn gnu_lines() {
    let out = run("SHA256SUMS");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let got = files(&out);
    assert_eq!(got.len(), 4);
    assert_eq!(got[0].1, "readme.txt");
    assert_eq!(got[1].1, "DeepSeekFanSetup.exe");
    assert_eq!(
        got[2],
        (BANNED.to_string(), "DeepSeekSetup.exe".to_string(), 3, 1)
    );
    assert_eq!(got[3].1, "odd\\name.bin");
    assert_eq!(got[3].3, 2, "the digest after the escape mark");
    assert_eq!(out.items[2].len, 64);
}

/// BSD tag lines: the digest after `) = `.
#[test]
fn bsd_tag_lines() {
    let out = run("bsd-tag.sha256");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let got = files(&out);
    assert_eq!(
        got[1],
        (
            BANNED.to_string(),
            "installers/DeepSeekSetup.exe".to_string(),
            2,
            41
        )
    );
}

/// Malformed lines are passed over one by one, each with its span; the
/// lines after them are still read.
#[test]
fn malformed_lines_are_skipped() {
    let out = run("malformed.sha256");
    let got = files(&out);
    assert_eq!(got.len(), 2);
    assert_eq!((got[1].0.as_str(), got[1].2), (BANNED, 8));
    let messages: Vec<(u64, &str)> = out
        .problems
        .iter()
        .map(|p| (p.at.as_ref().map_or(0, |a| a.line), p.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                3,
                "`b1946ac92492d2347c6235b4d2611184` is not a sha256 digest (64 hexadecimal characters)"
            ),
            (4, "a digest without `  name` or ` *name` after it"),
            (5, "a MD5 digest: banscan matches sha256 digests only"),
            (
                6,
                "a name with a `\\` escape other than `\\\\`, `\\n` or `\\r`"
            ),
        ]
    );
    assert_eq!(out.problem_places()[0], (3, 1, 32));
    assert!(
        out.problems
            .iter()
            .all(|p| p.impact == crate::input::Impact::Skipped)
    );
}

/// Names holding `) = ` in a tag line, and escapes in both styles.
#[test]
fn tricky_names() {
    let hex = BANNED;
    let name = |line: String| parse(&line).unwrap().unwrap().name.into_owned();
    assert_eq!(name(format!("SHA256 (a) = b) = {hex}")), "a) = b");
    assert_eq!(name(format!("\\SHA256 (a\\nb) = {hex}")), "a\nb");
    assert_eq!(name(format!("\\{hex}  a\\\\b\\rc")), "a\\b\rc");
    assert_eq!(
        name(format!("{hex}  name with  spaces ")),
        "name with  spaces "
    );
    assert_eq!(parse("").unwrap(), None);
    assert_eq!(parse("  # note").unwrap(), None);
    assert!(parse(&format!("SHA256 (a) = {hex}0")).is_err());
    assert!(parse(&format!("{hex}\tname")).is_err());
    assert!(parse(&format!("{hex}0  name")).is_err());
    assert!(parse(&format!("SHA512 (a) = {hex}{hex}")).is_err());
}

/// Garbage never panics.
#[test]
fn garbage_does_not_panic() {
    for line in [
        "\\",
        "\\\\",
        "SHA256 (",
        "SHA256 () = ",
        " ",
        "*",
        " *x",
        "é",
        "\\é  x",
        "SHA256 (é) = é",
    ] {
        let _ = parse(line);
    }
}

/// The shape takes `sha256sum` output whatever the file is called, and
/// not prose, a pip requirement with a hash, or an md5 list.
#[test]
fn shape() {
    let read = |name: &str| {
        std::fs::read_to_string(
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/sha256sum")
                .join(name),
        )
        .unwrap()
    };
    assert!(looks_like(&read("SHA256SUMS")));
    assert!(looks_like(&read("bsd-tag.sha256")));
    assert!(!looks_like("hello world\nthis is prose\n"));
    assert!(!looks_like(&format!(
        "requests==2.32.3 \\\n    --hash=sha256:{BANNED}\n"
    )));
    assert!(!looks_like(
        "b1946ac92492d2347c6235b4d2611184  readme.txt\n"
    ));
    assert!(!looks_like(""));
}
