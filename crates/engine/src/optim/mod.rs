//! Optimizers with torch.optim's update rules, defaults, state and order of operations.
//!
//! One file per family: [`sgd`] (SGD, momentum, Nesterov), [`adagrad`], [`rmsprop`], [`adam`]
//! (Adam, AdamW, AMSGrad). Each module documents the rule it implements in torch's pseudo-code
//! and the torch function whose floating-point operations it mirrors, so a trajectory agrees
//! with torch's to the last bits f64 allows.
//!
//! The user-facing names (`sgd`, `momentum`, `nesterov`, `adagrad`, `rmsprop`, `adam`, `adamw`,
//! `amsgrad`) are [`OptimizerKind`]s; their hyper-parameters are one flat [`Hyper`] with torch's
//! names and defaults, validated by [`Optimizer::new`] with torch's own checks.

pub mod adagrad;
pub mod adam;
pub mod rmsprop;
pub mod sgd;

use serde::{Deserialize, Serialize};

pub use adagrad::{Adagrad, AdagradConfig, AdagradState};
pub use adam::{Adam, AdamConfig, AdamState};
pub use rmsprop::{Rmsprop, RmspropConfig, RmspropState};
pub use sgd::{Sgd, SgdConfig, SgdState};

pub use crate::geometry::Vec2;

/// Applies `f` coordinate by coordinate, as torch's element-wise kernels do.
#[inline(always)]
pub(crate) fn zip(a: Vec2, b: Vec2, f: impl Fn(f64, f64) -> f64) -> Vec2 {
    Vec2::new(f(a.x, b.x), f(a.y, b.y))
}

/// ATen's `lerp(self, end, weight)`, the exact formula behind `Tensor.lerp_`:
/// `self + w·(end − self)` when |w| < 0.5, else `end − (end − self)·(1 − w)`, each a fused
/// multiply-add as ATen's CPU kernel computes it (`fmadd(coeff, end − start, base)`).
#[inline(always)]
pub(crate) fn lerp(start: f64, end: f64, weight: f64) -> f64 {
    if weight.abs() < 0.5 {
        weight.mul_add(end - start, start)
    } else {
        (weight - 1.0).mul_add(end - start, end)
    }
}

/// ATen's `self.add(other, alpha)`: `self + alpha·other` as one fused multiply-add
/// (`vec::fmadd(other, alpha, self)`), the way torch's CPU kernels round it.
#[inline(always)]
pub(crate) fn add_alpha(this: f64, other: f64, alpha: f64) -> f64 {
    alpha.mul_add(other, this)
}

/// ATen's `self.addcmul(t1, t2, value)`: `self + (value·t1)·t2`, the last product and the
/// sum fused, as torch's CPU kernels round it.
#[inline(always)]
pub(crate) fn addcmul(this: f64, t1: f64, t2: f64, value: f64) -> f64 {
    (value * t1).mul_add(t2, this)
}

/// ATen's `self.addcdiv(t1, t2, value)`: `self + (value·t1)/t2` (a quotient is never fused).
#[inline(always)]
pub(crate) fn addcdiv(this: f64, t1: f64, t2: f64, value: f64) -> f64 {
    this + (value * t1) / t2
}

/// The optimizers a user picks by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    /// `SGD`: plain gradient descent.
    Sgd,
    /// `SGD(momentum=0.9)`.
    Momentum,
    /// `SGD(momentum=0.9, nesterov=True)`.
    Nesterov,
    /// `Adagrad`.
    Adagrad,
    /// `RMSprop`.
    Rmsprop,
    /// `Adam`.
    Adam,
    /// `AdamW` (decoupled weight decay, default 0.01).
    Adamw,
    /// `Adam(amsgrad=True)`.
    Amsgrad,
}

impl OptimizerKind {
    /// Every optimizer, in the order menus list them.
    pub const ALL: [OptimizerKind; 8] = [
        Self::Sgd,
        Self::Momentum,
        Self::Nesterov,
        Self::Adagrad,
        Self::Rmsprop,
        Self::Adam,
        Self::Adamw,
        Self::Amsgrad,
    ];

