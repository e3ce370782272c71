//! App names and publishers are matched after Unicode NFKC and whitespace
//! folding (issue 12): `DeepSeek  ` and `ＤｅｅｐＳｅｅｋ` are `DeepSeek`, in
//! the matcher and through the prefilter that lets lines pass unread.

use serde_json::Value;

use crate::common::scan_with_policy;

/// Bans `DeepSeek*` by the publisher Demo Labs (so `DeepSeek Fan
/// Wallpapers` by Fan Tools is a near miss), and `Deep Seek Chat` written
/// with a double space and fullwidth letters in the policy itself.
const POLICY: &str = r#"
product: demo-apps
name: Demo apps
identifiers:
  apps:
    - name: "DeepSeek*"
      publisher: Demo Labs
    - name: "Deep  Seek Ｃｈａｔ"
---
policy: xx-demo-2025-apps
title: Demo ban on some apps
authority: Demo Ministry
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Demo Act
sources: [{title: Demo notice, publisher: Demo Gazette, url: "https://example.org/notice"}]
binds: {sectors: [all]}
severity: ban
bans:
  - product: demo-apps
examples:
  violating: [{app: {name: "ＤｅｅｐＳｅｅｋ", publisher: "Demo  Labs"}}]
  compliant: [{app: {name: DeepSeek Fan Wallpapers, publisher: Fan Tools}}]
"#;

/// The lines flagged in `fixture`, sorted.
fn flagged_lines(fixture: &str) -> Vec<u64> {
    let run = scan_with_policy(POLICY, &[fixture], "json");
    run.expect_code(1);
    let report: Value = run.json();
    let mut lines: Vec<u64> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["line"].as_u64().unwrap())
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

/// A trailing double space, fullwidth letters, a tab and double space
/// inside a name, and a fullwidth publisher with an ideographic space all
/// match; the near misses do not. Every line but these is ASCII, so the
/// double-spaced and tabbed ones reach the matcher only if the prefilter's
/// literals hold no space.
#[test]
fn names_and_publishers_are_folded() {
    assert_eq!(
        flagged_lines("tests/fixtures/app-csv/unicode-and-spaces.csv"),
        [3, 4, 5, 7]
    );
}

/// The same inventory cut into many chunks (a large file is read on every
/// core with the prefilter): a fullwidth name far from the start is found.
#[test]
fn prefilter_does_not_hide_a_fullwidth_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("device,app_name,publisher,version\n");
    for i in 0..200_000 {
        text.push_str(&format!("PC-{i},Mozilla Firefox,Mozilla,126.0\n"));
    }
    text.push_str("PC-LAST,ＤｅｅｐＳｅｅｋ,Ｄｅｍｏ Ｌａｂｓ,1.0\n");
    let path = dir.path().join("big.csv");
    std::fs::write(&path, text).unwrap();
    assert_eq!(flagged_lines(path.to_str().unwrap()), [200_002]);
}
