//! Steps per second of the engine, trajectory recording included:
//! `cargo bench --bench engine`. Each benchmark records 1,000,000 steps (40 MB of rows) into a
//! buffer reused between iterations, as the window's stepper does; criterion reports the time
//! per run and the throughput in steps (elements) per second.
//!
//! `gd_bowl_1m` (η = 0.1 from (3, 2)) converges onto an exact fixed point, the smallest
//! subnormal number, after about 3,400 steps; from there the engine copies rows (see
//! `Run::fixed`). `gd_bowl_1m_moving` (η = 1e-6) never gets there and times every update.
//!
//! `data/linear_100k_full_step` and `data/logistic_100k_full_step`: one full-batch update of a
//! model over 100,000 generated points (the gradient and the loss over all of them).
//!
//! `data/read_table_10k_3col`: reading a 10,000-row CSV table `x1,x2,y` whole (the `csv` crate,
//! every cell parsed and checked), as `--data` does with a network's file.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use downhill_engine::landscape::Landscape;
use downhill_engine::optim::{OptimizerKind, Vec2};
use downhill_engine::run::{Row, Run, RunConfig};
use std::hint::black_box;

const STEPS: u64 = 1_000_000;

fn record(rows: &mut Vec<Row>, landscape: &Landscape, kind: OptimizerKind, lr: f64, start: Vec2) {
    let mut config = RunConfig::new(kind);
    config.hyper.lr = lr;
    let mut run = Run::new(landscape.clone(), &config, start).expect("a valid run");
    rows.clear();
    assert_eq!(run.record_into(rows, STEPS), STEPS);
}

fn engine(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(STEPS));
    g.sample_size(20);

    let mut rows = Vec::new();
    let bowl = Landscape::builtin("bowl").expect("built-in");
    g.bench_function("gd_bowl_1m", |b| {
        b.iter(|| {
            record(
                &mut rows,
                black_box(&bowl),
                OptimizerKind::Sgd,
                0.1,
                Vec2::new(3.0, 2.0),
            )
        })
    });

    // The same, at a rate so small that no coordinate comes near underflow or a fixed point
    // in a million steps: what every update costs.
    g.bench_function("gd_bowl_1m_moving", |b| {
        b.iter(|| {
            record(
                &mut rows,
                black_box(&bowl),
                OptimizerKind::Sgd,
                1e-6,
                Vec2::new(3.0, 2.0),
            )
        })
    });

    let rosenbrock = Landscape::builtin("rosenbrock").expect("built-in");
    g.bench_function("adam_rosenbrock_1m", |b| {
        b.iter(|| {
            record(
                &mut rows,
                black_box(&rosenbrock),
                OptimizerKind::Adam,
                1e-3,
                Vec2::new(-1.2, 1.0),
            )
        })
    });

    // The optimizers of issue 18, each at a learning rate that keeps it on the landscape for
    // the million steps (Newton stops when it diverges or its Hessian is singular: at the
    // minimum of the Rosenbrock valley it sits still, computing H each step).
    for (name, kind, lr) in [
        ("nadam_rosenbrock_1m", OptimizerKind::Nadam, 2e-3),
        ("radam_rosenbrock_1m", OptimizerKind::Radam, 1e-3),
        ("adamax_rosenbrock_1m", OptimizerKind::Adamax, 2e-3),
        ("adadelta_rosenbrock_1m", OptimizerKind::Adadelta, 1.0),
        ("rprop_rosenbrock_1m", OptimizerKind::Rprop, 1e-2),
        ("asgd_rosenbrock_1m", OptimizerKind::Asgd, 1e-4),
        ("newton_rosenbrock_1m", OptimizerKind::Newton, 1.0),
        ("lbfgs_rosenbrock_1m", OptimizerKind::Lbfgs, 1.0),
        ("adafactor_rosenbrock_1m", OptimizerKind::Adafactor, 1e-2),
        ("muon_rosenbrock_1m", OptimizerKind::Muon, 1e-3),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                record(
                    &mut rows,
                    black_box(&rosenbrock),
                    kind,
                    lr,
                    Vec2::new(-1.2, 1.0),
                )
            })
        });
    }

    let typed = Landscape::expr("(1 - x)^2 + 100*(y - x^2)^2").expect("a valid formula");
    g.bench_function("gd_typed_rosenbrock_1m", |b| {
        b.iter(|| {
            record(
                &mut rows,
                black_box(&typed),
                OptimizerKind::Sgd,
                1e-4,
                Vec2::new(-1.2, 1.0),
            )
        })
    });
    g.finish();
}

fn data(c: &mut Criterion) {
    use downhill_engine::data::{DataSource, Generate, Model};
    use downhill_engine::landscape::LandscapeSpec;
    let mut g = c.benchmark_group("data");
    for (name, model) in [
        ("linear_100k_full_step", Model::Linear),
        ("logistic_100k_full_step", Model::Logistic),
    ] {
        let landscape = LandscapeSpec::Data {
            data: DataSource::Generated(Generate {
                n: 100_000,
                ..Generate::default()
            }),
            model,
            standardize: true,
        }
        .build()
        .expect("generated data");
        let mut config = RunConfig::new(OptimizerKind::Sgd);
        config.hyper.lr = 1e-4;
        let mut run = Run::new(landscape, &config, Vec2::zeros()).expect("a valid run");
        g.bench_function(name, |b| b.iter(|| black_box(run.advance())));
    }

    let rows: u32 = 10_000;
    let mut text = String::from("# generated\nx1,x2,y\n");
    for i in 0..rows {
        let t = f64::from(i) * 0.001_3;
        text += &format!(
            "{},{},{}\n",
            t.sin(),
            (t * 7.0).cos() * 3.5,
            u8::from(t.sin() > 0.0)
        );
    }
    g.throughput(Throughput::Elements(rows.into()));
    g.bench_function("read_table_10k_3col", |b| {
        b.iter(|| {
            let t = downhill_engine::data::csv::read_table(black_box(&text), 3).expect("a table");
            assert_eq!(t.rows.len(), 10_000);
            t
        })
    });
    g.finish();
}

criterion_group!(benches, engine, data);
criterion_main!(benches);