    /// The name used on the command line and in setups.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sgd => "sgd",
            Self::Momentum => "momentum",
            Self::Nesterov => "nesterov",
            Self::Adagrad => "adagrad",
            Self::Rmsprop => "rmsprop",
            Self::Adam => "adam",
            Self::Adamw => "adamw",
            Self::Amsgrad => "amsgrad",
        }
    }

    /// A short name for legends and lists: "GD", "Adam", …
    pub fn short_label(self) -> &'static str {
        match self {
            Self::Sgd => "GD",
            Self::Nesterov => "Nesterov",
            other => other.label(),
        }
    }

    /// A name for people: "Gradient descent (SGD)", "Adam", …
    pub fn label(self) -> &'static str {
        match self {
            Self::Sgd => "Gradient descent (SGD)",
            Self::Momentum => "Momentum",
            Self::Nesterov => "Nesterov momentum",
            Self::Adagrad => "AdaGrad",
            Self::Rmsprop => "RMSprop",
            Self::Adam => "Adam",
            Self::Adamw => "AdamW",
            Self::Amsgrad => "AMSGrad",
        }
    }

    /// The torch.optim call this name stands for.
    pub fn torch(self) -> &'static str {
        match self {
            Self::Sgd => "torch.optim.SGD",
            Self::Momentum => "torch.optim.SGD(momentum=0.9)",
            Self::Nesterov => "torch.optim.SGD(momentum=0.9, nesterov=True)",
            Self::Adagrad => "torch.optim.Adagrad",
            Self::Rmsprop => "torch.optim.RMSprop",
            Self::Adam => "torch.optim.Adam",
            Self::Adamw => "torch.optim.AdamW",
            Self::Amsgrad => "torch.optim.Adam(amsgrad=True)",
        }
    }

    /// Looks a kind up by its [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The hyper-parameters this optimizer takes, in torch's argument order.
    pub fn params(self) -> &'static [HyperParam] {
        use HyperParam::*;
        match self {
            Self::Sgd | Self::Momentum | Self::Nesterov => {
                &[Lr, Momentum, Dampening, WeightDecay, Nesterov]
            }
            Self::Adagrad => &[Lr, LrDecay, WeightDecay, InitialAccumulatorValue, Eps],
            Self::Rmsprop => &[Lr, Alpha, Eps, WeightDecay, Momentum, Centered],
            Self::Adam | Self::Adamw | Self::Amsgrad => {
                &[Lr, Beta1, Beta2, Eps, WeightDecay, Amsgrad]
            }
        }
    }

    /// torch's defaults for this optimizer (with the name's implied settings).
    pub fn defaults(self) -> Hyper {
        let base = Hyper {
            lr: 1e-3,
            momentum: 0.0,
            dampening: 0.0,
            nesterov: false,
            alpha: 0.99,
            eps: 1e-8,
            beta1: 0.9,
            beta2: 0.999,
            weight_decay: 0.0,
            lr_decay: 0.0,
            initial_accumulator_value: 0.0,
            centered: false,
            amsgrad: false,
        };
        match self {
            Self::Sgd | Self::Adam => base,
            Self::Momentum => Hyper {
                momentum: 0.9,
                ..base
            },
            Self::Nesterov => Hyper {
                momentum: 0.9,
                nesterov: true,
                ..base
            },
            Self::Adagrad => Hyper {
                lr: 1e-2,
                eps: 1e-10,
                ..base
            },
            Self::Rmsprop => Hyper { lr: 1e-2, ..base },
            Self::Adamw => Hyper {
                weight_decay: 1e-2,
                ..base
            },
            Self::Amsgrad => Hyper {
                amsgrad: true,
                ..base
            },
        }
    }
}

impl std::fmt::Display for OptimizerKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Every hyper-parameter of every optimizer, flat, with torch's names. An optimizer reads the
/// ones [`OptimizerKind::params`] lists and ignores the rest.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Hyper {
    pub lr: f64,
    pub momentum: f64,
    pub dampening: f64,
    pub nesterov: bool,
    pub alpha: f64,
    pub eps: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub weight_decay: f64,
    pub lr_decay: f64,
    pub initial_accumulator_value: f64,
    pub centered: bool,
    pub amsgrad: bool,
}

impl Default for Hyper {
    fn default() -> Self {
        OptimizerKind::Sgd.defaults()
    }
}

/// One hyper-parameter: its torch name, command-line flag, meaning and valid range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HyperParam {
    Lr,
    Momentum,
    Dampening,
    Nesterov,
    Alpha,
    Eps,
    Beta1,
    Beta2,
    WeightDecay,
    LrDecay,
    InitialAccumulatorValue,
    Centered,
    Amsgrad,
}

/// A hyper-parameter's value: a number or a switch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HyperValue {
    Number(f64),
    Switch(bool),
}

