//! `banscan policy draft`: a news brief read into cited policy drafts.
//!
//! A rule-based reader, no network and no model: `article` cuts the brief
//! into articles, `sentence` into sentences with their lines, `statement`
//! finds the ban statements, `fields` reads each value from the words of
//! the brief, `link` finds what the library already has, `render` writes
//! YAML (evidence as comments) or JSON. The words it knows are data, in
//! `vocab/draft/` ([`vocab`]). The same brief gives the same bytes.

pub mod article;
pub mod fields;
pub mod link;
pub mod render;
pub mod sentence;
pub mod statement;
pub mod vocab;
mod words;

use crate::diag::{Code, Problem};
use crate::policy::{Library, validate};
use fields::{DateFound, Evidence};
use sentence::Sentence;
use statement::{ProductNames, Statement};
use vocab::Vocab;

/// A drafted value: read from the brief, made from other values, or left
/// for the author.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    Read {
        value: String,
        evidence: Evidence,
    },
    /// Made from other fields (the id) or from the library (an example);
    /// says from what.
    Made {
        value: String,
        from: String,
    },
    /// What the author must fill in: the text of the placeholder.
    Missing(String),
}

impl Field {
    fn read(value: impl Into<String>, evidence: &Evidence) -> Field {
        Field::Read {
            value: value.into(),
            evidence: evidence.clone(),
        }
    }

    pub fn value(&self) -> Option<&str> {
        match self {
            Field::Read { value, .. } | Field::Made { value, .. } => Some(value),
            Field::Missing(_) => None,
        }
    }
}

/// A product the brief bans that the library does not know: a skeleton
/// for the author to fill in with the identifiers a scan finds it by.
#[derive(Clone, Debug)]
pub struct NewProduct {
    pub id: String,
    /// Its name as the brief writes it.
    pub name: Field,
}

#[derive(Clone, Debug)]
pub struct DraftSource {
    pub title: Field,
    pub publisher: Field,
    pub url: Field,
}

/// One drafted policy.
#[derive(Clone, Debug)]
pub struct Draft {
    /// The ban statement it was drafted from.
    pub statement: Evidence,
    pub id: Field,
    pub title: Field,
    pub authority: Field,
    pub jurisdiction: Field,
    pub issued: Field,
    pub effective: Field,
    pub legal_basis: Field,
    pub instrument: Option<Field>,
    pub sources: Vec<DraftSource>,
    /// Never empty: one `Missing` when the brief names no one bound.
    pub sectors: Vec<Field>,
    pub severity: Field,
    pub rationale: Option<Field>,
    pub bans: Vec<Field>,
    /// The products of `bans` the library does not know yet.
    pub new_products: Vec<NewProduct>,
    pub violating: Field,
    pub compliant: Field,
    /// Library policies that are this ban.
    pub known_as: Vec<String>,
    /// Where the draft and the first of `known_as` differ.
    pub differences: Vec<crate::policy::diff::FieldChange>,
}

#[derive(Clone, Debug)]
pub struct ArticleDrafts {
    pub title: Option<String>,
    pub lines: (usize, usize),
    pub drafts: Vec<Draft>,
}

#[derive(Clone, Debug, Default)]
pub struct Drafted {
    pub articles: Vec<ArticleDrafts>,
    /// What the author should know: no year, a vague date, no title.
    pub warnings: Vec<Problem>,
}

/// What to draft with.
pub struct Context<'a> {
    pub name: &'a str,
    pub library: &'a Library,
    pub vocab: &'a Vocab,
    pub year: Option<i16>,
}

