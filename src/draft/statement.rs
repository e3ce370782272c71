//! Ban statements: a sentence where an actor (an authority, or a
//! jurisdiction speaking as one) bans, blocks, restricts or suspends a
//! product the library knows, or reports that it did ("announced it had
//! blocked DeepSeek"). A sentence of concern has no ban verb; a proposal
//! or a refusal carries a hedge; neither is a statement.

use super::sentence::Sentence;
use super::vocab::{Authority, Vocab};
use super::words::{Span, find_all};
use crate::policy::{Library, Severity};

/// A phrase found in a sentence, with the words as the brief wrote them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit<T> {
    pub value: T,
    pub span: Span,
    pub words: String,
}

#[derive(Clone, Debug)]
pub struct Statement {
    /// The index among its article's of the sentence naming the actor.
    pub sentence: usize,
    /// The index of the sentence with the verb and the products: the
    /// actor's own, or a later one that refers back to its act ("The act
    /// bans TikTok").
    pub acts_in: usize,
    pub action: Hit<Severity>,
    /// Product ids in the order the sentence names them.
    pub products: Vec<Hit<String>>,
    /// Names listed beside the products that the library does not know
    /// ("DeepSeek, RedNote, Webull and Moomoo"): the id proposed for each.
    pub unknown_products: Vec<Hit<String>>,
    pub authority: Option<Hit<AuthorityFound>>,
    pub jurisdiction: Option<Hit<String>>,
}

/// An authority as named, with what its vocabulary entry adds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorityFound {
    pub slug: String,
    pub jurisdiction: Option<String>,
}

/// The names a product goes by: its name (and the name without, and the
/// parts of, a bracketed gloss), its aliases and its id in words.
pub struct ProductNames(Vec<(String, String)>);

impl ProductNames {
    pub fn of(library: &Library) -> ProductNames {
        let mut names = Vec::new();
        for p in &library.products {
            let mut add = |n: &str| {
                let n = n.trim();
                if n.chars().count() >= 3 {
                    names.push((n.to_string(), p.id.clone()));
                }
            };
            add(&p.name);
            if let Some((head, gloss)) = p.name.split_once('(') {
                add(head);
                for part in gloss.trim_end_matches(')').split(',') {
                    add(part);
                }
            }
            for a in &p.aliases {
                add(a);
            }
            add(&p.id.replace('-', " "));
        }
        // Longest first, so "DeepSeek typosquat packages" wins over "DeepSeek".
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
        names.dedup();
        ProductNames(names)
    }

    /// The products named in `text`, in order, each once.
    pub fn find(&self, text: &str) -> Vec<Hit<String>> {
        let mut hits: Vec<Hit<String>> = Vec::new();
        for (name, id) in &self.0 {
            for span in find_all(text, name) {
                if !hits.iter().any(|h| h.span.overlaps(span)) {
                    hits.push(Hit {
                        value: id.clone(),
                        span,
                        words: text[span.start..span.end].to_string(),
                    });
                }
            }
        }
        hits.sort_by_key(|h| h.span);
        let mut seen = Vec::new();
        hits.retain(|h| {
            let new = !seen.contains(&h.value);
            seen.push(h.value.clone());
            new
        });
        hits
    }
}

/// Every ban statement among `sentences`, in order.
pub fn find(sentences: &[Sentence], vocab: &Vocab, products: &ProductNames) -> Vec<Statement> {
    let mut out: Vec<Statement> = Vec::new();
    for (i, s) in sentences.iter().enumerate() {
        let found = statement(i, &s.text, vocab, products)
            .or_else(|| carried(i, sentences, vocab, products, &out));
        out.extend(found);
    }
    out
}

fn statement(
    index: usize,
    text: &str,
    vocab: &Vocab,
    products: &ProductNames,
) -> Option<Statement> {
    let (action, found) = action_and_products(text, vocab, products)?;
    let authority = named_authority(text, &vocab.authorities, Some(action.span));
    let jurisdiction = jurisdiction(text, vocab, action.span, authority.as_ref(), &found);
    if authority.is_none() && jurisdiction.is_none() {
        return None;
    }
    Some(Statement {
        sentence: index,
        acts_in: index,
        unknown_products: unknown_products(text, &found, vocab),
        action,
        products: found,
        authority,
        jurisdiction,
    })
}

