//! Data landscapes: torch-style mini-batch trajectories, the least-squares minimum, batches,
//! standardizing, and `trace --data`.

mod common;

use downhill_engine::data::{BatchOrder, BatchSpec, DataSource, Generate, Model};
use downhill_engine::landscape::LandscapeSpec;
use downhill_engine::optim::{OptimizerKind, Vec2};
use downhill_engine::run::{Run, RunConfig, Status};
use serde::Deserialize;

#[derive(Deserialize)]
struct Refs {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    model: String,
    batch_size: u64,
    lr: f64,
    momentum: f64,
    points: Vec<[f64; 2]>,
    rows: Vec<[f64; 6]>,
}

fn points(pts: &[[f64; 2]]) -> DataSource {
    DataSource::Points {
        name: "test".into(),
        source: String::new(),
        columns: ["x".into(), "y".into()],
        points: pts.to_vec().into(),
    }
}

fn config(kind: OptimizerKind, lr: f64, batch: BatchSpec) -> RunConfig {
    let mut c = RunConfig::new(kind);
    c.hyper.lr = lr;
    c.batch = batch;
    c
}

/// SGD over sequential batches (torch's DataLoader without shuffling) against the reference
/// program in tests/data/make_data_refs.py: every value of every row, to the bit (the reference
/// mirrors autograd's order of operations; torch's own reductions may sum in another order, a
/// difference below 1e-12).
#[test]
fn sequential_batches_follow_the_reference_trajectories() {
    let refs: Refs = serde_json::from_str(include_str!("data/data_refs.json")).unwrap();
    assert_eq!(refs.cases.len(), 5);
    for case in &refs.cases {
        let model = Model::from_name(&case.model).unwrap();
        let landscape = LandscapeSpec::Data {
            data: points(&case.points),
            model,
            standardize: false,
        }
        .build()
        .unwrap();
        let mut c = config(
            OptimizerKind::Sgd,
            case.lr,
            BatchSpec {
                size: case.batch_size,
                order: BatchOrder::Sequential,
            },
        );
        c.hyper.momentum = case.momentum;
        let t = Run::new(landscape, &c, Vec2::zeros())
            .unwrap()
            .record(case.rows.len() as u64 - 1);
        assert_eq!(t.rows.len(), case.rows.len(), "{}", case.name);
        for (k, (r, want)) in t.rows.iter().zip(&case.rows).enumerate() {
            let got = [r.w.x, r.w.y, r.loss, r.grad.x, r.grad.y, r.batch_loss];
            assert_eq!(&got, want, "{} row {k}", case.name);
        }
    }
}

#[test]
fn full_batch_gradient_descent_reaches_the_least_squares_line() {
    for (source, standardize, lr, steps) in [
        (
            DataSource::Generated(Generate::default()),
            false,
            0.015,
            20_000,
        ),
        (DataSource::Generated(Generate::default()), true, 0.5, 10),
        (
            DataSource::Shipped {
                name: "anscombe-3".into(),
            },
            false,
            0.01,
            50_000,
        ),
        (
            DataSource::Shipped {
                name: "norris".into(),
            },
            true,
            0.3,
            500,
        ),
    ] {
        let landscape = LandscapeSpec::Data {
            data: source.clone(),
            model: Model::Linear,
            standardize,
        }
        .build()
        .unwrap();
        let d = landscape.data().unwrap().clone();
        let best = d.minimum().unwrap();
        let mut run = Run::new(
            landscape,
            &config(OptimizerKind::Sgd, lr, BatchSpec::default()),
            Vec2::zeros(),
        )
        .unwrap();
        let t = run.record(steps);
        let end = t.rows.last().unwrap().w;
        assert!(
            (end - best).norm() <= 1e-9 * best.norm().max(1.0),
            "{source:?} std={standardize}: {end:?} vs {best:?}"
        );
        assert_eq!(t.status, Status::Converged, "{source:?}");
    }
}

#[test]
fn shuffled_batches_repeat_with_the_seed_and_change_with_it() {
    let landscape = LandscapeSpec::Data {
        data: DataSource::Generated(Generate::default()),
        model: Model::Linear,
        standardize: true,
    }
    .build()
    .unwrap();
    let trace = |size: u64, seed: u64| {
        let mut c = config(
            OptimizerKind::Sgd,
            0.1,
            BatchSpec {
                size,
                order: BatchOrder::Shuffle,
            },
        );
        c.noise.seed = seed;
        Run::new(landscape.clone(), &c, Vec2::zeros())
            .unwrap()
            .record(40)
    };
    assert_eq!(trace(5, 1), trace(5, 1));
    assert_ne!(trace(5, 1), trace(5, 2));
    assert_ne!(trace(5, 1), trace(50, 1));
    // Mini-batches: the batch loss differs from the full loss; full batch: the same.
    let mini = trace(5, 1);
    assert!(mini.rows.iter().any(|r| r.batch_loss != r.loss));
    assert!(trace(0, 1).rows.iter().all(|r| r.batch_loss == r.loss));
}