impl HyperParam {
    /// Every hyper-parameter.
    pub const ALL: [HyperParam; 13] = [
        Self::Lr,
        Self::Momentum,
        Self::Dampening,
        Self::Nesterov,
        Self::Alpha,
        Self::Eps,
        Self::Beta1,
        Self::Beta2,
        Self::WeightDecay,
        Self::LrDecay,
        Self::InitialAccumulatorValue,
        Self::Centered,
        Self::Amsgrad,
    ];

    /// torch's keyword.
    pub fn name(self) -> &'static str {
        match self {
            Self::Lr => "lr",
            Self::Momentum => "momentum",
            Self::Dampening => "dampening",
            Self::Nesterov => "nesterov",
            Self::Alpha => "alpha",
            Self::Eps => "eps",
            Self::Beta1 => "beta1",
            Self::Beta2 => "beta2",
            Self::WeightDecay => "weight_decay",
            Self::LrDecay => "lr_decay",
            Self::InitialAccumulatorValue => "initial_accumulator_value",
            Self::Centered => "centered",
            Self::Amsgrad => "amsgrad",
        }
    }

    /// The `downhill trace` flag.
    pub fn flag(self) -> &'static str {
        match self {
            Self::Lr => "--lr",
            Self::Momentum => "--momentum",
            Self::Dampening => "--dampening",
            Self::Nesterov => "--nesterov",
            Self::Alpha => "--alpha",
            Self::Eps => "--eps",
            Self::Beta1 => "--beta1",
            Self::Beta2 => "--beta2",
            Self::WeightDecay => "--weight-decay",
            Self::LrDecay => "--lr-decay",
            Self::InitialAccumulatorValue => "--initial-accumulator-value",
            Self::Centered => "--centered",
            Self::Amsgrad => "--amsgrad",
        }
    }

    /// What it does, in torch's terms.
    pub fn doc(self) -> &'static str {
        match self {
            Self::Lr => "learning rate γ",
            Self::Momentum => "momentum factor μ",
            Self::Dampening => "dampening τ of the momentum buffer",
            Self::Nesterov => "Nesterov momentum: step along g + μ·b",
            Self::Alpha => "smoothing constant α of the squared-gradient average",
            Self::Eps => "ε added to the denominator for numerical stability",
            Self::Beta1 => "β₁: decay of the first-moment estimate",
            Self::Beta2 => "β₂: decay of the second-moment estimate",
            Self::WeightDecay => "weight decay λ",
            Self::LrDecay => "learning-rate decay η: lr / (1 + (t − 1)·η)",
            Self::InitialAccumulatorValue => "starting value of the sum of squared gradients",
            Self::Centered => "normalize by the estimated variance of the gradient",
            Self::Amsgrad => "use the running maximum of the second moment (AMSGrad)",
        }
    }

    /// Reads this hyper-parameter from `h`.
    pub fn get(self, h: &Hyper) -> HyperValue {
        use HyperValue::{Number as N, Switch as S};
        match self {
            Self::Lr => N(h.lr),
            Self::Momentum => N(h.momentum),
            Self::Dampening => N(h.dampening),
            Self::Nesterov => S(h.nesterov),
            Self::Alpha => N(h.alpha),
            Self::Eps => N(h.eps),
            Self::Beta1 => N(h.beta1),
            Self::Beta2 => N(h.beta2),
            Self::WeightDecay => N(h.weight_decay),
            Self::LrDecay => N(h.lr_decay),
            Self::InitialAccumulatorValue => N(h.initial_accumulator_value),
            Self::Centered => S(h.centered),
            Self::Amsgrad => S(h.amsgrad),
        }
    }

    /// A mutable handle on a numeric hyper-parameter of `h` (`None` for switches).
    pub fn number_mut(self, h: &mut Hyper) -> Option<&mut f64> {
        match self {
            Self::Lr => Some(&mut h.lr),
            Self::Momentum => Some(&mut h.momentum),
            Self::Dampening => Some(&mut h.dampening),
            Self::Alpha => Some(&mut h.alpha),
            Self::Eps => Some(&mut h.eps),
            Self::Beta1 => Some(&mut h.beta1),
            Self::Beta2 => Some(&mut h.beta2),
            Self::WeightDecay => Some(&mut h.weight_decay),
            Self::LrDecay => Some(&mut h.lr_decay),
            Self::InitialAccumulatorValue => Some(&mut h.initial_accumulator_value),
            Self::Nesterov | Self::Centered | Self::Amsgrad => None,
        }
    }

    /// A mutable handle on a switch of `h` (`None` for numbers).
    pub fn switch_mut(self, h: &mut Hyper) -> Option<&mut bool> {
        match self {
            Self::Nesterov => Some(&mut h.nesterov),
            Self::Centered => Some(&mut h.centered),
            Self::Amsgrad => Some(&mut h.amsgrad),
            _ => None,
        }
    }

    /// torch's validity check for a numeric value, as a message when it fails.
    fn check(self, v: f64) -> Result<(), String> {
        let name = self.name();
        if !v.is_finite() {
            return Err(format!("{name} must be a finite number, got {v}"));
        }
        let ok = match self {
            Self::Beta1 | Self::Beta2 => (0.0..1.0).contains(&v),
            // torch does not check dampening; any finite value is accepted.
            Self::Dampening => true,
            _ => v >= 0.0,
        };
        if ok {
            Ok(())
        } else if matches!(self, Self::Beta1 | Self::Beta2) {
            Err(format!("{name} must be in [0, 1), got {v}"))
        } else if self == Self::Lr {
            Err(format!("the learning rate must not be negative, got {v}"))
        } else {
            Err(format!("{name} must not be negative, got {v}"))
        }
    }
}

