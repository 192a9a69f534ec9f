//! The written-out updates against the optimizers' own steps: each line's result is a value,
//! compared as a value.

use nalgebra::Matrix2;

use super::*;
use crate::landscape::Landscape;
use crate::optim::Hyper;

fn opt(kind: OptimizerKind, f: impl Fn(&mut Hyper)) -> Optimizer {
    let mut h = kind.defaults();
    f(&mut h);
    Optimizer::new(kind, &h).unwrap()
}

fn at(w: Vec2, g: Vec2, lr: f64) -> At<'static> {
    At {
        w,
        g,
        lr,
        dims: 2,
        hessian: None,
        closure: None,
    }
}

/// The last line that updates coordinate `i`: its result is the new point's coordinate.
fn last_update(e: &Explanation, i: usize) -> &Line {
    e.lines
        .iter()
        .rev()
        .find(|l| l.updates() == Some(i))
        .unwrap()
}

/// L-BFGS with its line search on mini-batches of data: the update written out from the
/// run's own closure (the batch behind the row's gradient) ends where the run went.
#[test]
fn lbfgs_on_mini_batches_is_written_out_as_the_run_steps() {
    use crate::data::{BatchOrder, BatchSpec, DataSource, Generate, Model};
    use crate::landscape::LandscapeSpec;
    use crate::run::setup::Setup;
    let mut setup = Setup {
        landscape: LandscapeSpec::Data {
            data: DataSource::Generated(Generate::default()),
            model: Model::Linear,
            standardize: true,
        },
        ..Setup::default()
    };
    let c = &mut setup.runs[0].config;
    c.optimizer = OptimizerKind::Lbfgs;
    c.hyper = OptimizerKind::Lbfgs.defaults();
    c.hyper.lr = 0.5;
    c.hyper.line_search = true;
    c.batch = BatchSpec {
        size: 7,
        order: BatchOrder::Shuffle,
    };
    let mut run = setup.build_all().unwrap().runs.remove(0);
    for step in 1..=6 {
        let before = run.clone();
        let row = before.row();
        let closure = |p| before.closure_value(p);
        let e = explain(
            before.optimizer(),
            OptimizerKind::Lbfgs,
            &At {
                closure: Some(&closure),
                ..at(row.w, row.grad, before.lr())
            },
            step,
        );
        let next = run.advance().unwrap();
        assert_eq!(last_update(&e, 1).result(), Some(next.w.y), "step {step}");
        // The line search's trial is the batch's loss, as the run's was.
        let Optimizer::Lbfgs(o) = run.optimizer() else {
            panic!()
        };
        let f = o.state.trials[0].f;
        assert!(
            e.lines.iter().any(|l| l.values().any(|x| x == f)),
            "step {step}: {f} not in {:?}",
            e.texts(Digits::Full)
        );
    }
}

/// A network's L-BFGS and Adafactor updates written out: each line's numbers give the new
/// p0 shown; W1 of a single weight (one input, width 1) has only p0 to write; with weight
/// decay the (1 − γλ) factor is in the line.
#[test]
fn whole_vector_updates_of_a_network_are_written_out() {
    use crate::net::{NetDataSource, NetSetup, NetTrain};
    let train = |setup: &NetSetup, kind: OptimizerKind, lr: f64, wd: f64, steps: usize| {
        let problem = std::sync::Arc::new(setup.problem().unwrap());
        let mut h = kind.defaults();
        h.lr = lr;
        h.weight_decay = wd;
        let o = Optimizer::new(kind, &h).unwrap();
        let mut t = NetTrain::new(problem, &o, kind, Default::default(), 0).unwrap();
        for _ in 0..steps {
            t.advance(lr);
        }
        let before = t.clone();
        t.advance(lr);
        (explain_whole(&before, &t, lr, steps as u64 + 1).unwrap(), t)
    };
    let circle = NetSetup::default();
    let (e, t) = train(&circle, OptimizerKind::Lbfgs, 0.1, 0.0, 0);
    let text = e.texts(Digits::Reading);
    assert!(
        e.heading.starts_with("L-BFGS moves all 105 parameters"),
        "{}",
        e.heading
    );
    assert!(text[0].starts_with("first update: d = −g"), "{text:?}");
    assert!(
        text.iter().any(|l| l.starts_with("p1 ← p1 + t·d1")),
        "{text:?}"
    );
    assert_eq!(last_update(&e, 1).result(), Some(t.theta()[1]));
    let (e, _) = train(&circle, OptimizerKind::Lbfgs, 0.1, 0.0, 5);
    assert!(
        e.texts(Digits::Reading)[0].contains("two-loop recursion over 5 (y, s) pairs"),
        "{:?}",
        e.texts(Digits::Reading)
    );
    // One input, one hidden unit: W1 is 1×1.
    let tiny = NetSetup {
        data: NetDataSource::Shipped {
            name: "anscombe-2".into(),
        },
        hidden: vec![1],
        loss: crate::net::NetLoss::Mse,
        ..NetSetup::default()
    };
    let (e, _) = train(&tiny, OptimizerKind::Adafactor, 0.03, 0.0, 3);
    assert!(
        e.heading.contains("p0 is W1, a single weight"),
        "{}",
        e.heading
    );
    assert!(!e.texts(Digits::Full).iter().any(|l| l.contains("p1")));
    let (e, t) = train(&circle, OptimizerKind::Adafactor, 0.03, 0.5, 3);
    let line = last_update(&e, 0);
    assert!(line.text().contains("(1 − γλ)"), "{}", line.text());
    // p0·(1 − γλ) − α/clip·U0, from the line's own numbers, is the p0 it ends on.
    let nums: Vec<f64> = line.values().collect();
    let [p0, k, a, u, new] = nums[..] else {
        panic!("{}: {nums:?}", line.text())
    };
    assert_eq!(new, t.theta()[0]);
    assert!(
        (p0 * k - a * u - new).abs() <= 1e-14 * new.abs().max(1e-3),
        "{nums:?}"
    );
}

