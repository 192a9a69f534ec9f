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
use std::sync::Arc;

use crate::landscape::Landscape;
use crate::net::{NetLandscape, NetTrain};
use crate::optim::{Arithmetic, Hyper, HyperPatch, OptimError, Optimizer, OptimizerKind, Vec2};
use crate::run::noise::{Noise, NoiseError, NoiseSpec};
use crate::run::schedule::{LrSchedule, Schedule, ScheduleError};

pub use crate::geometry::DIVERGENCE_LIMIT;

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

/// What a run is doing, from its numbers alone: the outcome the learning-rate slider shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Still moving, getting closer: none of the below.
    Converging,
    /// The gradient and the last step are both below tolerance, at a minimum.
    Converged,
    /// Bouncing without getting closer: successive updates keep turning back while the step
    /// does not shrink (GD on the bowl at exactly η = 2/λ).
    Oscillating,
    /// Moving away: the loss and the step have grown over the last updates, or the path slides
    /// off along a direction that curves down (a saddle, a formula with no minimum), or it
    /// bounces at a loss ten times or more where it started (a network thrown far up its
    /// landscape by too large a step, its units saturated), though no coordinate is beyond
    /// 1e6 yet.
    Diverging,
    /// A coordinate passed 1e6 in magnitude or a value became non-finite; the run stopped.
    Diverged,
    /// It stopped moving where the landscape has no minimum (a saddle point or a maximum), or
    /// while the gradient is not zero (η = 0).
    Stuck,
    /// The next point is where the formula is undefined; the run stopped before it.
    LeftDomain,
}

impl Status {
    /// Every status, in the order a legend lists them.
    pub const ALL: [Status; 7] = [
        Self::Converging,
        Self::Converged,
        Self::Oscillating,
        Self::Diverging,
        Self::Diverged,
        Self::Stuck,
        Self::LeftDomain,
    ];

    /// The name printed in `status: <name> after <k> steps`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Converging => "converging",
            Self::Converged => "converged",
            Self::Oscillating => "oscillating",
            Self::Diverging => "diverging",
            Self::Diverged => "diverged",
            Self::Stuck => "stuck",
            Self::LeftDomain => "left-domain",
        }
    }

    /// Whether the run has stopped for good.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Diverged | Self::LeftDomain)
    }

    /// The status for people: its name, with "left the domain" spelled out.
    pub fn label(self) -> &'static str {
        match self {
            Self::LeftDomain => "left the domain",
            s => s.name(),
        }
    }

    /// The manner added after the status where it says something: ", zig-zag" for a path that
    /// overshoots every update (not for oscillating, which already says so, nor for a run that
    /// is stuck or left the domain).
    pub fn manner_suffix(self, manner: Manner) -> &'static str {
        match (self, manner) {
            (Self::Oscillating | Self::Stuck | Self::LeftDomain, _) | (_, Manner::Smooth) => "",
            (_, Manner::ZigZag) => ", zig-zag",
        }
    }

    /// The run's status words, the same in the status line, the run list, the window's legend
    /// and the rendered legends: "converging, zig-zag", "diverged", "left the domain".
    pub fn words(self, manner: Manner) -> String {
        format!("{}{}", self.label(), self.manner_suffix(manner))
    }

    /// The regime a learning-rate sweep sorts a run into: 0 settles (converging, converged,
    /// stuck), 1 bounces (oscillating), 2 blows up (diverging, diverged, left the domain).
    pub fn regime(self) -> u8 {
        match self {
            Self::Converging | Self::Converged | Self::Stuck => 0,
            Self::Oscillating => 1,
            Self::Diverging | Self::Diverged | Self::LeftDomain => 2,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How the path goes, whatever its outcome: straight on, or reversing along some direction at
/// every update (each update overshoots it, as plain GD does on a quadratic once η > 1/λ_max).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Manner {
    #[default]
    Smooth,
    ZigZag,
}

impl Manner {
    /// The name printed in `path: <name>` and the JSON field `"path"`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Smooth => "smooth",
            Self::ZigZag => "zig-zag",
        }
    }
}

