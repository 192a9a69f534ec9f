//! Run numbers written beside the runs' live ends, for races too large for a legend: a legend
//! of eighteen runs would cover much of a plot, and eighteen colours are too many to tell
//! apart by colour alone. Runs whose ends lie close together on screen share one label
//! ("2, 3, 6", each number in its run's colour), and a label that would cover another is moved
//! down below it.

use eframe::egui::text::LayoutJob;
use eframe::egui::{self, Color32, FontId, Pos2, Rect, Shape, Ui};
use egui_plot::{PlotBounds, PlotGeometry, PlotItem, PlotItemBase, PlotPoint, PlotTransform};

/// Up to this many racing runs the plots' legends name them; past it, numbers beside their ends
/// do (the plots leave the runs out of their legends).
pub const LEGEND_RUNS: usize = 6;

/// Ends closer than this (screen points) share a label.
const NEAR: f32 = 14.0;

/// Whether a race of `runs` is labelled at its ends rather than in the legends.
pub fn labelled(runs: usize) -> bool {
    runs > LEGEND_RUNS
}

/// The runs' ends grouped on screen: each end joins the first group whose first end lies within
/// `near` of it, else starts a group. Returns each group's first end and its runs, in order.
pub fn group(ends: &[(usize, Pos2)], near: f32) -> Vec<(Pos2, Vec<usize>)> {
    let mut groups: Vec<(Pos2, Vec<usize>)> = Vec::new();
    for &(k, p) in ends {
        match groups.iter_mut().find(|(at, _)| at.distance(p) <= near) {
            Some((_, runs)) => runs.push(k),
            None => groups.push((p, vec![k])),
        }
    }
    groups
}

/// Where each label goes: just above and to the right of its point (to the left where the
/// right would leave `frame`, below where the top would), then moved down below any label
/// placed before it that it would cover, until it covers none.
pub fn place(labels: &[(Pos2, egui::Vec2)], frame: Rect) -> Vec<Rect> {
    let mut placed: Vec<Rect> = Vec::new();
    for &(at, size) in labels {
        let mut r = Rect::from_min_size(at + egui::vec2(6.0, -size.y - 2.0), size);
        if r.right() > frame.right() {
            r = r.translate(egui::vec2(-size.x - 12.0, 0.0));
        }
        if r.top() < frame.top() {
            r = r.translate(egui::vec2(0.0, size.y + 4.0));
        }
        // Each move goes below one of the placed labels, never up: at most one per label.
        for _ in 0..=placed.len() {
            let Some(lowest) = placed
                .iter()
                .filter(|q| q.intersects(r))
                .map(|q| q.bottom())
                .reduce(f32::max)
            else {
                break;
            };
            r = r.translate(egui::vec2(0.0, lowest + 1.0 - r.top()));
        }
        placed.push(r);
    }
    placed
}

/// The runs' numbers at their ends, as a plot item: grouped and placed in screen space with
/// the plot's own transform, so the labels never move the plot's bounds.
pub struct EndLabels {
    base: PlotItemBase,
    /// (run index, its end in plot coordinates, its colour).
    ends: Vec<(usize, PlotPoint, Color32)>,
    font: FontId,
    /// The commas' colour and the labels' background.
    text: Color32,
    background: Color32,
}

impl EndLabels {
    pub fn new(ui: &Ui, ends: Vec<(usize, PlotPoint, Color32)>) -> Self {
        let visuals = ui.visuals();
        Self {
            base: PlotItemBase::new(String::new()),
            ends,
            font: crate::ui::text_size::small(ui),
            text: visuals.text_color(),
            background: visuals.extreme_bg_color.gamma_multiply(0.8),
        }
    }

    /// "2, 3, 6", each number in its run's colour.
    fn job(&self, runs: &[usize]) -> LayoutJob {
        let mut job = LayoutJob::default();
        let format = |color| egui::TextFormat {
            font_id: self.font.clone(),
            color,
            background: self.background,
            ..Default::default()
        };
        for (i, &k) in runs.iter().enumerate() {
            if i > 0 {
                job.append(", ", 0.0, format(self.text));
            }
            let colour = self
                .ends
                .iter()
                .find(|e| e.0 == k)
                .map_or(self.text, |e| e.2);
            job.append(&(k + 1).to_string(), 0.0, format(colour));
        }
        job
    }
}

