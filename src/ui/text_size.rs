//! Text sizes the back of a room can read: no text in the window is smaller than
//! [`FLOOR`] logical points at scale 1, nor smaller than [`PRESENTING_FLOOR`] screen points in
//! presentation mode, which zooms the whole window by [`PRESENTING_ZOOM`]. Every text style is
//! set here, and text painted by hand takes its font from [`small`] or [`body`], never a size
//! of its own (a test walks the drawn text and fails on a smaller one).

use std::collections::BTreeMap;

use eframe::egui::{self, FontFamily, FontId, TextStyle};

/// The smallest text at scale 1, in logical points.
pub const FLOOR: f32 = 13.0;
/// The smallest text in presentation mode, in points on the screen (after the zoom).
pub const PRESENTING_FLOOR: f32 = 18.0;
/// How much presentation mode enlarges the whole window.
pub const PRESENTING_ZOOM: f32 = 1.35;

/// The text styles: `Small` at the floor (13.5 × 1.35 = 18.2 on the screen in presentation
/// mode), the others above it.
pub fn text_styles() -> BTreeMap<TextStyle, FontId> {
    use FontFamily::{Monospace, Proportional};
    [
        (TextStyle::Small, FontId::new(13.5, Proportional)),
        (TextStyle::Body, FontId::new(14.5, Proportional)),
        (TextStyle::Button, FontId::new(14.5, Proportional)),
        (TextStyle::Heading, FontId::new(20.0, Proportional)),
        (TextStyle::Monospace, FontId::new(14.0, Monospace)),
    ]
    .into()
}

/// Puts the text styles into every theme's style.
pub fn install(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| style.text_styles = text_styles());
}

/// The font of small text painted by hand (marks, axis ends, the colour bar).
pub fn small(ui: &egui::Ui) -> FontId {
    TextStyle::Small.resolve(ui.style())
}

/// The font of body text painted by hand (messages in a view).
pub fn body(ui: &egui::Ui) -> FontId {
    TextStyle::Body.resolve(ui.style())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_style_clears_both_floors() {
        for (style, font) in text_styles() {
            assert!(font.size >= FLOOR, "{style:?} is {} pt", font.size);
            assert!(
                font.size * PRESENTING_ZOOM >= PRESENTING_FLOOR,
                "{style:?} is {} pt in presentation mode",
                font.size * PRESENTING_ZOOM
            );
        }
    }
}
