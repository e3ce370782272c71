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
    pub fn parse(text: &str) -> Result<Domain, DomainError> {
        let trimmed = text.strip_suffix('.').unwrap_or(text);
        if trimmed.is_empty() {
            return Err(DomainError::Empty);
        }
        let ascii = if trimmed.is_ascii() {
            trimmed.to_ascii_lowercase()
        } else {
            idna::domain_to_ascii(trimmed).map_err(|_| DomainError::Idna(text.to_string()))?
        };
        if ascii.len() > 253 {
            return Err(DomainError::TooLong(text.to_string()));
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
                return Err(DomainError::BadLabel(text.to_string()));
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
pub fn parse_cidr(text: &str) -> Result<IpNet, CidrError> {
    let net: IpNet = text
        .parse()
        .map_err(|_| CidrError::Syntax(text.to_string()))?;
    if net.trunc() != net {
        return Err(CidrError::HostBits {
            text: text.to_string(),
            network: net.trunc(),
        });
    }
    Ok(match net {
        // An IPv4-mapped block is the IPv4 block it maps. A mapped prefix
        // is at most 128 - 96 = 32 bits, so the conversion cannot fail.
        IpNet::V6(v6) => v6
            .addr()
            .to_ipv4_mapped()
            .zip(v6.prefix_len().checked_sub(96))
            .and_then(|(v4, len)| ipnet::Ipv4Net::new(v4, len).ok())
            .map_or(net, IpNet::V4),
        v4 => v4,
    })
}

/// Reads one endpoint as written in a list, a log or a policy: a URL (its
/// host is taken), `host:port`, a bare host name, an IP address or a CIDR.
/// Returns the host and, for a URL, the URL itself.
pub fn parse_endpoint(text: &str) -> Result<Host, EndpointError> {
    let text = text.trim();
    if text.contains("://") {
        let url = url::Url::parse(text).map_err(|e| EndpointError::BadUrl {
            text: text.to_string(),
            source: e,
        })?;
        return match url.host() {
            Some(url::Host::Domain(d)) => Ok(Host::Domain(Domain::parse(d)?)),
            Some(url::Host::Ipv4(ip)) => Ok(Host::Ip(IpAddr::V4(ip))),
            Some(url::Host::Ipv6(ip)) => Ok(Host::Ip(canonical_ip(IpAddr::V6(ip)))),
            None => Err(EndpointError::NoHost(text.to_string())),
        };
    }
    if let Some((before, after)) = text.split_once('/') {
        // An address and a prefix length is a CIDR block; anything else
        // with a `/` is a URL written without its scheme, as proxy exports
        // write them (`api.deepseek.com/v1/chat/completions`).
        let bare = before.trim_start_matches('[').trim_end_matches(']');
        if parse_ip(bare).is_some() && after.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Host::Net(parse_cidr(text)?));
        }
        return parse_endpoint(&format!("http://{text}")).map_err(|e| match e {
            EndpointError::BadUrl { source, .. } => EndpointError::BadUrl {
                text: text.to_string(),
                source,
            },
            other => other,
        });
    }
    if let Some(ip) = parse_ip(text) {
        return Ok(Host::Ip(ip));
    }
    if let Some(inner) = text.strip_prefix('[').and_then(|t| t.split_once(']')) {
        return parse_ip(inner.0)
            .map(Host::Ip)
            .ok_or_else(|| EndpointError::BadIpv6(text.to_string()));
    }
    let host = match text.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => text,
    };
    if let Some(ip) = parse_ip(host) {
        return Ok(Host::Ip(ip));
    }
    Ok(Host::Domain(Domain::parse(host)?))
}

/// Why a host name was refused. Each variant but `Empty` keeps the name as
/// written (before normalising), since that is what the user can find.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DomainError {
    Empty,
    /// Unicode that UTS #46 refuses. idna's own error carries no detail,
    /// so it is not kept.
    Idna(String),
    /// Over 253 characters once converted to A-labels.
    TooLong(String),
    /// An empty or over-long label, a character outside `[A-Za-z0-9_-]`,
    /// or a label that starts or ends with `-`.
    BadLabel(String),
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DomainError::Empty => f.write_str("empty host name"),
            DomainError::Idna(text) => {
                write!(f, "`{text}` is not a valid internationalised domain name")
            }
            DomainError::TooLong(text) => write!(f, "`{text}` is longer than 253 characters"),
            DomainError::BadLabel(text) => write!(f, "`{text}` is not a valid host name"),
        }
    }
}

