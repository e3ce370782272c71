//! pip requirements files, as pip, `pip freeze`, pip-compile, `uv pip
//! compile` and `poetry export` write them.
//!
//! The parser follows pip's own reading order (`pip/_internal/req/req_file.py`):
//! physical lines ending in `\` are joined (a full-line comment never
//! continues), comments (`#` at the start or after whitespace, so
//! `url#egg=x` is not one) are stripped from the joined line, `${VAR}` is
//! expanded, then the line is split into the requirement and the options
//! that follow it (the first whitespace-separated token starting with `-`).
//!
//! What is emitted:
//! - a PEP 508 requirement (`name[extras] specifiers ; marker`,
//!   `name @ URL`) is one [`Package`], its origin on the name; `version` is
//!   set for an exact `==v`/`===v` pin, or for a direct reference to a wheel
//!   or sdist of the same name (from its file name); markers are not
//!   evaluated (a package for another platform is still evidence);
//! - `-r`/`--requirement FILE` is read in place, relative to the including
//!   file's directory; cycles and missing files are problems at the `-r` line;
//!   a remote (`https://`) include is a problem, since it is never fetched;
//! - `-c`/`--constraint FILE` is not read: constraints are not installs;
//! - `-e`/`--editable` values and bare paths or URLs name a package only
//!   through `#egg=name` or a wheel/sdist file name (`pkg-1.0-py3-none-any.whl`,
//!   `pkg-1.0.tar.gz`). A local directory (`.`, `./pkg`, `-e .`) is the
//!   project being scanned and is skipped; a VCS or archive URL without an
//!   egg name cannot be named without fetching it, so it yields nothing and
//!   no problem.
//! - global options (`-i`, `--extra-index-url`, `--no-index`, ...) are
//!   ignored; an unknown option is a problem.

use std::path::PathBuf;

use std::sync::Arc;

use super::dist_name::{archive_kind, archive_name};
use super::pep508::{parse_pep508, pinned_version, valid_name};

use crate::ident::Ecosystem;
use crate::input::item::{ItemView, Package};
use crate::input::lines::for_each_line;
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader};
use crate::input::sink::{At, Flow, Sink};
use crate::input::source::{Limits, Opened, Source};

pub static SPEC: FormatSpec = FormatSpec {
    name: "requirements",
    evidence: Evidence::Packages,
    description: "pip requirements file (pip freeze, pip-compile, uv pip compile, poetry export)",
    names: &["*requirements*.txt", "requirements/**/*.txt"],
    maybe: &["*.txt", "*.in"],
    sniff: Some(super::requirements_sniff::looks_like),
    shape: None,
    reader: Reader::Stream(read),
};

/// Reads a requirements file and every file it includes with `-r`.
fn read(
    source: &Source,
    opened: Opened,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    read_with_env(source, opened, limits, sink, &|name| {
        std::env::var(name).ok()
    })
}

type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

fn read_with_env(
    source: &Source,
    opened: Opened,
    limits: &Limits,
    sink: &mut dyn Sink,
    env: Env<'_>,
) -> Result<(), InputProblem> {
    let mut stack = vec![Frame {
        canonical: source
            .path()
            .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())),
        display: Arc::clone(&source.name),
    }];
    parse_file(source, opened, limits, sink, &mut stack, env)
}

/// How deep `-r`/`-c` includes are followed: far beyond any real chain
/// (pip-tools layers go three or four deep), and a bound on the stack a
/// generated chain can take.
const MAX_INCLUDE_DEPTH: usize = 64;

/// One file being read, for include-cycle detection.
struct Frame {
    canonical: Option<PathBuf>,
    display: Arc<str>,
}

fn parse_file(
    source: &Source,
    opened: Opened,
    limits: &Limits,
    sink: &mut dyn Sink,
    stack: &mut Vec<Frame>,
    env: Env<'_>,
) -> Result<(), InputProblem> {
    let file = FileCtx {
        source,
        limits,
        env,
    };
    let mut group: Vec<Physical> = Vec::new();
    for_each_line(
        &source.name,
        opened.reader,
        limits.max_line,
        sink,
        |number, byte, line, sink| {
            group.push(Physical {
                number: usize::try_from(number).unwrap_or(usize::MAX),
                byte,
                text: line.to_string(),
            });
            if !continues(line) {
                file.logical_line(&group, sink, stack);
                group.clear();
            }
            Flow::Continue
        },
    )?;
    if !group.is_empty() {
        file.logical_line(&group, sink, stack);
    }
    Ok(())
}

