//! Sentences with the line they are on. A brief puts a paragraph on one
//! line, so a sentence never spans lines; abbreviations such as `U.S.`,
//! `Gov.` and initials do not end one.

use super::article::Line;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub line: usize,
    pub text: String,
}

/// Words after which a full stop is an abbreviation's.
/// `Pub. L.`, `Stat.`, `Div.` and `Sec.` are how a statute is cited.
const ABBREVIATIONS: [&str; 28] = [
    "gov", "sen", "rep", "dr", "mr", "mrs", "ms", "st", "no", "jan", "feb", "mar", "apr", "aug",
    "sept", "sep", "oct", "nov", "dec", "inc", "ltd", "co", "corp", "vs", "pub", "stat", "div",
    "sec",
];

pub fn split(lines: &[Line]) -> Vec<Sentence> {
    let mut out = Vec::new();
    for line in lines {
        let text = &line.text;
        let mut start = 0;
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for (k, &(i, c)) in chars.iter().enumerate() {
            if !matches!(c, '.' | '?' | '!') {
                continue;
            }
            // The end may carry a closing quote: `... Security.”`
            let mut end = i + c.len_utf8();
            let mut next = k + 1;
            while let Some(&(j, q)) = chars.get(next)
                && matches!(q, '"' | '”' | '’' | '\'' | ')')
            {
                end = j + q.len_utf8();
                next += 1;
            }
            let followed_by_space = chars.get(next).is_none_or(|&(_, n)| n == ' ');
            let then_upper = chars
                .get(next + 1)
                .is_none_or(|&(_, n)| n.is_uppercase() || matches!(n, '"' | '“' | '‘'));
            if !(followed_by_space && then_upper) || (c == '.' && is_abbreviation(&text[start..i]))
            {
                continue;
            }
            push(&mut out, line.number, &text[start..end]);
            start = end;
        }
        push(&mut out, line.number, &text[start..]);
    }
    out
}

fn push(out: &mut Vec<Sentence>, line: usize, text: &str) {
    let text = text.trim();
    if !text.is_empty() {
        out.push(Sentence {
            line,
            text: text.to_string(),
        });
    }
}

/// Whether the word before a full stop is an abbreviation: a listed one,
/// a single letter (an initial, the `S` of `U.S`) or dotted letters.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
        || word.chars().count() == 1
        || (word.contains('.') && word.split('.').all(|p| p.chars().count() <= 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `U.S.` and `Gov.` do not end sentences; a full stop before a
    /// capital does, also inside a closing quote.
    #[test]
    fn sentences() {
        let line = Line {
            number: 3,
            text: "Officials in the U.S. and Australia agree. Gov. Greg Abbott said “no.” The U.S. President spoke.".into(),
        };
        let s = split(&[line]);
        let texts: Vec<&str> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Officials in the U.S. and Australia agree.",
                "Gov. Greg Abbott said “no.”",
                "The U.S. President spoke."
            ]
        );
        assert!(s.iter().all(|s| s.line == 3));
    }
}
