//! Record formats read in blocks: the bytes of a source are cut at record
//! boundaries (line breaks, outside quotes for quoted formats) into blocks
//! that can be read independently, in order here or on every core by the
//! scan. Lines and records are found with `memchr`; a line is decoded and
//! parsed only when no [`Candidates`] filter is given or the filter says it
//! may match.

use std::io::BufRead;
use std::sync::Arc;

use super::lines::{not_utf8, too_long};
use super::problem::InputProblem;
use super::registry::{Record, RecordFormat, RecordReader};
use super::sink::{Flow, Sink};
use super::source::Limits;

/// Bytes read into one block. Block boundaries never depend on the
/// number of threads, so neither does anything in the report.
pub const BLOCK: usize = 2 * 1024 * 1024;

/// The room a block's buffer starts with: a block and one read more, so
/// it never grows by doubling (which would leave blocks of twice the size
/// in flight).
const CARRY: usize = BLOCK + 256 * 1024;

/// Where the lines that may match are: implemented by the matcher's
/// literal prefilter, so parsers stay free of policies.
pub trait Candidates: Sync {
    /// The first offset at or after `from` in `haystack` where a match may
    /// start, or `None`.
    fn next(&self, haystack: &[u8], from: usize) -> Option<usize>;

    /// For filters that judge a line at a time: where the line at `from`
    /// ends (its `\n`, or the end of `data`), whether it may match and
    /// whether it is a bare host name, found in one pass (`None`: use
    /// [`Self::next`] over the block).
    fn line(&self, _data: &[u8], _from: usize) -> Option<LineVerdict> {
        None
    }
}

/// What a line-at-a-time filter saw in one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineVerdict {
    /// The offset of its `\n`, or the end of the data.
    pub end: usize,
    /// Whether a rule may match it, so it must be parsed.
    pub may_match: bool,
    /// Whether it is host characters (`a-z0-9-_.`) only, and not empty:
    /// the shape of a bare host name, which needs no further check.
    pub plain: bool,
}

/// Block buffers handed back once read, for the next blocks: a fresh 2 MiB
/// buffer a block costs page faults and zeroing in the kernel.
#[derive(Debug, Default)]
pub struct Buffers(std::sync::Mutex<Vec<Vec<u8>>>);

impl Buffers {
    fn take(&self) -> Vec<u8> {
        let spare = self.0.lock().ok().and_then(|mut spare| spare.pop());
        let mut buf = spare.unwrap_or_default();
        buf.clear();
        buf.reserve(CARRY);
        buf
    }

    /// Keeps `buf` for a later block (a few at most).
    pub fn give(&self, buf: Vec<u8>) {
        if let Ok(mut spare) = self.0.lock()
            && spare.len() < 16
        {
            spare.push(buf);
        }
    }
}

/// A run of whole records.
pub struct Block {
    pub data: Vec<u8>,
    /// The 1-based line number of the block's first line.
    pub first_line: u64,
    /// The byte offset of the block in the decoded source.
    pub first_byte: u64,
}

/// Cuts a decoded source into [`Block`]s.
pub struct Blocks<R> {
    reader: R,
    name: Arc<str>,
    quoted: bool,
    max_line: usize,
    /// Bytes read but not yet handed out (a partial record).
    carry: Vec<u8>,
    /// The end of the last whole record in `carry`.
    cut: usize,
    /// Lines before `carry`.
    line: u64,
    /// The byte offset of `carry[0]` in the decoded source.
    byte: u64,
    /// Bytes of a line over the cap dropped so far; `byte` moves past
    /// them once the line ends.
    skipped_bytes: u64,
    eof: bool,
    /// Skipping the rest of a line over the cap.
    skipping: bool,
    /// Line breaks dropped with a record over the cap, counted once the
    /// records before it are handed out.
    dropped_lines: u64,
    buffers: std::sync::Arc<Buffers>,
}

