//! The plane through a network's weights that the map shows: θ(a, b) = o + a·d₁ + b·d₂.
//!
//! - `pca`: o = θ_T (the path's end), d₁, d₂ the first two principal directions of the path's
//!   points θ₀ … θ_T (centred, as scikit-learn's PCA, used by Li et al. 2018 §7), unit length;
//!   the share of the path's variance each explains is reported.
//! - `random`: o = θ_T, d₁, d₂ Gaussian from the seed, normalized neuron by neuron ("filter
//!   normalization", Li et al. 2018 §4): each neuron's incoming weights and bias in a
//!   direction are scaled to the norm of that neuron's weights and bias in θ_T, so one unit
//!   along d₁ is a change the size of the weights themselves.
//! - `params:I,J`: only p_I and p_J move: a = p_I, b = p_J, the rest of θ as at θ_T.
//!
//! Points of the path are projected onto the plane by least squares (the directions need not
//! be orthogonal); what is left over, ‖θ − θ(a, b)‖, is how far the path leaves the plane.

use nalgebra::{DMatrix, SymmetricEigen};
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use super::model::Net;
use crate::geometry::{Vec2, View};

/// The most path points the principal directions are computed from (evenly spaced along the
/// path, the ends always in): a 256×256 eigenproblem whatever the run's length.
const PCA_POINTS: usize = 256;

/// Which plane.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaneKind {
    /// The principal directions of the path.
    #[default]
    Pca,
    /// Filter-normalized random directions from a seed.
    Random(u64),
    /// Two parameters by index.
    Params(usize, usize),
}

impl PlaneKind {
    /// Reads `pca`, `random`, `random:SEED` or `params:I,J`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let bad = || {
            format!(
                "--plane '{t}': write pca, random, random:SEED or params:I,J (two parameter indices)"
            )
        };
        match t.split_once(':') {
            None if t == "pca" => Ok(Self::Pca),
            None if t == "random" => Ok(Self::Random(0)),
            Some(("random", s)) => s.trim().parse().map(Self::Random).map_err(|_| bad()),
            Some(("params", ij)) => {
                let (i, j) = ij.split_once(',').ok_or_else(bad)?;
                let (i, j) = (
                    i.trim().parse().map_err(|_| bad())?,
                    j.trim().parse().map_err(|_| bad())?,
                );
                if i == j {
                    return Err(format!(
                        "--plane params:{i},{j}: choose two different parameters"
                    ));
                }
                Ok(Self::Params(i, j))
            }
            _ => Err(bad()),
        }
    }

    /// The text [`Self::parse`] reads.
    pub fn text(self) -> String {
        match self {
            Self::Pca => "pca".into(),
            Self::Random(s) => format!("random:{s}"),
            Self::Params(i, j) => format!("params:{i},{j}"),
        }
    }

    /// What the axes are, for labels.
    pub fn axis_names(self, net: &Net) -> [String; 2] {
        match self {
            Self::Pca => ["PC1".into(), "PC2".into()],
            Self::Random(_) => ["d1".into(), "d2".into()],
            Self::Params(i, j) => [
                format!("p{i} {}", net.spec.param_name(i)),
                format!("p{j} {}", net.spec.param_name(j)),
            ],
        }
    }
}

