//! `--format short`: one `file:line:col: severity policy: message` line per
//! finding, as compilers and linters write them, so editors jump to the
//! line and `grep` and `wc -l` work on the output.

use std::io::{self, Write};

use super::Render;
use crate::report::{Finding, Report};

pub struct Short;

impl Render for Short {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        for finding in &report.findings {
            writeln!(out, "{}", line(finding))?;
        }
        Ok(())
    }
}

/// One finding's line. Control characters from the evidence are shown
/// escaped: a line must stay one line.
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
        text.push_str(&format!(" is {product}"));
    }
    if f.count > 1 {
        text.push_str(&format!(" ({} occurrences", f.count));
        if let Some(last) = &f.last_location {
            text.push_str(&format!(", last at line {}", last.line));
        }
        text.push(')');
    }
    if let Some(w) = &f.waiver {
        text.push_str(&format!(" [waived until {}: {}]", w.expires, w.reason));
    }
    if f.baseline {
        text.push_str(" [baseline]");
    }
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
