//! The worked examples of the course texts (shared/seeds), reproduced by `downhill trace
//! --preset NAME` to the digits the texts print.

// Helpers here are test code too: a panic is a failed test with its message.
#![allow(clippy::unwrap_used)]

mod common;

use common::{parse_csv, trace_output};

/// The rows of a preset's trajectory.
fn preset(name: &str) -> Vec<(u64, [f64; 5])> {
    let (out, err) = trace_output(&["--preset".to_owned(), name.to_owned()]);
    assert!(err.lines().last().unwrap().starts_with("status: "), "{err}");
    parse_csv(&out)
}

/// `value` printed with as many decimals as `printed` has equals `printed`.
fn assert_digits(value: f64, printed: &str) {
    let decimals = printed.split_once('.').map_or(0, |(_, d)| d.len());
    assert_eq!(
        format!("{value:.decimals$}"),
        printed,
        "{value} is not {printed}"
    );
}

const W0: usize = 0;
const LOSS: usize = 2;
const G0: usize = 3;

/// seeds/004: w = [3, 2], η = 0.15, 30 steps on w0² + 4w1²: each step multiplies w0 by
/// 1 − 2η = 0.7 and w1 by 1 − 8η = −0.2.
#[test]
fn elongated_bowl_after_thirty_steps() {
    let rows = preset("bowl-eta-0.15");
    assert_eq!(rows.len(), 31);
    let [w0, w1, ..] = rows[30].1;
    let (e0, e1) = (3.0 * 0.7f64.powi(30), 2.0 * 0.2f64.powi(30));
    assert!(((w0 - e0) / e0).abs() < 1e-12, "{w0} vs {e0}");
    assert!(((w1 - e1) / e1).abs() < 1e-12, "{w1} vs {e1}");
    // Every step, not only the last.
    for (k, r) in &rows {
        let (e0, e1) = (
            3.0 * 0.7f64.powi(*k as i32),
            2.0 * (-0.2f64).powi(*k as i32),
        );
        assert!(
            ((r[0] - e0) / e0).abs() < 1e-12 && ((r[1] - e1) / e1).abs() < 1e-12,
            "step {k}"
        );
    }
}

/// seeds/002: L(w) = (w − 2)², w = 6.0, α = 0.3: gradient 8.0, then 3.6, 2.64, 2.256, 2.1024,
/// 2.04096, the loss falling every step.
#[test]
fn parabola_by_hand_alpha_0_3() {
    let rows = preset("parabola-alpha-0.3");
    assert_eq!(rows.len(), 6);
    assert_digits(rows[0].1[G0], "8.0");
    for (r, printed) in rows[1..]
        .iter()
        .zip(["3.6", "2.64", "2.256", "2.1024", "2.04096"])
    {
        assert_digits(r.1[W0], printed);
    }
    assert!(
        rows.windows(2).all(|p| p[1].1[LOSS] < p[0].1[LOSS]),
        "monotone decrease"
    );
}

/// seeds/002: α = 1.2 (too large): w = −3.6, 9.84, −8.976, 17.3664, −19.51296, bouncing
/// across the minimum and climbing.
#[test]
fn parabola_by_hand_alpha_1_2() {
    let rows = preset("parabola-alpha-1.2");
    for (r, printed) in rows[1..]
        .iter()
        .zip(["-3.6", "9.84", "-8.976", "17.3664", "-19.51296"])
    {
        assert_digits(r.1[W0], printed);
    }
    assert!(
        rows.windows(2).all(|p| p[1].1[LOSS] > p[0].1[LOSS]),
        "the loss grows"
    );
    let (_, err) = trace_output(&["--preset".to_owned(), "parabola-alpha-1.2".to_owned()]);
    assert_eq!(err.lines().last(), Some("status: diverging after 5 steps"));
    assert!(
        err.contains("Now redo the simulation with α = 1.2"),
        "{err}"
    );
}

/// seeds/000 Problem 1: 2.5 − 0.1 · 0.8 = 2.42.
#[test]
fn single_update_2_42() {
    let rows = preset("single-update-2.42");
    assert_digits(rows[0].1[G0], "0.8");
    assert_digits(rows[1].1[W0], "2.42");
}

/// seeds/000 Problem 3: with η = 10, 2.5 − 10.0 × 0.8 = −5.5, and the loss increases.
#[test]
fn blow_up_with_eta_10() {
    let rows = preset("blow-up-eta-10");
    assert_digits(rows[1].1[W0], "-5.5");
    assert!(
        rows.windows(2).all(|p| p[1].1[LOSS] > p[0].1[LOSS]),
        "the loss increases"
    );
}

/// seeds/002: 3.0 − 0.1 × 2.5 = 2.75.
#[test]
fn single_update_2_75() {
    let rows = preset("single-update-2.75");
    assert_digits(rows[0].1[G0], "2.5");
    assert_digits(rows[1].1[W0], "2.75");
}

/// seeds/002 flashcard: w = 5.0, dL/dw = −3.0, rate 0.2: 5.6.
#[test]
fn flashcard_5_6() {
    let rows = preset("flashcard-5.6");
    assert_digits(rows[0].1[G0], "-3.0");
    assert_digits(rows[1].1[W0], "5.6");
}

/// seeds/000 Problem 2: gradient 0.001 with η = 0.1 moves the weight by 0.0001.
#[test]
fn small_gradient_small_step() {
    let rows = preset("small-gradient");
    assert_digits(rows[0].1[G0], "0.001");
    assert_digits(rows[0].1[W0] - rows[1].1[W0], "0.0001");
}