impl PlotItem for EndLabels {
    fn shapes(&self, ui: &Ui, transform: &PlotTransform, shapes: &mut Vec<Shape>) {
        let frame = *transform.frame();
        let ends: Vec<(usize, Pos2)> = self
            .ends
            .iter()
            .filter(|e| e.1.x.is_finite() && e.1.y.is_finite())
            .map(|e| (e.0, transform.position_from_point(&e.1)))
            .filter(|(_, p)| frame.contains(*p))
            .collect();
        let groups = group(&ends, NEAR);
        let galleys: Vec<_> = groups
            .iter()
            .map(|(_, runs)| ui.fonts_mut(|f| f.layout_job(self.job(runs))))
            .collect();
        let sizes: Vec<(Pos2, egui::Vec2)> = groups
            .iter()
            .zip(&galleys)
            .map(|((at, _), g)| (*at, g.size()))
            .collect();
        for (rect, galley) in place(&sizes, frame).into_iter().zip(galleys) {
            shapes.push(Shape::galley(rect.min, galley, self.text));
        }
    }

    fn initialize(&mut self, _x_range: std::ops::RangeInclusive<f64>) {}

    fn color(&self) -> Color32 {
        self.text
    }

    fn geometry(&self) -> PlotGeometry<'_> {
        PlotGeometry::None
    }

    fn bounds(&self) -> PlotBounds {
        PlotBounds::NOTHING
    }

    fn allow_hover(&self) -> bool {
        false
    }

    fn base(&self) -> &PlotItemBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PlotItemBase {
        &mut self.base
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use eframe::egui::{pos2, vec2};

    #[test]
    fn close_ends_share_a_label() {
        let ends = [
            (0, pos2(10.0, 10.0)),
            (1, pos2(200.0, 50.0)),
            (2, pos2(15.0, 12.0)),
            (3, pos2(205.0, 45.0)),
            (4, pos2(100.0, 100.0)),
        ];
        let g = group(&ends, 14.0);
        let runs: Vec<&[usize]> = g.iter().map(|(_, r)| r.as_slice()).collect();
        assert_eq!(runs, [&[0, 2][..], &[1, 3], &[4]]);
        assert_eq!(g[0].0, pos2(10.0, 10.0));
    }

    #[test]
    fn labels_never_cover_each_other() {
        // Three labels anchored at almost the same place, and one far away.
        let labels = [
            (pos2(50.0, 50.0), vec2(40.0, 16.0)),
            (pos2(52.0, 55.0), vec2(60.0, 16.0)),
            (pos2(48.0, 49.0), vec2(20.0, 16.0)),
            (pos2(400.0, 50.0), vec2(40.0, 16.0)),
        ];
        let frame = Rect::from_min_max(pos2(0.0, 0.0), pos2(1000.0, 1000.0));
        let rects = place(&labels, frame);
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                assert!(!a.intersects(*b), "{a:?} covers {b:?}");
            }
        }
        // The first goes just above and right of its point; the far one is not moved.
        assert_eq!(rects[0].min, pos2(56.0, 32.0));
        assert_eq!(rects[3].min, pos2(406.0, 32.0));
        assert!(rects[1].top() > rects[0].bottom() && rects[2].top() > rects[1].bottom());
    }

    #[test]
    fn labels_stay_inside_the_frame() {
        let frame = Rect::from_min_max(pos2(0.0, 0.0), pos2(300.0, 200.0));
        // A loss line's end at the plot's right edge, and one at its top.
        let rects = place(
            &[
                (pos2(300.0, 100.0), vec2(50.0, 16.0)),
                (pos2(100.0, 5.0), vec2(50.0, 16.0)),
            ],
            frame,
        );
        assert_eq!(rects[0].min, pos2(244.0, 82.0));
        assert_eq!(rects[1].min, pos2(106.0, 7.0));
        assert!(rects.iter().all(|r| frame.contains_rect(*r)));
    }
}
