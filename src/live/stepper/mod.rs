//! The background stepper: one named thread owns the run, takes commands from the window and
//! publishes snapshots for it to draw. The window never waits on numerics: it sends a command
//! (which never blocks) and reads the latest snapshot (a pointer copy).
//!
//! A changed setup restarts the run and computes the first [`PREVIEW_STEPS`] updates at once,
//! so dragging a slider sweeps through behaviours without waiting; then the run plays on at the
//! chosen speed. With replay on, the preview only decides each run's outcome (shown at once)
//! and the runs start again from step 0, playing, so the path grows in front of the class. The thread knows nothing of egui: it calls a `notify` callback after each
//! publication (the window passes `request_repaint`).
//!
//! Split by job: this module holds the handle and the commands; [`snapshot`] what the window
//! reads; `track` the racing and scattered runs with their checkpoints for replay; `thread`
//! the thread's state and loop.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use downhill_engine::expr::Undefined;
use downhill_engine::landscape::{Landscape, View};
use downhill_engine::optim::{OptimizerKind, Vec2};
use downhill_engine::run::path::PathBuilder;
pub use downhill_engine::run::path::RunPath;
use downhill_engine::run::setup::{Built, Setup};
use downhill_engine::run::{Manner, Row, Run, Status};
use downhill_engine::teach::explain::{At, Explanation, Params, explain};
use downhill_engine::teach::facts::Facts;
use downhill_engine::teach::why::{Quadratic, WhyInput, why};

/// Updates computed at once after a setup changes.
pub const PREVIEW_STEPS: u64 = 500;
/// Updates computed at once in instant mode; a longer run goes on at full speed in slices, so
/// the stepper keeps answering.
const INSTANT_STEPS: u64 = 2_000_000;
/// Copies of a run kept for replaying updates (the oldest are thinned first).
const MAX_CHECKPOINTS: usize = 128;
/// Snapshots published per second at most while playing.
const PUBLISH_HZ: f64 = 60.0;
/// The most work done between two looks at the inbox while playing as fast as possible.
const SLICE: Duration = Duration::from_millis(4);
/// The longest a new setup's first updates may hold up the stepper (the rest play on).
const PREVIEW_BUDGET: Duration = Duration::from_millis(150);

/// How fast the run plays.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Speed {
    /// Updates per second.
    PerSecond(f64),
    /// As fast as the machine allows.
    Max,
    /// The whole run at once: every change shows the finished path.
    Instant,
}

/// What the window asks of the stepper.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Restart with this setup (the newest one wins when several are waiting).
    SetSetup(Box<Setup>),
    Play,
    Pause,
    TogglePlay,
    /// One update.
    Step,
    /// Back to row 0 of the current setup.
    Reset,
    SetSpeed(Speed),
    /// Whether a changed setup replays its runs from step 0 at the chosen speed (while the
    /// preview runs ahead to say where each will end) instead of showing the preview.
    SetReplay(bool),
    /// Write out this update in the snapshots from now on.
    Inspect(Inspect),
    /// Panics in the stepper thread (to test that the window survives one).
    #[cfg(test)]
    Crash,
}

mod snapshot;
mod thread;
mod track;

pub use snapshot::{Inspect, NetTheta, RunView, ScatterView, Snapshot};
use thread::{Notify, StepperThread};

#[derive(Default)]
struct Inbox {
    setup: Option<Setup>,
    commands: VecDeque<Command>,
    shutdown: bool,
}

struct Shared {
    inbox: Mutex<Inbox>,
    wake: Condvar,
    latest: Mutex<Arc<Snapshot>>,
    /// Set while the thread has nothing left to do (paused, or finished, with an empty inbox).
    idle: Mutex<bool>,
    idle_changed: Condvar,
    /// Set while the thread builds a network's landscape (it trains the first run for the
    /// plane): the window says so instead of looking stuck.
    building: AtomicBool,
}

