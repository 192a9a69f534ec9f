//! Sharing setups from the window: Copy setup puts the whole setup on the clipboard as one
//! line; Paste setup opens one, or says why not and changes nothing.

#![allow(clippy::unwrap_used)]

mod common;

use common::ui::{paused, settle};
use downhill_engine::run::setup::Setup;
use downhill_engine::run::share::Shared;
use eframe::egui::{self, OutputCommand};
use egui_kittest::kittest::Queryable as _;

#[test]
fn copy_setup_puts_the_setup_on_the_clipboard() {
    let mut h = paused();
    h.get_by_label("Add run").click();
    settle(&mut h);
    h.get_by_label("Copy setup").click();
    h.run_steps(1);
    let copied: Vec<String> = h
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    let text = copied.last().expect("nothing was copied");
    let shared = Shared::from_text(text).unwrap();
    assert_eq!(shared.setup, h.state().snapshot().setup);
    assert_eq!(shared.setup.runs.len(), 2);
    assert!(
        shared.view.is_some(),
        "the visible window travels with the setup"
    );
    h.run_steps(1);
    assert!(h.query_by_label("Setup copied to the clipboard").is_some());
}

#[test]
fn paste_setup_opens_a_text_and_refuses_a_damaged_one() {
    let mut h = paused();
    let mut setup = Setup::default();
    setup.set_builtin("himmelblau").unwrap();
    setup.runs[0].config.hyper.lr = 0.003;
    let text = Shared {
        setup: setup.clone(),
        view: None,
    }
    .to_text();

    // A damaged text: a message in the window, nothing applied.
    h.get_by_label("Paste setup").click();
    h.run_steps(2);
    h.get_by_label("Setup text").click();
    h.run_steps(1);
    h.get_by_label("Setup text")
        .type_text(&text[..text.len() - 10]);
    h.run_steps(1);
    // Through AccessKit, as a screen reader presses it: the harness's simulated press and
    // release in one frame do not reach a button while the text field above it has the
    // keyboard (a real mouse does; checked under Xvfb).
    h.get_by_label("Open setup").click_accesskit();
    settle(&mut h);
    assert!(h.query_by_label_contains("damaged").is_some());
    assert_eq!(h.state().snapshot().landscape.name(), "bowl");

    // The whole text opens.
    h.get_by_label("Setup text").click();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_label("Setup text").type_text(&text);
    h.run_steps(1);
    h.get_by_label("Open setup").click_accesskit();
    settle(&mut h);
    assert_eq!(h.state().snapshot().setup, setup);
    assert!(
        h.query_by_label("Open setup").is_none(),
        "the window closes"
    );
}

/// Types `name` into the File field and presses `button`; returns the file's text once written.
fn save(
    h: &mut egui_kittest::Harness<'static, downhill::ui::App>,
    name: &str,
    button: &str,
) -> String {
    let file = std::env::temp_dir().join(format!("downhill-{}-{name}", std::process::id()));
    std::fs::remove_file(&file).ok();
    h.get_by_label("File").click();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("File").type_text(file.to_str().unwrap());
    h.run_steps(1);
    h.get_by_label(button).click_accesskit();
    let t0 = std::time::Instant::now();
    loop {
        h.run_steps(1);
        // The message names the file once it is written whole.
        let done = format!("to {}", file.display());
        if h.query_by_label_contains(&done).is_some()
            && let Ok(text) = std::fs::read_to_string(&file)
        {
            std::fs::remove_file(&file).ok();
            return text;
        }
        assert!(t0.elapsed().as_secs() < 20, "{name} was not written");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn every_run_can_be_saved_as_csv_and_json() {
    let mut h = paused();
    h.get_by_label("Add run").click();
    settle(&mut h);
    let n = h.state().snapshot().runs[0].path.len();
    let csv = save(&mut h, "runs.csv", "Save all runs");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "run,step,w0,w1,loss,g0,g1");
    assert_eq!(lines.len(), 1 + 2 * n);
    assert!(lines[1].starts_with("1,0,3.0,2.0,25.0,"), "{}", lines[1]);
    assert!(lines[n + 1].starts_with("2,0,"), "{}", lines[n + 1]);
    let json = save(&mut h, "runs.json", "Save all runs");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[1]["rows"].as_array().unwrap().len(), n);
    assert_eq!(runs[0]["label"], "1 · GD η = 0.1");
    let one = save(&mut h, "run1.csv", "Save CSV");
    assert_eq!(one.lines().next(), Some("step,w0,w1,loss,g0,g1"));
    assert_eq!(one.lines().count(), 1 + n);
}
