//! Contour levels (linear or log-spaced) and marching-squares tracing of a [`Grid`] into
//! polylines.

use super::grid::Grid;

/// Ranges wider than this many units above their minimum get log-spaced levels and colours.
const LOG_SPAN: f64 = 1e3;

/// Relative offset of the first log level: the log scales start at `lo + LOG_FLOOR·(hi − lo)`,
/// i.e. they cover the 4 decades `(hi − lo)·1e-4 ..= (hi − lo)` above the minimum.
pub(super) const LOG_FLOOR: f64 = 1e-4;

/// Whether [`contour_levels`] / [`colorize`](super::colour::colorize) should use the log rule for `[lo, hi]`.
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
///   valleys (Rosenbrock) get as many lines as the steep walls. [`colorize`](super::colour::colorize) with `log = true`
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
