//! Gaussian gradient noise: a stand-in for the randomness of mini-batches.
//!
//! The gradient an optimizer sees is g̃ = ∇L(w) + σ·ξ with ξ ~ N(0, I), drawn from a
//! Xoshiro256++ stream seeded with the run's seed (ξ₀ then ξ₁ at each point). Xoshiro256++ (one
//! of rand's named portable generators) and the ziggurat normal sampler are fixed algorithms, so the same setup and seed give the same path on every
//! machine, in the window and in `downhill trace`.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use crate::geometry::Vec2;

/// The noise of a run: standard deviation σ (0 = none) and seed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoiseSpec {
    pub std: f64,
    pub seed: u64,
}

/// A noise level that is not a finite number ≥ 0.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("the noise standard deviation must be a finite number ≥ 0, got {0}")]
pub struct NoiseError(pub f64);

/// A seeded source of gradient noise.
#[derive(Clone, Debug)]
pub struct Noise {
    std: f64,
    rng: Xoshiro256PlusPlus,
}

impl Noise {
    /// The noise source of `spec`, or `None` when σ = 0.
    pub fn new(spec: NoiseSpec) -> Result<Option<Self>, NoiseError> {
        if !(spec.std.is_finite() && spec.std >= 0.0) {
            return Err(NoiseError(spec.std));
        }
        Ok((spec.std > 0.0).then(|| Self {
            std: spec.std,
            rng: Xoshiro256PlusPlus::seed_from_u64(spec.seed),
        }))
    }

    /// g + σ·ξ.
    #[inline]
    pub fn perturb(&mut self, g: Vec2) -> Vec2 {
        let x: f64 = StandardNormal.sample(&mut self.rng);
        let y: f64 = StandardNormal.sample(&mut self.rng);
        Vec2::new(g.x + self.std * x, g.y + self.std * y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_noise_and_zero_std_is_none() {
        let spec = NoiseSpec { std: 0.5, seed: 7 };
        let mut a = Noise::new(spec).unwrap().unwrap();
        let mut b = Noise::new(spec).unwrap().unwrap();
        for _ in 0..10 {
            assert_eq!(a.perturb(Vec2::zeros()), b.perturb(Vec2::zeros()));
        }
        let mut c = Noise::new(NoiseSpec { std: 0.5, seed: 8 })
            .unwrap()
            .unwrap();
        assert_ne!(a.perturb(Vec2::zeros()), c.perturb(Vec2::zeros()));
        assert!(
            Noise::new(NoiseSpec { std: 0.0, seed: 1 })
                .unwrap()
                .is_none()
        );
        assert!(Noise::new(NoiseSpec { std: -1.0, seed: 1 }).is_err());
        assert!(
            Noise::new(NoiseSpec {
                std: f64::NAN,
                seed: 1
            })
            .is_err()
        );
    }

    #[test]
    fn the_noise_has_the_requested_spread() {
        let mut n = Noise::new(NoiseSpec { std: 2.0, seed: 1 })
            .unwrap()
            .unwrap();
        let draws: Vec<f64> = (0..20_000).map(|_| n.perturb(Vec2::zeros()).x).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let var = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / draws.len() as f64;
        assert!(mean.abs() < 0.05, "{mean}");
        assert!((var.sqrt() - 2.0).abs() < 0.05, "{var}");
    }
}
