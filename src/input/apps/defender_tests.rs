use super::*;
use crate::input::Source;
use crate::input::testing::read;

/// A line a prefilter passes over is checked to be a whole object.
#[test]
fn check_finds_cut_lines() {
    assert!(DefenderReader.check(br#"{"softwareName":"x"}"#).is_none());
    assert!(DefenderReader.check(b"  ").is_none());
    assert!(DefenderReader.check(br#"{"softwareName":"x"#).is_some());
}

/// A line without a software name is skipped, the next is read.
#[test]
fn lines_without_a_name_are_skipped() {
    let text = "{\"deviceName\":\"d\"}\n{\"deviceName\":\"d\",\"softwareName\":\"wechat\",\"softwareVendor\":\"tencent\"}\n";
    let out = read(&SPEC, &Source::bytes("s.json", text.as_bytes().to_vec()));
    assert_eq!(out.items.len(), 1);
    assert_eq!(out.items[0].line, 2);
    assert_eq!(out.problems.len(), 1);
    assert_eq!(out.problems[0].impact, crate::input::Impact::Skipped);
}
