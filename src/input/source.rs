//! Sources: where an input's bytes come from, and the one decoding layer
//! under every parser.
//!
//! A parser never opens a path. It gets a [`Source`] (a file, standard input
//! or bytes in a test) and reads the [`Opened`] reader, which has already
//! been decompressed (gzip or zstd, told by magic bytes, never by name, and
//! capped in size) and transcoded to UTF-8 (a UTF-16 file is told by its
//! byte-order mark; a UTF-8 mark is dropped). So a UTF-16 inventory export
//! or a gzip log works with every format, as with ripgrep's decoding layer.

use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::problem::InputProblem;

/// Bytes read to sniff a format.
pub const HEAD_BYTES: usize = 64 * 1024;

/// Limits that keep one odd input from taking the machine, and how far a
/// reader may go beyond its own bytes. Every reader already gets this
/// value, so a reader's options ride here rather than in a new parameter
/// of every reader.
#[derive(Clone, Debug)]
pub struct Limits {
    /// The longest line read; a longer one is a problem and is skipped.
    pub max_line: usize,
    /// The most bytes a compressed input may decompress to
    /// (`--max-decoded-bytes`).
    pub max_decoded: u64,
    /// The largest input read whole into memory: a lockfile, a manifest,
    /// an SBOM, a JSON export (`--max-document-bytes`). Line formats are
    /// streamed and have no such limit.
    pub max_document: u64,
    /// The deepest nesting of a JSON or YAML document read
    /// (`--max-depth`): deeper is refused before it is parsed.
    pub max_depth: usize,
    /// Whether a Cargo.toml may run `cargo metadata` for its resolved
    /// graph.
    pub cargo: CargoRun,
    /// Columns of app tables the header synonyms do not know, and the
    /// device of rows that name none (`--columns`, `--device`).
    pub app_columns: crate::input::apps::app_csv::ColumnMap,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line: 1024 * 1024,
            max_decoded: 16 * 1024 * 1024 * 1024,
            max_document: MAX_DOCUMENT,
            max_depth: MAX_DEPTH,
            cargo: CargoRun::default(),
            app_columns: Default::default(),
        }
    }
}

/// When a Cargo.toml is read with `cargo metadata` too (`banscan scan`
/// sets it from `--cargo-metadata` and `--offline`).
#[derive(Clone, Debug, Default)]
pub struct CargoRun {
    pub when: CargoWhen,
    /// Pass `--offline`: cargo uses only what it has cached.
    pub offline: bool,
    /// The scanned paths, canonical: a Cargo.lock outside them was not
    /// read, so it does not cover a manifest.
    pub roots: Arc<[PathBuf]>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CargoWhen {
    /// Never (library use and unit tests): declared dependencies only.
    #[default]
    Never,
    /// When no scanned Cargo.lock covers the manifest.
    Unlocked,
    /// For every manifest of a package (`--cargo-metadata`).
    Always,
}

/// One input: its name in reports and where its bytes are.
#[derive(Clone, Debug)]
pub struct Source {
    /// The path as reports show it: relative to the working folder,
    /// `/`-separated, without `./`; `-` for standard input.
    pub name: Arc<str>,
    pub kind: SourceKind,
}

#[derive(Clone, Debug)]
pub enum SourceKind {
    File(PathBuf),
    /// Standard input; `head` holds the bytes already read to sniff it.
    Stdin {
        head: Arc<[u8]>,
    },
    Bytes(Arc<[u8]>),
}

/// How the bytes were stored, for the report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Layers {
    pub compression: Option<&'static str>,
    pub encoding: Option<&'static str>,
}

/// A source ready to read: decompressed and UTF-8.
pub struct Opened {
    pub reader: Box<dyn BufRead + Send>,
    pub layers: Layers,
    /// [`Limits::max_document`], for the readers that read it whole.
    pub max_document: u64,
    /// [`Limits::max_depth`], for the JSON readers.
    pub max_depth: usize,
}

