//! Where a plot's legend goes: a corner that covers neither the start nor the runs' ends, for
//! a legend of about the size its names take.

use eframe::egui::{self, Pos2, Ui};
use egui_plot::Corner;

/// The corner of `frame` for a legend of about `size` that covers none of `keep` (the start
/// point, the live ends of the paths): the first free one of right-top, left-top,
/// right-bottom, left-bottom, or the one covering the fewest.
pub fn free_corner(frame: egui::Rect, size: egui::Vec2, keep: &[Pos2]) -> Corner {
    let margin = 14.0;
    let corners = [
        (Corner::RightTop, frame.right_top(), egui::Align2::RIGHT_TOP),
        (Corner::LeftTop, frame.left_top(), egui::Align2::LEFT_TOP),
        (
            Corner::RightBottom,
            frame.right_bottom(),
            egui::Align2::RIGHT_BOTTOM,
        ),
        (
            Corner::LeftBottom,
            frame.left_bottom(),
            egui::Align2::LEFT_BOTTOM,
        ),
    ];
    let covered = |(_, at, align): &(Corner, Pos2, egui::Align2)| {
        let r = align.anchor_size(*at, size).expand(margin);
        keep.iter().filter(|p| r.contains(**p)).count()
    };
    corners
        .iter()
        .min_by_key(|c| covered(c))
        .map_or(Corner::RightTop, |c| c.0)
}

/// About how large a legend of these names is on screen.
pub fn legend_size(ui: &Ui, style: egui::TextStyle, names: &[String]) -> egui::Vec2 {
    let font = style.resolve(ui.style());
    let row = ui.fonts_mut(|f| f.row_height(&font)) + 4.0;
    let widest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) as f32;
    egui::vec2(
        widest * font.size * 0.55 + 40.0,
        names.len() as f32 * row + 12.0,
    )
}
