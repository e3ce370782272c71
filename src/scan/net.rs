//! The safety net over files not read: the literal search runs over the
//! whole decoded text (gzip, UTF-16 with or without a byte-order mark) in
//! blocks, and the first identifier it finds makes the file unread
//! evidence, named with its line.

use std::io::Read;

use crate::input::{Excerpt, InputProblem, Limits, Source};
use crate::matcher::Net;

/// Bytes searched at a time, and the tail of each block searched again
/// with the next, so an identifier cut by a block boundary is still seen
/// whole with what stands before it (identifiers are far shorter).
const BLOCK: usize = 1 << 20;
const OVERLAP: usize = 1024;

/// Where the net caught an identifier in a file.
#[derive(Debug)]
pub struct Catch {
    pub rule: u32,
    pub line: u64,
    pub column: u32,
    /// The line, cut around the identifier.
    pub text: String,
}

/// Searches `source` from start to end; stops at the first catch.
pub fn search(source: &Source, limits: &Limits, net: &Net) -> Result<Option<Catch>, InputProblem> {
    if net.is_empty() {
        return Ok(None);
    }
    let mut reader = source.open(limits)?.reader;
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK + OVERLAP);
    // The line `buf[0]` is on.
    let mut line = 1u64;
    loop {
        let start = buf.len();
        buf.resize(start + BLOCK, 0);
        let n = read_full(&mut reader, &mut buf[start..]).map_err(|e| source.unreadable(&e))?;
        buf.truncate(start + n);
        if n == 0 {
            return Ok(None);
        }
        if let Some(catch) = net.find(&buf) {
            // An identifier wholly inside the overlap was searched with
            // the block before, so this one is new.
            let at = catch.offset;
            let line_start = memchr::memrchr(b'\n', &buf[..at]).map_or(0, |i| i + 1);
            let line_end = memchr::memchr(b'\n', &buf[at..]).map_or(buf.len(), |i| at + i);
            let number = line + memchr::memchr_iter(b'\n', &buf[..at]).count() as u64;
            let text = String::from_utf8_lossy(&buf[line_start..line_end]);
            let offset = floor(&text, at - line_start);
            let excerpt = Excerpt::new(text.trim_end_matches('\r'), offset, catch.len);
            return Ok(Some(Catch {
                rule: catch.rule,
                line: number,
                column: u32::try_from(at - line_start + 1).unwrap_or(u32::MAX),
                text: excerpt.text,
            }));
        }
        // Keep the tail, counting the lines of what is dropped.
        let drop = buf.len().saturating_sub(OVERLAP);
        line += memchr::memchr_iter(b'\n', &buf[..drop]).count() as u64;
        buf.drain(..drop);
    }
}

/// Reads until `buf` is full or the input ends.
fn read_full(reader: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// `at` moved back to a character boundary of `text` (a lossy decode can
/// shift bytes; the excerpt only needs to be close).
fn floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::Matcher;
    use crate::policy::compile::BanSet;

    fn catch(bytes: Vec<u8>) -> Option<Catch> {
        let text = "product: demo\nname: Demo\nidentifiers:\n  endpoints: [deepseek.com]\n"
            .to_string()
            + &crate::policy::read::test_policy("xx-demo", "demo");
        let library = crate::policy::read::library_from(&text);
        let matcher = Matcher::new(BanSet::compile(&library, &[0])).unwrap();
        let net = Net::new(matcher.rules()).unwrap();
        search(&Source::bytes("t", bytes), &Limits::default(), &net).unwrap()
    }

    /// The first identifier is found at its line, past block boundaries,
    /// in UTF-16 text and in a line of several megabytes.
    #[test]
    fn finds_the_first_identifier_anywhere() {
        let mut text = "nothing here\n".repeat(200_000);
        text.push_str("then CONNECT chat.deepseek.com:443 -\n");
        let lines = 200_001;
        assert!(text.len() > 2 * BLOCK);
        let got = catch(text.clone().into_bytes()).unwrap();
        assert_eq!(got.line, lines);
        assert!(got.text.contains("chat.deepseek.com"), "{}", got.text);

        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(catch(utf16).unwrap().line, lines);

        let long = format!("{}.chat.deepseek.com\nx\n", "x".repeat(5 << 20));
        let got = catch(long.into_bytes()).unwrap();
        assert_eq!(got.line, 1);
        assert!(got.text.len() < 400);

        assert!(catch(b"notdeepseek.com\nmydeepseek.org\n".to_vec()).is_none());
    }
}
