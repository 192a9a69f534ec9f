//! The background stepper: one named thread owns the run, takes commands from the window and
//! publishes snapshots for it to draw. The window never waits on numerics: it sends a command
//! (which never blocks) and reads the latest snapshot (a pointer copy).
//!
//! A changed setup restarts the run and computes the first [`PREVIEW_STEPS`] updates at once,
//! so dragging a slider sweeps through behaviours without waiting; then the run plays on at the
//! chosen speed. The thread knows nothing of egui: it calls a `notify` callback after each
//! publication (the window passes `request_repaint`).

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use downhill_engine::expr::Undefined;
use downhill_engine::landscape::{Landscape, View};
use downhill_engine::optim::{OptimizerKind, Vec2};
use downhill_engine::run::path::PathBuilder;
pub use downhill_engine::run::path::RunPath;
use downhill_engine::run::setup::{Built, Setup};
use downhill_engine::run::{Row, Run, Status};
use downhill_engine::teach::explain::{Explanation, explain};
use downhill_engine::teach::facts::Facts;

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
    /// Write out this update in the snapshots from now on.
    Inspect(Inspect),
    /// Panics in the stepper thread (to test that the window survives one).
    #[cfg(test)]
    Crash,
}

/// One racing run as of one moment.
#[derive(Clone, Debug)]
pub struct RunView {
    /// Rows 0..=step.
    pub path: RunPath,
    pub status: Status,
    /// The run reached the step limit or stopped (diverged, left the domain).
    pub finished: bool,
    /// The optimizer's carried direction (momentum buffer, Adam's m), if it has one.
    pub velocity: Option<Vec2>,
    /// The learning rate of the next update.
    pub lr: f64,
    /// Where the run tried to step and why the formula is undefined there.
    pub left_domain: Option<(Vec2, Undefined)>,
    /// On mini-batches: the points (indices into the data) of the batch behind the current
    /// row's gradient.
    pub batch: Option<Arc<[u32]>>,
}

impl RunView {
    /// The current row.
    pub fn row(&self) -> Option<&Row> {
        self.path.last()
    }

    /// The number of updates taken.
    pub fn step(&self) -> u64 {
        self.path.len().saturating_sub(1) as u64
    }
}

/// A run from a scattered start: a thinned trail (enough to draw) and where it is now.
#[derive(Clone, Debug)]
pub struct ScatterView {
    /// Which racing run's settings it uses.
    pub run: usize,
    /// Points along the path, first the start, last the current point.
    pub trail: Arc<[Vec2]>,
    pub status: Status,
    /// The known minimum (index into the snapshot's minima) the run has reached, if any.
    pub basin: Option<usize>,
}

/// Which update the window asks to see written out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Inspect {
    /// The racing run.
    pub run: usize,
    /// The update (row `step − 1` → row `step`); `None` follows the live end.
    pub step: Option<u64>,
}

/// Everything the window draws, as of one moment.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Counts accepted setups: a new number means new runs.
    pub generation: u64,
    pub setup: Setup,
    pub landscape: Arc<Landscape>,
    /// One per racing run, in the setup's order.
    pub runs: Vec<RunView>,
    pub scatter: Vec<ScatterView>,
    /// Updates taken so far (the furthest run).
    pub step: u64,
    pub playing: bool,
    /// Every run reached the step limit or stopped.
    pub finished: bool,
    pub speed: Speed,
    pub facts: Facts,
    /// Known minima of the landscape and the lowest loss among them.
    pub minima: Vec<Vec2>,
    pub min_loss: Option<f64>,
    /// The window that shows the landscape's interesting part.
    pub fit_view: View,
    /// A typed formula's derivatives written out: ∂L/∂x, ∂L/∂y, then ∂²L/∂x², ∂²L/∂x∂y, ∂²L/∂y².
    pub derivatives: Option<Arc<[String; 5]>>,
    /// What the window asked to see written out, and that update written out.
    pub inspect: Inspect,
    pub explanation: Option<Explanation>,
    /// Why the newest setup was refused (the previous runs go on).
    pub error: Option<String>,
    /// The stepper hit a bug and restarted: what to tell the user.
    pub crash: Option<String>,
    /// On a data landscape: the condition number with raw and with standardized x.
    pub conditioning: Option<downhill_engine::data::Conditioning>,
}

