//! RAdam written out: weight decay, the moments, m̂, ρ_t and, once it passes 5, the
//! rectified adaptive step.

use super::common::{decay_lines, moment_lines};
use super::{At, Explain, Line, lead, line_of, num, paren, update};
use crate::optim::Radam;

impl Explain for Radam {
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
            moment_lines(
                &mut lines,
                i,
                (c.beta1, c.beta2),
                (old.exp_avg[i], old.exp_avg_sq[i]),
                (new.exp_avg[i], new.exp_avg_sq[i]),
                g2,
            );
            let m_hat = f.m_hat[i];
            lines.push(line_of![
                format!("m_hat{i} = m{i} / (1 − β1^{t}) = "),
                lead(m_hat)
            ]);
            match f.rectified {
                Some((adaptive, rect)) => {
                    if i == 0 {
                        lines.push(line_of![
                            "ρ_t = ρ_∞ − 2t·β2^t / (1 − β2^t) = ",
                            num(f.rho_t),
                            " > 5: rectified, r_t = ",
                            num(rect)
                        ]);
                    }
                    let l = adaptive[i];
                    lines.push(line_of![
                        format!("l{i} = √(1 − β2^{t}) / (√v{i} + ε) = "),
                        num(l)
                    ]);
                    lines.push(update(
                        i,
                        "w",
                        "w# − η·m_hat#·l#·r_t",
                        line_of![
                            lead(w2),
                            " − ",
                            num(lr),
                            " × ",
                            paren(m_hat),
                            " × ",
                            num(l),
                            " × ",
                            num(rect)
                        ],
                        f.w[i],
                    ));
                }
                None => {
                    if i == 0 {
                        lines.push(line_of![
                            "ρ_t = ρ_∞ − 2t·β2^t / (1 − β2^t) = ",
                            num(f.rho_t),
                            " ≤ 5: no adaptive term yet"
                        ]);
                    }
                    lines.push(update(
                        i,
                        "w",
                        "w# − η·m_hat#",
                        line_of![lead(w2), " − ", num(lr), " × ", paren(m_hat)],
                        f.w[i],
                    ));
                }
            }
        }
        lines
    }
}
