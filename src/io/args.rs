//! The command line as clap reads it: the commands, their flags and the parsers of flag values.
//! The hyper-parameter flags are not written here: [`HyperArgs`] makes one per row of the
//! engine's hyper-parameter table.

use clap::{Arg, ArgAction, ArgMatches, Args, Parser, Subcommand, ValueEnum};

use downhill_engine::data::{BatchOrder, Model};
use downhill_engine::net::{Activation, NetLoss, PlaneKind};
use downhill_engine::optim::{Arithmetic, HyperParam, HyperPatch, HyperValue, OptimizerKind, Vec2};

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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the built-in landscapes, optimizers (with every hyper-parameter and its default),
    /// schedules and presets.
    List,
    /// Print the trajectory of one run as CSV or JSON.
    Trace(Box<TraceArgs>),
    /// Draw the landscape with the runs' paths as PNG, SVG or an animated GIF.
    Render(Box<RenderArgs>),
    /// Print the setup text (as "Copy setup" gives) for the runs the flags describe, for a
    /// worksheet: `downhill --setup TEXT` opens it.
    Setup(Box<SetupArgs>),
}

/// The flags of `downhill setup`: every flag of `trace` (`--optimizer` may be given several
/// times, one run each, as in `render`) and the window to show.
#[derive(Debug, Args)]
pub struct SetupArgs {
    #[command(flatten)]
    pub run: TraceArgs,
    /// The window shown, X0,X1,Y0,Y1 (default: the landscape's own).
    #[arg(long, value_name = "X0,X1,Y0,Y1", value_parser = parse_view, allow_hyphen_values = true)]
    pub view: Option<downhill_engine::geometry::View>,
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
    // −1e308,1e308 has an infinite width: nothing could be drawn in it.
    if !((x1 - x0).is_finite() && (y1 - y0).is_finite()) {
        return Err(format!("'{s}': the view's width and height must be finite"));
    }
    Ok(downhill_engine::geometry::View {
        x: [*x0, *x1],
        y: [*y0, *y1],
    })
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
    /// Only check that the runs can run (`downhill setup`): a network's plane is not trained
    /// for ([`Setup::build_checked`](downhill_engine::run::setup::Setup::build_checked)).
    #[arg(skip)]
    pub check_only: bool,
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
    /// Train a neural network on --data: a CSV file whose header names the inputs, then the
    /// target last (x1,x2,y), a shipped set, or a 2-D pattern drawn from a seed: circle, xor,
    /// gauss, spiral. The map is the loss on a plane through the weights (--plane).
    #[arg(long, conflicts_with_all = ["landscape", "expr", "model", "standardize", "params", "start", "noise"])]
    pub net: bool,
    /// --net: hidden layer widths, e.g. 8,8 (default 8,8; "none" for none).
    #[arg(long, value_name = "H1[,H2,…]", requires = "net")]
    pub hidden: Option<String>,
    /// --net: the activation after each hidden layer: tanh (default), relu or sigmoid.
    #[arg(long, value_name = "NAME", requires = "net", value_parser = parse_activation)]
    pub activation: Option<Activation>,
    /// --net: the loss: bce (binary cross-entropy on the logit, labels 0/1) or mse; default
    /// bce when every target is 0 or 1, else mse.
    #[arg(long, value_name = "NAME", requires = "net", value_parser = parse_net_loss)]
    pub loss: Option<NetLoss>,
    /// --net: θ₀ from a file (P numbers separated by commas, spaces or newlines, in torch's
    /// parameters() order).
    #[arg(
        long,
        value_name = "FILE",
        requires = "net",
        conflicts_with = "init_seed"
    )]
    pub init_file: Option<std::path::PathBuf>,
    /// --net: draw θ₀ from this seed within torch's default bounds ±1/√fan_in (default 0).
    #[arg(long, value_name = "S", requires = "net", value_parser = parse_count)]
    pub init_seed: Option<u64>,
    /// --net: the plane the picture shows: pca (the path's principal directions, the
    /// default), random[:SEED] (filter-normalized random directions) or params:I,J.
    #[arg(long, value_name = "PLANE", requires = "net", value_parser = PlaneKind::parse)]
    pub plane: Option<PlaneKind>,
    /// A formula in x and y (or w0 and w1), e.g. "x^2 + 10*sin(y)".
    #[arg(long, value_name = "EXPR", allow_hyphen_values = true)]
    pub expr: Option<String>,
    /// A worked example from the course texts, by name (see `downhill list`).
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// A landscape parameter, e.g. kappa=100 (repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    pub params: Vec<(String, f64)>,
    /// The optimizer (its names come from the optimizer table); default sgd.
    #[arg(long, value_name = "NAME", value_parser = parse_optimizer, help = optimizer_help())]
    pub optimizer: Vec<OptimizerKind>,
    /// The hyper-parameters (--lr, --momentum, …, --amsgrad): one flag per row of the
    /// engine's hyper-parameter table.
    #[command(flatten)]
    pub hyper: HyperArgs,
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
    /// How each update is rounded: torch (the default; fused multiply-adds, bit-exact to
    /// torch.optim) or as-written (w - eta * grad, each operation rounded, as NumPy and plain
    /// Python compute it, so a loop typed in by hand matches every row).
    #[arg(long, value_name = "HOW", value_parser = parse_arithmetic)]
    pub arithmetic: Option<Arithmetic>,
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

