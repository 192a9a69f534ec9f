//! A setup: everything that decides the runs on screen (landscape, the racing runs with their
//! optimizers and settings, the shared start, scattered starts, step limit). The window edits
//! one; the stepper runs it; `downhill trace` can print it.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use std::sync::Arc;

use crate::landscape::{Landscape, LandscapeSpec, View};
use crate::net::{NetLandscape, NetProblem, NetSetup, NetTrain, Plane};
use crate::optim::{Optimizer, OptimizerKind, Vec2};
use crate::run::schedule::LrSchedule;
use crate::run::{Run, RunConfig, RunError};

/// The most updates a run may be given (the window's step limit). Memory does not grow with
/// it: the window keeps the latest rows whole and thins older ones (see [`crate::run::path`]).
pub const MAX_STEPS: u64 = 1_000_000_000;
/// The most runs racing at once.
pub const MAX_RUNS: usize = 18;
/// The most scattered starts.
pub const MAX_SCATTER: usize = 32;

/// One racing run: its optimizer and settings, and whether it is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSpec {
    pub config: RunConfig,
    #[serde(default = "yes")]
    pub shown: bool,
}

fn yes() -> bool {
    true
}

impl RunSpec {
    pub fn new(config: RunConfig) -> Self {
        Self {
            config,
            shown: true,
        }
    }
}

/// Extra starts drawn at random (seeded) over the landscape's window, each run by every racing
/// run: where the paths end shows the basins of attraction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scatter {
    /// How many extra starts (0 = none).
    pub count: usize,
    pub seed: u64,
}

/// Everything that decides the runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "SetupText")]
pub struct Setup {
    pub landscape: LandscapeSpec,
    /// The racing runs, all from `start`, stepping in lock-step (at least one).
    pub runs: Vec<RunSpec>,
    pub start: [f64; 2],
    /// The step limit: the runs stop after this many updates.
    pub steps: u64,
    pub scatter: Scatter,
}

/// How a setup is read: also the single-run form (`"run": {…}`) of settings saved by
/// version 0.1.
#[derive(Deserialize)]
#[serde(default)]
struct SetupText {
    landscape: LandscapeSpec,
    runs: Vec<RunSpec>,
    run: Option<RunConfig>,
    start: [f64; 2],
    steps: u64,
    scatter: Scatter,
}

impl Default for SetupText {
    fn default() -> Self {
        let d = Setup::default();
        Self {
            landscape: d.landscape,
            runs: Vec::new(),
            run: None,
            start: d.start,
            steps: d.steps,
            scatter: d.scatter,
        }
    }
}

impl From<SetupText> for Setup {
    fn from(t: SetupText) -> Self {
        let mut runs = t.runs;
        if runs.is_empty() {
            runs = match t.run {
                Some(r) => vec![RunSpec::new(r)],
                None => Setup::default().runs,
            };
        }
        Self {
            landscape: t.landscape,
            runs,
            start: t.start,
            steps: t.steps,
            scatter: t.scatter,
        }
    }
}

/// A setup ready to step: the landscape, one run per racing run from the shared start, and per
/// scattered start one run per racing run.
#[derive(Clone, Debug)]
pub struct Built {
    pub landscape: Landscape,
    pub runs: Vec<Run>,
    /// (index of the racing run, the run from a scattered start).
    pub scattered: Vec<(usize, Run)>,
}