#[test]
fn trace_prints_the_batch_loss_and_refuses_bad_data() {
    let out = common::downhill(&[
        "trace",
        "--data",
        "anscombe-1",
        "--batch-size",
        "4",
        "--batch-order",
        "sequential",
        "--steps",
        "3",
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "step,w0,w1,loss,g0,g1,batch_loss");
    assert_eq!(lines.len(), 5);
    // Same seed, same path; the shuffle needs a seed to mean anything.
    let a = common::downhill(&[
        "trace",
        "--data",
        "norris",
        "--standardize",
        "--batch-size",
        "7",
        "--seed",
        "4",
        "--lr",
        "0.1",
    ]);
    let b = common::downhill(&[
        "trace",
        "--data",
        "norris",
        "--standardize",
        "--batch-size",
        "7",
        "--seed",
        "4",
        "--lr",
        "0.1",
    ]);
    assert!(a.status.success(), "{}", common::stderr(&a));
    assert_eq!(a.stdout, b.stdout);

    let dir = std::env::temp_dir().join(format!("downhill-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (body, model, want) in [
        (
            "x,y\n1,2\n3\n",
            "linear",
            "line 3: 1 field(s) where the header has 2",
        ),
        (
            "x,y\n1,2\n2,abc\n",
            "linear",
            "line 3: 'abc' in column y is not a number",
        ),
        (
            "x,y\n1,0\n2,2\n",
            "logistic",
            "line 3: y = 2, but a logistic model needs labels 0 or 1",
        ),
        (
            "x,y\n1,2\n",
            "linear",
            "line 2: the file ends after 1 point(s); a fit needs at least two",
        ),
        (
            "x,y\n1,1\n1,2\n",
            "linear --standardize",
            "cannot be standardized",
        ),
    ] {
        let file = dir.join("d.csv");
        std::fs::write(&file, body).unwrap();
        let mut args = vec!["trace", "--data", file.to_str().unwrap(), "--model"];
        args.extend(model.split(' '));
        common::assert_refused(&args, want);
    }
    common::assert_refused(&["trace", "--batch-size", "3"], "--data");
    common::assert_refused(
        &["trace", "--data", "norris", "--batch-size", "0"],
        "at least 1",
    );
    common::assert_refused(
        &["trace", "--data", "norris", "--seed", "3"],
        "--seed has no effect",
    );
    common::assert_refused(
        &["trace", "--data", "nowhere.csv"],
        "cannot read nowhere.csv",
    );
}

/// Every row of `trace --data` holds the full-data loss at its point, and the gradient and
/// loss of batch k (sequential batches of 4 over Anscombe I: points 0–3, 4–7, 8–10, 0–3, …).
#[test]
fn trace_rows_hold_the_full_loss_and_the_next_batch() {
    let out = common::downhill(&[
        "trace",
        "--data",
        "anscombe-1",
        "--batch-size",
        "4",
        "--batch-order",
        "sequential",
        "--lr",
        "0.01",
        "--steps",
        "7",
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let d = LandscapeSpec::Data {
        data: DataSource::Shipped {
            name: "anscombe-1".into(),
        },
        model: Model::Linear,
        standardize: false,
    }
    .build()
    .unwrap();
    let d = d.data().unwrap().clone();
    let batches: [&[u32]; 3] = [&[0, 1, 2, 3], &[4, 5, 6, 7], &[8, 9, 10]];
    let text = String::from_utf8(out.stdout).unwrap();
    for (k, line) in text.lines().skip(1).enumerate() {
        let v: Vec<f64> = line.split(',').map(|f| f.parse().unwrap()).collect();
        assert_eq!(v[0], k as f64);
        let w = Vec2::new(v[1], v[2]);
        assert_eq!(v[3], d.loss(w), "row {k}: loss");
        let (batch_loss, g) = d.batch(w, Some(batches[k % 3]));
        assert_eq!([v[4], v[5], v[6]], [g.x, g.y, batch_loss], "row {k}: batch");
    }
    assert_eq!(text.lines().count(), 9);
}
