//! Network endpoint evidence: hosts, URLs and addresses in use or allowed.

pub mod allowlist;
pub mod bind_query;
mod dns;
pub mod dnsmasq;
pub mod endpoint_csv;
mod json_line;
pub mod list;
pub mod source;
pub mod squid;
pub mod suricata_eve;
pub mod windows_dns;
pub mod zeek;