/// Hyper-parameters to change, each optional: what a preset or the command line sets on top
/// of an optimizer's defaults.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HyperPatch {
    pub lr: Option<f64>,
    pub momentum: Option<f64>,
    pub dampening: Option<f64>,
    pub nesterov: Option<bool>,
    pub alpha: Option<f64>,
    pub eps: Option<f64>,
    pub beta1: Option<f64>,
    pub beta2: Option<f64>,
    pub weight_decay: Option<f64>,
    pub lr_decay: Option<f64>,
    pub initial_accumulator_value: Option<f64>,
    pub centered: Option<bool>,
    pub amsgrad: Option<bool>,
}

impl HyperPatch {
    /// The value this patch sets for `p`, if any.
    pub fn get(&self, p: HyperParam) -> Option<HyperValue> {
        use HyperValue::{Number as N, Switch as S};
        match p {
            HyperParam::Lr => self.lr.map(N),
            HyperParam::Momentum => self.momentum.map(N),
            HyperParam::Dampening => self.dampening.map(N),
            HyperParam::Nesterov => self.nesterov.map(S),
            HyperParam::Alpha => self.alpha.map(N),
            HyperParam::Eps => self.eps.map(N),
            HyperParam::Beta1 => self.beta1.map(N),
            HyperParam::Beta2 => self.beta2.map(N),
            HyperParam::WeightDecay => self.weight_decay.map(N),
            HyperParam::LrDecay => self.lr_decay.map(N),
            HyperParam::InitialAccumulatorValue => self.initial_accumulator_value.map(N),
            HyperParam::Centered => self.centered.map(S),
            HyperParam::Amsgrad => self.amsgrad.map(S),
        }
    }

    /// Every hyper-parameter this patch sets.
    pub fn set_params(&self) -> Vec<HyperParam> {
        HyperParam::ALL
            .into_iter()
            .filter(|p| self.get(*p).is_some())
            .collect()
    }

    /// Only the settings that `kind` takes.
    pub fn restricted_to(&self, kind: OptimizerKind) -> Self {
        let mut out = Self::default();
        for p in kind.params() {
            out.set(*p, self.get(*p));
        }
        out
    }

    fn set(&mut self, p: HyperParam, v: Option<HyperValue>) {
        let num = |v: Option<HyperValue>| match v {
            Some(HyperValue::Number(x)) => Some(x),
            _ => None,
        };
        let switch = |v: Option<HyperValue>| match v {
            Some(HyperValue::Switch(b)) => Some(b),
            _ => None,
        };
        match p {
            HyperParam::Lr => self.lr = num(v),
            HyperParam::Momentum => self.momentum = num(v),
            HyperParam::Dampening => self.dampening = num(v),
            HyperParam::Nesterov => self.nesterov = switch(v),
            HyperParam::Alpha => self.alpha = num(v),
            HyperParam::Eps => self.eps = num(v),
            HyperParam::Beta1 => self.beta1 = num(v),
            HyperParam::Beta2 => self.beta2 = num(v),
            HyperParam::WeightDecay => self.weight_decay = num(v),
            HyperParam::LrDecay => self.lr_decay = num(v),
            HyperParam::InitialAccumulatorValue => self.initial_accumulator_value = num(v),
            HyperParam::Centered => self.centered = switch(v),
            HyperParam::Amsgrad => self.amsgrad = switch(v),
        }
    }

