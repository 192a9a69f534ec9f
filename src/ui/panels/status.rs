//! The status line: what the run is doing (as text, never colour alone), where it stopped, and
//! what the Hessian says about the learning rate; plus notes and errors where the user looks.

use eframe::egui::{self, RichText, Ui};

use crate::live::stepper::{RunView, Snapshot};
use crate::ui::actions::Action;
use crate::ui::palette::Palette;
use downhill_engine::format::sig;
use downhill_engine::run::Status;

/// The badge text of a run: its status words ([`RunView::words`], the same as in the
/// legends) and the step: "converging, zig-zag (step 12)", "diverged at step 44", … (while a
/// replay is behind its preview, the preview's outcome: the status is right from the first
/// frame).
pub fn badge_text(run: &RunView) -> String {
    let (status, step) = run.outcome();
    let manner = status.manner_suffix(run.manner);
    match status {
        Status::Diverged => format!("diverged at step {step}{manner}"),
        Status::LeftDomain => format!("left the domain at step {}", step + 1),
        _ => format!("{} (step {step})", run.words()),
    }
}

/// `focus`: the selected run, whose "why" is the one written out in a race too large for a
/// line per run.
pub fn status_ui(ui: &mut Ui, snap: &Snapshot, focus: usize, note: Option<&str>) {
    let palette = Palette::of(ui.visuals());
    ui.horizontal_wrapped(|ui| {
        let several = snap.runs.len() > 1;
        for (k, run) in snap.runs.iter().enumerate() {
            let mut text = badge_text(run);
            if several {
                text = format!("{}: {text}", k + 1);
            }
            ui.label(
                RichText::new(text)
                    .strong()
                    .color(palette.status(run.outcome().0)),
            )
            .on_hover_text(
                "converged: gradient and step both tiny, at a minimum · oscillating: bouncing \
                     without getting closer · diverging: the loss and the step keep growing · \
                     diverged: a coordinate passed 1e6 or a value stopped being finite · stuck: \
                     not moving where there is no minimum (a saddle, or η = 0) · zig-zag: every \
                     update overshoots and the path crosses the valley back and forth",
            );
            if let Some((at, why)) = run.left_domain {
                ui.label(format!(
                    "(next point ({}, {}): {why})",
                    sig(at.x),
                    sig(at.y)
                ));
            }
        }
        if !snap.scatter.is_empty() {
            ui.label(scatter_summary(snap))
                .on_hover_text("Where the runs from the scattered starts are now");
        }
        ui.separator();
        let f = snap.facts;
        if let (Some(osc), Some(div)) = (f.lr_oscillate, f.lr_diverge) {
            ui.label(format!(
                "plain GD zig-zags above η = {} and diverges above {}",
                sig(osc),
                sig(div)
            ))
            .on_hover_text(
                "Near the minimum GD multiplies the error along each curvature direction by \
                 (1 − ηλ): negative above 1/λ_max (zig-zag), beyond −1 above 2/λ_max (blow-up)",
            );
            if f.negative_curvature {
                ui.label("(curved down along one direction: GD slides away there at any η)");
            }
        }
        // One weight (the parabola): w1 is flat by design, and κ = ∞ would only say so. A
        // network's plane has no Hessian worked out: nothing to say about κ.
        if let Some(n) = snap.landscape.net() {
            ui.label(format!(
                "θ has {} parameters; the map is a plane through them",
                n.problem.net.param_count()
            ))
            .on_hover_text(
                "The path is θ projected onto the plane; no Hessian is worked out for a \
                 network, so no condition number or learning-rate bound is given",
            );
        } else if !snap.landscape.is_one_d() {
            match f.condition_number {
                Some(k) => ui.label(format!("condition number κ = {}", sig(k))),
                None => ui.label("κ = ∞ (flat or not convex there)"),
            }
            .on_hover_text("λ_max / λ_min of the Hessian: how elongated the valley is");
        }
        ui.label(format!("next η = {}", sig(snap.primary().lr)));
    });
    why_ui(ui, snap, focus);
    if let Some(c) = &snap.crash {
        ui.label(RichText::new(c).color(palette.error));
    }
    if let Some(e) = &snap.error {
        ui.label(RichText::new(format!("Not applied: {e}")).color(palette.error));
    }
    if let Some(n) = note {
        ui.label(RichText::new(n).color(palette.oscillating));
    }
}

/// Why each run moves as it does, direction by direction (the engine's sentences), one line
/// per run: "Why: along w1 every step multiplies the distance by −0.6: it overshoots and
/// zig-zags; along w0 …". In a race of more than [`LEGEND_RUNS`](crate::ui::plot::items::end_labels::LEGEND_RUNS)
/// runs only the selected run's line is written (eighteen would push the plots off the
/// window); selecting another run in Runs shows its.
fn why_ui(ui: &mut Ui, snap: &Snapshot, focus: usize) {
    let several = snap.runs.len() > 1;
    let only_focus = crate::ui::plot::items::end_labels::labelled(snap.runs.len());
    for (k, run) in snap.runs.iter().enumerate() {
        if run.why.is_empty() || (only_focus && k != focus) {
            continue;
        }
        let who = if only_focus {
            format!("Why (run {}, the selected one): ", k + 1)
        } else if several {
            format!("Why (run {}): ", k + 1)
        } else {
            "Why: ".to_owned()
        };
        ui.label(format!("{who}{}", run.why.join("; ")))
            .on_hover_text(
                "Along each curvature direction (an eigenvector of the Hessian, with curvature \
                 λ) plain gradient descent multiplies the distance to the minimum by 1 − η·λ \
                 every step: between 0 and 1 it glides in, between −1 and 0 it overshoots and \
                 zig-zags, below −1 it blows up. For other optimizers the factor is measured \
                 from the last steps.",
            );
    }
}

/// The help overlay: every shortcut.
pub fn help_ui(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for a in Action::ALL {
                    let (text, tip) = a.text_and_tooltip();
                    ui.label(RichText::new(a.shortcut_text(ctx)).monospace());
                    ui.label(format!("{text}: {tip}"));
                    ui.end_row();
                }
            });
            ui.label("Click the landscape to start there; drag the start point to move it.");
        });
}

/// How many scattered runs sit at each known minimum, and how many went elsewhere:
/// "scattered: 7 at (3, 2), 5 at (−2.81, 3.13), 2 diverged, 1 elsewhere".
pub fn scatter_summary(snap: &Snapshot) -> String {
    let mut at = vec![0usize; snap.minima.len()];
    let (mut diverged, mut elsewhere) = (0, 0);
    for t in &snap.scatter {
        match t.basin {
            _ if t.status.is_final() => diverged += 1,
            Some(i) if i < at.len() => at[i] += 1,
            _ => elsewhere += 1,
        }
    }
    let mut parts: Vec<String> = at
        .iter()
        .zip(&snap.minima)
        .filter(|(n, _)| **n > 0)
        .map(|(n, m)| format!("{n} at ({}, {})", sig(m.x), sig(m.y)))
        .collect();
    if diverged > 0 {
        parts.push(format!("{diverged} stopped (diverged or left the domain)"));
    }
    if elsewhere > 0 {
        parts.push(format!("{elsewhere} still on the way"));
    }
    format!("scattered starts: {}", parts.join(", "))
}
