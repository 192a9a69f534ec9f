//! Data landscapes in the window: the picker, the data view, batches, standardizing, files,
//! and the shape sliders of the built-ins.

#![allow(clippy::unwrap_used)]

mod common;

use common::ui::{frames_until, new_harness, paused, settle};
use downhill::ui::App;
use downhill::ui::settings::{Settings, SidePage};
use downhill_engine::data::{BatchOrder, BatchSpec, DataSource, Generate, Model};
use downhill_engine::landscape::LandscapeSpec;
use eframe::egui::{self, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// A paused window on the generated line fit.
fn line_fit(standardize: bool) -> Harness<'static, App> {
    let mut s = Settings::default();
    s.setup.landscape = LandscapeSpec::Data {
        data: DataSource::Generated(Generate::default()),
        model: Model::Linear,
        standardize,
    };
    s.setup.start = [0.0, 0.0];
    s.setup.runs[0].config.hyper.lr = 0.1;
    s.page = SidePage::Data;
    let mut h = new_harness().settings(s).paused();
    h.get_by_label("Reset").click();
    settle(&mut h);
    h
}

fn steps(h: &mut Harness<'static, App>, n: usize) -> Vec<[f64; 2]> {
    for _ in 0..n {
        h.get_by_label("Step").click();
        settle(h);
    }
    let snap = h.state().snapshot();
    snap.runs[0]
        .path
        .iter()
        .map(|(_, r)| [r.w.x, r.w.y])
        .collect()
}

#[test]
fn picking_line_fit_shows_the_points_and_the_model() {
    let mut h = paused();
    h.get_by_role_and_label(Role::ComboBox, "Landscape").click();
    h.run_steps(2);
    h.get_by_label("Line fit (generated points)").click();
    settle(&mut h);
    let snap = h.state().snapshot();
    assert!(snap.landscape.data().is_some());
    assert_eq!(snap.setup.start, [0.0, 0.0]);
    assert_eq!(h.state().settings().page, SidePage::Data);
    assert!(h.query_by_label("Data and model").is_some());
    assert!(h.query_by_label_contains("Condition number").is_some());
    // The legend of the data view names the points and the least-squares line.
    assert!(h.query_by_label("data points").is_some());
    assert!(h.query_by_label("least-squares line").is_some());
    // Every shipped set opens.
    for title in [
        "Data: Anscombe IV (one point)",
        "Data: Norris calibration (NIST)",
        "Data: Challenger O-rings",
    ] {
        h.get_by_role_and_label(Role::ComboBox, "Landscape").click();
        h.run_steps(2);
        h.get_by_label(title).click();
        settle(&mut h);
        let snap = h.state().snapshot();
        assert!(snap.error.is_none(), "{title}: {:?}", snap.error);
        assert!(snap.landscape.data().unwrap().data.name.len() > 3);
    }
}

#[test]
fn changing_the_batch_size_changes_the_path() {
    let mut h = line_fit(true);
    let full = steps(&mut h, 6);
    assert_eq!(full.len(), 7);
    h.get_by_role_and_label(Role::Slider, "Batch size (run 1)")
        .set_value_accesskit(5.0);
    settle(&mut h);
    assert_eq!(
        h.state().snapshot().setup.runs[0].config.batch,
        BatchSpec {
            size: 5,
            order: BatchOrder::Shuffle
        }
    );
    h.get_by_label("Reset").click();
    settle(&mut h);
    let mini = steps(&mut h, 6);
    assert_eq!(mini.len(), 7);
    assert_eq!(mini[0], full[0]);
    assert_ne!(mini[1..], full[1..]);
    // The step counter shows the epoch and batch; the loss plot the batch loss.
    assert!(h.query_by_label("epoch 1, batch 7 of 10").is_some());
    assert!(h.query_by_label("batch loss of run 1").is_some());
    let snap = h.state().snapshot();
    assert!(
        snap.runs[0]
            .path
            .iter()
            .any(|(_, r)| r.batch_loss != r.loss)
    );
}