impl Snapshot {
    /// The first racing run (there is always one).
    pub fn primary(&self) -> &RunView {
        &self.runs[0]
    }

    /// The first run's current row.
    pub fn row(&self) -> Option<&Row> {
        self.primary().row()
    }
}

/// A racing run being stepped: its run, its path, and copies of the run every
/// [`CHUNK`](downhill_engine::run::path::CHUNK) steps
/// (thinned as they grow old) so any update can be replayed and written out.
struct Track {
    run: Run,
    path: PathBuilder,
    /// Copies of the run, in step order, starting with step 0.
    checkpoints: Vec<Run>,
    /// The run just before its latest update: the live step's arithmetic needs no replay (on
    /// a data landscape every replayed step costs a pass over the data).
    before_last: Option<Run>,
}

impl Track {
    fn new(run: Run) -> Self {
        let mut path = PathBuilder::new();
        path.push(run.row());
        Self {
            path,
            checkpoints: vec![run.lean_clone()],
            before_last: None,
            run,
        }
    }

    /// Keeps a copy of the run; when there are too many, every other one of the older half
    /// goes (replaying an old update then takes longer, never more memory).
    fn checkpoint(&mut self) {
        self.checkpoints.push(self.run.lean_clone());
        if self.checkpoints.len() > MAX_CHECKPOINTS {
            let half = self.checkpoints.len() / 2;
            let mut k = 0;
            self.checkpoints.retain(|_| {
                k += 1;
                k > half || k % 2 == 1
            });
        }
    }

    fn finished(&self, limit: u64) -> bool {
        self.run.status().is_final() || self.run.step() >= limit
    }

    /// Up to `n` updates, stopping at `limit`.
    fn advance(&mut self, n: u64, limit: u64) {
        let n = n.min(limit.saturating_sub(self.run.step()));
        for i in 0..n {
            if i + 1 == n {
                self.before_last = Some(self.run.lean_clone());
            }
            let Some(row) = self.run.advance() else { break };
            self.path.push(row);
            if self.path.chunk_completed() {
                self.checkpoint();
            }
            if self.run.status().is_final() {
                break;
            }
        }
    }

    fn view(&self, limit: u64) -> RunView {
        RunView {
            path: self.path.path(),
            status: self.run.status(),
            finished: self.finished(limit),
            velocity: self.run.optimizer().velocity(),
            lr: self.run.lr(),
            left_domain: self.run.left_domain(),
            batch: self.run.batch_points(self.run.step()).map(Arc::from),
        }
    }

    /// Update `step` written out, replayed from the nearest checkpoint (at most CHUNK updates).
    fn explain(&self, step: u64, kind: OptimizerKind, one_d: bool) -> Option<Explanation> {
        if step == 0 || step > self.run.step() {
            return None;
        }
        let mut run = match &self.before_last {
            Some(b) if b.step() == step - 1 => b.clone(),
            _ => {
                let i = self.checkpoints.partition_point(|c| c.step() < step);
                self.checkpoints.get(i.checked_sub(1)?)?.clone()
            }
        };
        while run.step() < step - 1 {
            run.advance()?;
        }
        let row = run.row();
        Some(explain(
            run.optimizer(),
            kind,
            row.w,
            row.grad,
            run.lr(),
            step,
            one_d,
        ))
    }
}

/// A run from a scattered start, keeping a trail of at most [`TRAIL`] points: when full, every
/// other point is dropped and points are kept half as often.
struct ScatterTrack {
    run_index: usize,
    run: Run,
    trail: Vec<Vec2>,
    /// Keep one point every `stride` steps.
    stride: u64,
    published: Option<Arc<[Vec2]>>,
}

