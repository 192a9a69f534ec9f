//! Helpers for the window's tests: a harness on the real app, and waiting for the stepper.

use std::time::Duration;

use downhill::ui::App;
use downhill::ui::settings::Settings;
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

pub fn harness_with(settings: Settings) -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 820.0))
        .build_eframe(move |cc| App::with_settings(&cc.egui_ctx, settings, None).unwrap())
}

pub fn harness() -> Harness<'static, App> {
    harness_with(Settings::default())
}

/// Runs a few frames (the app sends its commands at the end of a frame), then waits for the
/// stepper to finish them.
pub fn settle(h: &mut Harness<'static, App>) {
    h.run_steps(2);
    assert!(
        h.state().stepper().wait_idle(Duration::from_secs(10)),
        "the stepper did not settle"
    );
    h.run_steps(2);
}

/// Pauses the run and waits until the stepper is idle.
pub fn paused() -> Harness<'static, App> {
    let mut h = harness();
    h.run_steps(1);
    pause(&mut h);
    settle(&mut h);
    h
}

/// Clicks Pause if the run still plays: on a busy machine the stepper may have finished the
/// whole run before the first frame, and then the button already says Play.
pub fn pause(h: &mut Harness<'static, App>) {
    if let Some(button) = h.query_by_label("Pause") {
        button.click();
    }
}

pub fn step(h: &Harness<'static, App>) -> u64 {
    h.state().snapshot().step
}
