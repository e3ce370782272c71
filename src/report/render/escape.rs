//! Evidence is untrusted. A file name, an app name or a line of a log can
//! carry terminal escape sequences (to clear the screen, retitle the
//! window, or hide a finding), line breaks that forge output lines, and
//! bidirectional or invisible characters that make text read differently
//! from what it is. Output for people shows each such character as an
//! escape instead (`\x1b`, `\u{202e}`); the JSON report keeps the real
//! value, which its own escaping makes safe.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not reach a terminal as itself: C0 controls, DEL, C1
/// controls, and the bidirectional, invisible and line-separating
/// formatting characters.
fn is_hostile(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

fn push_escaped(c: char, out: &mut String) {
    let _ = match c {
        '\t' => out.write_str("\\t"),
        '\n' => out.write_str("\\n"),
        '\r' => out.write_str("\\r"),
        c if c.is_ascii() => write!(out, "\\x{:02x}", u32::from(c)),
        c => write!(out, "\\u{{{:x}}}", u32::from(c)),
    };
}

/// `text` with every hostile character escaped; borrowed when it has none.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hostile) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hostile(c) {
            push_escaped(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A line shown with an underline under bytes `start..start + len`: the
/// line neutralised, and the span moved to where those characters are now.
/// A tab becomes one space rather than `\t`: it separates columns (Zeek,
/// TSV), and miette widens a real tab, which moved the underline off the
/// match.
pub fn neutralise_span(text: &str, start: usize, len: usize) -> (String, usize, usize) {
    let end = start.saturating_add(len);
    let (mut new_start, mut new_end) = (None, None);
    let mut out = String::with_capacity(text.len() + 16);
    for (i, c) in text.char_indices() {
        if new_start.is_none() && i >= start {
            new_start = Some(out.len());
        }
        if new_end.is_none() && i >= end {
            new_end = Some(out.len());
        }
        match c {
            '\t' => out.push(' '),
            c if is_hostile(c) => push_escaped(c, &mut out),
            c => out.push(c),
        }
    }
    let new_start = new_start.unwrap_or(out.len());
    let new_end = new_end.unwrap_or(out.len()).max(new_start);
    (out, new_start, new_end - new_start)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain text, including non-Latin scripts and emoji, is borrowed as is.
    #[test]
    fn plain_text_is_borrowed_unchanged() {
        for text in [
            "",
            "Kaspersky Internet Security",
            "微信 WeChat",
            "Café 😀",
            "C:\\x",
        ] {
            assert!(matches!(neutralise(text), Cow::Borrowed(t) if t == text));
        }
    }

    /// Each class of hostile character is escaped, visibly.
    #[test]
    fn every_hostile_class_is_escaped() {
        let cases = [
            ("\u{1b}]0;pwned\u{7}", "\\x1b]0;pwned\\x07"),
            ("\u{1b}[2J", "\\x1b[2J"),
            ("a\rb\u{8}c\0", "a\\rb\\x08c\\x00"),
            ("name\nforged line", "name\\nforged line"),
            ("tab\there", "tab\\there"),
            ("del\u{7f}", "del\\x7f"),
            ("c1 \u{80}\u{9b}31m\u{9f}", "c1 \\u{80}\\u{9b}31m\\u{9f}"),
            ("exe.\u{202e}txt", "exe.\\u{202e}txt"),
            (
                "\u{202a}\u{202b}\u{202c}\u{202d}",
                "\\u{202a}\\u{202b}\\u{202c}\\u{202d}",
            ),
            (
                "\u{2066}\u{2067}\u{2068}\u{2069}",
                "\\u{2066}\\u{2067}\\u{2068}\\u{2069}",
            ),
            ("\u{200e}\u{200f}\u{61c}", "\\u{200e}\\u{200f}\\u{61c}"),
            (
                "z\u{200b}w\u{200c}j\u{200d}",
                "z\\u{200b}w\\u{200c}j\\u{200d}",
            ),
            ("\u{feff}bom", "\\u{feff}bom"),
            ("ls\u{2028}ps\u{2029}", "ls\\u{2028}ps\\u{2029}"),
        ];
        for (raw, shown) in cases {
            assert_eq!(neutralise(raw), shown, "{raw:?}");
        }
    }

    /// The underlined span covers the same characters after escaping, and
    /// tabs keep one column each.
    #[test]
    fn spans_follow_their_characters() {
        let line = "\u{1b}[2Jx,\u{202e}evil.com,y";
        let at = line.find("evil").unwrap();
        let (shown, start, len) = neutralise_span(line, at, 8);
        assert_eq!(&shown[start..start + len], "evil.com");
        assert_eq!(shown, "\\x1b[2Jx,\\u{202e}evil.com,y");

        let zeek = "1717000000.1\tCabc\t10.0.0.5\t53\tchat.deepseek.com\tA";
        let at = zeek.find("chat").unwrap();
        let (shown, start, len) = neutralise_span(zeek, at, 17);
        assert_eq!((start, len), (at, 17));
        assert!(!shown.contains('\t'));

        let (shown, start, len) = neutralise_span("abc", 5, 3);
        assert_eq!((shown.as_str(), start, len), ("abc", 3, 0));
    }
}
