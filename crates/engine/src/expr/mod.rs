//! Typed formulas f(x, y): parsing with positioned errors, and exact derivatives.
//!
//! A formula is parsed ([`parse`]) and compiled to a tape ([`tape`]) once. Its gradient and
//! Hessian come from forward-mode automatic differentiation on that tape ([`num`]): exact to
//! rounding, never a finite difference. Where the formula is undefined (ln of a negative number,
//! a division by zero, …) evaluation says so with an [`Undefined`] reason instead of a NaN.
//!
//! `exmex` was evaluated and not adopted: its evaluation is about 50× slower than compiled Rust
//! (a 512² grid of Rosenbrock with both partials took 61 ms), its errors carry no column, and it
//! has no notion of where a formula is undefined.

pub mod num;
pub mod parse;
pub mod symbolic;
pub mod tape;

use std::sync::Arc;

pub use num::{Dual, Jet};
pub use parse::{ParseError, parse};
pub use tape::Undefined;

use crate::geometry::Vec2;
use tape::Tape;

/// A compiled formula in x (= w0) and y (= w1). Cheap to clone.
#[derive(Clone, Debug)]
pub struct Expr {
    text: String,
    ast: Arc<parse::Ast>,
    tape: Arc<Tape>,
}

impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

/// Scratch space for evaluating formulas without allocating on every call.
pub type Scratch = Vec<Dual>;

