//! The status line: what the run is doing (as text, never colour alone), where it stopped, and
//! what the Hessian says about the learning rate; plus notes and errors where the user looks.

use eframe::egui::{self, RichText, Ui};

use crate::format::sig;
use crate::run::Status;
use crate::stepper::Snapshot;
use crate::ui::actions::Action;
use crate::ui::palette::Palette;

/// The badge text: "converging", "diverged at step 44", …
pub fn badge_text(snap: &Snapshot) -> String {
    match snap.status {
        Status::Diverged => format!("diverged at step {}", snap.step),
        Status::LeftDomain => format!("left the domain at step {}", snap.step + 1),
        Status::Converged => format!("converged (step {})", snap.step),
        Status::Oscillating => format!("oscillating (step {})", snap.step),
        Status::Converging => format!("converging (step {})", snap.step),
    }
}

pub fn status_ui(ui: &mut Ui, snap: &Snapshot, note: Option<&str>) {
    let palette = Palette::of(ui.visuals());
    ui.horizontal_wrapped(|ui| {
        let color = match snap.status {
            Status::Converging => palette.converging,
            Status::Converged => palette.converged,
            Status::Oscillating => palette.oscillating,
            Status::Diverged | Status::LeftDomain => palette.diverged,
        };
        ui.label(RichText::new(badge_text(snap)).strong().color(color))
            .on_hover_text(
                "converged: gradient and step both tiny · oscillating: successive updates keep \
                 turning back · diverged: a coordinate passed 1e6 or a value stopped being finite",
            );
        if let Some((at, why)) = snap.left_domain {
            ui.label(format!(
                "(next point ({}, {}): {why})",
                sig(at.x),
                sig(at.y)
            ));
        }
        ui.separator();
        let f = snap.facts;
        if let (Some(osc), Some(div)) = (f.lr_oscillate, f.lr_diverge) {
            ui.label(format!(
                "plain GD oscillates above η = {} and diverges above {}",
                sig(osc),
                sig(div)
            ))
            .on_hover_text(
                "Near the minimum GD multiplies the error along each curvature direction by \
                 (1 − ηλ): negative above 1/λ_max (zig-zag), beyond −1 above 2/λ_max (blow-up)",
            );
            if f.negative_curvature {
                ui.label("(curved down along one direction: GD slides away there at any η)");
            }
        }
        match f.condition_number {
            Some(k) => ui.label(format!("condition number κ = {}", sig(k))),
            None => ui.label("κ = ∞ (flat or not convex there)"),
        }
        .on_hover_text("λ_max / λ_min of the Hessian: how elongated the valley is");
        ui.label(format!("next η = {}", sig(snap.lr)));
    });
    if let Some(e) = &snap.error {
        ui.label(RichText::new(format!("Not applied: {e}")).color(palette.error));
    }
    if let Some(n) = note {
        ui.label(RichText::new(n).color(palette.oscillating));
    }
}

/// The help overlay: every shortcut.
pub fn help_ui(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for a in Action::ALL {
                    let (text, tip) = a.text_and_tooltip();
                    ui.label(RichText::new(a.shortcut_text(ctx)).monospace());
                    ui.label(format!("{text}: {tip}"));
                    ui.end_row();
                }
            });
            ui.label("Click the landscape to start there; drag the start point to move it.");
        });
}
