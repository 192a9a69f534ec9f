//! One update written out with its real numbers, the way the course texts write it by hand:
//! `w0 ← w0 − η·g0 = 6 − 0.3 × 8 = 3.6`, with the optimizer's intermediate quantities
//! (momentum buffer, AdaGrad's accumulator, RMSprop's average, Adam's m, v and their bias
//! corrections) on lines of their own.
//!
//! The numbers are the run's own: the optimizer state before the update is cloned and stepped
//! by the same code the run uses, so the last number of each `w` line is exactly the next row's
//! coordinate and the state lines show the state the next update starts from.

use nalgebra::Matrix2;

/// Where L-BFGS's closure is evaluated: the loss and gradient at a point, `None` where they are
/// undefined.
pub type Closure<'a> = dyn Fn(Vec2) -> Option<(f64, Vec2)> + 'a;
use crate::optim::{Optimizer, OptimizerKind, Vec2};

/// The written-out update that takes row `step − 1` to row `step`.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The update's number (1 = the first update).
    pub step: u64,
    /// What the lines compute, in words.
    pub heading: String,
    /// One formula with its numbers per line; a number rounded for reading is marked `≈`.
    pub lines: Vec<String>,
    /// The same lines with every number in full (shortest round-trip), for the hover over a
    /// line with a `≈`: the value the step table shows.
    pub exact: Vec<String>,
}

