//! Property tests: the domain matcher agrees with a plain reference on
//! random names, built from a few labels so that rule and name share
//! suffixes often (`deepseek.com` against `notdeepseek.com`,
//! `deepseek.com.example.net` and `api.DEEPSEEK.com.`), with random case,
//! an optional root dot, and a Unicode label whose A-label the rule may
//! name.

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
