//! The learning-rate slider's scale: where each value sits along the slider, the round values it
//! snaps to, and the zones painted under it.
//!
//! A plain logarithmic slider over 1e-4…10 gives the band that matters — 1/λ_max to 2/λ_max,
//! where plain GD turns from a smooth glide to a zig-zag to a blow-up — a sixteenth of its
//! length (a factor of 2 out of 10⁵). A teacher dragging through the regimes needs that band
//! wide. So the scale is logarithmic piece by piece, with the pieces around the band stretched:
//!
//! | values           | share of the length |
//! |------------------|---------------------|
//! | lo … ½/λ         | 15 %                |
//! | ½/λ … 1/λ        | 20 %  (smooth)      |
//! | 1/λ … 2/λ        | 40 %  (zig-zag)     |
//! | 2/λ … 4/λ        | 15 %  (blow-up)     |
//! | 4/λ … hi         | 10 %                |
//!
//! (The outer pieces give up their share when they are shorter than a factor of 4, and a piece
//! cut by the range keeps the part of its share that is inside.) Without a Hessian bound the
//! scale is plain logarithmic.
//!
//! Values snap to round numbers — 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ᵏ — so a dragged rate
//! reads as a number a class can write down; on the bowl (λ_max = 8) the notches 0.1, 0.12 |
//! 0.15, 0.2 | 0.25 | 0.3 land on a glide, a zig-zag, a bounce on the edge and a blow-up.

/// The mantissas of the round values the slider snaps to.
pub const MANTISSAS: [f64; 10] = [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0];

/// The shares of the five pieces (see the module's table).
const SHARES: [f64; 5] = [0.15, 0.20, 0.40, 0.15, 0.10];
/// The knots of the pieces, in units of 1/λ_max.
const KNOTS: [f64; 4] = [0.5, 1.0, 2.0, 4.0];
/// An outer piece shorter than this factor gives up part of its share.
const OUTER_FULL: f64 = 4.0;

/// What plain gradient descent does at a learning rate, by the quadratic model at the minimum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    /// η < 1/λ_max: every direction shrinks without changing sign.
    Smooth,
    /// 1/λ_max < η < 2/λ_max: the steepest direction flips sign each step but shrinks.
    ZigZag,
    /// η > 2/λ_max: the steepest direction grows.
    Diverges,
}

/// The slider's scale for one landscape: value ↔ position in 0…1.
#[derive(Clone, Debug, PartialEq)]
pub struct LrScale {
    /// (value, position) at the ends and the knots, both increasing.
    points: Vec<(f64, f64)>,
    /// 1/λ_max and 2/λ_max, when the Hessian gives them.
    band: Option<(f64, f64)>,
}

