//! Muon: `torch.optim.Muon` (Jordan et al., 2024), momentum whose update is orthogonalized by
//! a few Newton–Schulz iterations before the step. The point is the 1×2 matrix [[w0, w1]], as
//! torch requires a 2-D parameter.
//!
//! ```text
//! input: γ (lr), λ (weight decay), μ (momentum), nesterov, (a, b, c) (NS coefficients),
//!        ε (eps), k (NS steps), θ₀ (params), f(θ) (objective)
//! initialize: B₀ ← 0 (momentum buffer)
//! for t = 1 to … do
//!     g_t ← ∇f(θ_{t−1})
//!     B_t ← μB_{t−1} + (1 − μ)g_t                     (torch: buf.lerp_(g, 1 − μ))
//!     B̃_t ← g_t + μ(B_t − g_t) if nesterov, else B_t   (torch: g.lerp(buf, μ))
//!     O_t ← NS_k(B̃_t; ε):  X ← bf16(B̃)/max(‖X‖, ε)
//!                          k times: A ← XXᵀ;  B ← addmm(A, A, A, β=b, α=c) = bA + cA·A;
//!                                   X ← addmm(X, B, X, β=a) = aX + BX
//!     θ_t ← θ_{t−1}(1 − γλ)                           (decoupled weight decay)
//!     θ_t ← θ_t − γ·√max(1, rows/cols)·O_t             (= γ for a 1×2 matrix)
//! return θ_t
//! ```
//!
//! For a 1×2 matrix X = [[x0, x1]], XXᵀ is the 1×1 matrix x0² + x1² (the squared norm), so
//! each iteration scales X by p(s) = a + b·s + c·s², s = ‖X‖²: Newton–Schulz drives the
//! single singular value towards 1, and O_t is (about) the unit vector along B̃_t. Muon steps
//! a fixed distance ≈ γ in the momentum's direction, whatever the gradient's size.
//!
//! Parity notes: mirrors `_single_tensor_muon` and `_zeropower_via_newtonschulz` of torch
//! 2.15 with its defaults (a, b, c) = (3.4445, −4.7750, 2.0315), 5 steps, ε = 1e-7, the
//! `addmm` path. The momentum is float64 (`lerp`, [`super::lerp`]); Newton–Schulz runs in
//! bfloat16 as torch's CPU kernels do: `grad.bfloat16()` rounds f64 → f32 → bf16 (round to
//! nearest even, twice); each bf16 operation computes in f32 from its bf16 operands and
//! rounds its result to bf16 once: the norm (√ of the f32 sum of squares), the division by it
//! (clamped below at bf16(ε)), the Gram matrix XXᵀ (exact f32 products, one f32 sum), and
//! each `addmm` as a whole, β·C + α·(A@B) with β, α rounded to f32 (its products and sum in
//! f32, no bf16 rounding in between). Of the ways to place those roundings (each product and
//! sum rounded to bf16 as the plain `b * A + c * A @ A` would, or not), only this one gives
//! the reference's first step. The step: `param.mul_(1 − γλ)`, then
//! `param.add_(O, alpha=−γ)` in float64 (O exact in f64), fused.

use super::{
    Family, Hyper, HyperParam, KindInfo, NetRefused, OptimError, Optimizer, Vec2, lerp, zip,
};
use crate::net::optimizer::NetOptimizer;
use crate::net::spec::Layer;

/// Keller Jordan's quintic coefficients, torch's defaults.
pub const NS_COEFFICIENTS: (f64, f64, f64) = (3.4445, -4.7750, 2.0315);

/// `muon`: `torch.optim.Muon`.
pub const MUON: KindInfo = KindInfo {
    name: "muon",
    label: "Muon",
    short_label: "Muon",
    torch: "torch.optim.Muon on the 1×2 matrix [[w0, w1]] (Newton–Schulz in bfloat16)",
    params: {
        use HyperParam::*;
        &[Lr, WeightDecay, Momentum, NoNesterov, Eps, NsSteps]
    },
    defaults: Hyper {
        lr: 1e-3,
        weight_decay: 0.1,
        momentum: 0.95,
        eps: 1e-7,
        ..Hyper::TORCH
    },
    domains: &[],
    build,
    net_lr: None,
};

