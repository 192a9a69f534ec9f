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

use super::{
    Arithmetic, Family, Hyper, HyperParam, KindInfo, Optimizer, Vec2, add_alpha, addcmul, zip,
};

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
    net_lr: Some(1.0),
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

    /// One update of `w` with gradient `grad` and learning rate `lr`, with its figures.
    #[inline]
    pub fn update(&mut self, w: Vec2, grad: Vec2, lr: f64) -> AdadeltaStep {
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
        let root_acc = state.acc_delta.map(|u| (u + c.eps).sqrt());
        let delta = zip(root_acc, std, |d, s| d / s);
        let delta = zip(delta, g, |d, g| d * g);
        state.acc_delta = zip(state.acc_delta, delta, |u, d| {
            addcmul(Arithmetic::Torch, u * c.rho, d, d, 1.0 - c.rho)
        });
        AdadeltaStep {
            grad: g,
            std,
            root_acc,
            delta,
            w: zip(w, delta, |p, d| add_alpha(Arithmetic::Torch, p, d, -lr)),
        }
    }
}

/// One Adadelta update's figures, as the update computed them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdadeltaStep {
    /// The gradient the update used: g, or g + λθ with weight decay.
    pub grad: Vec2,
    /// √(v + ε), v after the update.
    pub std: Vec2,
    /// √(u + ε), u before the update.
    pub root_acc: Vec2,
    /// Δ = √(u + ε) / √(v + ε) · g, the step before the learning rate.
    pub delta: Vec2,
    /// The new point.
    pub w: Vec2,
}

/// Adadelta carries no direction from step to step (its averages are of squares).
impl Family for Adadelta {
    #[inline]
    fn step(&mut self, w: Vec2, grad: Vec2, lr: f64) -> Vec2 {
        self.update(w, grad, lr).w
    }
}
