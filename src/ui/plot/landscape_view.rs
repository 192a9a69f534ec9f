//! The landscape: heat map, contour lines, minima, the run's path with the current point, the
//! downhill and velocity arrows, and a colour bar. Click to move the start; drag the start
//! point; pan and zoom as in any plot. The picture of the visible window comes from the field
//! thread; until a new one arrives the old one stays.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use eframe::egui::{self, Color32, Pos2, Shape, Stroke, Ui};
use egui_plot::{
    Arrows, Corner, Legend, Line, MarkerShape, Plot, PlotBounds, PlotImage, PlotPoint,
    PlotTransform, Points,
};

use downhill_engine::picture::image::{FieldImage, FieldRequest, budgeted_grid};

use crate::live::stepper::Snapshot;
use crate::live::workers::FieldWorker;
use crate::ui::palette::Palette;
use crate::ui::plot::axes::{nice_grid, nice_label, wheel_zoom};
use crate::ui::plot::items::cached_line::CachedLine;
use crate::ui::plot::items::contour::{ContourCache, ContourItem};
use crate::ui::plot::legend::{free_corner, legend_size};
use crate::ui::plot::polyline::LineCache;
use downhill_engine::format::sig;
use downhill_engine::geometry::Vec2;
use downhill_engine::landscape::{Landscape, View};

/// Grid resolution of the heat map.
const RESOLUTION: usize = 256;
/// Picture work (grid values × [`Landscape::picture_cost`]) the map's picture spends at most:
/// a few seconds on two cores for a network's plane (the default 2-8-8-1 over 200 points gets
/// the full 256², over 1,000 points about 123²); every other landscape gets the full grid.
const WINDOW_WORK: usize = 400_000_000;
/// Width of the colour bar.
pub const BAR_WIDTH: f32 = 86.0;
/// Path points drawn at most.
const MAX_PATH_POINTS: usize = 8000;
/// How near (in pixels) a press must be to the start point to drag it.
const GRAB_RADIUS: f32 = 12.0;

/// What the landscape view keeps between frames.
#[derive(Default)]
pub struct LandscapeView {
    texture: Option<egui::TextureHandle>,
    /// The picture on screen.
    shown: Option<Arc<FieldImage>>,
    /// The 3-D surface built from the picture shown, when asked for.
    shown_surface: Option<Arc<downhill_engine::picture::surface::Mesh>>,
    /// The window last asked of the field thread, for which landscape.
    requested: Option<(usize, View)>,
    /// Whether the last request asked for the 3-D surface too.
    requested_surface: bool,
    /// Ask for the 3-D surface with each picture (the 3-D view is shown).
    pub want_surface: bool,
    /// The window the pictures are made for while the map itself is hidden (3-D only).
    hidden_view: Option<View>,
    /// Bounds to apply at the next frame (a new landscape, or Fit).
    fit_to: Option<View>,
    /// `fit_to` was asked for (Fit, a lesson): a landscape change does not replace it.
    fit_explicit: bool,
    landscape_seen: Option<usize>,
    last_transform: Option<PlotTransform>,
    dragging_start: bool,
    /// The window the user left the map at (by Fit, a new landscape, a pan or a zoom): when
    /// the map's frame changes size (3-D on or off, presentation mode, a resized window) it is
    /// fitted again to this, so nothing the user saw leaves the view.
    intent: Option<View>,
    /// The size given to the plot last frame, and its frame then.
    last_size: Option<egui::Vec2>,
    /// Each run's path, cached between frames (see [`polyline`](crate::ui::plot::polyline)).
    paths: Vec<Arc<Mutex<LineCache>>>,
    /// The contour lines in screen points, for the picture and window they were made for.
    contours: Arc<Mutex<ContourCache>>,
}

/// What the user did to the landscape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ViewEdit {
    /// Move the start point here.
    MoveStart(Vec2),
}

/// Identity of a landscape for change detection.
fn key(l: &Arc<Landscape>) -> usize {
    Arc::as_ptr(l) as usize
}

impl LandscapeView {
    /// A view that opens on `view` (the saved window) instead of the landscape's own.
    pub fn starting_at(view: Option<View>) -> Self {
        Self {
            fit_to: view,
            ..Self::default()
        }
    }

    /// Shows exactly this window at the next frame (a shared setup's).
    pub fn fit_to_view(&mut self, v: View) {
        self.fit_to = Some(v);
        self.fit_explicit = true;
    }

