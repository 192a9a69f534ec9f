//! The controls of a network landscape, under the landscape picker: the data set (a seeded
//! pattern, a shipped set or a CSV file), the hidden widths, activation and loss, θ₀'s seed,
//! the plane the map shows and what it holds of the path, the mini-batches, and why the
//! newest setup was refused, where the user is looking.

use eframe::egui::{self, DragValue, RichText, Slider, Ui};

use crate::live::stepper::Snapshot;
use crate::ui::palette::Palette;
use crate::ui::panels::data_panel::{self, FileFor, FileLoad};
use crate::ui::settings::Settings;
use downhill_engine::data::SHIPPED;
use downhill_engine::landscape::LandscapeSpec;
use downhill_engine::net::spec::parse_hidden;
use downhill_engine::net::{
    Activation, Init, NetDataSource, NetLoss, NetSetup, NetSpec, Pattern, PlaneKind,
};

/// The most points a pattern may be drawn with from the slider.
const MAX_PATTERN_POINTS: usize = 5_000;

/// The hidden-widths field's draft and why it was refused, kept between frames.
#[derive(Clone, Default)]
struct WidthsDraft {
    text: String,
    /// The widths the draft was last synced from (another source changed them: resync).
    from: Vec<usize>,
    error: Option<String>,
}

/// The network controls; edits the setup on screen.
pub fn net_ui(ui: &mut Ui, settings: &mut Settings, snap: &Snapshot) {
    let palette = Palette::of(ui.visuals());
    let loader = FileLoad::of(ui.ctx());
    let LandscapeSpec::Net(n) = &mut settings.setup.landscape else {
        return;
    };
    let net = snap.landscape.net();
    // What the network is, as it runs.
    if let Some(l) = net {
        ui.label(RichText::new(l.formula()).strong())
            .on_hover_text("The network, its data, its number of parameters P and the plane");
    }
    data_ui(ui, n, &loader);
    ui.add_space(4.0);
    shape_ui(ui, n, snap, &palette);
    ui.add_space(4.0);
    plane_ui(ui, n, snap);
    if let Some(l) = net {
        ui.label(RichText::new(capitalized(&l.plane_note())).small())
            .on_hover_text(
                "The map shows the loss on a plane through θ-space; the path is θ projected onto \
                 it. PCA's share says how much of the path's spread the plane holds; the \
                 distance says how far θ itself is from what is drawn",
            );
    }
    if let Some(e) = &snap.error {
        ui.label(RichText::new(format!("Not applied: {e}")).color(palette.error))
            .on_hover_text("The last setup that worked keeps running");
    }
    let points = net.map_or(2, |l| l.problem.data.len());
    data_panel::batch_ui(ui, settings, points);
}

