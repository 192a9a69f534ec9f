//! What the Hessian says about gradient descent on a landscape.
//!
//! Near a minimum w*, L(w) ≈ L(w*) + ½(w − w*)ᵀH(w − w*), and plain gradient descent multiplies
//! the error along each eigenvector of H by (1 − ηλ). So with λ_max the largest eigenvalue:
//! for η < 1/λ_max every factor is positive (a smooth glide); above 1/λ_max the steepest
//! direction's factor turns negative (the path zig-zags across the valley); above 2/λ_max it
//! exceeds 1 in magnitude (the path diverges). The condition number λ_max/λ_min says how
//! elongated the valley is: the larger, the slower plain GD crawls along it.

use nalgebra::Matrix2;

use crate::geometry::Vec2;
use crate::landscape::Landscape;

/// The Hessian at a point and its eigenvalues.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Curvature {
    pub at: Vec2,
    pub hessian: Matrix2<f64>,
    /// Eigenvalues, smallest first.
    pub eigenvalues: [f64; 2],
}

impl Curvature {
    /// The curvature of `landscape` at `at`, or `None` where it is undefined or not finite.
    pub fn of(landscape: &Landscape, at: Vec2) -> Option<Self> {
        let hessian = landscape.hessian(at).ok()?;
        if !hessian.iter().all(|v| v.is_finite()) {
            return None;
        }
        let e = hessian.symmetric_eigenvalues();
        let (lo, hi) = (e.x.min(e.y), e.x.max(e.y));
        Some(Self {
            at,
            hessian,
            eigenvalues: [lo, hi],
        })
    }

    /// λ_max / λ_min, or `None` when λ_min ≤ 0 (flat or not convex there).
    pub fn condition_number(&self) -> Option<f64> {
        let [lo, hi] = self.eigenvalues;
        (lo > 0.0).then(|| hi / lo)
    }
}

/// The facts the window shows beside a run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Facts {
    pub at_start: Option<Curvature>,
    /// At the known minimum nearest the start.
    pub at_minimum: Option<Curvature>,
    /// 1/λ_max: above it, plain GD overshoots along the steepest direction (oscillates).
    pub lr_oscillate: Option<f64>,
    /// 2/λ_max: above it, plain GD diverges.
    pub lr_diverge: Option<f64>,
    /// λ_max / λ_min where the bounds are taken.
    pub condition_number: Option<f64>,
    /// A negative eigenvalue where the bounds are taken (a saddle or a hilltop): along that
    /// direction plain GD moves away at any η > 0; the bounds hold for the other direction.
    pub negative_curvature: bool,
}

impl Facts {
    /// The facts for `landscape` from `start`. The bounds come from the curvature at the
    /// nearest known minimum (the quadratic model GD ends in), else at the start.
    pub fn of(landscape: &Landscape, start: Vec2) -> Self {
        Self::with_minima(landscape, start, &landscape.minima())
    }

    /// As [`Self::of`], with the landscape's minima already found (finding them is a grid
    /// search for a typed formula; a caller that has them need not search again).
    pub fn with_minima(landscape: &Landscape, start: Vec2, minima: &[Vec2]) -> Self {
        let at_start = Curvature::of(landscape, start);
        let nearest = minima
            .iter()
            .map(|&m| {
                if landscape.is_one_d() {
                    Vec2::new(m.x, start.y)
                } else {
                    m
                }
            })
            .min_by(|a, b| (a - start).norm().total_cmp(&(b - start).norm()));
        let at_minimum = nearest.and_then(|m| Curvature::of(landscape, m));
        let basis = at_minimum.or(at_start);
        let lambda_max = basis.map(|c| c.eigenvalues[1]).filter(|l| *l > 0.0);
        Self {
            at_start,
            at_minimum,
            lr_oscillate: lambda_max.map(|l| 1.0 / l),
            lr_diverge: lambda_max.map(|l| 2.0 / l),
            condition_number: basis.and_then(|c| c.condition_number()),
            negative_curvature: basis.is_some_and(|c| c.eigenvalues[0] < 0.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bowl_oscillates_above_an_eighth_and_diverges_above_a_quarter() {
        let f = Facts::of(&Landscape::builtin("bowl").unwrap(), Vec2::new(3.0, 2.0));
        assert_eq!(f.lr_oscillate, Some(0.125));
        assert_eq!(f.lr_diverge, Some(0.25));
        assert_eq!(f.condition_number, Some(4.0));
        assert_eq!(f.at_minimum.unwrap().eigenvalues, [2.0, 8.0]);
    }

    #[test]
    fn the_parabola_diverges_above_one_and_has_a_flat_direction() {
        let f = Facts::of(
            &Landscape::builtin("parabola").unwrap(),
            Vec2::new(6.0, 0.5),
        );
        assert_eq!(f.lr_diverge, Some(1.0));
        assert_eq!(f.condition_number, None);
        assert_eq!(f.at_minimum.unwrap().at, Vec2::new(2.0, 0.5));
    }

    #[test]
    fn the_saddle_has_no_minimum_and_uses_the_start() {
        let f = Facts::of(&Landscape::builtin("saddle").unwrap(), Vec2::new(1.0, 0.1));
        assert!(f.at_minimum.is_none());
        assert_eq!(f.at_start.unwrap().eigenvalues, [-2.0, 2.0]);
        assert_eq!(f.lr_diverge, Some(1.0));
        assert_eq!(f.condition_number, None);
        assert!(f.negative_curvature);
    }

    #[test]
    fn rosenbrock_is_badly_conditioned_at_its_minimum() {
        let f = Facts::of(
            &Landscape::builtin("rosenbrock").unwrap(),
            Vec2::new(-1.2, 1.0),
        );
        let k = f.condition_number.unwrap();
        assert!(k > 2000.0 && k < 3000.0, "{k}");
    }
}
