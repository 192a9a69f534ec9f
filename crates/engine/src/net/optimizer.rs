//! The optimizer of a network's θ, as torch steps `model.parameters()`:
//!
//! - the element-wise optimizers (SGD and its momenta, AdaGrad, RMSprop, the Adam family,
//!   NAdam, RAdam, Adamax, Adadelta, Rprop, ASGD) in [`Lanes`] of two coordinates;
//! - L-BFGS on θ flattened into one vector, as `torch.optim.LBFGS` flattens the parameters,
//!   its closure (and its line search's trials) evaluated on the update's batch;
//! - Adafactor tensor by tensor: each weight matrix with factored second moments, each bias
//!   unfactored, each with its own RMS and clipping.
//!
//! Which of these an optimizer is, or why it cannot train a network (Muon: torch refuses the
//! 1-D biases of `nn.Linear`; Newton: it needs the P×P Hessian), its family says
//! ([`Family::network`](crate::optim::Family::network)).

use super::lanes::Lanes;
use super::spec::Layer;
use crate::optim::{
    AdafactorConfig, AdafactorTensor, ClosureFailed, Lbfgs, LbfgsConfig, Optimizer, OptimizerKind,
};

/// The loss and gradient of the update's batch at a trial θ (L-BFGS's closure). A network's
/// always has them: a non-finite loss is returned as it is and taken as torch takes it (the
/// line search refuses the trial); `None` is for closures that cannot evaluate at all.
pub type Closure<'a> = dyn FnMut(Vec<f64>) -> Option<(f64, Vec<f64>)> + 'a;

/// One network's optimizer with its state.
#[derive(Clone, Debug)]
pub enum NetOptimizer {
    Lanes(Lanes),
    Lbfgs(Box<Lbfgs<Vec<f64>>>),
    /// One per tensor, in θ's order, with the tensor's indices in θ.
    Adafactor(Vec<(std::ops::Range<usize>, AdafactorTensor)>),
}

/// What an update did besides moving θ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Moved,
    /// torch skipped the update as optimal (L-BFGS: max|g| ≤ tolerance_grad, or the loss no
    /// longer changes along d).
    Optimal,
    /// The closure could not evaluate a trial point (never a network's, see [`Closure`]):
    /// the run ends as diverged rather than go on from nowhere.
    Failed,
}

impl NetOptimizer {
    /// `optimizer` (fresh, at step 0, of kind `kind`) on a θ laid out as `layers`, as its
    /// family trains a network; refused with the family's reason when it cannot.
    pub fn new(
        optimizer: &Optimizer,
        kind: OptimizerKind,
        layers: &[Layer],
    ) -> Result<Self, String> {
        optimizer
            .network(layers)
            .map_err(|why| format!("{} cannot train a network: {why}", kind.info().name))
    }

    /// An element-wise optimizer on every coordinate of θ, two at a time.
    pub fn element_wise(optimizer: &Optimizer, layers: &[Layer]) -> Self {
        Self::Lanes(Lanes::new(optimizer, layers.last().map_or(0, Layer::end)))
    }

    /// L-BFGS on θ flattened into one vector, as `torch.optim.LBFGS` flattens the parameters.
    pub fn flat(config: LbfgsConfig) -> Self {
        Self::Lbfgs(Box::new(Lbfgs::new(config)))
    }

    /// Adafactor tensor by tensor in θ's order: each layer's weight matrix (fan_out × fan_in,
    /// factored), then its bias (unfactored).
    pub fn per_tensor(config: AdafactorConfig, layers: &[Layer]) -> Self {
        Self::Adafactor(
            layers
                .iter()
                .flat_map(|l| {
                    let w = l.fan_in * l.fan_out;
                    [
                        (
                            l.weights..l.bias(),
                            AdafactorTensor::new(config, w, Some((l.fan_out, l.fan_in))),
                        ),
                        (
                            l.bias()..l.end(),
                            AdafactorTensor::new(config, l.fan_out, None),
                        ),
                    ]
                })
                .collect(),
        )
    }

    /// One update of `theta`, whose batch loss and gradient are `loss` and `grad`, at learning
    /// rate `lr`, in place; `closure` evaluates the batch at L-BFGS's trial points.
    pub fn step(
        &mut self,
        theta: &mut [f64],
        loss: f64,
        grad: &[f64],
        lr: f64,
        closure: &mut Closure<'_>,
    ) -> Outcome {
        match self {
            Self::Lanes(l) => l.step(theta, grad, lr),
            Self::Lbfgs(o) => {
                match o.closure_step(theta.to_vec(), loss, grad.to_vec(), lr, closure) {
                    Ok(s) => {
                        theta.copy_from_slice(&s.w);
                        if s.optimal {
                            return Outcome::Optimal;
                        }
                    }
                    Err(ClosureFailed) => return Outcome::Failed,
                }
            }
            Self::Adafactor(tensors) => {
                for (at, o) in tensors.iter_mut() {
                    o.step(&mut theta[at.clone()], &grad[at.clone()], lr);
                }
            }
        }
        Outcome::Moved
    }

    /// Whether the update calls the closure (L-BFGS's line search).
    pub fn needs_closure(&self) -> bool {
        matches!(self, Self::Lbfgs(o) if o.config.strong_wolfe)
    }

    /// The first pair of coordinates' optimizer, for the step arithmetic of p0 and p1: only
    /// the element-wise optimizers have one (L-BFGS and Adafactor update a whole vector or a
    /// whole tensor at once).
    pub fn first(&self) -> Option<&Optimizer> {
        match self {
            Self::Lanes(l) => l.first(),
            Self::Lbfgs(_) | Self::Adafactor(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::{NetSetup, NetTrain};

    /// Every suggested rate trains the default network: the loss halves within 200 updates and
    /// ends below 0.1.
    #[test]
    fn the_suggested_rates_train_the_default_network() {
        let problem = std::sync::Arc::new(NetSetup::default().problem().unwrap());
        for kind in OptimizerKind::ALL {
            let Some(lr) = kind.net_lr() else {
                assert!(kind.network_refusal().is_some());
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

    /// Adafactor keeps a matrix's factors and a bias's vector, tensor by tensor in θ's order.
    #[test]
    fn adafactor_steps_each_tensor_with_its_own_shape() {
        let problem = NetSetup::default().problem().unwrap();
        let kind = OptimizerKind::Adafactor;
        let o = Optimizer::new(kind, &kind.defaults()).unwrap();
        let NetOptimizer::Adafactor(t) = NetOptimizer::new(&o, kind, problem.net.layers()).unwrap()
        else {
            panic!("not per tensor")
        };
        // 2-8-8-1: W1 8×2, b1, W2 8×8, b2, W3 1×8, b3.
        let shapes: Vec<_> = t
            .iter()
            .map(|(at, a)| {
                (
                    at.clone(),
                    a.row_var.len(),
                    a.col_var.len(),
                    a.variance.len(),
                )
            })
            .collect();
        assert_eq!(
            shapes,
            vec![
                (0..16, 8, 2, 0),
                (16..24, 0, 0, 8),
                (24..88, 8, 8, 0),
                (88..96, 0, 0, 8),
                (96..104, 1, 8, 0),
                (104..105, 0, 0, 1)
            ]
        );
    }
}
