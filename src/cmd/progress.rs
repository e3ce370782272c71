//! The progress bar of a scan: on standard error, only when it is a
//! terminal and `--quiet` is not given, and only for a scan that takes
//! more than a moment (a bar that flashes for 50 ms is noise).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{HumanBytes, ProgressBar, ProgressStyle};

use crate::scan::progress::Progress;

/// How long a scan runs before its bar appears.
const DELAY: Duration = Duration::from_millis(500);
const TICK: Duration = Duration::from_millis(100);

/// A thread drawing the scan's [`Progress`] until [`Bar::finish`].
pub struct Bar {
    done: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Bar {
    /// Starts drawing `progress` when `shown`; otherwise a bar that
    /// draws nothing.
    pub fn start(progress: &Arc<Progress>, shown: bool) -> Bar {
        let done = Arc::new(AtomicBool::new(false));
        let thread = shown.then(|| {
            let (progress, done) = (Arc::clone(progress), Arc::clone(&done));
            std::thread::spawn(move || draw(&progress, &done))
        });
        Bar { done, thread }
    }

    /// Stops drawing and clears the bar, before the report is printed.
    pub fn finish(mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn draw(progress: &Progress, done: &AtomicBool) {
    let start = Instant::now();
    let mut bar: Option<ProgressBar> = None;
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(TICK);
        if start.elapsed() < DELAY {
            continue;
        }
        let seen = progress.seen();
        let bar = bar.get_or_insert_with(|| {
            let bar = ProgressBar::new(seen.files_total);
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} scanning [{bar:30}] {pos}/{len} files, {msg} ({elapsed})",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        bar.set_length(seen.files_total);
        bar.set_position(seen.files_done);
        bar.set_message(format!("{} read", HumanBytes(seen.bytes)));
        bar.tick();
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}
