//! Adamax: `torch.optim.Adamax`, Adam with the infinity norm in place of the second moment.
//!
//! ```text
//! input: γ (lr), β₁, β₂ (betas), θ₀ (params), f(θ) (objective), λ (weight decay), ε (eps)
//! initialize: m₀ ← 0 (first moment), u₀ ← 0 (infinity norm)
//! for t = 1 to … do
//!     g_t ← ∇f(θ_{t−1})
//!     if λ ≠ 0:  g_t ← g_t + λθ_{t−1}
//!     m_t ← β₁ m_{t−1} + (1 − β₁) g_t
//!     u_t ← max(β₂ u_{t−1}, |g_t| + ε)
//!     θ_t ← θ_{t−1} − γ m_t / ((1 − β₁ᵗ) u_t)
//! return θ_t
//! ```
//!
//! Parity notes: mirrors `_single_tensor_adamax`: the L2 term `grad.add(param, alpha=λ)`
//! (fused, [`super::add_alpha`]); `exp_avg.lerp_(g, 1 − β₁)` ([`super::lerp`]);
//! `torch.maximum(exp_inf.mul_(β₂), grad.abs().add_(ε))` (NaN-propagating); `clr = lr / (1 −
//! β₁**step)` as Python floats; `param.addcdiv_(exp_avg, exp_inf, value=−clr)` (not fused,
//! [`super::addcdiv`]).

use super::{
    Arithmetic, Family, Hyper, HyperParam, KindInfo, Optimizer, Vec2, add_alpha, addcdiv, lerp, zip,
};

/// `adamax`: `torch.optim.Adamax`.
pub const ADAMAX: KindInfo = KindInfo {
    name: "adamax",
    label: "Adamax",
    short_label: "Adamax",
    torch: "torch.optim.Adamax",
    params: {
        use HyperParam::*;
        &[Lr, Beta1, Beta2, Eps, WeightDecay]
    },
    defaults: Hyper {
        lr: 2e-3,
        ..Hyper::TORCH
    },
    domains: &[],
    build: |h| {
        Ok(Optimizer::Adamax(Adamax::new(AdamaxConfig {
            beta1: h.beta1,
            beta2: h.beta2,
            eps: h.eps,
            weight_decay: h.weight_decay,
        })))
    },
    net_lr: Some(0.03),
};

/// Hyper-parameters of `torch.optim.Adamax`, with torch's names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamaxConfig {
    /// β₁: decay of the first moment.
    pub beta1: f64,
    /// β₂: decay of the infinity norm.
    pub beta2: f64,
    /// ε: added to |g| before the maximum, so the norm is never zero.
    pub eps: f64,
    /// λ: L2 penalty added to the gradient.
    pub weight_decay: f64,
}

/// State of Adamax, named as torch names it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AdamaxState {
    /// t: number of updates taken.
    pub step: f64,
    /// m: first moment.
    pub exp_avg: Vec2,
    /// u: exponentially weighted infinity norm.
    pub exp_inf: Vec2,
}

/// Adamax with its configuration and state.
#[derive(Clone, Debug, PartialEq)]
pub struct Adamax {
    pub config: AdamaxConfig,
    pub state: AdamaxState,
}

/// `torch.maximum`: like `f64::max`, but a NaN in either argument gives NaN.
fn maximum(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

impl Adamax {
    pub fn new(config: AdamaxConfig) -> Self {
        Self {
            config,
            state: AdamaxState::default(),
        }
    }

    /// One update of `w` with gradient `grad` and learning rate `lr`, with its figures.
    #[inline]
    pub fn update(&mut self, w: Vec2, grad: Vec2, lr: f64) -> AdamaxStep {
        let c = self.config;
        let state = &mut self.state;
        state.step += 1.0;
        let mut g = grad;
        if c.weight_decay != 0.0 {
            g = zip(g, w, |g, p| {
                add_alpha(Arithmetic::Torch, g, p, c.weight_decay)
            });
        }
        state.exp_avg = zip(state.exp_avg, g, |m, g| lerp(m, g, 1.0 - c.beta1));
        state.exp_inf = zip(state.exp_inf, g, |u, g| {
            maximum(u * c.beta2, g.abs() + c.eps)
        });
        let bias_correction = 1.0 - c.beta1.powf(state.step);
        let clr = lr / bias_correction;
        let (m, u) = (state.exp_avg, state.exp_inf);
        AdamaxStep {
            grad: g,
            clr,
            w: Vec2::new(addcdiv(w.x, m.x, u.x, -clr), addcdiv(w.y, m.y, u.y, -clr)),
        }
    }
}

/// One Adamax update's figures, as the update computed them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamaxStep {
    /// The gradient the moments took: g, or g + λθ with weight decay.
    pub grad: Vec2,
    /// γ / (1 − β₁ᵗ), the step size.
    pub clr: f64,
    /// The new point.
    pub w: Vec2,
}

impl Family for Adamax {
    #[inline]
    fn step(&mut self, w: Vec2, grad: Vec2, lr: f64) -> Vec2 {
        self.update(w, grad, lr).w
    }

    /// The first moment m, for drawing (after the first step).
    fn velocity(&self) -> Option<Vec2> {
        (self.state.step > 0.0).then_some(self.state.exp_avg)
    }
}
