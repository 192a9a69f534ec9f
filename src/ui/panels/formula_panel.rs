//! The controls of a formula landscape, under the landscape picker: the formula field (applied
//! on Enter or once typing pauses), where and why it does not parse, the recent formulas, and
//! the derivatives written out.

use eframe::egui::{self, Ui};

use crate::live::stepper::Snapshot;
use crate::ui::palette::Palette;
use crate::ui::settings::Settings;
use downhill_engine::expr::Expr;
use downhill_engine::landscape::{Landscape, LandscapeSpec};

/// Switches the landscape to the formula in the field, if it parses (a formula that does not
/// parse leaves the last good landscape running); `fresh` also moves the start to the formula
/// landscape's default.
pub(crate) fn use_formula(settings: &mut Settings, fresh: bool) {
    if fresh && Expr::parse(&settings.formula).is_err() {
        // Coming back to a draft that does not parse: start from the last formula that did.
        settings.formula = settings
            .formula_history
            .first()
            .cloned()
            .unwrap_or_else(|| Settings::default().formula);
    }
    let text = settings.formula.trim().to_owned();
    if let Ok(e) = Expr::parse(&text) {
        if fresh {
            let start = Landscape::Expr(e).default_start();
            settings.setup.start = [start.x, start.y];
        }
        settings.setup.landscape = LandscapeSpec::Expr { text };
    }
}

/// How long typing must pause before a formula that parses replaces the landscape (seconds).
const TYPING_PAUSE: f64 = 0.7;

/// The formula field: the text, where and why it does not parse, the history, and the
/// derivatives written out.
pub fn formula_ui(ui: &mut Ui, settings: &mut Settings, snap: &Snapshot) {
    let palette = Palette::of(ui.visuals());
    let label = ui.label("Formula L(x, y)");
    let edit = ui
        .add(
            egui::TextEdit::singleline(&mut settings.formula)
                .font(egui::TextStyle::Monospace)
                .desired_width(f32::INFINITY)
                .hint_text("x^2 + 10*sin(y)"),
        )
        .labelled_by(label.id)
        .on_hover_text(
            "x and y (or w0, w1); + - * / ^; sin cos tan exp ln log sqrt abs tanh; pi, e. \
             The landscape follows when you press Enter or pause typing, if the formula parses.",
        );
    // When the text last changed and has not been applied: a formula is applied on Enter (or
    // leaving the field) or once typing has paused, never on every key (on the way to
    // "x^2 + 10*sin(y)", "x^2 + 10" parses too).
    let typed = edit.id.with("typed at");
    let now = ui.input(|i| i.time);
    if edit.changed() {
        ui.data_mut(|d| d.insert_temp(typed, now));
    }
    let typed_at: Option<f64> = ui.data(|d| d.get_temp(typed));
    match Expr::parse(&settings.formula) {
        Ok(_) => {
            if let Some(t) = typed_at {
                let waited = now - t;
                if edit.lost_focus() || waited >= TYPING_PAUSE {
                    use_formula(settings, false);
                    ui.data_mut(|d| d.remove::<f64>(typed));
                } else {
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_secs_f64(
                            TYPING_PAUSE - waited,
                        ));
                }
            }
            if edit.lost_focus() {
                let text = settings.formula.clone();
                settings.remember_formula(&text);
            }
        }
        Err(e) => {
            // A caret under the column, in the same monospace font as the field.
            let caret = format!("{}^", " ".repeat(e.column.saturating_sub(1)));
            ui.label(
                egui::RichText::new(format!("{}\n{caret}", settings.formula))
                    .monospace()
                    .color(palette.error),
            );
            ui.label(
                egui::RichText::new(format!("Column {}: {}", e.column, e.message))
                    .color(palette.error),
            )
            .on_hover_text("The last formula that parsed keeps running");
        }
    }
    if !settings.formula_history.is_empty() {
        let mut pick: Option<String> = None;
        egui::ComboBox::from_label("Recent formulas")
            .selected_text("Recent…")
            .show_ui(ui, |ui| {
                for f in &settings.formula_history {
                    if ui.selectable_label(false, f).clicked() {
                        pick = Some(f.clone());
                    }
                }
            })
            .response
            .on_hover_text("Formulas you used before");
        if let Some(f) = pick {
            settings.formula = f;
            use_formula(settings, false);
        }
    }
    if let Some(d) = &snap.derivatives {
        for (name, text) in [("∂L/∂x", &d[0]), ("∂L/∂y", &d[1])] {
            ui.label(egui::RichText::new(format!("{name} = {text}")).monospace())
                .on_hover_text("The exact derivative, simplified");
        }
        egui::CollapsingHeader::new("Hessian").show(ui, |ui| {
            for (name, text) in [("∂²L/∂x²", &d[2]), ("∂²L/∂x∂y", &d[3]), ("∂²L/∂y²", &d[4])]
            {
                ui.label(egui::RichText::new(format!("{name} = {text}")).monospace());
            }
        });
    }
}
