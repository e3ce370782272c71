//! Network endpoint evidence: hosts, URLs and addresses in use or allowed.

mod json_line;
pub mod list;
pub mod suricata_eve;
pub mod zeek;
