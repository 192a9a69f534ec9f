//! The data view: the points in their original units, each run's current model (a line, or the
//! sigmoid of a logistic model) in the run's colour with a faint trail of its recent models, the
//! least-squares (or maximum-likelihood) model dashed, and the points of the current batch
//! ringed. Dragging the model moves the start point on the landscape.

use std::sync::Arc;

use eframe::egui::{RichText, Ui};
use egui_plot::{Line, LineStyle, PlotPoints, Points};

use crate::live::stepper::Snapshot;
use crate::ui::palette::Palette;
use crate::ui::plot::still_plot::still_plot;
use downhill_engine::data::DataLandscape;
use downhill_engine::geometry::Vec2;

/// Models in a run's trail.
const TRAIL: usize = 12;

/// Which batch: (run, step, batch spec, seed, number of points).
type BatchKey = (usize, u64, downhill_engine::data::BatchSpec, u64, usize);

/// Points drawn at most: a million points would cost a million markers a frame, and a few
/// thousand show the cloud as well.
const MAX_DRAWN: usize = 5000;

/// The data view with what it last worked out: the batch of a past step (a shuffle costs
/// O(n)) and the points it draws (thinned), for the data set they belong to.
#[derive(Default)]
pub struct DataView {
    batch: Option<(BatchKey, Arc<[u32]>)>,
    drawn: Option<Drawn>,
}

/// The points drawn for a data set (thinned to at most [`MAX_DRAWN`]).
type Drawn = (Arc<downhill_engine::data::Dataset>, Arc<Vec<[f64; 2]>>);

/// What the user did in the data view.
pub enum DataEdit {
    /// Dragged the model: start the runs from these weights.
    MoveStart(Vec2),
}

/// y of the model `w` (weights on the model's x) at original x.
fn model_y(d: &DataLandscape, w: Vec2, x: f64) -> f64 {
    let xs = d.scale.map_or(x, |s| s.apply(x));
    d.model.predict(w.x * xs + w.y)
}

/// Points along the model over `[lo, hi]`.
fn curve(d: &DataLandscape, w: Vec2, lo: f64, hi: f64) -> Vec<[f64; 2]> {
    let n = d.model.curve_samples();
    (0..n)
        .map(|i| {
            let x = lo + (hi - lo) * i as f64 / (n - 1) as f64;
            [x, model_y(d, w, x)]
        })
        .filter(|p| p[1].is_finite())
        .collect()
}

/// The parts of a polyline inside `ymin ≤ y ≤ ymax`, cut where it crosses the edges: a model
/// far off the points (a diverged run's line) is drawn where it crosses the chart, never by
/// moving the chart to it.
fn clip_y(points: &[[f64; 2]], ymin: f64, ymax: f64) -> Vec<Vec<[f64; 2]>> {
    let inside = |p: &[f64; 2]| (ymin..=ymax).contains(&p[1]);
    let cross = |a: [f64; 2], b: [f64; 2], y: f64| {
        let t = (y - a[1]) / (b[1] - a[1]);
        [a[0] + t * (b[0] - a[0]), y]
    };
    let mut out: Vec<Vec<[f64; 2]>> = Vec::new();
    let mut piece: Vec<[f64; 2]> = Vec::new();
    for (i, &p) in points.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| points[j]);
        match (prev, inside(&p)) {
            (Some(a), true) if !inside(&a) => {
                piece.push(cross(a, p, a[1].clamp(ymin, ymax)));
                piece.push(p);
            }
            (_, true) => piece.push(p),
            (Some(a), false) if inside(&a) => {
                piece.push(cross(a, p, p[1].clamp(ymin, ymax)));
                out.push(std::mem::take(&mut piece));
            }
            (Some(a), false) => {
                // Both outside: the segment may still cross the band from one side to the other.
                if (a[1] < ymin && p[1] > ymax) || (a[1] > ymax && p[1] < ymin) {
                    out.push(vec![
                        cross(a, p, a[1].clamp(ymin, ymax)),
                        cross(a, p, p[1].clamp(ymin, ymax)),
                    ]);
                }
            }
            (None, false) => {}
        }
    }
    if piece.len() > 1 {
        out.push(piece);
    }
    out.retain(|p| p.len() > 1);
    out
}