impl std::fmt::Display for Manner {
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
    /// before (Δw_k · Δw_{k−1} < 0) …
    pub turnbacks: u32,
    /// … while ‖Δw‖² over the last [`HISTORY`] updates kept at least this share of its size:
    /// the bounce is not dying out.
    pub bounce_keep: f64,
    /// Zig-zag: a coordinate's share of the step (|Δw_i| / ‖Δw‖) from which its reversal shows.
    pub zigzag_share: f64,
}

impl Default for StatusRule {
    fn default() -> Self {
        Self {
            grad_tol: 1e-6,
            step_tol: 1e-7,
            turnbacks: 4,
            bounce_keep: 0.9,
            zigzag_share: 1e-3,
        }
    }
}

/// How many updates the status looks back over.
pub const HISTORY: usize = 8;

/// What a run that stopped moving has come to rest at, decided once from the Hessian.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Rest {
    Minimum,
    NotMinimum,
}

/// Judges the outcome and the manner one update at a time, in constant time: the last
/// [`HISTORY`] step lengths and losses, the run of turn-backs, each coordinate's run of
/// reversals. Stateless on a fixed point: an update with Δw = 0 on a path at rest leaves it as
/// it is (see [`Self::still`]).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
struct StatusTracker {
    rule: StatusRule,
    last_delta: Option<Vec2>,
    /// Successive updates that turned back against the one before.
    turnbacks: u32,
    /// Successive updates that did not turn back.
    forwards: u32,
    /// Per coordinate: successive updates that reversed it, each a visible share of its step.
    reversals: [u8; 2],
    manner: Manner,
    /// ‖Δw‖² of the last updates, oldest first.
    steps2: [f64; HISTORY],
    /// The loss after each of the last updates, oldest first.
    losses: [f64; HISTORY],
    /// How many updates `steps2` and `losses` hold (at most [`HISTORY`]).
    seen: u8,
    rest: Option<Rest>,
    /// The lowest loss seen.
    best_loss: f64,
    /// Successive updates judged growing.
    growth: u32,
    /// |loss| and ‖g‖² at the start: the scales "within rounding" and "all but vanished"
    /// are measured against.
    loss_scale: f64,
    start_grad2: f64,
    /// The gradient is noisy (gradient noise or mini-batches).
    noisy: bool,
    /// The last answer of [`Self::sliding_off`]'s curvature test, and the count of straight
    /// updates when it was asked (0: not asked).
    slide: bool,
    slide_at: u32,
    /// The last observed update: where it landed, ‖g‖² there, and the step tolerance².
    at: Vec2,
    g2: f64,
    step_tol2: f64,
    /// The optimizer skipped the last update as optimal (L-BFGS's gradient tolerance).
    optimal: bool,
}

impl StatusTracker {
    /// A tracker for a run starting at `row`.
    fn new(row: &Row, noisy: bool) -> Self {
        Self {
            loss_scale: row.loss.abs(),
            start_grad2: row.grad.norm_squared(),
            noisy,
            ..Self::default()
        }
    }

    /// The last update did not move (Δw = 0) and the history is all at rest: another such
    /// update leaves the tracker as it is.
    fn still(&self) -> bool {
        self.last_delta == Some(Vec2::zeros())
            && self.turnbacks == 0
            && usize::from(self.seen) == HISTORY
            && self.steps2.iter().all(|&d| d == 0.0)
            && self
                .losses
                .iter()
                .all(|l| l.to_bits() == self.losses[0].to_bits())
    }

    /// Takes in one update: the cheap part, done at every update (turn-backs, reversals, the
    /// history). A long recording judges only every few updates and at its end. (Written out
    /// rather than through [`Self::take_motion`]: this is the two-weight hot path, and it
    /// measured faster so.)
    #[inline]
    fn observe(&mut self, delta: Vec2, row: &Row) {
        let rule = self.rule;
        let d2 = delta.norm_squared();
        // Squared norms against squared tolerances: no square roots on the hot path.
        let step_tol2 = rule.step_tol * rule.step_tol * row.w.norm_squared().max(1.0);
        let moving = d2 > step_tol2;
        if let Some(prev) = self.last_delta {
            if delta.dot(&prev) < 0.0 {
                self.turnbacks = self.turnbacks.saturating_add(1);
                self.forwards = 0;
            } else {
                self.turnbacks = 0;
                self.forwards = self.forwards.saturating_add(1);
            }
            // Once a zig-zag, always: no need to look again.
            if moving && self.manner == Manner::Smooth {
                self.note_reversals(delta, prev);
            }
        }
        self.last_delta = Some(delta);
        self.steps2 = shifted(&self.steps2, d2);
        self.losses = shifted(&self.losses, row.loss);
        self.seen = (self.seen + 1).min(HISTORY as u8);
        if row.loss < self.best_loss || self.seen == 1 {
            self.best_loss = row.loss;
        }
        self.at = row.w;
        self.g2 = row.grad.norm_squared();
        self.step_tol2 = step_tol2;
    }

