//! A neural network in the window: the picker, training, the network panel (plane, hidden
//! widths, refused optimizers) and the Data page's decision regions following the step.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::ui::{frames_until, new_harness, settle_within};
use downhill::live::stepper::Command;
use downhill::ui::App;
use downhill::ui::settings::{Settings, SidePage};
use downhill_engine::landscape::LandscapeSpec;
use downhill_engine::net::PlaneKind;
use downhill_engine::optim::OptimizerKind;
use eframe::egui::{self, Key, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

/// The step limit of every test's runs.
const STEPS: u64 = 100;

/// Frames a network's pictures may take to arrive: thirty seconds or so.
const FRAMES: usize = 3000;

/// Runs a few frames, then waits for the stepper to finish what they sent (a network in a
/// debug build trains slowly: a minute at most).
fn settle(h: &mut Harness<'static, App>) {
    settle_within(h, Duration::from_secs(60));
}

/// A paused window on "Neural network", chosen from the picker, with a step limit of 100 (the
/// plane and the preview train that many steps, slow in a debug build).
fn network() -> Harness<'static, App> {
    let mut s = Settings::default();
    s.setup.steps = STEPS;
    // Tall enough that the whole control panel shows without scrolling.
    let mut h = new_harness()
        .settings(s)
        .size(egui::vec2(1280.0, 1500.0))
        .build();
    h.run_steps(1);
    h.state().stepper().send(Command::Pause);
    settle(&mut h);
    h.get_by_role_and_label(Role::ComboBox, "Landscape").click();
    h.run_steps(2);
    h.get_by_label("Neural network").click_accesskit();
    settle(&mut h);
    assert!(
        matches!(h.state().settings().setup.landscape, LandscapeSpec::Net(_)),
        "Neural network was not chosen"
    );
    h
}

/// Opens the combo box named `combo` and picks `entry`.
fn pick(h: &mut Harness<'static, App>, combo: &str, entry: &str) {
    // (An entry picked through accesskit may leave the popup open: then one click closes it
    // and the next opens it.)
    for _ in 0..2 {
        if h.query_by_label(entry).is_none() {
            h.get_by_role_and_label(Role::ComboBox, combo)
                .click_accesskit();
            h.run_steps(2);
        }
    }
    h.get_by_label(entry).click_accesskit();
    settle(h);
}

/// The network setup the window runs.
fn net_setup(h: &Harness<'static, App>) -> downhill_engine::net::NetSetup {
    match &h.state().snapshot().setup.landscape {
        LandscapeSpec::Net(n) => n.clone(),
        other => panic!("not a network: {other:?}"),
    }
}

/// The label that starts with `prefix` (exactly one).
fn label_starting(h: &Harness<'static, App>, prefix: &str) -> String {
    // A label's text is its accesskit value.
    h.get_by_label_contains(prefix)
        .accesskit_node()
        .value()
        .unwrap_or_default()
}

#[test]
fn picking_neural_network_trains_it_at_a_rate_that_works() {
    let mut h = network();
    let snap = h.state().snapshot();
    assert!(snap.error.is_none(), "{:?}", snap.error);
    assert!(snap.landscape.net().is_some());
    assert_eq!(h.state().settings().page, SidePage::Data);
    // Gradient descent at the rate measured for the network, said under the slider.
    assert_eq!(snap.setup.runs[0].config.optimizer, OptimizerKind::Sgd);
    assert_eq!(snap.setup.runs[0].config.hyper.lr, 1.0);
    assert!(h.query_by_label("η set to 1 for the network").is_some());
    // The preview trained it a first stretch (what fits in its time budget); played to the
    // step limit, the loss fell a long way.
    assert!(snap.step >= 1, "no preview");
    h.state().stepper().send(Command::Play);
    settle(&mut h);
    h.state().stepper().send(Command::Pause);
    settle(&mut h);
    let snap = h.state().snapshot();
    let path = &snap.runs[0].path;
    let first = path.iter().next().unwrap().1.loss;
    let last = path.last().unwrap().loss;
    assert_eq!(snap.step, STEPS);
    assert!(last < 0.3 * first, "loss {first} → {last}");
    // Reset and Step: training again from θ₀, one update at a time.
    h.get_by_label("Reset").click();
    settle(&mut h);
    assert_eq!(h.state().snapshot().step, 0);
    for k in 1..=3 {
        h.get_by_label("Step").click();
        settle(&mut h);
        assert_eq!(h.state().snapshot().step, k);
    }
    let rows: Vec<f64> = h.state().snapshot().runs[0]
        .path
        .iter()
        .map(|(_, r)| r.loss)
        .collect();
    assert!(rows.windows(2).all(|w| w[1] < w[0]), "{rows:?}");
    // The map's axes are the plane's.
    assert!(h.query_by_label("PC1").is_some() || h.query_by_label_contains("PC1").is_some());
    // The panel says what the plane holds.
    assert!(
        h.query_by_label_contains("of the path's variance")
            .is_some()
    );
}

