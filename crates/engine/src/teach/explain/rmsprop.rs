//! RMSprop written out: the L2 term, the averages, the denominator, the buffer, the step.

use super::common::weight_decay_line;
use super::{At, Explain, Line, lead, line_of, num, paren, update};
use crate::optim::Rmsprop;

impl Explain for Rmsprop {
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
                "α·v# + (1 − α)·g#²",
                line_of![
                    num(c.alpha),
                    " × ",
                    num(old.square_avg[i]),
                    " + ",
                    num(1.0 - c.alpha),
                    " × ",
                    paren(g2),
                    "²"
                ],
                new.square_avg[i],
            ));
            let d = f.avg[i];
            if c.centered {
                lines.push(update(
                    i,
                    "a",
                    "α·a# + (1 − α)·g#",
                    line_of![
                        num(c.alpha),
                        " × ",
                        paren(old.grad_avg[i]),
                        " + ",
                        num(1.0 - c.alpha),
                        " × ",
                        paren(g2)
                    ],
                    new.grad_avg[i],
                ));
                lines.push(line_of![format!("d{i} = √(v{i} − a{i}²) + ε = "), num(d)]);
            } else {
                lines.push(line_of![
                    format!("d{i} = √v{i} + ε = "),
                    num(f.root[i]),
                    " + ",
                    num(c.eps),
                    " = ",
                    num(d)
                ]);
            }
            if c.momentum > 0.0 {
                let b = new.momentum_buffer[i];
                lines.push(update(
                    i,
                    "b",
                    "μ·b# + g# / d#",
                    line_of![
                        num(c.momentum),
                        " × ",
                        paren(old.momentum_buffer[i]),
                        " + ",
                        paren(g2),
                        " / ",
                        num(d)
                    ],
                    b,
                ));
                lines.push(update(
                    i,
                    "w",
                    "w# − η·b#",
                    line_of![lead(w), " − ", num(lr), " × ", paren(b)],
                    f.w[i],
                ));
            } else {
                lines.push(update(
                    i,
                    "w",
                    "w# − η·g# / d#",
                    line_of![lead(w), " − ", num(lr), " × ", paren(g2), " / ", num(d)],
                    f.w[i],
                ));
            }
        }
        lines
    }
}
