//! Go checksum files (`go.sum`).
//!
//! Each line is `<module> <version> <hash>` or `<module> <version>/go.mod
//! <hash>`, fields separated by blanks, as `cmd/go` reads them
//! (`strings.Fields`, exactly three fields, blank lines allowed).
//!
//! What is emitted:
//! - a `<module> <version> h1:…` line (the hash of the module's code) is
//!   one golang [`Package`], pointing at the module path, with its version
//!   as written (`v1.2.3`, pseudo-version, `+incompatible`); go.sum does
//!   not say which modules the project asks for itself, so `direct` is
//!   `None`, and `path` is empty;
//! - a `<module> <version>/go.mod h1:…` line is the hash of the module's
//!   go.mod only, which Go fetches to resolve the module graph, also for
//!   modules it never builds: it proves nothing is built, so it is neither
//!   an item nor a problem;
//! - a line that is not three fields, with a version that does not start
//!   with `v`, or a hash that is not `<algorithm>:<digest>` is a skipped
//!   record, and the rest is read.

use crate::ident::Ecosystem;
use crate::input::item::{ItemView, Package};
use crate::input::lines::for_each_line;
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader, shapes};
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "go-sum",
    evidence: Evidence::Packages,
    description: "Go checksum file (go.sum)",
    names: &["go.sum"],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::go_sum),
    reader: Reader::Stream(read),
};

const HELP: &str = "Go writes `module/path v1.2.3 h1:<base64>=` lines; fix the line or \
     regenerate the file with `go mod tidy`";

fn read(
    source: &Source,
    opened: Opened,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    for_each_line(
        &source.name,
        opened.reader,
        limits.max_line,
        sink,
        |number, byte, text, sink| line(source, number, byte, text, sink),
    )
}

/// The fields of a line with their byte offsets.
fn fields(text: &str) -> Vec<(usize, &str)> {
    text.split_ascii_whitespace()
        .map(|f| (f.as_ptr() as usize - text.as_ptr() as usize, f))
        .collect()
}

/// Whether a hash is `<algorithm>:<digest>` with an algorithm such as `h1`.
fn is_hash(hash: &str) -> bool {
    hash.split_once(':').is_some_and(|(alg, digest)| {
        alg.len() >= 2
            && alg.starts_with('h')
            && alg[1..].bytes().all(|b| b.is_ascii_digit())
            && !digest.is_empty()
    })
}

fn line(source: &Source, number: u64, byte: u64, text: &str, sink: &mut dyn Sink) -> Flow {
    let body = if number == 1 {
        text.strip_prefix('\u{feff}').unwrap_or(text)
    } else {
        text
    };
    let bom = text.len() - body.len();
    let f = fields(body);
    let problem = match f.as_slice() {
        [] => return Flow::Continue,
        [(at, module), (_, version), (_, hash)] if version.starts_with('v') && is_hash(hash) => {
            if version.ends_with("/go.mod") {
                return Flow::Continue;
            }
            let package = Package {
                device: None,
                ecosystem: Ecosystem::Golang,
                name: (*module).to_string(),
                key: Ecosystem::Golang.package_key(None, module),
                version: Some((*version).to_string()),
                requirement: None,
                path: Vec::new(),
                direct: None,
                scope: None,
            };
            return sink.item(
                ItemView::Package(&package),
                At {
                    source: &source.name,
                    text,
                    line: number,
                    offset: bom + at,
                    len: module.len(),
                    byte,
                },
            );
        }
        [_, (at, version), _] if !version.starts_with('v') => (
            *at,
            version.len(),
            format!("`{version}` is not a Go module version (they start with `v`)"),
        ),
        [_, _, (at, hash)] => (
            *at,
            hash.len(),
            format!("`{hash}` is not a go.sum hash (`h1:<base64>=`)"),
        ),
        _ => (
            f[0].0,
            body.trim().len(),
            format!(
                "a go.sum line has three fields (module, version, hash), not {}",
                f.len()
            ),
        ),
    };
    let (at, len, message) = problem;
    sink.skip(
        InputProblem::line(
            &source.name,
            number,
            text,
            bom + at,
            len,
            format!("{message}; it was passed over"),
            HELP,
        ),
        text,
    )
}

#[cfg(test)]
#[path = "go_sum_tests.rs"]
mod tests;
