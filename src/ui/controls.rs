//! The controls panel: landscape, optimizer and its hyper-parameters, schedule, start, step
//! limit, noise, playback. It edits a copy of the settings; the app sends what changed to the
//! stepper after the frame.

use eframe::egui::{self, Align2, DragValue, Slider, Stroke, Ui};

use crate::live::stepper::{Snapshot, Speed};
use crate::ui::actions::Action;
use crate::ui::data_panel;
use crate::ui::landscape_choice::LandscapeChoice;
use crate::ui::palette::Palette;
use crate::ui::settings::Settings;
use downhill_engine::expr::Expr;
use downhill_engine::format::short;
use downhill_engine::landscape::{BUILTINS, Landscape, LandscapeSpec};
use downhill_engine::optim::{HyperParam, OptimizerKind};
use downhill_engine::run::schedule::{SCHEDULE_NAMES, Schedule};
use downhill_engine::run::setup::{MAX_RUNS, MAX_SCATTER, MAX_STEPS, RunSpec};

/// Switches the landscape to the formula in the field, if it parses (a formula that does not
/// parse leaves the last good landscape running); `fresh` also moves the start to the formula
/// landscape's default.
pub(crate) fn use_formula(settings: &mut Settings, fresh: bool) {
    if fresh && Expr::parse(&settings.formula).is_err() {
        // Coming back to a draft that does not parse: start from the last formula that did.
        settings.formula = settings
            .formula_history
            .first()
            .cloned()
            .unwrap_or_else(|| Settings::default().formula);
    }
    let text = settings.formula.trim().to_owned();
    if let Ok(e) = Expr::parse(&text) {
        if fresh {
            let start = Landscape::Expr(e).default_start();
            settings.setup.start = [start.x, start.y];
        }
        settings.setup.landscape = LandscapeSpec::Expr { text };
    }
}

/// The formula field: the text, where and why it does not parse, the history, and the
/// derivatives written out.
fn formula_ui(ui: &mut Ui, settings: &mut Settings, snap: &Snapshot) {
    let palette = Palette::of(ui.visuals());
    let label = ui.label("Formula L(x, y)");
    let edit = ui
        .add(
            egui::TextEdit::singleline(&mut settings.formula)
                .font(egui::TextStyle::Monospace)
                .desired_width(f32::INFINITY)
                .hint_text("x^2 + 10*sin(y)"),
        )
        .labelled_by(label.id)
        .on_hover_text(
            "x and y (or w0, w1); + - * / ^; sin cos tan exp ln log sqrt abs tanh; pi, e. \
             The landscape follows as soon as the formula parses.",
        );
    match Expr::parse(&settings.formula) {
        Ok(_) => {
            if edit.changed() {
                use_formula(settings, false);
            }
            if edit.lost_focus() {
                let text = settings.formula.clone();
                settings.remember_formula(&text);
            }
        }
        Err(e) => {
            // A caret under the column, in the same monospace font as the field.
            let caret = format!("{}^", " ".repeat(e.column.saturating_sub(1)));
            ui.label(
                egui::RichText::new(format!("{}\n{caret}", settings.formula))
                    .monospace()
                    .color(palette.error),
            );
            ui.label(
                egui::RichText::new(format!("Column {}: {}", e.column, e.message))
                    .color(palette.error),
            )
            .on_hover_text("The last formula that parsed keeps running");
        }
    }
    if !settings.formula_history.is_empty() {
        let mut pick: Option<String> = None;
        egui::ComboBox::from_label("Recent formulas")
            .selected_text("Recent…")
            .show_ui(ui, |ui| {
                for f in &settings.formula_history {
                    if ui.selectable_label(false, f).clicked() {
                        pick = Some(f.clone());
                    }
                }
            })
            .response
            .on_hover_text("Formulas you used before");
        if let Some(f) = pick {
            settings.formula = f;
            use_formula(settings, false);
        }
    }
    if let Some(d) = &snap.derivatives {
        for (name, text) in [("∂L/∂x", &d[0]), ("∂L/∂y", &d[1])] {
            ui.label(egui::RichText::new(format!("{name} = {text}")).monospace())
                .on_hover_text("The exact derivative, simplified");
        }
        egui::CollapsingHeader::new("Hessian").show(ui, |ui| {
            for (name, text) in [("∂²L/∂x²", &d[2]), ("∂²L/∂x∂y", &d[3]), ("∂²L/∂y²", &d[4])]
            {
                ui.label(egui::RichText::new(format!("{name} = {text}")).monospace());
            }
        });
    }
}

