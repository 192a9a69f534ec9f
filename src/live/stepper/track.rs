//! The runs being stepped: a racing run with its path and the checkpoints that replay any
//! update, and a scattered run with its thinned trail.

use super::*;

/// A racing run being stepped: its run, its path, and copies of the run every
/// [`CHUNK`](downhill_engine::run::path::CHUNK) steps
/// (thinned as they grow old) so any update can be replayed and written out.
pub(super) struct Track {
    pub(super) run: Run,
    pub(super) path: PathBuilder,
    /// Copies of the run, in step order, starting with step 0.
    pub(super) checkpoints: Vec<Run>,
    /// The run just before its latest update: the live step's arithmetic needs no replay (on
    /// a data landscape every replayed step costs a pass over the data).
    pub(super) before_last: Option<Run>,
    /// The landscape's Hessian when constant, found once: the why sentences ask every
    /// snapshot.
    quadratic: Quadratic,
    /// Where the preview that ran ahead of a replay ended: its status and step.
    pub(super) ahead: Option<(Status, u64)>,
}

impl Track {
    pub(super) fn new(run: Run) -> Self {
        let mut path = PathBuilder::new();
        path.push(run.row());
        Self {
            path,
            checkpoints: vec![run.lean_clone()],
            before_last: None,
            quadratic: Quadratic::of(run.landscape()),
            ahead: None,
            run,
        }
    }

    /// Keeps a copy of the run; when there are too many, every other one of the older half
    /// goes (replaying an old update then takes longer, never more memory).
    pub(super) fn checkpoint(&mut self) {
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

    pub(super) fn finished(&self, limit: u64) -> bool {
        self.run.status().is_final() || self.run.step() >= limit
    }

    /// Up to `n` updates, stopping at `limit`.
    pub(super) fn advance(&mut self, n: u64, limit: u64) {
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

    pub(super) fn view(&self, limit: u64) -> RunView {
        let path = self.path.path();
        RunView {
            why: self.why(&path),
            path,
            status: self.run.status(),
            manner: self.run.manner(),
            ahead: self.ahead.filter(|(_, step)| *step > self.run.step()),
            finished: self.finished(limit),
            velocity: self.run.optimizer().velocity(),
            lr: self.run.lr(),
            left_domain: self.run.left_domain(),
            batch: self.run.batch_points(self.run.step()).map(Arc::from),
        }
    }

    /// Why the run moves as it does, from its last few points (none once it stopped).
    fn why(&self, path: &RunPath) -> Arc<[String]> {
        /// Points enough for a median of five step ratios.
        const RECENT: usize = 8;
        // A network's path on the map is θ projected onto a plane: step ratios along the
        // plane's axes would be named w0 and w1 and say little about θ, whose whole step the
        // status is judged on. Its status stands alone.
        if self.run.status().is_final() || self.run.net().is_some() {
            return Arc::from([]);
        }
        let n = path.len();
        let recent: Vec<Vec2> = (n.saturating_sub(RECENT)..n)
            .filter_map(|s| path.get(s).map(|r| r.w))
            .collect();
        why(&WhyInput {
            landscape: self.run.landscape(),
            quadratic: self.quadratic,
            optimizer: self.run.optimizer(),
            lr: self.run.lr(),
            recent: &recent,
        })
        .into()
    }

    /// The run at row `step` (at most the live step), replayed from the nearest checkpoint or
    /// from `near` (a copy of this run kept from an earlier call) when that is closer.
    pub(super) fn run_at(&self, step: u64, near: Option<&Run>) -> Option<Run> {
        if step > self.run.step() {
            return None;
        }
        let i = self.checkpoints.partition_point(|c| c.step() <= step);
        let mut from = self.checkpoints.get(i.checked_sub(1)?)?;
        if let Some(b) = &self.before_last
            && b.step() <= step
            && b.step() > from.step()
        {
            from = b;
        }
        if let Some(n) = near
            && n.step() <= step
            && n.step() > from.step()
        {
            from = n;
        }
        let mut run = from.clone();
        while run.step() < step {
            run.advance()?;
        }
        Some(run)
    }

    /// Update `step` written out, replayed from the nearest checkpoint (at most CHUNK updates).
    pub(super) fn explain(
        &self,
        step: u64,
        kind: OptimizerKind,
        one_d: bool,
    ) -> Option<Explanation> {
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
        if let (Some(t), Some(n)) = (run.net(), run.landscape().net()) {
            return Some(net_explain(&run, t, n, kind, step));
        }
        let hessian = if run.optimizer().needs_hessian() {
            run.landscape().hessian(row.w).ok()
        } else {
            None
        };
        let closure = |p| run.closure_value(p);
        let at = At {
            w: row.w,
            g: row.grad,
            lr: run.lr(),
            dims: if one_d { 1 } else { 2 },
            hessian,
            closure: Some(&closure),
        };
        Some(explain(run.optimizer(), kind, &at, step))
    }
}

/// A network's update written out: the first pair of θ's coordinates, p0 and p1, with their
/// own numbers (every coordinate follows the same rule with its own gradient and state), never
/// the plane's coordinates.
fn net_explain(
    run: &Run,
    t: &downhill_engine::net::NetTrain,
    n: &downhill_engine::net::NetLandscape,
    kind: OptimizerKind,
    step: u64,
) -> Explanation {
    // L-BFGS and Adafactor: the update of the whole θ (or of W1), taken once more to show it.
    if t.optimizer().is_none() {
        let mut next = run.clone();
        if next.advance().is_some()
            && let Some(after) = next.net()
            && let Some(e) =
                downhill_engine::teach::explain::explain_whole(t, after, run.lr(), step)
        {
            return e;
        }
    }
    let (theta, grad) = (t.theta(), t.grad());
    let pair = |v: &[f64]| {
        Vec2::new(
            v.first().copied().unwrap_or(0.0),
            v.get(1).copied().unwrap_or(0.0),
        )
    };
    let at = At {
        w: pair(theta),
        g: pair(grad),
        lr: run.lr(),
        dims: theta.len().min(2),
        hessian: None,
        closure: None,
    };
    let mut e = explain(run.optimizer(), kind, &at, step);
    e.params = Params::Network;
    let spec = &n.problem.net.spec;
    e.heading = format!(
        "θ has {} parameters, each updated by the same rule with its own gradient; written \
         out for p0 = {} and p1 = {}. {}",
        theta.len(),
        spec.param_name(0),
        spec.param_name(1),
        e.heading
    );
    e
}

/// A run from a scattered start, keeping a trail of at most [`TRAIL`] points: when full, every
/// other point is dropped and points are kept half as often.
pub(super) struct ScatterTrack {
    pub(super) run_index: usize,
    pub(super) run: Run,
    pub(super) trail: Vec<Vec2>,
    /// Keep one point every `stride` steps.
    pub(super) stride: u64,
    pub(super) published: Option<Arc<[Vec2]>>,
}

/// Points kept per scattered run.
const TRAIL: usize = 1024;

impl ScatterTrack {
    pub(super) fn new(run_index: usize, run: Run) -> Self {
        Self {
            run_index,
            trail: vec![run.row().w],
            run,
            stride: 1,
            published: None,
        }
    }

    pub(super) fn advance(&mut self, n: u64, limit: u64) {
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
    pub(super) fn view(&mut self, minima: &[Vec2], one_d: bool) -> ScatterView {
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