/// The hyper-parameter flags of `trace` and `render`, made from the engine's table: a number
/// is `--NAME F`, repeatable (one value for every run, or one per `--optimizer`); a switch is
/// `--NAME` alone. A new row of the table is a new flag here, with its doc as the help.
#[derive(Clone, Debug, PartialEq)]
pub struct HyperArgs {
    /// The values given, per hyper-parameter in the table's order (a switch given is one
    /// `true`).
    values: [Vec<HyperValue>; HyperParam::ALL.len()],
}

impl Default for HyperArgs {
    fn default() -> Self {
        Self {
            values: std::array::from_fn(|_| Vec::new()),
        }
    }
}

impl HyperArgs {
    /// The values given for `p`, in order.
    pub fn values(&self, p: HyperParam) -> &[HyperValue] {
        &self.values[p as usize]
    }

    /// Each flag with its values, in the table's order, to pick one run's values.
    pub(crate) fn each_mut(
        &mut self,
    ) -> impl Iterator<Item = (&'static str, &mut Vec<HyperValue>)> {
        HyperParam::ALL
            .into_iter()
            .map(HyperParam::flag)
            .zip(self.values.iter_mut())
    }

    /// The hyper-parameters these flags set (each flag's first value).
    pub fn patch(&self) -> HyperPatch {
        let mut patch = HyperPatch::default();
        for p in HyperParam::ALL {
            patch.set(p, self.values(p).first().copied());
        }
        patch
    }
}

/// The flag of `p`, with the table's doc as its help.
fn hyper_arg(p: HyperParam) -> Arg {
    let arg = Arg::new(p.name())
        .long(p.flag().trim_start_matches("--"))
        .help(sentence(p.doc()));
    if let Some(names) = p.choices() {
        // A two-way choice by name: the second name is the switch's on.
        arg.action(ArgAction::Set).value_name("NAME").value_parser(
            clap::builder::TypedValueParser::map(
                clap::builder::PossibleValuesParser::new(names),
                move |s| s == names[1],
            ),
        )
    } else if p.is_switch() {
        arg.action(ArgAction::SetTrue)
    } else {
        arg.action(ArgAction::Append)
            .value_name("F")
            .value_parser(finite)
            .allow_hyphen_values(true)
    }
}

/// A table doc as help text: a capital first letter where there is one to raise.
fn sentence(doc: &str) -> String {
    let mut chars = doc.chars();
    match chars.next() {
        Some(c) if c.is_ascii_lowercase() => c.to_ascii_uppercase().to_string() + chars.as_str(),
        _ => doc.to_owned(),
    }
}

/// A clap error for an argument the matches lack or hold as another type (a bug, not input).
fn matches_error(p: HyperParam, e: clap::parser::MatchesError) -> clap::Error {
    clap::Error::raw(
        clap::error::ErrorKind::InvalidValue,
        format!("{}: {e}\n", p.flag()),
    )
}

