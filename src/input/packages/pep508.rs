//! PEP 508 requirements (`name[extras] specifiers ; marker`, `name @ URL`),
//! read as byte spans of the line so that every problem points at its
//! place. `pep508_rs` was evaluated: it parses to values, not spans, and
//! refuses some of what pip accepts, so spans are kept here and version
//! specifiers are checked with `pep440_rs`.

use std::str::FromStr;

use pep440_rs::VersionSpecifier;

/// A requirement-line error: the span of the logical line it is about.
pub(super) struct ReqError {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) message: String,
    pub(super) help: String,
}

impl ReqError {
    fn new(start: usize, end: usize, message: impl Into<String>, help: impl Into<String>) -> Self {
        ReqError {
            start,
            end,
            message: message.into(),
            help: help.into(),
        }
    }
}

/// A PEP 508 requirement, as spans of the logical line.
pub(super) struct Pep508 {
    pub(super) name: (usize, usize),
    pub(super) specifier: Option<(usize, usize)>,
    pub(super) url: Option<(usize, usize)>,
}

/// PEP 508 names: `^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$`, ignoring case.
pub(super) fn valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

pub(super) fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-')
}

pub(super) fn skip_ws(text: &str, mut i: usize, end: usize) -> usize {
    let b = text.as_bytes();
    while i < end && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Parses `text[start..end]` as a PEP 508 requirement.
pub(super) fn parse_pep508(text: &str, start: usize, end: usize) -> Result<Pep508, ReqError> {
    let b = text.as_bytes();
    let whole = &text[start..end];
    let mut i = skip_ws(text, start, end);
    let name_start = i;
    while i < end && is_name_char(b[i]) {
        i += 1;
    }
    let name = &text[name_start..i];
    if name.is_empty() {
        return Err(ReqError::new(
            start,
            end,
            format!("`{whole}` is not a requirement: it does not start with a package name"),
            "write a requirement such as `requests==2.32.3` or `requests>=2,<3`",
        ));
    }
    if !valid_name(name) {
        return Err(ReqError::new(
            name_start,
            i,
            format!("`{name}` is not a valid package name"),
            "package names start and end with a letter or digit and use only letters, digits, `.`, `_` and `-`",
        ));
    }
    if i < end && !b[i].is_ascii_whitespace() && !b"[(@;<>=!~".contains(&b[i]) {
        let bad = text[i..end].chars().next().unwrap_or(' ');
        return Err(ReqError::new(
            i,
            i + bad.len_utf8(),
            format!("unexpected `{bad}` after the package name `{name}`"),
            "write a requirement such as `name==1.0`, `name[extra]>=1.0` or `name @ https://…`",
        ));
    }
    let name_span = (name_start, i);
    i = skip_ws(text, i, end);
    if i < end && b[i] == b'[' {
        let open = i;
        let Some(close) = text[i..end].find(']').map(|c| i + c) else {
            return Err(ReqError::new(
                open,
                end,
                "the list of extras is not closed with `]`",
                "write extras as `name[extra1,extra2]`",
            ));
        };
        let mut at = open + 1;
        for extra in text[open + 1..close].split(',') {
            let trimmed = extra.trim();
            let only_one_empty = trimmed.is_empty() && text[open + 1..close].trim().is_empty();
            if !only_one_empty && !valid_name(trimmed) {
                return Err(ReqError::new(
                    at,
                    at + extra.len().max(1),
                    format!("`{trimmed}` is not a valid extra name"),
                    "write extras as `name[extra1,extra2]`",
                ));
            }
            at += extra.len() + 1;
        }
        i = skip_ws(text, close + 1, end);
    }
    let mut req = Pep508 {
        name: name_span,
        specifier: None,
        url: None,
    };
    if i < end && b[i] == b'@' {
        let url_start = skip_ws(text, i + 1, end);
        let url_end = text[url_start..end]
            .find(char::is_whitespace)
            .map_or(end, |e| url_start + e);
        let url = &text[url_start..url_end];
        if url.is_empty() {
            return Err(ReqError::new(
                i,
                i + 1,
                format!("`{name} @` has no URL"),
                format!("write `{name} @ https://…` or drop the `@`"),
            ));
        }
        if let Err(e) = url::Url::parse(url) {
            return Err(ReqError::new(
                url_start,
                url_end,
                format!("`{url}` is not a valid URL: {e}"),
                format!("write a full URL such as `{name} @ https://…` or `{name} @ file:///…`"),
            ));
        }
        req.url = Some((url_start, url_end));
        i = skip_ws(text, url_end, end);
    } else if i < end && b[i] == b'(' {
        let open = i;
        let Some(close) = text[i..end].find(')').map(|c| i + c) else {
            return Err(ReqError::new(
                open,
                end,
                "the version specifier is not closed with `)`",
                "write `name (>=1.0)` or `name>=1.0`",
            ));
        };
        req.specifier = check_specifiers(text, open + 1, close)?;
        i = skip_ws(text, close + 1, end);
    } else {
        let spec_end = text[i..end].find(';').map_or(end, |s| i + s);
        req.specifier = check_specifiers(text, i, spec_end)?;
        i = spec_end;
    }
    if i < end {
        if b[i] != b';' {
            return Err(ReqError::new(
                i,
                end,
                format!("unexpected `{}` in the requirement", text[i..end].trim()),
                "an environment marker is written after `;`, e.g. `name==1.0 ; python_version >= \"3.8\"`",
            ));
        }
        if text[i + 1..end].trim().is_empty() {
            return Err(ReqError::new(
                i,
                i + 1,
                "the environment marker after `;` is empty",
                "write a marker after `;`, e.g. `; python_version >= \"3.8\"`, or remove the `;`",
            ));
        }
    }
    Ok(req)
}

/// Checks comma-separated version specifiers in `text[start..end]`;
/// returns their trimmed span, or `None` when there are none.
pub(super) fn check_specifiers(
    text: &str,
    start: usize,
    end: usize,
) -> Result<Option<(usize, usize)>, ReqError> {
    let spec = text[start..end].trim();
    if spec.is_empty() {
        return Ok(None);
    }
    let s = start + (text[start..end].len() - text[start..end].trim_start().len());
    let e = s + spec.len();
    let mut at = s;
    for part in text[s..e].split(',') {
        let p = part.trim();
        let p_start = at + (part.len() - part.trim_start().len());
        let p_end = p_start + p.len();
        at += part.len() + 1;
        if p.is_empty() {
            return Err(ReqError::new(
                p_start.min(e.saturating_sub(1)),
                p_start.min(e.saturating_sub(1)) + 1,
                format!("`{spec}` has an empty version specifier"),
                "separate specifiers with single commas, e.g. `>=1.0,<2`",
            ));
        }
        if let Some(arbitrary) = p.strip_prefix("===") {
            if arbitrary.trim().is_empty() || arbitrary.trim().contains(char::is_whitespace) {
                return Err(ReqError::new(
                    p_start,
                    p_end,
                    format!("`{p}` is not a valid version specifier: `===` needs one version"),
                    "write `===<version>`",
                ));
            }
            continue;
        }
        if let Err(err) = VersionSpecifier::from_str(p) {
            return Err(ReqError::new(
                p_start,
                p_end,
                format!(
                    "`{p}` is not a valid version specifier: {}",
                    lower_first(&err.to_string())
                ),
                "write an operator and a version, e.g. `==2.32.3`, `>=1.0,<2` or `~=1.4`",
            ));
        }
    }
    Ok(Some((s, e)))
}

pub(super) fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The version an already checked specifier set pins: an `==v` (without a
/// wildcard) or `===v` member.
pub(super) fn pinned_version(spec: &str) -> Option<String> {
    spec.split(',').map(str::trim).find_map(|p| {
        if let Some(v) = p.strip_prefix("===") {
            Some(v.trim().to_string())
        } else {
            let v = p.strip_prefix("==")?.trim();
            (!v.ends_with(".*")).then(|| v.to_string())
        }
    })
}