impl<R: BufRead> Blocks<R> {
    pub fn new(reader: R, name: &Arc<str>, quoted: bool, limits: &Limits) -> Self {
        Blocks {
            reader,
            name: Arc::clone(name),
            quoted,
            max_line: limits.max_line,
            carry: Vec::with_capacity(CARRY),
            cut: 0,
            line: 1,
            byte: 0,
            skipped_bytes: 0,
            eof: false,
            skipping: false,
            dropped_lines: 0,
            buffers: std::sync::Arc::default(),
        }
    }

    fn read_failed(&self, e: &std::io::Error) -> InputProblem {
        InputProblem::file(
            &self.name,
            format!(
                "reading `{}` failed after line {}: {e}",
                self.name, self.line
            ),
            "check the file and the device it is on",
        )
    }

    /// The pool block buffers come from; give a block's `data` back to it
    /// once the block is read.
    pub fn buffers(&self) -> std::sync::Arc<Buffers> {
        std::sync::Arc::clone(&self.buffers)
    }

    /// The next line, read before any block (a header, or a line before
    /// it); `None` at the end of the source.
    pub fn header(&mut self) -> Result<Option<(u64, Vec<u8>)>, InputProblem> {
        let mut line = Vec::new();
        let limit = self.max_line as u64 + 1;
        let read =
            <&mut R as std::io::Read>::take(&mut self.reader, limit).read_until(b'\n', &mut line);
        let n = read.map_err(|e| self.read_failed(&e))?;
        if n == 0 {
            return Ok(None);
        }
        let number = self.line;
        if line.last() != Some(&b'\n') && n > self.max_line {
            return Err(too_long(&self.name, number, None, &line, self.max_line));
        }
        self.line += 1;
        self.byte += n as u64;
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        Ok(Some((number, line)))
    }

    /// The next block, and any lines over the cap met while cutting it.
    pub fn next_block(
        &mut self,
        problems: &mut Vec<InputProblem>,
    ) -> Result<Option<Block>, InputProblem> {
        loop {
            let flush = self.skipping && !self.carry.is_empty();
            if self.cut >= BLOCK || flush || (self.eof && !self.carry.is_empty()) {
                let end = if self.eof || flush {
                    self.carry.len()
                } else if self.quoted {
                    match self.quoted_cut() {
                        0 => {
                            // No record ends in a whole block: a quote was
                            // left open. Cut at a line break and say so.
                            problems.push(InputProblem::line(
                                &self.name,
                                self.line,
                                &String::from_utf8_lossy(&self.carry[..self.carry.len().min(200)]),
                                0,
                                1,
                                format!(
                                    "a quoted cell opened here runs on for more than {BLOCK} bytes"
                                ),
                                "close the quote (write `\"\"` for a quote inside a quoted cell)",
                            ));
                            self.cut
                        }
                        end => end,
                    }
                } else {
                    self.cut
                };
                let mut rest = self.buffers.take();
                rest.extend_from_slice(&self.carry[end..]);
                self.carry.truncate(end);
                let data = std::mem::replace(&mut self.carry, rest);
                self.cut = memchr::memrchr(b'\n', &self.carry).map_or(0, |i| i + 1);
                let (first_line, first_byte) = (self.line, self.byte);
                self.line += memchr::memchr_iter(b'\n', &data).count() as u64;
                self.line += std::mem::take(&mut self.dropped_lines);
                self.byte += data.len() as u64;
                return Ok(Some(Block {
                    data,
                    first_line,
                    first_byte,
                }));
            }
            if self.eof {
                return Ok(None);
            }
            self.fill(problems)?;
        }
    }