    /// Keeps the pictures coming while the map itself is not drawn (the 3-D view alone): for
    /// the window it showed last, or a new landscape's own window.
    pub fn keep_fresh(&mut self, ctx: &egui::Context, snap: &Snapshot, fields: &FieldWorker) {
        let k = key(&snap.landscape);
        if self.landscape_seen != Some(k) {
            self.landscape_seen = Some(k);
            self.fit_to = Some(snap.fit_view);
            self.hidden_view = Some(snap.fit_view);
        }
        self.take_field(ctx, fields, &snap.landscape);
        let v = self
            .hidden_view
            .or_else(|| self.visible())
            .unwrap_or(snap.fit_view);
        self.hidden_view = Some(v);
        let bounds = PlotBounds::from_min_max([v.x[0], v.y[0]], [v.x[1], v.y[1]]);
        self.request_field(snap, &bounds, fields);
    }

    /// The picture on screen (the 3-D view draws the same one).
    pub fn picture(&self) -> Option<&Arc<FieldImage>> {
        self.shown.as_ref()
    }

    /// The 3-D surface of the picture on screen, when it was asked for.
    pub fn surface(&self) -> Option<Arc<downhill_engine::picture::surface::Mesh>> {
        self.shown_surface.clone()
    }

    /// Whether a heat map is on screen.
    pub fn has_picture(&self) -> bool {
        self.shown.is_some()
    }

    /// The window on screen.
    pub fn visible(&self) -> Option<View> {
        let b = self.last_transform.as_ref()?.bounds();
        let (min, max) = (b.min(), b.max());
        Some(View {
            x: [min[0], max[0]],
            y: [min[1], max[1]],
        })
    }

    /// Shows the landscape's own window, widened to hold `start`, at the next frame.
    pub fn fit_landscape(&mut self, snap: &Snapshot, start: Vec2) {
        let mut v = snap.fit_view;
        let margin = 0.1 * (v.x[1] - v.x[0]).max(v.y[1] - v.y[0]);
        if start.x.is_finite() && start.y.is_finite() {
            v.x = [v.x[0].min(start.x - margin), v.x[1].max(start.x + margin)];
            v.y = [v.y[0].min(start.y - margin), v.y[1].max(start.y + margin)];
        }
        self.fit_to = Some(v);
        self.fit_explicit = true;
    }

    /// Fits the view to the landscape's window and the paths at the next frame.
    pub fn fit(&mut self, snap: &Snapshot) {
        let mut v = snap.fit_view;
        for r in snap
            .runs
            .iter()
            .flat_map(|r| r.path.thinned(MAX_PATH_POINTS).map(|(_, row)| row))
            .filter(|r| r.w.x.abs() < 1e3 && r.w.y.abs() < 1e3)
        {
            v.x = [v.x[0].min(r.w.x), v.x[1].max(r.w.x)];
            v.y = [v.y[0].min(r.w.y), v.y[1].max(r.w.y)];
        }
        self.fit_to = Some(v);
        self.fit_explicit = true;
    }

    /// Takes a finished picture from the field thread, uploading its texture.
    fn take_field(
        &mut self,
        ctx: &egui::Context,
        fields: &FieldWorker,
        landscape: &Arc<Landscape>,
    ) {
        // Another landscape's picture stays on screen until this one's arrives (a frame or
        // two), unless a network is involved: its picture takes seconds, and a network's
        // path over another landscape's colours (or the reverse) would tell a wrong story.
        let foreign = |f: &FieldImage| {
            !Arc::ptr_eq(&f.landscape, landscape)
                && (f.landscape.net().is_some() || landscape.net().is_some())
        };
        if self.shown.as_deref().is_some_and(foreign) {
            self.shown = None;
            self.shown_surface = None;
        }
        let Some(latest) = fields.latest() else {
            return;
        };
        if foreign(&latest.image) {
            return;
        }
        // The same answer as last frame (a coarse preview and its refinement share an id).
        if self
            .shown
            .as_ref()
            .is_some_and(|s| Arc::ptr_eq(s, &latest.image))
        {
            return;
        }
        let field = &latest.image;
        let image = egui::ColorImage::from_rgba_unmultiplied([field.nx, field.ny], &field.rgba);
        match &mut self.texture {
            Some(t) => t.set(image, egui::TextureOptions::LINEAR),
            None => {
                self.texture =
                    Some(ctx.load_texture("landscape", image, egui::TextureOptions::LINEAR));
            }
        }
        self.shown = Some(Arc::clone(&latest.image));
        self.shown_surface = latest.surface.clone();
    }

