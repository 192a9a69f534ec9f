//! Why a run glides, zig-zags, bounces or blows up, direction by direction: the sentence the
//! window puts under the status.
//!
//! Plain gradient descent on a quadratic multiplies the distance from the minimum along each
//! eigenvector of the Hessian by 1 − ηλ every step (see [`super::facts`]): positive and below
//! 1 it glides in, negative it overshoots and zig-zags, beyond −1 it blows up. On a quadratic
//! landscape (a constant Hessian: the bowl, the parabola, Booth, Matyas, the saddle, a typed
//! quadratic, a linear model on data) that is exact; elsewhere it holds near the current point,
//! from the Hessian there. For optimizers whose factor is not 1 − ηλ (momentum, the adaptive
//! ones) the factor is measured instead: how each recent step compares with the one before,
//! projected on each direction.

use nalgebra::Matrix2;

use crate::format::sig;
use crate::geometry::Vec2;
use crate::landscape::Landscape;
use crate::optim::Optimizer;

/// A landscape's Hessian when it is the same everywhere (a quadratic), found once per
/// landscape and kept by whoever asks [`why`] often.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Quadratic(Option<Matrix2<f64>>);

impl Quadratic {
    /// The constant Hessian of `landscape`, if its Hessian is the same (to 1e-9 of its largest
    /// entry) at scattered points well apart: a polynomial of degree two has no way to agree
    /// there by chance, and anything else practically never does.
    pub fn of(landscape: &Landscape) -> Self {
        const PROBES: [[f64; 2]; 5] = [
            [0.0, 0.0],
            [1.3, -0.7],
            [-2.1, 3.4],
            [0.37, 0.91],
            [-4.6, -1.9],
        ];
        let mut hs = Vec::with_capacity(PROBES.len());
        for [x, y] in PROBES {
            match landscape.hessian(Vec2::new(x, y)) {
                Ok(h) if h.iter().all(|v| v.is_finite()) => hs.push(h),
                _ => return Self(None),
            }
        }
        let scale = hs
            .iter()
            .flat_map(|h| h.iter())
            .fold(0.0f64, |m, v| m.max(v.abs()));
        let same = hs.iter().all(|h| {
            (h - hs[0])
                .iter()
                .all(|d| d.abs() <= 1e-9 * scale.max(1e-300))
        });
        Self(same.then_some(hs[0]))
    }

    /// The Hessian, when it is constant.
    pub fn hessian(&self) -> Option<Matrix2<f64>> {
        self.0
    }
}

/// How a step of factor `f` (the distance along a direction after a step, over the distance
/// before) moves the path, in words.
fn manner_of(f: f64) -> &'static str {
    const EXACT: f64 = 1e-12;
    if f.is_nan() {
        "its steps are not numbers any more"
    } else if f > 1.0 + EXACT {
        "it is pushed further away each step (the surface curves down that way)"
    } else if f >= 1.0 - EXACT {
        "nothing pulls it that way (the surface is flat there)"
    } else if f > 0.99 {
        "it creeps in, very slowly"
    } else if f > EXACT {
        "it glides in smoothly"
    } else if f >= -EXACT {
        "it lands on the bottom in one step"
    } else if f > -1.0 + EXACT {
        "it overshoots and zig-zags"
    } else if f >= -1.0 - EXACT {
        "it overshoots by exactly as much as it moved: it bounces back and forth forever"
    } else {
        "it overshoots further every time and blows up"
    }
}

/// A factor for people: four significant digits, with a real minus sign.
fn factor(f: f64) -> String {
    sig(f).replace('-', "−")
}

/// A direction's name: `w0` or `w1` when it lies along an axis, else its unit vector.
fn direction_name(v: Vec2) -> String {
    let v = v / v.norm();
    if v.y.abs() < 1e-9 {
        "w0".into()
    } else if v.x.abs() < 1e-9 {
        "w1".into()
    } else {
        // One sign for a direction and its opposite.
        let v = if v.x < 0.0 { -v } else { v };
        format!("({:.2}, {:.2})", v.x, v.y).replace('-', "−")
    }
}

/// The eigen-directions of a symmetric `h`, largest eigenvalue first; `None` when both
/// eigenvalues are the same (every direction is one).
fn directions(h: Matrix2<f64>) -> Result<[(f64, Vec2); 2], f64> {
    let e = h.symmetric_eigen();
    let (l0, l1) = (e.eigenvalues[0], e.eigenvalues[1]);
    let scale = l0.abs().max(l1.abs());
    if (l0 - l1).abs() <= 1e-12 * scale {
        return Err(l0);
    }
    let v0 = Vec2::new(e.eigenvectors[(0, 0)], e.eigenvectors[(1, 0)]);
    let v1 = Vec2::new(e.eigenvectors[(0, 1)], e.eigenvectors[(1, 1)]);
    Ok(if l0 >= l1 {
        [(l0, v0), (l1, v1)]
    } else {
        [(l1, v1), (l0, v0)]
    })
}

