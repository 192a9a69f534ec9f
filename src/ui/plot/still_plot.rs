//! A plot that shows a fixed picture of the data (the Data page's points and fit, a network's
//! decision regions): no dragging, scrolling or zooming, since the view is set by what is shown
//! and a stray drag on a projector would lose it; a legend naming what is drawn.

use egui_plot::{Legend, Plot};

/// A plot named `id` with axes `x` and `y`, its view locked.
pub fn still_plot<'a>(id: &'a str, x: &str, y: &str) -> Plot<'a> {
    Plot::new(id)
        .x_axis_label(x.to_owned())
        .y_axis_label(y.to_owned())
        .allow_drag(false)
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .legend(Legend::default())
}
