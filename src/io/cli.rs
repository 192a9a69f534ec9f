//! The headless commands: `downhill list` and `downhill trace` (design.md, "The headless
//! contract"). Bad input is one line on stderr and exit status 2; nothing panics.

use std::io::{self, Write};

use clap::{Args, Parser, Subcommand, ValueEnum};

use downhill_engine::data::{BatchOrder, BatchSpec, DataSource, Model};
use downhill_engine::format::{num, short, sig};
use downhill_engine::landscape::{BUILTINS, Landscape, LandscapeSpec};
use downhill_engine::optim::{HyperPatch, HyperValue, OptimizerKind, Vec2};
use downhill_engine::run::noise::NoiseSpec;
use downhill_engine::run::rows::RowWriter;
use downhill_engine::run::schedule::{SCHEDULE_NAMES, Schedule};
use downhill_engine::run::{Run, RunConfig, Status};
use downhill_engine::teach::facts::Facts;
use downhill_engine::teach::preset;

/// Gradient descent made visible.
#[derive(Debug, Parser)]
#[command(name = "downhill", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Open the window on this lesson (a preset's name, see `downhill list`), paused at step 0.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["setup", "setup_file"])]
    pub lesson: Option<String>,
    /// Open the window on a setup text copied from the window ("Copy setup").
    #[arg(long, value_name = "TEXT", conflicts_with = "setup_file")]
    pub setup: Option<String>,
    /// Open the window on the setup text in FILE.
    #[arg(long, value_name = "FILE")]
    pub setup_file: Option<std::path::PathBuf>,
}

/// How the window opens.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WindowOptions {
    /// Index of the lesson to open (into [`preset::presets`]).
    pub lesson: Option<usize>,
    /// A setup to open (checked: it can run).
    pub setup: Option<downhill_engine::run::share::Shared>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the built-in landscapes, optimizers (with every hyper-parameter and its default),
    /// schedules and presets.
    List,
    /// Print the trajectory of one run as CSV or JSON.
    Trace(Box<TraceArgs>),
    /// Draw the landscape with the runs' paths as PNG, SVG or an animated GIF.
    Render(Box<RenderArgs>),
}

/// The flags of `downhill render`: every flag of `trace` (`--optimizer` may be given several
/// times, one run each), and the picture's.
#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub run: TraceArgs,
    /// The picture to write: FILE.png, FILE.svg or FILE.gif (the runs growing).
    #[arg(long, short, value_name = "FILE")]
    pub output: std::path::PathBuf,
    /// Width and height in pixels (default 1200x900, a GIF 800x600).
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    pub size: Option<(u32, u32)>,
    /// The title (default: the landscape and its formula).
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// The window shown, X0,X1,Y0,Y1 (default: the landscape's own).
    #[arg(long, value_name = "X0,X1,Y0,Y1", value_parser = parse_view, allow_hyphen_values = true)]
    pub view: Option<downhill_engine::geometry::View>,
    /// The landscape as a surface in 3-D (PNG, or a GIF that orbits while the paths grow).
    #[arg(long = "3d")]
    pub three_d: bool,
    /// With --3d: the camera's angle around the vertical, in degrees (default -35).
    #[arg(long, value_name = "DEG", value_parser = finite, allow_hyphen_values = true)]
    pub azimuth: Option<f64>,
    /// With --3d: the camera's angle above the floor, -10 to 90 degrees (default 35; 90 is
    /// the 2-D picture).
    #[arg(long, value_name = "DEG", value_parser = finite, allow_hyphen_values = true)]
    pub elevation: Option<f64>,
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("'{s}' is not WxH (e.g. 1200x900)"))?;
    let num = |t: &str| {
        t.trim()
            .parse::<u32>()
            .map_err(|_| format!("'{s}' is not WxH (e.g. 1200x900)"))
    };
    Ok((num(w)?, num(h)?))
}

fn parse_view(s: &str) -> Result<downhill_engine::geometry::View, String> {
    let v: Vec<f64> = s.split(',').map(finite).collect::<Result<_, _>>()?;
    let [x0, x1, y0, y1] = v.as_slice() else {
        return Err(format!("'{s}' is not four numbers X0,X1,Y0,Y1"));
    };
    if !(x0 < x1 && y0 < y1) {
        return Err(format!("'{s}': the view needs X0 < X1 and Y0 < Y1"));
    }
    Ok(downhill_engine::geometry::View {
        x: [*x0, *x1],
        y: [*y0, *y1],
    })
}