    /// Takes in one update of a vector of any length (a network's θ), from its scalars: ‖Δθ‖²,
    /// whether Δθ turned back against the update before (Δθ_k · Δθ_{k−1} < 0), ‖θ‖², the
    /// loss and ‖g‖². A zig-zag is the whole step turning back twice in a row (with hundreds
    /// of coordinates some always reverse, so they are not asked one by one). The step is
    /// kept as (‖Δθ‖, 0): only its length is used again.
    pub(crate) fn observe_vector(
        &mut self,
        d2: f64,
        turned: Option<bool>,
        w2: f64,
        loss: f64,
        g2: f64,
    ) {
        let step_tol2 = self.take_motion(d2, turned, w2, loss);
        if d2 > step_tol2 && self.turnbacks >= 2 {
            self.manner = Manner::ZigZag;
        }
        self.last_delta = Some(Vec2::new(d2.sqrt(), 0.0));
        self.g2 = g2;
    }

    /// What [`Self::observe`] does with lengths only: turn-backs and the history. Returns the
    /// step tolerance², `step_tol`² · max(1, ‖w‖²).
    fn take_motion(&mut self, d2: f64, turned: Option<bool>, w2: f64, loss: f64) -> f64 {
        let rule = self.rule;
        // Squared norms against squared tolerances: no square roots on the hot path.
        let step_tol2 = rule.step_tol * rule.step_tol * w2.max(1.0);
        match turned {
            Some(true) => {
                self.turnbacks = self.turnbacks.saturating_add(1);
                self.forwards = 0;
            }
            Some(false) => {
                self.turnbacks = 0;
                self.forwards = self.forwards.saturating_add(1);
            }
            None => {}
        }
        self.steps2 = shifted(&self.steps2, d2);
        self.losses = shifted(&self.losses, loss);
        self.seen = (self.seen + 1).min(HISTORY as u8);
        if loss < self.best_loss || self.seen == 1 {
            self.best_loss = loss;
        }
        self.step_tol2 = step_tol2;
        step_tol2
    }

    /// The status after the updates observed so far.
    fn judge(&mut self, landscape: &Landscape) -> Status {
        if self.optimal {
            return Status::Converged;
        }
        let rule = self.rule;
        let (d2, g2, step_tol2) = (self.steps2[HISTORY - 1], self.g2, self.step_tol2);
        let moving = d2 > step_tol2;
        let Some(delta) = self.last_delta else {
            return Status::Converging;
        };
        let still = if self.noisy {
            usize::from(self.seen) == HISTORY && self.steps2.iter().all(|&d| d == 0.0)
        } else {
            d2 == 0.0
        };
        if still && g2 > rule.grad_tol * rule.grad_tol {
            // Not moving at all although the gradient is not zero: η = 0, or a rate that
            // vanished, or a step too small to change a coordinate.
            self.rest = None;
            self.growth = 0;
            return Status::Stuck;
        }
        let grad_tol2 = rule.grad_tol * rule.grad_tol;
        let settled = !moving && g2 <= grad_tol2;
        // An adaptive optimizer at a constant rate never stops: it hovers where the gradient
        // has all but vanished and the loss stays at the lowest seen, within rounding.
        let hovering = g2 <= 1e-12 * self.start_grad2 && self.near_best(1e-9);
        // Once at rest, a run stays there until it clearly moves again (momentum spiralling
        // in, Adam jittering), so the status does not flicker at the tolerance.
        let resting = self.rest.is_some()
            && ((d2 <= 100.0 * step_tol2 && g2 <= 100.0 * grad_tol2)
                || (g2 <= 1e-8 * self.start_grad2 && self.near_best(1e-6)));
        if settled || hovering || resting {
            self.growth = 0;
            let at = self.at;
            let rest = *self.rest.get_or_insert_with(|| rest_at(landscape, at));
            return match rest {
                Rest::Minimum => Status::Converged,
                Rest::NotMinimum => Status::Stuck,
            };
        }
        self.rest = None;
        // Noisy runs (gradient noise, mini-batches) need the signs to last before they count.
        let (sustain, bounces) = if self.noisy {
            (3, 2 * HISTORY as u32)
        } else {
            (1, rule.turnbacks)
        };
        self.growth = if self.growing() {
            self.growth.saturating_add(1)
        } else {
            0
        };
        if self.growth >= sustain {
            Status::Diverging
        } else if self.turnbacks >= bounces && self.not_shrinking(rule.bounce_keep) {
            if self.far_above_start() {
                Status::Diverging
            } else {
                Status::Oscillating
            }
        } else if !self.noisy && self.sliding_off(delta, landscape) {
            Status::Diverging
        } else {
            Status::Converging
        }
    }

