//! Golden tests: each fixture under `tests/fixtures/spdx/` (see its
//! README) read into one line per item or problem.

use super::*;
use crate::input::packages::cyclonedx::tests::render;
use crate::input::testing::{read, read_fixture};

fn fixture(name: &str) -> Vec<String> {
    render(&read_fixture(
        &SPEC,
        &format!("spdx/{name}/app.spdx.json"),
        "app.spdx.json",
    ))
}

/// Both category spellings, the purl ref found after a CPE ref, the
/// described package as the root (no purl: not emitted, not warned),
/// `DEPENDS_ON` and `DEPENDENCY_OF`, a bad purl skipped.
#[test]
fn app() {
    assert_eq!(
        fixture("app"),
        [
            "22:96 pypi:langchain-deepseek@0.1.3 [pkg:pypi/langchain-deepseek@0.1.3] direct=yes scope=- path=chat-app > langchain-deepseek",
            "31:96 pypi:requests@2.32.3 [pkg:pypi/requests@2.32.3] direct=yes scope=- path=chat-app > requests",
            "40:96 pypi:urllib3@2.2.3 [pkg:pypi/urllib3@2.2.3] direct=no scope=- path=chat-app > requests > urllib3",
            "48:96 Skipped: the package `broken` has a purl banscan cannot read: missing scheme",
            "- Warning: 1 package without a purl not checked",
        ]
    );
}

#[test]
fn empty() {
    assert_eq!(
        fixture("empty"),
        ["- Warning: the SBOM is empty: it lists no packages",]
    );
}

#[test]
fn truncated() {
    assert_eq!(
        fixture("truncated"),
        [
            "31:83 Unread: the SBOM ends in the middle of its JSON (truncated?): EOF while parsing a string at line 31 column 83; it was not read",
        ]
    );
}

/// Without relationships, `direct` and `path` are unknown.
#[test]
fn no_relationships() {
    let text = "{\"spdxVersion\":\"SPDX-2.3\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"packages\":[\n\
                {\"SPDXID\":\"SPDXRef-a\",\"name\":\"Newtonsoft.Json\",\"externalRefs\":[{\"referenceCategory\":\"PACKAGE_MANAGER\",\
                \"referenceType\":\"purl\",\"referenceLocator\":\"pkg:nuget/Newtonsoft.Json@13.0.3\"}]}]}";
    let got = render(&read(
        &SPEC,
        &Source::bytes("app.spdx.json", text.as_bytes().to_vec()),
    ));
    assert_eq!(
        got,
        [
            "2:146 nuget:Newtonsoft.Json@13.0.3 [pkg:nuget/Newtonsoft.Json@13.0.3] direct=? scope=- path=",
        ]
    );
}
