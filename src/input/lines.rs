//! Reading a decoded source line by line with one reused buffer and a cap
//! on line length: a 5 MB line is one problem with a short excerpt, and
//! reading goes on at the next line.

use std::io::BufRead;
use std::sync::Arc;

use super::problem::{EXCERPT_MAX, InputProblem};
use super::sink::{Flow, Sink};

/// A line as read: its 1-based number and its bytes without the line ending.
pub struct Lines<R> {
    reader: R,
    buf: Vec<u8>,
    number: u64,
    /// Bytes consumed so far: where the next line starts.
    offset: u64,
    max: usize,
}

/// What the next line was.
pub enum Line<'a> {
    /// Its number, the byte offset where it starts, and its bytes.
    Text(u64, u64, &'a [u8]),
    /// Longer than the cap: its number, length and first bytes.
    TooLong(u64, u64, &'a [u8]),
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R, max: usize) -> Self {
        Lines {
            reader,
            buf: Vec::with_capacity(256),
            number: 0,
            offset: 0,
            max,
        }
    }

    pub fn next_line(&mut self) -> std::io::Result<Option<Line<'_>>> {
        self.buf.clear();
        let start = self.offset;
        let mut total: u64 = 0;
        let mut ended = false;
        loop {
            let avail = self.reader.fill_buf()?;
            if avail.is_empty() {
                break;
            }
            let (take, used) = match memchr::memchr(b'\n', avail) {
                Some(i) => {
                    ended = true;
                    (i, i + 1)
                }
                None => (avail.len(), avail.len()),
            };
            let room = (self.max + 1).saturating_sub(self.buf.len());
            self.buf.extend_from_slice(&avail[..take.min(room)]);
            total += take as u64;
            self.reader.consume(used);
            self.offset += used as u64;
            if ended {
                break;
            }
        }
        if !ended && total == 0 {
            return Ok(None);
        }
        self.number += 1;
        if total > self.max as u64 {
            self.buf.truncate(EXCERPT_MAX * 2);
            return Ok(Some(Line::TooLong(self.number, total, &self.buf)));
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        Ok(Some(Line::Text(self.number, start, &self.buf)))
    }
}

/// The problem for a line over the cap; `len` when its length is known.
pub fn too_long(
    source: &Arc<str>,
    line: u64,
    len: Option<u64>,
    start: &[u8],
    max: usize,
) -> InputProblem {
    let text = String::from_utf8_lossy(start);
    InputProblem::line(
        source,
        line,
        &text,
        0,
        text.len().min(EXCERPT_MAX),
        match len {
            Some(len) => {
                format!("this line is {len} bytes long, over the {max}-byte limit; it was not read")
            }
            None => format!("this line is longer than the {max}-byte limit; it was not read"),
        },
        "split the line, or raise the limit with --max-line-bytes",
    )
}

/// Reads every line of `reader` and hands the number, byte offset and text
/// of each to `each`; a line over the cap or not in UTF-8 is a problem and
/// is passed over.
pub fn for_each_line(
    source: &Arc<str>,
    reader: impl BufRead,
    max: usize,
    sink: &mut dyn Sink,
    mut each: impl FnMut(u64, u64, &str, &mut dyn Sink) -> Flow,
) -> Result<(), InputProblem> {
    let mut lines = Lines::new(reader, max);
    loop {
        let flow = match lines.next_line() {
            Err(e) => {
                return Err(InputProblem::file(
                    source,
                    format!("reading `{source}` failed: {e}"),
                    "check the file and the device it is on",
                ));
            }
            Ok(None) => return Ok(()),
            Ok(Some(Line::TooLong(number, len, start))) => {
                sink.problem(too_long(source, number, Some(len), start, max))
            }
            Ok(Some(Line::Text(number, byte, bytes))) => match std::str::from_utf8(bytes) {
                Ok(line) => each(number, byte, line, sink),
                Err(e) => sink.problem(not_utf8(source, number, bytes, e.valid_up_to())),
            },
        };
        if flow == Flow::Stop {
            return Ok(());
        }
    }
}

pub fn not_utf8(source: &Arc<str>, line: u64, bytes: &[u8], at: usize) -> InputProblem {
    InputProblem::line(
        source,
        line,
        &String::from_utf8_lossy(bytes),
        at,
        1,
        "this line is not valid UTF-8; it was not read",
        "save the file as UTF-8 (or UTF-16 with a byte-order mark)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines over the cap are reported by number and length, and the next
    /// line is still read; CRLF endings are dropped.
    #[test]
    fn caps_long_lines() {
        let text = format!("a\r\n{}\nb", "x".repeat(100));
        let mut lines = Lines::new(text.as_bytes(), 10);
        let mut got = Vec::new();
        while let Some(line) = lines.next_line().unwrap() {
            got.push(match line {
                Line::Text(n, at, t) => format!("{n}@{at}:{}", String::from_utf8_lossy(t)),
                Line::TooLong(n, len, _) => format!("{n}:long {len}"),
            });
        }
        assert_eq!(got, ["1@0:a", "2:long 100", "3@104:b"]);
    }
}
