//! The window: an eframe app over the engine. It holds the settings the user edits, a handle on
//! the stepper thread and on the field thread, and the latest snapshot; it computes nothing
//! itself. Its parts are in folders by role: [`panels`] (the top bar, the controls and their
//! parts, the status line, the lesson card), [`plot`] (the landscape, the loss plot, the 3-D
//! view, and under [`plot::items`] our own plot items), and [`pages`] (the side pages, each a
//! [`Page`](pages::page::Page) listed once in [`pages::registry`]). What they share is here:
//! the [`widgets`] toolbox, the [`Timeline`] of the step shown, the [`palette`], the
//! [`text_size`]s and the [`settings`]. What the user presses is an [`Action`], queued by the
//! panels and applied at the end of the frame.

pub mod actions;
pub mod options;
pub mod pages;
pub mod palette;
pub mod panels;
pub mod plot;
pub mod settings;
pub mod text_size;
pub mod timeline;
pub mod widgets;

use std::sync::Arc;

use eframe::egui;

use crate::live::stepper::{Command, Inspect, Snapshot, Speed, StepperHandle};
use crate::live::workers::FieldWorker;
use actions::Action;
use downhill_engine::run::setup::Setup;
use panels::lessons::Lesson;
use panels::{controls, data_panel, lessons, status, top_bar};
use plot::landscape_view::{LandscapeView, Shown, ViewEdit};
use plot::{gpu3d, landscape_view, loss_plot, surface_view};
use settings::Settings;
use timeline::Timeline;

/// The window's title.
pub const TITLE: &str = "downhill — gradient descent made visible";

/// The app.
pub struct App {
    settings: Settings,
    stepper: StepperHandle,
    fields: FieldWorker,
    snapshot: Arc<Snapshot>,
    view: LandscapeView,
    /// The side panel's pages.
    pages: pages::registry::SidePages,
    loss_plot: loss_plot::LossPlot,
    surface_view: surface_view::SurfaceView,
    /// Why the 3-D view cannot draw here (no wgpu renderer), if it cannot.
    no_3d: Option<&'static str>,
    /// The setup last sent to the stepper.
    sent: Setup,
    timeline: Timeline,
    lesson: Option<Lesson>,
    /// The learning rate a newly chosen landscape opens with, and the one it replaced.
    suggestion: Option<controls::Suggestion>,
    /// A lesson's setup waiting for the stepper; when it arrives the view fits its landscape
    /// and start.
    pending_fit: Option<Setup>,
    /// The last Inspect sent (sent again only when it changes).
    sent_inspect: Option<Inspect>,
    /// The replay switch last sent.
    sent_replay: Option<bool>,
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
    toast: top_bar::Toast,
    /// What the user pressed this frame, applied at its end.
    actions: Vec<Action>,
    /// What the picture thread has to say (written, or why not), for the toast.
    picture_note: Arc<std::sync::Mutex<Option<String>>>,
    /// Where the settings are saved (nowhere for a window made by tests).
    settings_file: settings::SettingsFile,
    /// When the stepper began building a network's landscape (egui's clock), while it does.
    building_since: Option<f64>,
}

impl App {
    /// The app as eframe creates it: settings from storage.
    pub fn new(cc: &eframe::CreationContext<'_>) -> std::io::Result<Self> {
        let mut file = settings::SettingsFile::standard();
        let (settings, note) = file.load(cc.storage);
        let mut app = Self::with_settings(&cc.egui_ctx, settings, note)?;
        app.settings_file = file;
        if let Some(rs) = &cc.wgpu_render_state {
            gpu3d::Gpu3d::install(rs);
            app.no_3d = None;
        }
        Ok(app)
    }

