//! Validation: checks of single values once read (ids, jurisdictions,
//! globs, platforms, sectors, dates in order, severities, digests, hosts,
//! purls, version ranges).
//!
//! Each check reports through the [`Reader`] at the value's own span and
//! says whether the value can be used, so reading goes on and every
//! problem in a file is collected. Checks that span documents (duplicate
//! ids, unknown products) need the whole library and are in `load`.

use std::fmt;

use jiff::civil::Date;

use crate::diag::Code;
use crate::ident::{self, Domain, DomainError, EndpointError, Host, PackageRef, Sha256};
use crate::yaml::{At, Node, Reader, Value};

use super::timeline::{Deadline, DeadlineAction, LegalState, StatusEvent};
use super::vocab::{self, Confidence, Severity};
use super::{FailOn, HostRule, VersionRange};

/// Ids are lower-case words joined by `-`, so they can be typed, used in
/// file names and compared without normalising.
pub fn id(r: &mut Reader<'_>, id: &At<String>) -> bool {
    let s = &id.value;
    let ok = is_id(s);
    if !ok {
        r.report(
            Code::BadId,
            id.span,
            format!("`{s}` is not a valid id"),
            "bad id",
            "use lower-case letters, digits and single hyphens, e.g. tw-moda-2025-deepseek",
        );
    }
    ok
}

/// The rule of [`id`] without a file to report in, for ids typed on the
/// command line (`policy new`).
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

pub fn jurisdiction(r: &mut Reader<'_>, value: &At<String>) {
    if let Err(e) = vocab::check_jurisdiction(&value.value) {
        r.report(
            Code::BadJurisdiction,
            value.span,
            e.to_string(),
            "bad jurisdiction",
            "use an ISO code such as TW or US-TX, or EU, GLOBAL",
        );
    }
}

/// Globs are compiled here, once, so that the matcher can treat a bad
/// pattern as a bug rather than as user input.
pub fn glob(r: &mut Reader<'_>, value: &At<String>) -> bool {
    match globset::GlobBuilder::new(&value.value)
        .case_insensitive(true)
        .build()
    {
        Ok(_) => true,
        Err(e) => {
            r.report(
                Code::BadGlob,
                value.span,
                format!("`{}` is not a valid pattern: {}", value.value, e.kind()),
                "bad pattern",
                "use `*` for any text and `?` for one character; escape `[`, `{` as `[[]`, `[{]`",
            );
            false
        }
    }
}

pub fn platform(r: &mut Reader<'_>, value: &At<String>) -> bool {
    let ok = vocab::PLATFORMS.contains(&value.value.as_str());
    if !ok {
        r.report(
            Code::BadPlatform,
            value.span,
            format!("unknown platform `{}`", value.value),
            "unknown platform",
            format!("use one of: {}", vocab::PLATFORMS.join(", ")),
        );
    }
    ok
}

/// Reports every sector not in the vocabulary; true when all are known.
pub fn sectors(r: &mut Reader<'_>, sectors: &[At<String>]) -> bool {
    let mut ok = true;
    for s in sectors {
        if !vocab::is_sector(&s.value) {
            ok = false;
            let names = vocab::SECTORS
                .iter()
                .map(|(n, _)| *n)
                .chain([vocab::ALL_SECTORS]);
            let help = match crate::diag::did_you_mean(&s.value, names) {
                Some(m) => format!("did you mean `{m}`?"),
                None => "see `Sectors` in the README for the vocabulary".into(),
            };
            r.report(
                Code::BadSector,
                s.span,
                format!("unknown sector `{}`", s.value),
                "unknown sector",
                help,
            );
        }
    }
    ok
}

/// A policy is issued, then takes effect, then (maybe) expires; each date
/// out of that order is reported at the later key.
pub fn date_order(
    r: &mut Reader<'_>,
    issued: Option<&At<Date>>,
    effective: Option<&At<Date>>,
    expires: Option<&At<Date>>,
) {
    if let (Some(i), Some(e)) = (issued, effective)
        && e.value < i.value
    {
        r.report(
            Code::DateOrder,
            e.span,
            format!("`effective` ({}) is before `issued` ({})", e.value, i.value),
            "before issued",
            "a policy takes effect on or after the day it is issued",
        );
    }
    if let (Some(e), Some(x)) = (effective, expires)
        && x.value < e.value
    {
        r.report(
            Code::DateOrder,
            x.span,
            format!(
                "`expires` ({}) is before `effective` ({})",
                x.value, e.value
            ),
            "before effective",
            "`expires` is the last day the policy applies",
        );
    }
}

