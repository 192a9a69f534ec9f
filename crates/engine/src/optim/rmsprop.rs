//! RMSprop, plain or centered, with optional momentum: `torch.optim.RMSprop`.
//!
//! ```text
//! input: α (alpha), γ (lr), θ₀ (params), f(θ) (objective), λ (weight decay),
//!        μ (momentum), centered, ε (eps)
//! initialize: v₀ ← 0 (square average), b₀ ← 0 (buffer), g^ave₀ ← 0
//! for t = 1 to … do
//!     g_t ← ∇f(θ_{t−1})
//!     if λ ≠ 0:  g_t ← g_t + λ θ_{t−1}
//!     v_t ← α v_{t−1} + (1 − α) g_t²
//!     ṽ_t ← v_t
//!     if centered:
//!         g^ave_t ← α g^ave_{t−1} + (1 − α) g_t
//!         ṽ_t ← ṽ_t − (g^ave_t)²
//!     if μ > 0:
//!         b_t ← μ b_{t−1} + g_t / (√ṽ_t + ε)
//!         θ_t ← θ_{t−1} − γ b_t
//!     else:
//!         θ_t ← θ_{t−1} − γ g_t / (√ṽ_t + ε)
//! return θ_t
//! ```
//!
//! Parity notes: mirrors `_single_tensor_rmsprop`, with ATen's roundings ([`super::add_alpha`],
//! [`super::addcmul`], [`super::addcdiv`], [`super::lerp`]):
//! `square_avg.mul_(α).addcmul_(g, g, value=1−α)` is fma((1−α)·g, g, v·α); the centered mean is
//! `grad_avg.lerp_(g, 1−α)`; `avg = square_avg.addcmul(grad_avg, grad_avg, value=−1).sqrt_()`
//! is √fma(−ḡ, ḡ, v), then `avg.add_(eps)` (ε after the square root);
//! `buf.mul_(μ).addcdiv_(g, avg)` is b·μ + g/avg; `param.add_(buf, alpha=−γ)` is fma(−γ, b, θ),
//! `param.addcdiv_(g, avg, value=−γ)` is θ + (−γ·g)/avg.

use super::{
    Arithmetic, Family, Hyper, HyperParam, KindInfo, OptimError, Optimizer, Vec2, add_alpha,
    addcdiv, addcmul, average, average_sq, zip,
};

/// `rmsprop`: `torch.optim.RMSprop`.
pub const RMSPROP: KindInfo = KindInfo {
    name: "rmsprop",
    label: "RMSprop",
    short_label: "RMSprop",
    torch: "torch.optim.RMSprop",
    params: {
        use HyperParam::*;
        &[Lr, Alpha, Eps, WeightDecay, Momentum, Centered]
    },
    defaults: Hyper {
        lr: 1e-2,
        ..Hyper::TORCH
    },
    domains: &[],
    build: |h| {
        Ok(Optimizer::Rmsprop(Rmsprop::new(RmspropConfig {
            alpha: h.alpha,
            eps: h.eps,
            weight_decay: h.weight_decay,
            momentum: h.momentum,
            centered: h.centered,
            arithmetic: Arithmetic::Torch,
        })))
    },
    net_lr: Some(0.01),
};

/// Hyper-parameters of `torch.optim.RMSprop`, with torch's names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RmspropConfig {
    /// α: smoothing constant of the square average.
    pub alpha: f64,
    /// ε: added after the square root, for numerical stability.
    pub eps: f64,
    /// λ: L2 penalty added to the gradient.
    pub weight_decay: f64,
    /// μ: momentum factor.
    pub momentum: f64,
    /// Normalize by an estimate of the gradient's variance instead of its second moment.
    pub centered: bool,
    /// torch's fused roundings, or the update as written.
    pub arithmetic: Arithmetic,
}

/// State of RMSprop, named as torch names it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RmspropState {
    /// Number of updates taken.
    pub step: f64,
    /// v: running average of g².
    pub square_avg: Vec2,
    /// b: momentum buffer (used when μ > 0).
    pub momentum_buffer: Vec2,
    /// g^ave: running average of g (used when centered).
    pub grad_avg: Vec2,
}

/// RMSprop with its configuration and state.
#[derive(Clone, Debug, PartialEq)]
pub struct Rmsprop {
    pub config: RmspropConfig,
    pub state: RmspropState,
}

/// One update's figures, as the update computed them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RmspropStep {
    /// The gradient the update used: g, or g + λθ with weight decay.
    pub grad: Vec2,
    /// The denominator's square root: √v, or √(v − ḡ²) when centered.
    pub root: Vec2,
    /// The denominator, root + ε.
    pub avg: Vec2,
    /// The new point.
    pub w: Vec2,
}

impl Rmsprop {
    pub fn new(config: RmspropConfig) -> Self {
        Self {
            config,
            state: RmspropState::default(),
        }
    }

    /// One update of `w` with gradient `grad` and learning rate `lr`, with its figures.
    #[inline]
    pub fn update(&mut self, w: Vec2, grad: Vec2, lr: f64) -> RmspropStep {
        let RmspropConfig {
            alpha,
            eps,
            weight_decay,
            momentum,
            centered,
            arithmetic: a,
        } = self.config;
        let state = &mut self.state;
        state.step += 1.0;
        let mut g = grad;
        if weight_decay != 0.0 {
            g = zip(g, w, |g, p| add_alpha(a, g, p, weight_decay));
        }
        state.square_avg = zip(state.square_avg, g, |v, g| average_sq(a, v, g, alpha));
        let root = if centered {
            state.grad_avg = zip(state.grad_avg, g, |m, g| average(a, m, g, alpha));
            zip(state.square_avg, state.grad_avg, |v, m| {
                addcmul(a, v, m, m, -1.0).sqrt()
            })
        } else {
            state.square_avg.map(f64::sqrt)
        };
        let avg = root.map(|r| r + eps);
        let w = if momentum > 0.0 {
            let b = state.momentum_buffer;
            let buf = Vec2::new(
                addcdiv(b.x * momentum, g.x, avg.x, 1.0),
                addcdiv(b.y * momentum, g.y, avg.y, 1.0),
            );
            state.momentum_buffer = buf;
            zip(w, buf, |p, b| add_alpha(a, p, b, -lr))
        } else {
            Vec2::new(addcdiv(w.x, g.x, avg.x, -lr), addcdiv(w.y, g.y, avg.y, -lr))
        };
        RmspropStep {
            grad: g,
            root,
            avg,
            w,
        }
    }
}

impl Family for Rmsprop {
    #[inline]
    fn step(&mut self, w: Vec2, grad: Vec2, lr: f64) -> Vec2 {
        self.update(w, grad, lr).w
    }

    /// The momentum buffer, for drawing: only with momentum, and after the first step.
    fn velocity(&self) -> Option<Vec2> {
        (self.config.momentum > 0.0 && self.state.step > 0.0).then_some(self.state.momentum_buffer)
    }

    fn set_arithmetic(&mut self, a: Arithmetic) -> Result<(), OptimError> {
        self.config.arithmetic = a;
        Ok(())
    }
}