    /// Saves the settings to `file` from now on (the window made by [`Self::new`] uses the
    /// standard place; one made by tests saves nowhere unless told).
    pub fn use_settings_file(&mut self, file: settings::SettingsFile) {
        self.settings_file = file;
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
        let pages = pages::registry::SidePages::new(ctx)?;
        // A saved setup that cannot run was replaced by the default; the snapshot's error says
        // so in the status line. A network's that passed its check is being built on the
        // stepper thread (the snapshot is the default's until then): the settings keep it.
        let snapshot = stepper.snapshot();
        let mut settings = settings;
        if !stepper.deferred() {
            settings.setup = snapshot.setup.clone();
        }
        settings.focus = settings.focus.min(settings.setup.runs.len() - 1);
        let view = LandscapeView::starting_at(settings.view);
        text_size::install(ctx);
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
            snapshot,
            view,
            pages,
            loss_plot: Default::default(),
            surface_view: Default::default(),
            no_3d: Some(
                "3-D needs eframe's wgpu renderer; this window has none (the 2-D view goes on)",
            ),
            timeline: Timeline::default(),
            lesson: None,
            suggestion: None,
            pending_fit: None,
            sent_inspect: None,
            sent_replay: None,
            note,
            show_help: false,
            presenting: false,
            paste: None,
            toast: Default::default(),
            actions: Vec::new(),
            picture_note: Arc::default(),
            settings_file: settings::SettingsFile::default(),
            building_since: None,
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
        self.suggestion = None;
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
        if let Some(page) = p.panel {
            self.pages.open_for_lesson(page, &mut self.settings);
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
                                .hint_text("downhill-setup-3.…"),
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
                    path: r.path.clone(),
                    status: r.status,
                    manner: r.manner,
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

    /// The side panel: the lesson card, then the chosen page.
    fn side_ui(&mut self, ui: &mut egui::Ui, snap: &Snapshot) {
        if let Some(l) = self.lesson {
            self.actions.extend(lessons::card_ui(ui, &l));
        }
        let focus = self.settings.focus.min(snap.runs.len().saturating_sub(1));
        self.pages.ui(
            ui,
            &mut pages::page::PageContext {
                snap,
                settings: &mut self.settings,
                focus,
                timeline: &mut self.timeline,
            },
        );
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

    /// Does what the user pressed (after the frame is drawn, so every panel saw one state).
    fn apply(&mut self, action: Action, ctx: &egui::Context) {
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
            Action::SavePicture => self.save_picture(ctx),
            Action::CopySetup => self.copy_setup(ctx),
            Action::PasteSetup => self.paste = Some((String::new(), None)),
            Action::LightColours | Action::DarkColours => {
                self.settings.light = action == Action::LightColours;
                ctx.set_theme(if self.settings.light {
                    egui::Theme::Light
                } else {
                    egui::Theme::Dark
                });
            }
            Action::OpenLesson(i) => self.open_lesson(i),
            Action::RevealLesson => {
                if let Some(l) = &mut self.lesson {
                    l.revealed = true;
                }
                self.timeline = Timeline::default();
                self.stepper.send(Command::Play);
            }
            Action::CloseLesson => self.lesson = None,
        }
    }

    /// Copies the setup text to the clipboard, or says why not.
    fn copy_setup(&mut self, ctx: &egui::Context) {
        let text = self.setup_text();
        let now = ctx.input(|i| i.time);
        if text.len() > downhill_engine::run::share::MAX_TEXT {
            // Points from a file travel inside the text; past the limit a reader would refuse
            // it, so it is not copied at all.
            self.toast.show(
                format!(
                    "Not copied: the data make the setup text {} characters long (the limit is \
                     {}); send the CSV file with it instead",
                    text.len(),
                    downhill_engine::run::share::MAX_TEXT
                ),
                now,
            );
        } else {
            ctx.copy_text(text);
            self.toast.show("Setup copied to the clipboard".into(), now);
        }
    }

    /// The start of a frame: the latest snapshot, the keys pressed, a dropped or read file, a
    /// note from the picture thread.
    fn begin_frame(&mut self, ctx: &egui::Context) {
        self.snapshot = self.stepper.snapshot();
        let snap = Arc::clone(&self.snapshot);
        if snap.generation != self.generation {
            self.generation = snap.generation;
            self.timeline = Timeline::default();
        }
        if self.pending_fit.as_ref() == Some(&snap.setup) {
            self.pending_fit = None;
            self.view
                .fit_landscape(&snap, landscape_view::marked_start(&snap));
        }
        self.actions = Action::pressed(ctx);
        // A CSV file dropped on the window becomes the data (read on a thread of its own).
        let loader = data_panel::FileLoad::of(ctx);
        let dropped = ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf()));
        if let Some(path) = dropped
            && !loader.busy()
        {
            let what = data_panel::FileFor::of(&self.settings.setup.landscape);
            loader.start(path, what, ctx);
        }
        // A file read on its thread goes into the setup (the data panel shows a refusal).
        loader.apply(&mut self.settings);
        let picture_note = self
            .picture_note
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(n) = picture_note {
            self.toast.show(n, ctx.input(|i| i.time));
        }
    }

