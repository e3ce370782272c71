//! Reading one large record input on every core: this thread cuts the
//! source into blocks at record boundaries ([`Blocks`]) and hands each to
//! the thread pool as soon as it is read, so reading and matching overlap;
//! results come back tagged with their block's number and are merged in
//! block order. Blocks do not depend on the number of threads, so the
//! report is the same byte for byte with `--jobs 1`.
//!
//! At most a few blocks per thread are in flight: when that many are
//! waiting, this thread reads the next block itself instead of reading
//! further ahead, which bounds memory and cannot deadlock a one-thread pool.

use std::collections::BTreeMap;
use std::sync::mpsc;

use crate::input::records::{Block, Blocks, Candidates, read_block, start};
use crate::input::{Flow, InputProblem, Limits, RecordFormat, RecordReader, Sink, Source};
use crate::matcher::{LazyNet, Matcher};
use crate::policy::Library;

use super::fold::{ScanSink, Yield};

/// What one block yielded, with the lines over the cap met while cutting
/// it (they come after its own problems).
struct Done {
    found: Yield,
    flow: Flow,
    first_line: u64,
    problems: Vec<InputProblem>,
}

/// What judges a block's items: the policies, compiled.
#[derive(Clone, Copy)]
pub struct Judging<'a> {
    pub library: &'a Library,
    pub matcher: &'a Matcher,
    pub net: &'a LazyNet,
}

pub fn read_parallel(
    source: &Source,
    format: &dyn RecordFormat,
    limits: &Limits,
    candidates: Option<&dyn Candidates>,
    judging: Judging<'_>,
    progress: Option<&super::progress::Progress>,
) -> Result<Yield, InputProblem> {
    let Judging {
        library,
        matcher,
        net,
    } = judging;
    let name = &source.name;
    let quoted = format.quoted();
    let opened = source.open(limits)?;
    let mut blocks = Blocks::new(opened.reader, name, quoted, limits);
    let records = start(name, format, &mut blocks, limits)?;
    let records: &dyn RecordReader = &*records;
    let buffers = blocks.buffers();
    let in_flight = rayon::current_num_threads().max(1) * 2;
    let work = |block: Block, problems: Vec<InputProblem>| {
        let mut sink = ScanSink::new(library, matcher, net);
        sink.begin();
        let flow = read_block(
            &block,
            name,
            quoted,
            limits.max_line,
            records,
            candidates,
            &mut sink,
        );
        sink.finish();
        let first_line = block.first_line;
        buffers.give(block.data);
        Done {
            found: sink.out,
            flow,
            first_line,
            problems,
        }
    };

    let mut merged = Merge::default();
    let (tx, rx) = mpsc::channel::<(usize, Done)>();
    let read = rayon::in_place_scope(|scope| -> Result<(), InputProblem> {
        let mut sent = 0;
        while !merged.stopped {
            while let Ok((i, done)) = rx.try_recv() {
                merged.add(i, done);
            }
            let mut problems = Vec::new();
            let Some(block) = blocks.next_block(&mut problems)? else {
                // A line over the cap at the very end comes with no block:
                // merged after every block, whatever order they finish in.
                let done = Done {
                    found: Yield::default(),
                    flow: Flow::Continue,
                    first_line: 1,
                    problems,
                };
                merged.add(sent, done);
                break;
            };
            if let Some(p) = progress {
                p.read(block.data.len() as u64);
            }
            if sent - merged.next < in_flight {
                let tx = tx.clone();
                let work = &work;
                scope.spawn(move |_| {
                    // The receiver outlives the scope; a send cannot fail.
                    let _ = tx.send((sent, work(block, problems)));
                });
            } else {
                merged.add(sent, work(block, problems));
            }
            sent += 1;
        }
        Ok(())
    });
    drop(tx);
    for (i, done) in rx {
        merged.add(i, done);
    }
    read?;
    merged.total.ignored_columns = records.ignored_columns().to_vec();
    Ok(merged.total)
}

/// Merges blocks in their order, whatever order they finish in.
#[derive(Default)]
struct Merge {
    total: Yield,
    /// The number of the next block to merge.
    next: usize,
    waiting: BTreeMap<usize, Done>,
    stopped: bool,
}

impl Merge {
    fn add(&mut self, index: usize, done: Done) {
        self.waiting.insert(index, done);
        while let Some(done) = self.waiting.remove(&self.next) {
            self.next += 1;
            if self.stopped {
                continue;
            }
            self.total.merge(done.found, done.first_line);
            for p in done.problems {
                self.total.merge_problem(p);
            }
            self.stopped = done.flow == Flow::Stop;
        }
    }
}