/// Drafts every ban statement of `text`, a brief already checked to be
/// English text (see [`check_text`]).
pub fn draft(text: &str, cx: &Context<'_>) -> Drafted {
    let products = ProductNames::of(cx.library);
    let mut out = Drafted::default();
    let articles = article::split(text);
    if articles.first().is_some_and(|a| a.title.is_none()) {
        out.warnings.push(
            Problem::error(
                Code::BriefNoTitle,
                format!(
                    "{}: no title line; the brief is read as one untitled article",
                    cx.name
                ),
            )
            .with_severity(miette::Severity::Warning)
            .with_help("a brief is a title line, its paragraphs, and a `Reference:` block"),
        );
    }
    let mut ids: Vec<String> = Vec::new();
    for a in &articles {
        let sentences = sentence::split(&a.body);
        let mut statements = statement::find(&sentences, cx.vocab, &products);
        merge_repeats(&mut statements);
        let mut drafts = Vec::new();
        for (k, st) in statements.iter().enumerate() {
            // The sentences about a statement: its own and those after it
            // up to the next statement.
            let until = statements
                .get(k + 1)
                .map_or(sentences.len(), |n| n.sentence);
            let about: Vec<&Sentence> = sentences[st.sentence..until].iter().collect();
            let mut d = draft_one(st, &about, a, cx, &mut out.warnings);
            d.id = unique_id(d.id, cx.library, &mut ids);
            link::link(&mut d, cx.library);
            drafts.push(d);
        }
        out.articles.push(ArticleDrafts {
            title: a.title.as_ref().map(|t| t.text.clone()),
            lines: (a.first, a.last),
            drafts,
        });
    }
    out
}

/// One statement per actor and product set in an article: "MODA also
/// extended the ban to ..." adds to the first, it is not a second ban.
fn merge_repeats(statements: &mut Vec<Statement>) {
    let key = |s: &Statement| {
        (
            s.jurisdiction.as_ref().map(|j| j.value.clone()),
            s.products
                .iter()
                .map(|p| p.value.clone())
                .collect::<Vec<_>>(),
        )
    };
    let mut seen = Vec::new();
    statements.retain(|s| {
        let k = key(s);
        let new = !seen.contains(&k);
        seen.push(k);
        new
    });
}

fn draft_one(
    st: &Statement,
    about: &[&Sentence],
    a: &article::Article,
    cx: &Context<'_>,
    warnings: &mut Vec<Problem>,
) -> Draft {
    let own = about[0];
    let at = |hit_words: &str| Evidence {
        line: own.line,
        text: hit_words.to_string(),
    };
    // The verb and the products may be in a later sentence that refers
    // back to the act ("The act bans TikTok").
    let acts = about[st.acts_in - st.sentence];
    let acts_at = |hit_words: &str| Evidence {
        line: acts.line,
        text: hit_words.to_string(),
    };
    let jurisdiction = st
        .jurisdiction
        .as_ref()
        .map(|j| (j.value.clone(), at(&j.words)));
    let code = jurisdiction.as_ref().map(|(c, _)| c.as_str());

    let date = fields::first_date(own);
    let issued = date_field(date.as_ref(), "issued", cx, warnings);
    let effective = match fields::effective(about) {
        Some(e) if e.resolve(cx.year) != date.as_ref().and_then(|d| d.resolve(cx.year)) => {
            date_field(Some(&e), "effective", cx, warnings)
        }
        _ => match &issued {
            Field::Read { value, evidence } => Field::Read {
                value: value.clone(),
                evidence: evidence.clone(),
            },
            _ => Field::Missing("the first day it applies, YYYY-MM-DD".into()),
        },
    };

    let sectors: Vec<Field> = fields::sectors(about, cx.vocab, code)
        .into_iter()
        .map(|(id, e)| Field::read(id, &e))
        .collect();
    let instrument = fields::instrument(about);
    let legal_basis = match (fields::legal_basis(about), &instrument) {
        (Some(b), _) => Field::read(b.text.clone(), &b),
        (None, Some(i)) => Field::read(i.text.clone(), i),
        (None, None) => Field::Missing("the law, order or decision the ban rests on".into()),
    };
    let mut named: Vec<&statement::Hit<String>> =
        st.products.iter().chain(&st.unknown_products).collect();
    named.sort_by_key(|p| p.span);
    let bans: Vec<Field> = named
        .iter()
        .map(|p| Field::read(p.value.clone(), &acts_at(&p.words)))
        .collect();
    let new_products = st
        .unknown_products
        .iter()
        .map(|p| NewProduct {
            id: p.value.clone(),
            name: Field::read(p.words.clone(), &acts_at(&p.words)),
        })
        .collect();
    let sources = if a.references.is_empty() {
        vec![DraftSource {
            title: Field::Missing("the title of the report the brief draws on".into()),
            publisher: Field::Missing("who published it; the brief names no reference".into()),
            url: Field::Missing("its address, starting with https://".into()),
        }]
    } else {
        a.references
            .iter()
            .map(|r| {
                let p = fields::publisher(r);
                DraftSource {
                    title: Field::Missing(format!("the title of the {} report", p.text)),
                    publisher: Field::read(p.text.clone(), &p),
                    url: Field::Missing(format!(
                        "the address of the {} report, starting with https://",
                        p.text
                    )),
                }
            })
            .collect()
    };
    let authority = match &st.authority {
        Some(h) => Field::read(h.words.clone(), &at(&h.words)),
        None => Field::Missing("the authority that issued the ban".into()),
    };
    let id = match (code, issued_year(&issued), st.products.first()) {
        (Some(c), Some(y), Some(p)) => {
            let slug = st
                .authority
                .as_ref()
                .map_or("gov", |h| h.value.slug.as_str());
            Field::Made {
                value: format!("{}-{slug}-{y}-{}", c.to_ascii_lowercase(), p.value),
                from: "jurisdiction, authority, year issued and product".into(),
            }
        }
        _ => Field::Missing("an id such as xx-authority-YYYY-product".into()),
    };
    Draft {
        statement: Evidence {
            line: own.line,
            text: own.text.clone(),
        },
        id,
        title: title(a, st, code, cx),
        authority,
        jurisdiction: match jurisdiction {
            Some((c, e)) => Field::read(c, &e),
            None => Field::Missing("ISO 3166 code of the jurisdiction, such as TW or US-TX".into()),
        },
        issued,
        effective,
        legal_basis,
        instrument: instrument.map(|i| Field::read(i.text.clone(), &i)),
        sources,
        sectors: if sectors.is_empty() {
            vec![Field::Missing(
                "the sectors bound, such as central-government; the brief names none".into(),
            )]
        } else {
            sectors
        },
        severity: Field::read(st.action.value.as_str(), &acts_at(&st.action.words)),
        rationale: fields::rationale(about).map(|r| Field::read(r.text.clone(), &r)),
        violating: example(cx.library, st),
        compliant: Field::Missing(format!(
            "a look-alike host of {} it must not flag",
            st.products
                .first()
                .map_or("the product", |p| p.value.as_str())
        )),
        bans,
        new_products,
        known_as: Vec::new(),
        differences: Vec::new(),
    }
}

