//! `downhill trace`: one run's rows as CSV or JSON.

use std::io::Write;

use downhill_engine::format::num;
use downhill_engine::run::rows::RowWriter;
use downhill_engine::run::{Run, Status};
use downhill_engine::teach::preset;

use super::Failure;
use super::args::{Format, TraceArgs};

/// `downhill trace`: streams the rows to `out`; the status line goes to `err` last.
pub fn trace(args: &TraceArgs, out: impl Write, err: &mut impl Write) -> Result<Status, Failure> {
    let r = args.resolve()?;
    let mut run = Run::new(r.landscape, &r.config, r.start).map_err(|e| e.to_string())?;
    if let Some(name) = &args.preset {
        // The course's own words first, for a student running the example (stderr: the
        // trajectory on stdout stays clean, and the status line stays last).
        let p = preset::find(name)?;
        writeln!(err, "{}: {}", p.title, p.quote)?;
        if let Some(q) = &p.question {
            writeln!(err, "Question: {q}")?;
        }
    }
    let json = args.format == Format::Json;
    if let Some(t) = run.net() {
        if args.plane.is_some() {
            return Err(Failure::Bad(
                "--plane chooses the picture's plane: it applies to render, not to trace".into(),
            ));
        }
        // θ in full at every row.
        let mut writer = RowWriter::for_net(out, json, t)?;
        writer.net_row(0, t)?;
        for _ in 0..r.steps {
            if run.status().is_final() || run.advance().is_none() {
                break;
            }
            if let Some(t) = run.net() {
                writer.net_row(run.step(), t)?;
            }
        }
        return finish(writer, &run, err);
    }
    let on_data = run.landscape().data().is_some();
    let mut writer = RowWriter::new(out, json, on_data)?;
    writer.row(0, &run.row())?;
    for _ in 0..r.steps {
        if run.status().is_final() {
            break;
        }
        let Some(row) = run.advance() else { break };
        writer.row(run.step(), &row)?;
    }
    finish(writer, &run, err)
}

/// Closes the rows and writes where the run went and its status, last.
fn finish(
    writer: RowWriter<impl Write>,
    run: &Run,
    err: &mut impl Write,
) -> Result<Status, Failure> {
    let status = run.status();
    writer.finish(status, run.manner(), run.step())?;
    if let Some((at, why)) = run.left_domain() {
        writeln!(
            err,
            "the next point ({}, {}) is outside the formula's domain: {why}",
            num(at.x),
            num(at.y)
        )?;
    }
    writeln!(err, "path: {}", run.manner())?;
    writeln!(err, "status: {status} after {} steps", run.step())?;
    Ok(status)
}