    /// This patch with every setting of `over` on top.
    pub fn then(mut self, over: &Self) -> Self {
        for p in HyperParam::ALL {
            if let Some(v) = over.get(p) {
                self.set(p, Some(v));
            }
        }
        self
    }

    /// `kind`'s defaults with this patch applied; a setting `kind` does not take is an error
    /// that names the ones it does take.
    pub fn apply(&self, kind: OptimizerKind) -> Result<Hyper, OptimError> {
        if let Some(p) = self
            .set_params()
            .into_iter()
            .find(|p| !kind.params().contains(p))
        {
            let takes: Vec<&str> = kind.params().iter().map(|q| q.flag()).collect();
            return Err(OptimError(format!(
                "{} does not apply to {kind} (it takes {})",
                p.flag(),
                takes.join(", ")
            )));
        }
        Ok(self.over(kind.defaults()))
    }

    /// `base` with every setting of this patch written over it.
    pub fn over(&self, base: Hyper) -> Hyper {
        let mut h = base;
        for p in self.set_params() {
            match self.get(p) {
                Some(HyperValue::Number(x)) => {
                    if let Some(slot) = p.number_mut(&mut h) {
                        *slot = x;
                    }
                }
                Some(HyperValue::Switch(b)) => {
                    if let Some(slot) = p.switch_mut(&mut h) {
                        *slot = b;
                    }
                }
                None => {}
            }
        }
        h
    }
}

/// A hyper-parameter value that torch would refuse.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct OptimError(pub String);

/// An optimizer with its state, ready to step.
#[derive(Clone, Debug, PartialEq)]
pub enum Optimizer {
    Sgd(Sgd),
    Adagrad(Adagrad),
    Rmsprop(Rmsprop),
    Adam(Adam),
}

impl Optimizer {
    /// Builds `kind` from `hyper`, with torch's `ValueError` checks (and finiteness).
    pub fn new(kind: OptimizerKind, hyper: &Hyper) -> Result<Self, OptimError> {
        for &p in kind.params() {
            if let HyperValue::Number(v) = p.get(hyper) {
                p.check(v).map_err(OptimError)?;
            }
        }
        let h = *hyper;
        Ok(match kind {
            OptimizerKind::Sgd | OptimizerKind::Momentum | OptimizerKind::Nesterov => {
                if h.nesterov && (h.momentum <= 0.0 || h.dampening != 0.0) {
                    return Err(OptimError(
                        "Nesterov momentum requires a momentum and zero dampening".into(),
                    ));
                }
                Self::Sgd(Sgd::new(SgdConfig {
                    momentum: h.momentum,
                    dampening: h.dampening,
                    weight_decay: h.weight_decay,
                    nesterov: h.nesterov,
                }))
            }
            OptimizerKind::Adagrad => Self::Adagrad(Adagrad::new(AdagradConfig {
                lr_decay: h.lr_decay,
                weight_decay: h.weight_decay,
                initial_accumulator_value: h.initial_accumulator_value,
                eps: h.eps,
            })),
            OptimizerKind::Rmsprop => Self::Rmsprop(Rmsprop::new(RmspropConfig {
                alpha: h.alpha,
                eps: h.eps,
                weight_decay: h.weight_decay,
                momentum: h.momentum,
                centered: h.centered,
            })),
            OptimizerKind::Adam | OptimizerKind::Adamw | OptimizerKind::Amsgrad => {
                Self::Adam(Adam::new(AdamConfig {
                    beta1: h.beta1,
                    beta2: h.beta2,
                    eps: h.eps,
                    weight_decay: h.weight_decay,
                    amsgrad: h.amsgrad,
                    decoupled_weight_decay: kind == OptimizerKind::Adamw,
                }))
            }
        })
    }

    /// One update: the new point from `w`, its gradient `grad` and this step's learning rate.
    #[inline(always)]
    pub fn step(&mut self, w: Vec2, grad: Vec2, lr: f64) -> Vec2 {
        match self {
            Self::Sgd(o) => o.step(w, grad, lr),
            Self::Adagrad(o) => o.step(w, grad, lr),
            Self::Rmsprop(o) => o.step(w, grad, lr),
            Self::Adam(o) => o.step(w, grad, lr),
        }
    }

