//! A network's data: n points of d inputs and one target, from a CSV table (inputs, then the
//! target last), from a shipped set, or drawn from a seed: the 2-D classification sets of
//! TensorFlow Playground (circle, xor, gauss, spiral).

use std::f64::consts::PI;
use std::sync::Arc;

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use crate::data::{MAX_FILE_BYTES, MAX_POINTS, SHIPPED};

/// Points: `x` row-major (n × d), `y` the targets.
#[derive(Clone, Debug, PartialEq)]
pub struct NetData {
    /// A short name for titles ("spiral", "ring.csv").
    pub name: String,
    /// The column names: d inputs, then the target.
    pub names: Vec<String>,
    x: Vec<f64>,
    pub y: Vec<f64>,
    d: usize,
}

impl NetData {
    /// Points from row-major inputs and targets; checks sizes and finiteness.
    pub fn new(name: String, names: Vec<String>, x: Vec<f64>, y: Vec<f64>) -> Result<Self, String> {
        let d = names.len().saturating_sub(1);
        if d == 0 || x.len() != d * y.len() {
            return Err(format!(
                "{name}: {} input value(s) for {} point(s) of {d} input(s)",
                x.len(),
                y.len()
            ));
        }
        if y.len() < 2 {
            return Err(format!("{name}: a network needs at least two points"));
        }
        if let Some(v) = x.iter().chain(&y).find(|v| !v.is_finite()) {
            return Err(format!("{name}: {v} is not a finite number"));
        }
        Ok(Self {
            name,
            names,
            x,
            y,
            d,
        })
    }

    /// n.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// d: inputs per point.
    pub fn inputs(&self) -> usize {
        self.d
    }

    /// Point i's inputs.
    #[inline(always)]
    pub fn x(&self, i: usize) -> &[f64] {
        &self.x[i * self.d..(i + 1) * self.d]
    }

    /// Whether every target is 0 or 1 (a classification set, which BCE needs).
    pub fn is_binary(&self) -> bool {
        self.y.iter().all(|&y| y == 0.0 || y == 1.0)
    }

    /// The range of input column `j`, for the Data page's axes.
    pub fn range(&self, j: usize) -> [f64; 2] {
        (0..self.len()).fold([f64::INFINITY, f64::NEG_INFINITY], |[lo, hi], i| {
            let v = self.x(i)[j];
            [lo.min(v), hi.max(v)]
        })
    }
}

/// A 2-D classification pattern drawn from a seed (as in TensorFlow Playground).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pattern {
    /// Label 1 inside radius 0.5, label 0 on the ring from 0.7 to 1.
    #[default]
    Circle,
    /// Label 1 where x1·x2 > 0: opposite quadrants share a class.
    Xor,
    /// Two Gaussian blobs around (0.5, 0.5) (label 1) and (−0.5, −0.5) (label 0).
    Gauss,
    /// Two interleaved spirals, one turn and three quarters each.
    Spiral,
}

impl Pattern {
    pub const ALL: [Self; 4] = [Self::Circle, Self::Xor, Self::Gauss, Self::Spiral];

    pub const fn name(self) -> &'static str {
        match self {
            Self::Circle => "circle",
            Self::Xor => "xor",
            Self::Gauss => "gauss",
            Self::Spiral => "spiral",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == s)
    }

    /// What the set looks like, in a phrase.
    pub const fn summary(self) -> &'static str {
        match self {
            Self::Circle => "a disc inside a ring: no straight line separates them",
            Self::Xor => "opposite quadrants share a class",
            Self::Gauss => "two blobs: one straight line nearly separates them",
            Self::Spiral => "two spirals wound into each other: the hard one",
        }
    }

    /// `n` points (half of each class) with Gaussian noise of `noise` on each input, from
    /// Xoshiro256++ seeded with `seed`.
    pub fn points(self, n: usize, noise: f64, seed: u64) -> Result<NetData, String> {
        if !(2..=MAX_POINTS).contains(&n) {
            return Err(format!("{n} points: choose from 2 to {MAX_POINTS}"));
        }
        if !(noise.is_finite() && noise >= 0.0) {
            return Err(format!("noise {noise}: it must be a finite number ≥ 0"));
        }
        let mut r = Xoshiro256PlusPlus::seed_from_u64(seed);
        let (mut x, mut y) = (Vec::with_capacity(2 * n), Vec::with_capacity(n));
        for i in 0..n {
            let label = (i % 2) as f64;
            let (a, b) = match self {
                Self::Circle => {
                    let t = r.random_range(0.0..2.0 * PI);
                    let rad = if label == 1.0 {
                        r.random_range(0.0..0.5)
                    } else {
                        r.random_range(0.7..1.0)
                    };
                    (rad * t.cos(), rad * t.sin())
                }
                Self::Xor => {
                    // Kept off the axes by a small margin, as Playground does.
                    let mut c = || {
                        let v: f64 = r.random_range(0.05..1.0);
                        if r.random_bool(0.5) { v } else { -v }
                    };
                    let (a, b) = (c(), c());
                    if (a * b > 0.0) == (label == 1.0) {
                        (a, b)
                    } else {
                        (a, -b)
                    }
                }
                Self::Gauss => {
                    let c = if label == 1.0 { 0.5 } else { -0.5 };
                    let da: f64 = StandardNormal.sample(&mut r);
                    let db: f64 = StandardNormal.sample(&mut r);
                    (c + 0.25 * da, c + 0.25 * db)
                }
                Self::Spiral => {
                    let k = (i / 2) as f64 / (n.div_ceil(2)) as f64;
                    let t = 1.75 * 2.0 * PI * k + if label == 1.0 { 0.0 } else { PI };
                    (k * t.sin(), k * t.cos())
                }
            };
            let (na, nb): (f64, f64) = if noise > 0.0 {
                (StandardNormal.sample(&mut r), StandardNormal.sample(&mut r))
            } else {
                (0.0, 0.0)
            };
            x.push(a + noise * na);
            x.push(b + noise * nb);
            y.push(label);
        }
        NetData::new(
            self.name().into(),
            vec!["x1".into(), "x2".into(), "y".into()],
            x,
            y,
        )
    }
}

