//! L-BFGS: `torch.optim.LBFGS(max_iter=1)`, the limited-memory BFGS quasi-Newton method
//! (Nocedal, 1980; torch's port of minFunc), one `step(closure)` per row.
//!
//! ```text
//! input: γ (lr), θ₀ (params), f(θ) (objective), m (history_size),
//!        τ_g (tolerance_grad), τ_c (tolerance_change), line search (None or strong Wolfe)
//! for every step(closure) (max_iter = 1: one iteration each) do
//!     f, g ← closure()                                   (f(θ) and ∇f(θ) at the point)
//!     if max|g| ≤ τ_g: return                            (optimal: θ stays, nothing changes)
//!     n_iter ← n_iter + 1
//!     if n_iter = 1:  d ← −g;  H_diag ← 1;  history ← ∅
//!     else:
//!         y ← g − g_prev;  s ← t·d;  ys ← y·s
//!         if ys > 1e-10:                                  (curvature condition)
//!             push (y, s, ρ = 1/ys) on the history, dropping the oldest past m pairs
//!             H_diag ← ys / (y·y)
//!         q ← −g                                          (two-loop recursion)
//!         for i = k−1 down to 0:  α_i ← ρ_i (s_i·q);  q ← q − α_i y_i
//!         r ← H_diag q
//!         for i = 0 to k−1:       β_i ← ρ_i (y_i·r);  r ← r + (α_i − β_i) s_i
//!         d ← r
//!     g_prev ← g;  prev_loss ← f
//!     t ← min(1, 1/Σ|g|)·γ if n_iter = 1, else γ
//!     if g·d > −τ_c: stop (θ stays; not a descent direction)
//!     with a line search: t ← strong_wolfe(θ, t, d, f, g, g·d)  (c₁ = 1e-4, c₂ = 0.9,
//!                              max_ls = max_eval − evals = 0: t if f(θ + td) < f, else 0)
//!     θ ← θ + t·d
//! ```
//!
//! The strong-Wolfe search (`_strong_wolfe`) is given torch's evaluation budget,
//! `max_ls = max_eval − current_evals` (torch ≥ 2.10), which `max_iter=1` leaves at 0: it
//! evaluates the first trial θ + t·d and keeps t if f(θ + t·d) < f, else t = 0 (and a step of
//! 0 stays stuck: the next s = 0·d adds no pair and the direction repeats), as in the
//! Himmelblau reference. Given more evaluations, it brackets a step t that lowers f enough
//! (f(θ + td) ≤ f + c₁·t·g·d) and flattens the slope (|∇f(θ + td)·d| ≤ −c₂·g·d), extrapolating
//! with a cubic through the last two trials (`_cubic_interpolate`, bounded to
//! [t + 0.01(t − t_prev), 10t]), then zooms into the bracket with cubics kept a tenth of the
//! bracket away from its ends. Every trial is one call of the closure.
//!
//! Parity notes: mirrors `LBFGS.step` and `_strong_wolfe` of torch 2.15 with `max_iter=1`
//! (`max_eval` = 1, so no re-evaluation after a fixed step). The initial closure value is the
//! run's row (the loss and gradient the row shows). `Tensor.dot` of two 2-vectors is
//! `x₀y₀ + x₁y₁`, each product rounded; `q.add_(y, alpha=−α)` and `_add_grad` (`p.add_(d,
//! alpha=t)`) are fused multiply-adds; `1.0 / ys` is `reciprocal(ys)·1`, the same as the
//! quotient; `min(1, 1/Σ|g|)` is Python's `min` (the first argument on a tie). The state
//! (history, `d`, `t`, `H_diag`, `prev_flat_grad`) lives across steps, so a step that stops
//! on `g·d > −τ_c` stays put and stays stuck, as in torch. A step skipped on `max|g| ≤ τ_g`
//! leaves θ where it is and the run is `converged`.

use std::collections::VecDeque;

use super::{Family, Hyper, HyperParam, KindInfo, Needs, NetRefused, OptimError, Optimizer, Vec2};
use crate::net::optimizer::NetOptimizer;
use crate::net::spec::Layer;

