//! One reader for every delimited format: the delimiter is sniffed from
//! the header (`,`, `;` or tab, as spreadsheet exports in many locales
//! write them), cells are split by `csv-core` (quotes, doubled quotes,
//! line breaks in quoted cells), and each cell keeps its byte span in the
//! record, so a finding points at its cell.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;

/// The delimiter a header line uses: whichever of `,` `;` and tab occurs
/// most outside quotes (`,` when none does).
pub fn sniff_delimiter(header: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in header.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

/// One cell: its text, unescaped, and where it stands in the record
/// (inside the quotes, for a quoted cell).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell<'a> {
    pub text: Cow<'a, str>,
    pub span: Range<usize>,
}

/// A record split into cells.
#[derive(Debug, Default)]
pub struct Cells<'a> {
    pub cells: Vec<Cell<'a>>,
    /// The record ended inside a quoted cell.
    pub open_quote: bool,
}

/// A reader per delimiter and the buffer cells are unescaped into, kept
/// per thread so that splitting a row allocates nothing but its cells.
struct Splitter {
    readers: Vec<(u8, csv_core::Reader)>,
    scratch: Vec<u8>,
}

thread_local! {
    static SPLITTER: RefCell<Splitter> = const {
        RefCell::new(Splitter { readers: Vec::new(), scratch: Vec::new() })
    };
}

/// Splits `record` (one record, without its final line ending) into cells.
pub fn split(record: &str, delimiter: u8) -> Cells<'_> {
    SPLITTER.with(|splitter| {
        let Splitter { readers, scratch } = &mut *splitter.borrow_mut();
        let at = match readers.iter().position(|(d, _)| *d == delimiter) {
            Some(i) => i,
            None => {
                readers.push((
                    delimiter,
                    csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
                ));
                readers.len() - 1
            }
        };
        let reader = &mut readers[at].1;
        reader.reset();
        split_with(reader, scratch, record, delimiter)
    })
}

fn split_with<'a>(
    reader: &mut csv_core::Reader,
    scratch: &mut Vec<u8>,
    record: &'a str,
    delimiter: u8,
) -> Cells<'a> {
    let bytes = record.as_bytes();
    let mut out = Cells::default();
    scratch.clear();
    scratch.resize(bytes.len() + 1, 0);
    let mut pos = 0;
    loop {
        let start = pos;
        let mut written = 0;
        let end_of_record = loop {
            let (result, nin, nout) = reader.read_field(&bytes[pos..], &mut scratch[written..]);
            pos += nin;
            written += nout;
            match result {
                csv_core::ReadFieldResult::InputEmpty if pos >= bytes.len() => {
                    // No more input: ask the reader to end the field.
                    let (result, _, nout) = reader.read_field(&[], &mut scratch[written..]);
                    written += nout;
                    break !matches!(
                        result,
                        csv_core::ReadFieldResult::Field { record_end: false }
                    );
                }
                csv_core::ReadFieldResult::InputEmpty => continue,
                csv_core::ReadFieldResult::OutputFull => scratch.resize(scratch.len() * 2, 0),
                csv_core::ReadFieldResult::Field { record_end } => break record_end,
                csv_core::ReadFieldResult::End => break true,
            }
        };
        let mut raw = start..pos;
        if raw.end > raw.start && bytes[raw.end - 1] == delimiter && !end_of_record {
            raw.end -= 1;
        }
        while raw.end > raw.start && matches!(bytes[raw.end - 1], b'\r' | b'\n') && end_of_record {
            raw.end -= 1;
        }
        let raw_text = &record[raw.clone()];
        let trimmed_start = raw.start + (raw_text.len() - raw_text.trim_start_matches(' ').len());
        let (span, quoted) = if bytes.get(trimmed_start) == Some(&b'"') {
            let closed = raw.end > trimmed_start + 1
                && record[trimmed_start + 1..raw.end].trim_end().ends_with('"');
            if !closed {
                out.open_quote = true;
            }
            let inner_end = if closed {
                trimmed_start + 1 + record[trimmed_start + 1..raw.end].trim_end().len() - 1
            } else {
                raw.end
            };
            (trimmed_start + 1..inner_end.max(trimmed_start + 1), true)
        } else {
            (raw.clone(), false)
        };
        let unescaped = &scratch[..written];
        let text = match record.get(span.clone()) {
            Some(slice) if !quoted || slice.as_bytes() == unescaped => Cow::Borrowed(slice),
            _ => Cow::Owned(String::from_utf8_lossy(unescaped).into_owned()),
        };
        out.cells.push(Cell { text, span });
        if end_of_record {
            break;
        }
    }
    out
}

/// A header name as profiles compare it: lower case, without spaces,
/// `_` and `-`.
pub fn normalise_header(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(record: &str, d: u8) -> (Vec<String>, Vec<(usize, usize)>, bool) {
        let c = split(record, d);
        (
            c.cells.iter().map(|c| c.text.to_string()).collect(),
            c.cells.iter().map(|c| (c.span.start, c.span.end)).collect(),
            c.open_quote,
        )
    }

    /// Quoted cells, doubled quotes, empty cells and line breaks in quotes;
    /// spans point inside the quotes.
    #[test]
    fn splits_cells_with_spans() {
        let (t, s, open) = texts("a,\"b, c\",,\"say \"\"hi\"\"\"", b',');
        assert_eq!(t, ["a", "b, c", "", "say \"hi\""]);
        assert_eq!(s, [(0, 1), (3, 7), (9, 9), (11, 21)]);
        assert!(!open);
        let (t, _, _) = texts("x;\"multi\nline\";z", b';');
        assert_eq!(t, ["x", "multi\nline", "z"]);
        let (t, _, open) = texts("a,\"unclosed", b',');
        assert_eq!(t[0], "a");
        assert!(open);
        let (t, _, _) = texts("", b',');
        assert_eq!(t, [""]);
    }

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter("a,b,c"), b',');
        assert_eq!(sniff_delimiter("Name;Version;\"a,b\""), b';');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("single"), b',');
    }
}
