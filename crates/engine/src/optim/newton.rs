//! Newton's method: w ← w − η·H⁻¹∇L, with the landscape's exact Hessian H at w. Not a
//! torch.optim class; the references solve with `torch.linalg.solve(H, g)` and step with
//! `w.sub_(lr * d)`.
//!
//! ```text
//! input: η (lr), θ₀ (params), f(θ) (objective)
//! for t = 1 to … do
//!     g_t ← ∇f(θ_{t−1})
//!     H_t ← ∇²f(θ_{t−1})
//!     if H_t is singular (or not finite):  stop (the run has diverged)
//!     d_t ← H_t⁻¹ g_t          (solve H_t d = g_t)
//!     θ_t ← θ_{t−1} − η d_t
//! return θ_t
//! ```
//!
//! On a convex bowl one step with η = 1 lands on the minimum; near a saddle or a maximum H⁻¹
//! points uphill, and Newton goes there just as happily: it seeks a point where ∇L = 0, not a
//! minimum.
//!
//! Parity notes: `torch.linalg.solve` is LAPACK's LU with partial pivoting (`getrf` then
//! `getrs`): the pivot row is the one with the larger |H₀₀|, |H₁₀| (the first on a tie); the
//! multiplier l = H₁₀/H₀₀, the Schur complement u = H₁₁ − l·H₀₁, then d₁ = (g₁ − l·g₀)/u and
//! d₀ = (g₀ − H₀₁·d₁)/H₀₀ (after the swap), every product and quotient rounded on its own (no
//! fused multiply-subtract, true divisions): of the eight ways to round these (reciprocal or
//! quotient for l, fused or not, reciprocal or quotient for d), only this one reproduces every
//! step of the Rosenbrock reference. Then `w.sub_(lr * d)`: the product rounded, then the
//! difference.

use nalgebra::Matrix2;

use super::{Family, Hyper, HyperParam, KindInfo, Needs, NetRefused, Optimizer, Vec2};
use crate::net::optimizer::NetOptimizer;
use crate::net::spec::Layer;

/// `newton`: Newton's method with the exact Hessian.
pub const NEWTON: KindInfo = KindInfo {
    name: "newton",
    label: "Newton's method",
    short_label: "Newton",
    torch: "w ← w − lr·torch.linalg.solve(H, g) (not a torch.optim class)",
    params: &[HyperParam::Lr],
    defaults: Hyper {
        lr: 1.0,
        ..Hyper::TORCH
    },
    domains: &[],
    build: |_| Ok(Optimizer::Newton(Newton::default())),
    net_lr: None,
};

/// State of Newton's method: only the count of updates (each step is the Hessian's alone).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct NewtonState {
    /// t: number of updates taken.
    pub step: f64,
}

/// Newton's method with its state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Newton {
    pub state: NewtonState,
}

/// A Hessian that cannot be solved with: singular, or with a non-finite entry.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[error("the Hessian is singular or not finite")]
pub struct Singular;

/// d = H⁻¹g by LU with partial pivoting, as LAPACK's `gesv` computes it for a 2 × 2 matrix;
/// [`Singular`] when a pivot is zero or anything is not finite.
pub fn solve(h: &Matrix2<f64>, g: Vec2) -> Result<Vec2, Singular> {
    if !(h.iter().all(|x| x.is_finite()) && g.x.is_finite() && g.y.is_finite()) {
        return Err(Singular);
    }
    // Rows after the pivot swap: the first row holds the larger |first column| entry.
    let swap = h[(1, 0)].abs() > h[(0, 0)].abs();
    let (r0, r1, b0, b1) = if swap {
        ([h[(1, 0)], h[(1, 1)]], [h[(0, 0)], h[(0, 1)]], g.y, g.x)
    } else {
        ([h[(0, 0)], h[(0, 1)]], [h[(1, 0)], h[(1, 1)]], g.x, g.y)
    };
    if r0[0] == 0.0 {
        return Err(Singular);
    }
    let l = r1[0] / r0[0];
    let u = r1[1] - l * r0[1];
    if u == 0.0 || !u.is_finite() {
        return Err(Singular);
    }
    let y1 = b1 - l * b0;
    let d1 = y1 / u;
    let d0 = (b0 - r0[1] * d1) / r0[0];
    let d = Vec2::new(d0, d1);
    if d.x.is_finite() && d.y.is_finite() {
        Ok(d)
    } else {
        Err(Singular)
    }
}

impl Newton {
    /// One update of `w` with gradient `grad`, the Hessian `hessian` at `w` and learning rate
    /// `lr`, with its direction; [`Singular`] when H cannot be solved with (the point stays
    /// where it is).
    #[inline]
    pub fn update(
        &mut self,
        w: Vec2,
        grad: Vec2,
        hessian: &Matrix2<f64>,
        lr: f64,
    ) -> Result<NewtonStep, Singular> {
        let d = solve(hessian, grad)?;
        self.state.step += 1.0;
        Ok(NewtonStep {
            d,
            w: Vec2::new(w.x - lr * d.x, w.y - lr * d.y),
        })
    }
}

/// One Newton update's figures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NewtonStep {
    /// d = H⁻¹g, the direction.
    pub d: Vec2,
    /// The new point w − η·d.
    pub w: Vec2,
}

/// Newton carries no direction from step to step; it needs the Hessian, which a run forms
/// only for it, and no network's (P × P).
impl Family for Newton {
    const NEEDS: Needs = Needs::Hessian;

    /// Without the Hessian Newton cannot step: a NaN point.
    fn step(&mut self, _w: Vec2, _grad: Vec2, _lr: f64) -> Vec2 {
        Vec2::new(f64::NAN, f64::NAN)
    }

    #[inline]
    fn step_with_hessian(
        &mut self,
        w: Vec2,
        grad: Vec2,
        hessian: Option<&Matrix2<f64>>,
        lr: f64,
    ) -> Result<Vec2, Singular> {
        Ok(self.update(w, grad, hessian.ok_or(Singular)?, lr)?.w)
    }

    fn network(&self, _layers: &[Layer]) -> Result<NetOptimizer, NetRefused> {
        Err(NetRefused {
            why: "Newton's method needs the P×P Hessian, which downhill does not form for networks",
        })
    }
}