/// `lbfgs`: `torch.optim.LBFGS` with `max_iter=1`.
pub const LBFGS: KindInfo = KindInfo {
    name: "lbfgs",
    label: "L-BFGS",
    short_label: "L-BFGS",
    torch: "torch.optim.LBFGS(max_iter=1), one step(closure) per update",
    params: {
        use HyperParam::*;
        &[Lr, ToleranceGrad, ToleranceChange, HistorySize, LineSearch]
    },
    defaults: Hyper {
        lr: 1.0,
        ..Hyper::TORCH
    },
    domains: &[],
    build,
    net_lr: Some(0.1),
};

/// L-BFGS from hyper-parameters that passed the table's checks; the history holds a whole
/// number of pairs, at least one (torch fails on an empty history with an `IndexError`).
fn build(h: &Hyper) -> Result<Optimizer, OptimError> {
    if !(h.history_size >= 1.0 && h.history_size.fract() == 0.0 && h.history_size <= 1e6) {
        return Err(OptimError(format!(
            "history_size must be a whole number from 1 to 1000000, got {}",
            h.history_size
        )));
    }
    Ok(Optimizer::Lbfgs(Lbfgs::new(LbfgsConfig {
        tolerance_grad: h.tolerance_grad,
        tolerance_change: h.tolerance_change,
        history_size: h.history_size as usize,
        strong_wolfe: h.line_search,
    })))
}

/// Hyper-parameters of `torch.optim.LBFGS`, with torch's names (`max_iter` is 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LbfgsConfig {
    /// τ_g: a step is skipped when max|g| ≤ this.
    pub tolerance_grad: f64,
    /// τ_c: no move when g·d > −τ_c; the line search stops when its bracket is this narrow.
    pub tolerance_change: f64,
    /// m: the number of (y, s) pairs kept.
    pub history_size: usize,
    /// `line_search_fn="strong_wolfe"` (else None: a fixed step t = γ).
    pub strong_wolfe: bool,
}

/// One trial of the line search: the step t along d and f(θ + t·d).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trial {
    pub t: f64,
    pub f: f64,
    /// ∇f(θ + t·d)·d.
    pub gtd: f64,
}

/// A flat parameter vector as L-BFGS uses it (torch flattens every parameter into one):
/// the two weights of a landscape, or a network's θ.
pub trait Flat: Clone + std::fmt::Debug + Default + PartialEq {
    /// `Tensor.dot`.
    fn dot(&self, other: &Self) -> f64;
    /// `p.add_(v, alpha=a)`: self + a·v, fused.
    fn axpy(&self, a: f64, v: &Self) -> Self;
    /// self·a.
    fn scale(&self, a: f64) -> Self;
    /// self − other.
    fn minus(&self, other: &Self) -> Self;
    /// `abs().max()`: the largest magnitude.
    fn max_abs(&self) -> f64;
    /// `abs().sum()`.
    fn sum_abs(&self) -> f64;
}

impl Flat for Vec2 {
    /// Each product rounded, then the sum.
    #[inline(always)]
    fn dot(&self, other: &Self) -> f64 {
        dot(*self, *other)
    }
    #[inline(always)]
    fn axpy(&self, a: f64, v: &Self) -> Self {
        axpy(*self, a, *v)
    }
    #[inline(always)]
    fn scale(&self, a: f64) -> Self {
        self * a
    }
    #[inline(always)]
    fn minus(&self, other: &Self) -> Self {
        self - other
    }
    #[inline(always)]
    fn max_abs(&self) -> f64 {
        py_max(self.x.abs(), self.y.abs())
    }
    #[inline(always)]
    fn sum_abs(&self) -> f64 {
        self.x.abs() + self.y.abs()
    }
}

