//! A setup: everything that decides a run on screen (landscape, optimizer and its settings,
//! start, step limit). The window edits one; the stepper runs it; `downhill trace` can print it.

use serde::{Deserialize, Serialize};

use crate::landscape::{Landscape, LandscapeSpec};
use crate::optim::{OptimizerKind, Vec2};
use crate::run::{Run, RunConfig, RunError};

/// The most updates a run may be given (the window's step limit).
pub const MAX_STEPS: u64 = 1_000_000;

/// Everything that decides a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Setup {
    pub landscape: LandscapeSpec,
    pub run: RunConfig,
    pub start: [f64; 2],
    /// The step limit: the run stops after this many updates.
    pub steps: u64,
}

impl Default for Setup {
    /// The classroom default: gradient descent on the elongated bowl from (3, 2), η = 0.1.
    fn default() -> Self {
        let mut run = RunConfig::new(OptimizerKind::Sgd);
        run.hyper.lr = 0.1;
        Self {
            landscape: LandscapeSpec::builtin("bowl"),
            run,
            start: [3.0, 2.0],
            steps: 1000,
        }
    }
}

/// Why a setup cannot run.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SetupError {
    #[error("{0}")]
    Landscape(#[from] crate::landscape::LandscapeError),
    #[error("{0}")]
    Run(#[from] RunError),
    #[error("the step limit must be between 1 and {MAX_STEPS}, got {0}")]
    Steps(u64),
}

impl Setup {
    pub fn start(&self) -> Vec2 {
        Vec2::new(self.start[0], self.start[1])
    }

    /// Builds the landscape and the run at row 0, or says why it cannot.
    pub fn build(&self) -> Result<(Landscape, Run), SetupError> {
        if self.steps == 0 || self.steps > MAX_STEPS {
            return Err(SetupError::Steps(self.steps));
        }
        let landscape = self.landscape.build()?;
        let run = Run::new(landscape.clone(), &self.run, self.start())?;
        Ok((landscape, run))
    }

    /// Switches the optimizer: torch's defaults for `kind`, keeping the learning rate (a class
    /// comparing optimizers compares them at the rate on screen).
    pub fn set_optimizer(&mut self, kind: OptimizerKind) {
        let lr = self.run.hyper.lr;
        self.run.optimizer = kind;
        self.run.hyper = kind.defaults();
        self.run.hyper.lr = lr;
    }

    /// Switches to a built-in landscape with its default parameters, view and start.
    pub fn set_builtin(&mut self, name: &str) -> Result<(), SetupError> {
        let l = Landscape::builtin(name)?;
        self.landscape = l.spec();
        let s = l.default_start();
        self.start = [s.x, s.y];
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_classroom_bowl() {
        let s = Setup::default();
        let (l, run) = s.build().unwrap();
        assert_eq!(l.name(), "bowl");
        assert_eq!(run.row().w, Vec2::new(3.0, 2.0));
        assert_eq!(run.lr(), 0.1);
    }

    #[test]
    fn switching_optimizer_keeps_the_learning_rate_and_takes_torch_defaults() {
        let mut s = Setup::default();
        s.run.hyper.momentum = 0.5;
        s.set_optimizer(OptimizerKind::Adam);
        assert_eq!(s.run.hyper.lr, 0.1);
        assert_eq!(s.run.hyper.beta2, 0.999);
        assert_eq!(s.run.hyper.momentum, 0.0);
    }

    #[test]
    fn bad_setups_say_why() {
        let s = Setup {
            steps: 0,
            ..Setup::default()
        };
        assert!(s.build().unwrap_err().to_string().contains("step limit"));
        let s = Setup {
            landscape: LandscapeSpec::Expr { text: "x +".into() },
            ..Setup::default()
        };
        assert!(s.build().unwrap_err().to_string().contains("column 4"));
        let mut s = Setup::default();
        s.run.hyper.lr = -1.0;
        assert!(s.build().unwrap_err().to_string().contains("learning rate"));
    }
}
