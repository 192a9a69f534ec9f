//! Adam, AdamW and AMSGrad: `torch.optim.Adam` and `torch.optim.AdamW`.
//!
//! ```text
//! input: γ (lr), β₁, β₂ (betas), θ₀ (params), f(θ) (objective), λ (weight decay),
//!        amsgrad, decoupled (AdamW), ε (eps)
//! initialize: m₀ ← 0, v₀ ← 0, v₀^max ← 0
//! for t = 1 to … do
//!     g_t ← ∇f(θ_{t−1})
//!     if λ ≠ 0:
//!         if decoupled:  θ_{t−1} ← θ_{t−1} (1 − γλ)
//!         else:          g_t ← g_t + λ θ_{t−1}
//!     m_t ← β₁ m_{t−1} + (1 − β₁) g_t
//!     v_t ← β₂ v_{t−1} + (1 − β₂) g_t²
//!     if amsgrad:  v_t^max ← max(v_{t−1}^max, v_t);  v̂ ← v_t^max
//!     else:        v̂ ← v_t
//!     θ_t ← θ_{t−1} − γ/(1 − β₁ᵗ) · m_t / (√v̂ / √(1 − β₂ᵗ) + ε)
//! return θ_t
//! ```
//!
//! Parity notes: mirrors `_single_tensor_adam` (AdamW is Adam with decoupled weight decay).
//! With ATen's roundings ([`super::add_alpha`], [`super::addcmul`], [`super::addcdiv`],
//! [`super::lerp`]): the first moment is `exp_avg.lerp_(g, 1−β₁)`, fma(1−β₁, g − m, m); the
//! second is `exp_avg_sq.mul_(β₂).addcmul_(g, g, value=1−β₂)`, fma((1−β₂)·g, g, v·β₂). The bias
//! corrections are Python floats: `1 − β**step` and `bias_correction2**0.5` (a `pow`, not a
//! `sqrt`); `denom = (√v̂ / √bc₂) + ε`; `param.addcdiv_(m, denom, value=−lr/bc₁)`. AMSGrad keeps
//! the running maximum of the raw v (before bias correction), NaN-propagating like
//! `torch.maximum`.

use super::weight_decay as weight_decay_of;
use super::{
    Arithmetic, Family, Hyper, HyperParam, KindInfo, OptimError, Optimizer, Vec2, addcdiv, average,
    average_sq, zip,
};

/// `Adam`'s and `AdamW`'s arguments.
const PARAMS: &[HyperParam] = {
    use HyperParam::*;
    &[Lr, Beta1, Beta2, Eps, WeightDecay, Amsgrad]
};

/// `adam`: `torch.optim.Adam`.
pub const ADAM: KindInfo = KindInfo {
    name: "adam",
    label: "Adam",
    short_label: "Adam",
    torch: "torch.optim.Adam",
    params: PARAMS,
    defaults: Hyper::TORCH,
    domains: &[],
    build: |h| build(h, false),
    net_lr: Some(0.03),
};

/// `adamw`: `torch.optim.AdamW`, whose weight decay defaults to 0.01.
pub const ADAMW: KindInfo = KindInfo {
    name: "adamw",
    label: "AdamW",
    short_label: "AdamW",
    torch: "torch.optim.AdamW",
    params: PARAMS,
    defaults: Hyper {
        weight_decay: 1e-2,
        ..Hyper::TORCH
    },
    domains: &[],
    build: |h| build(h, true),
    net_lr: Some(0.03),
};

/// `amsgrad`: `torch.optim.Adam(amsgrad=True)`.
pub const AMSGRAD: KindInfo = KindInfo {
    name: "amsgrad",
    label: "AMSGrad",
    short_label: "AMSGrad",
    torch: "torch.optim.Adam(amsgrad=True)",
    params: PARAMS,
    defaults: Hyper {
        amsgrad: true,
        ..Hyper::TORCH
    },
    domains: &[],
    build: |h| build(h, false),
    net_lr: Some(0.03),
};

/// Adam (or AdamW, `decoupled`) from checked hyper-parameters.
fn build(h: &Hyper, decoupled: bool) -> Result<Optimizer, OptimError> {
    Ok(Optimizer::Adam(Adam::new(AdamConfig {
        beta1: h.beta1,
        beta2: h.beta2,
        eps: h.eps,
        weight_decay: h.weight_decay,
        amsgrad: h.amsgrad,
        decoupled_weight_decay: decoupled,
        arithmetic: Arithmetic::Torch,
    })))
}

