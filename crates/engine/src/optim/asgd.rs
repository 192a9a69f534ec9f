//! ASGD: `torch.optim.ASGD`, averaged stochastic gradient descent (Polyak and Juditsky, 1992)
//! with a decaying step size.
//!
//! ```text
//! input: γ (lr), θ₀ (params), f(θ) (objective), λ (lambd), α (alpha), t₀ (t0),
//!        weight_decay
//! initialize: η₀ ← γ, μ₀ ← 1, ax₀ ← 0
//! for t = 1 to … do
//!     g_t ← ∇f(θ_{t−1})
//!     if weight_decay ≠ 0:  g_t ← g_t + weight_decay·θ_{t−1}
//!     θ_t ← θ_{t−1}(1 − λη_{t−1})
//!     θ_t ← θ_t − η_{t−1} g_t
//!     if μ_{t−1} ≠ 1:  ax_t ← ax_{t−1} + (θ_t − ax_{t−1}) μ_{t−1}
//!     else:            ax_t ← θ_t
//!     η_t ← γ / (1 + λγt)^α
//!     μ_t ← 1 / max(1, t − t₀)
//! return θ_t
//! ```
//!
//! The path is θ; ax, the average of the points since step t₀, is what ASGD offers as its
//! answer (with torch's t₀ = 10⁶ it is simply the last point).
//!
//! Parity notes: mirrors `_single_tensor_asgd` (`capturable=False`): the L2 term
//! `grad.add(param, alpha=weight_decay)` (fused, [`super::add_alpha`]); `param.mul_(1 −
//! λ·eta)`, then `param.add_(grad, alpha=−eta)` (fused); the average `ax.add_(param.sub(ax)
//! .mul_(mu))` (unfused) or `ax.copy_(param)` when μ = 1; then η and μ for the next step as
//! Python floats: `lr / ((1 + λ·lr·step) ** α)` (a `pow`) and `1 / max(1, step − t0)`. η starts
//! at the learning rate of the first step and is the one state value a learning-rate schedule
//! reaches (through γ in η_t).

use super::{Arithmetic, Family, Hyper, HyperParam, KindInfo, Optimizer, Vec2, add_alpha, zip};
use crate::optim::Domain;

/// `asgd`: `torch.optim.ASGD`.
pub const ASGD: KindInfo = KindInfo {
    name: "asgd",
    label: "Averaged SGD (ASGD)",
    short_label: "ASGD",
    torch: "torch.optim.ASGD",
    params: {
        use HyperParam::*;
        &[Lr, Lambd, Alpha, T0, WeightDecay]
    },
    defaults: Hyper {
        lr: 1e-2,
        alpha: 0.75,
        ..Hyper::TORCH
    },
    // ASGD's α is the power of η's decay, not RMSprop's share in [0, 1]: torch does not
    // check it.
    domains: &[(HyperParam::Alpha, Domain::Finite)],
    build: |h| {
        Ok(Optimizer::Asgd(Asgd::new(AsgdConfig {
            lambd: h.lambd,
            alpha: h.alpha,
            t0: h.t0,
            weight_decay: h.weight_decay,
        })))
    },
    net_lr: Some(1.0),
};

/// Hyper-parameters of `torch.optim.ASGD`, with torch's names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AsgdConfig {
    /// λ: decay term (θ shrinks by λη each step, and η decays with λγt).
    pub lambd: f64,
    /// α: the power of η's decay.
    pub alpha: f64,
    /// t₀: the step from which the average starts.
    pub t0: f64,
    /// L2 penalty added to the gradient.
    pub weight_decay: f64,
}

/// State of ASGD, named as torch names it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AsgdState {
    /// t: number of updates taken.
    pub step: f64,
    /// η: the step size of the next update (the learning rate until the first step).
    pub eta: f64,
    /// μ: the averaging weight of the next update.
    pub mu: f64,
    /// ax: the averaged point.
    pub ax: Vec2,
}

impl Default for AsgdState {
    fn default() -> Self {
        Self {
            step: 0.0,
            eta: f64::NAN,
            mu: 1.0,
            ax: Vec2::zeros(),
        }
    }
}

/// ASGD with its configuration and state.
#[derive(Clone, Debug, PartialEq)]
pub struct Asgd {
    pub config: AsgdConfig,
    pub state: AsgdState,
}

impl Asgd {
    pub fn new(config: AsgdConfig) -> Self {
        Self {
            config,
            state: AsgdState::default(),
        }
    }

    /// The step size the next update uses at learning rate `lr` (η is set from the first
    /// step's learning rate when that step comes).
    pub fn eta(&self, lr: f64) -> f64 {
        if self.state.step == 0.0 {
            lr
        } else {
            self.state.eta
        }
    }

    /// One update of `w` with gradient `grad` and learning rate `lr`, with its figures.
    #[inline]
    pub fn update(&mut self, w: Vec2, grad: Vec2, lr: f64) -> AsgdStep {
        let c = self.config;
        let eta = self.eta(lr);
        let mu = self.state.mu;
        let state = &mut self.state;
        state.step += 1.0;
        let mut g = grad;
        if c.weight_decay != 0.0 {
            g = zip(g, w, |g, p| {
                add_alpha(Arithmetic::Torch, g, p, c.weight_decay)
            });
        }
        let shrink = 1.0 - c.lambd * eta;
        let w = zip(w.map(|p| p * shrink), g, |p, g| {
            add_alpha(Arithmetic::Torch, p, g, -eta)
        });
        state.ax = if state.mu != 1.0 {
            let mu = state.mu;
            zip(state.ax, w, |a, p| a + (p - a) * mu)
        } else {
            w
        };
        let step = state.step;
        state.eta = lr / (1.0 + c.lambd * lr * step).powf(c.alpha);
        let since = step - c.t0;
        state.mu = 1.0 / if since > 1.0 { since } else { 1.0 };
        AsgdStep {
            grad: g,
            eta,
            mu,
            shrink,
            w,
        }
    }
}

/// One ASGD update's figures, as the update computed them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AsgdStep {
    /// The gradient the update used: g, or g + λθ with weight decay.
    pub grad: Vec2,
    /// η_t and μ_t, this update's step size and averaging weight.
    pub eta: f64,
    pub mu: f64,
    /// 1 − λ·η_t, the shrink of the point.
    pub shrink: f64,
    /// The new point.
    pub w: Vec2,
}

/// ASGD carries no direction from step to step.
impl Family for Asgd {
    #[inline]
    fn step(&mut self, w: Vec2, grad: Vec2, lr: f64) -> Vec2 {
        self.update(w, grad, lr).w
    }
}