pub fn deadline_action(r: &mut Reader<'_>, a: &At<String>) -> Option<DeadlineAction> {
    let action = DeadlineAction::parse(&a.value);
    if action.is_none() {
        let names = DeadlineAction::ALL.map(DeadlineAction::as_str);
        r.report(
            Code::BadValue,
            a.span,
            format!("unknown deadline action `{}`", a.value),
            "unknown action",
            format!("use one of: {}", names.join(", ")),
        );
    }
    action
}

pub fn legal_state(r: &mut Reader<'_>, s: &At<String>) -> Option<LegalState> {
    let state = LegalState::parse(&s.value);
    if state.is_none() {
        let names = LegalState::ALL.map(LegalState::as_str);
        let help = match crate::diag::did_you_mean(&s.value, names) {
            Some(m) => format!("did you mean `{m}`?"),
            None => format!("use one of: {}", names.join(", ")),
        };
        r.report(
            Code::BadValue,
            s.span,
            format!("unknown legal state `{}`", s.value),
            "unknown state",
            help,
        );
    }
    state
}

/// A status history is read as a story: events in date order, none before
/// the policy was issued, and each compliance date within the policy's
/// life, or "the last event on or before a day" would mean nothing.
pub fn timeline(
    r: &mut Reader<'_>,
    issued: Option<&At<Date>>,
    expires: Option<&At<Date>>,
    deadlines: &[Deadline],
    status: &[StatusEvent],
) {
    for pair in status.windows(2) {
        if pair[1].date < pair[0].date {
            r.report(
                Code::DateOrder,
                pair[1].place.span,
                format!(
                    "status event of {} comes after one of {}",
                    pair[1].date, pair[0].date
                ),
                "out of order",
                "list status events in date order, oldest first",
            );
        }
    }
    if let Some(i) = issued {
        for e in status.iter().filter(|e| e.date < i.value) {
            r.report(
                Code::DateOrder,
                e.place.span,
                format!(
                    "status event of {} is before the policy was issued ({})",
                    e.date, i.value
                ),
                "before issued",
                "a policy's status can change only once it is issued",
            );
        }
    }
    for d in deadlines {
        let (label, bound) = match (issued, expires) {
            (Some(i), _) if d.date < i.value => ("before issued", i.value),
            (_, Some(x)) if d.date > x.value => ("after expires", x.value),
            _ => continue,
        };
        r.report(
            Code::DateOrder,
            d.place.span,
            format!("deadline {} is {label} ({bound})", d.date),
            label,
            "a deadline falls between `issued` and `expires`",
        );
    }
}

pub fn severity(r: &mut Reader<'_>, s: At<String>) -> Option<At<Severity>> {
    match Severity::parse(&s.value) {
        Some(v) => Some(At {
            value: v,
            span: s.span,
        }),
        None => {
            let help = match crate::diag::did_you_mean(&s.value, ["ban", "restrict", "advisory"]) {
                Some(m) => format!("did you mean `{m}`?"),
                None => "use ban, restrict or advisory".into(),
            };
            r.report(
                Code::BadSeverity,
                s.span,
                format!("unknown severity `{}`", s.value),
                "unknown severity",
                help,
            );
            None
        }
    }
}

/// Confirmed unless said otherwise. An unconfirmed policy may only advise:
/// a scan must not fail a build on facts nobody has checked.
pub fn confidence(
    r: &mut Reader<'_>,
    confidence: Option<At<String>>,
    severity: Option<&At<Severity>>,
) -> Option<Confidence> {
    let Some(c) = confidence else {
        return Some(Confidence::Confirmed);
    };
    match Confidence::parse(&c.value) {
        Some(v) => {
            if v == Confidence::Unconfirmed
                && let Some(s) = severity
                && s.value != Severity::Advisory
            {
                r.report(
                    Code::UnconfirmedSeverity,
                    s.span,
                    "an unconfirmed policy can only be an advisory",
                    "must be advisory",
                    "confirm the facts in a source, or set `severity: advisory`",
                );
            }
            Some(v)
        }
        None => {
            r.report(
                Code::BadValue,
                c.span,
                format!("unknown confidence `{}`", c.value),
                "unknown",
                "use confirmed or unconfirmed",
            );
            None
        }
    }
}

