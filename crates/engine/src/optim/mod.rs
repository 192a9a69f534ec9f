//! Optimizers with torch.optim's update rules, defaults, state and order of operations.
//!
//! One file per family, listed once in the table below: [`sgd`] (SGD, momentum, Nesterov),
//! [`adagrad`], [`rmsprop`], [`adam`] (Adam, AdamW, AMSGrad), [`nadam`], [`radam`], [`adamax`],
//! [`adadelta`], [`rprop`], [`asgd`], [`lbfgs`] (it evaluates the landscape at its line search's
//! trial points), [`adafactor`], [`muon`] and [`newton`] (not torch: the exact Hessian's step).
//! Each file documents the rule it implements in torch's pseudo-code and the torch function
//! whose floating-point operations it mirrors, so a trajectory agrees with torch's to the last
//! bits f64 allows, and holds the descriptors ([`KindInfo`]) of the names it serves and its
//! [`Family`] implementation: what an update needs from the run, what it carries, which
//! arithmetic it computes with, how it trains a network. Its update written out is beside it
//! in `teach/explain/`.
//!
//! The user-facing names (`sgd`, `momentum`, `nesterov`, `adagrad`, `rmsprop`, `adam`, `adamw`,
//! `amsgrad`, `nadam`, `radam`, `adamax`, `adadelta`, `rprop`, `asgd`, `lbfgs`, `adafactor`,
//! `muon`, `newton`) are [`OptimizerKind`]s; their hyper-parameters are one flat [`Hyper`] with
//! torch's names and defaults, generated from the one table in [`hyper`] and validated by
//! [`Optimizer::new`] with torch's own checks. Adding an optimizer is its file, its `pub mod`
//! and one line in the table (plus its explanation's file and its torch references).

mod arith;
mod family;
pub mod hyper;
pub mod kind;
#[macro_use]
mod table;

pub use arith::Arithmetic;
pub(crate) use arith::{add_alpha, addcdiv, addcmul, average, average_sq, lerp, weight_decay, zip};
pub use family::{Family, Needs, NetRefused};
pub use hyper::{
    Domain, Hyper, HyperInfo, HyperKind, HyperParam, HyperPatch, HyperValue, SliderRange,
};
pub use kind::KindInfo;

pub use adafactor::{AdafactorConfig, AdafactorTensor};
pub use lbfgs::{ClosureFailed, ClosureStep, Flat, LbfgsConfig};
pub use newton::Singular;

pub use crate::geometry::Vec2;

// The families, one file each, in the table's order.
pub mod adadelta;
pub mod adafactor;
pub mod adagrad;
pub mod adam;
pub mod adamax;
pub mod asgd;
pub mod lbfgs;
pub mod muon;
pub mod nadam;
pub mod newton;
pub mod radam;
pub mod rmsprop;
pub mod rprop;
pub mod sgd;

// The optimizer table: every family (its module and type) with the names it serves (the
// `OptimizerKind` variant and the descriptor in the family's file), in the order menus list
// them. It generates `OptimizerKind` (with `ALL` and `info`), `Optimizer` (an enum
// of the families) and `Optimizer`'s dispatch through `Family`.
optimizers! {
    sgd::Sgd { Sgd => SGD, Momentum => MOMENTUM, Nesterov => NESTEROV },
    adagrad::Adagrad { Adagrad => ADAGRAD },
    rmsprop::Rmsprop { Rmsprop => RMSPROP },
    adam::Adam { Adam => ADAM, Adamw => ADAMW, Amsgrad => AMSGRAD },
    nadam::Nadam { Nadam => NADAM },
    radam::Radam { Radam => RADAM },
    adamax::Adamax { Adamax => ADAMAX },
    adadelta::Adadelta { Adadelta => ADADELTA },
    rprop::Rprop { Rprop => RPROP },
    asgd::Asgd { Asgd => ASGD },
    lbfgs::Lbfgs { Lbfgs => LBFGS },
    adafactor::Adafactor { Adafactor => ADAFACTOR },
    muon::Muon { Muon => MUON },
    newton::Newton { Newton => NEWTON },
}

/// A hyper-parameter value that torch would refuse.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct OptimError(pub String);

impl Optimizer {
    /// Builds `kind` from `hyper`, with torch's `ValueError` checks (and finiteness): each
    /// hyper-parameter's own from the table, then the optimizer's checks across them.
    pub fn new(kind: OptimizerKind, hyper: &Hyper) -> Result<Self, OptimError> {
        for &p in kind.params() {
            if let HyperValue::Number(v) = p.get(hyper) {
                p.check_in(v, kind.domain(p)).map_err(OptimError)?;
            }
        }
        (kind.info().build)(hyper)
    }