    /// Reads more bytes and finds the last record boundary in them.
    fn fill(&mut self, problems: &mut Vec<InputProblem>) -> Result<(), InputProblem> {
        if self.skipping {
            return self.skip();
        }
        // Read straight into the block's buffer: a read this large skips
        // the decoder's own buffer, so the bytes are copied once.
        let len = self.carry.len();
        self.carry.resize(len.max(CARRY - 64 * 1024) + 64 * 1024, 0);
        let read = loop {
            match self.reader.read(&mut self.carry[len..]) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        let n = match read {
            Ok(n) => n,
            Err(e) => {
                self.carry.truncate(len);
                return Err(self.read_failed(&e));
            }
        };
        self.carry.truncate(len + n);
        if n == 0 {
            self.eof = true;
            return Ok(());
        }
        self.scan_boundaries();
        let open = self.carry.len() - self.cut;
        if open > self.max_line {
            // A record that does not end within the cap: report it, hand
            // out the whole records before it, and skip to the next break.
            let start = self.cut;
            let line = self.line + memchr::memchr_iter(b'\n', &self.carry[..start]).count() as u64;
            let shown = &self.carry[start..(start + 400).min(self.carry.len())];
            problems.push(too_long(&self.name, line, None, shown, self.max_line));
            // Line breaks inside an open quoted cell are dropped with it.
            self.dropped_lines = memchr::memchr_iter(b'\n', &self.carry[start..]).count() as u64;
            self.skipped_bytes = (self.carry.len() - start) as u64;
            self.carry.truncate(start);
            self.skipping = true;
        }
        Ok(())
    }

    /// Drops the rest of a line over the cap; it counts as one line.
    fn skip(&mut self) -> Result<(), InputProblem> {
        let buf = match self.reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) => return Err(self.read_failed(&e)),
        };
        if buf.is_empty() {
            self.eof = true;
            return Ok(());
        }
        let n = buf.len();
        match memchr::memchr(b'\n', buf) {
            Some(i) => {
                self.reader.consume(i + 1);
                self.skipping = false;
                self.line += 1;
                // The records before the long line were handed out when it
                // was found, so `byte` is at its start.
                self.byte += std::mem::take(&mut self.skipped_bytes) + i as u64 + 1;
            }
            None => {
                self.reader.consume(n);
                self.skipped_bytes += n as u64;
            }
        }
        Ok(())
    }

    /// Moves `cut` past the last line break in `carry`, which bounds an
    /// open line; quoted formats settle their cut in [`Self::quoted_cut`].
    fn scan_boundaries(&mut self) {
        let from = self.cut;
        if let Some(i) = memchr::memrchr(b'\n', &self.carry[from..]) {
            self.cut = from + i + 1;
        }
    }

    /// The end of the last whole record before `cut`: a line break with an
    /// even number of quotes before it (`carry` starts on a record
    /// boundary). Quotes are counted once over the block and then line by
    /// line backwards, so the reader never walks every quote and break.
    fn quoted_cut(&self) -> usize {
        let mut end = self.cut;
        let mut odd = memchr::memchr_iter(b'"', &self.carry[..end]).count() % 2 == 1;
        while odd && end > 0 {
            let line_start = memchr::memrchr(b'\n', &self.carry[..end - 1]).map_or(0, |i| i + 1);
            odd ^= memchr::memchr_iter(b'"', &self.carry[line_start..end]).count() % 2 == 1;
            end = line_start;
        }
        end
    }
}

