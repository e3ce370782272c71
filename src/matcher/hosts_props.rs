//! Property tests: the domain matcher agrees with a plain reference on
//! random names, built from a few labels so that rule and name share
//! suffixes often (`deepseek.com` against `notdeepseek.com`,
//! `deepseek.com.example.net` and `api.DEEPSEEK.com.`), with random case,
//! an optional root dot, and a Unicode label whose A-label the rule may
//! name.
//!
//! The second property does without `idna` in its reference: each label
//! is drawn as a known name written in one of its forms (A-label, Unicode,
//! either in upper or lower case, full-width letters, the ideographic full
//! stop between labels), or as a short random ASCII label, and the
//! reference compares which names were drawn. The host is written bare,
//! with a port or inside a URL, as logs write it.

use proptest::prelude::*;

use crate::ident::parse_endpoint;
use crate::input::{Endpoint, ItemKind};
use crate::matcher::Matcher;
use crate::policy::compile::BanSet;

const LABELS: [&str; 8] = [
    "deepseek",
    "notdeepseek",
    "com",
    "api",
    "example",
    "x-y",
    "bücher",
    "xn--bcher-kva",
];

fn name(labels: &[usize]) -> String {
    labels
        .iter()
        .map(|&i| LABELS[i])
        .collect::<Vec<_>>()
        .join(".")
}

/// The reference: A-labels in lower case without the root dot, and a rule
/// matches the name itself (unless it wants subdomains only) or any name
/// ending in `.` and the rule.
fn reference(rule: &str, subdomains_only: bool, host: &str) -> bool {
    let norm = |s: &str| idna::domain_to_ascii(s.strip_suffix('.').unwrap_or(s)).unwrap();
    let (rule, host) = (norm(rule), norm(host));
    (host == rule && !subdomains_only) || host.ends_with(&format!(".{rule}"))
}

fn matcher(rule: &str, subdomains_only: bool) -> Matcher {
    let (pattern, violating) = if subdomains_only {
        (format!("\"*.{rule}\""), format!("api.{rule}"))
    } else {
        (format!("\"{rule}\""), rule.to_string())
    };
    let text = format!(
        "product: p\nname: P\nidentifiers:\n  endpoints: [{pattern}]\n---\n\
         policy: xx-p\ntitle: t\nauthority: a\njurisdiction: TW\nissued: 2025-01-01\n\
         effective: 2025-01-01\nlegal_basis: b\nsources: [{{title: s, publisher: p}}]\n\
         binds: {{sectors: [all]}}\nseverity: ban\nbans:\n  - product: p\n\
         examples: {{violating: [{{endpoint: \"{violating}\"}}], compliant: [{{endpoint: zz.invalid}}]}}\n"
    );
    let library = crate::policy::read::library_from(&text);
    Matcher::new(BanSet::compile(&library, &[0])).unwrap()
}

fn flips(text: &str, upper: &[bool]) -> String {
    text.chars()
        .zip(upper.iter().cycle())
        .map(|(c, &up)| if up { c.to_ascii_uppercase() } else { c })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn domain_matcher_agrees_with_the_reference(
        rule in prop::collection::vec(0..LABELS.len(), 1..3),
        host in prop::collection::vec(0..LABELS.len(), 1..5),
        subdomains_only in any::<bool>(),
        upper in prop::collection::vec(any::<bool>(), 1..8),
        root_dot in any::<bool>(),
    ) {
        let rule = name(&rule);
        let mut host = flips(&name(&host), &upper);
        if root_dot {
            host.push('.');
        }
        let m = matcher(&rule, subdomains_only);
        let item = ItemKind::Endpoint(Endpoint::of(parse_endpoint(&host).unwrap(), None));
        let mut out = Vec::new();
        m.matches(item.view(), &mut out);
        prop_assert_eq!(
            !out.is_empty(),
            reference(&rule, subdomains_only, &host),
            "rule {} (subdomains only: {}), host {}", rule, subdomains_only, host
        );
    }
}

