//! A parsed formula compiled to a tape: a flat list of operations, each reading earlier slots.
//!
//! Compilation folds constants, shares repeated sub-expressions and maps constant powers to
//! the same kernels torch uses for `x ** c` (x·x for 2, x·x·x for 3, sqrt for ½, 1/x for −1), so a
//! typed `x^2` rounds like the built-ins and like torch. The tape is evaluated on any
//! [`Num`] (value, gradient, Hessian) one point at a time, or on plain values for many points at
//! once ([`Tape::eval_many`]), an operation at a time over a block of points, which keeps the
//! interpreter's dispatch out of the inner loop.

use std::collections::HashMap;

use super::num::Num;
use super::parse::{Ast, BinOp, Func};

/// Why a formula has no value at a point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum Undefined {
    #[error("ln of a number that is not positive")]
    LnNonPositive,
    #[error("square root of a negative number")]
    SqrtNegative,
    #[error("division by zero")]
    DivisionByZero,
    #[error("zero to a negative power")]
    ZeroToNegativePower,
    #[error("a negative number to a fractional power")]
    NegativeToFractionalPower,
    #[error("a power with a variable exponent needs a positive base")]
    NonPositiveBase,
    /// Not a formula's: a network's plane has no exact Hessian (its curvature along the plane
    /// is not the network's).
    #[error("a network's landscape has no exact Hessian")]
    NoHessian,
}

/// One operation; operands are indices of earlier slots.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Op {
    Const(f64),
    X,
    Y,
    Add(u32, u32),
    Sub(u32, u32),
    Mul(u32, u32),
    Div(u32, u32),
    Neg(u32),
    Square(u32),
    Cube(u32),
    Recip(u32),
    /// a^c for a constant c that has no kernel of its own.
    PowC(u32, f64),
    /// a^b with a variable exponent: exp(b·ln a), defined for a > 0.
    Pow(u32, u32),
    Un(Func, u32),
}

/// The compiled formula.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Tape {
    pub ops: Vec<Op>,
    /// The slot holding the result (not always the last: `x^1` is slot `x`).
    pub out: u32,
}

/// Points evaluated together by [`Tape::eval_many`].
const LANES: usize = 256;

/// Hash key of an operation (f64 constants by their bits).
type Key = (u8, u32, u32, u64);

fn key(op: &Op) -> Key {
    match *op {
        Op::Const(c) => (0, 0, 0, c.to_bits()),
        Op::X => (1, 0, 0, 0),
        Op::Y => (2, 0, 0, 0),
        Op::Add(a, b) => (3, a, b, 0),
        Op::Sub(a, b) => (4, a, b, 0),
        Op::Mul(a, b) => (5, a, b, 0),
        Op::Div(a, b) => (6, a, b, 0),
        Op::Neg(a) => (7, a, 0, 0),
        Op::Square(a) => (8, a, 0, 0),
        Op::Cube(a) => (9, a, 0, 0),
        Op::Recip(a) => (10, a, 0, 0),
        Op::PowC(a, c) => (11, a, 0, c.to_bits()),
        Op::Pow(a, b) => (12, a, b, 0),
        Op::Un(f, a) => (13 + f as u8, a, 0, 0),
    }
}

struct Builder {
    ops: Vec<Op>,
    seen: HashMap<Key, u32>,
}

impl Builder {
    /// Adds `op` (or finds its twin), folding it to a constant when all its inputs are.
    fn push(&mut self, op: Op) -> u32 {
        let op = self.fold(op);
        let k = key(&op);
        if let Some(&i) = self.seen.get(&k) {
            return i;
        }
        let i = self.ops.len() as u32;
        self.ops.push(op);
        self.seen.insert(k, i);
        i
    }

    fn constant(&self, i: u32) -> Option<f64> {
        match self.ops[i as usize] {
            Op::Const(c) => Some(c),
            _ => None,
        }
    }