    /// The top bar.
    fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        let now = ui.input(|i| i.time);
        let bar = top_bar::TopBar {
            presenting: self.presenting,
            three_d: self.settings.three_d,
            light: self.settings.light,
            no_3d: self.no_3d,
            toast: self.toast.at(now),
        };
        top_bar::top_bar_ui(ui, &bar, &mut self.actions);
    }

    /// The controls on the left. Choosing another landscape ends the lesson on screen: its
    /// card no longer matches what is drawn.
    fn controls_ui(&mut self, ui: &mut egui::Ui, snap: &Snapshot) {
        controls::Suggestion::apply(&mut self.suggestion, &mut self.settings, snap);
        let chosen = controls::controls_ui(
            ui,
            &mut self.settings,
            snap,
            &mut self.actions,
            self.presenting,
            &mut self.suggestion,
        );
        if chosen {
            self.lesson = None;
        }
    }

    /// The selected run and the step the panels show (the timeline never points past the
    /// selected run's last row).
    fn shown(&self, snap: &Snapshot) -> Shown {
        let focus = self.settings.focus.min(snap.runs.len().saturating_sub(1));
        let live = snap.runs.get(focus).map_or(0, |r| r.step());
        Shown {
            focus,
            upto: self.timeline.step.map(|s| s.min(live)),
            line_scale: if self.presenting { 2.0 } else { 1.0 },
        }
    }

    /// The loss plot.
    fn loss_ui(&mut self, ui: &mut egui::Ui, snap: &Snapshot, shown: Shown) {
        self.loss_plot.line_scale = shown.line_scale;
        self.loss_plot.ui(ui, snap, shown.focus, shown.upto);
    }

    /// The side panel on the right; in front of a class, the lesson card only.
    fn side_panel_ui(&mut self, ui: &mut egui::Ui, snap: &Snapshot) {
        if !self.presenting {
            egui::Panel::right("explain")
                .resizable(true)
                .default_size(390.0)
                .min_size(280.0)
                .show(ui, |ui| self.side_ui(ui, snap));
        } else if let Some(l) = self.lesson {
            egui::Panel::right("lesson card")
                .resizable(true)
                .default_size(300.0)
                .show(ui, |ui| self.actions.extend(lessons::card_ui(ui, &l)));
        }
    }

    /// The landscape in the middle: the map, the 3-D surface, or both side by side.
    fn central_ui(&mut self, ui: &mut egui::Ui, snap: &Snapshot, shown: Shown) {
        // While a network's landscape is built, the map and the 3-D view would show the
        // landscape before it: they wait, at once when that was no network (at startup, the
        // default bowl), after a moment when it was (a new learning rate for the first run
        // rebuilds the plane, mostly in a few milliseconds: no flicker for those).
        let now = ui.input(|i| i.time);
        self.building_since = if self.stepper.building() {
            Some(self.building_since.unwrap_or(now))
        } else {
            None
        };
        let waited = self.building_since.map_or(0.0, |t| now - t);
        if self.building_since.is_some() && snap.landscape.net().is_some() && waited < 0.3 {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(0.3 - waited));
        } else if self.building_since.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(
                    "Training the network's first run to find the plane the map shows (a second \
                     or so)…",
                );
            });
            return;
        }
        let three_d = self.settings.three_d && self.no_3d.is_none();
        self.view.want_surface = three_d;
        let edit = if !three_d {
            self.view.ui(ui, snap, &self.fields, shown)
        } else if self.settings.three_d_only {
            // The 3-D view alone; the map's pictures keep coming for it.
            self.view.keep_fresh(ui.ctx(), snap, &self.fields);
            self.surface_ui(ui, snap, shown.upto);
            None
        } else {
            // Side by side: the precise view and the intuitive one, same runs, same step; one
            // above the other when halving the width would leave the map a tall strip.
            let mut edit = None;
            let avail = ui.available_size();
            let bar = landscape_view::BAR_WIDTH;
            let beside = ((avail.x / 2.0 - bar) / avail.y).max(1e-3).ln().abs();
            let above = ((avail.x - bar) / (avail.y / 2.0)).max(1e-3).ln().abs();
            if beside <= above {
                ui.columns(2, |cols| {
                    edit = self.view.ui(&mut cols[0], snap, &self.fields, shown);
                    self.surface_ui(&mut cols[1], snap, shown.upto);
                });
            } else {
                let half = egui::vec2(avail.x, (avail.y - ui.spacing().item_spacing.y) / 2.0);
                ui.allocate_ui(half, |ui| {
                    edit = self.view.ui(ui, snap, &self.fields, shown);
                });
                ui.allocate_ui(half, |ui| self.surface_ui(ui, snap, shown.upto));
            }
            edit
        };
        if let Some(ViewEdit::MoveStart(p)) = edit {
            self.settings.setup.start = [p.x, p.y];
        }
        self.settings.view = self.view.visible();
    }

    /// What was pressed this frame, applied.
    fn apply_actions(&mut self, ctx: &egui::Context) {
        let was_presenting = self.presenting;
        let actions = std::mem::take(&mut self.actions);
        if !actions.is_empty() {
            // Applied after drawing: the next frame shows what they changed.
            ctx.request_repaint();
        }
        for a in actions {
            self.apply(a, ctx);
        }
        if self.presenting != was_presenting {
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.presenting));
            ctx.set_zoom_factor(if self.presenting {
                text_size::PRESENTING_ZOOM
            } else {
                1.0
            });
        }
    }

    /// What changed this frame, sent to the stepper.
    fn send_changes(&mut self, before: &Settings, shown: Shown) {
        let replay = self.settings.replay(self.presenting);
        if Some(replay) != self.sent_replay {
            self.sent_replay = Some(replay);
            self.stepper.send(Command::SetReplay(replay));
        }
        self.send_setup();
        if self.settings.speed != before.speed {
            self.stepper.send(Command::SetSpeed(self.settings.speed));
        }
        let inspect = Inspect {
            run: shown.focus,
            step: shown.upto,
        };
        if Some(inspect) != self.sent_inspect {
            self.sent_inspect = Some(inspect);
            self.stepper.send(Command::Inspect(inspect));
        }
    }
}

