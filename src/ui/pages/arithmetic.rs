//! The step arithmetic: the update at the shown step written out with its numbers (from the
//! stepper, which replays it), a timeline to step back and forth through the run's history,
//! and the step table (step, w0, w1, L, g0, g1) to copy or save as CSV.

use std::sync::{Arc, Mutex};

use eframe::egui::{self, RichText, Slider, Ui};

use crate::live::stepper::{RunPath, Snapshot};
use crate::ui::palette::Palette;
use crate::ui::timeline::Timeline;
use downhill_engine::format::num;
use downhill_engine::run::rows::RowWriter;
use downhill_engine::teach::explain::{Digits, Line};

/// A CSV being written or copied on a thread of its own (a million rows take a while).
#[derive(Default)]
pub struct Export {
    /// The outcome of the last export, for the user.
    pub message: Arc<Mutex<Option<String>>>,
    /// Text waiting to go to the clipboard.
    pub clipboard: Arc<Mutex<Option<String>>>,
    pub file_name: String,
}

fn csv_of(path: &RunPath, batch: bool) -> std::io::Result<Vec<u8>> {
    let mut w = RowWriter::new(Vec::new(), false, batch)?;
    for (step, r) in path.iter() {
        w.row(step as u64, r)?;
    }
    let last = path.last().map(|_| path.len() as u64 - 1).unwrap_or(0);
    w.finish(
        downhill_engine::run::Status::Converging,
        downhill_engine::run::Manner::Smooth,
        last,
    )
}

/// Every run's kept rows: CSV with a `run` column first, or (for a `.json` file) one JSON
/// object with the runs, each with its label, status and rows.
fn all_runs_bytes(
    runs: &[(String, downhill_engine::run::Status, RunPath)],
    json: bool,
    batch: bool,
) -> String {
    use downhill_engine::run::rows::{csv_row, json_row};
    let mut out = String::new();
    if json {
        out.push_str("{\"runs\": [");
        for (k, (label, status, path)) in runs.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            out.push_str(&format!(
                "\n {{\"run\": {}, \"label\": {}, \"status\": \"{}\", \"rows\": [",
                k + 1,
                serde_json::to_string(label).unwrap_or_default(),
                status.name()
            ));
            for (i, (step, r)) in path.iter().enumerate() {
                out.push_str(if i > 0 { ",\n  " } else { "\n  " });
                out.push_str(&json_row(step as u64, r, batch));
            }
            out.push_str("\n ]}");
        }
        out.push_str("\n]}\n");
    } else {
        out.push_str(&format!(
            "run,{}\n",
            downhill_engine::run::rows::csv_header(batch)
        ));
        for (k, (_, _, path)) in runs.iter().enumerate() {
            for (step, r) in path.iter() {
                out.push_str(&format!("{},{}\n", k + 1, csv_row(step as u64, r, batch)));
            }
        }
    }
    out
}

impl Export {
    /// Runs `job` on a thread of its own; its outcome (what was written, or why not) becomes
    /// the message under the buttons.
    fn run(&self, ctx: egui::Context, job: impl FnOnce() -> String + Send + 'static) {
        let message = Arc::clone(&self.message);
        *message.lock().unwrap_or_else(|e| e.into_inner()) = Some("Writing…".into());
        let spawned = std::thread::Builder::new()
            .name("downhill-export".into())
            .spawn(move || {
                let outcome = job();
                *message.lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
                ctx.request_repaint();
            });
        if let Err(e) = spawned {
            *self.message.lock().unwrap_or_else(|e| e.into_inner()) =
                Some(format!("Could not start writing: {e}"));
        }
    }

    /// Writes every run to `file`.
    fn start_all(
        &self,
        runs: Vec<(String, downhill_engine::run::Status, RunPath)>,
        file: std::path::PathBuf,
        batch: bool,
        ctx: egui::Context,
    ) {
        self.run(ctx, move || {
            let json = file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            let text = all_runs_bytes(&runs, json, batch);
            match crate::atomic::write_bytes(&file, text.as_ref()) {
                Ok(()) => format!("Saved {} runs to {}", runs.len(), file.display()),
                Err(e) => format!("Could not save: {e}"),
            }
        });
    }