/// Points kept per scattered run.
const TRAIL: usize = 1024;

impl ScatterTrack {
    fn new(run_index: usize, run: Run) -> Self {
        Self {
            run_index,
            trail: vec![run.row().w],
            run,
            stride: 1,
            published: None,
        }
    }

    fn advance(&mut self, n: u64, limit: u64) {
        let n = n.min(limit.saturating_sub(self.run.step()));
        if n == 0 || self.run.status().is_final() {
            return;
        }
        self.published = None;
        for _ in 0..n {
            let Some(row) = self.run.advance() else { break };
            if self.run.step().is_multiple_of(self.stride) {
                if self.trail.len() == TRAIL {
                    let kept: Vec<Vec2> = self.trail.iter().copied().step_by(2).collect();
                    self.trail = kept;
                    self.stride *= 2;
                }
                if self.run.step().is_multiple_of(self.stride) {
                    self.trail.push(row.w);
                }
            }
            if self.run.status().is_final() {
                break;
            }
        }
    }

    /// `one_d`: the landscape ignores w1, so only w0 says which minimum was reached.
    fn view(&mut self, minima: &[Vec2], one_d: bool) -> ScatterView {
        let trail = self
            .published
            .get_or_insert_with(|| {
                let mut t = self.trail.clone();
                let now = self.run.row().w;
                if t.last() != Some(&now) {
                    t.push(now);
                }
                Arc::from(t)
            })
            .clone();
        let w = self.run.row().w;
        let basin = minima.iter().position(|m| {
            let d = if one_d {
                (m.x - w.x).abs()
            } else {
                (m - w).norm()
            };
            d <= 1e-3 * (1.0 + m.norm())
        });
        ScatterView {
            run: self.run_index,
            trail,
            status: self.run.status(),
            basin,
        }
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
        notify: impl Fn() + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        let notify: Notify = Arc::new(notify);
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
        });
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("downhill-stepper".into())
            .spawn(move || {
                loop {
                    let (setup, speed) = (worker.setup.clone(), worker.speed);
                    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        // Instant mode's first batch runs here, not on the caller's (the
                        // window's) thread: the first frame shows the start, the next ones the
                        // finished runs.
                        if worker.speed == Speed::Instant {
                            worker.preview();
                            worker.publish(&thread_shared);
                        }
                        worker.run(&thread_shared)
                    }));
                    let Err(payload) = outcome else { return };
                    // A bug, not the user's doing: say so, start the same setup again from
                    // step 0 (paused), and go on.
                    let why = payload
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "no message".into());
                    let (setup, built) = match setup.build_all() {
                        Ok(b) => (setup, b),
                        Err(_) => match Setup::default().build_all() {
                            Ok(b) => (Setup::default(), b),
                            Err(_) => return,
                        },
                    };
                    worker = StepperThread::new(setup, built, speed, Arc::clone(&notify), None);
                    worker.crash = Some(format!(
                        "The stepper stopped unexpectedly ({why}); the runs restarted at step 0. \
                         Please report this."
                    ));
                    worker.playing = false;
                    worker.publish(&thread_shared);
                }
            })?;
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

/// Asks the window to repaint.
type Notify = Arc<dyn Fn() + Send + Sync>;

/// The thread's state.
struct StepperThread {
    /// Why the stepper restarted after a panic, if it did.
    crash: Option<String>,
    generation: u64,
    setup: Setup,
    landscape: Arc<Landscape>,
    tracks: Vec<Track>,
    scatter: Vec<ScatterTrack>,
    facts: Facts,
    minima: Vec<Vec2>,
    min_loss: Option<f64>,
    fit_view: View,
    derivatives: Option<Arc<[String; 5]>>,
    conditioning: Option<downhill_engine::data::Conditioning>,
    inspect: Inspect,
    playing: bool,
    speed: Speed,
    error: Option<String>,
    notify: Notify,
    /// Fractional updates owed at a slow speed.
    owed: f64,
    last_tick: Instant,
    last_publish: Instant,
}