/// (slope, intercept) in original units, and back.
fn unscaled(d: &DataLandscape, w: Vec2) -> Vec2 {
    d.scale.map_or(w, |s| s.unscaled(w))
}

fn scaled(d: &DataLandscape, w: Vec2) -> Vec2 {
    d.scale.map_or(w, |s| s.scaled(w))
}

/// The weights after dragging the model by `delta` from `at` (plot units), as the model says
/// (see `DataModel::dragged`), in original units.
fn dragged(d: &DataLandscape, w: Vec2, at: [f64; 2], delta: [f64; 2], mid: f64, half: f64) -> Vec2 {
    scaled(d, d.model.dragged(unscaled(d, w), at, delta, mid, half))
}

impl DataView {
    /// Draws the view for the runs at `upto` (the timeline's step, or the live end).
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        snap: &Snapshot,
        focus: usize,
        upto: Option<u64>,
        start: Vec2,
    ) -> Option<DataEdit> {
        let Some(d) = snap.landscape.data() else {
            ui.label(
                "Pick a data landscape (Line fit, Anscombe, Norris, Challenger, or your own CSV \
                 file) to see the points and the model being fitted.",
            );
            return None;
        };
        let palette = Palette::of(ui.visuals());
        let data = &d.data;
        ui.label(RichText::new(format!("{}: {} points", data.name, data.len())).strong());
        if !data.source.is_empty() {
            ui.label(RichText::new(&data.source).small().weak());
        }
        let (lo, hi) = data
            .x
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        let pad = ((hi - lo) * 0.08).max(0.5);
        let (lo, hi) = (lo - pad, hi + pad);
        let (mid, half) = (0.5 * (lo + hi), 0.5 * (hi - lo));
        // The chart shows the points, whatever the models do: its y range is theirs.
        let (ylo, yhi) = data
            .y
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &y| {
                (a.min(y), b.max(y))
            });
        let ypad = ((yhi - ylo) * 0.12).max(0.25);
        let (ylo, yhi) = (ylo - ypad, yhi + ypad);
        // Lines are cut a little outside the chart, so they leave it at its edge.
        let (cut_lo, cut_hi) = (ylo - (yhi - ylo), yhi + (yhi - ylo));
        let mut off_chart: Vec<usize> = Vec::new();

        // Where each shown run is at the shown step.
        let rows: Vec<(usize, u64, Vec2)> = snap
            .runs
            .iter()
            .enumerate()
            .filter(|(k, _)| snap.setup.runs.get(*k).is_some_and(|r| r.shown))
            .filter_map(|(k, r)| {
                let live = r.step();
                let s = upto.map_or(live, |u| u.min(live));
                r.path
                    .at_or_before(s as usize)
                    .map(|(s, row)| (k, s as u64, row.w))
            })
            .collect();

        // The focus run's batch at the shown step.
        let focus_row = rows.iter().find(|(k, _, _)| *k == focus);
        let batch_points = focus_row.and_then(|&(k, step, _)| {
            let config = snap.setup.runs.get(k)?.config;
            let run = snap.runs.get(k)?;
            let points = if step == run.step() {
                // The live step: the stepper sends its batch along.
                run.batch.clone()?
            } else {
                // A past step (the timeline): worked out here, once per step shown.
                let key = (k, step, config.batch, config.noise.seed, data.len());
                if self.batch.as_ref().map(|(key0, _)| key0) != Some(&key) {
                    let pts = config.batch.points(data.len(), config.noise.seed, step)?;
                    self.batch = Some((key, pts.into()));
                }
                self.batch.as_ref().map(|(_, p)| Arc::clone(p))?
            };
            let (_, _, per) = config.batch.position(data.len(), step)?;
            let (epoch, b) = (step / per, step % per);
            ui.label(format!(
                "Run {}, step {step}: epoch {}, batch {} of {per} (ringed; its gradient makes \
                 the next step)",
                k + 1,
                epoch + 1,
                b + 1
            ));
            Some(points)
        });
        let drawn = match &self.drawn {
            Some((d0, pts)) if Arc::ptr_eq(d0, data) => Arc::clone(pts),
            _ => {
                let every = data.len().div_ceil(MAX_DRAWN).max(1);
                let pts: Arc<Vec<[f64; 2]>> = Arc::new(
                    data.x
                        .iter()
                        .zip(&data.y)
                        .step_by(every)
                        .map(|(&x, &y)| [x, y])
                        .collect(),
                );
                self.drawn = Some((Arc::clone(data), Arc::clone(&pts)));
                pts
            }
        };

        let [xname, yname] = &data.columns;
        // The points in the text colour: readable on either theme.
        let point_colour = ui.visuals().text_color();
        let mut edit = None;
        let resp = still_plot("data view", xname, yname).show(ui, |pui| {
            pui.set_plot_bounds(egui_plot::PlotBounds::from_min_max([lo, ylo], [hi, yhi]));
            pui.points(
                Points::new("data points", PlotPoints::from(drawn.as_slice().to_vec()))
                    .radius(3.0)
                    .color(point_colour),
            );
            if let Some(idx) = &batch_points {
                let ring: Vec<[f64; 2]> = idx
                    .iter()
                    .take(MAX_DRAWN)
                    .filter_map(|&i| Some([*data.x.get(i as usize)?, *data.y.get(i as usize)?]))
                    .collect();
                pui.points(
                    Points::new("current batch", PlotPoints::from(ring))
                        .radius(6.0)
                        .filled(false)
                        .color(palette.run(focus)),
                );
            }
            if let Ok(best) = d.minimum() {
                let name = d.model.best_fit();
                pui.line(
                    Line::new(name, PlotPoints::from(curve(d, best, lo, hi)))
                        .color(palette.mark)
                        .style(LineStyle::dashed_loose()),
                );
            }
            for &(k, step, w) in &rows {
                let colour = palette.run(k);
                let run = &snap.runs[k];
                // The trail: models of up to TRAIL earlier steps, fading.
                let every = (step / TRAIL as u64).max(1);
                for j in 1..=TRAIL as u64 {
                    let Some(s) = step.checked_sub(j * every) else {
                        break;
                    };
                    if let Some((_, r)) = run.path.at_or_before(s as usize) {
                        let alpha = 0.35 * (1.0 - j as f32 / (TRAIL as f32 + 1.0));
                        for piece in clip_y(&curve(d, r.w, lo, hi), cut_lo, cut_hi) {
                            pui.line(
                                Line::new("", PlotPoints::from(piece))
                                    .color(colour.gamma_multiply(alpha))
                                    .width(1.0),
                            );
                        }
                    }
                }
                let label = crate::ui::widgets::snapshot_run_label(snap, k);
                let pts = curve(d, w, lo, hi);
                let shown = pts.iter().filter(|p| (ylo..=yhi).contains(&p[1])).count();
                if shown < pts.len() / 2 || !(w.x.is_finite() && w.y.is_finite()) {
                    off_chart.push(k);
                }
                for piece in clip_y(&pts, cut_lo, cut_hi) {
                    pui.line(
                        Line::new(label.clone(), PlotPoints::from(piece))
                            .color(colour)
                            .width(2.5),
                    );
                }
            }
            // Dragging a model moves the start (the model at step 0).
            let resp = pui.response();
            if resp.dragged()
                && let (Some(at), Some(_)) = (pui.pointer_coordinate(), focus_row)
            {
                let dv = pui.pointer_coordinate_drag_delta();
                let delta = [f64::from(dv.x), f64::from(dv.y)];
                // From the start as the window has it now (the snapshot's lags a frame).
                let next = dragged(d, start, [at.x, at.y], delta, mid, half);
                if next.x.is_finite() && next.y.is_finite() {
                    edit = Some(DataEdit::MoveStart(next));
                }
            }
        });
        let _ = resp
            .response
            .accessible_name("Data and model")
            .on_hover_text(d.model.drag_hint());
        for k in off_chart {
            let status = snap.runs.get(k).map_or("", |r| r.outcome().0.name());
            ui.label(
                RichText::new(format!(
                    "Run {}'s model is mostly off the chart ({status}); the chart keeps the \
                     points in view",
                    k + 1
                ))
                .color(palette.status(snap.runs[k].outcome().0)),
            );
        }
        if let Some(&(_, _, w)) = focus_row {
            let o = unscaled(d, w);
            let text = d.model.equation(o, xname, yname);
            ui.label(RichText::new(text).monospace());
            if d.scale.is_some() {
                ui.label(
                    RichText::new(format!(
                        "(in the original units; the weights w0 = {}, w1 = {} act on the \
                         standardized x)",
                        downhill_engine::format::sig(w.x),
                        downhill_engine::format::sig(w.y)
                    ))
                    .small()
                    .weak(),
                );
            }
        }
        edit
    }
}