#[test]
fn standardize_x_lowers_the_condition_number() {
    let mut h = line_fit(false);
    let before = h.state().snapshot().facts.condition_number.unwrap();
    assert!(before > 100.0, "{before}");
    h.get_by_label("Standardize x").click();
    settle(&mut h);
    let snap = h.state().snapshot();
    let after = snap.facts.condition_number.unwrap();
    assert!((after - 1.0).abs() < 1e-9, "{after}");
    assert!(matches!(
        snap.setup.landscape,
        LandscapeSpec::Data {
            standardize: true,
            ..
        }
    ));
    assert!(
        h.query_by_label_contains(&format!(
            "{} with x as given, 1 standardized",
            downhill_engine::format::sig(before)
        ))
        .is_some()
    );
}

#[test]
fn a_malformed_file_is_refused_and_the_previous_data_stay() {
    let mut h = line_fit(false);
    let before = h.state().snapshot().setup.landscape.clone();
    let dir = std::env::temp_dir().join(format!("downhill-ui-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "size,price\n1,2\n3,oops\n").unwrap();
    let field = h.get_by_role_and_label(Role::TextInput, "CSV file");
    field.click();
    field.type_text(bad.to_str().unwrap());
    h.run_steps(2);
    h.get_by_label("Open").click_accesskit();
    frames_until(&mut h, "the refusal", 300, |h| {
        h.query_by_label_contains(
            "Not opened: bad.csv: line 3: 'oops' in column price is not a number",
        )
        .is_some()
    });
    settle(&mut h);
    assert_eq!(h.state().snapshot().setup.landscape, before);

    // A good file replaces the data.
    let good = dir.join("good.csv");
    std::fs::write(&good, "# my points\nsize,price\n1,2\n2,4.5\n3,5.5\n").unwrap();
    h.get_by_role_and_label(Role::TextInput, "CSV file").click();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "CSV file")
        .type_text(good.to_str().unwrap());
    h.run_steps(2);
    h.get_by_label("Open").click_accesskit();
    frames_until(&mut h, "the new data", 300, |h| {
        h.state()
            .snapshot()
            .landscape
            .data()
            .is_some_and(|d| d.data.name == "good.csv")
    });
    let d = h.state().snapshot().landscape.data().unwrap().clone();
    assert_eq!(d.data.x, vec![1.0, 2.0, 3.0]);
    assert_eq!(d.data.columns, ["size".to_owned(), "price".to_owned()]);
    assert!(h.query_by_label_contains("Not opened").is_none());
}

#[test]
fn dragging_the_line_moves_the_start() {
    let mut h = line_fit(false);
    let rect = h.get_by_label("Data and model").rect();
    let from = rect.center();
    h.drag_at(from);
    h.run_steps(1);
    for i in 1..=5 {
        h.hover_at(from + egui::vec2(0.0, -12.0 * i as f32));
        h.run_steps(1);
    }
    h.drop_at(from + egui::vec2(0.0, -60.0));
    settle(&mut h);
    let start = h.state().snapshot().setup.start;
    // Grabbed in the middle and pulled up: the intercept rose, the slope stayed.
    assert_eq!(start[0], 0.0, "{start:?}");
    assert!(start[1] > 0.5, "{start:?}");
}

#[test]
fn the_bowls_kappa_slider_moves_the_stability_mark() {
    let mut h = paused();
    assert!(h.query_by_label_contains("2/λ_max = 0.25").is_some());
    h.get_by_role_and_label(Role::Slider, "kappa")
        .set_value_accesskit(100.0);
    settle(&mut h);
    // λ_max = 2κ = 200.
    assert!(h.query_by_label_contains("2/λ_max = 0.01").is_some());
    assert!(h.query_by_label_contains("2/λ_max = 0.25").is_none());
}

/// Same seed, same path: the window's run on shuffled mini-batches is the run `downhill trace`
/// prints for the window's own setup text.
#[test]
fn the_window_and_trace_take_the_same_shuffled_path() {
    let mut h = line_fit(true);
    h.get_by_role_and_label(Role::Slider, "Batch size (run 1)")
        .set_value_accesskit(6.0);
    settle(&mut h);
    h.get_by_label("Reset").click();
    settle(&mut h);
    let window = steps(&mut h, 20);
    let text = h.state().setup_text();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_downhill"))
        .args(["trace", "--setup", &text])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<[f64; 2]> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .skip(1)
        .take(21)
        .map(|l| {
            let v: Vec<f64> = l.split(',').map(|f| f.parse().unwrap()).collect();
            [v[1], v[2]]
        })
        .collect();
    assert_eq!(window, rows);
}