impl StepperThread {
    fn new(
        setup: Setup,
        built: Built,
        speed: Speed,
        notify: Notify,
        error: Option<String>,
    ) -> Self {
        let now = Instant::now();
        let mut w = Self {
            crash: None,
            generation: 0,
            // Placeholders until `derive_landscape` below.
            facts: Facts::default(),
            fit_view: built.landscape.view(),
            setup,
            landscape: Arc::new(built.landscape.clone()),
            tracks: Vec::new(),
            scatter: Vec::new(),
            minima: Vec::new(),
            min_loss: None,
            derivatives: None,
            conditioning: None,
            inspect: Inspect::default(),
            playing: true,
            speed,
            error,
            notify,
            owed: 0.0,
            last_tick: now,
            last_publish: now,
        };
        w.derive_landscape();
        w.restart(built);
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
            Landscape::Builtin(_) | Landscape::Data(_) => None,
        };
        self.conditioning = self.landscape.data().map(|d| d.conditioning());
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

    /// Fresh tracks at row 0.
    fn restart(&mut self, built: Built) {
        self.tracks = built.runs.into_iter().map(Track::new).collect();
        self.scatter = built
            .scattered
            .into_iter()
            .map(|(k, run)| ScatterTrack::new(k, run))
            .collect();
        self.owed = 0.0;
    }

    fn step(&self) -> u64 {
        let racing = self.tracks.iter().map(|t| t.run.step());
        let scattered = self.scatter.iter().map(|t| t.run.step());
        racing.chain(scattered).max().unwrap_or(0)
    }

    /// Whether updates are due: playing, or in instant mode, until the runs finish.
    fn active(&self) -> bool {
        !self.finished() && (self.playing || self.speed == Speed::Instant)
    }

    fn finished(&self) -> bool {
        let limit = self.setup.steps;
        self.tracks.iter().all(|t| t.finished(limit))
            && self
                .scatter
                .iter()
                .all(|t| t.run.status().is_final() || t.run.step() >= limit)
    }

    /// Updates per call of [`Self::advance`] while playing at full speed: 1024, fewer when a
    /// step is costly (on data every step of every run is a pass over the points), so the
    /// thread looks at its inbox every few milliseconds whatever the landscape.
    fn chunk(&self) -> u64 {
        let points = self.landscape.data().map_or(1, |d| d.len() as u64);
        let runs = (self.tracks.len() + self.scatter.len()).max(1) as u64;
        ((1u64 << 18) / (points * runs).max(1)).clamp(1, 1024)
    }

    /// Up to `n` updates of every run in chunks, stopping early once `budget` has passed (the
    /// rest is played by the following slices); returns how many were asked of the runs.
    fn advance_within(&mut self, n: u64, budget: Duration) -> u64 {
        let t0 = Instant::now();
        let chunk = self.chunk();
        let mut left = n;
        while left > 0 && !self.finished() {
            let k = chunk.min(left);
            self.advance(k);
            left -= k;
            if t0.elapsed() > budget {
                break;
            }
        }
        n - left
    }

    /// Up to `n` updates of every run, in lock-step.
    fn advance(&mut self, n: u64) {
        let limit = self.setup.steps;
        for t in &mut self.tracks {
            t.advance(n, limit);
        }
        for t in &mut self.scatter {
            t.advance(n, limit);
        }
    }

    /// The first updates of fresh runs: the preview, or the whole runs in instant mode.
    fn preview(&mut self) {
        let n = match self.speed {
            Speed::Instant => self.setup.steps.min(INSTANT_STEPS),
            _ => PREVIEW_STEPS,
        };
        self.advance_within(n, PREVIEW_BUDGET);
    }

    /// The setup built, on the landscape already built when its spec is unchanged.
    fn build(&self, setup: &Setup) -> Result<Built, downhill_engine::run::setup::SetupError> {
        if setup.landscape == self.setup.landscape {
            setup.build_on(self.landscape.as_ref().clone())
        } else {
            setup.build_all()
        }
    }

