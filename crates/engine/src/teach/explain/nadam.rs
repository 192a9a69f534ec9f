//! NAdam written out: weight decay, μ_t and its product, the moments, the two-term step.

use super::common::{decay_lines, moment_lines};
use super::{At, Explain, Line, lead, line_of, num, paren, update};
use crate::optim::Nadam;

impl Explain for Nadam {
    fn written_out(&self, at: &At<'_>) -> Vec<Line> {
        let c = self.config;
        let mut after = self.clone();
        let f = after.update(at.w, at.g, at.lr);
        let (old, new) = (&self.state, &after.state);
        let t = new.step;
        let prod = new.mu_product;
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
            if i == 0 {
                lines.push(line_of![
                    "μ_t = β1·(1 − ½·0.96^(t·ψ)) = ",
                    num(c.beta1),
                    " × (1 − 0.5 × 0.96^(",
                    num(t),
                    " × ",
                    num(c.momentum_decay),
                    ")) = ",
                    num(f.mu)
                ]);
                lines.push(line_of![
                    "μ_t+1 = ",
                    num(f.mu_next),
                    "   Π μ = ",
                    num(old.mu_product),
                    " × ",
                    num(f.mu),
                    " = ",
                    num(prod)
                ]);
            }
            let (m, v) = (new.exp_avg[i], new.exp_avg_sq[i]);
            moment_lines(
                &mut lines,
                i,
                (c.beta1, c.beta2),
                (old.exp_avg[i], old.exp_avg_sq[i]),
                (m, v),
                g2,
            );
            let d = f.denom[i];
            lines.push(line_of![
                format!("d{i} = √(v{i} / (1 − β2^{t})) + ε = "),
                num(d)
            ]);
            lines.push(update(
                i,
                "w",
                "w# − η·(1 − μ_t)/(1 − Πμ)·g#/d# − η·μ_t+1/(1 − Πμ·μ_t+1)·m#/d#",
                line_of![
                    lead(w2),
                    " − ",
                    num(lr),
                    " × ",
                    num((1.0 - f.mu) / (1.0 - prod)),
                    " × ",
                    paren(g2),
                    " / ",
                    num(d),
                    " − ",
                    num(lr),
                    " × ",
                    num(f.mu_next / (1.0 - prod * f.mu_next)),
                    " × ",
                    paren(m),
                    " / ",
                    num(d)
                ],
                f.w[i],
            ));
        }
        lines
    }
}