/// The ban verb and the products of a sentence that is not hedged.
fn action_and_products(
    text: &str,
    vocab: &Vocab,
    products: &ProductNames,
) -> Option<(Hit<Severity>, Vec<Hit<String>>)> {
    if vocab.hedges.iter().any(|h| !find_all(text, h).is_empty()) {
        return None;
    }
    let action = first_longest(
        vocab.actions.iter().flat_map(|a| {
            find_all(text, &a.phrase)
                .into_iter()
                .filter(|s| !attributive(text, *s))
                .map(|s| (s, a.severity))
        }),
        text,
    )?;
    let mut found = products.find(text);
    // "developed or provided by ByteDance Limited" names the maker of
    // what is banned, not a product banned.
    found.retain(|p| {
        text[..p.span.start]
            .split_whitespace()
            .next_back()
            .is_none_or(|w| !w.eq_ignore_ascii_case("by"))
    });
    (!found.is_empty()).then_some((action, found))
}

/// A participle used as an adjective, after a determiner or a
/// possessive: "the state's prohibited technologies list" names a list,
/// it bans nothing.
fn attributive(text: &str, span: Span) -> bool {
    const DETERMINERS: [&str; 9] = [
        "the", "a", "an", "its", "their", "this", "that", "these", "those",
    ];
    let words = &text[span.start..span.end];
    if !words.ends_with("ed") || words.contains(' ') {
        return false;
    }
    let before = text[..span.start]
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .to_lowercase();
    DETERMINERS.contains(&before.as_str()) || before.ends_with("'s") || before.ends_with("’s")
}

/// A sentence whose subject is the act of an earlier one ("The act bans
/// TikTok", after "The ... Act, passed by Congress, was signed into law
/// on December 29, 2022"): a statement of the nearest earlier sentence
/// that names an actor, unless that one is a statement already.
fn carried(
    index: usize,
    sentences: &[Sentence],
    vocab: &Vocab,
    products: &ProductNames,
    earlier: &[Statement],
) -> Option<Statement> {
    let text = &sentences[index].text;
    if !refers_back(text) {
        return None;
    }
    let (action, found) = action_and_products(text, vocab, products)?;
    let (actor, authority, jurisdiction) = (0..index).rev().find_map(|j| {
        let t = &sentences[j].text;
        let end = Span {
            start: t.len(),
            end: t.len(),
        };
        let authority = authority(t, &vocab.authorities);
        let jurisdiction = jurisdiction(t, vocab, end, authority.as_ref(), &products.find(t));
        (authority.is_some() || jurisdiction.is_some()).then_some((j, authority, jurisdiction))
    })?;
    if earlier
        .iter()
        .any(|s| s.sentence == actor || s.acts_in == actor)
    {
        return None;
    }
    Some(Statement {
        sentence: actor,
        acts_in: index,
        unknown_products: unknown_products(text, &found, vocab),
        action,
        products: found,
        authority,
        jurisdiction,
    })
}

/// Whether a sentence opens on an act named before: "The act", "This
/// order", "The directive".
fn refers_back(text: &str) -> bool {
    const ACTS: [&str; 13] = [
        "act",
        "law",
        "statute",
        "legislation",
        "order",
        "directive",
        "direction",
        "decree",
        "ruling",
        "resolution",
        "regulation",
        "measure",
        "decision",
    ];
    let mut words = text.split_whitespace().map(str::to_lowercase);
    matches!(words.next().as_deref(), Some("the" | "this"))
        && words.next().is_some_and(|w| ACTS.contains(&w.as_str()))
}

