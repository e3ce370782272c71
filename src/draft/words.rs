//! Finding a vocabulary phrase in a sentence: whole words, without case
//! (but an all-capitals abbreviation such as `US` or `MODA` only in
//! capitals, so "told us" is not the United States), with `'` and `’`
//! the same apostrophe.

/// Where a phrase was found: byte offsets into the sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Every whole-word occurrence of `phrase` in `text`.
pub fn find_all(text: &str, phrase: &str) -> Vec<Span> {
    let letters = phrase.chars().filter(|c| c.is_alphabetic()).count();
    let exact_case = letters >= 2
        && phrase
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    let pattern: Vec<char> = phrase.chars().map(fold_apostrophe).collect();
    let Some(&first) = pattern.first() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut previous: Option<char> = None;
    for (start, c) in text.char_indices() {
        let boundary_before =
            previous.is_none_or(|p| !p.is_alphanumeric()) || !first.is_alphanumeric();
        previous = Some(c);
        if !boundary_before || !same(c, first, exact_case) {
            continue;
        }
        let mut rest = text[start..].char_indices();
        let mut end = start;
        let mut matched = true;
        for &p in &pattern {
            match rest.next() {
                Some((i, t)) if same(t, p, exact_case) => end = start + i + t.len_utf8(),
                _ => {
                    matched = false;
                    break;
                }
            }
        }
        let last = *pattern.last().unwrap_or(&first);
        let boundary_after = !last.is_alphanumeric()
            || text[end..]
                .chars()
                .next()
                .is_none_or(|n| !n.is_alphanumeric());
        if matched && boundary_after {
            found.push(Span { start, end });
        }
    }
    found
}

fn same(text: char, pattern: char, exact_case: bool) -> bool {
    let text = fold_apostrophe(text);
    if exact_case {
        text == pattern
    } else {
        text == pattern || text.to_lowercase().eq(pattern.to_lowercase())
    }
}

fn fold_apostrophe(c: char) -> char {
    if c == '’' { '\'' } else { c }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whole words only, capitals kept for abbreviations, curly
    /// apostrophes folded.
    #[test]
    fn matching() {
        assert_eq!(find_all("Taiwan’s MODA", "taiwan").len(), 1);
        assert_eq!(find_all("Taiwanese", "Taiwan").len(), 0);
        assert_eq!(find_all("told us", "US").len(), 0);
        assert_eq!(find_all("the U.S. and US", "U.S.").len(), 1);
        assert_eq!(
            find_all("the People’s Republic", "People's Republic"),
            vec![Span { start: 4, end: 23 }]
        );
        assert_eq!(find_all("BANNED banned", "banned").len(), 2);
    }
}
