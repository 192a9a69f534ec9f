//! The window from the back of a room: no text smaller than 13 points at scale 1 or 18 on the
//! screen in presentation mode, a map that keeps the window the user left across the 3-D and
//! presentation toggles, and a step table with every column.

#![allow(clippy::unwrap_used)]

mod common;

use common::ui::new_harness;
use downhill::ui::App;
use downhill::ui::settings::{Settings, SidePage};
use downhill::ui::text_size::{FLOOR, PRESENTING_FLOOR};
use downhill_engine::geometry::View;
use eframe::egui::{self, Key, epaint::Shape};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// Every text drawn in the last frame: its words and its font size in points.
fn drawn_texts(h: &Harness<'static, App>) -> Vec<(String, f32)> {
    fn walk(shape: &Shape, out: &mut Vec<(String, f32)>) {
        match shape {
            Shape::Text(t) => {
                for s in &t.galley.job.sections {
                    let (a, b) = (s.byte_range.start.0, s.byte_range.end.0);
                    let words = t.galley.job.text.get(a..b).unwrap_or("").trim().to_owned();
                    if !words.is_empty() {
                        out.push((words, s.format.font_id.size));
                    }
                }
            }
            Shape::Vec(v) => v.iter().for_each(|s| walk(s, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for c in &h.output().shapes {
        walk(&c.shape, &mut out);
    }
    out
}

/// Fails on any text style or drawn text below `floor` screen points.
fn assert_readable(h: &Harness<'static, App>, floor: f32, what: &str) {
    let zoom = h.ctx.zoom_factor();
    for (style, font) in &h.ctx.global_style().text_styles {
        assert!(
            font.size * zoom >= floor - 1e-3,
            "{what}: text style {style:?} is {} on the screen",
            font.size * zoom
        );
    }
    let texts = drawn_texts(h);
    assert!(texts.len() > 20, "{what}: only {} texts drawn", texts.len());
    let small: Vec<_> = texts
        .iter()
        .filter(|(_, size)| size * zoom < floor - 1e-3)
        .collect();
    assert!(small.is_empty(), "{what}: text below {floor}: {small:?}");
}

/// Two runs, scattered starts, on `page`: run chips, marks, legends, the status, all drawn.
fn busy_settings(page: SidePage) -> Settings {
    let mut s = Settings {
        page,
        ..Settings::default()
    };
    let mut second = s.setup.runs[0];
    second.config.hyper.lr = 0.3;
    s.setup.runs.push(second);
    s
}

fn frames(h: &mut Harness<'static, App>, n: usize) {
    for _ in 0..n {
        h.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn no_text_is_smaller_than_13_points_or_18_in_presentation_mode() {
    for page in [SidePage::Arithmetic, SidePage::Sweep, SidePage::Slice] {
        let mut h = new_harness().settings(busy_settings(page)).build();
        frames(&mut h, 20);
        assert_readable(&h, FLOOR, &format!("{page:?}"));
        h.key_press(Key::F11);
        frames(&mut h, 20);
        assert!(h.state().presenting());
        assert_readable(&h, PRESENTING_FLOOR, &format!("{page:?} presenting"));
    }
}

fn view_of(h: &Harness<'static, App>) -> View {
    h.state().settings().view.expect("no view on screen")
}

/// `a` and `b` are the same window, to a thousandth of its size.
fn same(a: View, b: View) -> bool {
    let tol = 1e-3 * (a.x[1] - a.x[0]).max(a.y[1] - a.y[0]);
    (0..2).all(|i| (a.x[i] - b.x[i]).abs() < tol && (a.y[i] - b.y[i]).abs() < tol)
}

/// `v` is centred where `was` is and shows the start (3, 2) and the minimum with room to
/// spare: the map stays fitted, not off-centre with the path cut.
fn fitted_like(v: View, was: View) -> bool {
    let centre = |v: View| ((v.x[0] + v.x[1]) / 2.0, (v.y[0] + v.y[1]) / 2.0);
    let (a, b) = (centre(v), centre(was));
    let tol = 1e-3 * (was.x[1] - was.x[0]);
    (a.0 - b.0).abs() < tol
        && (a.1 - b.1).abs() < tol
        && [(3.0, 2.0), (0.0, 0.0)].iter().all(|&(x, y)| {
            v.x[0] < x - 0.5 && x + 0.5 < v.x[1] && v.y[0] < y - 0.5 && y + 0.5 < v.y[1]
        })
}

#[test]
fn three_d_and_presentation_keep_the_window_the_user_left() {
    for size in [egui::vec2(1280.0, 720.0), egui::vec2(1920.0, 1080.0)] {
        let mut h = new_harness().size(size).renderer(true).paused();
        frames(&mut h, 4);
        let before = view_of(&h);
        h.key_press(Key::Num3);
        frames(&mut h, 4);
        assert!(h.state().settings().three_d);
        let with_3d = view_of(&h);
        assert!(
            fitted_like(with_3d, before),
            "{size:?}: beside the 3-D view the map shows {with_3d:?}, not fitted like {before:?}"
        );
        h.key_press(Key::Num3);
        frames(&mut h, 4);
        assert!(!h.state().settings().three_d);
        let after = view_of(&h);
        assert!(
            same(before, after),
            "{size:?}: 3-D off: {before:?} became {after:?}"
        );
        h.key_press(Key::F11);
        frames(&mut h, 4);
        assert!(h.state().presenting());
        assert!(
            fitted_like(view_of(&h), before),
            "{size:?}: presenting shows {:?}",
            view_of(&h)
        );
        h.key_press(Key::F11);
        frames(&mut h, 4);
        let after = view_of(&h);
        assert!(
            same(before, after),
            "{size:?}: presentation off: {before:?} became {after:?}"
        );
    }
}

#[test]
fn the_step_table_shows_every_column_header_in_its_panel() {
    let mut h = new_harness().size(egui::vec2(1280.0, 720.0)).paused();
    frames(&mut h, 3);
    let panel = h.ctx.content_rect();
    for name in downhill::ui::pages::arithmetic::COLUMNS {
        let node = h.get_by_label(name);
        let r = node.rect();
        assert!(
            r.max.x <= panel.max.x && r.min.x >= panel.min.x && r.max.y <= panel.max.y,
            "the header {name} is outside the window at {r:?}"
        );
    }
    // Following the live step scrolls the rows, not the header.
    h.get_by_label("Step").click();
    frames(&mut h, 6);
    for name in downhill::ui::pages::arithmetic::COLUMNS {
        assert!(h.query_by_label(name).is_some(), "{name} scrolled away");
    }
}