    /// Replaces an operation on constants by its value, when that value is defined and finite.
    fn fold(&self, op: Op) -> Op {
        let (a, b) = operands(&op);
        let all_const = a.is_none_or(|a| self.constant(a).is_some())
            && b.is_none_or(|b| self.constant(b).is_some());
        if !all_const || matches!(op, Op::Const(_) | Op::X | Op::Y) {
            return op;
        }
        let mut slots: Vec<f64> = Vec::new();
        let remap = |i: u32| self.constant(i).unwrap_or(f64::NAN);
        // Evaluate the single operation on its constant inputs (slots 0 and 1).
        let local = match op {
            Op::Add(a, b) | Op::Sub(a, b) | Op::Mul(a, b) | Op::Div(a, b) | Op::Pow(a, b) => {
                slots.extend([remap(a), remap(b)]);
                with_operands(op, 0, 1)
            }
            Op::Neg(a)
            | Op::Square(a)
            | Op::Cube(a)
            | Op::Recip(a)
            | Op::PowC(a, _)
            | Op::Un(_, a) => {
                slots.push(remap(a));
                with_operands(op, 0, 0)
            }
            Op::Const(_) | Op::X | Op::Y => op,
        };
        match apply::<f64>(&local, &slots, 0.0, 0.0) {
            Ok(v) if v.is_finite() => Op::Const(v),
            _ => op,
        }
    }

    fn build(&mut self, ast: &Ast) -> u32 {
        match ast {
            Ast::Num(v) => self.push(Op::Const(*v)),
            Ast::Var(0) => self.push(Op::X),
            Ast::Var(_) => self.push(Op::Y),
            Ast::Neg(a) => {
                let a = self.build(a);
                self.push(Op::Neg(a))
            }
            Ast::Call(f, a) => {
                let a = self.build(a);
                self.push(Op::Un(*f, a))
            }
            Ast::Bin(op, a, b) => {
                let a = self.build(a);
                let b = self.build(b);
                match op {
                    BinOp::Add => self.push(Op::Add(a, b)),
                    BinOp::Sub => self.push(Op::Sub(a, b)),
                    BinOp::Mul => self.push(Op::Mul(a, b)),
                    BinOp::Div => self.push(Op::Div(a, b)),
                    BinOp::Pow => self.power(a, b),
                }
            }
        }
    }

    /// a^b, with torch's kernels for the common constant exponents.
    fn power(&mut self, a: u32, b: u32) -> u32 {
        let Some(c) = self.constant(b) else {
            return self.push(Op::Pow(a, b));
        };
        if c == 2.0 {
            self.push(Op::Square(a))
        } else if c == 3.0 {
            self.push(Op::Cube(a))
        } else if c == 1.0 {
            a
        } else if c == 0.0 {
            self.push(Op::Const(1.0))
        } else if c == 0.5 {
            self.push(Op::Un(Func::Sqrt, a))
        } else if c == -1.0 {
            self.push(Op::Recip(a))
        } else if c == -0.5 {
            let s = self.push(Op::Un(Func::Sqrt, a));
            self.push(Op::Recip(s))
        } else if c == -2.0 {
            let s = self.push(Op::Square(a));
            self.push(Op::Recip(s))
        } else {
            self.push(Op::PowC(a, c))
        }
    }
}

/// The operand slots of `op`.
fn operands(op: &Op) -> (Option<u32>, Option<u32>) {
    match *op {
        Op::Const(_) | Op::X | Op::Y => (None, None),
        Op::Add(a, b) | Op::Sub(a, b) | Op::Mul(a, b) | Op::Div(a, b) | Op::Pow(a, b) => {
            (Some(a), Some(b))
        }
        Op::Neg(a) | Op::Square(a) | Op::Cube(a) | Op::Recip(a) | Op::PowC(a, _) | Op::Un(_, a) => {
            (Some(a), None)
        }
    }
}

/// `op` with its operands replaced by slots `a` and `b`.
fn with_operands(op: Op, a: u32, b: u32) -> Op {
    match op {
        Op::Add(..) => Op::Add(a, b),
        Op::Sub(..) => Op::Sub(a, b),
        Op::Mul(..) => Op::Mul(a, b),
        Op::Div(..) => Op::Div(a, b),
        Op::Pow(..) => Op::Pow(a, b),
        Op::Neg(_) => Op::Neg(a),
        Op::Square(_) => Op::Square(a),
        Op::Cube(_) => Op::Cube(a),
        Op::Recip(_) => Op::Recip(a),
        Op::PowC(_, c) => Op::PowC(a, c),
        Op::Un(f, _) => Op::Un(f, a),
        other => other,
    }
}