/// The learning-rate slider's range, from the hyper-parameter table (the sweep uses it too).
/// (Evaluated at compile time: a table without a learning-rate slider does not build.)
pub const LR_RANGE: (f64, f64) = match HyperParam::Lr.slider() {
    Some(s) => (s.lo, s.hi),
    None => panic!("the learning rate is a number with a slider"),
};
const SLIDER_WIDTH: f32 = 190.0;

/// Shows the controls; edits `settings`, pushes button presses to `actions`.
/// `compact` (presentation mode): the controls that matter in front of a class only — playback,
/// landscape, runs, optimizer and learning rate.
pub fn controls_ui(
    ui: &mut Ui,
    settings: &mut Settings,
    snap: &Snapshot,
    actions: &mut Vec<Action>,
    compact: bool,
) {
    ui.spacing_mut().slider_width = SLIDER_WIDTH;
    egui::ScrollArea::vertical().show(ui, |ui| {
        playback_ui(ui, settings, snap, actions);
        ui.separator();
        landscape_ui(ui, settings, snap);
        ui.separator();
        runs_ui(ui, settings, snap);
        ui.separator();
        optimizer_ui(ui, settings, snap, compact);
        if !compact {
            ui.separator();
            run_ui(ui, settings);
        }
    });
}

fn playback_ui(ui: &mut Ui, settings: &mut Settings, snap: &Snapshot, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        for action in [Action::PlayPause, Action::Step, Action::Reset] {
            let (mut text, _) = action.text_and_tooltip();
            if action == Action::PlayPause && snap.playing {
                text = "Pause";
            }
            if ui
                .button(text)
                .on_hover_text(action.hover_text(ui.ctx()))
                .clicked()
            {
                actions.push(action);
            }
        }
    });
    ui.label(format!("Step {} of {}", snap.step, snap.setup.steps))
        .on_hover_text("Updates taken so far, and the step limit");
    // On mini-batches: where the selected run is in its epochs.
    if let Some(d) = snap.landscape.data()
        && let Some(r) = snap.setup.runs.get(settings.focus)
        && let Some(run) = snap.runs.get(settings.focus)
        && let Some((epoch, b, per)) = r.config.batch.position(d.len(), run.step())
    {
        ui.label(format!("epoch {}, batch {} of {per}", epoch + 1, b + 1))
            .on_hover_text(
                "Where the selected run is: an epoch is one pass over the data, one batch per step",
            );
    }

    let mut mode = match settings.speed {
        Speed::PerSecond(_) => 0,
        Speed::Max => 1,
        Speed::Instant => 2,
    };
    let modes = [
        "Steps per second",
        "As fast as possible",
        "Instant (whole run)",
    ];
    let before = mode;
    egui::ComboBox::from_label("Speed")
        .selected_text(modes[mode])
        .show_ui(ui, |ui| {
            for (i, m) in modes.iter().enumerate() {
                ui.selectable_value(&mut mode, i, *m);
            }
        })
        .response
        .on_hover_text("How fast the run plays; Instant shows the whole run at every change");
    let mut rate = match settings.speed {
        Speed::PerSecond(r) => r,
        _ => 30.0,
    };
    if mode == 0 {
        ui.add(
            Slider::new(&mut rate, 1.0..=10_000.0)
                .logarithmic(true)
                .text("Steps per second"),
        )
        .on_hover_text("Updates per second while playing");
    }
    if mode != before || mode == 0 {
        settings.speed = match mode {
            0 => Speed::PerSecond(rate),
            1 => Speed::Max,
            _ => Speed::Instant,
        };
    }
}

