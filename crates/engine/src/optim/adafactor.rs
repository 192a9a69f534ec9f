//! Adafactor: `torch.optim.Adafactor` (Shazeer and Stern, 2018), a relative step size
//! ρ_t = min(γ, 1/√t) scaled by the parameters' RMS, normalized by a second moment whose
//! decay 1 − t^τ grows with t, and clipped so the update's RMS stays below d.
//!
//! ```text
//! input: γ (lr), τ (β₂ decay), θ₀ (params), f(θ) (objective),
//!        ε₁, ε₂ (epsilons), d (clipping threshold), λ (weight decay)
//! initialize: V̂₀ ← 0 (second moment for vectors; a matrix keeps row and column factors)
//! for t = 1 to … do
//!     G_t ← ∇f(θ_{t−1})
//!     β̂₂_t ← 1 − t^τ
//!     ρ_t ← min(γ, 1/√t)
//!     α_t ← max(ε₂, RMS(θ_{t−1}))·ρ_t
//!     θ_t ← θ_{t−1} − γλθ_{t−1}
//!     V̂_t ← β̂₂_t V̂_{t−1} + (1 − β̂₂_t)(G_t ⊙ G_t)      (dim(G) = 1: unfactored)
//!     U_t ← G_t / max(√V̂_t, ε₁)
//!     Û_t ← U_t / max(1, RMS(U_t)/d)
//!     θ_t ← θ_t − α_t Û_t
//! return θ_t
//! ```
//!
//! The point is a 2-vector, so torch keeps the unfactored `variance` (its row and column
//! factors are for parameters of two or more dimensions): there is no factoring to show.
//!
//! torch's `eps` is the pair (ε₁, ε₂): ε₁ is `--eps` (the table's ε, with torch's default
//! None, meaning `torch.finfo(float64).eps` = 2.220446049250313e-16), ε₂ is `--eps2`
//! (1e-3).
//!
//! Parity notes: mirrors `_single_tensor_adafactor`. The float step counter; `t ** τ` and
//! `t ** 0.5` are Python's float pow (the C library's `pow`, as `f64::powf` calls it);
//! `min(γ, 1 / t**0.5)` and `max(ε₂, …)` are Python's (the first argument on a tie);
//! RMS(θ) = `param.norm(2).item() / 2**0.5`, the norm √(θ₀² + θ₁²) with each square rounded;
//! `param.mul_(1 − γλ)`; `variance.lerp_(g*g, t^τ)` ([`super::lerp`]);
//! `clamp_(min=ε₁·ε₁).rsqrt_()` as 1/√v, two roundings; `update.mul_(grad)`;
//! `denom = max(1.0, ‖U‖ / (2**0.5 · d))`; `param.add_(update, alpha=−α/denom)`, fused.

use super::{
    Family, Hyper, HyperParam, KindInfo, NetRefused, OptimError, Optimizer, Vec2, lerp, zip,
};
use crate::net::optimizer::NetOptimizer;
use crate::net::spec::Layer;

/// `adafactor`: `torch.optim.Adafactor`.
pub const ADAFACTOR: KindInfo = KindInfo {
    name: "adafactor",
    label: "Adafactor",
    short_label: "Adafactor",
    torch: "torch.optim.Adafactor (eps = (--eps, --eps2))",
    params: {
        use HyperParam::*;
        &[Lr, Beta2Decay, Eps, Eps2, D, WeightDecay]
    },
    defaults: Hyper {
        lr: 1e-2,
        eps: f64::EPSILON,
        ..Hyper::TORCH
    },
    domains: &[],
    build,
    net_lr: Some(0.03),
};

/// Adafactor from hyper-parameters that passed the table's checks, with torch's checks of
/// β₂ decay and d.
fn build(h: &Hyper) -> Result<Optimizer, OptimError> {
    // Finite here (the table checks it), so the comparisons are torch's negated ones.
    if h.beta2_decay > 0.0 {
        return Err(OptimError(format!(
            "beta2_decay should be <= 0 but is: {}",
            h.beta2_decay
        )));
    }
    if h.d < 1.0 {
        return Err(OptimError(format!(
            "Clipping threshold d should be >= 1 but is: {}",
            h.d
        )));
    }
    Ok(Optimizer::Adafactor(Adafactor::new(AdafactorConfig {
        beta2_decay: h.beta2_decay,
        eps1: h.eps,
        eps2: h.eps2,
        d: h.d,
        weight_decay: h.weight_decay,
    })))
}

