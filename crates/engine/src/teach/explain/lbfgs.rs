//! L-BFGS written out: the skip on a small gradient, the history pairs, the two-loop
//! recursion's α and β, the direction, and the line search's trial points.

use super::{At, Explain, Line, lead, line_of, num, paren};
use crate::optim::lbfgs::dot;
use crate::optim::{Lbfgs, Vec2};

impl Explain for Lbfgs {
    fn written_out(&self, at: &At<'_>) -> Vec<Line> {
        let (w, g, lr) = (at.w, at.g, at.lr);
        let mut after = self.clone();
        let mut eval = |p: Vec2| at.closure.and_then(|c| c(p));
        let loss = eval(w).map_or(f64::NAN, |(l, _)| l);
        let w_new = after
            .closure_step(w, loss, g, lr, &mut eval)
            .map_or(Vec2::new(f64::NAN, f64::NAN), |s| s.w);
        let one_d = at.dims == 1;
        // A point: w0 alone on a 1-D landscape, else (w0, w1).
        let v = |p: Vec2| {
            if one_d {
                line_of![lead(p.x)]
            } else {
                line_of!["(", lead(p.x), ", ", lead(p.y), ")"]
            }
        };
        let c = self.config;
        let mut lines = Vec::new();
        if after.state.n_iter == self.state.n_iter {
            lines.push(line_of![
                "max|g| = ",
                lead(g.x.abs().max(g.y.abs())),
                " ≤ tolerance_grad = ",
                num(c.tolerance_grad),
                ": optimal, torch skips the step (w stays)"
            ]);
            return lines;
        }
        let s = &after.state;
        if s.n_iter == 1 {
            lines.push(line_of!["first iteration: d = −g = "].then(v(s.d)));
        } else {
            let k = s.old_dirs.len();
            let added = k > self.state.old_dirs.len()
                || (k == c.history_size && s.old_dirs.back() != self.state.old_dirs.back());
            lines.push(line_of![format!(
                "history: {k} of {} pairs (y = g − g_prev, s = t·d){}",
                c.history_size,
                if added {
                    ", the newest just added"
                } else {
                    "; y·s ≤ 1e-10, nothing added"
                }
            )]);
            for j in k.saturating_sub(3)..k {
                lines.push(
                    line_of![format!("  y{j} = ")]
                        .then(v(s.old_dirs[j]))
                        .then(format!("   s{j} = "))
                        .then(v(s.old_stps[j]))
                        .then(line_of![format!("   ρ{j} = 1/(y·s) = "), num(s.ro[j])]),
                );
            }
            if k > 0 {
                let mut line = line_of![format!(
                    "two-loop: q = −g; for i = {} … 0: α_i = ρ_i·(s_i·q), q −= α_i·y_i; α = [",
                    k - 1
                )];
                for (n, a) in s.al.iter().enumerate() {
                    if n > 0 {
                        line = line.then(", ");
                    }
                    line = line.then(lead(*a));
                }
                lines.push(line.then("]"));
            }
            lines.push(if k > 0 {
                line_of![
                    "r = H_diag·q with H_diag = y·s/(y·y) = ",
                    num(s.h_diag),
                    format!("; for i = 0 … {}: r += (α_i − ρ_i·(y_i·r))·s_i", k - 1)
                ]
            } else {
                line_of![
                    "no pairs yet: r = H_diag·(−g) with H_diag = ",
                    num(s.h_diag)
                ]
            });
            lines.push(line_of!["d = r = "].then(v(s.d)));
        }
        let gtd = dot(g, s.d);
        if gtd > -c.tolerance_change {
            lines.push(line_of![
                "g·d = ",
                lead(gtd),
                " > −tolerance_change: not a descent direction, w stays"
            ]);
            return lines;
        }
        lines.push(line_of!["g·d = ", lead(gtd)]);
        if c.strong_wolfe {
            for (j, tr) in s.trials.iter().enumerate() {
                lines.push(line_of![
                    format!("  trial {}: t = ", j + 1),
                    num(tr.t),
                    "   f = ",
                    lead(tr.f),
                    "   ∇f·d = ",
                    lead(tr.gtd)
                ]);
            }
            lines.push(line_of![
                "strong Wolfe line search, one trial (torch's max_ls = max_eval − evals = 0): \
                 t = ",
                num(s.t),
                if s.t == 0.0 {
                    ", the trial did not lower the loss"
                } else {
                    ""
                }
            ]);
        } else if s.n_iter == 1 {
            lines.push(line_of![
                "t = min(1, 1/Σ|g|)·γ = ",
                num(s.t),
                " (γ = ",
                num(lr),
                ")"
            ]);
        } else {
            lines.push(line_of!["t = γ = ", num(s.t)]);
        }
        for i in at.coords() {
            lines.push(super::update(
                i,
                "w",
                "w# + t·d#",
                line_of![lead(w[i]), " + ", num(s.t), " × ", paren(s.d[i])],
                w_new[i],
            ));
        }
        lines
    }
}
