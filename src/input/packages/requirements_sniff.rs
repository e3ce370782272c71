//! Telling pip requirements files by content, for `.txt` files whose
//! name does not say (`uv pip compile -o deps.txt`).

use super::pep508::valid_name;

/// How many content lines are sniffed.
const SNIFF_LINES: usize = 20;

/// Marker variables of PEP 508: what may follow `;` in a requirement.
const MARKER_VARIABLES: &[&str] = &[
    "python_version",
    "python_full_version",
    "os_name",
    "sys_platform",
    "platform_release",
    "platform_system",
    "platform_version",
    "platform_machine",
    "platform_python_implementation",
    "implementation_name",
    "implementation_version",
    "extra",
    "extras",
    "dependency_groups",
    "os.name",
    "sys.platform",
    "platform.version",
    "platform.machine",
    "platform.python_implementation",
    "python_implementation",
];

/// Whether most of the first content lines are pip requirement lines, at
/// least one with a version operator or an option, as pip freeze,
/// pip-compile, `uv pip compile` and `poetry export` write them. What
/// follows `;` must be a PEP 508 marker, so Unicode's `Blocks.txt`
/// (`0000..007F; Basic Latin`) is not taken for one.
pub fn looks_like(text: &str) -> bool {
    let (mut seen, mut fit, mut strong) = (0, 0, false);
    for line in text.lines() {
        let text = line.split(" #").next().unwrap_or("").trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        seen += 1;
        if let Some(kind) = sniff_line(text) {
            fit += 1;
            strong |= kind;
        }
        if seen == SNIFF_LINES {
            break;
        }
    }
    seen > 0 && strong && fit * 10 >= seen * 8
}

/// `Some(has an operator or option)` when `text` is a requirement line.
fn sniff_line(text: &str) -> Option<bool> {
    if text.starts_with('-') {
        return Some(true);
    }
    let name_end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(text.len());
    let name = &text[..name_end];
    if name.is_empty() || !valid_name(name) || !name.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let rest = text[name_end..].trim_start();
    let rest = match rest.strip_prefix('[') {
        Some(r) => r.split_once(']')?.1.trim_start(),
        None => rest,
    };
    let marker_ok = |m: &str| {
        let m = m.trim_start().trim_start_matches('(').trim_start();
        m.starts_with(['"', '\''])
            || MARKER_VARIABLES.iter().any(|v| {
                m.starts_with(v)
                    && !m[v.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
            })
    };
    if let Some(marker) = rest.strip_prefix(';') {
        return marker_ok(marker).then_some(true);
    }
    let operator = ["===", "==", ">=", "<=", "~=", "!=", "<", ">", "@"]
        .iter()
        .any(|op| rest.starts_with(op));
    if let Some((_, marker)) = rest.split_once(';')
        && !marker_ok(marker)
    {
        return None;
    }
    (operator || rest.is_empty() || rest == "\\").then_some(operator)
}