    /// Writes one run's rows as CSV to `to_file`, or to the clipboard.
    fn start(
        &self,
        path: RunPath,
        to_file: Option<std::path::PathBuf>,
        batch: bool,
        ctx: egui::Context,
    ) {
        let clipboard = Arc::clone(&self.clipboard);
        self.run(ctx, move || {
            let rows = path.kept_len();
            match csv_of(&path, batch) {
                Err(e) => format!("Could not write the CSV: {e}"),
                Ok(bytes) => match &to_file {
                    Some(file) => match crate::atomic::write_bytes(file, &bytes) {
                        Ok(()) => format!("Saved {rows} rows to {}", file.display()),
                        Err(e) => format!("Could not save: {e}"),
                    },
                    None => {
                        let text = String::from_utf8_lossy(&bytes).into_owned();
                        *clipboard.lock().unwrap_or_else(|e| e.into_inner()) = Some(text);
                        format!("Copied {rows} rows as CSV")
                    }
                },
            }
        });
    }
}

/// The update at the shown step written out, the timeline, and the step table (only the rows
/// scrolled into view are drawn).
pub fn arithmetic_ui(
    ui: &mut Ui,
    snap: &Snapshot,
    focus: usize,
    timeline: &mut Timeline,
    export: &mut Export,
) {
    let palette = Palette::of(ui.visuals());
    let Some(run) = snap.runs.get(focus) else {
        return;
    };
    if let Some(text) = export
        .clipboard
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
    {
        ui.ctx().copy_text(text);
    }
    let live = run.step();
    let shown = timeline.shown(live);

    // The timeline.
    ui.horizontal(|ui| {
        let mut s = shown;
        let back = ui
            .add_enabled(s > 0, egui::Button::new("Previous"))
            .on_hover_text("Previous step");
        if back.clicked() {
            s -= 1;
        }
        if ui
            .add(Slider::new(&mut s, 0..=live.max(1)).text("Step shown"))
            .on_hover_text("Drag back through the run's history; the picture follows")
            .changed()
            || s != shown
        {
            timeline.step = Some(s.min(live));
        }
        let next = ui
            .add_enabled(shown < live, egui::Button::new("Next"))
            .on_hover_text("Next step");
        if next.clicked() {
            timeline.step = Some((shown + 1).min(live));
        }
    });
    let mut follow = timeline.step.is_none();
    if ui
        .checkbox(&mut follow, "Follow the live step")
        .on_hover_text("Show the newest step as the run plays")
        .changed()
    {
        timeline.step = if follow { None } else { Some(shown) };
    }

    // The update written out.
    ui.separator();
    let e = snap
        .explanation
        .as_ref()
        .filter(|e| e.step == shown && snap.inspect.run == focus);
    match e {
        _ if shown == 0 => {
            ui.label(
                "Row 0 is the start. Press Step (Right arrow or N) to take the first update and see it \
                 written out.",
            );
        }
        Some(e) => {
            ui.label(RichText::new(&e.heading).strong());
            for line in &e.lines {
                let r = ui.label(
                    RichText::new(two_lines(&line.render(Digits::Reading, e.params))).monospace(),
                );
                if line.rounded() {
                    r.on_hover_text(format!(
                        "≈ marks a figure rounded to 10 digits. In full (as the step table \
                         prints it):\n{}",
                        two_lines(&line.render(Digits::Full, e.params))
                    ));
                }
            }
            if e.lines.iter().any(Line::rounded) {
                ui.label(
                    RichText::new("≈: rounded to 10 digits; hover over the line for every digit")
                        .small()
                        .weak(),
                );
            }
            ui.label(
                RichText::new(
                    "g is ∂L/∂w at the old point (with noise, the noisy one); the last number \
                     of each w line is the new point",
                )
                .small()
                .weak(),
            );
        }
        None => {
            ui.label(RichText::new("Working it out…").weak());
        }
    }

    // The step table.
    ui.separator();
    let batch = snap.landscape.data().is_some();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Step table").strong());
        if ui
            .button("Copy CSV")
            .on_hover_text(
                "Copy every row of this run as CSV (step,w0,w1,loss,g0,g1, and batch_loss on data)",
            )
            .clicked()
        {
            export.start(run.path.clone(), None, batch, ui.ctx().clone());
        }
        if export.file_name.is_empty() {
            export.file_name = "downhill-steps.csv".into();
        }
        let label = ui.label("File");
        ui.add(egui::TextEdit::singleline(&mut export.file_name).desired_width(130.0))
            .labelled_by(label.id)
            .on_hover_text("Where Save CSV writes (relative to the folder downhill started in)");
        if ui
            .button("Save CSV")
            .on_hover_text("Save every row of this run as CSV")
            .clicked()
        {
            let file = std::path::PathBuf::from(export.file_name.trim());
            let file = std::path::absolute(&file).unwrap_or(file);
            export.start(run.path.clone(), Some(file), batch, ui.ctx().clone());
        }
        if ui
            .button("Save all runs")
            .on_hover_text(
                "Save the rows of every run to the file: CSV with a run column, or JSON when \
                 the name ends in .json",
            )
            .clicked()
        {
            let file = std::path::PathBuf::from(export.file_name.trim());
            let file = std::path::absolute(&file).unwrap_or(file);
            let runs = snap
                .runs
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    let label = crate::ui::widgets::snapshot_run_label(snap, k);
                    (label, r.status, r.path.clone())
                })
                .collect();
            export.start_all(runs, file, batch, ui.ctx().clone());
        }
    });
    if let Some(m) = export
        .message
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
    {
        ui.label(RichText::new(m).small());
    }
    let path = &run.path;
    if path.whole_from() > 0 {
        ui.label(
            RichText::new(format!(
                "Rows before step {} are thinned to keep memory bounded; `downhill trace` prints \
                 every row.",
                path.whole_from()
            ))
            .small()
            .weak(),
        );
    }
    if let Some(n) = snap.landscape.net() {
        let [a, b] = n.axis_names();
        ui.label(
            RichText::new(format!(
                "θ has {} parameters; the table shows its projection on the map's plane: w0 is \
                 {a}, w1 is {b}, g0 and g1 the batch gradient along them (`downhill trace \
                 --net` prints every parameter)",
                n.problem.net.param_count()
            ))
            .small(),
        );
    }
    let rows = path.kept_below(shown as usize + 1);
    // Every column fits the panel: the numbers get as many digits as their column has room
    // for (Copy CSV and Save CSV keep them all). The header stays above the scrolled rows.
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let char_width = ui.fonts_mut(|f| f.glyph_width(&font, '0')).max(1.0);
    let row_height = ui.text_style_height(&egui::TextStyle::Monospace) + 4.0;
    let gap = 8.0;
    let step_chars = path.len().max(1).to_string().len().max(4);
    let step_width = step_chars as f32 * char_width + gap;
    let scroll_bar = ui.spacing().scroll.bar_width + ui.spacing().scroll.bar_outer_margin;
    let number_width =
        ((ui.available_width() - step_width - scroll_bar) / 5.0).max(char_width * 6.0);
    let digits = ((number_width - gap) / char_width).floor().max(6.0) as usize;
    let widths = [
        step_width,
        number_width,
        number_width,
        number_width,
        number_width,
        number_width,
    ];
    table_row_ui(
        ui,
        &widths,
        row_height,
        COLUMNS.map(|h| (RichText::new(h).strong().monospace(), None)),
    );
    egui::ScrollArea::vertical()
        .id_salt("step table")
        .auto_shrink([false, false])
        .stick_to_bottom(timeline.step.is_none())
        .show_rows(ui, row_height, rows, |ui, range| {
            for i in range {
                let Some((step, r)) = path.kept(i) else {
                    break;
                };
                let text = |s: String| {
                    let t = RichText::new(s).monospace();
                    if step == shown as usize {
                        t.color(palette.mark)
                    } else {
                        t
                    }
                };
                // A rounded figure is marked ≈, as in the step arithmetic, with every digit
                // on hover.
                let number = |x: f64| {
                    let (shown, rounded) = fitted(x, digits);
                    (text(shown), rounded.then(|| num(x)))
                };
                let cells = [
                    (text(step.to_string()), None),
                    number(r.w.x),
                    number(r.w.y),
                    number(r.loss),
                    number(r.grad.x),
                    number(r.grad.y),
                ];
                table_row_ui(ui, &widths, row_height, cells);
            }
        });
}

