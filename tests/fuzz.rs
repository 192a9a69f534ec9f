//! The parser and the evaluator against 100,000 inputs: 50,000 random strings (printable ASCII
//! and the Unicode the grammar knows) and 50,000 random well-formed formulas (every function and
//! operator, deep nesting, huge and tiny constants). No panic, no hang (each formula is bounded
//! in length and depth, so each evaluation is bounded), and every error names a column inside
//! the text.

// Helpers here are test code too: a panic is a failed test with its message.
#![allow(clippy::unwrap_used)]

use downhill_engine::expr::{Expr, Scratch};
use downhill_engine::geometry::Vec2;
mod common;

use common::formula;
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
