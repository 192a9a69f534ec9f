//! From flags to runs: `trace`'s and `render`'s flags over a preset over torch's defaults, or
//! a setup text on its own.

use downhill_engine::data::{BatchOrder, BatchSpec, DataSource, Model};
use downhill_engine::geometry::View;
use downhill_engine::landscape::{Landscape, LandscapeSpec};
use downhill_engine::net::spec::parse_hidden;
use downhill_engine::net::{Init, NetDataSource, NetLoss, NetSetup};
use downhill_engine::optim::{HyperPatch, OptimizerKind, Vec2};
use downhill_engine::run::RunConfig;
use downhill_engine::run::noise::NoiseSpec;
use downhill_engine::run::schedule::{SCHEDULE_NAMES, Schedule};
use downhill_engine::run::setup::{RunSpec, Setup};
use downhill_engine::teach::preset;

use super::args::TraceArgs;

/// The setup given by `--setup TEXT` or `--setup-file FILE`, if any.
pub(crate) fn shared_setup(
    text: Option<&str>,
    file: Option<&std::path::Path>,
) -> Result<Option<downhill_engine::run::share::Shared>, String> {
    match (text, file) {
        (Some(t), _) => downhill_engine::run::share::Shared::from_text(t)
            .map(Some)
            .map_err(|e| e.to_string()),
        (None, Some(f)) => downhill_engine::run::share::Shared::from_file(f).map(Some),
        (None, None) => Ok(None),
    }
}

/// `--data`: a file, or a shipped data set's name when no such file exists. (A file's labels are
/// checked for a logistic model as it is read, with their line numbers.)
fn data_source(path: &std::path::Path, model: Option<Model>) -> Result<DataSource, String> {
    if !path.exists()
        && let Some(s) = downhill_engine::data::SHIPPED
            .iter()
            .find(|s| std::path::Path::new(s.name) == path)
    {
        return Ok(DataSource::Shipped {
            name: s.name.to_owned(),
        });
    }
    DataSource::from_file(path, model.unwrap_or_default())
}

/// A run fully resolved from flags, preset and defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub landscape: Landscape,
    pub config: RunConfig,
    pub start: Vec2,
    pub steps: u64,
}

/// A flag that may be given once per run, whatever its values' type.
trait Repeated {
    fn count(&self) -> usize;
    /// Keeps only value `k`.
    fn keep(&mut self, k: usize);
}

impl<T: Copy> Repeated for Vec<T> {
    fn count(&self) -> usize {
        self.len()
    }

    fn keep(&mut self, k: usize) {
        *self = vec![self[k]];
    }
}

/// The one value of a flag given at most once.
fn one<T: Copy>(v: &[T]) -> Option<T> {
    v.first().copied()
}

