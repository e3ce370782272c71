//! Golden tests of the go.sum reader on hand-written fixtures (see
//! `tests/fixtures/go-sum/README.md`).

use super::*;
use crate::input::packages::go_mod::tests::{render, run_in};

#[track_caller]
fn golden(case: &str, want: &str) {
    let got = render(&run_in("go-sum", "go.sum", &SPEC, case));
    assert_eq!(got, want, "\n--- got\n{got}");
}

/// Every module whose code is hashed is an item, `direct` unknown; a
/// `/go.mod`-only line (`github.com/golang/protobuf`, `gopkg.in/check.v1`)
/// is neither item nor problem.
#[test]
fn app() {
    golden("app", APP);
}

const APP: &str = "\
1:1 github.com/cohesion-org/deepseek-go@v1.2.8 - [github.com/cohesion-org/deepseek-go]
3:1 github.com/docker/docker@v24.0.7+incompatible - [github.com/docker/docker]
5:1 github.com/go-deepseek/deepseek@v0.0.0-20250125120000-0123456789ab - [github.com/go-deepseek/deepseek]
8:1 github.com/google/uuid@v1.6.0 - [github.com/google/uuid]
10:1 github.com/pkg/errors@v0.9.1 - [github.com/pkg/errors]
12:1 golang.org/x/text@v0.14.0 - [golang.org/x/text]
";

/// An empty file is no problem.
#[test]
fn empty_file() {
    golden("empty", "");
}

/// Malformed lines are skipped records at their place; the rest is read.
#[test]
fn bad_lines() {
    golden("bad-lines", BAD_LINES);
}

const BAD_LINES: &str = "\
1:1 github.com/cohesion-org/deepseek-go@v1.2.8 - [github.com/cohesion-org/deepseek-go]
skipped 2:1: a go.sum line has three fields (module, version, hash), not 2; it was passed over
skipped 3:24: `1.6.0` is not a Go module version (they start with `v`); it was passed over
skipped 4:27: `FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=` is not a go.sum hash (`h1:<base64>=`); it was passed over
skipped 6:1: a go.sum line has three fields (module, version, hash), not 4; it was passed over
";
