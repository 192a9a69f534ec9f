//! The 1-D view: L along a line — the w0 axis for the 1-D parabola, or a slice through a run's
//! current point along a chosen direction — with the iterates on it, the tangent line at each
//! (slope = the directional derivative g·d) and the steps joined as a zig-zag. One plot per
//! shown run, side by side (seed 002's α = 0.3 beside α = 1.2). The curve is sampled on the
//! slice thread.

use std::sync::Arc;

use eframe::egui::{self, Color32, RichText, Ui};
use egui_plot::{Line, MarkerShape, Plot, Points};

use downhill_engine::geometry::Vec2;
use downhill_engine::teach::slice::{SliceLine, SliceRequest};

use crate::live::stepper::Snapshot;
use crate::live::workers::SliceWorker;
use crate::ui::palette::Palette;
use crate::ui::settings::{Settings, SidePage, SliceDir};
use crate::ui::widgets::run_label;

/// Samples per curve.
const SAMPLES: usize = 400;
/// Iterates drawn per plot at most (the newest); tangents for the newest few.
const MAX_ITERATES: usize = 400;
const MAX_TANGENTS: usize = 40;
/// The narrowest a plot gets before the plots wrap into rows.
const MIN_PLOT_WIDTH: f32 = 150.0;

/// The 1-D page: its thread and the lines it asked for last.
pub struct SliceView {
    asked: Option<Vec<SliceLine>>,
    slices: SliceWorker,
}

impl crate::ui::pages::page::Page for SliceView {
    fn id(&self) -> SidePage {
        SidePage::Slice
    }

    fn title(&self) -> &'static str {
        "1-D view"
    }

    fn tooltip(&self) -> &'static str {
        "L along a line, with the steps and tangents"
    }

    /// A lesson shows the slice along w0.
    fn opened_by_lesson(&mut self, settings: &mut Settings) {
        settings.slice = SliceDir::W0;
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut crate::ui::pages::page::PageContext<'_>) {
        let upto = cx.timeline.step;
        self.slice_ui(ui, cx.snap, cx.settings, upto);
    }
}

impl SliceView {
    /// The page, its curves sampled on a thread of its own that calls `notify` with news.
    pub fn spawn(notify: impl Fn() + Send + 'static) -> std::io::Result<Self> {
        Ok(Self {
            asked: None,
            slices: crate::live::workers::spawn_slice(notify)?,
        })
    }

