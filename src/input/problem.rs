//! Problems with inputs, and short excerpts of the lines they are on.

use std::fmt;
use std::sync::Arc;

/// Bytes of a line shown around a match or a problem. A 5 MB line must not
/// make 5 MB of diagnostics.
pub const EXCERPT_MAX: usize = 160;

/// A problem with one input, pointing at a line where there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputProblem {
    pub path: Arc<str>,
    /// `None` when the file as a whole failed (unreadable, wrong format, ...).
    pub at: Option<ProblemAt>,
    pub message: String,
    pub help: String,
    pub impact: Impact,
}

/// What a problem costs the scan. The coverage contract turns on it: only
/// evidence banscan could not read fails a scan, and a warning never hides
/// a finding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Impact {
    /// Evidence was not read (the file, or a line over the cap): the input
    /// is unread evidence.
    #[default]
    Unread,
    /// A record that fits no shape of its format, passed over: counted in
    /// the input's `skipped`, and unread evidence only when it may hold an
    /// identifier of a policy that applies.
    Skipped,
    /// Nothing was lost (an option banscan does not know, a hash pip
    /// checks only at install time): listed with its place.
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProblemAt {
    pub line: u64,
    /// 1-based byte column of the problem within the whole line.
    pub column: u32,
    /// The excerpt of the line shown, and where the problem lies within it.
    pub excerpt: Excerpt,
}

impl InputProblem {
    pub fn file(path: &Arc<str>, message: impl Into<String>, help: impl Into<String>) -> Self {
        InputProblem {
            path: Arc::clone(path),
            at: None,
            message: message.into(),
            help: help.into(),
            impact: Impact::Unread,
        }
    }

    /// The same problem, as a warning: nothing was lost.
    pub fn warning(self) -> Self {
        InputProblem {
            impact: Impact::Warning,
            ..self
        }
    }

    /// A problem with `len` bytes from byte `offset` of the text `line_text`
    /// (line `line`, 1-based).
    pub fn line(
        path: &Arc<str>,
        line: u64,
        line_text: &str,
        offset: usize,
        len: usize,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        InputProblem {
            path: Arc::clone(path),
            at: Some(ProblemAt {
                line,
                column: saturating_u32(offset + 1),
                excerpt: Excerpt::new(line_text, offset, len),
            }),
            message: message.into(),
            help: help.into(),
            impact: Impact::Unread,
        }
    }

    /// Moves a problem found in a chunk that starts at line `first_line`.
    pub fn rebase(&mut self, first_line: u64) {
        if let Some(at) = &mut self.at {
            at.line += first_line - 1;
        }
    }
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            Some(at) => write!(
                f,
                "{}:{}:{}: {}",
                self.path, at.line, at.column, self.message
            ),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

pub fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A window of at most [`EXCERPT_MAX`] bytes of a line around a span, with
/// `…` where the line was cut; `offset` and `len` locate the span in `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    pub offset: u32,
    pub len: u32,
}

impl Excerpt {
    pub fn new(line: &str, offset: usize, len: usize) -> Excerpt {
        let offset = floor_char(line, offset.min(line.len()));
        let end = floor_char(line, (offset + len).min(line.len()));
        if line.len() <= EXCERPT_MAX {
            return Excerpt {
                text: line.to_string(),
                offset: saturating_u32(offset),
                len: saturating_u32(end - offset),
            };
        }
        // Keep the span's start with some context before it, and as much
        // of the span as fits.
        let start = floor_char(line, offset.saturating_sub(EXCERPT_MAX / 4));
        let stop = floor_char(line, (start + EXCERPT_MAX).min(line.len()));
        let mut text = String::with_capacity(EXCERPT_MAX + 8);
        if start > 0 {
            text.push('…');
        }
        let lead = text.len();
        text.push_str(&line[start..stop]);
        if stop < line.len() {
            text.push('…');
        }
        let span_end = end.min(stop).max(offset);
        Excerpt {
            text,
            offset: saturating_u32(lead + offset - start),
            len: saturating_u32(span_end - offset),
        }
    }
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Short lines are kept whole; long ones are cut around the span.
    #[test]
    fn excerpts_are_capped() {
        let e = Excerpt::new("abc deepseek.com", 4, 12);
        assert_eq!(
            (e.text.as_str(), e.offset, e.len),
            ("abc deepseek.com", 4, 12)
        );

        let long = format!("{}deepseek.com{}", "x".repeat(5_000_000), "y".repeat(1000));
        let e = Excerpt::new(&long, 5_000_000, 12);
        assert!(e.text.len() <= EXCERPT_MAX + 8, "{}", e.text.len());
        assert!(e.text.starts_with('…') && e.text.ends_with('…'));
        let at = e.offset as usize;
        assert_eq!(&e.text[at..at + e.len as usize], "deepseek.com");

        let wide = "é".repeat(200);
        let e = Excerpt::new(&wide, 101, 3);
        assert!(e.text.is_char_boundary(e.offset as usize));
    }
}