/// The step table's columns.
pub const COLUMNS: [&str; 6] = ["step", "w0", "w1", "L", "g0", "g1"];

/// One row of the step table: each cell in its column's width, with its full value on hover
/// when the cell shows it rounded.
fn table_row_ui(
    ui: &mut Ui,
    widths: &[f32; 6],
    height: f32,
    cells: [(RichText, Option<String>); 6],
) {
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        for (w, (cell, full)) in widths.iter().zip(cells) {
            ui.allocate_ui_with_layout(
                egui::vec2(*w, height),
                egui::Layout::left_to_right(egui::Align::Center),
                |ui| {
                    ui.set_min_size(egui::vec2(*w, height));
                    let label = ui.add(egui::Label::new(cell).truncate());
                    if let Some(full) = full {
                        label.on_hover_text(format!("In full: {full}"));
                    }
                },
            );
        }
    });
}

/// `x` in at most `chars` characters, and whether it was rounded: its shortest round-trip
/// form when that fits, otherwise `≈` and as many significant digits as fit.
fn fitted(x: f64, chars: usize) -> (String, bool) {
    let whole = num(x);
    if whole.chars().count() <= chars || !x.is_finite() {
        return (whole, false);
    }
    let room = chars.saturating_sub(1);
    for digits in (1..17).rev() {
        let t = downhill_engine::format::short(format!("{x:.*e}", digits - 1).parse().unwrap_or(x));
        if t.chars().count() <= room {
            return (format!("≈{t}"), true);
        }
    }
    (format!("≈{x:.0e}"), true)
}