thread_local! {
    /// Whether [`arith`] writes numbers in full: set while [`explain`] writes
    /// [`Explanation::exact`], so the lines are written by one piece of code in both forms.
    static FULL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A number in an update written out: shortest round-trip when that is short, else ten
/// significant digits marked `≈` (so a reader comparing with the step table, which prints every
/// digit, sees the figure was rounded); no trailing `.0` (`6`, `0.3`, `3.6`, `1e-08`,
/// `≈0.01599999999`).
pub fn arith(x: f64) -> String {
    let s = crate::format::short(x);
    if FULL.get() {
        return s;
    }
    let digits = s
        .split(['e', 'E'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .count();
    if digits <= 10 {
        s
    } else {
        format!(
            "≈{}",
            crate::format::short(format!("{x:.9e}").parse().unwrap_or(x))
        )
    }
}

/// A number that may be negative, in parentheses when it is (`0.9 × (−1.2)`).
fn paren(x: f64) -> String {
    let s = arith(x).replace('-', "−");
    if x.is_sign_negative() && x != 0.0 {
        format!("({s})")
    } else {
        s
    }
}

/// `a` as the first term of a sum (no parentheses).
fn lead(x: f64) -> String {
    arith(x).replace('-', "−")
}

/// Explains the update of `optimizer`, its lines twice: rounded for reading and in full (see
/// [`written_out`] for the arguments).
#[allow(clippy::too_many_arguments)]
pub fn explain(
    optimizer: &Optimizer,
    kind: OptimizerKind,
    w: Vec2,
    g: Vec2,
    hessian: Option<Matrix2<f64>>,
    closure: Option<&Closure<'_>>,
    lr: f64,
    step: u64,
    one_d: bool,
) -> Explanation {
    let mut e = written_out(optimizer, kind, w, g, hessian, closure, lr, step, one_d);
    let was = FULL.replace(true);
    e.exact = written_out(optimizer, kind, w, g, hessian, closure, lr, step, one_d).lines;
    FULL.set(was);
    e
}

/// Explains the update of `optimizer` (its state before the update) at `w` with gradient `g`
/// (as stored in row `step − 1`, noise included) and learning rate `lr`. `one_d`: only w0
/// matters (the 1-D landscapes), so only its lines are written. `hessian`: the Hessian at `w`,
/// which Newton's method needs ([`Optimizer::needs_hessian`]) and the others ignore.
/// `closure`: the loss and gradient L-BFGS's closure gives at a point
/// ([`Optimizer::needs_closure`]; the run's own, [`crate::run::Run::closure_value`]).
#[allow(clippy::too_many_arguments)]
fn written_out(
    optimizer: &Optimizer,
    kind: OptimizerKind,
    w: Vec2,
    g: Vec2,
    hessian: Option<Matrix2<f64>>,
    closure: Option<&Closure<'_>>,
    lr: f64,
    step: u64,
    one_d: bool,
) -> Explanation {
    let mut after = optimizer.clone();
    let nan = Vec2::new(f64::NAN, f64::NAN);
    let w_new = if optimizer.needs_closure() {
        let mut eval = |p: Vec2| closure.and_then(|c| c(p));
        let loss = eval(w).map_or(f64::NAN, |(l, _)| l);
        after
            .step_with_closure(w, loss, g, lr, &mut eval)
            .map_or(nan, |s| s.w)
    } else {
        after
            .step_with_hessian(w, g, hessian.as_ref(), lr)
            .unwrap_or(nan)
    };
    let dims = if one_d { 1 } else { 2 };
    let mut lines = Vec::new();
    let at = |v: Vec2, i: usize| if i == 0 { v.x } else { v.y };
    for i in 0..dims {
        let (wi, gi, ni) = (at(w, i), at(g, i), at(w_new, i));
        let eq = |name: &str, formula: &str, numbers: String, value: f64| {
            format!("{name}{i} ← {formula} = {numbers} = {}", lead(value))
        };
        match (optimizer, &after) {
            (Optimizer::Sgd(o), Optimizer::Sgd(a)) => {
                let c = o.config;
                let mut gi2 = gi;
                if c.weight_decay != 0.0 {
                    gi2 = gi + c.weight_decay * wi;
                    lines.push(eq(
                        "g",
                        &format!("g{i} + λ·w{i}"),
                        format!("{} + {} × {}", lead(gi), arith(c.weight_decay), paren(wi)),
                        gi2,
                    ));
                }
                if c.momentum != 0.0 {
                    let b_new = a.state.momentum_buffer.map_or(0.0, |b| at(b, i));
                    match o.state.momentum_buffer {
                        None => lines.push(format!(
                            "b{i} ← g{i} = {}   (the first step starts the buffer)",
                            lead(b_new)
                        )),
                        Some(b) => lines.push(eq(
                            "b",
                            &format!("μ·b{i} + (1 − τ)·g{i}"),
                            format!(
                                "{} × {} + {} × {}",
                                arith(c.momentum),
                                paren(at(b, i)),
                                arith(1.0 - c.dampening),
                                paren(gi2)
                            ),
                            b_new,
                        )),
                    }
                    if c.nesterov {
                        let d = gi2 + c.momentum * b_new;
                        lines.push(eq(
                            "g",
                            &format!("g{i} + μ·b{i}"),
                            format!("{} + {} × {}", lead(gi2), arith(c.momentum), paren(b_new)),
                            d,
                        ));
                        lines.push(eq(
                            "w",
                            &format!("w{i} − η·g{i}"),
                            format!("{} − {} × {}", lead(wi), arith(lr), paren(d)),
                            ni,
                        ));
                    } else {
                        lines.push(eq(
                            "w",
                            &format!("w{i} − η·b{i}"),
                            format!("{} − {} × {}", lead(wi), arith(lr), paren(b_new)),
                            ni,
                        ));
                    }
                } else {
                    let name = if c.weight_decay != 0.0 {
                        format!("g{i}")
                    } else {
                        format!("∂L/∂w{i}")
                    };
                    lines.push(eq(
                        "w",
                        &format!("w{i} − η·{name}"),
                        format!("{} − {} × {}", lead(wi), arith(lr), paren(gi2)),
                        ni,
                    ));
                }
            }
            (Optimizer::Adagrad(o), Optimizer::Adagrad(a)) => {
                let c = o.config;
                let t = a.state.step;
                let gi2 = weight_decay_line(&mut lines, i, gi, wi, c.weight_decay);
                let mut clr = lr;
                if c.lr_decay != 0.0 {
                    clr = lr / (1.0 + (t - 1.0) * c.lr_decay);
                    lines.push(format!(
                        "η_t = η / (1 + (t − 1)·lr_decay) = {} / (1 + {} × {}) = {}",
                        arith(lr),
                        arith(t - 1.0),
                        arith(c.lr_decay),
                        arith(clr)
                    ));
                }
                let s_new = at(a.state.sum, i);
                lines.push(eq(
                    "s",
                    &format!("s{i} + g{i}²"),
                    format!("{} + {}²", lead(at(o.state.sum, i)), paren(gi2)),
                    s_new,
                ));
                let eta = if c.lr_decay != 0.0 { "η_t" } else { "η" };
                lines.push(eq(
                    "w",
                    &format!("w{i} − {eta}·g{i} / (√s{i} + ε)"),
                    format!(
                        "{} − {} × {} / ({} + {})",
                        lead(wi),
                        arith(clr),
                        paren(gi2),
                        arith(s_new.sqrt()),
                        arith(c.eps)
                    ),
                    ni,
                ));
            }
            (Optimizer::Rmsprop(o), Optimizer::Rmsprop(a)) => {
                let c = o.config;
                let gi2 = weight_decay_line(&mut lines, i, gi, wi, c.weight_decay);
                let v_new = at(a.state.square_avg, i);
                lines.push(eq(
                    "v",
                    &format!("α·v{i} + (1 − α)·g{i}²"),
                    format!(
                        "{} × {} + {} × {}²",
                        arith(c.alpha),
                        arith(at(o.state.square_avg, i)),
                        arith(1.0 - c.alpha),
                        paren(gi2)
                    ),
                    v_new,
                ));
                let denom = if c.centered {
                    let a_new = at(a.state.grad_avg, i);
                    lines.push(eq(
                        "a",
                        &format!("α·a{i} + (1 − α)·g{i}"),
                        format!(
                            "{} × {} + {} × {}",
                            arith(c.alpha),
                            paren(at(o.state.grad_avg, i)),
                            arith(1.0 - c.alpha),
                            paren(gi2)
                        ),
                        a_new,
                    ));
                    let d = (v_new - a_new * a_new).sqrt() + c.eps;
                    lines.push(format!("d{i} = √(v{i} − a{i}²) + ε = {}", arith(d)));
                    d
                } else {
                    let d = v_new.sqrt() + c.eps;
                    lines.push(format!(
                        "d{i} = √v{i} + ε = {} + {} = {}",
                        arith(v_new.sqrt()),
                        arith(c.eps),
                        arith(d)
                    ));
                    d
                };
                if c.momentum > 0.0 {
                    let b_new = at(a.state.momentum_buffer, i);
                    lines.push(eq(
                        "b",
                        &format!("μ·b{i} + g{i} / d{i}"),
                        format!(
                            "{} × {} + {} / {}",
                            arith(c.momentum),
                            paren(at(o.state.momentum_buffer, i)),
                            paren(gi2),
                            arith(denom)
                        ),
                        b_new,
                    ));
                    lines.push(eq(
                        "w",
                        &format!("w{i} − η·b{i}"),
                        format!("{} − {} × {}", lead(wi), arith(lr), paren(b_new)),
                        ni,
                    ));
                } else {
                    lines.push(eq(
                        "w",
                        &format!("w{i} − η·g{i} / d{i}"),
                        format!(
                            "{} − {} × {} / {}",
                            lead(wi),
                            arith(lr),
                            paren(gi2),
                            arith(denom)
                        ),
                        ni,
                    ));
                }
            }
            (Optimizer::Adam(o), Optimizer::Adam(a)) => {
                let c = o.config;
                let t = a.state.step;
                let mut wi2 = wi;
                let mut gi2 = gi;
                if c.weight_decay != 0.0 {
                    if c.decoupled_weight_decay {
                        wi2 = wi * (1.0 - lr * c.weight_decay);
                        lines.push(eq(
                            "w",
                            &format!("w{i}·(1 − η·λ)"),
                            format!("{} × {}", paren(wi), arith(1.0 - lr * c.weight_decay)),
                            wi2,
                        ));
                    } else {
                        gi2 = weight_decay_line(&mut lines, i, gi, wi, c.weight_decay);
                    }
                }
                let m_new = at(a.state.exp_avg, i);
                let v_new = at(a.state.exp_avg_sq, i);
                lines.push(eq(
                    "m",
                    &format!("β1·m{i} + (1 − β1)·g{i}"),
                    format!(
                        "{} × {} + {} × {}",
                        arith(c.beta1),
                        paren(at(o.state.exp_avg, i)),
                        arith(1.0 - c.beta1),
                        paren(gi2)
                    ),
                    m_new,
                ));
                lines.push(eq(
                    "v",
                    &format!("β2·v{i} + (1 − β2)·g{i}²"),
                    format!(
                        "{} × {} + {} × {}²",
                        arith(c.beta2),
                        arith(at(o.state.exp_avg_sq, i)),
                        arith(1.0 - c.beta2),
                        paren(gi2)
                    ),
                    v_new,
                ));
                let mut second = ("v", v_new);
                if c.amsgrad {
                    let vm = at(a.state.max_exp_avg_sq, i);
                    lines.push(eq(
                        "v_max",
                        &format!("max(v_max{i}, v{i})"),
                        format!(
                            "max({}, {})",
                            arith(at(o.state.max_exp_avg_sq, i)),
                            arith(v_new)
                        ),
                        vm,
                    ));
                    second = ("v_max", vm);
                }
                let bc1 = 1.0 - c.beta1.powf(t);
                let bc2 = 1.0 - c.beta2.powf(t);
                let m_hat = m_new / bc1;
                let v_hat = second.1 / bc2;
                lines.push(format!(
                    "m_hat{i} = m{i} / (1 − β1^{t}) = {} / {} = {}",
                    paren(m_new),
                    arith(bc1),
                    lead(m_hat)
                ));
                lines.push(format!(
                    "v_hat{i} = {}{i} / (1 − β2^{t}) = {} / {} = {}",
                    second.0,
                    arith(second.1),
                    arith(bc2),
                    arith(v_hat)
                ));
                lines.push(eq(
                    "w",
                    &format!("w{i} − η·m_hat{i} / (√v_hat{i} + ε)"),
                    format!(
                        "{} − {} × {} / ({} + {})",
                        lead(wi2),
                        arith(lr),
                        paren(m_hat),
                        arith(v_hat.sqrt()),
                        arith(c.eps)
                    ),
                    ni,
                ));
            }
            (Optimizer::Nadam(o), Optimizer::Nadam(a)) => {
                let c = o.config;
                let t = a.state.step;
                let (wi2, gi2) = decay_lines(
                    &mut lines,
                    i,
                    wi,
                    gi,
                    lr,
                    c.weight_decay,
                    c.decoupled_weight_decay,
                );
                let (mu, mu_next) = (c.mu(t), c.mu(t + 1.0));
                let prod = a.state.mu_product;
                if i == 0 {
                    lines.push(format!(
                        "μ_t = β1·(1 − ½·0.96^(t·ψ)) = {} × (1 − 0.5 × 0.96^({} × {})) = {}",
                        arith(c.beta1),
                        arith(t),
                        arith(c.momentum_decay),
                        arith(mu)
                    ));
                    lines.push(format!(
                        "μ_t+1 = {}   Π μ = {} × {} = {}",
                        arith(mu_next),
                        arith(o.state.mu_product),
                        arith(mu),
                        arith(prod)
                    ));
                }
                let m_new = at(a.state.exp_avg, i);
                let v_new = at(a.state.exp_avg_sq, i);
                moment_lines(
                    &mut lines,
                    i,
                    (c.beta1, c.beta2),
                    o.state.exp_avg,
                    o.state.exp_avg_sq,
                    (m_new, v_new),
                    gi2,
                );
                let d = (v_new / (1.0 - c.beta2.powf(t))).sqrt() + c.eps;
                lines.push(format!("d{i} = √(v{i} / (1 − β2^{t})) + ε = {}", arith(d)));
                lines.push(eq(
                    "w",
                    &format!(
                        "w{i} − η·(1 − μ_t)/(1 − Πμ)·g{i}/d{i} − η·μ_t+1/(1 − Πμ·μ_t+1)·m{i}/d{i}"
                    ),
                    format!(
                        "{} − {} × {} × {} / {} − {} × {} × {} / {}",
                        lead(wi2),
                        arith(lr),
                        arith((1.0 - mu) / (1.0 - prod)),
                        paren(gi2),
                        arith(d),
                        arith(lr),
                        arith(mu_next / (1.0 - prod * mu_next)),
                        paren(m_new),
                        arith(d)
                    ),
                    ni,
                ));
            }
            (Optimizer::Radam(o), Optimizer::Radam(a)) => {
                let c = o.config;
                let t = a.state.step;
                let (wi2, gi2) = decay_lines(
                    &mut lines,
                    i,
                    wi,
                    gi,
                    lr,
                    c.weight_decay,
                    c.decoupled_weight_decay,
                );
                let m_new = at(a.state.exp_avg, i);
                let v_new = at(a.state.exp_avg_sq, i);
                moment_lines(
                    &mut lines,
                    i,
                    (c.beta1, c.beta2),
                    o.state.exp_avg,
                    o.state.exp_avg_sq,
                    (m_new, v_new),
                    gi2,
                );
                let m_hat = m_new / (1.0 - c.beta1.powf(t));
                lines.push(format!("m_hat{i} = m{i} / (1 − β1^{t}) = {}", lead(m_hat)));
                let rho_t = c.rho_t(t);
                if rho_t > 5.0 {
                    let rect = c.rect(t);
                    let l = (1.0 - c.beta2.powf(t)).sqrt() / (v_new.sqrt() + c.eps);
                    if i == 0 {
                        lines.push(format!(
                            "ρ_t = ρ_∞ − 2t·β2^t / (1 − β2^t) = {} > 5: rectified, r_t = {}",
                            arith(rho_t),
                            arith(rect)
                        ));
                    }
                    lines.push(format!("l{i} = √(1 − β2^{t}) / (√v{i} + ε) = {}", arith(l)));
                    lines.push(eq(
                        "w",
                        &format!("w{i} − η·m_hat{i}·l{i}·r_t"),
                        format!(
                            "{} − {} × {} × {} × {}",
                            lead(wi2),
                            arith(lr),
                            paren(m_hat),
                            arith(l),
                            arith(rect)
                        ),
                        ni,
                    ));
                } else {
                    if i == 0 {
                        lines.push(format!(
                            "ρ_t = ρ_∞ − 2t·β2^t / (1 − β2^t) = {} ≤ 5: no adaptive term yet",
                            arith(rho_t)
                        ));
                    }
                    lines.push(eq(
                        "w",
                        &format!("w{i} − η·m_hat{i}"),
                        format!("{} − {} × {}", lead(wi2), arith(lr), paren(m_hat)),
                        ni,
                    ));
                }
            }
            (Optimizer::Adamax(o), Optimizer::Adamax(a)) => {
                let c = o.config;
                let t = a.state.step;
                let gi2 = weight_decay_line(&mut lines, i, gi, wi, c.weight_decay);
                let m_new = at(a.state.exp_avg, i);
                let u_new = at(a.state.exp_inf, i);
                lines.push(eq(
                    "m",
                    &format!("β1·m{i} + (1 − β1)·g{i}"),
                    format!(
                        "{} × {} + {} × {}",
                        arith(c.beta1),
                        paren(at(o.state.exp_avg, i)),
                        arith(1.0 - c.beta1),
                        paren(gi2)
                    ),
                    m_new,
                ));
                lines.push(eq(
                    "u",
                    &format!("max(β2·u{i}, |g{i}| + ε)"),
                    format!(
                        "max({} × {}, {} + {})",
                        arith(c.beta2),
                        arith(at(o.state.exp_inf, i)),
                        arith(gi2.abs()),
                        arith(c.eps)
                    ),
                    u_new,
                ));
                lines.push(eq(
                    "w",
                    &format!("w{i} − η/(1 − β1^{t})·m{i}/u{i}"),
                    format!(
                        "{} − {} × {} / {}",
                        lead(wi),
                        arith(lr / (1.0 - c.beta1.powf(t))),
                        paren(m_new),
                        arith(u_new)
                    ),
                    ni,
                ));
            }
            (Optimizer::Adadelta(o), Optimizer::Adadelta(a)) => {
                let c = o.config;
                let gi2 = weight_decay_line(&mut lines, i, gi, wi, c.weight_decay);
                let v_new = at(a.state.square_avg, i);
                let u_old = at(o.state.acc_delta, i);
                lines.push(eq(
                    "v",
                    &format!("ρ·v{i} + (1 − ρ)·g{i}²"),
                    format!(
                        "{} × {} + {} × {}²",
                        arith(c.rho),
                        arith(at(o.state.square_avg, i)),
                        arith(1.0 - c.rho),
                        paren(gi2)
                    ),
                    v_new,
                ));
                let delta = (u_old + c.eps).sqrt() / (v_new + c.eps).sqrt() * gi2;
                lines.push(format!(
                    "Δ{i} = √(u{i} + ε) / √(v{i} + ε)·g{i} = {} / {} × {} = {}",
                    arith((u_old + c.eps).sqrt()),
                    arith((v_new + c.eps).sqrt()),
                    paren(gi2),
                    lead(delta)
                ));
                lines.push(eq(
                    "u",
                    &format!("ρ·u{i} + (1 − ρ)·Δ{i}²"),
                    format!(
                        "{} × {} + {} × {}²",
                        arith(c.rho),
                        arith(u_old),
                        arith(1.0 - c.rho),
                        paren(delta)
                    ),
                    at(a.state.acc_delta, i),
                ));
                lines.push(eq(
                    "w",
                    &format!("w{i} − η·Δ{i}"),
                    format!("{} − {} × {}", lead(wi), arith(lr), paren(delta)),
                    ni,
                ));
            }
            (Optimizer::Rprop(o), Optimizer::Rprop(a)) => {
                let c = o.config;
                let prev = at(o.state.prev, i);
                let s_old = if o.state.step == 0.0 {
                    lr
                } else {
                    at(o.state.step_size, i)
                };
                let s_new = at(a.state.step_size, i);
                let product = gi * prev;
                let (f, why) = if product > 0.0 {
                    (c.eta_plus, "same sign: grow by η+")
                } else if product < 0.0 {
                    (
                        c.eta_minus,
                        "sign flipped: shrink by η−, and no move this step",
                    )
                } else {
                    (1.0, "zero: keep")
                };
                lines.push(format!(
                    "g{i}·g_prev{i} = {} × {} → {why}",
                    paren(gi),
                    paren(prev)
                ));
                lines.push(eq(
                    "s",
                    &format!("clamp(s{i}·{}, s_min, s_max)", arith(f)),
                    format!(
                        "clamp({} × {}, {}, {})",
                        arith(s_old),
                        arith(f),
                        arith(c.step_size_min),
                        arith(c.step_size_max)
                    ),
                    s_new,
                ));
                let moved = at(a.state.prev, i);
                lines.push(eq(
                    "w",
                    &format!("w{i} − s{i}·sign(g{i})"),
                    format!(
                        "{} − {} × {}",
                        lead(wi),
                        arith(s_new),
                        paren(crate::optim::rprop::sign(moved))
                    ),
                    ni,
                ));
            }
            (Optimizer::Asgd(o), Optimizer::Asgd(a)) => {
                let c = o.config;
                let gi2 = weight_decay_line(&mut lines, i, gi, wi, c.weight_decay);
                let eta = o.eta(lr);
                if i == 0 {
                    lines.push(format!(
                        "η_t = {}   μ_t = {}",
                        arith(eta),
                        arith(o.state.mu)
                    ));
                }
                lines.push(eq(
                    "w",
                    &format!("w{i}·(1 − λ·η_t) − η_t·g{i}"),
                    format!(
                        "{} × {} − {} × {}",
                        paren(wi),
                        arith(1.0 - c.lambd * eta),
                        arith(eta),
                        paren(gi2)
                    ),
                    ni,
                ));
                lines.push(format!(
                    "ax{i} = {}   (the average of the points since t0)",
                    lead(at(a.state.ax, i))
                ));
                if i + 1 == dims {
                    lines.push(format!(
                        "next: η = γ / (1 + λ·γ·t)^α = {}   μ = 1 / max(1, t − t0) = {}",
                        arith(a.state.eta),
                        arith(a.state.mu)
                    ));
                }
            }
            (Optimizer::Lbfgs(o), Optimizer::Lbfgs(a)) => {
                if i > 0 {
                    break;
                }
                lbfgs_lines(&mut lines, o, a, w, g, lr, w_new, one_d);
            }
            (Optimizer::Adafactor(o), Optimizer::Adafactor(a)) => {
                let (f, _) = o.figures(w, g, lr);
                if i == 0 {
                    lines.push(format!(
                        "t = {}: 1 − β̂₂ = t^τ = {}   ρ_t = min(γ, 1/√t) = {}   \
                         α_t = max(ε₂, RMS(w))·ρ_t = {}",
                        a.state.step,
                        arith(f.one_minus_beta2_t),
                        arith(f.rho_t),
                        arith(f.alpha)
                    ));
                    lines.push(
                        "the 2-vector is unfactored, as in torch: one V̂ per coordinate, no \
                         row and column factors"
                            .to_owned(),
                    );
                }
                let v_old = at(o.state.variance, i);
                let v_new = at(a.state.variance, i);
                lines.push(eq(
                    "V̂",
                    &format!("V̂{i} + t^τ·(g{i}² − V̂{i})"),
                    format!(
                        "{} + {} × ({}² − {})",
                        lead(v_old),
                        arith(f.one_minus_beta2_t),
                        paren(gi),
                        lead(v_old)
                    ),
                    v_new,
                ));
                lines.push(eq(
                    "U",
                    &format!("g{i} / max(√V̂{i}, ε₁)"),
                    format!("{} / √{}", lead(gi), arith(v_new)),
                    at(f.update, i),
                ));
                if i == 0 {
                    lines.push(format!("clip: max(1, RMS(U)/d) = {}", arith(f.denom)));
                }
                let mut wi2 = wi;
                if o.config.weight_decay != 0.0 {
                    wi2 = wi * (1.0 - lr * o.config.weight_decay);
                }
                lines.push(eq(
                    "w",
                    &format!("w{i} − α_t·U{i}/clip"),
                    format!(
                        "{} − {} × {} / {}",
                        lead(wi2),
                        arith(f.alpha),
                        paren(at(f.update, i)),
                        arith(f.denom)
                    ),
                    ni,
                ));
            }
            (Optimizer::Muon(o), Optimizer::Muon(a)) => {
                if i > 0 {
                    break;
                }
                muon_lines(&mut lines, o, a, w, g, lr, w_new, one_d);
            }
            (Optimizer::Newton(_), Optimizer::Newton(_)) => {
                let Some(h) = hessian else {
                    lines.push("no Hessian here: Newton cannot step".to_owned());
                    break;
                };
                if i == 0 {
                    let e = h.symmetric_eigenvalues();
                    lines.push(format!(
                        "H = [[{}, {}], [{}, {}]], eigenvalues {} and {}",
                        lead(h[(0, 0)]),
                        lead(h[(0, 1)]),
                        lead(h[(1, 0)]),
                        lead(h[(1, 1)]),
                        lead(e.x.min(e.y)),
                        lead(e.x.max(e.y))
                    ));
                    match crate::optim::newton::solve(&h, g) {
                        Ok(d) => lines.push(format!("d = H⁻¹∇L = ({}, {})", lead(d.x), lead(d.y))),
                        Err(e) => {
                            lines.push(format!("{e}: the run has diverged"));
                            break;
                        }
                    }
                }
                let d = crate::optim::newton::solve(&h, g).map_or(f64::NAN, |d| at(d, i));
                lines.push(eq(
                    "w",
                    &format!("w{i} − η·d{i}"),
                    format!("{} − {} × {}", lead(wi), arith(lr), paren(d)),
                    ni,
                ));
            }
            // A step never changes an optimizer's family; every family is listed so a new
            // one has to be explained here.
            (
                Optimizer::Sgd(_)
                | Optimizer::Adagrad(_)
                | Optimizer::Rmsprop(_)
                | Optimizer::Adam(_)
                | Optimizer::Nadam(_)
                | Optimizer::Radam(_)
                | Optimizer::Adamax(_)
                | Optimizer::Adadelta(_)
                | Optimizer::Rprop(_)
                | Optimizer::Asgd(_)
                | Optimizer::Lbfgs(_)
                | Optimizer::Adafactor(_)
                | Optimizer::Muon(_)
                | Optimizer::Newton(_),
                _,
            ) => {}
        }
    }
    Explanation {
        step,
        heading: format!(
            "Update {step} ({}, η = {}): from row {} to row {step}",
            kind.label(),
            arith(lr),
            step - 1
        ),
        lines,
        exact: Vec::new(),
    }
}

/// L-BFGS's step written out: the skip on a small gradient, the history pairs, the two-loop
/// recursion's α and β, the direction, and the line search's trial points.
#[allow(clippy::too_many_arguments)]
fn lbfgs_lines(
    lines: &mut Vec<String>,
    o: &crate::optim::Lbfgs,
    a: &crate::optim::Lbfgs,
    w: Vec2,
    g: Vec2,
    lr: f64,
    w_new: Vec2,
    one_d: bool,
) {
    let v = |p: Vec2| {
        if one_d {
            lead(p.x)
        } else {
            format!("({}, {})", lead(p.x), lead(p.y))
        }
    };
    let c = o.config;
    if a.state.n_iter == o.state.n_iter {
        lines.push(format!(
            "max|g| = {} ≤ tolerance_grad = {}: optimal, torch skips the step (w stays)",
            lead(g.x.abs().max(g.y.abs())),
            arith(c.tolerance_grad)
        ));
        return;
    }
    let s = &a.state;
    if s.n_iter == 1 {
        lines.push(format!("first iteration: d = −g = {}", v(s.d)));
    } else {
        let k = s.old_dirs.len();
        let added = k > o.state.old_dirs.len()
            || (k == c.history_size && s.old_dirs.back() != o.state.old_dirs.back());
        lines.push(format!(
            "history: {k} of {} pairs (y = g − g_prev, s = t·d){}",
            c.history_size,
            if added {
                ", the newest just added"
            } else {
                "; y·s ≤ 1e-10, nothing added"
            }
        ));
        for j in k.saturating_sub(3)..k {
            lines.push(format!(
                "  y{j} = {}   s{j} = {}   ρ{j} = 1/(y·s) = {}",
                v(s.old_dirs[j]),
                v(s.old_stps[j]),
                arith(s.ro[j])
            ));
        }
        if k > 0 {
            lines.push(format!(
                "two-loop: q = −g; for i = {} … 0: α_i = ρ_i·(s_i·q), q −= α_i·y_i; α = [{}]",
                k - 1,
                s.al.iter().map(|x| lead(*x)).collect::<Vec<_>>().join(", ")
            ));
        }
        lines.push(if k > 0 {
            format!(
                "r = H_diag·q with H_diag = y·s/(y·y) = {}; for i = 0 … {}: r += (α_i − ρ_i·(y_i·r))·s_i",
                arith(s.h_diag),
                k - 1
            )
        } else {
            format!(
                "no pairs yet: r = H_diag·(−g) with H_diag = {}",
                arith(s.h_diag)
            )
        });
        lines.push(format!("d = r = {}", v(s.d)));
    }
    let gtd = crate::optim::lbfgs::dot(g, s.d);
    if gtd > -c.tolerance_change {
        lines.push(format!(
            "g·d = {} > −tolerance_change: not a descent direction, w stays",
            lead(gtd)
        ));
        return;
    }
    lines.push(format!("g·d = {}", lead(gtd)));
    if c.strong_wolfe {
        for (j, tr) in s.trials.iter().enumerate() {
            lines.push(format!(
                "  trial {}: t = {}   f = {}   ∇f·d = {}",
                j + 1,
                arith(tr.t),
                lead(tr.f),
                lead(tr.gtd)
            ));
        }
        lines.push(format!(
            "strong Wolfe line search, one trial (torch's max_ls = max_eval − evals = 0): \
             t = {}{}",
            arith(s.t),
            if s.t == 0.0 {
                ", the trial did not lower the loss"
            } else {
                ""
            }
        ));
    } else if s.n_iter == 1 {
        lines.push(format!(
            "t = min(1, 1/Σ|g|)·γ = {} (γ = {})",
            arith(s.t),
            arith(lr)
        ));
    } else {
        lines.push(format!("t = γ = {}", arith(s.t)));
    }
    let dims: &[(f64, f64, f64)] = if one_d {
        &[(w.x, s.d.x, w_new.x)]
    } else {
        &[(w.x, s.d.x, w_new.x), (w.y, s.d.y, w_new.y)]
    };
    for (i, &(wi, di, ni)) in dims.iter().enumerate() {
        lines.push(format!(
            "w{i} ← w{i} + t·d{i} = {} + {} × {} = {}",
            lead(wi),
            arith(s.t),
            paren(di),
            lead(ni)
        ));
    }
}

/// Muon's step written out: the momentum, the Newton–Schulz iterations on the 1×2 matrix in
/// bfloat16, and the step.
#[allow(clippy::too_many_arguments)]
fn muon_lines(
    lines: &mut Vec<String>,
    o: &crate::optim::Muon,
    a: &crate::optim::Muon,
    w: Vec2,
    g: Vec2,
    lr: f64,
    w_new: Vec2,
    one_d: bool,
) {
    let c = o.config;
    let (_, input) = o.momentum_and_input(g);
    let b = a.state.momentum_buffer;
    lines.push(format!(
        "B ← μ·B + (1 − μ)·g = [[{}, {}]]",
        lead(b.x),
        lead(b.y)
    ));
    if c.nesterov {
        lines.push(format!(
            "B̃ ← g + μ·(B − g) = [[{}, {}]]   (Nesterov)",
            lead(input.x),
            lead(input.y)
        ));
    }
    let xs = crate::optim::muon::newton_schulz(input, c.ns_steps, c.eps);
    let m = |x: [f32; 2]| format!("[[{}, {}]]", lead(f64::from(x[0])), lead(f64::from(x[1])));
    lines.push(format!(
        "X₀ = bf16(B̃)/‖bf16(B̃)‖ = {}   (bfloat16, as torch computes it)",
        m(xs[0])
    ));
    for (k, pair) in xs.windows(2).enumerate() {
        let s = pair[0][0] * pair[0][0] + pair[0][1] * pair[0][1];
        lines.push(format!(
            "X{} = (a + b·s + c·s²)·X{k} with s = X{k}·X{k}^T ≈ {s:.4}: {}",
            k + 1,
            m(pair[1])
        ));
    }
    let dims: &[(f64, f64)] = if one_d {
        &[(w.x, w_new.x)]
    } else {
        &[(w.x, w_new.x), (w.y, w_new.y)]
    };
    let last = xs.last().copied().unwrap_or([f32::NAN; 2]);
    for (i, &(wi, ni)) in dims.iter().enumerate() {
        lines.push(format!(
            "w{i} ← w{i}·(1 − γλ) − γ·O{i} = {} × {} − {} × {} = {}",
            paren(wi),
            arith(1.0 - lr * c.weight_decay),
            arith(lr),
            paren(f64::from(last[i])),
            lead(ni)
        ));
    }
}

/// Weight decay for the optimizers that offer both kinds: decoupled, a shrink of w
/// (`param.mul_(1 − γλ)`); else the L2 term in the gradient. Returns (w, g) as the rest of the
/// update uses them.
fn decay_lines(
    lines: &mut Vec<String>,
    i: usize,
    w: f64,
    g: f64,
    lr: f64,
    lambda: f64,
    decoupled: bool,
) -> (f64, f64) {
    if lambda == 0.0 {
        return (w, g);
    }
    if decoupled {
        let w2 = w * (1.0 - lr * lambda);
        lines.push(format!(
            "w{i} ← w{i}·(1 − η·λ) = {} × {} = {}",
            paren(w),
            arith(1.0 - lr * lambda),
            lead(w2)
        ));
        (w2, g)
    } else {
        (w, weight_decay_line(lines, i, g, w, lambda))
    }
}

/// Adam's two moment lines (m and v), shared by NAdam and RAdam.
fn moment_lines(
    lines: &mut Vec<String>,
    i: usize,
    (beta1, beta2): (f64, f64),
    m_old: Vec2,
    v_old: Vec2,
    (m_new, v_new): (f64, f64),
    g: f64,
) {
    let at = |v: Vec2| if i == 0 { v.x } else { v.y };
    lines.push(format!(
        "m{i} ← β1·m{i} + (1 − β1)·g{i} = {} × {} + {} × {} = {}",
        arith(beta1),
        paren(at(m_old)),
        arith(1.0 - beta1),
        paren(g),
        lead(m_new)
    ));
    lines.push(format!(
        "v{i} ← β2·v{i} + (1 − β2)·g{i}² = {} × {} + {} × {}² = {}",
        arith(beta2),
        arith(at(v_old)),
        arith(1.0 - beta2),
        paren(g),
        lead(v_new)
    ));
}

/// The L2 term torch adds to the gradient (`grad.add(param, alpha=λ)`), when λ ≠ 0; returns
/// the gradient the rest of the update uses.
fn weight_decay_line(lines: &mut Vec<String>, i: usize, g: f64, w: f64, lambda: f64) -> f64 {
    if lambda == 0.0 {
        return g;
    }
    let out = g + lambda * w;
    lines.push(format!(
        "g{i} ← g{i} + λ·w{i} = {} + {} × {} = {}",
        lead(g),
        arith(lambda),
        paren(w),
        lead(out)
    ));
    out
}

/// A network's update by an optimizer that works on the whole θ (L-BFGS) or tensor by tensor
/// (Adafactor), written out for p0 and p1: `before` is the training before update `step`,
/// `after` the same one update later at learning rate `lr`. `None` for the element-wise optimizers (their update of
/// p0 and p1 is [`explain`]'s).
pub fn explain_whole(
    before: &crate::net::NetTrain,
    after: &crate::net::NetTrain,
    lr: f64,
    step: u64,
) -> Option<Explanation> {
    let mut e = whole_written_out(before, after, lr, step)?;
    let was = FULL.replace(true);
    e.exact = whole_written_out(before, after, lr, step)?.lines;
    FULL.set(was);
    Some(e)
}

fn whole_written_out(
    before: &crate::net::NetTrain,
    after: &crate::net::NetTrain,
    lr: f64,
    step: u64,
) -> Option<Explanation> {
    use crate::net::optimizer::NetOptimizer;
    let (theta, next, g) = (before.theta(), after.theta(), before.grad());
    let p = theta.len();
    let mut lines = Vec::new();
    let heading = match after.net_optimizer() {
        NetOptimizer::Lanes(_) => return None,
        NetOptimizer::Lbfgs(o) => {
            let (s, c) = (&o.state, o.config);
            let max_g = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let gtd: f64 = g.iter().zip(&s.d).map(|(a, b)| a * b).sum();
            if next == theta && max_g <= c.tolerance_grad {
                lines.push(format!(
                    "max|g| = {} ≤ tolerance_grad = {}: torch skips the update, θ stays",
                    arith(max_g),
                    arith(c.tolerance_grad)
                ));
            } else {
                // The step before the line search: its first trial when it ran.
                let t0 = s.trials.first().map_or(s.t, |tr| tr.t);
                if s.n_iter == 1 {
                    let sum: f64 = g.iter().map(|v| v.abs()).sum();
                    lines.push(format!(
                        "first update: d = −g, t = min(1, 1/Σ|g|)·γ = min(1, 1/{})·{} = {}",
                        arith(sum),
                        arith(lr),
                        arith(t0)
                    ));
                } else {
                    lines.push(format!(
                        "d = −H·g by the two-loop recursion over {} (y, s) pairs, H₀ = {}·I; \
                         t = γ = {}",
                        s.old_dirs.len(),
                        arith(s.h_diag),
                        arith(t0)
                    ));
                }
                if gtd > -c.tolerance_change {
                    lines.push(format!(
                        "g·d = {} > −tolerance_change = {}: torch stops here, θ stays",
                        arith(gtd),
                        arith(-c.tolerance_change)
                    ));
                } else {
                    lines.push(format!("g·d = {} (downhill: below 0)", arith(gtd)));
                    if let Some(tr) = s.trials.first() {
                        let verdict = if s.t == tr.t { "kept" } else { "refused" };
                        lines.push(format!(
                            "line search: f(θ + t·d) = {} against f = {}: {verdict}, t = {}",
                            arith(tr.f),
                            arith(s.prev_loss),
                            arith(s.t)
                        ));
                    }
                    for i in 0..p.min(2) {
                        lines.push(format!(
                            "p{i} ← p{i} + t·d{i} = {} + {} × {} = {}",
                            lead(theta[i]),
                            arith(s.t),
                            paren(s.d[i]),
                            lead(next[i])
                        ));
                    }
                }
            }
            format!(
                "L-BFGS moves all {p} parameters at once to θ + t·d, d from the gradient and the \
                 last curvature pairs of the whole θ; written out for p0 and p1."
            )
        }
        NetOptimizer::Adafactor(tensors) => {
            let (_, o) = tensors.first()?;
            // p0 and p1 when W1 has two entries (one input and width 1 give it one).
            let two = o.update.len().min(2);
            let (rho, alpha, denom) = o.last;
            let c = o.config;
            lines.push(format!(
                "ρ = min(γ, 1/√t) = {}, α = max(ε₂, RMS(W1))·ρ = {}",
                arith(rho),
                arith(alpha)
            ));
            for (i, &gi) in g.iter().enumerate().take(two) {
                let v = match o.shape() {
                    Some((rows, cols)) => {
                        let mean = o.row_var.iter().sum::<f64>() / rows as f64;
                        let mean = if mean < c.eps1 { c.eps1 } else { mean };
                        let (r, k) = (i / cols, i % cols);
                        let v = o.row_var[r] * o.col_var[k] / mean;
                        lines.push(format!(
                            "V̂{i} = R{r}·C{k} / max(mean(R), ε₁) = {} × {} / {} = {}",
                            arith(o.row_var[r]),
                            arith(o.col_var[k]),
                            arith(mean),
                            arith(v)
                        ));
                        v
                    }
                    None => o.variance[i],
                };
                lines.push(format!(
                    "U{i} = g{i} / √V̂{i} = {} / √{} = {}",
                    lead(gi),
                    arith(v),
                    lead(o.update[i])
                ));
            }
            lines.push(format!("clip = max(1, RMS(U)/d) = {}", arith(denom)));
            for i in 0..two {
                lines.push(if c.weight_decay != 0.0 {
                    format!(
                        "p{i} ← p{i}·(1 − γλ) − α/clip·U{i} = {} × {} − {} × {} = {}",
                        paren(theta[i]),
                        arith(1.0 - lr * c.weight_decay),
                        arith(alpha / denom),
                        paren(o.update[i]),
                        lead(next[i])
                    )
                } else {
                    format!(
                        "p{i} ← p{i} − α/clip·U{i} = {} − {} × {} = {}",
                        lead(theta[i]),
                        arith(alpha / denom),
                        paren(o.update[i]),
                        lead(next[i])
                    )
                });
            }
            let which = if two == 2 {
                "p0 and p1 are in W1"
            } else {
                "p0 is W1, a single weight"
            };
            format!(
                "Adafactor updates each tensor on its own; {which}, whose second moment is kept \
                 as row averages R and column averages C."
            )
        }
    };
    Some(Explanation {
        step,
        heading,
        lines,
        exact: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::landscape::Landscape;

    /// L-BFGS with its line search on mini-batches of data: the update written out from the
    /// run's own closure (the batch behind the row's gradient) ends where the run went.
    #[test]
    fn lbfgs_on_mini_batches_is_written_out_as_the_run_steps() {
        use crate::data::{BatchOrder, BatchSpec, DataSource, Generate, Model};
        use crate::landscape::LandscapeSpec;
        use crate::run::setup::Setup;
        let mut setup = Setup {
            landscape: LandscapeSpec::Data {
                data: DataSource::Generated(Generate::default()),
                model: Model::Linear,
                standardize: true,
            },
            ..Setup::default()
        };
        let c = &mut setup.runs[0].config;
        c.optimizer = OptimizerKind::Lbfgs;
        c.hyper = OptimizerKind::Lbfgs.defaults();
        c.hyper.lr = 0.5;
        c.hyper.line_search = true;
        c.batch = BatchSpec {
            size: 7,
            order: BatchOrder::Shuffle,
        };
        let mut run = setup.build_all().unwrap().runs.remove(0);
        for step in 1..=6 {
            let before = run.clone();
            let row = before.row();
            let e = explain(
                before.optimizer(),
                OptimizerKind::Lbfgs,
                row.w,
                row.grad,
                None,
                Some(&|p| before.closure_value(p)),
                before.lr(),
                step,
                false,
            );
            let next = run.advance().unwrap();
            let last = e.exact.iter().rev().find(|l| l.starts_with("w1")).unwrap();
            assert!(
                last.ends_with(&format!(
                    "= {}",
                    crate::format::short(next.w.y).replace('-', "−")
                )),
                "step {step}: {last} vs {}",
                next.w.y
            );
            // The line search's trial is the batch's loss, as the run's was.
            let Optimizer::Lbfgs(o) = run.optimizer() else {
                panic!()
            };
            let f = crate::format::short(o.state.trials[0].f).replace('-', "−");
            assert!(
                e.exact.iter().any(|l| l.contains(&f)),
                "step {step}: {f} not in {:?}",
                e.exact
            );
        }
    }

    /// A network's L-BFGS and Adafactor updates written out: each line's numbers give the new
    /// p0 shown; W1 of a single weight (one input, width 1) has only p0 to write; with weight
    /// decay the (1 − γλ) factor is in the line.
    #[test]
    fn whole_vector_updates_of_a_network_are_written_out() {
        use crate::net::{NetDataSource, NetSetup, NetTrain};
        let train = |setup: &NetSetup, kind: OptimizerKind, lr: f64, wd: f64, steps: usize| {
            let problem = std::sync::Arc::new(setup.problem().unwrap());
            let mut h = kind.defaults();
            h.lr = lr;
            h.weight_decay = wd;
            let o = Optimizer::new(kind, &h).unwrap();
            let mut t = NetTrain::new(problem, &o, kind, Default::default(), 0).unwrap();
            for _ in 0..steps {
                t.advance(lr);
            }
            let before = t.clone();
            t.advance(lr);
            explain_whole(&before, &t, lr, steps as u64 + 1).unwrap()
        };
        let circle = NetSetup::default();
        let e = train(&circle, OptimizerKind::Lbfgs, 0.1, 0.0, 0);
        assert!(
            e.heading.starts_with("L-BFGS moves all 105 parameters"),
            "{}",
            e.heading
        );
        assert!(
            e.lines[0].starts_with("first update: d = −g"),
            "{:?}",
            e.lines
        );
        assert!(
            e.lines.iter().any(|l| l.starts_with("p1 ← p1 + t·d1")),
            "{:?}",
            e.lines
        );
        let e = train(&circle, OptimizerKind::Lbfgs, 0.1, 0.0, 5);
        assert!(
            e.lines[0].contains("two-loop recursion over 5 (y, s) pairs"),
            "{:?}",
            e.lines
        );
        // One input, one hidden unit: W1 is 1×1.
        let tiny = NetSetup {
            data: NetDataSource::Shipped {
                name: "anscombe-2".into(),
            },
            hidden: vec![1],
            loss: crate::net::NetLoss::Mse,
            ..NetSetup::default()
        };
        let e = train(&tiny, OptimizerKind::Adafactor, 0.03, 0.0, 3);
        assert!(
            e.heading.contains("p0 is W1, a single weight"),
            "{}",
            e.heading
        );
        assert!(!e.lines.iter().any(|l| l.contains("p1")), "{:?}", e.lines);
        let e = train(&circle, OptimizerKind::Adafactor, 0.03, 0.5, 3);
        let line = e.exact.iter().find(|l| l.starts_with("p0 ←")).unwrap();
        assert!(line.contains("(1 − γλ)"), "{line}");
        // p0·(1 − γλ) − α/clip·U0, from the line's own numbers (written in full), is the p0
        // it ends on.
        let numbers = line.split(" = ").skip(1).collect::<Vec<_>>().join(" ");
        let nums: Vec<f64> = numbers
            .replace('−', "-")
            .split_whitespace()
            .filter_map(|w| w.trim_matches(['(', ')']).parse().ok())
            .collect();
        let [p0, k, a, u, new] = nums[..] else {
            panic!("{line}: {nums:?}")
        };
        assert!(
            (p0 * k - a * u - new).abs() <= 1e-14 * new.abs().max(1e-3),
            "{line}"
        );
    }
    use crate::optim::Hyper;

    fn opt(kind: OptimizerKind, f: impl Fn(&mut Hyper)) -> Optimizer {
        let mut h = kind.defaults();
        f(&mut h);
        Optimizer::new(kind, &h).unwrap()
    }

    #[test]
    fn the_parabola_by_hand() {
        // Seed 002: w = 6, α = 0.3, dL/dw = 2(6 − 2) = 8.
        let o = opt(OptimizerKind::Sgd, |_| {});
        let e = explain(
            &o,
            OptimizerKind::Sgd,
            Vec2::new(6.0, 0.0),
            Vec2::new(8.0, 0.0),
            None,
            None,
            0.3,
            1,
            true,
        );
        assert_eq!(e.lines, ["w0 ← w0 − η·∂L/∂w0 = 6 − 0.3 × 8 = 3.6"]);
        assert!(e.heading.contains("Update 1"));
    }

    #[test]
    fn momentum_writes_its_buffer() {
        let mut o = opt(OptimizerKind::Momentum, |h| h.lr = 0.1);
        o.step(Vec2::new(3.0, 2.0), Vec2::new(6.0, 16.0), 0.1);
        let e = explain(
            &o,
            OptimizerKind::Momentum,
            Vec2::new(2.4, 0.4),
            Vec2::new(4.8, 3.2),
            None,
            None,
            0.1,
            2,
            false,
        );
        assert_eq!(e.lines.len(), 4);
        assert!(e.lines[0].starts_with("b0 ← μ·b0 + (1 − τ)·g0 = 0.9 × 6 + 1 × 4.8 = 10.2"));
        assert!(e.lines[1].ends_with("= 1.38"), "{}", e.lines[1]);
    }

    #[test]
    fn adam_writes_moments_and_bias_corrections_and_lands_on_the_step() {
        let o = opt(OptimizerKind::Adam, |_| {});
        let (w, g) = (Vec2::new(6.0, -1.0), Vec2::new(8.0, -2.0));
        let e = explain(&o, OptimizerKind::Adam, w, g, None, None, 0.3, 1, false);
        let next = o.clone().step(w, g, 0.3);
        // 1 − 0.9 is 0.09999999999999998 in binary, so the figures are marked as rounded.
        assert!(
            e.lines[0].starts_with("m0 ← β1·m0 + (1 − β1)·g0 = 0.9 × 0 + ≈0.1 × 8 = ≈0.8"),
            "{:?}",
            e.lines
        );
        assert!(
            e.lines
                .iter()
                .any(|l| l.starts_with("m_hat0 = m0 / (1 − β1^1)"))
        );
        assert!(
            e.lines[4].ends_with(&format!("= {}", lead(next.x))),
            "{:?}",
            e.lines
        );
        assert!(e.lines[6].contains("(−2)"), "{:?}", e.lines);
    }

    /// L-BFGS's second step shows its history pair, the two-loop recursion and t; with the
    /// line search, the trial.
    #[test]
    fn lbfgs_writes_out_its_history_and_two_loop_recursion() {
        let bowl = Landscape::builtin("bowl").unwrap();
        let mut eval = |p: Vec2| bowl.eval(p, &mut Vec::new()).ok();
        for line_search in [false, true] {
            let mut o = opt(OptimizerKind::Lbfgs, |h| h.line_search = line_search);
            let w = Vec2::new(3.0, 2.0);
            let (l, g) = eval(w).unwrap();
            let w1 = o.step_with_closure(w, l, g, 1.0, &mut eval).unwrap().w;
            let (l1, g1) = eval(w1).unwrap();
            let e = explain(
                &o,
                OptimizerKind::Lbfgs,
                w1,
                g1,
                None,
                Some(&|p| bowl.eval(p, &mut Vec::new()).ok()),
                1.0,
                2,
                false,
            );
            let text = e.lines.join("\n");
            assert!(text.contains("history: 1 of 100 pairs"), "{text}");
            assert!(text.contains("two-loop"), "{text}");
            assert_eq!(text.contains("trial 1: t = 1"), line_search, "{text}");
            let next = o.step_with_closure(w1, l1, g1, 1.0, &mut eval).unwrap().w;
            assert!(e.lines.last().unwrap().ends_with(&lead(next.y)), "{text}");
        }
    }

    #[test]
    fn every_optimizer_ends_each_coordinate_on_the_next_point() {
        for kind in OptimizerKind::ALL {
            let o = opt(kind, |h| {
                h.weight_decay = 0.01;
                h.lr_decay = 0.1;
                h.centered = true;
            });
            let (w, g) = (Vec2::new(1.5, -0.5), Vec2::new(0.25, 3.0));
            let h = Matrix2::new(2.0, 0.5, 0.5, 8.0);
            // L-BFGS calls the landscape (its loss at w, its line search's trials).
            let bowl = Landscape::builtin("bowl").unwrap();
            let mut eval = |p: Vec2| bowl.eval(p, &mut Vec::new()).ok();
            let next = if o.needs_closure() {
                let loss = eval(w).unwrap().0;
                o.clone()
                    .step_with_closure(w, loss, g, 0.05, &mut eval)
                    .unwrap()
                    .w
            } else {
                o.clone().step_with_hessian(w, g, Some(&h), 0.05).unwrap()
            };
            let closure = |p: Vec2| bowl.eval(p, &mut Vec::new()).ok();
            let e = explain(&o, kind, w, g, Some(h), Some(&closure), 0.05, 1, false);
            let ws: Vec<&String> = e.lines.iter().filter(|l| l.starts_with("w")).collect();
            assert!(
                ws.last().unwrap().ends_with(&format!("= {}", lead(next.y))),
                "{kind:?}: {:?}",
                e.lines
            );
        }
    }

    #[test]
    fn arithmetic_numbers_are_short() {
        assert_eq!(arith(6.0), "6");
        // Rounded for reading, and marked so.
        assert_eq!(arith(3.5999999999999996), "≈3.6");
        assert_eq!(arith(0.1 + 0.2), "≈0.3");
        assert_eq!(arith(1e-8), "1e-08");
        assert_eq!(arith(-2.5), "-2.5");
    }

    /// A rounded figure is marked ≈ and the exact line has every digit: the value the step
    /// table prints for the new point.
    #[test]
    fn rounded_figures_are_marked_and_the_exact_lines_are_the_table_values() {
        let o = opt(OptimizerKind::Sgd, |_| {});
        // The bowl's third update at η = 0.15 (torch's fused rounding).
        let (w, g) = (
            Vec2::new(1.47, 0.07999999999999996),
            Vec2::new(2.94, 0.6399999999999997),
        );
        let next = o.clone().step(w, g, 0.15);
        let e = explain(&o, OptimizerKind::Sgd, w, g, None, None, 0.15, 3, false);
        assert!(e.lines[1].contains('≈'), "{:?}", e.lines);
        assert!(e.lines[1].ends_with("= ≈−0.016"), "{:?}", e.lines);
        assert_eq!(e.exact.len(), e.lines.len());
        assert!(!e.exact.iter().any(|l| l.contains('≈')), "{:?}", e.exact);
        let full = crate::format::short(next.y).replace('-', "−");
        assert!(e.exact[1].ends_with(&format!("= {full}")), "{:?}", e.exact);
        assert!(e.exact[1].contains("0.07999999999999996"), "{:?}", e.exact);
        // A line without a rounded figure is the same in both.
        assert!(!e.lines[0].contains('≈') || e.lines[0] != e.exact[0]);
    }
}
