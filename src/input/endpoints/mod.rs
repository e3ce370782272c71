//! Network endpoint evidence: hosts, URLs and addresses in use or allowed.

pub mod allowlist;
pub mod endpoint_csv;
pub mod list;
pub mod squid;
