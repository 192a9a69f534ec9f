//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used)]

pub mod ui;

use downhill::io::{Cli, Command, trace};
use proptest::prelude::*;

/// Runs the `downhill` binary with `args`.
pub fn downhill(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_downhill"))
        .args(args)
        .output()
        .unwrap()
}

/// What a run of the binary wrote on stderr.
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Bad input: exit status 2 and exactly one line on stderr, saying what is wrong.
pub fn assert_refused(args: &[&str], says: &str) {
    let o = downhill(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: not one line: {err}");
    assert!(
        err.contains(says),
        "{args:?}: {err:?} does not say {says:?}"
    );
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert!(o.stdout.is_empty(), "{args:?}: wrote to stdout");
}

/// Splits a command line the way a POSIX shell would for our cases (single and double quotes).
pub fn shell_split(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                    cur.push(d);
                }
            }
            '"' => {
                in_word = true;
                for d in chars.by_ref() {
                    if d == '"' {
                        break;
                    }
                    cur.push(d);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

/// The output of `downhill trace ARGS` run in-process: (stdout, stderr).
pub fn trace_output(args: &[String]) -> (String, String) {
    let mut argv = vec!["downhill".to_owned(), "trace".to_owned()];
    argv.extend(args.iter().cloned());
    let cli = Cli::try_parse_from_args(&argv);
    let Some(Command::Trace(t)) = cli.command else {
        panic!("not a trace command: {argv:?}")
    };
    let mut out = Vec::new();
    let mut err = Vec::new();
    if let Err(e) = trace(&t, &mut out, &mut err) {
        panic!("trace {argv:?} failed: {e:?}");
    }
    (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// The rows of a trajectory CSV: step and the five numbers.
pub fn parse_csv(text: &str) -> Vec<(u64, [f64; 5])> {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("step,w0,w1,loss,g0,g1"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 6, "{l}");
            let v = |i: usize| f[i].parse::<f64>().unwrap();
            (f[0].parse().unwrap(), [v(1), v(2), v(3), v(4), v(5)])
        })
        .collect()
}

trait TryParse {
    fn try_parse_from_args(argv: &[String]) -> Cli;
}

impl TryParse for Cli {
    fn try_parse_from_args(argv: &[String]) -> Cli {
        use clap::Parser;
        Cli::try_parse_from(argv).unwrap_or_else(|e| panic!("{argv:?}: {e}"))
    }
}

/// Well-formed formulas: every function and operator, nesting up to 6 deep, constants from
/// 1e-300 to 1e300.
pub fn formula() -> impl Strategy<Value = String> {
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
