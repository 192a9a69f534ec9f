//! One whole frame of the window, headless: the egui pass and the tessellation of everything it
//! drew (no GPU). `cargo bench --bench frame`.
//!
//! `frame/race4_100k`: Rosenbrock's heat map with 20 contour lines and 4 racing runs of
//! 100,000 steps each, finished (as a teacher sees it after pressing Instant), the loss plot
//! with the 4 losses, the step table. The heat map and the runs are ready before timing starts:
//! what is timed is what every redraw costs.

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use downhill::landscape::LandscapeSpec;
use downhill::optim::OptimizerKind;
use downhill::run::RunConfig;
use downhill::setup::{RunSpec, Setup};
use downhill::stepper::Speed;
use downhill::ui::App;
use downhill::ui::settings::Settings;
use eframe::egui;
use egui_kittest::Harness;

fn race4_settings(steps: u64) -> Settings {
    let run = |kind: OptimizerKind, lr: f64| {
        let mut c = RunConfig::new(kind);
        c.hyper.lr = lr;
        RunSpec::new(c)
    };
    Settings {
        setup: Setup {
            landscape: LandscapeSpec::builtin("rosenbrock"),
            runs: vec![
                run(OptimizerKind::Sgd, 1e-3),
                run(OptimizerKind::Momentum, 2e-4),
                run(OptimizerKind::Adam, 1e-2),
                run(OptimizerKind::Rmsprop, 1e-3),
            ],
            start: [-1.2, 1.0],
            steps,
            ..Setup::default()
        },
        speed: Speed::Instant,
        ..Settings::default()
    }
}

/// A harness showing four finished runs of `steps` steps with the heat map on screen.
fn finished_race(steps: u64) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(move |cc| {
            App::with_settings(&cc.egui_ctx, race4_settings(steps), None).expect("app")
        });
    assert!(h.state().stepper().wait_idle(Duration::from_secs(120)));
    // Frames until the heat map has arrived from the field thread and nothing more is pending.
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(3) {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(h.state().picture_shown(), "no heat map yet");
    let snap = h.state().snapshot();
    assert_eq!(snap.runs.len(), 4);
    assert!(
        snap.runs.iter().all(|r| r.path.len() as u64 == steps + 1),
        "runs not finished"
    );
    h
}

fn frame(c: &mut Criterion) {
    let mut g = c.benchmark_group("frame");
    g.sample_size(50);
    // The scene, and the same with 100 times longer runs: drawing must not grow.
    for (id, steps) in [("race4_100k", 100_000), ("race4_10m", 10_000_000)] {
        let mut h = finished_race(steps);
        let ppp = h.ctx.pixels_per_point();
        g.bench_function(id, |b| {
            b.iter(|| {
                h.step();
                let shapes = h.output().shapes.clone();
                h.ctx.tessellate(shapes, ppp)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, frame);
criterion_main!(benches);
