//! The window: an eframe app over the engine. It holds the settings the user edits, a handle on
//! the stepper thread and on the field thread, and the latest snapshot; it computes nothing
//! itself. One file per panel: [`controls`], [`landscape_view`], [`loss_plot`], [`status`],
//! and the side pages [`arithmetic`], [`sweep_view`], [`slice_view`] with the [`lessons`] card.

pub mod actions;
pub mod arithmetic;
pub mod controls;
pub mod data_panel;
pub mod data_view;
pub mod gpu3d;
pub mod landscape_view;
pub mod lessons;
pub mod loss_plot;
pub mod palette;
pub mod polyline;
pub mod settings;
pub mod slice_view;
pub mod status;
pub mod surface_view;
pub mod sweep_view;

use std::sync::Arc;

use eframe::egui;

use crate::live::stepper::{Command, Inspect, Snapshot, Speed, StepperHandle};
use crate::live::workers::FieldWorker;
use crate::live::workers::SliceWorker;
use crate::live::workers::SweepWorker;
use actions::Action;
use arithmetic::{Export, Timeline};
use downhill_engine::run::setup::Setup;
use downhill_engine::teach::preset::LessonPanel;
use landscape_view::{LandscapeView, Shown, ViewEdit};
use lessons::{Lesson, LessonEvent};
use settings::{Settings, SidePage, SliceDir};

/// The window's title.
pub const TITLE: &str = "downhill — gradient descent made visible";

/// The app.
pub struct App {
    settings: Settings,
    stepper: StepperHandle,
    fields: FieldWorker,
    snapshot: Arc<Snapshot>,
    sweeps: SweepWorker,
    slices: SliceWorker,
    view: LandscapeView,
    sweep_view: sweep_view::SweepView,
    loss_plot: loss_plot::LossPlot,
    slice_view: slice_view::SliceView,
    data_view: data_view::DataView,
    surface_view: surface_view::SurfaceView,
    /// Why the 3-D view cannot draw here (no wgpu renderer), if it cannot.
    no_3d: Option<&'static str>,
    /// The setup last sent to the stepper.
    sent: Setup,
    timeline: Timeline,
    export: Export,
    lesson: Option<Lesson>,
    /// A lesson's setup waiting for the stepper; when it arrives the view fits its landscape
    /// and start.
    pending_fit: Option<Setup>,
    /// The last Inspect sent (sent again only when it changes).
    sent_inspect: Option<Inspect>,
    /// The generation whose timeline is shown (a new run follows the live step again).
    generation: u64,
    /// A note for the user (settings that could not be read, …).
    note: Option<String>,
    show_help: bool,
    /// Presentation mode: full screen, larger, the essential controls.
    presenting: bool,
    /// The Paste setup window: its text and, if it was refused, why.
    paste: Option<(String, Option<String>)>,
    /// A short-lived confirmation in the top bar ("Setup copied").
    toast: Option<(String, f64)>,
    /// What the picture thread has to say (written, or why not), for the toast.
    picture_note: Arc<std::sync::Mutex<Option<String>>>,
}

impl App {
    /// The app as eframe creates it: settings from storage.
    pub fn new(cc: &eframe::CreationContext<'_>) -> std::io::Result<Self> {
        let (settings, note) = Settings::load(cc.storage);
        let mut app = Self::with_settings(&cc.egui_ctx, settings, note)?;
        if let Some(rs) = &cc.wgpu_render_state {
            gpu3d::Gpu3d::install(rs);
            app.no_3d = None;
        }
        Ok(app)
    }

    /// Runs the 3-D view's controls as if a renderer were there (tests without a GPU: the
    /// camera and toggles work, nothing is drawn).
    pub fn assume_3d_renderer(&mut self) {
        self.no_3d = None;
    }

    /// The 3-D surface on screen, if there is one (tests and benchmarks wait for it).
    pub fn surface(&self) -> Option<Arc<downhill_engine::picture::surface::Mesh>> {
        self.view.surface()
    }

    /// The landscape of the picture on screen (tests wait for a new one).
    pub fn picture_landscape(&self) -> Option<Arc<downhill_engine::landscape::Landscape>> {
        self.view.picture().map(|p| Arc::clone(&p.landscape))
    }

    /// The 3-D view's camera.
    pub fn camera(&self) -> downhill_engine::picture::surface::Camera {
        self.surface_view.camera
    }

