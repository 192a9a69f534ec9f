//! ASGD written out: the L2 term, η_t and μ_t, the shrink and step, the average, the next
//! step's η and μ.

use super::common::weight_decay_line;
use super::{At, Explain, Line, lead, line_of, num, paren, update};
use crate::optim::Asgd;

impl Explain for Asgd {
    fn written_out(&self, at: &At<'_>) -> Vec<Line> {
        let c = self.config;
        let mut after = self.clone();
        let f = after.update(at.w, at.g, at.lr);
        let new = &after.state;
        let mut lines = Vec::new();
        for i in at.coords() {
            let (w, g) = (at.w[i], at.g[i]);
            let g2 = f.grad[i];
            weight_decay_line(&mut lines, i, g, w, c.weight_decay, g2);
            if i == 0 {
                lines.push(line_of!["η_t = ", num(f.eta), "   μ_t = ", num(f.mu)]);
            }
            lines.push(update(
                i,
                "w",
                "w#·(1 − λ·η_t) − η_t·g#",
                line_of![
                    paren(w),
                    " × ",
                    num(f.shrink),
                    " − ",
                    num(f.eta),
                    " × ",
                    paren(g2)
                ],
                f.w[i],
            ));
            lines.push(line_of![
                format!("ax{i} = "),
                lead(new.ax[i]),
                "   (the average of the points since t0)"
            ]);
            if i + 1 == at.dims {
                lines.push(line_of![
                    "next: η = γ / (1 + λ·γ·t)^α = ",
                    num(new.eta),
                    "   μ = 1 / max(1, t − t0) = ",
                    num(new.mu)
                ]);
            }
        }
        lines
    }
}
