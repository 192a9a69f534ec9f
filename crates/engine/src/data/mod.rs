//! Data sets of (x, y) points, and the loss of a model fitted to them as a landscape over its
//! two weights: the link between "gradient descent" and "training".
//!
//! A data set comes from a CSV file, from the shipped files in `assets/data/`, or is generated
//! (seeded). [`model`] turns one into a [`DataLandscape`]; [`batch`] picks the mini-batch of
//! each step.

pub mod batch;
pub mod csv;
pub mod model;

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

pub use batch::{BatchOrder, BatchSpec, Batches};
pub use csv::CsvError;
pub use model::{Conditioning, DataLandscape, Model, NoMinimum, Standardization};

/// The most points a data set may have (a million points of f64 pairs is 16 MB).
pub const MAX_POINTS: usize = 1_000_000;
/// The largest data file read: room for [`MAX_POINTS`] lines with a few extra columns.
pub const MAX_FILE_BYTES: u64 = 256_000_000;

/// Points in their original units, with where they came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// A short name for menus and titles ("Anscombe I", "prices.csv").
    pub name: String,
    /// Where the numbers come from (the file's first comment line), possibly empty.
    pub source: String,
    /// The names of the x and y columns.
    pub columns: [String; 2],
    pub x: Vec<f64>,
    pub y: Vec<f64>,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.x.len()
    }

    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }
}

/// A data set generated from a known truth: x uniform over `x_range`; for a linear model
/// y = slope·x + intercept + noise·ξ (ξ standard normal), for a logistic model y = 1 with
/// probability σ(slope·x + intercept). Xoshiro256++ with `seed`: the same points everywhere.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Generate {
    pub n: usize,
    pub slope: f64,
    pub intercept: f64,
    pub noise: f64,
    pub x_range: [f64; 2],
    pub seed: u64,
}

impl Default for Generate {
    /// 50 points around y = 2x + 1 for x in [0, 10]: the raw landscape is a long narrow valley
    /// (condition number in the hundreds), standardized it is a round bowl.
    fn default() -> Self {
        Self {
            n: 50,
            slope: 2.0,
            intercept: 1.0,
            noise: 1.0,
            x_range: [0.0, 10.0],
            seed: 1,
        }
    }
}

impl Generate {
    /// The generated points, or why these settings cannot give any.
    pub fn points(&self, model: Model) -> Result<Dataset, String> {
        if self.n < 2 || self.n > MAX_POINTS {
            return Err(format!("generate 2 to {MAX_POINTS} points, not {}", self.n));
        }
        let all = [
            self.slope,
            self.intercept,
            self.noise,
            self.x_range[0],
            self.x_range[1],
        ];
        if all.iter().any(|v| !v.is_finite()) || self.noise < 0.0 {
            return Err("the generator's numbers must be finite, the noise ≥ 0".into());
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(self.seed);
        let [lo, hi] = self.x_range;
        let mut x = Vec::with_capacity(self.n);
        let mut y = Vec::with_capacity(self.n);
        for _ in 0..self.n {
            let u: f64 = rng.random();
            let xi = lo + u * (hi - lo);
            let z = self.slope * xi + self.intercept;
            let yi = model.generate_y(z, self.noise, &mut rng);
            x.push(xi);
            y.push(yi);
        }
        let truth = model.truth(self);
        Ok(Dataset {
            name: "generated points".to_owned(),
            source: format!("generated with seed {}: {truth}", self.seed),
            columns: ["x".into(), "y".into()],
            x,
            y,
        })
    }
}

/// A data set shipped with the program (`assets/data/`).
pub struct Shipped {
    /// The name on the command line and in setups.
    pub name: &'static str,
    /// The name in menus.
    pub title: &'static str,
    /// The model the data are for.
    pub model: Model,
    pub csv: &'static str,
}

/// The shipped data sets.
pub const SHIPPED: [Shipped; 6] = [
    Shipped {
        name: "anscombe-1",
        title: "Anscombe I",
        model: Model::Linear,
        csv: include_str!("../../../../assets/data/anscombe-1.csv"),
    },
    Shipped {
        name: "anscombe-2",
        title: "Anscombe II (a curve)",
        model: Model::Linear,
        csv: include_str!("../../../../assets/data/anscombe-2.csv"),
    },
    Shipped {
        name: "anscombe-3",
        title: "Anscombe III (outlier)",
        model: Model::Linear,
        csv: include_str!("../../../../assets/data/anscombe-3.csv"),
    },
    Shipped {
        name: "anscombe-4",
        title: "Anscombe IV (one point)",
        model: Model::Linear,
        csv: include_str!("../../../../assets/data/anscombe-4.csv"),
    },
    Shipped {
        name: "norris",
        title: "Norris calibration (NIST)",
        model: Model::Linear,
        csv: include_str!("../../../../assets/data/norris.csv"),
    },
    Shipped {
        name: "challenger",
        title: "Challenger O-rings",
        model: Model::Logistic,
        csv: include_str!("../../../../assets/data/challenger.csv"),
    },
];

/// Where a landscape's points come from, as settings, setups and presets store it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataSource {
    /// A shipped data set by name.
    Shipped { name: String },
    /// Points generated from a known truth.
    Generated(Generate),
    /// Points read from a file, carried whole (so a setup text or saved settings reopen them
    /// without the file).
    Points {
        name: String,
        #[serde(default)]
        source: String,
        #[serde(default = "xy")]
        columns: [String; 2],
        points: Points,
    },
}