impl Expr {
    /// Parses and compiles `text`.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let ast = parse::parse(text)?;
        Ok(Self {
            text: text.trim().to_owned(),
            tape: Arc::new(Tape::compile(&ast)),
            ast: Arc::new(ast),
        })
    }

    /// The formula as the user typed it (trimmed).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// ∂f/∂x and ∂f/∂y written out (simplified), in the grammar the parser reads.
    pub fn gradient_text(&self) -> [String; 2] {
        [0, 1].map(|v| symbolic::print(&symbolic::derivative(&self.ast, v)))
    }

    /// ∂²f/∂x², ∂²f/∂x∂y, ∂²f/∂y² written out.
    pub fn hessian_text(&self) -> [String; 3] {
        let dx = symbolic::derivative(&self.ast, 0);
        let dy = symbolic::derivative(&self.ast, 1);
        [(&dx, 0), (&dx, 1), (&dy, 1)].map(|(d, v)| symbolic::print(&symbolic::derivative(d, v)))
    }

    /// Whether the formula depends on y (w1).
    pub fn uses_y(&self) -> bool {
        self.tape.uses_y()
    }

    /// f(w).
    pub fn value(&self, w: Vec2) -> Result<f64, Undefined> {
        self.tape.eval::<f64>(w.x, w.y, &mut Vec::new())
    }

    /// f(w) and ∇f(w), with `scratch` reused between calls.
    #[inline]
    pub fn value_grad(&self, w: Vec2, scratch: &mut Scratch) -> Result<(f64, Vec2), Undefined> {
        let d = self.tape.eval::<Dual>(w.x, w.y, scratch)?;
        Ok((d.v, Vec2::new(d.d[0], d.d[1])))
    }

    /// f(w), ∇f(w) and the Hessian ∇²f(w).
    pub fn jet(&self, w: Vec2) -> Result<Jet, Undefined> {
        self.tape.eval::<Jet>(w.x, w.y, &mut Vec::new())
    }

    /// Values at many points, NaN where undefined; `scratch` is reused between calls.
    pub fn eval_many(&self, xs: &[f64], ys: &[f64], out: &mut [f64], scratch: &mut Vec<f64>) {
        self.tape.eval_many(xs, ys, out, scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(x: f64, y: f64) -> Vec2 {
        Vec2::new(x, y)
    }

    #[test]
    fn values_gradients_and_hessians_of_a_polynomial() {
        let e = Expr::parse("(1 - x)^2 + 100*(y - x^2)^2").unwrap();
        let j = e.jet(v(-1.2, 1.0)).unwrap();
        let (x, y) = (-1.2f64, 1.0f64);
        assert!((j.v - ((1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2))).abs() < 1e-12);
        assert!((j.d[0] - (-2.0 * (1.0 - x) - 400.0 * x * (y - x * x))).abs() < 1e-9);
        assert!((j.d[1] - 200.0 * (y - x * x)).abs() < 1e-9);
        assert!((j.h[0] - (2.0 - 400.0 * y + 1200.0 * x * x)).abs() < 1e-9);
        assert!((j.h[1] - (-400.0 * x)).abs() < 1e-9);
        assert!((j.h[2] - 200.0).abs() < 1e-12);
    }

    #[test]
    fn every_function_differentiates() {
        type Want = fn(f64) -> [f64; 3];
        let cases: [(&str, Want); 9] = [
            ("sin(x)", |x| [x.sin(), x.cos(), -x.sin()]),
            ("cos(x)", |x| [x.cos(), -x.sin(), -x.cos()]),
            ("tan(x)", |x| {
                let t = x.tan();
                [t, 1.0 + t * t, 2.0 * t * (1.0 + t * t)]
            }),
            ("exp(x)", |x| [x.exp(), x.exp(), x.exp()]),
            ("ln(x)", |x| [x.ln(), 1.0 / x, -1.0 / (x * x)]),
            ("log(x)", |x| [x.ln(), 1.0 / x, -1.0 / (x * x)]),
            ("sqrt(x)", |x| {
                [x.sqrt(), 0.5 / x.sqrt(), -0.25 * x.powf(-1.5)]
            }),
            ("abs(x)", |x| [x.abs(), x.signum(), 0.0]),
            ("tanh(x)", |x| {
                let t = x.tanh();
                [t, 1.0 - t * t, -2.0 * t * (1.0 - t * t)]
            }),
        ];
        for (text, want) in cases {
            let e = Expr::parse(text).unwrap();
            for x in [0.3, 0.7, 1.9] {
                let j = e.jet(v(x, 0.0)).unwrap();
                let w = want(x);
                for (got, want) in [j.v, j.d[0], j.h[0]].into_iter().zip(w) {
                    assert!(
                        (got - want).abs() <= 1e-12 * want.abs().max(1.0),
                        "{text} at {x}"
                    );
                }
            }
        }
    }

    #[test]
    fn powers_use_torch_kernels_and_variable_exponents_work() {
        let e = Expr::parse("x^2 + x^3 + x^-1 + x^0.5 + x^2.5").unwrap();
        let x = 1.7f64;
        let want = x * x + x * x * x + 1.0 / x + x.sqrt() + x.powf(2.5);
        assert_eq!(e.value(v(x, 0.0)).unwrap(), want);
        let e = Expr::parse("x^y").unwrap();
        let j = e.jet(v(2.0, 3.0)).unwrap();
        assert_eq!(j.v, 8.0);
        assert!((j.d[0] - 12.0).abs() < 1e-12);
        assert!((j.d[1] - 8.0 * 2f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn undefined_points_say_why() {
        let cases = [
            ("ln(x)", v(-1.0, 0.0), Undefined::LnNonPositive),
            ("ln(x)", v(0.0, 0.0), Undefined::LnNonPositive),
            ("1/x", v(0.0, 0.0), Undefined::DivisionByZero),
            ("y/(x-1)", v(1.0, 0.0), Undefined::DivisionByZero),
            ("sqrt(x)", v(-0.1, 0.0), Undefined::SqrtNegative),
            ("x^-3", v(0.0, 0.0), Undefined::ZeroToNegativePower),
            ("x^1.5", v(-2.0, 0.0), Undefined::NegativeToFractionalPower),
            ("x^y", v(-2.0, 0.5), Undefined::NonPositiveBase),
        ];
        for (text, at, why) in cases {
            let e = Expr::parse(text).unwrap();
            assert_eq!(e.value(at), Err(why), "{text}");
            assert_eq!(e.jet(at).map(|j| j.v), Err(why), "{text}");
        }
        // The grid marks them NaN.
        let e = Expr::parse("ln(x)").unwrap();
        let mut out = [0.0; 3];
        e.eval_many(&[-1.0, 0.0, 1.0], &[0.0; 3], &mut out, &mut Vec::new());
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(out[2], 0.0);
    }

    #[test]
    fn many_points_agree_with_one_point_at_a_time() {
        let e =
            Expr::parse("sin(3*x)*cos(y) + (x^2 + y - 11)^2 / (1 + abs(y)) - ln(2 + x^2)").unwrap();
        let n = 1000;
        let xs: Vec<f64> = (0..n).map(|i| -5.0 + 0.0101 * i as f64).collect();
        let ys: Vec<f64> = (0..n).map(|i| 3.0 - 0.0071 * i as f64).collect();
        let mut out = vec![0.0; n];
        e.eval_many(&xs, &ys, &mut out, &mut Vec::new());
        for i in 0..n {
            assert_eq!(out[i], e.value(v(xs[i], ys[i])).unwrap());
        }
    }

    #[test]
    fn constants_fold_and_shared_parts_are_computed_once() {
        let e = Expr::parse("2*pi*x + (x+y)^2 + (x+y)^2").unwrap();
        // 2π (folded), x, mul, y, x + y, square, add, add
        assert_eq!(e.tape.ops.len(), 8);
        assert!(!Expr::parse("sin(x)").unwrap().uses_y());
        assert!(Expr::parse("w1").unwrap().uses_y());
    }
}
