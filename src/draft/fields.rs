//! The values of a draft, each read from the words of the brief: dates,
//! sectors, the legal basis and instrument, the rationale, the sources.
//! A value the brief does not give is `None` here and a placeholder in
//! the draft; nothing is guessed.

use jiff::civil::Date;

use super::article::Line;
use super::sentence::Sentence;
use super::vocab::Vocab;
use super::words::find_all;
use crate::policy::vocab::{SECTORS, jurisdiction_reaches};

/// Words of the brief and the line they are on.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Evidence {
    pub line: usize,
    pub text: String,
}

/// A date as the brief gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateFound {
    /// A day; the year is `None` when the brief leaves it out.
    Day {
        month: i8,
        day: i8,
        year: Option<i16>,
        words: Evidence,
    },
    /// A month without a day ("late January"): quoted, never guessed.
    Vague(Evidence),
}

impl DateFound {
    pub fn evidence(&self) -> &Evidence {
        match self {
            DateFound::Day { words, .. } | DateFound::Vague(words) => words,
        }
    }

    /// The day, with `year` standing in for one the brief leaves out.
    pub fn resolve(&self, year: Option<i16>) -> Option<Date> {
        match self {
            DateFound::Day {
                month,
                day,
                year: y,
                ..
            } => Date::new(y.or(year)?, *month, *day).ok(),
            DateFound::Vague(_) => None,
        }
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month(word: &str) -> Option<i8> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    let i = MONTHS
        .iter()
        .position(|m| *m == w || (w.len() <= 4 && m.starts_with(w.as_str())))?;
    // "may" is a verb too; only a capitalised May is the month.
    if i == 4 && !word.starts_with('M') {
        return None;
    }
    i8::try_from(i + 1).ok()
}

/// The first date in a sentence: `January 31`, `January 31, 2025`,
/// `31 January 2025`, `2025-01-31`, or a month alone (vague).
pub fn first_date(s: &Sentence) -> Option<DateFound> {
    let words: Vec<(usize, &str)> = word_offsets(&s.text);
    let clean = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    for (k, &(start, w)) in words.iter().enumerate() {
        if let Ok(d) = clean(w).parse::<Date>()
            && w.contains('-')
        {
            return Some(DateFound::Day {
                month: d.month(),
                day: d.day(),
                year: Some(d.year()),
                words: evidence(s, start, start + w.trim_end_matches([',', '.']).len()),
            });
        }
        let Some(m) = month(&clean(w)).filter(|_| w.chars().next().is_some_and(char::is_uppercase))
        else {
            continue;
        };
        let day_after = words.get(k + 1).and_then(|&(_, n)| day(&clean(n)));
        let day_before = k
            .checked_sub(1)
            .and_then(|j| words.get(j))
            .and_then(|&(_, n)| day(&clean(n)));
        if let Some(d) = day_after {
            let year = words.get(k + 2).and_then(|&(_, n)| year(&clean(n)));
            let last = if year.is_some() { k + 2 } else { k + 1 };
            let (ls, lw) = words[last];
            return Some(DateFound::Day {
                month: m,
                day: d,
                year,
                words: evidence(s, start, ls + lw.trim_end_matches([',', '.', ';']).len()),
            });
        }
        if let Some(d) = day_before {
            let (ds, _) = words[k - 1];
            let year = words.get(k + 1).and_then(|&(_, n)| year(&clean(n)));
            let last = if year.is_some() { k + 1 } else { k };
            let (ls, lw) = words[last];
            return Some(DateFound::Day {
                month: m,
                day: d,
                year,
                words: evidence(s, ds, ls + lw.trim_end_matches([',', '.', ';']).len()),
            });
        }
        // A month alone, with the words that qualify it ("late January").
        let qualifier = k.checked_sub(1).and_then(|j| {
            let (qs, q) = words[j];
            ["early", "mid", "late", "in", "end", "beginning", "mid-"]
                .contains(&q.to_lowercase().as_str())
                .then_some(qs)
        });
        let from = qualifier.unwrap_or(start);
        let year = words.get(k + 1).and_then(|&(_, n)| year(&clean(n)));
        let last = if year.is_some() { k + 1 } else { k };
        let (ls, lw) = words[last];
        return Some(DateFound::Vague(evidence(
            s,
            from,
            ls + lw.trim_end_matches([',', '.', ';']).len(),
        )));
    }
    None
}

fn day(w: &str) -> Option<i8> {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let n: i8 = digits.parse().ok()?;
    (1..=31).contains(&n).then_some(n)
}

fn year(w: &str) -> Option<i16> {
    let n: i16 = w.parse().ok()?;
    (1900..=2200).contains(&n).then_some(n)
}

fn word_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut pos = 0;
    for w in text.split(' ') {
        if !w.is_empty() {
            out.push((pos, w));
        }
        pos += w.len() + 1;
    }
    out
}

fn evidence(s: &Sentence, start: usize, end: usize) -> Evidence {
    Evidence {
        line: s.line,
        text: s.text[start..end.min(s.text.len())].to_string(),
    }
}

