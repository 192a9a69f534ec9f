//! Loss and gradient norm against step, on a log scale, updating live.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use eframe::egui::{self, Stroke, Ui};
use egui_plot::{Corner, HoverPosition, Legend, Plot};

use crate::live::stepper::Snapshot;
use crate::ui::palette::Palette;
use crate::ui::plot::axes::decades;
use crate::ui::plot::items::cached_line::CachedLine;
use crate::ui::plot::polyline::LineCache;

/// Points drawn per line at most; longer paths are thinned (see `RunPath::thinned`).
const MAX_POINTS: usize = 4000;

/// How the loss axis is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
enum LossAxis {
    /// log10(L − L*), with L* the lowest known minimum; a difference below the floor (the
    /// second number) is drawn at the floor.
    AboveMinimum(f64, f64),
    /// log10(L): every loss is positive.
    Log,
    /// The loss as it is (it goes negative and no minimum is known, e.g. the saddle).
    Linear,
}

/// The loss plot with its lines cached between frames (a finished run costs nothing to redraw
/// but its reduced vertices).
#[derive(Default)]
pub struct LossPlot {
    losses: Vec<Arc<Mutex<LineCache>>>,
    grad: Arc<Mutex<LineCache>>,
    /// The selected run's batch loss, when it steps on mini-batches.
    batch: Arc<Mutex<LineCache>>,
    /// The scale, for the paths it was decided on.
    scale: Option<(u64, LossAxis)>,
    /// Line widths are multiplied by this (presentation mode).
    pub line_scale: f32,
    /// Last frame's transform, to keep the legend off the lines' live ends.
    transform: Option<egui_plot::PlotTransform>,
}

impl LossPlot {
    /// The losses of every shown run (in its colour) and the selected run's gradient norm;
    /// `upto` marks the step the timeline shows.
    pub fn ui(&mut self, ui: &mut Ui, snap: &Snapshot, focus: usize, upto: Option<u64>) {
        let palette = Palette::of(ui.visuals());
        let shown: Vec<(usize, &crate::live::stepper::RunView)> = snap
            .runs
            .iter()
            .enumerate()
            .filter(|(k, _)| snap.setup.runs.get(*k).is_some_and(|r| r.shown))
            .collect();
        let paths_key = {
            let mut h = DefaultHasher::new();
            snap.generation.hash(&mut h);
            snap.min_loss.map(f64::to_bits).hash(&mut h);
            for (k, r) in &shown {
                (k, r.path.len()).hash(&mut h);
            }
            h.finish()
        };
        let scale = match self.scale {
            Some((key, scale)) if key == paths_key => scale,
            _ => {
                let scale = match snap.min_loss {
                    Some(m) => LossAxis::AboveMinimum(m, floor_above(m, &shown)),
                    None if shown
                        .iter()
                        .all(|(_, r)| r.path.thinned(MAX_POINTS).all(|(_, r)| r.loss > 0.0)) =>
                    {
                        LossAxis::Log
                    }
                    None => LossAxis::Linear,
                };
                self.scale = Some((paths_key, scale));
                scale
            }
        };
        let y_of = move |loss: f64| match scale {
            LossAxis::AboveMinimum(m, floor) => (loss - m).max(floor).log10(),
            LossAxis::Log => loss.log10(),
            LossAxis::Linear => loss,
        };
        while self.losses.len() < snap.runs.len() {
            self.losses.push(Arc::default());
        }
        let mut losses = Vec::new();
        for &(k, run) in &shown {
            let line = series(&self.losses[k], (paths_key, k, run.path.len()), run, |r| {
                Some(y_of(r.loss))
            });
            losses.push((k, line));
        }
        let grad = snap
            .runs
            .get(focus)
            .filter(|_| scale != LossAxis::Linear)
            .map(|run| {
                series(
                    &self.grad,
                    (paths_key, focus, run.path.len(), "grad"),
                    run,
                    |r| Some(r.grad.norm().log10()),
                )
            });
        // Mini-batches: the loss of each step's batch, noisy beside the full loss. (Below the
        // lowest full loss it cannot be drawn on the L − L* axis, so such points are left out.)
        let batched = snap.landscape.data().is_some_and(|d| {
            snap.setup
                .runs
                .get(focus)
                .is_some_and(|r| !r.config.batch.is_full(d.len()))
        });
        let batch = snap.runs.get(focus).filter(|_| batched).map(|run| {
            series(
                &self.batch,
                (paths_key, focus, run.path.len(), "batch"),
                run,
                |r| {
                    let drawable = match scale {
                        LossAxis::AboveMinimum(m, _) => r.batch_loss > m,
                        LossAxis::Log => r.batch_loss > 0.0,
                        LossAxis::Linear => true,
                    };
                    drawable.then(|| y_of(r.batch_loss))
                },
            )
        });
        let loss_name = match scale {
            LossAxis::AboveMinimum(0.0, _) => "loss L".to_owned(),
            LossAxis::AboveMinimum(m, _) => {
                format!("L − L* (L* = {})", downhill_engine::format::short(m))
            }
            LossAxis::Log => "loss L".to_owned(),
            LossAxis::Linear => "loss L (linear)".to_owned(),
        };
        let log = scale != LossAxis::Linear;
        // A race too large for the legend: each loss line's run number beside its end.
        let labelled = crate::ui::plot::items::end_labels::labelled(snap.setup.runs.len());
        let end_labels = labelled.then(|| {
            let ends = shown
                .iter()
                .filter_map(|&(k, r)| {
                    let y = y_of(r.path.last()?.loss);
                    let x = r.path.len().saturating_sub(1) as f64;
                    y.is_finite()
                        .then(|| (k, egui_plot::PlotPoint::new(x, y), palette.run(k)))
                })
                .collect();
            crate::ui::plot::items::end_labels::EndLabels::new(ui, ends)
        });
        // The legend goes where no line ends (a diverging loss ends at the top right).
        let corner = match &self.transform {
            Some(t) => {
                let ends: Vec<egui::Pos2> = shown
                    .iter()
                    .filter_map(|(_, r)| {
                        let y = y_of(r.path.last()?.loss);
                        let x = r.path.len().saturating_sub(1) as f64;
                        y.is_finite()
                            .then(|| t.position_from_point(&egui_plot::PlotPoint::new(x, y)))
                    })
                    .map(|p| p.clamp(t.frame().min, t.frame().max))
                    .collect();
                let mut names: Vec<String> = shown
                    .iter()
                    .filter(|_| !labelled)
                    .map(|(k, _)| format!("{loss_name}: run {k}"))
                    .collect();
                names.push("gradient norm |g| of run 1".into());
                let size = crate::ui::plot::legend::legend_size(ui, egui::TextStyle::Body, &names);
                crate::ui::plot::legend::free_corner(*t.frame(), size, &ends)
            }
            None => Corner::RightTop,
        };
        let mut plot = Plot::new("loss")
            .x_axis_label("step")
            .legend(Legend::default().position(corner))
            .allow_scroll(false)
            .include_x(0.0);
        if log {
            plot = plot
                .y_grid_spacer(|i| decades(i, 5.0))
                .y_axis_min_width(48.0)
                .y_axis_formatter(|mark, _| {
                    // Whole decades as 1eN; marks between them as the number itself.
                    let v = mark.value;
                    if (v - v.round()).abs() < 1e-9 {
                        format!("1e{}", v.round() as i64)
                    } else {
                        downhill_engine::format::sig(10f64.powf(v))
                    }
                })
                .label_formatter(|pos| {
                    let (name, p) = match pos {
                        HoverPosition::NearDataPoint {
                            plot_name,
                            position,
                            ..
                        } => (*plot_name, *position),
                        HoverPosition::Elsewhere { position } => ("", *position),
                    };
                    Some(format!("{name}\nstep {:.0}\n{:.3e}", p.x, 10f64.powf(p.y)))
                });
        }
        let several = snap.runs.len() > 1;
        let resp = plot.show(ui, |pui| {
            crate::ui::plot::axes::wheel_zoom(pui);
            if let Some(batch) = batch {
                let colour = palette.run(focus).gamma_multiply(0.45);
                pui.add(
                    CachedLine::new(
                        format!("batch loss of run {}", focus + 1),
                        batch,
                        Stroke::new(1.0, colour),
                    )
                    .bounded(),
                );
            }
            for (k, loss) in losses {
                let name = match snap.setup.runs.get(k) {
                    // Left out of the legend: its number is written at its end.
                    Some(_) if labelled => String::new(),
                    Some(spec) if several => {
                        format!("{loss_name}: {}", crate::ui::widgets::run_label(k, spec))
                    }
                    _ => loss_name.clone(),
                };
                let width = 2.0 * self.line_scale.max(1.0);
                pui.add(CachedLine::new(name, loss, Stroke::new(width, palette.run(k))).bounded());
            }
            if let Some(grad) = grad {
                let name = if several {
                    format!("gradient norm |g| of run {}", focus + 1)
                } else {
                    "gradient norm |g|".to_owned()
                };
                pui.add(
                    CachedLine::new(name, grad, Stroke::new(1.0, palette.gradient_arrow)).bounded(),
                );
            }
            if let Some(labels) = end_labels {
                pui.add(labels);
            }
            if let Some(s) = upto {
                pui.vline(egui_plot::VLine::new("", s as f64).color(palette.mark));
            }
        });
        self.transform = Some(resp.transform);
        let _ = resp
            .response
            .accessible_name("Loss against step")
            .on_hover_text(
                "Loss (log scale) and gradient norm against step; scroll to zoom, drag to pan, \
                 double-click to follow the run again",
            );
    }
}