/// One operation on values already in `slots`: the rule of each operation and its domain.
///
/// g′ and g″ of each outer function (for [`Num::chain`]) are computed only when `T` carries
/// derivatives.
#[inline(always)]
fn apply<T: Num>(op: &Op, slots: &[T], x: f64, y: f64) -> Result<T, Undefined> {
    let s = |i: u32| slots[i as usize];
    let d1 = T::ORDER >= 1;
    let d2 = T::ORDER >= 2;
    Ok(match *op {
        Op::Const(c) => T::cst(c),
        Op::X => T::var(x, 0),
        Op::Y => T::var(y, 1),
        Op::Add(a, b) => s(a).add(s(b)),
        Op::Sub(a, b) => s(a).sub(s(b)),
        Op::Mul(a, b) => s(a).mul(s(b)),
        Op::Div(a, b) => {
            if s(b).val() == 0.0 {
                return Err(Undefined::DivisionByZero);
            }
            s(a).div(s(b))
        }
        Op::Neg(a) => s(a).neg(),
        Op::Square(a) => {
            let u = s(a);
            let v = u.val();
            u.chain(v * v, 2.0 * v, 2.0)
        }
        Op::Cube(a) => {
            let u = s(a);
            let v = u.val();
            u.chain(v * v * v, if d1 { 3.0 * (v * v) } else { 0.0 }, 6.0 * v)
        }
        Op::Recip(a) => {
            let u = s(a);
            let v = u.val();
            if v == 0.0 {
                return Err(Undefined::DivisionByZero);
            }
            let r = 1.0 / v;
            u.chain(
                r,
                if d1 { -(r * r) } else { 0.0 },
                if d2 { 2.0 * r * r * r } else { 0.0 },
            )
        }
        Op::PowC(a, c) => {
            let u = s(a);
            let v = u.val();
            if v < 0.0 && c.fract() != 0.0 {
                return Err(Undefined::NegativeToFractionalPower);
            }
            if v == 0.0 && c < 0.0 {
                return Err(Undefined::ZeroToNegativePower);
            }
            let g1 = if d1 { c * v.powf(c - 1.0) } else { 0.0 };
            let g2 = if d2 {
                c * (c - 1.0) * v.powf(c - 2.0)
            } else {
                0.0
            };
            u.chain(v.powf(c), g1, g2)
        }
        Op::Pow(a, b) => {
            let (u, w) = (s(a), s(b));
            let base = u.val();
            if base <= 0.0 {
                return Err(Undefined::NonPositiveBase);
            }
            let value = base.powf(w.val());
            if d1 {
                // a^b = exp(b·ln a); the value itself is computed directly by pow.
                let ln_u = u.chain(base.ln(), 1.0 / base, -1.0 / (base * base));
                w.mul(ln_u).chain(value, value, value)
            } else {
                T::cst(value)
            }
        }
        Op::Un(f, a) => {
            let u = s(a);
            let v = u.val();
            match f {
                Func::Sin => {
                    let sin = v.sin();
                    u.chain(sin, if d1 { v.cos() } else { 0.0 }, -sin)
                }
                Func::Cos => {
                    let cos = v.cos();
                    u.chain(cos, if d1 { -v.sin() } else { 0.0 }, -cos)
                }
                Func::Tan => {
                    let t = v.tan();
                    let sec2 = 1.0 + t * t;
                    u.chain(t, sec2, 2.0 * t * sec2)
                }
                Func::Exp => {
                    let e = v.exp();
                    u.chain(e, e, e)
                }
                Func::Ln => {
                    if v <= 0.0 {
                        return Err(Undefined::LnNonPositive);
                    }
                    u.chain(v.ln(), 1.0 / v, -1.0 / (v * v))
                }
                Func::Sqrt => {
                    if v < 0.0 {
                        return Err(Undefined::SqrtNegative);
                    }
                    let r = v.sqrt();
                    u.chain(
                        r,
                        if d1 { 0.5 / r } else { 0.0 },
                        if d2 { -0.25 / (r * v) } else { 0.0 },
                    )
                }
                Func::Abs => {
                    let sign = if v > 0.0 {
                        1.0
                    } else if v < 0.0 {
                        -1.0
                    } else {
                        0.0
                    };
                    u.chain(v.abs(), sign, 0.0)
                }
                Func::Tanh => {
                    let t = v.tanh();
                    let sech2 = 1.0 - t * t;
                    u.chain(t, sech2, -2.0 * t * sech2)
                }
            }
        }
    })
}

impl Tape {
    pub fn compile(ast: &Ast) -> Self {
        let mut b = Builder {
            ops: Vec::new(),
            seen: HashMap::new(),
        };
        let out = b.build(ast);
        Self::live(b.ops, out)
    }

