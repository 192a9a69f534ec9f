//! The stepper thread: its state (the runs, the setup, the speed) and its loop, which takes
//! commands from the inbox, steps the runs and publishes snapshots.

use super::track::{ScatterTrack, Track};
use super::*;

/// Asks the window to repaint.
pub(super) type Notify = Arc<dyn Fn() + Send + Sync>;

/// The thread's state.
pub(super) struct StepperThread {
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
    /// On a network: the inspected run as of the last past step asked for (run index, run),
    /// so stepping the timeline forward replays from there.
    inspected: Option<(usize, Run)>,
    playing: bool,
    speed: Speed,
    /// Changes replay from step 0 (see [`Command::SetReplay`]).
    replay: bool,
    error: Option<String>,
    notify: Notify,
    /// Fractional updates owed at a slow speed.
    owed: f64,
    last_tick: Instant,
    last_publish: Instant,
}

impl StepperThread {
    pub(super) fn new(
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
            inspected: None,
            playing: true,
            speed,
            replay: false,
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
            Landscape::Builtin(_) | Landscape::Data(_) | Landscape::Net(_) => None,
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
        self.inspected = None;
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
    /// step is costly (on data every step of every run is a pass over the points; on a
    /// network a pass over the points through every parameter), so the thread looks at its
    /// inbox every few milliseconds whatever the landscape (a network's update itself, up to
    /// a tenth of a second for 66,817 parameters, is the least it waits).
    fn chunk(&self) -> u64 {
        let points = match (self.landscape.data(), self.landscape.net()) {
            (Some(d), _) => d.len() as u64,
            (None, Some(n)) => {
                (n.problem.data.len() as u64).saturating_mul(n.problem.net.param_count() as u64)
            }
            (None, None) => 1,
        };
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
        if setup.same_landscape(&self.setup) {
            setup.build_on(self.landscape.as_ref().clone())
        } else {
            setup.build_all()
        }
    }

    /// [`Self::accept`], with the window told while a new network's landscape is built (a
    /// second or so of training for its plane).
    fn accept_said(&mut self, setup: Setup, shared: &Shared) {
        /// Clears the flag however `accept` ends (a panic is caught by [`serve`], which starts
        /// over: the window must not wait for the build for ever).
        struct Lowered<'a>(&'a AtomicBool);
        impl Drop for Lowered<'_> {
            fn drop(&mut self) {
                self.0.store(false, Ordering::Relaxed);
            }
        }
        let slow = super::builds_on_thread(&setup) && !setup.same_landscape(&self.setup);
        let _lowered = slow.then(|| {
            shared.building.store(true, Ordering::Relaxed);
            (self.notify)();
            Lowered(&shared.building)
        });
        self.accept(setup);
        if slow {
            // The new landscape is on offer before the flag comes down: no frame in between
            // shows the landscape before it.
            self.publish(shared);
        }
    }

    fn accept(&mut self, setup: Setup) {
        match self.build(&setup) {
            Ok(built) => {
                let landscape_changed = !setup.same_landscape(&self.setup);
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
                if self.replay && self.speed != Speed::Instant {
                    self.replay_from_start();
                }
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// After a preview: the runs again from step 0, playing, each knowing where its preview
    /// ended (the status the window shows until the replay catches up).
    fn replay_from_start(&mut self) {
        let ahead: Vec<(Status, u64)> = self
            .tracks
            .iter()
            .map(|t| (t.run.status(), t.run.step()))
            .collect();
        if let Ok(built) = self.build(&self.setup) {
            self.restart(built);
            for (t, a) in self.tracks.iter_mut().zip(ahead) {
                t.ahead = Some(a);
            }
            self.playing = true;
            self.last_tick = Instant::now();
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

    /// On a network: θ of the inspected run at the inspected step; a past step is replayed
    /// from the nearest checkpoint (or from the step asked for before), at most
    /// [`CHUNK`](downhill_engine::run::path::CHUNK) updates.
    fn net_theta(&mut self) -> Option<NetTheta> {
        let k = self.inspect.run.min(self.tracks.len().checked_sub(1)?);
        let track = self.tracks.get(k)?;
        let live = track.run.step();
        let step = self.inspect.step.map_or(live, |s| s.min(live));
        if step == live {
            let theta = track.run.net()?.theta().into();
            return Some(NetTheta {
                run: k,
                step,
                theta,
            });
        }
        track.run.net()?;
        let near = self
            .inspected
            .as_ref()
            .filter(|(r, _)| *r == k)
            .map(|(_, run)| run);
        let run = track.run_at(step, near)?;
        let theta: Arc<[f64]> = run.net()?.theta().into();
        let step = run.step();
        self.inspected = Some((k, run));
        Some(NetTheta {
            run: k,
            step,
            theta,
        })
    }

    pub(super) fn snapshot(&mut self) -> Snapshot {
        let limit = self.setup.steps;
        let theta = self.net_theta();
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
            theta,
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
            self.accept_said(s, shared);
            changed = true;
        }
        for c in commands {
            changed = true;
            match c {
                Command::SetSetup(s) => self.accept_said(*s, shared),
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
                Command::SetReplay(r) => self.replay = r,
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

/// The thread's life: serve the inbox until shutdown; after a panic (a bug), say so, start the
/// same setup again from step 0 (paused) and go on, so the window keeps a live stepper.
pub(super) fn serve(mut worker: StepperThread, shared: &Shared, notify: &Notify) {
    loop {
        let (setup, speed) = (worker.setup.clone(), worker.speed);
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            // Instant mode's first batch runs here, not on the caller's (the
            // window's) thread: the first frame shows the start, the next ones the
            // finished runs.
            if worker.speed == Speed::Instant {
                worker.preview();
                worker.publish(shared);
            }
            worker.run(shared)
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
        worker = StepperThread::new(setup, built, speed, Arc::clone(notify), None);
        worker.crash = Some(format!(
            "The stepper stopped unexpectedly ({why}); the runs restarted at step 0. \
                 Please report this."
        ));
        worker.playing = false;
        worker.publish(shared);
    }
}
