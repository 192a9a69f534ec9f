//! Adafactor written out on the two weights: t^τ, ρ_t, α_t, the unfactored V̂, U, the clip,
//! the step.

use super::{At, Explain, Line, lead, line_of, num, paren, update};
use crate::optim::{Adafactor, Family};

impl Explain for Adafactor {
    fn written_out(&self, at: &At<'_>) -> Vec<Line> {
        let (w, g, lr) = (at.w, at.g, at.lr);
        // The figures the update computes (its `step` takes them from here), then the step.
        let (f, _) = self.figures(w, g, lr);
        let mut after = self.clone();
        let next = after.step(w, g, lr);
        let c = self.config;
        let mut lines = Vec::new();
        for i in at.coords() {
            if i == 0 {
                lines.push(line_of![
                    format!("t = {}: 1 − β̂₂ = t^τ = ", after.state.step),
                    num(f.one_minus_beta2_t),
                    "   ρ_t = min(γ, 1/√t) = ",
                    num(f.rho_t),
                    "   α_t = max(ε₂, RMS(w))·ρ_t = ",
                    num(f.alpha)
                ]);
                lines.push(line_of![
                    "the 2-vector is unfactored, as in torch: one V̂ per coordinate, no row and \
                     column factors"
                ]);
            }
            let (v_old, v_new) = (self.state.variance[i], after.state.variance[i]);
            lines.push(update(
                i,
                "V̂",
                "V̂# + t^τ·(g#² − V̂#)",
                line_of![
                    lead(v_old),
                    " + ",
                    num(f.one_minus_beta2_t),
                    " × (",
                    paren(g[i]),
                    "² − ",
                    lead(v_old),
                    ")"
                ],
                v_new,
            ));
            lines.push(update(
                i,
                "U",
                "g# / max(√V̂#, ε₁)",
                line_of![lead(g[i]), " / √", num(v_new)],
                f.update[i],
            ));
            if i == 0 {
                lines.push(line_of!["clip: max(1, RMS(U)/d) = ", num(f.denom)]);
            }
            let decayed = if c.weight_decay != 0.0 {
                w[i] * (1.0 - lr * c.weight_decay)
            } else {
                w[i]
            };
            lines.push(update(
                i,
                "w",
                "w# − α_t·U#/clip",
                line_of![
                    lead(decayed),
                    " − ",
                    num(f.alpha),
                    " × ",
                    paren(f.update[i]),
                    " / ",
                    num(f.denom)
                ],
                next[i],
            ));
        }
        lines
    }
}