/// The names listed with the products a sentence names ("DeepSeek,
/// RedNote, Webull, Tiger Brokers and Moomoo") that the library does not
/// know, each with an id made from its name. A place or an authority in
/// the list is not a product.
fn unknown_products(text: &str, known: &[Hit<String>], vocab: &Vocab) -> Vec<Hit<String>> {
    const SEPARATORS: [&str; 5] = [", and ", ", or ", ", ", " and ", " or "];
    let Some(first) = known.first() else {
        return Vec::new();
    };
    let places = mentions(text, vocab);
    let mut out: Vec<Hit<String>> = Vec::new();
    let mut at = first.span.start;
    loop {
        let end = capitalised_run(text, at);
        if end == at {
            break;
        }
        let span = Span { start: at, end };
        let words = &text[at..end];
        let other = known.iter().any(|k| k.span.overlaps(span))
            || places.iter().any(|p| p.span.overlaps(span))
            || vocab
                .authorities
                .iter()
                .any(|a| !find_all(words, &a.pattern).is_empty());
        let id = slug(words);
        if !other && !id.is_empty() && !out.iter().any(|h| h.value == id) {
            out.push(Hit {
                value: id,
                span,
                words: words.to_string(),
            });
        }
        let rest = &text[end..];
        match SEPARATORS.iter().find(|s| rest.starts_with(**s)) {
            Some(s) => at = end + s.len(),
            None => break,
        }
    }
    out
}

/// The end of the run of capitalised words starting at `from` (at most
/// four: a name, not a headline).
fn capitalised_run(text: &str, from: usize) -> usize {
    let mut end = from;
    let mut at = from;
    for _ in 0..4 {
        let rest = &text[at..];
        let len = rest
            .find(|c: char| c.is_whitespace() || ",;:.()\"”".contains(c))
            .unwrap_or(rest.len());
        let word = &rest[..len];
        if len == 0 || !word.chars().next().is_some_and(char::is_uppercase) {
            break;
        }
        end = at + len;
        if !text[end..].starts_with(' ') {
            break;
        }
        at = end + 1;
    }
    end
}

/// A product id from a name: `Tiger Brokers` gives `tiger-brokers`.
fn slug(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_string()
}

/// The earliest hit, the longest of those starting there.
fn first_longest<T: Clone>(hits: impl Iterator<Item = (Span, T)>, text: &str) -> Option<Hit<T>> {
    hits.min_by_key(|(s, _)| (s.start, std::cmp::Reverse(s.end)))
        .map(|(span, value)| Hit {
            value,
            span,
            words: text[span.start..span.end].to_string(),
        })
}

/// The first authority named, with a name that follows (`Governor Kim
/// Reynolds`) and an abbreviation in brackets (`(MODA)`).
pub fn authority(text: &str, authorities: &[Authority]) -> Option<Hit<AuthorityFound>> {
    named_authority(text, authorities, None)
}

/// The first authority named that can be the actor of `action`: named
/// before the verb, or after `by` ("was signed by Governor Kelly"). A
/// catch-all entry counts only when no other authority is named.
fn named_authority(
    text: &str,
    authorities: &[Authority],
    action: Option<Span>,
) -> Option<Hit<AuthorityFound>> {
    let acting = |s: Span| {
        action.is_none_or(|a| {
            s.start < a.start
                || text[..s.start]
                    .split_whitespace()
                    .next_back()
                    .is_some_and(|w| w.eq_ignore_ascii_case("by"))
        })
    };
    let first = |fallback: bool| {
        first_longest(
            authorities
                .iter()
                .filter(|a| a.fallback == fallback)
                .flat_map(|a| {
                    find_all(text, &a.pattern)
                        .into_iter()
                        .filter(|s| acting(*s))
                        .map(move |s| (s, a))
                }),
            text,
        )
    };
    let hit = first(false).or_else(|| first(true))?;
    let entry = hit.value;
    let mut end = hit.span.end;
    if entry.name_follows {
        end = name_after(text, end);
    }
    let mut slug = entry.slug.clone();
    if let Some((abbreviation, after)) = bracketed_abbreviation(&text[end..]) {
        slug = abbreviation.to_ascii_lowercase();
        end += after;
    }
    let span = Span {
        start: hit.span.start,
        end,
    };
    Some(Hit {
        value: AuthorityFound {
            slug,
            jurisdiction: entry.jurisdiction.clone(),
        },
        span,
        words: text[span.start..span.end].to_string(),
    })
}

/// The end of the capitalised words (and `of`, `and`, `for`, `the`
/// between them) starting at `from`.
fn name_after(text: &str, from: usize) -> usize {
    let mut end = from;
    let mut offset = from;
    for word in text[from..].split(' ') {
        let word_start = offset;
        offset += word.len() + 1;
        if word.is_empty() {
            continue;
        }
        let bare = word.trim_end_matches([',', '.', ';', ':']);
        let capital = bare.chars().next().is_some_and(char::is_uppercase);
        let joiner = matches!(bare, "of" | "and" | "for" | "the" | "on");
        // "Governor Abbott on January 31": a date is not part of a name.
        if !(capital || joiner) || is_calendar_word(bare) {
            break;
        }
        if capital {
            end = word_start + bare.len();
        }
        if bare.len() != word.len() {
            break;
        }
    }
    end
}

