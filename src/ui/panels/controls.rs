//! The controls panel: landscape, optimizer and its hyper-parameters, schedule, start, step
//! limit, noise, playback. It edits a copy of the settings; the app sends what changed to the
//! stepper after the frame.

use eframe::egui::{self, DragValue, Slider, Ui};

use crate::live::stepper::{Snapshot, Speed};
use crate::ui::actions::Action;
use crate::ui::palette::Palette;
use crate::ui::panels::data_panel;
use crate::ui::panels::formula_panel::formula_ui;
use crate::ui::panels::landscape_choice::LandscapeChoice;
use crate::ui::panels::lr_slider::{self, LR_RANGE};
use crate::ui::settings::Settings;
use crate::ui::widgets::{field_number, parse_number, pick_ui, run_label};
use downhill_engine::format::short;
use downhill_engine::landscape::{BUILTINS, Landscape, LandscapeSpec};
use downhill_engine::optim::{Arithmetic, HyperParam, OptimizerKind};
use downhill_engine::run::schedule::{SCHEDULE_NAMES, Schedule};
use downhill_engine::run::setup::{MAX_RUNS, MAX_SCATTER, MAX_STEPS};
use downhill_engine::teach::lr_scale::LrScale;

const SLIDER_WIDTH: f32 = 190.0;

/// The learning rate a newly chosen landscape opens with, and the rates it replaced (one
/// click keeps those). Waits for the stepper's snapshot of the new landscape: the rate comes
/// from its Hessian facts.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// The landscape chosen.
    pub landscape: LandscapeSpec,
    /// Every run's learning rate before.
    pub kept: Vec<f64>,
    /// The rate set, once the facts arrived.
    pub set: Option<f64>,
}

impl Suggestion {
    /// Sets the suggested rate once the snapshot shows the landscape chosen; drops the
    /// suggestion when the landscape gives none.
    pub fn apply(suggestion: &mut Option<Self>, settings: &mut Settings, snap: &Snapshot) {
        let Some(s) = suggestion else { return };
        if s.set.is_some() || snap.setup.landscape != s.landscape {
            return;
        }
        if settings.setup.landscape != s.landscape {
            // Another landscape since: this suggestion is stale.
            *suggestion = None;
            return;
        }
        let scale = LrScale::new(LR_RANGE.0, LR_RANGE.1, snap.facts.lr_oscillate);
        match scale.suggested() {
            Some(lr) => {
                for r in &mut settings.setup.runs {
                    r.config.hyper.lr = lr;
                }
                s.set = Some(lr);
            }
            None => *suggestion = None,
        }
    }
}

/// On a network: every run's optimizer that cannot train one becomes gradient descent, and
/// every run's rate the one its optimizer trains the default network at
/// ([`OptimizerKind::net_lr`]); returns the selected run's
/// rate (`None` on other landscapes).
fn net_rates(settings: &mut Settings) -> Option<f64> {
    if !matches!(settings.setup.landscape, LandscapeSpec::Net(_)) {
        return None;
    }
    for k in 0..settings.setup.runs.len() {
        let kind = settings.setup.runs[k].config.optimizer;
        if kind.network_refusal().is_some() {
            settings.setup.set_optimizer(k, OptimizerKind::Sgd);
        }
        let r = &mut settings.setup.runs[k].config;
        if let Some(lr) = r.optimizer.net_lr() {
            r.hyper.lr = lr;
        }
        // Gradient noise does not apply to a network (its noise is mini-batches).
        r.noise.std = 0.0;
    }
    let focus = settings.focus.min(settings.setup.runs.len() - 1);
    Some(settings.setup.runs[focus].config.hyper.lr)
}

/// "η set to 0.0008 for this landscape · Keep 0.1": the rate a landscape opened with and the
/// button that brings back the one before.
fn suggestion_ui(ui: &mut Ui, settings: &mut Settings, suggestion: &mut Option<Suggestion>) {
    let Some(s) = suggestion else { return };
    let Some(set) = s.set else { return };
    let focus = settings.focus.min(settings.setup.runs.len() - 1);
    let old = s.kept.get(focus).copied().unwrap_or(set);
    let kept = s.kept.clone();
    let net = matches!(s.landscape, LandscapeSpec::Net(_));
    ui.horizontal_wrapped(|ui| {
        if net {
            ui.label(format!("η set to {} for the network", short(set)))
                .on_hover_text(
                    "A rate at which this optimizer trains the default network (2-8-8-1 tanh on \
                     the circle) smoothly, measured; a network has no Hessian bound to read one \
                     from",
                );
        } else {
            ui.label(format!("η set to {} for this landscape", short(set)))
                .on_hover_text(
                    "A rate that glides here: at most 0.8/λ_max, rounded down to a round value",
                );
        }
        if old != set
            && ui
                .button(format!("Keep {}", short(old)))
                .on_hover_text("Go back to the learning rate you had before")
                .clicked()
        {
            if kept.len() == settings.setup.runs.len() {
                for (r, lr) in settings.setup.runs.iter_mut().zip(&kept) {
                    r.config.hyper.lr = *lr;
                }
            }
            *suggestion = None;
        }
    });
}

