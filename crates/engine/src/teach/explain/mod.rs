//! One update written out with its real numbers, the way the course texts write it by hand:
//! `w0 ← w0 − η·∂L/∂w0 = 6 − 0.3 × 8 = 3.6`, with the optimizer's intermediate quantities
//! (momentum buffer, AdaGrad's accumulator, RMSprop's average, Adam's m, v and their bias
//! corrections) on lines of their own.
//!
//! One file per family, mirroring `optim/`: each implements [`Explain`] for its optimizer.
//! The numbers are the optimizer's own: the state before the update is cloned and stepped by
//! the family's `update`, which returns the figures it computed (its `…Step`), so the last
//! number of each `w` line is exactly the next row's coordinate and every intermediate is the
//! value the update used, never a second computation of it. A [`Line`] keeps its numbers as
//! values; it is formatted when shown, rounded for reading or in full ([`Digits`]), with the
//! parameters named as they are ([`Params`]: w0, w1 on two weights, p0, p1 on a network).

mod common;
pub mod line;
mod network;

mod adadelta;
mod adafactor;
mod adagrad;
mod adam;
mod adamax;
mod asgd;
mod lbfgs;
mod muon;
mod nadam;
mod newton;
mod radam;
mod rmsprop;
mod rprop;
mod sgd;

use std::ops::Range;

use nalgebra::Matrix2;

pub use crate::line_of;
pub use line::{
    Digits, Line, Params, Part, Style, formula, lead, num, number, param, paren, update,
};
pub use network::explain_whole;

use crate::optim::{Optimizer, OptimizerKind, Vec2};

/// Where L-BFGS's closure is evaluated: the loss and gradient at a point, `None` where they are
/// undefined.
pub type Closure<'a> = dyn Fn(Vec2) -> Option<(f64, Vec2)> + 'a;

/// What an update is written out at: the row before it and what the run knows there.
#[derive(Clone, Copy)]
pub struct At<'a> {
    /// The point (row `step − 1`).
    pub w: Vec2,
    /// The gradient stored with it (noise included).
    pub g: Vec2,
    /// This update's learning rate.
    pub lr: f64,
    /// How many coordinates matter: 1 on the 1-D landscapes (only w0's lines are written), 2
    /// otherwise.
    pub dims: usize,
    /// The Hessian at `w`, for the families that need it (Newton).
    pub hessian: Option<Matrix2<f64>>,
    /// The loss and gradient anywhere, for the families that evaluate the landscape (L-BFGS:
    /// the run's own closure, [`crate::run::Run::closure_value`]).
    pub closure: Option<&'a Closure<'a>>,
}

impl At<'_> {
    /// The coordinates written out.
    pub fn coords(&self) -> Range<usize> {
        0..self.dims
    }
}

/// How a family writes out its update.
pub trait Explain {
    /// The update from this state (before it) at `at`, line by line.
    fn written_out(&self, at: &At<'_>) -> Vec<Line>;
}

/// The written-out update that takes row `step − 1` to row `step`.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The update's number (1 = the first update).
    pub step: u64,
    /// What the lines compute, in words.
    pub heading: String,
    /// One formula with its numbers per line.
    pub lines: Vec<Line>,
    /// What the parameters are called.
    pub params: Params,
}

impl Explanation {
    /// Every line as shown with `digits` (rounded for reading, a rounded number marked `≈`, or
    /// in full).
    pub fn texts(&self, digits: Digits) -> Vec<String> {
        self.lines
            .iter()
            .map(|l| l.render(digits, self.params))
            .collect()
    }
}

/// Explains the update of `optimizer` (its state before the update, of kind `kind`) at `at`:
/// update number `step`.
pub fn explain(optimizer: &Optimizer, kind: OptimizerKind, at: &At<'_>, step: u64) -> Explanation {
    Explanation {
        step,
        heading: format!(
            "Update {step} ({}, η = {}): from row {} to row {step}",
            kind.label(),
            number(at.lr, Digits::Reading),
            step - 1
        ),
        lines: optimizer.written_out(at),
        params: Params::Weights,
    }
}

#[cfg(test)]
mod tests;
