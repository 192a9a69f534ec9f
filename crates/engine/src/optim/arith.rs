//! How an update's arithmetic is rounded: torch's fused kernels (ATen's `add(x, alpha)`,
//! `addcmul`, `addcdiv`, `lerp`), or as the course's code writes it ([`Arithmetic`]). Every
//! family computes its update through these, so the roundings are written once.

use serde::{Deserialize, Serialize};

use super::Vec2;

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

/// How an update's arithmetic is rounded.
///
/// torch's CPU kernels fuse `self + alpha·other` (`add(x, alpha)`, `addcmul`, `lerp`) into one
/// fused multiply-add, rounded once. The course's NumPy and plain-Python loops write
/// `w - eta * grad`: the product rounded, then the difference rounded. The two differ in the
/// last bit now and then, and over a run the difference grows, so a student who types the
/// loop in and compares rows needs the second. What changes, optimizer by optimizer:
/// - SGD, momentum, Nesterov: every `add(x, alpha)` becomes product-then-sum in the order the
///   update is written (`g + λ·w`, `μ·b + (1 − τ)·g`, `g + μ·b`, `w − η·g`). A NumPy loop
///   written that way matches every row to the last bit.
/// - AdaGrad, RMSprop, Adam: the running averages are written `β·m + (1 − β)·g` and
///   `β·v + (1 − β)·(g·g)` (`s + g·g` for AdaGrad), each operation rounded; the rest
///   (bias corrections, the division by √v + ε) keeps torch's order, which textbooks
///   write in several ways, so a loop of one's own may still differ in the last bits there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Arithmetic {
    /// As torch.optim computes it: fused multiply-adds, bit-exact to torch.
    #[default]
    Torch,
    /// As the course's NumPy and plain-Python code writes it: each operation rounded.
    AsWritten,
}

impl Arithmetic {
    /// Both, in the order menus list them.
    pub const ALL: [Arithmetic; 2] = [Self::Torch, Self::AsWritten];

    /// The name on the command line and in setups.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Torch => "torch",
            Self::AsWritten => "as-written",
        }
    }

    /// A name for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Torch => "as torch computes it",
            Self::AsWritten => "as written (w − η·g)",
        }
    }

    /// What the choice does, in a sentence (tooltips, `--help`).
    pub const fn description(self) -> &'static str {
        match self {
            Self::Torch => {
                "Each update as torch.optim computes it (w + (−η)·g as one fused multiply-add, \
                 rounded once): every row bit-exact to torch"
            }
            Self::AsWritten => {
                "Each update as NumPy and plain Python compute w − eta * grad: the product \
                 rounded, then the difference, so a loop typed in by hand matches every row"
            }
        }
    }

    /// Looks a choice up by its [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }
}

impl std::fmt::Display for Arithmetic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// ATen's `self.add(other, alpha)`: `self + alpha·other` as one fused multiply-add
/// (`vec::fmadd(other, alpha, self)`), the way torch's CPU kernels round it; as written, the
/// product rounded and then the sum (`w + (−η)·g` is bit for bit `w − η·g`).
#[inline(always)]
pub(crate) fn add_alpha(a: Arithmetic, this: f64, other: f64, alpha: f64) -> f64 {
    match a {
        Arithmetic::Torch => alpha.mul_add(other, this),
        Arithmetic::AsWritten => this + alpha * other,
    }
}

/// ATen's `self.addcmul(t1, t2, value)`: `self + (value·t1)·t2`, the last product and the
/// sum fused, as torch's CPU kernels round it; as written, `self + value·(t1·t2)` (the square
/// first, as `(1 - beta2) * g**2` evaluates), each operation rounded.
#[inline(always)]
pub(crate) fn addcmul(a: Arithmetic, this: f64, t1: f64, t2: f64, value: f64) -> f64 {
    match a {
        Arithmetic::Torch => (value * t1).mul_add(t2, this),
        Arithmetic::AsWritten => this + value * (t1 * t2),
    }
}

/// A running average `β·avg + (1 − β)·new`: torch's `avg.lerp_(new, 1 − β)` ([`lerp`]), or
/// as written, each product and the sum rounded.
#[inline(always)]
pub(crate) fn average(a: Arithmetic, avg: f64, new: f64, beta: f64) -> f64 {
    match a {
        Arithmetic::Torch => lerp(avg, new, 1.0 - beta),
        Arithmetic::AsWritten => beta * avg + (1.0 - beta) * new,
    }
}

/// A running average of squares `β·avg + (1 − β)·new²`: torch's
/// `avg.mul_(β).addcmul_(new, new, value=1 − β)`, or as written.
#[inline(always)]
pub(crate) fn average_sq(a: Arithmetic, avg: f64, new: f64, beta: f64) -> f64 {
    match a {
        Arithmetic::Torch => addcmul(a, avg * beta, new, new, 1.0 - beta),
        Arithmetic::AsWritten => beta * avg + (1.0 - beta) * (new * new),
    }
}

/// ATen's `self.addcdiv(t1, t2, value)`: `self + (value·t1)/t2` (a quotient is never fused).
#[inline(always)]
pub(crate) fn addcdiv(this: f64, t1: f64, t2: f64, value: f64) -> f64 {
    this + (value * t1) / t2
}

/// Weight decay for the families that offer both kinds (Adam/AdamW, NAdam, RAdam), when
/// λ ≠ 0: decoupled, `param.mul_(1 − γλ)`, a shrink of the point; else the L2 term in the
/// gradient, `grad.add(param, alpha=λ)`. Returns the point and gradient the update goes on
/// with.
#[inline(always)]
pub fn weight_decay(
    a: Arithmetic,
    w: Vec2,
    g: Vec2,
    lr: f64,
    lambda: f64,
    decoupled: bool,
) -> (Vec2, Vec2) {
    if lambda == 0.0 {
        (w, g)
    } else if decoupled {
        let shrink = 1.0 - lr * lambda;
        (w.map(|p| p * shrink), g)
    } else {
        (w, zip(g, w, |g, p| add_alpha(a, g, p, lambda)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            add_alpha(Arithmetic::Torch, w, g, -0.15),
            -0.01599999999999999
        );
        assert_eq!(w + -0.15 * g, -0.015999999999999986);
        // As written, it is the NumPy loop's `w - eta * grad`, rounded twice.
        assert_eq!(add_alpha(Arithmetic::AsWritten, w, g, -0.15), w - 0.15 * g);
        assert_eq!(w - 0.15 * g, -0.015999999999999986);
    }
}