#[test]
fn the_parabola_by_hand() {
    // Seed 002: w = 6, α = 0.3, dL/dw = 2(6 − 2) = 8.
    let o = opt(OptimizerKind::Sgd, |_| {});
    let e = explain(
        &o,
        OptimizerKind::Sgd,
        &At {
            dims: 1,
            ..at(Vec2::new(6.0, 0.0), Vec2::new(8.0, 0.0), 0.3)
        },
        1,
    );
    assert_eq!(
        e.texts(Digits::Reading),
        ["w0 ← w0 − η·∂L/∂w0 = 6 − 0.3 × 8 = 3.6"]
    );
    assert_eq!(
        e.heading,
        "Update 1 (Gradient descent (SGD), η = 0.3): from row 0 to row 1"
    );
    let net = Explanation {
        params: Params::Network,
        ..e
    };
    assert_eq!(
        net.texts(Digits::Reading),
        ["p0 ← p0 − η·∂L/∂p0 = 6 − 0.3 × 8 = 3.6"]
    );
}

#[test]
fn momentum_writes_its_buffer() {
    let mut o = opt(OptimizerKind::Momentum, |h| h.lr = 0.1);
    o.step(Vec2::new(3.0, 2.0), Vec2::new(6.0, 16.0), 0.1);
    let (w, g) = (Vec2::new(2.4, 0.4), Vec2::new(4.8, 3.2));
    let e = explain(&o, OptimizerKind::Momentum, &at(w, g, 0.1), 2);
    let text = e.texts(Digits::Reading);
    assert_eq!(text.len(), 4);
    assert!(
        text[0].starts_with("b0 ← μ·b0 + (1 − τ)·g0 = 0.9 × 6 + 1 × 4.8 = 10.2"),
        "{text:?}"
    );
    let next = o.clone().step(w, g, 0.1);
    assert_eq!(e.lines[1].result(), Some(next.x));
    assert!(text[1].ends_with("= 1.38"), "{}", text[1]);
}

#[test]
fn adam_writes_moments_and_bias_corrections_and_lands_on_the_step() {
    let o = opt(OptimizerKind::Adam, |_| {});
    let (w, g) = (Vec2::new(6.0, -1.0), Vec2::new(8.0, -2.0));
    let e = explain(&o, OptimizerKind::Adam, &at(w, g, 0.3), 1);
    let next = o.clone().step(w, g, 0.3);
    let text = e.texts(Digits::Reading);
    // 1 − 0.9 is 0.09999999999999998 in binary, so the figures are marked as rounded.
    assert!(
        text[0].starts_with("m0 ← β1·m0 + (1 − β1)·g0 = 0.9 × 0 + ≈0.1 × 8 = ≈0.8"),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|l| l.starts_with("m_hat0 = m0 / (1 − β1^1)"))
    );
    assert_eq!(e.lines[4].result(), Some(next.x), "{text:?}");
    assert_eq!(last_update(&e, 1).result(), Some(next.y));
    assert!(text[6].contains("(−2)"), "{text:?}");
}