    /// Asks for a new picture when the landscape changed, or the visible window is no longer
    /// covered by (or is much finer than) the one asked for last.
    fn request_field(&mut self, snap: &Snapshot, visible: &PlotBounds, fields: &FieldWorker) {
        let k = key(&snap.landscape);
        let (min, max) = (visible.min(), visible.max());
        let (w, h) = (max[0] - min[0], max[1] - min[1]);
        if !(w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0) {
            return;
        }
        let stale = (self.want_surface && !self.requested_surface)
            || match &self.requested {
                Some((rk, v)) if *rk == k => {
                    let covered = v.x[0] <= min[0]
                        && v.x[1] >= max[0]
                        && v.y[0] <= min[1]
                        && v.y[1] >= max[1];
                    let too_coarse = (v.x[1] - v.x[0]) > 3.0 * w || (v.y[1] - v.y[0]) > 3.0 * h;
                    !covered || too_coarse
                }
                _ => true,
            };
        if stale {
            // A margin around the visible window, so small pans need no new picture: half a
            // window on each side; a quarter with the 3-D surface, whose cells are square and
            // whose middle square of the visible window gets RESOLUTION samples a side.
            let margin = if self.want_surface { 0.25 } else { 0.5 };
            let view = View {
                x: [min[0] - margin * w, max[0] + margin * w],
                y: [min[1] - margin * h, max[1] + margin * h],
            };
            let cheap = snap.landscape.data().is_none() && snap.landscape.net().is_none();
            let (nx, ny) = if self.want_surface && cheap {
                let side = w.min(h);
                let n = |extent: f64| {
                    ((RESOLUTION as f64 * extent / side) as usize).clamp(RESOLUTION, 6 * RESOLUTION)
                };
                (n(view.x[1] - view.x[0]), n(view.y[1] - view.y[0]))
            } else {
                (RESOLUTION, RESOLUTION)
            };
            // A network's value is a pass over its data: as fine a grid as WINDOW_WORK allows
            // (smoothed up to the pixels).
            let (nx, ny) = budgeted_grid(nx, ny, snap.landscape.picture_cost(), WINDOW_WORK, 16);
            fields.request(FieldRequest {
                landscape: Arc::clone(&snap.landscape),
                view,
                focus: View {
                    x: [min[0], max[0]],
                    y: [min[1], max[1]],
                },
                nx,
                ny,
                gradient: self.want_surface,
            });
            self.requested = Some((k, view));
            self.requested_surface = self.want_surface;
        }
    }

