//! Network endpoint evidence: hosts, URLs and addresses in use or allowed.

pub mod bind_query;
mod dns;
pub mod dnsmasq;
pub mod list;
pub mod windows_dns;