/// Reads the records of one block, counting from its first line. Lines
/// the `candidates` filter rules out are only counted.
pub fn read_block(
    block: &Block,
    name: &Arc<str>,
    quoted: bool,
    max_line: usize,
    records: &dyn RecordReader,
    candidates: Option<&dyn Candidates>,
    sink: &mut dyn Sink,
) -> Flow {
    let data = &block.data[..];
    let mut pos = 0;
    let mut line = 1u64;
    let mut next_candidate = 0usize;
    let mut next_forced = 0usize;
    let forced = records.always_parse();
    // Rows are checked only when a filter passes them over unread.
    let table = candidates.and_then(|_| records.table());
    let mut marks = None;
    let mut passed = 0u64;
    while pos < data.len() {
        let judged = match candidates {
            Some(c) if !quoted => c.line(data, pos),
            _ => None,
        };
        // Whether the row surely fits, when finding its end told that too.
        let mut fits = false;
        let (end, breaks) = match (judged, table) {
            (Some(v), _) => ((v.end + 1).min(data.len()), 1),
            (None, Some(shape)) => {
                let marks = marks.get_or_insert_with(|| {
                    memchr::memchr3_iter(b'"', b'\n', shape.delimiter, data).peekable()
                });
                let (end, breaks, sure) = table_row_end(data, pos, &shape, marks);
                fits = sure;
                (end, breaks)
            }
            (None, None) => record_end(data, pos, quoted),
        };
        let mut text = &data[pos..end];
        if text.last() == Some(&b'\n') {
            text = &text[..text.len() - 1];
        }
        if text.last() == Some(&b'\r') {
            text = &text[..text.len() - 1];
        }
        let parse = match candidates {
            None => true,
            Some(c) => {
                if next_forced < pos {
                    next_forced = next_of(forced, data, pos);
                }
                let may_match = match judged {
                    Some(v) => v.may_match,
                    None => {
                        if next_candidate < pos {
                            next_candidate = c.next(data, pos).unwrap_or(usize::MAX);
                        }
                        next_candidate < end
                    }
                };
                may_match || next_forced < end
            }
        };
        let flow = if text.len() > max_line {
            let shown = &text[..text.len().min(400)];
            sink.problem(too_long(
                name,
                line,
                Some(text.len() as u64),
                shown,
                max_line,
            ))
        } else if !parse {
            // A bare host name, as the filter saw it, fits where the
            // format says so: no second pass over the line.
            let plain = judged.is_some_and(|v| v.plain) && records.plain_fits();
            match if plain || fits {
                None
            } else {
                records.check(text)
            } {
                None => {
                    passed += u64::from(records.holds_item(text));
                    Flow::Continue
                }
                Some(misfit) => {
                    let shown = String::from_utf8_lossy(text);
                    let problem = InputProblem::line(
                        name,
                        line,
                        &shown,
                        0,
                        shown.len(),
                        misfit.message,
                        misfit.help,
                    );
                    sink.skip(problem, &shown)
                }
            }
        } else {
            match std::str::from_utf8(text) {
                Ok(text) => records.record(
                    Record {
                        source: name,
                        text,
                        line,
                        byte: pos as u64,
                    },
                    sink,
                ),
                Err(e) => sink.problem(not_utf8(name, line, text, e.valid_up_to())),
            }
        };
        if flow == Flow::Stop {
            sink.passed(passed);
            return flow;
        }
        line += breaks;
        pos = end;
    }
    sink.passed(passed);
    Flow::Continue
}

/// The first offset at or after `from` holding one of `bytes`.
fn next_of(bytes: &[u8], data: &[u8], from: usize) -> usize {
    let rest = &data[from..];
    let found = match bytes {
        [] => None,
        [a] => memchr::memchr(*a, rest),
        [a, b] => memchr::memchr2(*a, *b, rest),
        [a, b, c, ..] => memchr::memchr3(*a, *b, *c, rest),
    };
    found.map_or(usize::MAX, |i| from + i)
}

/// The end of the record at `pos` (after its line break) and how many line
/// breaks it holds.
fn record_end(data: &[u8], pos: usize, quoted: bool) -> (usize, u64) {
    if !quoted {
        return match memchr::memchr(b'\n', &data[pos..]) {
            Some(i) => (pos + i + 1, 1),
            None => (data.len(), 1),
        };
    }
    let mut in_quotes = false;
    let mut breaks = 0;
    for i in memchr::memchr2_iter(b'"', b'\n', &data[pos..]) {
        if data[pos + i] == b'"' {
            in_quotes = !in_quotes;
        } else {
            breaks += 1;
            if !in_quotes {
                return (pos + i + 1, breaks);
            }
        }
    }
    (data.len(), breaks.max(1))
}

/// The shape of a delimited table's rows, so the pass that finds where a
/// row ends can also tell that it fits: as many cells as the header, and
/// text in a key cell (the app name or bundle id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableShape {
    pub delimiter: u8,
    pub width: usize,
    pub keys: [Option<usize>; 2],
}