/// The default and the most of [`Limits::max_depth`]: serde_json refuses
/// deeper JSON itself, and no lockfile, SBOM or export comes near it.
pub const MAX_DEPTH: usize = 128;

/// The default of [`Limits::max_document`]: far above any real lockfile or
/// SBOM (a monorepo's is a few tens of MB), low enough that a stray huge
/// file, or a small gzip bomb under a lockfile's name, does not take the
/// machine's memory.
pub const MAX_DOCUMENT: u64 = 256 * 1024 * 1024;

impl Opened {
    /// The whole decoded input as bytes, refused past `max_document`.
    pub fn read_whole(self, source: &Source) -> Result<Vec<u8>, InputProblem> {
        let max = self.max_document;
        let mut bytes = Vec::new();
        self.reader
            .take(max.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| source.unreadable(&e))?;
        if bytes.len() as u64 > max {
            return Err(InputProblem::file(
                &source.name,
                format!(
                    "`{}` is larger than {max} bytes, the most banscan reads whole of one file",
                    source.name
                ),
                "check that the file is what its name says (a real lockfile or SBOM is far smaller), or raise --max-document-bytes",
            ));
        }
        Ok(bytes)
    }
}

impl Source {
    pub fn file(name: impl Into<Arc<str>>, path: impl Into<PathBuf>) -> Source {
        Source {
            name: name.into(),
            kind: SourceKind::File(path.into()),
        }
    }

    pub fn bytes(name: impl Into<Arc<str>>, bytes: impl Into<Arc<[u8]>>) -> Source {
        Source {
            name: name.into(),
            kind: SourceKind::Bytes(bytes.into()),
        }
    }

    /// Standard input, reading its first bytes now so that its format can
    /// be sniffed before it is parsed.
    pub fn stdin() -> io::Result<Source> {
        let mut head = Vec::with_capacity(HEAD_BYTES);
        io::stdin()
            .lock()
            .take(HEAD_BYTES as u64)
            .read_to_end(&mut head)?;
        Ok(Source {
            name: "-".into(),
            kind: SourceKind::Stdin { head: head.into() },
        })
    }

    pub fn path(&self) -> Option<&Path> {
        match &self.kind {
            SourceKind::File(p) => Some(p),
            _ => None,
        }
    }

    /// The source a relative reference inside this one names (a `-r`
    /// include): resolved against this file's folder, as pip does.
    pub fn include(&self, reference: &str) -> Source {
        let base_path = self.path().and_then(Path::parent).unwrap_or(Path::new(""));
        let base_name = match self.name.rsplit_once('/') {
            Some((dir, _)) if !matches!(self.kind, SourceKind::Stdin { .. }) => dir,
            _ => "",
        };
        let target = Path::new(reference);
        let (path, name) = if target.is_absolute() {
            (target.to_path_buf(), reference.replace('\\', "/"))
        } else {
            (
                base_path.join(target),
                super::detect::normalise_name(&if base_name.is_empty() {
                    reference.to_string()
                } else {
                    format!("{base_name}/{reference}")
                }),
            )
        };
        Source::file(name, path)
    }

    /// The bytes as stored, before the decoding layer: only for a
    /// reader of the file itself rather than its text (`--hash`).
    pub(crate) fn raw(&self) -> io::Result<Box<dyn Read + Send>> {
        Ok(match &self.kind {
            SourceKind::File(p) => Box::new(std::fs::File::open(p)?),
            SourceKind::Stdin { head } => {
                Box::new(Cursor::new(Arc::clone(head)).chain(io::stdin()))
            }
            SourceKind::Bytes(b) => Box::new(Cursor::new(Arc::clone(b))),
        })
    }

    /// Opens the source through the decoding layer. Standard input can be
    /// opened once.
    pub fn open(&self, limits: &Limits) -> Result<Opened, InputProblem> {
        let raw = self.raw().map_err(|e| self.unreadable(&e))?;
        decode(raw, limits).map_err(|e| self.unreadable(&e))
    }

