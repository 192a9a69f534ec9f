//! Scalar field, contour lines and heat-map colours for a gradient-descent visualizer.
//!
//! The caller samples a loss `f(w0, w1)` on a [`Grid`] (cell-centred lattice over a [`View`]),
//! picks levels with [`contour_levels`] (linear or log-spaced, decided by [`wants_log`]), traces
//! them with [`contours`] and paints the background with [`colorize`] (viridis, see [`viridis`]).
//!
//! Everything here is total: no input (empty or degenerate grid, NaN / ±inf samples, unsorted or
//! non-finite levels, inverted ranges) makes these functions panic; degenerate inputs give empty
//! or neutral outputs, as documented per function.

use std::sync::OnceLock;

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
/// as undefined by [`contours`] and clamped by [`colorize`]). If `values` is shorter than
/// `nx * ny`, the missing samples count as undefined.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub view: View,
    pub nx: usize,
    pub ny: usize,
    pub values: Vec<f64>,
}

/// Cell-centre coordinate of index `k` on an axis `[lo, hi]` split into `n` cells:
/// `lo + (k + 0.5)·(hi − lo)/n`. Shared by [`Grid`] and [`contours`] so both agree bit for bit.
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
    /// `None` if there is no finite value. Feed it to [`contour_levels`] / [`colorize`].
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

/// Ranges wider than this many units above their minimum get log-spaced levels and colours.
const LOG_SPAN: f64 = 1e3;

/// Relative offset of the first log level: the log scales start at `lo + LOG_FLOOR·(hi − lo)`,
/// i.e. they cover the 4 decades `(hi − lo)·1e-4 ..= (hi − lo)` above the minimum.
const LOG_FLOOR: f64 = 1e-4;

/// Whether [`contour_levels`] / [`colorize`] should use the log rule for `[lo, hi]`.
///
/// Rule: `hi − lo > 1000`, i.e. the values span more than 3 decades above the minimum when
/// measured in units of the loss itself. Only `lo` and `hi` are known here, so the loss unit is the
/// one reference scale available; the usual test functions are O(1) near their optimum, and a range
/// beyond 1000 units means linear spacing would squeeze everything below `(hi − lo)/n` (the whole
/// valley, for Rosenbrock over [-2,2]×[-1,3]: 0 .. 2509) into a single colour band and contour
/// gap. A bowl `x² + 4y²` over [-4,4]×[-3,3] (0 .. 52) stays linear, Rosenbrock goes log.
/// The rule is shift-invariant (a constant offset does not change it); rescale the loss if its
/// natural unit is very different. Returns `false` for non-finite bounds, `hi <= lo`, or a range
/// that overflows f64.
pub fn wants_log(lo: f64, hi: f64) -> bool {
    lo.is_finite() && hi.is_finite() && hi > lo && (hi - lo).is_finite() && hi - lo > LOG_SPAN
}

/// About `n` contour levels strictly inside `(lo, hi)`, sorted ascending, without duplicates.
///
/// * Linear rule (narrow ranges, `!wants_log(lo, hi)`): `lo + (hi − lo)·(k + 1)/(n + 1)` for
///   `k in 0..n`, evenly spaced and never touching the ends (a level at the exact minimum or
///   maximum would only trace single points or the border).
/// * Log rule (`wants_log(lo, hi)`): `lo + 10^t_k` with
///   `t_k = log10(R·1e-4) + 4·k/n`, `k in 0..n`, `R = hi − lo`; i.e. geometric steps in `v − lo`
///   from `R·1e-4` up to `R·10^(−4/n)` (the next step would be `hi` itself). Each level is a
///   constant factor `10^(4/n)` further from the minimum than the previous one, so deep narrow
///   valleys (Rosenbrock) get as many lines as the steep walls. [`colorize`] with `log = true`
///   uses the matching colour scale.
///
/// Levels that round to `lo`, `hi` or a neighbour (huge `lo` with tiny range) are dropped, so
/// fewer than `n` may come back. Empty if `lo`/`hi` are not finite, `hi <= lo` or `n == 0`.
pub fn contour_levels(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || n == 0 {
        return Vec::new();
    }
    let log = wants_log(lo, hi);
    let range = hi - lo;
    let nf = n as f64;
    let mut out: Vec<f64> = Vec::with_capacity(n);
    for k in 0..n {
        let v = if log {
            let t = (range * LOG_FLOOR).log10() + 4.0 * k as f64 / nf;
            lo + 10f64.powf(t)
        } else {
            // Written as a weighted mean so it cannot overflow when hi − lo exceeds f64::MAX.
            let f = (k as f64 + 1.0) / (nf + 1.0);
            lo * (1.0 - f) + hi * f
        };
        let fresh = out.last().is_none_or(|&p| v > p);
        if v > lo && v < hi && fresh {
            out.push(v);
        }
    }
    out
}

/// One contour polyline at `levels[level]` (index into the slice given to [`contours`]), in plot
/// coordinates `[x, y]`. A closed ring repeats its first point at the end.
#[derive(Clone, Debug, PartialEq)]
pub struct ContourLine {
    pub level: usize,
    pub points: Vec<[f64; 2]>,
}

/// "No level index" marker (non-finite sample) in the per-row level-index buffers.
const NONE: u32 = u32::MAX;

/// One marching-squares segment: the ids of the two cell edges it joins, and where on each edge
/// the level is crossed (fraction `s` from the edge's first sample, see [`frac`]).
///
/// 16 bytes: the segments of a whole frame are the bulk of the working memory, and fresh memory
/// costs page faults, so they hold no coordinates; [`EdgeIds::point`] rebuilds a vertex from
/// (edge id, `s`) with shifts and masks. Both cells sharing an edge compute the same `s` from the
/// same two samples, so a vertex is bit-identical from either side (closed rings close exactly).
/// `s` as f32 places a vertex to 2⁻²⁴ of a cell.
#[derive(Clone, Copy)]
struct Seg {
    e: [u32; 2],
    s: [f32; 2],
}

/// Crossing fraction along an edge from sample value `a` to `b`: `s = (L − a)/(b − a)`, so the
/// vertex is `p_a + s·(p_b − p_a)` (linear interpolation). Clamped to `[0, 1]`: the level test
/// guarantees `a`, `b` straddle `L`, the clamp only guards overflow in `b − a`.
#[inline]
fn frac(level: f64, a: f64, b: f64) -> f32 {
    let s = (level - a) / (b - a);
    // Written so that NaN (∞/∞ after overflow) lands on 0.
    (if s >= 0.0 { s.min(1.0) } else { 0.0 }) as f32
}

