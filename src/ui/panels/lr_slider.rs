//! The learning-rate slider: a rail on the landscape's own scale ([`LrScale`]: the band from
//! 1/λ_max to 2/λ_max takes 40 % of the length), the zones painted under it with their marks,
//! a field beside it for the exact value.
//!
//! Dragging or clicking snaps to round values (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ᵏ); with
//! Shift held it does not snap. With the rail focused, the arrow keys step one round value
//! (Shift: a fine step). A screen reader sees one slider named "Learning rate" whose value is
//! the learning rate itself, and a number field with the same name.

use eframe::egui::{
    self, Align2, DragValue, EventFilter, Key, Rect, Response, Sense, Stroke, Ui, WidgetInfo,
    accesskit,
};

use crate::ui::palette::Palette;
use downhill_engine::format::{short, sig};
use downhill_engine::optim::HyperParam;
use downhill_engine::run::Status;
use downhill_engine::teach::lr_scale::{LrScale, Zone};

/// The learning-rate slider's range, from the hyper-parameter table (the sweep uses it too).
/// (Evaluated at compile time: a table without a learning-rate slider does not build.)
pub const LR_RANGE: (f64, f64) = match HyperParam::Lr.slider() {
    Some(s) => (s.lo, s.hi),
    None => panic!("the learning rate is a number with a slider"),
};
/// The name the slider and its field are found by.
pub const NAME: &str = "Learning rate";
/// The shortest rail worth dragging.
const MIN_WIDTH: f32 = 190.0;
/// The size of the marks' text: readable from the back of a room (and with the zoom of
/// presentation mode, larger still).
/// The position a fine (Shift + arrow) step moves.
const FINE_STEP: f64 = 0.004;

/// The name, then the slider and its field on one line, the zones and marks under the rail. Returns
/// the response of the slider, `changed` when either part changed the value.
pub fn lr_slider_ui(ui: &mut Ui, lr: &mut f64, scale: &LrScale) -> Response {
    // The name on a line of its own: the rail gets the panel's width.
    let label = ui.label(NAME);
    let field_width = 64.0;
    let spacing = ui.spacing().item_spacing.x;
    let width = (ui.available_width() - field_width - spacing).max(MIN_WIDTH);
    let row = ui.horizontal(|ui| {
        let mut rail = rail_ui(ui, lr, scale, width).labelled_by(label.id);
        let before = *lr;
        // Four significant digits: a dragged value (Shift) stays short enough for the field.
        let field = ui
            .add_sized(
                [field_width, ui.spacing().interact_size.y],
                DragValue::new(lr)
                    .range(scale.lo()..=scale.hi())
                    .speed(0.0)
                    .custom_formatter(|v, _| sig(v))
                    .update_while_editing(false),
            )
            .on_hover_text("Click to type an exact learning rate");
        field.labelled_by(label.id);
        if *lr != before {
            rail.mark_changed();
        }
        rail
    });
    row.inner
}

/// The rail with its handle, zones and marks.
fn rail_ui(ui: &mut Ui, lr: &mut f64, scale: &LrScale, width: f32) -> Response {
    let rail_h = ui.spacing().interact_size.y;
    let marks_h = if scale.band().is_some() {
        crate::ui::text_size::small(ui).size + 6.0
    } else {
        0.0
    };
    let (rect, mut response) =
        ui.allocate_exact_size(egui::vec2(width, rail_h + marks_h), Sense::click_and_drag());
    let handle_r = rail_h / 2.5;
    let (x0, x1) = (rect.left() + handle_r, rect.right() - handle_r);
    let x_of = |v: f64| x0 + scale.position(v) as f32 * (x1 - x0);
    let old = *lr;

    // The pointer: where it is, snapped unless Shift is held.
    if response.clicked() || response.drag_started() {
        response.request_focus();
    }
    if let Some(p) = response.interact_pointer_pos() {
        let t = f64::from((p.x - x0) / (x1 - x0));
        let v = scale.value(t);
        *lr = if ui.input(|i| i.modifiers.shift) {
            v
        } else {
            scale.snap(v)
        };
    }

    // The keys, when focused: one round value per press, a fine step with Shift.
    let (mut steps, fine) = (0i32, ui.input(|i| i.modifiers.shift));
    if response.has_focus() {
        ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                response.id,
                EventFilter {
                    horizontal_arrows: true,
                    ..Default::default()
                },
            );
        });
        ui.input(|i| {
            steps += i.num_presses(Key::ArrowRight) as i32 - i.num_presses(Key::ArrowLeft) as i32;
        });
    }
    ui.input(|i| {
        steps += i.num_accesskit_action_requests(response.id, accesskit::Action::Increment) as i32
            - i.num_accesskit_action_requests(response.id, accesskit::Action::Decrement) as i32;
    });
    for _ in 0..steps.unsigned_abs() {
        let up = steps > 0;
        *lr = if fine {
            let d = if up { FINE_STEP } else { -FINE_STEP };
            scale.value(scale.position(*lr) + d)
        } else {
            scale.step(*lr, up)
        };
    }
    // A screen reader (and a test) sets the value itself.
    let asked = ui.input(|i| {
        i.accesskit_action_requests(response.id, accesskit::Action::SetValue)
            .filter_map(|r| match r.data {
                Some(accesskit::ActionData::NumericValue(v)) => Some(v),
                _ => None,
            })
            .last()
    });
    if let Some(v) = asked.filter(|v| v.is_finite()) {
        *lr = v.clamp(scale.lo(), scale.hi());
    }
    if *lr != old {
        response.mark_changed();
    }

    if ui.is_rect_visible(rect) {
        paint(ui, rect, rail_h, *lr, scale, &response, x_of);
    }
    // The marks as a node of their own, so a screen reader (and a test) can read them.
    if let Some((a, b)) = scale.band() {
        let marks = Rect::from_min_max(egui::pos2(rect.left(), rect.top() + rail_h), rect.max);
        let name = format!(
            "Stability marks: 1/λ_max = {}, 2/λ_max = {}",
            short(a),
            short(b)
        );
        ui.interact(marks, response.id.with("marks"), Sense::hover())
            .widget_info(|| WidgetInfo::labeled(egui::Role::Label, true, &name));
    }
    let value = *lr;
    response.widget_info(|| WidgetInfo::slider(ui.is_enabled(), value, NAME));
    ui.ctx().accesskit_node_builder(response.id, |b| {
        b.set_min_numeric_value(scale.lo());
        b.set_max_numeric_value(scale.hi());
        b.add_action(accesskit::Action::SetValue);
        if value < scale.hi() {
            b.add_action(accesskit::Action::Increment);
        }
        if value > scale.lo() {
            b.add_action(accesskit::Action::Decrement);
        }
    });
    let tip = match scale.band() {
        Some((a, b)) => format!(
            "η: the step size. Plain gradient descent glides below 1/λ_max = {}, zig-zags \
             between it and 2/λ_max = {}, and blows up above. Drag (snaps to round values; hold \
             Shift for any value), or click it and use the Left and Right arrow keys.",
            short(a),
            short(b)
        ),
        None => "η: the step size. Drag (snaps to round values; hold Shift for any value), or \
                 click it and use the Left and Right arrow keys."
            .to_owned(),
    };
    response.on_hover_text(tip)
}

