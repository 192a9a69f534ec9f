//! A model's loss over a data set, as a landscape over its two weights (slope w0, intercept w1,
//! z = w0·x + w1):
//!
//! - `linear`: L = (1/n) Σ (zᵢ − yᵢ)², mean squared error;
//! - `logistic`: L = (1/n) Σ [softplus(zᵢ) − yᵢ·zᵢ], binary cross-entropy with logits, written
//!   as (1 − y)·z + softplus(−z) with softplus(t) = max(t, 0) + ln(1 + e^(−|t|)) so no exp
//!   overflows.
//!
//! Gradients follow autograd's order of operations for `((w0*x + w1 - y)**2).mean()` (each
//! point's 2·rᵢ scaled by 1/n, then summed in order), so a step is what torch would take up to
//! the order of its summation. The Hessian is exact; the minimum is the closed-form least-squares
//! line, or Newton's method for the logistic model (none when the classes are separable).

use std::sync::Arc;

use nalgebra::Matrix2;
use serde::{Deserialize, Serialize};

use super::{DataSource, Dataset};
use crate::geometry::Vec2;
use crate::geometry::View;

/// The model fitted to the points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    /// y ≈ w0·x + w1, mean squared error.
    #[default]
    Linear,
    /// P(y = 1) = σ(w0·x + w1), binary cross-entropy.
    Logistic,
}

impl Model {
    pub fn name(self) -> &'static str {
        match self {
            Self::Linear => "linear",
            Self::Logistic => "logistic",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        [Self::Linear, Self::Logistic]
            .into_iter()
            .find(|m| m.name() == s)
    }
}

/// σ(z) = 1/(1 + e^(−z)), without overflow for either sign.
#[inline]
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// ln(1 + e^t) without overflow.
#[inline]
fn softplus(t: f64) -> f64 {
    t.max(0.0) + (-t.abs()).exp().ln_1p()
}

/// x ← (x − mean)/std, with the population standard deviation (divide by n).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub mean: f64,
    pub std: f64,
}

impl Scale {
    /// The scaling of `x`, or why it has none.
    pub fn of(x: &[f64]) -> Result<Self, String> {
        // Equal x first: their computed spread can be a rounding error (3 × 0.1 has mean
        // 0.10000000000000002), not 0.
        if let Some(&first) = x.first()
            && x.iter().all(|&v| v == first)
        {
            return Err(format!(
                "every x is {}: the standard deviation is 0, so x cannot be standardized",
                crate::format::short(first)
            ));
        }
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
        let std = var.sqrt();
        if !(std > 0.0 && std.is_finite() && mean.is_finite()) {
            return Err(if std == 0.0 {
                format!(
                    "every x is {}: the standard deviation is 0, so x cannot be standardized",
                    crate::format::short(mean)
                )
            } else {
                "x is too large to standardize (its spread overflows)".to_owned()
            });
        }
        Ok(Self { mean, std })
    }

    #[inline]
    pub fn apply(&self, x: f64) -> f64 {
        (x - self.mean) / self.std
    }

    /// The (slope, intercept) in the original units of a model on scaled x:
    /// w0·(x − m)/s + w1 = (w0/s)·x + (w1 − w0·m/s).
    pub fn unscaled(&self, w: Vec2) -> Vec2 {
        Vec2::new(w.x / self.std, w.y - w.x * self.mean / self.std)
    }

    /// The inverse of [`Self::unscaled`].
    pub fn scaled(&self, w: Vec2) -> Vec2 {
        Vec2::new(w.x * self.std, w.y + w.x * self.mean)
    }
}

/// How elongated the valley is with x as given and with x standardized (see
/// [`DataLandscape::conditioning`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Conditioning {
    pub raw: Option<f64>,
    /// Or why x cannot be standardized.
    pub standardized: Result<Option<f64>, String>,
}

