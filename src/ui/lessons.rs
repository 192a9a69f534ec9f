//! Lessons: the presets (the course texts' worked examples and ideas) as a menu. Opening one
//! loads its runs paused at step 0 beside the course's own sentence and a question, so the
//! class predicts before the run is revealed.

use eframe::egui::{self, RichText, Ui};

use downhill_engine::teach::preset::{Preset, presets};

/// The lesson on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lesson {
    /// Index into the presets.
    pub index: usize,
    /// The run has been revealed (played).
    pub revealed: bool,
}

/// What the lesson card asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LessonEvent {
    Open(usize),
    Reveal,
    Close,
}

/// The Lessons menu: every preset, grouped under the idea it teaches.
pub fn menu_ui(ui: &mut Ui) -> Option<LessonEvent> {
    let Ok(all) = presets() else {
        ui.label("The lessons could not be read");
        return None;
    };
    let mut out = None;
    ui.menu_button("Lessons", |ui| {
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
                    out = Some(LessonEvent::Open(i));
                    ui.close();
                }
            }
        }
    })
    .response
    .on_hover_text("Worked examples and ideas from the course, ready to run");
    out
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The card beside the run: title, the course's sentence, the question, and the reveal button.
pub fn card_ui(ui: &mut Ui, lesson: &Lesson) -> Option<LessonEvent> {
    let p: &Preset = presets().ok()?.get(lesson.index)?;
    let mut out = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(RichText::new(&p.title).heading());
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("Idea: {} · {}", p.idea, p.source)).small());
            if ui
                .small_button("Close lesson")
                .on_hover_text("Keep the run, hide the lesson card")
                .clicked()
            {
                out = Some(LessonEvent::Close);
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
            if ui
                .button("Reveal: play the run")
                .on_hover_text("Play the lesson's run")
                .clicked()
            {
                out = Some(LessonEvent::Reveal);
            }
        }
    });
    out
}
