//! What a network does with its inputs at one θ, for the Data page: over two inputs, its output
//! on a grid spanning the data (TensorFlow Playground's decision regions); over one input, its
//! output along the data's range (the fitted curve). The output is σ(z), the probability of
//! label 1, for bce, and z itself for mse.

use super::problem::NetProblem;
use super::spec::NetLoss;
use crate::progress::Progress;

/// The network's output at one θ over the data's inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Regions {
    pub shape: Shape,
    /// The range the outputs are coloured over: [0, 1] for a probability, the targets' range
    /// for mse.
    pub scale: [f64; 2],
    /// Whether the output is a probability (bce).
    pub probability: bool,
    /// bce: the share of points on the right side of σ = ½ (the training accuracy).
    pub accuracy: Option<f64>,
}

/// Where the outputs were taken.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// Two inputs: `cols × rows` outputs, row 0 the top (the largest x2), over `x` × `y`.
    Grid {
        x: [f64; 2],
        y: [f64; 2],
        cols: usize,
        rows: usize,
        values: Vec<f64>,
    },
    /// One input: (x, output) along the data's range, padded.
    Curve { points: Vec<[f64; 2]> },
}

/// `[lo, hi]` widened by 10 % on each side (and to a unit span when the values coincide).
fn padded([lo, hi]: [f64; 2]) -> [f64; 2] {
    let pad = ((hi - lo) * 0.1).max(if hi > lo { 0.0 } else { 0.5 });
    [lo - pad, hi + pad]
}

/// The network's output at `theta` over `problem`'s inputs, `size` samples a side (a grid of
/// `size²` for two inputs, `4·size` points along one), or why it has no picture (more than two
/// inputs). `None` also when `progress` was cancelled.
pub fn regions(
    problem: &NetProblem,
    theta: &[f64],
    size: usize,
    progress: &Progress,
) -> Option<Result<Regions, String>> {
    let (net, data) = (&problem.net, &problem.data);
    if theta.len() != net.param_count() {
        return Some(Err(format!(
            "θ has {} numbers; the network has {} parameters",
            theta.len(),
            net.param_count()
        )));
    }
    let probability = net.spec.loss == NetLoss::Bce;
    let mut s = net.scratch();
    let out = |z: f64| {
        if probability {
            1.0 / (1.0 + (-z).exp())
        } else {
            z
        }
    };
    let size = size.max(2);
    let shape = match data.inputs() {
        2 => {
            let (x, y) = (padded(data.range(0)), padded(data.range(1)));
            let mut values = Vec::with_capacity(size * size);
            for r in 0..size {
                if progress.cancelled() {
                    return None;
                }
                progress.set(r as u64, size as u64);
                // Cell centres; row 0 at the top.
                let b = y[1] - (y[1] - y[0]) * (r as f64 + 0.5) / size as f64;
                for c in 0..size {
                    let a = x[0] + (x[1] - x[0]) * (c as f64 + 0.5) / size as f64;
                    values.push(out(net.predict(theta, &[a, b], &mut s)));
                }
            }
            Shape::Grid {
                x,
                y,
                cols: size,
                rows: size,
                values,
            }
        }
        1 => {
            let x = padded(data.range(0));
            let n = 4 * size;
            let points = (0..n)
                .map(|i| {
                    let a = x[0] + (x[1] - x[0]) * i as f64 / (n - 1) as f64;
                    [a, out(net.predict(theta, &[a], &mut s))]
                })
                .collect();
            Shape::Curve { points }
        }
        d => {
            return Some(Err(format!(
                "{d} inputs: the Data page draws networks of one or two inputs"
            )));
        }
    };
    let scale = if probability {
        [0.0, 1.0]
    } else {
        data.y
            .iter()
            .fold([f64::INFINITY, f64::NEG_INFINITY], |[lo, hi], &v| {
                [lo.min(v), hi.max(v)]
            })
    };
    let accuracy = probability.then(|| {
        let right = (0..data.len())
            .filter(|&i| {
                let z = net.predict(theta, data.x(i), &mut s);
                (z > 0.0) == (data.y[i] == 1.0)
            })
            .count();
        right as f64 / data.len() as f64
    });
    Some(Ok(Regions {
        shape,
        scale,
        probability,
        accuracy,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::{Activation, Init, NetDataSource, NetSetup, Pattern, PlaneKind};
    use super::*;

    fn setup(pattern: Pattern) -> NetSetup {
        NetSetup {
            data: NetDataSource::Pattern {
                pattern,
                n: 40,
                noise: 0.0,
                seed: 1,
            },
            hidden: vec![3],
            activation: Activation::Tanh,
            loss: NetLoss::Bce,
            init: Init::Seed(2),
            plane: PlaneKind::Pca,
        }
    }

    #[test]
    fn two_inputs_give_a_grid_of_probabilities_over_the_data() {
        let p = setup(Pattern::Gauss).problem().unwrap();
        let r = regions(&p, &p.theta0, 8, &Progress::default())
            .unwrap()
            .unwrap();
        let Shape::Grid {
            x,
            y,
            cols,
            rows,
            values,
        } = &r.shape
        else {
            panic!("not a grid: {r:?}");
        };
        assert_eq!((*cols, *rows, values.len()), (8, 8, 64));
        assert!(values.iter().all(|v| (0.0..=1.0).contains(v)));
        let [lo, hi] = p.data.range(0);
        assert!(x[0] < lo && x[1] > hi && y[0] < y[1]);
        // Row 0 is the top: its first cell is the network at (x_lo + ½ cell, y_hi − ½ cell).
        let (a, b) = (x[0] + (x[1] - x[0]) / 16.0, y[1] - (y[1] - y[0]) / 16.0);
        let z = p.net.predict(&p.theta0, &[a, b], &mut p.net.scratch());
        assert!((values[0] - 1.0 / (1.0 + (-z).exp())).abs() < 1e-15);
        let acc = r.accuracy.unwrap();
        assert!((0.0..=1.0).contains(&acc));
        assert_eq!(r.scale, [0.0, 1.0]);
    }

    #[test]
    fn one_input_gives_a_curve_and_wrong_theta_is_refused() {
        let mut s = setup(Pattern::Circle);
        s.data = NetDataSource::named("norris", 0).unwrap();
        s.loss = NetLoss::Mse;
        let p = s.problem().unwrap();
        let r = regions(&p, &p.theta0, 8, &Progress::default())
            .unwrap()
            .unwrap();
        assert_eq!(p.data.inputs(), 1);
        let Shape::Curve { points } = &r.shape else {
            panic!("not a curve")
        };
        assert_eq!(points.len(), 32);
        assert!(r.accuracy.is_none());
        assert!(r.scale[0] < r.scale[1]);
        let e = regions(&p, &[1.0], 8, &Progress::default())
            .unwrap()
            .unwrap_err();
        assert!(e.contains("parameters"), "{e}");
        let cancelled = Progress::default();
        cancelled.cancel();
        let q = setup(Pattern::Xor).problem().unwrap();
        assert!(regions(&q, &q.theta0, 8, &cancelled).is_none());
    }
}
