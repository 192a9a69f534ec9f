//! Trajectory rows as they leave the program: CSV lines and JSON objects of numbers in
//! [`crate::format::num`]'s round-trip form, streamed by [`RowWriter`].

use std::io::{self, Write};

use crate::format::{json_num, num};
use crate::net::NetTrain;
use crate::run::{Manner, Row, Status};

/// One row as CSV fields, without a line end: `step,w0,w1,loss,g0,g1`.
pub fn csv_row(step: u64, r: &Row, batch: bool) -> String {
    let mut s = format!(
        "{step},{},{},{},{},{}",
        num(r.w.x),
        num(r.w.y),
        num(r.loss),
        num(r.grad.x),
        num(r.grad.y)
    );
    if batch {
        s.push(',');
        s.push_str(&num(r.batch_loss));
    }
    s
}

/// One row as a JSON object (non-finite numbers as `null`); with `batch_loss` on data.
pub fn json_row(step: u64, r: &Row, batch: bool) -> String {
    let batch = if batch {
        format!(", \"batch_loss\": {}", json_num(r.batch_loss))
    } else {
        String::new()
    };
    format!(
        "{{\"step\": {step}, \"w0\": {}, \"w1\": {}, \"loss\": {}, \"g0\": {}, \"g1\": {}{batch}}}",
        json_num(r.w.x),
        json_num(r.w.y),
        json_num(r.loss),
        json_num(r.grad.x),
        json_num(r.grad.y)
    )
}

/// The CSV header; on a data landscape with the batch loss last.
pub fn csv_header(batch: bool) -> &'static str {
    if batch {
        "step,w0,w1,loss,g0,g1,batch_loss"
    } else {
        CSV_HEADER
    }
}

pub const CSV_HEADER: &str = "step,w0,w1,loss,g0,g1";

/// A network's CSV header: `step,loss,grad_norm[,batch_loss],p0,…,p(P−1)`.
pub fn net_csv_header(batch: bool, params: usize) -> String {
    let mut s = String::from("step,loss,grad_norm");
    if batch {
        s.push_str(",batch_loss");
    }
    for i in 0..params {
        s.push_str(&format!(",p{i}"));
    }
    s
}

/// A network's row as CSV fields: row k is θ after k updates, the full-data loss there, and
/// the norm of batch k's gradient (and its loss, on mini-batches).
pub fn net_csv_row(step: u64, t: &NetTrain) -> String {
    let mut s = format!("{step},{},{}", num(t.loss), num(t.grad_norm()));
    if t.batched() {
        s.push(',');
        s.push_str(&num(t.batch_loss));
    }
    for p in t.theta() {
        s.push(',');
        s.push_str(&num(*p));
    }
    s
}

/// A network's row as a JSON object, θ as an array.
pub fn net_json_row(step: u64, t: &NetTrain) -> String {
    let batch = if t.batched() {
        format!(", \"batch_loss\": {}", json_num(t.batch_loss))
    } else {
        String::new()
    };
    let theta: Vec<String> = t.theta().iter().map(|p| json_num(*p)).collect();
    format!(
        "{{\"step\": {step}, \"loss\": {}, \"grad_norm\": {}{batch}, \"theta\": [{}]}}",
        json_num(t.loss),
        json_num(t.grad_norm()),
        theta.join(", ")
    )
}

/// Writes trajectory rows as CSV or JSON as they come, so a long trace needs no memory.
pub struct RowWriter<W: Write> {
    out: W,
    json: bool,
    /// Whether rows carry `batch_loss` (a data landscape).
    batch: bool,
    rows: u64,
}

impl<W: Write> RowWriter<W> {
    /// Starts the output: the CSV header, or the opening of the JSON rows array.
    pub fn new(mut out: W, json: bool, batch: bool) -> io::Result<Self> {
        if json {
            write!(out, "{{\"rows\": [")?;
        } else {
            writeln!(out, "{}", csv_header(batch))?;
        }
        Ok(Self {
            out,
            json,
            batch,
            rows: 0,
        })
    }

    /// Starts a network's output (see [`net_csv_header`]).
    pub fn for_net(mut out: W, json: bool, t: &NetTrain) -> io::Result<Self> {
        if json {
            write!(out, "{{\"rows\": [")?;
        } else {
            writeln!(out, "{}", net_csv_header(t.batched(), t.theta().len()))?;
        }
        Ok(Self {
            out,
            json,
            batch: t.batched(),
            rows: 0,
        })
    }

    pub fn row(&mut self, step: u64, r: &Row) -> io::Result<()> {
        let line = if self.json {
            json_row(step, r, self.batch)
        } else {
            csv_row(step, r, self.batch)
        };
        self.line(line)
    }

    /// A network's row (θ in full).
    pub fn net_row(&mut self, step: u64, t: &NetTrain) -> io::Result<()> {
        let line = if self.json {
            net_json_row(step, t)
        } else {
            net_csv_row(step, t)
        };
        self.line(line)
    }

    fn line(&mut self, line: String) -> io::Result<()> {
        if self.json {
            let sep = if self.rows == 0 { "\n  " } else { ",\n  " };
            write!(self.out, "{sep}{line}")?;
        } else {
            writeln!(self.out, "{line}")?;
        }
        self.rows += 1;
        Ok(())
    }

    /// Ends the output (JSON: the status, the path's manner and the step count close the
    /// object).
    pub fn finish(mut self, status: Status, manner: Manner, steps_run: u64) -> io::Result<W> {
        if self.json {
            writeln!(
                self.out,
                "\n], \"status\": \"{}\", \"path\": \"{}\", \"steps_run\": {steps_run}}}",
                status.name(),
                manner.name()
            )?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}
