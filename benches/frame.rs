//! One whole frame of the window, headless: the egui pass and the tessellation of everything it
//! drew (no GPU). `cargo bench --bench frame`.
//!
//! `frame/race4_100k`: Rosenbrock's heat map with 20 contour lines and 4 racing runs of
//! 100,000 steps each, finished (as a teacher sees it after pressing Instant), the loss plot
//! with the 4 losses, the step table. The heat map and the runs are ready before timing starts:
//! what is timed is what every redraw costs.
//!
//! `frame/surface3d_256`: the same race with the 3-D view shown beside the map: a 256×256
//! surface and the 4 paths of 100,000 steps (CPU only: building the scene and the egui pass;
//! the GPU draws the buffers uploaded once). `surface3d_256_paths`: the part that is redone
//! every frame while runs play (the 4 paths as ribbons over the surface), and
//! `surface3d_256_mesh`: building the surface of a new picture (on the field thread).
//!
//! `frame/net_circle_2k`: the default network (2-8-8-1 tanh on the circle) with two finished
//! runs of 2,000 steps (GD and Adam), its plane's heat map and the Data page's decision
//! regions on screen: the network's pictures are worked out on threads, so a redraw costs what
//! a two-weight landscape's does.

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use downhill::live::stepper::Speed;
use downhill::ui::App;
use downhill::ui::settings::Settings;
use downhill::ui::settings::SidePage;
use downhill_engine::landscape::LandscapeSpec;
use downhill_engine::net::NetSetup;
use downhill_engine::optim::OptimizerKind;
use downhill_engine::run::RunConfig;
use downhill_engine::run::setup::{RunSpec, Setup};
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

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

/// A harness showing four finished runs of `steps` steps with the heat map on screen (and the
/// 3-D view beside it when `three_d`).
fn finished_race(steps: u64, three_d: bool) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(move |cc| {
            let mut settings = race4_settings(steps);
            settings.three_d = three_d;
            let mut app = App::with_settings(&cc.egui_ctx, settings, None).expect("app");
            app.assume_3d_renderer();
            app
        });
    assert!(h.state().stepper().wait_idle(Duration::from_secs(120)));
    // Frames until the heat map has arrived from the field thread and nothing more is pending.
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(3) {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(h.state().picture_shown(), "no heat map yet");
    if three_d {
        let mesh = h.state().surface().expect("a surface");
        assert!(mesh.vertex_count() >= 250 * 250, "{}", mesh.vertex_count());
    }
    let snap = h.state().snapshot();
    assert_eq!(snap.runs.len(), 4);
    assert!(
        snap.runs.iter().all(|r| r.path.len() as u64 == steps + 1),
        "runs not finished"
    );
    h
}

/// A harness showing the default network with two finished runs of `steps` steps, the plane's
/// heat map and the decision regions on screen.
fn finished_network(steps: u64) -> Harness<'static, App> {
    let run = |kind: OptimizerKind, lr: f64| {
        let mut c = RunConfig::new(kind);
        c.hyper.lr = lr;
        RunSpec::new(c)
    };
    let settings = Settings {
        setup: Setup {
            landscape: LandscapeSpec::Net(NetSetup::default()),
            runs: vec![run(OptimizerKind::Sgd, 1.0), run(OptimizerKind::Adam, 0.01)],
            steps,
            ..Setup::default()
        },
        speed: Speed::Instant,
        page: SidePage::Data,
        ..Settings::default()
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(move |cc| App::with_settings(&cc.egui_ctx, settings, None).expect("app"));
    assert!(h.state().stepper().wait_idle(Duration::from_secs(300)));
    // Frames until the refined heat map and the regions of the last step have arrived.
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(120) {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
        if h.state().picture_shown()
            && h.query_by_label("Decision regions").is_some()
            && h.query_by_label_contains("catching up").is_none()
            && h.query_by_label_contains("Refining the picture").is_none()
            && t0.elapsed() > Duration::from_secs(3)
        {
            break;
        }
    }
    assert!(h.state().picture_shown(), "no heat map yet");
    assert!(
        h.query_by_label("Decision regions").is_some(),
        "no decision regions yet"
    );
    let snap = h.state().snapshot();
    assert_eq!(snap.runs.len(), 2);
    assert!(
        snap.runs.iter().all(|r| r.path.len() as u64 == steps + 1),
        "runs not finished"
    );
    h
}

/// Times one whole frame of `h` as benchmark `id`: the egui pass and the tessellation of what
/// it drew.
fn time_frames(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: &str,
    h: &mut Harness<'static, App>,
) {
    let ppp = h.ctx.pixels_per_point();
    g.bench_function(id, |b| {
        b.iter(|| {
            h.step();
            let shapes = h.output().shapes.clone();
            h.ctx.tessellate(shapes, ppp)
        })
    });
}

fn frame(c: &mut Criterion) {
    let mut g = c.benchmark_group("frame");
    g.sample_size(50);
    time_frames(&mut g, "net_circle_2k", &mut finished_network(2_000));
    // The scene, and the same with 100 times longer runs: drawing must not grow.
    for (id, steps) in [("race4_100k", 100_000), ("race4_10m", 10_000_000)] {
        time_frames(&mut g, id, &mut finished_race(steps, false));
    }
    let mut h = finished_race(100_000, true);
    time_frames(&mut g, "surface3d_256", &mut h);
    // The ribbons of the 4 paths, as rebuilt each frame while the runs play.
    let snap = h.state().snapshot();
    let mesh = h.state().surface().expect("a surface");
    let foot = downhill_engine::picture::surface::Footprint {
        view: mesh.footprint.expect("a footprint"),
    };
    let scale = downhill_engine::picture::surface::HeightScale {
        lo: 0.0,
        hi: 2500.0,
        log: true,
    };
    g.bench_function("surface3d_256_paths", |b| {
        b.iter(|| {
            let mut m = downhill_engine::picture::surface::Mesh::default();
            for run in &snap.runs {
                downhill_engine::picture::surface::path_ribbon(
                    &mut m,
                    run.path
                        .thinned(downhill_engine::picture::surface::MAX_PATH_POINTS)
                        .map(|(_, r)| (r.w, r.loss)),
                    &foot,
                    &scale,
                    [1.0; 4],
                    0.012,
                );
            }
            m
        })
    });
    let landscape = std::sync::Arc::new(
        downhill_engine::landscape::Landscape::builtin("rosenbrock").expect("built-in"),
    );
    let view = landscape.view();
    let image = downhill_engine::picture::image::compute(
        0,
        &downhill_engine::picture::image::FieldRequest {
            landscape,
            view,
            focus: view,
            nx: 256,
            ny: 256,
            gradient: true,
        },
    );
    g.bench_function("surface3d_256_mesh", |b| {
        b.iter(|| downhill_engine::picture::surface::surface(&image))
    });
    g.finish();
}

criterion_group!(benches, frame);
criterion_main!(benches);
