//! Muon written out: the momentum, the Newton–Schulz iterations on the 1×2 matrix in
//! bfloat16, and the step.

use super::{At, Explain, Line, lead, line_of, num, paren, update};
use crate::optim::Muon;

impl Explain for Muon {
    fn written_out(&self, at: &At<'_>) -> Vec<Line> {
        let c = self.config;
        let mut after = self.clone();
        let f = after.update(at.w, at.g, at.lr);
        let b = after.state.momentum_buffer;
        let mut lines = vec![line_of![
            "B ← μ·B + (1 − μ)·g = [[",
            lead(b.x),
            ", ",
            lead(b.y),
            "]]"
        ]];
        if c.nesterov {
            lines.push(line_of![
                "B̃ ← g + μ·(B − g) = [[",
                lead(f.input.x),
                ", ",
                lead(f.input.y),
                "]]   (Nesterov)"
            ]);
        }
        let m = |x: [f32; 2]| {
            line_of![
                "[[",
                lead(f64::from(x[0])),
                ", ",
                lead(f64::from(x[1])),
                "]]"
            ]
        };
        if let Some(&x0) = f.iterates.first() {
            lines.push(
                line_of!["X₀ = bf16(B̃)/‖bf16(B̃)‖ = "]
                    .then(m(x0))
                    .then("   (bfloat16, as torch computes it)"),
            );
        }
        for (k, pair) in f.iterates.windows(2).enumerate() {
            let s = pair[0][0] * pair[0][0] + pair[0][1] * pair[0][1];
            lines.push(
                line_of![format!(
                    "X{} = (a + b·s + c·s²)·X{k} with s = X{k}·X{k}^T ≈ {s:.4}: ",
                    k + 1
                )]
                .then(m(pair[1])),
            );
        }
        let last = f.iterates.last().copied().unwrap_or([f32::NAN; 2]);
        for i in at.coords() {
            lines.push(update(
                i,
                "w",
                "w#·(1 − γλ) − γ·O#",
                line_of![
                    paren(at.w[i]),
                    " × ",
                    num(1.0 - at.lr * c.weight_decay),
                    " − ",
                    num(at.lr),
                    " × ",
                    paren(f64::from(last[i]))
                ],
                f.w[i],
            ));
        }
        lines
    }
}
