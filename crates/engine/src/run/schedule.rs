//! Learning-rate schedules, stepped once per update as `scheduler.step()` after
//! `optimizer.step()` in a torch training loop.
//!
//! | schedule | torch | rule (e = number of scheduler steps so far) |
//! |---|---|---|
//! | constant | – | γ_e = γ |
//! | step | `StepLR(step_size, gamma)` | γ_e = γ_{e−1}·gamma when e is a multiple of step_size |
//! | exponential | `ExponentialLR(gamma)` | γ_e = γ_{e−1}·gamma |
//! | cosine | `CosineAnnealingLR(T_max, eta_min)` | γ_e = η_min + (γ − η_min)(1 + cos(πe/T_max))/2 |
//! | warmup | `LinearLR(start_factor, end_factor, total_iters)` | γ_e = γ·(start + (end − start)·min(e, total)/total) |
//!
//! Parity notes: torch computes each schedule in its recursive ("chainable") form from the
//! previous learning rate, which rounds differently from the closed forms above; [`LrSchedule`]
//! uses the recursive forms of `get_lr`, branch for branch, so the learning rates are torch's.

use serde::{Deserialize, Serialize};

/// A schedule and its parameters, with torch's names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Schedule {
    /// The learning rate never changes.
    #[default]
    Constant,
    /// `StepLR`: multiply by `gamma` every `step_size` updates.
    Step { step_size: u64, gamma: f64 },
    /// `ExponentialLR`: multiply by `gamma` after every update.
    Exponential { gamma: f64 },
    /// `CosineAnnealingLR`: a half cosine from the base rate down to `eta_min` over `t_max`
    /// updates (and back up over the next `t_max`).
    Cosine { t_max: u64, eta_min: f64 },
    /// `LinearLR`: a linear warm-up from `start_factor`·γ to `end_factor`·γ over `total_iters`.
    Warmup {
        start_factor: f64,
        end_factor: f64,
        total_iters: u64,
    },
}

/// The names on the command line.
pub const SCHEDULE_NAMES: [&str; 5] = ["constant", "step", "exponential", "cosine", "warmup"];

impl Schedule {
    /// The command-line name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Constant => "constant",
            Self::Step { .. } => "step",
            Self::Exponential { .. } => "exponential",
            Self::Cosine { .. } => "cosine",
            Self::Warmup { .. } => "warmup",
        }
    }

    /// The schedule `name` with its default parameters; cosine anneals over `steps` updates.
    pub fn with_defaults(name: &str, steps: u64) -> Option<Self> {
        Some(match name {
            "constant" => Self::Constant,
            "step" => Self::Step {
                step_size: 10,
                gamma: 0.1,
            },
            "exponential" => Self::Exponential { gamma: 0.95 },
            "cosine" => Self::Cosine {
                t_max: steps.max(1),
                eta_min: 0.0,
            },
            "warmup" => Self::Warmup {
                start_factor: 1.0 / 3.0,
                end_factor: 1.0,
                total_iters: 5,
            },
            _ => return None,
        })
    }

    /// torch's checks (StepLR's step_size and CosineAnnealingLR's T_max must be at least 1 to
    /// mean anything; LinearLR's factors as torch checks them), plus finiteness.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        let err = |m: String| Err(ScheduleError(m));
        match *self {
            Self::Constant => Ok(()),
            Self::Step { step_size, gamma } => {
                if step_size == 0 {
                    return err("step_size must be at least 1".into());
                }
                check_gamma(gamma)
            }
            Self::Exponential { gamma } => check_gamma(gamma),
            Self::Cosine { t_max, eta_min } => {
                if t_max == 0 {
                    return err("T_max must be at least 1".into());
                }
                if !eta_min.is_finite() {
                    return err(format!("eta_min must be a finite number, got {eta_min}"));
                }
                // A negative floor would anneal the rate below zero, as --lr -1 would set it.
                if eta_min < 0.0 {
                    return err(format!("eta_min must not be negative, got {eta_min}"));
                }
                Ok(())
            }
            Self::Warmup {
                start_factor,
                end_factor,
                total_iters: _,
            } => {
                if !(start_factor > 0.0 && start_factor <= 1.0) {
                    return err(format!(
                        "start_factor must be greater than 0 and at most 1, got {start_factor}"
                    ));
                }
                if !(0.0..=1.0).contains(&end_factor) {
                    return err(format!(
                        "end_factor must be between 0 and 1, got {end_factor}"
                    ));
                }
                Ok(())
            }
        }
    }
}

/// gamma must be finite and not negative: a negative factor would flip the rate's sign every
/// time it applies (a negative rate climbs), as `--lr -1` would.
fn check_gamma(gamma: f64) -> Result<(), ScheduleError> {
    if !gamma.is_finite() {
        Err(ScheduleError(format!(
            "gamma must be a finite number, got {gamma}"
        )))
    } else if gamma < 0.0 {
        Err(ScheduleError(format!(
            "gamma must not be negative, got {gamma}"
        )))
    } else {
        Ok(())
    }
}

/// A schedule parameter torch would refuse.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct ScheduleError(pub String);

/// A schedule in progress: the learning rate for the next update.
#[derive(Clone, Debug, PartialEq)]
pub struct LrSchedule {
    schedule: Schedule,
    base_lr: f64,
    lr: f64,
    /// torch's `last_epoch`: scheduler steps taken.
    last_epoch: u64,
}

