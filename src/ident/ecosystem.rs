//! Package ecosystems and package keys: the one place a package name is
//! normalised, so a policy's purl and a lockfile's name meet as one key.

use std::fmt;
use std::str::FromStr;

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
            // Full Unicode lower case, as the `packageurl` crate folds a
            // deb purl's name: the two routes to a key must agree.
            Ecosystem::Deb | Ecosystem::Rpm => name.to_lowercase(),
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
    pub fn parse_purl(text: &str) -> Result<PackageRef, PurlError> {
        let purl = packageurl::PackageUrl::from_str(text).map_err(PurlError::Syntax)?;
        let ecosystem = Ecosystem::from_purl_type(purl.ty())
            .ok_or_else(|| PurlError::UnsupportedType(purl.ty().to_string()))?;
        if purl.name().is_empty() {
            return Err(PurlError::NoName);
        }
        Ok(PackageRef {
            ecosystem,
            key: ecosystem.package_key(purl.namespace(), purl.name()),
            version: purl.version().map(str::to_string),
        })
    }
}

/// Why a purl was refused: not a purl at all, or a purl banscan cannot
/// key. Callers put the purl as written in front of the message.
#[derive(Debug, PartialEq, Eq)]
pub enum PurlError {
    Syntax(packageurl::Error),
    /// A purl type that is not one of [`Ecosystem::ALL`]; the message
    /// lists those, so a typo (`pkg:pip/…`) is easy to fix.
    UnsupportedType(String),
    NoName,
}

impl fmt::Display for PurlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PurlError::Syntax(e) => e.fmt(f),
            PurlError::UnsupportedType(ty) => write!(
                f,
                "unsupported purl type `{ty}` (supported: {})",
                Ecosystem::ALL.map(Ecosystem::purl_type).join(", ")
            ),
            PurlError::NoName => f.write_str("the purl has no package name"),
        }
    }
}

impl std::error::Error for PurlError {
    /// The packageurl error's own cause: its message is already this
    /// error's message, so it is not a cause of its own.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PurlError::Syntax(e) => std::error::Error::source(e),
            PurlError::UnsupportedType(_) | PurlError::NoName => None,
        }
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

    /// Each failure mode's message is the text users saw when the error
    /// was a `String`.
    #[test]
    fn error_messages() {
        let purl = |t: &str| PackageRef::parse_purl(t).unwrap_err().to_string();
        assert_eq!(purl("npm/x"), "missing scheme");
        assert_eq!(
            purl("pkg:pip/x"),
            "unsupported purl type `pip` (supported: cargo, npm, pypi, golang, maven, nuget, gem, composer, deb, rpm)"
        );
    }
}
