//! The learning-rate demo in front of a class (issue 17): the slider stretched around the
//! band where plain GD turns, its notches and keys, replaying changes from step 0, and the
//! landscape picker, lesson and formula field agreeing with what is drawn.

// Helpers here are test code too: a panic is a failed test with its message.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::ui::{new_harness, paused, settle, step};
use downhill::ui::App;
use downhill::ui::panels::lr_slider::LR_RANGE;
use downhill::ui::settings::Settings;
use downhill_engine::run::Status;
use downhill_engine::teach::lr_scale::LrScale;
use eframe::egui::{self, Key, Modifiers, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

fn lr(h: &Harness<'static, App>) -> f64 {
    h.state().settings().setup.run().hyper.lr
}

/// Where on screen the slider's rail puts `v` (the bowl's scale).
fn at(h: &Harness<'static, App>, v: f64) -> egui::Pos2 {
    let rect = h
        .get_by_role_and_label(Role::Slider, "Learning rate")
        .rect();
    let rail_h = h.ctx.global_style().spacing.interact_size.y;
    let r = rail_h / 2.5;
    let (x0, x1) = (rect.left() + r, rect.right() - r);
    let scale = LrScale::new(LR_RANGE.0, LR_RANGE.1, Some(0.125));
    egui::pos2(
        x0 + scale.position(v) as f32 * (x1 - x0),
        rect.top() + rail_h / 2.0,
    )
}

/// The badge of the first run.
fn badge(h: &Harness<'static, App>) -> String {
    downhill::ui::panels::status::badge_text(h.state().snapshot().primary())
}

#[test]
fn the_bowls_band_is_wide_and_dragging_through_it_shows_every_regime() {
    let mut h = paused();
    let rect = h
        .get_by_role_and_label(Role::Slider, "Learning rate")
        .rect();
    // The band from 1/λ to 2/λ takes at least a third of the rail.
    let band = at(&h, 0.25).x - at(&h, 0.125).x;
    assert!(band >= 0.35 * rect.width(), "{band} of {}", rect.width());
    let start = at(&h, 0.05);
    h.hover_at(start);
    h.run_steps(1);
    h.drag_at(start);
    h.run_steps(1);
    // Each stop is a round value (snapped) and says what the run does.
    for (v, words) in [
        (0.1, "converged"),
        (0.15, "converged, zig-zag"),
        (0.2, "converged, zig-zag"),
        (0.25, "oscillating"),
        (0.3, "diverged"),
    ] {
        // A few pixels off: the value snaps to the notch.
        h.hover_at(at(&h, v) + egui::vec2(2.0, 0.0));
        h.run_steps(1);
        settle(&mut h);
        assert_eq!(lr(&h), v, "not snapped");
        assert_eq!(h.state().snapshot().setup.run().hyper.lr, v);
        let text = badge(&h);
        assert!(text.contains(words), "η = {v}: {text}");
        // Between 1/λ and 2/λ the path zig-zags: never called smooth, where the status names
        // the manner.
        if (0.125..0.25).contains(&v) {
            assert!(!text.contains("smooth"), "η = {v}: {text}");
        } else if v < 0.125 {
            assert!(!text.contains("zig-zag"), "η = {v}: {text}");
        }
        assert!(h.query_by_label_contains(&text).is_some(), "{text}");
    }
    h.drop_at(at(&h, 0.3));
    h.run_steps(1);
    settle(&mut h);
    assert_eq!(h.state().snapshot().primary().status, Status::Diverged);
}

#[test]
fn shift_drags_without_snapping() {
    let mut h = paused();
    let (a, b) = (at(&h, 0.15), at(&h, 0.2));
    let between = egui::pos2((a.x + b.x) / 2.0, a.y);
    h.hover_at(between);
    h.run_steps(1);
    h.event(egui::Event::ModifiersChanged(Modifiers::SHIFT));
    h.drag_at(between);
    h.run_steps(2);
    h.drop_at(between);
    h.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    settle(&mut h);
    let v = lr(&h);
    assert!(v > 0.15 && v < 0.2, "not between the notches: {v}");
}

#[test]
fn arrow_keys_step_one_notch_when_the_slider_is_focused() {
    let mut h = paused();
    assert_eq!(lr(&h), 0.1);
    h.get_by_role_and_label(Role::Slider, "Learning rate")
        .focus();
    // Focused for a frame, the slider keeps the arrow keys (egui's focus lock).
    h.run_steps(2);
    h.key_press(Key::ArrowRight);
    settle(&mut h);
    assert_eq!(lr(&h), 0.12);
    h.key_press(Key::ArrowRight);
    settle(&mut h);
    assert_eq!(lr(&h), 0.15);
    h.key_press(Key::ArrowLeft);
    h.key_press(Key::ArrowLeft);
    h.key_press(Key::ArrowLeft);
    settle(&mut h);
    assert_eq!(lr(&h), 0.08);
    // The keys went to the slider, not to Step: the run restarted on the new rate.
    assert_eq!(h.state().snapshot().setup.run().hyper.lr, 0.08);
    // Shift: a fine step, between the notches.
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    settle(&mut h);
    let v = lr(&h);
    assert!(v > 0.08 && v < 0.1, "{v}");
}

#[test]
fn the_exact_value_can_still_be_typed() {
    let mut h = paused();
    let spin = h.get_by_role_and_label(Role::SpinButton, "Learning rate");
    spin.click();
    h.run_steps(1);
    h.get_by_role_and_label(Role::SpinButton, "Learning rate")
        .type_text("0.137");
    h.run_steps(1);
    h.key_press(Key::Enter);
    settle(&mut h);
    assert_eq!(h.state().snapshot().setup.run().hyper.lr, 0.137);
}

#[test]
fn with_replay_a_change_grows_the_path_from_step_zero_and_tells_the_outcome_at_once() {
    let mut settings = Settings {
        replay: true,
        speed: downhill::live::stepper::Speed::PerSecond(20.0),
        ..Settings::default()
    };
    settings.setup.steps = 1000;
    let mut h = new_harness().settings(settings).paused();
    h.get_by_role_and_label(Role::Slider, "Learning rate")
        .set_value_accesskit(0.3);
    h.run_steps(1);
    // The first snapshot of the new setup: the path starts again, the outcome is known.
    let mut first = None;
    for _ in 0..200 {
        h.run_steps(1);
        let snap = h.state().snapshot();
        if snap.setup.run().hyper.lr == 0.3 {
            first = Some(snap.step);
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let first = first.expect("the new setup did not arrive");
    assert!(first < 20, "did not restart from step 0: {first}");
    assert!(badge(&h).contains("diverged at step"), "{}", badge(&h));
    assert!(h.query_by_label_contains("diverged at step").is_some());
    // It plays on by itself, and grows.
    assert!(h.state().snapshot().playing);
    let s0 = step(&h);
    std::thread::sleep(Duration::from_millis(400));
    h.run_steps(2);
    assert!(
        step(&h) > s0,
        "the replay did not grow: {} then {}",
        s0,
        step(&h)
    );
    // The toggle is in the controls, and presentation mode has its own (on by default).
    h.get_by_label("Replay changes from step 0");
    assert!(Settings::default().replay_presenting && !Settings::default().replay);
}

#[test]
fn the_replay_toggle_is_remembered_and_off_by_default_outside_presentation() {
    let (s, _) = Settings::from_json(r#"{"version": 2}"#);
    assert!(!s.replay && s.replay_presenting);
    let mut h = paused();
    h.get_by_label("Replay changes from step 0").click();
    h.run_steps(2);
    assert!(h.state().settings().replay);
    assert!(h.state().settings().replay_presenting);
}

#[test]
fn choosing_another_landscape_ends_the_lesson_and_suggests_a_rate_with_keep() {
    let mut h = paused();
    h.state_mut().open_lesson(0);
    settle(&mut h);
    assert!(h.state().lesson().is_some());
    let before = lr(&h);
    h.get_by_role_and_label(Role::ComboBox, "Landscape").click();
    h.run_steps(2);
    h.get_by_label("Rosenbrock").click();
    settle(&mut h);
    settle(&mut h);
    assert!(h.state().lesson().is_none(), "the lesson card stayed");
    let suggested = lr(&h);
    assert!(suggested < 0.001, "{suggested}");
    assert_eq!(h.state().snapshot().setup.run().hyper.lr, suggested);
    assert!(
        h.query_by_label_contains("for this landscape").is_some(),
        "no word of the new rate"
    );
    let keep = format!("Keep {}", downhill_engine::format::short(before));
    h.get_by_label(&keep).click();
    settle(&mut h);
    assert_eq!(lr(&h), before);
    assert!(h.query_by_label_contains("for this landscape").is_none());
}

#[test]
fn the_bowl_opens_with_a_rate_that_glides() {
    let mut h = paused();
    h.get_by_role_and_label(Role::ComboBox, "Landscape").click();
    h.run_steps(2);
    h.get_by_label("Rosenbrock").click();
    settle(&mut h);
    h.get_by_role_and_label(Role::ComboBox, "Landscape").click();
    h.run_steps(2);
    h.get_by_label("Elongated bowl").click();
    settle(&mut h);
    settle(&mut h);
    assert_eq!(lr(&h), 0.1);
    assert!(badge(&h).contains("converg"), "{}", badge(&h));
}

#[test]
fn a_parseable_prefix_being_typed_does_not_replace_the_landscape() {
    let mut settings = Settings {
        formula: "x^2 + y^2".into(),
        ..Settings::default()
    };
    settings.setup.landscape = downhill_engine::landscape::LandscapeSpec::Expr {
        text: "x^2 + y^2".into(),
    };
    let mut h = new_harness().settings(settings).paused();
    h.get_by_label("Formula L(x, y)").click();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    // On the way to "(x - 1)^2 + 3*y^2": this much parses.
    h.get_by_label("Formula L(x, y)").type_text("(x - 1)^2");
    h.run_steps(1);
    let before = downhill_engine::landscape::LandscapeSpec::Expr {
        text: "x^2 + y^2".into(),
    };
    assert_eq!(h.state().settings().setup.landscape, before);
    assert!(h.state().stepper().wait_idle(Duration::from_secs(10)));
    assert_eq!(h.state().snapshot().landscape.formula(), "x^2 + y^2");
    h.get_by_label("Formula L(x, y)").type_text(" + 3*y^2");
    h.run_steps(1);
    h.key_press(Key::Enter);
    settle(&mut h);
    assert_eq!(
        h.state().snapshot().landscape.formula(),
        "(x - 1)^2 + 3*y^2"
    );
}

#[test]
fn a_formula_applies_once_typing_pauses() {
    let mut settings = Settings {
        formula: "x^2 + y^2".into(),
        ..Settings::default()
    };
    settings.setup.landscape = downhill_engine::landscape::LandscapeSpec::Expr {
        text: "x^2 + y^2".into(),
    };
    let mut h = new_harness().settings(settings).paused();
    h.get_by_label("Formula L(x, y)").click();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.get_by_label("Formula L(x, y)").type_text("x^2 + 2*y^2");
    // Each frame here is a quarter of a second: a pause of a second.
    h.run_steps(4);
    settle(&mut h);
    assert_eq!(h.state().snapshot().landscape.formula(), "x^2 + 2*y^2");
}

#[test]
fn a_diverged_line_on_the_data_page_is_clipped_and_labelled() {
    let mut s = Settings::default();
    s.setup.landscape = downhill_engine::landscape::LandscapeSpec::Data {
        data: downhill_engine::data::DataSource::Generated(Default::default()),
        model: downhill_engine::data::Model::Linear,
        standardize: false,
    };
    s.setup.start = [0.0, 0.0];
    s.setup.runs[0].config.hyper.lr = 5.0;
    s.page = downhill::ui::settings::SidePage::Data;
    s.speed = downhill::live::stepper::Speed::Instant;
    let mut h = new_harness().settings(s).build();
    settle(&mut h);
    assert!(
        h.state().snapshot().primary().status.is_final()
            || h.state().snapshot().primary().status == Status::Diverging,
        "{:?}",
        h.state().snapshot().primary().status
    );
    assert!(
        h.query_by_label_contains("off the chart").is_some(),
        "the diverged line is not labelled"
    );
}