/// Edge ids and their geometry.
///
/// With `bits` = bits needed for `nx − 1`, the horizontal edge from sample (i, j) to (i+1, j) is
/// `((j << bits | i) << 1)` and the vertical edge from (i, j) to (i, j+1) is that `| 1`. An edge
/// crosses a given level at most once, so (level, edge id) is an exact key for a contour vertex:
/// both cells sharing the edge produce the same id, no float comparison needed. Decoding is
/// shifts and masks (no division).
struct EdgeIds<'a> {
    bits: u32,
    xs: &'a [f64],
    ys: &'a [f64],
}

impl EdgeIds<'_> {
    /// The bottom (horizontal) edge id of cell (i, j); its left edge is `+ 1`, its right edge
    /// `+ 3`, its top edge `+ (2 << bits)`.
    #[inline]
    fn bottom(&self, i: usize, j: usize) -> u32 {
        (((j as u32) << self.bits) | i as u32) << 1
    }

    /// Plot coordinates of the crossing at fraction `s` along edge `e`:
    /// horizontal `(x_i + s·(x_{i+1} − x_i), y_j)`, vertical `(x_i, y_j + s·(y_{j+1} − y_j))`.
    #[inline]
    fn point(&self, e: u32, s: f32) -> [f64; 2] {
        let p = e >> 1;
        let i = (p & ((1 << self.bits) - 1)) as usize;
        let j = (p >> self.bits) as usize;
        let s = f64::from(s);
        let at = |v: &[f64], k: usize| v.get(k).copied().unwrap_or(f64::NAN);
        let (x, y) = (at(self.xs, i), at(self.ys, j));
        if e & 1 == 0 {
            [x + s * (at(self.xs, i + 1) - x), y]
        } else {
            [x, y + s * (at(self.ys, j + 1) - y)]
        }
    }
}

/// Fills `out[i]` with the level index of every sample of one row: the number of (sorted) levels
/// `<= v`, i.e. the first level `> v`, or [`NONE`] for non-finite `v`.
///
/// The field is smooth, so most samples fall in the same level band `[levels[k−1], levels[k])` as
/// their left neighbour: that band is kept in two registers and tested first; only samples that
/// leave it pay for the binary search. The outermost bands use `−f64::MAX` and `+inf` as bounds,
/// so ±inf and NaN always fail the test and reach the explicit finiteness check.
fn index_row(levels: &[f64], row: &[f64], out: &mut [u32]) {
    let (mut k, mut lo, mut hi) = (NONE, f64::NAN, f64::NAN);
    for (o, &v) in out.iter_mut().zip(row) {
        if !(lo <= v && v < hi) {
            if !v.is_finite() {
                *o = NONE;
                continue;
            }
            // Usually the value moved into the next band up or down: check that before searching.
            let (up, down) = (k.wrapping_add(1) as usize, k.wrapping_sub(1) as usize);
            let p = if k != NONE && v >= hi && levels.get(up).is_none_or(|&l| v < l) {
                up
            } else if k != NONE
                && v < lo
                && (down == 0 || levels.get(down - 1).is_some_and(|&l| l <= v))
            {
                down
            } else {
                levels.partition_point(|&l| l <= v)
            };
            k = p as u32;
            lo = if p == 0 { -f64::MAX } else { levels[p - 1] };
            hi = levels.get(p).copied().unwrap_or(f64::INFINITY);
        }
        *o = k;
    }
}

/// `out[i] = 1` iff cell `i` of the row pair has corners in different level bands (or a
/// non-finite corner next to a finite one), from the level indices of its bottom (`lo`) and top
/// (`hi`) rows: `lo[i] != lo[i+1] || hi[i] != hi[i+1] || lo[i] != hi[i]`. Branch-free, so the
/// compiler vectorises it; the cell loop then skips quiet cells 8 at a time.
fn mark_active(lo: &[u32], hi: &[u32], out: &mut [u8]) {
    let m = out.len();
    let (Some(a0), Some(a1), Some(d0), Some(c1)) =
        (lo.get(..m), lo.get(1..=m), hi.get(..m), hi.get(1..=m))
    else {
        return;
    };
    let corners = a0.iter().zip(a1).zip(c1).zip(d0);
    for (o, (((&a, &b), &c), &d)) in out.iter_mut().zip(corners) {
        *o = u8::from((a != b) | (c != d) | (a != d));
    }
}

/// Edge id → segments of ONE level, as an open-addressing hash table (linear probing) holding
/// `[edge + 1, (s1 + 1) ^ (s2 + 1)]`: every edge touches at most two segments of a level (the two
/// cells sharing it), so knowing one of them the XOR gives the other (0 = none). The table is
/// sized `≥ 4·segments` (load ≤ 1/2) and reused across levels, so it stays cache-resident — much
/// faster than an array indexed by edge id, whose random accesses miss the cache on big grids.
struct EdgeMap {
    slots: Vec<[u32; 2]>,
    shift: u32,
}

impl EdgeMap {
    fn reset(&mut self, segments: usize) {
        let cap = segments
            .saturating_mul(4)
            .checked_next_power_of_two()
            .unwrap_or(1 << (usize::BITS - 1))
            .max(16);
        self.shift = 64 - cap.trailing_zeros();
        self.slots.clear();
        self.slots.resize(cap, [0, 0]);
    }

    /// Slot holding `edge`, or the empty slot where it belongs.
    #[inline]
    fn slot(&mut self, edge: u32) -> &mut [u32; 2] {
        let key = edge + 1;
        let mask = self.slots.len() - 1;
        let mut h = ((u64::from(key).wrapping_mul(0x9E37_79B9_7F4A_7C15)) >> self.shift) as usize;
        // Terminates: the load factor is at most 1/2, so an empty slot always exists.
        loop {
            let k = self.slots[h & mask][0];
            if k == key || k == 0 {
                return &mut self.slots[h & mask];
            }
            h += 1;
        }
    }

    fn insert(&mut self, edge: u32, seg: u32) {
        let slot = self.slot(edge);
        slot[0] = edge + 1;
        slot[1] ^= seg + 1;
    }

    /// The other segment sharing `edge` with `seg`, if any.
    #[inline]
    fn other(&mut self, edge: u32, seg: u32) -> Option<u32> {
        let x = self.slot(edge)[1] ^ (seg + 1);
        x.checked_sub(1)
    }
}

