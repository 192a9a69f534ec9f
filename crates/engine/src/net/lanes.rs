//! An optimizer on a parameter vector of any length.
//!
//! Every element-wise optimizer of torch.optim (SGD and its momenta, AdaGrad, RMSprop, the Adam
//! family, NAdam, RAdam, Adamax, Adadelta, Rprop, ASGD) updates each coordinate from that
//! coordinate's gradient and state alone, with scalars (the step count, bias corrections, ASGD's
//! η and μ) shared by all. So θ is stepped two coordinates at a time by copies of the same
//! two-weight optimizer, one per pair: the arithmetic is exactly torch's for every coordinate,
//! and the two-weight optimizers stay as fast as they are. An odd P pads its last pair with a
//! coordinate that stays 0 (gradient 0), which touches nothing else.
//!
//! The others need the whole vector or its tensor shapes and are refused on networks, with
//! torch's reason where torch has one: L-BFGS (dot products over all of θ and a line search),
//! Adafactor (factored second moments per weight matrix), Muon (torch refuses the 1-D biases
//! of `nn.Linear`), Newton (a P×P Hessian).

use crate::optim::{Optimizer, OptimizerKind, Vec2};

/// One optimizer per pair of coordinates.
#[derive(Clone, Debug)]
pub struct Lanes {
    lanes: Vec<Optimizer>,
    len: usize,
}

/// Why `kind` cannot train a network, or `None` when it can.
pub fn unsupported(kind: OptimizerKind) -> Option<&'static str> {
    match kind.info().name {
        "lbfgs" => Some(
            "L-BFGS works on the whole parameter vector at once (dot products and a line \
             search); downhill runs it on two-weight landscapes only",
        ),
        "adafactor" => Some(
            "Adafactor factors each weight matrix's second moments; downhill runs it on \
             two-weight landscapes only",
        ),
        "muon" => Some("Muon needs 2-D parameters, and torch refuses a network's 1-D biases"),
        "newton" => {
            Some("Newton's method needs the P×P Hessian, which downhill does not form for networks")
        }
        _ => None,
    }
}

/// A learning rate at which `kind` trains the window's default network (2-8-8-1 tanh, bce, the
/// 200-point circle, θ₀ from seed 0) well, full batch: measured with `downhill trace --net`,
/// the loss falls from 0.71 below 0.05 within 200 updates with at most a few small rises.
/// `None` for the optimizers that cannot train a network.
pub fn suggested_lr(kind: OptimizerKind) -> Option<f64> {
    if unsupported(kind).is_some() {
        return None;
    }
    Some(match kind.info().name {
        "sgd" | "asgd" | "adadelta" => 1.0,
        "momentum" | "nesterov" | "adagrad" => 0.1,
        "rmsprop" | "rprop" => 0.01,
        _ => 0.03,
    })
}

impl Lanes {
    /// Copies of `optimizer` (fresh, at step 0) for a vector of length `len`.
    pub fn new(optimizer: &Optimizer, kind: OptimizerKind, len: usize) -> Result<Self, String> {
        if let Some(why) = unsupported(kind) {
            return Err(format!(
                "{} cannot train a network: {why}",
                kind.info().name
            ));
        }
        Ok(Self {
            lanes: vec![optimizer.clone(); len.div_ceil(2)],
            len,
        })
    }

    /// One update of `theta` with `grad` at learning rate `lr`, in place.
    #[inline]
    pub fn step(&mut self, theta: &mut [f64], grad: &[f64], lr: f64) {
        debug_assert_eq!(theta.len(), self.len);
        let pairs = self.len / 2;
        for (k, o) in self.lanes.iter_mut().enumerate() {
            let i = 2 * k;
            if k < pairs {
                let w = o.step(
                    Vec2::new(theta[i], theta[i + 1]),
                    Vec2::new(grad[i], grad[i + 1]),
                    lr,
                );
                theta[i] = w.x;
                theta[i + 1] = w.y;
            } else {
                let w = o.step(Vec2::new(theta[i], 0.0), Vec2::new(grad[i], 0.0), lr);
                theta[i] = w.x;
            }
        }
    }

    /// The first pair's optimizer (its state is what the step arithmetic shows for p0, p1).
    pub fn first(&self) -> Option<&Optimizer> {
        self.lanes.first()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::{NetSetup, NetTrain};

    /// Every suggested rate trains the default network: the loss halves within 150 updates and
    /// ends below 0.1.
    #[test]
    fn the_suggested_rates_train_the_default_network() {
        let problem = std::sync::Arc::new(NetSetup::default().problem().unwrap());
        for kind in OptimizerKind::ALL {
            let Some(lr) = suggested_lr(kind) else {
                assert!(unsupported(kind).is_some());
                continue;
            };
            let mut hyper = kind.defaults();
            hyper.lr = lr;
            let o = Optimizer::new(kind, &hyper).unwrap();
            let mut t = NetTrain::new(problem.clone(), &o, kind, Default::default(), 0).unwrap();
            let start = t.loss;
            for _ in 0..200 {
                t.advance(lr);
            }
            assert!(
                t.loss < 0.1 && t.loss < start / 2.0,
                "{kind:?} at {lr}: {}",
                t.loss
            );
        }
    }
}
