//! The window: an eframe app over the engine. It holds the settings the user edits, a handle on
//! the stepper thread and on the field thread, and the latest snapshot; it computes nothing
//! itself. One file per panel: [`controls`], [`landscape_view`], [`loss_plot`], [`status`].

pub mod actions;
pub mod controls;
pub mod landscape_view;
pub mod loss_plot;
pub mod palette;
pub mod settings;
pub mod status;

use std::sync::Arc;

use eframe::egui;

use crate::field_worker::FieldWorker;
use crate::stepper::{Command, Snapshot, StepperHandle};
use actions::Action;
use landscape_view::{LandscapeView, ViewEdit};
use settings::Settings;

/// The window's title.
pub const TITLE: &str = "downhill — gradient descent made visible";

/// The app.
pub struct App {
    settings: Settings,
    stepper: StepperHandle,
    fields: FieldWorker,
    snapshot: Arc<Snapshot>,
    view: LandscapeView,
    /// A note for the user (settings that could not be read, …).
    note: Option<String>,
    show_help: bool,
}

impl App {
    /// The app as eframe creates it: settings from storage.
    pub fn new(cc: &eframe::CreationContext<'_>) -> std::io::Result<Self> {
        let (settings, note) = Settings::load(cc.storage);
        Self::with_settings(&cc.egui_ctx, settings, note)
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
        let fields = FieldWorker::spawn(move || repaint.request_repaint())?;
        // A saved setup that cannot run was replaced by the default; the snapshot's error says
        // so in the status line.
        let snapshot = stepper.snapshot();
        let mut settings = settings;
        settings.setup = snapshot.setup.clone();
        let view = LandscapeView::starting_at(settings.view);
        Ok(Self {
            settings,
            stepper,
            fields,
            snapshot,
            view,
            note,
            show_help: false,
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

    fn apply(&mut self, action: Action) {
        match action {
            Action::PlayPause => self.stepper.send(Command::TogglePlay),
            Action::Step => self.stepper.send(Command::Step),
            Action::Reset => self.stepper.send(Command::Reset),
            Action::Fit => self.view.fit(&self.snapshot),
            Action::Help => self.show_help = !self.show_help,
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.snapshot = self.stepper.snapshot();
        let snap = Arc::clone(&self.snapshot);
        let mut actions = Action::pressed(ui.ctx());
        let before = self.settings.clone();

        egui::Panel::top("title").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("downhill");
                ui.label("gradient descent made visible");
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
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
                controls::controls_ui(ui, &mut self.settings, &snap, &mut actions);
            });
        egui::Panel::bottom("status").show(ui, |ui| {
            status::status_ui(ui, &snap, self.note.as_deref());
        });
        egui::Panel::bottom("loss")
            .resizable(true)
            .default_size(170.0)
            .min_size(80.0)
            .show(ui, |ui| loss_plot::loss_plot_ui(ui, &snap));
        let edit = egui::CentralPanel::default()
            .show(ui, |ui| self.view.ui(ui, &snap, &self.fields))
            .inner;
        if let Some(ViewEdit::MoveStart(p)) = edit {
            self.settings.setup.start = [p.x, p.y];
        }
        self.settings.view = self.view.visible();
        status::help_ui(ui.ctx(), &mut self.show_help);

        for a in actions {
            self.apply(a);
        }
        if self.settings.setup != before.setup {
            self.stepper
                .send(Command::SetSetup(Box::new(self.settings.setup.clone())));
        }
        if self.settings.speed != before.speed {
            self.stepper.send(Command::SetSpeed(self.settings.speed));
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.settings.save(storage);
    }
}

/// Opens the window (blocks until it closes).
pub fn run() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(TITLE)
            .with_inner_size([1280.0, 820.0])
            .with_min_inner_size([640.0, 420.0]),
        ..Default::default()
    };
    eframe::run_native(
        "downhill",
        options,
        Box::new(|cc| Ok(Box::new(App::new(cc)?))),
    )
}