/// Follows the chain from segment `start` through edge `edge`, pushing the far end point of each
/// new segment to `out` and marking segments used. Returns `true` if it came back to `start`
/// (closed ring).
fn walk(
    segs: &[Seg],
    ids: &EdgeIds,
    map: &mut EdgeMap,
    used: &mut [bool],
    start: u32,
    edge: u32,
    out: &mut Vec<[f64; 2]>,
) -> bool {
    let (mut s, mut e) = (start, edge);
    while let Some(n) = map.other(e, s) {
        if n == start {
            return true;
        }
        let (Some(u), Some(seg)) = (used.get_mut(n as usize), segs.get(n as usize)) else {
            return false;
        };
        if *u {
            return false;
        }
        *u = true;
        let far = usize::from(seg.e[0] == e);
        out.push(ids.point(seg.e[far], seg.s[far]));
        s = n;
        e = seg.e[far];
    }
    false
}

/// Marching squares for all `levels` at once, chained into polylines.
///
/// **One pass over the cells.** Every sample gets its level index `k(v)` = number of (sorted,
/// finite) levels `<= v`, found by binary search (skipped while the value stays in its
/// neighbour's band). `k` is monotone in `v`, so a cell with corners `a, b, c, d` crosses exactly
/// the levels `L` with `min(a,b,c,d) < L <= max(a,b,c,d)`, i.e. sorted indices `min k .. max k`
/// — the same answer as binary-searching the corner min and max, computed once per sample
/// instead of twice per cell. A corner is "above" level `k` iff its `k(v) > k` (i.e. `v >= L`).
/// Quiet cells (all corners in one band, the vast majority) are found by a vectorised compare
/// and skipped 8 at a time; the work is O(cells + segments), never levels × cells. Two rows of
/// indices live in rolling buffers.
///
/// * Cells with a NaN or ±inf corner are skipped, so lines stop at undefined regions.
/// * Saddle cells (diagonal corners above) are resolved with the centre value
///   `(a + b + c + d)/4`: if it is `>= L` the two "above" corners are joined through the centre.
/// * Vertices are linear interpolations on cell edges (`s = (L − a)/(b − a)`), in plot
///   coordinates of the sample positions documented on [`Grid`]. Only interior crossings are
///   produced: nothing is traced along the grid border.
/// * Segments (16 bytes, `Seg`) go into one flat `Vec` per level, no per-segment allocation.
///   Chaining looks edge ids up in a small per-level hash table (`EdgeMap`), so the output is one
///   [`ContourLine`] per connected curve. Open lines end at the border or at undefined cells;
///   closed rings repeat their first point exactly.
///
/// `levels` may be unsorted or contain non-finite entries (ignored); `ContourLine::level` always
/// indexes the caller's slice. Returns nothing for grids with `nx < 2` or `ny < 2` (rows missing
/// from a short `values` are dropped) or grids too large for 32-bit edge ids (about 2^30 samples).
pub fn contours(grid: &Grid, levels: &[f64]) -> Vec<ContourLine> {
    let nx = grid.nx;
    let ny = grid
        .values
        .len()
        .checked_div(nx)
        .map_or(0, |rows| grid.ny.min(rows));
    if nx < 2 || ny < 2 {
        return Vec::new();
    }
    // Largest edge id ((ny−1) << bits | (nx−1)) << 1 | 1 must fit in u32, with room for the
    // `+ 1` of the hash-table keys.
    let bits = usize::BITS - (nx - 1).leading_zeros();
    let max_id = (ny - 1)
        .checked_shl(bits)
        .filter(|&r| r >> bits == ny - 1)
        .and_then(|r| (r | (nx - 1)).checked_mul(2))
        .map(|r| r | 1);
    match max_id {
        Some(m) if m < (u32::MAX - 1) as usize => {}
        _ => return Vec::new(),
    }

    // Sorted finite levels, remembering their position in the caller's slice.
    let mut order: Vec<usize> = (0..levels.len())
        .filter(|&k| levels[k].is_finite())
        .collect();
    order.sort_by(|&a, &b| levels[a].total_cmp(&levels[b]));
    if order.is_empty() || order.len() >= NONE as usize {
        return Vec::new();
    }
    let sorted: Vec<f64> = order.iter().map(|&k| levels[k]).collect();
    let values = &grid.values[..nx * ny];
    let xs = grid.row_xs();
    let ys: Vec<f64> = (0..ny).map(|j| grid.row_y(j)).collect();
    let ids = EdgeIds {
        bits,
        xs: &xs,
        ys: &ys,
    };

    // ---- the single pass over the cells -------------------------------------------------------
    let mut buckets: Vec<Vec<Seg>> = (0..sorted.len())
        .map(|_| Vec::with_capacity(nx + ny))
        .collect();
    let mut k_lo = vec![0u32; nx];
    let mut k_hi = vec![0u32; nx];
    let mut active = vec![0u8; nx - 1];
    index_row(&sorted, &values[..nx], &mut k_lo);
    let up = 2u32 << bits;
    for j in 0..ny - 1 {
        let r0 = &values[j * nx..(j + 1) * nx];
        let r1 = &values[(j + 1) * nx..(j + 2) * nx];
        index_row(&sorted, r1, &mut k_hi);
        mark_active(&k_lo, &k_hi, &mut active);
        for (c, chunk) in active.chunks(8).enumerate() {
            // Skip 8 quiet cells at once (the usual case).
            let quiet = match <[u8; 8]>::try_from(chunk) {
                Ok(bytes) => u64::from_ne_bytes(bytes) == 0,
                Err(_) => chunk.iter().all(|&f| f == 0),
            };
            if quiet {
                continue;
            }
            for (o, _) in chunk.iter().enumerate().filter(|&(_, &f)| f != 0) {
                let i = 8 * c + o;
                // Corners: a = (i, j), b = (i+1, j), c = (i+1, j+1), d = (i, j+1).
                let (ka, kb, kc, kd) = (k_lo[i], k_lo[i + 1], k_hi[i + 1], k_hi[i]);
                let kmin = ka.min(kb).min(kc.min(kd));
                let kmax = ka.max(kb).max(kc.max(kd));
                if kmax == NONE {
                    continue;
                }
                let (va, vb, vc, vd) = (r0[i], r0[i + 1], r1[i + 1], r1[i]);
                // Edge ids: bottom, top (horizontal); left, right (vertical).
                let eb = ids.bottom(i, j);
                let (et, el, er) = (eb + up, eb + 1, eb + 3);
                for k in kmin..kmax {
                    let case = u8::from(ka > k)
                        | (u8::from(kb > k) << 1)
                        | (u8::from(kc > k) << 2)
                        | (u8::from(kd > k) << 3);
                    let level = sorted[k as usize];
                    let bottom = || (eb, frac(level, va, vb));
                    let top = || (et, frac(level, vd, vc));
                    let left = || (el, frac(level, va, vd));
                    let right = || (er, frac(level, vb, vc));
                    let bucket = &mut buckets[k as usize];
                    let mut push = |(e0, s0): (u32, f32), (e1, s1): (u32, f32)| {
                        bucket.push(Seg {
                            e: [e0, e1],
                            s: [s0, s1],
                        });
                    };
                    match case {
                        1 | 14 => push(left(), bottom()),
                        2 | 13 => push(bottom(), right()),
                        4 | 11 => push(right(), top()),
                        8 | 7 => push(top(), left()),
                        3 | 12 => push(left(), right()),
                        6 | 9 => push(bottom(), top()),
                        5 | 10 => {
                            let mid = 0.25 * va + 0.25 * vb + 0.25 * vc + 0.25 * vd;
                            // Case 5: a, c above. Centre above joins them, cutting off b and d.
                            if (case == 5) == (mid >= level) {
                                push(bottom(), right());
                                push(top(), left());
                            } else {
                                push(left(), bottom());
                                push(right(), top());
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        std::mem::swap(&mut k_lo, &mut k_hi);
    }

    // ---- chaining, per level ------------------------------------------------------------------
    let mut map = EdgeMap {
        slots: Vec::new(),
        shift: 60,
    };
    let mut used: Vec<bool> = Vec::new();
    let mut fwd: Vec<[f64; 2]> = Vec::new();
    let mut bwd: Vec<[f64; 2]> = Vec::new();
    let mut out = Vec::new();
    for (k, segs) in buckets.iter().enumerate() {
        if segs.is_empty() {
            continue;
        }
        map.reset(segs.len());
        for (s, seg) in segs.iter().enumerate() {
            map.insert(seg.e[0], s as u32);
            map.insert(seg.e[1], s as u32);
        }
        used.clear();
        used.resize(segs.len(), false);
        for (s0, seg) in segs.iter().enumerate() {
            if used[s0] {
                continue;
            }
            used[s0] = true;
            fwd.clear();
            fwd.push(ids.point(seg.e[0], seg.s[0]));
            fwd.push(ids.point(seg.e[1], seg.s[1]));
            bwd.clear();
            let s0 = s0 as u32;
            if !walk(segs, &ids, &mut map, &mut used, s0, seg.e[1], &mut fwd) {
                walk(segs, &ids, &mut map, &mut used, s0, seg.e[0], &mut bwd);
            }
            let mut points = Vec::with_capacity(bwd.len() + fwd.len());
            points.extend(bwd.iter().rev());
            points.extend_from_slice(&fwd);
            out.push(ContourLine {
                level: order[k],
                points,
            });
        }
    }
    out
}

/// Steps of the colour lookup table used by [`colorize`]: 16 sub-steps between viridis entries.
const LUT_N: usize = 4096;

/// The heat map's colour at `t` ∈ [0, 1] (viridis, as [`colorize`] paints).
pub fn colour_of(t: f64) -> [u8; 4] {
    let lut = colour_lut();
    let k = (t.clamp(0.0, 1.0) * (LUT_N - 1) as f64 + 0.5) as usize;
    lut[k.min(LUT_N - 1)]
}

/// `viridis(k / (LUT_N − 1))` with alpha 255, built once.
fn colour_lut() -> &'static [[u8; 4]] {
    static LUT: OnceLock<Vec<[u8; 4]>> = OnceLock::new();
    LUT.get_or_init(|| {
        (0..LUT_N)
            .map(|k| {
                let [r, g, b] = viridis(k as f64 / (LUT_N - 1) as f64);
                [r, g, b, 255]
            })
            .collect()
    })
}

/// `log2(1 + k/256)` for `k in 0..=256`, built once (for [`fast_log2`]).
fn log2_table() -> &'static [f64] {
    static TABLE: OnceLock<Vec<f64>> = OnceLock::new();
    TABLE.get_or_init(|| (0..=256).map(|k| (1.0 + k as f64 / 256.0).log2()).collect())
}

/// `log2(x)` for finite `x >= 1`: exponent + `log2(mantissa)`, the latter interpolated linearly
/// from [`log2_table`] on the top 8 mantissa bits (error ≤ max|f''|·h²/8 = 1.44/(8·256²) ≈ 3e-6).
/// A few times faster than `ln_1p`, which dominated [`colorize`] in log mode; exact at x = 1.
#[inline]
fn fast_log2(x: f64, table: &[f64]) -> f64 {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as f64 - 1023.0;
    let mant = bits & ((1 << 52) - 1);
    let k = (mant >> 44) as usize;
    let f = (mant & ((1 << 44) - 1)) as f64 * (1.0 / (1u64 << 44) as f64);
    match (table.get(k), table.get(k + 1)) {
        (Some(&a), Some(&b)) => exp + a + (b - a) * f,
        _ => x.log2(),
    }
}

/// Maps values to the colour-scale parameter `t ∈ [0, 1]` (see [`colorize`] for the formulas).
struct ColourScale {
    lo_half: f64,
    inv_half_range: f64,
    log: bool,
    valid: bool,
    log2_table: &'static [f64],
    /// `1/log2(1 + 1/LOG_FLOOR)`, the log through the same approximation so `u = 1` maps to 1.
    inv_log_norm: f64,
}

impl ColourScale {
    fn new(lo: f64, hi: f64, log: bool) -> ColourScale {
        // Halves keep hi − lo finite even for ranges near f64::MAX.
        let half_range = 0.5 * hi - 0.5 * lo;
        let valid = lo.is_finite() && hi.is_finite() && hi > lo && half_range > 0.0;
        let log2_table = log2_table();
        ColourScale {
            lo_half: 0.5 * lo,
            inv_half_range: if valid { 1.0 / half_range } else { 0.0 },
            log,
            valid,
            log2_table,
            inv_log_norm: 1.0 / fast_log2(1.0 + 1.0 / LOG_FLOOR, log2_table),
        }
    }

    /// `t` for one value (not NaN): `u = clamp((v − lo)/(hi − lo), 0, 1)`; linear `t = u`, log
    /// `t = log2(1 + u/1e-4)/log2(1 + 1/1e-4)`. Degenerate ranges: finite → 0.5, ±inf → 1 / 0.
    #[inline]
    fn t(&self, v: f64) -> f64 {
        if !self.valid {
            return if v == f64::INFINITY {
                1.0
            } else if v == f64::NEG_INFINITY {
                0.0
            } else {
                0.5
            };
        }
        let u = ((0.5 * v - self.lo_half) * self.inv_half_range).clamp(0.0, 1.0);
        if self.log {
            fast_log2(1.0 + u * (1.0 / LOG_FLOOR), self.log2_table) * self.inv_log_norm
        } else {
            u
        }
    }
}

/// Heat-map pixels, RGBA8, `nx` wide and `ny` high, row 0 = TOP = largest y (image order: grid row
/// `j` goes to image row `ny − 1 − j`).
///
/// Colour = viridis(`t`) with `u = clamp((v − lo)/(hi − lo), 0, 1)` and
/// * `log == false`: `t = u`;
/// * `log == true`: `t = log10(1 + (v − lo)/s) / log10(1 + (hi − lo)/s)`, `s = (hi − lo)·1e-4`
///   (= `log2(1 + 1e4·u)/log2(10001)`): the same 4 decades above `lo` that [`contour_levels`]
///   spreads its log levels over, so successive log levels sit at roughly constant colour steps.
///
/// NaN → fully transparent `[0, 0, 0, 0]`; ±inf and values outside `[lo, hi]` clamp to the ends
/// (opaque). If `lo`/`hi` are not finite or `hi <= lo`, finite values get the middle colour.
/// Samples missing from a short `values` are transparent. Empty if `nx·ny·4` overflows.
///
/// Speed: colours come from a 4096-step table of [`viridis`] (`t` rounded to 1/4095, at most one
/// 8-bit step away from `viridis(t)`), and the log uses a table-interpolated log2 (error ~3e-6).
pub fn colorize(grid: &Grid, lo: f64, hi: f64, log: bool) -> Vec<u8> {
    let (nx, ny) = (grid.nx, grid.ny);
    let Some(len) = nx.checked_mul(ny).and_then(|n| n.checked_mul(4)) else {
        return Vec::new();
    };
    let mut out = vec![0u8; len];
    if nx == 0 {
        return out;
    }
    let scale = ColourScale::new(lo, hi, log);
    let lut = colour_lut();
    let top = (LUT_N - 1) as f64;
    for (j, row) in grid.values.chunks(nx).take(ny).enumerate() {
        let start = (ny - 1 - j) * nx * 4;
        let dst = &mut out[start..start + nx * 4];
        for (px, &v) in dst.chunks_exact_mut(4).zip(row) {
            if v.is_nan() {
                continue;
            }
            let k = (scale.t(v) * top + 0.5) as usize;
            if let Some(c) = lut.get(k) {
                px.copy_from_slice(c);
            }
        }
    }
    out
}

/// The value whose colour sits at fraction `t` of the colour scale from `lo` to `hi` (the
/// inverse of [`colorize`]'s mapping), for labelling a colour bar: linear, or for a log scale
/// `lo + s·((1 + (hi − lo)/s)^t − 1)` with `s = 1e-4·(hi − lo)`.
pub fn colour_value(lo: f64, hi: f64, log: bool, t: f64) -> f64 {
    if log {
        let s = (hi - lo) * LOG_FLOOR;
        lo + s * ((1.0 + (hi - lo) / s).powf(t) - 1.0)
    } else {
        lo + t * (hi - lo)
    }
}

/// Matplotlib's viridis for `t ∈ [0, 1]` (clamped; NaN → 0), e.g. for a colour bar.
///
/// The 256-entry table is matplotlib's `_viridis_data` rounded to 8 bits (`round(255·c)`);
/// between entries the colour is interpolated linearly at `t·255`, so `viridis(k/255)` is exactly
/// entry `k` and the map is continuous (no banding in smooth fields).
pub fn viridis(t: f64) -> [u8; 3] {
    let t = if t >= 0.0 { t.min(1.0) } else { 0.0 };
    let x = t * 255.0;
    let i = (x as usize).min(254);
    let f = x - i as f64;
    let mut rgb = [0u8; 3];
    for (c, o) in rgb.iter_mut().enumerate() {
        let a = f64::from(VIRIDIS[3 * i + c]);
        let b = f64::from(VIRIDIS[3 * (i + 1) + c]);
        *o = (a + (b - a) * f + 0.5) as u8;
    }
    rgb
}

/// Matplotlib's viridis, 256 RGB triples, flattened.
const VIRIDIS: [u8; 768] = [
    68, 1, 84, 68, 2, 86, 69, 4, 87, 69, 5, 89, 70, 7, 90, 70, 8, 92, 70, 10, 93, 70, 11, 94, 71,
    13, 96, 71, 14, 97, 71, 16, 99, 71, 17, 100, 71, 19, 101, 72, 20, 103, 72, 22, 104, 72, 23,
    105, 72, 24, 106, 72, 26, 108, 72, 27, 109, 72, 28, 110, 72, 29, 111, 72, 31, 112, 72, 32, 113,
    72, 33, 115, 72, 35, 116, 72, 36, 117, 72, 37, 118, 72, 38, 119, 72, 40, 120, 72, 41, 121, 71,
    42, 122, 71, 44, 122, 71, 45, 123, 71, 46, 124, 71, 47, 125, 70, 48, 126, 70, 50, 126, 70, 51,
    127, 70, 52, 128, 69, 53, 129, 69, 55, 129, 69, 56, 130, 68, 57, 131, 68, 58, 131, 68, 59, 132,
    67, 61, 132, 67, 62, 133, 66, 63, 133, 66, 64, 134, 66, 65, 134, 65, 66, 135, 65, 68, 135, 64,
    69, 136, 64, 70, 136, 63, 71, 136, 63, 72, 137, 62, 73, 137, 62, 74, 137, 62, 76, 138, 61, 77,
    138, 61, 78, 138, 60, 79, 138, 60, 80, 139, 59, 81, 139, 59, 82, 139, 58, 83, 139, 58, 84, 140,
    57, 85, 140, 57, 86, 140, 56, 88, 140, 56, 89, 140, 55, 90, 140, 55, 91, 141, 54, 92, 141, 54,
    93, 141, 53, 94, 141, 53, 95, 141, 52, 96, 141, 52, 97, 141, 51, 98, 141, 51, 99, 141, 50, 100,
    142, 50, 101, 142, 49, 102, 142, 49, 103, 142, 49, 104, 142, 48, 105, 142, 48, 106, 142, 47,
    107, 142, 47, 108, 142, 46, 109, 142, 46, 110, 142, 46, 111, 142, 45, 112, 142, 45, 113, 142,
    44, 113, 142, 44, 114, 142, 44, 115, 142, 43, 116, 142, 43, 117, 142, 42, 118, 142, 42, 119,
    142, 42, 120, 142, 41, 121, 142, 41, 122, 142, 41, 123, 142, 40, 124, 142, 40, 125, 142, 39,
    126, 142, 39, 127, 142, 39, 128, 142, 38, 129, 142, 38, 130, 142, 38, 130, 142, 37, 131, 142,
    37, 132, 142, 37, 133, 142, 36, 134, 142, 36, 135, 142, 35, 136, 142, 35, 137, 142, 35, 138,
    141, 34, 139, 141, 34, 140, 141, 34, 141, 141, 33, 142, 141, 33, 143, 141, 33, 144, 141, 33,
    145, 140, 32, 146, 140, 32, 146, 140, 32, 147, 140, 31, 148, 140, 31, 149, 139, 31, 150, 139,
    31, 151, 139, 31, 152, 139, 31, 153, 138, 31, 154, 138, 30, 155, 138, 30, 156, 137, 30, 157,
    137, 31, 158, 137, 31, 159, 136, 31, 160, 136, 31, 161, 136, 31, 161, 135, 31, 162, 135, 32,
    163, 134, 32, 164, 134, 33, 165, 133, 33, 166, 133, 34, 167, 133, 34, 168, 132, 35, 169, 131,
    36, 170, 131, 37, 171, 130, 37, 172, 130, 38, 173, 129, 39, 173, 129, 40, 174, 128, 41, 175,
    127, 42, 176, 127, 44, 177, 126, 45, 178, 125, 46, 179, 124, 47, 180, 124, 49, 181, 123, 50,
    182, 122, 52, 182, 121, 53, 183, 121, 55, 184, 120, 56, 185, 119, 58, 186, 118, 59, 187, 117,
    61, 188, 116, 63, 188, 115, 64, 189, 114, 66, 190, 113, 68, 191, 112, 70, 192, 111, 72, 193,
    110, 74, 193, 109, 76, 194, 108, 78, 195, 107, 80, 196, 106, 82, 197, 105, 84, 197, 104, 86,
    198, 103, 88, 199, 101, 90, 200, 100, 92, 200, 99, 94, 201, 98, 96, 202, 96, 99, 203, 95, 101,
    203, 94, 103, 204, 92, 105, 205, 91, 108, 205, 90, 110, 206, 88, 112, 207, 87, 115, 208, 86,
    117, 208, 84, 119, 209, 83, 122, 209, 81, 124, 210, 80, 127, 211, 78, 129, 211, 77, 132, 212,
    75, 134, 213, 73, 137, 213, 72, 139, 214, 70, 142, 214, 69, 144, 215, 67, 147, 215, 65, 149,
    216, 64, 152, 216, 62, 155, 217, 60, 157, 217, 59, 160, 218, 57, 162, 218, 55, 165, 219, 54,
    168, 219, 52, 170, 220, 50, 173, 220, 48, 176, 221, 47, 178, 221, 45, 181, 222, 43, 184, 222,
    41, 186, 222, 40, 189, 223, 38, 192, 223, 37, 194, 223, 35, 197, 224, 33, 200, 224, 32, 202,
    225, 31, 205, 225, 29, 208, 225, 28, 210, 226, 27, 213, 226, 26, 216, 226, 25, 218, 227, 25,
    221, 227, 24, 223, 227, 24, 226, 228, 24, 229, 228, 25, 231, 228, 25, 234, 229, 26, 236, 229,
    27, 239, 229, 28, 241, 229, 29, 244, 230, 30, 246, 230, 32, 248, 230, 33, 251, 231, 35, 253,
    231, 37,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(view: View, nx: usize, ny: usize, f: impl Fn(f64, f64) -> f64) -> Grid {
        let mut g = Grid {
            view,
            nx,
            ny,
            values: Vec::with_capacity(nx * ny),
        };
        let xs = g.row_xs();
        for j in 0..ny {
            let y = g.row_y(j);
            g.values.extend(xs.iter().map(|&x| f(x, y)));
        }
        g
    }

    fn bowl() -> Grid {
        let view = View {
            x: [-4.0, 4.0],
            y: [-3.0, 3.0],
        };
        sample(view, 64, 48, |x, y| x * x + 4.0 * y * y)
    }

    fn rosenbrock(n: usize) -> Grid {
        let view = View {
            x: [-2.0, 2.0],
            y: [-1.0, 3.0],
        };
        sample(view, n, n, |x, y| {
            (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
        })
    }

    fn check_levels(levels: &[f64], lo: f64, hi: f64) {
        for w in levels.windows(2) {
            assert!(w[0] < w[1], "not strictly ascending: {levels:?}");
        }
        for &l in levels {
            assert!(l > lo && l < hi, "{l} not inside ({lo}, {hi})");
        }
    }

    /// Consecutive points of a chained line lie in the same cell (no jumps between curves).
    fn check_connected(line: &ContourLine, dx: f64, dy: f64) {
        let max = (dx * dx + dy * dy).sqrt() * 1.000_001;
        for w in line.points.windows(2) {
            let d = ((w[1][0] - w[0][0]).powi(2) + (w[1][1] - w[0][1]).powi(2)).sqrt();
            assert!(d <= max, "jump of {d} in a line (cell diagonal {max})");
        }
    }

    #[test]
    fn sample_positions() {
        let g = bowl();
        let xs = g.row_xs();
        assert_eq!(xs.len(), 64);
        assert!((xs[0] - (-4.0 + 0.0625)).abs() < 1e-12);
        assert!((xs[63] - (4.0 - 0.0625)).abs() < 1e-12);
        assert!((g.row_y(0) - (-3.0 + 0.0625)).abs() < 1e-12);
        assert!((g.row_y(47) - (3.0 - 0.0625)).abs() < 1e-12);
        let (lo, hi) = g.finite_range().expect("finite");
        assert!(lo > 0.0 && lo < 0.02);
        assert!((hi - (3.9375f64.powi(2) + 4.0 * 2.9375f64.powi(2))).abs() < 1e-9);
    }

    #[test]
    fn bowl_gives_closed_ellipses() {
        let g = bowl();
        let (lo, hi) = g.finite_range().expect("finite");
        assert!(!wants_log(lo, hi));
        let levels = contour_levels(lo, hi, 12);
        assert_eq!(levels.len(), 12);
        check_levels(&levels, lo, hi);
        let lines = contours(&g, &levels);
        // A clipped ellipse splits into at most 4 arcs.
        assert!(lines.len() <= 4 * levels.len(), "{} lines", lines.len());
        let (dx, dy) = (8.0 / 64.0, 6.0 / 48.0);
        for line in &lines {
            let l = levels[line.level];
            assert!(line.points.len() >= 2);
            check_connected(line, dx, dy);
            for p in &line.points {
                let v = p[0] * p[0] + 4.0 * p[1] * p[1];
                // Linear interpolation of a quadratic: error <= f''·h²/8 = 8·0.125²/8 along y.
                assert!(
                    (v - l).abs() <= 0.016,
                    "level {l}: point {p:?} has value {v}"
                );
            }
        }
        // Ellipses that fit inside the sampled area (x² + 4y² < 15) are single closed rings.
        let mut closed = 0;
        for (k, &l) in levels.iter().enumerate() {
            if l >= 15.0 {
                continue;
            }
            let of_level: Vec<_> = lines.iter().filter(|c| c.level == k).collect();
            assert_eq!(of_level.len(), 1, "level {l} should be one ring");
            let pts = &of_level[0].points;
            assert!(pts.len() > 8);
            assert_eq!(pts.first(), pts.last(), "level {l} not closed");
            closed += 1;
        }
        assert!(closed >= 3);
    }

    #[test]
    fn nan_region_has_no_points_and_transparent_pixels() {
        let view = View {
            x: [-2.0, 2.0],
            y: [-1.0, 1.0],
        };
        let g = sample(view, 40, 30, |x, y| x.ln() + y);
        let (lo, hi) = g.finite_range().expect("some finite");
        let levels = contour_levels(lo, hi, 10);
        let lines = contours(&g, &levels);
        assert!(!lines.is_empty());
        for line in &lines {
            for p in &line.points {
                assert!(p[0] > 0.0, "point {p:?} in the undefined half");
            }
        }
        let img = colorize(&g, lo, hi, false);
        assert_eq!(img.len(), 40 * 30 * 4);
        let xs = g.row_xs();
        for row in 0..30 {
            for (i, &x) in xs.iter().enumerate() {
                let alpha = img[(row * 40 + i) * 4 + 3];
                assert_eq!(alpha == 0, x <= 0.0, "pixel ({i}, {row}) at x = {x}");
            }
        }
    }

    #[test]
    fn levels_sorted_unique_inside() {
        let cases = [
            (0.0, 52.0, 10),
            (0.001, 2509.0, 20),
            (-3.0, -1.0, 7),
            (-1e6, 1e6, 15),
            (1e16, 1e16 + 4.0, 20),
            (-1e308, 1e308, 9),
            (0.0, 1e-300, 5),
            (5.0, 5.0 + 1e-9, 3),
        ];
        for (lo, hi, n) in cases {
            let levels = contour_levels(lo, hi, n);
            assert!(levels.len() <= n);
            check_levels(&levels, lo, hi);
            if hi - lo > 1e-12 * lo.abs().max(1.0) {
                assert!(!levels.is_empty(), "({lo}, {hi}) gave no levels");
            }
        }
        // Linear: evenly spaced.
        let lin = contour_levels(0.0, 11.0, 10);
        assert!(
            lin.iter()
                .enumerate()
                .all(|(k, &l)| (l - (k + 1) as f64).abs() < 1e-12)
        );
        // Log: geometric in (v − lo), starting 4 decades below the range.
        assert!(wants_log(0.0, 2500.0) && !wants_log(0.0, 52.0));
        let lg = contour_levels(0.0, 2500.0, 20);
        assert_eq!(lg.len(), 20);
        assert!((lg[0] - 0.25).abs() < 1e-9);
        for w in lg.windows(2) {
            assert!((w[1] / w[0] - 10f64.powf(0.2)).abs() < 1e-9);
        }
        // Degenerate inputs.
        for (lo, hi) in [
            (1.0, 1.0),
            (2.0, 1.0),
            (f64::NAN, 1.0),
            (0.0, f64::INFINITY),
            (f64::NEG_INFINITY, 0.0),
        ] {
            assert!(contour_levels(lo, hi, 10).is_empty());
            assert!(!wants_log(lo, hi));
        }
        assert!(contour_levels(0.0, 1.0, 0).is_empty());
    }

    #[test]
    fn colorize_puts_largest_y_first() {
        let view = View {
            x: [0.0, 1.0],
            y: [0.0, 1.0],
        };
        let g = sample(view, 3, 5, |_, y| y);
        let (lo, hi) = g.finite_range().expect("finite");
        let img = colorize(&g, lo, hi, false);
        assert_eq!(img.len(), 3 * 5 * 4);
        let top = viridis(1.0);
        let bottom = viridis(0.0);
        assert_eq!(&img[0..4], &[top[0], top[1], top[2], 255]);
        let last = (4 * 3) * 4;
        assert_eq!(
            &img[last..last + 4],
            &[bottom[0], bottom[1], bottom[2], 255]
        );
        // Log mode keeps the same end points and is monotone in brightness (green channel).
        let img_log = colorize(&g, lo, hi, true);
        assert_eq!(&img_log[0..3], &top);
        assert_eq!(&img_log[last..last + 3], &bottom);
        for row in 1..5 {
            assert!(img_log[row * 12 + 1] <= img_log[(row - 1) * 12 + 1]);
        }
    }

    #[test]
    fn viridis_matches_matplotlib() {
        assert_eq!(viridis(0.0), [68, 1, 84]);
        assert_eq!(viridis(1.0), [253, 231, 37]);
        assert_eq!(viridis(128.0 / 255.0), [33, 145, 140]);
        assert_eq!(viridis(-3.0), viridis(0.0));
        assert_eq!(viridis(7.0), viridis(1.0));
        assert_eq!(viridis(f64::NAN), viridis(0.0));
        // Green rises monotonically (viridis is perceptually ordered dark → bright).
        let mut g = 0;
        for k in 0..=1000 {
            let c = viridis(k as f64 / 1000.0);
            assert!(c[1] >= g);
            g = c[1];
        }
    }

    #[test]
    fn colours_follow_the_documented_formula() {
        let table = log2_table();
        for k in 0..=2000 {
            let x = 1.0 + 10000.0 * (k as f64 / 2000.0).powi(3);
            assert!((fast_log2(x, table) - x.log2()).abs() < 5e-6, "log2({x})");
        }
        let view = View {
            x: [0.0, 1.0],
            y: [0.0, 1.0],
        };
        let g = sample(view, 97, 3, |x, y| 2500.0 * x.powi(3) + y);
        let (lo, hi) = (0.0, 2500.0);
        for log in [false, true] {
            let img = colorize(&g, lo, hi, log);
            for (n, &v) in g.values.iter().enumerate() {
                let (i, j) = (n % 97, n / 97);
                let px = &img[((2 - j) * 97 + i) * 4..][..4];
                let u = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
                let s = (hi - lo) * 1e-4;
                let t = if log {
                    (1.0 + (v - lo).max(0.0).min(hi - lo) / s).log10()
                        / (1.0 + (hi - lo) / s).log10()
                } else {
                    u
                };
                let want = viridis(t);
                for c in 0..3 {
                    assert!(px[c].abs_diff(want[c]) <= 1, "v = {v}, log = {log}");
                }
                assert_eq!(px[3], 255);
            }
        }
    }

    #[test]
    fn saddle_cells_do_not_panic() {
        let view = View {
            x: [0.0, 1.0],
            y: [0.0, 1.0],
        };
        // a = (0,0) = 1, b = (1,0) = 0, d = (0,1) = 0, c = (1,1) = 1.
        let g = Grid {
            view,
            nx: 2,
            ny: 2,
            values: vec![1.0, 0.0, 0.0, 1.0],
        };
        for level in [0.5, 0.25, 0.75, 0.0, 1.0] {
            let lines = contours(&g, &[level]);
            assert!(lines.len() <= 2);
            for l in &lines {
                assert_eq!(l.points.len(), 2);
            }
        }
        // Centre value 0.5 >= 0.5: the "above" corners connect, cutting off b and d.
        let lines = contours(&g, &[0.5]);
        assert_eq!(lines.len(), 2);
        // Lines of a 3×3 saddle x·y chain through the middle.
        let g = sample(
            View {
                x: [-1.0, 1.0],
                y: [-1.0, 1.0],
            },
            3,
            3,
            |x, y| x * y,
        );
        for level in [-0.1, 0.0, 0.1] {
            let _ = contours(&g, &[level]);
        }
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let view = View {
            x: [0.0, 1.0],
            y: [0.0, 1.0],
        };
        let lv = [0.5, f64::NAN, -1.0, 0.1, f64::INFINITY, 0.5];
        for (nx, ny, len) in [
            (0, 0, 0),
            (0, 5, 0),
            (1, 5, 5),
            (5, 1, 5),
            (4, 4, 7),
            (4, 4, 0),
        ] {
            let g = Grid {
                view,
                nx,
                ny,
                values: (0..len).map(|k| k as f64 * 0.1).collect(),
            };
            assert!(contours(&g, &lv).is_empty());
            let img = colorize(&g, 0.0, 1.0, true);
            assert_eq!(img.len(), nx * ny * 4);
            let _ = g.finite_range();
            let _ = g.row_xs();
            let _ = g.row_y(3);
        }
        // All NaN.
        let g = Grid {
            view,
            nx: 4,
            ny: 4,
            values: vec![f64::NAN; 16],
        };
        assert_eq!(g.finite_range(), None);
        assert!(contours(&g, &[0.0]).is_empty());
        assert!(colorize(&g, 0.0, 1.0, false).iter().all(|&b| b == 0));
        // Infinities: skipped by contours, clamped by colours.
        let mut g = sample(view, 8, 8, |x, y| x + y);
        g.values[0] = f64::INFINITY;
        g.values[9] = f64::NEG_INFINITY;
        let lines = contours(&g, &[1.0, f64::NAN, 0.5, 0.5, 1e300]);
        assert!(!lines.is_empty());
        for l in &lines {
            assert!(l.level == 0 || l.level == 2 || l.level == 3);
            assert!(
                l.points
                    .iter()
                    .all(|p| p[0].is_finite() && p[1].is_finite())
            );
        }
        let img = colorize(&g, 0.0, 2.0, false);
        let px = |i: usize, j: usize| &img[((7 - j) * 8 + i) * 4..((7 - j) * 8 + i) * 4 + 4];
        assert_eq!(px(0, 0)[..3], viridis(1.0));
        assert_eq!(px(1, 1)[..3], viridis(0.0));
        assert_eq!(px(0, 0)[3], 255);
        // Degenerate colour ranges and huge values.
        for (lo, hi) in [(1.0, 1.0), (f64::NAN, 2.0), (-f64::MAX, f64::MAX)] {
            for log in [false, true] {
                assert_eq!(colorize(&g, lo, hi, log).len(), 8 * 8 * 4);
            }
        }
        let huge = sample(view, 5, 5, |x, y| (x - y) * f64::MAX);
        let _ = contours(&huge, &[0.0, 1e300]);
        // Inverted view: still no panic, points follow the (reversed) sample positions.
        let inv = sample(
            View {
                x: [1.0, -1.0],
                y: [1.0, -1.0],
            },
            6,
            6,
            |x, y| x * x + y * y,
        );
        assert!(!contours(&inv, &[0.3]).is_empty());
    }

    #[test]
    fn unsorted_levels_keep_caller_indices() {
        let g = bowl();
        let levels = [9.0, 1.0, 4.0];
        let lines = contours(&g, &levels);
        assert_eq!(lines.len(), 3);
        for line in &lines {
            let l = levels[line.level];
            let p = line.points[0];
            assert!((p[0] * p[0] + 4.0 * p[1] * p[1] - l).abs() < 0.02);
        }
    }

    #[test]
    fn rosenbrock_all_levels_in_one_pass() {
        let g = rosenbrock(512);
        let (min, max) = g.finite_range().expect("finite");
        assert!(wants_log(min + 1e-3, max));
        let levels = contour_levels(min + 1e-3, max, 20);
        assert_eq!(levels.len(), 20);
        check_levels(&levels, min + 1e-3, max);
        let lines = contours(&g, &levels);
        let mut seen = [false; 20];
        for l in &lines {
            seen[l.level] = true;
            check_connected(l, 4.0 / 512.0, 4.0 / 512.0);
        }
        let distinct = seen.iter().filter(|&&s| s).count();
        assert!(distinct >= 18, "only {distinct} levels have lines");
        // Chained: few, long lines.
        let points: usize = lines.iter().map(|l| l.points.len()).sum();
        assert!(lines.len() <= 4 * 20, "{} lines", lines.len());
        assert!(points / lines.len() > 50);
    }

    /// `cargo test --release -- --ignored --nocapture timing`
    #[test]
    #[ignore]
    fn timing() {
        use std::hint::black_box;
        use std::time::Instant;
        fn median(mut v: Vec<f64>) -> f64 {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        }
        let g = rosenbrock(512);
        let (min, max) = g.finite_range().expect("finite");
        let levels = contour_levels(min + 1e-3, max, 20);
        let log = wants_log(min, max);
        let runs = 21;
        let mut tc = Vec::new();
        let mut n_lines = 0;
        let mut n_points = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let lines = contours(black_box(&g), black_box(&levels));
            tc.push(t.elapsed().as_secs_f64() * 1e3);
            n_lines = lines.len();
            n_points = lines.iter().map(|l| l.points.len()).sum();
        }
        let mut tl = Vec::new();
        let mut tlin = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            black_box(colorize(black_box(&g), min, max, log));
            tl.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            black_box(colorize(black_box(&g), min, max, false));
            tlin.push(t.elapsed().as_secs_f64() * 1e3);
        }
        println!(
            "contours 512x512, 20 levels: median {:.3} ms (min {:.3}) -> {n_lines} lines, {n_points} points",
            median(tc.clone()),
            tc.iter().copied().fold(f64::INFINITY, f64::min)
        );
        println!(
            "colorize 512x512 log={log}: median {:.3} ms; linear: median {:.3} ms",
            median(tl),
            median(tlin)
        );
    }
}
