//! Golden tests: each fixture under `tests/fixtures/cyclonedx/` (see its
//! README) read into one line per item or problem.

use super::*;
use crate::input::testing::{Collect, read, read_fixture, render_packages_as};

/// Golden lines with each package's ecosystem (an SBOM mixes them).
pub(crate) fn render(got: &Collect) -> Vec<String> {
    render_packages_as(got, true)
}

fn fixture(name: &str) -> Vec<String> {
    render(&read_fixture(
        &SPEC,
        &format!("cyclonedx/{name}/bom.json"),
        "bom.json",
    ))
}

#[test]
fn requirements() {
    assert_eq!(
        fixture("requirements"),
        [
            "14:16 pypi:langchain-deepseek@0.1.3 [pkg:pypi/langchain-deepseek@0.1.3] direct=? scope=- path=",
            "29:16 pypi:requests@2.32.3 [pkg:pypi/requests@2.32.3] direct=? scope=- path=",
        ]
    );
}

#[test]
fn environment() {
    assert_eq!(
        fixture("environment"),
        [
            "33:16 pypi:certifi@2026.10.19.post1 [pkg:pypi/certifi@2026.10.19.post1] direct=no scope=- path=chat-app > requests > certifi",
            "71:16 pypi:charset-normalizer@3.5.3 [pkg:pypi/charset-normalizer@3.5.3] direct=no scope=- path=chat-app > requests > charset-normalizer",
            "104:16 pypi:idna@3.21 [pkg:pypi/idna@3.21] direct=no scope=- path=chat-app > requests > idna",
            "137:16 pypi:langchain-deepseek@0.1.3 [pkg:pypi/langchain-deepseek@0.1.3] direct=yes scope=- path=chat-app > langchain-deepseek",
            "175:16 pypi:pip@23.2.1 [pkg:pypi/pip@23.2.1] direct=no scope=- path=",
            "214:16 pypi:requests@2.32.3 [pkg:pypi/requests@2.32.3] direct=yes scope=- path=chat-app > requests",
            "247:16 pypi:setuptools@65.5.0 [pkg:pypi/setuptools@65.5.0] direct=no scope=- path=",
            "290:16 pypi:urllib3@2.8.0 [pkg:pypi/urllib3@2.8.0] direct=no scope=- path=chat-app > requests > urllib3",
        ]
    );
}

#[test]
fn nested() {
    assert_eq!(
        fixture("nested"),
        [
            "19:16 npm:@acme/ui@2.0.0 [pkg:npm/%40acme/ui@2.0.0] direct=yes scope=- path=web-app > @acme/ui",
            "16:101 npm:@ai-sdk/deepseek@1.0.0 [pkg:npm/%40ai-sdk/deepseek@1.0.0] direct=no scope=- path=web-app > @acme/ui > @ai-sdk/deepseek",
            "21:79 maven:org.apache.commons:commons-lang3@3.14.0 [pkg:maven/org.apache.commons/commons-lang3@3.14.0] direct=yes scope=optional path=web-app > org.apache.commons:commons-lang3",
            "25:90 cargo:rand@0.8.5 [pkg:cargo/rand] direct=no scope=- path=",
            "24:70 Skipped: the component `broken` has a purl banscan cannot read: missing scheme",
            "22:79 Warning: 2 components with purl type `github` not checked: banscan knows cargo, npm, pypi, golang, maven, nuget, gem, composer, deb, rpm",
            "- Warning: 1 component without a purl not checked",
        ]
    );
}

#[test]
fn empty() {
    assert_eq!(
        fixture("empty"),
        ["- Warning: the SBOM is empty: it lists no components",]
    );
}

#[test]
fn truncated() {
    assert_eq!(
        fixture("truncated"),
        [
            "124:15 Unread: the SBOM ends in the middle of its JSON (truncated?): EOF while parsing a string at line 124 column 15; it was not read",
        ]
    );
}

#[test]
fn wrong_types_are_a_problem() {
    let got = render(&read(
        &SPEC,
        &Source::bytes(
            "bom.json",
            b"{\"bomFormat\":\"CycloneDX\",\n\"components\":{}}".to_vec(),
        ),
    ));
    assert_eq!(
        got,
        [
            "2:13 Unread: the SBOM cannot be read: invalid type: map, expected a sequence at line 2 column 13",
        ]
    );
}
