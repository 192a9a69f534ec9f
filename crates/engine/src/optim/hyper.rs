//! The hyper-parameter table: every hyper-parameter of every optimizer, written once.
//!
//! One entry of [`hyper_table!`] gives a hyper-parameter its torch name (the field of [`Hyper`]
//! and [`HyperPatch`], so settings files and setup texts spell it as torch does), its command
//! line flag, what it means, whether it is a number or a switch, torch's validity check, its
//! torch default and the window's slider. Everything that lists hyper-parameters (the structs,
//! [`HyperParam`] and its accessors, the flags of `downhill trace`, the window's sliders) is
//! generated from or driven by this table, so a new hyper-parameter is one entry here and the
//! compiler points at whatever else must know about it.

use super::{OptimError, OptimizerKind};
use serde::{Deserialize, Serialize};

/// A hyper-parameter's value: a number or a switch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HyperValue {
    Number(f64),
    Switch(bool),
}

/// The values torch accepts for a numeric hyper-parameter (beyond being finite).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Domain {
    /// Any finite number: torch does not check it.
    Finite,
    /// Zero or more. `subject` names the value in the message when the torch name would read
    /// badly ("the learning rate must not be negative").
    NonNegative { subject: Option<&'static str> },
    /// In [0, 1), as torch checks the betas.
    Fraction,
    /// In [0, 1]: a share that torch does not check but that makes no sense outside it
    /// (RMSprop's α > 1 makes the average of squares negative and its square root NaN;
    /// dampening > 1 turns the momentum buffer against the gradient).
    Unit,
}

impl Domain {
    /// torch's check of `v` (already finite), as a message naming `name` when it fails.
    fn check(self, name: &str, v: f64) -> Result<(), String> {
        match self {
            Self::Finite => Ok(()),
            Self::NonNegative { subject } => {
                if v >= 0.0 {
                    Ok(())
                } else {
                    let subject = subject.unwrap_or(name);
                    Err(format!("{subject} must not be negative, got {v}"))
                }
            }
            Self::Fraction => {
                if (0.0..1.0).contains(&v) {
                    Ok(())
                } else {
                    Err(format!("{name} must be in [0, 1), got {v}"))
                }
            }
            Self::Unit => {
                if (0.0..=1.0).contains(&v) {
                    Ok(())
                } else {
                    Err(format!("{name} must be in [0, 1], got {v}"))
                }
            }
        }
    }
}

/// The window's slider for a numeric hyper-parameter (typing a value outside it still works).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SliderRange {
    pub lo: f64,
    pub hi: f64,
    /// A logarithmic slider, for values that span decades (ε, the learning rate).
    pub log: bool,
    /// Whole numbers only (a count: L-BFGS's history, Muon's Newton–Schulz steps).
    pub whole: bool,
}

impl SliderRange {
    pub const fn linear(lo: f64, hi: f64) -> Self {
        Self {
            lo,
            hi,
            log: false,
            whole: false,
        }
    }

    pub const fn log(lo: f64, hi: f64) -> Self {
        Self {
            lo,
            hi,
            log: true,
            whole: false,
        }
    }

    /// A linear slider over the whole numbers from `lo` to `hi`.
    pub const fn whole(lo: f64, hi: f64) -> Self {
        Self {
            lo,
            hi,
            log: false,
            whole: true,
        }
    }
}

/// A number (with torch's check and the window's slider) or a switch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HyperKind {
    Number {
        domain: Domain,
        slider: SliderRange,
    },
    Switch,
    /// One of two named values, stored as a switch (off: the first, on: the second), given
    /// on the command line by name (`--line-search none|strong-wolfe`).
    Choice {
        choices: [&'static str; 2],
    },
}

/// One row of the hyper-parameter table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HyperInfo {
    /// torch's keyword, which is also the field of [`Hyper`] and [`HyperPatch`].
    pub name: &'static str,
    /// The `downhill trace` flag.
    pub flag: &'static str,
    /// What it does, in torch's terms.
    pub doc: &'static str,
    pub kind: HyperKind,
}