/// Muon from hyper-parameters that passed the table's checks, with torch's check of the
/// number of Newton–Schulz steps (whole, and fewer than 100).
fn build(h: &Hyper) -> Result<Optimizer, OptimError> {
    if h.ns_steps >= 100.0 {
        return Err(OptimError(
            "Number of steps must be less than 100 for computational efficiency".into(),
        ));
    }
    if h.ns_steps < 0.0 || h.ns_steps.fract() != 0.0 {
        return Err(OptimError(format!(
            "ns_steps must be a whole number, got {}",
            h.ns_steps
        )));
    }
    Ok(Optimizer::Muon(Muon::new(MuonConfig {
        weight_decay: h.weight_decay,
        momentum: h.momentum,
        nesterov: !h.no_nesterov,
        eps: h.eps,
        ns_steps: h.ns_steps as u32,
    })))
}

/// Hyper-parameters of `torch.optim.Muon`, with torch's names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MuonConfig {
    /// λ: decoupled weight decay, θ ← θ(1 − γλ).
    pub weight_decay: f64,
    /// μ: the momentum factor.
    pub momentum: f64,
    /// Orthogonalize g + μ(B − g) rather than B.
    pub nesterov: bool,
    /// ε: the smallest norm the Newton–Schulz input is divided by.
    pub eps: f64,
    /// k: the number of Newton–Schulz iterations.
    pub ns_steps: u32,
}

/// State of Muon, named as torch names it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MuonState {
    /// B: the momentum buffer.
    pub momentum_buffer: Vec2,
}

/// Muon with its configuration and state.
#[derive(Clone, Debug, PartialEq)]
pub struct Muon {
    pub config: MuonConfig,
    pub state: MuonState,
}

/// An f32 rounded to bfloat16 (round to nearest, ties to even), kept as an f32.
#[inline(always)]
pub fn bf16(x: f32) -> f32 {
    if x.is_nan() {
        return x;
    }
    let b = x.to_bits();
    let r = b.wrapping_add(0x7FFF + ((b >> 16) & 1));
    f32::from_bits(r & 0xFFFF_0000)
}

/// torch's f64 → bf16 cast: to f32 first, then to bf16 (two roundings).
#[inline(always)]
pub fn bf16_of_f64(x: f64) -> f32 {
    bf16(x as f32)
}

/// `_zeropower_via_newtonschulz` of the 1×2 matrix `g` in bfloat16: the normalized input
/// and then the matrix after each of `steps` iterations (all bf16 values, as f32).
pub fn newton_schulz(g: Vec2, steps: u32, eps: f64) -> Vec<[f32; 2]> {
    let (a, b, c) = NS_COEFFICIENTS;
    let (a, b, c) = (a as f32, b as f32, c as f32);
    let mut x = [bf16_of_f64(g.x), bf16_of_f64(g.y)];
    let norm = bf16((x[0] * x[0] + x[1] * x[1]).sqrt());
    let floor = bf16_of_f64(eps);
    // clamp(min=ε) keeps a NaN.
    let norm = if norm < floor { floor } else { norm };
    x = [bf16(x[0] / norm), bf16(x[1] / norm)];
    let mut out = Vec::with_capacity(steps as usize + 1);
    out.push(x);
    for _ in 0..steps {
        // gram_matrix = X @ Xᵀ: exact products, one f32 sum, rounded to bf16.
        let gram = bf16(x[0] * x[0] + x[1] * x[1]);
        // addmm(gram, gram, gram, beta=b, alpha=c): β·C + α·(A@B) in f32, rounded once.
        let update = bf16(b * gram + c * (gram * gram));
        // addmm(X, update, X, beta=a): a·X + update·X in f32, rounded once.
        x = [
            bf16(a * x[0] + update * x[0]),
            bf16(a * x[1] + update * x[1]),
        ];
        out.push(x);
    }
    out
}

impl Muon {
    pub fn new(config: MuonConfig) -> Self {
        Self {
            config,
            state: MuonState::default(),
        }
    }

    /// The buffer after this step's gradient, and the matrix Newton–Schulz orthogonalizes.
    fn momentum_and_input(&self, grad: Vec2) -> (Vec2, Vec2) {
        let mu = self.config.momentum;
        let buf = zip(self.state.momentum_buffer, grad, |b, g| {
            lerp(b, g, 1.0 - mu)
        });
        let update = if self.config.nesterov {
            zip(grad, buf, |g, b| lerp(g, b, mu))
        } else {
            buf
        };
        (buf, update)
    }

