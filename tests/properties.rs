//! Whatever a user throws at the engine, it never panics and always ends with a status.

// Helpers here are test code too: a panic is a failed test with its message.
#![allow(clippy::unwrap_used)]

use downhill::expr::{Expr, Scratch};
use downhill::landscape::{BUILTINS, Landscape};
use downhill::optim::{OptimizerKind, Vec2};
use downhill::run::{Run, RunConfig, Status};
use proptest::prelude::*;

const FORMULAS: [&str; 5] = [
    "ln(x)",
    "1/(x - y)",
    "sqrt(x) + sqrt(-y)",
    "exp(x*y) - x^3",
    "tan(x) + abs(y)^0.3",
];

fn landscape(i: usize) -> Landscape {
    match BUILTINS.get(i) {
        Some(b) => Landscape::builtin(b.name).unwrap(),
        None => Landscape::expr(FORMULAS[i - BUILTINS.len()]).unwrap(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any landscape × optimizer × learning rate in [1e-8, 1e8] × start in [−1e6, 1e6]².
    #[test]
    fn runs_never_panic_and_end_with_a_status(
        l in 0usize..BUILTINS.len() + FORMULAS.len(),
        k in 0usize..OptimizerKind::ALL.len(),
        log_lr in -8.0f64..8.0,
        x in -1e6f64..1e6,
        y in -1e6f64..1e6,
        noise in prop_oneof![Just(0.0), 0.0f64..10.0],
        steps in 0u64..300,
    ) {
        let kind = OptimizerKind::ALL[k];
        let mut config = RunConfig::new(kind);
        config.hyper.lr = 10f64.powf(log_lr);
        config.noise.std = noise;
        let Ok(mut run) = Run::new(landscape(l), &config, Vec2::new(x, y)) else {
            // Only a typed formula undefined at the start may refuse to run.
            prop_assert!(l >= BUILTINS.len());
            return Ok(());
        };
        let t = run.record(steps);
        prop_assert!(!t.rows.is_empty());
        prop_assert!(t.steps_run() <= steps);
        // Every row before the last is within the limits; the run stops at the first that is not.
        for r in &t.rows[..t.rows.len() - 1] {
            prop_assert!(!r.is_diverged());
        }
        if t.status == Status::Diverged {
            prop_assert!(t.rows.last().unwrap().is_diverged());
        }
        prop_assert_eq!(t.status, run.status());
    }

    /// Random strings: the parser answers Ok or an error with a column inside the text (or just
    /// past it), and never panics.
    #[test]
    fn the_parser_survives_any_string(s in "[ -~πσ×·−]{0,60}") {
        match Expr::parse(&s) {
            Ok(e) => { let _ = e.value(Vec2::new(0.5, -0.5)); }
            Err(err) => prop_assert!(err.column >= 1 && err.column <= s.chars().count() + 1, "{err} in {s:?}"),
        }
    }

    /// Random well-formed formulas: they parse, and evaluation (value, gradient, Hessian,
    /// many points) never panics.
    #[test]
    fn well_formed_formulas_evaluate(s in formula(), x in -1e3f64..1e3, y in -1e3f64..1e3) {
        let e = Expr::parse(&s).unwrap();
        let w = Vec2::new(x, y);
        let _ = e.value(w);
        let _ = e.value_grad(w, &mut Scratch::new());
        let _ = e.jet(w);
        let mut out = [0.0; 3];
        e.eval_many(&[x, 0.0, -x], &[y, 0.0, -y], &mut out, &mut Vec::new());
    }
}

/// A strategy for well-formed formulas: every function and operator, deep nesting, huge and
/// tiny constants.
fn formula() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x".to_owned()),
        Just("y".to_owned()),
        Just("w0".to_owned()),
        Just("pi".to_owned()),
        Just("e".to_owned()),
        (-1e300f64..1e300).prop_map(|v| format!("{v:e}").replace("e-", "e-").replace('-', "")),
        (0.0f64..10.0).prop_map(|v| format!("{v}")),
        Just("1e-300".to_owned()),
    ];
    leaf.prop_recursive(8, 64, 2, |inner| {
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
        let op = prop_oneof![Just("+"), Just("-"), Just("*"), Just("/"), Just("^")];
        prop_oneof![
            (func, inner.clone()).prop_map(|(f, a)| format!("{f}({a})")),
            (inner.clone(), op, inner.clone()).prop_map(|(a, o, b)| format!("({a}){o}({b})")),
            inner.prop_map(|a| format!("-({a})")),
        ]
    })
}
