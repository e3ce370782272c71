//! `banscan formats`: the format table, as `rg --type-list` prints its own.

use super::Out;
use crate::Outcome;
use crate::input::registry::FORMATS;

pub(super) fn run(out: &Out) -> Outcome {
    out.print(&table());
    Outcome::Clean
}

/// One line a format: name, evidence, whether it is read, file names.
pub fn table() -> String {
    let width = FORMATS.iter().map(|f| f.name.len()).max().unwrap_or(0);
    let mut text = format!(
        "{:<width$} {:<10} {:<11} FILE NAMES\n",
        "FORMAT", "EVIDENCE", "STATUS"
    );
    for f in FORMATS {
        let mut names = vec![f.names.join(", ")];
        if !f.maybe.is_empty() {
            let how = if f.sniff.is_some() || f.shape.is_some() {
                "by content"
            } else {
                "if no other format takes them"
            };
            names.push(format!("{how}: {}", f.maybe.join(", ")));
        }
        names.retain(|n| !n.is_empty());
        text.push_str(&format!(
            "{:<width$} {:<10} {:<11} {}\n    {}\n",
            f.name,
            f.evidence.name(),
            if f.is_read() { "read" } else { "recognised" },
            names.join("; "),
            f.description,
        ));
    }
    text.push_str(
        "\nread: parsed and checked. recognised: named in the report as skipped \
         (--strict fails on it), not read by this version.\n\
         Compressed inputs (gzip, zstd) and UTF-16 text are decoded first, whatever the name.\n",
    );
    text
}
