//! Rprop: `torch.optim.Rprop`, resilient backpropagation (Riedmiller and Braun, 1993): each
//! coordinate moves by its own step size in the direction of −sign(g), the step size growing
//! while the gradient keeps its sign and shrinking when it flips.
//!
//! ```text
//! input: θ₀ ∈ ℝᵈ (params), f(θ) (objective), η_{+/−} (etaplus, etaminus),
//!        Γ_{max/min} (step sizes), g⁰_prev ← 0, η⁰ ← lr (learning rate)
//! for t = 1 to … do
//!     g_t ← ∇f(θ_{t−1})
//!     for i = 0, …, d − 1 do
//!         if g^i_prev g^i_t > 0:
//!             η^i_t ← min(η^i_{t−1} η₊, Γ_max)
//!         else if g^i_prev g^i_t < 0:
//!             η^i_t ← max(η^i_{t−1} η₋, Γ_min)
//!             g^i_t ← 0
//!         else:
//!             η^i_t ← η^i_{t−1}
//!     θ_t ← θ_{t−1} − η_t sign(g_t)
//!     g_prev ← g_t
//! return θ_t
//! ```
//!
//! Parity notes: mirrors `_single_tensor_rprop`. The step sizes start at the learning rate of
//! the first step (`torch.full_like(grad, lr)`); later learning rates are not used. The sign
//! test is `grad.mul(prev).sign()` (the product's sign, so a product that underflows to 0
//! counts as 0), its values replaced by η₊, η₋ and 1; `step_size.mul_(sign).clamp_(Γ_min,
//! Γ_max)` (clamp applies both bounds in every case, NaN-propagating); `grad[sign == η₋] = 0`;
//! `param.addcmul_(grad.sign(), step_size, value=−1)` (fused, [`super::addcmul`]: exact here,
//! as sign(g) is ±1 or 0); `prev ← grad` (zeroed where the sign flipped).

use super::{
    Arithmetic, Family, Hyper, HyperParam, KindInfo, OptimError, Optimizer, Vec2, addcmul, zip,
};

/// `rprop`: `torch.optim.Rprop`.
pub const RPROP: KindInfo = KindInfo {
    name: "rprop",
    label: "Rprop",
    short_label: "Rprop",
    torch: "torch.optim.Rprop",
    params: {
        use HyperParam::*;
        &[Lr, EtaMinus, EtaPlus, StepSizeMin, StepSizeMax]
    },
    defaults: Hyper {
        lr: 1e-2,
        ..Hyper::TORCH
    },
    domains: &[],
    build,
    net_lr: Some(0.01),
};

/// Rprop from hyper-parameters that passed the table's checks, with torch's check of the etas.
fn build(h: &Hyper) -> Result<Optimizer, OptimError> {
    if !(0.0 < h.eta_minus && h.eta_minus < 1.0 && 1.0 < h.eta_plus) {
        return Err(OptimError(format!(
            "Rprop needs 0 < eta_minus < 1 < eta_plus, got eta_minus {} and eta_plus {}",
            h.eta_minus, h.eta_plus
        )));
    }
    Ok(Optimizer::Rprop(Rprop::new(RpropConfig {
        eta_minus: h.eta_minus,
        eta_plus: h.eta_plus,
        step_size_min: h.step_size_min,
        step_size_max: h.step_size_max,
    })))
}

/// Hyper-parameters of `torch.optim.Rprop`, with torch's names (`etas`, `step_sizes` as pairs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RpropConfig {
    /// η₋: the factor a step size shrinks by when its gradient flips sign.
    pub eta_minus: f64,
    /// η₊: the factor a step size grows by when its gradient keeps its sign.
    pub eta_plus: f64,
    /// Γ_min: the smallest step size.
    pub step_size_min: f64,
    /// Γ_max: the largest step size.
    pub step_size_max: f64,
}

/// State of Rprop, named as torch names it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RpropState {
    /// t: number of updates taken.
    pub step: f64,
    /// The gradient of the last step, zeroed where its sign had flipped.
    pub prev: Vec2,
    /// Each coordinate's step size (the learning rate until the first step).
    pub step_size: Vec2,
}

/// Rprop with its configuration and state.
#[derive(Clone, Debug, PartialEq)]
pub struct Rprop {
    pub config: RpropConfig,
    pub state: RpropState,
}

/// `Tensor.sign`: 1, −1, or 0 for ±0 (and NaN for NaN).
pub(crate) fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else if x.is_nan() {
        x
    } else {
        0.0
    }
}

/// `Tensor.clamp_(lo, hi)`: `min(max(x, lo), hi)`, NaN staying NaN.
fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    if x.is_nan() { x } else { x.max(lo).min(hi) }
}

impl RpropConfig {
    /// The factor the sign test picks for a product `g·prev` of the given sign: η₊, η₋ or 1.
    pub fn factor(&self, product_sign: f64) -> f64 {
        if product_sign > 0.0 {
            self.eta_plus
        } else if product_sign < 0.0 {
            self.eta_minus
        } else if product_sign == 0.0 {
            1.0
        } else {
            product_sign
        }
    }
}

impl Rprop {
    pub fn new(config: RpropConfig) -> Self {
        Self {
            config,
            state: RpropState::default(),
        }
    }

    /// One update of `w` with gradient `grad`; `lr` is the first step's step size and is not
    /// used after it; with its figures.
    #[inline]
    pub fn update(&mut self, w: Vec2, grad: Vec2, lr: f64) -> RpropStep {
        let c = self.config;
        let state = &mut self.state;
        if state.step == 0.0 {
            state.step_size = Vec2::new(lr, lr);
        }
        state.step += 1.0;
        let signs = zip(grad, state.prev, |g, p| sign(g * p));
        let factor = signs.map(|s| c.factor(s));
        state.step_size = zip(state.step_size, factor, |s, f| {
            clamp(s * f, c.step_size_min, c.step_size_max)
        });
        let g = zip(grad, factor, |g, f| if f == c.eta_minus { 0.0 } else { g });
        state.prev = g;
        let s = state.step_size;
        RpropStep {
            signs,
            factor,
            moved: g,
            w: Vec2::new(
                addcmul(Arithmetic::Torch, w.x, sign(g.x), s.x, -1.0),
                addcmul(Arithmetic::Torch, w.y, sign(g.y), s.y, -1.0),
            ),
        }
    }
}

/// One Rprop update's figures, as the update computed them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RpropStep {
    /// The sign of g·g_prev: 1 same sign, −1 flipped, 0 a zero.
    pub signs: Vec2,
    /// The factor each step size was multiplied by: η+, η− or 1.
    pub factor: Vec2,
    /// The gradient the step moved by (zeroed where its sign flipped: no move there).
    pub moved: Vec2,
    /// The new point.
    pub w: Vec2,
}

/// Rprop carries step sizes, not a direction.
impl Family for Rprop {
    #[inline]
    fn step(&mut self, w: Vec2, grad: Vec2, lr: f64) -> Vec2 {
        self.update(w, grad, lr).w
    }
}