/// `downhill render`: runs every run (from the flags, or a setup text) and draws them.
pub fn render(args: &RenderArgs, err: &mut impl Write) -> Result<(), Failure> {
    use crate::render::{Kind, Picture, RenderRun};
    let kind = Kind::of(&args.output)?;
    if !args.three_d && (args.azimuth.is_some() || args.elevation.is_some()) {
        return Err(Failure::Bad(
            "--azimuth and --elevation turn the camera of --3d: give --3d too".into(),
        ));
    }
    if args.three_d && kind == Kind::Svg {
        return Err(Failure::Bad(
            "a 3-D picture is a PNG or a GIF: end the file name in .png or .gif".into(),
        ));
    }
    if let Some(e) = args.elevation
        && !(-10.0..=90.0).contains(&e)
    {
        return Err(Failure::Bad(format!(
            "--elevation {e}: give an angle from -10 to 90 degrees"
        )));
    }
    let size = args.size.unwrap_or(match kind {
        Kind::Gif => (800, 600),
        _ => (1200, 900),
    });
    crate::render::check_size(size)?;
    let t = &args.run;
    let shared = shared_setup(t.setup.as_deref(), t.setup_file.as_deref())?;
    // Each run as (landscape, configuration, start, steps), and the window.
    let mut resolved = Vec::new();
    let mut view = args.view;
    match &shared {
        Some(sh) => {
            // Every run of the setup, which is read once.
            for k in 1..=sh.setup.runs.len() as u64 {
                resolved.push(t.resolve_setup(&sh.setup, k)?);
            }
            view = view.or(sh.view);
        }
        None => {
            let n = t.run_count();
            for k in 0..n {
                resolved.push(t.for_run(k, n)?.resolve()?);
            }
        }
    }
    let Some(first) = resolved.first() else {
        return Err(Failure::Bad("nothing to draw".into()));
    };
    let landscape = first.landscape.clone();
    let minima = landscape.minima();
    let view = view.unwrap_or_else(|| landscape.fit_view(&minima));
    let mut runs = Vec::new();
    for r in &resolved {
        let mut run =
            Run::new(r.landscape.clone(), &r.config, r.start).map_err(|e| e.to_string())?;
        let trajectory = run.record(r.steps);
        writeln!(
            err,
            "{}: status: {} after {} steps",
            r.config.label(),
            trajectory.status,
            trajectory.steps_run()
        )?;
        runs.push(RenderRun {
            label: r.config.label(),
            rows: trajectory.rows,
            status: trajectory.status,
        });
    }
    let picture = Picture {
        output: args.output.clone(),
        size,
        title: args
            .title
            .clone()
            .unwrap_or_else(|| crate::render::default_title(&landscape)),
        view,
        minima,
    };
    if args.three_d {
        let mut camera = downhill_engine::picture::surface::Camera::default();
        camera.azimuth = args.azimuth.unwrap_or(camera.azimuth);
        camera.elevation = args.elevation.unwrap_or(camera.elevation);
        // Into (−180, 180]: `--azimuth 720` is the default's angle again.
        camera.orbit(0.0, 0.0);
        crate::render::scene3d::render(&landscape, &runs, &picture, camera)?;
    } else {
        crate::render::render(&landscape, &runs, &picture)?;
    }
    writeln!(
        err,
        "wrote {} ({}x{})",
        args.output.display(),
        size.0,
        size.1
    )?;
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

/// The flags of `downhill trace` (and `render`). Every setting is optional: a preset or the
/// defaults fill in what is not given. The optimizer and its numbers may be given several times
/// for `render` (one run per `--optimizer`); `trace` prints one run.
#[derive(Clone, Debug, Args)]
pub struct TraceArgs {
    /// A built-in landscape (see `downhill list`); default bowl.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["expr", "data"])]
    pub landscape: Option<String>,
    /// The loss of a model over the points of a CSV file (a header naming x then y), or of a
    /// shipped data set by name (see `downhill list`).
    #[arg(long, value_name = "FILE", conflicts_with = "expr")]
    pub data: Option<std::path::PathBuf>,
    /// The model fitted to --data: linear (mean squared error) or logistic (cross-entropy);
    /// default linear.
    #[arg(long, value_name = "NAME", value_parser = parse_model)]
    pub model: Option<Model>,
    /// Points per mini-batch on --data (default: all of them).
    #[arg(long, value_name = "B", value_parser = parse_count)]
    pub batch_size: Option<u64>,
    /// shuffle (a new order every epoch, from --seed; the default) or sequential.
    #[arg(long, value_name = "ORDER", value_parser = parse_order)]
    pub batch_order: Option<BatchOrder>,
    /// Replace x by (x − mean)/std (population standard deviation).
    #[arg(long)]
    pub standardize: bool,
    /// A formula in x and y (or w0 and w1), e.g. "x^2 + 10*sin(y)".
    #[arg(long, value_name = "EXPR", allow_hyphen_values = true)]
    pub expr: Option<String>,
    /// A worked example from the course texts, by name (see `downhill list`).
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// A landscape parameter, e.g. kappa=100 (repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    pub params: Vec<(String, f64)>,
    /// sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw or amsgrad; default sgd.
    #[arg(long, value_name = "NAME", value_parser = parse_optimizer)]
    pub optimizer: Vec<OptimizerKind>,
    /// Learning rate γ (torch's default for the optimizer when omitted).
    #[arg(long, value_name = "F", value_parser = finite, allow_hyphen_values = true)]
    pub lr: Vec<f64>,
    /// Momentum factor μ.
    #[arg(long, value_name = "F", value_parser = finite, allow_hyphen_values = true)]
    pub momentum: Vec<f64>,
    /// Dampening τ of the momentum buffer.
    #[arg(long, value_name = "F", value_parser = finite, allow_hyphen_values = true)]
    pub dampening: Vec<f64>,
    /// Nesterov momentum.
    #[arg(long)]
    pub nesterov: bool,
    /// RMSprop's smoothing constant α.
    #[arg(long, value_name = "F", value_parser = finite, allow_hyphen_values = true)]
    pub alpha: Vec<f64>,
    /// ε added to the denominator.
    #[arg(long, value_name = "F", value_parser = finite, allow_hyphen_values = true)]
    pub eps: Vec<f64>,
    /// Adam's β₁.
    #[arg(long, value_name = "F", value_parser = finite, allow_hyphen_values = true)]
    pub beta1: Vec<f64>,
    /// Adam's β₂.
    #[arg(long, value_name = "F", value_parser = finite, allow_hyphen_values = true)]
    pub beta2: Vec<f64>,
    /// Weight decay λ.
    #[arg(long, value_name = "F", value_parser = finite, allow_hyphen_values = true)]
    pub weight_decay: Vec<f64>,
    /// AdaGrad's learning-rate decay.
    #[arg(long, value_name = "F", value_parser = finite, allow_hyphen_values = true)]
    pub lr_decay: Vec<f64>,
    /// AdaGrad's initial accumulator value.
    #[arg(long, value_name = "F", value_parser = finite, allow_hyphen_values = true)]
    pub initial_accumulator_value: Vec<f64>,
    /// Centered RMSprop.
    #[arg(long)]
    pub centered: bool,
    /// AMSGrad variant of Adam / AdamW.
    #[arg(long)]
    pub amsgrad: bool,
    /// Start point X,Y (default: the landscape's own).
    #[arg(long, value_name = "X,Y", value_parser = parse_start, allow_hyphen_values = true)]
    pub start: Option<Vec2>,
    /// Number of updates (default 100).
    #[arg(long, value_name = "N", value_parser = parse_count, allow_hyphen_values = true)]
    pub steps: Option<u64>,
    /// Standard deviation σ of Gaussian noise added to every gradient (default 0).
    #[arg(long, value_name = "STD", value_parser = finite, allow_hyphen_values = true)]
    pub noise: Vec<f64>,
    /// Seed of the noise (default 0).
    #[arg(long, value_name = "N", value_parser = parse_count, allow_hyphen_values = true)]
    pub seed: Vec<u64>,
    /// Learning-rate schedule: constant, step, exponential, cosine or warmup.
    #[arg(long, value_name = "NAME")]
    pub schedule: Option<String>,
    /// step: updates between decays (default 10).
    #[arg(long, value_name = "N", value_parser = parse_count, allow_hyphen_values = true)]
    pub step_size: Option<u64>,
    /// step, exponential: the decay factor (defaults 0.1 and 0.95).
    #[arg(long, value_name = "F", value_parser = finite, allow_hyphen_values = true)]
    pub gamma: Option<f64>,
    /// cosine: updates from the base rate to eta_min (default: --steps).
    #[arg(long, value_name = "N", value_parser = parse_count, allow_hyphen_values = true)]
    pub t_max: Option<u64>,
    /// cosine: the lowest learning rate (default 0).
    #[arg(long, value_name = "F", value_parser = finite, allow_hyphen_values = true)]
    pub eta_min: Option<f64>,
    /// warmup: the first update's fraction of the learning rate (default 1/3).
    #[arg(long, value_name = "F", value_parser = finite, allow_hyphen_values = true)]
    pub start_factor: Option<f64>,
    /// warmup: the fraction reached after total_iters updates (default 1).
    #[arg(long, value_name = "F", value_parser = finite, allow_hyphen_values = true)]
    pub end_factor: Option<f64>,
    /// warmup: updates to go from start_factor to end_factor (default 5).
    #[arg(long, value_name = "N", value_parser = parse_count, allow_hyphen_values = true)]
    pub total_iters: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// A setup text copied from the window ("Copy setup"), in place of the run flags.
    #[arg(long, value_name = "TEXT", conflicts_with = "setup_file")]
    pub setup: Option<String>,
    /// A file holding a setup text.
    #[arg(long, value_name = "FILE")]
    pub setup_file: Option<std::path::PathBuf>,
    /// Which run of the setup to print (1 = the first).
    #[arg(long, value_name = "K", value_parser = parse_count)]
    pub run: Option<u64>,
}

/// The setup given by `--setup TEXT` or `--setup-file FILE`, if any.
fn shared_setup(
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

fn finite(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number"))?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("'{s}' is not a finite number"))
    }
}

fn parse_count(s: &str) -> Result<u64, String> {
    let v: i128 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a whole number"))?;
    if v < 0 {
        return Err(format!("{v} is negative; give a whole number ≥ 0"));
    }
    u64::try_from(v).map_err(|_| format!("{v} is too large"))
}

fn parse_start(s: &str) -> Result<Vec2, String> {
    let parts: Vec<&str> = s.split(',').collect();
    let [x, y] = parts.as_slice() else {
        return Err(format!("'{s}' is not two numbers X,Y"));
    };
    let (x, y) = (finite(x)?, finite(y)?);
    Ok(Vec2::new(x, y))
}

fn parse_param(s: &str) -> Result<(String, f64), String> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| format!("'{s}' is not NAME=VALUE"))?;
    Ok((name.trim().to_owned(), finite(value)?))
}