/// A network's θ. Sums run in index order (torch's BLAS order is unspecified, so no order
/// reproduces it to the bit; the network references hold to 1e-10); a NaN makes `max_abs`
/// NaN, as torch's `max` does.
impl Flat for Vec<f64> {
    fn dot(&self, other: &Self) -> f64 {
        self.iter().zip(other).map(|(a, b)| a * b).sum()
    }
    fn axpy(&self, a: f64, v: &Self) -> Self {
        self.iter().zip(v).map(|(p, v)| a.mul_add(*v, *p)).collect()
    }
    fn scale(&self, a: f64) -> Self {
        self.iter().map(|v| v * a).collect()
    }
    fn minus(&self, other: &Self) -> Self {
        self.iter().zip(other).map(|(a, b)| a - b).collect()
    }
    fn max_abs(&self) -> f64 {
        self.iter().fold(0.0, |m: f64, v| {
            if m.is_nan() || v.is_nan() {
                f64::NAN
            } else {
                m.max(v.abs())
            }
        })
    }
    fn sum_abs(&self) -> f64 {
        self.iter().map(|v| v.abs()).sum()
    }
}

/// State of L-BFGS, named as torch names it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LbfgsState<V = Vec2> {
    /// Calls of the closure (the initial one of every step and the line search's trials).
    pub func_evals: u64,
    /// Iterations taken (steps not skipped as optimal).
    pub n_iter: u64,
    /// The last direction d.
    pub d: V,
    /// The last step length t.
    pub t: f64,
    /// y_i = g_{i+1} − g_i, oldest first.
    pub old_dirs: VecDeque<V>,
    /// s_i = t_i·d_i, oldest first.
    pub old_stps: VecDeque<V>,
    /// ρ_i = 1 / (y_i·s_i).
    pub ro: VecDeque<f64>,
    /// γ_k = (y·s)/(y·y) of the newest pair: the initial inverse Hessian's scale.
    pub h_diag: f64,
    /// The gradient of the last iteration.
    pub prev_flat_grad: Option<V>,
    /// The loss of the last iteration.
    pub prev_loss: f64,
    /// The two-loop recursion's α_i of the last iteration.
    pub al: Vec<f64>,
    /// The last line search's trials, in order (empty without a line search).
    pub trials: Vec<Trial>,
}

/// L-BFGS with its configuration and state, on the two weights (`Vec2`) or on a network's θ
/// (`Vec<f64>`).
#[derive(Clone, Debug, PartialEq)]
pub struct Lbfgs<V = Vec2> {
    pub config: LbfgsConfig,
    pub state: LbfgsState<V>,
}

/// What one `step(closure)` did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClosureStep<V = Vec2> {
    /// The new point (the old one when the step did not move).
    pub w: V,
    /// torch returned before iterating: max|g| ≤ tolerance_grad, an optimal point.
    pub optimal: bool,
}

/// The closure could not be evaluated at a trial point (the formula is undefined there).
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[error("the loss is undefined at a trial point of the line search")]
pub struct ClosureFailed;

/// torch's `max_eval` for `max_iter=1`: `max_iter * 5 // 4`.
const MAX_EVAL: u32 = 1;

/// `Tensor.dot` of two 2-vectors: each product rounded, then the sum.
#[inline(always)]
pub fn dot(a: Vec2, b: Vec2) -> f64 {
    a.x * b.x + a.y * b.y
}

/// `p.add_(v, alpha=a)`: p + a·v, fused.
#[inline(always)]
fn axpy(p: Vec2, a: f64, v: Vec2) -> Vec2 {
    Vec2::new(a.mul_add(v.x, p.x), a.mul_add(v.y, p.y))
}

/// Python's `min(a, b)`: `b` only when it is smaller.
#[inline(always)]
fn py_min(a: f64, b: f64) -> f64 {
    if b < a { b } else { a }
}

/// Python's `max(a, b)`: `b` only when it is larger.
#[inline(always)]
fn py_max(a: f64, b: f64) -> f64 {
    if b > a { b } else { a }
}

/// `_cubic_interpolate`: the minimizer of the cubic through (x1, f1, g1) and (x2, f2, g2),
/// clamped to `bounds` (the two points' interval by default); the bounds' midpoint when the
/// cubic has no minimum.
pub fn cubic_interpolate(
    (x1, f1, g1): (f64, f64, f64),
    (x2, f2, g2): (f64, f64, f64),
    bounds: Option<(f64, f64)>,
) -> f64 {
    let (lo, hi) = bounds.unwrap_or(if x1 <= x2 { (x1, x2) } else { (x2, x1) });
    let d1 = g1 + g2 - 3.0 * (f1 - f2) / (x1 - x2);
    let d2_square = d1 * d1 - g1 * g2;
    if d2_square >= 0.0 {
        let d2 = d2_square.sqrt();
        let min_pos = if x1 <= x2 {
            x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2.0 * d2))
        } else {
            x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2.0 * d2))
        };
        py_min(py_max(min_pos, lo), hi)
    } else {
        (lo + hi) / 2.0
    }
}

