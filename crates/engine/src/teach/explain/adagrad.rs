//! AdaGrad written out: the L2 term, the decayed rate η_t, the accumulator, the step.

use super::common::weight_decay_line;
use super::{At, Explain, Line, lead, line_of, num, paren, update};
use crate::optim::Adagrad;

impl Explain for Adagrad {
    fn written_out(&self, at: &At<'_>) -> Vec<Line> {
        let c = self.config;
        let mut after = self.clone();
        let f = after.update(at.w, at.g, at.lr);
        let t = after.state.step;
        let mut lines = Vec::new();
        for i in at.coords() {
            let (w, g, lr) = (at.w[i], at.g[i], at.lr);
            let g2 = f.grad[i];
            weight_decay_line(&mut lines, i, g, w, c.weight_decay, g2);
            if c.lr_decay != 0.0 {
                lines.push(line_of![
                    "η_t = η / (1 + (t − 1)·lr_decay) = ",
                    num(lr),
                    " / (1 + ",
                    num(t - 1.0),
                    " × ",
                    num(c.lr_decay),
                    ") = ",
                    num(f.clr)
                ]);
            }
            let s_new = after.state.sum[i];
            lines.push(update(
                i,
                "s",
                "s# + g#²",
                line_of![lead(self.state.sum[i]), " + ", paren(g2), "²"],
                s_new,
            ));
            let template = if c.lr_decay != 0.0 {
                "w# − η_t·g# / (√s# + ε)"
            } else {
                "w# − η·g# / (√s# + ε)"
            };
            lines.push(update(
                i,
                "w",
                template,
                line_of![
                    lead(w),
                    " − ",
                    num(f.clr),
                    " × ",
                    paren(g2),
                    " / (",
                    num(f.root[i]),
                    " + ",
                    num(c.eps),
                    ")"
                ],
                f.w[i],
            ));
        }
        lines
    }
}
