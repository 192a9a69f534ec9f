//! The background stepper: one named thread owns the run, takes commands from the window and
//! publishes snapshots for it to draw. The window never waits on numerics: it sends a command
//! (which never blocks) and reads the latest snapshot (a pointer copy).
//!
//! A changed setup restarts the run and computes the first [`PREVIEW_STEPS`] updates at once,
//! so dragging a slider sweeps through behaviours without waiting; then the run plays on at the
//! chosen speed. The thread knows nothing of egui: it calls a `notify` callback after each
//! publication (the window passes `request_repaint`).

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::expr::Undefined;
use crate::facts::Facts;
use crate::landscape::{Landscape, View};
use crate::optim::Vec2;
use crate::run::{Row, Run, Status};
use crate::setup::Setup;

/// Updates computed at once after a setup changes.
pub const PREVIEW_STEPS: u64 = 500;
/// Rows per shared chunk of a path.
const CHUNK: usize = 4096;
/// Snapshots published per second at most while playing.
const PUBLISH_HZ: f64 = 60.0;
/// The most work done between two looks at the inbox while playing as fast as possible.
const SLICE: Duration = Duration::from_millis(4);

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
}

/// A path shared between snapshots: full chunks are shared, only the last one is copied.
#[derive(Clone, Debug, Default)]
pub struct Path {
    chunks: Vec<Arc<[Row]>>,
    tail: Arc<[Row]>,
}

impl Path {
    pub fn len(&self) -> usize {
        self.chunks.len() * CHUNK + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows in order.
    pub fn iter(&self) -> impl Iterator<Item = &Row> + '_ {
        self.chunks
            .iter()
            .flat_map(|c| c.iter())
            .chain(self.tail.iter())
    }

    pub fn last(&self) -> Option<&Row> {
        self.tail
            .last()
            .or_else(|| self.chunks.last().and_then(|c| c.last()))
    }

    /// At most about `max` rows for drawing, with their steps: all of them when there are few;
    /// otherwise the latest `max / 4` in full (the live end of the path) and the rest evenly
    /// thinned. Costs O(max), whatever the length of the path.
    pub fn thinned(&self, max: usize) -> impl Iterator<Item = (usize, &Row)> + '_ {
        let n = self.len();
        let max = max.max(8);
        let (head, stride) = if n <= max {
            (0, 1)
        } else {
            let tail = max / 4;
            let head = n - tail;
            (head, head.div_ceil(max - tail))
        };
        (0..head)
            .step_by(stride)
            .chain(head..n)
            .filter_map(move |i| self.get(i).map(|r| (i, r)))
    }

    /// Row `i`.
    pub fn get(&self, i: usize) -> Option<&Row> {
        match self.chunks.get(i / CHUNK) {
            Some(c) => c.get(i % CHUNK),
            None => self.tail.get(i - self.chunks.len() * CHUNK),
        }
    }
}

/// Everything the window draws of a run, as of one moment.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Counts accepted setups: a new number means a new run.
    pub generation: u64,
    pub setup: Setup,
    pub landscape: Arc<Landscape>,
    /// Rows 0..=step.
    pub path: Path,
    pub step: u64,
    pub status: Status,
    pub playing: bool,
    /// The run reached its step limit or stopped (diverged, left the domain).
    pub finished: bool,
    pub speed: Speed,
    /// The optimizer's carried direction (momentum buffer, Adam's m), if it has one.
    pub velocity: Option<Vec2>,
    /// The learning rate of the next update.
    pub lr: f64,
    pub facts: Facts,
    /// Known minima of the landscape and the lowest loss among them.
    pub minima: Vec<Vec2>,
    pub min_loss: Option<f64>,
    /// The window that shows the landscape's interesting part.
    pub fit_view: View,
    /// A typed formula's derivatives written out: ∂L/∂x, ∂L/∂y, then ∂²L/∂x², ∂²L/∂x∂y, ∂²L/∂y².
    pub derivatives: Option<Arc<[String; 5]>>,
    /// Where the run tried to step and why the formula is undefined there.
    pub left_domain: Option<(Vec2, Undefined)>,
    /// Why the newest setup was refused (the previous run goes on).
    pub error: Option<String>,
}