    /// Shows the view; returns what the user changed.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        snap: &Snapshot,
        fields: &FieldWorker,
        shown: Shown,
    ) -> Option<ViewEdit> {
        let palette = Palette::of(ui.visuals());
        let k = key(&snap.landscape);
        if self.landscape_seen != Some(k) {
            // A new landscape opens on its own window (the saved one, the first time).
            if (self.landscape_seen.is_some() || self.fit_to.is_none()) && !self.fit_explicit {
                self.fit_to = Some(snap.fit_view);
            }
            self.landscape_seen = Some(k);
        }
        self.take_field(ui.ctx(), fields, &snap.landscape);
        self.hidden_view = None;

        // Grabbing the start point: decided from the press position and last frame's transform,
        // before the plot decides whether a drag pans.
        let start = marked_start(snap);
        let (pressed, down, press_origin) = ui.input(|i| {
            (
                i.pointer.primary_pressed(),
                i.pointer.primary_down(),
                i.pointer.press_origin(),
            )
        });
        // A network starts at θ₀ (its init), not at a point of the plane: nothing to grab.
        let movable = snap.landscape.net().is_none();
        if pressed && movable {
            self.dragging_start = match (&self.last_transform, press_origin) {
                (Some(t), Some(p)) => {
                    let s = t.position_from_point(&PlotPoint::new(start.x, start.y));
                    t.frame().contains(p) && s.distance(p) <= GRAB_RADIUS
                }
                _ => false,
            };
        } else if !down {
            self.dragging_start = false;
        }

        let mut edit = None;
        let avail = ui.available_size();
        let plot_size = egui::vec2((avail.x - BAR_WIDTH).max(50.0), avail.y.max(50.0));
        ui.horizontal(|ui| {
            let response = ui
                .allocate_ui(plot_size, |ui| self.plot_ui(ui, snap, &palette, shown))
                .inner;
            if let Some(e) = response {
                edit = Some(e);
            }
            ui.allocate_ui(egui::vec2(BAR_WIDTH, plot_size.y), |ui| {
                colour_bar_ui(ui, self.shown.as_deref());
            });
        });
        if let Some(t) = self.last_transform {
            let bounds = *t.bounds();
            self.request_field(snap, &bounds, fields);
            // A picture that takes a while (a logistic fit over many points, a network's plane)
            // says how far along it is: before its coarse preview, and over it.
            if let Some((_, done)) = fields.busy()
                && self.shown.as_ref().is_none_or(|f| f.nx < RESOLUTION)
            {
                let what = if self.shown.is_some() {
                    "Refining the picture"
                } else {
                    "Working out the picture"
                };
                let at = t.frame().left_top() + egui::vec2(8.0, 6.0);
                ui.put(
                    egui::Rect::from_min_size(at, egui::vec2(240.0, 18.0)),
                    egui::Label::new(
                        egui::RichText::new(format!("{what}… {:.0} %", done * 100.0))
                            .small()
                            .background_color(ui.visuals().extreme_bg_color),
                    ),
                );
            }
        }
        edit
    }

    fn plot_ui(
        &mut self,
        ui: &mut Ui,
        snap: &Snapshot,
        palette: &Palette,
        draw: Shown,
    ) -> Option<ViewEdit> {
        // The plot keeps one unit the same length on both axes by shrinking w1's range to the
        // frame; widen the narrower side first so the whole window stays in view.
        self.fit_explicit = false;
        // A data landscape's slope and intercept can differ by orders of magnitude (Norris:
        // ±1 against ±300), so its axes are scaled apart; any other keeps w0 and w1 alike.
        let equal_axes = snap.landscape.data().is_none();
        let size = ui.available_size();
        // The frame this plot will have: last frame's, grown or shrunk with the space given.
        let frame = match (&self.last_transform, self.last_size) {
            (Some(t), Some(last)) => Some(t.frame().size() + (size - last)),
            (Some(t), None) => Some(t.frame().size()),
            _ => None,
        };
        let resized = self
            .last_size
            .is_some_and(|last| (last - size).abs().max_elem() > 0.5);
        if resized && self.fit_to.is_none() {
            self.fit_to = self.intent;
        }
        self.last_size = Some(size);
        let fitting = self.fit_to.take();
        let fit_to = fitting.map(|v| match frame {
            Some(f) if equal_axes && f.x > 0.0 && f.y > 0.0 => expand_to_aspect(v, f.x, f.y),
            _ => v,
        });
        let before = self.visible();
        let frame_before = self.last_transform.map(|t| t.frame().size());
        let shown = self.shown.clone();
        let texture = self.texture.as_ref().map(|t| t.id());
        let formatter_field = shown.clone();
        // A network's map is a plane through θ-space: its axes are the plane's coordinates.
        let [xname, yname] = snap
            .landscape
            .net()
            .map_or_else(|| ["w0".to_owned(), "w1".to_owned()], |n| n.axis_names());
        let (xhover, yhover) = (xname.clone(), yname.clone());
        let mut plot = Plot::new("landscape");
        if equal_axes {
            plot = plot.data_aspect(1.0);
        }
        let plot = plot
            .auto_bounds(false)
            .allow_double_click_reset(false)
            .allow_drag(!self.dragging_start)
            .allow_scroll(false)
            .x_grid_spacer(nice_grid)
            .x_axis_formatter(nice_label)
            .x_axis_label(xname)
            .y_axis_label(yname)
            .label_formatter(move |pos| {
                let p = match pos {
                    egui_plot::HoverPosition::NearDataPoint { position, .. } => *position,
                    egui_plot::HoverPosition::Elsewhere { position } => *position,
                };
                let loss = formatter_field
                    .as_deref()
                    .and_then(|f| sample(f, p.x, p.y))
                    .map_or_else(|| "undefined".to_owned(), sig);
                Some(format!(
                    "{xhover} = {:.4}\n{yhover} = {:.4}\nL ≈ {loss}",
                    p.x, p.y
                ))
            });
        let start = marked_start(snap);
        // A race too large for the legend: each run's number beside its live end.
        let end_labels =
            crate::ui::plot::items::end_labels::labelled(snap.setup.runs.len()).then(|| {
                crate::ui::plot::items::end_labels::EndLabels::new(
                    ui,
                    run_ends(snap, palette, draw.upto),
                )
            });
        let response = plot.legend(self.legend(ui, snap, draw)).show(ui, |pui| {
            wheel_zoom(pui);
            if let Some(v) = fit_to {
                pui.set_plot_bounds(PlotBounds::from_min_max([v.x[0], v.y[0]], [v.x[1], v.y[1]]));
            }
            if let (Some(f), Some(tex)) = (&shown, texture) {
                let v = f.view;
                let center = PlotPoint::new((v.x[0] + v.x[1]) / 2.0, (v.y[0] + v.y[1]) / 2.0);
                let size = egui::vec2((v.x[1] - v.x[0]) as f32, (v.y[1] - v.y[0]) as f32);
                pui.image(PlotImage::new("", tex, center, size));
                pui.add(ContourItem::new(
                    f,
                    Arc::clone(&self.contours),
                    Stroke::new(draw.line_scale.max(1.0), palette.contour),
                ));
            }
            if !snap.minima.is_empty() {
                let pts: Vec<[f64; 2]> = snap.minima.iter().map(|m| [m.x, m.y]).collect();
                pui.points(
                    Points::new("Minima", pts)
                        .shape(MarkerShape::Plus)
                        .radius(7.0)
                        .color(palette.minimum),
                );
            }
            scatter_items(pui, snap, palette);
            while self.paths.len() < snap.runs.len() {
                self.paths.push(Arc::default());
            }
            for k in 0..snap.runs.len() {
                path_items(pui, snap, palette, k, draw, &self.paths[k]);
            }
            if let Some(labels) = end_labels {
                pui.add(labels);
            }
            pui.points(
                Points::new("", vec![[start.x, start.y]])
                    .shape(MarkerShape::Circle)
                    .filled(false)
                    .radius(7.0)
                    .color(palette.start),
            );
            pui.pointer_coordinate()
        });
        self.last_transform = Some(response.transform);
        // What the user now means to see: what was just fitted, or what a pan or a zoom left
        // (a frame of the same size showing another window).
        let now = self.visible();
        let frame_changed = frame_before
            .is_some_and(|f| (f - response.transform.frame().size()).abs().max_elem() > 0.5);
        if fitting.is_some() {
            self.intent = fitting;
        } else if resized || frame_changed {
            // The frame settled to another size than foreseen (its axes' labels changed width):
            // fitted again at the next frame, with the frame it has now.
            if frame_changed && self.fit_to.is_none() {
                self.fit_to = self.intent;
            }
        } else if now != before {
            self.intent = now;
        }
        let movable = snap.landscape.net().is_none();
        let _ = response
            .response
            .clone()
            .accessible_name("Loss landscape")
            .on_hover_text(if movable {
                "Click to start here; drag the start point; scroll to zoom, drag to pan"
            } else {
                "The circle is θ₀ on the plane (the init seed sets it); scroll to zoom, drag to pan"
            });
        if self.dragging_start {
            return response
                .inner
                .map(|p| ViewEdit::MoveStart(Vec2::new(p.x, p.y)));
        }
        if response.response.clicked()
            && movable
            && let Some(p) = response.inner
        {
            return Some(ViewEdit::MoveStart(Vec2::new(p.x, p.y)));
        }
        None
    }
}

