//! Evidence: what the scanned files say is installed, depended on or
//! contacted.
//!
//! Every format is one module that exports a [`FormatSpec`] (name, kind of
//! evidence, file names, content sniffer, reader), listed once in
//! [`registry::FORMATS`]. Parsers read from a [`Source`] through the one
//! decoding layer (gzip, zstd, UTF-16) and lend each [`ItemView`] to a
//! [`Sink`] with its position: they know nothing about policies, and
//! nothing is collected here, so a log of any size is read with bounded
//! memory. [`detect`] turns the paths a user names into inputs and lists
//! everything it passes over.

pub mod apps;
#[cfg(test)]
mod csv_props;
pub mod detect;
pub mod endpoints;
pub mod files;
pub mod item;
pub mod lines;
pub mod packages;
pub mod problem;
pub mod recognised;
pub mod records;
pub mod registry;
pub mod sink;
pub mod source;
pub mod table;
#[cfg(test)]
pub(crate) mod testing;

pub use item::{App, AppView, DepScope, Endpoint, FileItem, ItemKind, ItemView, Kind, Package};
pub use problem::{Excerpt, Impact, InputProblem};
pub use registry::{Evidence, FormatSpec, Misfit, Reader, Record, RecordFormat, RecordReader};
pub use sink::{At, Flow, Sink};
pub use source::{CargoRun, CargoWhen, Limits, MAX_DEPTH, MAX_DOCUMENT, Source};

/// Reads `source` as `format` from start to end on this thread, handing
/// every item and problem to `sink`. An `Err` means nothing could be read.
pub fn read(
    source: &Source,
    format: &FormatSpec,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    sink.begin();
    let result = read_body(source, format, limits, sink);
    sink.finish();
    result
}

fn read_body(
    source: &Source,
    format: &FormatSpec,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), InputProblem> {
    match &format.reader {
        Reader::NotRead => Err(InputProblem::file(
            &source.name,
            format!("banscan does not read {} yet", format.description),
            format!("banscan reads: {}", registry::read_names().join(", ")),
        )),
        Reader::Stream(read) => read(source, source.open(limits)?, limits, sink),
        Reader::Raw(read) => read(source, limits, sink),
        Reader::Records(records) => {
            let opened = source.open(limits)?;
            records::read_all(&source.name, *records, opened.reader, limits, sink)
        }
    }
}