/// `2025` of a read `2025-01-31`.
fn issued_year(issued: &Field) -> Option<&str> {
    issued.value().and_then(|v| v.get(..4))
}

fn date_field(
    date: Option<&DateFound>,
    what: &str,
    cx: &Context<'_>,
    warnings: &mut Vec<Problem>,
) -> Field {
    let Some(date) = date else {
        return Field::Missing(format!(
            "the day it was {what}, YYYY-MM-DD; the brief gives none"
        ));
    };
    let words = date.evidence();
    if let Some(d) = date.resolve(cx.year) {
        return Field::read(d.to_string(), words);
    }
    let (code, message, help) = match date {
        DateFound::Vague(_) => (
            Code::BriefVagueDate,
            format!(
                "{}:{}: \"{}\" gives no day; the {what} date is left to fill in",
                cx.name, words.line, words.text
            ),
            "find the day in the authority's own announcement",
        ),
        DateFound::Day { .. } => (
            Code::BriefNoYear,
            format!(
                "{}:{}: \"{}\" has no year, and no --year was given; the {what} date is left to fill in",
                cx.name, words.line, words.text
            ),
            "pass --year YYYY with the year the brief was written",
        ),
    };
    warnings.push(
        Problem::error(code, message)
            .with_severity(miette::Severity::Warning)
            .with_help(help),
    );
    Field::Missing(format!("the day of \"{}\", YYYY-MM-DD", words.text))
}

