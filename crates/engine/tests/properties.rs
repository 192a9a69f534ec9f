//! Whatever a user throws at the engine, it never panics and always ends with a status. (The
//! parser and evaluator have their own 100,000-case fuzz in `fuzz.rs`.)

// Helpers here are test code too: a panic is a failed test with its message.
#![allow(clippy::unwrap_used)]

use downhill_engine::landscape::{BUILTINS, Landscape, LandscapeSpec};
use downhill_engine::optim::{OptimizerKind, Vec2};
use downhill_engine::run::{Run, RunConfig, Status};
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
        // A diverged run ends on a diverged row, except Newton's method stopped by a singular
        // Hessian, which has no next point to record.
        if t.status == Status::Diverged && kind != OptimizerKind::Newton {
            prop_assert!(t.rows.last().unwrap().is_diverged());
        }
        prop_assert_eq!(t.status, run.status());
    }
}

/// A value for a random data set: ordinary, huge, tiny, repeated or zero.
fn data_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        -100.0f64..100.0,
        Just(0.0),
        Just(3.0),
        prop_oneof![
            Just(1e300),
            Just(-1e300),
            Just(1e-300),
            Just(5e-324),
            Just(1e154)
        ],
        -1e12f64..1e12,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Random data sets (duplicate x, all-equal x, huge and tiny values, one class only) under
    /// either model, standardized or not, any batch size: building, the minimum, the picture
    /// and a run never panic; a refusal is a message.
    #[test]
    fn data_landscapes_never_panic(
        xs in prop::collection::vec(data_value(), 0..40),
        ys in prop::collection::vec(data_value(), 0..40),
        logistic in any::<bool>(),
        standardize in any::<bool>(),
        batch in 0u64..50,
        shuffle in any::<bool>(),
        k in 0usize..OptimizerKind::ALL.len(),
        log_lr in -6.0f64..3.0,
    ) {
        use downhill_engine::data::{BatchOrder, BatchSpec, DataSource, Model};
        let model = if logistic { Model::Logistic } else { Model::Linear };
        let points: Vec<[f64; 2]> = xs
            .iter()
            .zip(&ys)
            .map(|(&x, &y)| [x, if logistic { f64::from(u8::from(y > 0.0)) } else { y }])
            .collect();
        let spec = LandscapeSpec::Data {
            data: DataSource::Points {
                name: "random".into(),
                source: String::new(),
                columns: ["x".into(), "y".into()],
                points: points.into(),
            },
            model,
            standardize,
        };
        let Ok(landscape) = spec.build() else {
            return Ok(());
        };
        let d = landscape.data().unwrap().clone();
        let _ = d.minimum();
        let v = landscape.view();
        prop_assert!(v.x[0] <= v.x[1] && v.y[0] <= v.y[1], "{v:?}");
        let _ = landscape.minima();
        let mut out = [0.0; 3];
        landscape.eval_many(&[0.0, 1.0, -2.0], &[0.0, 5.0, 1.0], &mut out, &mut Vec::new());
        let mut c = RunConfig::new(OptimizerKind::ALL[k]);
        c.hyper.lr = 10f64.powf(log_lr);
        c.batch = BatchSpec {
            size: batch,
            order: if shuffle { BatchOrder::Shuffle } else { BatchOrder::Sequential },
        };
        if let Ok(mut run) = Run::new(landscape, &c, Vec2::zeros()) {
            let t = run.record(50);
            prop_assert!(!t.rows.is_empty());
        }
    }
}

/// Standardizing x that are all equal is refused with a message, not turned into NaN.
#[test]
fn standardizing_equal_x_is_refused() {
    use downhill_engine::data::{DataSource, Model};
    let spec = LandscapeSpec::Data {
        data: DataSource::Points {
            name: "flat".into(),
            source: String::new(),
            columns: ["x".into(), "y".into()],
            points: vec![[2.0, 1.0], [2.0, 3.0], [2.0, 0.0]].into(),
        },
        model: Model::Linear,
        standardize: true,
    };
    let e = spec.build().unwrap_err().to_string();
    assert!(
        e.contains("every x is 2") && e.contains("cannot be standardized"),
        "{e}"
    );
}

