//! Stochastic gradient descent, with momentum and Nesterov momentum: `torch.optim.SGD`.
//!
//! ```text
//! input: γ (lr), θ₀ (params), f(θ) (objective), λ (weight decay),
//!        μ (momentum), τ (dampening), nesterov
//! for t = 1 to … do
//!     g_t ← ∇f(θ_{t−1})
//!     if λ ≠ 0:  g_t ← g_t + λ θ_{t−1}
//!     if μ ≠ 0:
//!         if t > 1:  b_t ← μ b_{t−1} + (1 − τ) g_t
//!         else:      b_t ← g_t
//!         if nesterov:  g_t ← g_t + μ b_t
//!         else:         g_t ← b_t
//!     θ_t ← θ_{t−1} − γ g_t
//! return θ_t
//! ```
//!
//! Parity notes: mirrors `_single_tensor_sgd` (`foreach=False`). The momentum buffer starts as a
//! copy of g₁, with no dampening; dampening applies from step 2 on. Every `add(…, alpha=a)` is
//! one fused multiply-add, as ATen's CPU kernel rounds it ([`super::add_alpha`]):
//! `grad.add(param, alpha=λ)` is fma(λ, θ, g); `buf.mul_(μ).add_(g, alpha=1−τ)` is
//! fma(1−τ, g, b·μ); Nesterov's `grad.add(buf, alpha=μ)` is fma(μ, b, g); `param.add_(g,
//! alpha=−γ)` is fma(−γ, g, θ). With [`Arithmetic::AsWritten`] each becomes a rounded product
//! then a rounded sum: `g + λ·θ`, `b·μ + (1−τ)·g`, `g + μ·b`, `θ − γ·g`.

use super::{
    Arithmetic, Family, Hyper, HyperParam, KindInfo, OptimError, Optimizer, Vec2, add_alpha, zip,
};

/// `torch.optim.SGD`'s arguments.
const PARAMS: &[HyperParam] = {
    use HyperParam::*;
    &[Lr, Momentum, Dampening, WeightDecay, Nesterov]
};

/// `sgd`: plain gradient descent.
pub const SGD: KindInfo = KindInfo {
    name: "sgd",
    label: "Gradient descent (SGD)",
    short_label: "GD",
    torch: "torch.optim.SGD",
    params: PARAMS,
    defaults: Hyper::TORCH,
    domains: &[],
    build,
    net_lr: Some(1.0),
};

/// `momentum`: SGD with μ = 0.9.
pub const MOMENTUM: KindInfo = KindInfo {
    name: "momentum",
    label: "Momentum",
    short_label: "Momentum",
    torch: "torch.optim.SGD(momentum=0.9)",
    params: PARAMS,
    defaults: Hyper {
        momentum: 0.9,
        ..Hyper::TORCH
    },
    domains: &[],
    build,
    net_lr: Some(0.1),
};

/// `nesterov`: SGD with μ = 0.9 and Nesterov's look-ahead.
pub const NESTEROV: KindInfo = KindInfo {
    name: "nesterov",
    label: "Nesterov momentum",
    short_label: "Nesterov",
    torch: "torch.optim.SGD(momentum=0.9, nesterov=True)",
    params: PARAMS,
    defaults: Hyper {
        momentum: 0.9,
        nesterov: true,
        ..Hyper::TORCH
    },
    domains: &[],
    build,
    net_lr: Some(0.1),
};

/// SGD from checked hyper-parameters, with torch's check that ties Nesterov to momentum.
fn build(h: &Hyper) -> Result<Optimizer, OptimError> {
    if h.nesterov && (h.momentum <= 0.0 || h.dampening != 0.0) {
        return Err(OptimError(
            "Nesterov momentum requires a momentum and zero dampening".into(),
        ));
    }
    Ok(Optimizer::Sgd(Sgd::new(SgdConfig {
        momentum: h.momentum,
        dampening: h.dampening,
        weight_decay: h.weight_decay,
        nesterov: h.nesterov,
        arithmetic: Arithmetic::Torch,
    })))
}

/// Hyper-parameters of `torch.optim.SGD`, with torch's names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SgdConfig {
    /// μ: momentum factor (0 = plain gradient descent).
    pub momentum: f64,
    /// τ: dampening for momentum.
    pub dampening: f64,
    /// λ: L2 penalty added to the gradient.
    pub weight_decay: f64,
    /// Nesterov momentum: step along g + μ·b instead of b.
    pub nesterov: bool,
    /// torch's fused roundings, or the update as written.
    pub arithmetic: Arithmetic,
}

/// State of SGD, named as torch names it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SgdState {
    /// b: `None` until the first step with momentum.
    pub momentum_buffer: Option<Vec2>,
}

/// SGD with its configuration and state.
#[derive(Clone, Debug, PartialEq)]
pub struct Sgd {
    pub config: SgdConfig,
    pub state: SgdState,
}

/// One update's figures, as the update computed them: what its written-out step shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SgdStep {
    /// The gradient the update used: g, or g + λθ with weight decay.
    pub grad: Vec2,
    /// The momentum buffer b after the update (with momentum).
    pub buffer: Option<Vec2>,
    /// What θ moved along: the gradient, b, or g + μ·b with Nesterov.
    pub direction: Vec2,
    /// The new point.
    pub w: Vec2,
}

impl Sgd {
    pub fn new(config: SgdConfig) -> Self {
        Self {
            config,
            state: SgdState::default(),
        }
    }

    /// One update of `w` with gradient `grad` and learning rate `lr`, with its figures.
    /// (Always inlined: plain GD is the two-weight hot path, where the figures a run does not
    /// read cost nothing; with the network's lanes calling it too the compiler stopped
    /// inlining it into the run's loop.)
    #[inline(always)]
    pub fn update(&mut self, w: Vec2, grad: Vec2, lr: f64) -> SgdStep {
        let SgdConfig {
            momentum,
            dampening,
            weight_decay,
            nesterov,
            arithmetic: a,
        } = self.config;
        let mut g = grad;
        if weight_decay != 0.0 {
            g = zip(g, w, |g, p| add_alpha(a, g, p, weight_decay));
        }
        let mut direction = g;
        if momentum != 0.0 {
            let buf = match self.state.momentum_buffer {
                None => g,
                Some(b) => zip(b, g, |b, g| add_alpha(a, b * momentum, g, 1.0 - dampening)),
            };
            self.state.momentum_buffer = Some(buf);
            direction = if nesterov {
                zip(g, buf, |g, b| add_alpha(a, g, b, momentum))
            } else {
                buf
            };
        }
        SgdStep {
            grad: g,
            buffer: self.state.momentum_buffer,
            direction,
            w: zip(w, direction, |p, d| add_alpha(a, p, d, -lr)),
        }
    }
}

impl Family for Sgd {
    #[inline(always)]
    fn step(&mut self, w: Vec2, grad: Vec2, lr: f64) -> Vec2 {
        self.update(w, grad, lr).w
    }

    /// The momentum buffer (none before the first step or without momentum).
    fn velocity(&self) -> Option<Vec2> {
        self.state.momentum_buffer
    }

    fn set_arithmetic(&mut self, a: Arithmetic) -> Result<(), OptimError> {
        self.config.arithmetic = a;
        Ok(())
    }

    /// Without momentum the next point is the current one's alone (weight decay only adds a
    /// term of the point).
    #[inline(always)]
    fn is_stateless(&self) -> bool {
        self.config.momentum == 0.0
    }
}