/// One physical line: its number, where it starts, its text.
struct Physical {
    number: usize,
    byte: u64,
    text: String,
}

/// A physical line continues onto the next when it ends with `\`, unless it
/// is a full-line comment (pip's rule).
fn continues(line: &str) -> bool {
    line.ends_with('\\') && !line.trim_start().starts_with('#')
}

/// Where one byte of a joined line came from: the physical line (index in
/// the group) and the byte range on it (wider than one byte for text that
/// came from a `${VAR}` expansion).
#[derive(Clone, Copy, Debug)]
struct Src {
    phys: usize,
    start: usize,
    end: usize,
}

/// A joined, comment-stripped, env-expanded line and the way back to the
/// physical lines.
struct Logical<'g> {
    text: String,
    src: Vec<Src>,
    group: &'g [Physical],
}

/// Where a span of a logical line is on its physical line.
struct Place<'g> {
    line: usize,
    /// Where the physical line starts in the file.
    byte: u64,
    text: &'g str,
    offset: usize,
    len: usize,
}

impl<'g> Logical<'g> {
    fn build(group: &'g [Physical], env: Env<'_>) -> Logical<'g> {
        let mut raw = String::new();
        let mut src = Vec::new();
        for (phys, Physical { text: line, .. }) in group.iter().enumerate() {
            let content = if continues(line) {
                &line[..line.len() - 1]
            } else {
                line.as_str()
            };
            raw.push_str(content);
            src.extend((0..content.len()).map(|i| Src {
                phys,
                start: i,
                end: i + 1,
            }));
        }
        let cut = comment_start(&raw);
        raw.truncate(cut);
        src.truncate(cut);
        let (text, src) = expand_env(&raw, &src, env);
        Logical { text, src, group }
    }

    /// The physical place of `start..end` of the text; an empty or
    /// out-of-range span points at the last character.
    fn place(&self, start: usize, end: usize) -> Place<'g> {
        let last = self.src.len().saturating_sub(1);
        let (s, e) = if self.src.is_empty() {
            (
                Src {
                    phys: 0,
                    start: 0,
                    end: 0,
                },
                None,
            )
        } else if start >= self.src.len() {
            (self.src[last], None)
        } else {
            let e = end.clamp(start + 1, self.src.len()) - 1;
            (self.src[start], Some(self.src[e]))
        };
        let (line, byte, text) = self
            .group
            .get(s.phys)
            .map_or((0, 0, ""), |p| (p.number, p.byte, p.text.as_str()));
        let len = match e {
            Some(e) if e.phys == s.phys => e.end.saturating_sub(s.start),
            Some(_) => text.len().saturating_sub(s.start),
            None => 1,
        };
        Place {
            line,
            byte,
            text,
            offset: s.start,
            len: len.max(1),
        }
    }
}

/// Byte index where a comment starts: `#` at the start or after whitespace.
fn comment_start(text: &str) -> usize {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .find(|&(i, &b)| b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()))
        .map_or(text.len(), |(i, _)| i)
}

/// Expands `${NAME}` (NAME of `A-Z`, `0-9`, `_`, as pip does) from `env`;
/// unset variables are left as written.
fn expand_env(raw: &str, src: &[Src], env: Env<'_>) -> (String, Vec<Src>) {
    if !raw.contains("${") {
        return (raw.to_string(), src.to_vec());
    }
    let mut text = String::with_capacity(raw.len());
    let mut out = Vec::with_capacity(src.len());
    let mut i = 0;
    while i < raw.len() {
        if let Some((value, end)) = expansion(raw, i, env) {
            let first = src[i];
            let last = src[end - 1];
            let span = Src {
                phys: first.phys,
                start: first.start,
                end: if last.phys == first.phys {
                    last.end
                } else {
                    first.start + 1
                },
            };
            text.push_str(&value);
            out.extend(std::iter::repeat_n(span, value.len()));
            i = end;
            continue;
        }
        let ch_len = raw[i..].chars().next().map_or(1, char::len_utf8);
        text.push_str(&raw[i..i + ch_len]);
        out.extend_from_slice(&src[i..i + ch_len]);
        i += ch_len;
    }
    (text, out)
}

/// The value of a set `${NAME}` at byte `i` of `raw`, and the byte after it.
fn expansion(raw: &str, i: usize, env: Env<'_>) -> Option<(String, usize)> {
    let rest = raw[i..].strip_prefix("${")?;
    let name = &rest[..rest.find('}')?];
    let well_formed = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    let value = well_formed.then(|| env(name)).flatten()?;
    Some((value, i + 2 + name.len() + 1))
}

