//! The `downhill` binary as other programs use it: output, status line, exit codes.

// Helpers here are test code too: a panic is a failed test with its message.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Command;

use common::{assert_refused, downhill, stderr};

#[test]
fn trace_prints_the_contract_csv_and_status_line() {
    let o = downhill(&[
        "trace",
        "--landscape",
        "bowl",
        "--optimizer",
        "sgd",
        "--lr",
        "0.15",
        "--start=3,2",
        "--steps",
        "30",
    ]);
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("step,w0,w1,loss,g0,g1"));
    assert_eq!(lines.next(), Some("0,3.0,2.0,25.0,6.0,16.0"));
    assert_eq!(
        lines.next(),
        Some("1,2.1,-0.3999999999999999,5.05,4.2,-3.1999999999999993")
    );
    assert_eq!(out.lines().count(), 32);
    assert_eq!(
        stderr(&o).lines().last(),
        Some("status: converging after 30 steps")
    );
}

#[test]
fn divergence_stops_at_the_row_past_the_limit() {
    let o = downhill(&[
        "trace",
        "--landscape",
        "bowl",
        "--lr",
        "0.3",
        "--start",
        "-1,0.5",
        "--steps",
        "80",
    ]);
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    assert_eq!(out.lines().count(), 46); // header + rows 0..=44
    assert!(out.lines().last().unwrap().starts_with("44,"));
    assert_eq!(
        stderr(&o).trim(),
        "path: zig-zag\nstatus: diverged after 44 steps"
    );
}

#[test]
fn json_holds_the_same_rows_and_the_status() {
    let args = ["trace", "--preset", "parabola-alpha-0.3"];
    let csv = String::from_utf8(downhill(&args).stdout).unwrap();
    let o = downhill(&[&args[..], &["--format", "json"]].concat());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], "converging");
    assert_eq!(v["path"], "smooth");
    assert_eq!(v["steps_run"], 5);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    for (row, line) in rows.iter().zip(csv.lines().skip(1)) {
        let f: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        let keys = ["step", "w0", "w1", "loss", "g0", "g1"];
        for (k, want) in keys.iter().zip(f) {
            assert_eq!(row[k].as_f64().unwrap(), want, "{k}");
        }
    }
    assert!((rows[1]["w0"].as_f64().unwrap() - 3.6).abs() < 1e-12);
}

#[test]
fn leaving_the_domain_has_its_own_status() {
    let o = downhill(&[
        "trace", "--expr", "ln(x)", "--lr", "2", "--start", "1,0", "--steps", "10",
    ]);
    assert!(o.status.success());
    let err = stderr(&o);
    assert_eq!(
        err.lines().last(),
        Some("status: left-domain after 0 steps"),
        "{err}"
    );
    assert!(err.contains("outside the formula's domain"));
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    assert_eq!(out.lines().count(), 2); // header and row 0
}

#[test]
fn noise_is_the_same_for_the_same_seed() {
    let args = [
        "trace",
        "--landscape",
        "himmelblau",
        "--lr",
        "0.01",
        "--noise",
        "0.5",
        "--seed",
        "7",
        "--steps",
        "50",
    ];
    let a = downhill(&args).stdout;
    assert_eq!(a, downhill(&args).stdout);
    let other = downhill(&[&args[..8], &["--seed", "8", "--steps", "50"]].concat()).stdout;
    assert_ne!(a, other);
}

#[test]
fn schedules_change_the_learning_rate() {
    let constant = downhill(&["trace", "--lr", "0.1", "--steps", "20"]).stdout;
    for s in ["step", "exponential", "cosine", "warmup"] {
        let o = downhill(&["trace", "--lr", "0.1", "--steps", "20", "--schedule", s]);
        assert!(o.status.success(), "{s}: {}", stderr(&o));
        assert_ne!(o.stdout, constant, "{s}");
    }
}