impl Default for Setup {
    /// The classroom default: gradient descent on the elongated bowl from (3, 2), η = 0.1.
    fn default() -> Self {
        let mut run = RunConfig::new(OptimizerKind::Sgd);
        run.hyper.lr = 0.1;
        Self {
            landscape: LandscapeSpec::builtin("bowl"),
            runs: vec![RunSpec::new(run)],
            start: [3.0, 2.0],
            steps: 1000,
            scatter: Scatter::default(),
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
    #[error("a setup has 1 to {MAX_RUNS} runs, got {0}")]
    Runs(usize),
    #[error("at most {MAX_SCATTER} scattered starts, got {0}")]
    Scatter(usize),
    #[error("{0}")]
    Net(String),
}

impl Setup {
    pub fn start(&self) -> Vec2 {
        Vec2::new(self.start[0], self.start[1])
    }

    /// The first run's configuration (the one `trace` prints).
    pub fn run(&self) -> &RunConfig {
        &self.runs[0].config
    }

    /// Builds the landscape, every run and every scattered run at row 0, or says why not.
    /// Scattered starts where a typed formula is undefined are left out.
    pub fn build_all(&self) -> Result<Built, SetupError> {
        let landscape = match &self.landscape {
            LandscapeSpec::Net(n) => self.net_landscape(n)?,
            spec => spec.build()?,
        };
        self.build_on(landscape)
    }

    /// As [`Self::build_all`], for checking that a setup can run: everything is built and
    /// checked as there, but a network's plane comes from at most [`CHECK_STEPS`] updates of
    /// the first run instead of a second's training (a setup text pasted into the window, or
    /// printed by `downhill setup`, is checked at once).
    pub fn build_checked(&self) -> Result<Built, SetupError> {
        let landscape = match &self.landscape {
            LandscapeSpec::Net(n) => self.net_landscape_for(n, self.steps.clamp(1, CHECK_STEPS))?,
            spec => spec.build()?,
        };
        self.build_on(landscape)
    }

    /// Whether the setup can run, or why not ([`Self::build_checked`]).
    pub fn check(&self) -> Result<(), SetupError> {
        self.build_checked().map(|_| ())
    }

    /// Whether `other` builds the same landscape as this setup: the same spec, and for a
    /// network also the same first run and step limit (its plane follows that run's path).
    pub fn same_landscape(&self, other: &Self) -> bool {
        let first = |s: &Self| s.runs.first().map(|r| r.config);
        self.landscape == other.landscape
            && (!matches!(self.landscape, LandscapeSpec::Net(_))
                || (first(self) == first(other)
                    && self.steps.min(PLANE_STEPS) == other.steps.min(PLANE_STEPS)))
    }

    /// A network's landscape: the plane of `n.plane` through the first run's path, trained
    /// for the step limit (at most [`plane_steps`] updates).
    fn net_landscape(&self, n: &NetSetup) -> Result<Landscape, SetupError> {
        self.net_landscape_for(n, PLANE_STEPS)
    }

    /// A network's landscape, its plane from at most `most` updates (and [`plane_steps`]).
    fn net_landscape_for(&self, n: &NetSetup, most: u64) -> Result<Landscape, SetupError> {
        let problem = Arc::new(n.problem().map_err(SetupError::Net)?);
        let steps = plane_steps(
            self.steps.min(most),
            problem.data.len(),
            problem.net.param_count(),
        );
        let path = net_path(&problem, self.run(), steps)?;
        let plane = Plane::new(n.plane, &problem.net, &path).map_err(SetupError::Net)?;
        Ok(Landscape::Net(Arc::new(NetLandscape {
            setup: n.clone(),
            problem,
            plane,
        })))
    }

    /// As [`Self::build_all`] on a landscape already built from `self.landscape` (a data
    /// landscape over many points is not rebuilt when only a run changed).
    pub fn build_on(&self, landscape: Landscape) -> Result<Built, SetupError> {
        if self.steps == 0 || self.steps > MAX_STEPS {
            return Err(SetupError::Steps(self.steps));
        }
        if self.runs.is_empty() || self.runs.len() > MAX_RUNS {
            return Err(SetupError::Runs(self.runs.len()));
        }
        if self.scatter.count > MAX_SCATTER {
            return Err(SetupError::Scatter(self.scatter.count));
        }
        let runs = self
            .runs
            .iter()
            .map(|r| Run::new(landscape.clone(), &r.config, self.start()))
            .collect::<Result<Vec<_>, _>>()?;
        let mut scattered = Vec::new();
        // A network starts from its θ₀: scattered starts on its plane do not apply.
        let starts = if landscape.net().is_some() {
            Vec::new()
        } else {
            scatter_starts(landscape.view(), self.scatter)
        };
        for s in starts {
            for (k, r) in self.runs.iter().enumerate() {
                if let Ok(run) = Run::new(landscape.clone(), &r.config, s) {
                    scattered.push((k, run));
                }
            }
        }
        Ok(Built {
            landscape,
            runs,
            scattered,
        })
    }

    /// Switches the optimizer: torch's defaults for `kind`, keeping the learning rate (a class
    /// comparing optimizers compares them at the rate on screen).
    pub fn set_optimizer(&mut self, run: usize, kind: OptimizerKind) {
        if let Some(r) = self.runs.get_mut(run) {
            let lr = r.config.hyper.lr;
            r.config.optimizer = kind;
            r.config.hyper = kind.defaults();
            r.config.hyper.lr = lr;
        }
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

/// The most updates of the first run a network's plane is made from: the window rebuilds
/// the plane whenever that run changes, so it must take a fraction of a second.
pub const PLANE_STEPS: u64 = 5_000;
/// The most work (points × parameters, summed over the updates) the plane's training may
/// take: about a second on one core of this project's machines (an update costs about 5 ns
/// per point and parameter: 531 µs for 1,000 points × 105), whatever the network's size.
pub const PLANE_WORK: u64 = 200_000_000;
/// The fewest updates a plane is made from, however large the network.
pub const PLANE_MIN_STEPS: u64 = 10;
/// The updates a network's plane is made from when a setup is only checked
/// ([`Setup::build_checked`]): enough for the plane's two directions.
pub const CHECK_STEPS: u64 = 2;

/// How many updates of the first run a network's plane follows: the step limit, at most
/// [`PLANE_STEPS`], and at most what [`PLANE_WORK`] allows a network of `params` parameters on
/// `points` points (but [`PLANE_MIN_STEPS`]). A 2-8-8-1 network on 200 points trains all
/// 5,000, on 1,000 points 1,904; a 2-256-256-1 on 200 points (P = 66,817) trains 14, and the
/// rest of its path is drawn projected on that plane, the panel saying how far it leaves it.
pub fn plane_steps(limit: u64, points: usize, params: usize) -> u64 {
    let per_update = (points as u64).saturating_mul(params as u64).max(1);
    limit
        .clamp(1, PLANE_STEPS)
        .min((PLANE_WORK / per_update).max(PLANE_MIN_STEPS))
}
/// The most points of that path kept for the plane (evenly spaced, both ends in).
const PLANE_POINTS: u64 = 2_048;

/// θ₀ … θ_T of `config` training `problem` for `steps` updates (fewer if it diverges), thinned
/// to at most [`PLANE_POINTS`] points with both ends kept.
pub fn net_path(
    problem: &Arc<NetProblem>,
    config: &RunConfig,
    steps: u64,
) -> Result<Vec<Vec<f64>>, SetupError> {
    let optimizer = Optimizer::new(config.optimizer, &config.hyper)
        .and_then(|o| o.with_arithmetic(config.arithmetic))
        .map_err(RunError::from)?;
    let mut schedule = LrSchedule::new(config.schedule, config.hyper.lr).map_err(RunError::from)?;
    let mut t = NetTrain::new(
        problem.clone(),
        &optimizer,
        config.optimizer,
        config.batch,
        config.noise.seed,
    )
    .map_err(SetupError::Net)?;
    let stride = steps.div_ceil(PLANE_POINTS).max(1);
    let mut path = vec![t.theta().to_vec()];
    for k in 1..=steps {
        t.advance(schedule.lr());
        schedule.advance();
        if t.is_diverged() {
            break;
        }
        if k % stride == 0 || k == steps {
            path.push(t.theta().to_vec());
        }
    }
    Ok(path)
}

/// `scatter.count` starts drawn uniformly over `view` with `scatter.seed` (Xoshiro256++): the
/// same seed gives the same starts on every machine.
pub fn scatter_starts(view: View, scatter: Scatter) -> Vec<Vec2> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(scatter.seed);
    (0..scatter.count)
        .map(|_| {
            let (u, v): (f64, f64) = (rng.random(), rng.random());
            Vec2::new(
                view.x[0] + u * (view.x[1] - view.x[0]),
                view.y[0] + v * (view.y[1] - view.y[0]),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_networks_plane_is_made_from_a_bounded_training() {
        // 2-8-8-1 (P = 105): the step limit, up to 5,000 updates.
        assert_eq!(plane_steps(300, 200, 105), 300);
        assert_eq!(plane_steps(100_000, 200, 105), PLANE_STEPS);
        assert_eq!(plane_steps(100_000, 1_000, 105), 1_904);
        // 2-256-256-1 on 200 points: about a second's work.
        assert_eq!(plane_steps(1_000, 200, 66_817), 14);
        // A million points: still a few updates.
        assert_eq!(plane_steps(1_000, 1_000_000, 66_817), PLANE_MIN_STEPS);
        assert_eq!(plane_steps(0, 10, 10), 1);
    }

    #[test]
    fn the_default_is_the_classroom_bowl() {
        let s = Setup::default();
        let b = s.build_all().unwrap();
        assert_eq!(b.landscape.name(), "bowl");
        assert_eq!(b.runs.len(), 1);
        assert_eq!(b.runs[0].row().w, Vec2::new(3.0, 2.0));
        assert_eq!(b.runs[0].lr(), 0.1);
    }

    #[test]
    fn switching_optimizer_keeps_the_learning_rate_and_takes_torch_defaults() {
        let mut s = Setup::default();
        s.runs[0].config.hyper.momentum = 0.5;
        s.set_optimizer(0, OptimizerKind::Adam);
        assert_eq!(s.run().hyper.lr, 0.1);
        assert_eq!(s.run().hyper.beta2, 0.999);
        assert_eq!(s.run().hyper.momentum, 0.0);
    }

    #[test]
    fn bad_setups_say_why() {
        let s = Setup {
            steps: 0,
            ..Setup::default()
        };
        assert!(
            s.build_all()
                .unwrap_err()
                .to_string()
                .contains("step limit")
        );
        let s = Setup {
            landscape: LandscapeSpec::Expr { text: "x +".into() },
            ..Setup::default()
        };
        assert!(s.build_all().unwrap_err().to_string().contains("column 4"));
        let mut s = Setup::default();
        s.runs[0].config.hyper.lr = -1.0;
        assert!(
            s.build_all()
                .unwrap_err()
                .to_string()
                .contains("learning rate")
        );
        let s = Setup {
            runs: Vec::new(),
            ..Setup::default()
        };
        assert!(
            s.build_all()
                .unwrap_err()
                .to_string()
                .contains("1 to 18 runs")
        );
    }

    #[test]
    fn old_single_run_setups_still_read() {
        let s: Setup = serde_json::from_str(
            r#"{"landscape": {"builtin": {"name": "bowl"}}, "run": {"optimizer": "adam", "hyper": {"lr": 0.05}}, "start": [1.0, 2.0], "steps": 50}"#,
        )
        .unwrap();
        assert_eq!(s.runs.len(), 1);
        assert_eq!(s.run().optimizer, OptimizerKind::Adam);
        assert_eq!(s.run().hyper.lr, 0.05);
        assert_eq!(s.run().hyper.beta1, 0.9);
        let back: Setup = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn scattered_starts_are_seeded_and_inside_the_view() {
        let view = Landscape::builtin("himmelblau").unwrap().view();
        let sc = Scatter { count: 20, seed: 7 };
        let a = scatter_starts(view, sc);
        assert_eq!(a, scatter_starts(view, sc));
        assert_ne!(a, scatter_starts(view, Scatter { count: 20, seed: 8 }));
        assert!(a.iter().all(|p| view.x[0] <= p.x && p.x <= view.x[1]));
        let mut s = Setup {
            scatter: sc,
            ..Setup::default()
        };
        s.runs.push(s.runs[0]);
        assert_eq!(s.build_all().unwrap().scattered.len(), 40);
    }
}