/// Where the start circle goes: the setup's start, or on a network θ₀ projected onto the
/// plane (the first run's row 0; every run starts there).
pub(crate) fn marked_start(snap: &Snapshot) -> Vec2 {
    if snap.landscape.net().is_some()
        && let Some((_, row)) = snap.runs.first().and_then(|r| r.path.iter().next())
    {
        return row.w;
    }
    snap.setup.start()
}

impl LandscapeView {
    /// The legend, in a corner that covers neither the start point nor a path's live end
    /// (where they were on screen last frame).
    fn legend(&self, ui: &Ui, snap: &Snapshot, draw: Shown) -> Legend {
        let in_legend = !crate::ui::plot::items::end_labels::labelled(snap.setup.runs.len());
        let mut names: Vec<String> = snap
            .setup
            .runs
            .iter()
            .enumerate()
            .filter(|(_, r)| r.shown && in_legend)
            .map(|(k, r)| format!("{} — converging", crate::ui::widgets::run_label(k, r)))
            .collect();
        names.extend(["Minima".to_owned(), "Downhill (−gradient)".to_owned()]);
        let size = legend_size(ui, egui::TextStyle::Small, &names);
        let corner = match &self.last_transform {
            Some(t) => {
                let mut keep = vec![marked_start(snap)];
                for run in &snap.runs {
                    let end = draw.upto.map_or(run.path.len(), |s| s as usize + 1);
                    if let Some((_, r)) = run.path.at_or_before(end.saturating_sub(1)) {
                        keep.push(r.w);
                    }
                }
                let keep: Vec<Pos2> = keep
                    .iter()
                    .filter(|w| w.x.is_finite() && w.y.is_finite())
                    .map(|w| t.position_from_point(&PlotPoint::new(w.x, w.y)))
                    .collect();
                free_corner(*t.frame(), size, &keep)
            }
            None => Corner::RightTop,
        };
        Legend::default()
            .position(corner)
            .text_style(egui::TextStyle::Small)
    }
}

