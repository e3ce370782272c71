//! Golden tests: each fixture under `tests/fixtures/gemfile-lock/` (see its
//! README for how it was made) read into one line per item or problem.

use super::*;
use crate::input::testing::{read, read_fixture, render_packages};

fn fixture(name: &str) -> Vec<String> {
    render_packages(&read_fixture(
        &SPEC,
        &format!("gemfile-lock/{name}/Gemfile.lock"),
        "Gemfile.lock",
    ))
}

#[allow(dead_code)]
fn bytes(text: &str) -> Vec<String> {
    render_packages(&read(
        &SPEC,
        &Source::bytes("Gemfile.lock", text.as_bytes().to_vec()),
    ))
}

/// Hand-written in Bundler 2.6's shape: GIT, PATH and GEM specs at their
/// lines, the platform cut from `nokogiri`'s version, `direct` from
/// DEPENDENCIES (`!` dropped), and the shortest chain from the project.
#[test]
fn app() {
    assert_eq!(
        fixture("app"),
        [
            "6:5 deepseek-rails@0.3.0 [deepseek-rails] direct=yes scope=- path=Gemfile > deepseek-rails",
            "12:5 chat_app@1.0.0 [chat_app] direct=yes scope=- path=Gemfile > chat_app",
            "18:5 deepseek-client@0.2.0 [deepseek-client] direct=no scope=- path=Gemfile > deepseek-rails > deepseek-client",
            "20:5 faraday@2.12.2 [faraday] direct=no scope=- path=Gemfile > chat_app > faraday",
            "24:5 faraday-net_http@3.4.0 [faraday-net_http] direct=no scope=- path=Gemfile > chat_app > faraday > faraday-net_http",
            "26:5 json@2.9.1 [json] direct=no scope=- path=Gemfile > chat_app > faraday > json",
            "27:5 logger@1.6.5 [logger] direct=no scope=- path=Gemfile > chat_app > faraday > logger",
            "28:5 net-http@0.6.0 [net-http] direct=no scope=- path=Gemfile > chat_app > faraday > faraday-net_http > net-http",
            "30:5 nokogiri@1.18.2 [nokogiri] direct=yes scope=- path=Gemfile > nokogiri",
            "32:5 racc@1.8.1 [racc] direct=no scope=- path=Gemfile > nokogiri > racc",
            "33:5 rake@13.2.1 [rake] direct=yes scope=- path=Gemfile > rake",
            "34:5 uri@1.0.2 [uri] direct=no scope=- path=Gemfile > chat_app > faraday > faraday-net_http > net-http > uri",
        ]
    );
}

/// An empty file lists nothing, and says so as a warning.
#[test]
fn empty() {
    assert_eq!(
        fixture("empty"),
        ["- Warning: the lockfile is empty: it lists no gems"]
    );
}

/// A file cut in the middle of a spec line is one problem at its end:
/// unread evidence.
#[test]
fn truncated() {
    assert_eq!(
        fixture("truncated"),
        ["30:19 Unread: the lockfile ends in the middle of a line (truncated?); it was not read"]
    );
}

/// A file cut at a line's end, before DEPENDENCIES, is unread too; a spec
/// without a version is passed over; CRLF endings and CHECKSUMS are fine;
/// a gem no dependency reaches has no path.
#[test]
fn odd_files() {
    assert_eq!(
        bytes("GEM\n  remote: https://rubygems.org/\n  specs:\n    rake (13.2.1)\n"),
        [
            "4:18 Unread: the lockfile ends before its DEPENDENCIES section, which Bundler always writes (truncated?); it was not read"
        ]
    );
    assert_eq!(
        bytes(
            "GEM\r\n  specs:\r\n    a (1.0)\r\n    b\r\n    c (2.0-java)\r\n\r\nDEPENDENCIES\r\n  a!\r\n\r\nCHECKSUMS\r\n  a (1.0) sha256=00\r\n"
        ),
        [
            "3:5 a@1.0 [a] direct=yes scope=- path=Gemfile > a",
            "5:5 c@2.0 [c] direct=no scope=- path=",
            "4:5 Skipped: the gem `b` has no version: a spec is `name (version)`",
        ]
    );
}
