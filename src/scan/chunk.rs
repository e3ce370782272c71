//! Reading one large record input on every core: the source is cut into
//! blocks at record boundaries ([`Blocks`]), a batch of blocks is read in
//! parallel while the next batch is read from disk, and each block's
//! findings are merged in block order. Blocks do not depend on the number
//! of threads, so the report is the same byte for byte with `--jobs 1`.

use rayon::prelude::*;

use crate::input::records::{Block, Blocks, Candidates, read_block, start};
use crate::input::{Flow, InputProblem, Limits, RecordFormat, Sink, Source};
use crate::matcher::Matcher;
use crate::policy::Library;

use super::fold::{ScanSink, Yield};

pub fn read_parallel(
    source: &Source,
    format: &dyn RecordFormat,
    limits: &Limits,
    candidates: Option<&dyn Candidates>,
    library: &Library,
    matcher: &Matcher,
) -> Result<Yield, InputProblem> {
    let name = &source.name;
    let quoted = format.quoted();
    let opened = source.open(limits)?;
    let mut blocks = Blocks::new(opened.reader, name, quoted, limits);
    let records = start(name, format, &mut blocks)?;
    let batch_size = rayon::current_num_threads().max(1) * 2;
    let read_batch =
        |blocks: &mut Blocks<_>| -> Result<Vec<(Block, Vec<InputProblem>)>, InputProblem> {
            let mut batch = Vec::with_capacity(batch_size);
            while batch.len() < batch_size {
                let mut problems = Vec::new();
                match blocks.next_block(&mut problems)? {
                    Some(block) => batch.push((block, problems)),
                    None => break,
                }
            }
            Ok(batch)
        };
    let mut total = Yield::default();
    let mut batch = read_batch(&mut blocks)?;
    while !batch.is_empty() {
        let (next, results) = rayon::join(
            || read_batch(&mut blocks),
            || {
                batch
                    .par_iter()
                    .map(|(block, _)| {
                        let mut sink = ScanSink::new(library, matcher);
                        sink.begin();
                        let flow = read_block(
                            block,
                            name,
                            quoted,
                            limits.max_line,
                            &*records,
                            candidates,
                            &mut sink,
                        );
                        sink.finish();
                        (sink.out, flow)
                    })
                    .collect::<Vec<(Yield, Flow)>>()
            },
        );
        let mut stopped = false;
        for ((block, problems), (found, flow)) in batch.into_iter().zip(results) {
            if stopped {
                break;
            }
            total.merge(found, block.first_line);
            for p in problems {
                total.merge_problem(p);
            }
            stopped = flow == Flow::Stop;
        }
        if stopped {
            break;
        }
        batch = next?;
    }
    Ok(total)
}