/// Points read from a file, shared: settings, snapshots and setups copy a pointer, not up to
/// a million points, and compare equal at once when they are the same points.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Points(pub std::sync::Arc<[[f64; 2]]>);

impl PartialEq for Points {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl std::fmt::Debug for Points {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Points({} points)", self.0.len())
    }
}

impl From<Vec<[f64; 2]>> for Points {
    fn from(v: Vec<[f64; 2]>) -> Self {
        Self(v.into())
    }
}

fn xy() -> [String; 2] {
    ["x".into(), "y".into()]
}

impl DataSource {
    /// The points, or why there are none.
    pub fn load(&self, model: Model) -> Result<Dataset, String> {
        match self {
            Self::Shipped { name } => {
                let s = SHIPPED.iter().find(|s| s.name == name).ok_or_else(|| {
                    let names: Vec<_> = SHIPPED.iter().map(|s| s.name).collect();
                    format!(
                        "no shipped data set '{name}' (choose one of: {})",
                        names.join(", ")
                    )
                })?;
                let mut d = csv::parse(s.csv, s.title, model)
                    .map_err(|e| format!("{} ({}.csv): {e}", s.title, s.name))?;
                d.name = s.title.to_owned();
                Ok(d)
            }
            Self::Generated(g) => g.points(model),
            Self::Points {
                name,
                source,
                columns,
                points,
            } => Ok(Dataset {
                name: name.clone(),
                source: source.clone(),
                columns: columns.clone(),
                x: points.0.iter().map(|p| p[0]).collect(),
                y: points.0.iter().map(|p| p[1]).collect(),
            }),
        }
    }

    /// Points read from a file, as a source.
    pub fn points(d: &Dataset) -> Self {
        Self::Points {
            name: d.name.clone(),
            source: d.source.clone(),
            columns: d.columns.clone(),
            points: Points(d.x.iter().zip(&d.y).map(|(&x, &y)| [x, y]).collect()),
        }
    }

    /// Reads a CSV file whole (see [`csv::parse`]); the message names the file and the line.
    pub fn from_file(path: &std::path::Path, model: Model) -> Result<Self, String> {
        let text = crate::files::read_text(path, MAX_FILE_BYTES, "data file")?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let d = csv::parse(&text, &name, model).map_err(|e| format!("{name}: {e}"))?;
        Ok(Self::points(&d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_points_are_seeded_and_follow_the_truth() {
        let g = Generate::default();
        let a = g.points(Model::Linear).unwrap();
        assert_eq!(a, g.points(Model::Linear).unwrap());
        assert_eq!(a.len(), 50);
        assert!(a.x.iter().all(|x| (0.0..=10.0).contains(x)));
        let other = Generate { seed: 2, ..g }.points(Model::Linear).unwrap();
        assert_ne!(a.x, other.x);
        let l = Generate { n: 2000, ..g }.points(Model::Logistic).unwrap();
        assert!(l.y.iter().all(|&y| y == 0.0 || y == 1.0));
        assert!(Generate { n: 1, ..g }.points(Model::Linear).is_err());
        assert!(
            Generate {
                noise: f64::NAN,
                ..g
            }
            .points(Model::Linear)
            .is_err()
        );
    }

    #[test]
    fn every_shipped_set_loads() {
        for s in &SHIPPED {
            let d = DataSource::Shipped {
                name: s.name.into(),
            }
            .load(s.model)
            .unwrap();
            assert!(d.len() >= 11, "{}", s.name);
            assert!(!d.source.is_empty(), "{} has no source", s.name);
        }
        assert!(
            DataSource::Shipped {
                name: "iris".into()
            }
            .load(Model::Linear)
            .unwrap_err()
            .contains("anscombe-1")
        );
    }
}