    /// The app with these settings (tests start here).
    pub fn with_settings(
        ctx: &egui::Context,
        settings: Settings,
        note: Option<String>,
    ) -> std::io::Result<Self> {
        let repaint = ctx.clone();
        let stepper = StepperHandle::spawn(settings.setup.clone(), settings.speed, move || {
            repaint.request_repaint();
        })?;
        let repaint = ctx.clone();
        let fields = crate::live::workers::spawn_field(move || repaint.request_repaint())?;
        let repaint = ctx.clone();
        let sweeps = crate::live::workers::spawn_sweep(move || repaint.request_repaint())?;
        let repaint = ctx.clone();
        let slices = crate::live::workers::spawn_slice(move || repaint.request_repaint())?;
        // A saved setup that cannot run was replaced by the default; the snapshot's error says
        // so in the status line.
        let snapshot = stepper.snapshot();
        let mut settings = settings;
        settings.setup = snapshot.setup.clone();
        settings.focus = settings.focus.min(settings.setup.runs.len() - 1);
        let view = LandscapeView::starting_at(settings.view);
        ctx.set_theme(if settings.light {
            egui::Theme::Light
        } else {
            egui::Theme::Dark
        });
        Ok(Self {
            sent: settings.setup.clone(),
            generation: snapshot.generation,
            settings,
            stepper,
            fields,
            sweeps,
            slices,
            snapshot,
            view,
            sweep_view: Default::default(),
            loss_plot: Default::default(),
            slice_view: Default::default(),
            data_view: Default::default(),
            surface_view: Default::default(),
            no_3d: Some(
                "3-D needs eframe's wgpu renderer; this window has none (the 2-D view goes on)",
            ),
            timeline: Timeline::default(),
            export: Export::default(),
            lesson: None,
            pending_fit: None,
            sent_inspect: None,
            note,
            show_help: false,
            presenting: false,
            paste: None,
            toast: None,
            picture_note: Arc::default(),
        })
    }

    /// The stepper, for tests that wait for it.
    pub fn stepper(&self) -> &StepperHandle {
        &self.stepper
    }

    /// The settings on screen.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The snapshot drawn last.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// Whether the landscape's heat map has arrived and is drawn.
    pub fn picture_shown(&self) -> bool {
        self.view.has_picture()
    }

    /// The lesson on screen, if any.
    pub fn lesson(&self) -> Option<Lesson> {
        self.lesson
    }

    /// Sends the setup on screen to the stepper if it changed.
    fn send_setup(&mut self) {
        if self.settings.setup != self.sent {
            self.sent = self.settings.setup.clone();
            self.stepper
                .send(Command::SetSetup(Box::new(self.sent.clone())));
        }
    }

    /// Puts a whole new setup on screen (a lesson's, a shared one) and sends it: the formula
    /// field shows its formula, the first run is selected.
    fn replace_setup(&mut self, setup: Setup) {
        if let downhill_engine::landscape::LandscapeSpec::Expr { text } = &setup.landscape {
            self.settings.formula = text.clone();
        }
        self.settings.setup = setup;
        self.settings.focus = 0;
        self.send_setup();
    }

    /// Opens lesson `index`: its runs, paused at step 0, on the page that shows it best.
    pub fn open_lesson(&mut self, index: usize) {
        let Some(p) = downhill_engine::teach::preset::presets()
            .ok()
            .and_then(|all| all.get(index))
        else {
            return;
        };
        let setup = match p.setup() {
            Ok(s) => s,
            Err(e) => {
                self.note = Some(format!("The lesson could not be opened: {e}"));
                return;
            }
        };
        match p.panel {
            Some(LessonPanel::Arithmetic) => self.settings.page = SidePage::Arithmetic,
            Some(LessonPanel::Sweep) => self.settings.page = SidePage::Sweep,
            Some(LessonPanel::Data) => self.settings.page = SidePage::Data,
            Some(LessonPanel::Slice) => {
                self.settings.page = SidePage::Slice;
                self.settings.slice = SliceDir::W0;
            }
            None => {}
        }
        self.settings.speed = Speed::PerSecond(p.speed.unwrap_or(5.0));
        self.stepper.send(Command::SetSpeed(self.settings.speed));
        self.replace_setup(setup);
        // Predict, then reveal: the run waits at step 0.
        self.stepper.send(Command::Reset);
        self.stepper.send(Command::Pause);
        self.timeline = Timeline::default();
        self.lesson = Some(Lesson {
            index,
            revealed: false,
        });
        self.pending_fit = Some(self.settings.setup.clone());
    }