impl Snapshot {
    /// The current row.
    pub fn row(&self) -> Option<&Row> {
        self.path.last()
    }
}

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
}

impl StepperHandle {
    /// Starts the thread with `setup` (or the default setup, with the error noted, if `setup`
    /// cannot run), playing at `speed`.
    pub fn spawn(
        setup: Setup,
        speed: Speed,
        notify: impl Fn() + Send + 'static,
    ) -> std::io::Result<Self> {
        let notify: Box<dyn Fn() + Send> = Box::new(notify);
        let mut worker = match setup.build() {
            Ok(built) => Worker::new(setup, built, speed, notify, None),
            Err(e) => {
                let fallback = Setup::default();
                let built = fallback.build().map_err(std::io::Error::other)?;
                let note = format!("the saved setup could not run ({e}); showing the default");
                Worker::new(fallback, built, speed, notify, Some(note))
            }
        };
        if speed == Speed::Instant {
            worker.preview();
        }
        let shared = Arc::new(Shared {
            inbox: Mutex::new(Inbox::default()),
            wake: Condvar::new(),
            latest: Mutex::new(Arc::new(worker.snapshot())),
            idle: Mutex::new(false),
            idle_changed: Condvar::new(),
        });
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("downhill-stepper".into())
            .spawn(move || worker.run(&thread_shared))?;
        Ok(Self {
            shared,
            thread: Some(thread),
        })
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
        }
        *lock(&self.shared.idle) = false;
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

/// The thread's state.
struct Worker {
    generation: u64,
    setup: Setup,
    landscape: Arc<Landscape>,
    run: Run,
    facts: Facts,
    minima: Vec<Vec2>,
    min_loss: Option<f64>,
    fit_view: View,
    derivatives: Option<Arc<[String; 5]>>,
    chunks: Vec<Arc<[Row]>>,
    tail: Vec<Row>,
    playing: bool,
    speed: Speed,
    error: Option<String>,
    notify: Box<dyn Fn() + Send>,
    /// Fractional updates owed at a slow speed.
    owed: f64,
    last_tick: Instant,
    last_publish: Instant,
}

impl Worker {
    fn new(
        setup: Setup,
        (landscape, run): (Landscape, Run),
        speed: Speed,
        notify: Box<dyn Fn() + Send>,
        error: Option<String>,
    ) -> Self {
        let now = Instant::now();
        let mut w = Self {
            generation: 0,
            // Placeholders until `derive_facts` below.
            facts: Facts::default(),
            fit_view: landscape.view(),
            setup,
            landscape: Arc::new(landscape),
            run,
            minima: Vec::new(),
            min_loss: None,
            derivatives: None,
            chunks: Vec::new(),
            tail: Vec::new(),
            playing: true,
            speed,
            error,
            notify,
            owed: 0.0,
            last_tick: now,
            last_publish: now,
        };
        w.derive_landscape();
        w.restart_path();
        w
    }

    /// What follows from the landscape alone (its minima are searched once here), then the
    /// facts that also depend on the start.
    fn derive_landscape(&mut self) {
        self.minima = self.landscape.minima();
        self.fit_view = self.landscape.fit_view(&self.minima);
        self.derivatives = match self.landscape.as_ref() {
            Landscape::Expr(e) => {
                let [gx, gy] = e.gradient_text();
                let [hxx, hxy, hyy] = e.hessian_text();
                Some(Arc::new([gx, gy, hxx, hxy, hyy]))
            }
            Landscape::Builtin(_) => None,
        };
        self.min_loss = self
            .minima
            .iter()
            .map(|m| self.landscape.value(*m))
            .filter(|v| v.is_finite())
            .min_by(f64::total_cmp);
        self.derive_facts();
    }

