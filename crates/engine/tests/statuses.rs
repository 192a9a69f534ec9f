//! The statuses a teacher sees (docs/design.md, "Statuses"): the outcome and the manner of GD
//! on the bowl, the parabola and the saddle, and the runs that must never be "converging".

#![allow(clippy::unwrap_used)]

use downhill_engine::geometry::Vec2;
use downhill_engine::landscape::{Landscape, LandscapeSpec};
use downhill_engine::optim::{HyperPatch, OptimizerKind};
use downhill_engine::run::{Manner, Run, RunConfig, Status};

fn landscape(name: &str) -> Landscape {
    LandscapeSpec::builtin(name).build().unwrap()
}

fn expr(text: &str) -> Landscape {
    LandscapeSpec::Expr { text: text.into() }.build().unwrap()
}

fn config(kind: OptimizerKind, patch: HyperPatch) -> RunConfig {
    RunConfig {
        hyper: patch.apply(kind).unwrap(),
        ..RunConfig::new(kind)
    }
}

fn gd(lr: f64) -> RunConfig {
    config(
        OptimizerKind::Sgd,
        HyperPatch {
            lr: Some(lr),
            ..Default::default()
        },
    )
}

/// The status and manner after `steps` updates, and the first step at which it was `first`.
fn run(
    l: Landscape,
    c: &RunConfig,
    start: (f64, f64),
    steps: u64,
) -> (Status, Manner, Vec<Status>) {
    let mut r = Run::new(l, c, Vec2::new(start.0, start.1)).unwrap();
    let mut seen = vec![r.status()];
    for _ in 0..steps {
        if r.advance().is_none() {
            break;
        }
        seen.push(r.status());
    }
    (r.status(), r.manner(), seen)
}

#[test]
fn gd_on_the_bowl_through_the_regimes() {
    let bowl = || landscape("bowl");
    assert_eq!(run(bowl(), &gd(0.1), (3.0, 2.0), 2000).0, Status::Converged);
    assert_eq!(run(bowl(), &gd(0.1), (3.0, 2.0), 2000).1, Manner::Smooth);
    for lr in [0.15, 0.2, 0.24] {
        let (s, m, seen) = run(bowl(), &gd(lr), (3.0, 2.0), 3000);
        assert_eq!((s, m), (Status::Converged, Manner::ZigZag), "η = {lr}");
        assert!(
            seen.iter()
                .all(|s| matches!(s, Status::Converging | Status::Converged)),
            "η = {lr}: {seen:?}"
        );
        let (s, _, _) = run(bowl(), &gd(lr), (3.0, 2.0), 30);
        assert!(
            matches!(s, Status::Converging | Status::Converged),
            "η = {lr}: {s}"
        );
    }
    let (s, m, _) = run(bowl(), &gd(0.25), (3.0, 2.0), 200);
    assert_eq!((s, m), (Status::Oscillating, Manner::ZigZag));
    let (s, m, seen) = run(bowl(), &gd(0.26), (3.0, 2.0), 10);
    assert_eq!((s, m), (Status::Diverging, Manner::ZigZag), "{seen:?}");
    let mut r = Run::new(bowl(), &gd(0.26), Vec2::new(3.0, 2.0)).unwrap();
    let t = r.record(1000);
    assert_eq!((t.status, t.steps_run()), (Status::Diverged, 171));
}

#[test]
fn gd_on_the_parabola() {
    let p = || landscape("parabola");
    assert_eq!(run(p(), &gd(0.3), (6.0, 0.0), 100).1, Manner::Smooth);
    assert_eq!(run(p(), &gd(0.7), (6.0, 0.0), 100).1, Manner::ZigZag);
    assert_eq!(run(p(), &gd(1.0), (6.0, 0.0), 100).0, Status::Oscillating);
    let (s, m, seen) = run(p(), &gd(1.2), (6.0, 0.0), 10);
    assert_eq!((s, m), (Status::Diverging, Manner::ZigZag), "{seen:?}");
    assert_eq!(run(p(), &gd(1.2), (6.0, 0.0), 5).0, Status::Diverging);
}

#[test]
fn the_saddle_slides_off_or_sticks() {
    let (s, m, seen) = run(landscape("saddle"), &gd(0.1), (1.5, 0.01), 60);
    assert_eq!((s, m), (Status::Diverging, Manner::Smooth), "{seen:?}");
    let (s, _, _) = run(landscape("saddle"), &gd(0.1), (1.5, 0.0), 2000);
    assert_eq!(s, Status::Stuck);
}

#[test]
fn never_converging_when_not_getting_closer() {
    assert_eq!(
        run(landscape("bowl"), &gd(0.0), (3.0, 2.0), 10).0,
        Status::Stuck
    );
    let m15 = config(
        OptimizerKind::Momentum,
        HyperPatch {
            momentum: Some(1.5),
            ..Default::default()
        },
    );
    let (s, _, seen) = run(landscape("bowl"), &m15, (3.0, 2.0), 30);
    assert_eq!(s, Status::Diverging, "{seen:?}");
    assert_eq!(
        run(landscape("bowl"), &m15, (3.0, 2.0), 100).0,
        Status::Diverged
    );
    let (s, m, seen) = run(expr("x"), &gd(0.1), (3.0, 2.0), 30);
    assert_eq!((s, m), (Status::Diverging, Manner::Smooth), "{seen:?}");
}