fn parse_model(s: &str) -> Result<Model, String> {
    Model::from_name(s).ok_or_else(|| {
        let names: Vec<_> = Model::ALL.iter().map(|m| m.name()).collect();
        format!("unknown model '{s}' (choose {})", names.join(" or "))
    })
}

fn parse_order(s: &str) -> Result<BatchOrder, String> {
    BatchOrder::from_name(s)
        .ok_or_else(|| format!("unknown batch order '{s}' (choose shuffle or sequential)"))
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

fn parse_optimizer(s: &str) -> Result<OptimizerKind, String> {
    OptimizerKind::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = OptimizerKind::ALL.iter().map(|k| k.name()).collect();
        format!(
            "unknown optimizer '{s}' (choose one of: {})",
            names.join(", ")
        )
    })
}

/// Why a command failed: bad input (one line for the user), or the reader of our output went
/// away (a closed pipe, as in `downhill trace … | head`), which is no error at all.
#[derive(Debug)]
pub enum Failure {
    Bad(String),
    ClosedPipe,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self::Bad(message)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Self::ClosedPipe
        } else {
            Self::Bad(format!("cannot write the output: {e}"))
        }
    }
}

/// A run fully resolved from flags, preset and defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub landscape: Landscape,
    pub config: RunConfig,
    pub start: Vec2,
    pub steps: u64,
}

