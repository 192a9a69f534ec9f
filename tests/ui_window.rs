//! The real window, driven through AccessKit as a user (or a screen reader) would: every control
//! is found by its label. No GPU needed.

// Helpers here are test code too: a panic is a failed test with its message.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::ui::{harness, harness_with, new_harness, paused, settle, step};
use downhill::live::stepper::Speed;
use downhill::ui::settings::{Settings, SettingsFile};
use downhill_engine::run::Status;
use eframe::egui::{self, Key, accesskit::Role};
use egui_kittest::kittest::Queryable as _;

#[test]
fn it_starts_on_the_bowl_with_gradient_descent() {
    let mut h = harness();
    h.run_steps(2);
    assert!(h.query_by_label_contains("L = x² + 4y²").is_some());
    let snap = h.state().snapshot();
    assert_eq!(snap.landscape.name(), "bowl");
    assert_eq!(snap.setup.start, [3.0, 2.0]);
    assert_eq!(snap.setup.run().hyper.lr, 0.1);
    h.get_by_role_and_label(Role::Slider, "Learning rate");
}

#[test]
fn step_advances_exactly_one_and_reset_goes_back() {
    let mut h = paused();
    h.get_by_label("Reset").click();
    settle(&mut h);
    assert_eq!(step(&h), 0);
    h.get_by_label("Step").click();
    settle(&mut h);
    assert_eq!(step(&h), 1);
    assert!(h.query_by_label_contains("Step 1 of 1000").is_some());
    h.get_by_label("Step").click();
    settle(&mut h);
    assert_eq!(step(&h), 2);
}

#[test]
fn play_advances_the_step_counter() {
    let mut h = paused();
    h.get_by_label("Reset").click();
    settle(&mut h);
    assert_eq!(step(&h), 0);
    h.get_by_label("Play").click();
    h.run_steps(2);
    std::thread::sleep(Duration::from_millis(400));
    h.run_steps(2);
    assert!(step(&h) > 0, "still at step 0 after playing");
    assert!(h.query_by_label("Pause").is_some());
}

#[test]
fn typing_a_learning_rate_restarts_the_run_with_a_new_path() {
    let mut h = paused();
    // At least one update, however quickly the pause came.
    h.get_by_label("Step").click();
    settle(&mut h);
    let before = h.state().snapshot().primary().path.get(1).unwrap().w;
    let generation = h.state().snapshot().generation;
    let spin = h.get_by_role_and_label(Role::SpinButton, "Learning rate");
    spin.click();
    h.run_steps(1);
    let spin = h.get_by_role_and_label(Role::SpinButton, "Learning rate");
    spin.type_text("0.05");
    h.run_steps(1);
    h.key_press(Key::Enter);
    settle(&mut h);
    let snap = h.state().snapshot();
    assert_eq!(snap.setup.run().hyper.lr, 0.05, "typed value not applied");
    assert!(snap.generation > generation, "the run did not restart");
    assert_ne!(snap.primary().path.get(1).unwrap().w, before);
}

#[test]
fn choosing_adam_shows_its_betas_with_torch_defaults() {
    let mut h = paused();
    assert!(h.query_by_role_and_label(Role::Slider, "beta1").is_none());
    h.get_by_role_and_label(Role::ComboBox, "Optimizer").click();
    h.run_steps(2);
    h.get_by_label("Adam").click();
    settle(&mut h);
    h.get_by_role_and_label(Role::Slider, "beta1");
    h.get_by_role_and_label(Role::Slider, "beta2");
    let setup = &h.state().snapshot().setup;
    assert_eq!(setup.run().hyper.beta2, 0.999);
    assert_eq!(
        setup.run().optimizer,
        downhill_engine::optim::OptimizerKind::Adam
    );
}

#[test]
fn space_r_and_arrow_keys_work() {
    let mut h = paused();
    h.key_press(Key::R);
    settle(&mut h);
    assert_eq!(step(&h), 0);
    h.key_press(Key::ArrowRight);
    settle(&mut h);
    assert_eq!(step(&h), 1);
    h.key_press(Key::N);
    settle(&mut h);
    assert_eq!(step(&h), 2);
    h.key_press(Key::Space);
    h.run_steps(2);
    std::thread::sleep(Duration::from_millis(300));
    h.run_steps(2);
    assert!(h.state().snapshot().playing || h.state().snapshot().finished);
    h.key_press(Key::Space);
    settle(&mut h);
    assert!(!h.state().snapshot().playing);
}

#[test]
fn a_diverging_learning_rate_shows_the_diverged_badge() {
    let mut h = paused();
    h.get_by_role_and_label(Role::Slider, "Learning rate")
        .set_value_accesskit(0.3);
    settle(&mut h);
    let snap = h.state().snapshot();
    assert_eq!(snap.setup.run().hyper.lr, 0.3);
    assert_eq!(snap.primary().status, Status::Diverged);
    assert!(h.query_by_label_contains("diverged at step").is_some());
    // Nothing on screen is NaN.
    assert!(h.query_by_label_contains("NaN").is_none());
}

#[test]
fn clicking_the_landscape_moves_the_start() {
    let mut h = paused();
    h.get_by_label("Loss landscape").click();
    settle(&mut h);
    let start = h.state().snapshot().setup.start;
    assert_ne!(start, [3.0, 2.0]);
    // The click was near the middle of the bowl's view.
    assert!(start[0].abs() < 2.0 && start[1].abs() < 2.0, "{start:?}");
}

#[test]
fn switching_landscape_shows_its_formula() {
    let mut h = paused();
    h.get_by_role_and_label(Role::ComboBox, "Landscape").click();
    h.run_steps(2);
    h.get_by_label("Rosenbrock").click();
    settle(&mut h);
    assert!(
        h.query_by_label_contains("L = (1 − x)² + 100(y − x²)²")
            .is_some()
    );
    assert_eq!(h.state().snapshot().setup.start, [-1.2, 1.0]);
}