    /// Drops the operations the result does not read (constants folded away, mostly).
    fn live(ops: Vec<Op>, out: u32) -> Self {
        let mut needed = vec![false; ops.len()];
        needed[out as usize] = true;
        for i in (0..ops.len()).rev() {
            if needed[i] {
                let (a, b) = operands(&ops[i]);
                for j in a.into_iter().chain(b) {
                    needed[j as usize] = true;
                }
            }
        }
        let mut index = vec![0u32; ops.len()];
        let mut kept = Vec::new();
        for (i, op) in ops.into_iter().enumerate() {
            if needed[i] {
                index[i] = kept.len() as u32;
                let (a, b) = operands(&op);
                let r = |j: Option<u32>| j.map_or(0, |j| index[j as usize]);
                kept.push(with_operands(op, r(a), r(b)));
            }
        }
        Tape {
            ops: kept,
            out: index[out as usize],
        }
    }

    /// Whether the formula reads `y` (otherwise it is a function of x alone).
    pub fn uses_y(&self) -> bool {
        self.ops.contains(&Op::Y)
    }

    /// Evaluates at (x, y) on the number type `T`, using `slots` as scratch space.
    #[inline]
    pub fn eval<T: Num>(&self, x: f64, y: f64, slots: &mut Vec<T>) -> Result<T, Undefined> {
        slots.clear();
        for op in &self.ops {
            let v = apply(op, slots, x, y)?;
            slots.push(v);
        }
        Ok(slots
            .get(self.out as usize)
            .copied()
            .unwrap_or(T::cst(f64::NAN)))
    }

    /// Values at many points: `out[i] = f(xs[i], ys[i])`, NaN where the formula is undefined.
    pub fn eval_many(&self, xs: &[f64], ys: &[f64], out: &mut [f64], scratch: &mut Vec<f64>) {
        let n_ops = self.ops.len();
        scratch.resize(n_ops * LANES, 0.0);
        let n = xs.len().min(ys.len()).min(out.len());
        let mut start = 0;
        while start < n {
            let len = LANES.min(n - start);
            let (cx, cy) = (&xs[start..start + len], &ys[start..start + len]);
            for (i, op) in self.ops.iter().enumerate() {
                let (done, rest) = scratch.split_at_mut(i * LANES);
                let dst = &mut rest[..len];
                let src = |j: u32| &done[j as usize * LANES..j as usize * LANES + len];
                match *op {
                    Op::Const(c) => dst.fill(c),
                    Op::X => dst.copy_from_slice(cx),
                    Op::Y => dst.copy_from_slice(cy),
                    Op::Add(a, b) => lanes2(dst, src(a), src(b), |a, b| a + b),
                    Op::Sub(a, b) => lanes2(dst, src(a), src(b), |a, b| a - b),
                    Op::Mul(a, b) => lanes2(dst, src(a), src(b), |a, b| a * b),
                    Op::Neg(a) => lanes1(dst, src(a), |a| -a),
                    Op::Square(a) => lanes1(dst, src(a), |a| a * a),
                    Op::Cube(a) => lanes1(dst, src(a), |a| a * a * a),
                    _ => {
                        // Operations with a domain: the scalar rule, NaN where undefined.
                        let (a, b) = operands(op);
                        let local = with_operands(*op, 0, 1);
                        for (k, d) in dst.iter_mut().enumerate() {
                            let va = a.map_or(0.0, |a| src(a)[k]);
                            let vb = b.map_or(0.0, |b| src(b)[k]);
                            *d = apply::<f64>(&local, &[va, vb], 0.0, 0.0).unwrap_or(f64::NAN);
                        }
                    }
                }
            }
            let res = self.out as usize * LANES;
            out[start..start + len].copy_from_slice(&scratch[res..res + len]);
            start += len;
        }
    }
}

#[inline(always)]
fn lanes1(dst: &mut [f64], a: &[f64], f: impl Fn(f64) -> f64) {
    for (d, &a) in dst.iter_mut().zip(a) {
        *d = f(a);
    }
}

#[inline(always)]
fn lanes2(dst: &mut [f64], a: &[f64], b: &[f64], f: impl Fn(f64, f64) -> f64) {
    for ((d, &a), &b) in dst.iter_mut().zip(a).zip(b) {
        *d = f(a, b);
    }
}