impl LrScale {
    /// The scale over `lo…hi` (both positive, lo < hi) for a landscape whose Hessian gives
    /// 1/λ_max = `oscillate` (or none: plain logarithmic).
    pub fn new(lo: f64, hi: f64, oscillate: Option<f64>) -> Self {
        let plain = Self {
            points: vec![(lo, 0.0), (hi, 1.0)],
            band: None,
        };
        let Some(inv) = oscillate.filter(|v| v.is_finite() && *v > 0.0) else {
            return plain;
        };
        let band = Some((inv, 2.0 * inv));
        // The knots clamped into the range, and each piece's share of what is inside.
        let mut knots = vec![lo];
        knots.extend(KNOTS.iter().map(|k| (k * inv).clamp(lo, hi)));
        knots.push(hi);
        let mut weights = [0.0; 5];
        for (i, w) in weights.iter_mut().enumerate() {
            let inside = (knots[i + 1] / knots[i]).ln();
            let full = match i {
                0 | 4 => OUTER_FULL.ln(),
                _ => (KNOTS[i] / KNOTS[i - 1]).ln(),
            };
            *w = SHARES[i] * (inside / full).min(1.0);
        }
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return Self { band, ..plain };
        }
        let mut points = vec![(lo, 0.0)];
        let mut at = 0.0;
        for (i, w) in weights.iter().enumerate() {
            at += w / total;
            if w > &0.0 {
                points.push((knots[i + 1], at.min(1.0)));
            }
        }
        if let Some(last) = points.last_mut() {
            *last = (hi, 1.0);
        }
        Self { points, band }
    }

    pub fn lo(&self) -> f64 {
        self.points[0].0
    }

    pub fn hi(&self) -> f64 {
        self.points[self.points.len() - 1].0
    }

    /// 1/λ_max and 2/λ_max, if the scale is stretched around them.
    pub fn band(&self) -> Option<(f64, f64)> {
        self.band
    }

    /// Where `v` sits, 0…1 (clamped to the range).
    pub fn position(&self, v: f64) -> f64 {
        if v.is_nan() || v <= self.lo() {
            return 0.0;
        }
        if v >= self.hi() {
            return 1.0;
        }
        for w in self.points.windows(2) {
            let ((v0, p0), (v1, p1)) = (w[0], w[1]);
            if v <= v1 {
                return p0 + (p1 - p0) * (v / v0).ln() / (v1 / v0).ln();
            }
        }
        1.0
    }

    /// The value at position `t` (clamped to 0…1).
    pub fn value(&self, t: f64) -> f64 {
        let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
        for w in self.points.windows(2) {
            let ((v0, p0), (v1, p1)) = (w[0], w[1]);
            if t <= p1 {
                if p1 <= p0 {
                    return v1;
                }
                return v0 * (v1 / v0).powf((t - p0) / (p1 - p0));
            }
        }
        self.hi()
    }

    /// Every round value in the range, increasing.
    pub fn notches(&self) -> Vec<f64> {
        let (lo, hi) = (self.lo(), self.hi());
        let mut out = Vec::new();
        let (k0, k1) = (lo.log10().floor() as i32 - 1, hi.log10().ceil() as i32 + 1);
        for k in k0..=k1 {
            for m in MANTISSAS {
                let v = round_notch(m, k);
                if v >= lo * (1.0 - 1e-12) && v <= hi * (1.0 + 1e-12) {
                    out.push(v.clamp(lo, hi));
                }
            }
        }
        out
    }

    /// The round value nearest `v` along the slider.
    pub fn snap(&self, v: f64) -> f64 {
        let t = self.position(v);
        self.notches()
            .into_iter()
            .min_by(|a, b| {
                (self.position(*a) - t)
                    .abs()
                    .total_cmp(&(self.position(*b) - t).abs())
            })
            .unwrap_or(v)
    }

    /// The next round value above (`up`) or below `v`, or the end of the range.
    pub fn step(&self, v: f64, up: bool) -> f64 {
        let notches = self.notches();
        let next = if up {
            notches.into_iter().find(|n| *n > v * (1.0 + 1e-9))
        } else {
            notches.into_iter().rev().find(|n| *n < v * (1.0 - 1e-9))
        };
        next.unwrap_or(if up { self.hi() } else { self.lo() })
    }

    /// What plain GD does at `v`, if the Hessian says.
    pub fn zone(&self, v: f64) -> Option<Zone> {
        let (a, b) = self.band?;
        Some(if v < a {
            Zone::Smooth
        } else if v <= b {
            Zone::ZigZag
        } else {
            Zone::Diverges
        })
    }

    /// The zones as position spans: (from, to, zone), left to right; none without a bound.
    pub fn zones(&self) -> Vec<(f64, f64, Zone)> {
        let Some((a, b)) = self.band else {
            return Vec::new();
        };
        let (pa, pb) = (self.position(a), self.position(b));
        [
            (0.0, pa, Zone::Smooth),
            (pa, pb, Zone::ZigZag),
            (pb, 1.0, Zone::Diverges),
        ]
        .into_iter()
        .filter(|(from, to, _)| to > from)
        .collect()
    }

    /// A learning rate that glides on this landscape: the round value at or below 0.8/λ_max
    /// (along the steepest direction the error then shrinks to at most a fifth each step,
    /// without changing sign: quick, and smooth), or `None` without a bound.
    pub fn suggested(&self) -> Option<f64> {
        let (a, _) = self.band?;
        let target = (0.8 * a).clamp(self.lo(), self.hi());
        self.notches()
            .into_iter()
            .rev()
            .find(|n| *n <= target * (1.0 + 1e-9))
            .or(Some(self.lo()))
    }
}