/// A month or a day of the week, which follows a name but is never in it.
fn is_calendar_word(word: &str) -> bool {
    const WORDS: [&str; 19] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    WORDS.contains(&word)
}

/// ` (MODA)` at the start of `rest`: the abbreviation, and the bytes it
/// takes with its brackets.
fn bracketed_abbreviation(rest: &str) -> Option<(String, usize)> {
    let inner_start = rest.find('(')?;
    if !rest[..inner_start].trim().is_empty() {
        return None;
    }
    let close = rest[inner_start..].find(')')? + inner_start;
    let inner = &rest[inner_start + 1..close];
    let ok = (2..=10).contains(&inner.len())
        && inner.chars().all(|c| c.is_ascii_alphabetic())
        && inner.chars().filter(char::is_ascii_uppercase).count() >= 2;
    ok.then(|| (inner.to_string(), close + 1))
}

/// Where the ban is: the authority's own jurisdiction, else a place named
/// before the verb, nearest before the authority. A demonym describing a
/// product ("the Chinese AI model", "Chinese app DeepSeek") is not one.
fn jurisdiction(
    text: &str,
    vocab: &Vocab,
    action: Span,
    authority: Option<&Hit<AuthorityFound>>,
    products: &[Hit<String>],
) -> Option<Hit<String>> {
    let mut mentions = mentions(text, vocab);
    mentions.retain(|m| m.span.end <= action.start && !describes_product(text, m.span, products));
    if let Some(a) = authority {
        // A place just before the authority is its own ("Peru's
        // Congress"), whatever the authority's entry says.
        let own = mentions.iter().rev().find(|m| {
            m.span.end <= a.span.start
                && matches!(text[m.span.end..a.span.start].trim(), "" | "'s" | "’s")
        });
        if let Some(m) = own {
            return Some(m.clone());
        }
        if let Some(code) = &a.value.jurisdiction {
            // Named with its country ("Taiwan's MODA"): cite those words.
            let near = mentions
                .iter()
                .rev()
                .find(|m| &m.value == code && m.span.end <= a.span.start);
            return Some(near.cloned().unwrap_or_else(|| Hit {
                value: code.clone(),
                span: a.span,
                words: a.words.clone(),
            }));
        }
        if let Some(m) = mentions.iter().rev().find(|m| m.span.end <= a.span.start) {
            return Some(m.clone());
        }
    }
    mentions.into_iter().next()
}

/// Every place named in `text`, longest names first where they overlap.
pub fn mentions(text: &str, vocab: &Vocab) -> Vec<Hit<String>> {
    let mut all: Vec<(Span, &str)> = vocab
        .jurisdictions
        .iter()
        .flat_map(|j| {
            j.terms.iter().flat_map(move |t| {
                find_all(text, t)
                    .into_iter()
                    .map(move |s| (s, j.code.as_str()))
            })
        })
        .collect();
    all.sort_by_key(|(s, _)| (std::cmp::Reverse(s.end - s.start), s.start));
    let mut kept: Vec<Hit<String>> = Vec::new();
    for (span, code) in all {
        if !kept.iter().any(|k| k.span.overlaps(span)) {
            kept.push(Hit {
                value: code.to_string(),
                span,
                words: text[span.start..span.end].to_string(),
            });
        }
    }
    kept.sort_by_key(|h| h.span);
    kept
}