    /// Every loss of the history is ten times the starting loss or more (a positive one): a
    /// bounce up there is not an oscillation about the minimum.
    fn far_above_start(&self) -> bool {
        self.loss_scale > 0.0
            && usize::from(self.seen) == HISTORY
            && self.losses.iter().all(|&l| l >= 10.0 * self.loss_scale)
    }

    /// The loss is within `tol` (relative to the starting loss) of the lowest it has been:
    /// changes there are rounding, not a trend.
    fn near_best(&self, tol: f64) -> bool {
        let last = self.losses[HISTORY - 1];
        last - self.best_loss <= tol * self.loss_scale
    }

    /// Counts, per coordinate, updates that reverse it by a visible share of the step; two
    /// in a row (three steps alternating) make the path a zig-zag, for good.
    fn note_reversals(&mut self, delta: Vec2, prev: Vec2) {
        let share2 = self.rule.zigzag_share * self.rule.zigzag_share;
        let (d2, p2) = (delta.norm_squared(), prev.norm_squared());
        for i in 0..2 {
            let visible = delta[i] * delta[i] >= share2 * d2 && prev[i] * prev[i] >= share2 * p2;
            if visible && delta[i] * prev[i] < 0.0 {
                self.reversals[i] = self.reversals[i].saturating_add(1);
            } else {
                self.reversals[i] = 0;
            }
        }
        if self.reversals.iter().any(|&r| r >= 2) || self.turnbacks >= 2 {
            self.manner = Manner::ZigZag;
        }
    }

    /// The growth is plain: the loss and the step both grew at each of the last three
    /// updates, or over the whole history (the loss by any amount, ‖Δw‖² by 1 % or more);
    /// with a noisy gradient, both fourfold over the history. Near the lowest loss seen (within
    /// a millionth of the starting loss) nothing counts as growth.
    #[inline]
    fn growing(&self) -> bool {
        if self.near_best(1e-6) {
            return false;
        }
        let n = usize::from(self.seen);
        let (s, l) = (&self.steps2, &self.losses);
        let (first, last) = (0, HISTORY - 1);
        if self.noisy {
            return n == HISTORY && l[last] > 4.0 * l[first] && s[last] > 4.0 * s[first];
        }
        let each = n >= 4 && (HISTORY - 3..HISTORY).all(|k| l[k] > l[k - 1] && s[k] > s[k - 1]);
        let overall = n == HISTORY && l[last] > l[first] && s[last] > 1.01 * s[first];
        each || overall
    }

    /// ‖Δw‖² kept at least `keep` of its size over the whole history.
    fn not_shrinking(&self, keep: f64) -> bool {
        usize::from(self.seen) == HISTORY && self.steps2[HISTORY - 1] >= keep * self.steps2[0]
    }

