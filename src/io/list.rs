//! `downhill list`: what there is to pick from, with the defaults.

use std::io::{self, Write};

use downhill_engine::data::Model;
use downhill_engine::format::{short, sig};
use downhill_engine::landscape::{BUILTINS, Landscape};
use downhill_engine::optim::{HyperValue, OptimizerKind, Vec2};
use downhill_engine::teach::facts::Facts;
use downhill_engine::teach::preset;

/// `downhill list`: the landscapes, optimizers, schedules and presets.
pub fn list(out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "Landscapes (--landscape NAME; --param NAME=VALUE sets a parameter):"
    )?;
    for b in &BUILTINS {
        let l = Landscape::builtin(b.name).map_err(io::Error::other)?;
        let v = b.view;
        let found = l.minima();
        let minima: Vec<String> = found
            .iter()
            .map(|m| {
                if b.one_d {
                    format!("w0 = {} (any w1)", short(m.x))
                } else {
                    format!("({}, {})", short(m.x), short(m.y))
                }
            })
            .collect();
        writeln!(out, "  {:<15} {}", b.name, b.formula)?;
        writeln!(out, "  {:<15} {}: {}", "", b.title, b.note)?;
        writeln!(
            out,
            "  {:<15} view w0 ∈ [{}, {}], w1 ∈ [{}, {}]; start ({}, {})",
            "",
            short(v.x[0]),
            short(v.x[1]),
            short(v.y[0]),
            short(v.y[1]),
            short(b.start[0]),
            short(b.start[1])
        )?;
        let minima = if minima.is_empty() {
            "none".to_owned()
        } else {
            minima.join(", ")
        };
        writeln!(out, "  {:<15} minima {minima}", "")?;
        let facts = Facts::with_minima(&l, Vec2::new(b.start[0], b.start[1]), &found);
        if let (Some(osc), Some(div)) = (facts.lr_oscillate, facts.lr_diverge) {
            let along = if facts.negative_curvature {
                " along the curved-up direction; along the curved-down one it slides away at any η"
            } else {
                ""
            };
            writeln!(
                out,
                "  {:<15} plain GD zig-zags above η = {}, diverges above η = {}{along}",
                "",
                sig(osc),
                sig(div)
            )?;
        }
        for p in b.params {
            writeln!(
                out,
                "  {:<15} parameter {} = {} ({})",
                "",
                p.name,
                short(p.default),
                p.doc
            )?;
        }
    }
    writeln!(
        out,
        "  --expr EXPR     any formula in x and y (or w0, w1): + - * / ^, parentheses,\n  \
         {:<15} sin cos tan exp ln log sqrt abs tanh, pi, e; view [-5, 5]²",
        ""
    )?;

    writeln!(
        out,
        "\nOptimizers (--optimizer NAME), with torch.optim's defaults:"
    )?;
    for k in OptimizerKind::ALL {
        let h = k.defaults();
        let params: Vec<String> = k
            .params()
            .iter()
            .map(|p| match (p.get(&h), p.choices()) {
                (HyperValue::Switch(on), Some(names)) => {
                    format!("{}={}", p.flag(), names[usize::from(on)])
                }
                (HyperValue::Number(v), _) => format!("{}={}", p.flag(), short(v)),
                (HyperValue::Switch(true), None) => format!("{} (on)", p.flag()),
                (HyperValue::Switch(false), None) => format!("{} (off)", p.flag()),
            })
            .collect();
        writeln!(out, "  {:<9} {}", k.name(), k.torch())?;
        writeln!(out, "  {:<9} {}", "", params.join(" "))?;
    }

    writeln!(
        out,
        "\nSchedules (--schedule NAME), stepped after every update as in torch:"
    )?;
    writeln!(out, "  constant     the learning rate never changes")?;
    writeln!(out, "  step         StepLR: --step-size=10 --gamma=0.1")?;
    writeln!(out, "  exponential  ExponentialLR: --gamma=0.95")?;
    writeln!(
        out,
        "  cosine       CosineAnnealingLR: --t-max=<steps> --eta-min=0"
    )?;
    writeln!(
        out,
        "  warmup       LinearLR: --start-factor=1/3 --end-factor=1 --total-iters=5"
    )?;

    let models: Vec<_> = Model::ALL.iter().map(|m| m.name()).collect();
    writeln!(
        out,
        "\nData landscapes (--data FILE or NAME, --model {}, --batch-size B, \
         --batch-order shuffle|sequential, --standardize):",
        models.join("|")
    )?;
    writeln!(
        out,
        "  a CSV file with a header naming x then y, or one of the shipped data sets:"
    )?;
    for d in &downhill_engine::data::SHIPPED {
        writeln!(out, "  {:<12} {:<9} {}", d.name, d.model.name(), d.title)?;
    }

    net(out)?;

    writeln!(
        out,
        "\nPresets (--preset NAME), the worked examples of the course texts:"
    )?;
    for p in preset::presets().map_err(io::Error::other)? {
        writeln!(out, "  {:<20} {}", p.name, p.title)?;
    }
    Ok(())
}

