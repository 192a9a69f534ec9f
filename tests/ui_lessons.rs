//! The window's comparing and explaining parts, driven through AccessKit: racing runs, the
//! learning-rate sweep, the step arithmetic with its timeline, the 1-D view and the lessons.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::ui::{harness, new_harness, paused, settle};
use downhill::ui::App;
use downhill_engine::teach::preset::presets;
use eframe::egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

/// Opens a lesson from the Lessons menu by its title.
fn open_lesson(h: &mut Harness<'static, App>, title: &str) {
    h.get_by_label("Lessons").click();
    h.run_steps(2);
    h.get_by_label(title).click();
    // A network lesson trains its first run for the plane when it opens: seconds in a debug
    // build on a loaded machine, where the other lessons take milliseconds.
    h.run_steps(2);
    assert!(
        h.state().stepper().wait_idle(Duration::from_secs(120)),
        "the stepper did not settle after opening {title}"
    );
    h.run_steps(2);
}

/// Runs frames until `done` holds (the sweep and slice threads answer in their own time).
fn frames_until(
    h: &mut Harness<'static, App>,
    what: &str,
    done: impl Fn(&Harness<'static, App>) -> bool,
) {
    let t0 = Instant::now();
    while !done(h) {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
        h.run_steps(1);
    }
}

#[test]
fn adding_a_second_run_shows_two_legend_entries() {
    let mut h = paused();
    assert_eq!(h.query_all_by_label_contains("· GD η = 0.1 —").count(), 1);
    h.get_by_label("Add run").click();
    settle(&mut h);
    let snap = h.state().snapshot();
    assert_eq!(snap.runs.len(), 2);
    assert_eq!(snap.runs[0].step(), snap.runs[1].step());
    // The landscape's legend names both runs.
    let legend: Vec<String> = h
        .query_all_by_label_contains("· GD η = 0.1 —")
        .map(|n| n.accesskit_node().label().unwrap_or_default())
        .collect();
    assert_eq!(legend.len(), 2, "{legend:?}");
    assert!(
        legend[0].starts_with("1 · ") && legend[1].starts_with("2 · "),
        "{legend:?}"
    );
    // The second run takes its own learning rate; the first keeps its own.
    let spin = h.get_by_role_and_label(Role::SpinButton, "Learning rate");
    spin.click();
    h.run_steps(1);
    h.get_by_role_and_label(Role::SpinButton, "Learning rate")
        .type_text("0.2");
    h.run_steps(1);
    h.key_press(eframe::egui::Key::Enter);
    settle(&mut h);
    let setup = &h.state().snapshot().setup;
    assert_eq!(setup.runs[0].config.hyper.lr, 0.1);
    assert_eq!(setup.runs[1].config.hyper.lr, 0.2);
    assert!(h.query_by_label_contains("2 · GD η = 0.2 —").is_some());
    // Removing a run leaves one legend entry.
    h.get_all_by_label("Remove").nth(1).unwrap().click();
    settle(&mut h);
    assert_eq!(h.state().snapshot().runs.len(), 1);
}

/// A race of eighteen: too many for a legend, so the map and the loss plot leave the runs out
/// of theirs (their numbers are written at the runs' ends), the status writes out only the
/// selected run's "why", and Add run is greyed out at the limit.
#[test]
fn a_race_of_eighteen_keeps_the_plots_clear() {
    use downhill::ui::settings::Settings;
    use downhill_engine::run::setup::MAX_RUNS;
    assert_eq!(MAX_RUNS, 18);
    let mut settings = Settings::default();
    let first = settings.setup.runs[0];
    settings.setup.runs = vec![first; MAX_RUNS];
    for (k, r) in settings.setup.runs.iter_mut().enumerate() {
        r.config.hyper.lr = 0.01 * (k + 1) as f64;
    }
    settings.focus = 2;
    let mut h = new_harness().settings(settings).paused();
    let snap = h.state().snapshot();
    assert_eq!(snap.runs.len(), MAX_RUNS);
    // Every run is in the run list, none in a legend ("k · GD η = … — status").
    assert!(h.query_by_label("18 · GD η = 0.18").is_some());
    assert_eq!(h.query_all_by_label_contains(" — ").count(), 0);
    // One "why": the selected run's.
    let whys: Vec<String> = h
        .query_all_by_label_contains("Why (run")
        .map(|n| {
            let node = n.accesskit_node();
            node.label()
                .filter(|l| !l.is_empty())
                .or_else(|| node.value())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(whys.len(), 1, "{whys:?}");
    assert!(
        whys[0].starts_with("Why (run 3, the selected one)"),
        "{whys:?}"
    );
    // At the limit, Add run adds nothing.
    h.get_by_label("Add run").click();
    settle(&mut h);
    assert_eq!(h.state().snapshot().setup.runs.len(), MAX_RUNS);
}

#[test]
fn a_sweep_finishes_and_a_click_sets_the_learning_rate() {
    let mut h = paused();
    h.get_by_label("Learning-rate sweep").click();
    h.run_steps(2);
    frames_until(&mut h, "the sweep", |h| {
        h.query_by_label_contains("Final loss after 100 steps")
            .is_some()
    });
    // Plain GD on the bowl: the theory's lines are drawn in the legend.
    assert!(h.query_by_label("2/λ_max").is_some());
    assert!(h.query_by_label("diverges").is_some());
    h.get_by_label("Sweep plot: final loss against learning rate")
        .click();
    settle(&mut h);
    let lr = h.state().snapshot().setup.run().hyper.lr;
    assert_ne!(lr, 0.1, "the click did not set the learning rate");
    assert!((1e-4..=10.0).contains(&lr), "{lr}");
    // A new learning rate does not start another sweep: the result stays.
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Final loss after 100 steps")
            .is_some()
    );
}

#[test]
fn the_parabola_lesson_writes_out_its_first_step() {
    let mut h = harness();
    h.run_steps(1);
    open_lesson(&mut h, "Gradient descent by hand on a parabola, α = 0.3");
    // Predict, then reveal: the run waits at step 0 with the course's question.
    assert_eq!(h.state().snapshot().step, 0);
    assert!(
        h.query_by_label_contains("Do five complete steps")
            .is_some()
    );
    assert!(h.query_by_label_contains("Row 0 is the start").is_some());
    h.get_by_label("Step").click();
    settle(&mut h);
    assert_eq!(h.state().snapshot().step, 1);
    assert!(
        h.query_by_label_contains("6 − 0.3 × 8 = 3.6").is_some(),
        "the first update is not written out"
    );
    // Two more steps, then back through the timeline to the first.
    h.get_by_label("Step").click();
    settle(&mut h);
    assert!(
        h.query_by_label_contains("3.6 − 0.3 × 3.2 = 2.64")
            .is_some()
    );
    h.get_by_label("Previous").click();
    settle(&mut h);
    assert!(h.query_by_label_contains("6 − 0.3 × 8 = 3.6").is_some());
    // The step table holds the rows up to the shown step only.
    assert!(h.query_by_label("3.6").is_some());
    assert!(h.query_by_label("2.64").is_none());
}

#[test]
fn the_side_by_side_lesson_draws_a_1d_view_per_run() {
    let mut h = harness();
    h.run_steps(1);
    open_lesson(
        &mut h,
        "The parabola by hand: α = 0.3 and α = 1.2 side by side",
    );
    assert_eq!(h.state().snapshot().runs.len(), 2);
    assert!(h.query_by_label("1-D view of run 1").is_some());
    assert!(h.query_by_label("1-D view of run 2").is_some());
    h.get_by_label("Reveal: play the run").click();
    settle(&mut h);
    let snap = h.state().snapshot();
    assert_eq!(snap.step, 5);
    // α = 1.2 overshoots further each step: |w − 2| grows by 1.4 per step.
    let w = snap.runs[1].row().unwrap().w.x;
    assert!((w - (2.0 + 4.0 * (-1.4f64).powi(5))).abs() < 1e-9, "{w}");
}

/// The Lessons menu lays its groups out in columns: every lesson stays on screen, where a
/// click reaches it, in the default window and in a short one.
#[test]
fn every_lesson_in_the_menu_is_on_screen() {
    for size in [
        eframe::egui::vec2(1280.0, 820.0),
        eframe::egui::vec2(1280.0, 480.0),
    ] {
        let mut h = new_harness().size(size).paused();
        h.get_by_label("Lessons").click();
        h.run_steps(2);
        let screen = eframe::egui::Rect::from_min_size(eframe::egui::Pos2::ZERO, size);
        for p in presets().unwrap() {
            let rect = h.get_by_label(&p.title).rect();
            assert!(
                screen.contains_rect(rect),
                "{} at {rect:?} in {size:?}",
                p.name
            );
        }
    }
}

#[test]
fn every_lesson_opens_and_plays() {
    let mut h = harness();
    h.run_steps(1);
    for p in presets().unwrap() {
        // Shown with a failure: which lesson did not open.
        eprintln!("opening {}", p.name);
        open_lesson(&mut h, &p.title);
        let snap = h.state().snapshot();
        assert_eq!(snap.setup, p.setup().unwrap(), "{}", p.name);
        assert_eq!(snap.step, 0, "{} did not wait at step 0", p.name);
        assert!(h.query_by_label_contains(&p.title).is_some());
        h.get_by_label("Reveal: play the run").click();
        frames_until(&mut h, &p.name, |h| h.state().snapshot().step > 0);
        assert!(h.query_by_label("Reveal: play the run").is_none());
        // Every page draws it (the Data page is there for data and network landscapes only).
        let l = &h.state().snapshot().landscape;
        let data = l.data().is_some() || l.net().is_some();
        assert_eq!(h.query_by_label("Data").is_some(), data, "{}", p.name);
        let pages: &[&str] = if data {
            &["Learning-rate sweep", "1-D view", "Data", "Step arithmetic"]
        } else {
            &["Learning-rate sweep", "1-D view", "Step arithmetic"]
        };
        for page in pages {
            h.get_by_label(page).click();
            h.run_steps(2);
        }
    }
}

#[test]
fn scattered_starts_show_where_they_end() {
    let mut h = harness();
    h.run_steps(1);
    open_lesson(
        &mut h,
        "Himmelblau: four valleys, and which one a start falls into",
    );
    assert_eq!(h.state().snapshot().scatter.len(), 24);
    h.get_by_role_and_label(Role::ComboBox, "Speed").click();
    h.run_steps(2);
    h.get_by_label("Instant (whole run)").click();
    settle(&mut h);
    assert!(h.query_by_label_contains("scattered starts:").is_some());
    assert!(h.query_by_label_contains("at (3, 2)").is_some());
}