    /// The path slides off: for the whole history it went straight on, with steps that did
    /// not shrink, along a direction where the landscape curves down clearly (by at least 1 %
    /// of the Hessian's largest entry: a saddle, a maximum) or not at all (a plane): nothing
    /// will stop it. Data landscapes, convex, never do.
    ///
    /// The Hessian is asked once every [`HISTORY`] straight updates and the answer kept in
    /// between (an adaptive optimizer's steady steps would otherwise ask at every update).
    fn sliding_off(&mut self, delta: Vec2, landscape: &Landscape) -> bool {
        if self.forwards < HISTORY as u32 || !self.not_shrinking(1.0 - 1e-9) {
            self.slide = false;
            self.slide_at = 0;
            return false;
        }
        // Asked again once HISTORY more straight updates have gone by (or after a turn).
        if self.slide_at != 0
            && self.forwards >= self.slide_at
            && self.forwards - self.slide_at < HISTORY as u32
        {
            return self.slide;
        }
        self.slide_at = self.forwards;
        self.slide = !matches!(landscape, Landscape::Data(_))
            && landscape.hessian(self.at).is_ok_and(|h| {
                let scale = h.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
                let curvature = delta.dot(&(h * delta)) / delta.norm_squared();
                // Flat along the path (a plane: nothing curves it back), or clearly curving
                // down (a saddle, a maximum). A valley that curves down only slightly along
                // its floor (Rosenbrock's just above y = x², where the Hessian is barely
                // indefinite) is not a slide: the loss there is bounded and the path follows it.
                curvature.is_finite()
                    && (curvature.abs() <= 1e-9 * scale || curvature <= -1e-2 * scale)
            });
        self.slide
    }
}

/// `history` without its oldest value and with `newest` at the end (moves, no call: this runs
/// at every update).
#[inline(always)]
fn shifted(history: &[f64; HISTORY], newest: f64) -> [f64; HISTORY] {
    std::array::from_fn(|i| {
        if i + 1 < HISTORY {
            history[i + 1]
        } else {
            newest
        }
    })
}