pub fn fail_on(r: &mut Reader<'_>, f: &At<String>) -> Option<FailOn> {
    let fail_on = FailOn::parse(&f.value);
    if fail_on.is_none() {
        r.report(
            Code::BadValue,
            f.span,
            format!("unknown fail_on `{}`", f.value),
            "unknown",
            "use ban, restrict, phase-out, advisory or never",
        );
    }
    fail_on
}

/// Sources are cited in reports as links, so a source URL must be one.
pub fn web_address(r: &mut Reader<'_>, url: &At<String>) {
    if !(url.value.starts_with("https://") || url.value.starts_with("http://")) {
        r.report(
            Code::BadValue,
            url.span,
            format!("`{}` is not a web address", url.value),
            "not a URL",
            "write the full address, starting with https://",
        );
    }
}

/// A package identifier's purl, as `(package, prefix)`: a name ending in
/// `*` is a prefix rule (every package whose key starts with the stem),
/// and the key returned is the stem. A version is refused, since ranges
/// go in `versions:`.
pub fn purl_pattern(r: &mut Reader<'_>, purl: &At<String>) -> Option<(PackageRef, bool)> {
    let (text, prefix) = match purl.value.strip_suffix('*') {
        Some(stem) => (format!("{stem}x"), true),
        None => (purl.value.clone(), false),
    };
    let mut parsed = match PackageRef::parse_purl(&text) {
        Ok(p) if !(prefix && p.version.is_some()) => p,
        Ok(_) => {
            r.report(
                Code::BadPurl,
                purl.span,
                "a name ending in `*` cannot have a version",
                "bad purl",
                "use `versions:` for a range",
            );
            return None;
        }
        Err(e) => {
            r.report(
                Code::BadPurl,
                purl.span,
                format!("`{}` is not a valid package URL: {e}", purl.value),
                "bad purl",
                "write a purl such as pkg:pypi/langchain-deepseek or pkg:npm/%40ai-sdk/deepseek",
            );
            return None;
        }
    };
    if parsed.version.is_some() {
        r.report(
            Code::BadPurl,
            purl.span,
            "a package identifier names a package, not one version",
            "version in purl",
            "remove `@version` and put the range in `versions:`",
        );
        return None;
    }
    if prefix {
        // Drop the `x` that stood in for the `*` while parsing.
        parsed.key.pop();
    }
    Some((parsed, prefix))
}

pub fn version_range(
    r: &mut Reader<'_>,
    ecosystem: ident::Ecosystem,
    v: &At<String>,
) -> Option<VersionRange> {
    report_range(r, v, VersionRange::parse(ecosystem, &v.value))
}

/// An app rule's `versions:`, on the loose versions inventories write.
pub fn app_version_range(r: &mut Reader<'_>, v: &At<String>) -> Option<VersionRange> {
    report_range(r, v, VersionRange::parse_app(&v.value))
}

fn report_range(
    r: &mut Reader<'_>,
    v: &At<String>,
    parsed: Result<VersionRange, ident::VersionRangeError>,
) -> Option<VersionRange> {
    match parsed {
        Ok(range) => Some(range),
        Err(e) => {
            r.report(
                Code::BadVersionRange,
                v.span,
                format!(
                    "`{}`: {}",
                    v.value,
                    e.to_string()
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .trim_end_matches(':')
                ),
                "bad version range",
                e.help(),
            );
            None
        }
    }
}

/// Reads an endpoint rule: a domain (with itself and its subdomains), a
/// `*.domain` (subdomains only), an IP address or a CIDR block.
pub fn parse_host_rule(text: &str) -> Result<HostRule, HostRuleError> {
    if let Some(rest) = text.strip_prefix("*.") {
        return Domain::parse(rest)
            .map(|domain| HostRule::Domain {
                domain,
                subdomains_only: true,
            })
            .map_err(HostRuleError::Wildcard);
    }
    if text.contains("://") {
        return Err(HostRuleError::Url(text.to_string()));
    }
    match ident::parse_endpoint(text).map_err(HostRuleError::Endpoint)? {
        Host::Domain(domain) => Ok(HostRule::Domain {
            domain,
            subdomains_only: false,
        }),
        Host::Ip(ip) => Ok(HostRule::Ip(ip)),
        Host::Net(net) => Ok(HostRule::Net(net)),
    }
}