/// Hyper-parameters of `torch.optim.Adam` / `AdamW`, with torch's names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamConfig {
    /// β₁: decay of the first-moment (mean) estimate.
    pub beta1: f64,
    /// β₂: decay of the second-moment (uncentered variance) estimate.
    pub beta2: f64,
    /// ε: added to the denominator, for numerical stability.
    pub eps: f64,
    /// λ: weight decay (an L2 term in the gradient for Adam, a shrink of θ for AdamW).
    pub weight_decay: f64,
    /// Use the running maximum of v (AMSGrad).
    pub amsgrad: bool,
    /// Decoupled weight decay (AdamW): θ ← θ(1 − γλ) before the moments.
    pub decoupled_weight_decay: bool,
    /// torch's fused roundings, or the update as written.
    pub arithmetic: Arithmetic,
}

/// State of Adam, named as torch names it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AdamState {
    /// t: number of updates taken.
    pub step: f64,
    /// m: first moment (running mean of g).
    pub exp_avg: Vec2,
    /// v: second moment (running mean of g²).
    pub exp_avg_sq: Vec2,
    /// v^max: running maximum of v (AMSGrad only).
    pub max_exp_avg_sq: Vec2,
}

/// Adam with its configuration and state.
#[derive(Clone, Debug, PartialEq)]
pub struct Adam {
    pub config: AdamConfig,
    pub state: AdamState,
}

/// `torch.maximum`: like `f64::max`, but a NaN in either argument gives NaN.
fn maximum(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

impl Adam {
    pub fn new(config: AdamConfig) -> Self {
        Self {
            config,
            state: AdamState::default(),
        }
    }

    /// One update of `w` with gradient `grad` and learning rate `lr`, with its figures.
    #[inline]
    pub fn update(&mut self, w: Vec2, grad: Vec2, lr: f64) -> AdamStep {
        let AdamConfig {
            beta1,
            beta2,
            eps,
            weight_decay,
            amsgrad,
            decoupled_weight_decay,
            arithmetic: a,
        } = self.config;
        let state = &mut self.state;
        state.step += 1.0;
        let step = state.step;
        let (w, g) = weight_decay_of(a, w, grad, lr, weight_decay, decoupled_weight_decay);
        state.exp_avg = zip(state.exp_avg, g, |m, g| average(a, m, g, beta1));
        state.exp_avg_sq = zip(state.exp_avg_sq, g, |v, g| average_sq(a, v, g, beta2));

        let bias_correction1 = 1.0 - beta1.powf(step);
        let bias_correction2 = 1.0 - beta2.powf(step);
        let step_size = lr / bias_correction1;
        let bias_correction2_sqrt = bias_correction2.powf(0.5);

        let second = if amsgrad {
            state.max_exp_avg_sq = zip(state.max_exp_avg_sq, state.exp_avg_sq, maximum);
            state.max_exp_avg_sq
        } else {
            state.exp_avg_sq
        };
        let denom = second.map(|v| v.sqrt() / bias_correction2_sqrt + eps);
        let m = state.exp_avg;
        AdamStep {
            decayed: w,
            grad: g,
            bias_correction1,
            bias_correction2,
            second,
            w: Vec2::new(
                addcdiv(w.x, m.x, denom.x, -step_size),
                addcdiv(w.y, m.y, denom.y, -step_size),
            ),
        }
    }
}

/// One Adam update's figures, as the update computed them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamStep {
    /// The point after AdamW's decoupled decay θ(1 − γλ) (the point itself otherwise).
    pub decayed: Vec2,
    /// The gradient the moments took: g, or g + λθ with Adam's L2 weight decay.
    pub grad: Vec2,
    /// 1 − β₁ᵗ.
    pub bias_correction1: f64,
    /// 1 − β₂ᵗ.
    pub bias_correction2: f64,
    /// The second moment the step divides by: v, or v^max with AMSGrad.
    pub second: Vec2,
    /// The new point.
    pub w: Vec2,
}

impl Family for Adam {
    #[inline]
    fn step(&mut self, w: Vec2, grad: Vec2, lr: f64) -> Vec2 {
        self.update(w, grad, lr).w
    }

    /// The first moment m, for drawing (after the first step).
    fn velocity(&self) -> Option<Vec2> {
        (self.state.step > 0.0).then_some(self.state.exp_avg)
    }

    fn set_arithmetic(&mut self, a: Arithmetic) -> Result<(), OptimError> {
        self.config.arithmetic = a;
        Ok(())
    }
}