/// What a run needs for [`why`]: where it is and its last few points.
#[derive(Clone, Copy, Debug)]
pub struct WhyInput<'a> {
    pub landscape: &'a Landscape,
    /// The landscape's Hessian when constant ([`Quadratic::of`], found once).
    pub quadratic: Quadratic,
    pub optimizer: &'a Optimizer,
    /// The learning rate of the next update.
    pub lr: f64,
    /// The last few points of the path, oldest first, the current point last.
    pub recent: &'a [Vec2],
}

/// Why the run moves as it does, one sentence per direction: "along w1 every step multiplies
/// the distance by −0.6: it overshoots and zig-zags". Empty when there is nothing to say
/// (no curvature where the run is, too few steps to measure).
pub fn why(input: &WhyInput<'_>) -> Vec<String> {
    let Some(&at) = input.recent.last() else {
        return Vec::new();
    };
    let one_d = input.landscape.is_one_d();
    // Plain gradient descent (weight decay adds λ_wd to every curvature): factor 1 − η·λ.
    if let Optimizer::Sgd(o) = input.optimizer
        && o.config.momentum == 0.0
    {
        let wd = o.config.weight_decay;
        let (h, exact) = match input.quadratic.hessian() {
            Some(h) => (h, true),
            None => match input.landscape.hessian(at) {
                Ok(h) if h.iter().all(|v| v.is_finite()) => (h, false),
                _ => return Vec::new(),
            },
        };
        let h = h + Matrix2::identity() * wd;
        let (here, every, maybe) = if exact {
            ("", "every step multiplies", "")
        } else {
            ("near here, ", "a step multiplies", "about ")
        };
        let eta = input.lr;
        return match directions(h) {
            Err(l) => vec![format!(
                "{here}in every direction {every} the distance by {maybe}{}: {}",
                factor(1.0 - eta * l),
                manner_of(1.0 - eta * l)
            )],
            Ok(dirs) => dirs
                .iter()
                .filter(|(_, v)| !(one_d && direction_name(*v) == "w1"))
                .map(|&(l, v)| {
                    let f = 1.0 - eta * l;
                    format!(
                        "{here}along {} {every} the distance by {maybe}{} (1 − η·λ, λ = {}): {}",
                        direction_name(v),
                        factor(f),
                        sig(l).replace('-', "−"),
                        manner_of(f)
                    )
                })
                .collect(),
        };
    }
    measured(input, at, one_d)
}