/// The Rust type behind a number or a switch, so the macro can treat both alike.
trait Slot: Copy {
    fn value(self) -> HyperValue;
    fn from_value(v: HyperValue) -> Option<Self>;
    fn number_mut(&mut self) -> Option<&mut f64>;
    fn switch_mut(&mut self) -> Option<&mut bool>;
}

impl Slot for f64 {
    fn value(self) -> HyperValue {
        HyperValue::Number(self)
    }
    fn from_value(v: HyperValue) -> Option<Self> {
        match v {
            HyperValue::Number(x) => Some(x),
            HyperValue::Switch(_) => None,
        }
    }
    fn number_mut(&mut self) -> Option<&mut f64> {
        Some(self)
    }
    fn switch_mut(&mut self) -> Option<&mut bool> {
        None
    }
}

impl Slot for bool {
    fn value(self) -> HyperValue {
        HyperValue::Switch(self)
    }
    fn from_value(v: HyperValue) -> Option<Self> {
        match v {
            HyperValue::Switch(b) => Some(b),
            HyperValue::Number(_) => None,
        }
    }
    fn number_mut(&mut self) -> Option<&mut f64> {
        None
    }
    fn switch_mut(&mut self) -> Option<&mut bool> {
        Some(self)
    }
}

/// Generates [`Hyper`], [`HyperParam`] (with its table and accessors) and [`HyperPatch`] from
/// one list. The order of the list is the order of the fields in settings files and setup
/// texts: append, never reorder.
macro_rules! hyper_table {
    (@ty number) => { f64 };
    (@ty switch) => { bool };
    (@ty choice) => { bool };
    (@kind number ($domain:expr, $slider:expr)) => {
        HyperKind::Number { domain: $domain, slider: $slider }
    };
    (@kind switch) => { HyperKind::Switch };
    (@kind choice ($choices:expr)) => { HyperKind::Choice { choices: $choices } };
    ($(
        $variant:ident {
            name: $field:ident,
            flag: $flag:literal,
            doc: $doc:literal,
            default: $default:expr,
            kind: $kind:ident $( ($($arg:tt)*) )?,
        }
    )*) => {
        /// Every hyper-parameter of every optimizer, flat, with torch's names. An optimizer
        /// reads the ones [`OptimizerKind::params`](super::OptimizerKind::params) lists and
        /// ignores the rest.
        #[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct Hyper {
            $( #[doc = $doc] pub $field: hyper_table!(@ty $kind), )*
        }

        impl Hyper {
            /// torch's defaults where an optimizer says nothing else (`SGD`'s, `Adam`'s).
            pub const TORCH: Hyper = Hyper { $( $field: $default, )* };
        }

        /// One hyper-parameter: its torch name, command-line flag, meaning and valid range.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum HyperParam {
            $( #[doc = $doc] $variant, )*
        }

        impl HyperParam {
            /// Every hyper-parameter, in the table's order.
            pub const ALL: [HyperParam; [$(HyperParam::$variant),*].len()] =
                [$(Self::$variant),*];

            /// This hyper-parameter's row of the table.
            pub const fn info(self) -> HyperInfo {
                match self {
                    $( Self::$variant => HyperInfo {
                        name: stringify!($field),
                        flag: $flag,
                        doc: $doc,
                        kind: hyper_table!(@kind $kind $( ($($arg)*) )?),
                    }, )*
                }
            }

            /// Reads this hyper-parameter from `h`.
            pub fn get(self, h: &Hyper) -> HyperValue {
                match self {
                    $( Self::$variant => Slot::value(h.$field), )*
                }
            }

            /// A mutable handle on a numeric hyper-parameter of `h` (`None` for switches).
            pub fn number_mut(self, h: &mut Hyper) -> Option<&mut f64> {
                match self {
                    $( Self::$variant => Slot::number_mut(&mut h.$field), )*
                }
            }

            /// A mutable handle on a switch of `h` (`None` for numbers).
            pub fn switch_mut(self, h: &mut Hyper) -> Option<&mut bool> {
                match self {
                    $( Self::$variant => Slot::switch_mut(&mut h.$field), )*
                }
            }
        }

        /// Hyper-parameters to change, each optional: what a preset or the command line sets
        /// on top of an optimizer's defaults.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct HyperPatch {
            $(
                #[doc = $doc]
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $field: Option<hyper_table!(@ty $kind)>,
            )*
        }

        impl HyperPatch {
            /// The value this patch sets for `p`, if any.
            pub fn get(&self, p: HyperParam) -> Option<HyperValue> {
                match p {
                    $( HyperParam::$variant => self.$field.map(Slot::value), )*
                }
            }

            /// Sets (or clears, with `None`) `p`; a value of the wrong kind clears it.
            pub fn set(&mut self, p: HyperParam, v: Option<HyperValue>) {
                match p {
                    $( HyperParam::$variant => self.$field = v.and_then(Slot::from_value), )*
                }
            }
        }
    };
}

