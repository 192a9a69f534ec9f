//! 1-D slices of a landscape: L(c + t·d) along a line through a point c in a unit direction d,
//! the picture the course draws by hand for a parabola (the curve, the iterates on it, the
//! tangent at each). Computed off the UI thread like the heat map.

use std::sync::Arc;

use crate::geometry::Vec2;
use crate::landscape::Landscape;
use crate::progress::Progress;

/// One line to sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SliceLine {
    pub center: Vec2,
    /// A unit vector.
    pub dir: Vec2,
    /// The range of t.
    pub t: (f64, f64),
    pub samples: usize,
}

impl SliceLine {
    /// The point at t.
    pub fn at(&self, t: f64) -> Vec2 {
        self.center + self.dir * t
    }

    /// Where `w` projects onto the line: its t.
    pub fn project(&self, w: Vec2) -> f64 {
        (w - self.center).dot(&self.dir)
    }
}

/// What to compute: one curve per line.
#[derive(Clone, Debug)]
pub struct SliceRequest {
    pub landscape: Arc<Landscape>,
    pub lines: Vec<SliceLine>,
}

/// The curves, as (t, L) with NaN where the formula is undefined.
#[derive(Clone, Debug)]
pub struct Slices {
    pub id: u64,
    pub request: SliceRequest,
    pub curves: Vec<Vec<[f64; 2]>>,
}

/// Samples every line of `req`.
pub fn compute(id: u64, req: SliceRequest, _: &Progress) -> Option<Slices> {
    let mut scratch = Vec::new();
    let curves = req
        .lines
        .iter()
        .map(|line| {
            let n = line.samples.max(2);
            let ts: Vec<f64> = (0..n)
                .map(|i| line.t.0 + (line.t.1 - line.t.0) * i as f64 / (n - 1) as f64)
                .collect();
            let xs: Vec<f64> = ts.iter().map(|&t| line.at(t).x).collect();
            let ys: Vec<f64> = ts.iter().map(|&t| line.at(t).y).collect();
            let mut out = vec![f64::NAN; n];
            req.landscape.eval_many(&xs, &ys, &mut out, &mut scratch);
            ts.into_iter().zip(out).map(|(t, v)| [t, v]).collect()
        })
        .collect();
    Some(Slices {
        id,
        request: req,
        curves,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parabola_along_w0() {
        let line = SliceLine {
            center: Vec2::new(0.0, 0.0),
            dir: Vec2::new(1.0, 0.0),
            t: (-2.0, 6.0),
            samples: 9,
        };
        let req = SliceRequest {
            landscape: Arc::new(Landscape::builtin("parabola").unwrap()),
            lines: vec![line],
        };
        let s = compute(1, req, &Progress::default()).unwrap();
        assert_eq!(s.curves[0][0], [-2.0, 16.0]);
        assert_eq!(s.curves[0][4], [2.0, 0.0]);
        assert_eq!(s.curves[0][8], [6.0, 16.0]);
        assert_eq!(line.project(Vec2::new(3.0, 5.0)), 3.0);
    }
}