/// A whitespace-separated token of an option list, with shell-style quotes
/// removed from its value.
#[derive(Debug)]
struct Tok {
    start: usize,
    end: usize,
    value: String,
}

fn tokenize(text: &str, from: usize) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut chars = text[from..]
        .char_indices()
        .map(|(i, c)| (i + from, c))
        .peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut value = String::new();
        let mut quote: Option<char> = None;
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => value.push(c),
                None if c.is_whitespace() => break,
                None if c == '"' || c == '\'' => quote = Some(c),
                None => value.push(c),
            }
            end = i + c.len_utf8();
            chars.next();
        }
        toks.push(Tok { start, end, value });
    }
    toks
}

/// What an option does in a requirements file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opt {
    Requirement,
    Constraint,
    Editable,
    /// A global option (index, binary policy...): ignored.
    Global {
        takes_value: bool,
    },
    Hash,
    /// A per-requirement option other than `--hash`: ignored.
    PerRequirement,
}

impl Opt {
    fn takes_value(self) -> bool {
        !matches!(self, Opt::Global { takes_value: false })
    }
}

const OPTIONS: &[(Option<char>, &str, Opt)] = &[
    (Some('r'), "requirement", Opt::Requirement),
    (Some('c'), "constraint", Opt::Constraint),
    (Some('e'), "editable", Opt::Editable),
    (Some('i'), "index-url", Opt::Global { takes_value: true }),
    (None, "extra-index-url", Opt::Global { takes_value: true }),
    (None, "no-index", Opt::Global { takes_value: false }),
    (Some('f'), "find-links", Opt::Global { takes_value: true }),
    (None, "pre", Opt::Global { takes_value: false }),
    (None, "require-hashes", Opt::Global { takes_value: false }),
    (None, "only-binary", Opt::Global { takes_value: true }),
    (None, "no-binary", Opt::Global { takes_value: true }),
    (None, "trusted-host", Opt::Global { takes_value: true }),
    (None, "prefer-binary", Opt::Global { takes_value: false }),
    (None, "use-feature", Opt::Global { takes_value: true }),
    (None, "hash", Opt::Hash),
    (Some('C'), "config-settings", Opt::PerRequirement),
    (None, "global-option", Opt::PerRequirement),
    (None, "install-option", Opt::PerRequirement),
];

const OPTIONS_HELP: &str = "requirements files accept -r, -c, -e, -i/--index-url, --extra-index-url, \
     -f/--find-links, --no-index, --pre, --require-hashes, --only-binary, --no-binary, \
     --trusted-host, --prefer-binary, --use-feature, and after a requirement --hash, \
     --config-settings and --global-option; fix the spelling or remove the option";

struct FileCtx<'a> {
    source: &'a Source,
    limits: &'a Limits,
    env: Env<'a>,
}

