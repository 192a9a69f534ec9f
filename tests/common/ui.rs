//! Helpers for the window's tests: a harness on the real app, and waiting for the stepper.

use std::time::Duration;

use downhill::live::stepper::Command;
use downhill::ui::App;
use downhill::ui::settings::Settings;
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// A window for a test: the settings, size, startup note and renderer it starts with. Every
/// test builds its window here.
pub struct NewHarness {
    settings: Settings,
    size: egui::Vec2,
    note: Option<String>,
    renderer: bool,
}

/// The default window: default settings, 1280×820, no note, no 3-D renderer.
pub fn new_harness() -> NewHarness {
    NewHarness {
        settings: Settings::default(),
        size: egui::vec2(1280.0, 820.0),
        note: None,
        renderer: false,
    }
}

impl NewHarness {
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    pub fn size(mut self, size: egui::Vec2) -> Self {
        self.size = size;
        self
    }

    /// The note the window starts with (settings that could not be read).
    pub fn note(mut self, note: Option<String>) -> Self {
        self.note = note;
        self
    }

    /// Runs the 3-D view's controls as if a renderer were there (nothing is drawn).
    pub fn renderer(mut self, renderer: bool) -> Self {
        self.renderer = renderer;
        self
    }

    pub fn build(self) -> Harness<'static, App> {
        let Self {
            settings,
            size,
            note,
            renderer,
        } = self;
        Harness::builder().with_size(size).build_eframe(move |cc| {
            let mut app = App::with_settings(&cc.egui_ctx, settings, note).unwrap();
            if renderer {
                app.assume_3d_renderer();
            }
            app
        })
    }

    /// The window, its run paused and the stepper idle.
    pub fn paused(self) -> Harness<'static, App> {
        let mut h = self.build();
        pause(&mut h);
        h
    }
}

pub fn harness_with(settings: Settings) -> Harness<'static, App> {
    new_harness().settings(settings).build()
}

pub fn harness() -> Harness<'static, App> {
    new_harness().build()
}

/// After the first frame, presses Pause and waits until the stepper is idle. A run that ended
/// before the first frame (it diverges within a second, and a loaded machine is slow to draw)
/// shows Play, yet the stepper still plays the next run after a Reset: it is told to pause
/// directly.
pub fn pause(h: &mut Harness<'static, App>) {
    h.run_steps(1);
    if h.query_by_label("Pause").is_some() {
        h.get_by_label("Pause").click();
    } else {
        h.state().stepper().send(Command::Pause);
    }
    settle(h);
}

/// Runs a few frames (the app sends its commands at the end of a frame), then waits for the
/// stepper to finish them.
pub fn settle(h: &mut Harness<'static, App>) {
    settle_within(h, Duration::from_secs(10));
}

/// [`settle`], waiting at most `timeout` for the stepper.
pub fn settle_within(h: &mut Harness<'static, App>, timeout: Duration) {
    h.run_steps(2);
    assert!(
        h.state().stepper().wait_idle(timeout),
        "the stepper did not settle"
    );
    h.run_steps(2);
}

/// Runs frames until `done` holds (a thread's answer arrives in its own time), at most
/// `frames` of them, 10 ms apart.
pub fn frames_until(
    h: &mut Harness<'static, App>,
    what: &str,
    frames: usize,
    done: impl Fn(&Harness<'static, App>) -> bool,
) {
    for _ in 0..frames {
        h.run_steps(1);
        if done(h) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("{what} never happened");
}

/// Pauses the run and waits until the stepper is idle.
pub fn paused() -> Harness<'static, App> {
    new_harness().paused()
}

pub fn step(h: &Harness<'static, App>) -> u64 {
    h.state().snapshot().step
}