    fn slice_ui(
        &mut self,
        ui: &mut Ui,
        snap: &Snapshot,
        settings: &mut Settings,
        upto: Option<u64>,
    ) {
        let slices = &self.slices;
        let palette = Palette::of(ui.visuals());
        if !snap.landscape.is_one_d() {
            direction_ui(ui, &mut settings.slice);
        }
        let dir_setting = if snap.landscape.is_one_d() {
            SliceDir::W0
        } else {
            settings.slice
        };
        let one_d = snap.landscape.is_one_d();
        // One line per shown run, through its point at the shown step.
        let mut plots = Vec::new();
        for (k, (spec, run)) in snap.setup.runs.iter().zip(&snap.runs).enumerate() {
            if !spec.shown {
                continue;
            }
            let end = upto.map_or(run.path.len(), |s| (s as usize + 1).min(run.path.len()));
            let Some((_, row)) = run.path.at_or_before(end.saturating_sub(1)) else {
                continue;
            };
            let c = row.w;
            let (center, dir) = match dir_setting {
                SliceDir::W0 => (Vec2::new(0.0, c.y), Vec2::new(1.0, 0.0)),
                SliceDir::W1 => (Vec2::new(c.x, 0.0), Vec2::new(0.0, 1.0)),
                SliceDir::Downhill => {
                    let n = row.grad.norm();
                    let d = if n.is_finite() && n > 0.0 {
                        -row.grad / n
                    } else {
                        Vec2::new(1.0, 0.0)
                    };
                    (c, d)
                }
                SliceDir::Angle(deg) => {
                    let r = deg.to_radians();
                    (c, Vec2::new(r.cos(), r.sin()))
                }
            };
            let mut line = SliceLine {
                center,
                dir,
                t: (0.0, 0.0),
                samples: SAMPLES,
            };
            // The iterates (newest MAX_ITERATES), as (t, L, slope).
            let first = end.saturating_sub(MAX_ITERATES);
            let its: Vec<[f64; 3]> = (first..end)
                .filter_map(|i| run.path.get(i))
                .filter(|r| r.w.x.is_finite() && r.w.y.is_finite() && r.loss.is_finite())
                .map(|r| [line.project(r.w), r.loss, r.grad.dot(&dir)])
                .filter(|p| p[0].abs() < 1e4)
                .collect();
            // The minima on (or near) the line are in view too, from step 0 on: the iterates
            // head for them.
            let near_minima = snap.minima.iter().filter_map(|m| {
                let t = line.project(*m);
                let off = (*m - (line.center + line.dir * t)).norm();
                (t.is_finite() && t.abs() < 1e4 && (one_d || off < 0.5)).then_some(t)
            });
            let (lo, hi) = its
                .iter()
                .map(|p| p[0])
                .chain(near_minima)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), t| {
                    (lo.min(t), hi.max(t))
                });
            let (lo, hi) = if lo.is_finite() {
                (lo, hi)
            } else {
                (-1.0, 1.0)
            };
            let pad = ((hi - lo) * 0.15).max(0.5);
            line.t = (lo - pad, hi + pad);
            plots.push((k, line, its));
        }
        let lines: Vec<SliceLine> = plots.iter().map(|p| p.1).collect();
        if self.asked.as_ref() != Some(&lines) {
            slices.request(SliceRequest {
                landscape: Arc::clone(&snap.landscape),
                lines: lines.clone(),
            });
            self.asked = Some(lines);
        }
        let latest = slices
            .latest()
            .filter(|s| Arc::ptr_eq(&s.request.landscape, &snap.landscape));
        let axis = match dir_setting {
            SliceDir::W0 => "w0",
            SliceDir::W1 => "w1",
            _ => "t (distance from the current point)",
        };
        ui.label(
            RichText::new(
                "L along the line; dots are the iterates joined step by step, short lines their \
                 tangents (slope = the gradient along the line). In 2-D, points off the slice \
                 are drawn at their own loss.",
            )
            .small()
            .weak(),
        );
        if plots.is_empty() {
            return;
        }
        // Side by side while each plot keeps a readable width; more runs (a race of eighteen)
        // wrap into rows, which scroll.
        let n = plots.len();
        let per_row = ((ui.available_width() / MIN_PLOT_WIDTH).floor() as usize).clamp(1, n);
        let rows = n.div_ceil(per_row);
        let plot_ui = |ui: &mut Ui,
                       (k, line, its): &(usize, SliceLine, Vec<[f64; 3]>),
                       height: Option<f32>| {
            let color = palette.run(*k);
            // A title per plot, cut to its column so neighbours never run together.
            ui.add(
                egui::Label::new(RichText::new(run_label(*k, &snap.setup.runs[*k])).color(color))
                    .truncate(),
            );
            // The curve, if it was sampled for this very line.
            let curve: Vec<[f64; 2]> = latest
                .as_ref()
                .and_then(|s| {
                    let j = s.request.lines.iter().position(|l| l == line)?;
                    s.curves.get(j).cloned()
                })
                .unwrap_or_default();
            let span = line.t.1 - line.t.0;
            Plot::new(("slice", *k))
                .height(
                    height
                        .unwrap_or_else(|| ui.available_height())
                        .clamp(100.0, 320.0),
                )
                .x_grid_spacer(crate::ui::plot::axes::nice_grid)
                .x_axis_formatter(crate::ui::plot::axes::nice_label)
                .x_axis_label(axis)
                .y_axis_label("L")
                .allow_scroll(false)
                .show(ui, |pui| {
                    crate::ui::plot::axes::wheel_zoom(pui);
                    for seg in curve.split(|p| !p[1].is_finite()) {
                        if seg.len() >= 2 {
                            pui.line(
                                Line::new("", seg.to_vec())
                                    .color(ui_text_color(&palette))
                                    .width(1.5),
                            );
                        }
                    }
                    let pts: Vec<[f64; 2]> = its.iter().map(|p| [p[0], p[1]]).collect();
                    pui.line(Line::new("", pts.clone()).color(color).width(1.5));
                    pui.points(
                        Points::new("", pts)
                            .shape(MarkerShape::Circle)
                            .radius(3.5)
                            .color(color),
                    );
                    let h = 0.08 * span;
                    for p in its.iter().rev().take(MAX_TANGENTS) {
                        let (t, l, s) = (p[0], p[1], p[2]);
                        if s.is_finite() {
                            pui.line(
                                Line::new("", vec![[t - h, l - s * h], [t + h, l + s * h]])
                                    .color(palette.gradient_arrow)
                                    .width(1.0),
                            );
                        }
                    }
                    if let Some(p) = its.last() {
                        pui.points(
                            Points::new("", vec![[p[0], p[1]]])
                                .radius(6.0)
                                .color(palette.current),
                        );
                    }
                })
                .response
                .accessible_name(format!("1-D view of run {}", k + 1));
        };
        if rows == 1 {
            ui.columns(n, |cols| {
                for (col, plot) in cols.iter_mut().zip(&plots) {
                    plot_ui(col, plot, None);
                }
            });
        } else {
            let height = Some(ui.available_height() / 2.0 - 24.0);
            egui::ScrollArea::vertical().show(ui, |ui| {
                for row in plots.chunks(per_row) {
                    ui.columns(per_row, |cols| {
                        for (col, plot) in cols.iter_mut().zip(row) {
                            plot_ui(col, plot, height);
                        }
                    });
                }
            });
        }
    }
}

/// The curve's colour: the text colour, so it reads on either theme.
fn ui_text_color(p: &Palette) -> Color32 {
    p.minimum
}

fn direction_ui(ui: &mut Ui, dir: &mut SliceDir) {
    let names = [
        "Along w0",
        "Along w1",
        "Downhill (−gradient)",
        "At an angle",
    ];
    let mut i = match dir {
        SliceDir::W0 => 0,
        SliceDir::W1 => 1,
        SliceDir::Downhill => 2,
        SliceDir::Angle(_) => 3,
    };
    let before = i;
    crate::ui::widgets::pick_ui(
        ui,
        "Slice direction",
        &names,
        &mut i,
        "The line through each run's current point along which L is drawn",
    );
    if i != before {
        *dir = match i {
            0 => SliceDir::W0,
            1 => SliceDir::W1,
            2 => SliceDir::Downhill,
            _ => SliceDir::Angle(45.0),
        };
    }
    if let SliceDir::Angle(a) = dir {
        ui.add(egui::Slider::new(a, -90.0..=90.0).text("Angle (degrees)"))
            .on_hover_text("The slice's angle from the w0 axis");
    }
}
