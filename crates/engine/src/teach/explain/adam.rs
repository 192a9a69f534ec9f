//! Adam, AdamW and AMSGrad written out: weight decay, the moments, v_max, the bias
//! corrections, the step.

use super::common::{decay_lines, moment_lines};
use super::{At, Explain, Line, lead, line_of, num, paren, update};
use crate::optim::Adam;

impl Explain for Adam {
    fn written_out(&self, at: &At<'_>) -> Vec<Line> {
        let c = self.config;
        let mut after = self.clone();
        let f = after.update(at.w, at.g, at.lr);
        let (old, new) = (&self.state, &after.state);
        let t = new.step;
        let mut lines = Vec::new();
        for i in at.coords() {
            let (w, g, lr) = (at.w[i], at.g[i], at.lr);
            let (w2, g2) = (f.decayed[i], f.grad[i]);
            decay_lines(
                &mut lines,
                i,
                (w, g),
                lr,
                c.weight_decay,
                c.decoupled_weight_decay,
                (w2, g2),
            );
            let (m, v) = (new.exp_avg[i], new.exp_avg_sq[i]);
            moment_lines(
                &mut lines,
                i,
                (c.beta1, c.beta2),
                (old.exp_avg[i], old.exp_avg_sq[i]),
                (m, v),
                g2,
            );
            let second_name = if c.amsgrad {
                lines.push(update(
                    i,
                    "v_max",
                    "max(v_max#, v#)",
                    line_of!["max(", num(old.max_exp_avg_sq[i]), ", ", num(v), ")"],
                    f.second[i],
                ));
                "v_max"
            } else {
                "v"
            };
            let (bc1, bc2) = (f.bias_correction1, f.bias_correction2);
            let m_hat = m / bc1;
            let v_hat = f.second[i] / bc2;
            lines.push(line_of![
                format!("m_hat{i} = m{i} / (1 − β1^{t}) = "),
                paren(m),
                " / ",
                num(bc1),
                " = ",
                lead(m_hat)
            ]);
            lines.push(line_of![
                format!("v_hat{i} = {second_name}{i} / (1 − β2^{t}) = "),
                num(f.second[i]),
                " / ",
                num(bc2),
                " = ",
                num(v_hat)
            ]);
            lines.push(update(
                i,
                "w",
                "w# − η·m_hat# / (√v_hat# + ε)",
                line_of![
                    lead(w2),
                    " − ",
                    num(lr),
                    " × ",
                    paren(m_hat),
                    " / (",
                    num(v_hat.sqrt()),
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
