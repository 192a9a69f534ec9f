//! A long line drawn from a [`LineCache`]: its points reduced in screen space once per data and
//! transform (see [`polyline`](crate::ui::plot::polyline)), so a finished run in a still view
//! costs a copy of a short vertex list per frame.

use std::sync::{Arc, Mutex};

use eframe::egui::{Color32, Shape, Stroke, Ui};
use egui_plot::{PlotBounds, PlotGeometry, PlotItem, PlotItemBase, PlotTransform};

use crate::ui::plot::polyline::LineCache;

/// A line drawn from a [`LineCache`].
pub struct CachedLine {
    base: PlotItemBase,
    cache: Arc<Mutex<LineCache>>,
    stroke: Stroke,
    /// Whether the line's extent counts for the plot's automatic bounds.
    bounded: bool,
}

impl CachedLine {
    pub fn new(name: impl Into<String>, cache: Arc<Mutex<LineCache>>, stroke: Stroke) -> Self {
        Self {
            base: PlotItemBase::new(name.into()),
            cache,
            stroke,
            bounded: false,
        }
    }

    /// Let the plot's automatic bounds include the line.
    pub fn bounded(mut self) -> Self {
        self.bounded = true;
        self
    }
}

impl PlotItem for CachedLine {
    fn shapes(&self, _ui: &Ui, transform: &PlotTransform, shapes: &mut Vec<Shape>) {
        let screen = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .screen(transform);
        if screen.len() >= 2 {
            shapes.push(Shape::line(screen.as_ref().clone(), self.stroke));
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
        if self.bounded {
            self.cache.lock().unwrap_or_else(|e| e.into_inner()).bounds
        } else {
            PlotBounds::NOTHING
        }
    }

    fn base(&self) -> &PlotItemBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PlotItemBase {
        &mut self.base
    }
}