    /// One update of `w` with gradient `grad` and learning rate `lr`, with its figures.
    #[inline]
    pub fn update(&mut self, w: Vec2, grad: Vec2, lr: f64) -> MuonStep {
        let c = self.config;
        let (buf, input) = self.momentum_and_input(grad);
        self.state.momentum_buffer = buf;
        let iterates = newton_schulz(input, c.ns_steps, c.eps);
        let o = iterates.last().copied().unwrap_or([f32::NAN; 2]);
        // _adjust_lr("original"): √max(1, 1/2) = 1.
        let k = 1.0 - lr * c.weight_decay;
        let p = w * k;
        MuonStep {
            input,
            w: Vec2::new(
                (-lr).mul_add(f64::from(o[0]), p.x),
                (-lr).mul_add(f64::from(o[1]), p.y),
            ),
            iterates,
        }
    }
}

/// One Muon update's figures, as the update computed them.
#[derive(Clone, Debug, PartialEq)]
pub struct MuonStep {
    /// The matrix Newton–Schulz orthogonalized: B, or with Nesterov g + μ·(B − g).
    pub input: Vec2,
    /// X₀ … X_k, the Newton–Schulz iterates in bfloat16 (the last is the orthogonalized O).
    pub iterates: Vec<[f32; 2]>,
    /// The new point.
    pub w: Vec2,
}

impl Family for Muon {
    #[inline]
    fn step(&mut self, w: Vec2, grad: Vec2, lr: f64) -> Vec2 {
        self.update(w, grad, lr).w
    }

    /// The momentum buffer.
    fn velocity(&self) -> Option<Vec2> {
        Some(self.state.momentum_buffer)
    }

    fn network(&self, _layers: &[Layer]) -> Result<NetOptimizer, NetRefused> {
        Err(NetRefused {
            why: "Muon needs 2-D parameters, and torch refuses a network's 1-D biases (\"Muon \
                  only supports 2D parameters\")",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{Arithmetic, OptimizerKind};

    fn muon(f: impl Fn(&mut Hyper)) -> Result<Optimizer, OptimError> {
        let mut h = OptimizerKind::Muon.defaults();
        f(&mut h);
        Optimizer::new(OptimizerKind::Muon, &h)
    }

    #[test]
    fn bfloat16_rounds_to_nearest_even() {
        assert_eq!(bf16(1.0), 1.0);
        // 1 + 2⁻⁸ is half-way between 1 and 1 + 2⁻⁷: ties to the even 1.
        assert_eq!(bf16(1.0 + 1.0 / 256.0), 1.0);
        assert_eq!(bf16(1.0 + 3.0 / 256.0), 1.0 + 4.0 / 256.0);
        assert_eq!(bf16_of_f64(3.4445), 3.4375);
        assert!(bf16(f32::NAN).is_nan());
    }

    /// torch's defaults and `ValueError`s.
    #[test]
    fn defaults_and_value_errors() {
        let h = OptimizerKind::Muon.defaults();
        assert_eq!(
            (h.lr, h.weight_decay, h.momentum, h.eps, h.ns_steps),
            (1e-3, 0.1, 0.95, 1e-7, 5.0)
        );
        assert!(!h.no_nesterov);
        let bad = |f: fn(&mut Hyper)| muon(f).unwrap_err().0;
        assert!(bad(|h| h.lr = -1.0).contains("learning rate"));
        assert!(bad(|h| h.momentum = -0.5).contains("momentum"));
        assert!(bad(|h| h.weight_decay = -0.1).contains("weight_decay"));
        assert!(bad(|h| h.ns_steps = 100.0).contains("less than 100"));
        assert!(bad(|h| h.ns_steps = 2.5).contains("whole"));
        let o = muon(|_| {}).unwrap();
        assert!(o.with_arithmetic(Arithmetic::AsWritten).is_err());
    }

    /// Newton–Schulz pushes the 1×2 matrix's norm towards 1 (the quintic keeps it within
    /// about 0.7…1.2) and keeps its direction.
    #[test]
    fn newton_schulz_normalizes_the_direction() {
        let xs = newton_schulz(Vec2::new(30.0, 40.0), 5, 1e-7);
        let last = xs[5];
        let n = (last[0] * last[0] + last[1] * last[1]).sqrt();
        assert!((0.6..1.3).contains(&n), "{n}");
        assert!((last[1] / last[0] - 4.0 / 3.0).abs() < 0.02);
    }
}
