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

/// The Lessons menu: every preset, grouped under the idea it teaches. The groups fill as many
/// columns as the window's height needs (a group is never split), so every lesson stays on
/// screen in a short window and in presentation mode (one column of them all would run past
/// the bottom, out of reach).
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
        let groups: Vec<(&str, Vec<usize>)> = ideas
            .iter()
            .map(|idea| {
                let lessons = (0..all.len()).filter(|&i| all[i].idea == *idea).collect();
                (*idea, lessons)
            })
            .collect();
        // The room below the menu's top, and the height of one row (a button is the taller:
        // its text and padding, at least the interactive height).
        let spacing = ui.spacing();
        let button =
            ui.text_style_height(&egui::TextStyle::Button) + 2.0 * spacing.button_padding.y;
        let row = button.max(spacing.interact_size.y) + spacing.item_spacing.y;
        let margin = 2.0 * spacing.menu_margin.bottomf() + row;
        let room = (ui.ctx().content_rect().bottom() - ui.cursor().top() - margin).max(4.0 * row);
        let fits = ((room / row).floor() as usize).max(1);
        let columns = split_in_columns(&groups, fits);
        // Whole titles: a column is as wide as its longest one.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        ui.horizontal_top(|ui| {
            for column in columns {
                ui.vertical(|ui| {
                    for (idea, lessons) in column {
                        ui.label(RichText::new(capitalized(idea)).strong());
                        for &i in lessons {
                            let p = &all[i];
                            if ui.button(&p.title).on_hover_text(&p.source).clicked() {
                                out = Some(Action::OpenLesson(i));
                                ui.close();
                            }
                        }
                    }
                });
            }
        });
    })
    .response
    .on_hover_text(tip);
    out
}

/// The groups (an idea and its lessons) in as few columns as `fits` rows per column allow,
/// the tallest column as short as it can be: whole groups fill each column in order (a group
/// taller than `fits` gets a column of its own).
fn split_in_columns<'a, T>(
    groups: &'a [(&'a str, Vec<T>)],
    fits: usize,
) -> Vec<Vec<&'a (&'a str, Vec<T>)>> {
    let rows_of = |g: &(&str, Vec<T>)| 1 + g.1.len();
    // Whole groups in order, a new column when the next would pass `height` rows.
    let pack = |height: usize| {
        let mut out: Vec<Vec<&(&str, Vec<T>)>> = vec![Vec::new()];
        let mut filled = 0;
        for g in groups {
            let n = rows_of(g);
            if filled > 0 && filled + n > height {
                out.push(Vec::new());
                filled = 0;
            }
            if let Some(last) = out.last_mut() {
                last.push(g);
            }
            filled += n;
        }
        out
    };
    let rows: usize = groups.iter().map(rows_of).sum();
    let largest = groups.iter().map(rows_of).max().unwrap_or(0);
    let tallest = fits.max(largest);
    let fewest = rows.div_ceil(fits.max(1)).max(1);
    for columns in fewest..=groups.len().max(1) {
        let lowest = rows.div_ceil(columns).max(largest);
        if let Some(packed) = (lowest..=tallest).map(pack).find(|p| p.len() <= columns) {
            return packed;
        }
    }
    pack(largest)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(sizes: &[usize]) -> Vec<(&'static str, Vec<usize>)> {
        sizes.iter().map(|&n| ("idea", (0..n).collect())).collect()
    }

    #[test]
    fn groups_fill_as_few_balanced_columns_as_the_height_allows() {
        let lens = |g: &[(&str, Vec<usize>)], fits| -> Vec<usize> {
            split_in_columns(g, fits)
                .iter()
                .map(|c| c.iter().map(|g| 1 + g.1.len()).sum())
                .collect()
        };
        let g = groups(&[2, 1, 3, 1, 2]);
        // 14 rows in groups of 3, 2, 4, 2 and 3: one column when they fit, else as few as
        // fit, their tallest as short as whole groups allow.
        assert_eq!(lens(&g, 40), [14]);
        assert_eq!(lens(&g, 10), [9, 5]);
        assert_eq!(lens(&g, 7), [5, 4, 5]);
        assert_eq!(lens(&g, 5), [5, 4, 5]);
        // A group is never split, even when it alone is taller than the room.
        assert_eq!(lens(&groups(&[6]), 3), [7]);
        assert!(split_in_columns(&groups(&[]), 3).iter().all(Vec::is_empty));
    }
}