hyper_table! {
    Lr {
        name: lr,
        flag: "--lr",
        doc: "learning rate γ",
        default: 1e-3,
        kind: number(
            Domain::NonNegative { subject: Some("the learning rate") },
            SliderRange::log(1e-4, 10.0)
        ),
    }
    Momentum {
        name: momentum,
        flag: "--momentum",
        doc: "momentum factor μ",
        default: 0.0,
        kind: number(Domain::NonNegative { subject: None }, SliderRange::linear(0.0, 0.999)),
    }
    Dampening {
        name: dampening,
        flag: "--dampening",
        doc: "dampening τ of the momentum buffer",
        default: 0.0,
        kind: number(Domain::Unit, SliderRange::linear(0.0, 1.0)),
    }
    Nesterov {
        name: nesterov,
        flag: "--nesterov",
        doc: "Nesterov momentum: step along g + μ·b",
        default: false,
        kind: switch,
    }
    Alpha {
        name: alpha,
        flag: "--alpha",
        doc: "α: RMSprop's smoothing constant of the squared-gradient average; ASGD's power \
              in η_t = γ / (1 + λγt)^α",
        default: 0.99,
        kind: number(Domain::Unit, SliderRange::linear(0.0, 0.9999)),
    }
    Eps {
        name: eps,
        flag: "--eps",
        doc: "ε added to the denominator for numerical stability",
        default: 1e-8,
        kind: number(Domain::NonNegative { subject: None }, SliderRange::log(1e-12, 1e-1)),
    }
    Beta1 {
        name: beta1,
        flag: "--beta1",
        doc: "β₁: decay of the first-moment estimate",
        default: 0.9,
        kind: number(Domain::Fraction, SliderRange::linear(0.0, 0.999)),
    }
    Beta2 {
        name: beta2,
        flag: "--beta2",
        doc: "β₂: decay of the second-moment estimate",
        default: 0.999,
        kind: number(Domain::Fraction, SliderRange::linear(0.0, 0.9999)),
    }
    WeightDecay {
        name: weight_decay,
        flag: "--weight-decay",
        doc: "weight decay λ",
        default: 0.0,
        kind: number(Domain::NonNegative { subject: None }, SliderRange::linear(0.0, 1.0)),
    }
    LrDecay {
        name: lr_decay,
        flag: "--lr-decay",
        doc: "learning-rate decay η: lr / (1 + (t − 1)·η)",
        default: 0.0,
        kind: number(Domain::NonNegative { subject: None }, SliderRange::linear(0.0, 1.0)),
    }
    InitialAccumulatorValue {
        name: initial_accumulator_value,
        flag: "--initial-accumulator-value",
        doc: "starting value of the sum of squared gradients",
        default: 0.0,
        kind: number(Domain::NonNegative { subject: None }, SliderRange::linear(0.0, 10.0)),
    }
    Centered {
        name: centered,
        flag: "--centered",
        doc: "normalize by the estimated variance of the gradient",
        default: false,
        kind: switch,
    }
    Amsgrad {
        name: amsgrad,
        flag: "--amsgrad",
        doc: "use the running maximum of the second moment (AMSGrad)",
        default: false,
        kind: switch,
    }
    MomentumDecay {
        name: momentum_decay,
        flag: "--momentum-decay",
        doc: "ψ: NAdam's momentum decay, μ_t = β₁(1 − ½·0.96^(tψ))",
        default: 4e-3,
        kind: number(Domain::NonNegative { subject: None }, SliderRange::linear(0.0, 0.1)),
    }
    DecoupledWeightDecay {
        name: decoupled_weight_decay,
        flag: "--decoupled-weight-decay",
        doc: "decoupled weight decay: shrink θ by (1 − γλ) instead of adding λθ to g",
        default: false,
        kind: switch,
    }
    Rho {
        name: rho,
        flag: "--rho",
        doc: "ρ: Adadelta's decay of its running averages",
        default: 0.9,
        kind: number(Domain::Unit, SliderRange::linear(0.0, 0.9999)),
    }
    EtaMinus {
        name: eta_minus,
        flag: "--eta-minus",
        doc: "η⁻: Rprop's shrink factor of a step size when the gradient's sign flips",
        default: 0.5,
        kind: number(Domain::Finite, SliderRange::linear(0.01, 0.99)),
    }
    EtaPlus {
        name: eta_plus,
        flag: "--eta-plus",
        doc: "η⁺: Rprop's growth factor of a step size when the gradient keeps its sign",
        default: 1.2,
        kind: number(Domain::Finite, SliderRange::linear(1.01, 3.0)),
    }
    StepSizeMin {
        name: step_size_min,
        flag: "--step-size-min",
        doc: "Rprop's smallest step size",
        default: 1e-6,
        kind: number(Domain::NonNegative { subject: None }, SliderRange::log(1e-9, 1.0)),
    }
    StepSizeMax {
        name: step_size_max,
        flag: "--step-size-max",
        doc: "Rprop's largest step size",
        default: 50.0,
        kind: number(Domain::NonNegative { subject: None }, SliderRange::log(1e-3, 100.0)),
    }
    Lambd {
        name: lambd,
        flag: "--lambd",
        doc: "λ: ASGD's decay term, θ ← θ(1 − λη_t) and η_t = γ / (1 + λγt)^α",
        default: 1e-4,
        kind: number(Domain::NonNegative { subject: None }, SliderRange::log(1e-6, 1.0)),
    }
    T0 {
        name: t0,
        flag: "--t0",
        doc: "t₀: the step from which ASGD averages (μ_t = 1 / max(1, t − t₀))",
        default: 1e6,
        kind: number(Domain::Finite, SliderRange::linear(0.0, 1000.0)),
    }
    ToleranceGrad {
        name: tolerance_grad,
        flag: "--tolerance-grad",
        doc: "τ_g: L-BFGS skips a step (the point is optimal) when max|g| ≤ τ_g",
        default: 1e-7,
        kind: number(Domain::Finite, SliderRange::log(1e-12, 1e-1)),
    }
    ToleranceChange {
        name: tolerance_change,
        flag: "--tolerance-change",
        doc: "τ_c: L-BFGS does not move when g·d > −τ_c, and its line search stops on a \
              bracket narrower than τ_c",
        default: 1e-9,
        kind: number(Domain::Finite, SliderRange::log(1e-15, 1e-3)),
    }
    HistorySize {
        name: history_size,
        flag: "--history-size",
        doc: "m: the number of (y, s) pairs L-BFGS keeps",
        default: 100.0,
        kind: number(Domain::Finite, SliderRange::whole(1.0, 100.0)),
    }
    Beta2Decay {
        name: beta2_decay,
        flag: "--beta2-decay",
        doc: "τ: Adafactor's decay of β₂, β̂₂_t = 1 − t^τ",
        default: -0.8,
        kind: number(Domain::Finite, SliderRange::linear(-1.0, 0.0)),
    }
    Eps2 {
        name: eps2,
        flag: "--eps2",
        doc: "ε₂: Adafactor's smallest parameter RMS, α_t = max(ε₂, RMS(θ))·ρ_t",
        default: 1e-3,
        kind: number(Domain::NonNegative { subject: None }, SliderRange::log(1e-8, 1.0)),
    }
    D {
        name: d,
        flag: "--d",
        doc: "d: Adafactor's clipping threshold of the update's RMS",
        default: 1.0,
        kind: number(Domain::Finite, SliderRange::linear(1.0, 10.0)),
    }
    NsSteps {
        name: ns_steps,
        flag: "--ns-steps",
        doc: "k: Muon's number of Newton–Schulz iterations",
        default: 5.0,
        kind: number(Domain::Finite, SliderRange::whole(0.0, 10.0)),
    }
    NoNesterov {
        name: no_nesterov,
        flag: "--no-nesterov",
        doc: "Muon without Nesterov momentum (torch's nesterov=False; its default is True)",
        default: false,
        kind: switch,
    }
    LineSearch {
        name: line_search,
        flag: "--line-search",
        doc: "L-BFGS's line search: none (a fixed step γ) or strong-wolfe",
        default: false,
        kind: choice(["none", "strong-wolfe"]),
    }
}

