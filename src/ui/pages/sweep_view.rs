//! The learning-rate sweep: final loss after N steps against the learning rate (both on log
//! axes) for the current landscape, selected run and start, computed on the sweep thread with
//! a progress bar. The bands say where the rate converges, oscillates or diverges; for plain
//! gradient descent the 1/λ_max and 2/λ_max lines show where theory puts the edges. A click
//! sets the selected run's learning rate.

use eframe::egui::{self, Color32, RichText, Ui};
use egui_plot::{Corner, Legend, MarkerShape, Plot, Points, Span, VLine};

use crate::live::stepper::Snapshot;
use downhill_engine::format::sig;
use downhill_engine::landscape::LandscapeSpec;
use downhill_engine::optim::OptimizerKind;
use downhill_engine::run::{RunConfig, Status};
use downhill_engine::teach::sweep::{Sweep, SweepRequest};

use crate::live::workers::SweepWorker;
use crate::ui::palette::Palette;
use crate::ui::panels::lr_slider::LR_RANGE;
use crate::ui::plot::axes::decades;
use crate::ui::settings::{Settings, SidePage};

/// Learning rates per sweep.
const POINTS: usize = 121;

/// What decides a sweep: a change to any of it asks for a new one (the learning rate itself
/// is left out, so clicking the sweep does not start another).
#[derive(Clone, Debug, PartialEq)]
struct Key {
    landscape: LandscapeSpec,
    config: RunConfig,
    start: [f64; 2],
    steps: u64,
}

/// The sweep page: its thread and what it asked last.
pub struct SweepView {
    asked: Option<(Key, u64)>,
    sweeps: SweepWorker,
}

/// Where a learning rate ends, in three words.
fn class(s: Status) -> usize {
    usize::from(s.regime())
}

const CLASS_NAMES: [&str; 3] = ["converges", "oscillates", "diverges"];

impl crate::ui::pages::page::Page for SweepView {
    fn id(&self) -> SidePage {
        SidePage::Sweep
    }

    fn title(&self) -> &'static str {
        "Learning-rate sweep"
    }

    fn tooltip(&self) -> &'static str {
        "Final loss against learning rate"
    }

    /// A click on the sweep sets the selected run's learning rate.
    fn ui(&mut self, ui: &mut Ui, cx: &mut crate::ui::pages::page::PageContext<'_>) {
        if let Some(lr) = self.sweep_ui(ui, cx.snap, cx.settings)
            && let Some(r) = cx.settings.setup.runs.get_mut(cx.focus)
        {
            r.config.hyper.lr = lr;
        }
    }
}

impl SweepView {
    /// The page, its sweeps computed on a thread of its own that calls `notify` with news.
    pub fn spawn(notify: impl Fn() + Send + 'static) -> std::io::Result<Self> {
        Ok(Self {
            asked: None,
            sweeps: crate::live::workers::spawn_sweep(notify)?,
        })
    }

    /// Shows the sweep, asking for a new one when the setup changed; returns a learning rate
    /// the user clicked.
    fn sweep_ui(&mut self, ui: &mut Ui, snap: &Snapshot, settings: &mut Settings) -> Option<f64> {
        let sweeps = &self.sweeps;
        let palette = Palette::of(ui.visuals());
        let focus = settings.focus.min(snap.setup.runs.len() - 1);
        let mut config = snap.setup.runs[focus].config;
        let lr_now = config.hyper.lr;
        config.hyper.lr = 1.0;
        ui.horizontal(|ui| {
            let label = ui.label("Steps per rate");
            ui.add(
                egui::DragValue::new(&mut settings.sweep_steps)
                    .range(1..=100_000)
                    .speed(5.0),
            )
            .labelled_by(label.id)
            .on_hover_text("Each learning rate runs this many updates from the start");
        });
        let key = Key {
            landscape: snap.setup.landscape.clone(),
            config,
            start: snap.setup.start,
            steps: settings.sweep_steps,
        };
        if self.asked.as_ref().is_none_or(|(k, _)| *k != key) {
            let id = sweeps.request(SweepRequest {
                landscape: std::sync::Arc::clone(&snap.landscape),
                config: key.config,
                start: snap.setup.start(),
                steps: key.steps,
                range: LR_RANGE,
                points: POINTS,
            });
            self.asked = Some((key, id));
        }
        let asked_id = self.asked.as_ref().map_or(0, |a| a.1);
        let latest = sweeps.latest();
        let done = latest.as_ref().is_some_and(|s| s.id == asked_id);
        match sweeps.busy() {
            Some((_, frac)) if !done => {
                ui.add(
                    egui::ProgressBar::new(frac)
                        .show_percentage()
                        .text(format!("Sweeping {POINTS} learning rates…")),
                );
            }
            _ => {
                ui.label(
                    RichText::new(format!(
                        "Final loss after {} steps of {} at {POINTS} learning rates. Click to \
                         use a rate.",
                        settings.sweep_steps,
                        snap.setup.runs[focus].config.optimizer.label()
                    ))
                    .small(),
                );
            }
        }
        // Only the sweep asked for this very setup is drawn (a new one shows its progress
        // bar): every change of the setup asks anew, with a new id.
        let sweep = latest.filter(|_| done);
        self.plot(ui, snap, sweep.as_deref(), lr_now, &palette, focus)
    }

