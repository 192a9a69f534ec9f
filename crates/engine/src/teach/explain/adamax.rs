//! Adamax written out: the L2 term, the first moment, the infinity norm u, the step.

use super::common::weight_decay_line;
use super::{At, Explain, Line, lead, line_of, num, paren, update};
use crate::optim::Adamax;

impl Explain for Adamax {
    fn written_out(&self, at: &At<'_>) -> Vec<Line> {
        let c = self.config;
        let mut after = self.clone();
        let f = after.update(at.w, at.g, at.lr);
        let (old, new) = (&self.state, &after.state);
        let t = new.step;
        let mut lines = Vec::new();
        for i in at.coords() {
            let (w, g) = (at.w[i], at.g[i]);
            let g2 = f.grad[i];
            weight_decay_line(&mut lines, i, g, w, c.weight_decay, g2);
            let (m, u) = (new.exp_avg[i], new.exp_inf[i]);
            lines.push(update(
                i,
                "m",
                "β1·m# + (1 − β1)·g#",
                line_of![
                    num(c.beta1),
                    " × ",
                    paren(old.exp_avg[i]),
                    " + ",
                    num(1.0 - c.beta1),
                    " × ",
                    paren(g2)
                ],
                m,
            ));
            lines.push(update(
                i,
                "u",
                "max(β2·u#, |g#| + ε)",
                line_of![
                    "max(",
                    num(c.beta2),
                    " × ",
                    num(old.exp_inf[i]),
                    ", ",
                    num(g2.abs()),
                    " + ",
                    num(c.eps),
                    ")"
                ],
                u,
            ));
            lines.push(update(
                i,
                "w",
                &format!("w# − η/(1 − β1^{t})·m#/u#"),
                line_of![lead(w), " − ", num(f.clr), " × ", paren(m), " / ", num(u)],
                f.w[i],
            ));
        }
        lines
    }
}
