//! The 3-D view: the heat map's picture as a surface, with the same runs at the same step in
//! the same colours. Drag to orbit, shift-drag to pan, scroll to zoom, double-click to reset;
//! named views; a slow turn in presentation mode. The scene is built from the engine's
//! vertices ([`downhill_engine::picture::surface`]) and drawn by [`super::gpu3d`].

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use eframe::egui::{self, RichText, Ui};

use crate::live::stepper::Snapshot;
use crate::ui::palette::Palette;
use crate::ui::plot::gpu3d::{Callback, Scene};
use downhill_engine::picture::surface::{
    Camera, Footprint, MAX_PATH_POINTS, Mesh, NamedView, ball, floor_contours, on_surface,
    over_footprint, path_ribbon,
};

/// Degrees of orbit per point dragged.
const ORBIT_PER_POINT: f64 = 0.4;
/// Degrees per second of the presentation mode's turn.
const AUTO_TURN: f64 = 6.0;

fn rgba(c: egui::Color32) -> [f32; 4] {
    let [r, g, b, a] = c.to_array();
    [r, g, b, a].map(|v| f32::from(v) / 255.0)
}

/// The 3-D view's state: the camera, and the scene parts built for the data they show.
#[derive(Default)]
pub struct SurfaceView {
    pub camera: Camera,
    /// The floor lines, for the surface (held) and theme they were made for.
    lines: Option<(Arc<Mesh>, bool, Arc<Vec<f32>>)>,
    /// The paths and balls, for the surface (held) and the key of what they show.
    overlay: Option<Overlay>,
}

/// (the surface, the key of what is shown, the path ribbons, the balls).
type Overlay = (Arc<Mesh>, u64, Arc<Mesh>, Arc<Mesh>);

