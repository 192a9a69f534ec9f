//! The heat map and contours of the visible window, computed on a thread of their own: the
//! window asks for a (landscape, view, size) and keeps drawing the old picture until the new one
//! is ready. A newer request makes older ones stale (see `downhill::live::worker`).

use std::sync::Arc;

use crate::landscape::{Landscape, View};
use crate::picture::field::{ContourLine, Grid, colorize, contour_levels, contours, wants_log};
use crate::progress::Progress;

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
    /// Also the exact gradient at the surface's samples (the 3-D surface's normals; the mesh
    /// itself is built beside the picture, see `picture::surface::FieldPicture`).
    pub gradient: bool,
}

/// A computed picture of the landscape.
#[derive(Clone, Debug)]
pub struct FieldImage {
    /// The request this answers.
    pub id: u64,
    pub landscape: Arc<Landscape>,
    pub view: View,
    /// The window visible when asked (the 3-D surface shows it).
    pub focus: View,
    pub nx: usize,
    pub ny: usize,
    /// RGBA, row 0 at the top (largest w1).
    pub rgba: Vec<u8>,
    /// The values on the grid (row 0 = smallest w1), NaN where undefined.
    pub values: Vec<f64>,
    /// The gradient at the samples the 3-D surface is made of when asked for (see
    /// [`surface_samples`]; NaN elsewhere), else empty.
    pub grads: Vec<[f64; 2]>,
    pub levels: Vec<f64>,
    pub contours: Vec<ContourLine>,
    /// The finite range of the values, for the colour bar.
    pub range: Option<(f64, f64)>,
    /// Whether colours and levels are log-spaced.
    pub log: bool,
}

/// Computes the picture for `req` (on the calling thread).
pub fn compute(id: u64, req: &FieldRequest) -> FieldImage {
    // Nobody cancels this progress: the picture and its gradients are always finished.
    let progress = Progress::default();
    let mut grid = empty_grid(req);
    fill_rows(&mut grid, req, &progress);
    let mut image = finish(id, req, grid);
    add_gradients(&mut image, req, &progress);
    image
}

/// The picture, or `None` when `progress` says a newer request is waiting (checked before
/// every row).
fn compute_until(id: u64, req: &FieldRequest, progress: &Progress) -> Option<FieldImage> {
    let mut grid = empty_grid(req);
    if !fill_rows(&mut grid, req, progress) {
        return None;
    }
    let mut image = finish(id, req, grid);
    add_gradients(&mut image, req, progress).then_some(image)
}

/// Work (grid values × [`Landscape::picture_cost`]) below which a picture is computed on the
/// calling thread alone: about a millisecond, less than starting threads is worth.
const PARALLEL_ABOVE: usize = 100_000;

