//! Lessons: the presets (the course texts' worked examples and ideas) as a menu. Opening one
//! loads its runs paused at step 0 beside the course's own sentence and a question, so the
//! class predicts before the run is revealed.

use eframe::egui::{self, RichText, Ui};

use crate::ui::actions::Action;
use downhill_engine::teach::preset::{Preset, presets};

/// The lesson on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lesson {
    /// Index into the presets.
    pub index: usize,
    /// The run has been revealed (played).
    pub revealed: bool,
}

/// The Lessons menu: every preset, grouped under the idea it teaches.
pub fn menu_ui(ui: &mut Ui) -> Option<Action> {
    let Ok(all) = presets() else {
        ui.label("The lessons could not be read");
        return None;
    };
    let mut out = None;
    let (text, tip) = Action::OpenLesson(0).text_and_tooltip();
    ui.menu_button(text, |ui| {
        let mut ideas: Vec<&str> = Vec::new();
        for p in all {
            if !ideas.contains(&p.idea.as_str()) {
                ideas.push(&p.idea);
            }
        }
        for idea in ideas {
            ui.label(RichText::new(capitalized(idea)).strong());
            for (i, p) in all.iter().enumerate().filter(|(_, p)| p.idea == idea) {
                if ui.button(&p.title).on_hover_text(&p.source).clicked() {
                    out = Some(Action::OpenLesson(i));
                    ui.close();
                }
            }
        }
    })
    .response
    .on_hover_text(tip);
    out
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The card beside the run: title, the course's sentence, the question, and the reveal button.
pub fn card_ui(ui: &mut Ui, lesson: &Lesson) -> Option<Action> {
    let p: &Preset = presets().ok()?.get(lesson.index)?;
    let mut out = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(RichText::new(&p.title).heading());
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("Idea: {} · {}", p.idea, p.source)).small());
            let (text, tip) = Action::CloseLesson.text_and_tooltip();
            if ui.small_button(text).on_hover_text(tip).clicked() {
                out = Some(Action::CloseLesson);
            }
        });
        ui.label(RichText::new(format!("“{}”", p.quote)).italics());
        if let Some(q) = &p.question {
            ui.label(RichText::new(q).strong());
        }
        if lesson.revealed {
            ui.label(RichText::new("Revealed: compare with your prediction.").small());
        } else {
            ui.label(
                RichText::new(
                    "Predict first. Then reveal the run, or take it one Step (Right arrow or N) at a time.",
                )
                .small(),
            );
            let (text, tip) = Action::RevealLesson.text_and_tooltip();
            if ui.button(text).on_hover_text(tip).clicked() {
                out = Some(Action::RevealLesson);
            }
        }
    });
    out
}
