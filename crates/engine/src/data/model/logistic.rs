//! The logistic model: P(y = 1) = σ(w0·x + w1) with the binary cross-entropy with logits
//! L = (1/n) Σ [softplus(zᵢ) − yᵢ·zᵢ], written as (1 − y)·z + softplus(−z) so no exp overflows.

use nalgebra::Matrix2;
use rand::RngExt;
use rand::rngs::Xoshiro256PlusPlus;

use super::{DataLandscape, DataModel, NoMinimum, sigmoid, softplus};
use crate::data::Generate;
use crate::geometry::Vec2;

/// P(y = 1) = σ(w0·x + w1), binary cross-entropy.
pub struct Logistic;

impl DataModel for Logistic {
    const NAME: &'static str = "logistic";
    const SUMMARY: &'static str = "P(y = 1) = σ(w0·x + w1), cross-entropy; y must be 0 or 1";
    const LABELS: &'static str = "labels 0 or 1";
    const BEST_FIT: &'static str = "best fit (maximum likelihood)";
    const DRAG_HINT: &'static str = "Drag sideways to move the start's 50 % boundary";
    const CURVE_SAMPLES: usize = 160;
    const BUNCHED: bool = true;

    #[inline]
    fn label_ok(y: f64) -> bool {
        y == 0.0 || y == 1.0
    }

    #[inline]
    fn generate_y(z: f64, _noise: f64, rng: &mut Xoshiro256PlusPlus) -> f64 {
        let u: f64 = rng.random();
        if u < sigmoid(z) { 1.0 } else { 0.0 }
    }

    fn truth(g: &Generate) -> String {
        format!(
            "P(y = 1) = σ({}·x + {})",
            crate::format::sig(g.slope),
            crate::format::sig(g.intercept)
        )
    }

    #[inline]
    fn predict(z: f64) -> f64 {
        sigmoid(z)
    }

    #[inline(always)]
    fn mean_over(w: Vec2, inv: f64, points: impl Iterator<Item = (f64, f64)>) -> (f64, Vec2) {
        // Per point, with e = e^(−|z|) and u = 1 + e (one exponential for both):
        //   loss = (1 − y)·z + max(−z, 0) + ln(1 + e),  dL/dz = σ(z) − y,
        //   σ(z) = 1/u for z ≥ 0 and e/u below,
        //   ln(1 + e) = ln u + (e − (u − 1))/u  (the second term restores what the
        //   rounding of u lost; u − 1 is exact),
        // and the ln u of up to 512 points are taken as the ln of their product
        // (u ≤ 2, so it cannot overflow): one logarithm per 512 points.
        let (mut loss, mut g0, mut g1) = (0.0, 0.0, 0.0);
        let (mut prod, mut count, mut logs) = (1.0f64, 0u32, 0.0);
        for (x, y) in points {
            let z = w.x * x + w.y;
            let e = (-z.abs()).exp();
            let u = 1.0 + e;
            let r = 1.0 / u;
            let p = if z >= 0.0 { r } else { e * r };
            loss += (1.0 - y) * z + (-z).max(0.0) + (e - (u - 1.0)) * r;
            prod *= u;
            count += 1;
            if count == 512 {
                logs += prod.ln();
                (prod, count) = (1.0, 0);
            }
            let g = inv * (p - y);
            g0 += g * x;
            g1 += g;
        }
        loss += logs + prod.ln();
        (loss, Vec2::new(g0, g1))
    }

    /// From the bunched points (see [`super::bunch`]).
    #[inline]
    fn picture_value(d: &DataLandscape, w: Vec2) -> f64 {
        let s: f64 = d
            .bunches
            .iter()
            .map(|&(x, c)| c * softplus(w.x * x + w.y))
            .sum();
        (s - w.x * d.sxy_raw - w.y * d.sy_raw) / d.sums.n
    }

    fn picture_grad(d: &DataLandscape, w: Vec2) -> Vec2 {
        let (mut g0, mut g1) = (0.0, 0.0);
        for &(x, c) in &d.bunches {
            let p = sigmoid(w.x * x + w.y);
            g0 += c * p * x;
            g1 += c * p;
        }
        let n = d.sums.n;
        Vec2::new((g0 - d.sxy_raw) / n, (g1 - d.sy_raw) / n)
    }

    /// (1/n)·Σ σ(zᵢ)(1 − σ(zᵢ))·[xᵢ², xᵢ; xᵢ, 1].
    fn hessian(d: &DataLandscape, w: Vec2) -> Matrix2<f64> {
        let n = d.sums.n;
        let (mut a, mut b, mut c) = (0.0, 0.0, 0.0);
        for &x in &d.x {
            let p = sigmoid(w.x * x + w.y);
            let s = p * (1.0 - p);
            a += s * x * x;
            b += s * x;
            c += s;
        }
        Matrix2::new(a / n, b / n, b / n, c / n)
    }

    /// Newton's method from the intercept of the class frequencies; none when one class is
    /// missing or the classes are separable.
    fn minimum(d: &DataLandscape) -> Result<Vec2, NoMinimum> {
        let s = &d.sums;
        let y = &d.data.y;
        let ones = y.iter().filter(|&&v| v == 1.0).count();
        if ones == 0 || ones == y.len() {
            return Err(NoMinimum::OneClass(u8::from(ones > 0)));
        }
        if d.all_same_x() || s.sxx <= 0.0 {
            return Err(NoMinimum::AllSameX);
        }
        let range = |label: f64| {
            d.x.iter()
                .zip(y)
                .filter(|(_, v)| **v == label)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (&x, _)| {
                    (a.min(x), b.max(x))
                })
        };
        let (lo0, hi0) = range(0.0);
        let (lo1, hi1) = range(1.0);
        // Separable (or touching) classes: the loss falls for ever along the boundary.
        if hi0 <= lo1 {
            return Err(NoMinimum::Separable(d.original_x(0.5 * (hi0 + lo1))));
        }
        if hi1 <= lo0 {
            return Err(NoMinimum::Separable(d.original_x(0.5 * (hi1 + lo0))));
        }
        Ok(d.newton(Vec2::new(0.0, (s.my / (1.0 - s.my)).ln())))
    }

    fn formula(x: &str) -> String {
        format!("mean of softplus(z) − y·z, z = w0·{x} + w1")
    }

    /// The 50 % boundary slides sideways with the pointer.
    fn dragged(o: Vec2, _at: [f64; 2], delta: [f64; 2], _mid: f64, _half: f64) -> Vec2 {
        Vec2::new(o.x, o.y - o.x * delta[0])
    }

    fn equation(o: Vec2, xname: &str, yname: &str) -> String {
        format!(
            "Model: P({yname} = 1) = σ({}·{xname} + {})",
            crate::format::sig(o.x),
            crate::format::sig(o.y)
        )
    }
}