/// An update line as written by hand: the formula, then its numbers under it
/// (`w0 ← w0 − η·g0` / `    = 6 − 0.3 × 8 = 3.6`). Lines that define a name
/// (`m_hat0 = m0 / … = …`) break after their formula too.
fn two_lines(line: &str) -> String {
    let skip = usize::from(!line.contains('←'));
    match line.match_indices(" = ").nth(skip) {
        Some((i, _)) => format!("{}\n    = {}", &line[..i], &line[i + 3..]),
        None => line.to_owned(),
    }
}

/// The step-arithmetic side page: the update written out, the timeline and the step table.
#[derive(Default)]
pub struct ArithmeticPage {
    export: Export,
}

impl crate::ui::pages::page::Page for ArithmeticPage {
    fn id(&self) -> crate::ui::settings::SidePage {
        crate::ui::settings::SidePage::Arithmetic
    }

    fn title(&self) -> &'static str {
        "Step arithmetic"
    }

    fn tooltip(&self) -> &'static str {
        "The update written out, the timeline and the step table"
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut crate::ui::pages::page::PageContext<'_>) {
        arithmetic_ui(ui, cx.snap, cx.focus, cx.timeline, &mut self.export);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn updates_break_after_their_formula() {
        assert_eq!(
            super::two_lines("w0 ← w0 − η·g0 = 6 − 0.3 × 8 = 3.6"),
            "w0 ← w0 − η·g0\n    = 6 − 0.3 × 8 = 3.6"
        );
        assert_eq!(
            super::two_lines("m_hat0 = m0 / (1 − β1^1) = 0.8 / 0.1 = 8"),
            "m_hat0 = m0 / (1 − β1^1)\n    = 0.8 / 0.1 = 8"
        );
    }
}