/// Each shown run's point at the shown step (its live end, or where the timeline is), with its
/// colour: where its number is written in a race too large for the legend.
fn run_ends(
    snap: &Snapshot,
    palette: &Palette,
    upto: Option<u64>,
) -> Vec<(usize, PlotPoint, egui::Color32)> {
    snap.runs
        .iter()
        .enumerate()
        .filter(|(k, _)| snap.setup.runs.get(*k).is_some_and(|r| r.shown))
        .filter_map(|(k, run)| {
            let end = upto.map_or(run.path.len(), |s| (s as usize + 1).min(run.path.len()));
            let (_, row) = run.path.at_or_before(end.saturating_sub(1))?;
            Some((k, PlotPoint::new(row.w.x, row.w.y), palette.run(k)))
        })
        .collect()
}

/// `v` widened (never narrowed) about its centre so width : height = `w` : `h`.
fn expand_to_aspect(v: View, w: f32, h: f32) -> View {
    let (w, h) = (f64::from(w), f64::from(h));
    if !(w > 0.0 && h > 0.0) {
        return v;
    }
    let (dx, dy) = (v.x[1] - v.x[0], v.y[1] - v.y[0]);
    let (cx, cy) = ((v.x[0] + v.x[1]) / 2.0, (v.y[0] + v.y[1]) / 2.0);
    let (dx, dy) = if dx / dy < w / h {
        (dy * w / h, dy)
    } else {
        (dx, dx * h / w)
    };
    View {
        x: [cx - dx / 2.0, cx + dx / 2.0],
        y: [cy - dy / 2.0, cy + dy / 2.0],
    }
}

/// What of the runs to draw: the run the controls edit (its arrows are drawn) and, while the
/// timeline is scrubbed back, the step to draw them at.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Shown {
    pub focus: usize,
    pub upto: Option<u64>,
    /// Line widths are multiplied by this (presentation mode draws thicker lines).
    pub line_scale: f32,
}

/// The paths from the scattered starts: thin, with a dot where each is; in their run's colour,
/// or, with a single run, in the colour of the minimum they reached (its basin of attraction).
/// A scattered start's colour: with one racing run, the colour of the minimum it reached (its
/// basin); with several, its run's.
pub fn scatter_colour(
    snap: &Snapshot,
    palette: &Palette,
    t: &crate::live::stepper::ScatterView,
) -> Color32 {
    match (snap.runs.len() == 1, t.basin) {
        (true, Some(i)) => palette.basin(i),
        (true, None) => palette.minimum.gamma_multiply(0.6),
        (false, _) => palette.run(t.run),
    }
}

fn scatter_items(pui: &mut egui_plot::PlotUi<'_>, snap: &Snapshot, palette: &Palette) {
    let color_of = |t: &crate::live::stepper::ScatterView| scatter_colour(snap, palette, t);
    let mut ends: Vec<([f64; 2], Color32)> = Vec::new();
    for t in &snap.scatter {
        if !snap.setup.runs.get(t.run).is_some_and(|r| r.shown) {
            continue;
        }
        let pts: Vec<[f64; 2]> = t
            .trail
            .iter()
            .filter(|w| w.x.is_finite() && w.y.is_finite())
            .map(|w| [w.x, w.y])
            .collect();
        let c = color_of(t);
        if let Some(&last) = pts.last() {
            ends.push((last, c));
        }
        if let Some(&first) = pts.first() {
            pui.points(
                Points::new("", vec![first])
                    .shape(MarkerShape::Circle)
                    .filled(false)
                    .radius(2.5)
                    .color(c),
            );
        }
        pui.line(
            Line::new("", pts)
                .color(Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), 170))
                .width(1.2),
        );
    }
    for (p, c) in ends {
        pui.points(Points::new("", vec![p]).radius(3.5).color(c));
    }
}