impl TraceArgs {
    /// The flags that may be repeated (one value per run), by name: the optimizer, every
    /// hyper-parameter of the table (a switch is given at most once), the noise and its seed.
    fn repeatable(&mut self) -> Vec<(&'static str, &mut dyn Repeated)> {
        let mut flags: Vec<(&'static str, &mut dyn Repeated)> =
            vec![("--optimizer", &mut self.optimizer)];
        for (flag, values) in self.hyper.each_mut() {
            flags.push((flag, values));
        }
        flags.push(("--noise", &mut self.noise));
        flags.push(("--seed", &mut self.seed));
        flags
    }

    /// The number of runs: how often `--optimizer` is given (at least one).
    pub fn run_count(&self) -> usize {
        self.optimizer.len().max(1)
    }

    /// The flags of run `k` of `n`: a flag given once applies to every run, a flag given `n`
    /// times gives run k its k-th value; any other count is an error.
    pub fn for_run(&self, k: usize, n: usize) -> Result<Self, String> {
        let mut out = self.clone();
        for (name, flag) in out.repeatable() {
            let len = flag.count();
            if len > 1 && len != n {
                return Err(format!(
                    "{name} is given {len} times for {n} runs: give it once (for every run) or \
                     once per --optimizer"
                ));
            }
            if len == n && n > 1 {
                flag.keep(k);
            }
        }
        Ok(out)
    }

    /// The hyper-parameters these flags set.
    fn hyper_patch(&self) -> HyperPatch {
        self.hyper.patch()
    }

    /// Resolves the run: a setup text on its own, or flags over the preset over the defaults.
    pub fn resolve(&self) -> Result<Resolved, String> {
        let mut me = self.clone();
        for (name, flag) in me.repeatable() {
            if flag.count() > 1 {
                return Err(format!(
                    "{name} is given {} times: trace prints one run (render draws several)",
                    flag.count()
                ));
            }
        }
        if let Some(shared) = shared_setup(self.setup.as_deref(), self.setup_file.as_deref())? {
            return self.resolve_setup(&shared.setup, self.run.unwrap_or(1));
        }
        if self.run.is_some() {
            return Err("--run picks a run of a setup: give --setup TEXT or --setup-file".into());
        }
        let preset = self.preset.as_deref().map(preset::find).transpose()?;

        let spec = if self.net {
            // A network preset is the base its --net flags change (--init-seed 1, …).
            let base = preset.and_then(|p| match &p.landscape {
                LandscapeSpec::Net(n) => Some(n),
                _ => None,
            });
            LandscapeSpec::Net(self.net_setup(base)?)
        } else if let Some(file) = &self.data {
            let data = data_source(file, self.model)?;
            // A shipped set is fitted with its own model unless --model says otherwise.
            let model = self.model.unwrap_or(match &data {
                DataSource::Shipped { name } => downhill_engine::data::SHIPPED
                    .iter()
                    .find(|s| s.name == name)
                    .map_or(Model::default(), |s| s.model),
                _ => Model::default(),
            });
            LandscapeSpec::Data {
                data,
                model,
                standardize: self.standardize,
            }
        } else if let Some(text) = &self.expr {
            LandscapeSpec::Expr { text: text.clone() }
        } else if let Some(name) = &self.landscape {
            LandscapeSpec::builtin(name)
        } else if let Some(p) = preset {
            p.landscape.clone()
        } else {
            LandscapeSpec::builtin("bowl")
        };
        let spec = match spec {
            LandscapeSpec::Net(n) => LandscapeSpec::Net(n),
            LandscapeSpec::Builtin { name, mut params } => {
                params.extend(self.params.iter().cloned());
                LandscapeSpec::Builtin { name, params }
            }
            LandscapeSpec::Expr { text } if self.params.is_empty() => LandscapeSpec::Expr { text },
            LandscapeSpec::Expr { .. } => {
                return Err(downhill_engine::landscape::LandscapeError::ParamsOnExpr.to_string());
            }
            LandscapeSpec::Data { .. } if !self.params.is_empty() => {
                return Err("--param sets a built-in's shape; a data landscape has none".into());
            }
            // A preset on data takes --model and --standardize over its own.
            LandscapeSpec::Data {
                data,
                model,
                standardize,
            } => LandscapeSpec::Data {
                data,
                model: self.model.unwrap_or(model),
                standardize: standardize || self.standardize,
            },
        };
        if !matches!(spec, LandscapeSpec::Data { .. } | LandscapeSpec::Net(_)) {
            let data_only = [
                ("--model", self.model.is_some()),
                ("--batch-size", self.batch_size.is_some()),
                ("--batch-order", self.batch_order.is_some()),
                ("--standardize", self.standardize),
            ];
            if let Some((flag, _)) = data_only.iter().find(|(_, given)| *given) {
                return Err(format!(
                    "{flag} applies to a data landscape: give --data FILE (or a shipped data \
                     set's name, see downhill list)"
                ));
            }
        }
        // A network's landscape is built below, with its first run (the plane follows its path).
        let built = match &spec {
            LandscapeSpec::Net(_) => None,
            spec => Some(spec.build().map_err(|e| e.to_string())?),
        };

        let kind = one(&self.optimizer)
            .or(preset.map(|p| p.run.optimizer))
            .unwrap_or(OptimizerKind::Sgd);
        // A preset's settings carry over to another optimizer only where they apply to it.
        let base = preset.map_or_else(HyperPatch::default, |p| p.run.hyper.restricted_to(kind));
        let hyper = base
            .then(&self.hyper_patch())
            .apply(kind)
            .map_err(|e| e.to_string())?;

        let steps = self.steps.or(preset.map(|p| p.steps)).unwrap_or(100);
        let start = self
            .start
            .or(preset.map(|p| Vec2::new(p.start[0], p.start[1])))
            .unwrap_or_else(|| {
                built
                    .as_ref()
                    .map_or(Vec2::zeros(), Landscape::default_start)
            });
        let schedule = self.schedule(preset.map(|p| p.run.schedule), steps)?;
        let preset_noise = preset.map(|p| p.run.noise).unwrap_or_default();
        let preset_batch = preset.map(|p| p.run.batch).unwrap_or_default();
        let batch = BatchSpec {
            size: match self.batch_size {
                Some(0) => return Err("--batch-size must be at least 1".into()),
                Some(b) => b,
                None => preset_batch.size,
            },
            order: self.batch_order.unwrap_or(preset_batch.order),
        };
        let shuffled = match &built {
            Some(l) => l.data().is_some_and(|d| !batch.is_full(d.len())),
            None => batch.size > 0,
        } && batch.order == BatchOrder::Shuffle;
        if !self.seed.is_empty() && self.noise.is_empty() && preset_noise.std == 0.0 && !shuffled {
            return Err(if self.data.is_some() {
                "--seed has no effect without --noise STD or shuffled mini-batches \
                 (--batch-size B smaller than the data)"
                    .into()
            } else {
                "--seed has no effect without --noise STD".into()
            });
        }
        let noise = NoiseSpec {
            std: one(&self.noise).unwrap_or(preset_noise.std),
            seed: one(&self.seed).unwrap_or(preset_noise.seed),
        };
        let config = RunConfig {
            optimizer: kind,
            hyper,
            schedule,
            noise,
            batch,
            arithmetic: self
                .arithmetic
                .or(preset.map(|p| p.run.arithmetic))
                .unwrap_or_default(),
        };
        let landscape = match built {
            Some(l) => l,
            None => self.landscape_of(&Setup {
                landscape: spec,
                runs: vec![RunSpec::new(config)],
                start: [start.x, start.y],
                steps,
                scatter: Default::default(),
            })?,
        };
        Ok(Resolved {
            landscape,
            config,
            start,
            steps,
        })
    }

    /// The landscape `setup` builds: whole, or only checked when `check_only` (a network's
    /// plane is then not trained for, see [`Setup::build_checked`]).
    fn landscape_of(&self, setup: &Setup) -> Result<Landscape, String> {
        let built = if self.check_only {
            setup.build_checked()
        } else {
            setup.build_all()
        };
        built.map(|b| b.landscape).map_err(|e| e.to_string())
    }

    /// Every run the flags (or a setup text) give, as `render` draws them and `setup` writes
    /// them: `--optimizer` may be given several times, one run each; and the setup's window.
    pub fn resolve_all(&self) -> Result<(Vec<Resolved>, Option<View>), String> {
        let mut resolved = Vec::new();
        match shared_setup(self.setup.as_deref(), self.setup_file.as_deref())? {
            Some(sh) => {
                // Every run of the setup, which is read once.
                for k in 1..=sh.setup.runs.len() as u64 {
                    resolved.push(self.resolve_setup(&sh.setup, k)?);
                }
                Ok((resolved, sh.view))
            }
            None => {
                let n = self.run_count();
                for k in 0..n {
                    resolved.push(self.for_run(k, n)?.resolve()?);
                }
                Ok((resolved, None))
            }
        }
    }

    /// Run `k` (1 = the first) of a setup; the setup replaces every run flag.
    pub(crate) fn resolve_setup(
        &self,
        setup: &downhill_engine::run::setup::Setup,
        k: u64,
    ) -> Result<Resolved, String> {
        let flags = self.landscape.is_some()
            || self.expr.is_some()
            || self.preset.is_some()
            || !self.params.is_empty()
            || !self.optimizer.is_empty()
            || !self.hyper_patch().set_params().is_empty()
            || self.start.is_some()
            || self.steps.is_some()
            || !self.noise.is_empty()
            || !self.seed.is_empty()
            || self.schedule.is_some()
            || self.data.is_some()
            || self.batch_size.is_some()
            || self.batch_order.is_some()
            || self.arithmetic.is_some()
            || self.standardize
            || self.net;
        if flags {
            return Err(
                "--setup replaces the run flags (landscape, optimizer, start, steps, …): give \
                 only --run K and --format"
                    .into(),
            );
        }
        let n = setup.runs.len() as u64;
        if k == 0 || k > n {
            return Err(format!("--run {k}: the setup has runs 1 to {n}"));
        }
        let landscape = match &setup.landscape {
            // Its plane follows the setup's first run.
            LandscapeSpec::Net(_) => self.landscape_of(setup)?,
            spec => spec.build().map_err(|e| e.to_string())?,
        };
        Ok(Resolved {
            landscape,
            config: setup.runs[(k - 1) as usize].config,
            start: setup.start(),
            steps: setup.steps,
        })
    }

    /// The network `--net` and its flags describe.
    fn net_setup(&self, base: Option<&NetSetup>) -> Result<NetSetup, String> {
        let Some(file) = &self.data else {
            if let Some(b) = base {
                // A network preset's own, with the flags given over it.
                return Ok(NetSetup {
                    data: b.data.clone(),
                    hidden: match &self.hidden {
                        Some(h) => parse_hidden(h)?,
                        None => b.hidden.clone(),
                    },
                    activation: self.activation.unwrap_or(b.activation),
                    loss: self.loss.unwrap_or(b.loss),
                    init: self.init(Some(&b.init))?,
                    plane: self.plane.unwrap_or(b.plane),
                });
            }
            return Err(format!(
                "--net trains on --data: a CSV file (inputs, then the target last) or one of: {}",
                NetDataSource::names().join(", ")
            ));
        };
        let data = match file.to_str().and_then(|n| NetDataSource::named(n, 0)) {
            Some(d) if !file.exists() => d,
            None if !file.exists() => {
                return Err(format!(
                    "--data {}: no such file, and no data set of that name (choose a CSV file \
                     or one of: {})",
                    file.display(),
                    NetDataSource::names().join(", ")
                ));
            }
            _ => NetDataSource::from_file(file)?,
        };
        let hidden = match &self.hidden {
            Some(h) => parse_hidden(h)?,
            None => NetSetup::default().hidden,
        };
        let init = self.init(None)?;
        let loss = match self.loss {
            Some(l) => l,
            None if data.load()?.is_binary() => NetLoss::Bce,
            None => NetLoss::Mse,
        };
        Ok(NetSetup {
            data,
            hidden,
            activation: self.activation.unwrap_or_default(),
            loss,
            init,
            plane: self.plane.unwrap_or_default(),
        })
    }

    /// θ₀ from `--init-file` or `--init-seed`, else `base` (a preset's), else seed 0.
    fn init(&self, base: Option<&Init>) -> Result<Init, String> {
        Ok(match (&self.init_file, self.init_seed) {
            (Some(f), _) => {
                let text = downhill_engine::files::read_text(f, 64_000_000, "init file")?;
                Init::parse(&text).map_err(|e| format!("{}: {e}", f.display()))?
            }
            (None, Some(s)) => Init::Seed(s),
            (None, None) => base.cloned().unwrap_or(Init::Seed(0)),
        })
    }

    /// The schedule from `--schedule` and its flags; a flag the schedule does not take is an
    /// error.
    fn schedule(&self, preset: Option<Schedule>, steps: u64) -> Result<Schedule, String> {
        let given: [(&str, bool); 7] = [
            ("--step-size", self.step_size.is_some()),
            ("--gamma", self.gamma.is_some()),
            ("--t-max", self.t_max.is_some()),
            ("--eta-min", self.eta_min.is_some()),
            ("--start-factor", self.start_factor.is_some()),
            ("--end-factor", self.end_factor.is_some()),
            ("--total-iters", self.total_iters.is_some()),
        ];
        let mut schedule = match &self.schedule {
            Some(name) => Schedule::with_defaults(name, steps).ok_or_else(|| {
                format!(
                    "unknown schedule '{name}' (choose one of: {})",
                    SCHEDULE_NAMES.join(", ")
                )
            })?,
            None => preset.unwrap_or_default(),
        };
        let takes: &[&str] = match &mut schedule {
            Schedule::Constant => &[],
            Schedule::Step { step_size, gamma } => {
                *step_size = self.step_size.unwrap_or(*step_size);
                *gamma = self.gamma.unwrap_or(*gamma);
                &["--step-size", "--gamma"]
            }
            Schedule::Exponential { gamma } => {
                *gamma = self.gamma.unwrap_or(*gamma);
                &["--gamma"]
            }
            Schedule::Cosine { t_max, eta_min } => {
                *t_max = self.t_max.unwrap_or(*t_max);
                *eta_min = self.eta_min.unwrap_or(*eta_min);
                &["--t-max", "--eta-min"]
            }
            Schedule::Warmup {
                start_factor,
                end_factor,
                total_iters,
            } => {
                *start_factor = self.start_factor.unwrap_or(*start_factor);
                *end_factor = self.end_factor.unwrap_or(*end_factor);
                *total_iters = self.total_iters.unwrap_or(*total_iters);
                &["--start-factor", "--end-factor", "--total-iters"]
            }
        };
        if let Some((flag, _)) = given.iter().find(|(f, set)| *set && !takes.contains(f)) {
            let name = schedule.name();
            return Err(if takes.is_empty() {
                format!("{flag} does not apply to the {name} schedule (choose one with --schedule)")
            } else {
                format!(
                    "{flag} does not apply to the {name} schedule (it takes {})",
                    takes.join(", ")
                )
            });
        }
        schedule.validate().map_err(|e| e.to_string())?;
        Ok(schedule)
    }
}
