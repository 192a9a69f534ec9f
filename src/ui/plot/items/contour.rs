//! The landscape's contour lines as one plot item: the field's polylines reduced at pixel
//! resolution, cut to the visible frame, and cached while the picture and the window stay the
//! same.

use std::sync::{Arc, Mutex};

use eframe::egui::{Color32, Pos2, Shape, Stroke, Ui};
use egui_plot::{PlotBounds, PlotGeometry, PlotItem, PlotItemBase, PlotTransform};

use crate::ui::plot::polyline;
use downhill_engine::picture::image::FieldImage;

/// The contour lines of one picture reduced to screen points for one window.
#[derive(Default)]
pub struct ContourCache {
    key: Option<(u64, usize, usize, [u64; 6])>,
    lines: Vec<Vec<Pos2>>,
}

/// Contour lines as one plot item, drawn from the field's polylines reduced at pixel resolution
/// and cached while the picture and the window stay the same.
pub struct ContourItem<'a> {
    base: PlotItemBase,
    field: &'a FieldImage,
    cache: Arc<Mutex<ContourCache>>,
    stroke: Stroke,
}

impl<'a> ContourItem<'a> {
    pub fn new(field: &'a FieldImage, cache: Arc<Mutex<ContourCache>>, stroke: Stroke) -> Self {
        Self {
            base: PlotItemBase::new(String::new()),
            field,
            cache,
            stroke,
        }
    }
}

impl PlotItem for ContourItem<'_> {
    fn shapes(&self, _ui: &Ui, transform: &PlotTransform, shapes: &mut Vec<Shape>) {
        let screen = polyline::transform_key(transform);
        // A coarse preview and its refinement share an id, not a size.
        let key = (self.field.id, self.field.nx, self.field.ny, screen);
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.key != Some(key) {
            // Only what is on screen: the picture reaches past the visible window.
            let frame = transform.frame().expand(2.0);
            let mut lines = Vec::new();
            for line in &self.field.contours {
                let pts = polyline::reduce_within(&line.points, transform, 1.5);
                // Pieces inside the frame, each with the point before and after it so the
                // line reaches the edge.
                let mut piece: Vec<Pos2> = Vec::new();
                let mut before: Option<Pos2> = None;
                for p in pts {
                    if frame.contains(p) {
                        if piece.is_empty()
                            && let Some(q) = before
                        {
                            piece.push(q);
                        }
                        piece.push(p);
                        before = None;
                    } else {
                        if !piece.is_empty() {
                            piece.push(p);
                            lines.push(std::mem::take(&mut piece));
                        }
                        before = Some(p);
                    }
                }
                if piece.len() >= 2 {
                    lines.push(piece);
                }
            }
            cache.lines = lines;
            cache.key = Some(key);
        }
        for pts in &cache.lines {
            shapes.push(Shape::line(pts.clone(), self.stroke));
        }
    }
    fn initialize(&mut self, _x_range: std::ops::RangeInclusive<f64>) {}

    fn color(&self) -> Color32 {
        self.stroke.color
    }

    fn geometry(&self) -> PlotGeometry<'_> {
        PlotGeometry::None
    }

    fn bounds(&self) -> PlotBounds {
        PlotBounds::NOTHING
    }

    fn base(&self) -> &PlotItemBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PlotItemBase {
        &mut self.base
    }
}