/// Widths as the field shows them: "8,8", or "none".
fn widths_text(h: &[usize]) -> String {
    if h.is_empty() {
        return "none".into();
    }
    h.iter().map(usize::to_string).collect::<Vec<_>>().join(",")
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The data set: a pattern with its points, noise and seed; a shipped set; a CSV file.
fn data_ui(ui: &mut Ui, n: &mut NetSetup, loader: &FileLoad) {
    let title = match &n.data {
        NetDataSource::Pattern { pattern, .. } => pattern.name().to_owned(),
        NetDataSource::Shipped { name } => SHIPPED
            .iter()
            .find(|s| s.name == name)
            .map_or_else(|| name.clone(), |s| s.title.to_owned()),
        NetDataSource::Table { name, .. } => format!("File: {name}"),
    };
    let mut pick: Option<NetDataSource> = None;
    egui::ComboBox::from_label("Data set")
        .selected_text(title)
        .show_ui(ui, |ui| {
            for p in Pattern::ALL {
                let on = matches!(&n.data, NetDataSource::Pattern { pattern, .. } if *pattern == p);
                if ui
                    .selectable_label(on, p.name())
                    .on_hover_text(p.summary())
                    .clicked()
                    && !on
                {
                    // The pattern's points, noise and seed carry over.
                    let (count, noise, seed) = match &n.data {
                        NetDataSource::Pattern { n, noise, seed, .. } => (*n, *noise, *seed),
                        _ => (200, 0.0, 0),
                    };
                    pick = Some(NetDataSource::Pattern {
                        pattern: p,
                        n: count,
                        noise,
                        seed,
                    });
                }
            }
            ui.separator();
            for s in &SHIPPED {
                let on = matches!(&n.data, NetDataSource::Shipped { name } if name == s.name);
                if ui
                    .selectable_label(on, s.title)
                    .on_hover_text("A shipped set with one input: the network fits a curve")
                    .clicked()
                    && !on
                {
                    pick = Some(NetDataSource::Shipped {
                        name: s.name.to_owned(),
                    });
                }
            }
        })
        .response
        .on_hover_text(
            "The points the network learns: 2-D classification patterns drawn from a seed, or \
             a shipped set, or your CSV file below",
        );
    if let Some(d) = pick {
        // Targets that are not 0/1 need mse.
        if matches!(d, NetDataSource::Shipped { .. }) && n.loss == NetLoss::Bce {
            n.loss = NetLoss::Mse;
        }
        n.data = d;
    }
    if let NetDataSource::Pattern {
        n: count,
        noise,
        seed,
        ..
    } = &mut n.data
    {
        ui.add(
            Slider::new(count, 10..=MAX_PATTERN_POINTS)
                .logarithmic(true)
                .text("Points"),
        )
        .on_hover_text("How many points are drawn, half of each class");
        ui.add(Slider::new(noise, 0.0..=0.5).text("Noise"))
            .on_hover_text("Gaussian noise added to each input");
        ui.horizontal(|ui| {
            let label = ui.label("Data seed");
            ui.add(DragValue::new(seed))
                .labelled_by(label.id)
                .on_hover_text("The seed the points are drawn with");
        });
    }
    data_panel::file_ui(
        ui,
        loader,
        FileFor::Net,
        "A CSV file whose header names the input columns, then the target last (x1,x2,y); \
         or drop a file on the window",
    );
}

/// The network's shape: hidden widths, activation, loss, θ₀.
fn shape_ui(ui: &mut Ui, n: &mut NetSetup, snap: &Snapshot, palette: &Palette) {
    let id = egui::Id::unique("downhill hidden widths");
    let mut draft: WidthsDraft = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    if draft.from != n.hidden {
        draft.text = widths_text(&n.hidden);
        draft.from = n.hidden.clone();
        draft.error = None;
    }
    let inputs = snap
        .landscape
        .net()
        .map_or(2, |l| l.problem.net.spec.inputs);
    ui.horizontal(|ui| {
        let label = ui.label("Hidden widths");
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut draft.text)
                    .desired_width(90.0)
                    .hint_text("8,8"),
            )
            .labelled_by(label.id)
            .on_hover_text(
                "The widths of the hidden layers, separated by commas (8,8 is two layers of \
                 8); none for a linear model. Applied when you press Enter or leave the field",
            );
        if edit.lost_focus() {
            match parse_hidden(&draft.text).and_then(|h| {
                NetSpec {
                    inputs,
                    hidden: h.clone(),
                    activation: n.activation,
                    loss: n.loss,
                }
                .validate()
                .map(|()| h)
            }) {
                Ok(h) => {
                    n.hidden = h.clone();
                    draft.from = h;
                    draft.error = None;
                }
                Err(e) => draft.error = Some(e),
            }
        }
    });
    if let Some(e) = &draft.error {
        ui.label(
            RichText::new(format!(
                "Not applied: {e}; the network stays {}",
                widths_text(&n.hidden)
            ))
            .color(palette.error),
        );
    }
    ui.data_mut(|d| d.insert_temp(id, draft));

    ui.horizontal(|ui| {
        ui.label("Activation");
        for a in Activation::ALL {
            ui.radio_value(&mut n.activation, a, a.name())
                .on_hover_text(format!("nn.{}", torch_name(a)));
        }
    });
    ui.horizontal(|ui| {
        ui.label("Loss");
        for l in NetLoss::ALL {
            ui.radio_value(&mut n.loss, l, l.name())
                .on_hover_text(match l {
                    NetLoss::Bce => {
                        "Binary cross-entropy on the output's logit, for labels 0 and 1 \
                         (BCEWithLogitsLoss)"
                    }
                    NetLoss::Mse => "Mean squared error, for any target (MSELoss)",
                });
        }
    });
    match &mut n.init {
        Init::Seed(seed) => {
            ui.horizontal(|ui| {
                let label = ui.label("Init seed");
                ui.add(DragValue::new(seed))
                    .labelled_by(label.id)
                    .on_hover_text(
                        "θ₀ is drawn from this seed within torch's default bounds ±1/√fan_in",
                    );
            });
        }
        Init::Values(v) => {
            let count = v.len();
            ui.horizontal(|ui| {
                ui.label(format!("θ₀ from an init file ({count} numbers)"));
                if ui
                    .button("Draw from a seed")
                    .on_hover_text("Replace θ₀ by one drawn from seed 0")
                    .clicked()
                {
                    n.init = Init::Seed(0);
                }
            });
        }
    }
}