    /// The first decoded bytes, for sniffing; never consumes standard input.
    pub fn head(&self, limits: &Limits) -> io::Result<Vec<u8>> {
        let raw: Box<dyn Read + Send> = match &self.kind {
            SourceKind::Stdin { head } => Box::new(Cursor::new(Arc::clone(head))),
            _ => self.raw()?,
        };
        let opened = decode(Box::new(raw.take(HEAD_BYTES as u64 * 4)), limits)?;
        let mut out = Vec::with_capacity(HEAD_BYTES);
        // A truncated compressed head fails to decode at its end: keep
        // what came out before that.
        let _ = opened.reader.take(HEAD_BYTES as u64).read_to_end(&mut out);
        Ok(out)
    }

    /// How the source is stored, for the report: `gzip`, `utf-16le`...
    pub fn layers(&self, limits: &Limits) -> Vec<String> {
        let raw: io::Result<Box<dyn Read + Send>> = match &self.kind {
            SourceKind::Stdin { head } => Ok(Box::new(Cursor::new(Arc::clone(head)))),
            _ => self.raw(),
        };
        match raw.and_then(|r| decode(Box::new(r.take(HEAD_BYTES as u64)), limits)) {
            Ok(opened) => [opened.layers.compression, opened.layers.encoding]
                .into_iter()
                .flatten()
                .map(str::to_string)
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    pub fn unreadable(&self, e: &dyn std::fmt::Display) -> InputProblem {
        InputProblem::file(
            &self.name,
            format!("cannot read `{}`: {e}", self.name),
            "check that the path exists and is readable by this user",
        )
    }
}

const GZIP: &[u8] = &[0x1f, 0x8b];
const ZSTD: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

/// Peels compression, then the text encoding.
fn decode(raw: Box<dyn Read + Send>, limits: &Limits) -> io::Result<Opened> {
    let mut layers = Layers::default();
    let (magic, raw) = peek(raw, 4)?;
    let decompressed: Box<dyn Read + Send> = if magic.starts_with(GZIP) {
        layers.compression = Some("gzip");
        Box::new(Capped::new(
            flate2::read::MultiGzDecoder::new(raw),
            limits.max_decoded,
        ))
    } else if magic.starts_with(ZSTD) {
        layers.compression = Some("zstd");
        let decoder = ruzstd::decoding::StreamingDecoder::new(raw)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
        Box::new(Capped::new(decoder, limits.max_decoded))
    } else {
        raw
    };
    let (bom, mut text) = peek(decompressed, UTF16_PROBE)?;
    let reader: Box<dyn BufRead + Send> = if bom.starts_with(b"\xEF\xBB\xBF") {
        layers.encoding = Some("utf-8 with byte-order mark");
        text.read_exact(&mut [0u8; 3])?;
        Box::new(BufReader::with_capacity(64 * 1024, text))
    } else if bom.starts_with(b"\xFF\xFE") || bom.starts_with(b"\xFE\xFF") {
        layers.encoding = Some(if bom[0] == 0xFF {
            "utf-16le"
        } else {
            "utf-16be"
        });
        Box::new(BufReader::with_capacity(
            64 * 1024,
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .bom_sniffing(true)
                .strip_bom(true)
                .build(text),
        ))
    } else if let Some((encoding, name)) = utf16_without_mark(&bom) {
        // Windows tools that write UTF-16 do not all write the mark.
        layers.encoding = Some(name);
        Box::new(BufReader::with_capacity(
            64 * 1024,
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding))
                .bom_override(false)
                .build(text),
        ))
    } else {
        Box::new(BufReader::with_capacity(64 * 1024, text))
    };
    Ok(Opened {
        reader,
        layers,
        max_document: limits.max_document,
        max_depth: limits.max_depth,
    })
}

/// Bytes looked at to tell UTF-16 without a byte-order mark.
const UTF16_PROBE: usize = 512;

