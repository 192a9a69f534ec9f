//! What every optimizer family implements: [`Family`].
//!
//! A family is one file of `optim/` (SGD with its momenta, Adam with AdamW and AMSGrad, L-BFGS,
//! …): a configuration with torch's names, a state with torch's names, and this trait, which
//! says how it updates a point, what it needs from the run to do so, what it carries from step
//! to step, which arithmetic it can compute with, how it trains a network's θ and how its update
//! is written out ([`Explain`], in `teach/explain/`, one file per family beside this one). The
//! table in `optim/mod.rs` lists the families once and generates [`Optimizer`] and its dispatch
//! from it: adding a family is its file and one line there.

use nalgebra::Matrix2;

use super::{Arithmetic, ClosureFailed, ClosureStep, OptimError, Optimizer, Singular, Vec2};
use crate::net::optimizer::NetOptimizer;
use crate::net::spec::Layer;
use crate::teach::explain::Explain;

/// What an update needs from the run besides the point and its gradient there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    /// The gradient alone: a first-order optimizer, stepped by [`Family::step`].
    Gradient,
    /// The Hessian at the point too (Newton's method), given to [`Family::step_with_hessian`];
    /// a run computes it only for these, so first-order runs pay nothing for it.
    Hessian,
    /// The landscape itself, evaluated at trial points (L-BFGS's closure and line search),
    /// given to [`Family::step_with_closure`].
    Closure,
}

/// A family that cannot train a network, and why (in a sentence a user reads on hover).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{why}")]
pub struct NetRefused {
    pub why: &'static str,
}

/// An optimizer family: its update rule with torch's roundings, and what it tells about it.
pub trait Family: Clone + std::fmt::Debug + PartialEq + Into<Optimizer> + Explain {
    /// What an update needs from the run. A run asks the Hessian or the closure only of the
    /// families that need them.
    const NEEDS: Needs = Needs::Gradient;

    /// One update from `w` with gradient `grad` at learning rate `lr`: the new point. A
    /// family that [`NEEDS`](Self::NEEDS) more than the gradient returns a NaN point here,
    /// which a run would read as diverged (runs step those with the methods below).
    fn step(&mut self, w: Vec2, grad: Vec2, lr: f64) -> Vec2;

    /// One update given the Hessian at `w` (`None` where it is undefined): [`Singular`] when
    /// it cannot be solved with, the point staying where it is. First-order families ignore
    /// it.
    #[inline(always)]
    fn step_with_hessian(
        &mut self,
        w: Vec2,
        grad: Vec2,
        hessian: Option<&Matrix2<f64>>,
        lr: f64,
    ) -> Result<Vec2, Singular> {
        let _ = hessian;
        Ok(self.step(w, grad, lr))
    }

    /// One `step(closure)` as torch's L-BFGS takes it: `loss` and `grad` are the closure's
    /// value at `w` (the row's), and `closure` gives the loss and gradient anywhere else
    /// (`None` where the landscape is undefined, which fails the step with
    /// [`ClosureFailed`]). The outcome says whether torch found the point optimal and left
    /// it. Other families take their plain [`step`](Self::step).
    #[inline(always)]
    fn step_with_closure(
        &mut self,
        w: Vec2,
        loss: f64,
        grad: Vec2,
        lr: f64,
        closure: &mut dyn FnMut(Vec2) -> Option<(f64, Vec2)>,
    ) -> Result<ClosureStep, ClosureFailed> {
        let _ = (loss, closure);
        Ok(ClosureStep {
            w: self.step(w, grad, lr),
            optimal: false,
        })
    }

    /// The direction the optimizer carries from step to step, for drawing (a momentum
    /// buffer, a first moment, L-BFGS's direction); `None` for those that carry none.
    fn velocity(&self) -> Option<Vec2> {
        None
    }

    /// Computes the updates with arithmetic `a` from now on. The course's code writes out
    /// SGD, AdaGrad, RMSprop and Adam, which accept both; the others compute as torch does
    /// only, and asking for them as written is refused rather than ignored.
    fn set_arithmetic(&mut self, a: Arithmetic) -> Result<(), OptimError> {
        if a == Arithmetic::Torch {
            Ok(())
        } else {
            Err(OptimError(
                "arithmetic as written is for SGD, momentum, AdaGrad, RMSprop and the Adam \
                 family; this optimizer computes as torch does"
                    .into(),
            ))
        }
    }

    /// The next point depends on the current point and gradient alone (plain gradient
    /// descent, no momentum): a run at a constant rate without noise may then copy a fixed
    /// point instead of computing it again.
    fn is_stateless(&self) -> bool {
        false
    }

    /// How this optimizer (fresh, at step 0) trains a network whose θ is laid out as
    /// `layers`, as torch steps `model.parameters()`. By default element by element, as
    /// torch's element-wise optimizers update each coordinate from its own gradient and state.
    fn network(&self, layers: &[Layer]) -> Result<NetOptimizer, NetRefused> {
        Ok(NetOptimizer::element_wise(&self.clone().into(), layers))
    }
}
