//! The controls of a data landscape: the data set (generated, shipped or a CSV file opened or
//! dropped on the window), the model, "Standardize x" with the condition number before and
//! after, and the selected run's mini-batches.

use std::sync::{Arc, Mutex};

use eframe::egui::{self, DragValue, RichText, Slider, Ui};

use crate::live::stepper::Snapshot;
use crate::ui::settings::Settings;
use downhill_engine::data::{BatchOrder, DataSource, Generate, Model};
use downhill_engine::landscape::LandscapeSpec;
use downhill_engine::net::{NetDataSource, NetSetup};

/// What a file is read for: a data landscape's model (x, y columns) or a network (inputs, then
/// the target).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FileFor {
    Data(Model),
    Net,
}

impl FileFor {
    /// What the landscape on screen reads files for.
    pub fn of(landscape: &LandscapeSpec) -> Self {
        match landscape {
            LandscapeSpec::Data { model, .. } => Self::Data(*model),
            LandscapeSpec::Net(_) => Self::Net,
            _ => Self::Data(Model::default()),
        }
    }
}

/// A file that has been read.
enum Loaded {
    Data(DataSource),
    Net(NetDataSource),
}

/// A CSV file being read on a thread of its own (a million rows take a moment); what it gave,
/// once done. Kept in egui's memory so the panel and a file dropped on the window share it.
#[derive(Clone, Default)]
pub struct FileLoad {
    state: Arc<Mutex<LoadState>>,
}

#[derive(Default)]
struct LoadState {
    /// The path typed in the field.
    path: String,
    busy: bool,
    done: Option<Result<Loaded, String>>,
    /// Why the last file was refused (the previous data stay on screen).
    error: Option<String>,
}

impl FileLoad {
    fn id() -> egui::Id {
        egui::Id::unique("downhill data file")
    }

    /// The window's loader.
    pub fn of(ctx: &egui::Context) -> Self {
        ctx.data_mut(|d| d.get_temp_mut_or_default::<Self>(Self::id()).clone())
    }

    /// Whether a file is being read (a second one dropped meanwhile is ignored).
    pub fn busy(&self) -> bool {
        self.lock().busy
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LoadState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts reading `path` for `what`.
    pub fn start(&self, path: std::path::PathBuf, what: FileFor, ctx: &egui::Context) {
        {
            let mut s = self.lock();
            s.path = path.display().to_string();
            s.busy = true;
            s.error = None;
        }
        let me = self.clone();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("downhill-data-file".into())
            .spawn(move || {
                let got = match what {
                    FileFor::Data(model) => DataSource::from_file(&path, model).map(Loaded::Data),
                    FileFor::Net => NetDataSource::from_file(&path).map(Loaded::Net),
                };
                let mut s = me.lock();
                s.busy = false;
                s.done = Some(got);
                drop(s);
                ctx.request_repaint();
            });
        if let Err(e) = spawned {
            let mut s = self.lock();
            s.busy = false;
            s.error = Some(format!("could not start reading: {e}"));
        }
    }

    /// Puts a file that has been read into the setup (the start goes to the origin, where
    /// training starts); a refused file leaves the setup alone and keeps its message.
    pub fn apply(&self, settings: &mut Settings) {
        let done = self.lock().done.take();
        match done {
            Some(Ok(Loaded::Net(source))) => {
                match &mut settings.setup.landscape {
                    LandscapeSpec::Net(n) => n.data = source,
                    other => {
                        *other = LandscapeSpec::Net(NetSetup {
                            data: source,
                            ..NetSetup::default()
                        });
                    }
                }
                settings.page = crate::ui::settings::SidePage::Data;
            }
            Some(Ok(Loaded::Data(source))) => {
                let (model, standardize) = match &settings.setup.landscape {
                    LandscapeSpec::Data {
                        model, standardize, ..
                    } => (*model, *standardize),
                    _ => (Model::default(), false),
                };
                settings.setup.landscape = LandscapeSpec::Data {
                    data: source,
                    model,
                    standardize,
                };
                settings.setup.start = [0.0, 0.0];
                settings.page = crate::ui::settings::SidePage::Data;
            }
            Some(Err(e)) => self.lock().error = Some(e),
            None => {}
        }
    }
}

/// The CSV file field: a typed path, Open, a spinner while it is read, and why the last file
/// was refused (the data on screen stay).
pub fn file_ui(ui: &mut Ui, loader: &FileLoad, what: FileFor, tip: &str) {
    let mut open = None;
    {
        let mut s = loader.lock();
        ui.horizontal(|ui| {
            let label = ui.label("CSV file");
            ui.add(
                egui::TextEdit::singleline(&mut s.path)
                    .hint_text("path/to/points.csv")
                    .desired_width(150.0),
            )
            .labelled_by(label.id)
            .on_hover_text(tip);
            let go = ui
                .add_enabled(
                    !s.busy && !s.path.trim().is_empty(),
                    egui::Button::new("Open"),
                )
                .on_hover_text("Read the points of the file");
            if go.clicked() {
                open = Some(std::path::PathBuf::from(s.path.trim()));
            }
            if s.busy {
                ui.spinner();
            }
        });
        if let Some(e) = &s.error {
            ui.colored_label(ui.visuals().error_fg_color, format!("Not opened: {e}"));
        }
    }
    if let Some(p) = open {
        loader.start(p, what, ui.ctx());
    }
}

/// The data controls, under the landscape picker.
pub fn data_ui(ui: &mut Ui, settings: &mut Settings, snap: &Snapshot) {
    // (A file read meanwhile was put into the setup at the start of the frame.)
    let loader = FileLoad::of(ui.ctx());
    let LandscapeSpec::Data {
        data,
        model,
        standardize,
    } = &mut settings.setup.landscape
    else {
        return;
    };
    if let Some(d) = snap.landscape.data() {
        ui.label(RichText::new(format!("L = {}", d.formula())).monospace())
            .on_hover_text(
                "The loss over the data as a function of the weights w0 (slope) and w1 (intercept)",
            );
    }
    ui.horizontal(|ui| {
        ui.label("Model");
        for &m in Model::ALL {
            ui.radio_value(model, m, m.name())
                .on_hover_text(m.summary());
        }
    });
    if let DataSource::Generated(g) = data {
        generator_ui(ui, g);
    }

    // A CSV file: typed path, or dropped on the window.
    file_ui(
        ui,
        &loader,
        FileFor::Data(*model),
        "A file with a header naming x then y, one point per line (or drop a file on the window)",
    );

    let toggled = ui
        .checkbox(standardize, "Standardize x")
        .on_hover_text("Replace x by (x − mean)/std (population std): the valley turns round")
        .changed();
    // The same start line in the data's units, in the new weights: only the valley changes.
    if toggled
        && let Some(d) = snap.landscape.data()
        && let Ok(scale) = downhill_engine::data::Standardization::of(&d.data.x)
    {
        let w =
            downhill_engine::geometry::Vec2::new(settings.setup.start[0], settings.setup.start[1]);
        let w = if *standardize {
            scale.scaled(w)
        } else {
            scale.unscaled(w)
        };
        if w.x.is_finite() && w.y.is_finite() {
            settings.setup.start = [w.x, w.y];
        }
    }
    if let Some(c) = &snap.conditioning {
        let k = |v: Option<f64>| v.map_or("∞ (flat)".to_owned(), downhill_engine::format::sig);
        let after = match &c.standardized {
            Ok(v) => k(*v),
            Err(_) => "—".to_owned(),
        };
        ui.label(format!(
            "Condition number λmax/λmin: {} with x as given, {} standardized",
            k(c.raw),
            after
        ))
        .on_hover_text(
            "How elongated the valley is at its bottom: plain gradient descent needs about this \
             many times more steps along the flat direction than along the steep one",
        );
        if let Err(e) = &c.standardized {
            ui.label(RichText::new(e).small().weak());
        }
    }
    if let Some(d) = snap.landscape.data()
        && let Err(why) = d.minimum()
    {
        ui.label(RichText::new(format!("No minimum: {why}")).small());
    }
    if let Some(e) = &snap.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }

