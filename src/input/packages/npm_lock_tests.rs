//! Golden tests: each fixture under `tests/fixtures/npm-lock/` (made by
//! npm; see its README) read into one line per item or problem.

use super::*;
use crate::input::item::ItemKind;
use crate::input::testing::{read, read_fixture, render_packages};

fn fixture(name: &str) -> Vec<String> {
    render_packages(&read_fixture(
        &SPEC,
        &format!("npm-lock/{name}/package-lock.json"),
        "package-lock.json",
    ))
}

fn bytes(text: &str) -> Vec<String> {
    render_packages(&read(
        &SPEC,
        &Source::bytes("package-lock.json", text.as_bytes().to_vec()),
    ))
}

/// npm 11, lockfileVersion 3: a direct banned package at its key, transitive ones with their shortest
/// chain, an alias under its real name (pointing at `sw`), dev, optional and peer scopes,
/// packages nested under an alias and under a workspace member (resolved from their own
/// folder first), the workspace member once (not its link) and what it asks for as direct.
#[test]
fn v3() {
    assert_eq!(
        fixture("v3"),
        [
            "29:19 @ai-sdk/deepseek@1.0.0 [@ai-sdk/deepseek] direct=yes scope=- path=chat-app > @ai-sdk/deepseek",
            "45:19 @ai-sdk/openai-compatible@1.0.0 [@ai-sdk/openai-compatible] direct=no scope=- path=chat-app > @ai-sdk/deepseek > @ai-sdk/openai-compatible",
            "60:19 @ai-sdk/provider@2.0.0 [@ai-sdk/provider] direct=no scope=- path=chat-app > @ai-sdk/deepseek > @ai-sdk/provider",
            "71:19 @ai-sdk/provider-utils@3.0.0 [@ai-sdk/provider-utils] direct=no scope=- path=chat-app > @ai-sdk/deepseek > @ai-sdk/provider-utils",
            "88:19 @standard-schema/spec@1.1.0 [@standard-schema/spec] direct=no scope=- path=chat-app > @ai-sdk/deepseek > @ai-sdk/provider-utils > @standard-schema/spec",
            "93:19 ansi-regex@6.6.0 [ansi-regex] direct=no scope=- path=chat-app > strip-ansi > ansi-regex",
            "104:19 emoji-regex@8.0.0 [emoji-regex] direct=no scope=- path=chat-app > string-width > emoji-regex",
            "109:19 eventsource-parser@3.1.1 [eventsource-parser] direct=no scope=- path=chat-app > @ai-sdk/deepseek > @ai-sdk/provider-utils > eventsource-parser",
            "117:19 is-fullwidth-code-point@3.0.0 [is-fullwidth-code-point] direct=no scope=- path=chat-app > string-width > is-fullwidth-code-point",
            "125:19 is-number@6.0.0 [is-number] direct=no scope=optional path=chat-app > is-odd > is-number",
            "134:19 is-odd@3.0.1 [is-odd] direct=yes scope=optional path=chat-app > is-odd",
            "146:19 json-schema@0.4.0 [json-schema] direct=no scope=- path=chat-app > @ai-sdk/deepseek > @ai-sdk/provider > json-schema",
            "151:19 left-pad@1.3.0 [left-pad] direct=yes scope=dev path=chat-app > left-pad",
            "157:19 strip-ansi@7.2.0 [strip-ansi] direct=yes scope=- path=chat-app > strip-ansi",
            "171:19 string-width@4.2.3 [sw] direct=yes scope=- path=chat-app > string-width",
            "185:35 ansi-regex@5.0.1 [ansi-regex] direct=no scope=- path=chat-app > string-width > strip-ansi > ansi-regex",
            "193:35 strip-ansi@6.0.1 [strip-ansi] direct=no scope=- path=chat-app > string-width > strip-ansi",
            "204:19 zod@4.6.7 [zod] direct=no scope=peer path=chat-app > @ai-sdk/deepseek > zod",
            "213:19 zod-to-json-schema@3.25.2 [zod-to-json-schema] direct=no scope=- path=chat-app > @ai-sdk/deepseek > @ai-sdk/provider-utils > zod-to-json-schema",
            "221:6 @acme/lib@0.1.0 [packages/lib] direct=yes scope=- path=chat-app > @acme/lib",
            "228:32 is-number@7.0.0 [is-number] direct=yes scope=- path=chat-app > @acme/lib > is-number",
        ]
    );
}