/// Whether `w`, where the run stopped, is a minimum: the Hessian has no eigenvalue below
/// zero (beyond rounding). Where it is undefined, or on data (convex), it is taken to be one.
fn rest_at(landscape: &Landscape, w: Vec2) -> Rest {
    if landscape.data().is_some() {
        return Rest::Minimum;
    }
    let Ok(h) = landscape.hessian(w) else {
        return Rest::Minimum;
    };
    let (a, b, c) = (h[(0, 0)], h[(0, 1)], h[(1, 1)]);
    // The smaller eigenvalue of the symmetric [[a, b], [b, c]].
    let lo = 0.5 * (a + c) - (0.25 * (a - c) * (a - c) + b * b).sqrt();
    let scale = a.abs().max(b.abs()).max(c.abs());
    if lo < -1e-9 * scale {
        Rest::NotMinimum
    } else {
        Rest::Minimum
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
#[serde(from = "RunText", into = "RunText")]
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
    /// torch's roundings (the default, left out of setups so older texts read the same) or
    /// the update as the course's code writes it.
    #[serde(default, skip_serializing_if = "is_default")]
    pub arithmetic: Arithmetic,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// A run as presets and setup texts write it: the optimizer, the hyper-parameters it changes
/// from its torch defaults (a patch), the schedule, the noise and the mini-batches. Written
/// once for a preset's first run (flattened into it), its racing runs and a setup's runs.
///
/// A [`RunConfig`] is written in this form too, with the hyper-parameters its optimizer takes
/// (not the whole table): setup texts stay short whatever other optimizers add.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunText {
    pub optimizer: OptimizerKind,
    #[serde(default)]
    pub hyper: HyperPatch,
    #[serde(default)]
    pub schedule: Schedule,
    #[serde(default)]
    pub noise: NoiseSpec,
    /// Mini-batches, for a run on data.
    #[serde(default, skip_serializing_if = "is_default")]
    pub batch: BatchSpec,
    /// torch's roundings or the update as written.
    #[serde(default, skip_serializing_if = "is_default")]
    pub arithmetic: Arithmetic,
}

impl From<RunConfig> for RunText {
    fn from(c: RunConfig) -> Self {
        let mut hyper = HyperPatch::default();
        for &p in c.optimizer.params() {
            hyper.set(p, Some(p.get(&c.hyper)));
        }
        Self {
            optimizer: c.optimizer,
            hyper,
            schedule: c.schedule,
            noise: c.noise,
            batch: c.batch,
            arithmetic: c.arithmetic,
        }
    }
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
            arithmetic: t.arithmetic,
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
        if self.arithmetic == Arithmetic::AsWritten {
            label += ", as written";
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
            arithmetic: Arithmetic::Torch,
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
    #[error("{0}")]
    Net(String),
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
    /// A network in training, on a network landscape: the run steps θ, and its rows are θ
    /// projected onto the landscape's plane.
    net: Option<Box<NetTrain>>,
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
        if let Landscape::Net(n) = &landscape {
            return Self::new_net(n.clone(), landscape.clone(), config);
        }
        if !(start.x.is_finite() && start.y.is_finite()) {
            return Err(RunError::StartNotFinite(start));
        }
        let optimizer =
            Optimizer::new(config.optimizer, &config.hyper)?.with_arithmetic(config.arithmetic)?;
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
        let noisy = config.noise.std > 0.0 || batches.is_some();
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
            tracker: StatusTracker::new(&row, noisy),
            left_domain: None,
            stateless,
            fixed: false,
            net: None,
        })
    }

    /// A network's training from its θ₀ (the start is the network's own). Gradient noise does
    /// not apply: mini-batches are a network's noise.
    fn new_net(
        n: Arc<NetLandscape>,
        landscape: Landscape,
        config: &RunConfig,
    ) -> Result<Self, RunError> {
        if config.noise.std != 0.0 {
            return Err(RunError::Net(
                "gradient noise does not apply to a network: its noise comes from mini-batches \
                 (--batch-size)"
                    .into(),
            ));
        }
        let optimizer =
            Optimizer::new(config.optimizer, &config.hyper)?.with_arithmetic(config.arithmetic)?;
        let schedule = LrSchedule::new(config.schedule, config.hyper.lr)?;
        let train = NetTrain::new(
            n.problem.clone(),
            &optimizer,
            config.optimizer,
            config.batch,
            config.noise.seed,
        )
        .map_err(RunError::Net)?;
        let row = net_row(&n, &train);
        let status = if train.is_diverged() {
            Status::Diverged
        } else {
            Status::Converging
        };
        let mut tracker = StatusTracker::new(&row, train.batched());
        tracker.start_grad2 = train.grad_norm().powi(2);
        Ok(Self {
            landscape,
            scratch: Scratch::new(),
            optimizer,
            schedule,
            noise: None,
            batches: None,
            step: 0,
            row,
            status,
            tracker,
            left_domain: None,
            stateless: false,
            fixed: false,
            net: Some(Box::new(train)),
        })
    }

    /// What L-BFGS's closure gives at `p` from this row: the loss and gradient of the batch
    /// behind the row's gradient (all the data, or the landscape, without batches); `None`
    /// where the formula is undefined. The step arithmetic replays the line search with it.
    pub fn closure_value(&self, p: Vec2) -> Option<(f64, Vec2)> {
        let batch = self
            .batches
            .as_ref()
            .map(|(d, b)| (d.as_ref(), b.current()));
        closure_eval(&self.landscape, batch.as_ref(), &mut Scratch::new(), p).ok()
    }

    /// The network in training, on a network landscape (θ, its gradient, its batches).
    pub fn net(&self) -> Option<&NetTrain> {
        self.net.as_deref()
    }

    /// One update of a network: θ by its optimizer, the row its projection. Kept out
    /// of line: a network's update costs a pass over its data, a call is nothing beside it.
    #[inline(never)]
    fn advance_net(&mut self, head: &mut Head, judge: bool) -> Option<Row> {
        let (Some(t), Landscape::Net(n)) = (self.net.as_deref_mut(), &self.landscape) else {
            return None;
        };
        let m = t.advance(self.schedule.lr());
        self.schedule.advance();
        let row = net_row(n, t);
        head.row = row;
        if t.is_diverged() {
            head.status = Status::Diverged;
        } else {
            head.tracker
                .observe_vector(m.d2, m.turned, m.w2, t.loss, m.g2);
            // As on two weights: a step torch skips as optimal is a converged run.
            head.tracker.optimal = m.optimal;
            if judge || m.optimal {
                head.status = head.tracker.judge(&self.landscape);
            }
        }
        Some(row)
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

    /// How the path has gone so far: smooth, or a zig-zag (for good once it zig-zagged).
    pub fn manner(&self) -> Manner {
        self.tracker.manner
    }

    pub fn landscape(&self) -> &Landscape {
        &self.landscape
    }

    pub fn optimizer(&self) -> &Optimizer {
        // A network's first pair of coordinates, whose state the step arithmetic shows.
        if let Some(o) = self.net.as_deref().and_then(NetTrain::optimizer) {
            return o;
        }
        &self.optimizer
    }

    /// The learning rate the next update will use.
    pub fn lr(&self) -> f64 {
        self.schedule.lr()
    }

    /// The points (indices into the data) of the batch behind row `step`'s gradient.
    pub fn batch_points(&self, step: u64) -> Option<Vec<u32>> {
        if let Some(t) = &self.net {
            return t.batch_points(step);
        }
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
        let out = if self.net.is_some() {
            self.advance_net(&mut head, true)
        } else {
            self.advance_head(&mut head, true)
        };
        self.commit(head, u64::from(out.is_some()));
        out
    }

    /// One update of `head`, the part of the run that changes every step, kept out of `self`
    /// so a loop over steps keeps it in registers.
    #[inline(always)]
    fn advance_head(&mut self, head: &mut Head, judge: bool) -> Option<Row> {
        if self.fixed {
            return Some(head.row);
        }
        let prev = head.row.w;
        let mut optimal = false;
        let w = if self.optimizer.needs_closure() {
            let (w, opt) = self.closure_step(head)?;
            optimal = opt;
            w
        } else if self.optimizer.needs_hessian() {
            self.hessian_step(head)?
        } else {
            self.optimizer.step(prev, head.row.grad, self.schedule.lr())
        };
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
        if row.is_diverged() {
            head.status = Status::Diverged;
        } else {
            head.tracker.observe(w - prev, &row);
            // A step torch skips as optimal (L-BFGS: max|g| ≤ tolerance_grad) is a converged
            // run, whatever the tracker's own tolerances say.
            head.tracker.optimal = optimal;
            if judge || optimal {
                head.status = head.tracker.judge(&self.landscape);
            }
        }
        self.fixed = fixed;
        Some(row)
    }

    /// L-BFGS's step(closure) from `head`: the new point and whether torch skipped the step as
    /// optimal, or `None` when the run stopped (the status in `head`). The row's gradient and
    /// batch loss are the closure's first value, and its line search evaluates the landscape
    /// at trial points (on mini-batches, the batch behind the row's gradient, as torch's
    /// closure computes the loss of the batch the loop is on). A trial point where the formula
    /// is undefined ends the run there. Out of line: the two-weight loop's code stays small.
    #[inline(never)]
    fn closure_step(&mut self, head: &mut Head) -> Option<(Vec2, bool)> {
        let (landscape, scratch) = (&self.landscape, &mut self.scratch);
        let batch = self
            .batches
            .as_ref()
            .map(|(d, b)| (d.as_ref(), b.current()));
        let mut undefined = None;
        let mut closure = |p: Vec2| -> Option<(f64, Vec2)> {
            closure_eval(landscape, batch.as_ref(), scratch, p)
                .map_err(|why| undefined = Some((p, why)))
                .ok()
        };
        let step = self.optimizer.step_with_closure(
            head.row.w,
            head.row.batch_loss,
            head.row.grad,
            self.schedule.lr(),
            &mut closure,
        );
        match step {
            Ok(s) => Some((s.w, s.optimal)),
            Err(_) => {
                head.status = match undefined {
                    Some((p, why)) if within_limits(p) => {
                        self.left_domain = Some((p, why));
                        Status::LeftDomain
                    }
                    _ => Status::Diverged,
                };
                None
            }
        }
    }

    /// Newton's step from `head`: the Hessian at the current point, computed only for the
    /// optimizers that ask for it. One that cannot be solved with (singular, not finite, or
    /// undefined there) ends the run as diverged, with no new row: there is no next point (as
    /// in the torch references, where `linalg.solve` raises). Out of line, as
    /// [`Self::closure_step`].
    #[inline(never)]
    fn hessian_step(&mut self, head: &mut Head) -> Option<Vec2> {
        let hessian = self.landscape.hessian(head.row.w).ok();
        match self.optimizer.step_with_hessian(
            head.row.w,
            head.row.grad,
            hessian.as_ref(),
            self.schedule.lr(),
        ) {
            Ok(w) => Some(w),
            Err(_) => {
                head.status = Status::Diverged;
                None
            }
        }
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
            manner: self.manner(),
        }
    }

    /// Appends the current row and up to `steps` more to `rows` (which keeps its memory between
    /// calls, so a caller that records again and again does not page in fresh memory each
    /// time); returns the number of updates taken.
    pub fn record_into(&mut self, rows: &mut Vec<Row>, steps: u64) -> u64 {
        // Two loops, one per kind of run: a network's test kept out of the two-weight loop
        // leaves that loop's code as it was before networks (measured: with the test inside,
        // `engine/gd_bowl_1m_moving` ran 23 more instructions an update).
        if self.net.is_some() {
            self.record_with(rows, steps, Self::advance_net)
        } else {
            self.record_with(rows, steps, Self::advance_head)
        }
    }

    /// [`Self::record_into`] with `advance` taking each update.
    #[inline(always)]
    fn record_with(
        &mut self,
        rows: &mut Vec<Row>,
        steps: u64,
        advance: impl Fn(&mut Self, &mut Head, bool) -> Option<Row>,
    ) -> u64 {
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
            if self.fixed {
                // A fixed point repeats its row bit for bit forever (see `advance_head`): the
                // rest of the rows are copies, written in one go.
                let n = steps - taken;
                rows.extend(std::iter::repeat_n(head.row, n as usize));
                taken += n;
                break;
            }
            // The status is judged every few updates and after the last one (below): the
            // judging costs more than an update of plain GD.
            let Some(row) = advance(self, &mut head, taken % 4 == 3) else {
                break;
            };
            rows.push(row);
            taken += 1;
            if head.status.is_final() {
                break;
            }
        }
        if taken > 0 && !head.status.is_final() {
            head.status = head.tracker.judge(&self.landscape);
        }
        self.commit(head, taken);
        taken
    }
}

