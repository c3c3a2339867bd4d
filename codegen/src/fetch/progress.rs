//! Fetch progress: a bar (indicatif) on a terminal, plain lines otherwise, both
//! on stderr so that `--json` output on stdout stays clean.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// Counts so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Objects with an outcome.
    pub done: usize,
    /// Objects to fetch.
    pub total: usize,
    /// Describe files written (new or changed).
    pub written: usize,
    /// Describes unchanged (304, or the same bytes).
    pub unchanged: usize,
    /// Describes that failed.
    pub failed: usize,
}

impl Tally {
    fn summary(&self) -> String {
        format!(
            "{} written, {} unchanged, {} failed",
            self.written, self.unchanged, self.failed
        )
    }
}

/// Receives fetch progress.
pub trait Progress: Send + Sync {
    /// The fetch of `objects` describes in `requests` Composite requests begins.
    fn start(&self, objects: usize, requests: usize);
    /// A batch finished.
    fn update(&self, tally: &Tally);
    /// Everything finished.
    fn finish(&self, tally: &Tally);
}

/// A bar on a terminal, plain lines otherwise.
pub fn auto() -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Box::new(Bar::new())
    } else {
        Box::new(Lines)
    }
}

/// No output.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: usize, _: usize) {}
    fn update(&self, _: &Tally) {}
    fn finish(&self, _: &Tally) {}
}

/// One line per batch on stderr.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lines;

impl Progress for Lines {
    fn start(&self, objects: usize, requests: usize) {
        let plural = if requests == 1 { "" } else { "s" };
        eprintln!("fetching {objects} describes in {requests} Composite request{plural}");
    }

    fn update(&self, tally: &Tally) {
        eprintln!(
            "describes {}/{}: {}",
            tally.done,
            tally.total,
            tally.summary()
        );
    }

    fn finish(&self, _: &Tally) {}
}

/// An indicatif bar on stderr.
#[derive(Debug)]
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// A hidden bar until [`Progress::start`].
    pub fn new() -> Self {
        Bar {
            bar: ProgressBar::hidden(),
        }
    }
}

impl Default for Bar {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress for Bar {
    fn start(&self, objects: usize, _requests: usize) {
        self.bar
            .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        self.bar.set_length(objects as u64);
        let style = ProgressStyle::with_template(
            "{spinner} describes {pos}/{len} [{bar:30}] {elapsed} {msg}",
        )
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        self.bar.set_style(style);
        self.bar.enable_steady_tick(Duration::from_millis(120));
    }

    fn update(&self, tally: &Tally) {
        self.bar.set_position(tally.done as u64);
        self.bar.set_message(tally.summary());
    }

    fn finish(&self, tally: &Tally) {
        // The bar gives way to one plain line, so whatever is printed next starts a line of its own.
        let elapsed = self.bar.elapsed();
        self.bar.finish_and_clear();
        eprintln!(
            "describes {}/{} in {:.1?}: {}",
            tally.done,
            tally.total,
            elapsed,
            tally.summary()
        );
    }
}
