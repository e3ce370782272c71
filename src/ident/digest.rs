//! File digests. Kept apart from names and hosts: a digest is compared
//! byte for byte, with no folding beyond hex case.

use std::fmt;

/// A sha256 digest, 64 lower-case hex characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256(String);

impl Sha256 {
    pub fn parse(text: &str) -> Result<Sha256, String> {
        let t = text.trim();
        if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Sha256(t.to_ascii_lowercase()))
        } else {
            Err(format!(
                "`{text}` is not a sha256 digest (64 hexadecimal characters)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