impl FileCtx<'_> {
    fn logical_line(&self, group: &[Physical], sink: &mut dyn Sink, stack: &mut Vec<Frame>) {
        let line = Logical::build(group, self.env);
        let text = line.text.as_str();
        if text.trim().is_empty() {
            return;
        }
        // pip's `break_args_options`: the options start at the first token
        // that starts with `-`.
        let options_start = tokenize(text, 0)
            .iter()
            .find(|t| text[t.start..].starts_with('-'))
            .map(|t| t.start);
        let req_end = options_start.unwrap_or(text.len());
        let req_start = req_end - text[..req_end].trim_start().len();
        let req_end = req_start + text[req_start..req_end].trim_end().len();
        if req_start < req_end {
            self.requirement(&line, req_start, req_end, sink);
        }
        if let Some(start) = options_start {
            self.options(&line, start, req_start < req_end, sink, stack);
        }
    }

    fn problem(
        &self,
        line: &Logical<'_>,
        start: usize,
        end: usize,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> InputProblem {
        let p = line.place(start, end);
        InputProblem::line(
            &self.source.name,
            p.line as u64,
            p.text,
            p.offset,
            p.len,
            message,
            help,
        )
    }

    fn emit(
        &self,
        line: &Logical<'_>,
        name: (usize, usize),
        version: Option<String>,
        requirement: Option<String>,
        sink: &mut dyn Sink,
    ) {
        let text = &line.text[name.0..name.1];
        let p = line.place(name.0, name.1);
        let package = Package {
            device: None,
            ecosystem: Ecosystem::Pypi,
            name: text.to_string(),
            key: Ecosystem::Pypi.package_key(None, text),
            version,
            requirement,
            path: vec![],
            direct: None,
            scope: None,
        };
        sink.item(
            ItemView::Package(&package),
            At {
                source: &self.source.name,
                text: p.text,
                line: p.line as u64,
                offset: p.offset,
                len: p.len,
                byte: p.byte,
            },
        );
    }

    /// The requirement part of a line: a PEP 508 requirement, or a path or
    /// URL (pip's `parse_req_from_line` tells them apart the same way).
    fn requirement(&self, line: &Logical<'_>, start: usize, end: usize, sink: &mut dyn Sink) {
        let text = &line.text;
        let first_end = text[start..end]
            .find(char::is_whitespace)
            .map_or(end, |i| start + i);
        let first = &text[start..first_end];
        let is_link = if has_scheme(first) {
            true
        } else if let Some((before, _)) = first.split_once('@') {
            looks_like_path(before)
        } else {
            looks_like_path(first) || archive_kind(first).is_some()
        };
        if is_link {
            self.link(line, start, end, sink);
            return;
        }
        match parse_pep508(text, start, end) {
            Ok(req) => {
                let spec = req.specifier.map(|(s, e)| text[s..e].to_string());
                let version = match (&spec, req.url) {
                    (Some(spec), _) => pinned_version(spec),
                    (None, Some((s, e))) => {
                        let key = Ecosystem::Pypi.package_key(None, &text[req.name.0..req.name.1]);
                        let url = &text[s..e];
                        archive_name(url_file_name(url)).and_then(|(name, version)| {
                            (Ecosystem::Pypi.package_key(None, name) == key)
                                .then(|| version.to_string())
                        })
                    }
                    (None, None) => None,
                };
                self.emit(line, req.name, version, spec, sink);
            }
            Err(e) => {
                sink.skip(
                    self.problem(line, e.start, e.end, e.message, e.help),
                    &line.text,
                );
            }
        }
    }

    /// A path or URL, bare or after `-e`: named by `#egg=` or by a
    /// wheel/sdist file name; otherwise nothing is emitted (see the module
    /// documentation).
    fn link(&self, line: &Logical<'_>, start: usize, end: usize, sink: &mut dyn Sink) {
        let text = &line.text;
        let (mut start, mut end) = (start, end);
        // A quoted value: take what is inside the quotes.
        if end - start >= 2 {
            let b = text.as_bytes();
            if (b[start] == b'"' || b[start] == b'\'') && b[end - 1] == b[start] {
                start += 1;
                end -= 1;
            }
        }
        let link_end = text[start..end]
            .find(char::is_whitespace)
            .map_or(end, |i| start + i);
        let rest = text[link_end..end].trim_start();
        if !rest.is_empty() && !rest.starts_with(';') {
            let rest_start = end - rest.len();
            sink.skip(
                self.problem(
                    line,
                    rest_start,
                    end,
                    format!("unexpected `{rest}` after the path or URL"),
                    "a path or URL may only be followed by `; marker` and options such as --hash",
                ),
                &line.text,
            );
        }
        let link = &text[start..link_end];
        if let Some(hash) = link.find('#') {
            let fragment_start = start + hash + 1;
            let mut at = fragment_start;
            for param in text[fragment_start..link_end].split('&') {
                if let Some(egg) = param.strip_prefix("egg=") {
                    let egg_start = at + "egg=".len();
                    let name_len = egg.find('[').unwrap_or(egg.len());
                    let name = &egg[..name_len];
                    if valid_name(name) {
                        self.emit(line, (egg_start, egg_start + name_len), None, None, sink);
                    } else {
                        sink.skip(
                            self.problem(
                                line,
                                egg_start,
                                egg_start + egg.len().max(1),
                                format!("`#egg={egg}` does not name a package"),
                                "write the project name after `#egg=`, e.g. `#egg=my-project`",
                            ),
                            &line.text,
                        );
                    }
                    return;
                }
                at += param.len() + 1;
            }
        }
        let file = url_file_name(link);
        if let Some((name, version)) = archive_name(file) {
            let path_len = link.find(['#', '?']).unwrap_or(link.len());
            let file_start = start + link[..path_len].rfind(['/', '\\']).map_or(0, |i| i + 1);
            self.emit(
                line,
                (file_start, file_start + name.len()),
                Some(version.to_string()),
                None,
                sink,
            );
        }
    }

    fn options(
        &self,
        line: &Logical<'_>,
        from: usize,
        after_requirement: bool,
        sink: &mut dyn Sink,
        stack: &mut Vec<Frame>,
    ) {
        let toks = tokenize(&line.text, from);
        let mut i = 0;
        while i < toks.len() {
            let tok = &toks[i];
            i += 1;
            let (opt, spelled, inline) = if let Some(long) = tok.value.strip_prefix("--") {
                let (name, value) = match long.split_once('=') {
                    Some((n, v)) => (n, Some(v)),
                    None => (long, None),
                };
                let opt = OPTIONS.iter().find(|o| o.1 == name).map(|o| o.2);
                (opt, format!("--{name}"), value.map(str::to_string))
            } else if let Some(short) = tok.value.strip_prefix('-').filter(|s| !s.is_empty()) {
                let c = short.chars().next().unwrap_or('-');
                let rest = &short[c.len_utf8()..];
                let value = (!rest.is_empty()).then(|| rest.strip_prefix('=').unwrap_or(rest));
                let opt = OPTIONS.iter().find(|o| o.0 == Some(c)).map(|o| o.2);
                (opt, format!("-{c}"), value.map(str::to_string))
            } else {
                sink.skip(
                    self.problem(
                        line,
                        tok.start,
                        tok.end,
                        format!("unexpected `{}` among the options", tok.value),
                        "put each requirement on its own line, before its options",
                    ),
                    &line.text,
                );
                continue;
            };
            let Some(opt) = opt else {
                sink.problem(InputProblem::warning(self.problem(
                    line,
                    tok.start,
                    tok.end,
                    format!("unknown option `{spelled}` in a requirements file"),
                    OPTIONS_HELP,
                )));
                // Its value, if any, cannot be told from the next option.
                return;
            };
            if !opt.takes_value() {
                if inline.is_some() {
                    sink.problem(InputProblem::warning(self.problem(
                        line,
                        tok.start,
                        tok.end,
                        format!("`{spelled}` takes no value"),
                        format!("write `{spelled}` alone"),
                    )));
                }
                continue;
            }
            let (value, start, end) = match inline {
                Some(v) => {
                    let start = tok.end.saturating_sub(v.len()).max(tok.start);
                    (v, start, tok.end)
                }
                None => match toks.get(i) {
                    Some(next) => {
                        i += 1;
                        (next.value.clone(), next.start, next.end)
                    }
                    None => {
                        sink.problem(self.problem(
                            line,
                            tok.start,
                            tok.end,
                            format!("`{spelled}` needs a value"),
                            format!("write the value after `{spelled}`, on the same line"),
                        ));
                        return;
                    }
                },
            };
            match opt {
                Opt::Requirement | Opt::Constraint | Opt::Editable if after_requirement => {
                    sink.problem(self.problem(
                        line,
                        tok.start,
                        end,
                        format!("`{spelled}` cannot follow a requirement"),
                        format!("put `{spelled} {value}` on its own line"),
                    ));
                }
                Opt::Requirement => self.include(line, &value, start, end, sink, stack),
                // Constraints only narrow versions of what is installed anyway.
                Opt::Constraint | Opt::Global { .. } | Opt::PerRequirement => {}
                Opt::Editable => self.link(line, start, end, sink),
                Opt::Hash => {
                    if let Err(e) = check_hash(&value) {
                        sink.problem(InputProblem::warning(self.problem(
                            line,
                            start,
                            end,
                            e.to_string(),
                            "write --hash=<algorithm>:<hex digest> with sha256, sha384 or sha512, \
                             as pip hash-checking mode expects",
                        )));
                    }
                }
            }
        }
    }

    fn include(
        &self,
        line: &Logical<'_>,
        value: &str,
        start: usize,
        end: usize,
        sink: &mut dyn Sink,
        stack: &mut Vec<Frame>,
    ) {
        let value = if value.starts_with("file:") {
            match url::Url::parse(value)
                .ok()
                .and_then(|u| u.to_file_path().ok())
            {
                Some(p) => p.to_string_lossy().into_owned(),
                None => value.to_string(),
            }
        } else if has_scheme(value) {
            sink.problem(self.problem(
                line,
                start,
                end,
                format!("`{value}` is a remote include; banscan does not fetch it, so the requirements in it are not checked"),
                "download the file and scan it (name it on the command line, or include it by its local path)",
            ));
            return;
        } else {
            value.to_string()
        };
        let included = self.source.include(&value);
        let display = Arc::clone(&included.name);
        let canonical = included.path().and_then(|p| std::fs::canonicalize(p).ok());
        let opened = match (&canonical, included.open(self.limits)) {
            (Some(_), Ok(opened)) => opened,
            (_, Err(e)) => {
                sink.problem(self.problem(
                    line,
                    start,
                    end,
                    format!("cannot read the included file `{display}`: {}", e.message),
                    "fix the path; it is relative to the directory of the file that includes it",
                ));
                return;
            }
            (None, Ok(_)) => {
                sink.problem(self.problem(
                    line,
                    start,
                    end,
                    format!("cannot read the included file `{display}`"),
                    "fix the path; it is relative to the directory of the file that includes it",
                ));
                return;
            }
        };
        if let Some(pos) = stack
            .iter()
            .position(|f| f.canonical.is_some() && f.canonical == canonical)
        {
            let cycle: Vec<&str> = stack[pos..]
                .iter()
                .map(|f| &*f.display)
                .chain([&*display])
                .collect();
            sink.problem(self.problem(
                line,
                start,
                end,
                format!("this include makes a cycle: {}", cycle.join(" → ")),
                "remove the -r line that leads back to a file already being read",
            ));
            return;
        }
        if stack.len() >= MAX_INCLUDE_DEPTH {
            sink.problem(self.problem(
                line,
                start,
                end,
                format!(
                    "`{display}` is included {MAX_INCLUDE_DEPTH} files deep; banscan reads includes no deeper, so the requirements in it are not checked"
                ),
                "scan the deeper files by naming them, or flatten the chain of -r lines",
            ));
            return;
        }
        stack.push(Frame {
            canonical,
            display: Arc::clone(&display),
        });
        let result = parse_file(&included, opened, self.limits, sink, stack, self.env);
        stack.pop();
        if let Err(p) = result {
            sink.problem(self.problem(
                line,
                start,
                end,
                format!(
                    "the included file `{display}` cannot be read: {}",
                    p.message
                ),
                p.help,
            ));
        }
    }
}