fn landscape_ui(ui: &mut Ui, settings: &mut Settings, snap: &Snapshot) {
    ui.heading("Landscape");
    let current = LandscapeChoice::of(&settings.setup.landscape);
    let mut chosen = current;
    egui::ComboBox::from_label("Landscape")
        .selected_text(LandscapeChoice::title_of(&settings.setup.landscape))
        .height(500.0)
        .show_ui(ui, |ui| {
            for c in LandscapeChoice::offered() {
                // The data sets below a line.
                if c == LandscapeChoice::LineFit {
                    ui.separator();
                }
                ui.selectable_value(&mut chosen, Some(c), c.title())
                    .on_hover_text(c.tooltip());
            }
        })
        .response
        .on_hover_text("The loss surface L(w0, w1) the optimizer descends");
    if let Some(c) = chosen
        && chosen != current
    {
        c.choose(settings);
    }
    match settings.setup.landscape {
        LandscapeSpec::Expr { .. } => formula_ui(ui, settings, snap),
        LandscapeSpec::Data { .. } => {
            data_panel::data_ui(ui, settings, snap);
            return;
        }
        LandscapeSpec::Builtin { .. } => {
            ui.label(egui::RichText::new(format!("L = {}", snap.landscape.formula())).monospace())
                .on_hover_text("The formula of the landscape (x = w0, y = w1)");
        }
    }
    if let Landscape::Builtin(b) = snap.landscape.as_ref() {
        ui.label(egui::RichText::new(b.spec.note).small().weak());
    }
    let setup = &mut settings.setup;
    // Shape parameters of the built-in, if it has any.
    if let LandscapeSpec::Builtin { name, params } = &mut setup.landscape
        && let Some(b) = BUILTINS.iter().find(|b| b.name == name)
    {
        for p in b.params {
            let mut v = params.get(p.name).copied().unwrap_or(p.default);
            let slider = Slider::new(&mut v, p.range.0..=p.range.1)
                .logarithmic(p.range.0 > 0.0 && p.range.1 / p.range.0 >= 100.0)
                .text(p.name);
            if ui.add(slider).on_hover_text(p.doc).changed() {
                if v == p.default {
                    params.remove(p.name);
                } else {
                    params.insert(p.name.to_owned(), v);
                }
            }
        }
    }
}

/// A run's name in lists and legends: "2 · Adam η = 0.3" (see [`RunConfig::label`]).
///
/// [`RunConfig::label`]: downhill_engine::run::RunConfig::label
pub fn run_label(k: usize, spec: &RunSpec) -> String {
    format!("{} · {}", k + 1, spec.config.label())
}

/// Run `k`'s name in a snapshot (empty if it has no such run).
pub fn snapshot_run_label(snap: &Snapshot, k: usize) -> String {
    snap.setup
        .runs
        .get(k)
        .map(|s| run_label(k, s))
        .unwrap_or_default()
}

/// The racing runs: one line each with its colour, whether it is shown, its status, and a
/// button to remove it; a click on a run picks it for the optimizer controls below.
fn runs_ui(ui: &mut Ui, settings: &mut Settings, snap: &Snapshot) {
    let palette = Palette::of(ui.visuals());
    ui.heading("Runs");
    let n = settings.setup.runs.len();
    settings.focus = settings.focus.min(n - 1);
    let mut remove = None;
    for k in 0..n {
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 3.0, palette.run(k));
            let spec = &mut settings.setup.runs[k];
            let on = spec.shown;
            ui.checkbox(&mut spec.shown, "")
                .on_hover_text("Show or hide this run")
                .widget_info(|| {
                    egui::WidgetInfo::selected(
                        egui::Role::CheckBox,
                        true,
                        on,
                        format!("Show run {}", k + 1),
                    )
                });
            let label = run_label(k, spec);
            if ui
                .selectable_label(settings.focus == k, &label)
                .on_hover_text("Edit this run's optimizer below")
                .clicked()
            {
                settings.focus = k;
            }
            if let Some(r) = snap.runs.get(k).filter(|_| snap.setup.runs.len() == n) {
                ui.label(
                    egui::RichText::new(r.status.name())
                        .small()
                        .color(palette.status(r.status)),
                );
            }
            if n > 1 {
                let r = ui
                    .small_button("Remove")
                    .on_hover_text(format!("Remove run {}", k + 1));
                if r.clicked() {
                    remove = Some(k);
                }
            }
        });
    }
    if let Some(k) = remove {
        settings.setup.runs.remove(k);
        if settings.focus >= k && settings.focus > 0 {
            settings.focus -= 1;
        }
    }
    ui.add_enabled_ui(n < MAX_RUNS, |ui| {
        if ui
            .button("Add run")
            .on_hover_text(
                "Race another run from the same start: a copy of the selected one, \
                 to change its optimizer or learning rate",
            )
            .clicked()
        {
            let copy = settings.setup.runs[settings.focus];
            settings.setup.runs.push(copy);
            settings.focus = settings.setup.runs.len() - 1;
        }
    });
}

