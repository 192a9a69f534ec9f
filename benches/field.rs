//! The landscape's picture: `cargo bench --bench field`.
//! - `field/rosenbrock_512_eval`: Rosenbrock on a 512×512 grid over x ∈ [−2, 2], y ∈ [−1, 3].
//! - `field/typed_rosenbrock_512_eval`: the same formula typed (`--expr`), through the tape.
//! - `field/rosenbrock_512_contours20`: contour lines for 20 log-spaced levels between
//!   min + 1e-3 and max of that grid, all levels in one pass over the cells.
//! - `field/data_linear_1m_256_eval`: the window's 256×256 picture of a linear model's loss
//!   over a million generated points (from the data's sums: as fast as ten points).
//! - `field/data_logistic_10k_256_eval` and `…_64_eval`: a logistic model over 10,000 points,
//!   the full picture and the coarse preview shown first.

use criterion::{Criterion, criterion_group, criterion_main};
use downhill_engine::landscape::{Landscape, View};
use downhill_engine::picture::field::{Grid, contour_levels, contours};
use std::hint::black_box;

const N: usize = 512;
const VIEW: View = View {
    x: [-2.0, 2.0],
    y: [-1.0, 3.0],
};

fn fill(landscape: &Landscape, grid: &mut Grid, scratch: &mut Vec<f64>) {
    let xs = grid.row_xs();
    let mut ys = vec![0.0; N];
    for j in 0..N {
        ys.fill(grid.row_y(j));
        landscape.eval_many(&xs, &ys, &mut grid.values[j * N..(j + 1) * N], scratch);
    }
}

fn field(c: &mut Criterion) {
    let mut g = c.benchmark_group("field");
    let mut grid = Grid {
        view: VIEW,
        nx: N,
        ny: N,
        values: vec![0.0; N * N],
    };
    let mut scratch = Vec::new();
    let builtin = Landscape::builtin("rosenbrock").expect("built-in");
    g.bench_function("rosenbrock_512_eval", |b| {
        b.iter(|| fill(black_box(&builtin), &mut grid, &mut scratch))
    });
    let typed = Landscape::expr("(1 - x)^2 + 100*(y - x^2)^2").expect("a valid formula");
    g.bench_function("typed_rosenbrock_512_eval", |b| {
        b.iter(|| fill(black_box(&typed), &mut grid, &mut scratch))
    });
    fill(&builtin, &mut grid, &mut scratch);
    let (lo, hi) = grid.finite_range().expect("finite values");
    let levels = contour_levels(lo + 1e-3, hi, 20);
    g.bench_function("rosenbrock_512_contours20", |b| {
        b.iter(|| contours(black_box(&grid), &levels))
    });
    data_pictures(&mut g);
    g.finish();
}

fn data_pictures(g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    use downhill_engine::data::{DataSource, Generate, Model};
    use downhill_engine::landscape::LandscapeSpec;
    let data = |n: usize, model: Model| {
        LandscapeSpec::Data {
            data: DataSource::Generated(Generate {
                n,
                ..Generate::default()
            }),
            model,
            standardize: true,
        }
        .build()
        .expect("generated data")
    };
    let picture = |l: &Landscape, n: usize| {
        let mut grid = Grid {
            view: l.view(),
            nx: n,
            ny: n,
            values: vec![0.0; n * n],
        };
        let xs = grid.row_xs();
        let mut ys = vec![0.0; n];
        let mut scratch = Vec::new();
        for j in 0..n {
            ys.fill(grid.row_y(j));
            l.eval_many(&xs, &ys, &mut grid.values[j * n..(j + 1) * n], &mut scratch);
        }
        grid
    };
    let linear = data(1_000_000, Model::Linear);
    g.bench_function("data_linear_1m_256_eval", |b| {
        b.iter(|| picture(black_box(&linear), 256))
    });
    let logistic = data(10_000, Model::Logistic);
    g.bench_function("data_logistic_10k_256_eval", |b| {
        b.iter(|| picture(black_box(&logistic), 256))
    });
    g.bench_function("data_logistic_10k_64_eval", |b| {
        b.iter(|| picture(black_box(&logistic), 64))
    });
}

criterion_group!(benches, field);
criterion_main!(benches);
