//! The evidence a finding shows: a bounded window of its line around what
//! matched. For a domain rule that is the matched suffix at the end of the
//! host rather than the whole token: a URL can be 100 KB long, and the
//! part a reader must see is the banned domain.

use std::ops::Range;

use crate::input::{At, Excerpt};
use crate::policy::compile::{Rule, RuleIdentifier};
use crate::policy::{EndpointRule, HostRule};
use crate::report::Evidence;

/// The excerpt of `at`'s line for a finding of `rule`.
pub fn of(at: &At<'_>, rule: &Rule) -> Evidence {
    let (offset, len) = match &rule.identifier {
        RuleIdentifier::Endpoint(EndpointRule {
            host: HostRule::Domain { domain, .. },
            ..
        }) => at
            .text
            .get(at.offset..at.offset + at.len)
            .and_then(|token| domain_in(token, domain.as_str()))
            .map_or((at.offset, at.len), |r| (at.offset + r.start, r.len())),
        _ => (at.offset, at.len),
    };
    let excerpt = Excerpt::new(at.text, offset, len);
    Evidence {
        text: excerpt.text,
        column: excerpt.offset + 1,
        len: excerpt.len,
    }
}

/// Where `domain` is in an endpoint as written (`host`, `host:port`,
/// `*.domain`, a URL): at the end of its host, after a label boundary,
/// which is how a domain rule matches. `None` when it is not there as
/// written (an internationalised name, say).
fn domain_in(token: &str, domain: &str) -> Option<Range<usize>> {
    let from = token.find("://").map_or(0, |i| i + 3);
    let to = token[from..]
        .find(['/', '?', '#'])
        .map_or(token.len(), |i| from + i);
    let from = token[from..to].rfind('@').map_or(from, |i| from + i + 1);
    let mut host = &token[from..to];
    if let Some((name, port)) = host.rsplit_once(':')
        && port.bytes().all(|b| b.is_ascii_digit())
    {
        host = name;
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    let at = host.len().checked_sub(domain.len())?;
    let boundary = at == 0 || host.as_bytes()[at - 1] == b'.';
    (boundary && host.get(at..)?.eq_ignore_ascii_case(domain)).then(|| from + at..from + host.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown<'a>(token: &'a str, domain: &str) -> Option<&'a str> {
        domain_in(token, domain).map(|r| &token[r])
    }

    /// The domain is found at the end of the host however the endpoint was
    /// written, and only at a label boundary.
    #[test]
    fn the_matched_domain_is_found_in_the_host() {
        let d = "deepseek.com";
        assert_eq!(shown("chat.DeepSeek.com", d), Some("DeepSeek.com"));
        assert_eq!(shown("deepseek.com.", d), Some("deepseek.com"));
        assert_eq!(shown("*.deepseek.com", d), Some("deepseek.com"));
        assert_eq!(shown("chat.deepseek.com:443", d), Some("deepseek.com"));
        assert_eq!(
            shown(
                "https://u:deepseek.com@api.deepseek.com:8443/deepseek.com?q=deepseek.com",
                d
            ),
            Some("deepseek.com")
        );
        let url = "https://u:deepseek.com@api.deepseek.com:8443/x";
        assert_eq!(domain_in(url, d), Some(27..39));
        assert_eq!(shown("notdeepseek.com", d), None);
        assert_eq!(shown("deepseek.com.evil", d), None);
        assert_eq!(shown("", d), None);
    }
}
