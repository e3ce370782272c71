//! Turning the paths a user names into [`Input`]s.
//!
//! A file named on the command line is read in the format its name says
//! (or the one forced with `--input-format`); a name that says nothing is a
//! problem, never a silent skip. A folder is walked like ripgrep walks it
//! (`.gitignore` and `.ignore` honoured, hidden files skipped, symlinks not
//! followed, sorted by path) and only files that look like evidence become
//! inputs: a README or LICENSE in the tree is passed over.
//!
//! A path that cannot be read, and a folder with no evidence at all, are
//! problems: a scan that read nothing must not pass.

use std::io::{BufRead, BufReader, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::ident::Host;
use crate::input::apps::app_csv::header_has_app_column;
use crate::input::endpoints::list::{endpoint, is_hosts_address, tokens};
use crate::input::{Format, Input, InputProblem};

/// What the named paths hold.
#[derive(Debug, Default)]
pub struct Discovery {
    pub inputs: Vec<Input>,
    pub problems: Vec<InputProblem>,
}

/// How many content lines of a `.txt` file are sniffed in a walk.
const SNIFF_LINES: usize = 20;
/// How many bytes of a file are read at most to sniff it.
const SNIFF_BYTES: u64 = 64 * 1024;

const NAMING_HELP: &str = "name it *requirements*.txt or constraints*.txt (pip requirements), \
     *.csv (app inventory), *.txt, *.list or hosts (endpoint list), \
     or pass --input-format requirements|app-csv|endpoint-list";

/// Finds the inputs in `paths`.
///
/// `forced`: a format the user named with --input-format, applied to every
/// file named explicitly. In a folder walk it keeps only the files detected
/// as that format (a walk cannot read every file as one format: READMEs
/// would become inputs).
pub fn discover(paths: &[PathBuf], forced: Option<Format>) -> Discovery {
    let mut found = Discovery::default();
    for path in paths {
        let display: Arc<str> = path.to_string_lossy().into();
        match std::fs::metadata(path) {
            Err(e) => found.problems.push(InputProblem::file(
                &display,
                format!("cannot read `{display}`: {e}"),
                "check the path; it must be a file or folder this user can read",
            )),
            Ok(meta) if meta.is_dir() => walk(path, &display, forced, &mut found),
            Ok(_) => named_file(path, display, forced, &mut found),
        }
    }
    let mut seen = std::collections::HashSet::new();
    found.inputs.retain(|input| seen.insert(input.path.clone()));
    found
}

fn named_file(path: &Path, display: Arc<str>, forced: Option<Format>, found: &mut Discovery) {
    if let Err(e) = std::fs::File::open(path) {
        found.problems.push(InputProblem::file(
            &display,
            format!("cannot read `{display}`: {e}"),
            "check that this user can read the file",
        ));
        return;
    }
    let by_content = || {
        let is_plain_txt =
            file_name(path).ends_with(".txt") && format_by_name(path) == Some(Format::EndpointList);
        is_plain_txt
            .then(|| {
                sniff_reader(path)
                    .is_ok_and(looks_like_requirements)
                    .then_some(Format::Requirements)
            })
            .flatten()
    };
    match forced.or_else(by_content).or_else(|| format_by_name(path)) {
        Some(format) => found.inputs.push(Input {
            display,
            path: path.to_path_buf(),
            format,
        }),
        None => found.problems.push(InputProblem::file(
            &display,
            format!("cannot tell the format of `{display}` from its name"),
            NAMING_HELP,
        )),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

fn is_requirements_name(name: &str) -> bool {
    name.ends_with(".txt") && name.contains("requirements")
}

/// The format of an explicitly named file, from its name alone.
fn format_by_name(path: &Path) -> Option<Format> {
    let name = file_name(path);
    if is_requirements_name(&name) || (name.starts_with("constraints") && name.ends_with(".txt")) {
        Some(Format::Requirements)
    } else if name.ends_with(".csv") {
        Some(Format::AppCsv)
    } else if name.ends_with(".txt") || name.ends_with(".list") || name == "hosts" {
        Some(Format::EndpointList)
    } else {
        None
    }
}

fn slash_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

fn walk(root: &Path, root_display: &Arc<str>, forced: Option<Format>, found: &mut Discovery) {
    let before = found.inputs.len();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let display: Arc<str> = error_path(&e)
                    .map_or_else(|| Arc::clone(root_display), |p| slash_path(p).into());
                found.problems.push(InputProblem::file(
                    &display,
                    format!("cannot read `{display}` while walking `{root_display}`: {e}"),
                    "make it readable by this user, or exclude it with a .ignore file",
                ));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let display: Arc<str> = slash_path(path).into();
        match walked_format(path) {
            Ok(Some(format)) if forced.is_none_or(|f| f == format) => found.inputs.push(Input {
                display,
                path: path.to_path_buf(),
                format,
            }),
            Ok(_) => {}
            Err(e) => found.problems.push(InputProblem::file(
                &display,
                format!("cannot read `{display}` to tell whether it is evidence: {e}"),
                "make it readable by this user, or exclude it with a .ignore file",
            )),
        }
    }
    if found.inputs.len() == before {
        let what = forced.map_or("evidence files".to_string(), |f| format!("{f} files"));
        found.problems.push(InputProblem::file(
            root_display,
            format!("found no {what} in the folder `{root_display}`"),
            "banscan reads *requirements*.txt (and .txt files under a `requirements` folder), \
             *.csv app inventories with an app name or bundle id column, *.list endpoint lists \
             and .txt files whose lines are all endpoints; name the files directly, \
             or check .gitignore rules",
        ));
    }
}

fn error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::WithLineNumber { err, .. } | ignore::Error::WithDepth { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

/// The format of a file met in a walk, or `None` when it is not evidence.
fn walked_format(path: &Path) -> std::io::Result<Option<Format>> {
    let name = file_name(path);
    let under_requirements_dir = path.parent().is_some_and(|dir| {
        dir.components().any(|c| match c {
            Component::Normal(part) => part.eq_ignore_ascii_case("requirements"),
            _ => false,
        })
    });
    if name.ends_with(".txt") && (name.contains("requirements") || under_requirements_dir) {
        return Ok(Some(Format::Requirements));
    }
    if name.ends_with(".list") {
        return Ok(Some(Format::EndpointList));
    }
    if name.ends_with(".csv") {
        let mut first = Vec::new();
        sniff_reader(path)?.read_until(b'\n', &mut first)?;
        let first = first.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&first);
        let is_inventory = std::str::from_utf8(first).is_ok_and(header_has_app_column);
        return Ok(is_inventory.then_some(Format::AppCsv));
    }
    if name.ends_with(".txt") {
        if looks_like_endpoint_list(sniff_reader(path)?) {
            return Ok(Some(Format::EndpointList));
        }
        // A constraints file pins versions but installs nothing; it is read
        // only when named, or through the requirements file that uses it.
        if name.starts_with("constraints") {
            return Ok(None);
        }
        return Ok(looks_like_requirements(sniff_reader(path)?).then_some(Format::Requirements));
    }
    Ok(None)
}

/// Whether the first [`SNIFF_LINES`] content lines are all pip requirement
/// lines, at least one with a version operator or an option, as lock
/// files by pip-compile, `uv pip compile`, `pip freeze` or `poetry export`
/// have whatever they are named.
fn looks_like_requirements(reader: impl BufRead) -> bool {
    let mut seen = 0;
    let mut strong = false;
    for line in reader.lines() {
        let Ok(line) = line else {
            return false;
        };
        let line = line.strip_prefix('\u{feff}').unwrap_or(&line);
        let text = line.split(" #").next().unwrap_or("").trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        if text.starts_with('-') {
            strong = true;
        } else {
            let name_end = text
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
                .unwrap_or(text.len());
            if name_end == 0 {
                return false;
            }
            let rest = text[name_end..].trim_start();
            let rest = match rest.strip_prefix('[') {
                Some(r) => match r.split_once(']') {
                    Some((_, after)) => after.trim_start(),
                    None => return false,
                },
                None => rest,
            };
            let operator = ["===", "==", ">=", "<=", "~=", "!=", "<", ">", "@", ";"]
                .iter()
                .any(|op| rest.starts_with(op));
            if !(operator || rest.is_empty() || rest == "\\") {
                return false;
            }
            strong |= operator;
        }
        seen += 1;
        if seen == SNIFF_LINES {
            break;
        }
    }
    seen > 0 && strong
}

fn sniff_reader(path: &Path) -> std::io::Result<impl BufRead> {
    Ok(BufReader::new(std::fs::File::open(path)?.take(SNIFF_BYTES)))
}

/// Whether the first [`SNIFF_LINES`] content lines are all endpoints: one
/// entry a line, or a hosts-file line. A bare word (`Introduction`) or a
/// version (`1.2.3`) is not taken as a host name here, so prose and other
/// `.txt` files are passed over; at least one line must be an endpoint.
fn looks_like_endpoint_list(reader: impl BufRead) -> bool {
    let mut seen = 0;
    for line in reader.lines() {
        let Ok(line) = line else {
            return false;
        };
        let line = line.strip_prefix('\u{feff}').unwrap_or(&line);
        let toks = tokens(line);
        let ok = match toks.as_slice() {
            [] => continue,
            [(_, only)] => endpoint(only).is_ok_and(|e| plausible(&e.host)),
            [(_, address), names @ ..] => {
                is_hosts_address(address) && names.iter().all(|(_, n)| endpoint(n).is_ok())
            }
        };
        if !ok {
            return false;
        }
        seen += 1;
        if seen == SNIFF_LINES {
            break;
        }
    }
    seen > 0
}

/// A host that is likely meant as one: an address, or a domain with a dot
/// and a top label that is not all digits.
fn plausible(host: &Host) -> bool {
    match host {
        Host::Domain(d) => d
            .as_str()
            .rsplit_once('.')
            .is_some_and(|(_, top)| !top.bytes().all(|b| b.is_ascii_digit())),
        Host::Ip(_) | Host::Net(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn listing(d: &Discovery) -> Vec<(String, Format)> {
        d.inputs
            .iter()
            .map(|i| (i.display.to_string(), i.format))
            .collect()
    }

    /// Files named explicitly get the format their name says; an
    /// unknown name or a missing path is a problem; --input-format wins.
    #[test]
    fn named_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in [
            "requirements-dev.txt",
            "dev-requirements.txt",
            "constraints.txt",
            "apps.csv",
            "blocked.list",
            "hosts",
            "allow.txt",
            "package.json",
        ] {
            write(root, name, "x\n");
        }
        let paths: Vec<PathBuf> = [
            "requirements-dev.txt",
            "dev-requirements.txt",
            "constraints.txt",
            "apps.csv",
            "blocked.list",
            "hosts",
            "allow.txt",
            "package.json",
            "missing.txt",
        ]
        .iter()
        .map(|n| root.join(n))
        .collect();
        let d = discover(&paths, None);
        let formats: Vec<Format> = d.inputs.iter().map(|i| i.format).collect();
        use Format::*;
        assert_eq!(
            formats,
            [
                Requirements,
                Requirements,
                Requirements,
                AppCsv,
                EndpointList,
                EndpointList,
                EndpointList
            ]
        );
        assert_eq!(&*d.inputs[0].display, paths[0].to_string_lossy());
        assert_eq!(d.problems.len(), 2, "{:?}", d.problems);
        assert!(d.problems[0].message.contains("cannot tell the format"));
        assert!(d.problems[0].help.contains("--input-format"));
        assert!(d.problems[1].message.contains("missing.txt"));

        let d = discover(&paths[7..8], Some(Format::EndpointList));
        assert_eq!(d.inputs[0].format, Format::EndpointList);
        assert!(d.problems.is_empty());
    }

    /// A walk picks evidence by name and by sniffing content, honours
    /// .gitignore, skips hidden files and symlinks, and sorts by path.
    #[test]
    fn walk_picks_evidence_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        let r = root.as_path();
        write(r, "requirements.txt", "requests\n");
        write(r, "requirements/base.txt", "flask\n");
        write(r, "svc/dev-requirements.txt", "pytest\n");
        write(r, "svc/constraints.txt", "urllib3<3\n");
        write(
            r,
            "inventory/apps.csv",
            "DeviceName,ApplicationName\npc,Zoom\n",
        );
        write(r, "inventory/metrics.csv", "ts,value\n1,2\n");
        write(r, "docs/contacts.csv", "name,email\nAda,ada@example.org\n");
        write(r, "net/blocked.list", "deepseek.com\n");
        write(
            r,
            "net/allow.txt",
            "# allowed\n\napi.example.com\n*.example.org # w\n0.0.0.0 a.test b\n",
        );
        write(r, "net/hosts.txt", "127.0.0.1 localhost\n");
        write(r, "README.txt", "Introduction\n\nThis tool scans things.\n");
        write(r, "LICENSE.txt", "MIT License\n");
        write(
            r,
            "CMakeLists.txt",
            "cmake_minimum_required(VERSION 3.10)\n",
        );
        write(r, "version.txt", "1.2.3\n");
        write(r, "empty.txt", "# nothing\n");
        write(r, "banscan.yaml", "policies: []\n");
        write(r, "ci/hosts.yaml", "- deepseek.com\n");
        write(r, ".hidden/requirements.txt", "hidden\n");
        write(r, ".gitignore", "build/\n");
        write(r, "build/requirements.txt", "ignored\n");
        #[cfg(unix)]
        std::os::unix::fs::symlink(r.join("requirements.txt"), r.join("link-requirements.txt"))
            .unwrap();

        let d = discover(std::slice::from_ref(&root), None);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        let base = slash_path(&root);
        let got = listing(&d);
        let want: Vec<(String, Format)> = [
            ("inventory/apps.csv", Format::AppCsv),
            ("net/allow.txt", Format::EndpointList),
            ("net/blocked.list", Format::EndpointList),
            ("net/hosts.txt", Format::EndpointList),
            ("requirements/base.txt", Format::Requirements),
            ("requirements.txt", Format::Requirements),
            ("svc/dev-requirements.txt", Format::Requirements),
        ]
        .iter()
        .map(|(rel, f)| (format!("{base}/{rel}"), *f))
        .collect();
        assert_eq!(got, want);

        // A forced format keeps only the files detected as that format.
        let d = discover(std::slice::from_ref(&root), Some(Format::AppCsv));
        assert_eq!(
            listing(&d),
            [(format!("{base}/inventory/apps.csv"), Format::AppCsv)]
        );
    }

    /// A folder without evidence is a problem: a scan that read nothing
    /// must not pass.
    #[test]
    fn empty_folder_is_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "README.md", "# hi\n");
        let d = discover(&[dir.path().to_path_buf()], None);
        assert!(d.inputs.is_empty());
        assert_eq!(d.problems.len(), 1);
        assert!(d.problems[0].message.contains("found no evidence files"));
    }

    /// Naming a folder and a file in it yields the file once.
    #[test]
    fn duplicates_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "requirements.txt", "requests\n");
        let file = dir.path().join("requirements.txt");
        let d = discover(&[file.clone(), file], None);
        assert_eq!(d.inputs.len(), 1);
    }

    /// The repository's own fixtures: the walk display is the root joined
    /// with the relative path.
    #[test]
    fn walks_the_fixture_tree() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/endpoint-list");
        let d = discover(std::slice::from_ref(&root), None);
        let names: Vec<String> = d
            .inputs
            .iter()
            .map(|i| i.display.rsplit('/').next().unwrap_or("").to_string())
            .collect();
        // `bad-entries.txt` has lines that are not endpoints, so a walk
        // does not take it; `hosts` has no extension.
        assert_eq!(names, ["mixed-entries.txt"]);
        assert!(d.inputs[0].display.starts_with(&*slash_path(&root)));
    }
}
