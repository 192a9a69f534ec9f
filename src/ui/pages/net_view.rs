//! The Data page of a network: what the network does with its inputs at the shown step. Over
//! two inputs, its output as a coloured image (TensorFlow Playground's decision regions: the
//! probability of label 1 for bce, the output itself for mse) under the points coloured by
//! label; over one input, the fitted curve through the points. The image is worked out on a
//! thread of its own from θ of the step shown, which the stepper sends in the snapshot.

use std::sync::Arc;

use eframe::egui::{self, Color32, RichText, Ui};
use egui_plot::{Line, PlotBounds, PlotImage, PlotPoint, PlotPoints, Points};

use crate::live::stepper::Snapshot;
use crate::live::workers::{RegionsRequest, RegionsWorker};
use crate::ui::palette::Palette;
use crate::ui::plot::still_plot::still_plot;
use crate::ui::settings::SidePage;
use downhill_engine::landscape::LandscapeSpec;
use downhill_engine::net::regions::Shape;

/// Samples a side of the regions image: a 64×64 grid (4,096 passes of the network).
const SIZE: usize = 64;
/// Points drawn at most.
const MAX_DRAWN: usize = 5000;

/// The page: its thread, what it asked for last, and the image of the newest answer.
pub struct NetView {
    worker: RegionsWorker,
    /// (problem, generation, run, step) of the last request.
    asked: Option<(usize, (u64, usize, u64))>,
    texture: Option<(egui::TextureHandle, usize)>,
}

impl NetView {
    /// The page, its pictures worked out on a thread that calls `notify` with news.
    pub fn spawn(notify: impl Fn() + Send + 'static) -> std::io::Result<Self> {
        Ok(Self {
            worker: crate::live::workers::spawn_regions(notify)?,
            asked: None,
            texture: None,
        })
    }

    fn view_ui(&mut self, ui: &mut Ui, snap: &Snapshot) {
        let Some(l) = snap.landscape.net() else {
            ui.label("Pick Neural network in the landscape picker to see what it learns.");
            return;
        };
        let palette = Palette::of(ui.visuals());
        let data = &l.problem.data;
        ui.label(
            RichText::new(format!(
                "{}: {} points, {}",
                data.name,
                data.len(),
                l.problem.net.spec.describe()
            ))
            .strong(),
        );
        // Ask for the regions of the step shown, once the thread is free (a request every
        // frame while it computes would cancel every answer).
        let problem_id = Arc::as_ptr(&l.problem) as usize;
        if let Some(t) = &snap.theta {
            let key = (snap.generation, t.run, t.step);
            if self.asked != Some((problem_id, key)) && self.worker.busy().is_none() {
                self.worker.request(RegionsRequest {
                    problem: Arc::clone(&l.problem),
                    theta: Arc::clone(&t.theta),
                    key,
                    size: SIZE,
                });
                self.asked = Some((problem_id, key));
            }
        }
        let answer = self
            .worker
            .latest()
            .filter(|a| Arc::ptr_eq(&a.problem, &l.problem));
        let Some(answer) = answer else {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Working out what the network does…");
            });
            return;
        };
        let regions = match &answer.regions {
            Ok(r) => r,
            Err(e) => {
                ui.label(e);
                return;
            }
        };
        let (_, run, step) = answer.key;
        let mut said = format!("Run {} at step {step}", run + 1);
        if let Some(a) = regions.accuracy {
            said += &format!(": training accuracy {:.1} %", 100.0 * a);
        }
        let behind = snap
            .theta
            .as_ref()
            .is_some_and(|t| (snap.generation, t.run, t.step) != answer.key);
        if behind {
            said += " (catching up)";
        }
        ui.label(said).on_hover_text(
            "The step the picture shows: the live step, or the step chosen on the Step \
             arithmetic page's timeline",
        );

        let point_of = |i: usize| data.x(i).to_vec();
        let every = data.len().div_ceil(MAX_DRAWN).max(1);
        let outline = ui.visuals().text_color();
        match &regions.shape {
            Shape::Grid {
                x,
                y,
                cols,
                rows,
                values,
            } => {
                let tex_id = Arc::as_ptr(&answer) as usize;
                if self.texture.as_ref().map(|(_, id)| *id) != Some(tex_id) {
                    let image = region_image(values, *cols, *rows, regions.scale, &palette, ui);
                    match &mut self.texture {
                        Some((t, id)) => {
                            t.set(image, egui::TextureOptions::LINEAR);
                            *id = tex_id;
                        }
                        None => {
                            let t = ui.ctx().load_texture(
                                "decision regions",
                                image,
                                egui::TextureOptions::LINEAR,
                            );
                            self.texture = Some((t, tex_id));
                        }
                    }
                }
                let Some((texture, _)) = &self.texture else {
                    return;
                };
                let mut class: [Vec<[f64; 2]>; 2] = [Vec::new(), Vec::new()];
                for i in (0..data.len()).step_by(every) {
                    let p = point_of(i);
                    let c = usize::from(data.y[i] > 0.5);
                    class[c].push([p[0], p[1]]);
                }
                let (xname, yname) = (
                    data.names.first().cloned().unwrap_or_default(),
                    data.names.get(1).cloned().unwrap_or_default(),
                );
                let label = |k: usize| {
                    let name = data.names.last().map_or("y", String::as_str);
                    format!("{name} = {k}")
                };
                // The plot as wide as the panel and as tall as the inputs' box, so the image
                // fills it at equal scales.
                let aspect = ((x[1] - x[0]) / (y[1] - y[0])) as f32;
                let resp = still_plot("network regions", &xname, &yname)
                    .data_aspect(1.0)
                    .view_aspect(aspect.clamp(0.25, 4.0))
                    .show(ui, |pui| {
                        pui.set_plot_bounds(PlotBounds::from_min_max([x[0], y[0]], [x[1], y[1]]));
                        let centre = PlotPoint::new(0.5 * (x[0] + x[1]), 0.5 * (y[0] + y[1]));
                        let size = egui::vec2((x[1] - x[0]) as f32, (y[1] - y[0]) as f32);
                        pui.image(PlotImage::new("", texture.id(), centre, size));
                        for (k, pts) in class.iter().enumerate() {
                            pui.points(
                                Points::new("", PlotPoints::from(pts.clone()))
                                    .radius(4.0)
                                    .color(outline),
                            );
                            pui.points(
                                Points::new(label(k), PlotPoints::from(pts.clone()))
                                    .radius(3.0)
                                    .color(palette.classes[k]),
                            );
                        }
                    });
                let what = if regions.probability {
                    "the network's probability of label 1, σ(z): orange below ½, blue above; \
                     the border between them is the decision boundary"
                } else {
                    "the network's output z, from the smallest target (orange) to the largest \
                     (blue)"
                };
                let _ = resp
                    .response
                    .accessible_name("Decision regions")
                    .on_hover_text(format!("The colours are {what}"));
                ui.label(RichText::new(format!("Colours: {what}")).small().weak());
            }
            Shape::Curve { points } => {
                let pts: Vec<[f64; 2]> = (0..data.len())
                    .step_by(every)
                    .map(|i| [point_of(i)[0], data.y[i]])
                    .collect();
                let xname = data.names.first().cloned().unwrap_or_default();
                let yname = data.names.last().cloned().unwrap_or_default();
                let resp = still_plot("network fit", &xname, &yname).show(ui, |pui| {
                    pui.points(
                        Points::new("data points", PlotPoints::from(pts))
                            .radius(3.0)
                            .color(outline),
                    );
                    pui.line(
                        Line::new("the network", PlotPoints::from(points.clone()))
                            .color(palette.run(run))
                            .width(2.5),
                    );
                });
                let _ = resp.response.accessible_name("Network fit");
            }
        }
    }
}

