//! Symbolic derivatives of a formula, simplified and printed, so a student can check their own
//! ∂L/∂x by hand. (The numbers the engine uses come from forward-mode differentiation on the
//! tape; this is the same calculus written out.)

use super::parse::{Ast, BinOp, Func};

/// ∂f/∂(variable `var`: 0 = x, 1 = y), simplified.
pub fn derivative(f: &Ast, var: usize) -> Ast {
    simplify(&diff(f, var))
}

fn num(v: f64) -> Ast {
    Ast::Num(v)
}

fn bin(op: BinOp, a: Ast, b: Ast) -> Ast {
    Ast::Bin(op, Box::new(a), Box::new(b))
}

fn call(f: Func, a: Ast) -> Ast {
    Ast::Call(f, Box::new(a))
}

/// The derivative, by the rules of calculus (simplified afterwards).
fn diff(f: &Ast, var: usize) -> Ast {
    use BinOp::*;
    match f {
        Ast::Num(_) => num(0.0),
        Ast::Var(i) => num(if *i == var { 1.0 } else { 0.0 }),
        Ast::Neg(a) => Ast::Neg(Box::new(diff(a, var))),
        Ast::Bin(Add, a, b) => bin(Add, diff(a, var), diff(b, var)),
        Ast::Bin(Sub, a, b) => bin(Sub, diff(a, var), diff(b, var)),
        // (ab)′ = a′b + ab′
        Ast::Bin(Mul, a, b) => bin(
            Add,
            bin(Mul, diff(a, var), (**b).clone()),
            bin(Mul, (**a).clone(), diff(b, var)),
        ),
        // (a/b)′ = (a′b − ab′)/b²
        Ast::Bin(Div, a, b) => bin(
            Div,
            bin(
                Sub,
                bin(Mul, diff(a, var), (**b).clone()),
                bin(Mul, (**a).clone(), diff(b, var)),
            ),
            bin(Pow, (**b).clone(), num(2.0)),
        ),
        Ast::Bin(Pow, a, b) => match constant(b) {
            // (aᶜ)′ = c·aᶜ⁻¹·a′
            Some(c) => bin(
                Mul,
                bin(Mul, num(c), bin(Pow, (**a).clone(), num(c - 1.0))),
                diff(a, var),
            ),
            // (aᵇ)′ = aᵇ·(b′·ln a + b·a′/a)
            None => bin(
                Mul,
                f.clone(),
                bin(
                    Add,
                    bin(Mul, diff(b, var), call(Func::Ln, (**a).clone())),
                    bin(Div, bin(Mul, (**b).clone(), diff(a, var)), (**a).clone()),
                ),
            ),
        },
        Ast::Call(func, a) => {
            let a0 = (**a).clone();
            let outer = match func {
                Func::Sin => call(Func::Cos, a0),
                Func::Cos => Ast::Neg(Box::new(call(Func::Sin, a0))),
                Func::Tan => bin(Add, num(1.0), bin(Pow, call(Func::Tan, a0), num(2.0))),
                Func::Exp => call(Func::Exp, a0),
                Func::Ln => bin(Div, num(1.0), a0),
                Func::Sqrt => bin(Div, num(1.0), bin(Mul, num(2.0), call(Func::Sqrt, a0))),
                Func::Abs => bin(Div, a0.clone(), call(Func::Abs, a0)),
                Func::Tanh => bin(Sub, num(1.0), bin(Pow, call(Func::Tanh, a0), num(2.0))),
            };
            bin(Mul, outer, diff(a, var))
        }
    }
}

fn constant(a: &Ast) -> Option<f64> {
    match a {
        Ast::Num(v) => Some(*v),
        Ast::Neg(a) => constant(a).map(|v| -v),
        _ => None,
    }
}

/// Folds constants and drops the zeros and ones the rules leave behind.
pub fn simplify(f: &Ast) -> Ast {
    use BinOp::*;
    match f {
        Ast::Num(_) | Ast::Var(_) => f.clone(),
        Ast::Neg(a) => match simplify(a) {
            Ast::Num(v) => num(-v),
            Ast::Neg(inner) => *inner,
            s => Ast::Neg(Box::new(s)),
        },
        Ast::Call(func, a) => call(*func, simplify(a)),
        Ast::Bin(op, a, b) => {
            let (a, b) = (simplify(a), simplify(b));
            if let (Some(x), Some(y)) = (constant(&a), constant(&b)) {
                let v = match op {
                    Add => x + y,
                    Sub => x - y,
                    Mul => x * y,
                    Div => x / y,
                    Pow => x.powf(y),
                };
                if v.is_finite() {
                    return num(v);
                }
            }
            let is = |e: &Ast, v: f64| constant(e) == Some(v);
            match op {
                Add if is(&a, 0.0) => b,
                Add | Sub if is(&b, 0.0) => a,
                Sub if is(&a, 0.0) => simplify(&Ast::Neg(Box::new(b))),
                Add => match b {
                    // a + (−b) = a − b
                    Ast::Neg(nb) => bin(Sub, a, *nb),
                    b => bin(Add, a, b),
                },
                Mul if is(&a, 0.0) || is(&b, 0.0) => num(0.0),
                Mul if is(&a, 1.0) => b,
                Mul if is(&b, 1.0) => a,
                Mul if is(&a, -1.0) => simplify(&Ast::Neg(Box::new(b))),
                Mul if is(&b, -1.0) => simplify(&Ast::Neg(Box::new(a))),
                // Numbers first, and next to each other: c·(d·e) = (cd)·e, e·c = c·e.
                Mul => match (constant(&a), &b) {
                    (Some(c), Ast::Bin(Mul, b1, b2)) if constant(b1).is_some() => {
                        let d = constant(b1).unwrap_or(1.0);
                        simplify(&bin(Mul, num(c * d), (**b2).clone()))
                    }
                    (None, _) if constant(&b).is_some() => bin(Mul, b, a),
                    _ => bin(Mul, a, b),
                },
                Div if is(&a, 0.0) => num(0.0),
                Div if is(&b, 1.0) => a,
                Pow if is(&b, 1.0) => a,
                Pow if is(&b, 0.0) => num(1.0),
                _ => bin(*op, a, b),
            }
        }
    }
}