/// The network part of `downhill list`: data sets, activations, losses, planes and the
/// optimizers that cannot train a network.
fn net(out: &mut impl Write) -> io::Result<()> {
    use downhill_engine::net::{Activation, NetLoss, Pattern};
    writeln!(
        out,
        "\nNeural network (--net --data FILE or NAME --hidden H1[,H2,…] --activation NAME \
         --loss NAME --init-file FILE | --init-seed S --plane PLANE):"
    )?;
    writeln!(
        out,
        "  a CSV file whose header names the inputs, then the target last (x1,x2,y), or a \
         data set by name:"
    )?;
    for p in Pattern::ALL {
        writeln!(
            out,
            "  {:<12} {:<9} {} (200 points, 2 inputs, labels 0 and 1)",
            p.name(),
            "bce",
            p.summary()
        )?;
    }
    for d in &downhill_engine::data::SHIPPED {
        let binary = downhill_engine::net::NetDataSource::Shipped {
            name: d.name.into(),
        }
        .load()
        .is_ok_and(|d| d.is_binary());
        let loss = if binary { NetLoss::Bce } else { NetLoss::Mse };
        writeln!(
            out,
            "  {:<12} {:<9} one input: {}",
            d.name,
            loss.name(),
            d.title
        )?;
    }
    let names = |v: &[&str]| v.join(", ");
    let acts: Vec<_> = Activation::ALL.iter().map(|a| a.name()).collect();
    writeln!(
        out,
        "  activations  {} (after every hidden layer; default tanh)",
        names(&acts)
    )?;
    for l in NetLoss::ALL {
        let note = match l {
            NetLoss::Bce => "on the logit, labels 0 or 1 (the default when every label is)",
            NetLoss::Mse => "any targets",
        };
        writeln!(out, "  loss {:<7} {}, {note}", l.name(), l.label())?;
    }
    writeln!(
        out,
        "  --hidden     widths of the hidden layers, default 8,8; none for a linear model"
    )?;
    writeln!(
        out,
        "  --plane      pca (default): the path's two principal directions, with the share of \
         its variance they hold"
    )?;
    writeln!(
        out,
        "  {:<12} random[:SEED]: two random directions, filter-normalized (Li et al. 2018)",
        ""
    )?;
    writeln!(
        out,
        "  {:<12} params:I,J: parameters p_I and p_J, the rest at the path's end",
        ""
    )?;
    let refused: Vec<_> = OptimizerKind::ALL
        .iter()
        .filter(|k| k.network_refusal().is_some())
        .map(|k| k.name())
        .collect();
    writeln!(
        out,
        "  every optimizer but {} (torch's Muon refuses 1-D biases; Newton needs the P×P \
         Hessian)",
        names(&refused)
    )?;
    Ok(())
}
