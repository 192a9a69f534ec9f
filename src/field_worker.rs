//! The heat map and contours of the visible window, computed on a thread of their own: the
//! window asks for a (landscape, view, size) and keeps drawing the old picture until the new one
//! is ready. A newer request makes older ones stale (see [`crate::worker`]).

use std::sync::Arc;

use crate::field::{ContourLine, Grid, colorize, contour_levels, contours, wants_log};
use crate::landscape::{Landscape, View};
use crate::worker::LatestWorker;

/// Contour lines drawn.
pub const LEVELS: usize = 20;

/// What to compute.
#[derive(Clone, Debug)]
pub struct FieldRequest {
    pub landscape: Arc<Landscape>,
    /// The window computed (larger than the visible one, so small pans need no new picture).
    pub view: View,
    /// The window visible when asked: colours and contour levels span the values seen there.
    pub focus: View,
    pub nx: usize,
    pub ny: usize,
}

/// A computed picture of the landscape.
#[derive(Clone, Debug)]
pub struct FieldImage {
    /// The request this answers.
    pub id: u64,
    pub landscape: Arc<Landscape>,
    pub view: View,
    pub nx: usize,
    pub ny: usize,
    /// RGBA, row 0 at the top (largest w1).
    pub rgba: Vec<u8>,
    /// The values on the grid (row 0 = smallest w1), NaN where undefined.
    pub values: Vec<f64>,
    pub levels: Vec<f64>,
    pub contours: Vec<ContourLine>,
    /// The finite range of the values, for the colour bar.
    pub range: Option<(f64, f64)>,
    /// Whether colours and levels are log-spaced.
    pub log: bool,
}

/// Computes the picture for `req` (on the calling thread).
pub fn compute(id: u64, req: &FieldRequest) -> FieldImage {
    let (nx, ny) = (req.nx.max(2), req.ny.max(2));
    let mut grid = Grid {
        view: req.view,
        nx,
        ny,
        values: vec![f64::NAN; nx * ny],
    };
    let xs = grid.row_xs();
    let mut ys = vec![0.0; nx];
    let mut scratch = Vec::new();
    for j in 0..ny {
        ys.fill(grid.row_y(j));
        let row = &mut grid.values[j * nx..(j + 1) * nx];
        req.landscape.eval_many(&xs, &ys, row, &mut scratch);
    }
    let range = focus_range(&grid, &req.focus).or_else(|| grid.finite_range());
    let (rgba, levels, lines, log) = match range {
        Some((lo, hi)) => {
            let levels = contour_levels(lo, hi, LEVELS);
            let lines = contours(&grid, &levels);
            (
                colorize(&grid, lo, hi, wants_log(lo, hi)),
                levels,
                lines,
                wants_log(lo, hi),
            )
        }
        None => (vec![0; nx * ny * 4], Vec::new(), Vec::new(), false),
    };
    FieldImage {
        id,
        landscape: Arc::clone(&req.landscape),
        view: req.view,
        nx,
        ny,
        rgba,
        values: grid.values,
        levels,
        contours: lines,
        range,
        log,
    }
}

/// The finite range of the samples inside `focus`.
fn focus_range(grid: &Grid, focus: &View) -> Option<(f64, f64)> {
    let xs = grid.row_xs();
    let mut range: Option<(f64, f64)> = None;
    for j in 0..grid.ny {
        let y = grid.row_y(j);
        if y < focus.y[0] || y > focus.y[1] {
            continue;
        }
        for (i, &x) in xs.iter().enumerate() {
            let v = grid.values[j * grid.nx + i];
            if x >= focus.x[0] && x <= focus.x[1] && v.is_finite() {
                range = Some(range.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))));
            }
        }
    }
    range.filter(|(lo, hi)| hi > lo)
}

/// The window's handle on the field thread. Dropping it stops the thread.
pub type FieldWorker = LatestWorker<FieldRequest, FieldImage>;

/// Starts the field thread; `notify` is called when a picture is ready.
pub fn spawn(notify: impl Fn() + Send + 'static) -> std::io::Result<FieldWorker> {
    LatestWorker::spawn(
        "downhill-field",
        |id, req: FieldRequest, _| Some(compute(id, &req)),
        notify,
    )
}
