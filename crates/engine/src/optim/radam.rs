//! RAdam: `torch.optim.RAdam`, Adam with the variance of its adaptive step rectified
//! (Liu et al., 2020).
//!
//! ```text
//! input: γ (lr), β₁, β₂ (betas), θ₀ (params), f(θ) (objective), λ (weight decay),
//!        decoupled_weight_decay, ε (eps)
//! initialize: m₀ ← 0 (first moment), v₀ ← 0 (second moment),
//!             ρ_∞ ← 2/(1 − β₂) − 1
//! for t = 1 to … do
//!     g_t ← ∇f(θ_{t−1})
//!     θ_t ← θ_{t−1}
//!     if λ ≠ 0:
//!         if decoupled_weight_decay:  θ_t ← θ_t − γλθ_t
//!         else:                       g_t ← g_t + λθ_{t−1}
//!     m_t ← β₁ m_{t−1} + (1 − β₁) g_t
//!     v_t ← β₂ v_{t−1} + (1 − β₂) g_t²
//!     m̂_t ← m_t / (1 − β₁ᵗ)
//!     ρ_t ← ρ_∞ − 2tβ₂ᵗ / (1 − β₂ᵗ)
//!     if ρ_t > 5:
//!         l_t ← √(1 − β₂ᵗ) / (√v_t + ε)
//!         r_t ← √((ρ_t − 4)(ρ_t − 2)ρ_∞ / ((ρ_∞ − 4)(ρ_∞ − 2)ρ_t))
//!         θ_t ← θ_t − γ m̂_t r_t l_t
//!     else:
//!         θ_t ← θ_t − γ m̂_t
//! return θ_t
//! ```
//!
//! Parity notes: mirrors `_single_tensor_radam`. Moments as Adam's (`lerp_`, fused `addcmul_`,
//! [`super::lerp`], [`super::addcmul`]); `bias_corrected_exp_avg = exp_avg / bc₁` (a true
//! division). ρ_t and the rectification r_t are Python floats, evaluated left to right
//! (`rho_inf − 2·step·β₂**step / bc₂`, `(…) ** 0.5` a `pow`). The adaptive term is
//! `bc₂**0.5 / (exp_avg_sq.sqrt() + ε)`: a float divided by a tensor, which torch's
//! `Tensor.__rtruediv__` computes as `reciprocal(x) · bc₂**0.5` (two roundings, not one
//! division). The update is `param.add_(m̂ · lr · l · r, alpha=−1)`, the products tensor by
//! tensor from the left, and the subtraction exact in the fused form (α = −1).

use super::{
    Arithmetic, Family, Hyper, HyperParam, KindInfo, Optimizer, Vec2, add_alpha, addcmul, lerp,
    weight_decay, zip,
};

/// `radam`: `torch.optim.RAdam`.
pub const RADAM: KindInfo = KindInfo {
    name: "radam",
    label: "RAdam",
    short_label: "RAdam",
    torch: "torch.optim.RAdam",
    params: {
        use HyperParam::*;
        &[Lr, Beta1, Beta2, Eps, WeightDecay, DecoupledWeightDecay]
    },
    defaults: Hyper::TORCH,
    domains: &[],
    build: |h| {
        Ok(Optimizer::Radam(Radam::new(RadamConfig {
            beta1: h.beta1,
            beta2: h.beta2,
            eps: h.eps,
            weight_decay: h.weight_decay,
            decoupled_weight_decay: h.decoupled_weight_decay,
        })))
    },
    net_lr: Some(0.03),
};

/// Hyper-parameters of `torch.optim.RAdam`, with torch's names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RadamConfig {
    /// β₁: decay of the first moment.
    pub beta1: f64,
    /// β₂: decay of the second moment; also fixes ρ_∞ = 2/(1 − β₂) − 1.
    pub beta2: f64,
    /// ε: added to √v in the adaptive term.
    pub eps: f64,
    /// λ: weight decay (L2 in the gradient, or a shrink of θ when decoupled).
    pub weight_decay: f64,
    /// Shrink θ by (1 − γλ) instead of adding λθ to the gradient.
    pub decoupled_weight_decay: bool,
}

impl RadamConfig {
    /// ρ_∞ = 2/(1 − β₂) − 1, the length of the simple moving average v approximates.
    pub fn rho_inf(&self) -> f64 {
        2.0 / (1.0 - self.beta2) - 1.0
    }

