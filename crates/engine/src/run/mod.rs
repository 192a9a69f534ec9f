//! A run: a landscape, an optimizer with its schedule and noise, and a start point, stepped one
//! update at a time; its rows and its status, judged from the numbers alone.
//!
//! Row k is the point after k updates with the loss and the gradient there (row 0 is the start);
//! the gradient in a row is the one the next update uses (with noise, when the run has noise).
//! On a data landscape with mini-batches, row k's gradient and batch loss are batch k's, and
//! its loss is the loss over all the data.

pub mod noise;
pub mod path;
pub mod rows;
pub mod schedule;
pub mod setup;
pub mod share;

use serde::{Deserialize, Serialize};

use crate::data::{BatchSpec, Batches, DataLandscape};
use crate::expr::{Scratch, Undefined};
use crate::landscape::Landscape;
use crate::optim::{Hyper, HyperPatch, OptimError, Optimizer, OptimizerKind, Vec2};
use crate::run::noise::{Noise, NoiseError, NoiseSpec};
use crate::run::schedule::{LrSchedule, Schedule, ScheduleError};

/// A coordinate beyond this magnitude means the run has diverged.
pub const DIVERGENCE_LIMIT: f64 = 1e6;

/// One point of a trajectory.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Row {
    pub w: Vec2,
    pub loss: f64,
    pub grad: Vec2,
    /// The loss over the batch the gradient came from (the loss itself when there are no
    /// batches).
    pub batch_loss: f64,
}

impl Row {
    /// A row whose gradient is the whole loss's (no batches).
    pub fn new(w: Vec2, loss: f64, grad: Vec2) -> Self {
        Self {
            w,
            loss,
            grad,
            batch_loss: loss,
        }
    }
}

impl Row {
    /// The divergence rule: a coordinate beyond 1e6 in magnitude, or any non-finite value.
    pub fn is_diverged(&self) -> bool {
        let finite = self.loss.is_finite() && self.grad.x.is_finite() && self.grad.y.is_finite();
        !finite || !within_limits(self.w)
    }
}

/// Both coordinates finite and within 1e6 in magnitude.
fn within_limits(w: Vec2) -> bool {
    w.x.abs() <= DIVERGENCE_LIMIT && w.y.abs() <= DIVERGENCE_LIMIT
}

/// What a run is doing, from its numbers alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Still moving, none of the below.
    Converging,
    /// The gradient and the last step are both below tolerance.
    Converged,
    /// Successive updates keep turning back against each other.
    Oscillating,
    /// A coordinate passed 1e6 in magnitude or a value became non-finite; the run stopped.
    Diverged,
    /// The next point is where the formula is undefined; the run stopped before it.
    LeftDomain,
}

impl Status {
    /// The name printed in `status: <name> after <k> steps`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Converging => "converging",
            Self::Converged => "converged",
            Self::Oscillating => "oscillating",
            Self::Diverged => "diverged",
            Self::LeftDomain => "left-domain",
        }
    }

    /// Whether the run has stopped for good.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Diverged | Self::LeftDomain)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Tolerances of the status rules.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StatusRule {
    /// Converged needs ‖g‖ ≤ this …
    pub grad_tol: f64,
    /// … and ‖Δw‖ ≤ this · max(1, ‖w‖).
    pub step_tol: f64,
    /// Oscillating: this many successive updates in a row each turned back against the one
    /// before (Δw_k · Δw_{k−1} < 0).
    pub turnbacks: u32,
}

impl Default for StatusRule {
    fn default() -> Self {
        Self {
            grad_tol: 1e-6,
            step_tol: 1e-7,
            turnbacks: 4,
        }
    }
}

/// Judges converging / converged / oscillating one update at a time, in constant time.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
struct StatusTracker {
    rule: StatusRule,
    last_delta: Option<Vec2>,
    turnbacks: u32,
}

impl StatusTracker {
    /// The last update did not move (Δw = 0): another such update leaves the tracker as it is.
    fn still(&self) -> bool {
        self.last_delta == Some(Vec2::zeros()) && self.turnbacks == 0
    }

