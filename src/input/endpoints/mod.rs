//! Network endpoint evidence: hosts, URLs and addresses in use or allowed.

pub mod allowlist;
pub mod bind_query;
mod dns;
pub mod dnsmasq;
pub mod endpoint_csv;
pub(crate) mod json_line;
pub mod list;
pub mod source;
pub mod squid;
pub mod suricata_eve;
pub mod windows_dns;
pub mod zeek;

use crate::ident::{EndpointError, parse_endpoint};
use crate::input::item::{EndpointView, ItemView};
use crate::input::problem::InputProblem;
use crate::input::sink::{At, Flow, Sink};

/// Hands a log's host over, with the client and time the log gives, or
/// passes its line over with `refusal`'s words when the name is no host.
pub(crate) fn log_host(
    name: &str,
    client: Option<&str>,
    time: Option<&str>,
    at: At<'_>,
    sink: &mut dyn Sink,
    refusal: impl FnOnce(&EndpointError) -> String,
    help: &str,
) -> Flow {
    match parse_endpoint(name) {
        Ok(host) => sink.item(
            ItemView::Endpoint(EndpointView {
                host: &host,
                url: None,
                client,
                time,
                key: None,
                each_line: false,
            }),
            at,
        ),
        Err(e) => sink.skip(
            InputProblem::line(
                at.source,
                at.line,
                at.text,
                at.offset,
                at.len.max(1),
                refusal(&e),
                help,
            ),
            at.text,
        ),
    }
}