impl<V: Flat> Lbfgs<V> {
    pub fn new(config: LbfgsConfig) -> Self {
        Self {
            config,
            state: LbfgsState {
                h_diag: 1.0,
                ..LbfgsState::default()
            },
        }
    }

    /// The last direction d (none before the first iteration).
    pub fn velocity(&self) -> Option<V> {
        (self.state.n_iter > 0).then(|| self.state.d.clone())
    }

    /// The direction of this iteration from gradient `g` (updating the history), as torch's
    /// loop computes it.
    fn direction(&mut self, g: &V) -> V {
        let c = self.config;
        let s = &mut self.state;
        if s.n_iter == 1 {
            s.old_dirs.clear();
            s.old_stps.clear();
            s.ro.clear();
            s.h_diag = 1.0;
            s.al.clear();
            return g.scale(-1.0);
        }
        let y = match &s.prev_flat_grad {
            Some(prev) => g.minus(prev),
            None => g.minus(g),
        };
        let st = s.d.scale(s.t);
        let ys = y.dot(&st);
        if ys > 1e-10 {
            if s.old_dirs.len() == c.history_size {
                s.old_dirs.pop_front();
                s.old_stps.pop_front();
                s.ro.pop_front();
            }
            s.h_diag = ys / y.dot(&y);
            s.old_dirs.push_back(y);
            s.old_stps.push_back(st);
            s.ro.push_back(1.0 / ys);
        }
        let k = s.old_dirs.len();
        s.al.resize(k, 0.0);
        let mut q = g.scale(-1.0);
        for i in (0..k).rev() {
            s.al[i] = s.old_stps[i].dot(&q) * s.ro[i];
            q = q.axpy(-s.al[i], &s.old_dirs[i]);
        }
        let mut r = q.scale(s.h_diag);
        for i in 0..k {
            let be_i = s.old_dirs[i].dot(&r) * s.ro[i];
            r = r.axpy(s.al[i] - be_i, &s.old_stps[i]);
        }
        r
    }

    /// One `step(closure)` from `w`, where the closure's first value (`loss`, `grad`) is
    /// given; `closure` evaluates the loss and gradient at the line search's trial points.
    pub fn closure_step(
        &mut self,
        w: V,
        loss: f64,
        grad: V,
        lr: f64,
        closure: &mut dyn FnMut(V) -> Option<(f64, V)>,
    ) -> Result<ClosureStep<V>, ClosureFailed> {
        let c = self.config;
        self.state.func_evals += 1;
        self.state.trials.clear();
        if grad.max_abs() <= c.tolerance_grad {
            return Ok(ClosureStep { w, optimal: true });
        }
        self.state.n_iter += 1;
        let d = self.direction(&grad);
        let s = &mut self.state;
        s.t = if s.n_iter == 1 {
            py_min(1.0, 1.0 / grad.sum_abs()) * lr
        } else {
            lr
        };
        let gtd = grad.dot(&d);
        s.d = d;
        s.prev_flat_grad = Some(grad);
        s.prev_loss = loss;
        if gtd > -c.tolerance_change {
            // torch stops here: the loss no longer changes along d (|gtd| within the
            // tolerance: its own convergence test, an optimal point for the status), or d
            // does not go downhill (the run stays where it is, not converged).
            let optimal = gtd.abs() <= c.tolerance_change;
            return Ok(ClosureStep { w, optimal });
        }
        if c.strong_wolfe {
            // torch (since 2.10) passes max_ls = max_eval − current_evals: with max_iter = 1,
            // max_eval = 1·5 // 4 = 1 and the step's first closure call has spent it, so no
            // bracketing or zoom iteration runs (their code is torch's, for the general case).
            let max_ls = MAX_EVAL - 1;
            let d = self.state.d.clone();
            let t = self.strong_wolfe(&w, self.state.t, &d, loss, gtd, max_ls, closure)?;
            self.state.t = t;
        }
        Ok(ClosureStep {
            w: w.axpy(self.state.t, &self.state.d),
            optimal: false,
        })
    }