/// A plane through θ-space, with how well it holds the path it was made for.
#[derive(Clone, Debug, PartialEq)]
pub struct Plane {
    pub kind: PlaneKind,
    /// o: θ(0, 0).
    pub origin: Vec<f64>,
    pub d1: Vec<f64>,
    pub d2: Vec<f64>,
    /// The inverse of the directions' Gram matrix, for least-squares projection.
    gram_inv: [[f64; 2]; 2],
    /// PCA only: the share of the path's variance along d₁ and d₂.
    pub explained: Option<[f64; 2]>,
    /// The largest distance from a path point to the plane, relative to the path's largest
    /// distance from θ_T (0: the path lies in the plane).
    pub leaves: f64,
    /// A window showing the path with room around it.
    pub view: View,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl Plane {
    /// The plane of `kind` for `net` through the end of `path` (θ₀ … θ_T, at least one point).
    pub fn new(kind: PlaneKind, net: &Net, path: &[Vec<f64>]) -> Result<Self, String> {
        let p = net.param_count();
        let end = path.last().ok_or("the plane needs a path")?.clone();
        let (origin, d1, d2, explained) = match kind {
            PlaneKind::Params(i, j) => {
                if i >= p || j >= p {
                    return Err(format!(
                        "--plane params:{i},{j}: this network has parameters 0 to {} (P = {p})",
                        p - 1
                    ));
                }
                let mut o = end.clone();
                o[i] = 0.0;
                o[j] = 0.0;
                let (mut d1, mut d2) = (vec![0.0; p], vec![0.0; p]);
                d1[i] = 1.0;
                d2[j] = 1.0;
                (o, d1, d2, None)
            }
            PlaneKind::Random(seed) => {
                let mut r = Xoshiro256PlusPlus::seed_from_u64(seed);
                let mut d1: Vec<f64> = (0..p).map(|_| StandardNormal.sample(&mut r)).collect();
                let mut d2: Vec<f64> = (0..p).map(|_| StandardNormal.sample(&mut r)).collect();
                filter_normalize(net, &end, &mut d1);
                filter_normalize(net, &end, &mut d2);
                (end.clone(), d1, d2, None)
            }
            PlaneKind::Pca => {
                let (d1, d2, ex) = principal(path, &end);
                (end.clone(), d1, d2, Some(ex))
            }
        };
        let g = [
            [dot(&d1, &d1), dot(&d1, &d2)],
            [dot(&d1, &d2), dot(&d2, &d2)],
        ];
        let det = g[0][0] * g[1][1] - g[0][1] * g[0][1];
        if !(det.is_finite() && det > 1e-300) {
            return Err("the plane's two directions are parallel (the path does not move)".into());
        }
        let gram_inv = [
            [g[1][1] / det, -g[0][1] / det],
            [-g[0][1] / det, g[0][0] / det],
        ];
        let mut plane = Self {
            kind,
            origin,
            d1,
            d2,
            gram_inv,
            explained,
            leaves: 0.0,
            view: View {
                x: [-1.0, 1.0],
                y: [-1.0, 1.0],
            },
        };
        let (mut far, mut off) = (0.0_f64, 0.0_f64);
        let (mut lo, mut hi) = (Vec2::repeat(f64::INFINITY), Vec2::repeat(f64::NEG_INFINITY));
        for t in path {
            let (ab, r) = plane.project(t);
            off = off.max(r);
            far = far.max(
                t.iter()
                    .zip(&end)
                    .map(|(a, b)| (a - b) * (a - b))
                    .sum::<f64>()
                    .sqrt(),
            );
            lo = lo.inf(&ab);
            hi = hi.sup(&ab);
        }
        plane.leaves = if far > 0.0 { off / far } else { 0.0 };
        if let PlaneKind::Random(_) = kind {
            lo = lo.inf(&Vec2::repeat(-1.0));
            hi = hi.sup(&Vec2::repeat(1.0));
        }
        plane.view = padded(lo, hi);
        Ok(plane)
    }

    /// θ(a, b), written into `out`.
    #[inline]
    pub fn point(&self, w: Vec2, out: &mut [f64]) {
        for (k, o) in out.iter_mut().enumerate() {
            *o = self.origin[k] + w.x * self.d1[k] + w.y * self.d2[k];
        }
    }

    /// The plane point nearest θ, as (a, b), and the distance between them.
    pub fn project(&self, theta: &[f64]) -> (Vec2, f64) {
        let v: Vec<f64> = theta.iter().zip(&self.origin).map(|(t, o)| t - o).collect();
        let (u1, u2) = (dot(&v, &self.d1), dot(&v, &self.d2));
        let gi = self.gram_inv;
        let a = gi[0][0] * u1 + gi[0][1] * u2;
        let b = gi[1][0] * u1 + gi[1][1] * u2;
        let r2: f64 = v
            .iter()
            .enumerate()
            .map(|(k, x)| {
                let e = x - a * self.d1[k] - b * self.d2[k];
                e * e
            })
            .sum();
        (Vec2::new(a, b), r2.sqrt())
    }

    /// The gradient of L(θ(a, b)) from ∇L at θ(a, b): (d₁·∇L, d₂·∇L).
    pub fn grad(&self, g: &[f64]) -> Vec2 {
        Vec2::new(dot(&self.d1, g), dot(&self.d2, g))
    }
}

/// A window around [lo, hi] with a quarter of its size as margin on every side (and some room
/// when the path does not move along an axis).
fn padded(lo: Vec2, hi: Vec2) -> View {
    let span = (hi - lo).map(|s| if s.is_finite() { s } else { 0.0 });
    let room = span.x.max(span.y).max(1e-3);
    let pad = |lo: f64, hi: f64, s: f64| {
        let m = 0.25 * s.max(0.5 * room);
        let mid = 0.5 * (lo + hi);
        let half = 0.5 * s.max(0.5 * room) + m;
        [mid - half, mid + half]
    };
    View {
        x: pad(lo.x, hi.x, span.x),
        y: pad(lo.y, hi.y, span.y),
    }
}

/// Scales `d` neuron by neuron: the slice of each neuron (its row of W and its bias) to the
/// norm of the same slice of `theta`.
fn filter_normalize(net: &Net, theta: &[f64], d: &mut [f64]) {
    for l in net.layers() {
        for i in 0..l.fan_out {
            let row = l.weights + i * l.fan_in..l.weights + (i + 1) * l.fan_in;
            let bias = l.bias() + i;
            let norm =
                |v: &[f64]| (dot(&v[row.clone()], &v[row.clone()]) + v[bias] * v[bias]).sqrt();
            let (want, have) = (norm(theta), norm(d));
            let s = if have > 0.0 { want / have } else { 0.0 };
            for k in row.clone() {
                d[k] *= s;
            }
            d[bias] *= s;
        }
    }
}

/// The first two principal directions of the path (unit length, oriented so the start lies
/// at a ≤ 0 and b ≤ 0) and the share of the variance each explains. Computed through the
/// Gram matrix of at most [`PCA_POINTS`] centred points, so its cost is linear in P.
fn principal(path: &[Vec<f64>], end: &[f64]) -> (Vec<f64>, Vec<f64>, [f64; 2]) {
    let p = end.len();
    let n = path.len();
    let picks: Vec<usize> = if n <= PCA_POINTS {
        (0..n).collect()
    } else {
        let mut v: Vec<usize> = (0..PCA_POINTS)
            .map(|k| k * (n - 1) / (PCA_POINTS - 1))
            .collect();
        v.dedup();
        v
    };
    let m = picks.len();
    let mut mean = vec![0.0; p];
    for &i in &picks {
        for (k, v) in path[i].iter().enumerate() {
            mean[k] += v / m as f64;
        }
    }
    let rows: Vec<Vec<f64>> = picks
        .iter()
        .map(|&i| path[i].iter().zip(&mean).map(|(a, b)| a - b).collect())
        .collect();
    let gram = DMatrix::from_fn(m, m, |i, j| dot(&rows[i], &rows[j]));
    let total: f64 = (0..m).map(|i| gram[(i, i)]).sum();
    let eig = SymmetricEigen::new(gram);
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
    let start: Vec<f64> = path[0].iter().zip(end).map(|(a, b)| a - b).collect();
    let mut dirs = Vec::new();
    let mut shares = [0.0; 2];
    for (slot, &k) in order.iter().take(2).enumerate() {
        let u = eig.eigenvectors.column(k);
        let mut d = vec![0.0; p];
        for (i, row) in rows.iter().enumerate() {
            for (dk, r) in d.iter_mut().zip(row) {
                *dk += u[i] * r;
            }
        }
        let norm = dot(&d, &d).sqrt();
        let lambda = eig.eigenvalues[k].max(0.0);
        if norm > 0.0 && lambda > 1e-24 * total.max(f64::MIN_POSITIVE) {
            d.iter_mut().for_each(|v| *v /= norm);
        } else {
            d = fallback_direction(p, slot, dirs.first());
        }
        if dot(&d, &start) > 0.0 {
            d.iter_mut().for_each(|v| *v = -*v);
        }
        shares[slot] = if total > 0.0 { lambda / total } else { 0.0 };
        dirs.push(d);
    }
    while dirs.len() < 2 {
        let slot = dirs.len();
        dirs.push(fallback_direction(p, slot, dirs.first()));
    }
    let d2 = dirs.pop().unwrap_or_default();
    let d1 = dirs.pop().unwrap_or_default();
    (d1, d2, shares)
}

/// A unit direction when the path has too little spread for one: a coordinate axis not
/// parallel to `other`.
fn fallback_direction(p: usize, slot: usize, other: Option<&Vec<f64>>) -> Vec<f64> {
    let mut best = slot.min(p - 1);
    if let Some(o) = other {
        best = (0..p)
            .min_by(|&a, &b| o[a].abs().total_cmp(&o[b].abs()))
            .unwrap_or(best);
    }
    let mut d = vec![0.0; p];
    d[best] = 1.0;
    if let Some(o) = other {
        // Orthogonal to the first direction.
        let c = o[best];
        for (k, v) in d.iter_mut().enumerate() {
            *v -= c * o[k];
        }
        let n = dot(&d, &d).sqrt();
        d.iter_mut().for_each(|v| *v /= n);
    }
    d
}