/// Why an endpoint rule was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostRuleError {
    /// The name after `*.` is not a domain.
    Wildcard(DomainError),
    /// A URL: a rule names a host, and a path or scheme in it would
    /// suggest a narrower match than the rule makes.
    Url(String),
    Endpoint(EndpointError),
}

impl fmt::Display for HostRuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostRuleError::Wildcard(e) => e.fmt(f),
            HostRuleError::Url(text) => write!(f, "`{text}` is a URL; write only its host"),
            HostRuleError::Endpoint(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for HostRuleError {}

pub fn host_rule(r: &mut Reader<'_>, text: &At<String>) -> Option<HostRule> {
    match parse_host_rule(text.value.trim()) {
        Ok(host) => Some(host),
        Err(e) => {
            r.report(
                Code::BadEndpoint,
                text.span,
                e.to_string(),
                "bad endpoint",
                "write a domain (deepseek.com), *.domain, an IP address or a CIDR block (203.0.113.0/24)",
            );
            None
        }
    }
}

pub fn sha256(r: &mut Reader<'_>, value: &At<String>) -> Option<Sha256> {
    match Sha256::parse(&value.value) {
        Ok(s) => Some(s),
        Err(e) => {
            r.report(
                Code::BadSha256,
                value.span,
                e.to_string(),
                "bad digest",
                "write the 64 hex characters that `sha256sum` prints",
            );
            None
        }
    }
}

/// What `policy new` writes where only the author knows the fact. One
/// recognisable form, so lint can refuse a skeleton until it is filled.
pub const PLACEHOLDER: &str = "<FILL IN";

/// Reports each value of a document that still holds a placeholder, and
/// drops what reading said about those same values since `before` (a
/// placeholder date is not also a bad date; placeholder examples are not
/// also missing examples), so the author gets one error per placeholder.
pub fn placeholders(r: &mut Reader<'_>, node: &Node, before: usize) {
    let mut found = Vec::new();
    collect_placeholders(node, String::new(), &mut found);
    if found.is_empty() {
        return;
    }
    let in_examples = found.iter().any(|(key, _)| key.starts_with("examples"));
    let covered = |p: &crate::diag::Problem| {
        p.labels.first().is_some_and(|l| {
            found.iter().any(|(_, s)| {
                l.offset() >= s.offset() && l.offset() + l.len() <= s.offset() + s.len()
            })
        }) || (in_examples && p.code == Code::NoExamples)
    };
    let said = r.problems.split_off(before.min(r.problems.len()));
    r.problems.extend(said.into_iter().filter(|p| !covered(p)));
    for (key, span) in found {
        r.report(
            Code::Placeholder,
            span,
            format!("`{key}` is not filled in yet"),
            "placeholder",
            "replace the placeholder with the real value (the README's policy format says what each key holds)",
        );
    }
}

fn collect_placeholders(node: &Node, key: String, found: &mut Vec<(String, miette::SourceSpan)>) {
    match &node.value {
        Value::Str(s) if s.contains(PLACEHOLDER) => found.push((key, node.span)),
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_placeholders(item, format!("{key}[{i}]"), found);
            }
        }
        Value::Map(entries) => {
            for (k, v) in entries {
                let name = match &k.value {
                    Value::Str(s) => s.as_str(),
                    _ => "?",
                };
                let path = if key.is_empty() {
                    name.to_string()
                } else {
                    format!("{key}.{name}")
                };
                collect_placeholders(v, path, found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each failure mode's message is the text users saw when the error
    /// was a `String`.
    #[test]
    fn host_rule_messages() {
        let rule = |t: &str| parse_host_rule(t).unwrap_err().to_string();
        assert_eq!(rule("*.-bad.com"), "`-bad.com` is not a valid host name");
        assert_eq!(
            rule("https://deepseek.com"),
            "`https://deepseek.com` is a URL; write only its host"
        );
        assert_eq!(rule("bad..name"), "`bad..name` is not a valid host name");
    }
}