/// Whether a place name at `span` only qualifies what follows it.
fn describes_product(text: &str, span: Span, products: &[Hit<String>]) -> bool {
    let after = &text[span.end..];
    let next: Vec<&str> = after.split_whitespace().take(3).collect();
    let descriptive = [
        "ai",
        "app",
        "apps",
        "chatbot",
        "model",
        "company",
        "firm",
        "artificial",
        "tech",
        "technology",
        "startup",
        "social",
        "software",
        "-made",
    ];
    next.first()
        .is_some_and(|w| descriptive.contains(&w.to_lowercase().trim_matches(',')))
        || products.iter().any(|p| {
            p.span.start >= span.end && text[span.end..p.span.start].split_whitespace().count() <= 2
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> Library {
        let text = "product: deepseek\nname: DeepSeek\nidentifiers: { endpoints: [deepseek.com] }\n---\nproduct: xiaohongshu\nname: Xiaohongshu\naliases: [RedNote]\nidentifiers: { endpoints: [xiaohongshu.com] }\n";
        crate::policy::read::library_from(text)
    }

    fn one(text: &str) -> Option<Statement> {
        let s = [Sentence {
            line: 1,
            text: text.into(),
        }];
        find(&s, &Vocab::builtin(), &ProductNames::of(&library()))
            .into_iter()
            .next()
    }

    /// Actor, verb and product make a statement; a reported action too.
    #[test]
    fn statements() {
        let s = one("On January 30, Italy’s data protection authority announced it had blocked DeepSeek, citing a lack of transparency.").unwrap();
        assert_eq!(s.jurisdiction.unwrap().value, "IT");
        assert_eq!(s.authority.unwrap().words, "data protection authority");
        assert_eq!(s.action.value, Severity::Ban);
        let s =
            one("Texas Gov. Greg Abbott banned DeepSeek and RedNote on state devices.").unwrap();
        assert_eq!(s.jurisdiction.unwrap().value, "US-TX");
        assert_eq!(s.authority.unwrap().words, "Gov. Greg Abbott");
        let ids: Vec<&str> = s.products.iter().map(|p| p.value.as_str()).collect();
        assert_eq!(ids, ["deepseek", "xiaohongshu"]);
    }

    /// Concern, a proposal, or a ban verb with no product: no statement.
    #[test]
    fn not_statements() {
        assert!(one("Officials in the U.S. and Australia have also raised privacy concerns over DeepSeek.").is_none());
        assert!(one("Lawmakers in Ohio proposed a bill to ban DeepSeek.").is_none());
        assert!(one("The rule prohibits government agencies from using risky products.").is_none());
        assert!(one("MODA warned that data leaks from DeepSeek could pose a risk.").is_none());
    }

    /// Listed names the library lacks get ids; a name ends before a date;
    /// the maker after "by" is not banned; "the prohibited list" bans
    /// nothing.
    #[test]
    fn listed_unknowns_dates_makers_and_adjectives() {
        let s = one("Texas Governor Abbott on January 31 banned DeepSeek, RedNote, Tiger Brokers and Moomoo on state devices.").unwrap();
        assert_eq!(s.authority.unwrap().words, "Governor Abbott");
        let unknown: Vec<&str> = s
            .unknown_products
            .iter()
            .map(|p| p.value.as_str())
            .collect();
        assert_eq!(unknown, ["tiger-brokers", "moomoo"]);
        let s = one("Congress banned DeepSeek, developed by Xiaohongshu.").unwrap();
        let ids: Vec<&str> = s.products.iter().map(|p| p.value.as_str()).collect();
        assert_eq!(ids, ["deepseek"]);
        assert!(
            one("The state's prohibited technologies list under the Texas law covers DeepSeek.")
                .is_none()
        );
    }

    /// "The act bans X" takes its actor and date from the sentence before.
    #[test]
    fn an_act_referred_back_to() {
        let s = [
            Sentence {
                line: 2,
                text: "The Act, passed by Congress, was signed into law on December 29, 2022."
                    .into(),
            },
            Sentence {
                line: 3,
                text: "The act bans DeepSeek from executive agencies.".into(),
            },
        ];
        let found = find(&s, &Vocab::builtin(), &ProductNames::of(&library()));
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].sentence, found[0].acts_in), (0, 1));
        assert_eq!(found[0].jurisdiction.as_ref().unwrap().value, "US");
    }

    #[test]
    fn abbreviation_in_brackets() {
        assert_eq!(
            bracketed_abbreviation(" (MODA) announced"),
            Some(("MODA".into(), 7))
        );
        assert_eq!(
            bracketed_abbreviation(" (AI) model").map(|a| a.0),
            Some("AI".into())
        );
        assert_eq!(bracketed_abbreviation(" said (MODA)"), None);
    }
}
