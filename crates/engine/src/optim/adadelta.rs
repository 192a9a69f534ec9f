//! Adadelta: `torch.optim.Adadelta` (Zeiler, 2012).
//!
//! ```text
//! input: γ (lr), θ₀ (params), f(θ) (objective), ρ (decay), λ (weight decay), ε (eps)
//! initialize: v₀ ← 0 (square avg), u₀ ← 0 (accumulate variables)
//! for t = 1 to … do
//!     g_t ← ∇f(θ_{t−1})
//!     if λ ≠ 0:  g_t ← g_t + λθ_{t−1}
//!     v_t ← v_{t−1}ρ + g_t²(1 − ρ)
//!     Δx_t ← √(u_{t−1} + ε) / √(v_t + ε) · g_t
//!     u_t ← u_{t−1}ρ + Δx_t²(1 − ρ)
//!     θ_t ← θ_{t−1} − γΔx_t
//! return θ_t
//! ```
//!
//! Parity notes: mirrors `_single_tensor_adadelta`: the L2 term `grad.add(param, alpha=λ)`
//! (fused, [`super::add_alpha`]); `square_avg.mul_(ρ).addcmul_(g, g, value=1 − ρ)` (fused,
//! [`super::addcmul`]); `std = square_avg.add(ε).sqrt_()` (ε inside the square root, unlike
//! RMSprop); `delta = acc_delta.add(ε).sqrt_().div_(std).mul_(g)` (divide, then multiply);
//! `acc_delta.mul_(ρ).addcmul_(delta, delta, value=1 − ρ)` (fused);
//! `param.add_(delta, alpha=−lr)` (fused).

use super::{Arithmetic, Hyper, HyperParam, KindInfo, Optimizer, Vec2, add_alpha, addcmul, zip};

/// `adadelta`: `torch.optim.Adadelta`.
pub const ADADELTA: KindInfo = KindInfo {
    name: "adadelta",
    label: "Adadelta",
    short_label: "Adadelta",
    torch: "torch.optim.Adadelta",
    params: {
        use HyperParam::*;
        &[Lr, Rho, Eps, WeightDecay]
    },
    defaults: Hyper {
        lr: 1.0,
        eps: 1e-6,
        ..Hyper::TORCH
    },
    domains: &[],
    build: |h| {
        Ok(Optimizer::Adadelta(Adadelta::new(AdadeltaConfig {
            rho: h.rho,
            eps: h.eps,
            weight_decay: h.weight_decay,
        })))
    },
};

/// Hyper-parameters of `torch.optim.Adadelta`, with torch's names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdadeltaConfig {
    /// ρ: decay of both running averages.
    pub rho: f64,
    /// ε: added inside both square roots (it also sets the size of the first steps).
    pub eps: f64,
    /// λ: L2 penalty added to the gradient.
    pub weight_decay: f64,
}

/// State of Adadelta, named as torch names it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AdadeltaState {
    /// t: number of updates taken.
    pub step: f64,
    /// v: running average of g².
    pub square_avg: Vec2,
    /// u: running average of Δx², the squared updates.
    pub acc_delta: Vec2,
}

/// Adadelta with its configuration and state.
#[derive(Clone, Debug, PartialEq)]
pub struct Adadelta {
    pub config: AdadeltaConfig,
    pub state: AdadeltaState,
}

impl Adadelta {
    pub fn new(config: AdadeltaConfig) -> Self {
        Self {
            config,
            state: AdadeltaState::default(),
        }
    }

    /// Adadelta carries no direction from step to step (its averages are of squares).
    pub fn velocity(&self) -> Option<Vec2> {
        None
    }

    /// One update of `w` with gradient `grad` and learning rate `lr`; returns the new point.
    #[inline]
    pub fn step(&mut self, w: Vec2, grad: Vec2, lr: f64) -> Vec2 {
        let c = self.config;
        let state = &mut self.state;
        state.step += 1.0;
        let mut g = grad;
        if c.weight_decay != 0.0 {
            g = zip(g, w, |g, p| {
                add_alpha(Arithmetic::Torch, g, p, c.weight_decay)
            });
        }
        state.square_avg = zip(state.square_avg, g, |v, g| {
            addcmul(Arithmetic::Torch, v * c.rho, g, g, 1.0 - c.rho)
        });
        let std = state.square_avg.map(|v| (v + c.eps).sqrt());
        let delta = zip(state.acc_delta.map(|u| (u + c.eps).sqrt()), std, |d, s| {
            d / s
        });
        let delta = zip(delta, g, |d, g| d * g);
        state.acc_delta = zip(state.acc_delta, delta, |u, d| {
            addcmul(Arithmetic::Torch, u * c.rho, d, d, 1.0 - c.rho)
        });
        zip(w, delta, |p, d| add_alpha(Arithmetic::Torch, p, d, -lr))
    }
}