    /// Opens a setup read from a setup text: the runs restart on it, the view shows its
    /// window (or fits the landscape and start).
    pub fn open_shared(&mut self, shared: downhill_engine::run::share::Shared) {
        self.lesson = None;
        self.replace_setup(shared.setup);
        match shared.view {
            Some(v) => self.view.fit_to_view(v),
            None => self.pending_fit = Some(self.settings.setup.clone()),
        }
    }

    /// The Paste setup window: a text field, Open, and why a text was refused (nothing of a
    /// refused text is applied).
    fn paste_ui(&mut self, ctx: &egui::Context) {
        let Some((text, error)) = &mut self.paste else {
            return;
        };
        let mut open = true;
        let mut chosen = None;
        egui::Window::new("Paste setup")
            .open(&mut open)
            .collapsible(false)
            .show(ctx, |ui| {
                let label = ui.label("Setup text");
                // A long text scrolls inside the field; the window keeps its size.
                egui::ScrollArea::vertical()
                    .max_height(140.0)
                    .show(ui, |ui| {
                        ui.add(
                            egui::TextEdit::multiline(text)
                                .desired_rows(4)
                                .desired_width(420.0)
                                .hint_text("downhill-setup-1.…"),
                        )
                        .labelled_by(label.id);
                    });
                if ui.button("Open setup").clicked() {
                    match downhill_engine::run::share::Shared::from_text(text) {
                        Ok(shared) => chosen = Some(shared),
                        Err(e) => *error = Some(e.to_string()),
                    }
                }
                if let Some(e) = error {
                    let color = palette::Palette::of(ui.visuals()).error;
                    ui.label(egui::RichText::new(e.as_str()).color(color));
                }
            });
        if let Some(shared) = chosen {
            self.open_shared(shared);
            self.paste = None;
        } else if !open {
            self.paste = None;
        }
    }

    /// Saves the picture on screen (landscape, paths so far, the visible window) as a PNG in
    /// the folder downhill started in, drawn on a thread of its own by [`crate::render`].
    fn save_picture(&mut self, ctx: &egui::Context) {
        let snap = Arc::clone(&self.snapshot);
        let view = self.view.visible().unwrap_or(snap.fit_view);
        let name = format!("downhill-{}-step{}.png", snap.landscape.name(), snap.step);
        let file = std::path::absolute(&name).unwrap_or_else(|_| name.clone().into());
        let note = Arc::clone(&self.picture_note);
        let ctx = ctx.clone();
        let job = move || {
            let runs: Vec<crate::render::RenderRun> = snap
                .runs
                .iter()
                .zip(&snap.setup.runs)
                .filter(|(_, spec)| spec.shown)
                .map(|(r, spec)| crate::render::RenderRun {
                    label: spec.config.label(),
                    rows: r.path.iter().map(|(_, row)| *row).collect(),
                    status: r.status,
                })
                .collect();
            let picture = crate::render::Picture {
                output: file.clone(),
                size: (1600, 1000),
                title: crate::render::default_title(&snap.landscape),
                view,
                minima: snap.minima.clone(),
            };
            let outcome = match crate::render::render(&snap.landscape, &runs, &picture) {
                Ok(()) => format!("Saved {}", file.display()),
                Err(e) => format!("The picture was not saved: {e}"),
            };
            *note.lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
            ctx.request_repaint();
        };
        if let Err(e) = std::thread::Builder::new()
            .name("downhill-picture".into())
            .spawn(job)
        {
            self.note = Some(format!("The picture was not saved: {e}"));
        }
    }

    /// The setup on screen as a setup text.
    pub fn setup_text(&self) -> String {
        downhill_engine::run::share::Shared {
            setup: self.settings.setup.clone(),
            view: self.view.visible(),
        }
        .to_text()
    }

    fn lesson_event(&mut self, e: LessonEvent) {
        match e {
            LessonEvent::Open(i) => self.open_lesson(i),
            LessonEvent::Reveal => {
                if let Some(l) = &mut self.lesson {
                    l.revealed = true;
                }
                self.timeline = Timeline::default();
                self.stepper.send(Command::Play);
            }
            LessonEvent::Close => self.lesson = None,
        }
    }

