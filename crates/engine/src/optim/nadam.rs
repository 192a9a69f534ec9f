//! NAdam: `torch.optim.NAdam`, Adam with Nesterov momentum (Dozat, 2016).
//!
//! ```text
//! input: γ (lr), β₁, β₂ (betas), θ₀ (params), f(θ) (objective), λ (weight decay),
//!        ψ (momentum decay), decoupled_weight_decay, ε (eps)
//! initialize: m₀ ← 0 (first moment), v₀ ← 0 (second moment)
//! for t = 1 to … do
//!     g_t ← ∇f(θ_{t−1})
//!     θ_t ← θ_{t−1}
//!     if λ ≠ 0:
//!         if decoupled_weight_decay:  θ_t ← θ_{t−1} − γλθ_{t−1}
//!         else:                       g_t ← g_t + λθ_{t−1}
//!     μ_t ← β₁(1 − ½·0.96^{tψ})
//!     μ_{t+1} ← β₁(1 − ½·0.96^{(t+1)ψ})
//!     m_t ← β₁ m_{t−1} + (1 − β₁) g_t
//!     v_t ← β₂ v_{t−1} + (1 − β₂) g_t²
//!     m̂_t ← μ_{t+1} m_t / (1 − Π_{i=1}^{t+1} μ_i) + (1 − μ_t) g_t / (1 − Π_{i=1}^{t} μ_i)
//!     v̂_t ← v_t / (1 − β₂ᵗ)
//!     θ_t ← θ_t − γ m̂_t / (√v̂_t + ε)
//! return θ_t
//! ```
//!
//! Parity notes: mirrors `_single_tensor_nadam`. The μ's and the products are Python floats
//! (`0.96 ** (step * momentum_decay)` a `pow`); `mu_product` is a float64 tensor, multiplied by
//! μ_t each step. Decoupled decay is `param.mul_(1 − lr·λ)`, the L2 term `grad.add(param,
//! alpha=λ)` (fused, [`super::add_alpha`]); `exp_avg.lerp_(g, 1 − β₁)` ([`super::lerp`]);
//! `exp_avg_sq.mul_(β₂).addcmul_(g, g, value=1 − β₂)` (fused, [`super::addcmul`]);
//! `denom = exp_avg_sq.div(bc₂).sqrt().add_(ε)` (a true division, the square root of the
//! bias-corrected v, not Adam's √v/√bc₂); then two `addcdiv_` (not fused,
//! [`super::addcdiv`]): first g with value `−lr·(1 − μ_t)/(1 − Πμ)`, then m with value
//! `(−lr·μ_{t+1})/(1 − Πμ·μ_{t+1})`, each rounded into θ in turn.

use super::{
    Arithmetic, Family, Hyper, HyperParam, KindInfo, Optimizer, Vec2, addcdiv, addcmul, lerp,
    weight_decay, zip,
};

/// `nadam`: `torch.optim.NAdam`.
pub const NADAM: KindInfo = KindInfo {
    name: "nadam",
    label: "NAdam",
    short_label: "NAdam",
    torch: "torch.optim.NAdam",
    params: {
        use HyperParam::*;
        &[
            Lr,
            Beta1,
            Beta2,
            Eps,
            WeightDecay,
            MomentumDecay,
            DecoupledWeightDecay,
        ]
    },
    defaults: Hyper {
        lr: 2e-3,
        ..Hyper::TORCH
    },
    domains: &[],
    build: |h| {
        Ok(Optimizer::Nadam(Nadam::new(NadamConfig {
            beta1: h.beta1,
            beta2: h.beta2,
            eps: h.eps,
            weight_decay: h.weight_decay,
            momentum_decay: h.momentum_decay,
            decoupled_weight_decay: h.decoupled_weight_decay,
        })))
    },
    net_lr: Some(0.03),
};

/// Hyper-parameters of `torch.optim.NAdam`, with torch's names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NadamConfig {
    /// β₁: decay of the first moment, and the scale of the momentum schedule μ_t.
    pub beta1: f64,
    /// β₂: decay of the second moment.
    pub beta2: f64,
    /// ε: added to the denominator after the square root.
    pub eps: f64,
    /// λ: weight decay (L2 in the gradient, or a shrink of θ when decoupled).
    pub weight_decay: f64,
    /// ψ: how fast μ_t climbs from β₁/2 towards β₁.
    pub momentum_decay: f64,
    /// Shrink θ by (1 − γλ) (as AdamW does) instead of adding λθ to the gradient.
    pub decoupled_weight_decay: bool,
}