/// L-BFGS's closure at `p`: on mini-batches of data the loss and gradient of `batch` (the
/// batch behind the row's gradient), else the landscape's.
fn closure_eval(
    landscape: &Landscape,
    batch: Option<&(&DataLandscape, Option<Vec<u32>>)>,
    scratch: &mut Scratch,
    p: Vec2,
) -> Result<(f64, Vec2), Undefined> {
    match batch {
        Some((d, idx)) => Ok(d.batch(p, idx.as_deref())),
        None => landscape.eval(p, scratch),
    }
}

/// A network's row: θ projected onto the plane, the full-data loss, the batch gradient along
/// the plane and the batch's loss.
fn net_row(n: &NetLandscape, t: &NetTrain) -> Row {
    Row {
        w: n.plane.project(t.theta()).0,
        loss: t.loss,
        grad: n.plane.grad(t.grad()),
        batch_loss: t.batch_loss,
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
    pub manner: Manner,
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

    /// torch's arithmetic is left out of a run's text, so texts written before the choice
    /// existed read (and are written) the same; as-written is kept.
    #[test]
    fn arithmetic_is_written_only_when_as_written() {
        let c = gd(0.1);
        let text = serde_json::to_string(&c).unwrap();
        assert!(!text.contains("arithmetic"), "{text}");
        let mut w = c;
        w.arithmetic = Arithmetic::AsWritten;
        let text = serde_json::to_string(&w).unwrap();
        assert!(text.contains("\"arithmetic\":\"as-written\""), "{text}");
        assert_eq!(serde_json::from_str::<RunConfig>(&text).unwrap(), w);
        assert!(w.label().ends_with(", as written"), "{}", w.label());
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
        // Between 1/λ and 2/λ the path zig-zags but gets closer: converging, not oscillating.
        assert_eq!(status(0.2, 10), Status::Converging);
        assert_eq!(status(0.25, 200), Status::Oscillating);
        assert_eq!(status(0.26, 10), Status::Diverging);
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
