//! The heat map's colour scale: viridis, its lookup table, and the mapping of values (linear or
//! log, matching the contour levels) to colours.

use std::sync::OnceLock;

use super::contour::LOG_FLOOR;
use super::grid::Grid;

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
pub(super) fn log2_table() -> &'static [f64] {
    static TABLE: OnceLock<Vec<f64>> = OnceLock::new();
    TABLE.get_or_init(|| (0..=256).map(|k| (1.0 + k as f64 / 256.0).log2()).collect())
}

/// `log2(x)` for finite `x >= 1`: exponent + `log2(mantissa)`, the latter interpolated linearly
/// from [`log2_table`] on the top 8 mantissa bits (error ≤ max|f''|·h²/8 = 1.44/(8·256²) ≈ 3e-6).
/// A few times faster than `ln_1p`, which dominated [`colorize`] in log mode; exact at x = 1.
#[inline]
pub(super) fn fast_log2(x: f64, table: &[f64]) -> f64 {
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
///   (= `log2(1 + 1e4·u)/log2(10001)`): the same 4 decades above `lo` that [`contour_levels`](super::contour::contour_levels)
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