/// The lowest L − L* the loss axis draws. Below 1e-15 of L* the difference is rounding, not
/// progress (a data landscape's L* is far from 0). A run that lands exactly on the minimum
/// (Newton's method does, on Rosenbrock) has L − L* = 0, which a log axis cannot show: it is
/// drawn a decade below the smallest difference any shown run reached, not at 1e-300, where it
/// would squeeze every other line into the top of the plot.
fn floor_above(m: f64, shown: &[(usize, &crate::live::stepper::RunView)]) -> f64 {
    let rounding = (1e-15 * m.abs()).max(1e-300);
    let lowest = shown
        .iter()
        .flat_map(|(_, r)| r.path.thinned(MAX_POINTS).map(|(_, row)| row.loss - m))
        .filter(|d| *d > rounding && d.is_finite())
        .fold(f64::INFINITY, f64::min);
    if lowest.is_finite() {
        rounding.max(lowest / 10.0)
    } else {
        rounding
    }
}

/// Fills `cache` (when `key` changed) with one point per row of `run`'s thinned path: the
/// step and `y` of the row, left out where `y` gives `None` or a non-finite value.
fn series(
    cache: &Arc<Mutex<LineCache>>,
    key: impl Hash,
    run: &crate::live::stepper::RunView,
    y: impl Fn(&downhill_engine::run::Row) -> Option<f64>,
) -> Arc<Mutex<LineCache>> {
    let key = {
        let mut h = DefaultHasher::new();
        key.hash(&mut h);
        h.finish()
    };
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .data(key, || {
            run.path
                .thinned(MAX_POINTS)
                .filter_map(|(i, r)| y(r).map(|v| [i as f64, v]))
                .filter(|p| p[1].is_finite())
                .collect()
        });
    Arc::clone(cache)
}