#[test]
fn list_names_every_landscape_optimizer_default_and_preset() {
    let o = downhill(&["list"]);
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    for name in [
        "bowl",
        "parabola",
        "rosenbrock",
        "himmelblau",
        "beale",
        "saddle",
        "rastrigin",
        "booth",
        "matyas",
        "six_hump_camel",
    ] {
        assert!(out.contains(name), "{name}");
    }
    for s in [
        "x² + 4y²",
        "--beta2=0.999",
        "--eps=1e-10",
        "--weight-decay=0.01",
        "--alpha=0.99",
        "--momentum=0.9",
        "torch.optim.NAdam",
        "torch.optim.RAdam",
        "torch.optim.Adamax",
        "torch.optim.Adadelta",
        "torch.optim.Rprop",
        "torch.optim.ASGD",
        "newton",
        "--momentum-decay=0.004",
        "--rho=0.9",
        "--eta-minus=0.5 --eta-plus=1.2 --step-size-min=1e-06 --step-size-max=50",
        "--lambd=0.0001 --alpha=0.75 --t0=1000000",
        "bowl-eta-0.15",
        "parabola-alpha-1.2",
        "kappa = 4",
    ] {
        assert!(out.contains(s), "{s}");
    }
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    assert_refused(
        &["trace", "--landscape", "bowel"],
        "unknown landscape 'bowel'",
    );
    assert_refused(
        &["trace", "--optimizer", "adamx"],
        "unknown optimizer 'adamx'",
    );
    assert_refused(&["trace", "--preset", "nope"], "unknown preset 'nope'");
    assert_refused(&["trace", "--lr", "abc"], "'abc' is not a number");
    assert_refused(&["trace", "--lr", "nan"], "not a finite number");
    assert_refused(&["trace", "--lr", "-0.1"], "must not be negative");
    assert_refused(&["trace", "--lr", "inf"], "not a finite number");
    assert_refused(&["trace", "--steps", "-5"], "negative");
    assert_refused(&["trace", "--steps", "2.5"], "not a whole number");
    assert_refused(&["trace", "--start", "1"], "not two numbers");
    assert_refused(&["trace", "--start", "1,nan"], "not a finite number");
    assert_refused(&["trace", "--start", "1,2,3"], "not two numbers");
    assert_refused(
        &["trace", "--optimizer", "adam", "--beta1", "1.0"],
        "beta1 must be in [0, 1)",
    );
    assert_refused(
        &["trace", "--optimizer", "adam", "--beta2", "-0.5"],
        "beta2 must be in [0, 1)",
    );
    assert_refused(
        &["trace", "--optimizer", "sgd", "--beta1", "0.5"],
        "--beta1 does not apply to sgd",
    );
    assert_refused(
        &["trace", "--optimizer", "nesterov", "--dampening", "0.5"],
        "Nesterov",
    );
    assert_refused(&["trace", "--expr", "x + * y"], "column 5");
    assert_refused(&["trace", "--expr", "sin x"], "expected '(' after 'sin'");
    assert_refused(
        &["trace", "--expr", "ln(x)", "--start", "-1,0"],
        "undefined at the start",
    );
    assert_refused(&["trace", "--format", "xml"], "xml");
    assert_refused(
        &["trace", "--landscape", "bowl", "--param", "kapa=3"],
        "no parameter 'kapa'",
    );
    assert_refused(&["trace", "--param", "kappa"], "NAME=VALUE");
    assert_refused(
        &["trace", "--landscape", "bowl", "--expr", "x"],
        "cannot be used with",
    );
    assert_refused(
        &["trace", "--schedule", "linear"],
        "unknown schedule 'linear'",
    );
    assert_refused(
        &["trace", "--gamma", "0.5"],
        "--gamma does not apply to the constant schedule",
    );
    assert_refused(
        &["trace", "--schedule", "step", "--step-size", "0"],
        "step_size",
    );
    assert_refused(&["trace", "--noise", "-1"], "noise");
    assert_refused(&["trace", "--bogus"], "unexpected argument");
    assert_refused(&["frobnicate"], "unrecognized subcommand");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_downhill"))
        .args(["trace", "--steps", "1000000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!stderr(&out).contains("panicked"));
}

#[test]
fn the_params_flag_reshapes_the_bowl_like_the_typed_formula() {
    for (kappa, angle) in [("100", "30"), ("1", "0"), ("9", "45"), ("4", "90")] {
        let a = downhill(&[
            "trace",
            "--landscape",
            "bowl",
            "--param",
            &format!("kappa={kappa}"),
            "--param",
            &format!("angle={angle}"),
            "--lr",
            "0.004",
            "--steps",
            "40",
        ]);
        let (k, t): (f64, f64) = (
            kappa.parse().unwrap(),
            angle.parse::<f64>().unwrap().to_radians(),
        );
        let (c, s) = (t.cos(), t.sin());
        let expr = format!("({c}*x + {s}*y)^2 + {k}*(-{s}*x + {c}*y)^2");
        let b = downhill(&[
            "trace", "--expr", &expr, "--lr", "0.004", "--start", "3,2", "--steps", "40",
        ]);
        let (a, b) = (
            String::from_utf8(a.stdout).unwrap(),
            String::from_utf8(b.stdout).unwrap(),
        );
        assert_eq!(a.lines().count(), b.lines().count());
        for (la, lb) in a.lines().zip(b.lines()).skip(1) {
            for (x, y) in la.split(',').zip(lb.split(',')).skip(1) {
                let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
                assert!(
                    (x - y).abs() <= 1e-9 * x.abs().max(1.0),
                    "κ={kappa} θ={angle}: {la} vs {lb}"
                );
            }
        }
    }
}

#[test]
fn a_lesson_that_does_not_exist_is_refused_before_the_window_opens() {
    assert_refused(&["--lesson", "nope"], "unknown lesson 'nope'");
    assert_refused(
        &["--lesson", "saddle-escape", "list"],
        "--lesson opens the window",
    );
}

fn setup_text() -> String {
    use downhill_engine::run::setup::{RunSpec, Setup};
    let mut setup = Setup {
        steps: 20,
        ..Setup::default()
    };
    let mut adam =
        downhill_engine::run::RunConfig::new(downhill_engine::optim::OptimizerKind::Adam);
    adam.hyper.lr = 0.05;
    setup.runs.push(RunSpec::new(adam));
    downhill_engine::run::share::Shared { setup, view: None }.to_text()
}

#[test]
fn trace_reads_a_setup_text_and_picks_its_runs() {
    let text = setup_text();
    let first = downhill(&["trace", "--setup", &text]);
    let flags = downhill(&[
        "trace",
        "--landscape",
        "bowl",
        "--optimizer",
        "sgd",
        "--lr",
        "0.1",
        "--start",
        "3,2",
        "--steps",
        "20",
    ]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(first.stdout, flags.stdout);
    let second = downhill(&["trace", "--setup", &text, "--run", "2"]);
    let adam = downhill(&[
        "trace",
        "--optimizer",
        "adam",
        "--lr",
        "0.05",
        "--start",
        "3,2",
        "--steps",
        "20",
    ]);
    assert_eq!(second.stdout, adam.stdout);
    let file = std::env::temp_dir().join(format!("downhill-setup-{}.txt", std::process::id()));
    std::fs::write(&file, format!("{text}\n")).unwrap();
    let from_file = downhill(&["trace", "--setup-file", file.to_str().unwrap()]);
    assert_eq!(from_file.stdout, flags.stdout);
    std::fs::remove_file(&file).ok();
}

#[test]
fn a_damaged_or_newer_setup_text_is_refused_in_one_line() {
    let text = setup_text();
    let cut = &text[..text.len() - 8];
    assert_refused(&["trace", "--setup", cut], "damaged");
    let newer = text.replacen("downhill-setup-3.", "downhill-setup-9.", 1);
    assert_refused(&["trace", "--setup", &newer], "newer downhill");
    assert_refused(
        &["trace", "--setup", &text, "--lr", "0.3"],
        "--setup replaces",
    );
    assert_refused(&["trace", "--setup", &text, "--run", "3"], "runs 1 to 2");
    assert_refused(&["--setup", cut], "damaged");
    assert_refused(&["trace", "--run", "2"], "--run picks a run of a setup");
}

/// What a teacher sees must hold in `trace` (docs/design.md, "Statuses"): the outcome on the
/// last line, the manner on the line before.
#[test]
fn trace_names_the_regime_and_the_manner() {
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        // landscape, lr, start, steps, "path: …\nstatus: …"
        (
            "bowl",
            "0.1",
            "3,2",
            "2000",
            "smooth\nstatus: converged after",
        ),
        (
            "bowl",
            "0.15",
            "3,2",
            "30",
            "zig-zag\nstatus: converging after 30",
        ),
        (
            "bowl",
            "0.2",
            "3,2",
            "2000",
            "zig-zag\nstatus: converged after",
        ),
        (
            "bowl",
            "0.24",
            "3,2",
            "2000",
            "zig-zag\nstatus: converged after",
        ),
        (
            "bowl",
            "0.25",
            "3,2",
            "200",
            "zig-zag\nstatus: oscillating after 200",
        ),
        (
            "bowl",
            "0.26",
            "3,2",
            "10",
            "zig-zag\nstatus: diverging after 10",
        ),
        (
            "bowl",
            "0.26",
            "3,2",
            "1000",
            "zig-zag\nstatus: diverged after 171",
        ),
        (
            "parabola",
            "0.3",
            "6,0",
            "100",
            "smooth\nstatus: converged after",
        ),
        (
            "parabola",
            "0.7",
            "6,0",
            "100",
            "zig-zag\nstatus: converged after",
        ),
        (
            "parabola",
            "1.0",
            "6,0",
            "100",
            "zig-zag\nstatus: oscillating after 100",
        ),
        (
            "parabola",
            "1.2",
            "6,0",
            "10",
            "zig-zag\nstatus: diverging after 10",
        ),
        (
            "parabola",
            "1.2",
            "6,0",
            "30",
            "zig-zag\nstatus: diverging after 30",
        ),
        (
            "saddle",
            "0.1",
            "1.5,0.01",
            "60",
            "smooth\nstatus: diverging after 60",
        ),
        (
            "saddle",
            "0.1",
            "1.5,0",
            "2000",
            "smooth\nstatus: stuck after",
        ),
        ("bowl", "0", "3,2", "10", "smooth\nstatus: stuck after 10"),
    ];
    for (landscape, lr, start, steps, want) in cases {
        let o = downhill(&[
            "trace",
            "--landscape",
            landscape,
            "--lr",
            lr,
            &format!("--start={start}"),
            "--steps",
            steps,
        ]);
        let err = stderr(&o);
        assert!(
            err.contains(&format!("path: {want}")),
            "{landscape} η = {lr} from {start}, {steps} steps: {err}"
        );
    }
    let o = downhill(&["trace", "--expr", "x", "--lr", "0.1", "--steps", "30"]);
    assert!(stderr(&o).contains("status: diverging"), "{}", stderr(&o));
    let o = downhill(&[
        "trace",
        "--landscape",
        "bowl",
        "--optimizer",
        "momentum",
        "--momentum",
        "1.5",
        "--steps",
        "30",
    ]);
    assert!(stderr(&o).contains("status: diverging"), "{}", stderr(&o));
}

/// A full or closed output ends the program with an error code, never a panic.
#[test]
fn a_full_output_is_an_error_not_a_panic() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // no /dev/full on this system
    };
    let run = |args: &[&str], to_stdout: bool| {
        let full = full.try_clone().unwrap();
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_downhill"));
        cmd.args(args);
        if to_stdout {
            cmd.stdout(full);
        } else {
            cmd.stderr(full).stdout(std::process::Stdio::null());
        }
        cmd.output().unwrap()
    };
    for (args, to_stdout) in [
        (&["--help"][..], true),
        (&["trace", "--steps", "3"][..], true),
        (&["list"][..], true),
        (&["trace", "--lr", "-1"][..], false),
        (&["trace", "--steps", "3"][..], false),
    ] {
        let o = run(args, to_stdout);
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        assert_ne!(o.status.code(), Some(101), "{args:?}: {err}");
        if to_stdout {
            assert!(err.contains("No space left on device"), "{args:?}: {err}");
        }
    }
}