/// A repeatable flag's values, whatever their type.
enum RepeatedFlag<'a> {
    Kind(&'a mut Vec<OptimizerKind>),
    Num(&'a mut Vec<f64>),
    Count(&'a mut Vec<u64>),
}

impl RepeatedFlag<'_> {
    fn len(&self) -> usize {
        match self {
            Self::Kind(v) => v.len(),
            Self::Num(v) => v.len(),
            Self::Count(v) => v.len(),
        }
    }

    /// Keeps only value `k`.
    fn keep(self, k: usize) {
        match self {
            Self::Kind(v) => *v = vec![v[k]],
            Self::Num(v) => *v = vec![v[k]],
            Self::Count(v) => *v = vec![v[k]],
        }
    }
}

/// The one value of a flag given at most once.
fn one<T: Copy>(v: &[T]) -> Option<T> {
    v.first().copied()
}

impl TraceArgs {
    /// The flags that may be repeated (one value per run), by name.
    fn repeatable(&mut self) -> [(&'static str, RepeatedFlag<'_>); 13] {
        [
            ("--optimizer", RepeatedFlag::Kind(&mut self.optimizer)),
            ("--lr", RepeatedFlag::Num(&mut self.lr)),
            ("--momentum", RepeatedFlag::Num(&mut self.momentum)),
            ("--dampening", RepeatedFlag::Num(&mut self.dampening)),
            ("--alpha", RepeatedFlag::Num(&mut self.alpha)),
            ("--eps", RepeatedFlag::Num(&mut self.eps)),
            ("--beta1", RepeatedFlag::Num(&mut self.beta1)),
            ("--beta2", RepeatedFlag::Num(&mut self.beta2)),
            ("--weight-decay", RepeatedFlag::Num(&mut self.weight_decay)),
            ("--lr-decay", RepeatedFlag::Num(&mut self.lr_decay)),
            (
                "--initial-accumulator-value",
                RepeatedFlag::Num(&mut self.initial_accumulator_value),
            ),
            ("--noise", RepeatedFlag::Num(&mut self.noise)),
            ("--seed", RepeatedFlag::Count(&mut self.seed)),
        ]
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
            let len = flag.len();
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
        HyperPatch {
            lr: one(&self.lr),
            momentum: one(&self.momentum),
            dampening: one(&self.dampening),
            nesterov: self.nesterov.then_some(true),
            alpha: one(&self.alpha),
            eps: one(&self.eps),
            beta1: one(&self.beta1),
            beta2: one(&self.beta2),
            weight_decay: one(&self.weight_decay),
            lr_decay: one(&self.lr_decay),
            initial_accumulator_value: one(&self.initial_accumulator_value),
            centered: self.centered.then_some(true),
            amsgrad: self.amsgrad.then_some(true),
        }
    }

    /// Resolves the run: a setup text on its own, or flags over the preset over the defaults.
    pub fn resolve(&self) -> Result<Resolved, String> {
        let mut me = self.clone();
        for (name, flag) in me.repeatable() {
            if flag.len() > 1 {
                return Err(format!(
                    "{name} is given {} times: trace prints one run (render draws several)",
                    flag.len()
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

        let spec = if let Some(file) = &self.data {
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
        if !matches!(spec, LandscapeSpec::Data { .. }) {
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
        let landscape = spec.build().map_err(|e| e.to_string())?;

        let kind = one(&self.optimizer)
            .or(preset.map(|p| p.optimizer))
            .unwrap_or(OptimizerKind::Sgd);
        // A preset's settings carry over to another optimizer only where they apply to it.
        let base = preset.map_or_else(HyperPatch::default, |p| p.hyper.restricted_to(kind));
        let hyper = base
            .then(&self.hyper_patch())
            .apply(kind)
            .map_err(|e| e.to_string())?;

        let steps = self.steps.or(preset.map(|p| p.steps)).unwrap_or(100);
        let start = self
            .start
            .or(preset.map(|p| Vec2::new(p.start[0], p.start[1])))
            .unwrap_or_else(|| landscape.default_start());
        let schedule = self.schedule(preset.map(|p| p.schedule), steps)?;
        let preset_noise = preset.map(|p| p.noise).unwrap_or_default();
        let preset_batch = preset.map(|p| p.batch).unwrap_or_default();
        let batch = BatchSpec {
            size: match self.batch_size {
                Some(0) => return Err("--batch-size must be at least 1".into()),
                Some(b) => b,
                None => preset_batch.size,
            },
            order: self.batch_order.unwrap_or(preset_batch.order),
        };
        let shuffled = landscape.data().is_some_and(|d| !batch.is_full(d.len()))
            && batch.order == BatchOrder::Shuffle;
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
        Ok(Resolved {
            landscape,
            config: RunConfig {
                optimizer: kind,
                hyper,
                schedule,
                noise,
                batch,
            },
            start,
            steps,
        })
    }

    /// Run `k` (1 = the first) of a setup; the setup replaces every run flag.
    fn resolve_setup(
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
            || self.standardize;
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
        Ok(Resolved {
            landscape: setup.landscape.build().map_err(|e| e.to_string())?,
            config: setup.runs[(k - 1) as usize].config,
            start: setup.start(),
            steps: setup.steps,
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

/// `downhill trace`: streams the rows to `out`; the status line goes to `err` last.
pub fn trace(args: &TraceArgs, out: impl Write, err: &mut impl Write) -> Result<Status, Failure> {
    let r = args.resolve()?;
    let mut run = Run::new(r.landscape, &r.config, r.start).map_err(|e| e.to_string())?;
    if let Some(name) = &args.preset {
        // The course's own words first, for a student running the example (stderr: the
        // trajectory on stdout stays clean, and the status line stays last).
        let p = preset::find(name)?;
        writeln!(err, "{}: {}", p.title, p.quote)?;
        if let Some(q) = &p.question {
            writeln!(err, "Question: {q}")?;
        }
    }
    let on_data = run.landscape().data().is_some();
    let mut writer = RowWriter::new(out, args.format == Format::Json, on_data)?;
    writer.row(0, &run.row())?;
    for _ in 0..r.steps {
        if run.status().is_final() {
            break;
        }
        let Some(row) = run.advance() else { break };
        writer.row(run.step(), &row)?;
    }
    let status = run.status();
    writer.finish(status, run.step())?;
    if let Some((at, why)) = run.left_domain() {
        writeln!(
            err,
            "the next point ({}, {}) is outside the formula's domain: {why}",
            num(at.x),
            num(at.y)
        )?;
    }
    writeln!(err, "status: {status} after {} steps", run.step())?;
    Ok(status)
}

/// `downhill list`: the landscapes, optimizers, schedules and presets.
pub fn list(out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "Landscapes (--landscape NAME; --param NAME=VALUE sets a parameter):"
    )?;
    for b in &BUILTINS {
        let l = Landscape::builtin(b.name).map_err(io::Error::other)?;
        let v = b.view;
        let found = l.minima();
        let minima: Vec<String> = found
            .iter()
            .map(|m| {
                if b.one_d {
                    format!("w0 = {} (any w1)", short(m.x))
                } else {
                    format!("({}, {})", short(m.x), short(m.y))
                }
            })
            .collect();
        writeln!(out, "  {:<15} {}", b.name, b.formula)?;
        writeln!(out, "  {:<15} {}: {}", "", b.title, b.note)?;
        writeln!(
            out,
            "  {:<15} view w0 ∈ [{}, {}], w1 ∈ [{}, {}]; start ({}, {})",
            "",
            short(v.x[0]),
            short(v.x[1]),
            short(v.y[0]),
            short(v.y[1]),
            short(b.start[0]),
            short(b.start[1])
        )?;
        let minima = if minima.is_empty() {
            "none".to_owned()
        } else {
            minima.join(", ")
        };
        writeln!(out, "  {:<15} minima {minima}", "")?;
        let facts = Facts::with_minima(&l, Vec2::new(b.start[0], b.start[1]), &found);
        if let (Some(osc), Some(div)) = (facts.lr_oscillate, facts.lr_diverge) {
            let along = if facts.negative_curvature {
                " along the curved-up direction; along the curved-down one it slides away at any η"
            } else {
                ""
            };
            writeln!(
                out,
                "  {:<15} plain GD oscillates above η = {}, diverges above η = {}{along}",
                "",
                sig(osc),
                sig(div)
            )?;
        }
        for p in b.params {
            writeln!(
                out,
                "  {:<15} parameter {} = {} ({})",
                "",
                p.name,
                short(p.default),
                p.doc
            )?;
        }
    }
    writeln!(
        out,
        "  --expr EXPR     any formula in x and y (or w0, w1): + - * / ^, parentheses,\n  \
         {:<15} sin cos tan exp ln log sqrt abs tanh, pi, e; view [-5, 5]²",
        ""
    )?;

    writeln!(
        out,
        "\nOptimizers (--optimizer NAME), with torch.optim's defaults:"
    )?;
    for k in OptimizerKind::ALL {
        let h = k.defaults();
        let params: Vec<String> = k
            .params()
            .iter()
            .map(|p| match p.get(&h) {
                HyperValue::Number(v) => format!("{}={}", p.flag(), short(v)),
                HyperValue::Switch(true) => format!("{} (on)", p.flag()),
                HyperValue::Switch(false) => format!("{} (off)", p.flag()),
            })
            .collect();
        writeln!(out, "  {:<9} {}", k.name(), k.torch())?;
        writeln!(out, "  {:<9} {}", "", params.join(" "))?;
    }

    writeln!(
        out,
        "\nSchedules (--schedule NAME), stepped after every update as in torch:"
    )?;
    writeln!(out, "  constant     the learning rate never changes")?;
    writeln!(out, "  step         StepLR: --step-size=10 --gamma=0.1")?;
    writeln!(out, "  exponential  ExponentialLR: --gamma=0.95")?;
    writeln!(
        out,
        "  cosine       CosineAnnealingLR: --t-max=<steps> --eta-min=0"
    )?;
    writeln!(
        out,
        "  warmup       LinearLR: --start-factor=1/3 --end-factor=1 --total-iters=5"
    )?;

    let models: Vec<_> = Model::ALL.iter().map(|m| m.name()).collect();
    writeln!(
        out,
        "\nData landscapes (--data FILE or NAME, --model {}, --batch-size B, \
         --batch-order shuffle|sequential, --standardize):",
        models.join("|")
    )?;
    writeln!(
        out,
        "  a CSV file with a header naming x then y, or one of the shipped data sets:"
    )?;
    for d in &downhill_engine::data::SHIPPED {
        writeln!(out, "  {:<12} {:<9} {}", d.name, d.model.name(), d.title)?;
    }

    writeln!(
        out,
        "\nPresets (--preset NAME), the worked examples of the course texts:"
    )?;
    for p in preset::presets().map_err(io::Error::other)? {
        writeln!(out, "  {:<20} {}", p.name, p.title)?;
    }
    Ok(())
}

/// The window's options from the command line, or why they are wrong.
fn window_options(cli: &Cli) -> Result<WindowOptions, Failure> {
    let lesson = match &cli.lesson {
        None => None,
        Some(name) => {
            let all = preset::presets().map_err(Failure::Bad)?;
            preset::find(name).map_err(|e| Failure::Bad(e.replace("preset", "lesson")))?;
            all.iter().position(|p| &p.name == name)
        }
    };
    let setup =
        shared_setup(cli.setup.as_deref(), cli.setup_file.as_deref()).map_err(Failure::Bad)?;
    Ok(WindowOptions { lesson, setup })
}

/// Runs the command line; returns the process exit code. Without a subcommand it calls
/// `open_window`.
pub fn main_with(
    args: impl IntoIterator<Item = std::ffi::OsString>,
    open_window: impl FnOnce(WindowOptions) -> Result<(), String>,
) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                print!("{e}");
                return 0;
            }
            // One clear line: clap's first line says what is wrong.
            let text = e.to_string();
            let first = text.lines().next().unwrap_or("error: bad arguments");
            eprintln!("{first}");
            return 2;
        }
    };
    let stdout = io::stdout();
    let result = match cli.command {
        None => window_options(&cli).and_then(|options| {
            open_window(options).map_err(|e| {
                Failure::Bad(format!(
                    "cannot open the window: {e} (the headless commands work without one: \
                     downhill list, downhill trace --help)"
                ))
            })
        }),
        Some(_) if cli.lesson.is_some() => Err(Failure::Bad(
            "--lesson opens the window: give it without a subcommand (trace takes --preset)".into(),
        )),
        Some(Command::List) => list(&mut stdout.lock()).map_err(Failure::from),
        Some(Command::Trace(args)) => {
            let out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
            trace(&args, out, &mut io::stderr()).map(|_| ())
        }
        Some(Command::Render(args)) => render(&args, &mut io::stderr()),
    };
    match result {
        Ok(()) | Err(Failure::ClosedPipe) => 0,
        Err(Failure::Bad(message)) => {
            eprintln!("error: {message}");
            2
        }
    }
}