/// [`record_end`] for a table row, counting its cells on the way: the end,
/// the line breaks, and whether the row surely fits `shape` (`false`: not
/// sure, a row with quotes or a misfit, for the format's own check).
/// `marks` are the offsets of quotes, line breaks and delimiters in `data`
/// from `pos` on, one search for the whole block rather than one a row.
fn table_row_end(
    data: &[u8],
    pos: usize,
    shape: &TableShape,
    marks: &mut std::iter::Peekable<memchr::Memchr3<'_>>,
) -> (usize, u64, bool) {
    let (mut cells, mut start, mut keyed) = (0usize, pos, false);
    while let Some(at) = marks.next() {
        if at < pos {
            continue;
        }
        let cell_end = match data[at] {
            // Quoted rows are told by the format's own check.
            b'"' => {
                let (end, breaks) = record_end(data, pos, true);
                while marks.next_if(|&m| m < end).is_some() {}
                return (end, breaks, false);
            }
            b'\n' if at > start && data[at - 1] == b'\r' => at - 1,
            _ => at,
        };
        if !keyed && shape.keys.contains(&Some(cells)) {
            keyed = data[start..cell_end].iter().any(u8::is_ascii_graphic);
        }
        cells += 1;
        if data[at] == b'\n' {
            return (at + 1, 1, cells == shape.width && keyed);
        }
        start = at + 1;
    }
    if !keyed && shape.keys.contains(&Some(cells)) {
        keyed = data[start..].iter().any(u8::is_ascii_graphic);
    }
    (data.len(), 1, cells + 1 == shape.width && keyed)
}

/// Reads a record format start to end on this thread.
pub fn read_all(
    name: &Arc<str>,
    format: &dyn RecordFormat,
    reader: impl BufRead,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    let mut blocks = Blocks::new(reader, name, format.quoted(), limits);
    let records = start(name, format, &mut blocks, limits)?;
    if !records.ignored_columns().is_empty() {
        sink.ignored_columns(records.ignored_columns());
    }
    let mut problems = Vec::new();
    while let Some(block) = blocks.next_block(&mut problems)? {
        let mut rebased = Rebase {
            inner: sink,
            first_line: block.first_line,
            first_byte: block.first_byte,
        };
        let quoted = format.quoted();
        if read_block(
            &block,
            name,
            quoted,
            limits.max_line,
            &*records,
            None,
            &mut rebased,
        ) == Flow::Stop
        {
            return Ok(());
        }
        // Lines over the cap met while cutting this block come after it.
        for p in problems.drain(..) {
            sink.problem(p);
        }
    }
    for p in problems {
        sink.problem(p);
    }
    Ok(())
}

/// Reads the header, when the format has one, and starts the records.
pub fn start<R: BufRead>(
    name: &Arc<str>,
    format: &dyn RecordFormat,
    blocks: &mut Blocks<R>,
    limits: &Limits,
) -> Result<Box<dyn RecordReader>, InputProblem> {
    if !format.has_header() {
        return format.start_in(name, None, limits);
    }
    loop {
        return match blocks.header()? {
            None => format.start_in(name, None, limits),
            Some((line, bytes)) => match std::str::from_utf8(&bytes) {
                Ok(text) if format.before_header(text) => continue,
                Ok(header) => format.start_in(name, Some(header), limits),
                Err(e) => Err(InputProblem {
                    message: "the header row is not valid UTF-8, so no column can be told".into(),
                    help: "export the table as UTF-8 (or UTF-16 with a byte-order mark)".into(),
                    ..not_utf8(name, line, &bytes, e.valid_up_to())
                }),
            },
        };
    }
}

/// Passes items on with line numbers counted from the source's start.
struct Rebase<'a> {
    inner: &'a mut dyn Sink,
    first_line: u64,
    first_byte: u64,
}

impl Sink for Rebase<'_> {
    fn item(&mut self, item: super::ItemView<'_>, at: super::At<'_>) -> Flow {
        self.inner.item(
            item,
            super::At {
                line: at.line + self.first_line - 1,
                byte: at.byte + self.first_byte,
                ..at
            },
        )
    }

    fn problem(&mut self, mut problem: InputProblem) -> Flow {
        problem.rebase(self.first_line);
        self.inner.problem(problem)
    }

    fn passed(&mut self, items: u64) {
        self.inner.passed(items);
    }
}