/// m × 10ᵏ written as the decimal it is (0.1 + 0.2 style drift would make 0.30000000000000004).
fn round_notch(m: f64, k: i32) -> f64 {
    format!("{m}e{k}").parse().unwrap_or(m * 10f64.powi(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bowl() -> LrScale {
        LrScale::new(1e-4, 10.0, Some(0.125))
    }

    #[test]
    fn the_bowls_band_takes_forty_percent_of_the_length() {
        let s = bowl();
        let share = s.position(0.25) - s.position(0.125);
        assert!((share - 0.40).abs() < 1e-9, "{share}");
        assert!((s.position(0.0625) - 0.15).abs() < 1e-9);
        assert!((s.position(0.5) - 0.90).abs() < 1e-9);
        assert_eq!(s.position(1e-4), 0.0);
        assert_eq!(s.position(10.0), 1.0);
    }

    #[test]
    fn value_and_position_are_inverse_and_increasing() {
        for s in [
            bowl(),
            LrScale::new(1e-4, 10.0, None),
            LrScale::new(1e-4, 10.0, Some(1e-3)),
            LrScale::new(1e-4, 10.0, Some(4.0)),
            LrScale::new(1e-4, 10.0, Some(100.0)),
            LrScale::new(1e-4, 10.0, Some(1e-6)),
        ] {
            let mut last = -1.0;
            for i in 0..=1000 {
                let t = i as f64 / 1000.0;
                let v = s.value(t);
                assert!(v > last, "{s:?} at {t}");
                last = v;
                assert!((s.position(v) - t).abs() < 1e-9, "{s:?} at {t}");
            }
        }
    }

    #[test]
    fn without_a_bound_the_scale_is_plain_logarithmic() {
        let s = LrScale::new(1e-4, 10.0, None);
        assert!((s.position(1e-2) - 0.4).abs() < 1e-12);
        assert!(s.zones().is_empty());
        assert_eq!(s.suggested(), None);
        // A band wholly outside the range also leaves it plain.
        let far = LrScale::new(1e-4, 10.0, Some(1e3));
        assert!((far.position(1e-2) - 0.4).abs() < 1e-12);
    }

    #[test]
    fn values_snap_to_round_numbers() {
        let s = bowl();
        assert_eq!(s.snap(0.13), 0.12);
        assert_eq!(s.snap(0.14), 0.15);
        assert_eq!(s.snap(0.29), 0.3);
        assert_eq!(s.snap(0.0031), 0.003);
        assert_eq!(s.snap(9.7), 10.0);
        assert_eq!(s.snap(1e-4), 1e-4);
        let n = s.notches();
        assert_eq!(n.first(), Some(&1e-4));
        assert_eq!(n.last(), Some(&10.0));
        assert!(n.contains(&0.3) && n.contains(&0.12) && n.contains(&2.5));
        assert_eq!(n.len(), 51);
    }

    #[test]
    fn arrow_steps_go_one_notch() {
        let s = bowl();
        assert_eq!(s.step(0.1, true), 0.12);
        assert_eq!(s.step(0.12, true), 0.15);
        assert_eq!(s.step(0.15, false), 0.12);
        // From between notches, to the next one that way.
        assert_eq!(s.step(0.13, true), 0.15);
        assert_eq!(s.step(0.13, false), 0.12);
        assert_eq!(s.step(10.0, true), 10.0);
        assert_eq!(s.step(1e-4, false), 1e-4);
    }

    #[test]
    fn zones_and_the_suggested_rate() {
        let s = bowl();
        assert_eq!(s.zone(0.1), Some(Zone::Smooth));
        assert_eq!(s.zone(0.2), Some(Zone::ZigZag));
        assert_eq!(s.zone(0.3), Some(Zone::Diverges));
        let z = s.zones();
        assert_eq!(z.len(), 3);
        assert_eq!(z[1].2, Zone::ZigZag);
        assert!((z[1].1 - z[1].0 - 0.4).abs() < 1e-9);
        assert_eq!(s.suggested(), Some(0.1));
        assert_eq!(LrScale::new(1e-4, 10.0, Some(0.5)).suggested(), Some(0.4));
    }
}