#[test]
fn instant_mode_shows_the_whole_run() {
    let mut h = harness_with(Settings {
        speed: Speed::Instant,
        ..Settings::default()
    });
    settle(&mut h);
    assert_eq!(step(&h), 1000);
}

#[test]
fn help_opens_with_its_key_and_fit_does_not_panic() {
    let mut h = paused();
    assert!(h.query_by_label("Keyboard shortcuts").is_none());
    h.key_press(Key::H);
    h.run_steps(2);
    assert!(h.query_by_label("Keyboard shortcuts").is_some());
    h.key_press(Key::F);
    h.run_steps(2);
    h.get_by_label("Fit").click();
    h.run_steps(2);
}

/// Storage holding whatever text a test puts there.
struct FakeStorage(Option<String>);

impl eframe::Storage for FakeStorage {
    fn get_string(&self, _key: &str) -> Option<String> {
        self.0.clone()
    }
    fn set_string(&mut self, _key: &str, value: String) {
        self.0 = Some(value);
    }
    fn remove_string(&mut self, _key: &str) {
        self.0 = None;
    }
    fn flush(&mut self) {}
}

/// A settings file in a folder of its own.
fn settings_path(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "downhill-ui-settings-{}-{name}",
        std::process::id()
    ));
    std::fs::remove_dir_all(&d).ok();
    d.join("settings.json")
}

#[test]
fn corrupt_settings_fall_back_to_the_defaults_with_a_visible_note() {
    let path = settings_path("corrupt");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "{\"version\": 1, \"setup\": [oops").unwrap();
    let (settings, note) = SettingsFile::at(Some(path.clone())).load(None);
    assert_eq!(settings, Settings::default());
    let mut h = new_harness().settings(settings).note(note).build();
    h.run_steps(2);
    assert!(h.query_by_label_contains("could not be read").is_some());
    assert!(
        h.query_by_label_contains("settings.json.unreadable")
            .is_some()
    );
    // Settings kept in eframe's storage by an earlier version are read when there is no file.
    let storage = FakeStorage(Some(r#"{"version": 2, "sweep_steps": 77}"#.into()));
    let (settings, note) = SettingsFile::at(Some(path)).load(Some(&storage));
    assert_eq!((settings.sweep_steps, note), (77, None));
}

#[test]
fn settings_survive_a_restart() {
    let mut h = paused();
    h.get_by_role_and_label(Role::Slider, "Learning rate")
        .set_value_accesskit(0.2);
    settle(&mut h);
    let path = settings_path("restart");
    h.state_mut()
        .use_settings_file(SettingsFile::at(Some(path.clone())));
    eframe::App::save(h.state_mut(), &mut FakeStorage(None));
    let (settings, note) = SettingsFile::at(Some(path)).load(None);
    assert_eq!(note, None);
    assert_eq!(settings.setup.run().hyper.lr, 0.2);
    // The visible window is saved too, and the next start opens on it.
    let view = settings.view.expect("the view is saved");
    assert!(view.x[0] < 3.0 && view.x[1] > 3.0);
}

#[test]
fn a_saved_setup_that_cannot_run_is_replaced_and_said() {
    let mut settings = Settings::default();
    settings.setup.landscape =
        downhill_engine::landscape::LandscapeSpec::Expr { text: "x +".into() };
    let mut h = harness_with(settings);
    h.run_steps(2);
    assert!(h.query_by_label_contains("could not run").is_some());
    assert_eq!(h.state().snapshot().landscape.name(), "bowl");
}

#[test]
fn presentation_mode_enlarges_and_keeps_the_essential_controls() {
    let mut h = paused();
    assert!(
        h.query_by_role_and_label(Role::ComboBox, "Schedule")
            .is_some()
    );
    h.key_press(Key::F11);
    h.run_steps(3);
    assert!(h.state().presenting());
    assert_eq!(h.ctx.zoom_factor(), 1.35);
    // The controls that matter stay; the detail goes.
    assert!(
        h.query_by_role_and_label(Role::ComboBox, "Schedule")
            .is_none()
    );
    assert!(h.query_by_label("Step arithmetic").is_none());
    h.get_by_role_and_label(Role::Slider, "Learning rate");
    h.get_by_label("Play");
    h.get_by_label("Present").click();
    h.run_steps(3);
    assert!(!h.state().presenting());
    assert_eq!(h.ctx.zoom_factor(), 1.0);
    assert!(
        h.query_by_role_and_label(Role::ComboBox, "Schedule")
            .is_some()
    );
}

#[test]
fn light_and_dark_colours_switch_and_are_remembered() {
    let mut h = paused();
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
    h.get_by_label("Light colours").click();
    h.run_steps(2);
    assert_eq!(h.ctx.theme(), egui::Theme::Light);
    assert!(h.state().settings().light);
    h.get_by_label("Dark colours").click();
    h.run_steps(2);
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
}

/// A start of 1e308 (from settings or a setup) shows as a short number and leaves the map in
/// the window.
#[test]
fn a_huge_start_neither_widens_the_panel_nor_pushes_the_map_away() {
    let mut settings = Settings::default();
    settings.setup.start = [1e308, -1e308];
    let mut h = new_harness().settings(settings).paused();
    h.run_steps(2);
    for node in h.get_all_by_label("Start") {
        let text = node.value().unwrap_or_default();
        assert!(text.len() <= 16, "{text:?}");
    }
    let map = h.get_by_label("Loss landscape").rect();
    assert!(map.width() > 300.0, "{map:?}");
    assert!(map.right() <= 1280.0 + 0.5, "{map:?}");
}