/// A later start ("effective February 3", "takes effect on ..."), from
/// the sentences about the statement.
pub fn effective(sentences: &[&Sentence]) -> Option<DateFound> {
    const CUES: [&str; 6] = [
        "effective",
        "takes effect",
        "take effect",
        "took effect",
        "starting",
        "comes into force",
    ];
    sentences.iter().find_map(|s| {
        let cue = CUES
            .iter()
            .find_map(|c| find_all(&s.text, c).first().copied())?;
        let rest = Sentence {
            line: s.line,
            text: s.text[cue.start..].to_string(),
        };
        first_date(&rest)
    })
}

/// The sectors the sentences name, in the format's order, each with the
/// first words that named it. Entries limited to a jurisdiction count
/// only when the draft's is reached by it. Phrases about equipment
/// ("state-owned devices") count only when no phrase names the people or
/// bodies bound: "the order bars state employees" says who is bound,
/// "state government devices" only implies it.
pub fn sectors(
    sentences: &[&Sentence],
    vocab: &Vocab,
    jurisdiction: Option<&str>,
) -> Vec<(String, Evidence)> {
    let mut phrases: Vec<_> = vocab
        .sectors
        .iter()
        .filter(|p| match (&p.within, jurisdiction) {
            (None, _) => true,
            (Some(w), Some(j)) => jurisdiction_reaches(w, j),
            (Some(_), None) => false,
        })
        .collect();
    phrases.sort_by_key(|p| std::cmp::Reverse(p.phrase.len()));
    let mut named: Vec<(String, Evidence)> = Vec::new();
    let mut implied: Vec<(String, Evidence)> = Vec::new();
    for s in sentences {
        let mut taken = Vec::new();
        for p in &phrases {
            for span in find_all(&s.text, &p.phrase) {
                if taken.iter().any(|t: &super::words::Span| t.overlaps(span)) {
                    continue;
                }
                taken.push(span);
                let found = if p.implied { &mut implied } else { &mut named };
                for id in &p.sectors {
                    if !found.iter().any(|(f, _)| f == id) {
                        found.push((id.clone(), evidence(s, span.start, span.end)));
                    }
                }
            }
        }
    }
    let mut found = if named.is_empty() { implied } else { named };
    let rank = |id: &str| {
        SECTORS
            .iter()
            .position(|(s, _)| *s == id)
            .unwrap_or(usize::MAX)
    };
    found.sort_by_key(|(id, _)| rank(id));
    found
}

/// The regulation or law the ban rests on, as the brief names it: a
/// quoted title after a citing word ("cited the 2019 Executive Yuan
/// regulation, “Principles on ...”").
pub fn legal_basis(sentences: &[&Sentence]) -> Option<Evidence> {
    const CUES: [&str; 6] = [
        "cited the",
        "citing the",
        "under the",
        "pursuant to the",
        "in accordance with the",
        "based on the",
    ];
    for s in sentences {
        let Some((open, close)) = quoted(&s.text) else {
            continue;
        };
        let cue = CUES
            .iter()
            .filter_map(|c| find_all(&s.text[..open], c).last().copied())
            .max_by_key(|sp| sp.end);
        let start = cue.map_or(open, |c| c.end + 1);
        let mut text = s.text[start.min(open)..close].to_string();
        // A comma or full stop the brief puts inside the closing quote.
        for p in [",”", ".”", ",\"", ".\""] {
            if text.ends_with(p) {
                let cut = text.len() - p.len();
                let quote = &p[1..];
                text = format!("{}{quote}", &text[..cut]);
            }
        }
        return Some(Evidence { line: s.line, text });
    }
    None
}

/// The byte range of the first quotation, quotes included.
fn quoted(text: &str) -> Option<(usize, usize)> {
    let (open, closing) = text.char_indices().find_map(|(i, c)| match c {
        '“' => Some((i, '”')),
        '"' => Some((i, '"')),
        _ => None,
    })?;
    let after = open + closing.len_utf8().max(1);
    let rel = text[after..].find(closing)?;
    let close = after + rel + closing.len_utf8();
    // A title, not a scare quote: at least three words.
    (text[open..close].split_whitespace().count() >= 3).then_some((open, close))
}