/// The data side page (data landscapes only): dragging the model moves the start.
impl crate::ui::pages::page::Page for DataView {
    fn id(&self) -> crate::ui::settings::SidePage {
        crate::ui::settings::SidePage::Data
    }

    fn title(&self) -> &'static str {
        "Data"
    }

    fn tooltip(&self) -> &'static str {
        "The points and the model being fitted"
    }

    fn available(&self, landscape: &downhill_engine::landscape::LandscapeSpec) -> bool {
        matches!(
            landscape,
            downhill_engine::landscape::LandscapeSpec::Data { .. }
        )
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut crate::ui::pages::page::PageContext<'_>) {
        let start = cx.settings.setup.start();
        if let Some(DataEdit::MoveStart(w)) =
            DataView::ui(self, ui, cx.snap, cx.focus, cx.timeline.step, start)
        {
            cx.settings.setup.start = [w.x, w.y];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use downhill_engine::data::{DataSource, Generate, Model};

    #[test]
    fn a_line_far_off_the_chart_is_cut_at_its_edges() {
        // Inside, then out through the top.
        let p = clip_y(&[[0.0, 0.0], [1.0, 10.0]], -1.0, 5.0);
        assert_eq!(p, vec![vec![[0.0, 0.0], [0.5, 5.0]]]);
        // Wholly above: nothing.
        assert!(clip_y(&[[0.0, 1e300], [1.0, 2e300]], -1.0, 5.0).is_empty());
        // Steep, through the band from below to above.
        let p = clip_y(&[[0.0, -1e6], [1.0, 1e6]], -1.0, 1.0);
        assert_eq!(p.len(), 1);
        assert!(
            (p[0][0][0] - 0.4999995).abs() < 1e-9 && p[0][1][1] == 1.0,
            "{p:?}"
        );
        // Out and back in: two pieces.
        let p = clip_y(&[[0.0, 0.0], [1.0, 9.0], [2.0, 0.0]], -1.0, 3.0);
        assert_eq!(p.len(), 2);
    }

    #[test]
    fn dragging_moves_and_tilts_the_line_in_original_units() {
        for standardize in [false, true] {
            let d = DataLandscape::new(
                &DataSource::Generated(Generate::default()),
                Model::Linear,
                standardize,
            )
            .unwrap();
            let w = scaled(&d, Vec2::new(1.0, 2.0));
            // Near the middle (5): up by 3.
            let up = unscaled(&d, dragged(&d, w, [5.0, 7.0], [0.0, 3.0], 5.0, 5.0));
            assert!((up - Vec2::new(1.0, 5.0)).norm() < 1e-9, "{up:?}");
            // At x = 10: that end up by 2, the middle fixed: slope + 2/5.
            let t = unscaled(&d, dragged(&d, w, [10.0, 12.0], [0.0, 2.0], 5.0, 5.0));
            assert!(
                (t.x - 1.4).abs() < 1e-9 && (1.4 * 5.0 + t.y - 7.0).abs() < 1e-9,
                "{t:?}"
            );
        }
    }
}
