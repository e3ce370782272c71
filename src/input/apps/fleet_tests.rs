use super::*;
use crate::input::Source;
use crate::input::item::ItemKind;
use crate::input::testing::read;

/// One host's details: its software with its `hostname` as device; a
/// Chrome extension by its `extension_id`.
#[test]
fn host_details() {
    let text = r#"{"host":{"hostname":"pc-9","software":[
{"name":"Ext","version":"1","source":"chrome_extensions","extension_id":"abc","hosts_count":1}
]}}"#;
    let out = read(&SPEC, &Source::bytes("h.json", text.as_bytes().to_vec()));
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let ItemKind::App(app) = &out.items[0].item else {
        panic!()
    };
    assert_eq!(app.device.as_deref(), Some("pc-9"));
    assert_eq!(app.extension_id.as_deref(), Some("abc"));
    assert_eq!(app.bundle_id, None);
    assert_eq!(out.items[0].line, 2);
}

/// An object without a software list is not read.
#[test]
fn no_software_list() {
    let out = read(&SPEC, &Source::bytes("h.json", b"{\"count\":0}".to_vec()));
    assert_eq!(out.problems.len(), 1);
}

#[test]
fn shape_is_fleets_own() {
    assert!(shape(
        r#"{"count":1,"software":[{"id":1,"name":"a","source":"apps","hosts_count":2}]}"#
    ));
    assert!(!shape(r#"{"software":[{"name":"a"}]}"#));
    assert!(!shape(r#"[{"software":"x","source":"y","hosts_count":1}]"#));
}