/// Whether `setup` is built on the stepper thread rather than by [`StepperHandle::spawn`]'s
/// caller: a network's landscape trains its first run for the plane (up to about a second),
/// which the window's thread must not wait for.
pub fn builds_on_thread(setup: &Setup) -> bool {
    matches!(
        setup.landscape,
        downhill_engine::landscape::LandscapeSpec::Net(_)
    )
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding one of these locks cannot leave the data half-written (every
    // critical section is a plain assignment or push), so a poisoned lock is still usable.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The window's handle on the stepper thread. Dropping it stops the thread.
pub struct StepperHandle {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    /// The setup spawned with is being built on the thread ([`builds_on_thread`]); the first
    /// snapshots are the default setup's.
    deferred: bool,
}

impl StepperHandle {
    /// Starts the thread with `setup` (or the default setup, with the error noted, if `setup`
    /// cannot run), playing at `speed`. A setup that [`builds_on_thread`] and passes its
    /// check ([`Setup::check`], quick) is sent to the thread after it starts on the default
    /// setup; one that fails is replaced by the default here, with the error noted.
    pub fn spawn(
        setup: Setup,
        speed: Speed,
        notify: impl Fn() + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        let notify: Notify = Arc::new(notify);
        let (setup, later) = if builds_on_thread(&setup) && setup.check().is_ok() {
            (Setup::default(), Some(setup))
        } else {
            (setup, None)
        };
        let mut worker = match setup.build_all() {
            Ok(built) => StepperThread::new(setup, built, speed, Arc::clone(&notify), None),
            Err(e) => {
                let fallback = Setup::default();
                let built = fallback.build_all().map_err(std::io::Error::other)?;
                let note = format!("the saved setup could not run ({e}); showing the default");
                StepperThread::new(fallback, built, speed, Arc::clone(&notify), Some(note))
            }
        };
        let shared = Arc::new(Shared {
            inbox: Mutex::new(Inbox::default()),
            wake: Condvar::new(),
            latest: Mutex::new(Arc::new(worker.snapshot())),
            idle: Mutex::new(false),
            idle_changed: Condvar::new(),
            // Up from the start when a network is to be built: no frame shows the placeholder.
            building: AtomicBool::new(later.is_some()),
        });
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("downhill-stepper".into())
            .spawn(move || thread::serve(worker, &thread_shared, &notify))?;
        let handle = Self {
            shared,
            thread: Some(thread),
            deferred: later.is_some(),
        };
        if let Some(s) = later {
            handle.send(Command::SetSetup(Box::new(s)));
        }
        Ok(handle)
    }

    /// Whether the setup spawned with is built on the thread (the first snapshots are the
    /// default setup's, not the settings').
    pub fn deferred(&self) -> bool {
        self.deferred
    }

    /// Whether the thread is building a network's landscape (training its first run for the
    /// plane) and has not yet applied the setup sent.
    pub fn building(&self) -> bool {
        self.shared.building.load(Ordering::Relaxed)
    }

    /// Queues a command; never blocks on the stepper's work.
    pub fn send(&self, command: Command) {
        {
            let mut inbox = lock(&self.shared.inbox);
            match command {
                Command::SetSetup(s) => inbox.setup = Some(*s),
                other => {
                    if inbox.commands.len() >= 256 {
                        inbox.commands.pop_front();
                    }
                    inbox.commands.push_back(other);
                }
            }
            // Still holding the inbox, which the thread holds when it says it is idle: were
            // this written after letting go, the thread could take the command, finish it
            // and say idle in between, and this would then say busy for ever after.
            *lock(&self.shared.idle) = false;
        }
        self.shared.wake.notify_one();
    }

    /// The latest snapshot.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&lock(&self.shared.latest))
    }

    /// Waits (at most `timeout`) until the stepper has handled every command and has nothing
    /// left to do: for tests and scripted use, never for the window's frames.
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut idle = lock(&self.shared.idle);
        while !*idle {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            idle = self
                .shared
                .idle_changed
                .wait_timeout(idle, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }
}

impl Drop for StepperHandle {
    fn drop(&mut self) {
        lock(&self.shared.inbox).shutdown = true;
        self.shared.wake.notify_one();
        if let Some(t) = self.thread.take() {
            t.join().ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn paused(setup: Setup) -> StepperHandle {
        let h = StepperHandle::spawn(setup, Speed::PerSecond(10.0), || {}).unwrap();
        h.send(Command::Pause);
        assert!(h.wait_idle(Duration::from_secs(5)));
        h
    }

    #[test]
    fn a_new_setup_shows_its_first_steps_at_once() {
        let h = paused(Setup::default());
        let mut s = Setup::default();
        s.runs[0].config.hyper.lr = 0.2;
        h.send(Command::SetSetup(Box::new(s.clone())));
        assert!(h.wait_idle(Duration::from_secs(5)));
        let snap = h.snapshot();
        assert_eq!(snap.setup, s);
        assert_eq!(snap.step, PREVIEW_STEPS);
        assert_eq!(snap.primary().path.len() as u64, PREVIEW_STEPS + 1);
        assert_eq!(snap.primary().status, Status::Converged);
    }

    #[test]
    fn step_reset_and_play() {
        let h = paused(Setup::default());
        h.send(Command::Reset);
        h.send(Command::Step);
        assert!(h.wait_idle(Duration::from_secs(5)));
        let snap = h.snapshot();
        assert_eq!(snap.step, 1);
        assert_eq!(
            snap.primary().path.get(1).unwrap().w,
            Vec2::new(2.4, 0.3999999999999999)
        );
        h.send(Command::SetSpeed(Speed::Max));
        h.send(Command::Play);
        assert!(h.wait_idle(Duration::from_secs(5)));
        let snap = h.snapshot();
        assert_eq!(snap.step, 1000);
        assert!(snap.finished && !snap.playing);
    }

    #[test]
    fn a_refused_setup_keeps_the_last_good_run() {
        let h = paused(Setup::default());
        let before = h.snapshot();
        let bad = Setup {
            landscape: downhill_engine::landscape::LandscapeSpec::Expr { text: "x +".into() },
            ..Setup::default()
        };
        h.send(Command::SetSetup(Box::new(bad)));
        assert!(h.wait_idle(Duration::from_secs(5)));
        let after = h.snapshot();
        assert_eq!(after.generation, before.generation);
        assert_eq!(after.setup, before.setup);
        assert!(after.error.as_deref().unwrap().contains("column 4"));
    }

    #[test]
    fn long_paths_share_their_chunks() {
        let s = Setup {
            steps: 10_000,
            ..Setup::default()
        };
        let h = StepperHandle::spawn(s, Speed::Instant, || {}).unwrap();
        assert!(h.wait_idle(Duration::from_secs(5)));
        let snap = h.snapshot();
        assert_eq!(snap.primary().path.len(), 10_001);
        assert_eq!(snap.primary().path.iter().count(), 10_001);
        assert_eq!(
            snap.primary().path.get(9999).map(|r| r.w),
            snap.primary().path.iter().nth(9999).map(|r| r.1.w)
        );
        assert_eq!(snap.primary().path.last(), snap.primary().path.get(10_000));
        let thin: Vec<usize> = snap.primary().path.thinned(1000).map(|(i, _)| i).collect();
        assert!(thin.len() <= 1000 && thin.len() > 900, "{}", thin.len());
        assert_eq!(thin.first(), Some(&0));
        assert_eq!(thin.last(), Some(&10_000));
        assert!(thin.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(snap.primary().path.thinned(20_000).count(), 10_001);
    }

    #[test]
    fn racing_runs_step_in_lock_step_and_updates_are_written_out() {
        let mut s = Setup::default();
        let mut adam = downhill_engine::run::RunConfig::new(OptimizerKind::Adam);
        adam.hyper.lr = 0.3;
        s.runs.push(downhill_engine::run::setup::RunSpec::new(adam));
        s.steps = 10_000;
        let h = paused(s);
        h.send(Command::Reset);
        for _ in 0..3 {
            h.send(Command::Step);
        }
        h.send(Command::Inspect(Inspect { run: 1, step: None }));
        assert!(h.wait_idle(Duration::from_secs(5)));
        let snap = h.snapshot();
        assert_eq!(snap.runs.len(), 2);
        assert!(snap.runs.iter().all(|r| r.step() == 3));
        let e = snap.explanation.clone().unwrap();
        assert_eq!(e.step, 3);
        assert!(e.heading.contains("Adam"), "{}", e.heading);
        // An update far back is replayed from a checkpoint and lands on the recorded row.
        h.send(Command::SetSpeed(Speed::Instant));
        h.send(Command::Inspect(Inspect {
            run: 0,
            step: Some(5000),
        }));
        assert!(h.wait_idle(Duration::from_secs(5)));
        let snap = h.snapshot();
        assert_eq!(snap.step, 10_000);
        let e = snap.explanation.clone().unwrap();
        assert_eq!(e.step, 5000);
        let w = snap.primary().path.get(5000).unwrap().w;
        assert_eq!(e.lines[0].result(), Some(w.x), "{:?}", e.lines);
    }

    #[test]
    fn a_long_run_keeps_bounded_memory_and_old_updates_can_still_be_written_out() {
        let mut s = Setup {
            steps: 1_500_000,
            ..Setup::default()
        };
        // Small enough that no coordinate reaches a fixed point: every row differs.
        s.runs[0].config.hyper.lr = 1e-7;
        let h = StepperHandle::spawn(s, Speed::Instant, || {}).unwrap();
        assert!(h.wait_idle(Duration::from_secs(60)));
        let snap = h.snapshot();
        let path = &snap.primary().path;
        assert_eq!(path.len(), 1_500_001);
        assert!(
            path.kept_len()
                <= downhill_engine::run::path::RECENT_ROWS
                    + downhill_engine::run::path::HISTORY_ROWS
                    + 4096,
            "{}",
            path.kept_len()
        );
        for step in [1, 12_345, 1_400_000] {
            h.send(Command::Inspect(Inspect {
                run: 0,
                step: Some(step),
            }));
            assert!(h.wait_idle(Duration::from_secs(20)));
            let snap = h.snapshot();
            let e = snap.explanation.clone().unwrap();
            assert_eq!(e.step, step);
            if let Some(row) = snap.primary().path.get(step as usize) {
                assert_eq!(e.lines[0].result(), Some(row.w.x), "{:?}", e.lines);
            }
        }
    }

    /// Mini-batches on data: an update far past the first checkpoint (a later epoch) is
    /// replayed from a lean checkpoint, whose batch order is rebuilt from the seed, and lands
    /// on the recorded row.
    #[test]
    fn updates_on_shuffled_batches_replay_from_lean_checkpoints() {
        use downhill_engine::data::{BatchOrder, BatchSpec, DataSource, Generate, Model};
        let mut s = Setup {
            landscape: downhill_engine::landscape::LandscapeSpec::Data {
                data: DataSource::Generated(Generate::default()),
                model: Model::Linear,
                standardize: true,
            },
            start: [0.0, 0.0],
            steps: 10_000,
            ..Setup::default()
        };
        s.runs[0].config.hyper.lr = 0.01;
        s.runs[0].config.batch = BatchSpec {
            size: 7,
            order: BatchOrder::Shuffle,
        };
        s.runs[0].config.noise.seed = 9;
        let h = StepperHandle::spawn(s.clone(), Speed::Instant, || {}).unwrap();
        assert!(h.wait_idle(Duration::from_secs(60)));
        // The same run stepped on its own, for reference.
        let reference = s.build_all().unwrap().runs[0].clone().record(10_000);
        let snap = h.snapshot();
        for step in [1, 4095, 4097, 8193, 9_999] {
            let row = snap.primary().path.get(step as usize).copied().unwrap();
            assert_eq!(row, reference.rows[step as usize], "row {step}");
            h.send(Command::Inspect(Inspect {
                run: 0,
                step: Some(step),
            }));
            assert!(h.wait_idle(Duration::from_secs(20)));
            let e = h.snapshot().explanation.clone().unwrap();
            assert_eq!(e.lines[0].result(), Some(row.w.x), "step {step}");
        }
    }

    #[test]
    fn a_panic_in_the_stepper_is_reported_and_stepping_goes_on() {
        let h = paused(Setup::default());
        h.send(Command::Crash);
        assert!(h.wait_idle(Duration::from_secs(5)));
        let snap = h.snapshot();
        assert!(
            snap.crash
                .as_deref()
                .unwrap()
                .contains("stopped unexpectedly"),
            "{:?}",
            snap.crash
        );
        assert_eq!(snap.step, 0);
        h.send(Command::Step);
        assert!(h.wait_idle(Duration::from_secs(5)));
        assert_eq!(h.snapshot().step, 1);
    }

    #[test]
    fn scattered_starts_keep_short_trails() {
        let mut s = Setup {
            landscape: downhill_engine::landscape::LandscapeSpec::builtin("himmelblau"),
            start: [0.0, 0.0],
            scatter: downhill_engine::run::setup::Scatter { count: 8, seed: 1 },
            steps: 100_000,
            ..Setup::default()
        };
        s.runs[0].config.hyper.lr = 0.01;
        let h = StepperHandle::spawn(s, Speed::Instant, || {}).unwrap();
        assert!(h.wait_idle(Duration::from_secs(20)));
        let snap = h.snapshot();
        assert_eq!(snap.scatter.len(), 8);
        for t in &snap.scatter {
            assert!(t.trail.len() <= 1025, "{}", t.trail.len());
            assert!(t.trail.len() > 1);
        }
    }

    #[test]
    fn it_asks_for_a_repaint_when_it_publishes() {
        let count = Arc::new(AtomicUsize::new(0));
        let c = Arc::clone(&count);
        let h = StepperHandle::spawn(Setup::default(), Speed::Max, move || {
            c.fetch_add(1, Ordering::Relaxed);
        })
        .unwrap();
        assert!(h.wait_idle(Duration::from_secs(5)));
        assert!(count.load(Ordering::Relaxed) >= 1);
        assert!(h.snapshot().finished);
    }
}
