//! Problems with inputs, and short excerpts of the lines they are on.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// Bytes of a line shown around a match or a problem. A 5 MB line must not
/// make 5 MB of diagnostics.
pub const EXCERPT_MAX: usize = 200;

/// Bytes of a problem's message or help kept: one may quote a value from
/// the input, and a 100 KB token must not make a 100 KB message.
const MESSAGE_MAX: usize = 512;

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
            message: keep_ends(message.into(), MESSAGE_MAX),
            help: keep_ends(help.into(), MESSAGE_MAX),
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
            message: keep_ends(message.into(), MESSAGE_MAX),
            help: keep_ends(help.into(), MESSAGE_MAX),
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

/// Where a value was cut, and how many bytes were left out, so that a
/// reader knows the excerpt is not the whole and how much is missing.
fn marker(bytes: usize) -> String {
    format!("[… {bytes} byte{}]", if bytes == 1 { "" } else { "s" })
}

/// `text` with only the byte ranges `keep` (`(start, end)`, in order, not
/// overlapping), each gap replaced by a [`marker`].
fn cut(text: &str, keep: &[(usize, usize)]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &(start, end) in keep {
        let lo = ceil_char(text, start.max(at).min(text.len()));
        let hi = floor_char(text, end.min(text.len())).max(lo);
        if lo > at {
            out.push_str(&marker(lo - at));
        }
        out.push_str(&text[lo..hi]);
        at = hi;
    }
    if at < text.len() {
        out.push_str(&marker(text.len() - at));
    }
    out
}

/// At most `max` bytes of a value from its start, the rest counted.
pub fn keep_start(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max {
        return Cow::Borrowed(text);
    }
    Cow::Owned(cut(text, &[(0, max)]))
}

/// At most `max` bytes of a value from its end: a host name is matched by
/// its suffix, so the end is what tells it apart.
pub fn keep_end(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max {
        return Cow::Borrowed(text);
    }
    Cow::Owned(cut(text, &[(text.len() - max, text.len())]))
}

/// At most `max` bytes of a message, from both ends: a message quoting a
/// huge value says what is wrong with it after the quote.
fn keep_ends(text: String, max: usize) -> String {
    if text.len() <= max {
        return text;
    }
    let half = max / 2;
    cut(&text, &[(0, half), (text.len() - half, text.len())])
}

/// A window of at most [`EXCERPT_MAX`] bytes of a line around a span, with
/// a [`marker`] where the line was cut (counted in the window); `offset` and `len` locate the span
/// in `text`. The span is kept whole when it fits, else its start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    pub offset: u32,
    pub len: u32,
}

impl Excerpt {
    pub fn new(line: &str, offset: usize, len: usize) -> Excerpt {
        let start = floor_char(line, offset.min(line.len()));
        let end = floor_char(line, offset.saturating_add(len).min(line.len())).max(start);
        // The markers count against the window, so the text fits in it.
        let window = if line.len() <= EXCERPT_MAX {
            EXCERPT_MAX
        } else {
            EXCERPT_MAX - 2 * marker(line.len()).len()
        };
        let span_end = floor_char(line, end.min(start + window));
        // Context on both sides, what one side cannot use going to the other.
        let room = window - (span_end - start);
        let after = (line.len() - span_end).min(room - start.min(room / 2));
        let lo = ceil_char(line, start - start.min(room - after));
        let hi = floor_char(line, span_end + after);
        let lead = if lo > 0 { marker(lo).len() } else { 0 };
        Excerpt {
            text: cut(line, &[(lo, hi)]),
            offset: saturating_u32(lead + start - lo),
            len: saturating_u32(span_end - start),
        }
    }
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char(text: &str, mut at: usize) -> usize {
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Short lines are kept whole; long ones are a window around the span,
    /// whole, with the bytes cut on each side counted.
    #[test]
    fn excerpts_are_capped() {
        let e = Excerpt::new("abc deepseek.com", 4, 12);
        assert_eq!(
            (e.text.as_str(), e.offset, e.len),
            ("abc deepseek.com", 4, 12)
        );

        let long = format!("{}deepseek.com{}", "x".repeat(5_000_000), "y".repeat(1000));
        let e = Excerpt::new(&long, 5_000_000, 12);
        let at = e.offset as usize;
        assert_eq!(&e.text[at..at + e.len as usize], "deepseek.com");
        assert_eq!(
            &e.text[..at],
            format!("[… 4999925 bytes]{}", "x".repeat(75))
        );
        assert_eq!(
            &e.text[at + 12..],
            format!("{}[… 925 bytes]", "y".repeat(75))
        );

        assert!(e.text.len() <= EXCERPT_MAX);

        // A match at the end of a 100 KB token: all the room goes before it.
        let host = format!("{}.chat.deepseek.com", "a".repeat(99_982));
        let e = Excerpt::new(&host, host.len() - 17, 17);
        assert!(e.text.starts_with("[… 99836 bytes]a"), "{}", e.text);
        assert!(e.text.ends_with(".chat.deepseek.com"));
        assert_eq!(e.len, 17);

        // A span longer than the window keeps its start.
        let e = Excerpt::new(&host, 0, host.len());
        assert_eq!(e.text, format!("{}[… 99836 bytes]", "a".repeat(164)));
        assert_eq!((e.offset, e.len), (0, 164));

        let wide = "é".repeat(200);
        let e = Excerpt::new(&wide, 101, 3);
        assert!(e.text.is_char_boundary(e.offset as usize));
        assert!(e.text.len() <= EXCERPT_MAX);
    }

    /// Values keep their start, or a host its end, with the cut counted;
    /// short ones are borrowed.
    #[test]
    fn values_are_capped() {
        assert!(matches!(keep_start("short", 8), Cow::Borrowed("short")));
        assert_eq!(keep_start("abcdefgh", 3), "abc[… 5 bytes]");
        assert_eq!(keep_end("abcdefgh", 7), "[… 1 byte]bcdefgh");
        assert_eq!(keep_start("ééé", 3), "é[… 4 bytes]");
        let message = format!("`{}` is too long", "a".repeat(10_000));
        let kept = keep_ends(message, 100);
        assert!(kept.starts_with("`aaa") && kept.ends_with("a` is too long"));
        assert!(kept.contains("[… 9914 bytes]"), "{kept}");
    }
}
