//! Save picture in the window writes a PNG of what is on screen; the window survives tiny and
//! huge sizes and extreme zoom.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::ui::{harness_with, new_harness, paused};
use downhill::ui::App;
use downhill::ui::settings::Settings;
use downhill_engine::geometry::View;
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

#[test]
fn save_picture_writes_a_png_of_the_screen() {
    // This test binary has the process to itself: the picture goes to the current folder.
    let dir = std::env::temp_dir().join(format!("downhill-picture-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::env::set_current_dir(&dir).unwrap();
    let mut h = paused();
    h.get_by_label("Save picture").click();
    let t0 = Instant::now();
    while h.query_by_label_contains("Saved ").is_none() {
        assert!(t0.elapsed() < Duration::from_secs(30), "no picture");
        std::thread::sleep(Duration::from_millis(20));
        h.run_steps(1);
    }
    let step = h.state().snapshot().step;
    let file = dir.join(format!("downhill-bowl-step{step}.png"));
    let img = image::open(&file).unwrap();
    assert_eq!((img.width(), img.height()), (1600, 1000));
    std::fs::remove_dir_all(&dir).ok();
}

fn frames(h: &mut Harness<'static, App>) {
    for _ in 0..4 {
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn tiny_and_huge_windows_and_extreme_zoom_do_not_panic() {
    for size in [egui::vec2(120.0, 90.0), egui::vec2(3840.0, 2400.0)] {
        let mut h = new_harness().size(size).build();
        frames(&mut h);
    }
    for view in [
        View {
            x: [-1e-13, 1e-13],
            y: [-1e-13, 1e-13],
        },
        View {
            x: [-1e15, 1e15],
            y: [-1e15, 1e15],
        },
        View {
            x: [3.0, 3.0 + 1e-300],
            y: [2.0, 2.0 + 1e-300],
        },
    ] {
        let mut h = harness_with(Settings {
            view: Some(view),
            ..Settings::default()
        });
        // A panic anywhere in the frame (layout, plot bounds, field request) fails the test.
        frames(&mut h);
    }
}
