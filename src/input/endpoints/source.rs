//! Endpoint literals in source and configuration files: the host names,
//! URLs and addresses a repository's code and config name
//! (`base_url = "https://api.deepseek.com/v1"`, `DEEPSEEK_HOST=…` in a
//! `.env`, a YAML or TOML setting), each a finding on its own line, as a
//! linter reports a call.
//!
//! Every run of host characters (letters, digits, `-`, `_`, `.`) with a
//! dot is a candidate: a name whose last label is letters (`deepseek.com`,
//! and also `os.path.join`, which no policy bans), or a dotted-quad IPv4
//! address. Version numbers (`1.2.3`) end in digits and are none. Finding
//! them anywhere in a line, comments included, rather than only in string
//! literals, is deliberate: a URL in a shell script needs no quotes, and a
//! read file is not searched by the literal safety net, so a narrower
//! reading would pass over what the net would have caught.
//!
//! Lines are read as text whatever their encoding (a Latin-1 comment is
//! no reason to fail a scan): host names are ASCII, and a line that is
//! not UTF-8 is read in its lossy form. A line over the cap is reported,
//! as everywhere.

use std::sync::Arc;

use crate::ident::{Host, parse_endpoint, parse_ip};
use crate::input::item::{EndpointView, ItemView};
use crate::input::lines::{Line, Lines, too_long};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader};
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "source-code",
    evidence: Evidence::Endpoints,
    description: "source and configuration files: host names, URLs and addresses in their text",
    names: &[".env", ".env.*", "*.env"],
    // No sniffer: the content of source is not distinctive, so these names
    // make a file source code only when no format's shape or sniffer
    // claims it (an SBOM, a lockfile or an allowlist under a `.json` or
    // `.yaml` name), and content alone never does.
    maybe: &[
        "*.py",
        "*.js",
        "*.mjs",
        "*.cjs",
        "*.jsx",
        "*.ts",
        "*.tsx",
        "*.go",
        "*.rs",
        "*.java",
        "*.kt",
        "*.kts",
        "*.scala",
        "*.rb",
        "*.php",
        "*.cs",
        "*.swift",
        "*.m",
        "*.c",
        "*.cc",
        "*.cpp",
        "*.h",
        "*.hpp",
        "*.sh",
        "*.bash",
        "*.zsh",
        "*.ps1",
        "*.lua",
        "*.dart",
        "*.ex",
        "*.exs",
        "*.r",
        "*.jl",
        "*.pl",
        "*.groovy",
        "*.tf",
        "*.hcl",
        "*.yaml",
        "*.yml",
        "*.json",
        "*.toml",
        "*.ini",
        "*.cfg",
        "*.conf",
        "*.properties",
        "*.xml",
    ],
    sniff: None,
    shape: None,
    reader: Reader::Stream(read),
};

/// Whether `spec` is this format, which reads endpoints only: the scan
/// searches its files for the other identifiers as it searches a file not
/// read.
pub fn reads_endpoints_only(spec: &FormatSpec) -> bool {
    std::ptr::eq(spec, &SPEC)
}

fn read(
    source: &Source,
    opened: Opened,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let name = &source.name;
    let mut lines = Lines::new(opened.reader, limits.max_line);
    loop {
        let flow = match lines.next_line().map_err(|e| source.unreadable(&e))? {
            None => return Ok(()),
            Some(Line::TooLong(number, len, start)) => {
                sink.problem(too_long(name, number, Some(len), start, limits.max_line))
            }
            Some(Line::Text(number, byte, bytes)) => {
                let text = String::from_utf8_lossy(bytes);
                line(name, number, byte, &text, sink)
            }
        };
        if flow == Flow::Stop {
            return Ok(());
        }
    }
}

/// Every endpoint literal of one line.
fn line(source: &Arc<str>, number: u64, byte: u64, text: &str, sink: &mut dyn Sink) -> Flow {
    for (offset, token) in candidates(text) {
        let host = match parse_ip(token) {
            Some(ip) => Host::Ip(ip),
            None => match parse_endpoint(token) {
                Ok(host) => host,
                // Not a host after all (`a..b`, a label over 63 bytes).
                Err(_) => continue,
            },
        };
        let flow = sink.item(
            ItemView::Endpoint(EndpointView {
                host: &host,
                url: None,
                client: None,
                time: None,
                key: None,
                each_line: true,
            }),
            At {
                source,
                text,
                line: number,
                offset,
                len: token.len(),
                byte,
            },
        );
        if flow == Flow::Stop {
            return flow;
        }
    }
    Flow::Continue
}

fn host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

/// The runs of host characters in `text` that may be host names or IPv4
/// addresses, with their offsets.
fn candidates(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            while at < bytes.len() && !host_byte(bytes[at]) {
                at += 1;
            }
            let start = at;
            while at < bytes.len() && host_byte(bytes[at]) {
                at += 1;
            }
            let run = text[start..at].trim_matches(['.', '-', '_']);
            if run.is_empty() {
                continue;
            }
            let offset = start + text[start..at].find(run).unwrap_or(0);
            if looks_like_host(run) {
                return Some((offset, run));
            }
        }
        None
    })
}

/// A dotted name whose last label is letters (two or more), or four
/// dot-separated numbers.
fn looks_like_host(run: &str) -> bool {
    let Some((_, last)) = run.rsplit_once('.') else {
        return false;
    };
    let labels = run.split('.').count();
    (last.len() >= 2 && last.bytes().all(|b| b.is_ascii_alphabetic()))
        || (labels == 4
            && run
                .split('.')
                .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_like_runs() {
        let line = r#"base_url = "https://API.deepseek.com/v1" # v1.2.3, see os.path.join; ip 203.0.113.5:443 notdeepseek.com."#;
        let got: Vec<&str> = candidates(line).map(|(_, t)| t).collect();
        assert_eq!(
            got,
            [
                "API.deepseek.com",
                "os.path.join",
                "203.0.113.5",
                "notdeepseek.com"
            ]
        );
        let (at, token) = candidates(line).next().unwrap();
        assert_eq!(&line[at..at + token.len()], token);
        assert_eq!(candidates("version = 1.2.3").count(), 0);
        assert_eq!(candidates("x.y").count(), 0, "a one-letter last label");
    }
}
