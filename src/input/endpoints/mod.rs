//! Network endpoint evidence: hosts, URLs and addresses in use or allowed.

pub mod list;
