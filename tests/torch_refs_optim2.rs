//! The optimizers added after the first eight (issue 18: NAdam, RAdam, Adamax, Adadelta,
//! Rprop, ASGD, L-BFGS, Adafactor, Muon and Newton) against their torch references (tests/data/torch/optim2,
//! made by make_refs.py with torch 2.15 in float64), row by row through `downhill trace`.
//!
//! Every row of every case is compared. Where a case is torch's to the bit, the test demands
//! the bits; where it is not (see [`INEXACT`], each with the operation that rounds differently),
//! it holds every value to 1e-12 relative, with the references' floor for values near zero:
//! |a − b| ≤ tol·max(|a|, |b|, 1e-3·M), M the column's largest magnitude, within the case's
//! `trust_steps` (beyond it a correct implementation that rounds differently may drift).
//!
//! A second test replays the references: each optimizer fed torch's own rows must land on
//! torch's next point to the bit, update by update.

// Helpers here are test code too: a panic is a failed test with its message.
#![allow(clippy::unwrap_used)]

mod common;

use common::{parse_csv, shell_split, trace_output};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/torch/optim2");
const TOL: f64 = 1e-12;

/// Optimizers with reference cases that downhill does not have yet; their cases are skipped
/// (none left: every optimizer of issue 18 is in, and every case is checked).
const NOT_YET: [&str; 0] = [];

/// Cases that are not torch's to the bit, with the reason.
const INEXACT: &[(&str, &str)] = &[(
    // Rows 0–69 are torch's to the bit. At update 70 the second coordinate's
    // √(v/(1 − β₂ᵗ)) lies 0.497 ulp from its argument's exact root, 0.003 ulp short of
    // half-way between two doubles: our sqrt is IEEE (correctly rounded), torch's tensor sqrt
    // on x86 (MKL's vdSqrt) is not always and rounds this one the other way, as it does twice
    // in the AdaGrad reference (tests/torch_refs.rs). One ulp in d, then in w₁, and the
    // trajectories part in the last bits from there.
    "bowl__nadam__",
    "torch's vectorized sqrt breaks a near-tie at update 70",
)];

struct Case {
    name: String,
    args: String,
    steps_run: u64,
    trust_steps: u64,
    note: String,
    optimizer: String,
}

fn cases() -> Vec<Case> {
    let index = std::fs::read_to_string(format!("{DATA}/cases.tsv")).unwrap();
    let mut lines = index.lines();
    assert_eq!(
        lines.next(),
        Some("name\targs\tsteps_run\ttrust_steps\tnote")
    );
    lines
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let args = cols[1].to_owned();
            let argv = shell_split(&args);
            let at = argv.iter().position(|a| a == "--optimizer").unwrap();
            Case {
                name: cols[0].to_owned(),
                args,
                steps_run: cols[2].parse().unwrap(),
                trust_steps: cols[3].parse().unwrap(),
                note: cols.get(4).copied().unwrap_or("").to_owned(),
                optimizer: argv[at + 1].clone(),
            }
        })
        .collect()
}

#[test]
fn every_reference_case_of_the_new_optimizers_matches_torch() {
    let mut checked = Vec::new();
    let mut failures = Vec::new();
    let mut worst = (0.0f64, String::new());
    for case in cases() {
        if NOT_YET.contains(&case.optimizer.as_str()) {
            continue;
        }
        let name = &case.name;
        let mut argv = shell_split(&case.args);
        argv.extend(["--format".to_owned(), "csv".to_owned()]);
        let (out, err) = trace_output(&argv);
        let ours = parse_csv(&out);
        let theirs =
            parse_csv(&std::fs::read_to_string(format!("{DATA}/cases/{name}.csv")).unwrap());
        let exact = !INEXACT.iter().any(|(p, _)| name.starts_with(p));
        let last = err.lines().last().unwrap_or("");
        if exact || case.trust_steps == case.steps_run {
            assert_eq!(ours.len(), theirs.len(), "{name}: row count");
            let status = if case.note == "diverged" {
                "diverged "
            } else {
                ""
            };
            assert!(
                last.starts_with(&format!("status: {status}"))
                    && last.ends_with(&format!(" after {} steps", case.steps_run)),
                "{name}: {last}"
            );
        }
        let rows = (case.trust_steps as usize + 1).min(theirs.len());
        assert!(ours.len() >= rows, "{name}: {} rows", ours.len());
        'col: for col in 0..5 {
            let m = theirs
                .iter()
                .map(|r| r.1[col].abs())
                .filter(|v| v.is_finite())
                .fold(0.0, f64::max);
            let limit = if exact { theirs.len() } else { rows };
            for (a, b) in ours.iter().zip(&theirs).take(limit) {
                assert_eq!(a.0, b.0, "{name}: step");
                let (x, y) = (a.1[col], b.1[col]);
                if exact && x.to_bits() != y.to_bits() {
                    failures.push(format!(
                        "{name} step {} col {col}: {x:e} vs torch {y:e}",
                        a.0
                    ));
                    break 'col;
                }
                let scale = x.abs().max(y.abs()).max(1e-3 * m);
                let rel = if x == y { 0.0 } else { (x - y).abs() / scale };
                if rel > worst.0 {
                    worst = (rel, format!("{name} step {} col {col}: {x} vs {y}", a.0));
                }
                // NaN fails too.
                if rel.is_nan() || rel > TOL {
                    failures.push(format!(
                        "{name} step {} col {col}: {x:e} vs torch {y:e} ({rel:e})",
                        a.0
                    ));
                    break 'col;
                }
            }
        }
        checked.push(case.optimizer.clone());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    checked.sort();
    checked.dedup();
    assert_eq!(
        checked,
        [
            "adadelta",
            "adafactor",
            "adamax",
            "asgd",
            "lbfgs",
            "muon",
            "nadam",
            "newton",
            "radam",
            "rprop"
        ]
    );
    println!("worst relative difference {:e} at {}", worst.0, worst.1);
}

