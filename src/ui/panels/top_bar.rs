//! The top bar: the title, the Lessons menu, a short-lived note, and the window's buttons. Every
//! button is an [`Action`] (its text and tooltip are written there); the bar only reads the
//! window's state and queues what was pressed.

use eframe::egui::{self, Ui};

use crate::ui::actions::Action;
use crate::ui::panels::lessons;

/// What the bar shows of the window's state.
pub struct TopBar<'a> {
    pub presenting: bool,
    pub three_d: bool,
    pub light: bool,
    /// Why the 3-D view cannot draw here, if it cannot (the 3-D button is greyed out).
    pub no_3d: Option<&'static str>,
    /// The note to show ("Setup copied to the clipboard"), if any.
    pub toast: Option<&'a str>,
}

/// The bar; what was pressed goes to `actions`.
pub fn top_bar_ui(ui: &mut Ui, bar: &TopBar<'_>, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        ui.heading("downhill");
        ui.label("gradient descent made visible");
        ui.separator();
        actions.extend(lessons::menu_ui(ui));
        // Right to left: the first button is the rightmost.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if let Some(text) = bar.toast {
                ui.label(egui::RichText::new(text).small());
            }
            three_d_ui(ui, bar, actions);
            toggle_ui(ui, Action::Present, bar.presenting, actions);
            let theme = if bar.light {
                Action::DarkColours
            } else {
                Action::LightColours
            };
            for action in [
                theme,
                Action::SavePicture,
                Action::PasteSetup,
                Action::CopySetup,
                Action::Help,
                Action::Fit,
            ] {
                button_ui(ui, action, actions);
            }
        });
    });
}

/// A button for `action`, its tooltip with the shortcut.
fn button_ui(ui: &mut Ui, action: Action, actions: &mut Vec<Action>) {
    let (text, _) = action.text_and_tooltip();
    if ui
        .button(text)
        .on_hover_text(action.hover_text(ui.ctx()))
        .clicked()
    {
        actions.push(action);
    }
}

/// A button that shows whether `action`'s mode is on.
fn toggle_ui(ui: &mut Ui, action: Action, on: bool, actions: &mut Vec<Action>) {
    let (text, _) = action.text_and_tooltip();
    if ui
        .selectable_label(on, text)
        .on_hover_text(action.hover_text(ui.ctx()))
        .clicked()
    {
        actions.push(action);
    }
}

/// The 3-D toggle, greyed out with the reason where there is no renderer.
fn three_d_ui(ui: &mut Ui, bar: &TopBar<'_>, actions: &mut Vec<Action>) {
    let action = Action::ThreeD;
    let (text, _) = action.text_and_tooltip();
    let tip = match bar.no_3d {
        Some(why) => why.to_owned(),
        None => action.hover_text(ui.ctx()),
    };
    let clicked = ui
        .add_enabled(
            bar.no_3d.is_none(),
            egui::Button::selectable(bar.three_d, text),
        )
        .on_hover_text(&tip)
        .on_disabled_hover_text(&tip)
        .clicked();
    if clicked {
        actions.push(action);
    }
}

/// A note in the bar that goes away by itself.
#[derive(Default)]
pub struct Toast {
    shown: Option<(String, f64)>,
}

impl Toast {
    /// How long a note stays, in seconds.
    const SECONDS: f64 = 6.0;

    /// Shows `text` from time `now` on.
    pub fn show(&mut self, text: String, now: f64) {
        self.shown = Some((text, now + Self::SECONDS));
    }

    /// The note at time `now`, if it has not gone yet.
    pub fn at(&mut self, now: f64) -> Option<&str> {
        if self.shown.as_ref().is_some_and(|(_, until)| now >= *until) {
            self.shown = None;
        }
        self.shown.as_ref().map(|(t, _)| t.as_str())
    }
}
