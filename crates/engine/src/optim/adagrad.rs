//! AdaGrad: `torch.optim.Adagrad`.
//!
//! ```text
//! input: γ (lr), θ₀ (params), f(θ) (objective), λ (weight decay),
//!        τ (initial accumulator value), η (lr decay), ε (eps)
//! initialize: state_sum₀ ← τ
//! for t = 1 to … do
//!     g_t ← ∇f(θ_{t−1})
//!     γ̃ ← γ / (1 + (t − 1) η)
//!     if λ ≠ 0:  g_t ← g_t + λ θ_{t−1}
//!     state_sum_t ← state_sum_{t−1} + g_t²
//!     θ_t ← θ_{t−1} − γ̃ g_t / (√state_sum_t + ε)
//! return θ_t
//! ```
//!
//! Parity notes: mirrors `_single_tensor_adagrad`. `clr = lr / (1 + (step − 1)·lr_decay)` with
//! the step as a float; `grad.add(param, alpha=λ)` is fma(λ, θ, g);
//! `state_sum.addcmul_(g, g, value=1)` is fma(g, g, sum); `std = state_sum.sqrt().add_(eps)`;
//! `param.addcdiv_(g, std, value=−clr)` is `θ + (−clr·g) / std` (see [`super::addcmul`],
//! [`super::addcdiv`]).

use super::{
    Arithmetic, Family, Hyper, HyperParam, KindInfo, OptimError, Optimizer, Vec2, add_alpha,
    addcdiv, addcmul, zip,
};

/// `adagrad`: `torch.optim.Adagrad`.
pub const ADAGRAD: KindInfo = KindInfo {
    name: "adagrad",
    label: "AdaGrad",
    short_label: "AdaGrad",
    torch: "torch.optim.Adagrad",
    params: {
        use HyperParam::*;
        &[Lr, LrDecay, WeightDecay, InitialAccumulatorValue, Eps]
    },
    defaults: Hyper {
        lr: 1e-2,
        eps: 1e-10,
        ..Hyper::TORCH
    },
    domains: &[],
    build: |h| {
        Ok(Optimizer::Adagrad(Adagrad::new(AdagradConfig {
            lr_decay: h.lr_decay,
            weight_decay: h.weight_decay,
            initial_accumulator_value: h.initial_accumulator_value,
            eps: h.eps,
            arithmetic: Arithmetic::Torch,
        })))
    },
    net_lr: Some(0.1),
};

/// Hyper-parameters of `torch.optim.Adagrad`, with torch's names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdagradConfig {
    /// η: learning-rate decay; the step size is lr / (1 + (t − 1)·η).
    pub lr_decay: f64,
    /// λ: L2 penalty added to the gradient.
    pub weight_decay: f64,
    /// τ: the starting value of the sum of squared gradients.
    pub initial_accumulator_value: f64,
    /// ε: added to the square root of the sum, for numerical stability.
    pub eps: f64,
    /// torch's fused roundings, or the update as written.
    pub arithmetic: Arithmetic,
}

/// State of AdaGrad, named as torch names it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdagradState {
    /// Number of updates taken (a float tensor in torch).
    pub step: f64,
    /// Σ g²: the running sum of squared gradients.
    pub sum: Vec2,
}

/// AdaGrad with its configuration and state.
#[derive(Clone, Debug, PartialEq)]
pub struct Adagrad {
    pub config: AdagradConfig,
    pub state: AdagradState,
}

/// One update's figures, as the update computed them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdagradStep {
    /// The gradient the update used: g, or g + λθ with weight decay.
    pub grad: Vec2,
    /// γ̃ = γ / (1 + (t − 1)·η), the step size of this update.
    pub clr: f64,
    /// √state_sum after the update (ε is added to it).
    pub root: Vec2,
    /// The new point.
    pub w: Vec2,
}

impl Adagrad {
    pub fn new(config: AdagradConfig) -> Self {
        let init = config.initial_accumulator_value;
        Self {
            config,
            state: AdagradState {
                step: 0.0,
                sum: Vec2::new(init, init),
            },
        }
    }

    /// One update of `w` with gradient `grad` and learning rate `lr`, with its figures.
    #[inline]
    pub fn update(&mut self, w: Vec2, grad: Vec2, lr: f64) -> AdagradStep {
        let AdagradConfig {
            lr_decay,
            weight_decay,
            eps,
            arithmetic: a,
            ..
        } = self.config;
        self.state.step += 1.0;
        let step = self.state.step;
        let mut g = grad;
        if weight_decay != 0.0 {
            g = zip(g, w, |g, p| add_alpha(a, g, p, weight_decay));
        }
        let clr = lr / (1.0 + (step - 1.0) * lr_decay);
        let sum = zip(self.state.sum, g, |s, g| addcmul(a, s, g, g, 1.0));
        self.state.sum = sum;
        let root = sum.map(f64::sqrt);
        let std = root.map(|r| r + eps);
        AdagradStep {
            grad: g,
            clr,
            root,
            w: Vec2::new(
                addcdiv(w.x, g.x, std.x, -clr),
                addcdiv(w.y, g.y, std.y, -clr),
            ),
        }
    }
}

impl Family for Adagrad {
    #[inline]
    fn step(&mut self, w: Vec2, grad: Vec2, lr: f64) -> Vec2 {
        self.update(w, grad, lr).w
    }

    fn set_arithmetic(&mut self, a: Arithmetic) -> Result<(), OptimError> {
        self.config.arithmetic = a;
        Ok(())
    }
}