impl Default for Hyper {
    fn default() -> Self {
        super::OptimizerKind::Sgd.defaults()
    }
}

impl HyperParam {
    /// torch's keyword.
    pub const fn name(self) -> &'static str {
        self.info().name
    }

    /// The `downhill trace` flag.
    pub const fn flag(self) -> &'static str {
        self.info().flag
    }

    /// What it does, in torch's terms.
    pub const fn doc(self) -> &'static str {
        self.info().doc
    }

    /// The window's slider (`None` for switches).
    pub const fn slider(self) -> Option<SliderRange> {
        match self.info().kind {
            HyperKind::Number { slider, .. } => Some(slider),
            HyperKind::Switch | HyperKind::Choice { .. } => None,
        }
    }

    /// Whether this is a switch (on or off: a flag without a value, or a choice of two
    /// names) rather than a number.
    pub const fn is_switch(self) -> bool {
        matches!(
            self.info().kind,
            HyperKind::Switch | HyperKind::Choice { .. }
        )
    }

    /// The names of a two-way choice (off, on); `None` for numbers and plain switches.
    pub const fn choices(self) -> Option<[&'static str; 2]> {
        match self.info().kind {
            HyperKind::Choice { choices } => Some(choices),
            _ => None,
        }
    }

    /// The table's domain of a number (`None` for switches). An optimizer whose argument of
    /// the same name means something else may replace it ([`KindInfo::domains`]).
    ///
    /// [`KindInfo::domains`]: super::KindInfo::domains
    pub const fn domain(self) -> Option<Domain> {
        match self.info().kind {
            HyperKind::Number { domain, .. } => Some(domain),
            HyperKind::Switch | HyperKind::Choice { .. } => None,
        }
    }

    /// torch's validity check for a numeric value in `domain`, as a message when it fails.
    pub(super) fn check_in(self, v: f64, domain: Option<Domain>) -> Result<(), String> {
        let name = self.name();
        if !v.is_finite() {
            return Err(format!("{name} must be a finite number, got {v}"));
        }
        domain.map_or(Ok(()), |d| d.check(name, v))
    }
}

