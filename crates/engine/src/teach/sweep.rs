//! The learning-rate sweep: the same landscape, optimizer and start run for N steps at many
//! learning rates (log-spaced), each ending in a status (converging, oscillating, diverging, …)
//! and a manner (smooth or zig-zag). Plotted as
//! final loss against learning rate, it shows at a glance the band of rates that work, and for
//! plain gradient descent how that band ends at 1/λ_max (zig-zag) and 2/λ_max (blow-up).

use std::sync::Arc;

use crate::geometry::Vec2;
use crate::landscape::Landscape;
use crate::progress::Progress;
use crate::run::{Manner, Run, RunConfig, Status};

/// What to sweep.
#[derive(Clone, Debug)]
pub struct SweepRequest {
    pub landscape: Arc<Landscape>,
    /// The run whose learning rate is swept (its schedule scales each rate as usual).
    pub config: RunConfig,
    pub start: Vec2,
    /// Updates per learning rate.
    pub steps: u64,
    /// The lowest and highest learning rate.
    pub range: (f64, f64),
    /// How many learning rates, log-spaced over `range`.
    pub points: usize,
}

/// Where one learning rate ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepPoint {
    pub lr: f64,
    /// The loss at the last row (after `steps` updates, or where the run stopped).
    pub loss: f64,
    pub status: Status,
    /// Whether the path zig-zagged on the way.
    pub manner: Manner,
    /// Updates actually taken (fewer when it diverged or left the domain).
    pub steps_run: u64,
}

/// A finished sweep.
#[derive(Clone, Debug)]
pub struct Sweep {
    pub id: u64,
    pub request: SweepRequest,
    pub points: Vec<SweepPoint>,
}

/// `n` learning rates log-spaced from `lo` to `hi` inclusive.
pub fn log_space(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let (a, b) = (lo.log10(), hi.log10());
    match n {
        0 => Vec::new(),
        1 => vec![lo],
        _ => (0..n)
            .map(|i| 10f64.powf(a + (b - a) * i as f64 / (n - 1) as f64))
            .collect(),
    }
}