    fn accept(&mut self, setup: Setup) {
        match self.build(&setup) {
            Ok(built) => {
                let landscape_changed = setup.landscape != self.setup.landscape;
                let start_changed = setup.start != self.setup.start;
                self.setup = setup;
                if landscape_changed {
                    self.landscape = Arc::new(built.landscape.clone());
                    self.derive_landscape();
                } else if start_changed {
                    self.derive_facts();
                }
                self.restart(built);
                self.generation += 1;
                self.error = None;
                self.preview();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    fn reset(&mut self) {
        if let Ok(built) = self.build(&self.setup) {
            self.restart(built);
            self.generation += 1;
            if self.speed == Speed::Instant {
                self.preview();
            }
        }
    }

    fn explanation(&self) -> Option<Explanation> {
        let track = self.tracks.get(self.inspect.run)?;
        let kind = self.setup.runs.get(self.inspect.run)?.config.optimizer;
        // A step past this run's end (it stopped earlier than the others) shows its last one.
        let live = track.run.step();
        let step = self.inspect.step.map_or(live, |s| s.min(live));
        track.explain(step, kind, self.landscape.is_one_d())
    }

    fn snapshot(&mut self) -> Snapshot {
        let limit = self.setup.steps;
        Snapshot {
            generation: self.generation,
            setup: self.setup.clone(),
            landscape: Arc::clone(&self.landscape),
            runs: self.tracks.iter().map(|t| t.view(limit)).collect(),
            scatter: self
                .scatter
                .iter_mut()
                .map(|t| t.view(&self.minima, self.landscape.is_one_d()))
                .collect(),
            step: self.step(),
            playing: self.playing && !self.finished(),
            finished: self.finished(),
            speed: self.speed,
            facts: self.facts,
            minima: self.minima.clone(),
            min_loss: self.min_loss,
            fit_view: self.fit_view,
            derivatives: self.derivatives.clone(),
            inspect: self.inspect,
            explanation: self.explanation(),
            error: self.error.clone(),
            crash: self.crash.clone(),
            conditioning: self.conditioning.clone(),
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
                        self.advance_within(INSTANT_STEPS, PREVIEW_BUDGET);
                    }
                }
                Command::Inspect(i) => self.inspect = i,
                #[cfg(test)]
                Command::Crash => panic!("a test asked the stepper to crash"),
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
            let active = self.active();
            if active {
                self.play_slice(shared);
            }
            // Wait for the next command (or, while playing, for the next update to be due).
            let mut inbox = lock(&shared.inbox);
            if inbox.setup.is_some() || !inbox.commands.is_empty() || inbox.shutdown {
                continue;
            }
            let active = self.active();
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
                    // What did not fit in the slice is owed to the next one (at most a
                    // second's worth: a landscape too costly for the speed plays slower).
                    let done = self.advance_within(n as u64, SLICE);
                    self.owed = (self.owed + (n as u64 - done) as f64).min(s.max(1.0));
                }
            }
            // Instant mode finishes what the first batch did not, whether playing or not.
            Speed::Max | Speed::Instant => {
                let t0 = Instant::now();
                let chunk = self.chunk();
                while t0.elapsed() < SLICE && !self.finished() {
                    self.advance(chunk);
                }
            }
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
        assert!(
            e.lines[0].ends_with(&downhill_engine::teach::explain::arith(w.x).replace('-', "−")),
            "{:?} {w:?}",
            e.lines
        );
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
                let want = downhill_engine::teach::explain::arith(row.w.x).replace('-', "−");
                assert!(e.lines[0].ends_with(&want), "{:?} {want}", e.lines);
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
            let want = downhill_engine::teach::explain::arith(row.w.x).replace('-', "−");
            assert!(
                e.lines[0].ends_with(&want),
                "step {step}: {:?} {want}",
                e.lines
            );
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