/// Hyper-parameters of `torch.optim.Adafactor`, with torch's names (`eps` as its pair).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdafactorConfig {
    /// τ: β̂₂_t = 1 − t^τ.
    pub beta2_decay: f64,
    /// ε₁: the smallest √V̂ divided by.
    pub eps1: f64,
    /// ε₂: the smallest parameter RMS the step is scaled by.
    pub eps2: f64,
    /// d: the clipping threshold of the update's RMS.
    pub d: f64,
    /// λ: decoupled weight decay, θ ← θ(1 − γλ).
    pub weight_decay: f64,
}

/// State of Adafactor, named as torch names it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AdafactorState {
    /// t: number of updates taken.
    pub step: f64,
    /// V̂: the unfactored second moment of the 2-vector.
    pub variance: Vec2,
}

/// Adafactor with its configuration and state.
#[derive(Clone, Debug, PartialEq)]
pub struct Adafactor {
    pub config: AdafactorConfig,
    pub state: AdafactorState,
}

/// `Tensor.norm(2)` of a 2-vector: √(x₀² + x₁²), each square rounded.
#[inline(always)]
pub(crate) fn norm2(v: Vec2) -> f64 {
    (v.x * v.x + v.y * v.y).sqrt()
}

/// One step's figures, for the explanation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdafactorStep {
    /// 1 − β̂₂_t = t^τ.
    pub one_minus_beta2_t: f64,
    /// ρ_t = min(γ, 1/√t).
    pub rho_t: f64,
    /// α_t = max(ε₂, RMS(θ))·ρ_t.
    pub alpha: f64,
    /// U_t = G_t / max(√V̂_t, ε₁).
    pub update: Vec2,
    /// max(1, RMS(U_t)/d).
    pub denom: f64,
}

impl Adafactor {
    pub fn new(config: AdafactorConfig) -> Self {
        Self {
            config,
            state: AdafactorState::default(),
        }
    }

    /// The figures of the next update from `w` with `grad`, without taking it.
    pub fn figures(&self, w: Vec2, grad: Vec2, lr: f64) -> (AdafactorStep, Vec2) {
        let c = self.config;
        let t = self.state.step + 1.0;
        let one_minus_beta2_t = t.powf(c.beta2_decay);
        let r = 1.0 / t.powf(0.5);
        let rho_t = if r < lr { r } else { lr };
        let sqrt_numel = 2f64.powf(0.5);
        let rms = norm2(w) / sqrt_numel;
        let alpha = if rms > c.eps2 { rms } else { c.eps2 } * rho_t;
        let variance = zip(self.state.variance, grad, |v, g| {
            lerp(v, g * g, one_minus_beta2_t)
        });
        let floor = c.eps1 * c.eps1;
        let update = zip(variance, grad, |v, g| {
            // clamp_(min=…) keeps a NaN.
            let v = if v < floor { floor } else { v };
            (1.0 / v.sqrt()) * g
        });
        let q = norm2(update) / (sqrt_numel * c.d);
        let denom = if q > 1.0 { q } else { 1.0 };
        (
            AdafactorStep {
                one_minus_beta2_t,
                rho_t,
                alpha,
                update,
                denom,
            },
            variance,
        )
    }
}

/// Adafactor carries a second moment, not a direction; on a network it steps tensor by tensor.
impl Family for Adafactor {
    #[inline]
    fn step(&mut self, w: Vec2, grad: Vec2, lr: f64) -> Vec2 {
        let c = self.config;
        let (f, variance) = self.figures(w, grad, lr);
        self.state.step += 1.0;
        self.state.variance = variance;
        let mut p = w;
        if c.weight_decay != 0.0 {
            let k = 1.0 - lr * c.weight_decay;
            p *= k;
        }
        let a = -f.alpha / f.denom;
        Vec2::new(a.mul_add(f.update.x, p.x), a.mul_add(f.update.y, p.y))
    }

    fn network(&self, layers: &[Layer]) -> Result<NetOptimizer, NetRefused> {
        Ok(NetOptimizer::per_tensor(self.config, layers))
    }
}

