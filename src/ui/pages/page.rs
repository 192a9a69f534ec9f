//! What a side page is: the [`Page`] trait, and the [`PageContext`] every page is given.

use eframe::egui::Ui;

use crate::live::stepper::Snapshot;
use crate::ui::settings::{Settings, SidePage};
use crate::ui::timeline::Timeline;
use downhill_engine::landscape::LandscapeSpec;

/// What a page may read and change: the same for every page, so adding one touches no caller.
pub struct PageContext<'a> {
    pub snap: &'a Snapshot,
    /// The settings on screen; the window sends what changed after the frame.
    pub settings: &'a mut Settings,
    /// The selected run, an index into the snapshot's runs.
    pub focus: usize,
    /// The step the window shows (the arithmetic page moves it, others follow it).
    pub timeline: &'a mut Timeline,
}

/// One side page.
pub trait Page {
    /// Which page this is (settings and lessons name it so).
    fn id(&self) -> SidePage;

    /// The tab's text.
    fn title(&self) -> &'static str;

    /// The tab's tooltip.
    fn tooltip(&self) -> &'static str;

    /// Whether the page has anything to show on `landscape` (the data page only on data); a
    /// page that has not is hidden, and the first page shows instead.
    fn available(&self, _landscape: &LandscapeSpec) -> bool {
        true
    }

    /// A lesson opens on this page: set what it needs to show the lesson (the slice page looks
    /// along w0).
    fn opened_by_lesson(&mut self, _settings: &mut Settings) {}

    /// Draws the page.
    fn ui(&mut self, ui: &mut Ui, cx: &mut PageContext<'_>);
}
