//! The linear model: y ≈ w0·x + w1 with the mean squared error L = (1/n) Σ (zᵢ − yᵢ)².

use nalgebra::Matrix2;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};

use super::{DataLandscape, DataModel, NoMinimum};
use crate::data::Generate;
use crate::geometry::Vec2;

/// y ≈ w0·x + w1, mean squared error.
pub struct Linear;

impl DataModel for Linear {
    const NAME: &'static str = "linear";
    const SUMMARY: &'static str = "y ≈ w0·x + w1, mean squared error";
    const BEST_FIT: &'static str = "least-squares line";
    const DRAG_HINT: &'static str = "Drag the line to set the start: near the middle it moves up and down, \
                     towards an end it tilts";
    const CURVE_SAMPLES: usize = 2;

    #[inline]
    fn generate_y(z: f64, noise: f64, rng: &mut Xoshiro256PlusPlus) -> f64 {
        let e: f64 = StandardNormal.sample(rng);
        z + noise * e
    }

    fn truth(g: &Generate) -> String {
        format!(
            "y = {}·x + {} + noise (σ = {})",
            crate::format::sig(g.slope),
            crate::format::sig(g.intercept),
            crate::format::sig(g.noise)
        )
    }

    #[inline]
    fn predict(z: f64) -> f64 {
        z
    }

    /// Autograd's order for `((w0*x + w1 - y)**2).mean()`: each point's 2·rᵢ scaled by 1/n,
    /// then summed in order.
    #[inline(always)]
    fn mean_over(w: Vec2, inv: f64, points: impl Iterator<Item = (f64, f64)>) -> (f64, Vec2) {
        let (mut loss, mut g0, mut g1) = (0.0, 0.0, 0.0);
        for (x, y) in points {
            let r = w.x * x + w.y - y;
            let g = inv * (2.0 * r);
            loss += r * r;
            g0 += g * x;
            g1 += g;
        }
        (loss, Vec2::new(g0, g1))
    }

    /// From the sums, in constant time.
    #[inline]
    fn picture_value(d: &DataLandscape, w: Vec2) -> f64 {
        d.sums.loss(w)
    }

    /// From the sums: ∂L/∂w0 = 2(w0·Sxx − Sxy)/n + 2c·x̄, ∂L/∂w1 = 2c with
    /// c = w0·x̄ + w1 − ȳ.
    fn picture_grad(d: &DataLandscape, w: Vec2) -> Vec2 {
        let s = &d.sums;
        let c = w.x * s.mx + w.y - s.my;
        Vec2::new(2.0 * (w.x * s.sxx - s.sxy) / s.n + 2.0 * c * s.mx, 2.0 * c)
    }

    /// (2/n)·[Σx², Σx; Σx, n], the same everywhere.
    fn hessian(d: &DataLandscape, _w: Vec2) -> Matrix2<f64> {
        let s = &d.sums;
        let sxx = s.sxx / s.n + s.mx * s.mx;
        Matrix2::new(2.0 * sxx, 2.0 * s.mx, 2.0 * s.mx, 2.0)
    }

    /// The closed-form least-squares line.
    fn minimum(d: &DataLandscape) -> Result<Vec2, NoMinimum> {
        let s = &d.sums;
        if d.all_same_x() || s.sxx <= 0.0 {
            return Err(NoMinimum::AllSameX);
        }
        let w0 = s.sxy / s.sxx;
        Ok(Vec2::new(w0, s.my - w0 * s.mx))
    }

    fn formula(x: &str) -> String {
        format!("mean of (w0·{x} + w1 − y)²")
    }

    /// Grabbed near the middle of the data the line moves up and down; grabbed towards an end
    /// it tilts about the middle.
    fn dragged(o: Vec2, at: [f64; 2], delta: [f64; 2], mid: f64, half: f64) -> Vec2 {
        let (a, b) = (o.x, o.y);
        let off = at[0] - mid;
        if off.abs() < 0.3 * half {
            Vec2::new(a, b + delta[1])
        } else {
            // Through (mid, y(mid)) and (at.x, y(at.x) + dy).
            let a2 = a + delta[1] / off;
            let pivot = a * mid + b;
            Vec2::new(a2, pivot - a2 * mid)
        }
    }

    fn equation(o: Vec2, xname: &str, yname: &str) -> String {
        format!(
            "Model: {yname} = {}·{xname} + {}",
            crate::format::sig(o.x),
            crate::format::sig(o.y)
        )
    }
}
