//! Long lines drawn at the cost of what the screen can show. A path of 100,000 points, thinned
//! to a few thousand, still has far more vertices than pixels it crosses; each line here is
//! reduced in screen space (a vertex within a fraction of a pixel of the last one kept adds
//! nothing) and both the data and the reduced screen points are cached between frames, so a
//! finished run in a still view costs a copy of a short vertex list per frame.

use std::sync::Arc;

use eframe::egui::Pos2;
use egui_plot::{PlotBounds, PlotTransform};

/// Screen distance (points) under which a vertex is dropped.
const TOLERANCE: f32 = 0.5;

/// One line's cached data (plot coordinates) and its reduction for the last transform.
pub struct LineCache {
    data_key: Option<u64>,
    data: Arc<Vec<[f64; 2]>>,
    pub(super) bounds: PlotBounds,
    screen_key: Option<[u64; 6]>,
    screen: Arc<Vec<Pos2>>,
}

impl Default for LineCache {
    fn default() -> Self {
        Self {
            data_key: None,
            data: Arc::default(),
            bounds: PlotBounds::NOTHING,
            screen_key: None,
            screen: Arc::default(),
        }
    }
}

impl LineCache {
    /// The line's points for `key` (anything that identifies them: a run's generation and
    /// length, say); `make` is called only when the key changed.
    pub fn data(&mut self, key: u64, make: impl FnOnce() -> Vec<[f64; 2]>) -> Arc<Vec<[f64; 2]>> {
        if self.data_key != Some(key) {
            let data = make();
            let mut bounds = PlotBounds::NOTHING;
            for p in &data {
                if p[0].is_finite() && p[1].is_finite() {
                    bounds.extend_with(&egui_plot::PlotPoint::new(p[0], p[1]));
                }
            }
            self.data = Arc::new(data);
            self.bounds = bounds;
            self.data_key = Some(key);
            self.screen_key = None;
        }
        Arc::clone(&self.data)
    }

    pub(super) fn screen(&mut self, transform: &PlotTransform) -> Arc<Vec<Pos2>> {
        let key = transform_key(transform);
        if self.screen_key != Some(key) {
            self.screen = Arc::new(reduce(&self.data, transform));
            self.screen_key = Some(key);
        }
        Arc::clone(&self.screen)
    }
}

/// Identifies a plot transform (its bounds and frame, bit for bit): screen points cached for one
/// key are valid exactly while the key stays the same.
pub fn transform_key(transform: &PlotTransform) -> [u64; 6] {
    let (b, f) = (transform.bounds(), transform.frame());
    [
        b.min()[0].to_bits(),
        b.min()[1].to_bits(),
        b.max()[0].to_bits(),
        b.max()[1].to_bits(),
        u64::from(f.min.x.to_bits()) << 32 | u64::from(f.min.y.to_bits()),
        u64::from(f.max.x.to_bits()) << 32 | u64::from(f.max.y.to_bits()),
    ]
}

/// `data` in screen points, with each vertex closer than [`TOLERANCE`] to the last kept one
/// dropped (the last vertex is always kept). Non-finite points are skipped.
pub fn reduce(data: &[[f64; 2]], transform: &PlotTransform) -> Vec<Pos2> {
    reduce_within(data, transform, TOLERANCE)
}

/// As [`reduce`], dropping vertices closer than `tolerance` points (contour lines are smooth:
/// a point and a half loses nothing visible).
pub fn reduce_within(data: &[[f64; 2]], transform: &PlotTransform, tolerance: f32) -> Vec<Pos2> {
    let mut out: Vec<Pos2> = Vec::new();
    let mut pending: Option<Pos2> = None;
    for p in data {
        if !(p[0].is_finite() && p[1].is_finite()) {
            continue;
        }
        let s = transform.position_from_point(&egui_plot::PlotPoint::new(p[0], p[1]));
        if !(s.x.is_finite() && s.y.is_finite()) {
            continue;
        }
        match out.last() {
            Some(last) if last.distance(s) < tolerance => pending = Some(s),
            _ => {
                out.push(s);
                pending = None;
            }
        }
    }
    if let Some(p) = pending {
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use eframe::egui::{Rect, pos2};

    #[test]
    fn a_dense_line_keeps_one_vertex_per_half_pixel_and_its_ends() {
        let t = PlotTransform::new(
            Rect::from_min_max(pos2(0.0, 0.0), pos2(100.0, 100.0)),
            PlotBounds::from_min_max([0.0, 0.0], [1.0, 1.0]),
            false,
        );
        let data: Vec<[f64; 2]> = (0..=100_000)
            .map(|i| {
                let x = f64::from(i) / 100_000.0;
                [x, x * x]
            })
            .collect();
        let out = reduce(&data, &t);
        assert!(out.len() < 400, "{}", out.len());
        assert_eq!(out[0], pos2(0.0, 100.0));
        assert_eq!(*out.last().unwrap(), pos2(100.0, 0.0));
        assert!(out.windows(2).all(|w| w[0].distance(w[1]) < 1.5));
    }
}