/// Runs the sweep on the calling thread, reporting progress; `None` if cancelled. Rates the
/// optimizer refuses are left out.
pub fn sweep(id: u64, req: SweepRequest, progress: &Progress) -> Option<Sweep> {
    let lrs = log_space(req.range.0, req.range.1, req.points);
    let mut points = Vec::with_capacity(lrs.len());
    // Progress counts updates: a network's rate can take seconds, and the bar moves within it.
    let total = lrs.len() as u64 * req.steps.max(1);
    // Long sweeps look at the cancel flag between chunks of updates, of about the same work
    // whatever an update costs (a two-weight update is a few nanoseconds; a network's is a
    // pass over its data, which `picture_cost` counts).
    let chunk_len = (65_536 / req.landscape.picture_cost().max(1) as u64).max(1);
    for (i, &lr) in lrs.iter().enumerate() {
        if progress.cancelled() {
            return None;
        }
        let before = i as u64 * req.steps.max(1);
        progress.set(before, total);
        let mut config = req.config;
        config.hyper.lr = lr;
        let Ok(mut run) = Run::new(req.landscape.as_ref().clone(), &config, req.start) else {
            continue;
        };
        while run.step() < req.steps && !run.status().is_final() {
            let chunk = (req.steps - run.step()).min(chunk_len);
            for _ in 0..chunk {
                if run.advance().is_none() || run.status().is_final() {
                    break;
                }
            }
            if progress.cancelled() {
                return None;
            }
            progress.set(before + run.step(), total);
        }
        points.push(SweepPoint {
            lr,
            loss: run.row().loss,
            status: run.status(),
            manner: run.manner(),
            steps_run: run.step(),
        });
    }
    progress.set(total, total);
    Some(Sweep {
        id,
        request: req,
        points,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::OptimizerKind;

    #[test]
    fn gradient_descent_on_the_bowl_diverges_past_two_over_lambda() {
        // λ_max = 8: GD converges below η = 0.25 and diverges above it.
        let req = SweepRequest {
            landscape: Arc::new(Landscape::builtin("bowl").unwrap()),
            config: RunConfig::new(OptimizerKind::Sgd),
            start: Vec2::new(3.0, 2.0),
            steps: 200,
            range: (1e-3, 1.0),
            points: 61,
        };
        let s = sweep(1, req.clone(), &Progress::default()).unwrap();
        assert_eq!(s.points.len(), 61);
        assert_eq!(s.points[0].lr, 1e-3);
        assert!((s.points[60].lr - 1.0).abs() < 1e-12);
        for p in &s.points {
            if p.lr < 0.24 {
                assert_ne!(p.status, Status::Diverged, "{p:?}");
            }
            if p.lr > 0.26 {
                assert_eq!(p.status, Status::Diverged, "{p:?}");
            }
        }
        // Between 1/λ = 0.125 and 2/λ the w1 coordinate zig-zags on the way in, and settles.
        let short = sweep(2, SweepRequest { steps: 30, ..req }, &Progress::default()).unwrap();
        for p in &short.points {
            if p.lr > 0.128 && p.lr < 0.24 {
                assert_eq!(p.manner, Manner::ZigZag, "{p:?}");
                assert_eq!(p.status.regime(), 0, "{p:?}");
            }
            if p.lr < 0.12 {
                assert_eq!(p.manner, Manner::Smooth, "{p:?}");
            }
            if p.lr > 0.26 {
                assert_eq!(p.status.regime(), 2, "{p:?}");
            }
        }
    }

    #[test]
    fn a_network_sweep_finds_the_rates_that_train_it() {
        use crate::landscape::LandscapeSpec;
        use crate::net::NetSetup;
        use crate::run::setup::Setup;
        // The default 2-8-8-1 tanh network on the circle, GD for 40 updates at rates from
        // 1e-3 to 1e2.
        let setup = Setup {
            landscape: LandscapeSpec::Net(NetSetup::default()),
            steps: 40,
            ..Setup::default()
        };
        let landscape = Arc::new(setup.build_all().unwrap().landscape);
        let start_loss = Run::new(landscape.as_ref().clone(), setup.run(), Vec2::zeros())
            .unwrap()
            .row()
            .loss;
        let req = SweepRequest {
            landscape,
            config: RunConfig::new(OptimizerKind::Sgd),
            start: Vec2::zeros(),
            steps: 40,
            range: (1e-3, 1e2),
            points: 6,
        };
        let progress = Progress::default();
        let s = sweep(1, req, &progress).unwrap();
        assert_eq!(progress.fraction(), 1.0);
        assert_eq!(s.points.len(), 6);
        assert!(s.points.iter().all(|p| p.steps_run <= 40));
        // η = 1e-3 barely moves; η = 1 (the rate the window opens at) trains fastest of the
        // six; η = 10 and 100 throw the network far up its landscape (L ≈ 10 and 86 from 0.71).
        let (slow, good) = (s.points[0], s.points[3]);
        assert!(
            (slow.loss - start_loss).abs() < 0.01 * start_loss,
            "{slow:?}"
        );
        assert!(good.loss < 0.95 * start_loss, "{good:?} from {start_loss}");
        assert!(
            s.points[..4]
                .iter()
                .all(|p| p.loss >= good.loss && p.status.regime() == 0)
        );
        for wild in &s.points[4..] {
            assert!(
                wild.loss > 10.0 * start_loss && wild.status.regime() == 2,
                "{wild:?}"
            );
        }
    }

    #[test]
    fn log_space_ends_where_asked() {
        assert_eq!(log_space(1e-4, 10.0, 6).len(), 6);
        assert_eq!(log_space(0.5, 2.0, 1), vec![0.5]);
        assert!(log_space(1.0, 1.0, 0).is_empty());
    }
}
