//! The registry of side pages: every page listed once, in tab order, in [`SidePages::new`].
//! The tab strip, the fallback when a page has nothing to show, and the routing are written
//! here once, so a page never needs the window to know its arguments.

use eframe::egui::{self, Ui};

use crate::ui::pages::arithmetic::ArithmeticPage;
use crate::ui::pages::data_view::DataView;
use crate::ui::pages::page::{Page, PageContext};
use crate::ui::pages::slice_view::SliceView;
use crate::ui::pages::sweep_view::SweepView;
use crate::ui::settings::{Settings, SidePage};

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