/// The zones under the rail, the rail, the marks at 1/λ and 2/λ, and the handle.
fn paint(
    ui: &Ui,
    rect: Rect,
    rail_h: f32,
    lr: f64,
    scale: &LrScale,
    response: &Response,
    x_of: impl Fn(f64) -> f32,
) {
    let palette = Palette::of(ui.visuals());
    let painter = ui.painter();
    let mid = rect.top() + rail_h / 2.0;
    let (x0, x1) = (x_of(scale.lo()), x_of(scale.hi()));
    // The zones: a band behind the rail, in the colours of the statuses they lead to.
    for (from, to, zone) in scale.zones() {
        let color = match zone {
            Zone::Smooth => palette.status(Status::Converged),
            Zone::ZigZag => palette.status(Status::Oscillating),
            Zone::Diverges => palette.status(Status::Diverged),
        };
        let (a, b) = (x0 + from as f32 * (x1 - x0), x0 + to as f32 * (x1 - x0));
        painter.rect_filled(
            Rect::from_x_y_ranges(a..=b, (mid - 5.0)..=(mid + 5.0)),
            2.0,
            color.gamma_multiply(0.55),
        );
    }
    let visuals = ui.style().interact(response);
    let rail = Rect::from_x_y_ranges(x0..=x1, (mid - 2.0)..=(mid + 2.0));
    painter.rect_filled(rail, 2.0, ui.visuals().widgets.inactive.bg_fill);
    // The round values as ticks: the decades long, the rest short.
    for n in scale.notches() {
        let x = x_of(n);
        let decade = (n.log10() - n.log10().round()).abs() < 1e-9;
        let h = if decade { 6.0 } else { 3.0 };
        painter.line_segment(
            [egui::pos2(x, mid + 5.0), egui::pos2(x, mid + 5.0 + h)],
            Stroke::new(1.0, ui.visuals().weak_text_color()),
        );
    }
    if let Some((a, b)) = scale.band() {
        for (v, label, align) in [
            (a, format!("1/λ = {}", sig(a)), Align2::RIGHT_TOP),
            (b, format!("2/λ = {}", sig(b)), Align2::LEFT_TOP),
        ] {
            if !(scale.lo()..=scale.hi()).contains(&v) {
                continue;
            }
            let x = x_of(v);
            painter.line_segment(
                [
                    egui::pos2(x, mid - 7.0),
                    egui::pos2(x, rect.top() + rail_h + 2.0),
                ],
                Stroke::new(2.0, palette.mark),
            );
            painter.text(
                egui::pos2(
                    x + if align == Align2::RIGHT_TOP {
                        -3.0
                    } else {
                        3.0
                    },
                    rect.top() + rail_h + 1.0,
                ),
                align,
                label,
                crate::ui::text_size::small(ui),
                palette.mark,
            );
        }
    }
    let center = egui::pos2(x_of(lr), mid);
    painter.circle(
        center,
        rail_h / 2.5 + visuals.expansion,
        visuals.bg_fill,
        visuals.fg_stroke,
    );
    if response.has_focus() {
        painter.circle_stroke(center, rail_h / 2.5 + 3.0, ui.visuals().selection.stroke);
    }
}
