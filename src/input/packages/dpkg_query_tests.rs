use super::*;
use crate::input::item::ItemKind;
use crate::input::testing::{Collect, read_fixture};

fn run(name: &str) -> Collect {
    read_fixture(&SPEC, &format!("dpkg-query/{name}"), name)
}

/// `(name, version, line, column, len)` of each package.
fn packages(c: &Collect) -> Vec<(String, String, u64, usize, usize)> {
    c.items
        .iter()
        .filter_map(|g| match &g.item {
            ItemKind::Package(p) => Some((
                p.name.clone(),
                p.version.clone().unwrap_or_default(),
                g.line,
                g.column,
                g.len,
            )),
            _ => None,
        })
        .collect()
}

/// The real default output: every row a deb package, the architecture
/// cut from the name but kept in the span, epochs kept in the version.
#[test]
fn default_output() {
    let out = run("debian12-default.txt");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let got = packages(&out);
    assert_eq!(got.len(), 42);
    assert!(got.contains(&("kesl".into(), "12.1.0.1297".into(), 21, 1, 4)));
    assert!(got.contains(&("diffutils".into(), "1:3.8-4".into(), 5, 1, 9)));
    assert!(got.contains(&("gcc-12-base".into(), "12.2.0-14+deb12u1".into(), 7, 1, 17)));
    let ItemKind::Package(p) = &out.items[0].item else {
        panic!()
    };
    assert_eq!(p.ecosystem, Ecosystem::Deb);
}

/// With the status column, `rc` rows are not items; `ii` and `hi` are.
#[test]
fn only_installed_rows() {
    let got = packages(&run("debian12-with-status.txt"));
    let names: Vec<&str> = got.iter().map(|p| p.0.as_str()).collect();
    assert!(names.contains(&"klnagent64") && names.contains(&"kess"));
    assert!(!names.contains(&"kesl-gui"));
    assert_eq!(got.len(), 14);
}

/// Statuses in both spellings; fields that are no status are passed over.
#[test]
fn statuses() {
    assert_eq!(Status::parse("ii "), Some(Status::Installed));
    assert_eq!(Status::parse("hi"), Some(Status::Installed));
    assert_eq!(Status::parse("rc "), Some(Status::Not));
    assert_eq!(Status::parse("iU "), Some(Status::Not));
    assert_eq!(
        Status::parse("install ok installed"),
        Some(Status::Installed)
    );
    assert_eq!(
        Status::parse("deinstall ok config-files"),
        Some(Status::Not)
    );
    assert_eq!(Status::parse("amd64"), None);
    assert_eq!(Status::parse("all"), None);
    // Known but never installed: no version.
    assert_eq!(parse("kesl\t"), Ok(None));
}

/// Malformed lines are skipped with their line, the others still read.
#[test]
fn malformed_lines_are_skipped() {
    let out = run("malformed-lines.txt");
    assert_eq!(packages(&out).len(), 10);
    assert_eq!(
        out.problems
            .iter()
            .map(|p| (p.impact, p.at.as_ref().map(|a| a.line)))
            .collect::<Vec<_>>(),
        [
            (crate::input::problem::Impact::Skipped, Some(6)),
            (crate::input::problem::Impact::Skipped, Some(11)),
        ]
    );
}