/// Adafactor on one parameter tensor of a network (torch steps every tensor of
/// `model.parameters()` on its own: its own t, RMS, clipping): a weight matrix keeps the row
/// and column factors of its second moment, a bias vector the unfactored V̂.
///
/// ```text
/// W (r×c):  R_i ← lerp(R_i, ‖G_i,:‖²/c, t^τ)       C_j ← lerp(C_j, ‖G_:,j‖²/r, t^τ)
///           V̂_ij = R_i·C_j / max(mean(R), ε₁)
/// b (n):    V̂_k ← lerp(V̂_k, G_k², t^τ)
/// ```
///
/// Parity notes: `_single_tensor_adafactor` of torch 2.15 for `grad.dim() > 1` and for
/// vectors; `vector_norm(…).square_().div_(n)` as the norm (summed in index order, as no
/// order reproduces ATen's vectorized one to the bit), its square, then the quotient;
/// `row_var @ col_var` of an r×1 and a 1×c tensor is one product per entry;
/// `row_var.mean(dim=-2)` is the sum over rows divided by r, clamped below at ε₁ (a NaN
/// kept); RMS(θ) and the clipping use the tensor's own `numel() ** 0.5`.
#[derive(Clone, Debug, PartialEq)]
pub struct AdafactorTensor {
    pub config: AdafactorConfig,
    /// (rows, columns) of a weight matrix, row-major; `None` for a vector.
    shape: Option<(usize, usize)>,
    /// t, counted as torch's float step.
    pub step: f64,
    /// R: the second moment's row factor (a matrix's).
    pub row_var: Vec<f64>,
    /// C: its column factor (a matrix's).
    pub col_var: Vec<f64>,
    /// V̂: a vector's unfactored second moment.
    pub variance: Vec<f64>,
    /// U of the last update, G / max(√V̂, ε₁) (kept between steps: no allocation per step).
    pub update: Vec<f64>,
    /// ρ_t, α_t and the clipping max(1, RMS(U)/d) of the last update, for the explanation.
    pub last: (f64, f64, f64),
}

/// `Tensor.norm(2)` of a slice: √Σx², summed in index order.
fn norm(v: impl Iterator<Item = f64>) -> f64 {
    v.map(|x| x * x).sum::<f64>().sqrt()
}

impl AdafactorTensor {
    /// Adafactor at step 0 for a tensor of `len` numbers, of `shape` (rows, columns) when it
    /// is a matrix.
    pub fn new(config: AdafactorConfig, len: usize, shape: Option<(usize, usize)>) -> Self {
        let (rows, cols, vector) = match shape {
            Some((r, c)) => (r, c, 0),
            None => (0, 0, len),
        };
        Self {
            config,
            shape,
            step: 0.0,
            row_var: vec![0.0; rows],
            col_var: vec![0.0; cols],
            variance: vec![0.0; vector],
            update: vec![0.0; len],
            last: (f64::NAN, f64::NAN, f64::NAN),
        }
    }

    /// (rows, columns) of a weight matrix; `None` for a vector.
    pub fn shape(&self) -> Option<(usize, usize)> {
        self.shape
    }