/// Run `k`'s path, its markers and current point; for the selected run also the arrows.
fn path_items(
    pui: &mut egui_plot::PlotUi<'_>,
    snap: &Snapshot,
    palette: &Palette,
    k: usize,
    shown: Shown,
    cache: &Arc<Mutex<LineCache>>,
) {
    let (Some(spec), Some(run)) = (snap.setup.runs.get(k), snap.runs.get(k)) else {
        return;
    };
    if !spec.shown {
        return;
    }
    let color = palette.run(k);
    let end = shown
        .upto
        .map_or(run.path.len(), |s| (s as usize + 1).min(run.path.len()));
    // Rows with non-finite coordinates are not drawn; the rest, even a diverging row far
    // outside, are (the plot clips them, and its bounds do not follow them).
    // A long path is thinned to what a screen can show (its latest part kept whole).
    let key = {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (snap.generation, k, run.path.len(), end).hash(&mut h);
        h.finish()
    };
    let pts = cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .data(key, || {
            run.path
                .thinned_to(end, MAX_PATH_POINTS)
                .map(|(_, r)| r)
                .filter(|r| r.w.x.is_finite() && r.w.y.is_finite())
                .map(|r| [r.w.x, r.w.y])
                .collect()
        });
    // In a race too large for the legend the line is unnamed (left out of the legend) and
    // its number is written beside its end instead.
    let name = if crate::ui::plot::items::end_labels::labelled(snap.setup.runs.len()) {
        String::new()
    } else {
        format!(
            "{} — {}",
            crate::ui::widgets::run_label(k, spec),
            run.words()
        )
    };
    pui.add(CachedLine::new(
        name,
        Arc::clone(cache),
        Stroke::new(2.0, color),
    ));
    let b = pui.plot_bounds();
    let view = View {
        x: [b.min()[0], b.max()[0]],
        y: [b.min()[1], b.max()[1]],
    };
    if pts.len() <= 2000 {
        // Only the points near the window: one at 1e30 would be drawn at the frame.
        let near = View {
            x: [view.x[0] - b.width(), view.x[1] + b.width()],
            y: [view.y[0] - b.height(), view.y[1] + b.height()],
        };
        pui.points(
            Points::new(
                "",
                pts.iter()
                    .filter(|p| {
                        (near.x[0]..=near.x[1]).contains(&p[0])
                            && (near.y[0]..=near.y[1]).contains(&p[1])
                    })
                    .copied()
                    .collect::<Vec<_>>(),
            )
            .radius(2.5)
            .color(color),
        );
    }
    // An end outside the window (a run that blew up) is an arrow at the edge, saying so.
    let along: Vec<Vec2> = pts.iter().map(|p| Vec2::new(p[0], p[1])).collect();
    if let Some(exit) = downhill_engine::picture::exit::exit(&view, &along) {
        exit_arrow(
            pui,
            exit,
            b.width(),
            b.height(),
            color,
            exit_label(run.status),
        );
        return;
    }
    let Some((_, row)) = run.path.at_or_before(end.saturating_sub(1)) else {
        return;
    };
    if !(row.w.x.is_finite() && row.w.y.is_finite()) {
        return;
    }
    pui.points(
        Points::new("", vec![[row.w.x, row.w.y]])
            .radius(6.0)
            .color(color),
    );
    pui.points(
        Points::new("", vec![[row.w.x, row.w.y]])
            .radius(2.5)
            .color(palette.current),
    );
    let live = end >= run.path.len();
    if k != shown.focus || (live && run.status == downhill_engine::run::Status::Converged) {
        // At the minimum the gradient's direction is rounding noise: no arrows.
        return;
    }
    // Arrows are drawn at a fixed fraction of the view, so the direction reads at any scale.
    let len = 0.12 * (b.width().powi(2) + b.height().powi(2)).sqrt();
    let arrow = |d: Vec2| {
        let n = d.norm();
        (n.is_finite() && n > 0.0).then(|| row.w + d * (len / n))
    };
    if let Some(tip) = arrow(-row.grad) {
        pui.arrows(
            Arrows::new(
                "Downhill (−gradient)",
                vec![[row.w.x, row.w.y]],
                vec![[tip.x, tip.y]],
            )
            .color(palette.gradient_arrow)
            .tip_length(10.0),
        );
    }
    let velocity = if live { run.velocity } else { None };
    if let Some(tip) = velocity.and_then(|v| arrow(-v)) {
        pui.arrows(
            Arrows::new("Velocity", vec![[row.w.x, row.w.y]], vec![[tip.x, tip.y]])
                .color(palette.velocity_arrow)
                .tip_length(10.0),
        );
    }
}

