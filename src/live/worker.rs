//! A background thread that computes the answer to the newest request only: the window asks
//! (never blocking), keeps showing the last answer, and picks up the new one when it is ready.
//! A newer request makes an older one stale: it is skipped if it has not started, told to stop
//! if it has (through [`Progress::cancelled`]), and its result is dropped if it finishes anyway.
//! The heat map, the learning-rate sweep and the 1-D slices each run on one.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use downhill_engine::progress::Progress;

struct State<Req, Out> {
    next: Option<(u64, Req)>,
    latest: Option<Arc<Out>>,
    last_id: u64,
    /// The id being computed, if any.
    running: Option<u64>,
    /// The progress of the running computation: created in the same critical section that
    /// takes the request, so a newer request always cancels the computation it supersedes.
    progress: Arc<Progress>,
    shutdown: bool,
}

struct Shared<Req, Out> {
    state: Mutex<State<Req, Out>>,
    wake: Condvar,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every critical section is a plain assignment: a poisoned lock still holds whole data.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The handle on one such thread. Dropping it stops the thread.
pub struct LatestWorker<Req, Out> {
    shared: Arc<Shared<Req, Out>>,
    thread: Option<JoinHandle<()>>,
}

impl<Req: Send + 'static, Out: Send + Sync + 'static> LatestWorker<Req, Out> {
    /// Starts a thread called `name` that answers requests with `compute(id, request,
    /// progress)` (`None`: it stopped because it was cancelled) and calls `notify` after each
    /// answer.
    pub fn spawn(
        name: &str,
        compute: impl Fn(u64, Req, &Progress) -> Option<Out> + Send + 'static,
        notify: impl Fn() + Send + 'static,
    ) -> std::io::Result<Self> {
        Self::spawn_with_previews(name, move |id, req, p, _| compute(id, req, p), notify)
    }

    /// As [`Self::spawn`], and `compute` may publish a preview (a coarse answer shown while
    /// the full one is computed) through its last argument; a preview of a request that a
    /// newer one has replaced is dropped.
    pub fn spawn_with_previews(
        name: &str,
        compute: impl Fn(u64, Req, &Progress, &dyn Fn(Out)) -> Option<Out> + Send + 'static,
        notify: impl Fn() + Send + 'static,
    ) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                next: None,
                latest: None,
                last_id: 0,
                running: None,
                progress: Arc::new(Progress::default()),
                shutdown: false,
            }),
            wake: Condvar::new(),
        });
        let s = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                // Stores an answer unless a newer request is waiting (then it is stale).
                let publish = |out: Out| {
                    let mut st = lock(&s.state);
                    if st.next.is_none() {
                        st.latest = Some(Arc::new(out));
                        drop(st);
                        notify();
                    }
                };
                loop {
                    let (id, req, progress) = {
                        let mut st = lock(&s.state);
                        loop {
                            if st.shutdown {
                                return;
                            }
                            if let Some((id, req)) = st.next.take() {
                                st.running = Some(id);
                                st.progress = Arc::new(Progress::default());
                                break (id, req, Arc::clone(&st.progress));
                            }
                            st = s.wake.wait(st).unwrap_or_else(PoisonError::into_inner);
                        }
                    };
                    let out = compute(id, req, &progress, &publish);
                    lock(&s.state).running = None;
                    if let Some(out) = out {
                        publish(out);
                    }
                }
            })?;
        Ok(Self {
            shared,
            thread: Some(thread),
        })
    }

    /// Asks for an answer to `req`; returns its id. Never blocks on the computation.
    pub fn request(&self, req: Req) -> u64 {
        let mut st = lock(&self.shared.state);
        st.last_id += 1;
        let id = st.last_id;
        st.next = Some((id, req));
        // Whatever runs now is stale.
        st.progress.cancel();
        drop(st);
        self.shared.wake.notify_one();
        id
    }

    /// The newest finished answer.
    pub fn latest(&self) -> Option<Arc<Out>> {
        lock(&self.shared.state).latest.clone()
    }

    /// The id of the request being computed or waiting, if any, and how far along it is.
    pub fn busy(&self) -> Option<(u64, f32)> {
        let st = lock(&self.shared.state);
        let id = st.next.as_ref().map(|n| n.0).or(st.running)?;
        let fraction = if st.next.is_some() {
            0.0
        } else {
            st.progress.fraction()
        };
        Some((id, fraction))
    }
}

impl<Req, Out> Drop for LatestWorker<Req, Out> {
    fn drop(&mut self) {
        {
            let mut st = lock(&self.shared.state);
            st.shutdown = true;
            st.progress.cancel();
        }
        self.shared.wake.notify_one();
        if let Some(t) = self.thread.take() {
            t.join().ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn the_newest_request_wins_and_a_stale_one_is_cancelled() {
        let w = LatestWorker::spawn(
            "test-worker",
            |_, n: u64, p: &Progress| {
                for i in 0..n {
                    if p.cancelled() {
                        return None;
                    }
                    p.set(i, n);
                    std::thread::sleep(Duration::from_millis(1));
                }
                Some(n)
            },
            || {},
        )
        .unwrap();
        w.request(100_000);
        std::thread::sleep(Duration::from_millis(20));
        assert!(w.busy().is_some());
        let id = w.request(3);
        let t0 = Instant::now();
        while w.latest().is_none() && t0.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(2));
        }
        assert_eq!(w.latest().as_deref(), Some(&3));
        assert_eq!(id, 2);
        assert!(w.busy().is_none());
    }
}
