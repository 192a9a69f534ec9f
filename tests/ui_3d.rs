//! The 3-D view in the window: the toggle, the camera (orbit by drag, named views, reset), and
//! the 2-D controls working while it is shown. The harness has no GPU: the view's logic runs,
//! nothing is drawn (the drawing is looked at under Xvfb, see the README).

#![allow(clippy::unwrap_used)]

mod common;

use common::ui::{new_harness, settle};
use downhill::ui::App;
use downhill_engine::picture::surface::{Camera, NamedView};
use eframe::egui::{self, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

fn harness(renderer: bool) -> Harness<'static, App> {
    new_harness().renderer(renderer).paused()
}

#[test]
fn the_toggle_shows_the_surface_beside_the_map_and_key_3_hides_it() {
    let mut h = harness(true);
    assert!(h.query_by_label("3-D landscape").is_none());
    h.get_by_label("3-D").click();
    h.run_steps(3);
    assert!(h.state().settings().three_d);
    assert!(h.query_by_label("3-D landscape").is_some());
    assert!(
        h.query_by_label("Loss landscape").is_some(),
        "the 2-D view stays"
    );
    for v in NamedView::ALL {
        assert!(h.query_by_label(v.name()).is_some(), "{}", v.name());
    }
    // The surface arrives from the field thread: the middle square of the map, a few hundred
    // samples a side.
    for _ in 0..300 {
        h.run_steps(1);
        if h.state().surface().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let mesh = h.state().surface().expect("no surface arrived");
    assert!(mesh.vertex_count() >= 200 * 200, "{}", mesh.vertex_count());
    assert!(!mesh.indices.is_empty() && !mesh.contours.is_empty());
    h.key_press(egui::Key::Num3);
    h.run_steps(2);
    assert!(!h.state().settings().three_d);
    assert!(h.query_by_label("3-D landscape").is_none());
}

#[test]
fn dragging_orbits_and_reset_restores_the_camera() {
    let mut h = harness(true);
    h.get_by_label("3-D").click();
    h.run_steps(3);
    let before = h.state().camera();
    assert_eq!(before, Camera::default());
    let rect = h.get_by_label("3-D landscape").rect();
    let from = rect.center();
    h.drag_at(from);
    h.run_steps(1);
    for i in 1..=5 {
        h.hover_at(from + egui::vec2(-20.0 * i as f32, 8.0 * i as f32));
        h.run_steps(1);
    }
    h.drop_at(from + egui::vec2(-100.0, 40.0));
    h.run_steps(2);
    let after = h.state().camera();
    assert!(after.azimuth > before.azimuth + 10.0, "{after:?}");
    assert!(after.elevation > before.elevation + 5.0, "{after:?}");
    assert!(
        h.query_by_label_contains(&format!("azimuth {:.0}°", after.azimuth))
            .is_some()
    );
    // A named view, then reset.
    h.get_by_label("Top").click();
    h.run_steps(2);
    assert_eq!(h.state().camera().elevation, 90.0);
    h.get_by_label("Reset view").click();
    h.run_steps(2);
    assert_eq!(h.state().camera(), Camera::default());
}

#[test]
fn the_two_d_controls_still_work_while_three_d_is_shown() {
    let mut h = harness(true);
    h.get_by_label("3-D").click();
    h.run_steps(3);
    h.get_by_role_and_label(Role::Slider, "Learning rate")
        .set_value_accesskit(0.2);
    settle(&mut h);
    assert_eq!(h.state().snapshot().setup.run().hyper.lr, 0.2);
    h.get_by_label("Step").click();
    settle(&mut h);
    assert!(h.state().snapshot().step >= 1);
    h.get_by_label("Loss landscape").click();
    settle(&mut h);
    assert_ne!(h.state().snapshot().setup.start, [3.0, 2.0]);
    assert!(h.query_by_label("3-D landscape").is_some());
}

#[test]
fn without_a_renderer_the_button_says_why_and_the_map_goes_on() {
    let mut h = harness(false);
    h.key_press(egui::Key::Num3);
    h.get_by_label("3-D").click();
    h.run_steps(2);
    assert!(!h.state().settings().three_d);
    assert!(h.query_by_label("3-D landscape").is_none());
    assert!(h.query_by_label("Loss landscape").is_some());
}

/// "3-D only": the map gives way to the surface, whose pictures keep coming (a new landscape
/// gets its own surface), and the map comes back when it is unticked.
#[test]
fn three_d_only_replaces_the_map_and_keeps_its_pictures() {
    let mut h = harness(true);
    h.get_by_label("3-D").click();
    h.run_steps(3);
    h.get_by_label("3-D only").click();
    h.run_steps(3);
    assert!(h.state().settings().three_d_only);
    assert!(h.query_by_label("Loss landscape").is_none());
    assert!(h.query_by_label("3-D landscape").is_some());
    // Another landscape: its surface arrives without the map on screen.
    h.get_by_role_and_label(Role::ComboBox, "Landscape").click();
    h.run_steps(2);
    h.get_by_label("Himmelblau").click();
    settle(&mut h);
    let himmelblau = h.state().snapshot().landscape.clone();
    let mut arrived = false;
    for _ in 0..300 {
        h.run_steps(1);
        if let Some(m) = h.state().surface()
            && !m.indices.is_empty()
            && h.state().snapshot().landscape.name() == himmelblau.name()
            && h.state()
                .picture_landscape()
                .is_some_and(|l| l.name() == "himmelblau")
        {
            arrived = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(arrived, "no surface for the new landscape");
    h.get_by_label("3-D only").click();
    h.run_steps(3);
    assert!(h.query_by_label("Loss landscape").is_some());
}
