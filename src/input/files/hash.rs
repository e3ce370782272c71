//! `banscan scan --hash DIR`: every regular file of a tree read as the
//! sha256 of its bytes, so a banned installer or binary is found whatever
//! it is called.
//!
//! The digest is of the bytes as stored: a gzip file is hashed, not what
//! it decompresses to, as `sha256sum` and a policy's `files:` digests see
//! it. The file is read through one fixed buffer, never held whole, and
//! each file is one input, so the scan's inputs are hashed on every core.
//! A read that fails is the input's problem, never a silent pass.

use std::io::{ErrorKind, Read};

use sha2::Digest as _;

use crate::ident::Sha256;
use crate::input::item::{FileView, ItemView};
use crate::input::problem::InputProblem;
use crate::input::registry::{Evidence, FormatSpec, Reader};
use crate::input::sink::{At, Sink};
use crate::input::source::{Limits, Source};

/// Not in the format table: discovery never picks it; a `--hash` walk
/// gives it every file. Reports name it as the input's format.
pub static SPEC: FormatSpec = FormatSpec {
    name: "file-sha256",
    evidence: Evidence::Files,
    description: "any file, read as the sha256 of its bytes (--hash)",
    names: &[],
    maybe: &[],
    sniff: None,
    shape: None,
    reader: Reader::Raw(read),
};

/// Bytes read at a time: large enough that the hash, not the system
/// calls, takes the time; small enough for one per thread.
const BUFFER: usize = 256 * 1024;

fn read(source: &Source, _limits: &Limits, sink: &mut dyn Sink) -> Result<(), InputProblem> {
    let raw = source.raw().map_err(|e| source.unreadable(&e))?;
    let hex = digest(raw).map_err(|e| source.unreadable(&e))?;
    let sha256 = Sha256::parse(&hex).map_err(|e| {
        InputProblem::file(
            &source.name,
            format!("internal error: the computed digest {e}"),
            "report this as a bug in banscan",
        )
    })?;
    let name: &str = &source.name;
    sink.item(
        ItemView::File(FileView {
            sha256: &sha256,
            name: Some(name),
        }),
        // A file has no line: the finding points at the file, with its
        // digest as the evidence.
        At {
            source: &source.name,
            text: &hex,
            line: 1,
            offset: 0,
            len: hex.len(),
            byte: 0,
        },
    );
    Ok(())
}

/// The lower-case hex sha256 of everything `reader` yields.
pub fn digest(mut reader: impl Read) -> std::io::Result<String> {
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; BUFFER];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::item::ItemKind;
    use crate::input::testing::read;

    /// The digest of the stored bytes, across buffer boundaries, at line 1
    /// with the digest as the text.
    #[test]
    fn hashes_the_stored_bytes() {
        let bytes: Vec<u8> = (0..BUFFER * 2 + 7).map(|i| (i % 251) as u8).collect();
        let want = hex::encode(sha2::Sha256::digest(&bytes));
        let got = read(&SPEC, &Source::bytes("big.bin", bytes));
        assert!(got.problems.is_empty(), "{:?}", got.problems);
        let [item] = got.items.as_slice() else {
            panic!("{:?}", got.items)
        };
        let ItemKind::File(f) = &item.item else {
            panic!("{:?}", item.item)
        };
        assert_eq!(f.sha256.as_str(), want);
        assert_eq!(f.name.as_deref(), Some("big.bin"));
        assert_eq!((item.line, item.column, item.len), (1, 1, 64));
        assert_eq!(item.text, want);
    }

    /// A gzip file is hashed as stored, not decompressed; an empty file
    /// has the empty digest.
    #[test]
    fn no_decoding_layer() {
        let gz =
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00";
        let got = read(&SPEC, &Source::bytes("x.gz", gz.to_vec()));
        let ItemKind::File(f) = &got.items[0].item else {
            panic!()
        };
        assert_eq!(f.sha256.as_str(), hex::encode(sha2::Sha256::digest(gz)));
        let got = read(&SPEC, &Source::bytes("empty", Vec::new()));
        let ItemKind::File(f) = &got.items[0].item else {
            panic!()
        };
        assert_eq!(
            f.sha256.as_str(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    /// A file that cannot be read (a folder opened as a file fails on its
    /// first read) is a problem, not an item.
    #[test]
    fn unreadable_is_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        let got = read(&SPEC, &Source::file("dir", dir.path()));
        assert!(got.items.is_empty());
        assert_eq!(got.problems.len(), 1);
        assert!(
            got.problems[0].message.starts_with("cannot read `dir`"),
            "{}",
            got.problems[0].message
        );
    }
}