    /// ρ_t = ρ_∞ − 2tβ₂ᵗ/(1 − β₂ᵗ): how many gradients v has effectively averaged at step `t`;
    /// the adaptive (rectified) step is used only when ρ_t > 5.
    pub fn rho_t(&self, t: f64) -> f64 {
        let bias_correction2 = 1.0 - self.beta2.powf(t);
        self.rho_inf() - 2.0 * t * self.beta2.powf(t) / bias_correction2
    }

    /// r_t, the rectification of step `t`'s variance (meaningful when ρ_t > 5).
    pub fn rect(&self, t: f64) -> f64 {
        let (rho_t, rho_inf) = (self.rho_t(t), self.rho_inf());
        ((rho_t - 4.0) * (rho_t - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
            .powf(0.5)
    }
}

/// State of RAdam, named as torch names it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RadamState {
    /// t: number of updates taken.
    pub step: f64,
    /// m: first moment.
    pub exp_avg: Vec2,
    /// v: second moment.
    pub exp_avg_sq: Vec2,
}

/// RAdam with its configuration and state.
#[derive(Clone, Debug, PartialEq)]
pub struct Radam {
    pub config: RadamConfig,
    pub state: RadamState,
}

impl Radam {
    pub fn new(config: RadamConfig) -> Self {
        Self {
            config,
            state: RadamState::default(),
        }
    }

    /// One update of `w` with gradient `grad` and learning rate `lr`, with its figures.
    #[inline]
    pub fn update(&mut self, w: Vec2, grad: Vec2, lr: f64) -> RadamStep {
        let c = self.config;
        let state = &mut self.state;
        state.step += 1.0;
        let step = state.step;
        let (w, g) = weight_decay(
            Arithmetic::Torch,
            w,
            grad,
            lr,
            c.weight_decay,
            c.decoupled_weight_decay,
        );
        state.exp_avg = zip(state.exp_avg, g, |m, g| lerp(m, g, 1.0 - c.beta1));
        state.exp_avg_sq = zip(state.exp_avg_sq, g, |v, g| {
            addcmul(Arithmetic::Torch, v * c.beta2, g, g, 1.0 - c.beta2)
        });
        let bias_correction1 = 1.0 - c.beta1.powf(step);
        let bias_correction2 = 1.0 - c.beta2.powf(step);
        let m_hat = state.exp_avg.map(|m| m / bias_correction1);
        let rho_t = c.rho_t(step);
        let (update, rectified) = if rho_t > 5.0 {
            let bc2_sqrt = bias_correction2.powf(0.5);
            let rect = c.rect(step);
            let adaptive = state
                .exp_avg_sq
                .map(|v| (1.0 / (v.sqrt() + c.eps)) * bc2_sqrt);
            (
                zip(m_hat, adaptive, |m, l| m * lr * l * rect),
                Some((adaptive, rect)),
            )
        } else {
            (m_hat.map(|m| m * lr), None)
        };
        RadamStep {
            decayed: w,
            grad: g,
            m_hat,
            rho_t,
            rectified,
            w: zip(w, update, |p, u| add_alpha(Arithmetic::Torch, p, u, -1.0)),
        }
    }
}

/// One RAdam update's figures, as the update computed them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RadamStep {
    /// The point after decoupled decay θ(1 − γλ) (the point itself otherwise).
    pub decayed: Vec2,
    /// The gradient the moments took: g, or g + λθ with L2 weight decay.
    pub grad: Vec2,
    /// m̂ = m / (1 − β₁ᵗ).
    pub m_hat: Vec2,
    /// ρ_t, the length of the average v approximates at this step.
    pub rho_t: f64,
    /// When ρ_t > 5: the adaptive factor l = √(1 − β₂ᵗ) / (√v + ε) and the rectification r_t.
    pub rectified: Option<(Vec2, f64)>,
    /// The new point.
    pub w: Vec2,
}

impl Family for Radam {
    #[inline]
    fn step(&mut self, w: Vec2, grad: Vec2, lr: f64) -> Vec2 {
        self.update(w, grad, lr).w
    }

    /// The first moment m, for drawing (after the first step).
    fn velocity(&self) -> Option<Vec2> {
        (self.state.step > 0.0).then_some(self.state.exp_avg)
    }
}