impl SurfaceView {
    /// Shows the view of `picture` (the heat map's) and its `surface` with the runs at `upto`; `gpu` says
    /// whether anything can be drawn, `turning` turns the camera slowly (presentation).
    #[allow(clippy::too_many_arguments)]
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        snap: &Snapshot,
        picture: Option<&Arc<downhill_engine::picture::image::FieldImage>>,
        surface: Option<Arc<Mesh>>,
        upto: Option<u64>,
        gpu: bool,
        turning: bool,
        alone: &mut bool,
    ) {
        let palette = Palette::of(ui.visuals());
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(alone, "3-D only").on_hover_text(
                "The 3-D view instead of the map (the map's window still decides what is shown)",
            );
            ui.label("View");
            for v in NamedView::ALL {
                if ui
                    .button(v.name())
                    .on_hover_text(match v {
                        NamedView::Top => "From above: the same picture as the 2-D view",
                        NamedView::Front => "Along w1, from below",
                        NamedView::Side => "Along w0, from the right",
                        NamedView::Isometric => "From a corner, above",
                    })
                    .clicked()
                {
                    let distance = self.camera.distance;
                    self.camera = Camera::named(v);
                    self.camera.distance = distance;
                }
            }
            if ui
                .button("Reset view")
                .on_hover_text("The isometric view at its distance, centred (or double-click)")
                .clicked()
            {
                self.camera = Camera::default();
            }
            ui.label(
                RichText::new(format!(
                    "azimuth {:.0}°, elevation {:.0}°",
                    self.camera.azimuth, self.camera.elevation
                ))
                .small()
                .weak(),
            );
        });
        let (rect, resp) =
            ui.allocate_exact_size(ui.available_size(), egui::Sense::click_and_drag());
        let resp = resp.accessible_name("3-D landscape").on_hover_text(
            "Drag to orbit, shift-drag to pan, scroll to zoom, double-click to reset",
        );
        // The camera.
        if resp.double_clicked() {
            self.camera = Camera::default();
        } else if resp.dragged() {
            let d = resp.drag_delta();
            if ui.input(|i| i.modifiers.shift) {
                let s = f64::from(rect.height().max(1.0));
                self.camera.pan(-f64::from(d.x) / s, f64::from(d.y) / s);
            } else {
                self.camera.orbit(
                    -f64::from(d.x) * ORBIT_PER_POINT,
                    f64::from(d.y) * ORBIT_PER_POINT,
                );
            }
        }
        if resp.hovered() {
            let scroll = ui.input(|i| i.smooth_scroll_delta.y);
            if scroll != 0.0 {
                self.camera.zoom((-f64::from(scroll) * 0.002).exp());
            }
        }
        if turning {
            let dt = f64::from(ui.input(|i| i.stable_dt).min(0.1));
            self.camera.orbit(AUTO_TURN * dt, 0.0);
            ui.ctx().request_repaint();
        }

        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, ui.visuals().extreme_bg_color);
        // A message in the middle of the view, instead of the surface.
        let weak = ui.visuals().weak_text_color();
        let say = |text: &str| {
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                text,
                crate::ui::text_size::body(ui),
                weak,
            );
        };
        if !gpu {
            say(
                "3-D needs eframe's wgpu renderer, which this window does not have:\nthe 2-D view goes on.",
            );
            return;
        }
        let Some(picture) = picture else {
            say("Computing the surface…");
            return;
        };
        let Some(surface) = surface else {
            say("Computing the surface…");
            return;
        };
        if surface.indices.is_empty() {
            say("No finite values in this window: nothing to draw in 3-D");
            return;
        }
        let dark = ui.visuals().dark_mode;
        let scene = self.scene(snap, picture, surface, upto, &palette, rect, dark);
        painter.add(egui::Shape::Callback(
            eframe::egui_wgpu::Callback::new_paint_callback(rect, Callback(scene)),
        ));
    }

    /// Everything one frame draws; the lines and paths are rebuilt only when what they show
    /// (or the theme) changed.
    #[allow(clippy::too_many_arguments)]
    pub fn scene(
        &mut self,
        snap: &Snapshot,
        picture: &Arc<downhill_engine::picture::image::FieldImage>,
        surface: Arc<Mesh>,
        upto: Option<u64>,
        palette: &Palette,
        rect: egui::Rect,
        ui_dark: bool,
    ) -> Scene {
        let dark = ui_dark;
        let foot = Footprint {
            view: surface.footprint.unwrap_or(picture.view),
        };
        let scale = surface.scale;
        let lines = match &self.lines {
            Some((m, d, l)) if Arc::ptr_eq(m, &surface) && *d == dark => Arc::clone(l),
            _ => {
                let mut l =
                    floor_contours(&surface, &foot, rgba(palette.contour.gamma_multiply(1.6)));
                // The minima over the surface: a post from the floor up to the surface.
                if let Some(scale) = &scale {
                    for m in &snap.minima {
                        let base = foot.world(*m, -0.05);
                        if !over_footprint(base) {
                            continue;
                        }
                        let top = on_surface(&foot, scale, *m, snap.landscape.value(*m));
                        for p in [base, top] {
                            l.extend_from_slice(&p);
                            l.extend_from_slice(&[0.0; 3]);
                            l.extend_from_slice(&rgba(palette.minimum));
                        }
                    }
                }
                let l = Arc::new(l);
                self.lines = Some((Arc::clone(&surface), dark, Arc::clone(&l)));
                l
            }
        };
        let key = {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (snap.generation, upto, dark).hash(&mut h);
            for (k, r) in snap.runs.iter().enumerate() {
                (
                    k,
                    r.path.len(),
                    snap.setup.runs.get(k).is_some_and(|s| s.shown),
                )
                    .hash(&mut h);
            }
            for t in &snap.scatter {
                (t.trail.len(), t.basin).hash(&mut h);
            }
            h.finish()
        };
        let (paths, balls) = match &self.overlay {
            Some((m, k, p, b)) if Arc::ptr_eq(m, &surface) && *k == key => {
                (Arc::clone(p), Arc::clone(b))
            }
            _ => {
                let mut paths = Mesh::default();
                let mut balls = Mesh::default();
                if let Some(scale) = &scale {
                    for (k, run) in snap.runs.iter().enumerate() {
                        if !snap.setup.runs.get(k).is_some_and(|s| s.shown) {
                            continue;
                        }
                        let end =
                            upto.map_or(run.path.len(), |s| (s as usize + 1).min(run.path.len()));
                        let colour = rgba(palette.run(k));
                        path_ribbon(
                            &mut paths,
                            run.path
                                .thinned_to(end, MAX_PATH_POINTS)
                                .map(|(_, r)| (r.w, r.loss)),
                            &foot,
                            scale,
                            colour,
                            0.012,
                        );
                        if let Some((_, r)) =
                            end.checked_sub(1).and_then(|e| run.path.at_or_before(e))
                            && r.w.x.is_finite()
                            && r.w.y.is_finite()
                        {
                            let p = on_surface(&foot, scale, r.w, r.loss);
                            if over_footprint(p) {
                                ball(&mut balls, p, 0.03, colour);
                            }
                        }
                    }
                    // The scattered starts' trails, thinner, coloured as in the map; their
                    // heights from the picture's values (constant cost per point, even on
                    // data).
                    let mut scratch = Vec::new();
                    for t in &snap.scatter {
                        if !snap.setup.runs.get(t.run).is_some_and(|r| r.shown) {
                            continue;
                        }
                        let xs: Vec<f64> = t.trail.iter().map(|w| w.x).collect();
                        let ys: Vec<f64> = t.trail.iter().map(|w| w.y).collect();
                        let mut values = vec![f64::NAN; xs.len()];
                        snap.landscape
                            .eval_many(&xs, &ys, &mut values, &mut scratch);
                        let colour = rgba(crate::ui::plot::landscape_view::scatter_colour(
                            snap, palette, t,
                        ));
                        path_ribbon(
                            &mut paths,
                            t.trail.iter().copied().zip(values),
                            &foot,
                            scale,
                            colour,
                            0.006,
                        );
                    }
                    // The start, white (its loss is any run's row 0: nothing to evaluate).
                    if let Some(r0) = snap.runs.first().and_then(|r| r.path.get(0)) {
                        let p = on_surface(&foot, scale, r0.w, r0.loss);
                        if over_footprint(p) {
                            ball(&mut balls, p, 0.018, [1.0; 4]);
                        }
                    }
                }
                let paths = Arc::new(paths);
                let balls = Arc::new(balls);
                self.overlay = Some((
                    Arc::clone(&surface),
                    key,
                    Arc::clone(&paths),
                    Arc::clone(&balls),
                ));
                (paths, balls)
            }
        };
        let aspect = f64::from(rect.width() / rect.height().max(1.0));
        let m = self.camera.view_proj(aspect);
        let mut view_proj = [0f32; 16];
        view_proj.copy_from_slice(m.as_slice());
        Scene {
            surface,
            lines,
            paths,
            balls,
            view_proj,
        }
    }
}