/// Binding strength, for printing with the fewest parentheses.
fn precedence(f: &Ast) -> u8 {
    match f {
        Ast::Bin(BinOp::Add | BinOp::Sub, ..) => 1,
        Ast::Bin(BinOp::Mul | BinOp::Div, ..) => 2,
        Ast::Neg(_) => 3,
        Ast::Bin(BinOp::Pow, ..) => 4,
        Ast::Num(v) if *v < 0.0 => 3,
        Ast::Num(_) | Ast::Var(_) | Ast::Call(..) => 5,
    }
}

/// The formula as text the parser reads back (`x`, `y`, `^`, `*`).
pub fn print(f: &Ast) -> String {
    let wrap = |e: &Ast, min: u8| {
        let s = print(e);
        if precedence(e) < min {
            format!("({s})")
        } else {
            s
        }
    };
    match f {
        Ast::Num(v) => crate::format::short(*v),
        Ast::Var(0) => "x".into(),
        Ast::Var(_) => "y".into(),
        Ast::Neg(a) => format!("-{}", wrap(a, 3)),
        Ast::Call(func, a) => format!("{}({})", func.name(), print(a)),
        Ast::Bin(op, a, b) => {
            let (sym, p) = match op {
                BinOp::Add => (" + ", 1),
                BinOp::Sub => (" - ", 1),
                BinOp::Mul => ("*", 2),
                BinOp::Div => ("/", 2),
                BinOp::Pow => ("^", 4),
            };
            // Left-associative operators need parentheses on the right at equal strength;
            // the right-associative power needs them on the left.
            let (lmin, rmin) = match op {
                BinOp::Pow => (p + 1, p - 1),
                _ => (p, p + 1),
            };
            format!("{}{sym}{}", wrap(a, lmin), wrap(b, rmin))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Expr, parse};

    fn d(text: &str, var: usize) -> String {
        print(&derivative(&parse(text).unwrap(), var))
    }

    #[test]
    fn textbook_derivatives_read_as_a_student_writes_them() {
        assert_eq!(d("(x - 2)^2", 0), "2*(x - 2)");
        assert_eq!(d("x^2 + 4*y^2", 0), "2*x");
        assert_eq!(d("x^2 + 4*y^2", 1), "8*y");
        assert_eq!(d("sin(x)", 0), "cos(x)");
        assert_eq!(d("x^2 + 10*sin(y)", 1), "10*cos(y)");
        assert_eq!(d("ln(x)", 0), "1/x");
        assert_eq!(d("3", 0), "0");
        assert_eq!(d("-x", 0), "-1");
    }

    /// The printed derivative, parsed back, has the value of the exact derivative.
    #[test]
    fn printed_derivatives_evaluate_to_the_exact_gradient() {
        let formulas = [
            "(1 - x)^2 + 100*(y - x^2)^2",
            "0.5*x^2 + 2*sin(y)^2 + 0.3*x*y",
            "sqrt(1 + x^2) + (y - tanh(x))^2/2",
            "exp(-(x^2 + y^2)/4) * cos(x) + abs(y)^1.5",
            "ln(1 + x^2 + y^2) - 1/(2 + sin(x*y))",
            "tan(x/4) * y + log(3 + cos(y))^3",
            "x^y + y^-2",
        ];
        for text in formulas {
            let e = Expr::parse(text).unwrap();
            for var in 0..2 {
                let printed = d(text, var);
                let back = Expr::parse(&printed).unwrap_or_else(|err| panic!("{printed}: {err}"));
                for (x, y) in [(0.7, 1.3), (1.9, 0.4), (1.1, 2.2)] {
                    let w = crate::geometry::Vec2::new(x, y);
                    let want = e.jet(w).unwrap().d[var];
                    let got = back.value(w).unwrap();
                    assert!(
                        (got - want).abs() <= 1e-9 * want.abs().max(1.0),
                        "{text} d{var}: {printed}: {got} vs {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn printing_round_trips_precedence() {
        for text in [
            "x - (y - 1)",
            "(x - y) - 1",
            "2^3^2",
            "(2^3)^2",
            "-x^2",
            "(-x)^2",
            "x/(y*2)",
            "x/y*2",
        ] {
            let a = parse(text).unwrap();
            let back = parse(&print(&a)).unwrap();
            let (ea, eb) = (
                Expr::parse(text).unwrap(),
                Expr::parse(&print(&back)).unwrap(),
            );
            let w = crate::geometry::Vec2::new(1.3, 0.7);
            assert_eq!(ea.value(w), eb.value(w), "{text} -> {}", print(&a));
        }
    }
}