    /// One update of the tensor `p` with its gradient `g` at learning rate `lr`, in place.
    pub fn step(&mut self, p: &mut [f64], g: &[f64], lr: f64) {
        let c = self.config;
        self.step += 1.0;
        let t = self.step;
        let one_minus_beta2_t = t.powf(c.beta2_decay);
        let r = 1.0 / t.powf(0.5);
        let rho_t = if r < lr { r } else { lr };
        let sqrt_numel = (p.len() as f64).powf(0.5);
        let rms = norm(p.iter().copied()) / sqrt_numel;
        let alpha = if rms > c.eps2 { rms } else { c.eps2 } * rho_t;
        if c.weight_decay != 0.0 {
            let k = 1.0 - lr * c.weight_decay;
            p.iter_mut().for_each(|v| *v *= k);
        }
        let floor = c.eps1 * c.eps1;
        // clamp_(min=ε₁²) keeps a NaN; then rsqrt, times the gradient.
        let scaled = |v: f64, g: f64| {
            let v = if v < floor { floor } else { v };
            (1.0 / v.sqrt()) * g
        };
        match self.shape {
            Some((rows, cols)) => {
                for (i, rv) in self.row_var.iter_mut().enumerate() {
                    let n = norm(g[i * cols..(i + 1) * cols].iter().copied());
                    *rv = lerp(*rv, n * n / cols as f64, one_minus_beta2_t);
                }
                for (j, cv) in self.col_var.iter_mut().enumerate() {
                    let n = norm((0..rows).map(|i| g[i * cols + j]));
                    *cv = lerp(*cv, n * n / rows as f64, one_minus_beta2_t);
                }
                let mean = self.row_var.iter().sum::<f64>() / rows as f64;
                let mean = if mean < c.eps1 { c.eps1 } else { mean };
                for (k, u) in self.update.iter_mut().enumerate() {
                    let v = self.row_var[k / cols] * self.col_var[k % cols] / mean;
                    *u = scaled(v, g[k]);
                }
            }
            None => {
                for ((v, u), g) in self.variance.iter_mut().zip(&mut self.update).zip(g) {
                    *v = lerp(*v, g * g, one_minus_beta2_t);
                    *u = scaled(*v, *g);
                }
            }
        }
        let q = norm(self.update.iter().copied()) / (sqrt_numel * c.d);
        let denom = if q > 1.0 { q } else { 1.0 };
        self.last = (rho_t, alpha, denom);
        let a = -alpha / denom;
        for (p, u) in p.iter_mut().zip(&self.update) {
            *p = a.mul_add(*u, *p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On a vector of two the tensor version is the two-weight one, to the bit.
    #[test]
    fn a_two_vector_tensor_steps_as_the_two_weight_adafactor() {
        let Ok(Optimizer::Adafactor(mut two)) = Optimizer::new(
            crate::optim::OptimizerKind::Adafactor,
            &crate::optim::OptimizerKind::Adafactor.defaults(),
        ) else {
            panic!()
        };
        let mut tensor = AdafactorTensor::new(two.config, 2, None);
        let (mut w, mut p) = (Vec2::new(0.3, -1.7), [0.3, -1.7]);
        for k in 0..20 {
            let g = Vec2::new((k as f64).sin(), 0.5 - 0.1 * k as f64);
            w = two.step(w, g, 0.05);
            tensor.step(&mut p, &[g.x, g.y], 0.05);
            assert_eq!(
                (w.x.to_bits(), w.y.to_bits()),
                (p[0].to_bits(), p[1].to_bits())
            );
        }
    }
    use crate::optim::{Arithmetic, OptimizerKind};

    fn adafactor(f: impl Fn(&mut Hyper)) -> Result<Optimizer, OptimError> {
        let mut h = OptimizerKind::Adafactor.defaults();
        f(&mut h);
        Optimizer::new(OptimizerKind::Adafactor, &h)
    }

    /// torch's defaults: lr 1e-2, β₂ decay −0.8, eps (None → finfo(float64).eps, 1e-3), d 1,
    /// weight decay 0.
    #[test]
    fn defaults() {
        let h = OptimizerKind::Adafactor.defaults();
        assert_eq!(
            (h.lr, h.beta2_decay, h.eps, h.eps2, h.d, h.weight_decay),
            (1e-2, -0.8, 2.220446049250313e-16, 1e-3, 1.0, 0.0)
        );
        assert!(adafactor(|_| {}).is_ok());
    }

    /// torch's `ValueError`s, one by one.
    #[test]
    fn refuses_what_torch_refuses() {
        let bad = |f: fn(&mut Hyper)| adafactor(f).unwrap_err().0;
        assert!(bad(|h| h.lr = -1.0).contains("learning rate"));
        assert!(bad(|h| h.beta2_decay = 0.5).contains("beta2_decay should be <= 0"));
        assert!(bad(|h| h.eps = -1.0).contains("eps"));
        assert!(bad(|h| h.eps2 = -1.0).contains("eps2"));
        assert!(bad(|h| h.d = 0.5).contains("Clipping threshold d should be >= 1"));
        assert!(bad(|h| h.weight_decay = -0.1).contains("weight_decay"));
        assert!(adafactor(|h| h.beta2_decay = 0.0).is_ok());
        let o = adafactor(|_| {}).unwrap();
        assert!(o.with_arithmetic(Arithmetic::AsWritten).is_err());
    }

    /// The first step: V̂ = g² (t^τ = 1), U = sign(g), RMS(U) = 1 so no clipping, and the
    /// step is α = max(ε₂, RMS(θ))·min(γ, 1) along −sign(g).
    #[test]
    fn first_step_by_hand() {
        let Ok(Optimizer::Adafactor(mut o)) = adafactor(|_| {}) else {
            panic!()
        };
        let w = Vec2::new(3.0, 4.0);
        let next = o.step(w, Vec2::new(2.0, -1.0), 0.1);
        // RMS(θ) = 5/√2, α = 0.1·5/√2.
        let alpha = 5.0 / 2f64.sqrt() * 0.1;
        assert!((next - Vec2::new(3.0 - alpha, 4.0 + alpha)).norm() < 1e-15);
        assert_eq!(o.state.variance, Vec2::new(4.0, 1.0));
        assert_eq!(o.state.step, 1.0);
    }
}