/// torch's class name of an activation.
fn torch_name(a: Activation) -> &'static str {
    match a {
        Activation::Tanh => "Tanh",
        Activation::Relu => "ReLU",
        Activation::Sigmoid => "Sigmoid",
    }
}

/// The plane: PCA of the path, random directions from a seed, or two parameters by index.
fn plane_ui(ui: &mut Ui, n: &mut NetSetup, snap: &Snapshot) {
    let net = snap.landscape.net().map(|l| &l.problem.net);
    let p = net.map_or(2, |net| net.param_count());
    let names = ["PCA of the path", "Random directions", "Two parameters"];
    let mut which = match n.plane {
        PlaneKind::Pca => 0,
        PlaneKind::Random(_) => 1,
        PlaneKind::Params(..) => 2,
    };
    let before = which;
    crate::ui::widgets::pick_ui(
        ui,
        "Plane",
        &names,
        &mut which,
        "The plane through θ-space the map shows: the two directions the path moves along \
         most (PCA), two random directions scaled neuron by neuron to the weights (Li et al. \
         2018), or two of the parameters themselves",
    );
    if which != before {
        n.plane = match which {
            0 => PlaneKind::Pca,
            1 => PlaneKind::Random(0),
            _ => PlaneKind::Params(0, 1.min(p.saturating_sub(1))),
        };
    }
    match &mut n.plane {
        PlaneKind::Pca => {}
        PlaneKind::Random(seed) => {
            ui.horizontal(|ui| {
                let label = ui.label("Plane seed");
                ui.add(DragValue::new(seed))
                    .labelled_by(label.id)
                    .on_hover_text("The seed the two random directions are drawn with");
            });
        }
        PlaneKind::Params(i, j) => {
            let last = p.saturating_sub(1);
            let (mut a, mut b) = (*i, *j);
            for (text, v) in [("Parameter a", &mut a), ("Parameter b", &mut b)] {
                ui.horizontal(|ui| {
                    let label = ui.label(text);
                    ui.add(DragValue::new(v).range(0..=last))
                        .labelled_by(label.id)
                        .on_hover_text(format!(
                            "The index in θ (0 to {last}, torch's parameters() order)"
                        ));
                    if let Some(net) = net {
                        ui.label(RichText::new(net.spec.param_name(*v)).monospace());
                    }
                });
            }
            // Two different parameters: the one just moved steps past the other.
            if a == b {
                if a != *i {
                    a = if a < last { a + 1 } else { a.saturating_sub(1) };
                } else {
                    b = if b < last { b + 1 } else { b.saturating_sub(1) };
                }
            }
            (*i, *j) = (a, b);
        }
    }
}
