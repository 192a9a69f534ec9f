//! How a long computation reports how far it got, and learns that it is no longer wanted.
//!
//! The engine's pictures, sweeps and slices take a `&Progress`; the app's worker threads
//! (`downhill::live::worker`) own it and cancel it when a newer request supersedes the work.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// What a computation reports while it runs, and how it learns it is no longer wanted.
#[derive(Default)]
pub struct Progress {
    done: AtomicU64,
    total: AtomicU64,
    cancel: AtomicBool,
}

impl Progress {
    /// `done` of `total` units finished.
    pub fn set(&self, done: u64, total: u64) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(done, Ordering::Relaxed);
    }

    /// Asks the computation to stop at its next check.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// A newer request is waiting (or the worker is shutting down): stop early.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// The fraction finished, from 0 to 1.
    pub fn fraction(&self) -> f32 {
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            0.0
        } else {
            self.done.load(Ordering::Relaxed) as f32 / total as f32
        }
    }
}