/// UTF-16 text without a byte-order mark, told by its NUL pattern: text
/// in Latin script has a zero in every other byte, on the high side of
/// each code unit. Real text has no NULs, so one side almost all zero and
/// the other almost none is a safe sign.
fn utf16_without_mark(head: &[u8]) -> Option<(&'static encoding_rs::Encoding, &'static str)> {
    let units = head.len() / 2;
    if units < 4 {
        return None;
    }
    let zeros = |side: usize| {
        head.iter()
            .skip(side)
            .step_by(2)
            .take(units)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    let mostly = |n: usize| n * 10 >= units * 7;
    let rarely = |n: usize| n * 10 <= units;
    if mostly(odd) && rarely(even) {
        Some((encoding_rs::UTF_16LE, "utf-16le (no byte-order mark)"))
    } else if mostly(even) && rarely(odd) {
        Some((encoding_rs::UTF_16BE, "utf-16be (no byte-order mark)"))
    } else {
        None
    }
}

/// Reads up to `n` bytes (fewer only at the end of the input: a pipe may
/// hand over less a read) and returns them with a reader that yields them
/// again, followed by the rest.
fn peek(mut raw: Box<dyn Read + Send>, n: usize) -> io::Result<(Vec<u8>, Box<dyn Read + Send>)> {
    let mut head = Vec::with_capacity(n);
    (&mut raw).take(n as u64).read_to_end(&mut head)?;
    let again = Cursor::new(head.clone());
    Ok((head, Box::new(again.chain(raw))))
}

/// A reader that fails once more than `limit` bytes came out of it: a
/// small gzip file must not decompress into the whole disk.
struct Capped<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R> Capped<R> {
    fn new(inner: R, limit: u64) -> Self {
        Capped {
            inner,
            left: limit,
            limit,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(io::Error::other(format!(
                "it decompresses to more than {} bytes (--max-decoded-bytes)",
                self.limit
            )));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> (Vec<u8>, Layers) {
        let source = Source::bytes("t", bytes.to_vec());
        let mut opened = source.open(&Limits::default()).unwrap();
        let mut out = Vec::new();
        opened.reader.read_to_end(&mut out).unwrap();
        (out, opened.layers)
    }

    /// Byte-order marks are dropped; UTF-16 becomes UTF-8; gzip is told by
    /// its magic bytes; short inputs are not a problem.
    #[test]
    fn decodes_marks_encodings_and_compression() {
        assert_eq!(decoded(b"\xEF\xBB\xBFa,b\n").0, b"a,b\n");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("é,x\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (text, layers) = decoded(&utf16);
        assert_eq!(text, "é,x\n".as_bytes());
        assert_eq!(layers.encoding, Some("utf-16le"));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"\xEF\xBB\xBFdeepseek.com\n").unwrap();
        let (text, layers) = decoded(&gz.finish().unwrap());
        assert_eq!(text, b"deepseek.com\n");
        assert_eq!(layers.compression, Some("gzip"));
        assert_eq!(decoded(b"a").0, b"a");
        // UTF-16 without a byte-order mark, told by its NULs.
        let bare: Vec<u8> = "Name,Publisher\nTikTok,TikTok Pte. Ltd.\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let (text, layers) = decoded(&bare);
        assert_eq!(text, b"Name,Publisher\nTikTok,TikTok Pte. Ltd.\n");
        assert_eq!(layers.encoding, Some("utf-16le (no byte-order mark)"));
        let be: Vec<u8> = "deepseek.com\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decoded(&be).0, b"deepseek.com\n");
        assert_eq!(decoded(b"").0, b"");
    }

    /// A compressed input may not decompress past the limit.
    #[test]
    fn decompression_is_capped() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut gz, &vec![b'a'; 1 << 20]).unwrap();
        let source = Source::bytes("bomb.gz", gz.finish().unwrap());
        let limits = Limits {
            max_decoded: 1000,
            ..Limits::default()
        };
        let mut opened = source.open(&limits).unwrap();
        let err = opened.reader.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(
            err.to_string()
                .contains("decompresses to more than 1000 bytes"),
            "{err}"
        );
    }
}
