//! SGD, momentum and Nesterov written out: the L2 term, the buffer, the step.

use super::common::weight_decay_line;
use super::{At, Explain, Line, lead, line_of, num, paren, update};
use crate::optim::Sgd;

impl Explain for Sgd {
    fn written_out(&self, at: &At<'_>) -> Vec<Line> {
        let c = self.config;
        let f = self.clone().update(at.w, at.g, at.lr);
        let mut lines = Vec::new();
        for i in at.coords() {
            let (w, g, lr, next) = (at.w[i], at.g[i], at.lr, f.w[i]);
            let g2 = f.grad[i];
            weight_decay_line(&mut lines, i, g, w, c.weight_decay, g2);
            let Some(b) = f.buffer.filter(|_| c.momentum != 0.0) else {
                let name = if c.weight_decay != 0.0 {
                    "w# − η·g#"
                } else {
                    "w# − η·∂L/∂w#"
                };
                let numbers = line_of![lead(w), " − ", num(lr), " × ", paren(g2)];
                lines.push(update(i, "w", name, numbers, next));
                continue;
            };
            match self.state.momentum_buffer {
                None => lines.push(line_of![
                    format!("b{i} ← g{i} = "),
                    lead(b[i]),
                    "   (the first step starts the buffer)"
                ]),
                Some(old) => lines.push(update(
                    i,
                    "b",
                    "μ·b# + (1 − τ)·g#",
                    line_of![
                        num(c.momentum),
                        " × ",
                        paren(old[i]),
                        " + ",
                        num(1.0 - c.dampening),
                        " × ",
                        paren(g2)
                    ],
                    b[i],
                )),
            }
            if c.nesterov {
                let d = f.direction[i];
                lines.push(update(
                    i,
                    "g",
                    "g# + μ·b#",
                    line_of![lead(g2), " + ", num(c.momentum), " × ", paren(b[i])],
                    d,
                ));
                lines.push(update(
                    i,
                    "w",
                    "w# − η·g#",
                    line_of![lead(w), " − ", num(lr), " × ", paren(d)],
                    next,
                ));
            } else {
                lines.push(update(
                    i,
                    "w",
                    "w# − η·b#",
                    line_of![lead(w), " − ", num(lr), " × ", paren(b[i])],
                    next,
                ));
            }
        }
        lines
    }
}
