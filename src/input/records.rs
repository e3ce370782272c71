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

    /// For filters that can judge a table row by its key cells, looking
    /// them up instead of searching the row's bytes (`None`: search the
    /// block with [`Self::next`]).
    fn cells(&self) -> Option<&dyn CellFilter> {
        None
    }

    /// Whether a rule may match the one host `host` (a log line's query
    /// name, as a format [glances](super::registry::RecordReader::glance)
    /// at it); `None` for filters that judge no hosts.
    fn host(&self, _host: &[u8]) -> Option<bool> {
        None
    }
}

/// What a format sees in a line at a glance, without reading it whole:
/// how many items it holds and where their hosts are, so a host filter
/// judges those few bytes instead of the whole line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Glance {
    pub items: u64,
    /// The byte range of each item's host in the line.
    pub hosts: [Option<(usize, usize)>; 2],
}

/// The fields a [`CellFilter`] looks table rows up by, in the order of
/// [`TableShape::fields`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyField {
    Name,
    Publisher,
    BundleId,
    ExtensionId,
}

impl KeyField {
    pub const ALL: [KeyField; 4] = [
        KeyField::Name,
        KeyField::Publisher,
        KeyField::BundleId,
        KeyField::ExtensionId,
    ];
}

/// A filter that judges a table row by the cells of its key fields.
pub trait CellFilter: Sync {
    /// Whether a rule may match a row whose `field` cell reads `text`
    /// (quotes removed, not trimmed; never doubled quotes).
    fn may_match(&self, field: KeyField, text: &[u8]) -> bool;

    /// Whether any rule is looked up by `field`: cells of other fields
    /// need not be found.
    fn looks_up(&self, field: KeyField) -> bool;

    /// For the rules no cell decides (globs): the first offset at or
    /// after `from` in `haystack` where one may match, as
    /// [`Candidates::next`].
    fn next_elsewhere(&self, haystack: &[u8], from: usize) -> Option<usize>;
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