/// Why a data landscape has no single lowest point.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum NoMinimum {
    #[error(
        "every x is the same, so every line through the mean fits equally well: the minimum is a valley, not a point"
    )]
    AllSameX,
    #[error(
        "every label is {0}: the loss keeps falling as the intercept runs off to infinity, so there is no minimum"
    )]
    OneClass(u8),
    #[error(
        "the classes are separable at x = {0}: the loss keeps falling as the weights grow, so there is no minimum"
    )]
    Separable(f64),
}

/// Sums that give a linear model's loss anywhere in constant time:
/// n·L = w0²·Sxx − 2·w0·Sxy + Syy + n·(w0·x̄ + w1 − ȳ)², with the centred sums
/// Sxx = Σ(x − x̄)², Sxy = Σ(x − x̄)(y − ȳ), Syy = Σ(y − ȳ)² (the cross terms vanish).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Sums {
    n: f64,
    mx: f64,
    my: f64,
    sxx: f64,
    sxy: f64,
    syy: f64,
}

impl Sums {
    fn of(x: &[f64], y: &[f64]) -> Self {
        let n = x.len() as f64;
        let mx = x.iter().sum::<f64>() / n;
        let my = y.iter().sum::<f64>() / n;
        let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
        for (&a, &b) in x.iter().zip(y) {
            let (dx, dy) = (a - mx, b - my);
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        Self {
            n,
            mx,
            my,
            sxx,
            sxy,
            syy,
        }
    }

    fn loss(&self, w: Vec2) -> f64 {
        let c = w.x * self.mx + w.y - self.my;
        // Near a perfect fit the spread term can round below 0; a loss cannot.
        ((w.x * w.x * self.sxx - 2.0 * w.x * self.sxy + self.syy) / self.n).max(0.0) + c * c
    }
}

/// Points bunched for drawing a logistic landscape: (x, how many points) with x the mean of its
/// bunch. Exact up to 512 distinct points; beyond, 512 equal-width bins, where replacing each x
/// by its bin's mean changes softplus by at most w0²·δ²/8 (δ the bin width): invisible in a
/// picture, and a million points cost what 512 do.
fn bunch(x: &[f64]) -> Vec<(f64, f64)> {
    const BINS: usize = 512;
    let (lo, hi) = x
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    if x.len() <= BINS || hi <= lo {
        return x.iter().map(|&v| (v, 1.0)).collect();
    }
    let mut sum = vec![0.0; BINS];
    let mut count = vec![0.0; BINS];
    let width = (hi - lo) / BINS as f64;
    for &v in x {
        let k = (((v - lo) / width) as usize).min(BINS - 1);
        sum[k] += v;
        count[k] += 1.0;
    }
    sum.iter()
        .zip(&count)
        .filter(|(_, c)| **c > 0.0)
        .map(|(s, c)| (s / c, *c))
        .collect()
}

/// The loss of a model over a data set, with everything derived from it once.
#[derive(Clone, Debug)]
pub struct DataLandscape {
    pub model: Model,
    /// The points in their original units (as the data view draws them).
    pub data: Arc<Dataset>,
    pub source: DataSource,
    /// The standardization applied to x, when on.
    pub scale: Option<Scale>,
    /// x as the model sees it (standardized or not).
    x: Vec<f64>,
    sums: Sums,
    /// For a logistic landscape: bunched x (drawing) and Σxᵢyᵢ, Σyᵢ (its linear part).
    bunches: Vec<(f64, f64)>,
    sxy_raw: f64,
    sy_raw: f64,
    minimum: Result<Vec2, NoMinimum>,
}

impl PartialEq for DataLandscape {
    fn eq(&self, other: &Self) -> bool {
        self.model == other.model && self.source == other.source && self.scale == other.scale
    }
}

impl DataLandscape {
    /// The landscape of `model` on the points of `source`, x standardized if asked.
    pub fn new(source: &DataSource, model: Model, standardize: bool) -> Result<Self, String> {
        let data = source.load(model)?;
        Self::of(data, source.clone(), model, standardize)
    }