impl eframe::App for App {
    /// One frame, as a list of panels; each queues what the user pressed, and the queue is
    /// applied at the end.
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.begin_frame(ui.ctx());
        let snap = Arc::clone(&self.snapshot);
        let before = self.settings.clone();
        egui::Panel::top("title").show(ui, |ui| self.top_bar_ui(ui));
        egui::Panel::left("controls")
            .resizable(true)
            .default_size(330.0)
            .min_size(260.0)
            .show(ui, |ui| self.controls_ui(ui, &snap));
        egui::Panel::bottom("status").show(ui, |ui| {
            let focus = self.settings.focus.min(snap.runs.len().saturating_sub(1));
            status::status_ui(ui, &snap, focus, self.note.as_deref());
        });
        // After the controls: they may select another run.
        let shown = self.shown(&snap);
        egui::Panel::bottom("loss")
            .resizable(true)
            .default_size(170.0)
            .min_size(80.0)
            .show(ui, |ui| self.loss_ui(ui, &snap, shown));
        self.side_panel_ui(ui, &snap);
        egui::CentralPanel::default().show(ui, |ui| self.central_ui(ui, &snap, shown));
        status::help_ui(ui.ctx(), &mut self.show_help);
        self.apply_actions(ui.ctx());
        // After the actions: Paste setup's window starts in the frame it was pressed in.
        self.paste_ui(ui.ctx());
        self.send_changes(&before, shown);
    }

    fn save(&mut self, _storage: &mut dyn eframe::Storage) {
        // The settings go to downhill's own file (atomically), not to eframe's storage.
        if let Err(e) = self.settings_file.save(&self.settings) {
            self.note = Some(format!("Your settings could not be saved: {e}"));
        }
    }
}

/// Opens the window (blocks until it closes).
pub fn run(window: options::WindowOptions) -> eframe::Result {
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