    /// Whether an update needs the Hessian at the current point (Newton's method): a caller
    /// computes it only then, so first-order runs pay nothing for it.
    #[inline(always)]
    pub fn needs_hessian(&self) -> bool {
        self.needs() == Needs::Hessian
    }

    /// Whether an update calls the landscape itself (L-BFGS: its closure, evaluated at the
    /// line search's trial points): a caller steps it with
    /// [`step_with_closure`](Self::step_with_closure).
    #[inline(always)]
    pub fn needs_closure(&self) -> bool {
        self.needs() == Needs::Closure
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::Matrix2;

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

    /// torch's defaults of the seven optimizers of issue 18 (and Newton's η = 1).
    #[test]
    fn new_optimizers_take_torchs_defaults() {
        use OptimizerKind::*;
        let d = |k: OptimizerKind| k.defaults();
        assert_eq!((d(Nadam).lr, d(Nadam).momentum_decay), (2e-3, 4e-3));
        assert!(!d(Nadam).decoupled_weight_decay);
        assert_eq!(
            (d(Radam).lr, d(Radam).beta1, d(Radam).beta2),
            (1e-3, 0.9, 0.999)
        );
        assert_eq!((d(Adamax).lr, d(Adamax).eps), (2e-3, 1e-8));
        assert_eq!(
            (d(Adadelta).lr, d(Adadelta).rho, d(Adadelta).eps),
            (1.0, 0.9, 1e-6)
        );
        let r = d(Rprop);
        assert_eq!(
            (
                r.lr,
                r.eta_minus,
                r.eta_plus,
                r.step_size_min,
                r.step_size_max
            ),
            (1e-2, 0.5, 1.2, 1e-6, 50.0)
        );
        let a = d(Asgd);
        assert_eq!(
            (a.lr, a.lambd, a.alpha, a.t0, a.weight_decay),
            (1e-2, 1e-4, 0.75, 1e6, 0.0)
        );
        assert_eq!(d(Newton).lr, 1.0);
        assert_eq!(Newton.params(), &[HyperParam::Lr]);
        for k in [Nadam, Radam, Adamax, Adadelta, Rprop, Asgd, Newton] {
            assert!(Optimizer::new(k, &k.defaults()).is_ok(), "{k}");
        }
    }

    /// torch's `ValueError`s of the new optimizers, refused with one-line messages; ASGD's α
    /// is a power torch does not check, RMSprop's a share in [0, 1].
    #[test]
    fn new_optimizers_refuse_what_torch_refuses() {
        let bad = |kind: OptimizerKind, f: fn(&mut Hyper)| {
            let mut h = kind.defaults();
            f(&mut h);
            let e = Optimizer::new(kind, &h).unwrap_err().0;
            assert!(!e.contains('\n'), "{e}");
            e
        };
        use OptimizerKind::*;
        assert!(bad(Nadam, |h| h.momentum_decay = -1.0).contains("momentum_decay"));
        assert!(bad(Nadam, |h| h.beta1 = 1.0).contains("[0, 1)"));
        assert!(bad(Radam, |h| h.beta2 = 1.0).contains("[0, 1)"));
        assert!(bad(Radam, |h| h.weight_decay = -0.1).contains("weight_decay"));
        assert!(bad(Adamax, |h| h.eps = -1.0).contains("eps"));
        assert!(bad(Adadelta, |h| h.rho = 1.5).contains("rho must be in [0, 1]"));
        assert!(bad(Adadelta, |h| h.lr = -1.0).contains("learning rate"));
        assert!(bad(Rprop, |h| h.eta_minus = 1.5).contains("0 < eta_minus < 1 < eta_plus"));
        assert!(bad(Rprop, |h| h.eta_plus = 0.9).contains("0 < eta_minus < 1 < eta_plus"));
        assert!(bad(Rprop, |h| h.eta_minus = 0.0).contains("eta_minus"));
        assert!(bad(Asgd, |h| h.lr = -1.0).contains("learning rate"));
        assert!(bad(Asgd, |h| h.t0 = f64::INFINITY).contains("finite"));
        assert!(bad(Newton, |h| h.lr = f64::NAN).contains("finite"));
        let mut h = OptimizerKind::Asgd.defaults();
        h.alpha = 2.0;
        assert!(Optimizer::new(OptimizerKind::Asgd, &h).is_ok());
        assert!(bad(Rmsprop, |h| h.alpha = 2.0).contains("[0, 1]"));
        assert_eq!(
            OptimizerKind::Asgd.domain(HyperParam::Alpha),
            Some(Domain::Finite)
        );
        assert_eq!(
            OptimizerKind::Rmsprop.domain(HyperParam::Alpha),
            Some(Domain::Unit)
        );
    }

    /// Adadelta's first step by hand: Δ = √ε / √((1 − ρ)g² + ε) · g.
    #[test]
    fn adadelta_first_step_by_hand() {
        let mut o = make(OptimizerKind::Adadelta, |h| h.eps = 0.01);
        let w = o.step(v(1.0, 0.0), v(3.0, 0.0), 1.0);
        // v = 0.1·9 = 0.9, √(0.9 + 0.01) ≈ 0.954, Δ = 0.1/0.954·3.
        let delta = 0.1 / 0.91f64.sqrt() * 3.0;
        assert!((w.x - (1.0 - delta)).abs() < 1e-15, "{}", w.x);
        assert_eq!(w.y, 0.0);
    }

    /// Rprop: step sizes start at lr, grow by η₊ while the sign holds, shrink by η₋ and skip
    /// the move when it flips, and the next step after a flip counts as "zero" (g_prev = 0).
    #[test]
    fn rprop_grows_shrinks_and_skips_on_a_flip() {
        let mut o = make(OptimizerKind::Rprop, |_| {});
        let w1 = o.step(v(0.0, 0.0), v(2.0, -3.0), 0.1);
        assert_eq!(w1, v(-0.1, 0.1));
        let w2 = o.step(w1, v(5.0, 1.0), 0.1);
        // x keeps its sign: 0.1·1.2; y flips: 0.05, no move.
        assert!((w2.x - (-0.1 - 0.12)).abs() < 1e-15);
        assert_eq!(w2.y, 0.1);
        let Optimizer::Rprop(r) = &o else { panic!() };
        assert_eq!(r.state.prev.y, 0.0);
        assert!((r.state.step_size.y - 0.05).abs() < 1e-16);
        let w3 = o.step(w2, v(5.0, 1.0), 0.1);
        // y: g·prev = 0, the step size stays and the point moves by it.
        assert!((w3.y - (0.1 - 0.05)).abs() < 1e-16);
    }

    /// ASGD's η decays as γ/(1 + λγt)^α, and the first step uses η = γ.
    #[test]
    fn asgd_step_size_decays() {
        let mut o = make(OptimizerKind::Asgd, |h| h.lambd = 1.0);
        let w = o.step(v(1.0, 0.0), v(0.0, 0.0), 0.5);
        assert_eq!(w.x, 1.0 * (1.0 - 0.5)); // θ(1 − λη) with η = γ
        let Optimizer::Asgd(a) = &o else { panic!() };
        assert_eq!(a.state.eta, 0.5 / 1.5f64.powf(0.75));
        assert_eq!(a.state.mu, 1.0);
        assert_eq!(a.state.ax, w);
    }

    /// Newton lands on a quadratic's minimum in one step; a singular Hessian is refused.
    #[test]
    fn newton_solves_a_quadratic_in_one_step() {
        let mut o = make(OptimizerKind::Newton, |_| {});
        assert!(o.needs_hessian());
        let h = Matrix2::new(2.0, 0.0, 0.0, 8.0);
        let w = o.step_with_hessian(v(3.0, 2.0), v(6.0, 16.0), Some(&h), 1.0);
        assert_eq!(w, Ok(v(0.0, 0.0)));
        let singular = Matrix2::new(2.0, 0.0, 0.0, 0.0);
        let step = o.step_with_hessian(v(3.0, 2.0), v(6.0, 0.0), Some(&singular), 1.0);
        assert_eq!(step, Err(Singular));
        assert_eq!(
            o.step_with_hessian(v(3.0, 2.0), v(6.0, 0.0), None, 1.0),
            Err(Singular)
        );
        assert!(o.step(v(3.0, 2.0), v(6.0, 0.0), 1.0).x.is_nan());
        // A pivot swap: |H₁₀| > |H₀₀|.
        let h = Matrix2::new(1.0, 3.0, 3.0, 1.0);
        let d = newton::solve(&h, v(4.0, 4.0)).unwrap();
        assert!((d - v(1.0, 1.0)).norm() < 1e-15);
    }

    /// A run whose Hessian turns singular ends as diverged, without a row past it.
    #[test]
    fn newton_on_a_singular_hessian_ends_the_run_as_diverged() {
        use crate::landscape::Landscape;
        use crate::run::{Run, RunConfig, Status};
        let l = Landscape::expr("x^2").unwrap();
        let mut run = Run::new(l, &RunConfig::new(OptimizerKind::Newton), v(1.0, 1.0)).unwrap();
        let t = run.record(10);
        assert_eq!(t.status, Status::Diverged);
        assert_eq!(t.rows.len(), 1);
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
    fn names_round_trip() {
        for k in OptimizerKind::ALL {
            assert_eq!(OptimizerKind::from_name(k.name()), Some(k));
        }
    }
}