    /// The landscape of `model` on `data`.
    pub fn of(
        data: Dataset,
        source: DataSource,
        model: Model,
        standardize: bool,
    ) -> Result<Self, String> {
        if data.len() < 2 {
            return Err(format!("{} point(s); a fit needs at least two", data.len()));
        }
        if data.x.len() != data.y.len() {
            return Err("x and y have different lengths".into());
        }
        if let Some(k) = data
            .x
            .iter()
            .zip(&data.y)
            .position(|(x, y)| !x.is_finite() || !y.is_finite())
        {
            return Err(format!("point {} is not two finite numbers", k + 1));
        }
        if model == Model::Logistic
            && let Some(k) = data.y.iter().position(|&y| y != 0.0 && y != 1.0)
        {
            return Err(format!(
                "point {} has y = {}, but a logistic model needs labels 0 or 1",
                k + 1,
                data.y[k]
            ));
        }
        let scale = standardize.then(|| Scale::of(&data.x)).transpose()?;
        let x: Vec<f64> = match scale {
            Some(s) => data.x.iter().map(|&v| s.apply(v)).collect(),
            None => data.x.clone(),
        };
        let sums = Sums::of(&x, &data.y);
        if !(sums.sxx.is_finite() && sums.syy.is_finite() && sums.sxy.is_finite()) {
            return Err("the values are too large: their squares overflow".into());
        }
        let bunches = if model == Model::Logistic {
            bunch(&x)
        } else {
            Vec::new()
        };
        let sxy_raw = x.iter().zip(&data.y).map(|(a, b)| a * b).sum();
        let sy_raw = data.y.iter().sum();
        let mut me = Self {
            model,
            data: Arc::new(data),
            source,
            scale,
            x,
            sums,
            bunches,
            sxy_raw,
            sy_raw,
            minimum: Err(NoMinimum::AllSameX),
        };
        me.minimum = me.find_minimum();
        Ok(me)
    }

    pub fn len(&self) -> usize {
        self.x.len()
    }

    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// x as the model sees it.
    pub fn x(&self) -> &[f64] {
        &self.x
    }

    pub fn y(&self) -> &[f64] {
        &self.data.y
    }

    /// The mean loss and its gradient over the points `idx` (all points when `None`).
    #[inline]
    pub fn batch(&self, w: Vec2, idx: Option<&[u32]>) -> (f64, Vec2) {
        let (x, y) = (&self.x, &self.data.y);
        match idx {
            None => self.mean_over(w, x.len(), x.iter().copied().zip(y.iter().copied())),
            Some(idx) => self.mean_over(
                w,
                idx.len(),
                idx.iter().map(|&i| (x[i as usize], y[i as usize])),
            ),
        }
    }

    /// (1/m)·Σ loss and Σ ((1/m)·dL/dz)·(x, 1) over `points`, summed in order.
    #[inline(always)]
    fn mean_over(
        &self,
        w: Vec2,
        m: usize,
        points: impl Iterator<Item = (f64, f64)>,
    ) -> (f64, Vec2) {
        let inv = 1.0 / m as f64;
        let (mut loss, mut g0, mut g1) = (0.0, 0.0, 0.0);
        match self.model {
            Model::Linear => {
                for (x, y) in points {
                    let r = w.x * x + w.y - y;
                    let g = inv * (2.0 * r);
                    loss += r * r;
                    g0 += g * x;
                    g1 += g;
                }
            }
            Model::Logistic => {
                // Per point, with e = e^(−|z|) and u = 1 + e (one exponential for both):
                //   loss = (1 − y)·z + max(−z, 0) + ln(1 + e),  dL/dz = σ(z) − y,
                //   σ(z) = 1/u for z ≥ 0 and e/u below,
                //   ln(1 + e) = ln u + (e − (u − 1))/u  (the second term restores what the
                //   rounding of u lost; u − 1 is exact),
                // and the ln u of up to 512 points are taken as the ln of their product
                // (u ≤ 2, so it cannot overflow): one logarithm per 512 points.
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
            }
        }
        (loss / m as f64, Vec2::new(g0, g1))
    }

