//! Gradients and Hessians (closed forms of the built-ins, automatic differentiation of typed
//! formulas) against central finite differences at random points: the one place finite
//! differences belong.

// Helpers here are test code too: a panic is a failed test with its message.
#![allow(clippy::unwrap_used)]

use downhill_engine::expr::Scratch;
use downhill_engine::geometry::Vec2;
use downhill_engine::landscape::{BUILTINS, Landscape};
use proptest::prelude::*;

/// Central differences of the gradient (from values) and of the Hessian (from gradients).
fn finite_differences(l: &Landscape, w: Vec2) -> ([f64; 2], [f64; 4]) {
    let mut s = Scratch::new();
    let h = 1e-5 * w.norm().max(1.0);
    let e = [Vec2::new(h, 0.0), Vec2::new(0.0, h)];
    let mut g = [0.0; 2];
    let mut hess = [0.0; 4];
    for i in 0..2 {
        g[i] = (l.value(w + e[i]) - l.value(w - e[i])) / (2.0 * h);
        let gp = l.eval(w + e[i], &mut s).unwrap().1;
        let gm = l.eval(w - e[i], &mut s).unwrap().1;
        hess[2 * i] = (gp.x - gm.x) / (2.0 * h);
        hess[2 * i + 1] = (gp.y - gm.y) / (2.0 * h);
    }
    (g, hess)
}

fn check(l: &Landscape, w: Vec2) {
    let (g, h) = l
        .eval(w, &mut Scratch::new())
        .map(|(_, g)| g)
        .map(|g| (g, l.hessian(w).unwrap()))
        .unwrap();
    let (fg, fh) = finite_differences(l, w);
    // Scale of the quantities around w, so the tolerance is relative to what is computed.
    let gscale = g.norm().max(fg[0].abs()).max(fg[1].abs()).max(1.0);
    let hscale = h.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let name = l.formula();
    for i in 0..2 {
        assert!(
            (g[i] - fg[i]).abs() <= 1e-5 * gscale,
            "{name} at {w:?}: ∂{i} {} vs {}",
            g[i],
            fg[i]
        );
    }
    for (k, (a, b)) in h.iter().zip(fh).enumerate() {
        // nalgebra is column-major; the Hessian is symmetric, so the order does not matter.
        assert!(
            (a - b).abs() <= 1e-5 * hscale,
            "{name} at {w:?}: H[{k}] {a} vs {b}"
        );
    }
}

/// Typed formulas covering every operation and function.
const FORMULAS: [&str; 8] = [
    "(1 - x)^2 + 100*(y - x^2)^2",
    "0.5*x^2 + 2*sin(y)^2 + 0.3*x*y",
    "sqrt(1 + x^2) + (y - tanh(x))^2/2",
    "exp(-(x^2 + y^2)/4) * cos(x) + abs(y)^1.5",
    "ln(1 + x^2 + y^2) - 1/(2 + sin(x*y))",
    "tan(x/4) * w1 + log(3 + cos(y))^3",
    "x^y + y^-2",
    "-x^2/2 + pi*e*y^4/24",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn builtins_match_finite_differences(i in 0usize..BUILTINS.len(), x in -3.0f64..3.0, y in -3.0f64..3.0) {
        let l = Landscape::builtin(BUILTINS[i].name).unwrap();
        check(&l, Vec2::new(x, y));
    }

    #[test]
    fn typed_formulas_match_finite_differences(i in 0usize..FORMULAS.len(), x in 0.2f64..2.5, y in 0.2f64..2.5) {
        let l = Landscape::expr(FORMULAS[i]).unwrap();
        check(&l, Vec2::new(x, y));
    }

    #[test]
    fn typed_formulas_agree_with_the_builtins(i in 0usize..BUILTINS.len(), x in -3.0f64..3.0, y in -3.0f64..3.0) {
        // Each built-in typed out as docs/design.md writes it gives the same value and gradient.
        let typed = [
            "x^2 + 4*y^2", "(x - 2)^2", "(1 - x)^2 + 100*(y - x^2)^2",
            "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
            "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
            "x^2 - y^2", "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
            "(x + 2*y - 7)^2 + (2*x + y - 5)^2", "0.26*(x^2 + y^2) - 0.48*x*y",
            "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
        ];
        let b = Landscape::builtin(BUILTINS[i].name).unwrap();
        let e = Landscape::expr(typed[i]).unwrap();
        let w = Vec2::new(x, y);
        let mut s = Scratch::new();
        let ((vb, gb), (ve, ge)) = (b.eval(w, &mut s).unwrap(), e.eval(w, &mut s).unwrap());
        let scale = vb.abs().max(1.0);
        prop_assert!((vb - ve).abs() <= 1e-12 * scale, "{}: {vb} vs {ve}", typed[i]);
        prop_assert!((gb - ge).norm() <= 1e-11 * gb.norm().max(1.0), "{}: {gb:?} vs {ge:?}", typed[i]);
        let (hb, he) = (b.hessian(w).unwrap(), e.hessian(w).unwrap());
        prop_assert!((hb - he).norm() <= 1e-10 * hb.norm().max(1.0), "{}", typed[i]);
    }
}