/// State of NAdam, named as torch names it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NadamState {
    /// t: number of updates taken.
    pub step: f64,
    /// Π_{i≤t} μ_i, the product of the momentum schedule so far (1 before the first step).
    pub mu_product: f64,
    /// m: first moment.
    pub exp_avg: Vec2,
    /// v: second moment.
    pub exp_avg_sq: Vec2,
}

impl Default for NadamState {
    fn default() -> Self {
        Self {
            step: 0.0,
            mu_product: 1.0,
            exp_avg: Vec2::zeros(),
            exp_avg_sq: Vec2::zeros(),
        }
    }
}

/// NAdam with its configuration and state.
#[derive(Clone, Debug, PartialEq)]
pub struct Nadam {
    pub config: NadamConfig,
    pub state: NadamState,
}

impl NadamConfig {
    /// μ_t = β₁(1 − ½·0.96^{tψ}), the momentum weight of step `t`.
    pub fn mu(&self, t: f64) -> f64 {
        self.beta1 * (1.0 - 0.5 * 0.96f64.powf(t * self.momentum_decay))
    }
}

impl Nadam {
    pub fn new(config: NadamConfig) -> Self {
        Self {
            config,
            state: NadamState::default(),
        }
    }

    /// One update of `w` with gradient `grad` and learning rate `lr`, with its figures.
    #[inline]
    pub fn update(&mut self, w: Vec2, grad: Vec2, lr: f64) -> NadamStep {
        let c = self.config;
        let state = &mut self.state;
        state.step += 1.0;
        let step = state.step;
        let bias_correction2 = 1.0 - c.beta2.powf(step);
        let (w, g) = weight_decay(
            Arithmetic::Torch,
            w,
            grad,
            lr,
            c.weight_decay,
            c.decoupled_weight_decay,
        );
        let mu = c.mu(step);
        let mu_next = c.mu(step + 1.0);
        state.mu_product *= mu;
        state.exp_avg = zip(state.exp_avg, g, |m, g| lerp(m, g, 1.0 - c.beta1));
        state.exp_avg_sq = zip(state.exp_avg_sq, g, |v, g| {
            addcmul(Arithmetic::Torch, v * c.beta2, g, g, 1.0 - c.beta2)
        });
        let denom = state
            .exp_avg_sq
            .map(|v| (v / bias_correction2).sqrt() + c.eps);
        let mu_product_next = state.mu_product * mu_next;
        let value_g = -lr * (1.0 - mu) / (1.0 - state.mu_product);
        let value_m = (-lr * mu_next) / (1.0 - mu_product_next);
        let m = state.exp_avg;
        let decayed = w;
        let w = Vec2::new(
            addcdiv(w.x, g.x, denom.x, value_g),
            addcdiv(w.y, g.y, denom.y, value_g),
        );
        NadamStep {
            decayed,
            grad: g,
            mu,
            mu_next,
            denom,
            value_g,
            value_m,
            w: Vec2::new(
                addcdiv(w.x, m.x, denom.x, value_m),
                addcdiv(w.y, m.y, denom.y, value_m),
            ),
        }
    }
}

/// One NAdam update's figures, as the update computed them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NadamStep {
    /// The point after decoupled decay θ(1 − γλ) (the point itself otherwise).
    pub decayed: Vec2,
    /// The gradient the moments took: g, or g + λθ with L2 weight decay.
    pub grad: Vec2,
    /// μ_t and μ_{t+1}, the momentum weights of this step and the next.
    pub mu: f64,
    pub mu_next: f64,
    /// d = √(v / (1 − β₂ᵗ)) + ε.
    pub denom: Vec2,
    /// The two step sizes, signed as torch adds them: −γ(1 − μ_t)/(1 − Πμ) on g/d and
    /// −γμ_{t+1}/(1 − Πμ·μ_{t+1}) on m/d.
    pub value_g: f64,
    pub value_m: f64,
    /// The new point.
    pub w: Vec2,
}

impl Family for Nadam {
    #[inline]
    fn step(&mut self, w: Vec2, grad: Vec2, lr: f64) -> Vec2 {
        self.update(w, grad, lr).w
    }

    /// The first moment m, for drawing (after the first step).
    fn velocity(&self) -> Option<Vec2> {
        (self.state.step > 0.0).then_some(self.state.exp_avg)
    }
}
