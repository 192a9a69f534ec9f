//! Loss and gradient norm against step, on a log scale, updating live.

use eframe::egui::Ui;
use egui_plot::{Corner, HoverPosition, Legend, Line, Plot, log_grid_spacer};

use crate::stepper::Snapshot;
use crate::ui::palette::Palette;

/// Points drawn per line at most; longer paths are thinned (see `Path::thinned`).
const MAX_POINTS: usize = 4000;

/// How the loss axis is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Scale {
    /// log10(L − L*), with L* the lowest known minimum.
    AboveMinimum(f64),
    /// log10(L): every loss is positive.
    Log,
    /// The loss as it is (it goes negative and no minimum is known, e.g. the saddle).
    Linear,
}

pub fn loss_plot_ui(ui: &mut Ui, snap: &Snapshot) {
    let palette = Palette::of(ui.visuals());
    let scale = match snap.min_loss {
        Some(m) => Scale::AboveMinimum(m),
        None if snap.path.thinned(MAX_POINTS).all(|(_, r)| r.loss > 0.0) => Scale::Log,
        None => Scale::Linear,
    };
    let rows = snap.path.thinned(MAX_POINTS);
    let mut loss = Vec::new();
    let mut grad = Vec::new();
    for (i, r) in rows {
        let y = match scale {
            Scale::AboveMinimum(m) => (r.loss - m).max(1e-300).log10(),
            Scale::Log => r.loss.log10(),
            Scale::Linear => r.loss,
        };
        if y.is_finite() {
            loss.push([i as f64, y]);
        }
        let g = r.grad.norm().log10();
        if g.is_finite() && scale != Scale::Linear {
            grad.push([i as f64, g]);
        }
    }
    let loss_name = match scale {
        Scale::AboveMinimum(0.0) => "loss L".to_owned(),
        Scale::AboveMinimum(m) => format!("L − L* (L* = {})", crate::format::short(m)),
        Scale::Log => "loss L".to_owned(),
        Scale::Linear => "loss L (linear)".to_owned(),
    };
    let log = scale != Scale::Linear;
    let mut plot = Plot::new("loss")
        .x_axis_label("step")
        .legend(Legend::default().position(Corner::RightTop))
        .allow_scroll(false)
        .include_x(0.0);
    if log {
        plot = plot
            .y_grid_spacer(log_grid_spacer(10))
            .y_axis_min_width(48.0)
            .y_axis_formatter(|mark, _| {
                // Whole decades as 1eN; marks between them as the number itself.
                let v = mark.value;
                if (v - v.round()).abs() < 1e-9 {
                    format!("1e{}", v.round() as i64)
                } else {
                    crate::format::sig(10f64.powf(v))
                }
            })
            .label_formatter(|pos| {
                let (name, p) = match pos {
                    HoverPosition::NearDataPoint {
                        plot_name,
                        position,
                        ..
                    } => (*plot_name, *position),
                    HoverPosition::Elsewhere { position } => ("", *position),
                };
                Some(format!("{name}\nstep {:.0}\n{:.3e}", p.x, 10f64.powf(p.y)))
            });
    }
    let resp = plot.show(ui, |pui| {
        pui.line(Line::new(loss_name, loss).color(palette.path).width(2.0));
        if !grad.is_empty() {
            pui.line(Line::new("gradient norm |g|", grad).color(palette.gradient_arrow));
        }
    });
    let _ = resp
        .response
        .accessible_name("Loss against step")
        .on_hover_text("Loss (log scale) and gradient norm against step");
}
