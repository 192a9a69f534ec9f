//! The parser and the evaluator against 100,000 inputs: 50,000 random strings (printable ASCII
//! and the Unicode the grammar knows) and 50,000 random well-formed formulas (every function and
//! operator, deep nesting, huge and tiny constants). No panic, no hang (each formula is bounded
//! in length and depth, so each evaluation is bounded), and every error names a column inside
//! the text.

// Helpers here are test code too: a panic is a failed test with its message.
#![allow(clippy::unwrap_used)]

use downhill::expr::{Expr, Scratch};
use downhill::optim::Vec2;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const CASES: u32 = 50_000;

#[test]
fn random_strings_never_panic_and_errors_have_columns() {
    let mut runner = TestRunner::new(Config::with_cases(CASES));
    runner
        .run(&"[ -~πσ×·−÷²]{0,80}", |s| {
            match Expr::parse(&s) {
                Ok(e) => {
                    let _ = e.value(Vec2::new(0.5, -0.5));
                }
                Err(err) => {
                    prop_assert!(
                        err.column >= 1 && err.column <= s.chars().count() + 1,
                        "{err} in {s:?}"
                    );
                    prop_assert!(!err.message.is_empty());
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn random_formulas_parse_and_evaluate_without_panic() {
    let mut runner = TestRunner::new(Config::with_cases(CASES));
    runner
        .run(&(formula(), -1e3f64..1e3, -1e3f64..1e3), |(s, x, y)| {
            let e = Expr::parse(&s).unwrap();
            let w = Vec2::new(x, y);
            let _ = e.value(w);
            let _ = e.value_grad(w, &mut Scratch::new());
            let _ = e.jet(w);
            let _ = e.gradient_text();
            let mut out = [0.0; 4];
            e.eval_many(
                &[x, 0.0, -x, 1e300],
                &[y, 0.0, -y, -1e-300],
                &mut out,
                &mut Vec::new(),
            );
            Ok(())
        })
        .unwrap();
}

/// Well-formed formulas: every function and operator, nesting up to 6 deep, constants from
/// 1e-300 to 1e300.
fn formula() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x".to_owned()),
        Just("y".to_owned()),
        Just("w1".to_owned()),
        Just("pi".to_owned()),
        Just("e".to_owned()),
        (-300i32..300, 1.0f64..10.0).prop_map(|(p, m)| format!("{m}e{p}")),
        (0.0f64..10.0).prop_map(|v| format!("{v}")),
    ];
    leaf.prop_recursive(6, 48, 2, |inner| {
        let func = prop_oneof![
            Just("sin"),
            Just("cos"),
            Just("tan"),
            Just("exp"),
            Just("ln"),
            Just("log"),
            Just("sqrt"),
            Just("abs"),
            Just("tanh")
        ];
        let op = prop_oneof![
            Just("+"),
            Just("-"),
            Just("*"),
            Just("/"),
            Just("^"),
            Just("**")
        ];
        prop_oneof![
            (func, inner.clone()).prop_map(|(f, a)| format!("{f}({a})")),
            (inner.clone(), op, inner.clone()).prop_map(|(a, o, b)| format!("({a}){o}({b})")),
            inner.prop_map(|a| format!("-({a})")),
        ]
    })
}