    /// The full-data loss.
    pub fn loss(&self, w: Vec2) -> f64 {
        self.batch(w, None).0
    }

    /// The loss for drawing: from the sums for a linear model, from the bunched points for a
    /// logistic one (see [`bunch`]); constant cost in the number of points.
    #[inline]
    pub fn picture_value(&self, w: Vec2) -> f64 {
        match self.model {
            Model::Linear => self.sums.loss(w),
            Model::Logistic => {
                let s: f64 = self
                    .bunches
                    .iter()
                    .map(|&(x, c)| c * softplus(w.x * x + w.y))
                    .sum();
                (s - w.x * self.sxy_raw - w.y * self.sy_raw) / self.sums.n
            }
        }
    }

    /// The exact gradient of [`Self::picture_value`]: from the sums for a linear model
    /// (∂L/∂w0 = 2(w0·Sxx − Sxy)/n + 2c·x̄, ∂L/∂w1 = 2c with c = w0·x̄ + w1 − ȳ), from the
    /// bunched points for a logistic one.
    pub fn picture_grad(&self, w: Vec2) -> Vec2 {
        let s = &self.sums;
        match self.model {
            Model::Linear => {
                let c = w.x * s.mx + w.y - s.my;
                Vec2::new(2.0 * (w.x * s.sxx - s.sxy) / s.n + 2.0 * c * s.mx, 2.0 * c)
            }
            Model::Logistic => {
                let (mut g0, mut g1) = (0.0, 0.0);
                for &(x, c) in &self.bunches {
                    let p = sigmoid(w.x * x + w.y);
                    g0 += c * p * x;
                    g1 += c * p;
                }
                Vec2::new((g0 - self.sxy_raw) / s.n, (g1 - self.sy_raw) / s.n)
            }
        }
    }

    /// Evaluations per value of [`Self::picture_value`]: 1 for a linear model (its sums), the
    /// number of bunches for a logistic one.
    pub fn picture_cost(&self) -> usize {
        self.bunches.len().max(1)
    }

    /// The exact Hessian: (2/n)·[Σx², Σx; Σx, n] for a linear model (the same everywhere),
    /// (1/n)·Σ σ(zᵢ)(1 − σ(zᵢ))·[xᵢ², xᵢ; xᵢ, 1] for a logistic one.
    pub fn hessian(&self, w: Vec2) -> Matrix2<f64> {
        let n = self.sums.n;
        match self.model {
            Model::Linear => {
                let s = &self.sums;
                let sxx = s.sxx / n + s.mx * s.mx;
                Matrix2::new(2.0 * sxx, 2.0 * s.mx, 2.0 * s.mx, 2.0)
            }
            Model::Logistic => {
                let (mut a, mut b, mut c) = (0.0, 0.0, 0.0);
                for &x in &self.x {
                    let p = sigmoid(w.x * x + w.y);
                    let s = p * (1.0 - p);
                    a += s * x * x;
                    b += s * x;
                    c += s;
                }
                Matrix2::new(a / n, b / n, b / n, c / n)
            }
        }
    }

    /// The lowest point, or why there is none.
    pub fn minimum(&self) -> Result<Vec2, NoMinimum> {
        self.minimum
    }

    fn find_minimum(&self) -> Result<Vec2, NoMinimum> {
        let s = &self.sums;
        // Equal x: a valley of equally good models (tested on the values, not on Sxx, which
        // rounding can leave a hair above 0).
        let all_same = self.x.iter().all(|&v| v == self.x[0]);
        match self.model {
            Model::Linear => {
                if all_same || s.sxx <= 0.0 {
                    return Err(NoMinimum::AllSameX);
                }
                let w0 = s.sxy / s.sxx;
                Ok(Vec2::new(w0, s.my - w0 * s.mx))
            }
            Model::Logistic => {
                let y = &self.data.y;
                let ones = y.iter().filter(|&&v| v == 1.0).count();
                if ones == 0 || ones == y.len() {
                    return Err(NoMinimum::OneClass(u8::from(ones > 0)));
                }
                if all_same || s.sxx <= 0.0 {
                    return Err(NoMinimum::AllSameX);
                }
                let range = |label: f64| {
                    self.x
                        .iter()
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
                    return Err(NoMinimum::Separable(self.original_x(0.5 * (hi0 + lo1))));
                }
                if hi1 <= lo0 {
                    return Err(NoMinimum::Separable(self.original_x(0.5 * (hi1 + lo0))));
                }
                Ok(self.newton(Vec2::new(0.0, (s.my / (1.0 - s.my)).ln())))
            }
        }
    }

