//! A real network's costs: `cargo bench --bench net`.
//! - `net/train_step_2-8-8-1_tanh_1000`: one full-batch update of a 2-8-8-1 tanh network
//!   (P = 105, binary cross-entropy) on 1,000 spiral points: the optimizer's step over θ, the
//!   forward and backward pass over every point, and the full-data loss.
//! - `net/plane_128_1000`: the window's 128² picture of that network's loss on the PCA plane of
//!   a 200-step Adam path, through the same field code the window uses
//!   (`picture::image::compute`: rows on all cores, colours and contour lines).
//! - `net/plane_128_1000_one_thread`: the same 16,384 values row by row on one thread, as
//!   the field code computed them before it used every core.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use downhill_engine::data::BatchSpec;
use downhill_engine::landscape::{Landscape, LandscapeSpec};
use downhill_engine::net::{NetDataSource, NetSetup, NetTrain, Pattern};
use downhill_engine::optim::{Optimizer, OptimizerKind};
use downhill_engine::picture::field::Grid;
use downhill_engine::picture::image::{FieldRequest, compute};
use downhill_engine::run::RunConfig;
use downhill_engine::run::setup::{RunSpec, Setup};
use std::hint::black_box;

const N: usize = 128;

fn setup() -> NetSetup {
    NetSetup {
        data: NetDataSource::Pattern {
            pattern: Pattern::Spiral,
            n: 1000,
            noise: 0.0,
            seed: 0,
        },
        ..NetSetup::default()
    }
}

fn plane() -> Landscape {
    let mut config = RunConfig::new(OptimizerKind::Adam);
    config.hyper.lr = 0.01;
    Setup {
        landscape: LandscapeSpec::Net(setup()),
        runs: vec![RunSpec::new(config)],
        steps: 200,
        ..Setup::default()
    }
    .build_all()
    .expect("a network setup")
    .landscape
}

fn net(c: &mut Criterion) {
    let mut g = c.benchmark_group("net");
    let problem = Arc::new(setup().problem().expect("the spiral"));
    let mut hyper = OptimizerKind::Sgd.defaults();
    hyper.lr = 1e-3;
    let sgd = Optimizer::new(OptimizerKind::Sgd, &hyper).expect("plain SGD");
    let mut train = NetTrain::new(problem, &sgd, OptimizerKind::Sgd, BatchSpec::default(), 0)
        .expect("a full-batch run");
    g.bench_function("train_step_2-8-8-1_tanh_1000", |b| {
        b.iter(|| black_box(train.advance(1e-3)))
    });

    let landscape = Arc::new(plane());
    let view = landscape.view();
    let request = FieldRequest {
        landscape: Arc::clone(&landscape),
        view,
        focus: view,
        nx: N,
        ny: N,
        gradient: false,
    };
    g.sample_size(10);
    g.bench_function("plane_128_1000", |b| {
        b.iter(|| compute(0, black_box(&request)))
    });
    g.bench_function("plane_128_1000_one_thread", |b| {
        b.iter(|| {
            let mut grid = Grid {
                view,
                nx: N,
                ny: N,
                values: vec![0.0; N * N],
            };
            let xs = grid.row_xs();
            let mut ys = vec![0.0; N];
            let mut scratch = Vec::new();
            for j in 0..N {
                ys.fill(grid.row_y(j));
                landscape.eval_many(&xs, &ys, &mut grid.values[j * N..(j + 1) * N], &mut scratch);
            }
            grid
        })
    });
    g.finish();
}

criterion_group!(benches, net);
criterion_main!(benches);