/// The regions as an image: each value's share of `scale` from the class-0 colour to the
/// class-1 colour, paler near the middle (where the network is unsure), on the panel's colour.
fn region_image(
    values: &[f64],
    cols: usize,
    rows: usize,
    scale: [f64; 2],
    palette: &Palette,
    ui: &Ui,
) -> egui::ColorImage {
    let bg = ui.visuals().extreme_bg_color;
    let span = (scale[1] - scale[0]).max(f64::MIN_POSITIVE);
    let mix = |a: Color32, b: Color32, t: f32| {
        let m = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
        Color32::from_rgb(m(a.r(), b.r()), m(a.g(), b.g()), m(a.b(), b.b()))
    };
    let pixels: Vec<Color32> = values
        .iter()
        .map(|&v| {
            let t = ((v - scale[0]) / span).clamp(0.0, 1.0) as f32;
            if !t.is_finite() {
                return bg;
            }
            let class = palette.classes[usize::from(t >= 0.5)];
            let strength = 0.15 + 0.6 * (2.0 * t - 1.0).abs();
            mix(bg, class, strength)
        })
        .collect();
    egui::ColorImage::new([cols, rows], pixels)
}

/// The Data page on a network landscape.
impl crate::ui::pages::page::Page for NetView {
    fn id(&self) -> SidePage {
        SidePage::Data
    }

    fn title(&self) -> &'static str {
        "Data"
    }

    fn tooltip(&self) -> &'static str {
        "The points and what the network makes of them: decision regions over two inputs, \
         the fitted curve over one"
    }

    fn available(&self, landscape: &LandscapeSpec) -> bool {
        matches!(landscape, LandscapeSpec::Net(_))
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut crate::ui::pages::page::PageContext<'_>) {
        // A network chosen whose landscape the stepper is still building.
        if cx.snap.landscape.net().is_none()
            && matches!(cx.settings.setup.landscape, LandscapeSpec::Net(_))
            && cx.snap.error.is_none()
        {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Training the network…");
            });
            return;
        }
        self.view_ui(ui, cx.snap);
    }
}