#[test]
fn optimizers_that_cannot_train_a_network_are_refused_with_the_reason() {
    let mut h = network();
    pick(&mut h, "Optimizer", "Muon");
    assert_eq!(
        h.state().settings().setup.runs[0].config.optimizer,
        OptimizerKind::Sgd,
        "a disabled entry was taken"
    );
    // A setup that asks for one anyway (pasted, say) is refused where the user looks.
    let mut s = h.state().settings().clone();
    s.setup.runs[0].config.optimizer = OptimizerKind::Muon;
    h.state()
        .stepper()
        .send(Command::SetSetup(Box::new(s.setup)));
    settle(&mut h);
    let err = h.state().snapshot().error.clone().unwrap();
    assert!(err.contains("cannot train a network"), "{err}");
    assert!(
        !h.query_all_by_label_contains("Not applied: muon cannot train")
            .collect::<Vec<_>>()
            .is_empty()
    );
}

#[test]
fn the_plane_can_be_changed() {
    let mut h = network();
    pick(&mut h, "Plane", "Random directions");
    assert_eq!(net_setup(&h).plane, PlaneKind::Random(0));
    assert_eq!(
        h.state().snapshot().landscape.net().unwrap().axis_names(),
        ["d1".to_owned(), "d2".to_owned()]
    );
    pick(&mut h, "Plane", "Two parameters");
    assert_eq!(net_setup(&h).plane, PlaneKind::Params(0, 1));
    // The parameters by their torch names.
    assert!(h.query_by_label("W1[0,1]").is_some());
    h.get_by_role_and_label(Role::SpinButton, "Parameter b")
        .set_value_accesskit(5.0);
    settle(&mut h);
    assert_eq!(net_setup(&h).plane, PlaneKind::Params(0, 5));
    assert!(h.state().snapshot().error.is_none());
}

/// Replaces the hidden widths field's text and presses Enter.
fn type_widths(h: &mut Harness<'static, App>, text: &str) {
    h.get_by_label("Hidden widths").focus();
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.get_by_label("Hidden widths").type_text(text);
    h.run_steps(1);
    h.key_press(Key::Enter);
    settle(h);
}

#[test]
fn hidden_widths_apply_on_enter_and_bad_ones_are_refused() {
    let mut h = network();
    for bad in ["0", "1000000", "8,x"] {
        type_widths(&mut h, bad);
        assert_eq!(net_setup(&h).hidden, vec![8, 8], "{bad} was taken");
        let said = label_starting(&h, "Not applied:");
        assert!(said.contains("the network stays 8,8"), "{bad}: {said}");
    }
    type_widths(&mut h, "4");
    assert_eq!(net_setup(&h).hidden, vec![4]);
    assert!(h.query_by_label_contains("Not applied:").is_none());
    assert!(h.state().snapshot().landscape.formula().contains("2-4-1"));
}

#[test]
fn the_data_page_shows_the_decision_regions_of_the_step_shown() {
    let mut h = network();
    frames_until(&mut h, "the regions", FRAMES, |h| {
        h.query_by_label("Decision regions").is_some()
            && h.query_by_label_contains("Run 1 at step").is_some()
            && h.query_by_label_contains("catching up").is_none()
    });
    let live = label_starting(&h, "Run 1 at step");
    let step = h.state().snapshot().step;
    assert!(
        live.starts_with(&format!("Run 1 at step {step}: training accuracy")),
        "{live}"
    );
    // The points by label, in the legend.
    assert!(h.query_by_label("y = 0").is_some() && h.query_by_label("y = 1").is_some());
    // Back to step 0 on the timeline: the regions follow, and at θ₀ the network is poor.
    h.get_by_label("Step arithmetic").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::Slider, "Step shown")
        .set_value_accesskit(0.0);
    settle(&mut h);
    h.get_by_label("Data").click();
    frames_until(&mut h, "the regions of step 0", FRAMES, |h| {
        h.query_by_label_contains("Run 1 at step 0:").is_some()
    });
    let start = label_starting(&h, "Run 1 at step");
    assert_ne!(start, live);
    let accuracy = |s: &str| -> f64 {
        s.split("accuracy ")
            .nth(1)
            .and_then(|a| a.trim_end_matches(" %").parse().ok())
            .unwrap()
    };
    assert!(accuracy(&start) < accuracy(&live), "{start} vs {live}");
}

