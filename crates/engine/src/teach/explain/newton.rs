//! Newton's method written out: the Hessian and its eigenvalues, the direction H⁻¹∇L, the
//! step.

use super::{At, Explain, Line, lead, line_of, num, paren, update};
use crate::optim::Newton;

impl Explain for Newton {
    fn written_out(&self, at: &At<'_>) -> Vec<Line> {
        let Some(h) = at.hessian else {
            return vec![line_of!["no Hessian here: Newton cannot step"]];
        };
        let e = h.symmetric_eigenvalues();
        let mut lines = vec![line_of![
            "H = [[",
            lead(h[(0, 0)]),
            ", ",
            lead(h[(0, 1)]),
            "], [",
            lead(h[(1, 0)]),
            ", ",
            lead(h[(1, 1)]),
            "]], eigenvalues ",
            lead(e.x.min(e.y)),
            " and ",
            lead(e.x.max(e.y))
        ]];
        let f = match self.clone().update(at.w, at.g, &h, at.lr) {
            Ok(f) => f,
            Err(e) => {
                lines.push(line_of![format!("{e}: the run has diverged")]);
                return lines;
            }
        };
        lines.push(line_of![
            "d = H⁻¹∇L = (",
            lead(f.d.x),
            ", ",
            lead(f.d.y),
            ")"
        ]);
        for i in at.coords() {
            lines.push(update(
                i,
                "w",
                "w# − η·d#",
                line_of![lead(at.w[i]), " − ", num(at.lr), " × ", paren(f.d[i])],
                f.w[i],
            ));
        }
        lines
    }
}