impl std::error::Error for DomainError {}

/// Why a CIDR block was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CidrError {
    /// Not `address/prefix` at all; ipnet's error says no more than that.
    Syntax(String),
    /// A well-formed block with host bits set, kept with the block the
    /// user probably meant so the message can suggest it.
    HostBits { text: String, network: IpNet },
}

impl fmt::Display for CidrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CidrError::Syntax(text) => write!(f, "`{text}` is not a CIDR block"),
            CidrError::HostBits { text, network } => {
                write!(f, "`{text}` has host bits set; did you mean `{network}`?")
            }
        }
    }
}

impl std::error::Error for CidrError {}

/// Why an endpoint was refused. The forms an endpoint can take fail in
/// their own ways; a bad domain or CIDR is its own error, passed through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointError {
    BadUrl {
        text: String,
        source: url::ParseError,
    },
    /// A URL without a host, such as `file:///etc/hosts`.
    NoHost(String),
    /// A bracketed address (`[…]:443`) whose inside is not an IP address.
    BadIpv6(String),
    Cidr(CidrError),
    Domain(DomainError),
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::BadUrl { text, source } => {
                write!(f, "`{text}` is not a valid URL: {source}")
            }
            EndpointError::NoHost(text) => write!(f, "the URL `{text}` has no host"),
            EndpointError::BadIpv6(text) => write!(f, "`{text}` is not a valid IPv6 address"),
            EndpointError::Cidr(e) => e.fmt(f),
            EndpointError::Domain(e) => e.fmt(f),
        }
    }
}

// No `source()`: each message already says its cause, and a report that
// walks the chain would say it twice.
impl std::error::Error for EndpointError {}

impl From<CidrError> for EndpointError {
    fn from(e: CidrError) -> EndpointError {
        EndpointError::Cidr(e)
    }
}

impl From<DomainError> for EndpointError {
    fn from(e: DomainError) -> EndpointError {
        EndpointError::Domain(e)
    }
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
        // A URL without its scheme, as proxy exports write them.
        assert_eq!(
            host("api.deepseek.com/v1/chat/completions"),
            "api.deepseek.com"
        );
        assert_eq!(host("deepseek.com:8443/x?y=1"), "deepseek.com");
        assert!(parse_endpoint("203.0.113.7/24").is_err());
        assert!(parse_endpoint("not a host").is_err());
    }

    /// Each failure mode's message is the text users saw when the error
    /// was a `String`.
    #[test]
    fn error_messages() {
        let domain = |t: &str| Domain::parse(t).unwrap_err().to_string();
        assert_eq!(domain("."), "empty host name");
        assert_eq!(
            domain("a\u{FFFD}.com"),
            "`a\u{FFFD}.com` is not a valid internationalised domain name"
        );
        let long = "a.".repeat(127) + "a";
        assert_eq!(
            domain(&long),
            format!("`{long}` is longer than 253 characters")
        );
        assert_eq!(domain("bad..name"), "`bad..name` is not a valid host name");
        let cidr = |t: &str| parse_cidr(t).unwrap_err().to_string();
        assert_eq!(
            cidr("203.0.113.0/33"),
            "`203.0.113.0/33` is not a CIDR block"
        );
        assert_eq!(
            cidr("203.0.113.7/24"),
            "`203.0.113.7/24` has host bits set; did you mean `203.0.113.0/24`?"
        );
        let endpoint = |t: &str| parse_endpoint(t).unwrap_err().to_string();
        assert_eq!(
            endpoint(" https://exa mple.com "),
            "`https://exa mple.com` is not a valid URL: invalid international domain name"
        );
        assert_eq!(
            endpoint("unix:///run/x"),
            "the URL `unix:///run/x` has no host"
        );
        assert_eq!(
            endpoint("[zz]:443"),
            "`[zz]:443` is not a valid IPv6 address"
        );
        assert_eq!(
            endpoint("203.0.113.7/24"),
            "`203.0.113.7/24` has host bits set; did you mean `203.0.113.0/24`?"
        );
        assert_eq!(
            endpoint("not a host:443"),
            "`not a host` is not a valid host name"
        );
        assert_eq!(
            endpoint("https://-bad.com/"),
            "`-bad.com` is not a valid host name"
        );
    }
}