/// L-BFGS (on the whole θ) and Adafactor (tensor by tensor) train the network from the
/// picker, and the step arithmetic writes out their update of p0 and p1.
#[test]
fn l_bfgs_and_adafactor_train_a_network_and_show_their_update() {
    let mut h = network();
    for (entry, lr, heading) in [
        ("L-BFGS", 0.1, "L-BFGS moves all 105 parameters at once"),
        (
            "Adafactor",
            0.03,
            "Adafactor updates each tensor on its own",
        ),
    ] {
        pick(&mut h, "Optimizer", entry);
        settle(&mut h);
        // Taken from the picker (not greyed out); then at the rate measured for it (switching
        // optimizer keeps the rate, as on every landscape).
        let mut s = h.state().settings().clone();
        assert_eq!(s.setup.runs[0].config.optimizer.label(), entry);
        s.setup.runs[0].config.hyper.lr = lr;
        h.state()
            .stepper()
            .send(Command::SetSetup(Box::new(s.setup)));
        // Played to the step limit (the preview stops at its time budget).
        h.state().stepper().send(Command::Play);
        settle(&mut h);
        h.state().stepper().send(Command::Pause);
        settle(&mut h);
        let snap = h.state().snapshot();
        assert!(snap.error.is_none(), "{entry}: {:?}", snap.error);
        assert_eq!(snap.setup.runs[0].config.hyper.lr, lr, "{entry}");
        let path = &snap.runs[0].path;
        let (first, last) = (
            path.iter().next().unwrap().1.loss,
            path.last().unwrap().loss,
        );
        assert!(last < 0.5 * first, "{entry}: loss {first} → {last}");
        h.get_by_label("Step arithmetic").click();
        frames_until(&mut h, heading, FRAMES, |h| {
            h.query_by_label_contains(heading).is_some()
        });
        assert!(h.query_by_label_contains("p0 ← p0").is_some(), "{entry}");
        h.get_by_label("Data").click();
        h.run_steps(2);
    }
}

/// A window opened on a network (a saved or shared setup) shows at once: the network's
/// landscape, whose plane needs its first run trained, is built on the stepper thread, and
/// the settings keep the network meanwhile (they are not replaced by the placeholder).
#[test]
fn a_window_opened_on_a_network_does_not_wait_for_its_plane() {
    let mut s = Settings::default();
    s.setup.landscape = LandscapeSpec::Net(downhill_engine::net::NetSetup::default());
    s.setup.steps = STEPS;
    let mut h = new_harness().settings(s).build();
    assert!(
        matches!(h.state().settings().setup.landscape, LandscapeSpec::Net(_)),
        "the settings lost the network"
    );
    settle(&mut h);
    let snap = h.state().snapshot();
    assert!(snap.landscape.net().is_some(), "the network never arrived");
    assert!(snap.error.is_none(), "{:?}", snap.error);
    assert!(!h.state().stepper().building());
    // Its own picture, not the placeholder's.
    frames_until(&mut h, "the plane's picture", FRAMES, |h| {
        h.state().picture_shown()
    });
    let shown = h.state().picture_landscape().unwrap();
    assert!(
        shown.net().is_some(),
        "the map shows another landscape's picture"
    );
}

/// A saved network that cannot run (here a hidden width of 0) is replaced by the default at
/// startup and said, as any saved setup that cannot run.
#[test]
fn a_saved_network_that_cannot_run_is_replaced_and_said() {
    let mut s = Settings::default();
    s.setup.landscape = LandscapeSpec::Net(downhill_engine::net::NetSetup {
        hidden: vec![0],
        ..Default::default()
    });
    let mut h = new_harness().settings(s).build();
    h.run_steps(2);
    assert!(h.query_by_label_contains("could not run").is_some());
    assert_eq!(h.state().snapshot().landscape.name(), "bowl");
    assert_eq!(
        h.state().settings().setup.landscape,
        LandscapeSpec::builtin("bowl")
    );
    assert!(!h.state().stepper().building());
}
