//! Adadelta written out: the L2 term, the average of g², the step Δ, the average of Δ², the
//! move.

use super::common::weight_decay_line;
use super::{At, Explain, Line, lead, line_of, num, paren, update};
use crate::optim::Adadelta;

impl Explain for Adadelta {
    fn written_out(&self, at: &At<'_>) -> Vec<Line> {
        let c = self.config;
        let mut after = self.clone();
        let f = after.update(at.w, at.g, at.lr);
        let (old, new) = (&self.state, &after.state);
        let mut lines = Vec::new();
        for i in at.coords() {
            let (w, g, lr) = (at.w[i], at.g[i], at.lr);
            let g2 = f.grad[i];
            weight_decay_line(&mut lines, i, g, w, c.weight_decay, g2);
            lines.push(update(
                i,
                "v",
                "ρ·v# + (1 − ρ)·g#²",
                line_of![
                    num(c.rho),
                    " × ",
                    num(old.square_avg[i]),
                    " + ",
                    num(1.0 - c.rho),
                    " × ",
                    paren(g2),
                    "²"
                ],
                new.square_avg[i],
            ));
            let delta = f.delta[i];
            lines.push(line_of![
                format!("Δ{i} = √(u{i} + ε) / √(v{i} + ε)·g{i} = "),
                num(f.root_acc[i]),
                " / ",
                num(f.std[i]),
                " × ",
                paren(g2),
                " = ",
                lead(delta)
            ]);
            lines.push(update(
                i,
                "u",
                "ρ·u# + (1 − ρ)·Δ#²",
                line_of![
                    num(c.rho),
                    " × ",
                    num(old.acc_delta[i]),
                    " + ",
                    num(1.0 - c.rho),
                    " × ",
                    paren(delta),
                    "²"
                ],
                new.acc_delta[i],
            ));
            lines.push(update(
                i,
                "w",
                "w# − η·Δ#",
                line_of![lead(w), " − ", num(lr), " × ", paren(delta)],
                f.w[i],
            ));
        }
        lines
    }
}