/// npm 11 with `--lockfile-version 2`: `packages` is read and the v1 `dependencies` after it ignored.
#[test]
fn v2() {
    assert_eq!(
        fixture("v2"),
        [
            "14:19 @ai-sdk/deepseek@1.0.0 [@ai-sdk/deepseek] direct=yes scope=- path=chat-app-v2 > @ai-sdk/deepseek",
            "30:19 @ai-sdk/openai-compatible@1.0.0 [@ai-sdk/openai-compatible] direct=no scope=- path=chat-app-v2 > @ai-sdk/deepseek > @ai-sdk/openai-compatible",
            "45:19 @ai-sdk/provider@2.0.0 [@ai-sdk/provider] direct=no scope=- path=chat-app-v2 > @ai-sdk/deepseek > @ai-sdk/provider",
            "56:19 @ai-sdk/provider-utils@3.0.0 [@ai-sdk/provider-utils] direct=no scope=- path=chat-app-v2 > @ai-sdk/deepseek > @ai-sdk/provider-utils",
            "73:19 @standard-schema/spec@1.1.0 [@standard-schema/spec] direct=no scope=- path=chat-app-v2 > @ai-sdk/deepseek > @ai-sdk/provider-utils > @standard-schema/spec",
            "78:19 eventsource-parser@3.1.1 [eventsource-parser] direct=no scope=- path=chat-app-v2 > @ai-sdk/deepseek > @ai-sdk/provider-utils > eventsource-parser",
            "86:19 json-schema@0.4.0 [json-schema] direct=no scope=- path=chat-app-v2 > @ai-sdk/deepseek > @ai-sdk/provider > json-schema",
            "91:19 zod@4.6.7 [zod] direct=no scope=peer path=chat-app-v2 > @ai-sdk/deepseek > zod",
            "100:19 zod-to-json-schema@3.25.2 [zod-to-json-schema] direct=no scope=- path=chat-app-v2 > @ai-sdk/deepseek > @ai-sdk/provider-utils > zod-to-json-schema",
        ]
    );
}

/// npm 6, lockfileVersion 1: nested `dependencies` as nested folders, the `npm:` alias, `dev`;
/// the packages no other package requires are the root's, the others cannot be told.
#[test]
fn v1() {
    assert_eq!(
        fixture("v1"),
        [
            "7:6 @ai-sdk/deepseek@1.0.60 [@ai-sdk/deepseek] direct=yes scope=- path=legacy-app > @ai-sdk/deepseek",
            "16:6 @ai-sdk/provider@2.0.5 [@ai-sdk/provider] direct=? scope=- path=legacy-app > @ai-sdk/deepseek > @ai-sdk/provider",
            "24:6 @ai-sdk/provider-utils@3.0.40 [@ai-sdk/provider-utils] direct=? scope=- path=legacy-app > @ai-sdk/deepseek > @ai-sdk/provider-utils",
            "35:6 @fastify/busboy@2.1.1 [@fastify/busboy] direct=? scope=- path=legacy-app > @ai-sdk/deepseek > @ai-sdk/provider-utils > undici > @fastify/busboy",
            "40:6 @standard-schema/spec@1.1.0 [@standard-schema/spec] direct=? scope=- path=legacy-app > @ai-sdk/deepseek > @ai-sdk/provider-utils > @standard-schema/spec",
            "45:6 ansi-regex@6.6.0 [ansi-regex] direct=? scope=- path=legacy-app > strip-ansi > ansi-regex",
            "50:6 emoji-regex@8.0.0 [emoji-regex] direct=? scope=- path=legacy-app > string-width > emoji-regex",
            "55:6 eventsource-parser@3.1.1 [eventsource-parser] direct=? scope=- path=legacy-app > @ai-sdk/deepseek > @ai-sdk/provider-utils > eventsource-parser",
            "60:6 is-fullwidth-code-point@3.0.0 [is-fullwidth-code-point] direct=? scope=- path=legacy-app > string-width > is-fullwidth-code-point",
            "65:6 json-schema@0.4.0 [json-schema] direct=? scope=- path=legacy-app > @ai-sdk/deepseek > @ai-sdk/provider > json-schema",
            "70:6 left-pad@1.3.0 [left-pad] direct=yes scope=dev path=legacy-app > left-pad",
            "76:6 strip-ansi@7.2.0 [strip-ansi] direct=yes scope=- path=legacy-app > strip-ansi",
            "84:6 string-width@4.2.3 [sw] direct=yes scope=- path=legacy-app > string-width",
            "94:10 ansi-regex@5.0.1 [ansi-regex] direct=? scope=- path=legacy-app > string-width > strip-ansi > ansi-regex",
            "99:10 strip-ansi@6.0.1 [strip-ansi] direct=? scope=- path=legacy-app > string-width > strip-ansi",
            "109:6 undici@5.29.0 [undici] direct=? scope=- path=legacy-app > @ai-sdk/deepseek > @ai-sdk/provider-utils > undici",
        ]
    );
}

