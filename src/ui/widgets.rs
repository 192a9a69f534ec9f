//! The toolbox the window's parts share: a labelled pick list, numbers in fields (written short,
//! typed in any notation), and a run's name in lists and legends. Panels, pages and plots use
//! these; they use nothing of the window's.

use eframe::egui::{self, Ui};

use crate::live::stepper::Snapshot;
use downhill_engine::run::setup::RunSpec;

/// A labelled combo box over `names` that sets `index` to the one picked, with `tooltip`.
pub fn pick_ui(ui: &mut Ui, label: &str, names: &[&str], index: &mut usize, tooltip: &str) {
    let shown = names.get(*index).copied().unwrap_or_default();
    egui::ComboBox::from_label(label)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            for (k, n) in names.iter().enumerate() {
                ui.selectable_value(index, k, *n);
            }
        })
        .response
        .on_hover_text(tooltip);
}

/// A number in a field: at most 12 characters (scientific beyond), so no value can widen the
/// panel and push the map off the window.
pub fn field_number(x: f64, _: std::ops::RangeInclusive<usize>) -> String {
    downhill_engine::format::fit(x, 12)
}

/// A typed number, scientific notation included (`1e-3`); anything else is not taken.
pub fn parse_number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A run's name in lists and legends: "2 · Adam η = 0.3" (see [`RunConfig::label`]).
///
/// [`RunConfig::label`]: downhill_engine::run::RunConfig::label
pub fn run_label(k: usize, spec: &RunSpec) -> String {
    format!("{} · {}", k + 1, spec.config.label())
}

/// Run `k`'s name in a snapshot (empty if it has no such run).
pub fn snapshot_run_label(snap: &Snapshot, k: usize) -> String {
    snap.setup
        .runs
        .get(k)
        .map(|s| run_label(k, s))
        .unwrap_or_default()
}