    /// `_strong_wolfe(obj_func, x, t, d, f, g, gtd, max_ls=max_eval − current_evals)` with
    /// torch's c₁ = 1e-4, c₂ = 0.9; returns the step t (the trials are kept in the state).
    /// With `max_iter=1` the budget is spent: the search tries t once and keeps it if the
    /// loss does not rise past f (`bracket_f[0] <= bracket_f[-1]` picks t = 0 on a tie or a
    /// rise), as torch 2.15 does.
    #[allow(clippy::too_many_arguments)]
    fn strong_wolfe(
        &mut self,
        x: &V,
        mut t: f64,
        d: &V,
        f: f64,
        gtd: f64,
        max_ls: u32,
        closure: &mut dyn FnMut(V) -> Option<(f64, V)>,
    ) -> Result<f64, ClosureFailed> {
        const C1: f64 = 1e-4;
        const C2: f64 = 0.9;
        let tolerance_change = self.config.tolerance_change;
        let d_norm = d.max_abs();
        let state = &mut self.state;
        let mut eval = |t: f64| -> Result<(f64, f64), ClosureFailed> {
            let (f_new, g_new) = closure(x.axpy(t, d)).ok_or(ClosureFailed)?;
            let gtd_new = g_new.dot(d);
            state.func_evals += 1;
            state.trials.push(Trial {
                t,
                f: f_new,
                gtd: gtd_new,
            });
            Ok((f_new, gtd_new))
        };
        let (mut f_new, mut gtd_new) = eval(t)?;
        // The bracket's points as (t, f, gtd); torch also carries the gradients, which only
        // the last iteration of a multi-iteration step would read.
        let (mut t_prev, mut f_prev, mut gtd_prev) = (0.0, f, gtd);
        let mut done = false;
        let mut ls_iter = 0;
        let mut bracket: Vec<(f64, f64, f64)> = Vec::with_capacity(2);
        while ls_iter < max_ls {
            if f_new > f + C1 * t * gtd || (ls_iter > 1 && f_new >= f_prev) {
                bracket = vec![(t_prev, f_prev, gtd_prev), (t, f_new, gtd_new)];
                break;
            }
            if gtd_new.abs() <= -C2 * gtd {
                bracket = vec![(t, f_new, gtd_new)];
                done = true;
                break;
            }
            if gtd_new >= 0.0 {
                bracket = vec![(t_prev, f_prev, gtd_prev), (t, f_new, gtd_new)];
                break;
            }
            let min_step = t + 0.01 * (t - t_prev);
            let max_step = t * 10.0;
            let tmp = t;
            t = cubic_interpolate(
                (t_prev, f_prev, gtd_prev),
                (t, f_new, gtd_new),
                Some((min_step, max_step)),
            );
            t_prev = tmp;
            f_prev = f_new;
            gtd_prev = gtd_new;
            (f_new, gtd_new) = eval(t)?;
            ls_iter += 1;
        }
        if ls_iter == max_ls {
            // torch's bracket here has no slopes (`bracket_gtd` is left from no assignment);
            // the zoom below does not run, as ls_iter = max_ls.
            bracket = vec![(0.0, f, gtd), (t, f_new, gtd_new)];
        }
        let last = bracket.len() - 1;
        let (mut low, mut high) = if bracket[0].1 <= bracket[last].1 {
            (0, 1)
        } else {
            (1, 0)
        };
        let mut insuf_progress = false;
        while !done && ls_iter < max_ls {
            if (bracket[1].0 - bracket[0].0).abs() * d_norm < tolerance_change {
                break;
            }
            t = cubic_interpolate(bracket[0], bracket[1], None);
            let (b_max, b_min) = (
                py_max(bracket[0].0, bracket[1].0),
                py_min(bracket[0].0, bracket[1].0),
            );
            let eps = 0.1 * (b_max - b_min);
            if py_min(b_max - t, t - b_min) < eps {
                if insuf_progress || t >= b_max || t <= b_min {
                    t = if (t - b_max).abs() < (t - b_min).abs() {
                        b_max - eps
                    } else {
                        b_min + eps
                    };
                    insuf_progress = false;
                } else {
                    insuf_progress = true;
                }
            } else {
                insuf_progress = false;
            }
            (f_new, gtd_new) = eval(t)?;
            ls_iter += 1;
            if f_new > f + C1 * t * gtd || f_new >= bracket[low].1 {
                bracket[high] = (t, f_new, gtd_new);
                (low, high) = if bracket[0].1 <= bracket[1].1 {
                    (0, 1)
                } else {
                    (1, 0)
                };
            } else {
                if gtd_new.abs() <= -C2 * gtd {
                    done = true;
                } else if gtd_new * (bracket[high].0 - bracket[low].0) >= 0.0 {
                    bracket[high] = bracket[low];
                }
                bracket[low] = (t, f_new, gtd_new);
            }
        }
        Ok(bracket[low].0)
    }
}