/// Threads for `work` units of picture work: all cores for a large picture, one for a small.
fn threads_for(work: usize) -> usize {
    if work <= PARALLEL_ABOVE {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// Runs `row(j, out_row, scratch)` for every `(j, out_row)` of `rows`, on `threads` threads
/// taking rows one at a time (rows cost alike on most landscapes but not on all: a network's
/// cells far from θ saturate its activations). Reports rows done to `progress` and stops
/// taking rows when it is cancelled; returns whether every row was done.
fn for_rows<'a, T: Send + 'a>(
    rows: impl Iterator<Item = (usize, &'a mut [T])> + Send,
    total: usize,
    threads: usize,
    progress: &Progress,
    row: impl Fn(usize, &mut [T], &mut Vec<f64>) + Sync,
) -> bool {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let queue = Mutex::new(rows);
    let done = AtomicUsize::new(0);
    let work = || {
        let mut scratch = Vec::new();
        loop {
            if progress.cancelled() {
                return;
            }
            // A worker that panicked mid-row poisons nothing the others need: the queue is
            // only an iterator over disjoint rows.
            let next = queue
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .next();
            let Some((j, out)) = next else { return };
            row(j, out, &mut scratch);
            let d = done.fetch_add(1, Ordering::Relaxed) + 1;
            progress.set(d as u64, total as u64);
        }
    };
    std::thread::scope(|s| {
        for k in 1..threads {
            // Without another thread the calling one does all the rows.
            std::thread::Builder::new()
                .name(format!("picture-{k}"))
                .spawn_scoped(s, work)
                .ok();
        }
        work();
    });
    done.into_inner() == total && !progress.cancelled()
}

/// The gradient at the samples the 3-D surface is made of (see [`surface_samples`]; NaN
/// elsewhere), or `None` when cancelled.
fn gradients(image: &FieldImage, progress: &Progress) -> Option<Vec<[f64; 2]>> {
    let (nx, ny) = (image.nx, image.ny);
    let (cols, rows) = surface_samples(image);
    let v = image.view;
    let (dx, dy) = ((v.x[1] - v.x[0]) / nx as f64, (v.y[1] - v.y[0]) / ny as f64);
    let xs: Vec<f64> = cols
        .clone()
        .map(|i| v.x[0] + (i as f64 + 0.5) * dx)
        .collect();
    let mut out = vec![[f64::NAN; 2]; nx * ny];
    let total = rows.len();
    // A gradient costs about two values.
    let threads =
        threads_for((xs.len() * total).saturating_mul(2 * image.landscape.picture_cost()));
    let landscape = &image.landscape;
    let chosen = out
        .chunks_mut(nx)
        .enumerate()
        .filter(|(j, _)| rows.contains(j));
    let complete = for_rows(chosen, total, threads, progress, |j, out, _| {
        let ys = vec![v.y[0] + (j as f64 + 0.5) * dy; xs.len()];
        landscape.grad_many(&xs, &ys, &mut out[cols.clone()]);
    });
    complete.then_some(out)
}

/// The gradients of `image` the 3-D surface needs, when asked for; `false` when cancelled.
fn add_gradients(image: &mut FieldImage, req: &FieldRequest, progress: &Progress) -> bool {
    if !req.gradient {
        return true;
    }
    let Some(grads) = gradients(image, progress) else {
        return false;
    };
    image.grads = grads;
    true
}

/// The samples (columns, rows) of a picture the surface is made of: those inside the
/// visible window, or inside its middle square when w0 and w1 are alike (not on data).
pub fn surface_samples(image: &FieldImage) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
    let (nx, ny) = (image.nx, image.ny);
    let v = image.view;
    let (dx, dy) = ((v.x[1] - v.x[0]) / nx as f64, (v.y[1] - v.y[0]) / ny as f64);
    let f = image.focus;
    let (mut x, mut y) = (f.x, f.y);
    if image.landscape.data().is_none() {
        let (cx, cy) = (0.5 * (x[0] + x[1]), 0.5 * (y[0] + y[1]));
        let half = 0.5 * (x[1] - x[0]).min(y[1] - y[0]);
        x = [cx - half, cx + half];
        y = [cy - half, cy + half];
    }
    // Sample i sits at o + (i + 1/2)·d: those with lo ≤ sample ≤ hi.
    let span = |lo: f64, hi: f64, o: f64, d: f64, n: usize| -> std::ops::Range<usize> {
        if !(d > 0.0 && d.is_finite() && lo.is_finite() && hi.is_finite()) {
            return 0..n;
        }
        let first = ((lo - o) / d - 0.5).ceil().clamp(0.0, n as f64) as usize;
        let end = (((hi - o) / d - 0.5).floor() + 1.0).clamp(0.0, n as f64) as usize;
        first..end.max(first)
    };
    let (mut c, mut r) = (
        span(x[0], x[1], v.x[0], dx, nx),
        span(y[0], y[1], v.y[0], dy, ny),
    );
    // Equal counts on both axes for a square (rounding can differ by one).
    if image.landscape.data().is_none() {
        let n = c.len().min(r.len());
        c = c.start..c.start + n;
        r = r.start..r.start + n;
    }
    (c, r)
}

/// The grid of `req`, every value NaN.
fn empty_grid(req: &FieldRequest) -> Grid {
    let (nx, ny) = (req.nx.max(2), req.ny.max(2));
    Grid {
        view: req.view,
        nx,
        ny,
        values: vec![f64::NAN; nx * ny],
    }
}

/// Evaluates the landscape on every row of the grid, on all cores when the picture is costly;
/// `false` when cancelled.
fn fill_rows(grid: &mut Grid, req: &FieldRequest, progress: &Progress) -> bool {
    let (nx, ny) = (grid.nx, grid.ny);
    let xs = grid.row_xs();
    let row_ys: Vec<f64> = (0..ny).map(|j| grid.row_y(j)).collect();
    let threads = threads_for((nx * ny).saturating_mul(req.landscape.picture_cost()));
    let landscape = &req.landscape;
    for_rows(
        grid.values.chunks_mut(nx).enumerate(),
        ny,
        threads,
        progress,
        |j, out, scratch| {
            let ys = vec![row_ys[j]; nx];
            landscape.eval_many(&xs, &ys, out, scratch);
        },
    )
}

/// Colours and contours of a filled grid.
fn finish(id: u64, req: &FieldRequest, grid: Grid) -> FieldImage {
    let (nx, ny) = (grid.nx, grid.ny);
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
        focus: req.focus,
        nx,
        ny,
        rgba,
        values: grid.values,
        grads: Vec::new(),
        levels,
        contours: lines,
        range,
        log,
    }
}

/// A grid of about `nx`×`ny` values (the same shape) whose work, values ×
/// [`Landscape::picture_cost`] `cost`, stays within `work`, but never fewer than `least` values
/// a side (which may take more). Every built-in landscape (cost 1) keeps its grid; a network's
/// plane, a pass over its data per value, gets a coarser one, drawn smoothed.
pub fn budgeted_grid(
    nx: usize,
    ny: usize,
    cost: usize,
    work: usize,
    least: usize,
) -> (usize, usize) {
    let cells = (work / cost.max(1)).max(least * least);
    let shrink = ((nx * ny) as f64 / cells as f64).sqrt().max(1.0);
    (
        ((nx as f64 / shrink) as usize).max(least),
        ((ny as f64 / shrink) as usize).max(least),
    )
}

/// Grid evaluations above which a coarse picture (a quarter of the resolution each way) is
/// shown first: about 50 ms of work.
const PREVIEW_ABOVE: usize = 4_000_000;

/// Computes `req`, first as a coarse preview when the full picture would take a while (a
/// logistic landscape over many points costs one softplus per bunch of points per cell).
pub fn compute_with_preview(
    id: u64,
    req: &FieldRequest,
    progress: &Progress,
    preview: &dyn Fn(FieldImage),
) -> Option<FieldImage> {
    let cells = req.nx.max(2) * req.ny.max(2);
    if cells.saturating_mul(req.landscape.picture_cost()) > PREVIEW_ABOVE {
        let coarse = FieldRequest {
            nx: (req.nx / 4).max(2),
            ny: (req.ny / 4).max(2),
            ..req.clone()
        };
        preview(compute_until(id, &coarse, progress)?);
    }
    compute_until(id, req, progress)
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