    /// The direction the optimizer carries from step to step, for drawing: the momentum buffer
    /// of SGD with momentum and RMSprop with momentum, Adam's first moment m.
    pub fn velocity(&self) -> Option<Vec2> {
        match self {
            Self::Sgd(o) => o.state.momentum_buffer,
            Self::Rmsprop(o) if o.config.momentum > 0.0 && o.state.step > 0.0 => {
                Some(o.state.momentum_buffer)
            }
            Self::Adam(o) if o.state.step > 0.0 => Some(o.state.exp_avg),
            Self::Adagrad(_) | Self::Rmsprop(_) | Self::Adam(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(x: f64, y: f64) -> Vec2 {
        Vec2::new(x, y)
    }

    fn make(kind: OptimizerKind, f: impl Fn(&mut Hyper)) -> Optimizer {
        let mut h = kind.defaults();
        f(&mut h);
        Optimizer::new(kind, &h).unwrap()
    }

    /// The seeds' single updates, worked by hand: w − η·g.
    #[test]
    fn plain_sgd_is_w_minus_lr_times_gradient() {
        let mut o = make(OptimizerKind::Sgd, |_| {});
        let w = o.step(v(6.0, 0.0), v(8.0, 0.0), 0.3);
        assert!((w.x - 3.6).abs() < 1e-15);
        assert_eq!(w.x, (-0.3f64).mul_add(8.0, 6.0));
        let w = o.step(v(2.5, 0.0), v(0.8, 0.0), 10.0);
        assert_eq!(w.x, -5.5);
        let w = o.step(v(2.5, 0.0), v(0.8, 0.0), 0.1);
        assert!((w.x - 2.42).abs() < 1e-15);
    }

    /// SGD(momentum=0.9, dampening=0.5): b₁ = g₁ (no dampening), then b₂ = 0.9·b₁ + 0.5·g₂.
    #[test]
    fn momentum_buffer_starts_as_the_gradient_then_dampens() {
        let mut o = make(OptimizerKind::Momentum, |h| h.dampening = 0.5);
        let w1 = o.step(v(1.0, 2.0), v(2.0, -4.0), 0.1);
        assert_eq!(w1, v(0.8, 2.4));
        let w2 = o.step(w1, v(1.0, 1.0), 0.1);
        // b₂ = (1.8 + 0.5, −3.6 + 0.5): exact in binary up to the last bits.
        let b2 = o.velocity().unwrap();
        assert!((b2 - v(2.3, -3.1)).norm() < 1e-15);
        assert!((w2 - v(0.8 - 0.23, 2.4 + 0.31)).norm() < 1e-15);
    }

    /// Nesterov: θ ← θ − γ(g + μ·b), with b = g on the first step: θ₁ = θ₀ − γ·1.9·g₁.
    #[test]
    fn nesterov_looks_ahead_along_the_buffer() {
        let mut o = make(OptimizerKind::Nesterov, |_| {});
        let w1 = o.step(v(1.0, 1.0), v(1.0, 2.0), 0.1);
        assert!((w1 - v(1.0 - 0.19, 1.0 - 0.38)).norm() < 1e-15);
        // Second step, g = 0: b = 0.9·b₁, and the step is γ·μ·b.
        let w2 = o.step(w1, v(0.0, 0.0), 0.1);
        assert!((w2 - (w1 - v(0.1 * 0.81, 0.1 * 1.62))).norm() < 1e-15);
    }

    /// SGD weight decay adds λθ to the gradient: 1 − 0.1·(2 + 0.5·1) = 0.75.
    #[test]
    fn sgd_weight_decay_is_l2_in_the_gradient() {
        let mut o = make(OptimizerKind::Sgd, |h| h.weight_decay = 0.5);
        let w = o.step(v(1.0, 0.0), v(2.0, 0.0), 0.1);
        assert!((w.x - 0.75).abs() < 1e-15);
    }

    /// AdaGrad, two steps by hand: sum = Σg², θ ← θ − lr·g/(√sum + ε).
    #[test]
    fn adagrad_first_steps_by_hand() {
        let mut o = make(OptimizerKind::Adagrad, |h| h.eps = 0.0);
        // g = (3, −4): √sum = |g|, so each coordinate moves by lr·sign(g).
        let w1 = o.step(v(0.0, 0.0), v(3.0, -4.0), 0.5);
        assert_eq!(w1, v(-0.5, 0.5));
        // Second step: sum = 9 + 16 = 25 in x (g = 4), 16 + 9 = 25 in y (g = 3).
        let w2 = o.step(w1, v(4.0, 3.0), 0.5);
        assert_eq!(w2, v(-0.5 - 0.4, 0.5 - 0.3));
    }

    /// lr_decay: the t-th step uses lr / (1 + (t − 1)·lr_decay); the sum starts at τ.
    #[test]
    fn adagrad_lr_decay_and_initial_accumulator() {
        let mut o = make(OptimizerKind::Adagrad, |h| {
            h.lr_decay = 1.0;
            h.initial_accumulator_value = 16.0;
            h.eps = 0.0;
        });
        let w1 = o.step(v(0.0, 0.0), v(3.0, 0.0), 1.0);
        assert_eq!(w1.x, -0.6); // √(16 + 9) = 5, clr = 1
        let w2 = o.step(w1, v(0.0, 0.0), 1.0);
        assert_eq!(w2.x, w1.x); // zero gradient, no move
        let w3 = o.step(w2, v(0.0, 0.0), 1.0);
        assert_eq!(w3.x, w2.x);
        let mut o = make(OptimizerKind::Adagrad, |h| {
            h.lr_decay = 1.0;
            h.initial_accumulator_value = 16.0;
            h.eps = 0.0;
        });
        o.step(v(0.0, 0.0), v(0.0, 0.0), 1.0);
        let w = o.step(v(0.0, 0.0), v(3.0, 0.0), 1.0);
        assert_eq!(w.x, -0.3); // t = 2: clr = 1/(1 + 1) = 0.5, √25 = 5
    }

    /// RMSprop, one step by hand: v = (1 − α)g², θ ← θ − lr·g/(√v + ε) = θ − lr/√(1 − α).
    #[test]
    fn rmsprop_first_step_by_hand() {
        let mut o = make(OptimizerKind::Rmsprop, |h| h.eps = 0.0);
        let w1 = o.step(v(1.0, 1.0), v(2.0, 0.0), 0.01);
        assert!((w1.x - (1.0 - 0.01 / 0.01f64.sqrt())).abs() < 1e-15);
        // Zero gradient and ε = 0: 0/0 is NaN, as in torch; with torch's ε it is 0.
        assert!(w1.y.is_nan());
        let mut o = make(OptimizerKind::Rmsprop, |_| {});
        assert_eq!(o.step(v(1.0, 1.0), v(2.0, 0.0), 0.01).y, 1.0);
    }

    /// Centered RMSprop subtracts the squared running mean: √(v − ḡ²) + ε; with momentum the
    /// buffer collects g/avg.
    #[test]
    fn rmsprop_centered_and_momentum_by_hand() {
        let mut o = make(OptimizerKind::Rmsprop, |h| {
            h.centered = true;
            h.momentum = 0.5;
            h.alpha = 0.75;
            h.eps = 0.0;
        });
        // v = 0.25·4 = 1, ḡ = 0.25·2 = 0.5, avg = √(1 − 0.25) = √0.75.
        let w1 = o.step(v(0.0, 0.0), v(2.0, 0.0), 0.1);
        let buf = 2.0 / 0.75f64.sqrt();
        assert!((o.velocity().unwrap().x - buf).abs() < 1e-15);
        assert!((w1.x + 0.1 * buf).abs() < 1e-15);
    }

    /// Adam's first step moves each coordinate by lr·sign(g), up to ε: m̂ = g, v̂ = g².
    #[test]
    fn adam_first_step_by_hand() {
        let mut o = make(OptimizerKind::Adam, |_| {});
        let w1 = o.step(v(1.0, -1.0), v(0.5, -2.0), 0.1);
        assert!((w1 - v(0.9, -0.9)).norm() < 1e-7);
        let Optimizer::Adam(a) = &o else { panic!() };
        assert!((a.state.exp_avg - v(0.05, -0.2)).norm() < 1e-15);
        assert!((a.state.exp_avg_sq - v(0.00025, 0.004)).norm() < 1e-15);
        assert_eq!(a.state.step, 1.0);
        // Second step with the same gradient: still lr·sign(g) (m̂ = g, v̂ = g² again).
        let w2 = o.step(w1, v(0.5, -2.0), 0.1);
        assert!((w2 - v(0.8, -0.8)).norm() < 1e-7);
    }

    /// AdamW shrinks θ by (1 − lr·λ) before the moments; Adam adds λθ to g instead.
    #[test]
    fn adamw_decouples_weight_decay() {
        let mut o = make(OptimizerKind::Adamw, |_| {});
        let w1 = o.step(v(2.0, 0.0), v(0.0, 0.0), 0.1);
        // Zero gradient: only the decay moves θ: 2·(1 − 0.1·0.01).
        assert_eq!(w1.x, 2.0 * (1.0 - 0.1 * 0.01));
        let mut o = make(OptimizerKind::Adam, |h| h.weight_decay = 0.01);
        let w1 = o.step(v(2.0, 0.0), v(0.0, 0.0), 0.1);
        // Adam: g = 0.02, so the first step is ≈ lr·sign(g) = 0.1.
        assert!((w1.x - 1.9).abs() < 1e-6);
    }

    /// AMSGrad normalizes by the largest v seen: after a large gradient, a small one moves less.
    #[test]
    fn amsgrad_keeps_the_maximum_second_moment() {
        let mut a = make(OptimizerKind::Amsgrad, |_| {});
        let mut b = make(OptimizerKind::Adam, |_| {});
        let (mut wa, mut wb) = (v(0.0, 0.0), v(0.0, 0.0));
        for g in [10.0, 0.1, 0.1] {
            wa = a.step(wa, v(g, 0.0), 0.1);
            wb = b.step(wb, v(g, 0.0), 0.1);
        }
        let Optimizer::Adam(a) = a else { panic!() };
        let Optimizer::Adam(b) = b else { panic!() };
        assert_eq!(a.state.exp_avg_sq, b.state.exp_avg_sq);
        assert!(a.state.max_exp_avg_sq.x > a.state.exp_avg_sq.x);
        assert!((a.state.max_exp_avg_sq.x - 0.1).abs() < 1e-15);
        assert!(wa.x.abs() < wb.x.abs());
    }

    #[test]
    fn torch_value_errors() {
        let bad = |kind: OptimizerKind, f: fn(&mut Hyper)| {
            let mut h = kind.defaults();
            f(&mut h);
            Optimizer::new(kind, &h).unwrap_err().0
        };
        assert!(bad(OptimizerKind::Sgd, |h| h.lr = -0.1).contains("learning rate"));
        assert!(bad(OptimizerKind::Sgd, |h| h.lr = f64::NAN).contains("finite"));
        assert!(bad(OptimizerKind::Adam, |h| h.beta1 = 1.0).contains("[0, 1)"));
        assert!(bad(OptimizerKind::Adam, |h| h.beta2 = -0.1).contains("[0, 1)"));
        assert!(bad(OptimizerKind::Nesterov, |h| h.momentum = 0.0).contains("Nesterov"));
        assert!(bad(OptimizerKind::Nesterov, |h| h.dampening = 0.1).contains("Nesterov"));
        assert!(bad(OptimizerKind::Rmsprop, |h| h.alpha = -1.0).contains("alpha"));
        assert!(bad(OptimizerKind::Adagrad, |h| h.eps = -1.0).contains("eps"));
    }

    #[test]
    fn patches_apply_only_where_they_belong() {
        let p = HyperPatch {
            lr: Some(0.5),
            beta1: Some(0.8),
            ..HyperPatch::default()
        };
        let h = p.apply(OptimizerKind::Adam).unwrap();
        assert_eq!((h.lr, h.beta1, h.beta2), (0.5, 0.8, 0.999));
        let e = p.apply(OptimizerKind::Sgd).unwrap_err().0;
        assert!(
            e.contains("--beta1 does not apply to sgd") && e.contains("--momentum"),
            "{e}"
        );
        assert_eq!(
            p.restricted_to(OptimizerKind::Sgd).set_params(),
            vec![HyperParam::Lr]
        );
    }

    #[test]
    fn lerp_matches_aten_on_both_branches() {
        assert_eq!(lerp(1.0, 3.0, 0.25), 1.0 + 0.25 * 2.0);
        assert_eq!(lerp(1.0, 3.0, 0.75), 3.0 - 2.0 * 0.25);
    }

    /// torch's `param.add_(grad, alpha=−lr)` rounds once (a fused multiply-add): the bowl's
    /// third step gives w1 = −0.01599999999999999, where θ − lr·g would round twice to
    /// −0.015999999999999986.
    #[test]
    fn add_with_alpha_rounds_once_like_torch() {
        let (w, g) = (0.07999999999999996, 0.6399999999999997);
        assert_eq!(add_alpha(w, g, -0.15), -0.01599999999999999);
        assert_eq!(w + -0.15 * g, -0.015999999999999986);
    }

    #[test]
    fn names_round_trip() {
        for k in OptimizerKind::ALL {
            assert_eq!(OptimizerKind::from_name(k.name()), Some(k));
        }
    }
}
