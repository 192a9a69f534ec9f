//! Networks (issue 19, `--net`) against torch: tests/data/torch/net holds trajectories of
//! `nn.Sequential` of `nn.Linear` in float64 (made by make_refs.py with torch 2.15), full batch
//! and sequential mini-batches, several optimizers, θ₀ from an init file; tests/data/torch/net2
//! the same for every other optimizer a network trains with (L-BFGS with and without its line
//! search, Adafactor factored per weight matrix, and the element-wise rest). Each is run through
//! `downhill trace --net` and compared row by row, every column (loss, gradient norm, batch
//! loss and every parameter).
//!
//! Not to the bit: torch sums a layer's products inside BLAS (`addmm`, and `mm` in the
//! backward pass) in an order it does not specify, and its vectorized tanh, exp and log1p are
//! not correctly rounded, so single values differ in the last bits. Every value is held to
//! 1e-10 relative, with the references' own floor for values near zero (|a − b| ≤ tol ·
//! max(|a|, |b|, 1e-6·M), M the column's largest magnitude), within the case's `trust_steps`
//! (the steps over which torch itself, its gradients jittered by 2⁻⁵², stays within 1e-9).

#![allow(clippy::unwrap_used)]

mod common;

use common::{shell_split, trace_output};

const NET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/torch/net");
const NET2: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/torch/net2");
const TOL: f64 = 1e-10;

/// A header and its rows of numbers.
fn table(text: &str) -> (String, Vec<Vec<f64>>) {
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_owned();
    let rows = lines
        .map(|l| l.split(',').map(|v| v.parse::<f64>().unwrap()).collect())
        .collect();
    (header, rows)
}

#[test]
fn every_network_reference_case_matches_torch() {
    check_cases(NET, 4);
}

#[test]
fn every_other_optimizer_trains_a_network_as_torch_does() {
    check_cases(NET2, 16);
}

/// Runs every case of the reference set in `dir` (at least `min_cases` of them).
fn check_cases(dir: &str, min_cases: usize) {
    let index = std::fs::read_to_string(format!("{dir}/cases.tsv")).unwrap();
    let mut lines = index.lines();
    assert_eq!(
        lines.next(),
        Some("name\targs\tsteps_run\ttrust_steps\tnote")
    );
    let mut failures = Vec::new();
    let mut worst = (0.0f64, String::new());
    let mut checked = 0;
    for line in lines {
        let cols: Vec<&str> = line.split('\t').collect();
        let (name, steps_run, trust): (&str, usize, usize) =
            (cols[0], cols[2].parse().unwrap(), cols[3].parse().unwrap());
        let note = cols.get(4).copied().unwrap_or("");
        let args = cols[1]
            .replace("@DATA", &format!("{dir}/data"))
            .replace("@INIT", &format!("{dir}/init"));
        let (out, err) = trace_output(&shell_split(&args));
        let (h_ours, ours) = table(&out);
        let (h_theirs, theirs) =
            table(&std::fs::read_to_string(format!("{dir}/cases/{name}.csv")).unwrap());
        assert_eq!(h_ours, h_theirs, "{name}: header");
        assert_eq!(theirs.len(), steps_run + 1, "{name}: reference rows");
        let last = err.lines().last().unwrap_or("");
        if trust == steps_run {
            assert_eq!(ours.len(), theirs.len(), "{name}: row count");
            let diverged = note == "diverged";
            assert_eq!(
                last.starts_with("status: diverged"),
                diverged,
                "{name}: {last}"
            );
        }
        let rows = (trust + 1).min(theirs.len());
        assert!(ours.len() >= rows, "{name}: {} rows", ours.len());
        'col: for c in 0..theirs[0].len() {
            let m = theirs
                .iter()
                .map(|r| r[c].abs())
                .filter(|v| v.is_finite())
                .fold(0.0, f64::max);
            for (a, b) in ours.iter().zip(&theirs).take(rows) {
                let (x, y) = (a[c], b[c]);
                let scale = x.abs().max(y.abs()).max(1e-6 * m);
                let rel = if x == y { 0.0 } else { (x - y).abs() / scale };
                if rel > worst.0 {
                    worst = (rel, format!("{name} step {} column {c}: {x} vs {y}", a[0]));
                }
                if rel.is_nan() || rel > TOL {
                    failures.push(format!(
                        "{name} step {} column {c}: {x:e} vs torch {y:e} ({rel:e})",
                        a[0]
                    ));
                    break 'col;
                }
            }
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= min_cases, "{checked} cases");
    println!("worst relative difference {:e} at {}", worst.0, worst.1);
}
