//! A network's update by an optimizer that works on the whole θ (L-BFGS) or tensor by tensor
//! (Adafactor), written out for p0 and p1. (The element-wise optimizers' update of p0 and p1
//! is their family's [`Explain`](super::Explain) with [`Params::Network`].)

use super::{Explanation, Line, Params, lead, line_of, num, paren, update};
use crate::net::NetTrain;
use crate::net::optimizer::NetOptimizer;
use crate::optim::AdafactorTensor;

/// `before` is the training before update `step`, `after` the same one update later at
/// learning rate `lr`. `None` for the element-wise optimizers.
pub fn explain_whole(
    before: &NetTrain,
    after: &NetTrain,
    lr: f64,
    step: u64,
) -> Option<Explanation> {
    let (theta, next, g) = (before.theta(), after.theta(), before.grad());
    let (heading, lines) = match after.net_optimizer() {
        NetOptimizer::Lanes(_) => return None,
        NetOptimizer::Lbfgs(o) => lbfgs(o, theta, next, g, lr),
        NetOptimizer::Adafactor(tensors) => {
            let (_, o) = tensors.first()?;
            adafactor(o, theta, next, g, lr)
        }
    };
    Some(Explanation {
        step,
        heading,
        lines,
        params: Params::Network,
    })
}

/// L-BFGS on the flattened θ: the first update along −g, later ones by the two-loop
/// recursion; the descent test, the line search's trial, the move of p0 and p1.
fn lbfgs(
    o: &crate::optim::Lbfgs<Vec<f64>>,
    theta: &[f64],
    next: &[f64],
    g: &[f64],
    lr: f64,
) -> (String, Vec<Line>) {
    let (s, c) = (&o.state, o.config);
    let p = theta.len();
    let max_g = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let gtd: f64 = g.iter().zip(&s.d).map(|(a, b)| a * b).sum();
    let mut lines = Vec::new();
    if next == theta && max_g <= c.tolerance_grad {
        lines.push(line_of![
            "max|g| = ",
            num(max_g),
            " ≤ tolerance_grad = ",
            num(c.tolerance_grad),
            ": torch skips the update, θ stays"
        ]);
    } else {
        // The step before the line search: its first trial when it ran.
        let t0 = s.trials.first().map_or(s.t, |tr| tr.t);
        if s.n_iter == 1 {
            let sum: f64 = g.iter().map(|v| v.abs()).sum();
            lines.push(line_of![
                "first update: d = −g, t = min(1, 1/Σ|g|)·γ = min(1, 1/",
                num(sum),
                ")·",
                num(lr),
                " = ",
                num(t0)
            ]);
        } else {
            lines.push(line_of![
                format!(
                    "d = −H·g by the two-loop recursion over {} (y, s) pairs, H₀ = ",
                    s.old_dirs.len()
                ),
                num(s.h_diag),
                "·I; t = γ = ",
                num(t0)
            ]);
        }
        if gtd > -c.tolerance_change {
            lines.push(line_of![
                "g·d = ",
                num(gtd),
                " > −tolerance_change = ",
                num(-c.tolerance_change),
                ": torch stops here, θ stays"
            ]);
        } else {
            lines.push(line_of!["g·d = ", num(gtd), " (downhill: below 0)"]);
            if let Some(tr) = s.trials.first() {
                let verdict = if s.t == tr.t { "kept" } else { "refused" };
                lines.push(line_of![
                    "line search: f(θ + t·d) = ",
                    num(tr.f),
                    " against f = ",
                    num(s.prev_loss),
                    format!(": {verdict}, t = "),
                    num(s.t)
                ]);
            }
            for i in 0..p.min(2) {
                lines.push(update(
                    i,
                    "w",
                    "w# + t·d#",
                    line_of![lead(theta[i]), " + ", num(s.t), " × ", paren(s.d[i])],
                    next[i],
                ));
            }
        }
    }
    let heading = format!(
        "L-BFGS moves all {p} parameters at once to θ + t·d, d from the gradient and the last \
         curvature pairs of the whole θ; written out for p0 and p1."
    );
    (heading, lines)
}

/// Adafactor's first tensor, W1: ρ and α, V̂ from the row and column factors, U, the clip,
/// the move of p0 and p1.
fn adafactor(
    o: &AdafactorTensor,
    theta: &[f64],
    next: &[f64],
    g: &[f64],
    lr: f64,
) -> (String, Vec<Line>) {
    // p0 and p1 when W1 has two entries (one input and width 1 give it one).
    let two = o.update.len().min(2);
    let (rho, alpha, denom) = o.last;
    let c = o.config;
    let mut lines = vec![line_of![
        "ρ = min(γ, 1/√t) = ",
        num(rho),
        ", α = max(ε₂, RMS(W1))·ρ = ",
        num(alpha)
    ]];
    for (i, &gi) in g.iter().enumerate().take(two) {
        let v = match o.shape() {
            Some((rows, cols)) => {
                let mean = o.row_var.iter().sum::<f64>() / rows as f64;
                let mean = if mean < c.eps1 { c.eps1 } else { mean };
                let (r, k) = (i / cols, i % cols);
                let v = o.row_var[r] * o.col_var[k] / mean;
                lines.push(line_of![
                    format!("V̂{i} = R{r}·C{k} / max(mean(R), ε₁) = "),
                    num(o.row_var[r]),
                    " × ",
                    num(o.col_var[k]),
                    " / ",
                    num(mean),
                    " = ",
                    num(v)
                ]);
                v
            }
            None => o.variance[i],
        };
        lines.push(line_of![
            format!("U{i} = g{i} / √V̂{i} = "),
            lead(gi),
            " / √",
            num(v),
            " = ",
            lead(o.update[i])
        ]);
    }
    lines.push(line_of!["clip = max(1, RMS(U)/d) = ", num(denom)]);
    for i in 0..two {
        lines.push(if c.weight_decay != 0.0 {
            update(
                i,
                "w",
                "w#·(1 − γλ) − α/clip·U#",
                line_of![
                    paren(theta[i]),
                    " × ",
                    num(1.0 - lr * c.weight_decay),
                    " − ",
                    num(alpha / denom),
                    " × ",
                    paren(o.update[i])
                ],
                next[i],
            )
        } else {
            update(
                i,
                "w",
                "w# − α/clip·U#",
                line_of![
                    lead(theta[i]),
                    " − ",
                    num(alpha / denom),
                    " × ",
                    paren(o.update[i])
                ],
                next[i],
            )
        });
    }
    let which = if two == 2 {
        "p0 and p1 are in W1"
    } else {
        "p0 is W1, a single weight"
    };
    let heading = format!(
        "Adafactor updates each tensor on its own; {which}, whose second moment is kept as row \
         averages R and column averages C."
    );
    (heading, lines)
}