/// Where a network's points come from, as setups and settings store it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NetDataSource {
    /// A pattern drawn from a seed.
    Pattern {
        pattern: Pattern,
        n: usize,
        #[serde(default)]
        noise: f64,
        #[serde(default)]
        seed: u64,
    },
    /// A shipped CSV set by name (one input: x, then y).
    Shipped { name: String },
    /// A table read from a file, carried whole so a setup reopens without the file.
    Table {
        name: String,
        names: Vec<String>,
        /// Row-major: each row the inputs, then the target.
        values: Arc<[f64]>,
    },
}

impl Default for NetDataSource {
    fn default() -> Self {
        Self::Pattern {
            pattern: Pattern::Circle,
            n: 200,
            noise: 0.0,
            seed: 0,
        }
    }
}

impl NetDataSource {
    /// A data set by its command-line name: a pattern (`circle`, `xor`, `gauss`, `spiral`,
    /// 200 points, drawn from `seed`) or a shipped set.
    pub fn named(name: &str, seed: u64) -> Option<Self> {
        if let Some(pattern) = Pattern::from_name(name) {
            return Some(Self::Pattern {
                pattern,
                n: 200,
                noise: 0.0,
                seed,
            });
        }
        SHIPPED
            .iter()
            .any(|s| s.name == name)
            .then(|| Self::Shipped { name: name.into() })
    }

    /// Every name [`Self::named`] knows.
    pub fn names() -> Vec<&'static str> {
        Pattern::ALL
            .iter()
            .map(|p| p.name())
            .chain(SHIPPED.iter().map(|s| s.name))
            .collect()
    }

    /// A short name for titles.
    pub fn title(&self) -> String {
        match self {
            Self::Pattern { pattern, .. } => pattern.name().into(),
            Self::Shipped { name } | Self::Table { name, .. } => name.clone(),
        }
    }

    /// The points, or why there are none.
    pub fn load(&self) -> Result<NetData, String> {
        match self {
            Self::Pattern {
                pattern,
                n,
                noise,
                seed,
            } => pattern.points(*n, *noise, *seed),
            Self::Shipped { name } => {
                let s = SHIPPED.iter().find(|s| s.name == name).ok_or_else(|| {
                    format!(
                        "no data set '{name}' (choose one of: {})",
                        Self::names().join(", ")
                    )
                })?;
                let t = crate::data::csv::read_table(s.csv, 2)
                    .map_err(|e| format!("{} ({}.csv): {e}", s.title, s.name))?;
                Self::from_table(name, t)
            }
            Self::Table {
                name,
                names,
                values,
            } => {
                let w = names.len().max(1);
                let (mut x, mut y) = (Vec::new(), Vec::new());
                for row in values.chunks(w) {
                    x.extend_from_slice(&row[..w - 1]);
                    y.push(row[w - 1]);
                }
                NetData::new(name.clone(), names.clone(), x, y)
            }
        }
    }

    fn from_table(name: &str, t: crate::data::csv::Table) -> Result<NetData, String> {
        let w = t.names.len();
        let (mut x, mut y) = (Vec::with_capacity(t.rows.len() * (w - 1)), Vec::new());
        for row in &t.rows {
            x.extend_from_slice(&row[..w - 1]);
            y.push(row[w - 1]);
        }
        NetData::new(name.into(), t.names, x, y)
    }

    /// Reads a CSV file whole: its header names the inputs, then the target last.
    pub fn from_file(path: &std::path::Path) -> Result<Self, String> {
        let text = crate::files::read_text(path, MAX_FILE_BYTES, "data file")?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let t = crate::data::csv::read_table(&text, 2).map_err(|e| format!("{name}: {e}"))?;
        let values: Vec<f64> = t.rows.iter().flatten().copied().collect();
        Ok(Self::Table {
            name,
            names: t.names,
            values: values.into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_seeded_balanced_and_in_the_unit_square() {
        for p in Pattern::ALL {
            let a = p.points(200, 0.0, 3).unwrap();
            assert_eq!(a, p.points(200, 0.0, 3).unwrap());
            // The spiral without noise is the same curve for every seed.
            assert_ne!(a, p.points(200, 0.05, 4).unwrap(), "{p:?}");
            assert_eq!(a.y.iter().sum::<f64>(), 100.0);
            assert!(a.is_binary());
            if p != Pattern::Gauss {
                assert!((0..200).all(|i| a.x(i).iter().all(|v| v.abs() <= 1.0)));
            }
        }
        let xor = Pattern::Xor.points(100, 0.0, 1).unwrap();
        assert!((0..100).all(|i| (xor.x(i)[0] * xor.x(i)[1] > 0.0) == (xor.y[i] == 1.0)));
        assert!(Pattern::Circle.points(1, 0.0, 0).is_err());
        assert!(Pattern::Circle.points(10, f64::NAN, 0).is_err());
    }
}