    /// x in the original units.
    fn original_x(&self, x: f64) -> f64 {
        self.scale.map_or(x, |s| x * s.std + s.mean)
    }

    /// Newton's method with step halving (the loss is strictly convex here, so it converges
    /// from anywhere), to where the gradient stops shrinking.
    fn newton(&self, mut w: Vec2) -> Vec2 {
        let (mut loss, mut g) = self.batch(w, None);
        for _ in 0..200 {
            let Some(inv) = self.hessian(w).try_inverse() else {
                break;
            };
            let dir = inv * g;
            let mut t = 1.0;
            let mut moved = false;
            for _ in 0..60 {
                let next = w - t * dir;
                let (l, gn) = self.batch(next, None);
                if l < loss || (l == loss && gn.norm() < g.norm()) {
                    (w, loss, g) = (next, l, gn);
                    moved = true;
                    break;
                }
                t *= 0.5;
            }
            if !moved {
                break;
            }
        }
        w
    }

    /// The window that shows the valley: the minimum and the origin (where training starts),
    /// padded on each axis by half their distance or by how far along that axis the loss rises
    /// by L(0) − L*, whichever is larger. The two axes are scaled separately: a slope and an
    /// intercept can differ by orders of magnitude.
    pub fn view(&self) -> View {
        let Ok(centre) = self.minimum else {
            // No minimum: around the origin, as far as weights that turn z = w0·x + w1 by
            // about ±5 over the data's spread.
            let s = &self.sums;
            let sd = (s.sxx / s.n).sqrt();
            let (a, b) = if sd > 0.0 && sd.is_finite() {
                (5.0 / sd, 5.0 + 5.0 * s.mx.abs() / sd)
            } else {
                (5.0, 5.0)
            };
            return View {
                x: [-a, a],
                y: [-b, b],
            };
        };
        let l0 = self.loss(Vec2::zeros());
        let rise = (l0 - self.loss(centre)).max(0.0);
        let h = self.hessian(centre);
        let span = |m: f64, curv: f64| {
            let reach = if rise > 0.0 && curv > 0.0 {
                (2.0 * rise / curv).sqrt()
            } else {
                0.0
            };
            let (lo, hi) = (m.min(0.0), m.max(0.0));
            let pad = (0.5 * (hi - lo)).max(0.6 * reach);
            let pad = if pad.is_finite() && pad > 0.0 {
                pad
            } else {
                1.0
            };
            [lo - pad, hi + pad]
        };
        View {
            x: span(centre.x, h[(0, 0)]),
            y: span(centre.y, h[(1, 1)]),
        }
    }

    /// λ_max/λ_min of the Hessian where gradient descent ends (the minimum; the origin when
    /// there is none), or `None` where it is flat in some direction.
    pub fn condition_number(&self) -> Option<f64> {
        let at = self.minimum.unwrap_or_else(|_| Vec2::zeros());
        let e = self.hessian(at).symmetric_eigenvalues();
        let (lo, hi) = (e.x.min(e.y), e.x.max(e.y));
        (lo > 0.0 && hi.is_finite()).then(|| hi / lo)
    }

