//! `--format short`: one `file:line:col: severity policy: message` line per
//! finding, as compilers and linters write them, so editors jump to the
//! line and `grep` and `wc -l` work on the output; then a line per file of
//! evidence that was not read, since a short report must not hide that
//! the scan is incomplete.

use std::io::{self, Write};

use super::Render;
use crate::report::{Finding, InputState, Report};

pub struct Short;

impl Render for Short {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        for finding in &report.findings {
            writeln!(out, "{}", line(finding))?;
        }
        for input in report
            .inputs
            .iter()
            .filter(|i| i.state == InputState::Unread)
        {
            let at = input
                .problems
                .first()
                .and_then(|p| Some((p.line?, p.column.unwrap_or(1))))
                .map_or(String::new(), |(line, column)| format!("{line}:{column}:"));
            let text = format!(
                "{}:{at} error unread-evidence: {}",
                input.path,
                input.reason.as_deref().unwrap_or("not read")
            );
            writeln!(out, "{}", one_line(&text))?;
        }
        Ok(())
    }
}

/// One finding's line.
pub fn line(f: &Finding) -> String {
    let mut text = format!(
        "{}:{}:{}: {} {}: {}",
        f.location.path,
        f.location.line,
        f.location.column,
        f.severity.as_str(),
        f.policy,
        f.item.describe(),
    );
    if let Some(product) = &f.product {
        text.push_str(&format!(" (product {product})"));
    }
    if f.count > 1 {
        text.push_str(&format!(" ({} occurrences", f.count));
        if let Some(last) = &f.last_location {
            text.push_str(&format!(", last at line {}", last.line));
        }
        text.push(')');
    }
    if let Some(status) = super::timeline_status(f) {
        text.push_str(&format!(" [{status}]"));
    }
    if let Some(w) = &f.waiver {
        text.push_str(&format!(" [waived until {}: {}]", w.expires, w.reason));
    }
    if f.baseline {
        text.push_str(" [baseline]");
    }
    one_line(&text)
}

/// `text` with control characters escaped: a line stays one line.
fn one_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            line.extend(c.escape_default());
        } else {
            line.push(c);
        }
    }
    line
}
