//! The contract between parsers and whoever consumes their items, after
//! ripgrep's `grep-searcher` Sink: items are lent, not given; every call
//! can stop the reading; every input is framed by `begin` and `finish`.

use std::sync::Arc;

use super::item::ItemView;
use super::problem::InputProblem;

/// Whether the parser should go on reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

/// Where an item stands. Only byte positions and the borrowed line: the
/// consumer copies the line text only when the item becomes a finding.
#[derive(Clone, Copy, Debug)]
pub struct At<'a> {
    /// The file the item is in: the input itself, or a file it includes.
    pub source: &'a Arc<str>,
    /// The line (or the record, for a CSV row over several lines) without
    /// its line ending.
    pub text: &'a str,
    /// 1-based line number of `text`. In a chunk of a large file it counts
    /// from the chunk's start; the scan adds the chunk's first line.
    pub line: u64,
    /// Byte offset and length of the item's own text within `text`.
    pub offset: usize,
    pub len: usize,
    /// Byte offset of `text` in the decoded source (from the chunk's
    /// start in a chunk, like `line`).
    pub byte: u64,
}

/// Receives what a parser reads.
pub trait Sink {
    /// Called once before the first item of an input.
    fn begin(&mut self) {}
    fn item(&mut self, item: ItemView<'_>, at: At<'_>) -> Flow;
    /// A problem that does not stop the parser: the rest of the input is
    /// still read, so no finding is lost, but the scan will not pass.
    fn problem(&mut self, problem: InputProblem) -> Flow;
    /// A record that fits no shape of its format, passed over. `text` is
    /// the whole record, so a consumer can still look in it for what the
    /// parser could not read.
    fn skip(&mut self, problem: InputProblem, _text: &str) -> Flow {
        self.problem(InputProblem {
            impact: super::problem::Impact::Skipped,
            ..problem
        })
    }
    /// Items counted but not handed over, because a prefilter showed that
    /// their lines cannot match any rule.
    fn passed(&mut self, _items: u64) {}
    /// Names a block list sends nowhere (a hosts file's `0.0.0.0 name`):
    /// checked, but not uses, so not items.
    fn blocked(&mut self, _names: u64) {}
    /// Headers of a table no column was taken from, once an input, before
    /// its first item: listed in the report, so a mis-mapped column shows.
    fn ignored_columns(&mut self, _headers: &[String]) {}
    /// Called once after the last item of an input.
    fn finish(&mut self) {}
}