/// The new optimizers alone: fed torch's own rows (its point, loss and gradient), each update
/// must land on torch's next point to the bit. This separates the optimizer's arithmetic from
/// the landscape's gradient, and shows that where a trajectory is not torch's to the bit
/// ([`INEXACT`]), a single update rounds differently and the optimizer's state does not.
/// Newton's Hessian and the points L-BFGS's line search tries are not in the references: they
/// come from our landscape at torch's points (the trajectory test above shows them torch's to
/// the bit there).
#[test]
fn the_new_optimizers_replay_torch_gradients_bit_for_bit() {
    use clap::Parser;
    use downhill::io::{Cli, Command};
    use downhill_engine::optim::{Optimizer, Vec2};
    use downhill_engine::run::schedule::LrSchedule;

    let mut mismatches = Vec::new();
    let mut replayed = Vec::new();
    for case in cases() {
        let name = &case.name;
        let mut argv = vec!["downhill".to_owned(), "trace".to_owned()];
        argv.extend(shell_split(&case.args));
        let Some(Command::Trace(args)) = Cli::try_parse_from(&argv).unwrap().command else {
            panic!("{name}: not a trace command")
        };
        let r = args.resolve().unwrap();
        let mut opt = Optimizer::new(r.config.optimizer, &r.config.hyper).unwrap();
        let mut sched = LrSchedule::new(r.config.schedule, r.config.hyper.lr).unwrap();
        let rows = parse_csv(&std::fs::read_to_string(format!("{DATA}/cases/{name}.csv")).unwrap());
        let mut scratch = Vec::new();
        let mut ulps_off = Vec::new();
        for pair in rows.windows(2) {
            let ([w0, w1, loss, g0, g1], next) = (pair[0].1, pair[1].1);
            let (w, g) = (Vec2::new(w0, w1), Vec2::new(g0, g1));
            let lr = sched.lr();
            let new = if opt.needs_closure() {
                let mut closure = |p: Vec2| r.landscape.eval(p, &mut scratch).ok();
                opt.step_with_closure(w, loss, g, lr, &mut closure)
                    .unwrap()
                    .w
            } else if opt.needs_hessian() {
                let h = r.landscape.hessian(w).ok();
                opt.step_with_hessian(w, g, h.as_ref(), lr).unwrap()
            } else {
                opt.step(w, g, lr)
            };
            sched.advance();
            let ulps = |a: f64, b: f64| (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs();
            let d = ulps(new.x, next[0]).max(ulps(new.y, next[1]));
            if d > 0 {
                ulps_off.push((pair[1].0, d));
            }
        }
        // NAdam's one known near-tie (see INEXACT): at update 70 torch's vectorized sqrt rounds
        // w1's √(v/(1 − β₂ᵗ)) one ulp the other way, and that denominator enters both of
        // NAdam's addcdivs (the gradient's term and the momentum's), so w1 lands 2 ulp from
        // torch's (w0 is torch's). Fed torch's point afterwards, every later update is torch's
        // again: the state (m, v, the μ product) was never off.
        let allowed: &[(u64, u64)] = if name.starts_with("bowl__nadam__") {
            &[(70, 2)]
        } else {
            &[]
        };
        if ulps_off != allowed {
            mismatches.push(format!("{name}: (step, ulps) off torch {ulps_off:?}"));
        }
        replayed.push(case.optimizer.clone());
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    replayed.sort();
    replayed.dedup();
    assert_eq!(replayed.len(), 10, "{replayed:?}");
}