    fn update(&mut self, delta: Vec2, row: &Row) -> Status {
        if let Some(prev) = self.last_delta {
            if delta.dot(&prev) < 0.0 {
                self.turnbacks = self.turnbacks.saturating_add(1);
            } else {
                self.turnbacks = 0;
            }
        }
        self.last_delta = Some(delta);
        let rule = self.rule;
        // Squared norms against squared tolerances: no square roots on the hot path.
        let step_tol = rule.step_tol * rule.step_tol * row.w.norm_squared().max(1.0);
        if row.grad.norm_squared() <= rule.grad_tol * rule.grad_tol
            && delta.norm_squared() <= step_tol
        {
            Status::Converged
        } else if self.turnbacks >= rule.turnbacks {
            Status::Oscillating
        } else {
            Status::Converging
        }
    }
}

/// What changes at every step.
#[derive(Clone, Copy, Debug)]
struct Head {
    row: Row,
    status: Status,
    tracker: StatusTracker,
}

/// Everything about a run but its landscape and start: the optimizer, its hyper-parameters,
/// the schedule and the noise. Read back from text, missing hyper-parameters take the
/// optimizer's own torch defaults.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "RunText")]
pub struct RunConfig {
    pub optimizer: OptimizerKind,
    pub hyper: Hyper,
    #[serde(default)]
    pub schedule: Schedule,
    #[serde(default)]
    pub noise: NoiseSpec,
    /// Mini-batches, on a data landscape (ignored elsewhere). The shuffle uses the noise seed:
    /// one seed per run.
    #[serde(default, skip_serializing_if = "is_default")]
    pub batch: BatchSpec,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// A run as presets and setup texts write it: the optimizer, the hyper-parameters it changes
/// from its torch defaults (a patch), the schedule, the noise and the mini-batches. Written
/// once for a preset's first run (flattened into it), its racing runs and a setup's runs.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
pub struct RunText {
    pub optimizer: OptimizerKind,
    #[serde(default)]
    pub hyper: HyperPatch,
    #[serde(default)]
    pub schedule: Schedule,
    #[serde(default)]
    pub noise: NoiseSpec,
    /// Mini-batches, for a run on data.
    #[serde(default)]
    pub batch: BatchSpec,
}

impl RunText {
    /// The run's configuration, strictly: a hyper-parameter the optimizer does not take is an
    /// error (a preset is checked by the tests, so a slip shows there).
    pub fn config(&self) -> Result<RunConfig, String> {
        Ok(RunConfig {
            hyper: self
                .hyper
                .apply(self.optimizer)
                .map_err(|e| e.to_string())?,
            ..RunConfig::from(*self)
        })
    }
}

/// A setup text's run, leniently: its hyper-parameters over the optimizer's defaults.
impl From<RunText> for RunConfig {
    fn from(t: RunText) -> Self {
        Self {
            optimizer: t.optimizer,
            hyper: t.hyper.over(t.optimizer.defaults()),
            schedule: t.schedule,
            noise: t.noise,
            batch: t.batch,
        }
    }
}

impl RunConfig {
    /// A name for legends: "Adam η = 0.3", with the schedule and noise when there are any
    /// ("GD η = 0.1, exponential, σ = 2").
    pub fn label(&self) -> String {
        let mut label = format!(
            "{} η = {}",
            self.optimizer.short_label(),
            crate::format::sig(self.hyper.lr)
        );
        if self.schedule != Schedule::Constant {
            label += &format!(", {}", self.schedule.name());
        }
        if self.noise.std > 0.0 {
            label += &format!(", σ = {}", crate::format::sig(self.noise.std));
        }
        if self.batch.size > 0 {
            label += &format!(", batch {}", self.batch.size);
        }
        label
    }

