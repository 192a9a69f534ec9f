//! Rprop written out: the sign test, the step size, the move by the sign.

use super::{At, Explain, Line, lead, line_of, num, paren, update};
use crate::optim::Rprop;
use crate::optim::rprop::sign;

impl Explain for Rprop {
    fn written_out(&self, at: &At<'_>) -> Vec<Line> {
        let c = self.config;
        let mut after = self.clone();
        let f = after.update(at.w, at.g, at.lr);
        let (old, new) = (&self.state, &after.state);
        let mut lines = Vec::new();
        for i in at.coords() {
            let (w, g) = (at.w[i], at.g[i]);
            let prev = old.prev[i];
            // The step size the update started from: the learning rate on the first.
            let s_old = if old.step == 0.0 {
                at.lr
            } else {
                old.step_size[i]
            };
            let factor = f.factor[i];
            let why = if f.signs[i] > 0.0 {
                "same sign: grow by η+"
            } else if f.signs[i] < 0.0 {
                "sign flipped: shrink by η−, and no move this step"
            } else {
                "zero: keep"
            };
            lines.push(line_of![
                format!("g{i}·g_prev{i} = "),
                paren(g),
                " × ",
                paren(prev),
                format!(" → {why}")
            ]);
            let s_new = new.step_size[i];
            lines.push(
                line_of![
                    format!("s{i} ← clamp(s{i}·"),
                    num(factor),
                    ", s_min, s_max) = clamp("
                ]
                .then(line_of![
                    num(s_old),
                    " × ",
                    num(factor),
                    ", ",
                    num(c.step_size_min),
                    ", ",
                    num(c.step_size_max),
                    ") = ",
                    lead(s_new)
                ]),
            );
            lines.push(update(
                i,
                "w",
                "w# − s#·sign(g#)",
                line_of![lead(w), " − ", num(s_new), " × ", paren(sign(f.moved[i]))],
                f.w[i],
            ));
        }
        lines
    }
}
