//! Hosts: domain names, IP addresses and CIDR blocks, normalised so that
//! a rule and a log line compare as equal values rather than strings.

use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;

/// A DNS name, lower-case ASCII (IDNA A-labels), without the root dot.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Domain(String);

impl Domain {
    /// Normalises a host name: one trailing root dot is dropped, Unicode is
    /// converted to A-labels (UTS #46), ASCII is lower-cased. Rejects names
    /// that are not valid host names, so that a typo in a policy is caught.
    pub fn parse(text: &str) -> Result<Domain, String> {
        let trimmed = text.strip_suffix('.').unwrap_or(text);
        if trimmed.is_empty() {
            return Err("empty host name".into());
        }
        let ascii = if trimmed.is_ascii() {
            trimmed.to_ascii_lowercase()
        } else {
            idna::domain_to_ascii(trimmed)
                .map_err(|_| format!("`{text}` is not a valid internationalised domain name"))?
        };
        if ascii.len() > 253 {
            return Err(format!("`{text}` is longer than 253 characters"));
        }
        for label in ascii.split('.') {
            let ok = !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && !label.starts_with('-')
                && !label.ends_with('-');
            if !ok {
                return Err(format!("`{text}` is not a valid host name"));
            }
        }
        Ok(Domain(ascii))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// This name and each parent, longest first: `a.b.c`, `b.c`, `c`.
    /// Matching a domain rule is a lookup of each, which is what makes
    /// `deepseek.com` match `api.deepseek.com` but not `notdeepseek.com`.
    pub fn suffixes(&self) -> impl Iterator<Item = &str> {
        let s = self.0.as_str();
        std::iter::once(s).chain(
            s.char_indices()
                .filter(|&(_, c)| c == '.')
                .map(move |(i, _)| &s[i + 1..]),
        )
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A network endpoint as evidence or as a rule.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Host {
    Domain(Domain),
    Ip(IpAddr),
    Net(IpNet),
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Domain(d) => d.fmt(f),
            Host::Ip(ip) => ip.fmt(f),
            Host::Net(net) => net.fmt(f),
        }
    }
}

/// Reads an IP address, mapping IPv4-mapped IPv6 (`::ffff:203.0.113.5`) to IPv4.
pub fn parse_ip(text: &str) -> Option<IpAddr> {
    let ip: IpAddr = text.parse().ok()?;
    Some(canonical_ip(ip))
}

pub fn canonical_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Reads a CIDR block; host bits must be zero, since `203.0.113.7/24` is
/// more often a typo than an intent.
pub fn parse_cidr(text: &str) -> Result<IpNet, String> {
    let net: IpNet = text
        .parse()
        .map_err(|_| format!("`{text}` is not a CIDR block"))?;
    if net.trunc() != net {
        return Err(format!(
            "`{text}` has host bits set; did you mean `{}`?",
            net.trunc()
        ));
    }
    Ok(match net {
        IpNet::V6(v6) => match v6.addr().to_ipv4_mapped() {
            Some(v4) if v6.prefix_len() >= 96 => {
                IpNet::V4(ipnet::Ipv4Net::new(v4, v6.prefix_len() - 96).map_err(|e| e.to_string())?)
            }
            _ => net,
        },
        v4 => v4,
    })
}

/// Reads one endpoint as written in a list, a log or a policy: a URL (its
/// host is taken), `host:port`, a bare host name, an IP address or a CIDR.
/// Returns the host and, for a URL, the URL itself.
pub fn parse_endpoint(text: &str) -> Result<Host, String> {
    let text = text.trim();
    if text.contains("://") {
        let url = url::Url::parse(text).map_err(|e| format!("`{text}` is not a valid URL: {e}"))?;
        return match url.host() {
            Some(url::Host::Domain(d)) => Domain::parse(d).map(Host::Domain),
            Some(url::Host::Ipv4(ip)) => Ok(Host::Ip(IpAddr::V4(ip))),
            Some(url::Host::Ipv6(ip)) => Ok(Host::Ip(canonical_ip(IpAddr::V6(ip)))),
            None => Err(format!("the URL `{text}` has no host")),
        };
    }
    if text.contains('/') {
        return parse_cidr(text).map(Host::Net);
    }
    if let Some(ip) = parse_ip(text) {
        return Ok(Host::Ip(ip));
    }
    if let Some(inner) = text.strip_prefix('[').and_then(|t| t.split_once(']')) {
        return parse_ip(inner.0)
            .map(Host::Ip)
            .ok_or_else(|| format!("`{text}` is not a valid IPv6 address"));
    }
    let host = match text.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => text,
    };
    if let Some(ip) = parse_ip(host) {
        return Ok(Host::Ip(ip));
    }
    Domain::parse(host).map(Host::Domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_normalise_and_list_suffixes() {
        let d = Domain::parse("API.DeepSeek.com.").unwrap();
        assert_eq!(
            d.suffixes().collect::<Vec<_>>(),
            ["api.deepseek.com", "deepseek.com", "com"]
        );
        assert_eq!(
            Domain::parse("bücher.example").unwrap().as_str(),
            "xn--bcher-kva.example"
        );
        assert!(Domain::parse("bad..name").is_err());
        assert!(Domain::parse("-bad.com").is_err());
    }

    #[test]
    fn endpoints_take_the_host_of_urls_and_ports() {
        let host = |t| parse_endpoint(t).unwrap().to_string();
        assert_eq!(host("https://api.deepseek.com/v1/chat"), "api.deepseek.com");
        assert_eq!(host("chat.deepseek.com:443"), "chat.deepseek.com");
        assert_eq!(host("::ffff:203.0.113.5"), "203.0.113.5");
        assert_eq!(host("[2001:db8::1]:443"), "2001:db8::1");
        assert_eq!(host("203.0.113.0/24"), "203.0.113.0/24");
        assert!(parse_endpoint("203.0.113.7/24").is_err());
        assert!(parse_endpoint("not a host").is_err());
    }
}