/// A known label in its forms: the A-label, and the Unicode labels UTS #46
/// maps to it (in either case, and in full-width letters for ASCII).
const FORMS: [&[&str]; 6] = [
    &[
        "deepseek",
        "DeepSeek",
        "\u{ff44}\u{ff45}\u{ff45}\u{ff50}\u{ff53}\u{ff45}\u{ff45}\u{ff4b}",
    ],
    &["com", "COM", "\u{ff43}\u{ff4f}\u{ff4d}"],
    &[
        "xn--bcher-kva",
        "XN--BCHER-KVA",
        "bücher",
        "BÜCHER",
        "Bücher",
    ],
    &["xn--mnchen-3ya", "Xn--MnChEn-3yA", "münchen", "MÜNCHEN"],
    &["xn--r8jz45g", "例え"],
    &["xn--e1afmkfd", "пример", "ПРИМЕР", "Пример"],
];

/// One label: `Ok((name, form))` of [`FORMS`], or a random ASCII label
/// short enough to meet another often.
type Label = Result<(usize, usize), String>;

fn label() -> impl Strategy<Value = Label> {
    prop_oneof![
        3 => (0..FORMS.len(), any::<prop::sample::Index>())
            .prop_map(|(name, form)| Ok((name, form.index(FORMS[name].len())))),
        1 => "[a-cA-C][a-c0-9-]{0,2}[a-c]?"
            .prop_filter("a label does not end in `-`", |l| !l.ends_with('-'))
            .prop_map(Err),
    ]
}

fn written(label: &Label) -> String {
    match label {
        Ok((name, form)) => FORMS[*name][*form].to_string(),
        Err(ascii) => ascii.clone(),
    }
}

/// What the reference compares: the known name, or the ASCII label in
/// lower case.
fn identity(label: &Label) -> String {
    match label {
        Ok((name, _)) => FORMS[*name][0].to_string(),
        Err(ascii) => ascii.to_ascii_lowercase(),
    }
}

/// How a log writes the host.
#[derive(Clone, Copy, Debug)]
enum Written {
    Bare,
    Port,
    Url,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn domain_matcher_agrees_on_label_identity(
        rule in prop::collection::vec(label(), 1..3),
        host in prop::collection::vec(label(), 1..5),
        subdomains_only in any::<bool>(),
        ideographic_stops in prop::collection::vec(any::<bool>(), 4),
        root_dot in any::<bool>(),
        form in prop_oneof![Just(Written::Bare), Just(Written::Port), Just(Written::Url)],
    ) {
        // The rule as a policy writes it: labels in any of their forms
        // but the full-width ones, and plain dots.
        let rule_text = rule
            .iter()
            .map(|l| match l {
                Ok((name, form)) if FORMS[*name][*form].contains(|c| ('\u{ff01}'..='\u{ff5e}').contains(&c)) => {
                    FORMS[*name][0].to_string()
                }
                _ => written(l),
            })
            .collect::<Vec<_>>()
            .join(".");
        let mut host_text = String::new();
        for (i, l) in host.iter().enumerate() {
            if i > 0 {
                host_text.push(if ideographic_stops[i - 1] { '\u{3002}' } else { '.' });
            }
            host_text.push_str(&written(l));
        }
        if root_dot {
            host_text.push('.');
        }
        let endpoint = match form {
            Written::Bare => host_text.clone(),
            Written::Port => format!("{host_text}:8443"),
            Written::Url => format!("https://{host_text}/v1/chat?q=1"),
        };
        let rule_ids: Vec<String> = rule.iter().map(identity).collect();
        let host_ids: Vec<String> = host.iter().map(identity).collect();
        let expected = host_ids.ends_with(&rule_ids)
            && (host_ids.len() > rule_ids.len() || !subdomains_only);

        let parsed = parse_endpoint(&endpoint);
        prop_assert!(parsed.is_ok(), "{} refused: {:?}", endpoint, parsed);
        let m = matcher(&rule_text, subdomains_only);
        let item = ItemKind::Endpoint(Endpoint::of(parsed.unwrap(), None));
        let mut out = Vec::new();
        m.matches(item.view(), &mut out);
        prop_assert_eq!(
            !out.is_empty(),
            expected,
            "rule {} (subdomains only: {}), endpoint {}", rule_text, subdomains_only, endpoint
        );
    }
}