impl HyperPatch {
    /// Every hyper-parameter this patch sets.
    pub fn set_params(&self) -> Vec<HyperParam> {
        HyperParam::ALL
            .into_iter()
            .filter(|p| self.get(*p).is_some())
            .collect()
    }

    /// Only the settings that `kind` takes.
    pub fn restricted_to(&self, kind: OptimizerKind) -> Self {
        let mut out = Self::default();
        for p in kind.params() {
            out.set(*p, self.get(*p));
        }
        out
    }

    /// This patch with every setting of `over` on top.
    pub fn then(mut self, over: &Self) -> Self {
        for p in HyperParam::ALL {
            if let Some(v) = over.get(p) {
                self.set(p, Some(v));
            }
        }
        self
    }

    /// `kind`'s defaults with this patch applied; a setting `kind` does not take is an error
    /// that names the ones it does take.
    pub fn apply(&self, kind: OptimizerKind) -> Result<Hyper, OptimError> {
        if let Some(p) = self
            .set_params()
            .into_iter()
            .find(|p| !kind.params().contains(p))
        {
            let takes: Vec<&str> = kind.params().iter().map(|q| q.flag()).collect();
            return Err(OptimError(format!(
                "{} does not apply to {kind} (it takes {})",
                p.flag(),
                takes.join(", ")
            )));
        }
        Ok(self.over(kind.defaults()))
    }