/// Shows the controls; edits `settings`, pushes button presses to `actions`.
/// `compact` (presentation mode): the controls that matter in front of a class only — playback,
/// landscape, runs, optimizer and learning rate. Returns whether another landscape was chosen
/// from the picker (a lesson on screen then ends).
pub fn controls_ui(
    ui: &mut Ui,
    settings: &mut Settings,
    snap: &Snapshot,
    actions: &mut Vec<Action>,
    compact: bool,
    suggestion: &mut Option<Suggestion>,
) -> bool {
    ui.spacing_mut().slider_width = SLIDER_WIDTH;
    let mut chosen = false;
    egui::ScrollArea::vertical().show(ui, |ui| {
        playback_ui(ui, settings, snap, actions, compact);
        ui.separator();
        chosen = landscape_ui(ui, settings, snap);
        if chosen {
            let kept = snap.setup.runs.iter().map(|r| r.config.hyper.lr).collect();
            // A network has no Hessian to read a rate from: each optimizer opens at a rate
            // measured to train the default network.
            let set = net_rates(settings);
            *suggestion = Some(Suggestion {
                landscape: settings.setup.landscape.clone(),
                kept,
                set,
            });
        }
        ui.separator();
        runs_ui(ui, settings, snap);
        ui.separator();
        optimizer_ui(ui, settings, snap, compact, suggestion);
        if !compact {
            ui.separator();
            run_ui(ui, settings);
        }
    });
    chosen
}

fn playback_ui(
    ui: &mut Ui,
    settings: &mut Settings,
    snap: &Snapshot,
    actions: &mut Vec<Action>,
    presenting: bool,
) {
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
    pick_ui(
        ui,
        "Speed",
        &modes,
        &mut mode,
        "How fast the run plays; Instant shows the whole run at every change",
    );
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
    ui.add_enabled_ui(settings.speed != Speed::Instant, |ui| {
        ui.checkbox(
            settings.replay_mut(presenting),
            "Replay changes from step 0",
        )
        .on_hover_text(
            "After every change (learning rate, start, landscape, …) the path grows again \
                 from step 0 at the chosen speed instead of jumping ahead; the status says at \
                 once where it will end. On by default in presentation mode (remembered \
                 separately there).",
        )
        .on_disabled_hover_text("Instant mode always shows the whole run");
    });
}

/// The landscape picker and what belongs to the landscape; returns whether another entry was
/// chosen.
fn landscape_ui(ui: &mut Ui, settings: &mut Settings, snap: &Snapshot) -> bool {
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
    let changed = chosen != current;
    if let Some(c) = chosen
        && changed
    {
        c.choose(settings);
    }
    match settings.setup.landscape {
        LandscapeSpec::Expr { .. } => formula_ui(ui, settings, snap),
        LandscapeSpec::Data { .. } => {
            data_panel::data_ui(ui, settings, snap);
            return changed;
        }
        LandscapeSpec::Builtin { .. } => {
            ui.label(egui::RichText::new(format!("L = {}", snap.landscape.formula())).monospace())
                .on_hover_text("The formula of the landscape (x = w0, y = w1)");
        }
        LandscapeSpec::Net(_) => {
            crate::ui::panels::net_panel::net_ui(ui, settings, snap);
            return changed;
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
    changed
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
                    egui::RichText::new(r.words())
                        .small()
                        .color(palette.status(r.outcome().0)),
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
            .on_disabled_hover_text(format!(
                "At most {MAX_RUNS} runs race at once: remove one to add another"
            ))
            .clicked()
        {
            let copy = settings.setup.runs[settings.focus];
            settings.setup.runs.push(copy);
            settings.focus = settings.setup.runs.len() - 1;
        }
    });
}

/// How the focused run's updates are rounded: torch's fused multiply-add or `w − η·g` as
/// written, beside the optimizer because it is part of what the optimizer computes.
fn arithmetic_ui(ui: &mut Ui, arithmetic: &mut Arithmetic) {
    egui::ComboBox::from_label("Arithmetic")
        .selected_text(arithmetic.label())
        .show_ui(ui, |ui| {
            for a in Arithmetic::ALL {
                ui.selectable_value(arithmetic, a, a.label())
                    .on_hover_text(a.description());
            }
        })
        .response
        .on_hover_text(format!(
            "How each update is rounded. {}.",
            arithmetic.description()
        ));
}