/// The article's headline, when it is about this ban: it names the
/// product and the jurisdiction.
fn title(a: &article::Article, st: &Statement, code: Option<&str>, cx: &Context<'_>) -> Field {
    if let (Some(t), Some(code)) = (&a.title, code) {
        let products = ProductNames::of(cx.library).find(&t.text);
        let names_product = products
            .iter()
            .any(|p| st.products.iter().any(|q| q.value == p.value));
        let names_place = statement::mentions(&t.text, cx.vocab)
            .iter()
            .any(|m| m.value == code);
        if names_product && names_place {
            return Field::read(
                t.text.clone(),
                &Evidence {
                    line: t.number,
                    text: t.text.clone(),
                },
            );
        }
    }
    Field::Missing("a one-line title, such as Public-sector ban on DeepSeek".into())
}

/// A host of the first product banned, from the library: the example a
/// policy test checks the ban by.
fn example(library: &Library, st: &Statement) -> Field {
    let host = st.products.iter().find_map(|p| {
        let product = library.product(&p.value)?;
        product
            .identifiers
            .endpoints
            .iter()
            .find_map(|e| match &e.host {
                crate::policy::HostRule::Domain {
                    subdomains_only: false,
                    ..
                } => Some((p.value.clone(), e.text.clone())),
                _ => None,
            })
    });
    match host {
        Some((product, host)) => Field::Made {
            value: host,
            from: format!("an endpoint of product {product} in the library"),
        },
        None => Field::Missing("an item of the product that this policy must flag".into()),
    }
}

/// The id, made unique against the library and earlier drafts: a draft
/// of a ban the library has is a draft beside it, not a replacement.
fn unique_id(id: Field, library: &Library, ids: &mut Vec<String>) -> Field {
    let Field::Made { value, from } = id else {
        return id;
    };
    let taken = |v: &str| library.policy(v).is_some() || ids.iter().any(|i| i == v);
    let mut candidate = value.clone();
    if taken(&candidate) {
        candidate = format!("{value}-draft");
    }
    let mut n = 2;
    while taken(&candidate) {
        candidate = format!("{value}-draft-{n}");
        n += 1;
    }
    debug_assert!(validate::is_id(&candidate));
    ids.push(candidate.clone());
    Field::Made {
        value: candidate,
        from,
    }
}

/// Why a brief cannot be read at all: empty, binary, or not English.
pub fn check_text(name: &str, bytes: &[u8]) -> Result<String, Problem> {
    let unreadable = |m: String, help: &str| {
        Problem::error(Code::BriefUnreadable, m).with_help(help.to_string())
    };
    if bytes.contains(&0) {
        return Err(unreadable(
            format!("{name} is a binary file (it holds NUL bytes), not a brief"),
            "give a plain-text news brief: a title line, paragraphs, a `Reference:` block",
        ));
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(unreadable(
            format!("{name} is not UTF-8 text"),
            "save the brief as UTF-8 text",
        ));
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(unreadable(
            format!("{name} is empty: there is no brief to draft from"),
            "give a plain-text news brief: a title line, paragraphs, a `Reference:` block",
        ));
    }
    if !is_english(text) {
        return Err(Problem::error(
            Code::BriefNotEnglish,
            format!("{name} does not read as English; only English briefs are read yet, so nothing was drafted"),
        )
        .with_help("translate the brief, or write the policy with `banscan policy new`"));
    }
    Ok(text.to_string())
}

/// English, by its commonest words: at least one word in twelve is one of
/// them, and most letters are Latin.
fn is_english(text: &str) -> bool {
    const COMMON: [&str; 20] = [
        "the", "of", "and", "to", "in", "on", "a", "is", "that", "for", "with", "by", "from",
        "has", "was", "its", "it", "as", "an", "said",
    ];
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let latin = text.chars().filter(char::is_ascii_alphabetic).count();
    if latin * 10 < letters * 7 {
        return false;
    }
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let common = words
        .iter()
        .filter(|w| COMMON.contains(&w.as_str()))
        .count();
    !words.is_empty() && common * 12 >= words.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// English passes; Italian, Chinese and German do not.
    #[test]
    fn english_only() {
        assert!(is_english(
            "Taiwan bans the use of DeepSeek in the public sector."
        ));
        assert!(!is_english(
            "Il Garante per la protezione dei dati personali ha bloccato DeepSeek con effetto immediato."
        ));
        assert!(!is_english("數位發展部宣布公務機關禁用DeepSeek。"));
        assert!(!is_english(
            "Die Behörde hat die App gesperrt, weil sie Daten nach China überträgt."
        ));
    }
}