impl LrSchedule {
    /// The schedule at its start (torch's constructor takes the initial step, `last_epoch = 0`).
    pub fn new(schedule: Schedule, base_lr: f64) -> Result<Self, ScheduleError> {
        schedule.validate()?;
        let lr = match schedule {
            Schedule::Warmup { start_factor, .. } => base_lr * start_factor,
            Schedule::Constant
            | Schedule::Step { .. }
            | Schedule::Exponential { .. }
            | Schedule::Cosine { .. } => base_lr,
        };
        Ok(Self {
            schedule,
            base_lr,
            lr,
            last_epoch: 0,
        })
    }

    /// The learning rate the next update uses.
    #[inline]
    pub fn lr(&self) -> f64 {
        self.lr
    }

    /// `scheduler.step()`: moves to the next update's learning rate (torch's `get_lr`).
    ///
    /// A constant rate (most runs) costs a count and a test, inlined into every run's loop;
    /// the schedules' arithmetic is kept out of line so it does not weigh on that loop.
    #[inline(always)]
    pub fn advance(&mut self) {
        self.last_epoch += 1;
        if !matches!(self.schedule, Schedule::Constant) {
            self.lr = self.scheduled_lr();
        }
    }

    /// The next learning rate of a schedule that changes it, at `last_epoch` (already counted).
    #[inline(never)]
    fn scheduled_lr(&self) -> f64 {
        let e = self.last_epoch;
        let lr = self.lr;
        match self.schedule {
            Schedule::Constant => lr,
            Schedule::Step { step_size, gamma } => {
                if e.is_multiple_of(step_size) {
                    lr * gamma
                } else {
                    lr
                }
            }
            Schedule::Exponential { gamma } => lr * gamma,
            Schedule::Cosine { t_max, eta_min } => {
                let (ef, t) = (e as f64, t_max as f64);
                let pi = std::f64::consts::PI;
                if (e as i128 - 1 - t_max as i128).rem_euclid(2 * t_max as i128) == 0 {
                    lr + (self.base_lr - eta_min) * (1.0 - (pi / t).cos()) / 2.0
                } else {
                    (1.0 + (pi * ef / t).cos()) / (1.0 + (pi * (ef - 1.0) / t).cos())
                        * (lr - eta_min)
                        + eta_min
                }
            }
            Schedule::Warmup {
                start_factor,
                end_factor,
                total_iters,
            } => {
                if e > total_iters {
                    lr
                } else {
                    lr * (1.0
                        + (end_factor - start_factor)
                            / (total_iters as f64 * start_factor
                                + (e as f64 - 1.0) * (end_factor - start_factor)))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lrs(schedule: Schedule, base: f64, n: usize) -> Vec<f64> {
        let mut s = LrSchedule::new(schedule, base).unwrap();
        (0..n)
            .map(|_| {
                let lr = s.lr();
                s.advance();
                lr
            })
            .collect()
    }

    #[test]
    fn step_decay_multiplies_every_step_size_updates() {
        let v = lrs(
            Schedule::Step {
                step_size: 2,
                gamma: 0.5,
            },
            1.0,
            6,
        );
        assert_eq!(v, [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]);
    }

    #[test]
    fn exponential_decays_every_update() {
        let v = lrs(Schedule::Exponential { gamma: 0.5 }, 1.0, 4);
        assert_eq!(v, [1.0, 0.5, 0.25, 0.125]);
    }

    #[test]
    fn cosine_follows_the_closed_form_and_comes_back_up() {
        let (t_max, eta_min) = (10, 0.1);
        let v = lrs(Schedule::Cosine { t_max, eta_min }, 1.0, 21);
        for (e, lr) in v.iter().enumerate() {
            let closed = eta_min
                + (1.0 - eta_min) * (1.0 + (std::f64::consts::PI * e as f64 / 10.0).cos()) / 2.0;
            assert!((lr - closed).abs() < 1e-12, "epoch {e}: {lr} vs {closed}");
        }
        assert!((v[10] - 0.1).abs() < 1e-12);
        assert!((v[20] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn warmup_rises_linearly_then_holds() {
        let v = lrs(
            Schedule::Warmup {
                start_factor: 0.25,
                end_factor: 1.0,
                total_iters: 3,
            },
            0.4,
            6,
        );
        let want = [0.1, 0.2, 0.3, 0.4, 0.4, 0.4];
        for (a, b) in v.iter().zip(want) {
            assert!((a - b).abs() < 1e-15, "{v:?}");
        }
    }

    #[test]
    fn torch_checks() {
        assert!(
            LrSchedule::new(
                Schedule::Step {
                    step_size: 0,
                    gamma: 0.1
                },
                1.0
            )
            .is_err()
        );
        assert!(
            LrSchedule::new(
                Schedule::Cosine {
                    t_max: 0,
                    eta_min: 0.0
                },
                1.0
            )
            .is_err()
        );
        let bad = Schedule::Warmup {
            start_factor: 0.0,
            end_factor: 1.0,
            total_iters: 5,
        };
        assert!(LrSchedule::new(bad, 1.0).is_err());
        assert!(LrSchedule::new(Schedule::Exponential { gamma: f64::NAN }, 1.0).is_err());
        // torch accepts LinearLR(total_iters=0): the rate stays at start_factor·γ.
        let flat = Schedule::Warmup {
            start_factor: 0.5,
            end_factor: 1.0,
            total_iters: 0,
        };
        assert_eq!(lrs(flat, 1.0, 3), [0.5, 0.5, 0.5]);
    }
}