/// L-BFGS evaluates the landscape at its line search's trial points: a run steps it with its
/// closure; on a network it works on θ flattened into one vector, as torch does.
impl Family for Lbfgs {
    const NEEDS: Needs = Needs::Closure;

    /// Without the closure L-BFGS cannot step: a NaN point.
    fn step(&mut self, _w: Vec2, _grad: Vec2, _lr: f64) -> Vec2 {
        Vec2::new(f64::NAN, f64::NAN)
    }

    #[inline]
    fn step_with_closure(
        &mut self,
        w: Vec2,
        loss: f64,
        grad: Vec2,
        lr: f64,
        closure: &mut dyn FnMut(Vec2) -> Option<(f64, Vec2)>,
    ) -> Result<ClosureStep, ClosureFailed> {
        self.closure_step(w, loss, grad, lr, closure)
    }

    /// The last direction d (none before the first iteration).
    fn velocity(&self) -> Option<Vec2> {
        Lbfgs::velocity(self)
    }

    fn network(&self, _layers: &[Layer]) -> Result<NetOptimizer, NetRefused> {
        Ok(NetOptimizer::flat(self.config))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::OptimizerKind;

    fn lbfgs(f: impl Fn(&mut Hyper)) -> Result<Optimizer, OptimError> {
        let mut h = OptimizerKind::Lbfgs.defaults();
        f(&mut h);
        Optimizer::new(OptimizerKind::Lbfgs, &h)
    }

    /// torch's defaults (lr 1, tolerance_grad 1e-7, tolerance_change 1e-9, history 100, no
    /// line search) and its `ValueError` on a negative learning rate; a history that is not
    /// a whole number of pairs, or empty, is refused too (torch fails on it later).
    #[test]
    fn defaults_and_value_errors() {
        let h = OptimizerKind::Lbfgs.defaults();
        assert_eq!(
            (h.lr, h.tolerance_grad, h.tolerance_change, h.history_size),
            (1.0, 1e-7, 1e-9, 100.0)
        );
        assert!(!h.line_search);
        assert!(lbfgs(|_| {}).is_ok());
        let e = lbfgs(|h| h.lr = -1.0).unwrap_err().0;
        assert!(e.contains("learning rate"), "{e}");
        for bad in [0.0, 2.5, -3.0] {
            let e = lbfgs(|h| h.history_size = bad).unwrap_err().0;
            assert!(e.contains("history_size"), "{e}");
        }
        let e = lbfgs(|h| h.tolerance_grad = f64::NAN).unwrap_err().0;
        assert!(e.contains("finite"), "{e}");
        let o = lbfgs(|_| {}).unwrap();
        assert!(o.needs_closure());
        assert!(
            o.with_arithmetic(crate::optim::Arithmetic::AsWritten)
                .is_err()
        );
    }

    /// The first step goes t = min(1, 1/Σ|g|)·γ along −g; the second, on the bowl
    /// x² + 4y², follows the two-loop direction; a gradient below tolerance skips the step.
    #[test]
    fn steps_by_hand() {
        let Ok(Optimizer::Lbfgs(mut o)) = lbfgs(|_| {}) else {
            panic!()
        };
        let grad = |w: Vec2| Vec2::new(2.0 * w.x, 8.0 * w.y);
        let loss = |w: Vec2| w.x * w.x + 4.0 * w.y * w.y;
        let mut f = |w: Vec2| Some((loss(w), grad(w)));
        let w0 = Vec2::new(3.0, 2.0);
        let s = o.closure_step(w0, loss(w0), grad(w0), 1.0, &mut f).unwrap();
        // g = (6, 16), Σ|g| = 22: t = 1/22.
        assert_eq!(
            s.w,
            Vec2::new(
                (1.0f64 / 22.0).mul_add(-6.0, 3.0),
                (1.0f64 / 22.0).mul_add(-16.0, 2.0)
            )
        );
        assert!(!s.optimal);
        let s2 = o
            .closure_step(s.w, loss(s.w), grad(s.w), 1.0, &mut f)
            .unwrap();
        assert_eq!(o.state.old_dirs.len(), 1);
        assert!(loss(s2.w) < loss(s.w));
        let before = o.state.clone();
        let z = Vec2::new(0.0, 0.0);
        let s3 = o.closure_step(z, 0.0, z, 1.0, &mut f).unwrap();
        assert!(s3.optimal);
        assert_eq!(s3.w, z);
        assert_eq!(o.state.n_iter, before.n_iter);
    }

    /// With a line search, the one trial torch can afford is kept when the loss drops and
    /// refused (t = 0) when it rises; an undefined trial fails the step.
    #[test]
    fn the_line_search_keeps_a_trial_that_lowers_the_loss() {
        let Ok(Optimizer::Lbfgs(mut o)) = lbfgs(|h| h.line_search = true) else {
            panic!()
        };
        // f = x², from x = 3 with t = 1/6: the trial is the minimum.
        let mut f = |w: Vec2| Some((w.x * w.x, Vec2::new(2.0 * w.x, 0.0)));
        let s = o
            .closure_step(Vec2::new(3.0, 0.0), 9.0, Vec2::new(6.0, 0.0), 1.0, &mut f)
            .unwrap();
        assert_eq!(s.w, Vec2::new(2.0, 0.0));
        assert_eq!(o.state.trials.len(), 1);
        assert_eq!(o.state.func_evals, 2);
        let mut none = |_: Vec2| None;
        let Ok(Optimizer::Lbfgs(mut o)) = lbfgs(|h| h.line_search = true) else {
            panic!()
        };
        let r = o.closure_step(
            Vec2::new(3.0, 0.0),
            9.0,
            Vec2::new(6.0, 0.0),
            1.0,
            &mut none,
        );
        assert_eq!(r, Err(ClosureFailed));
    }

    /// A run that starts at a minimum is skipped by torch: it stays and is converged.
    #[test]
    fn a_run_at_a_minimum_converges_in_place() {
        use crate::landscape::Landscape;
        use crate::run::{Run, RunConfig, Status};
        let l = Landscape::builtin("bowl").unwrap();
        let mut run = Run::new(
            l,
            &RunConfig::new(OptimizerKind::Lbfgs),
            Vec2::new(0.0, 0.0),
        )
        .unwrap();
        let t = run.record(3);
        assert_eq!(t.status, Status::Converged);
        assert_eq!(t.rows.len(), 4);
        assert!(t.rows.iter().all(|r| r.w == Vec2::new(0.0, 0.0)));
    }

    /// The cubic through f = (x − 1)² sampled at 0 and 3 has its minimum at 1.
    #[test]
    fn cubic_interpolation_finds_a_quadratics_minimum() {
        let f = |x: f64| (x - 1.0) * (x - 1.0);
        let g = |x: f64| 2.0 * (x - 1.0);
        let t = cubic_interpolate((0.0, f(0.0), g(0.0)), (3.0, f(3.0), g(3.0)), None);
        assert!((t - 1.0).abs() < 1e-12, "{t}");
        // No real minimum: the bounds' midpoint.
        let mid = cubic_interpolate((0.0, 0.0, 1.0), (1.0, 0.0, 1.0), Some((0.0, 4.0)));
        assert!(mid.is_finite());
    }
}
