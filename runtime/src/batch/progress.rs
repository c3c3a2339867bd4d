//! Progress hooks: records done out of a total, for a progress bar.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Receives progress of a long operation: `done` records out of `total`.
///
/// Called from the task running the operation, after each request that moved
/// records forward (a Collections chunk, a Bulk job poll, a Bulk query page).
/// `done` never decreases. Any `Fn(u64, u64) + Send + Sync` is a `Progress`:
///
/// ```
/// # use std::sync::Arc;
/// # use sfgen_runtime::batch::Progress;
/// let hook: Arc<dyn Progress> = Arc::new(|done: u64, total: u64| eprintln!("{done}/{total}"));
/// hook.report(5, 10);
/// ```
pub trait Progress: Send + Sync {
    /// `done` records of `total` are finished. For a Bulk query, `total` is
    /// 0 until the job has counted its rows.
    fn report(&self, done: u64, total: u64);
}

impl<F: Fn(u64, u64) + Send + Sync> Progress for F {
    fn report(&self, done: u64, total: u64) {
        self(done, total)
    }
}

/// An optional hook plus a running count, shared by the tasks of one operation.
#[derive(Clone, Default)]
pub(crate) struct Tracker {
    hook: Option<Arc<dyn Progress>>,
    done: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
}

impl fmt::Debug for Tracker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tracker")
            .field("hook", &self.hook.is_some())
            .field("done", &self.done.load(Ordering::Relaxed))
            .field("total", &self.total.load(Ordering::Relaxed))
            .finish()
    }
}

impl Tracker {
    pub(crate) fn new(hook: Option<Arc<dyn Progress>>, total: u64) -> Self {
        Tracker {
            hook,
            done: Arc::new(AtomicU64::new(0)),
            total: Arc::new(AtomicU64::new(total)),
        }
    }

    /// Adds `n` finished records and reports.
    pub(crate) fn advance(&self, n: u64) {
        let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
        self.emit(done);
    }

    /// Sets the total (once known) and reports.
    pub(crate) fn set_total(&self, total: u64) {
        self.total.store(total, Ordering::Relaxed);
        self.emit(self.done.load(Ordering::Relaxed));
    }

    /// Raises the finished count to `done` if it is higher, and reports.
    pub(crate) fn raise_to(&self, done: u64) {
        let before = self.done.fetch_max(done, Ordering::Relaxed);
        if done > before {
            self.emit(done);
        }
    }

    fn emit(&self, done: u64) {
        if let Some(hook) = &self.hook {
            hook.report(done, self.total.load(Ordering::Relaxed));
        }
    }
}

/// Debug output for an optional hook, which has no `Debug` of its own.
pub(crate) struct HookDebug<'a>(pub &'a Option<Arc<dyn Progress>>);

impl fmt::Debug for HookDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Some(<progress hook>)"
        } else {
            "None"
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[test]
    fn reports_monotonic_progress() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let hook: Arc<dyn Progress> =
            Arc::new(move |d: u64, t: u64| sink.lock().expect("not poisoned").push((d, t)));
        let tracker = Tracker::new(Some(hook), 10);
        tracker.advance(4);
        tracker.raise_to(3);
        tracker.raise_to(7);
        tracker.set_total(12);
        assert_eq!(
            *seen.lock().expect("not poisoned"),
            [(4, 10), (7, 10), (7, 12)]
        );
    }
}