fn optimizer_ui(ui: &mut Ui, settings: &mut Settings, snap: &Snapshot, compact: bool) {
    let focus = settings.focus.min(settings.setup.runs.len() - 1);
    if settings.setup.runs.len() > 1 {
        ui.heading(format!("Optimizer of run {}", focus + 1));
    } else {
        ui.heading("Optimizer");
    }
    let setup = &mut settings.setup;
    let mut kind = setup.runs[focus].config.optimizer;
    egui::ComboBox::from_label("Optimizer")
        .selected_text(kind.label())
        .show_ui(ui, |ui| {
            for k in OptimizerKind::ALL {
                ui.selectable_value(&mut kind, k, k.label())
                    .on_hover_text(k.torch());
            }
        })
        .response
        .on_hover_text(format!(
            "{}, with torch's defaults",
            setup.runs[focus].config.optimizer.torch()
        ));
    if kind != setup.runs[focus].config.optimizer {
        setup.set_optimizer(focus, kind);
    }
    let steps = setup.steps;
    let run = &mut setup.runs[focus].config;

    // The learning rate, with plain GD's stability marks under the slider.
    let lr = &mut run.hyper.lr;
    let resp = ui
        .add(
            Slider::new(lr, LR_RANGE.0..=LR_RANGE.1)
                .logarithmic(true)
                .text("Learning rate")
                .custom_formatter(|v, _| format!("{v:.4}")),
        )
        .on_hover_text("η: the step size. Click the number to type an exact value.");
    stability_marks_ui(ui, resp.rect.left(), snap);
    if compact {
        return;
    }

    // The other hyper-parameters: a checkbox per switch, a slider per number, each with the
    // range, scale and tooltip of its row in the table.
    let hyper = &mut run.hyper;
    for &p in kind.params() {
        if p == HyperParam::Lr {
            continue;
        }
        if let Some(b) = p.switch_mut(hyper) {
            ui.checkbox(b, p.name()).on_hover_text(p.doc());
            continue;
        }
        let (Some(v), Some(range)) = (p.number_mut(hyper), p.slider()) else {
            continue;
        };
        let mut slider = Slider::new(v, range.lo..=range.hi)
            .logarithmic(range.log)
            .text(p.name());
        if range.log {
            slider = slider.custom_formatter(|v, _| format!("{v:.0e}"));
        }
        ui.add(slider).on_hover_text(p.doc());
    }

    // The learning-rate schedule.
    let schedule = &mut run.schedule;
    let mut name = schedule.name();
    egui::ComboBox::from_label("Schedule")
        .selected_text(name)
        .show_ui(ui, |ui| {
            for n in SCHEDULE_NAMES {
                ui.selectable_value(&mut name, n, n);
            }
        })
        .response
        .on_hover_text("How the learning rate changes from update to update (torch's schedulers)");
    if name != schedule.name()
        && let Some(s) = Schedule::with_defaults(name, steps)
    {
        *schedule = s;
    }
    match schedule {
        Schedule::Constant => {}
        Schedule::Step { step_size, gamma } => {
            ui.add(
                Slider::new(step_size, 1..=1000)
                    .logarithmic(true)
                    .text("step_size"),
            )
            .on_hover_text("Updates between decays");
            ui.add(Slider::new(gamma, 0.0..=1.0).text("gamma"))
                .on_hover_text("The factor applied at each decay");
        }
        Schedule::Exponential { gamma } => {
            ui.add(Slider::new(gamma, 0.5..=1.0).text("gamma"))
                .on_hover_text("The factor applied after every update");
        }
        Schedule::Cosine { t_max, eta_min } => {
            ui.add(
                Slider::new(t_max, 1..=MAX_STEPS)
                    .logarithmic(true)
                    .text("T_max"),
            )
            .on_hover_text("Updates from the base rate down to eta_min");
            ui.add(Slider::new(eta_min, 0.0..=1.0).text("eta_min"))
                .on_hover_text("The lowest learning rate");
        }
        Schedule::Warmup {
            start_factor,
            end_factor,
            total_iters,
        } => {
            ui.add(Slider::new(start_factor, 0.01..=1.0).text("start_factor"))
                .on_hover_text("The first update's fraction of the learning rate");
            ui.add(Slider::new(end_factor, 0.0..=1.0).text("end_factor"))
                .on_hover_text("The fraction reached after total_iters updates");
            ui.add(
                Slider::new(total_iters, 1..=1000)
                    .logarithmic(true)
                    .text("total_iters"),
            )
            .on_hover_text("Updates of the warm-up");
        }
    }
}