    /// The first byte of the source, without reading it; before any
    /// block or header only.
    pub fn first_byte(&mut self) -> Result<Option<u8>, InputProblem> {
        loop {
            match self.reader.fill_buf() {
                Ok(buf) => return Ok(buf.first().copied()),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.read_failed(&e)),
            }
        }
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
        if let Some(at) = memchr::memchr(b'\r', &line) {
            // Lines ended by CR alone (classic Mac OS): every row would
            // be read as part of the header, and the table as empty.
            let text = String::from_utf8_lossy(&line);
            return Err(InputProblem::line(
                &self.name,
                number,
                &text,
                at.min(text.len()),
                1,
                "this line holds a carriage return before its end: the file ends its lines with CR alone, so its rows cannot be told apart; it was not read",
                "convert its line endings to LF or CRLF (`tr '\\r' '\\n'`) and scan it again",
            ));
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
        // the decoder's own buffer, so the bytes are copied once; and into
        // its spare room, which a file fills without zeroing it first.
        let len = self.carry.len();
        let want = len.max(CARRY - 64 * 1024) + 64 * 1024 - len;
        self.carry.reserve(want);
        let mut next = std::io::Read::take(&mut self.reader, want as u64);
        let n = match std::io::Read::read_to_end(&mut next, &mut self.carry) {
            Ok(n) => n,
            Err(e) => {
                self.carry.truncate(len);
                return Err(self.read_failed(&e));
            }
        };
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
    let mut table = candidates.and_then(|_| records.table());
    let cells = table.and(candidates).and_then(Candidates::cells);
    if let (Some(shape), Some(cells)) = (&mut table, cells) {
        for (column, &field) in shape.fields.iter_mut().zip(&KeyField::ALL) {
            if !cells.looks_up(field) {
                *column = None;
            }
        }
    }
    let columns = table.map_or(0, |shape| shape.columns());
    // A format that glances at its lines is judged by their hosts alone.
    let glancing = records.glances() && candidates.is_some_and(|c| c.host(b"").is_some());
    let mut marks = None;
    let mut passed = 0u64;
    while pos < data.len() {
        let judged = match candidates {
            Some(c) if !quoted && table.is_none() && !glancing => c.line(data, pos),
            _ => None,
        };
        // Whether the row surely fits, when finding its end told that too.
        let mut fits = false;
        // Whether a key cell of the row may match, when a filter looked.
        let mut keyed_hit = None;
        let (end, breaks) = match (judged, table) {
            (Some(v), _) => ((v.end + 1).min(data.len()), 1),
            (None, Some(shape)) => {
                let marks =
                    marks.get_or_insert_with(|| Marks::new(data, [b'"', b'\n', shape.delimiter]));
                let row = table_row(data, pos, &shape, columns, marks);
                fits = row.fits;
                keyed_hit = cells.map(|cells| {
                    row.unsure
                        || KeyField::ALL.iter().zip(row.fields).any(|(&field, cell)| {
                            cell.is_some_and(|(from, to)| cells.may_match(field, &data[from..to]))
                        })
                });
                (row.end, row.breaks)
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
        // A glanced line the filter rules out: its misfit or item count.
        let mut glanced = None;
        let parse = match candidates {
            None => true,
            Some(c) if glancing => match records.glance(text) {
                Some(Ok(g)) => {
                    let hit = g
                        .hosts
                        .iter()
                        .flatten()
                        .any(|&(from, to)| c.host(&text[from..to]) != Some(false));
                    if !hit {
                        glanced = Some(Ok(g.items));
                    }
                    hit || next_of(forced, text, 0) != usize::MAX
                }
                Some(Err(misfit)) => {
                    glanced = Some(Err(misfit));
                    false
                }
                None => true,
            },
            Some(c) => {
                if next_forced < pos {
                    next_forced = next_of(forced, data, pos);
                }
                let may_match = match (judged, keyed_hit, cells) {
                    (Some(v), _, _) => v.may_match,
                    (None, Some(true), _) => true,
                    (None, _, filter) => {
                        if next_candidate < pos {
                            next_candidate = match filter {
                                Some(cells) => cells.next_elsewhere(data, pos),
                                None => c.next(data, pos),
                            }
                            .unwrap_or(usize::MAX);
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
            let verdict = match glanced {
                Some(verdict) => verdict,
                None if plain || fits => Ok(u64::from(records.holds_item(text))),
                None => records.pass_over(text),
            };
            match verdict {
                Ok(items) => {
                    passed += items;
                    Flow::Continue
                }
                Err(misfit) => {
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
/// row ends can also tell that it fits (as many cells as the header, and
/// text in a key cell: the app name or bundle id) and where its key
/// cells are, for a [`CellFilter`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableShape {
    pub delimiter: u8,
    pub width: usize,
    pub keys: [Option<usize>; 2],
    /// The column of each [`KeyField`], in [`KeyField::ALL`] order. A
    /// row's field is read from this cell only, so a field without a
    /// column is never set and no rule looked up by it can match.
    pub fields: [Option<usize>; 4],
    /// Whether a row of the right width with a key is sure to fit; `false`
    /// when the format must read another cell to tell (a device count).
    pub fits_by_width: bool,
}

impl TableShape {
    /// A bit for each of the first 64 columns that is a key or a field:
    /// the cells worth a look (those past 64 always are).
    fn columns(&self) -> u64 {
        self.keys
            .iter()
            .chain(&self.fields)
            .flatten()
            .fold(0, |bits, &c| bits | 1u64.checked_shl(c as u32).unwrap_or(0))
    }
}

/// What the pass that finds a table row's end saw in it.
#[derive(Debug, PartialEq, Eq)]
struct Row {
    /// After its line break, or the end of the data.
    end: usize,
    breaks: u64,
    /// Surely fits the shape; `false` means not sure (a row with quotes
    /// or a misfit), and the format's own check decides.
    fits: bool,
    /// The text of each [`KeyField`]'s cell, quotes removed, as a range
    /// of the data; `None` for an empty or missing cell.
    fields: [Option<(usize, usize)>; 4],
    /// A key cell could not be told without unescaping it (doubled
    /// quotes, a quote inside), or the row is not as wide as the header:
    /// the row is parsed, whatever its cells say.
    unsure: bool,
}

/// Finds where the table row at `pos` ends, counting its cells on the way.
/// `marks` are the offsets of quotes, line breaks and delimiters in `data`
/// from `pos` on, one search for the whole block rather than one a row.
/// A quote toggles whether a delimiter or line break ends a cell, as in
/// the CSV the format reads; a cell quoted at both ends and nowhere else
/// reads as it does unquoted, and any other quoting is for the format to
/// tell.
fn table_row(
    data: &[u8],
    pos: usize,
    shape: &TableShape,
    columns: u64,
    marks: &mut Marks<'_, 3>,
) -> Row {
    let mut cells = CellCount::new(data, shape, columns);
    let (mut start, mut in_quotes, mut quotes) = (pos, false, 0usize);
    // Every cell so far unquoted or quoted only at its ends.
    let mut plain = true;
    // Line breaks inside quoted cells.
    let mut inside = 0u64;
    loop {
        let at = marks.find(|&m| m >= pos);
        let mark = at.map(|at| data[at]);
        match mark {
            Some(b'"') => {
                in_quotes = !in_quotes;
                quotes += 1;
                continue;
            }
            Some(b'\n') if in_quotes => {
                inside += 1;
                continue;
            }
            Some(_) if in_quotes => continue,
            _ => {}
        }
        let at = at.unwrap_or(data.len());
        let end = if mark == Some(b'\n') && at > start && data[at - 1] == b'\r' {
            at - 1
        } else {
            at
        };
        match quotes {
            0 => cells.cell(start, end),
            2 if end - start >= 2 && data[start] == b'"' && data[end - 1] == b'"' => {
                cells.cell(start + 1, end - 1);
            }
            _ => {
                plain = false;
                cells.unreadable();
            }
        }
        quotes = 0;
        if mark == Some(shape.delimiter) {
            start = at + 1;
            continue;
        }
        // A line break, or the end of the data (a quote left open too).
        let (end, breaks) = match mark {
            Some(_) => (at + 1, inside + 1),
            None => (data.len(), inside.max(1)),
        };
        let mut row = cells.row(end, breaks, plain && inside == 0);
        row.unsure |= in_quotes;
        return row;
    }
}

/// The cells of one row, as they are found.
struct CellCount<'a> {
    data: &'a [u8],
    shape: &'a TableShape,
    /// [`TableShape::columns`].
    columns: u64,
    count: usize,
    /// A key cell (app name or bundle id) has a visible ASCII character.
    keyed: bool,
    fields: [Option<(usize, usize)>; 4],
    unsure: bool,
}

impl<'a> CellCount<'a> {
    fn new(data: &'a [u8], shape: &'a TableShape, columns: u64) -> Self {
        CellCount {
            data,
            shape,
            columns,
            count: 0,
            keyed: false,
            fields: [None; 4],
            unsure: false,
        }
    }

    /// The next cell, whose text is `data[from..to]`.
    #[inline]
    fn cell(&mut self, from: usize, to: usize) {
        if self.count < 64 && self.columns & (1 << self.count) == 0 {
            self.count += 1;
            return;
        }
        let index = Some(self.count);
        if !self.keyed && self.shape.keys.contains(&index) {
            self.keyed = self.data[from..to].iter().any(u8::is_ascii_graphic);
        }
        if let Some(field) = self.shape.fields.iter().position(|&c| c == index) {
            self.fields[field] = (from < to).then_some((from, to));
        }
        self.count += 1;
    }

    /// The next cell, whose text cannot be told without unescaping it.
    fn unreadable(&mut self) {
        if self.shape.fields.contains(&Some(self.count)) {
            self.unsure = true;
        }
        self.count += 1;
    }

    /// The row, ending at `end` after `breaks` line breaks; `plain` when
    /// every cell was read as is.
    fn row(self, end: usize, breaks: u64, plain: bool) -> Row {
        let wide = self.count == self.shape.width;
        Row {
            end,
            breaks,
            fits: plain && wide && self.keyed && self.shape.fits_by_width,
            fields: self.fields,
            unsure: self.unsure || !wide,
        }
    }
}

/// The offsets of a few kinds of bytes in `data` (a table's quotes, line
/// breaks and delimiter), in order. Each 64 bytes become one bit mask,
/// eight bytes at a time with word arithmetic and no branch, and the
/// marks are its set bits: a row of short cells costs a few instructions
/// a cell rather than a search call or a mispredicted branch each.
struct Marks<'a, const N: usize> {
    data: &'a [u8],
    /// The offset of the 64 bytes `bits` is of.
    base: usize,
    /// A bit for each mark of those bytes not yet handed out.
    bits: u64,
    /// Each byte sought, in every byte of a word.
    sought: [u64; N],
}

impl<'a, const N: usize> Marks<'a, N> {
    fn new(data: &'a [u8], bytes: [u8; N]) -> Marks<'a, N> {
        const ONES: u64 = 0x0101_0101_0101_0101;
        let mut marks = Marks {
            data,
            base: 0,
            bits: 0,
            sought: bytes.map(|b| ONES * u64::from(b)),
        };
        marks.bits = marks.bits_at(0);
        marks
    }

    /// 0x80 on each byte of `w` equal to a byte sought, exactly (no carry
    /// crosses a byte): a byte of `x = w ^ s` is zero exactly when neither
    /// its high bit nor the carry out of its low seven bits plus 0x7f is
    /// set.
    fn flags(&self, w: u64) -> u64 {
        const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
        let nonzero = self.sought.iter().fold(u64::MAX, |all, &s| {
            let x = w ^ s;
            all & ((x & LOW7).wrapping_add(LOW7) | x)
        });
        !(nonzero | LOW7)
    }

    fn bits_at(&self, base: usize) -> u64 {
        // Gathers the eight 0x80 flags of a word into eight bits.
        let gather = |flags: u64| flags.wrapping_mul(0x0002_0408_1020_4081) >> 56;
        let rest = &self.data[base.min(self.data.len())..];
        if let Some(chunk) = rest.first_chunk::<64>() {
            let (words, _) = chunk.as_chunks::<8>();
            return words.iter().enumerate().fold(0, |bits, (i, w)| {
                bits | gather(self.flags(u64::from_le_bytes(*w))) << (8 * i)
            });
        }
        // The last bytes, padded with zero, which is sought in no table.
        rest.chunks(8).enumerate().fold(0, |bits, (i, w)| {
            let w = w.iter().rev().fold(0, |w, &b| (w << 8) | u64::from(b));
            bits | gather(self.flags(w)) << (8 * i)
        })
    }
}

impl<const N: usize> Iterator for Marks<'_, N> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.bits == 0 {
            self.base += 64;
            if self.base >= self.data.len() {
                return None;
            }
            self.bits = self.bits_at(self.base);
        }
        let at = self.base + self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some(at)
    }
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
    if !format.has_header() || blocks.first_byte()?.is_some_and(|b| format.headless(b)) {
        return format.start_in(name, None, limits);
    }
    let mut preamble = Vec::new();
    loop {
        return match blocks.header()? {
            None => format.start_after(name, &preamble, None, limits),
            Some((line, bytes)) => match std::str::from_utf8(&bytes) {
                Ok(text) if format.before_header(text) => {
                    preamble.push(text.to_string());
                    continue;
                }
                Ok(header) => format.start_after(name, &preamble, Some(header), limits),
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
    use super::{Marks, TableShape, table_row};
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
    /// many cells as the header with text in a key cell, unquoted or
    /// quoted only at a cell's ends (the format's own check decides the
    /// rest), and gives the text of its key cells without their quotes.
    #[test]
    fn table_rows_fit_only_when_sure() {
        let shape = TableShape {
            delimiter: b',',
            width: 3,
            keys: [Some(1), None],
            fields: [Some(1), Some(2), None, None],
            fits_by_width: true,
        };
        // (row, fits, name cell, unsure)
        let cases = [
            ("pc1,Zoom,6.0\n", true, Some("Zoom"), false),
            ("pc1,Zoom,6.0\r\n", true, Some("Zoom"), false),
            ("pc1,Zoom,6.0", true, Some("Zoom"), false),
            ("pc1, ,6.0\n", false, Some(" "), false),
            ("pc1,,6.0\n", false, None, false),
            ("pc1,Zoom\n", false, Some("Zoom"), true),
            ("pc1,Zoom,6.0,x\n", false, Some("Zoom"), true),
            ("pc1,\"Zoom, Inc\",6.0\n", true, Some("Zoom, Inc"), false),
            ("pc1,\"\",6.0\n", false, None, false),
            ("pc1,\"Zoom \"\"X\"\"\",6.0\n", false, None, true),
            ("pc1,\"Zoom\nX\",6.0\n", false, Some("Zoom\nX"), false),
            ("pc1,\"Zoom,6.0\n", false, None, true),
            ("\n", false, None, true),
        ];
        for (text, fits, name, unsure) in cases {
            let data = text.as_bytes();
            let row = table_row(
                data,
                0,
                &shape,
                shape.columns(),
                &mut Marks::new(data, *b"\"\n,"),
            );
            assert_eq!(row.fits, fits, "{text:?}");
            assert_eq!(row.unsure, unsure, "{text:?}");
            let got = row.fields[0].map(|(a, b)| &text[a..b]);
            assert_eq!(got, name, "{text:?}");
            let breaks = 1 + u64::from(text.contains("\nX"));
            assert_eq!((row.end, row.breaks), (text.len(), breaks), "{text:?}");
        }
        // One search for the block: rows after a quoted one keep their ends.
        let block = b"pc1,Zoom,6.0\npc2,\"Teams\"\"\",1.0\npc3,Slack,4.0\n";
        let mut marks = Marks::new(block, *b"\"\n,");
        let mut pos = 0;
        let mut got = Vec::new();
        while pos < block.len() {
            let row = table_row(block, pos, &shape, shape.columns(), &mut marks);
            got.push((row.end, row.fits));
            pos = row.end;
        }
        assert_eq!(got, [(13, true), (31, false), (block.len(), true)]);
    }

    /// Marks are found at every offset of a word and of a 64-byte
    /// chunk, past the last whole chunk, and not in bytes near them.
    #[test]
    fn marks_are_every_quote_break_and_delimiter() {
        let mut data = b"a;b\"cdefgh;ijklmnop\nq;r;\"".repeat(7);
        data.extend(b"\x80\xff;\x00\x7f");
        let data = &data[..];
        let want: Vec<usize> = data
            .iter()
            .enumerate()
            .filter(|(_, b)| matches!(b, b';' | b'\n' | b'"'))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(Marks::new(data, *b"\";\n").collect::<Vec<_>>(), want);
        assert_eq!(Marks::new(b"", *b",").next(), None);
    }
}
