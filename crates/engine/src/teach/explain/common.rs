//! Lines more than one family writes: weight decay, and Adam's two moments (Adam, NAdam and
//! RAdam write them alike).

use super::{Line, lead, line_of, num, paren, update};

/// The L2 term torch adds to the gradient (`grad.add(param, alpha=λ)`), when λ ≠ 0: from `g`
/// at `w` to `out`, the gradient the update went on with.
pub(super) fn weight_decay_line(
    lines: &mut Vec<Line>,
    i: usize,
    g: f64,
    w: f64,
    lambda: f64,
    out: f64,
) {
    if lambda != 0.0 {
        lines.push(update(
            i,
            "g",
            "g# + λ·w#",
            line_of![lead(g), " + ", num(lambda), " × ", paren(w)],
            out,
        ));
    }
}

/// Weight decay for the families that offer both kinds, when λ ≠ 0: decoupled, a shrink of w
/// (`param.mul_(1 − γλ)`) to `decayed`; else the L2 term in the gradient, to `grad`.
#[allow(clippy::too_many_arguments)]
pub(super) fn decay_lines(
    lines: &mut Vec<Line>,
    i: usize,
    (w, g): (f64, f64),
    lr: f64,
    lambda: f64,
    decoupled: bool,
    (decayed, grad): (f64, f64),
) {
    if lambda == 0.0 {
        return;
    }
    if decoupled {
        lines.push(update(
            i,
            "w",
            "w#·(1 − η·λ)",
            line_of![paren(w), " × ", num(1.0 - lr * lambda)],
            decayed,
        ));
    } else {
        weight_decay_line(lines, i, g, w, lambda, grad);
    }
}

/// Adam's two moment lines: m ← β₁m + (1 − β₁)g and v ← β₂v + (1 − β₂)g², from `old` to `new`
/// (each an (m, v) pair) with the gradient `g` the moments took.
pub(super) fn moment_lines(
    lines: &mut Vec<Line>,
    i: usize,
    (beta1, beta2): (f64, f64),
    (m_old, v_old): (f64, f64),
    (m_new, v_new): (f64, f64),
    g: f64,
) {
    lines.push(update(
        i,
        "m",
        "β1·m# + (1 − β1)·g#",
        line_of![
            num(beta1),
            " × ",
            paren(m_old),
            " + ",
            num(1.0 - beta1),
            " × ",
            paren(g)
        ],
        m_new,
    ));
    lines.push(update(
        i,
        "v",
        "β2·v# + (1 − β2)·g#²",
        line_of![
            num(beta2),
            " × ",
            num(v_old),
            " + ",
            num(1.0 - beta2),
            " × ",
            paren(g),
            "²"
        ],
        v_new,
    ));
}
