use super::*;
use crate::input::Impact;
use crate::input::item::{App, ItemKind};
use crate::input::testing::Collect;

fn run(text: &str) -> Collect {
    let mut sink = Collect::default();
    if let Err(p) = read_text(&Arc::from("page.json"), text, &mut sink) {
        sink.problems.push(p);
    }
    sink
}

fn apps(c: &Collect) -> Vec<&App> {
    c.items
        .iter()
        .filter_map(|g| match &g.item {
            ItemKind::App(a) => Some(a),
            _ => None,
        })
        .collect()
}

const PRETTY: &str = r#"{
  "@odata.context": "https://api.security.microsoft.com/api/$metadata#SoftwareInventoryByMachine",
  "value": [
    {
      "id": "a1b2_mozilla_firefox_126.0.0.0",
      "deviceId": "a1b2",
      "deviceName": "laptop-ann",
      "osPlatform": "Windows11",
      "softwareVendor": "mozilla",
      "softwareName": "firefox",
      "softwareVersion": "126.0.0.0"
    },
    {
      "id": "a1b2_x_y",
      "deviceId": "a1b2",
      "softwareName": null
    },
    {"deviceName": "desk-bob", "softwareVendor": "hangzhou_deepseek", "softwareName": "deepseek", "softwareVersion": "1.2.0.0"},
    7
  ],
  "@odata.nextLink": "https://api.security.microsoft.com/api/machines/SoftwareInventoryByMachine?pageIndex=2&pageSize=4"
}
"#;

/// Each record of a pretty page is an app at its `softwareName` line,
/// with its device, vendor and platform; a record without a name and an
/// element that is no object are passed over at their lines; a next page
/// not in the file is a warning.
#[test]
fn records_at_their_lines() {
    let out = run(PRETTY);
    let apps = apps(&out);
    assert_eq!(apps.len(), 2);
    assert_eq!(apps[0].name.as_deref(), Some("firefox"));
    assert_eq!(apps[0].device.as_deref(), Some("laptop-ann"));
    assert_eq!(apps[0].platform.as_deref(), Some("Windows11"));
    assert_eq!(apps[1].publisher.as_deref(), Some("hangzhou_deepseek"));
    let places: Vec<(u64, usize, usize)> = out
        .items
        .iter()
        .map(|g| (g.line, g.column, g.len))
        .collect();
    assert_eq!(places, [(10, 24, 7), (18, 88, 8)]);
    let problems: Vec<(Option<u64>, Impact)> = out
        .problems
        .iter()
        .map(|p| (p.at.as_ref().map(|a| a.line), p.impact))
        .collect();
    assert_eq!(
        problems,
        [
            (Some(14), Impact::Skipped),
            (Some(19), Impact::Skipped),
            (None, Impact::Warning)
        ]
    );
    assert!(out.problems[2].message.contains("@odata.nextLink"));
}

/// A compact page (one line) reads the same; the last page has no next.
#[test]
fn compact_page() {
    let text = r#"{"@odata.context":"x","value":[{"deviceName":"pc","softwareName":"zoom"},{"deviceName":"pc","softwareName":"wechat"}]}"#;
    let out = run(text);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let columns: Vec<(u64, usize)> = out.items.iter().map(|g| (g.line, g.column)).collect();
    assert_eq!(columns, [(1, 67), (1, 109)]);
}

/// A page cut off, or with no `value` list, is not read: one problem, at
/// its line when there is one; an empty file is a warning.
#[test]
fn broken_pages() {
    let cut = &PRETTY[..PRETTY.find("\"osPlatform\"").unwrap()];
    let out = run(cut);
    assert!(out.items.is_empty());
    assert_eq!(out.problems.len(), 1);
    assert_eq!(out.problems[0].impact, Impact::Unread);
    assert!(
        out.problems[0].message.contains("ends in the middle"),
        "{}",
        out.problems[0].message
    );
    assert_eq!(out.problems[0].at.as_ref().map(|a| a.line), Some(8));
    let out = run(r#"{"@odata.context": "x", "error": {"code": "Unauthorized"}}"#);
    assert!(out.problems[0].message.contains("no `value` list"));
    let out = run("  \n");
    assert_eq!(out.problems[0].impact, Impact::Warning);
}
