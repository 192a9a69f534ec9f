//! The side panel's pages, in the shape of egui's demo `View`/`Demo`: a page is a type that
//! implements [`Page`], in its own file, and is listed once in [`SidePages::new`]. The tab strip,
//! the fallback when a page has nothing to show, and the routing are written here once, so a
//! page never needs the window to know its arguments.
//!
//! A page is named by a [`SidePage`], the engine's enum, because presets name the page a lesson
//! opens on and the settings remember the open one; both formats keep their spelling.

use eframe::egui::{self, Ui};

use crate::live::stepper::Snapshot;
use crate::ui::pages::arithmetic::{ArithmeticPage, Timeline};
use crate::ui::pages::data_view::DataView;
use crate::ui::pages::slice_view::SliceView;
use crate::ui::pages::sweep_view::SweepView;
use crate::ui::settings::{Settings, SidePage};
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

/// Every side page, in tab order.
pub struct SidePages {
    pages: Vec<Box<dyn Page>>,
}

impl SidePages {
    /// The pages; those that compute on a thread of their own start it here (each wakes the
    /// window when its answer arrives).
    pub fn new(ctx: &egui::Context) -> std::io::Result<Self> {
        let repaint = || {
            let ctx = ctx.clone();
            move || ctx.request_repaint()
        };
        let pages: Vec<Box<dyn Page>> = vec![
            Box::new(ArithmeticPage::default()),
            Box::new(SweepView::spawn(repaint())?),
            Box::new(SliceView::spawn(repaint())?),
            Box::new(DataView::default()),
            Box::new(crate::ui::pages::net_view::NetView::spawn(repaint())?),
        ];
        Ok(Self { pages })
    }

    /// Opens page `id` for a lesson.
    pub fn open_for_lesson(&mut self, id: SidePage, settings: &mut Settings) {
        settings.page = id;
        if let Some(p) = self.pages.iter_mut().find(|p| p.id() == id) {
            p.opened_by_lesson(settings);
        }
    }

    /// The tabs of the pages that have something to show, then the open page.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut PageContext<'_>) {
        ui.horizontal(|ui| {
            for p in &self.pages {
                // The tabs follow the landscape running (the snapshot's).
                if p.available(&cx.snap.setup.landscape) {
                    ui.selectable_value(&mut cx.settings.page, p.id(), p.title())
                        .on_hover_text(p.tooltip());
                }
            }
        });
        ui.separator();
        // The page follows the landscape chosen (the settings'): on one it has nothing for,
        // the first page shows.
        let landscape = &cx.settings.setup.landscape;
        let open = self
            .pages
            .iter()
            .position(|p| p.id() == cx.settings.page && p.available(landscape));
        let open = match open {
            Some(i) => i,
            None => {
                if let Some(first) = self.pages.first() {
                    cx.settings.page = first.id();
                }
                0
            }
        };
        if let Some(p) = self.pages.get_mut(open) {
            p.ui(ui, cx);
        }
    }
}