/// A numbered instrument: `Executive Order 46`, `PSPF Direction
/// 001-2025`, `EO 2023-06`, `HB 2313`, with the capitalised words before
/// its kind.
pub fn instrument(sentences: &[&Sentence]) -> Option<Evidence> {
    const KINDS: [&str; 14] = [
        "Executive Order",
        "Direction",
        "Directive",
        "Ruling",
        "Order",
        "EO",
        "HB",
        "SB",
        "H.R.",
        "Bill",
        "Resolution",
        "Circular",
        "Decree",
        "Act",
    ];
    for s in sentences {
        let mut best: Option<(usize, usize)> = None;
        for kind in KINDS {
            for span in find_all(&s.text, kind) {
                if !s.text[span.start..].starts_with(kind) {
                    continue;
                }
                let rest = &s.text[span.end..];
                let number = rest
                    .strip_prefix(' ')
                    .and_then(|r| r.split(' ').next())
                    .map(|w| w.trim_end_matches([',', '.', ';', ')']))
                    .filter(|w| w.chars().any(|c| c.is_ascii_digit()));
                let end = match number {
                    Some(n) => span.end + 1 + n.len(),
                    None if kind == "Act" => span.end,
                    None => continue,
                };
                let start = capitalised_before(&s.text, span.start);
                if kind == "Act" && start == span.start {
                    continue;
                }
                if best.is_none_or(|(bs, _)| start < bs) {
                    best = Some((start, end));
                }
            }
        }
        if let Some((start, end)) = best {
            return Some(evidence(s, start, end));
        }
    }
    None
}

/// The start of the run of capitalised words (or acronyms) ending just
/// before `at`, joined by `of`, `on`, `the`, `and`.
fn capitalised_before(text: &str, at: usize) -> usize {
    let mut start = at;
    let words = word_offsets(&text[..at]);
    let mut pending: Option<usize> = None;
    for &(pos, w) in words.iter().rev() {
        let capital = w
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        let joiner = matches!(w, "of" | "on" | "the" | "and" | "for");
        if w.ends_with([',', '.', ';', ':', '”', '"']) {
            break;
        }
        if capital {
            start = pos;
            pending = None;
        } else if joiner && pending.is_none() {
            pending = Some(pos);
        } else {
            break;
        }
    }
    // "the" before a name is not part of it.
    let name = &text[start..at];
    if let Some(rest) = name.strip_prefix("The ") {
        return at - rest.len();
    }
    start
}

/// Why: the words after "due to", "citing", "because of", "amid", to the
/// end of the clause.
pub fn rationale(sentences: &[&Sentence]) -> Option<Evidence> {
    const CUES: [&str; 6] = [
        "due to",
        "citing",
        "because of",
        "because",
        "amid",
        "out of",
    ];
    for s in sentences {
        let cue = CUES
            .iter()
            .filter_map(|c| find_all(&s.text, c).first().copied())
            .min_by_key(|sp| sp.start);
        if let Some(cue) = cue {
            let rest = s.text[cue.end..].trim_start();
            let clause = rest
                .split(", according to")
                .next()
                .unwrap_or(rest)
                .trim_end_matches(['.', ',', ';', '”', '"']);
            if clause.split_whitespace().count() >= 2 {
                let start = s.text.len() - rest.len();
                return Some(evidence(s, start, start + clause.len()));
            }
        }
    }
    None
}

/// A reference entry: the publisher it names.
pub fn publisher(reference: &Line) -> Evidence {
    Evidence {
        line: reference.number,
        text: reference.text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Sentence {
        Sentence {
            line: 7,
            text: text.into(),
        }
    }

    /// Days with and without a year, day-first, ISO, and a month alone.
    #[test]
    fn dates() {
        let d = first_date(&s("MODA announced on January 31 that staff")).unwrap();
        assert_eq!(d.resolve(Some(2025)), Date::new(2025, 1, 31).ok());
        assert_eq!(d.evidence().text, "January 31");
        assert_eq!(d.resolve(None), None);
        let d = first_date(&s("On Feb. 4, 2025, the secretary")).unwrap();
        assert_eq!(d.resolve(None), Date::new(2025, 2, 4).ok());
        assert_eq!(d.evidence().text, "Feb. 4, 2025");
        let d = first_date(&s("signed on 8 April 2025.")).unwrap();
        assert_eq!(d.resolve(None), Date::new(2025, 4, 8).ok());
        let d = first_date(&s("announced in late January that")).unwrap();
        assert_eq!(
            d,
            DateFound::Vague(Evidence {
                line: 7,
                text: "late January".into()
            })
        );
        assert!(first_date(&s("The ban may apply to all.")).is_none());
    }

    #[test]
    fn basis_instrument_rationale() {
        let line5 = s(
            "MODA cited the 2019 Executive Yuan regulation, “Principles on Restricting the Use of Products That Endanger National Cyber Security,” which prohibits agencies.",
        );
        assert_eq!(
            legal_basis(&[&line5]).unwrap().text,
            "2019 Executive Yuan regulation, “Principles on Restricting the Use of Products That Endanger National Cyber Security”"
        );
        let order = s("Youngkin signed Executive Order 46 on Tuesday.");
        assert_eq!(instrument(&[&order]).unwrap().text, "Executive Order 46");
        let pspf = s("The secretary issued PSPF Direction 001-2025, which orders removal.");
        assert_eq!(
            instrument(&[&pspf]).unwrap().text,
            "PSPF Direction 001-2025"
        );
        let why = s("staff were banned from DeepSeek, due to concerns over potential data leaks.");
        assert_eq!(
            rationale(&[&why]).unwrap().text,
            "concerns over potential data leaks"
        );
    }
}
