//! Whatever a user throws at the engine, it never panics and always ends with a status. (The
//! parser and evaluator have their own 100,000-case fuzz in `fuzz.rs`.)

// Helpers here are test code too: a panic is a failed test with its message.
#![allow(clippy::unwrap_used)]

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
}