    fn plot(
        &self,
        ui: &mut Ui,
        snap: &Snapshot,
        sweep: Option<&Sweep>,
        lr_now: f64,
        palette: &Palette,
        focus: usize,
    ) -> Option<f64> {
        let class_colors = [palette.converged, palette.oscillating, palette.diverged];
        // Losses are drawn above the lowest one known, on a log axis.
        let floor = sweep
            .iter()
            .flat_map(|s| s.points.iter())
            .map(|p| p.loss)
            .filter(|l| l.is_finite())
            .chain(snap.min_loss)
            .fold(f64::INFINITY, f64::min);
        let y_of = |loss: f64| (loss - floor).max(1e-16).log10();
        let mut series: [Vec<[f64; 2]>; 3] = Default::default();
        let mut top = f64::NEG_INFINITY;
        if let Some(s) = sweep {
            for p in &s.points {
                if p.loss.is_finite() && class(p.status) != 2 {
                    top = top.max(y_of(p.loss));
                }
            }
        }
        if !top.is_finite() {
            top = 1.0;
        }
        let mut bands: Vec<(usize, f64, f64)> = Vec::new();
        if let Some(s) = sweep {
            let n = s.points.len();
            for (i, p) in s.points.iter().enumerate() {
                let x = p.lr.log10();
                let c = class(p.status);
                let y = if c == 2 || !p.loss.is_finite() {
                    top + 1.0
                } else {
                    y_of(p.loss)
                };
                series[c].push([x, y]);
                // Each rate's band reaches halfway to its neighbours.
                let lo = if i == 0 {
                    x
                } else {
                    (x + s.points[i - 1].lr.log10()) / 2.0
                };
                let hi = if i + 1 == n {
                    x
                } else {
                    (x + s.points[i + 1].lr.log10()) / 2.0
                };
                match bands.last_mut() {
                    Some(b) if b.0 == c => b.2 = hi,
                    _ => bands.push((c, lo, hi)),
                }
            }
        }
        let plain_gd = snap.setup.runs[focus].config.optimizer == OptimizerKind::Sgd
            && snap.setup.runs[focus].config.hyper.momentum == 0.0;
        let plot = Plot::new("sweep")
            .x_axis_label("learning rate η")
            .y_axis_label("final loss")
            .legend(
                Legend::default()
                    .position(Corner::RightBottom)
                    .text_style(egui::TextStyle::Small),
            )
            .x_grid_spacer(|i| decades(i, 4.0))
            .y_grid_spacer(|i| decades(i, 8.0))
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .x_axis_formatter(|m, _| sig(10f64.powf(m.value)))
            .y_axis_formatter(|m, _| format!("1e{}", m.value.round() as i64))
            .label_formatter(|pos| {
                let p = match pos {
                    egui_plot::HoverPosition::NearDataPoint { position, .. } => *position,
                    egui_plot::HoverPosition::Elsewhere { position } => *position,
                };
                Some(format!(
                    "η = {}\nL ≈ {:.3e}",
                    sig(10f64.powf(p.x)),
                    10f64.powf(p.y)
                ))
            });
        let resp = plot.show(ui, |pui| {
            for (c, lo, hi) in &bands {
                let col = class_colors[*c];
                pui.span(
                    Span::new("", *lo..=*hi)
                        .fill(Color32::from_rgba_unmultiplied(
                            col.r(),
                            col.g(),
                            col.b(),
                            28,
                        ))
                        .border_width(0.0),
                );
            }
            for (c, pts) in series.into_iter().enumerate() {
                if pts.is_empty() {
                    continue;
                }
                let shape = if c == 2 {
                    MarkerShape::Cross
                } else {
                    MarkerShape::Circle
                };
                pui.points(
                    Points::new(CLASS_NAMES[c], pts)
                        .shape(shape)
                        .radius(3.0)
                        .color(class_colors[c]),
                );
            }
            pui.vline(
                VLine::new(format!("η = {}", sig(lr_now)), lr_now.log10())
                    .color(palette.run(focus))
                    .width(2.0),
            );
            if plain_gd
                && let (Some(osc), Some(div)) = (snap.facts.lr_oscillate, snap.facts.lr_diverge)
            {
                pui.vline(
                    VLine::new("1/λ_max", osc.log10())
                        .color(palette.oscillating)
                        .style(egui_plot::LineStyle::dashed_dense()),
                );
                pui.vline(
                    VLine::new("2/λ_max", div.log10())
                        .color(palette.diverged)
                        .style(egui_plot::LineStyle::dashed_dense()),
                );
            }
            pui.pointer_coordinate()
        });
        let response = resp
            .response
            .clone()
            .accessible_name("Sweep plot: final loss against learning rate")
            .on_hover_text("Click to use that learning rate");
        if response.clicked()
            && let Some(p) = resp.inner
        {
            let lr = 10f64.powf(p.x).clamp(LR_RANGE.0, LR_RANGE.1);
            // Keep four significant digits: a rate someone can read out and type.
            return sig(lr).parse().ok();
        }
        None
    }
}
