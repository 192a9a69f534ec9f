//! Scalar field, contour lines and heat-map colours for a gradient-descent visualizer.
//!
//! The caller samples a loss `f(w0, w1)` on a [`Grid`] (cell-centred lattice over a [`View`]),
//! picks levels with [`contour_levels`] (linear or log-spaced, decided by [`wants_log`]), traces
//! them with [`contours`] and paints the background with [`colorize`] (viridis, see [`viridis`]).
//!
//! Everything here is total: no input (empty or degenerate grid, NaN / ±inf samples, unsorted or
//! non-finite levels, inverted ranges) makes these functions panic; degenerate inputs give empty
//! or neutral outputs, as documented per function.//!
//! The work is split by job: [`super::grid`] samples, [`super::contour`] picks levels and traces
//! lines, [`super::colour`] paints; this module gathers their public items under one name.

pub use super::colour::{colorize, colour_of, colour_value, viridis};
pub use super::contour::{ContourLine, contour_levels, contours, wants_log};
pub use super::grid::Grid;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::View;
    use crate::picture::colour::{fast_log2, log2_table};

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
