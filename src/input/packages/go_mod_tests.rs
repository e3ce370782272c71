//! Golden tests of the go.mod reader on hand-written fixtures (see
//! `tests/fixtures/go-mod/README.md`): every item as one line,
//! `line:column name@version direct`, then every problem.

use super::*;
use crate::input::item::ItemKind;
use crate::input::problem::Impact;
use crate::input::testing::{Collect, read_fixture};

/// Reads `tests/fixtures/<dir>/<case>/<file>`.
pub(crate) fn run_in(dir: &str, file: &str, spec: &FormatSpec, case: &str) -> Collect {
    read_fixture(
        spec,
        &format!("{dir}/{case}/{file}"),
        &format!("{case}/{file}"),
    )
}

/// Items and problems as stable lines.
pub(crate) fn render(c: &Collect) -> String {
    let mut out = String::new();
    for g in &c.items {
        let ItemKind::Package(p) = &g.item else {
            panic!("not a package: {:?}", g.item);
        };
        assert_eq!(p.ecosystem, Ecosystem::Golang);
        assert_eq!(p.key, p.name.to_lowercase());
        let direct = match p.direct {
            Some(true) => "direct",
            Some(false) => "indirect",
            None => "-",
        };
        out.push_str(&format!(
            "{}:{} {}@{} {direct} [{}]\n",
            g.line,
            g.column,
            p.name,
            p.version.as_deref().unwrap_or("-"),
            &g.text[g.column - 1..g.column - 1 + g.len],
        ));
    }
    for p in &c.problems {
        let impact = match p.impact {
            Impact::Unread => "unread",
            Impact::Skipped => "skipped",
            Impact::Warning => "warning",
        };
        match &p.at {
            Some(at) => out.push_str(&format!(
                "{impact} {}:{}: {}\n",
                at.line, at.column, p.message
            )),
            None => out.push_str(&format!("{impact} {}\n", p.message)),
        }
    }
    out
}

#[track_caller]
fn golden(case: &str, want: &str) {
    let got = render(&run_in("go-mod", "go.mod", &SPEC, case));
    assert_eq!(got, want, "\n--- got\n{got}");
}

/// The shape `go mod tidy` writes: direct requires in one block,
/// `// indirect` ones in a second; pseudo-versions and `+incompatible`
/// kept as written; `module`, `go` and `toolchain` are no items.
#[test]
fn app() {
    golden("app", APP);
}

const APP: &str = "\
8:2 github.com/cohesion-org/deepseek-go@v1.2.8 direct [github.com/cohesion-org/deepseek-go]
9:2 github.com/pkg/errors@v0.9.1 direct [github.com/pkg/errors]
10:2 golang.org/x/text@v0.14.0 direct [golang.org/x/text]
14:2 github.com/go-deepseek/deepseek@v0.0.0-20250125120000-0123456789ab indirect [github.com/go-deepseek/deepseek]
15:2 github.com/google/uuid@v1.6.0 indirect [github.com/google/uuid]
16:2 gopkg.in/check.v1@v1.0.0-20201130134442-10cb98267c6c indirect [gopkg.in/check.v1]
17:2 github.com/golang/protobuf@v1.5.4 indirect [github.com/golang/protobuf]
18:2 github.com/docker/docker@v24.0.7+incompatible indirect [github.com/docker/docker]
";

/// `replace` applied before matching, wherever it is: an unversioned one
/// for every version, a versioned one for its version only, a local
/// directory keeps the original module with no version; a quoted path and
/// `// indirect; reason`; `exclude`, `retract`, `godebug` and `tool`
/// passed over.
#[test]
fn replace() {
    golden("replace", REPLACE);
}

const REPLACE: &str = "\
6:9 github.com/cohesion-org/deepseek-go@v1.1.0 direct [github.com/pkg/errors]
9:2 github.com/cohesion-org/deepseek-go-extras@v0.1.0 direct [github.com/cohesion-org/deepseek-go-extras]
10:3 github.com/go-deepseek/deepseek@v1.0.0 indirect [github.com/sashabaranov/go-openai]
11:2 github.com/google/uuid@- direct [github.com/google/uuid]
12:2 golang.org/x/text@v0.14.0 indirect [golang.org/x/text]
";

/// An empty file requires nothing and is no problem.
#[test]
fn empty_file() {
    golden("empty", "");
}

/// A block never closed is unread evidence at its opening line; what is
/// in it is still read.
#[test]
fn unclosed_block() {
    golden("unclosed", UNCLOSED);
}

const UNCLOSED: &str = "\
6:2 github.com/cohesion-org/deepseek-go@v1.2.8 direct [github.com/cohesion-org/deepseek-go]
7:2 github.com/pkg/errors@v0.9.1 direct [github.com/pkg/errors]
unread 5:1: the `require (` block is never closed; Go refuses the file
";

/// Lines Go refuses are skipped records at their place; the rest is read.
#[test]
fn bad_lines() {
    golden("bad-lines", BAD_LINES);
}

const BAD_LINES: &str = "\
8:2 golang.org/x/text@v0.14.0 direct [golang.org/x/text]
skipped 6:2: the require of `github.com/cohesion-org/deepseek-go` has no version; it was passed over
skipped 7:24: the require of `github.com/pkg/errors` has `0.9.1` for a version, which does not start with `v`; it was passed over
skipped 11:9: a require line that is not `module/path version`; it was passed over
skipped 13:9: a replace line that is not `old [version] => new version` or `old [version] => ./dir`; it was passed over
skipped 15:1: a `)` that closes no block; it was passed over
";

/// The tokenizer: comments only where a token starts, punctuation apart,
/// both quotes.
#[test]
fn lexes_like_go() {
    let values = |line: &str| -> Vec<String> {
        lex(line)
            .unwrap()
            .toks
            .iter()
            .map(|t| t.value.to_string())
            .collect()
    };
    assert_eq!(values("require(a v1)"), ["require", "(", "a", "v1", ")"]);
    assert_eq!(values("a//b"), ["a"]);
    assert_eq!(values(r#""a\"b" `c d`"#), ["a\"b", "c d"]);
    assert_eq!(lex("x \"open").err(), Some(2));
    // A word with multi-byte characters, and a comment right after one
    // (the tokenizer once sliced the line inside the `˜`).
    assert_eq!(values("a˜b c˜//d"), ["a˜b", "c˜"]);
    assert!(is_indirect(Some(" indirect")));
    assert!(is_indirect(Some(" indirect; why")));
    assert!(!is_indirect(Some(" indirectly")));
    assert!(is_directory_path("../x") && is_directory_path("C:\\x"));
    assert!(!is_directory_path("example.com/x"));
}