    /// The side panel: the lesson card, then the chosen page.
    fn side_ui(&mut self, ui: &mut egui::Ui, snap: &Snapshot) {
        if let Some(l) = self.lesson
            && let Some(e) = lessons::card_ui(ui, &l)
        {
            self.lesson_event(e);
        }
        ui.horizontal(|ui| {
            let page = &mut self.settings.page;
            ui.selectable_value(page, SidePage::Arithmetic, "Step arithmetic")
                .on_hover_text("The update written out, the timeline and the step table");
            ui.selectable_value(page, SidePage::Sweep, "Learning-rate sweep")
                .on_hover_text("Final loss against learning rate");
            ui.selectable_value(page, SidePage::Slice, "1-D view")
                .on_hover_text("L along a line, with the steps and tangents");
            if snap.landscape.data().is_some() {
                ui.selectable_value(page, SidePage::Data, "Data")
                    .on_hover_text("The points and the model being fitted");
            }
        });
        ui.separator();
        let focus = self.settings.focus.min(snap.runs.len().saturating_sub(1));
        // The Data page belongs to data landscapes; on any other the first page shows.
        if self.settings.page == SidePage::Data
            && !matches!(
                self.settings.setup.landscape,
                downhill_engine::landscape::LandscapeSpec::Data { .. }
            )
        {
            self.settings.page = SidePage::Arithmetic;
        }
        match self.settings.page {
            SidePage::Arithmetic => {
                arithmetic::arithmetic_ui(ui, snap, focus, &mut self.timeline, &mut self.export);
            }
            SidePage::Sweep => {
                if let Some(lr) = self
                    .sweep_view
                    .ui(ui, snap, &mut self.settings, &self.sweeps)
                    && let Some(r) = self.settings.setup.runs.get_mut(focus)
                {
                    r.config.hyper.lr = lr;
                }
            }
            SidePage::Slice => {
                let upto = self.timeline.step;
                self.slice_view
                    .ui(ui, snap, &mut self.settings, &self.slices, upto);
            }
            SidePage::Data => {
                let upto = self.timeline.step;
                let start = self.settings.setup.start();
                if let Some(data_view::DataEdit::MoveStart(w)) =
                    self.data_view.ui(ui, snap, focus, upto, start)
                {
                    self.settings.setup.start = [w.x, w.y];
                }
            }
        }
    }

    /// The 3-D view of the map's picture, at the timeline's step.
    fn surface_ui(&mut self, ui: &mut egui::Ui, snap: &Snapshot, upto: Option<u64>) {
        let picture = self.view.picture().cloned();
        self.surface_view.ui(
            ui,
            snap,
            picture.as_ref(),
            self.view.surface(),
            upto,
            self.no_3d.is_none(),
            self.presenting,
            &mut self.settings.three_d_only,
        );
    }