    /// `kind` with torch's defaults, a constant learning rate and no noise.
    pub fn new(kind: OptimizerKind) -> Self {
        Self {
            optimizer: kind,
            hyper: kind.defaults(),
            schedule: Schedule::Constant,
            noise: NoiseSpec::default(),
            batch: BatchSpec::default(),
        }
    }
}

/// Why a run could not start.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Optim(#[from] OptimError),
    #[error("{0}")]
    Schedule(#[from] ScheduleError),
    #[error("{0}")]
    Noise(#[from] NoiseError),
    #[error("the start must be two finite numbers, got ({}, {})", .0.x, .0.y)]
    StartNotFinite(Vec2),
    #[error("the formula is undefined at the start ({}, {}): {why}", .at.x, .at.y)]
    StartUndefined { at: Vec2, why: Undefined },
}

/// A run in progress.
#[derive(Clone, Debug)]
pub struct Run {
    landscape: Landscape,
    scratch: Scratch,
    optimizer: Optimizer,
    schedule: LrSchedule,
    noise: Option<Noise>,
    /// The data and its batches, when the run steps on mini-batches of a data landscape.
    batches: Option<(std::sync::Arc<DataLandscape>, Batches)>,
    step: u64,
    row: Row,
    status: Status,
    tracker: StatusTracker,
    /// Where and why the run left the domain, when it did.
    left_domain: Option<(Vec2, Undefined)>,
    /// The next point depends on the current row alone: plain gradient descent (no momentum)
    /// at a constant learning rate without noise.
    stateless: bool,
    /// A stateless run whose update reproduced its row bit for bit: every later row is the
    /// same row (and the status the same), so updates are copies. (Gradient descent that has
    /// converged ends on such a fixed point, often the smallest subnormal number, where each
    /// update would otherwise cost subnormal arithmetic.)
    fixed: bool,
}

/// Two rows with the same bits (so 0.0 and −0.0 differ, and NaN equals NaN).
#[inline(always)]
fn same_bits(a: &Row, b: &Row) -> bool {
    // Field by field, so a moving run fails on the first comparison.
    a.w.x.to_bits() == b.w.x.to_bits()
        && a.w.y.to_bits() == b.w.y.to_bits()
        && a.loss.to_bits() == b.loss.to_bits()
        && a.grad.x.to_bits() == b.grad.x.to_bits()
        && a.grad.y.to_bits() == b.grad.y.to_bits()
}

impl Run {
    /// A run of `config` on `landscape` from `start`, at row 0.
    pub fn new(landscape: Landscape, config: &RunConfig, start: Vec2) -> Result<Self, RunError> {
        if !(start.x.is_finite() && start.y.is_finite()) {
            return Err(RunError::StartNotFinite(start));
        }
        let optimizer = Optimizer::new(config.optimizer, &config.hyper)?;
        let mut batches = landscape.data().and_then(|d| {
            Batches::new(config.batch, d.len(), config.noise.seed).map(|b| (d.clone(), b))
        });
        let stateless = matches!(&optimizer, Optimizer::Sgd(o) if o.config.momentum == 0.0)
            && config.schedule == Schedule::Constant
            && config.noise.std == 0.0
            && batches.is_none();
        let schedule = LrSchedule::new(config.schedule, config.hyper.lr)?;
        let mut noise = Noise::new(config.noise)?;
        let mut scratch = Scratch::new();
        let mut row = match &mut batches {
            Some((d, b)) => batch_row(d, b, start),
            None => {
                let (loss, grad) = landscape
                    .eval(start, &mut scratch)
                    .map_err(|why| RunError::StartUndefined { at: start, why })?;
                Row::new(start, loss, grad)
            }
        };
        if let Some(n) = noise.as_mut() {
            row.grad = n.perturb(row.grad);
        }
        let status = if row.is_diverged() {
            Status::Diverged
        } else {
            Status::Converging
        };
        Ok(Self {
            landscape,
            scratch,
            optimizer,
            schedule,
            noise,
            batches,
            step: 0,
            row,
            status,
            tracker: StatusTracker::default(),
            left_domain: None,
            stateless,
            fixed: false,
        })
    }

    /// The current row (row [`step`](Self::step)).
    pub fn row(&self) -> Row {
        self.row
    }

    /// The number of updates taken so far.
    pub fn step(&self) -> u64 {
        self.step
    }

    pub fn status(&self) -> Status {
        self.status
    }

    pub fn landscape(&self) -> &Landscape {
        &self.landscape
    }

    pub fn optimizer(&self) -> &Optimizer {
        &self.optimizer
    }

    /// The learning rate the next update will use.
    pub fn lr(&self) -> f64 {
        self.schedule.lr()
    }

    /// The points (indices into the data) of the batch behind row `step`'s gradient.
    pub fn batch_points(&self, step: u64) -> Option<Vec<u32>> {
        self.batches.as_ref().map(|(_, b)| b.batch(step))
    }

    /// A copy to keep (a checkpoint): without the batch order's cache, which is rebuilt from
    /// the seed when the copy steps on.
    pub fn lean_clone(&self) -> Self {
        let mut c = self.clone();
        if let Some((_, b)) = &mut c.batches {
            b.shed();
        }
        c
    }

    /// Where the run tried to step and why the formula is undefined there.
    pub fn left_domain(&self) -> Option<(Vec2, Undefined)> {
        self.left_domain
    }

    /// One update. Returns the new row, or `None` when the run has stopped (it diverged
    /// earlier, or this update would leave the formula's domain).
    #[inline]
    pub fn advance(&mut self) -> Option<Row> {
        if self.status.is_final() {
            return None;
        }
        let mut head = Head {
            row: self.row,
            status: self.status,
            tracker: self.tracker,
        };
        let out = self.advance_head(&mut head);
        self.commit(head, u64::from(out.is_some()));
        out
    }

    /// One update of `head`, the part of the run that changes every step, kept out of `self`
    /// so a loop over steps keeps it in registers.
    #[inline(always)]
    fn advance_head(&mut self, head: &mut Head) -> Option<Row> {
        if self.fixed {
            return Some(head.row);
        }
        let prev = head.row.w;
        let w = self.optimizer.step(prev, head.row.grad, self.schedule.lr());
        self.schedule.advance();
        let mut row = match &mut self.batches {
            Some((d, b)) => batch_row(d, b, w),
            None => match self.landscape.eval(w, &mut self.scratch) {
                Ok((loss, grad)) => Row::new(w, loss, grad),
                // A point past the divergence limit has diverged, defined or not.
                Err(_) if !within_limits(w) => Row::new(w, f64::NAN, Vec2::new(f64::NAN, f64::NAN)),
                Err(why) => {
                    self.left_domain = Some((w, why));
                    head.status = Status::LeftDomain;
                    return None;
                }
            },
        };
        if let Some(n) = &mut self.noise {
            row.grad = n.perturb(row.grad);
        }
        // Reproduced bit for bit by a stateless update: a fixed point from here on (the
        // tracker, given Δw = 0 once more, returns the same status and state).
        let fixed = self.stateless && same_bits(&row, &head.row) && head.tracker.still();
        head.row = row;
        head.status = if row.is_diverged() {
            Status::Diverged
        } else {
            head.tracker.update(w - prev, &row)
        };
        self.fixed = fixed;
        Some(row)
    }

    fn commit(&mut self, head: Head, steps: u64) {
        self.row = head.row;
        self.status = head.status;
        self.tracker = head.tracker;
        self.step += steps;
    }

    /// Row 0 (the current row) and up to `steps` more, stopping early if the run stops.
    pub fn record(&mut self, steps: u64) -> Trajectory {
        let mut rows = Vec::new();
        self.record_into(&mut rows, steps);
        Trajectory {
            rows,
            status: self.status,
        }
    }

    /// Appends the current row and up to `steps` more to `rows` (which keeps its memory between
    /// calls, so a caller that records again and again does not page in fresh memory each
    /// time); returns the number of updates taken.
    pub fn record_into(&mut self, rows: &mut Vec<Row>, steps: u64) -> u64 {
        rows.reserve(steps.saturating_add(1).min(1 << 20) as usize);
        rows.push(self.row);
        if self.status.is_final() {
            return 0;
        }
        let mut head = Head {
            row: self.row,
            status: self.status,
            tracker: self.tracker,
        };
        let mut taken = 0;
        while taken < steps {
            let Some(row) = self.advance_head(&mut head) else {
                break;
            };
            rows.push(row);
            taken += 1;
            if head.status.is_final() {
                break;
            }
        }
        self.commit(head, taken);
        taken
    }
}

/// The row at `w` on data: the loss over all points, the gradient and loss of the next batch.
#[inline]
fn batch_row(d: &DataLandscape, b: &mut Batches, w: Vec2) -> Row {
    let (batch_loss, grad) = d.batch(w, Some(b.next_batch()));
    Row {
        w,
        loss: d.loss(w),
        grad,
        batch_loss,
    }
}

/// Recorded rows and the status after the last of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    pub rows: Vec<Row>,
    pub status: Status,
}

impl Trajectory {
    /// The number of updates recorded: the step of the last row.
    pub fn steps_run(&self) -> u64 {
        self.rows.len().saturating_sub(1) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gd(lr: f64) -> RunConfig {
        let mut c = RunConfig::new(OptimizerKind::Sgd);
        c.hyper.lr = lr;
        c
    }

    fn bowl() -> Landscape {
        Landscape::builtin("bowl").unwrap()
    }

    #[test]
    fn a_fixed_point_is_copied_bit_for_bit() {
        // GD on the bowl at η = 0.1 ends on the smallest subnormal (an exact fixed point) after
        // a few thousand steps; the copied rows must be the rows the update would compute.
        for (landscape, lr, start) in [
            (bowl(), 0.1, Vec2::new(3.0, 2.0)),
            (bowl(), 0.05, Vec2::new(-1.0, 0.5)),
            (
                Landscape::builtin("parabola").unwrap(),
                0.3,
                Vec2::new(6.0, 0.0),
            ),
        ] {
            let mut run = Run::new(landscape.clone(), &gd(lr), start).unwrap();
            let t = run.record(20_000);
            assert!(run.fixed, "no fixed point reached at η = {lr}");
            let mut opt = Optimizer::new(OptimizerKind::Sgd, &gd(lr).hyper).unwrap();
            let mut scratch = Scratch::new();
            let (mut loss, mut grad) = landscape.eval(start, &mut scratch).unwrap();
            let mut w = start;
            for (k, r) in t.rows.iter().enumerate() {
                let want = Row::new(w, loss, grad);
                assert!(same_bits(r, &want), "row {k}: {r:?} vs {want:?}");
                w = opt.step(w, grad, lr);
                (loss, grad) = landscape.eval(w, &mut scratch).unwrap();
            }
            assert_eq!(t.status, Status::Converged);
        }
        // Momentum carries state: never treated as fixed.
        let mut c = gd(0.1);
        c.hyper.momentum = 0.9;
        let mut run = Run::new(bowl(), &c, Vec2::new(3.0, 2.0)).unwrap();
        run.record(20_000);
        assert!(!run.fixed);
    }

    #[test]
    fn row_zero_is_the_start_with_its_loss_and_gradient() {
        let run = Run::new(bowl(), &gd(0.1), Vec2::new(3.0, 2.0)).unwrap();
        assert_eq!(
            run.row(),
            Row::new(Vec2::new(3.0, 2.0), 25.0, Vec2::new(6.0, 16.0))
        );
        assert_eq!(run.step(), 0);
    }

    #[test]
    fn the_statuses_of_the_bowl_follow_the_learning_rate() {
        let status = |lr: f64, steps: u64| {
            Run::new(bowl(), &gd(lr), Vec2::new(3.0, 2.0))
                .unwrap()
                .record(steps)
                .status
        };
        assert_eq!(status(0.05, 30), Status::Converging);
        assert_eq!(status(0.1, 2000), Status::Converged);
        assert_eq!(status(0.2, 30), Status::Oscillating);
        assert_eq!(status(0.3, 1000), Status::Diverged);
    }

    #[test]
    fn divergence_stops_at_the_row_that_passes_the_limit() {
        let t = Run::new(bowl(), &gd(0.3), Vec2::new(-1.0, 0.5))
            .unwrap()
            .record(80);
        assert_eq!(t.status, Status::Diverged);
        assert_eq!(t.steps_run(), 44);
        let last = t.rows.last().unwrap();
        assert!(last.w.y.abs() > 1e6);
        assert!(t.rows[..t.rows.len() - 1].iter().all(|r| !r.is_diverged()));
    }

    #[test]
    fn leaving_the_domain_stops_before_the_undefined_point() {
        let l = Landscape::expr("ln(x)").unwrap();
        // ∂/∂x ln x = 1/x: from x = 1 with lr 2, the first update lands on x = −1.
        let mut run = Run::new(l, &gd(2.0), Vec2::new(1.0, 0.0)).unwrap();
        let t = run.record(10);
        assert_eq!(t.status, Status::LeftDomain);
        assert_eq!(t.steps_run(), 0);
        assert_eq!(
            run.left_domain(),
            Some((Vec2::new(-1.0, 0.0), Undefined::LnNonPositive))
        );
        let err = Run::new(
            Landscape::expr("ln(x)").unwrap(),
            &gd(0.1),
            Vec2::new(-1.0, 0.0),
        );
        assert!(matches!(err, Err(RunError::StartUndefined { .. })));
    }

    #[test]
    fn noise_is_reproducible_and_recorded_in_the_gradient() {
        let mut c = gd(0.1);
        c.noise = NoiseSpec { std: 0.5, seed: 42 };
        let a = Run::new(bowl(), &c, Vec2::new(3.0, 2.0))
            .unwrap()
            .record(50);
        let b = Run::new(bowl(), &c, Vec2::new(3.0, 2.0))
            .unwrap()
            .record(50);
        assert_eq!(a, b);
        let r0 = a.rows[0];
        assert_ne!(r0.grad, Vec2::new(6.0, 16.0));
        // Each update uses the recorded (noisy) gradient: w1 = w0 − lr·g̃0.
        assert_eq!(
            a.rows[1].w,
            r0.w.zip_map(&r0.grad, |w, g| (-0.1f64).mul_add(g, w))
        );
    }

    /// Past the limit is diverged even where the formula is undefined; a NaN is not "outside
    /// the domain" either.
    #[test]
    fn divergence_wins_over_leaving_the_domain() {
        let t = Run::new(
            Landscape::expr("ln(x)").unwrap(),
            &gd(1e7),
            Vec2::new(1.0, 0.0),
        )
        .unwrap()
        .record(5);
        assert_eq!(t.status, Status::Diverged);
        assert_eq!(t.steps_run(), 1);
        let mut c = RunConfig::new(OptimizerKind::Rmsprop);
        c.hyper.eps = 0.0;
        let l = Landscape::expr("x^2 + ln(1 + y^2)").unwrap();
        let t = Run::new(l, &c, Vec2::new(1.0, 0.0)).unwrap().record(5);
        assert_eq!(t.status, Status::Diverged);
    }

    #[test]
    fn a_partial_config_takes_its_optimizers_defaults() {
        let c: RunConfig =
            serde_json::from_str(r#"{"optimizer": "adamw", "hyper": {"lr": 0.5}}"#).unwrap();
        assert_eq!(c.hyper.lr, 0.5);
        assert_eq!(c.hyper.weight_decay, 0.01);
        let c: RunConfig = serde_json::from_str(r#"{"optimizer": "adagrad"}"#).unwrap();
        assert_eq!((c.hyper.lr, c.hyper.eps), (1e-2, 1e-10));
        let full = RunConfig::new(OptimizerKind::Rmsprop);
        let back: RunConfig = serde_json::from_str(&serde_json::to_string(&full).unwrap()).unwrap();
        assert_eq!(back, full);
    }

    #[test]
    fn a_start_at_the_limit_is_diverged_at_once() {
        let run = Run::new(bowl(), &gd(0.1), Vec2::new(2e6, 0.0)).unwrap();
        assert_eq!(run.status(), Status::Diverged);
        assert!(Run::new(bowl(), &gd(0.1), Vec2::new(f64::NAN, 0.0)).is_err());
    }
}
