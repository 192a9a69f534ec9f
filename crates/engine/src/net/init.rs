//! θ₀: read from an init file, or drawn from a seed within torch's default bounds.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use super::model::Net;

/// Where θ₀ comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Init {
    /// Drawn from a seed: every weight and bias of a layer uniform in ±1/√fan_in, torch's
    /// default bound for `nn.Linear` (Kaiming-uniform with a = √5 gives the same bound).
    Seed(u64),
    /// Given whole (an init file, carried in setups).
    Values(std::sync::Arc<[f64]>),
}

impl Default for Init {
    fn default() -> Self {
        Self::Seed(0)
    }
}

impl Init {
    /// θ₀ for `net`, or why these values cannot be it.
    pub fn theta(&self, net: &Net) -> Result<Vec<f64>, String> {
        let p = net.param_count();
        match self {
            Self::Seed(seed) => {
                let mut r = Xoshiro256PlusPlus::seed_from_u64(*seed);
                let mut theta = vec![0.0; p];
                for l in net.layers() {
                    let bound = 1.0 / (l.fan_in as f64).sqrt();
                    for v in &mut theta[l.weights..l.end()] {
                        *v = r.random_range(-bound..bound);
                    }
                }
                Ok(theta)
            }
            Self::Values(v) => {
                if v.len() != p {
                    return Err(format!(
                        "the init file has {} number(s); this network ({}) has {p} parameters",
                        v.len(),
                        net.spec.describe()
                    ));
                }
                Ok(v.to_vec())
            }
        }
    }

    /// Reads an init file's text: numbers separated by commas, spaces or newlines.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut v = Vec::new();
        for (k, tok) in text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|t| !t.is_empty())
            .enumerate()
        {
            match tok.parse::<f64>() {
                Ok(x) if x.is_finite() => v.push(x),
                _ => {
                    return Err(format!(
                        "number {} of the init file, '{}', is not a finite number",
                        k + 1,
                        tok.chars().take(30).collect::<String>()
                    ));
                }
            }
        }
        if v.is_empty() {
            return Err("the init file holds no numbers".into());
        }
        Ok(Self::Values(v.into()))
    }
}
