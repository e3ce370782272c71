//! Diagnostics: every problem banscan reports, with a stable code.
//!
//! The codes (`codes.rs`) are an interface of their own, kept apart from
//! the machinery that renders a problem (`problem.rs`); the re-exports keep
//! `crate::diag::X` the one path callers use.

mod codes;
mod problem;

pub use codes::Code;
pub use problem::{LineSource, Problem, ProblemSource, Renderer, SourceFile, line_column};

/// The closest of `candidates` to `word`, if close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (levenshtein(word, c), c))
        .filter(|&(d, c)| d <= 2.max(c.len() / 3))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_only() {
        assert_eq!(
            did_you_mean("efective", ["effective", "expires"]),
            Some("effective")
        );
        assert_eq!(did_you_mean("colour", ["effective", "expires"]), None);
    }
}