/// Text that is nearly CSV: separators, quotes, comments, line endings, a byte-order mark, signs
/// and exponents among digits and letters.
fn csvish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9a-z,;\t\"# .eE+\\-\r\n\u{feff}]{0,120}",
        "(x,y|x1,x2,y|a;b|\"x\"\t\"y\")\r?\n([0-9.,;\t\"#eE -]{0,12}\r?\n){0,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Any text: reading it as a table or as (x, y) data never panics; what is read keeps the
    /// table's promises, and each row's line is a line of the text with a value on it.
    #[test]
    fn reading_any_text_as_csv_never_panics(text in csvish(), min_columns in 0usize..4) {
        use downhill_engine::data::Model;
        use downhill_engine::data::csv::{parse, read_table};
        if let Ok(t) = read_table(&text, min_columns) {
            prop_assert!(t.names.len() >= min_columns.max(1));
            prop_assert!(t.rows.len() >= 2);
            prop_assert_eq!(t.rows.len(), t.lines.len());
            prop_assert!(t.rows.iter().flatten().all(|v| v.is_finite()));
            prop_assert!(t.rows.iter().all(|r| r.len() == t.names.len()));
            prop_assert!(t.lines.windows(2).all(|w| w[0] < w[1]), "{:?}", t.lines);
            for &line in &t.lines {
                let l = text.lines().nth(line - 1).unwrap_or_default();
                let l = l.trim_start_matches('\u{feff}').trim();
                prop_assert!(!l.is_empty() && !l.starts_with('#'), "line {line} of {text:?}");
            }
        }
        for model in [Model::Linear, Model::Logistic] {
            if let Ok(d) = parse(&text, "any.csv", model) {
                prop_assert!(d.x.len() >= 2 && d.x.len() == d.y.len());
                prop_assert!(d.y.iter().all(|&y| model.label_ok(y)));
            }
        }
    }
}

/// One row of a generated table: its values and what comes before it (blank lines, comments).
#[derive(Debug, Clone)]
struct CsvRow {
    values: Vec<f64>,
    padding: Vec<u8>,
    quoted: Vec<bool>,
}

fn csv_row(columns: usize) -> impl Strategy<Value = CsvRow> {
    (
        prop::collection::vec(data_value(), columns),
        prop::collection::vec(0u8..4, 0..3),
        prop::collection::vec(any::<bool>(), columns),
    )
        .prop_map(|(values, padding, quoted)| CsvRow {
            values,
            padding,
            quoted,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// A table written with any separator and line ending, quoted cells, padded cells, blank
    /// lines and comments between rows reads back exactly, each row on the line it was written.
    #[test]
    fn a_written_table_reads_back_on_its_lines(
        rows in (1usize..5).prop_flat_map(|c| prop::collection::vec(csv_row(c), 2..20)),
        sep in prop::sample::select(vec![",", "\t", ";"]),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        use downhill_engine::data::csv::read_table;
        let end = if crlf { "\r\n" } else { "\n" };
        let columns = rows[0].values.len();
        let mut text = String::from(if bom { "\u{feff}" } else { "" });
        text += &format!("# generated{end}");
        let names: Vec<String> = (0..columns).map(|k| format!("\"c {k}\"")).collect();
        text += &names.join(sep);
        text += end;
        let mut line = 2;
        let mut want_lines = Vec::new();
        for r in &rows {
            for p in &r.padding {
                text += [end, "# a note, \"quoted\"\n", "  \t", "   # indented"][usize::from(*p)];
                if *p >= 2 {
                    text += end;
                }
                line += 1;
            }
            line += 1;
            want_lines.push(line);
            let cells: Vec<String> = r
                .values
                .iter()
                .zip(&r.quoted)
                .map(|(v, &q)| if q { format!("\"{v}\"") } else { format!(" {v:e} ") })
                .collect();
            text += &cells.join(sep);
            text += end;
        }
        let t = read_table(&text, columns).unwrap();
        prop_assert_eq!(t.source, "generated");
        prop_assert_eq!(t.names, (0..columns).map(|k| format!("c {k}")).collect::<Vec<_>>());
        prop_assert_eq!(t.lines, want_lines);
        let want: Vec<Vec<f64>> = rows.iter().map(|r| r.values.clone()).collect();
        prop_assert_eq!(t.rows, want);
    }
}