/// Every hyper-parameter, schedule and landscape parameter is checked against its domain,
/// the same range the window enforces.
#[test]
fn values_outside_their_domain_are_refused() {
    for (args, says) in [
        (
            &["--schedule", "exponential", "--gamma", "-1"][..],
            "gamma must not be negative",
        ),
        (
            &["--schedule", "step", "--gamma", "-0.5"][..],
            "gamma must not be negative",
        ),
        (
            &["--schedule", "cosine", "--eta-min", "-1"][..],
            "eta_min must not be negative",
        ),
        (
            &["--optimizer", "rmsprop", "--alpha", "1.5"][..],
            "alpha must be in [0, 1]",
        ),
        (
            &["--optimizer", "momentum", "--dampening", "2"][..],
            "dampening must be in [0, 1]",
        ),
        (
            &["--param", "kappa=-5"][..],
            "kappa must be from 1 to 1000, got -5",
        ),
        (&["--param", "kappa=0"][..], "kappa must be from 1 to 1000"),
        (&["--param", "angle=400"][..], "angle must be from 0 to 90"),
    ] {
        let mut all = vec!["trace", "--landscape", "bowl", "--steps", "2"];
        all.extend_from_slice(args);
        assert_refused(&all, says);
    }
}

/// `downhill setup` prints the setup text for the flags: trace and render read it back to the
/// same runs, every run of a race included.
#[test]
fn setup_prints_a_text_that_opens_to_the_same_runs() {
    let args = [
        "--landscape",
        "rosenbrock",
        "--optimizer",
        "sgd",
        "--optimizer",
        "adam",
        "--lr",
        "0.001",
        "--lr",
        "0.05",
        "--start=-1.2,1",
        "--steps",
        "50",
    ];
    let o = downhill(&[&["setup"][..], &args].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(text.lines().count(), 1);
    assert!(text.starts_with("downhill-setup-3."), "{text}");
    for (run, flags) in [
        ("1", ["--optimizer", "sgd", "--lr", "0.001"]),
        ("2", ["--optimizer", "adam", "--lr", "0.05"]),
    ] {
        let from_text = downhill(&["trace", "--setup", text.trim(), "--run", run]);
        let direct = downhill(
            &[
                &[
                    "trace",
                    "--landscape",
                    "rosenbrock",
                    "--start=-1.2,1",
                    "--steps",
                    "50",
                ][..],
                &flags,
            ]
            .concat(),
        );
        assert!(from_text.status.success(), "{}", stderr(&from_text));
        assert_eq!(from_text.stdout, direct.stdout, "run {run}");
    }
    assert_refused(&["setup", "--view=-1e308,1e308,0,1"], "must be finite");
}

/// A file in the temporary directory with `text`, named for this test process.
fn temp_file(name: &str, text: &str) -> String {
    let file = std::env::temp_dir().join(format!("downhill-{}-{name}", std::process::id()));
    std::fs::write(&file, text).unwrap();
    file.to_string_lossy().into_owned()
}

#[test]
fn bad_network_input_is_refused_in_one_line() {
    let three = temp_file("three.csv", "a,b,c,y\n1,2,3,0\n2,3,4,1\n");
    let init = temp_file("init3.txt", "0.1 0.2 0.3\n");
    let labels = temp_file("labels.csv", "x1,x2,y\n0,0,0\n1,1,2\n0,1,1\n");
    let short = temp_file("short.csv", "x1,x2,y\n0,0,0\n1,1\n0,1,1\n");
    fn net<'a>(more: &[&'a str]) -> Vec<&'a str> {
        [&["trace", "--net", "--steps", "2"][..], more].concat()
    }
    // An init file made for a 2-input network, read with a 3-input data file: the count the
    // network needs is named, with its shape.
    assert_refused(
        &net(&["--data", &three, "--init-file", &init]),
        "this network (3-8-8-1 tanh, binary cross-entropy) has 113 parameters",
    );
    assert_refused(
        &net(&["--data", "circle", "--init-file", &init]),
        "the init file has 3 number(s); this network (2-8-8-1 tanh, binary cross-entropy) has \
         105 parameters",
    );
    // A row with fewer columns than the header.
    assert_refused(
        &net(&["--data", &short]),
        "line 3: 2 field(s) where the header has 3",
    );
    assert_refused(
        &net(&["--data", &labels, "--loss", "bce"]),
        "point 2 has y = 2, but bce needs labels 0 or 1",
    );
    for cmd in ["trace", "render"] {
        assert_refused(
            &[
                cmd,
                "--net",
                "--data",
                "circle",
                "--steps",
                "2",
                "--plane",
                "params:3,500",
                "--output",
                "/nonexistent/never-written.png",
            ][..if cmd == "trace" { 8 } else { 10 }],
            "--plane params:3,500: this network has parameters 0 to 104 (P = 105)",
        );
    }
    for width in ["0", "1000000", "8,1000000"] {
        assert_refused(
            &net(&["--data", "circle", "--hidden", width]),
            "widths must be from 1 to 256",
        );
    }
    assert_refused(
        &net(&["--data", "circle", "--hidden", "8,,8"]),
        "hidden width '' is not a whole number",
    );
    assert_refused(&net(&[]), "--net trains on --data");
    assert_refused(
        &net(&["--data", "no-such-set"]),
        "no such file, and no data set of that name",
    );
    assert_refused(
        &net(&["--data", "circle", "--noise", "0.1"]),
        "'--net' cannot be used with '--noise <STD>'",
    );
    assert_refused(
        &net(&["--data", "circle", "--optimizer", "muon"]),
        "muon cannot train a network",
    );
    for plane in ["pcb", "params:1", "random:x", "params:a,b"] {
        assert_refused(
            &net(&["--data", "circle", "--plane", plane]),
            "write pca, random, random:SEED or params:I,J",
        );
    }
    assert_refused(
        &net(&["--data", "circle", "--plane", "params:1,1"]),
        "choose two different parameters",
    );
    // A network flag without --net names what is missing on the same line.
    assert_refused(
        &["trace", "--hidden", "3"],
        "the following required arguments were not provided: --net",
    );
}