fn has_scheme(text: &str) -> bool {
    match text.find("://") {
        Some(i) if i > 0 => {
            let scheme = &text[..i];
            scheme.as_bytes()[0].is_ascii_alphabetic()
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        }
        _ => false,
    }
}

/// pip's `_looks_like_path`: a path separator, or a leading `.`.
fn looks_like_path(text: &str) -> bool {
    text.contains('/') || text.contains('\\') || text.starts_with('.') || text.starts_with('~')
}

/// The last path segment of a path or URL, without query or fragment.
fn url_file_name(link: &str) -> &str {
    let link = &link[..link.find(['#', '?']).unwrap_or(link.len())];
    link.rsplit(['/', '\\']).next().unwrap_or(link)
}

/// Checks a `--hash` value: `sha256|sha384|sha512:<hex>`, as pip requires.
fn check_hash(value: &str) -> Result<(), HashError<'_>> {
    let Some((algo, digest)) = value.split_once(':') else {
        return Err(HashError::NoAlgorithm(value));
    };
    let hex_len = match algo {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return Err(HashError::Algorithm(algo)),
    };
    if digest.len() != hex_len || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(HashError::Digest {
            algo,
            digest,
            hex_len,
        });
    }
    Ok(())
}

/// Why a `--hash` value was refused. Borrows from the value: it is turned
/// into the problem's message on the spot.
#[derive(Debug)]
enum HashError<'a> {
    /// No `:` between algorithm and digest.
    NoAlgorithm(&'a str),
    /// An algorithm pip does not accept.
    Algorithm(&'a str),
    /// The wrong length for the algorithm, or not hexadecimal.
    Digest {
        algo: &'a str,
        digest: &'a str,
        hex_len: usize,
    },
}

impl std::fmt::Display for HashError<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HashError::NoAlgorithm(value) => {
                write!(f, "`--hash={value}` is not `<algorithm>:<digest>`")
            }
            HashError::Algorithm(algo) => {
                write!(f, "`{algo}` is not a hash algorithm pip accepts for --hash")
            }
            HashError::Digest {
                algo,
                digest,
                hex_len,
            } => write!(
                f,
                "the {algo} digest `{digest}` is not {hex_len} hexadecimal characters"
            ),
        }
    }
}

impl std::error::Error for HashError<'_> {}

#[cfg(test)]
#[path = "requirements_tests.rs"]
mod tests;