/// An empty file lists nothing, and says so as a warning: nothing was lost.
#[test]
fn empty() {
    assert_eq!(
        fixture("empty"),
        ["- Warning: the lockfile is empty: it lists no packages",]
    );
}

/// A file cut short is one problem at its last line: the file is unread evidence.
#[test]
fn truncated() {
    assert_eq!(
        fixture("truncated"),
        [
            "90:2 Unread: the lockfile ends in the middle of its JSON (truncated?): EOF while parsing a value at line 90 column 2; it was not read",
        ]
    );
}

/// A lockfileVersion banscan does not know is a problem naming it, at its key.
#[test]
fn unknown_version() {
    assert_eq!(
        fixture("unknown-version"),
        ["4:3 Unread: unknown lockfileVersion 4: banscan reads versions 1, 2 and 3",]
    );
}

/// An installed entry without a version is a record passed over at its key; the others are read.
#[test]
fn no_version() {
    assert_eq!(
        fixture("no-version"),
        [
            "19:19 left-pad@1.3.0 [left-pad] direct=yes scope=- path=odd-app > left-pad",
            "15:19 Skipped: the entry `node_modules/@ai-sdk/deepseek` has no version",
        ]
    );
}

/// A syntax error in the middle is one problem at its line and column.
#[test]
fn syntax_error_at_its_line() {
    let text = "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"node_modules/a\": {\"version\": \"1.0.0\",}\n  }\n}\n";
    let got = bytes(text);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("4:43 Unread: the lockfile cannot be read: trailing comma"),
        "{got:?}"
    );
}

/// Keys are found by the tokenizer whatever the layout: minified, with
/// escapes and with braces inside strings; a link whose target has an
/// entry is reported once, at the target, with the target's name.
#[test]
fn minified_links_and_escapes() {
    let text = concat!(
        r#"{"name":"app","lockfileVersion":3,"requires":true,"packages":{"#,
        r#""":{"name":"app","dependencies":{"x":"file:../x","b{":"1"}},"#,
        r#""node_modules/x":{"resolved":"../x","link":true},"#,
        r#""node_modules/b{":{"version":"1.0.0","description":"}{\"][\\"},"#,
        r#""node_modules/\u0063":{"version":"2.0.0"},"#,
        r#""../x":{"name":"real-x","version":"0.1.0","dependencies":{"c":"2"}}}}"#,
    );
    assert_eq!(
        bytes(text),
        [
            "1:186 b{@1.0.0 [b{] direct=yes scope=- path=app > b{",
            "1:235 c@2.0.0 [\"node_modules/\\u0063\"] direct=no scope=- path=app > real-x > c",
            "1:278 real-x@0.1.0 [../x] direct=yes scope=- path=app > real-x",
        ]
    );
}

/// The version check names what it found; a v1 file of npm ≤4 (no
/// `lockfileVersion`) is read as version 1.
#[test]
fn versions() {
    let got = bytes(r#"{"lockfileVersion":"3","packages":{}}"#);
    assert_eq!(
        got,
        ["1:2 Unread: unknown lockfileVersion \"3\": banscan reads versions 1, 2 and 3"]
    );
    let got = bytes(r#"{"name":"old","dependencies":{"a":{"version":"https://x.test/a.tgz"}}}"#);
    assert_eq!(got, ["1:32 a@- [a] direct=yes scope=- path=old > a"]);
}

/// 10,000 packages, each needing two others (a tree 14 deep), in well
/// under a second: one pass for the keys, one index of lines, one
/// breadth-first walk, no text search per entry.
#[test]
fn ten_thousand_packages_are_fast() {
    let n = 10_000;
    let mut text = String::from(
        "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\"name\": \"app\", \"dependencies\": {\"p0\": \"1\"}},\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "    \"node_modules/p{i}\": {{\"version\": \"1.0.{i}\", \"dependencies\": {{\"p{}\": \"1\", \"p{}\": \"1\"}}}}{}\n",
            2 * i + 1,
            2 * i + 2,
            if i + 1 < n { "," } else { "" }
        ));
    }
    text.push_str("  }\n}\n");
    let start = std::time::Instant::now();
    let got = read(
        &SPEC,
        &Source::bytes("package-lock.json", text.into_bytes()),
    );
    let took = start.elapsed();
    assert_eq!(got.items.len(), n);
    assert!(got.problems.is_empty());
    let last = &got.items[n - 1];
    assert_eq!(last.line, n as u64 + 4);
    let ItemKind::Package(p) = &last.item else {
        panic!()
    };
    assert_eq!(p.path.len(), 15, "{:?}", p.path);
    assert!(took.as_secs_f64() < 1.0, "{took:?}");
}
