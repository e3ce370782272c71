//! A brief cut into articles: a title line, the paragraphs under it, and
//! an optional `Reference:`/`References:` block listing where it came
//! from. Line numbers are kept so every drafted value can cite its line.

/// One line of the brief, 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub number: usize,
    pub text: String,
}

#[derive(Clone, Debug, Default)]
pub struct Article {
    /// `None` when the brief begins with prose: one untitled article.
    pub title: Option<Line>,
    pub body: Vec<Line>,
    /// The entries of the reference block, without their `[1]` markers.
    pub references: Vec<Line>,
    pub first: usize,
    pub last: usize,
}

/// Splits `text` into articles. A title is a short line without closing
/// punctuation whose words are mostly capitalised; a reference block ends
/// its article, and the next line that looks like a title starts one.
pub fn split(text: &str) -> Vec<Article> {
    let mut articles: Vec<Article> = Vec::new();
    let mut in_references = false;
    for (i, raw) in text.lines().enumerate() {
        let line = Line {
            number: i + 1,
            text: raw.trim().to_string(),
        };
        if line.text.is_empty() {
            continue;
        }
        let lower = line.text.to_lowercase();
        if lower == "reference:" || lower == "references:" || lower == "sources:" {
            in_references = true;
            if let Some(a) = articles.last_mut() {
                a.last = line.number;
            }
            continue;
        }
        if in_references && is_reference_entry(&line.text) {
            if let Some(a) = articles.last_mut() {
                a.references.push(Line {
                    number: line.number,
                    text: strip_marker(&line.text).to_string(),
                });
                a.last = line.number;
            }
            continue;
        }
        let starts_article = articles.is_empty() || in_references || is_title(&line.text);
        in_references = false;
        if starts_article {
            let titled = is_title(&line.text);
            articles.push(Article {
                title: titled.then(|| line.clone()),
                body: if titled {
                    Vec::new()
                } else {
                    vec![line.clone()]
                },
                references: Vec::new(),
                first: line.number,
                last: line.number,
            });
        } else if let Some(a) = articles.last_mut() {
            a.body.push(line.clone());
            a.last = line.number;
        }
    }
    articles
}

/// `[1] Focus Taiwan`, `1. Focus Taiwan`, `- Focus Taiwan`.
fn is_reference_entry(text: &str) -> bool {
    text.starts_with('[') || text.starts_with("- ") || text.starts_with("* ") || {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        digits > 0 && matches!(text.as_bytes().get(digits), Some(b'.' | b')'))
    }
}

fn strip_marker(text: &str) -> &str {
    let rest = if let Some(rest) = text.strip_prefix('[') {
        rest.split_once(']').map_or(rest, |(_, r)| r)
    } else if let Some(rest) = text.strip_prefix("- ").or(text.strip_prefix("* ")) {
        rest
    } else {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        &text[(digits + 1).min(text.len())..]
    };
    rest.trim()
}

/// A headline: at most 25 words, no sentence-ending full stop, and at
/// least half of its longer words capitalised.
pub fn is_title(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > 25 || text.ends_with(['.', ',', ';', ':']) {
        return false;
    }
    let long: Vec<&&str> = words.iter().filter(|w| w.chars().count() >= 4).collect();
    if long.is_empty() {
        return false;
    }
    let capitalised = long
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    capitalised * 2 >= long.len() && words.len() >= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Titles, paragraphs and reference blocks make articles with their
    /// line ranges; blank lines do not count.
    #[test]
    fn articles_and_references() {
        let text = "Taiwan Bans Public Sector Use of DeepSeek\nMODA said so.\nIt applies to all.\nReference:\n[1] Focus Taiwan\n\nJapan Worries About Okinawa Again\nA report said so.\nReferences:\n[1] The Telegraph\n[2] Taipei Times\n";
        let a = split(text);
        assert_eq!(a.len(), 2);
        assert_eq!((a[0].first, a[0].last), (1, 5));
        assert_eq!(a[0].references[0].text, "Focus Taiwan");
        assert_eq!(a[0].body.len(), 2);
        assert_eq!((a[1].first, a[1].last), (7, 11));
        assert_eq!(a[1].references.len(), 2);
    }

    /// A brief that starts with prose is one untitled article.
    #[test]
    fn untitled() {
        let a = split("The ministry banned the app on May 2. It applies to staff.\n");
        assert_eq!(a.len(), 1);
        assert!(a[0].title.is_none());
        assert!(!is_title("The ministry banned the app on May 2."));
    }
}
