//! The status says how and why: the manner with the status ("converging, zig-zag"), the why
//! per direction under it, the arithmetic choice beside the optimizer, and the step
//! arithmetic marking a rounded figure with ≈.

#![allow(clippy::unwrap_used)]

mod common;

use common::ui::{new_harness, settle};
use downhill::ui::App;
use downhill::ui::settings::{Settings, SidePage};
use downhill_engine::optim::Arithmetic;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// A paused window on the bowl at `lr`, reset to step 0, then `n` steps.
fn bowl(lr: f64, n: usize, page: Option<SidePage>) -> Harness<'static, App> {
    let mut s = Settings::default();
    s.setup.runs[0].config.hyper.lr = lr;
    if let Some(p) = page {
        s.page = p;
    }
    let mut h = new_harness().settings(s).paused();
    h.get_by_label("Reset").click();
    settle(&mut h);
    for _ in 0..n {
        h.get_by_label("Step").click();
        settle(&mut h);
    }
    h
}

/// GD on the bowl at η = 0.2: the path zig-zags across the valley, and the window says why:
/// along w1 each step multiplies the distance by 1 − 0.2·8 = −0.6.
#[test]
fn the_bowl_at_0_2_says_zig_zag_and_why() {
    let h = bowl(0.2, 6, None);
    assert!(
        h.query_by_label_contains("converging, zig-zag (step 6)")
            .is_some(),
        "no zig-zag badge"
    );
    assert!(
        h.query_by_label_contains("along w1 every step multiplies the distance by −0.6")
            .is_some(),
        "no why along w1"
    );
    assert!(
        h.query_by_label_contains("overshoots and zig-zags")
            .is_some(),
        "no zig-zag why"
    );
    assert!(
        h.query_by_label_contains("along w0 every step multiplies the distance by 0.6")
            .is_some(),
        "no why along w0"
    );
}

/// The bowl's third update at η = 0.15 gives w1 = −0.01599999999999999: the step arithmetic
/// writes it rounded, marked ≈, and says where the full value is.
#[test]
fn a_rounded_figure_in_the_step_arithmetic_is_marked() {
    let h = bowl(0.15, 3, Some(SidePage::Arithmetic));
    assert!(
        h.query_by_label_contains("= ≈−0.016").is_some(),
        "no ≈ on the rounded new point"
    );
    assert!(
        h.query_by_label_contains("≈: rounded to 10 digits")
            .is_some()
    );
    // The step table shows the same value: every digit where its column has room, else
    // rounded to the column and marked ≈ like the arithmetic (every digit on hover).
    let whole = h.query_by_label("-0.01599999999999999").is_some();
    let marked = h.query_all_by_label_contains("≈-").any(|n| {
        let label = format!("{n:?}");
        label.contains("role: Label")
            && label
                .split('"')
                .nth(1)
                .and_then(|v| v.trim_start_matches('≈').parse::<f64>().ok())
                .is_some_and(|v| (v + 0.016).abs() < 0.005)
    });
    assert!(
        whole || marked,
        "the step table's w1 is neither whole nor marked ≈"
    );
}

/// The arithmetic is a labelled choice beside the optimizer; picking "as written" makes the
/// run compute `w − η·g` rounded twice (the table's third row then differs from torch's).
#[test]
fn the_arithmetic_choice_sits_beside_the_optimizer() {
    let mut h = bowl(0.15, 0, None);
    h.get_by_label("Arithmetic").click();
    h.run_steps(2);
    h.get_by_label(Arithmetic::AsWritten.label()).click();
    settle(&mut h);
    assert_eq!(
        h.state().settings().setup.runs[0].config.arithmetic,
        Arithmetic::AsWritten
    );
    let snap = h.state().snapshot();
    assert_eq!(snap.setup.runs[0].config.arithmetic, Arithmetic::AsWritten);
    let w = snap.primary().path.get(3).unwrap().w;
    assert_eq!(w.y, -0.015999999999999986);
}