    // The selected run's mini-batches.
    let n = snap.landscape.data().map_or(2, |d| d.len());
    batch_ui(ui, settings, n);
}

/// The selected run's mini-batches over `n` points: the batch size, the order and the seed.
pub fn batch_ui(ui: &mut Ui, settings: &mut Settings, n: usize) {
    let focus = settings.focus;
    if let Some(run) = settings.setup.runs.get_mut(focus) {
        let batch = &mut run.config.batch;
        let mut size = if batch.is_full(n) {
            n as u64
        } else {
            batch.size
        };
        ui.horizontal(|ui| {
            let label = format!("Batch size (run {})", focus + 1);
            if ui
                .add(
                    Slider::new(&mut size, 1..=n as u64)
                        .logarithmic(n > 20)
                        .text(label),
                )
                .on_hover_text("Points averaged per step: all of them is batch gradient descent, 1 is stochastic")
                .changed()
            {
                batch.size = if size >= n as u64 { 0 } else { size };
            }
        });
        ui.horizontal(|ui| {
            ui.label("Order");
            ui.radio_value(&mut batch.order, BatchOrder::Shuffle, "shuffle")
                .on_hover_text("A fresh random order every epoch, from the seed");
            ui.radio_value(&mut batch.order, BatchOrder::Sequential, "sequential")
                .on_hover_text("The file's order, every epoch");
            let label = ui.label("seed");
            ui.add(DragValue::new(&mut run.config.noise.seed))
                .labelled_by(label.id)
                .on_hover_text("The run's seed: the same seed gives the same batches");
        });
    }
}

/// Sliders for the generator.
fn generator_ui(ui: &mut Ui, g: &mut Generate) {
    ui.add(
        Slider::new(&mut g.n, 2..=100_000)
            .logarithmic(true)
            .text("points"),
    );
    ui.add(Slider::new(&mut g.slope, -5.0..=5.0).text("true slope"));
    ui.add(Slider::new(&mut g.intercept, -10.0..=10.0).text("true intercept"));
    ui.add(Slider::new(&mut g.noise, 0.0..=5.0).text("noise σ"));
    ui.horizontal(|ui| {
        let label = ui.label("x from");
        ui.add(
            DragValue::new(&mut g.x_range[0])
                .speed(0.1)
                .custom_formatter(crate::ui::widgets::field_number)
                .custom_parser(crate::ui::widgets::parse_number),
        )
        .labelled_by(label.id);
        let label = ui.label("to");
        ui.add(
            DragValue::new(&mut g.x_range[1])
                .speed(0.1)
                .custom_formatter(crate::ui::widgets::field_number)
                .custom_parser(crate::ui::widgets::parse_number),
        )
        .labelled_by(label.id);
        let label = ui.label("data seed");
        ui.add(DragValue::new(&mut g.seed))
            .labelled_by(label.id)
            .on_hover_text("The seed the points are drawn with");
    });
}