fn optimizer_ui(
    ui: &mut Ui,
    settings: &mut Settings,
    snap: &Snapshot,
    compact: bool,
    suggestion: &mut Option<Suggestion>,
) {
    let focus = settings.focus.min(settings.setup.runs.len() - 1);
    if settings.setup.runs.len() > 1 {
        ui.heading(format!("Optimizer of run {}", focus + 1));
    } else {
        ui.heading("Optimizer");
    }
    let setup = &mut settings.setup;
    let mut kind = setup.runs[focus].config.optimizer;
    let net = matches!(setup.landscape, LandscapeSpec::Net(_));
    egui::ComboBox::from_label("Optimizer")
        .selected_text(kind.label())
        .show_ui(ui, |ui| {
            for k in OptimizerKind::ALL {
                // On a network, the optimizers that cannot train one (Muon, Newton) are
                // greyed out, with the reason.
                let why = if net { k.network_refusal() } else { None };
                let r = ui
                    .add_enabled_ui(why.is_none(), |ui| {
                        ui.selectable_value(&mut kind, k, k.label())
                    })
                    .inner
                    .on_hover_text(k.torch());
                if let Some(why) = why {
                    r.on_disabled_hover_text(format!("Not for a network: {why}"));
                }
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
    arithmetic_ui(ui, &mut setup.runs[focus].config.arithmetic);
    let steps = setup.steps;
    let run = &mut setup.runs[focus].config;

    // The learning rate, on a scale stretched around plain GD's stability band, its zones
    // and marks under it; the rate chosen for a new landscape, with a way back.
    // 1/λ and 2/λ are plain gradient descent's bounds: for another optimizer there is no
    // closed-form bound, and the slider says so instead of showing marks that would be wrong.
    let plain_gd = run.optimizer == OptimizerKind::Sgd && run.hyper.momentum == 0.0;
    let bound = snap.facts.lr_oscillate.filter(|_| plain_gd);
    let scale = LrScale::new(LR_RANGE.0, LR_RANGE.1, bound);
    let lr = &mut run.hyper.lr;
    if lr_slider::lr_slider_ui(ui, lr, &scale).changed() {
        *suggestion = None;
    }
    if !plain_gd && snap.facts.lr_oscillate.is_some() {
        ui.label(
            egui::RichText::new(format!(
                "No closed-form stability bound for {}: the 1/λ and 2/λ marks are plain \
                 gradient descent's",
                run.optimizer.label()
            ))
            .weak(),
        );
    }
    suggestion_ui(ui, settings, suggestion);
    let run = &mut settings.setup.runs[focus].config;
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
        if let (Some(names), Some(b)) = (p.choices(), p.switch_mut(hyper)) {
            egui::ComboBox::from_label(p.name())
                .selected_text(names[usize::from(*b)])
                .show_ui(ui, |ui| {
                    ui.selectable_value(b, false, names[0]);
                    ui.selectable_value(b, true, names[1]);
                })
                .response
                .on_hover_text(p.doc());
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
        if range.whole {
            slider = slider.integer();
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

/// A network's run settings: the step limit; θ₀ comes from the init seed (no start point), its
/// noise from mini-batches (no gradient noise), and scattered starts do not apply.
fn net_run_ui(ui: &mut Ui, settings: &mut Settings) {
    let setup = &mut settings.setup;
    step_limit_ui(
        ui,
        &mut setup.steps,
        "The run stops after this many updates; the plane is made from the first run's first \
         5,000",
    );
    ui.label(
        egui::RichText::new(
            "A network starts from θ₀ (the init seed above), not from a point on the map; its \
             noise comes from mini-batches",
        )
        .small()
        .weak(),
    );
}

fn run_ui(ui: &mut Ui, settings: &mut Settings) {
    ui.heading("Run");
    if matches!(settings.setup.landscape, LandscapeSpec::Net(_)) {
        net_run_ui(ui, settings);
        return;
    }
    let setup = &mut settings.setup;
    ui.horizontal(|ui| {
        let label = ui.label("Start");
        let step = 0.01;
        ui.add(
            DragValue::new(&mut setup.start[0])
                .speed(step)
                .prefix("w0 ")
                .custom_formatter(field_number)
                .custom_parser(parse_number),
        )
        .labelled_by(label.id)
        .on_hover_text("The start point's w0 (or click the landscape)");
        ui.add(
            DragValue::new(&mut setup.start[1])
                .speed(step)
                .prefix("w1 ")
                .custom_formatter(field_number)
                .custom_parser(parse_number),
        )
        .labelled_by(label.id)
        .on_hover_text("The start point's w1 (or click the landscape)");
    });
    step_limit_ui(
        ui,
        &mut setup.steps,
        "The run stops after this many updates",
    );
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

/// The "Step limit" field, labelled for screen readers, with `hover` as its tooltip.
fn step_limit_ui(ui: &mut Ui, steps: &mut u64, hover: &str) {
    ui.horizontal(|ui| {
        let label = ui.label("Step limit");
        ui.add(DragValue::new(steps).range(1..=MAX_STEPS).speed(10.0))
            .labelled_by(label.id)
            .on_hover_text(hover);
    });
}