    /// `base` with every setting of this patch written over it.
    pub fn over(&self, base: Hyper) -> Hyper {
        let mut h = base;
        for p in self.set_params() {
            match self.get(p) {
                Some(HyperValue::Number(x)) => {
                    if let Some(slot) = p.number_mut(&mut h) {
                        *slot = x;
                    }
                }
                Some(HyperValue::Switch(b)) => {
                    if let Some(slot) = p.switch_mut(&mut h) {
                        *slot = b;
                    }
                }
                None => {}
            }
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table's flags are the torch names with dashes, and its slider ranges are ranges.
    #[test]
    fn flags_follow_the_names_and_sliders_are_ranges() {
        for p in HyperParam::ALL {
            assert_eq!(p.flag(), format!("--{}", p.name().replace('_', "-")));
            if let Some(s) = p.slider() {
                assert!(s.lo < s.hi && (!s.log || s.lo > 0.0), "{p:?}");
            }
            let mut h = Hyper::TORCH;
            assert_eq!(p.is_switch(), p.switch_mut(&mut h).is_some());
            assert_eq!(p.is_switch(), p.number_mut(&mut h).is_none());
        }
    }

    /// Settings files and setup texts write the fields in this order: it must not change.
    #[test]
    fn serde_shape_is_the_torch_names_in_order() {
        let text = serde_json::to_string(&Hyper::TORCH).unwrap_or_default();
        assert_eq!(
            text,
            "{\"lr\":0.001,\"momentum\":0.0,\"dampening\":0.0,\"nesterov\":false,\"alpha\":0.99,\
             \"eps\":1e-8,\"beta1\":0.9,\"beta2\":0.999,\"weight_decay\":0.0,\"lr_decay\":0.0,\
             \"initial_accumulator_value\":0.0,\"centered\":false,\"amsgrad\":false,\
             \"momentum_decay\":0.004,\"decoupled_weight_decay\":false,\"rho\":0.9,\
             \"eta_minus\":0.5,\"eta_plus\":1.2,\"step_size_min\":1e-6,\"step_size_max\":50.0,\
             \"lambd\":0.0001,\"t0\":1000000.0,\"tolerance_grad\":1e-7,\
             \"tolerance_change\":1e-9,\"history_size\":100.0,\"beta2_decay\":-0.8,\"eps2\":0.001,\"d\":1.0,\
             \"ns_steps\":5.0,\"no_nesterov\":false,\"line_search\":false}"
        );
        let patch: Result<HyperPatch, _> = serde_json::from_str("{\"lr\":0.5,\"bogus\":1}");
        assert!(patch.is_err());
    }

    #[test]
    fn patch_get_and_set_round_trip() {
        let mut patch = HyperPatch::default();
        for p in HyperParam::ALL {
            let v = if p.is_switch() {
                HyperValue::Switch(true)
            } else {
                HyperValue::Number(0.5)
            };
            patch.set(p, Some(v));
            assert_eq!(patch.get(p), Some(v));
            patch.set(p, None);
            assert_eq!(patch.get(p), None);
        }
    }
}
