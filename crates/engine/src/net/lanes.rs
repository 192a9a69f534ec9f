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
