//! File digests. Kept apart from names and hosts: a digest is compared
//! byte for byte, with no folding beyond hex case.

use std::fmt;

/// A sha256 digest, 64 lower-case hex characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256(String);

impl Sha256 {
    pub fn parse(text: &str) -> Result<Sha256, DigestError> {
        let t = text.trim();
        if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Sha256(t.to_ascii_lowercase()))
        } else {
            Err(DigestError {
                text: text.to_string(),
            })
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

/// Text that is not a sha256 digest. One failure mode: a wrong length and
/// a stray non-hex character get the same advice, so they are not told
/// apart. Keeps the text as written, since the message quotes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestError {
    pub text: String,
}

impl fmt::Display for DigestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a sha256 digest (64 hexadecimal characters)",
            self.text
        )
    }
}

impl std::error::Error for DigestError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message is the text users saw when the error was a `String`.
    #[test]
    fn error_message() {
        assert_eq!(
            Sha256::parse(" abc ").unwrap_err().to_string(),
            "` abc ` is not a sha256 digest (64 hexadecimal characters)"
        );
    }
}