#[cfg(test)]
mod tests {
    use super::{TableShape, table_row_end};
    use crate::input::endpoints::list::SPEC;
    use crate::input::testing::read_with;
    use crate::input::{Limits, Source};

    /// A line over the cap is one problem at its line; the lines after it
    /// keep their numbers and byte offsets.
    #[test]
    fn long_lines_keep_lines_and_offsets_right() {
        let long = "x".repeat(300);
        let text = format!("a.example\n{long}\nb.example\nc.example\n");
        let limits = Limits {
            max_line: 64,
            ..Limits::default()
        };
        let out = read_with(
            &SPEC,
            &Source::bytes("t.list", text.clone().into_bytes()),
            &limits,
        );
        let got: Vec<(u64, u64)> = out.items.iter().map(|g| (g.line, g.byte)).collect();
        let b = text.find("b.example").unwrap() as u64;
        let c = text.find("c.example").unwrap() as u64;
        assert_eq!(got, [(1, 0), (3, b), (4, c)]);
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].at.as_ref().unwrap().line, 2);
        assert!(
            out.problems[0].message.contains("64-byte limit"),
            "{}",
            out.problems[0].message
        );
    }

    /// Quoted cells with line breaks, and `""` inside them, across block
    /// boundaries: every row is read once, at its own line.
    #[test]
    fn quoted_records_across_blocks() {
        use crate::input::apps::app_csv::SPEC as CSV;
        let mut text = String::from("device,name,version\n");
        let mut line = 2u64;
        let mut want = Vec::new();
        for i in 0..250_000 {
            let name = if i % 97 == 0 {
                format!("\"App \"\"{i}\"\"\nsecond line\"")
            } else {
                format!("App {i}")
            };
            want.push(line);
            line += 1 + u64::from(i % 97 == 0);
            text.push_str(&format!("pc-{i},{name},1.0\n"));
        }
        assert!(text.len() > 2 * super::BLOCK);
        let out = read_with(
            &CSV,
            &Source::bytes("t.csv", text.into_bytes()),
            &Limits::default(),
        );
        assert!(out.problems.is_empty(), "{:?}", &out.problems[..1]);
        let got: Vec<u64> = out.items.iter().map(|g| g.line).collect();
        assert_eq!(got.len(), want.len());
        assert_eq!(got, want);
    }

    /// Finding a row's end tells that it surely fits only for a row of as
    /// many cells as the header with text in a key cell, and never for a
    /// row with a quote (the format's own check decides those).
    #[test]
    fn table_rows_fit_only_when_sure() {
        let shape = TableShape {
            delimiter: b',',
            width: 3,
            keys: [Some(1), None],
        };
        let cases = [
            ("pc1,Zoom,6.0\n", true),
            ("pc1,Zoom,6.0\r\n", true),
            ("pc1,Zoom,6.0", true),
            ("pc1, ,6.0\n", false),
            ("pc1,,6.0\n", false),
            ("pc1,Zoom\n", false),
            ("pc1,Zoom,6.0,x\n", false),
            ("pc1,\"Zoom, Inc\",6.0\n", false),
            ("\n", false),
        ];
        let row_end = |data: &[u8], pos: usize| {
            let mut marks = memchr::memchr3_iter(b'"', b'\n', b',', data).peekable();
            table_row_end(data, pos, &shape, &mut marks)
        };
        for (row, want) in cases {
            let (end, breaks, fits) = row_end(row.as_bytes(), 0);
            assert_eq!(fits, want, "{row:?}");
            assert_eq!((end, breaks), (row.len(), 1), "{row:?}");
        }
        // One search for the block: rows after a quoted one keep their ends.
        let block = b"pc1,Zoom,6.0\npc2,\"Teams, new\",1.0\npc3,Slack,4.0\n";
        let mut marks = memchr::memchr3_iter(b'"', b'\n', b',', block).peekable();
        let mut pos = 0;
        let mut got = Vec::new();
        while pos < block.len() {
            let (end, _, fits) = table_row_end(block, pos, &shape, &mut marks);
            got.push((end, fits));
            pos = end;
        }
        assert_eq!(got, [(13, true), (34, false), (block.len(), true)]);
    }
}
