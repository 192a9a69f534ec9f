//! What the plots' axes share: grid marks at 1-2-5 steps and at whole decades, their labels,
//! and the wheel's zoom about the pointer.

use eframe::egui;

/// Grid marks at 1, 2 and 5 times a power of ten, for a horizontal axis: egui_plot's own go
/// by powers of ten and label only marks 60 points apart, so a map 11 units wide in 370
/// points was labelled at 0 alone. Here the labels come every 2 units.
pub fn nice_grid(input: egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    let (lo, hi) = input.bounds;
    let base = input.base_step_size;
    if !(lo.is_finite() && hi.is_finite() && hi > lo && base > 0.0 && base.is_finite()) {
        return Vec::new();
    }
    // The next 1-2-5 step at or above `x`.
    let nice = |x: f64| {
        let p = 10f64.powf(x.log10().floor());
        [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|m| m * p)
            .find(|s| *s >= x * (1.0 - 1e-9))
            .unwrap_or(10.0 * p)
    };
    // Every 1-2-5 step from the finest up to the whole range; a mark's step is the largest
    // that divides it, so the axis labels the finest step that leaves room for its labels.
    let s0 = nice(base);
    let mut steps = vec![s0];
    while let Some(&s) = steps.last()
        && s < hi - lo
        && steps.len() < 40
    {
        steps.push(nice(s * 1.5));
    }
    let first = (lo / s0).ceil() as i64;
    let last = (hi / s0).floor() as i64;
    if last - first > 10_000 {
        return Vec::new();
    }
    let divides = |v: f64, s: f64| ((v / s).round() * s - v).abs() < 1e-6 * s0;
    (first..=last)
        .map(|i| {
            let value = i as f64 * s0;
            let step_size = steps
                .iter()
                .rev()
                .copied()
                .find(|s| divides(value, *s))
                .unwrap_or(s0);
            egui_plot::GridMark { value, step_size }
        })
        .collect()
}

/// A mark of [`nice_grid`] with the decimals its step needs (egui_plot's own rule rounds a
/// half-unit step to whole numbers: −3.5 would read −4).
pub fn nice_label(mark: egui_plot::GridMark, _range: &std::ops::RangeInclusive<f64>) -> String {
    let decimals = (-mark.step_size.log10().floor()).clamp(0.0, 15.0) as usize;
    let text = format!("{:.*}", decimals, mark.value);
    // No "−0".
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text.trim_start_matches('-').to_owned()
    } else {
        text
    }
}

/// The wheel zooms about the pointer in every plot that zooms (the landscape, the loss plot,
/// the 1-D view), as the 3-D view's does and as the README and the tooltips say: egui_plot
/// would pan on the wheel and zoom only with Ctrl held. Called inside the plot, built with
/// `allow_scroll(false)`.
pub fn wheel_zoom(pui: &mut egui_plot::PlotUi<'_>) {
    if !pui.response().hovered() {
        return;
    }
    let dy = pui.ctx().input(|i| i.smooth_scroll_delta.y);
    if dy != 0.0 {
        pui.zoom_bounds_around_hovered(egui::Vec2::splat((dy * 0.002).exp()));
    }
}

/// Grid marks at whole decades of a log10 axis, at most about `most` of them (every 2nd, 5th
/// or 10th decade when there are many), so each is labelled.
pub fn decades(input: egui_plot::GridInput, most: f64) -> Vec<egui_plot::GridMark> {
    let (lo, hi) = input.bounds;
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    let step = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
        .into_iter()
        .find(|s| (hi - lo) / s <= most)
        .unwrap_or(100.0);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last)
        .map(|i| egui_plot::GridMark {
            value: i as f64 * step,
            step_size: step,
        })
        .collect()
}
