//! Typed formulas in the real window (issue 5): the field, its errors, the domain.

// Helpers here are test code too: a panic is a failed test with its message.
#![allow(clippy::unwrap_used)]

mod common;

use common::ui::{new_harness, paused, settle};
use downhill::ui::App;
use downhill::ui::settings::Settings;
use downhill_engine::run::Status;
use eframe::egui::{self, Key, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// A window already on a typed formula.
fn on_formula(text: &str) -> Harness<'static, App> {
    let mut settings = Settings {
        formula: text.to_owned(),
        ..Settings::default()
    };
    settings.setup.landscape = downhill_engine::landscape::LandscapeSpec::Expr {
        text: text.to_owned(),
    };
    settings.setup.start = [2.0, 1.5];
    new_harness().settings(settings).paused()
}

/// Replaces the formula field's text by typing, and presses Enter.
fn type_formula(h: &mut Harness<'static, App>, text: &str) {
    h.get_by_label("Formula L(x, y)").click();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.get_by_label("Formula L(x, y)").type_text(text);
    h.run_steps(1);
    h.key_press(Key::Enter);
    settle(h);
}

#[test]
fn choosing_a_typed_formula_shows_the_field_and_its_derivatives() {
    let mut h = paused();
    h.get_by_role_and_label(Role::ComboBox, "Landscape").click();
    h.run_steps(2);
    h.get_by_label("Typed formula").click();
    settle(&mut h);
    assert_eq!(h.state().snapshot().landscape.formula(), "x^2 + 10*sin(y)");
    assert!(h.query_by_label_contains("∂L/∂x = 2*x").is_some());
    assert!(h.query_by_label_contains("∂L/∂y = 10*cos(y)").is_some());
}

#[test]
fn typing_a_valid_formula_changes_the_landscape() {
    let mut h = on_formula("x^2 + y^2");
    let generation = h.state().snapshot().generation;
    type_formula(&mut h, "(x - 1)^2 + 3*y^2");
    let snap = h.state().snapshot();
    assert_eq!(snap.landscape.formula(), "(x - 1)^2 + 3*y^2");
    assert!(snap.generation > generation);
    assert_eq!(snap.minima.len(), 1);
    assert!(h.query_by_label_contains("∂L/∂y = 6*y").is_some());
}

#[test]
fn an_invalid_formula_shows_where_and_keeps_the_previous_landscape() {
    let mut h = on_formula("x^2 + y^2");
    let generation = h.state().snapshot().generation;
    type_formula(&mut h, "x^2 + * y");
    assert!(
        h.query_by_label_contains("Column 7: expected a number")
            .is_some(),
        "no error shown"
    );
    let snap = h.state().snapshot();
    assert_eq!(snap.landscape.formula(), "x^2 + y^2");
    assert_eq!(snap.generation, generation);
    assert!(snap.error.is_none());
}

#[test]
fn ln_x_has_an_undefined_region_and_a_run_into_it_stops_with_the_domain_status() {
    let mut h = on_formula("ln(x) + y^2");
    // ∂/∂x ln x = 1/x: from x = 0.5 with η = 2, the first step lands on x = −3.5.
    h.get_by_role_and_label(Role::Slider, "Learning rate")
        .set_value_accesskit(2.0);
    settle(&mut h);
    let snap = h.state().snapshot();
    assert_eq!(
        snap.primary().status,
        Status::LeftDomain,
        "{:?}",
        snap.primary().status
    );
    assert!(
        h.query_by_label_contains("left the domain at step")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("ln of a number that is not positive")
            .is_some()
    );
    // The heat map marks x ≤ 0 as undefined (transparent), x > 0 as values.
    let field = downhill_engine::picture::image::compute(
        1,
        &downhill_engine::picture::image::FieldRequest {
            landscape: snap.landscape.clone(),
            view: downhill_engine::landscape::EXPR_VIEW,
            focus: downhill_engine::landscape::EXPR_VIEW,
            nx: 16,
            ny: 16,
            gradient: false,
        },
    );
    let alpha = |i: usize, j: usize| field.rgba[(j * 16 + i) * 4 + 3];
    assert_eq!(alpha(0, 8), 0, "left half (x < 0) should be transparent");
    assert_eq!(alpha(15, 8), 255, "right half (x > 0) should be opaque");
}
