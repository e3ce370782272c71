//! Identifier value types that policies, parsers and the matcher share.
//!
//! A package name, a host or a digest is normalised once, here, so that a
//! policy written as `pkg:pypi/LangChain_DeepSeek` and a requirements line
//! `langchain-deepseek` meet as the same key. Parsers produce these types;
//! the matcher only compares them.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;

/// A package ecosystem, named as the purl spec names its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    Cargo,
    Npm,
    Pypi,
    Golang,
    Maven,
    Nuget,
    Gem,
    Composer,
    Deb,
    Rpm,
}

impl Ecosystem {
    pub const ALL: [Ecosystem; 10] = [
        Ecosystem::Cargo,
        Ecosystem::Npm,
        Ecosystem::Pypi,
        Ecosystem::Golang,
        Ecosystem::Maven,
        Ecosystem::Nuget,
        Ecosystem::Gem,
        Ecosystem::Composer,
        Ecosystem::Deb,
        Ecosystem::Rpm,
    ];

    /// The purl type (`pkg:<type>/...`) of this ecosystem.
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::Cargo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::Pypi => "pypi",
            Ecosystem::Golang => "golang",
            Ecosystem::Maven => "maven",
            Ecosystem::Nuget => "nuget",
            Ecosystem::Gem => "gem",
            Ecosystem::Composer => "composer",
            Ecosystem::Deb => "deb",
            Ecosystem::Rpm => "rpm",
        }
    }

    pub fn from_purl_type(ty: &str) -> Option<Ecosystem> {
        Ecosystem::ALL
            .into_iter()
            .find(|e| e.purl_type().eq_ignore_ascii_case(ty))
    }

    /// The one key a package is looked up by in this ecosystem.
    ///
    /// Follows the purl spec's per-type rules: PyPI folds case and runs of
    /// `-_.` (PEP 503); npm, Composer and NuGet compare case-insensitively;
    /// Go module paths are compared case-insensitively (tools emit mixed
    /// case although the spec says lower); Maven joins group and artifact
    /// with `:`. Distribution packages (deb, rpm) ignore the vendor
    /// namespace, so a rule for `kesl` matches it from any distribution.
    pub fn package_key(self, namespace: Option<&str>, name: &str) -> String {
        let namespace = namespace.filter(|ns| !ns.is_empty());
        match self {
            Ecosystem::Pypi => pep503(name),
            Ecosystem::Cargo | Ecosystem::Gem => name.to_string(),
            Ecosystem::Maven => match namespace {
                Some(group) => format!("{group}:{name}"),
                None => name.to_string(),
            },
            Ecosystem::Deb | Ecosystem::Rpm => name.to_ascii_lowercase(),
            Ecosystem::Npm | Ecosystem::Composer | Ecosystem::Golang | Ecosystem::Nuget => {
                match namespace {
                    Some(ns) => format!("{ns}/{name}").to_lowercase(),
                    None => name.to_lowercase(),
                }
            }
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.purl_type())
    }
}

/// PEP 503 normalisation: lower-case, and every run of `-`, `_`, `.` becomes one `-`.
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

/// A package coordinate read from a purl: ecosystem, normalised key, the
/// name as written, and an optional version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageRef {
    pub ecosystem: Ecosystem,
    /// The lookup key, see [`Ecosystem::package_key`].
    pub key: String,
    pub version: Option<String>,
}

impl PackageRef {
    /// Parses a purl such as `pkg:npm/%40ai-sdk/deepseek@1.0.0`.
    pub fn parse_purl(text: &str) -> Result<PackageRef, String> {
        let purl = packageurl::PackageUrl::from_str(text).map_err(|e| e.to_string())?;
        let ecosystem = Ecosystem::from_purl_type(purl.ty()).ok_or_else(|| {
            format!(
                "unsupported purl type `{}` (supported: {})",
                purl.ty(),
                Ecosystem::ALL.map(Ecosystem::purl_type).join(", ")
            )
        })?;
        if purl.name().is_empty() {
            return Err("the purl has no package name".into());
        }
        Ok(PackageRef {
            ecosystem,
            key: ecosystem.package_key(purl.namespace(), purl.name()),
            version: purl.version().map(str::to_string),
        })
    }
}

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

/// A sha256 digest, 64 lower-case hex characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256(String);

impl Sha256 {
    pub fn parse(text: &str) -> Result<Sha256, String> {
        let t = text.trim();
        if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Sha256(t.to_ascii_lowercase()))
        } else {
            Err(format!(
                "`{text}` is not a sha256 digest (64 hexadecimal characters)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep503_folds_case_and_separator_runs() {
        assert_eq!(
            pep503("LangChain__DeepSeek.official"),
            "langchain-deepseek-official"
        );
    }

    #[test]
    fn purl_keys_follow_the_ecosystem() {
        let npm = PackageRef::parse_purl("pkg:npm/%40AI-SDK/deepseek@1.0.0").unwrap();
        assert_eq!(
            (npm.ecosystem, npm.key.as_str()),
            (Ecosystem::Npm, "@ai-sdk/deepseek")
        );
        assert_eq!(npm.version.as_deref(), Some("1.0.0"));
        let go = PackageRef::parse_purl("pkg:golang/github.com/cohesion-org/deepseek-go").unwrap();
        assert_eq!(go.key, "github.com/cohesion-org/deepseek-go");
        let maven = PackageRef::parse_purl("pkg:maven/org.acme/lib@1").unwrap();
        assert_eq!(maven.key, "org.acme:lib");
        assert!(PackageRef::parse_purl("pkg:unknown/x").is_err());
        assert!(PackageRef::parse_purl("npm/x").is_err());
    }

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
