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
//! The others need the whole vector or its tensor shapes: see [`super::optimizer`].

use crate::optim::{Optimizer, Vec2};

/// One optimizer per pair of coordinates.
#[derive(Clone, Debug)]
pub struct Lanes {
    lanes: Vec<Optimizer>,
    len: usize,
}

impl Lanes {
    /// Copies of `optimizer` (fresh, at step 0, element-wise) for a vector of length `len`.
    pub fn new(optimizer: &Optimizer, len: usize) -> Self {
        Self {
            lanes: vec![optimizer.clone(); len.div_ceil(2)],
            len,
        }
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