    /// The condition number with x as given and with x standardized, whichever this landscape
    /// is: how much rounder standardizing makes the valley.
    pub fn conditioning(&self) -> Conditioning {
        let other = Self::of(
            (*self.data).clone(),
            self.source.clone(),
            self.model,
            self.scale.is_none(),
        );
        let (raw, standardized) = match (self.scale.is_some(), other) {
            (true, Ok(o)) => (o.condition_number(), Ok(self.condition_number())),
            (true, Err(_)) => (None, Ok(self.condition_number())),
            (false, Ok(o)) => (self.condition_number(), Ok(o.condition_number())),
            (false, Err(e)) => (self.condition_number(), Err(e)),
        };
        Conditioning { raw, standardized }
    }

    /// The formula for display (in characters every font has: no subscripts).
    pub fn formula(&self) -> String {
        let x = if self.scale.is_some() { "x′" } else { "x" };
        let body = match self.model {
            Model::Linear => format!("mean of (w0·{x} + w1 − y)²"),
            Model::Logistic => format!("mean of softplus(z) − y·z, z = w0·{x} + w1"),
        };
        let scaled = if self.scale.is_some() {
            ", x′ = (x − mean)/std"
        } else {
            ""
        };
        format!("{body} over {} points{scaled}", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Generate, SHIPPED};

    fn shipped(name: &str, standardize: bool) -> DataLandscape {
        let s = SHIPPED.iter().find(|s| s.name == name).unwrap();
        DataLandscape::new(
            &DataSource::Shipped { name: name.into() },
            s.model,
            standardize,
        )
        .unwrap()
    }

    #[test]
    fn anscombes_four_sets_share_one_line() {
        for k in 1..=4 {
            let l = shipped(&format!("anscombe-{k}"), false);
            let m = l.minimum().unwrap();
            assert!(
                (m.x - 0.5).abs() < 1e-3 && (m.y - 3.0).abs() < 3e-3,
                "{k}: {m:?}"
            );
            let (_, g) = l.batch(m, None);
            assert!(g.norm() < 1e-12, "{k}: {g:?}");
        }
    }

    #[test]
    fn norris_gives_nists_certified_line() {
        let m = shipped("norris", false).minimum().unwrap();
        assert!((m.x - 1.00211681802045).abs() < 1e-13, "{m:?}");
        assert!((m.y - -0.262323073774029).abs() < 1e-11, "{m:?}");
    }

    #[test]
    fn challenger_gives_the_published_logistic_fit() {
        // glm(distress ~ temperature, binomial): intercept 15.0429, slope −0.2322.
        let m = shipped("challenger", false).minimum().unwrap();
        assert!(
            (m.x - -0.2322).abs() < 1e-4 && (m.y - 15.0429).abs() < 1e-4,
            "{m:?}"
        );
        let s = shipped("challenger", true);
        let back = s.scale.unwrap().unscaled(s.minimum().unwrap());
        assert!((back - m).norm() < 1e-8, "{back:?}");
    }

    #[test]
    fn the_picture_agrees_with_the_exact_loss() {
        let g = Generate {
            n: 3000,
            ..Generate::default()
        };
        for model in [Model::Linear, Model::Logistic] {
            let l = DataLandscape::new(&DataSource::Generated(g), model, false).unwrap();
            for w in [
                Vec2::new(0.0, 0.0),
                Vec2::new(2.0, 1.0),
                Vec2::new(-1.0, 5.0),
            ] {
                let (a, b) = (l.loss(w), l.picture_value(w));
                assert!(
                    (a - b).abs() <= 1e-3 * a.abs().max(1.0),
                    "{model:?} {w:?}: {a} {b}"
                );
            }
        }
    }

    /// The fast logistic loss (one logarithm per 512 points) against the textbook
    /// (1 − y)·z + softplus(−z) with `ln_1p`, from a fit to far-off weights (|z| up to ~1e3).
    #[test]
    fn the_logistic_loss_is_the_textbook_one() {
        let l = DataLandscape::new(
            &DataSource::Generated(Generate {
                n: 3000,
                ..Generate::default()
            }),
            Model::Logistic,
            false,
        )
        .unwrap();
        for w in [
            Vec2::new(0.0, 0.0),
            Vec2::new(1.0, -5.0),
            Vec2::new(-3.0, 2.0),
            Vec2::new(100.0, -400.0),
        ] {
            let textbook: f64 = l
                .x()
                .iter()
                .zip(l.y())
                .map(|(&x, &y)| {
                    let z = w.x * x + w.y;
                    (1.0 - y) * z + softplus(-z)
                })
                .sum::<f64>()
                / l.len() as f64;
            let fast = l.loss(w);
            assert!(
                (fast - textbook).abs() <= 1e-13 * textbook.abs().max(1e-300),
                "{w:?}: {fast} vs {textbook}"
            );
        }
    }

    #[test]
    fn a_batch_gradient_is_the_mean_of_the_point_gradients() {
        let l = DataLandscape::new(
            &DataSource::Generated(Generate::default()),
            Model::Linear,
            false,
        )
        .unwrap();
        let w = Vec2::new(0.7, -0.3);
        let idx = [3u32, 17, 4, 40];
        let (_, g) = l.batch(w, Some(&idx));
        let mean: Vec2 = idx.iter().map(|&i| l.batch(w, Some(&[i])).1).sum::<Vec2>() / 4.0;
        assert!((g - mean).norm() < 1e-12, "{g:?} vs {mean:?}");
    }

    #[test]
    fn standardizing_rounds_the_valley() {
        let raw = DataLandscape::new(
            &DataSource::Generated(Generate::default()),
            Model::Linear,
            false,
        )
        .unwrap();
        let std = DataLandscape::new(
            &DataSource::Generated(Generate::default()),
            Model::Linear,
            true,
        )
        .unwrap();
        let kappa = |l: &DataLandscape| {
            let e = l.hessian(Vec2::zeros()).symmetric_eigenvalues();
            e.max() / e.min()
        };
        assert!(kappa(&raw) > 100.0, "{}", kappa(&raw));
        assert!((kappa(&std) - 1.0).abs() < 1e-9, "{}", kappa(&std));
    }

    #[test]
    fn no_minimum_is_said_why() {
        let points = |pts: &[[f64; 2]]| DataSource::Points {
            name: "t".into(),
            source: String::new(),
            columns: ["x".into(), "y".into()],
            points: pts.to_vec().into(),
        };
        let sep = DataLandscape::new(
            &points(&[[1.0, 0.0], [2.0, 0.0], [3.0, 1.0]]),
            Model::Logistic,
            false,
        )
        .unwrap();
        assert_eq!(sep.minimum(), Err(NoMinimum::Separable(2.5)));
        let one =
            DataLandscape::new(&points(&[[1.0, 1.0], [2.0, 1.0]]), Model::Logistic, false).unwrap();
        assert_eq!(one.minimum(), Err(NoMinimum::OneClass(1)));
        let same =
            DataLandscape::new(&points(&[[1.0, 1.0], [1.0, 3.0]]), Model::Linear, false).unwrap();
        assert_eq!(same.minimum(), Err(NoMinimum::AllSameX));
        // Equal x whose mean does not round back to them (3 × 0.1).
        let tenths = [[0.1, 0.0], [0.1, 1.0], [0.1, 1.0]];
        for model in [Model::Linear, Model::Logistic] {
            let l = DataLandscape::new(&points(&tenths), model, false).unwrap();
            assert_eq!(l.minimum(), Err(NoMinimum::AllSameX), "{model:?}");
            assert!(DataLandscape::new(&points(&tenths), model, true).is_err());
        }
        let e = DataLandscape::new(&points(&[[1.0, 1.0], [1.0, 3.0]]), Model::Linear, true)
            .unwrap_err();
        assert!(e.contains("cannot be standardized"), "{e}");
        // Overlapping classes have a minimum.
        let ok = DataLandscape::new(
            &points(&[[1.0, 0.0], [2.0, 1.0], [3.0, 0.0], [4.0, 1.0]]),
            Model::Logistic,
            false,
        )
        .unwrap();
        let m = ok.minimum().unwrap();
        assert!(ok.batch(m, None).1.norm() < 1e-12);
    }
}