    /// The Hessian facts for the current start, from the minima already found.
    fn derive_facts(&mut self) {
        self.facts = Facts::with_minima(&self.landscape, self.setup.start(), &self.minima);
    }

    fn restart_path(&mut self) {
        self.chunks.clear();
        self.tail.clear();
        self.tail.push(self.run.row());
        self.owed = 0.0;
    }

    fn finished(&self) -> bool {
        self.run.status().is_final() || self.run.step() >= self.setup.steps
    }

    /// Up to `n` updates, appended to the path.
    fn advance(&mut self, n: u64) {
        let n = n.min(self.setup.steps.saturating_sub(self.run.step()));
        for _ in 0..n {
            let Some(row) = self.run.advance() else { break };
            self.tail.push(row);
            if self.tail.len() == CHUNK {
                self.chunks.push(Arc::from(std::mem::take(&mut self.tail)));
            }
            if self.run.status().is_final() {
                break;
            }
        }
    }

    /// The first updates of a fresh run: the preview, or the whole run in instant mode.
    fn preview(&mut self) {
        let n = match self.speed {
            Speed::Instant => self.setup.steps,
            _ => PREVIEW_STEPS,
        };
        self.advance(n);
    }

    fn accept(&mut self, setup: Setup) {
        match setup.build() {
            Ok((landscape, run)) => {
                let landscape_changed = setup.landscape != self.setup.landscape;
                let start_changed = setup.start != self.setup.start;
                self.setup = setup;
                self.run = run;
                if landscape_changed {
                    self.landscape = Arc::new(landscape);
                    self.derive_landscape();
                } else if start_changed {
                    self.derive_facts();
                }
                self.generation += 1;
                self.error = None;
                self.restart_path();
                self.preview();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    fn reset(&mut self) {
        if let Ok((_, run)) = self.setup.build() {
            self.run = run;
            self.generation += 1;
            self.restart_path();
            if self.speed == Speed::Instant {
                self.preview();
            }
        }
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            generation: self.generation,
            setup: self.setup.clone(),
            landscape: Arc::clone(&self.landscape),
            path: Path {
                chunks: self.chunks.clone(),
                tail: Arc::from(self.tail.as_slice()),
            },
            step: self.run.step(),
            status: self.run.status(),
            playing: self.playing && !self.finished(),
            finished: self.finished(),
            speed: self.speed,
            velocity: self.run.optimizer().velocity(),
            lr: self.run.lr(),
            facts: self.facts,
            minima: self.minima.clone(),
            min_loss: self.min_loss,
            fit_view: self.fit_view,
            derivatives: self.derivatives.clone(),
            left_domain: self.run.left_domain(),
            error: self.error.clone(),
        }
    }

    fn publish(&mut self, shared: &Shared) {
        *lock(&shared.latest) = Arc::new(self.snapshot());
        self.last_publish = Instant::now();
        (self.notify)();
    }

    /// Handles the waiting commands; returns whether anything changed.
    fn handle_inbox(&mut self, shared: &Shared) -> Option<bool> {
        let (setup, commands) = {
            let mut inbox = lock(&shared.inbox);
            if inbox.shutdown {
                return None;
            }
            (inbox.setup.take(), std::mem::take(&mut inbox.commands))
        };
        let mut changed = false;
        if let Some(s) = setup {
            self.accept(s);
            changed = true;
        }
        for c in commands {
            changed = true;
            match c {
                Command::SetSetup(s) => self.accept(*s),
                Command::Play => self.playing = true,
                Command::Pause => self.playing = false,
                Command::TogglePlay => {
                    if self.finished() && !self.playing {
                        // Play at the end starts over, as a media player does.
                        self.reset();
                        self.playing = true;
                    } else {
                        self.playing = !self.playing;
                    }
                }
                Command::Step => {
                    self.playing = false;
                    self.advance(1);
                }
                Command::Reset => self.reset(),
                Command::SetSpeed(s) => {
                    self.speed = s;
                    if s == Speed::Instant {
                        self.advance(self.setup.steps);
                    }
                }
            }
            self.last_tick = Instant::now();
        }
        Some(changed)
    }

    fn run(mut self, shared: &Shared) {
        loop {
            let Some(changed) = self.handle_inbox(shared) else {
                return;
            };
            if changed {
                self.publish(shared);
            }
            let active = self.playing && !self.finished() && self.speed != Speed::Instant;
            if active {
                self.play_slice(shared);
            }
            // Wait for the next command (or, while playing, for the next update to be due).
            let mut inbox = lock(&shared.inbox);
            if inbox.setup.is_some() || !inbox.commands.is_empty() || inbox.shutdown {
                continue;
            }
            let active = self.playing && !self.finished() && self.speed != Speed::Instant;
            if active {
                let wait = match self.speed {
                    Speed::PerSecond(s) if s > 0.0 => {
                        Duration::from_secs_f64(((1.0 - self.owed) / s).clamp(0.0, 1.0))
                    }
                    _ => Duration::ZERO,
                };
                if !wait.is_zero() {
                    inbox = shared
                        .wake
                        .wait_timeout(inbox, wait)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                }
                drop(inbox);
            } else {
                if !changed && self.last_publish.elapsed() > Duration::ZERO {
                    // Make sure the final state is on screen.
                    self.publish(shared);
                }
                {
                    *lock(&shared.idle) = true;
                    shared.idle_changed.notify_all();
                }
                while inbox.setup.is_none() && inbox.commands.is_empty() && !inbox.shutdown {
                    inbox = shared
                        .wake
                        .wait(inbox)
                        .unwrap_or_else(PoisonError::into_inner);
                }
                self.last_tick = Instant::now();
            }
        }
    }

    /// Plays for a while: the updates due at the chosen speed, published at most 60 times a
    /// second.
    fn play_slice(&mut self, shared: &Shared) {
        let now = Instant::now();
        let elapsed = now.duration_since(self.last_tick).as_secs_f64();
        self.last_tick = now;
        match self.speed {
            Speed::PerSecond(s) => {
                self.owed += elapsed * s.max(0.0);
                let n = self.owed.floor();
                if n >= 1.0 {
                    self.owed -= n;
                    self.advance(n as u64);
                }
            }
            Speed::Max => {
                let t0 = Instant::now();
                while t0.elapsed() < SLICE && !self.finished() {
                    self.advance(1024);
                }
            }
            Speed::Instant => {}
        }
        let due = self.last_publish.elapsed().as_secs_f64() >= 1.0 / PUBLISH_HZ;
        if due || self.finished() {
            self.publish(shared);
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
        s.run.hyper.lr = 0.2;
        h.send(Command::SetSetup(Box::new(s.clone())));
        assert!(h.wait_idle(Duration::from_secs(5)));
        let snap = h.snapshot();
        assert_eq!(snap.setup, s);
        assert_eq!(snap.step, PREVIEW_STEPS);
        assert_eq!(snap.path.len() as u64, PREVIEW_STEPS + 1);
        assert_eq!(snap.status, Status::Converged);
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
            snap.path.get(1).unwrap().w,
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
            landscape: crate::landscape::LandscapeSpec::Expr { text: "x +".into() },
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
        assert_eq!(snap.path.len(), 10_001);
        assert_eq!(snap.path.iter().count(), 10_001);
        assert_eq!(
            snap.path.get(9999).map(|r| r.w),
            snap.path.iter().nth(9999).map(|r| r.w)
        );
        assert_eq!(snap.path.last(), snap.path.get(10_000));
        let thin: Vec<usize> = snap.path.thinned(1000).map(|(i, _)| i).collect();
        assert!(thin.len() <= 1000 && thin.len() > 900, "{}", thin.len());
        assert_eq!(thin.first(), Some(&0));
        assert_eq!(thin.last(), Some(&10_000));
        assert!(thin.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(snap.path.thinned(20_000).count(), 10_001);
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