impl clap::FromArgMatches for HyperArgs {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut out = Self::default();
        out.update_from_arg_matches(matches)?;
        Ok(out)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        for p in HyperParam::ALL {
            let given: Vec<HyperValue> = if p.is_switch() {
                let on = matches
                    .try_get_one::<bool>(p.name())
                    .map_err(|e| matches_error(p, e))?;
                if p.choices().is_some() {
                    // A choice given by name, either of them.
                    on.map(|on| HyperValue::Switch(*on)).into_iter().collect()
                } else {
                    on.is_some_and(|on| *on)
                        .then_some(HyperValue::Switch(true))
                        .into_iter()
                        .collect()
                }
            } else {
                matches
                    .try_get_many::<f64>(p.name())
                    .map_err(|e| matches_error(p, e))?
                    .map(|v| v.copied().map(HyperValue::Number).collect())
                    .unwrap_or_default()
            };
            // An update keeps what the new matches do not give.
            if !given.is_empty() {
                self.values[p as usize] = given;
            }
        }
        Ok(())
    }
}

impl Args for HyperArgs {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        HyperParam::ALL
            .into_iter()
            .fold(cmd, |cmd, p| cmd.arg(hyper_arg(p)))
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

pub(crate) fn finite(s: &str) -> Result<f64, String> {
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

fn parse_activation(s: &str) -> Result<Activation, String> {
    Activation::from_name(s).ok_or_else(|| {
        let names: Vec<_> = Activation::ALL.iter().map(|a| a.name()).collect();
        format!("unknown activation '{s}' (choose {})", names.join(", "))
    })
}

fn parse_net_loss(s: &str) -> Result<NetLoss, String> {
    NetLoss::from_name(s).ok_or_else(|| format!("unknown loss '{s}' (choose bce or mse)"))
}

fn parse_arithmetic(s: &str) -> Result<Arithmetic, String> {
    Arithmetic::from_name(s).ok_or_else(|| {
        let names: Vec<_> = Arithmetic::ALL.iter().map(|a| a.name()).collect();
        format!("unknown arithmetic '{s}' (choose {})", names.join(" or "))
    })
}

fn parse_order(s: &str) -> Result<BatchOrder, String> {
    BatchOrder::from_name(s)
        .ok_or_else(|| format!("unknown batch order '{s}' (choose shuffle or sequential)"))
}

/// `--optimizer`'s help: every name of the optimizer table.
fn optimizer_help() -> String {
    let names: Vec<&str> = OptimizerKind::ALL.iter().map(|k| k.name()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{} or {last}; default sgd", rest.join(", "))
        }
        _ => format!("{}; default sgd", names.join("")),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn trace_args(argv: &[&str]) -> TraceArgs {
        let argv = ["downhill", "trace"].iter().chain(argv);
        match Cli::try_parse_from(argv).map(|c| c.command) {
            Ok(Some(Command::Trace(args))) => *args,
            other => panic!("{other:?}"),
        }
    }

    /// Every row of the table is a flag, and its value lands in the patch.
    #[test]
    fn every_hyper_parameter_is_a_flag() {
        for p in HyperParam::ALL {
            let args = if let Some(names) = p.choices() {
                trace_args(&[p.flag(), names[1]])
            } else if p.is_switch() {
                trace_args(&[p.flag()])
            } else {
                trace_args(&[p.flag(), "-0.5"])
            };
            let want = if p.is_switch() {
                HyperValue::Switch(true)
            } else {
                HyperValue::Number(-0.5)
            };
            assert_eq!(args.hyper.patch().get(p), Some(want), "{p:?}");
            assert_eq!(args.hyper.patch().set_params(), vec![p]);
        }
        assert_eq!(trace_args(&[]).hyper.patch(), HyperPatch::default());
    }

    #[test]
    fn numbers_repeat_in_order() {
        let args = trace_args(&["--lr", "0.1", "--eps", "1e-3", "--lr", "0.2"]);
        assert_eq!(
            args.hyper.values(HyperParam::Lr),
            [HyperValue::Number(0.1), HyperValue::Number(0.2)]
        );
    }
}