/// Marks at 1/λ_max and 2/λ_max under the learning-rate slider: above the first plain GD
/// zig-zags, above the second it diverges.
fn stability_marks_ui(ui: &mut Ui, left: f32, snap: &Snapshot) {
    let facts = snap.facts;
    let (Some(osc), Some(div)) = (facts.lr_oscillate, facts.lr_diverge) else {
        return;
    };
    let (rect, resp) = ui.allocate_exact_size(egui::vec2(SLIDER_WIDTH, 16.0), egui::Sense::hover());
    let palette = Palette::of(ui.visuals());
    let handle = ui.spacing().interact_size.y / 2.5;
    let (x0, x1) = (left + handle, left + SLIDER_WIDTH - handle);
    let t = |v: f64| {
        ((v.log10() - LR_RANGE.0.log10()) / (LR_RANGE.1.log10() - LR_RANGE.0.log10())) as f32
    };
    let painter = ui.painter_at(rect.expand(2.0));
    for (v, label, align) in [
        (osc, "1/λ", Align2::RIGHT_TOP),
        (div, "2/λ", Align2::LEFT_TOP),
    ] {
        if !(LR_RANGE.0..=LR_RANGE.1).contains(&v) {
            continue;
        }
        let x = x0 + t(v) * (x1 - x0);
        painter.line_segment(
            [egui::pos2(x, rect.top()), egui::pos2(x, rect.top() + 5.0)],
            Stroke::new(2.0, palette.mark),
        );
        painter.text(
            egui::pos2(x, rect.top() + 5.0),
            align,
            label,
            crate::ui::text_size::small(ui),
            palette.mark,
        );
    }
    resp.accessible_name(format!(
        "Stability marks: 1/λ_max = {}, 2/λ_max = {}",
        short(osc),
        short(div)
    ))
    .on_hover_text(format!(
        "Plain gradient descent zig-zags above η = 1/λ_max = {} and diverges above 2/λ_max = {} \
         (λ_max: the largest curvature near the minimum)",
        short(osc),
        short(div)
    ));
}

fn run_ui(ui: &mut Ui, settings: &mut Settings) {
    ui.heading("Run");
    let setup = &mut settings.setup;
    ui.horizontal(|ui| {
        let label = ui.label("Start");
        let step = 0.01;
        ui.add(
            DragValue::new(&mut setup.start[0])
                .speed(step)
                .prefix("w0 "),
        )
        .labelled_by(label.id)
        .on_hover_text("The start point's w0 (or click the landscape)");
        ui.add(
            DragValue::new(&mut setup.start[1])
                .speed(step)
                .prefix("w1 "),
        )
        .labelled_by(label.id)
        .on_hover_text("The start point's w1 (or click the landscape)");
    });
    ui.horizontal(|ui| {
        let label = ui.label("Step limit");
        ui.add(
            DragValue::new(&mut setup.steps)
                .range(1..=MAX_STEPS)
                .speed(10.0),
        )
        .labelled_by(label.id)
        .on_hover_text("The run stops after this many updates");
    });
    let focus = settings.focus.min(setup.runs.len() - 1);
    let noise = &mut setup.runs[focus].config.noise;
    ui.add(Slider::new(&mut noise.std, 0.0..=10.0).text("Noise σ"))
        .on_hover_text(
            "Gaussian noise added to every gradient of the selected run, standing in for \
             mini-batch noise",
        );
    if noise.std > 0.0 {
        ui.horizontal(|ui| {
            let label = ui.label("Seed");
            ui.add(DragValue::new(&mut noise.seed))
                .labelled_by(label.id)
                .on_hover_text("The same seed gives the same noise, and the same path");
        });
    }
    ui.horizontal(|ui| {
        let label = ui.label("Scattered starts");
        ui.add(DragValue::new(&mut setup.scatter.count).range(0..=MAX_SCATTER))
            .labelled_by(label.id)
            .on_hover_text(
                "Extra starts drawn at random over the landscape, each run by every run: \
                 where they end shows the basins of attraction",
            );
    });
    if setup.scatter.count > 0 {
        ui.horizontal(|ui| {
            let label = ui.label("Scatter seed");
            ui.add(DragValue::new(&mut setup.scatter.seed))
                .labelled_by(label.id)
                .on_hover_text("The same seed gives the same starts");
        });
    }
}