#[test]
fn every_pattern_activation_and_loss_trains_without_panicking() {
    let optimizers = [
        "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "amsgrad", "nadam",
        "radam", "adamax", "adadelta", "rprop", "asgd",
    ];
    let mut k = 0;
    for pattern in ["circle", "xor", "gauss", "spiral"] {
        for activation in ["tanh", "relu", "sigmoid"] {
            for loss in ["bce", "mse"] {
                let optimizer = optimizers[k % optimizers.len()];
                k += 1;
                let batch = if k % 3 == 0 { "16" } else { "200" };
                let args = [
                    "trace",
                    "--net",
                    "--data",
                    pattern,
                    "--hidden",
                    "4,3",
                    "--activation",
                    activation,
                    "--loss",
                    loss,
                    "--optimizer",
                    optimizer,
                    "--batch-size",
                    batch,
                    "--steps",
                    "20",
                ];
                let o = downhill(&args);
                let err = stderr(&o);
                assert!(o.status.success(), "{args:?}: {err}");
                assert!(!err.contains("panicked"), "{args:?}: {err}");
                let out = String::from_utf8(o.stdout).unwrap();
                // A header and rows 0 to 20 (fewer only if the run stopped early).
                assert!(out.lines().count() >= 2, "{args:?}: {out}");
                let header = out.lines().next().unwrap();
                // 2·4 + 4 + 4·3 + 3 + 3 + 1 = 31 parameters.
                assert!(header.ends_with(",p30"), "{args:?}: {header}");
            }
        }
    }
}