/// L-BFGS's second step shows its history pair, the two-loop recursion and t; with the
/// line search, the trial.
#[test]
fn lbfgs_writes_out_its_history_and_two_loop_recursion() {
    let bowl = Landscape::builtin("bowl").unwrap();
    let mut eval = |p: Vec2| bowl.eval(p, &mut Vec::new()).ok();
    for line_search in [false, true] {
        let mut o = opt(OptimizerKind::Lbfgs, |h| h.line_search = line_search);
        let w = Vec2::new(3.0, 2.0);
        let (l, g) = eval(w).unwrap();
        let w1 = o.step_with_closure(w, l, g, 1.0, &mut eval).unwrap().w;
        let (l1, g1) = eval(w1).unwrap();
        let closure = |p| bowl.eval(p, &mut Vec::new()).ok();
        let e = explain(
            &o,
            OptimizerKind::Lbfgs,
            &At {
                closure: Some(&closure),
                ..at(w1, g1, 1.0)
            },
            2,
        );
        let text = e.texts(Digits::Reading).join("\n");
        assert!(text.contains("history: 1 of 100 pairs"), "{text}");
        assert!(text.contains("two-loop"), "{text}");
        assert_eq!(text.contains("trial 1: t = 1"), line_search, "{text}");
        let next = o.step_with_closure(w1, l1, g1, 1.0, &mut eval).unwrap().w;
        assert_eq!(e.lines.last().unwrap().result(), Some(next.y), "{text}");
    }
}

/// Every family's last line for each coordinate is the step the optimizer takes, bit for bit,
/// and every line's numbers are finite.
#[test]
fn every_optimizer_ends_each_coordinate_on_the_next_point() {
    for kind in OptimizerKind::ALL {
        let o = opt(kind, |h| {
            h.weight_decay = 0.01;
            h.lr_decay = 0.1;
            h.centered = true;
        });
        let (w, g) = (Vec2::new(1.5, -0.5), Vec2::new(0.25, 3.0));
        let h = Matrix2::new(2.0, 0.5, 0.5, 8.0);
        // L-BFGS calls the landscape (its loss at w, its line search's trials).
        let bowl = Landscape::builtin("bowl").unwrap();
        let mut eval = |p: Vec2| bowl.eval(p, &mut Vec::new()).ok();
        let next = if o.needs_closure() {
            let loss = eval(w).unwrap().0;
            o.clone()
                .step_with_closure(w, loss, g, 0.05, &mut eval)
                .unwrap()
                .w
        } else {
            o.clone().step_with_hessian(w, g, Some(&h), 0.05).unwrap()
        };
        let closure = |p: Vec2| bowl.eval(p, &mut Vec::new()).ok();
        let e = explain(
            &o,
            kind,
            &At {
                hessian: Some(h),
                closure: Some(&closure),
                ..at(w, g, 0.05)
            },
            1,
        );
        for i in 0..2 {
            assert_eq!(
                last_update(&e, i).result(),
                Some(next[i]),
                "{kind:?}: {:?}",
                e.texts(Digits::Full)
            );
        }
        assert!(
            e.lines.iter().flat_map(Line::values).all(f64::is_finite),
            "{kind:?}: {:?}",
            e.texts(Digits::Full)
        );
    }
}

/// A rounded figure is marked ≈ and the full line has every digit: the value the step table
/// prints for the new point.
#[test]
fn rounded_figures_are_marked_and_the_full_lines_are_the_table_values() {
    let o = opt(OptimizerKind::Sgd, |_| {});
    // The bowl's third update at η = 0.15 (torch's fused rounding).
    let (w, g) = (
        Vec2::new(1.47, 0.07999999999999996),
        Vec2::new(2.94, 0.6399999999999997),
    );
    let next = o.clone().step(w, g, 0.15);
    let e = explain(&o, OptimizerKind::Sgd, &at(w, g, 0.15), 3);
    let (read, full) = (e.texts(Digits::Reading), e.texts(Digits::Full));
    assert!(e.lines[1].rounded());
    assert!(read[1].ends_with("= ≈−0.016"), "{read:?}");
    assert!(!full.iter().any(|l| l.contains('≈')), "{full:?}");
    assert_eq!(e.lines[1].result(), Some(next.y));
    assert!(full[1].contains("0.07999999999999996"), "{full:?}");
    // A line without a rounded figure is the same in both.
    assert!(!e.lines[0].rounded() && read[0] == full[0], "{read:?}");
}
