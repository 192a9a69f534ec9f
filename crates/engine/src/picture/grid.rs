//! The sampling lattice: a function's values on cell centres over a [`View`], as the heat map,
//! the contours and the 3-D surface all read them.

use crate::geometry::View;

/// Values of a function on an `nx × ny` lattice over `view`.
///
/// Sample (i, j) (column i, row j) sits at the centre of cell (i, j) of an `nx × ny` split of the
/// view, so the samples never lie on the view border and the heat map's pixels line up with them:
///
/// `x_i = view.x[0] + (i + 0.5)·(view.x[1] − view.x[0])/nx`,
/// `y_j = view.y[0] + (j + 0.5)·(view.y[1] − view.y[0])/ny`.
///
/// `values[j * nx + i]`; row `j = 0` is the SMALLEST y. NaN means "undefined here" (±inf is treated
/// as undefined by [`contours`](super::contour::contours) and clamped by [`colorize`](super::colour::colorize)). If `values` is shorter than
/// `nx * ny`, the missing samples count as undefined.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub view: View,
    pub nx: usize,
    pub ny: usize,
    pub values: Vec<f64>,
}

/// Cell-centre coordinate of index `k` on an axis `[lo, hi]` split into `n` cells:
/// `lo + (k + 0.5)·(hi − lo)/n`. Shared by [`Grid`] and [`contours`](super::contour::contours) so both agree bit for bit.
#[inline]
fn centre(lo: f64, step: f64, k: usize) -> f64 {
    lo + (k as f64 + 0.5) * step
}

impl Grid {
    /// Cell width along x: `(view.x[1] − view.x[0]) / nx`.
    fn step_x(&self) -> f64 {
        (self.view.x[1] - self.view.x[0]) / self.nx as f64
    }

    /// Cell height along y: `(view.y[1] − view.y[0]) / ny`.
    fn step_y(&self) -> f64 {
        (self.view.y[1] - self.view.y[0]) / self.ny as f64
    }

    /// Number of samples that really exist: `min(nx·ny, values.len())` (saturating).
    fn sample_count(&self) -> usize {
        self.nx.saturating_mul(self.ny).min(self.values.len())
    }

    /// The x coordinates of the samples of any row, `x_i = x0 + (i + 0.5)·(x1 − x0)/nx` for
    /// `i in 0..nx`. Every row shares them, so a vectorised evaluator can fill `values` row by row
    /// with `(row_xs(), row_y(j))`.
    pub fn row_xs(&self) -> Vec<f64> {
        let dx = self.step_x();
        (0..self.nx)
            .map(|i| centre(self.view.x[0], dx, i))
            .collect()
    }

    /// The y coordinate of row `j`: `y_j = y0 + (j + 0.5)·(y1 − y0)/ny` (row 0 = smallest y).
    /// Not range-checked (it is plain arithmetic); with `ny == 0` the result is not finite.
    pub fn row_y(&self, j: usize) -> f64 {
        centre(self.view.y[0], self.step_y(), j)
    }

    /// Smallest and largest finite value over the `nx·ny` samples (NaN and ±inf ignored), or
    /// `None` if there is no finite value. Feed it to [`contour_levels`](super::contour::contour_levels) / [`colorize`](super::colour::colorize).
    pub fn finite_range(&self) -> Option<(f64, f64)> {
        self.values[..self.sample_count()]
            .iter()
            .filter(|v| v.is_finite())
            .fold(None, |acc, &v| match acc {
                None => Some((v, v)),
                Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
            })
    }
}
