//! Training a network, one update at a time, as torch's loop does it:
//! `opt.zero_grad(); loss = L(net(X_batch)); loss.backward(); opt.step()`, with the batches of
//! `--data` (in order, B at a time, shuffled per epoch from the seed or kept in order).

use std::sync::Arc;

use super::model::Scratch;
use super::optimizer::{NetOptimizer, Outcome};
use super::problem::NetProblem;
use crate::data::{BatchSpec, Batches};
use crate::geometry::DIVERGENCE_LIMIT;
use crate::optim::{Optimizer, OptimizerKind};

/// θ, its gradient on the current batch, and the optimizer's state.
#[derive(Clone, Debug)]
pub struct NetTrain {
    pub problem: Arc<NetProblem>,
    theta: Vec<f64>,
    grad: Vec<f64>,
    /// Δθ of the last update (zero before the first).
    delta: Vec<f64>,
    /// θ before the update being taken.
    before: Vec<f64>,
    /// Updates taken.
    updates: u64,
    optimizer: NetOptimizer,
    batches: Option<Batches>,
    scratch: Scratch,
    /// The full-data loss at θ.
    pub loss: f64,
    /// The loss over the batch `grad` came from.
    pub batch_loss: f64,
}

/// The scalars the status is judged from, for one update.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Motion {
    /// ‖Δθ‖².
    pub d2: f64,
    /// Δθ · Δθ of the update before < 0 (none on the first update).
    pub turned: Option<bool>,
    /// ‖θ‖² after the update.
    pub w2: f64,
    /// ‖g‖² of the next batch's gradient.
    pub g2: f64,
    /// torch skipped the update as optimal (L-BFGS's tolerances): θ stayed.
    pub optimal: bool,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl NetTrain {
    /// Training with `optimizer` (of kind `kind`, at step 0) from θ₀, batched by `batch` with
    /// `seed`, at row 0 (its loss and its first batch's gradient).
    pub fn new(
        problem: Arc<NetProblem>,
        optimizer: &Optimizer,
        kind: OptimizerKind,
        batch: BatchSpec,
        seed: u64,
    ) -> Result<Self, String> {
        let p = problem.net.param_count();
        let optimizer = NetOptimizer::new(optimizer, kind, problem.net.layers())?;
        let batches = Batches::new(batch, problem.data.len(), seed);
        let mut t = Self {
            theta: problem.theta0.clone(),
            grad: vec![0.0; p],
            delta: vec![0.0; p],
            before: vec![0.0; p],
            updates: 0,
            scratch: problem.net.scratch(),
            problem,
            optimizer,
            batches,
            loss: 0.0,
            batch_loss: 0.0,
        };
        t.evaluate();
        Ok(t)
    }

    /// θ now.
    pub fn theta(&self) -> &[f64] {
        &self.theta
    }

    /// The gradient of the current batch's loss at θ.
    pub fn grad(&self) -> &[f64] {
        &self.grad
    }

    /// ‖g‖.
    pub fn grad_norm(&self) -> f64 {
        dot(&self.grad, &self.grad).sqrt()
    }

    /// Whether the run trains on mini-batches.
    pub fn batched(&self) -> bool {
        self.batches.is_some()
    }

    /// The batch behind row `step`'s gradient (mini-batches only).
    pub fn batch_points(&self, step: u64) -> Option<Vec<u32>> {
        self.batches.as_ref().map(|b| b.batch(step))
    }

    /// The first pair of coordinates' optimizer (its state, for the step arithmetic), for
    /// the element-wise optimizers.
    pub fn optimizer(&self) -> Option<&Optimizer> {
        self.optimizer.first()
    }

    /// The optimizer with its state (for a whole-vector optimizer's explanation).
    pub fn net_optimizer(&self) -> &NetOptimizer {
        &self.optimizer
    }

    /// Updates taken.
    pub fn updates(&self) -> u64 {
        self.updates
    }

    /// The divergence rule of every run: a non-finite number, or a parameter beyond 1e6.
    pub fn is_diverged(&self) -> bool {
        !(self.loss.is_finite() && self.batch_loss.is_finite())
            || self.grad.iter().any(|g| !g.is_finite())
            || self
                .theta
                .iter()
                .any(|t| t.is_nan() || t.abs() > DIVERGENCE_LIMIT)
    }

    /// The loss at θ and the next batch's loss and gradient.
    fn evaluate(&mut self) {
        let (net, data) = (&self.problem.net, &self.problem.data);
        match &mut self.batches {
            Some(b) => {
                self.batch_loss = net.loss_grad(
                    &self.theta,
                    data,
                    Some(b.next_batch()),
                    &mut self.grad,
                    &mut self.scratch,
                );
                self.loss = net.loss(&self.theta, data, None, &mut self.scratch);
            }
            None => {
                self.loss =
                    net.loss_grad(&self.theta, data, None, &mut self.grad, &mut self.scratch);
                self.batch_loss = self.loss;
            }
        }
    }

    /// One update at learning rate `lr`: θ ← step(θ, g), then the new row.
    pub fn advance(&mut self, lr: f64) -> Motion {
        self.before.copy_from_slice(&self.theta);
        // L-BFGS's line search evaluates this update's batch at its trial points (torch's
        // closure computes the loss of the batch the loop is on). The batch behind the
        // gradient now is number `updates`.
        let batch = if self.optimizer.needs_closure() {
            self.batches.as_ref().map(|b| b.batch(self.updates))
        } else {
            None
        };
        let (net, data, scratch) = (&self.problem.net, &self.problem.data, &mut self.scratch);
        let mut closure = |theta: Vec<f64>| {
            let mut g = vec![0.0; theta.len()];
            let loss = net.loss_grad(&theta, data, batch.as_deref(), &mut g, scratch);
            Some((loss, g))
        };
        let outcome = self.optimizer.step(
            &mut self.theta,
            self.batch_loss,
            &self.grad,
            lr,
            &mut closure,
        );

        let (mut d2, mut along) = (0.0, 0.0);
        for ((d, t), b) in self.delta.iter_mut().zip(&self.theta).zip(&self.before) {
            let now = t - b;
            d2 += now * now;
            along += now * *d;
            *d = now;
        }
        let turned = self.updates.gt(&0).then_some(along < 0.0);
        self.updates += 1;
        self.evaluate();
        if outcome == Outcome::Failed {
            // No next point: the run has diverged.
            self.loss = f64::NAN;
        }
        Motion {
            d2,
            turned,
            w2: dot(&self.theta, &self.theta),
            g2: dot(&self.grad, &self.grad),
            optimal: outcome == Outcome::Optimal,
        }
    }
}