    /// Whether presentation mode is on.
    pub fn presenting(&self) -> bool {
        self.presenting
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::PlayPause => {
                self.timeline = Timeline::default();
                if let Some(l) = &mut self.lesson {
                    l.revealed = true;
                }
                self.stepper.send(Command::TogglePlay);
            }
            Action::Step => {
                self.timeline = Timeline::default();
                self.stepper.send(Command::Step);
            }
            Action::Reset => self.stepper.send(Command::Reset),
            Action::Fit => self.view.fit(&self.snapshot),
            Action::Help => self.show_help = !self.show_help,
            Action::Present => self.presenting = !self.presenting,
            Action::ThreeD => {
                if self.no_3d.is_none() {
                    self.settings.three_d = !self.settings.three_d;
                }
            }
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.snapshot = self.stepper.snapshot();
        let snap = Arc::clone(&self.snapshot);
        if snap.generation != self.generation {
            self.generation = snap.generation;
            self.timeline = Timeline::default();
        }
        if self.pending_fit.as_ref() == Some(&snap.setup) {
            self.pending_fit = None;
            self.view.fit_landscape(&snap, snap.setup.start());
        }
        let mut actions = Action::pressed(ui.ctx());
        // A CSV file dropped on the window becomes the data (read on a thread of its own).
        let loader = data_panel::FileLoad::of(ui.ctx());
        let dropped = ui.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf()));
        if let Some(path) = dropped
            && !loader.busy()
        {
            let model = match &self.settings.setup.landscape {
                downhill_engine::landscape::LandscapeSpec::Data { model, .. } => *model,
                _ => downhill_engine::data::Model::default(),
            };
            loader.start(path, model, ui.ctx());
        }
        // A file read on its thread goes into the setup (the data panel shows a refusal).
        loader.apply(&mut self.settings);
        let before = self.settings.clone();
        let mut lesson_event = None;

        egui::Panel::top("title").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("downhill");
                ui.label("gradient descent made visible");
                ui.separator();
                lesson_event = lessons::menu_ui(ui);
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let now = ui.input(|i| i.time);
                    if let Some(n) = self
                        .picture_note
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .take()
                    {
                        self.toast = Some((n, now + 6.0));
                    }
                    if let Some((text, until)) = &self.toast {
                        if ui.input(|i| i.time) < *until {
                            ui.label(egui::RichText::new(text.as_str()).small());
                        } else {
                            self.toast = None;
                        }
                    }
                    let (text, tip) = Action::ThreeD.text_and_tooltip();
                    let tip = match self.no_3d {
                        Some(why) => why.to_owned(),
                        None => format!("{tip} ({})", Action::ThreeD.shortcut_text(ui.ctx())),
                    };
                    let three = ui
                        .add_enabled(
                            self.no_3d.is_none(),
                            egui::Button::selectable(self.settings.three_d, text),
                        )
                        .on_hover_text(&tip)
                        .on_disabled_hover_text(&tip);
                    if three.clicked() {
                        actions.push(Action::ThreeD);
                    }
                    let (text, tip) = Action::Present.text_and_tooltip();
                    let present = ui
                        .selectable_label(self.presenting, text)
                        .on_hover_text(format!(
                            "{tip} ({})",
                            Action::Present.shortcut_text(ui.ctx())
                        ));
                    if present.clicked() {
                        actions.push(Action::Present);
                    }
                    let theme = if self.settings.light {
                        "Dark colours"
                    } else {
                        "Light colours"
                    };
                    if ui
                        .button(theme)
                        .on_hover_text("Switch between light and dark colours (light reads better on some projectors)")
                        .clicked()
                    {
                        self.settings.light = !self.settings.light;
                        ui.ctx().set_theme(if self.settings.light {
                            egui::Theme::Light
                        } else {
                            egui::Theme::Dark
                        });
                    }
                    if ui
                        .button("Save picture")
                        .on_hover_text(
                            "Save the landscape with the paths as a PNG (1600×1000) in the \
                             folder downhill started in; `downhill render` makes SVG and GIF too",
                        )
                        .clicked()
                    {
                        self.save_picture(ui.ctx());
                    }
                    if ui
                        .button("Paste setup")
                        .on_hover_text("Open a setup text someone sent you")
                        .clicked()
                    {
                        self.paste = Some((String::new(), None));
                    }
                    if ui
                        .button("Copy setup")
                        .on_hover_text(
                            "Copy everything that decides this picture (landscape, runs, start, \
                             view) as one line of text to send; `downhill --setup TEXT` opens it",
                        )
                        .clicked()
                    {
                        let text = self.setup_text();
                        let until = ui.input(|i| i.time) + 6.0;
                        if text.len() > downhill_engine::run::share::MAX_TEXT {
                            // Points from a file travel inside the text; past the limit a
                            // reader would refuse it, so it is not copied at all.
                            self.toast = Some((
                                format!(
                                    "Not copied: the data make the setup text {} characters \
                                     long (the limit is {}); send the CSV file with it instead",
                                    text.len(),
                                    downhill_engine::run::share::MAX_TEXT
                                ),
                                until,
                            ));
                        } else {
                            ui.ctx().copy_text(text);
                            self.toast = Some(("Setup copied to the clipboard".into(), until));
                        }
                    }
                    let (text, tip) = Action::Help.text_and_tooltip();
                    if ui.button(text).on_hover_text(tip).clicked() {
                        actions.push(Action::Help);
                    }
                    let (text, tip) = Action::Fit.text_and_tooltip();
                    if ui
                        .button(text)
                        .on_hover_text(format!("{tip} ({})", Action::Fit.shortcut_text(ui.ctx())))
                        .clicked()
                    {
                        actions.push(Action::Fit);
                    }
                });
            });
        });
        egui::Panel::left("controls")
            .resizable(true)
            .default_size(330.0)
            .min_size(260.0)
            .show(ui, |ui| {
                controls::controls_ui(ui, &mut self.settings, &snap, &mut actions, self.presenting);
            });
        egui::Panel::bottom("status").show(ui, |ui| {
            status::status_ui(ui, &snap, self.note.as_deref());
        });
        let focus = self.settings.focus.min(snap.runs.len().saturating_sub(1));
        // The timeline never points past the selected run's last row.
        let live = snap.runs.get(focus).map_or(0, |r| r.step());
        let upto = self.timeline.step.map(|s| s.min(live));
        egui::Panel::bottom("loss")
            .resizable(true)
            .default_size(170.0)
            .min_size(80.0)
            .show(ui, |ui| {
                self.loss_plot.line_scale = if self.presenting { 2.0 } else { 1.0 };
                self.loss_plot.ui(ui, &snap, focus, upto)
            });
        if !self.presenting {
            egui::Panel::right("explain")
                .resizable(true)
                .default_size(390.0)
                .min_size(280.0)
                .show(ui, |ui| self.side_ui(ui, &snap));
        } else if let Some(l) = self.lesson {
            // In front of a class: the lesson card only.
            egui::Panel::right("lesson card")
                .resizable(true)
                .default_size(300.0)
                .show(ui, |ui| {
                    if let Some(e) = lessons::card_ui(ui, &l) {
                        self.lesson_event(e);
                    }
                });
        }
        let shown = Shown {
            focus,
            upto,
            line_scale: if self.presenting { 2.0 } else { 1.0 },
        };
        let three_d = self.settings.three_d && self.no_3d.is_none();
        self.view.want_surface = three_d;
        let edit = egui::CentralPanel::default()
            .show(ui, |ui| {
                if !three_d {
                    return self.view.ui(ui, &snap, &self.fields, shown);
                }
                if self.settings.three_d_only {
                    // The 3-D view alone; the map's pictures keep coming for it.
                    self.view.keep_fresh(ui.ctx(), &snap, &self.fields);
                    self.surface_ui(ui, &snap, upto);
                    return None;
                }
                // Side by side: the precise view and the intuitive one, same runs, same step.
                let mut edit = None;
                ui.columns(2, |cols| {
                    edit = self.view.ui(&mut cols[0], &snap, &self.fields, shown);
                    self.surface_ui(&mut cols[1], &snap, upto);
                });
                edit
            })
            .inner;
        if let Some(ViewEdit::MoveStart(p)) = edit {
            self.settings.setup.start = [p.x, p.y];
        }
        self.settings.view = self.view.visible();
        status::help_ui(ui.ctx(), &mut self.show_help);
        self.paste_ui(ui.ctx());

        let was_presenting = self.presenting;
        for a in actions {
            self.apply(a);
        }
        if self.presenting != was_presenting {
            let ctx = ui.ctx();
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.presenting));
            ctx.set_zoom_factor(if self.presenting { 1.35 } else { 1.0 });
        }
        if let Some(e) = lesson_event {
            self.lesson_event(e);
        }
        self.send_setup();
        if self.settings.speed != before.speed {
            self.stepper.send(Command::SetSpeed(self.settings.speed));
        }
        let inspect = Inspect {
            run: focus,
            step: upto,
        };
        if Some(inspect) != self.sent_inspect {
            self.sent_inspect = Some(inspect);
            self.stepper.send(Command::Inspect(inspect));
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.settings.save(storage);
    }
}

/// Opens the window (blocks until it closes).
pub fn run(window: crate::io::cli::WindowOptions) -> eframe::Result {
    let mut viewport = egui::ViewportBuilder::default();
    // The icon is compiled in; should it not decode, the window simply has none.
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        // The 3-D view tests depth (egui itself ignores the buffer).
        depth_buffer: gpu3d::DEPTH_BITS,
        multisampling: gpu3d::MSAA,
        viewport: viewport
            .with_title(TITLE)
            .with_app_id("downhill")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([640.0, 420.0]),
        ..Default::default()
    };
    eframe::run_native(
        "downhill",
        options,
        Box::new(move |cc| {
            let mut app = App::new(cc)?;
            if let Some(i) = window.lesson {
                app.open_lesson(i);
            }
            if let Some(shared) = window.setup {
                app.open_shared(shared);
            }
            Ok(Box::new(app))
        }),
    )
}