/// What the arrow at the edge says of a run whose end is outside the window: a run that blew
/// up says so; any other is an arrow alone.
pub fn exit_label(status: downhill_engine::run::Status) -> &'static str {
    use downhill_engine::run::Status;
    match status {
        Status::Diverged | Status::Diverging | Status::LeftDomain => status.name(),
        _ => "",
    }
}

/// An arrow ending at the edge where a path leaves the window, in the run's colour, with the
/// run's fate written at its tail (inside the window).
fn exit_arrow(
    pui: &mut egui_plot::PlotUi<'_>,
    exit: downhill_engine::picture::exit::Exit,
    width: f64,
    height: f64,
    color: Color32,
    label: &str,
) {
    // A tenth of the window long, measured per axis so it reads on a data landscape's unequal
    // axes too.
    let d = Vec2::new(exit.dir.x * width, exit.dir.y * height);
    let d = d / d.norm().max(f64::MIN_POSITIVE) * 0.1;
    let tail = Vec2::new(exit.at.x - d.x * width, exit.at.y - d.y * height);
    pui.arrows(
        Arrows::new("", vec![[tail.x, tail.y]], vec![[exit.at.x, exit.at.y]])
            .color(color)
            .tip_length(14.0),
    );
    // The words on the inside of the tail, away from the edge.
    let side = |v: f64| {
        if v > 0.3 {
            egui::Align::Max
        } else if v < -0.3 {
            egui::Align::Min
        } else {
            egui::Align::Center
        }
    };
    let anchor = egui::Align2([side(d.x), side(-d.y)]);
    if label.is_empty() {
        return;
    }
    pui.text(
        egui_plot::Text::new("", PlotPoint::new(tail.x, tail.y), label)
            .color(color)
            .anchor(anchor),
    );
}

/// The value at (x, y) read from the picture's grid (no evaluation on the UI thread).
fn sample(f: &FieldImage, x: f64, y: f64) -> Option<f64> {
    let v = f.view;
    let i = ((x - v.x[0]) / (v.x[1] - v.x[0]) * f.nx as f64).floor();
    let j = ((y - v.y[0]) / (v.y[1] - v.y[0]) * f.ny as f64).floor();
    if !(i >= 0.0 && j >= 0.0 && (i as usize) < f.nx && (j as usize) < f.ny) {
        return None;
    }
    f.values
        .get(j as usize * f.nx + i as usize)
        .copied()
        .filter(|v| v.is_finite())
}

/// The colour bar: the map from loss to colour, with the range's ends and middle labelled.
fn colour_bar_ui(ui: &mut Ui, field: Option<&FieldImage>) {
    let Some(f) = field else { return };
    let Some((lo, hi)) = f.range else { return };
    let rect = ui.available_rect_before_wrap();
    let bar = egui::Rect::from_min_max(
        egui::pos2(rect.left() + 6.0, rect.top() + 20.0),
        egui::pos2(rect.left() + 20.0, rect.bottom() - 40.0),
    );
    if bar.height() < 20.0 {
        return;
    }
    let painter = ui.painter();
    let n = 64;
    let mut mesh = egui::Mesh::default();
    for k in 0..=n {
        let t = k as f64 / n as f64;
        let c = downhill_engine::picture::field::viridis(t);
        let y = bar.bottom() - (t as f32) * bar.height();
        let color = Color32::from_rgb(c[0], c[1], c[2]);
        mesh.colored_vertex(egui::pos2(bar.left(), y), color);
        mesh.colored_vertex(egui::pos2(bar.right(), y), color);
        if k > 0 {
            let i = (2 * k) as u32;
            mesh.add_triangle(i - 2, i - 1, i);
            mesh.add_triangle(i - 1, i, i + 1);
        }
    }
    painter.add(Shape::mesh(mesh));
    let text_color = ui.visuals().text_color();
    let font = crate::ui::text_size::small(ui);
    // The value at fraction t of the bar, by the same rule as the colours.
    let value_at = |t: f64| downhill_engine::picture::field::colour_value(lo, hi, f.log, t);
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let y = bar.bottom() - (t as f32) * bar.height();
        painter.text(
            Pos2::new(bar.right() + 3.0, y),
            egui::Align2::LEFT_CENTER,
            sig(value_at(t)),
            font.clone(),
            text_color,
        );
    }
    painter.text(
        Pos2::new(bar.left(), rect.top() + 4.0),
        egui::Align2::LEFT_TOP,
        if f.log { "L (log)" } else { "L" },
        font,
        text_color,
    );
}
