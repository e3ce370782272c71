//! Identifier value types that policies, parsers and the matcher share.
//!
//! A package name, a host or a digest is normalised once, here, so that a
//! policy written as `pkg:pypi/LangChain_DeepSeek` and a requirements line
//! `langchain-deepseek` meet as the same key. Parsers produce these types;
//! the matcher only compares them. One file per kind of identifier; the
//! re-exports keep `crate::ident::X` the one path callers use.

mod digest;
mod ecosystem;
mod host;
#[cfg(test)]
mod purl_props;
mod version;

pub use digest::{DigestError, Sha256};
pub use ecosystem::{Ecosystem, PackageRef, PurlError, pep503};
pub use host::{
    CidrError, Domain, DomainError, EndpointError, Host, canonical_ip, parse_cidr, parse_endpoint,
    parse_ip,
};
pub use version::{
    APP_RANGE_SYNTAX, GoVersion, LooseVersion, NugetVersion, VersionRange, VersionRangeError,
    VersionRangeKind, range_syntax,
};