/// The factor measured from the last steps, for optimizers whose factor is not 1 − ηλ: each
/// step projected on a direction (the Hessian's where it is defined, else the axes), over the
/// step before; the median of the last few ratios.
fn measured(input: &WhyInput<'_>, at: Vec2, one_d: bool) -> Vec<String> {
    let steps: Vec<Vec2> = input.recent.windows(2).map(|p| p[1] - p[0]).collect();
    if steps.len() < 2 {
        return Vec::new();
    }
    let hessian = input
        .quadratic
        .hessian()
        .or_else(|| input.landscape.hessian(at).ok())
        .filter(|h| h.iter().all(|v| v.is_finite()));
    let axes = [Vec2::new(1.0, 0.0), Vec2::new(0.0, 1.0)];
    let dirs: Vec<Vec2> = match hessian.map(directions) {
        Some(Ok(d)) => d.iter().map(|(_, v)| *v).collect(),
        _ => axes.into(),
    };
    let scale = input
        .recent
        .iter()
        .fold(0.0f64, |m, p| m.max(p.x.abs()).max(p.y.abs()))
        .max(1.0);
    let mut out = Vec::new();
    for v in dirs {
        let name = direction_name(v);
        if one_d && name == "w1" {
            continue;
        }
        let s: Vec<f64> = steps.iter().map(|d| d.dot(&v)).collect();
        let mut ratios: Vec<f64> = s
            .windows(2)
            .filter(|p| p[0].abs() > 1e-12 * scale && p[1].is_finite())
            .map(|p| p[1] / p[0])
            .collect();
        if ratios.is_empty() {
            continue;
        }
        let n = ratios.len();
        ratios = ratios.split_off(n.saturating_sub(5));
        ratios.sort_by(f64::total_cmp);
        let r = ratios[ratios.len() / 2];
        let how = if (r - 1.0).abs() < 1e-3 {
            "it moves steadily, the steps keeping their size"
        } else if r > 1.0 {
            "the steps keep growing"
        } else {
            manner_of(r)
        };
        out.push(format!(
            "along {name} each recent step was about {} times the one before: {how}",
            factor(r)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::OptimizerKind;
    use crate::run::{Run, RunConfig};

    /// The sentences of a run of `kind` at `lr` on `landscape` after `steps` updates.
    fn sentences(landscape: &str, kind: OptimizerKind, lr: f64, steps: u64) -> Vec<String> {
        let l = Landscape::builtin(landscape).unwrap();
        let mut c = RunConfig::new(kind);
        c.hyper.lr = lr;
        let mut run = Run::new(l.clone(), &c, l.default_start()).unwrap();
        let mut recent = vec![run.row().w];
        for _ in 0..steps {
            if let Some(r) = run.advance() {
                recent.push(r.w);
            }
        }
        let recent = &recent[recent.len().saturating_sub(8)..];
        why(&WhyInput {
            landscape: &l,
            quadratic: Quadratic::of(&l),
            optimizer: run.optimizer(),
            lr: run.lr(),
            recent,
        })
    }

    fn gd(lr: f64) -> Vec<String> {
        sentences("bowl", OptimizerKind::Sgd, lr, 3)
    }

    /// The bowl w0² + 4w1²: λ = 8 along w1, 2 along w0; the steeper direction first.
    #[test]
    fn the_bowl_direction_by_direction() {
        let cases = [
            (
                0.05,
                "0.6",
                "glides in smoothly",
                "0.9",
                "glides in smoothly",
            ),
            (0.15, "−0.2", "overshoots and zig-zags", "0.7", "glides"),
            (0.2, "−0.6", "overshoots and zig-zags", "0.6", "glides"),
            (
                0.25,
                "−1",
                "bounces back and forth forever",
                "0.5",
                "glides",
            ),
            (0.3, "−1.4", "blows up", "0.4", "glides"),
        ];
        for (lr, f1, says1, f0, says0) in cases {
            let s = gd(lr);
            assert_eq!(s.len(), 2, "{s:?}");
            assert!(
                s[0].starts_with(&format!(
                    "along w1 every step multiplies the distance by {f1} "
                )) && s[0].contains(says1),
                "η = {lr}: {s:?}"
            );
            assert!(
                s[1].starts_with(&format!(
                    "along w0 every step multiplies the distance by {f0} "
                )) && s[1].contains(says0),
                "η = {lr}: {s:?}"
            );
        }
    }

    /// The saddle x² − y²: w0 is pulled in, w1 pushed away at any η.
    #[test]
    fn the_saddle_pulls_one_way_and_pushes_the_other() {
        let s = sentences("saddle", OptimizerKind::Sgd, 0.1, 3);
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(
            s[0].starts_with("along w0 every step multiplies the distance by 0.8"),
            "{s:?}"
        );
        assert!(
            s[1].starts_with("along w1 every step multiplies the distance by 1.2"),
            "{s:?}"
        );
        assert!(s[1].contains("pushed further away"), "{s:?}");
    }

    /// The parabola is 1-D: only w0, exactly; Rosenbrock is not quadratic: the local Hessian.
    #[test]
    fn one_d_and_local_curvature() {
        let s = sentences("parabola", OptimizerKind::Sgd, 0.3, 2);
        assert_eq!(s.len(), 1, "{s:?}");
        assert!(
            s[0].starts_with("along w0 every step multiplies the distance by 0.4"),
            "{s:?}"
        );
        let s = sentences("rosenbrock", OptimizerKind::Sgd, 0.0005, 5);
        assert!(
            !s.is_empty() && s[0].starts_with("near here, along ("),
            "{s:?}"
        );
        assert!(s[0].contains("about"), "{s:?}");
        assert!(
            Quadratic::of(&Landscape::builtin("rosenbrock").unwrap())
                .hessian()
                .is_none()
        );
        for q in ["bowl", "parabola", "booth", "matyas", "saddle"] {
            assert!(
                Quadratic::of(&Landscape::builtin(q).unwrap())
                    .hessian()
                    .is_some(),
                "{q}"
            );
        }
        let typed = Landscape::expr("3*x^2 + x*y + y^2 - 2*x").unwrap();
        assert!(Quadratic::of(&typed).hessian().is_some());
        let typed = Landscape::expr("x^4 + y^2").unwrap();
        assert!(Quadratic::of(&typed).hessian().is_none());
    }

    /// Momentum's factor is not 1 − ηλ: it is measured from the steps.
    #[test]
    fn other_optimizers_are_measured() {
        let s = sentences("bowl", OptimizerKind::Momentum, 0.05, 30);
        assert!(!s.is_empty(), "{s:?}");
        assert!(
            s.iter().all(|l| l.contains("each recent step was about")),
            "{s:?}"
        );
        // Matyas's valley is diagonal: its directions are named by their vectors.
        let s = sentences("matyas", OptimizerKind::Sgd, 1.0, 2);
        assert!(s[0].starts_with("along (0.71, "), "{s:?}");
    }
}