/// seeds/000: "Too low: ball creeps slowly" — after 200 steps at η = 0.005 the bowl's w0 is
/// still above 0.3 (of 3: 3·0.99²⁰⁰), where η = 0.15 is below 1e-4 after 30.
#[test]
fn too_low_a_learning_rate_crawls() {
    let rows = preset("bowl-too-low");
    assert!(rows[200].1[W0] > 0.3);
    assert!(preset("bowl-eta-0.15")[30].1[W0] < 1e-4);
}

/// seeds/000: too high bounces and diverges, just right glides.
#[test]
fn too_high_bounces_just_right_glides() {
    let (_, err) = trace_output(&["--preset".to_owned(), "bowl-too-high".to_owned()]);
    let last = err.lines().last().unwrap();
    assert!(last.starts_with("status: diverged after"), "{err}");
    let rows = preset("bowl-just-right");
    assert!(rows.windows(2).all(|p| p[1].1[LOSS] < p[0].1[LOSS]));
}

/// seeds/004: SGD(lr=0.01, momentum=0.9) reaches the bottom of the bowl faster than plain
/// SGD at the same learning rate.
#[test]
fn momentum_outruns_plain_descent() {
    let with = preset("momentum-0.9");
    let args = [
        "--preset",
        "momentum-0.9",
        "--optimizer",
        "sgd",
        "--momentum",
        "0",
    ];
    let (out, _) = trace_output(&args.map(str::to_owned));
    let without = parse_csv(&out);
    assert!(with[200].1[LOSS] < 1e-3 * without[200].1[LOSS]);
}

/// The CSV of `trace ARGS --arithmetic as-written`, row by row.
fn as_written(args: &[&str]) -> Vec<String> {
    let mut argv: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    argv.extend(["--arithmetic".to_owned(), "as-written".to_owned()]);
    let (out, err) = trace_output(&argv);
    assert!(err.lines().last().unwrap().starts_with("status: "), "{err}");
    out.lines().skip(1).map(str::to_owned).collect()
}

/// A row as Python's `repr` prints its numbers.
fn repr_row(k: usize, w0: f64, w1: f64, loss: f64, g0: f64, g1: f64) -> String {
    use downhill_engine::format::num;
    format!(
        "{k},{},{},{},{},{}",
        num(w0),
        num(w1),
        num(loss),
        num(g0),
        num(g1)
    )
}

/// seeds/004's NumPy loop, every row to the last bit: `grad = np.array([2 * w[0], 8 * w[1]])`,
/// `w = w - eta * grad`, in float64 with each operation rounded (the loss as
/// `w[0]**2 + 4 * w[1]**2`). The Rust below is that arithmetic, operation for operation.
#[test]
fn numpy_bowl_loop_as_written_every_row_to_the_last_bit() {
    let got = as_written(&["--preset", "bowl-eta-0.15"]);
    let eta = 0.15;
    let mut w = [3.0f64, 2.0];
    let mut want = Vec::new();
    for t in 0..=30 {
        let grad = [2.0 * w[0], 8.0 * w[1]];
        let loss = w[0] * w[0] + 4.0 * (w[1] * w[1]);
        want.push(repr_row(t, w[0], w[1], loss, grad[0], grad[1]));
        w = [w[0] - eta * grad[0], w[1] - eta * grad[1]];
    }
    assert_eq!(got, want);
    // torch's fused update differs from the loop (the third step's w1 already does): the
    // choice matters.
    let (torch, _) = trace_output(&["--preset".to_owned(), "bowl-eta-0.15".to_owned()]);
    let torch: Vec<String> = torch.lines().skip(1).map(str::to_owned).collect();
    assert_ne!(torch, want);
}

/// seeds/002's parabola by hand, α = 0.3 and α = 1.2, five steps each: `g = 2 * (w - 2)`,
/// `w = w - alpha * g`, `L = (w - 2)**2`, every row to the last bit.
#[test]
fn parabola_by_hand_as_written_every_row_to_the_last_bit() {
    for (preset, alpha) in [("parabola-alpha-0.3", 0.3), ("parabola-alpha-1.2", 1.2)] {
        let got = as_written(&["--preset", preset]);
        let mut w = 6.0f64;
        let mut want = Vec::new();
        for t in 0..=5 {
            let g = 2.0 * (w - 2.0);
            want.push(repr_row(t, w, 0.0, (w - 2.0) * (w - 2.0), g, 0.0));
            w -= alpha * g;
        }
        assert_eq!(got, want, "{preset}");
    }
}

/// Momentum and weight decay as written: `g = grad + wd * w`, `b = mu * b + g`,
/// `w = w - eta * b`, each operation rounded (the first step's buffer is g itself).
#[test]
fn momentum_with_weight_decay_as_written_every_row_to_the_last_bit() {
    let got = as_written(&[
        "--landscape",
        "bowl",
        "--optimizer",
        "momentum",
        "--lr",
        "0.03",
        "--weight-decay",
        "0.1",
        "--steps",
        "40",
    ]);
    let (eta, mu, wd) = (0.03, 0.9, 0.1);
    let mut w = [3.0f64, 2.0];
    let mut b: Option<[f64; 2]> = None;
    let mut want = Vec::new();
    for t in 0..=40 {
        let grad = [2.0 * w[0], 8.0 * w[1]];
        let loss = w[0] * w[0] + 4.0 * (w[1] * w[1]);
        want.push(repr_row(t, w[0], w[1], loss, grad[0], grad[1]));
        let g = [grad[0] + wd * w[0], grad[1] + wd * w[1]];
        let buf = match b {
            None => g,
            Some(b) => [mu * b[0] + g[0], mu * b[1] + g[1]],
        };
        b = Some(buf);
        w = [w[0] - eta * buf[0], w[1] - eta * buf[1]];
    }
    assert_eq!(got, want);
}
