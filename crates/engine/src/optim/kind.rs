//! The optimizer table: every optimizer a user picks by name, one descriptor each.
//!
//! A descriptor ([`KindInfo`]) lives in its optimizer's own file (`sgd::SGD`, `adam::ADAMW`,
//! …) with the names, the torch call, the hyper-parameters it takes, torch's defaults and how
//! to build it. [`optimizer_kinds!`] below lists them once, in menu order: adding an optimizer
//! is its file plus one line there (plus its torch reference data).

use serde::{Deserialize, Serialize};

use super::{Domain, Hyper, HyperParam, OptimError, Optimizer};

/// Everything about one optimizer a user picks by name.
#[derive(Clone, Copy, Debug)]
pub struct KindInfo {
    /// The name used on the command line and in setups.
    pub name: &'static str,
    /// A name for people: "Gradient descent (SGD)", "Adam", …
    pub label: &'static str,
    /// A short name for legends and lists: "GD", "Adam", …
    pub short_label: &'static str,
    /// The torch.optim call this name stands for.
    pub torch: &'static str,
    /// The hyper-parameters it takes, in torch's argument order.
    pub params: &'static [HyperParam],
    /// torch's defaults, with the name's implied settings (`momentum` is SGD with μ = 0.9).
    /// A hyper-parameter whose default differs between optimizers (`lr`, `alpha`: 0.99 for
    /// RMSprop, 0.75 for ASGD) has it here; the table's default is the common one.
    pub defaults: Hyper,
    /// Domains that replace the table's for this optimizer, for an argument torch names alike
    /// in two optimizers with different meanings: RMSprop's `alpha` is a share in [0, 1],
    /// ASGD's a power that torch does not check. One flag and one field still serve both, so
    /// a setting file or a preset means the same thing whichever optimizer reads it.
    pub domains: &'static [(HyperParam, Domain)],
    /// Builds the optimizer from hyper-parameters that passed the table's checks; the checks
    /// that tie several hyper-parameters together are its own.
    pub build: fn(&Hyper) -> Result<Optimizer, OptimError>,
}

/// Generates [`OptimizerKind`], its `ALL` list and its descriptor lookup from one list of
/// `Variant => descriptor` lines (serde names are the lowercase variants, which a test checks
/// against the descriptors' names).
macro_rules! optimizer_kinds {
    ($( $(#[doc = $doc:literal])* $variant:ident => $info:path, )*) => {
        /// The optimizers a user picks by name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum OptimizerKind {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl OptimizerKind {
            /// Every optimizer, in the order menus list them.
            pub const ALL: [OptimizerKind; [$(OptimizerKind::$variant),*].len()] =
                [$(Self::$variant),*];

            /// This optimizer's descriptor.
            pub const fn info(self) -> &'static KindInfo {
                match self {
                    $( Self::$variant => &$info, )*
                }
            }
        }
    };
}

optimizer_kinds! {
    /// `SGD`: plain gradient descent.
    Sgd => super::sgd::SGD,
    /// `SGD(momentum=0.9)`.
    Momentum => super::sgd::MOMENTUM,
    /// `SGD(momentum=0.9, nesterov=True)`.
    Nesterov => super::sgd::NESTEROV,
    /// `Adagrad`.
    Adagrad => super::adagrad::ADAGRAD,
    /// `RMSprop`.
    Rmsprop => super::rmsprop::RMSPROP,
    /// `Adam`.
    Adam => super::adam::ADAM,
    /// `AdamW` (decoupled weight decay, default 0.01).
    Adamw => super::adam::ADAMW,
    /// `Adam(amsgrad=True)`.
    Amsgrad => super::adam::AMSGRAD,
    /// `NAdam`.
    Nadam => super::nadam::NADAM,
    /// `RAdam`.
    Radam => super::radam::RADAM,
    /// `Adamax`.
    Adamax => super::adamax::ADAMAX,
    /// `Adadelta`.
    Adadelta => super::adadelta::ADADELTA,
    /// `Rprop`.
    Rprop => super::rprop::RPROP,
    /// `ASGD`.
    Asgd => super::asgd::ASGD,
    /// `LBFGS(max_iter=1)`.
    Lbfgs => super::lbfgs::LBFGS,
    /// `Adafactor`.
    Adafactor => super::adafactor::ADAFACTOR,
    /// `Muon` on the 1×2 matrix [[w0, w1]].
    Muon => super::muon::MUON,
    /// Newton's method with the exact Hessian (not torch).
    Newton => super::newton::NEWTON,
}

impl OptimizerKind {
    /// The name used on the command line and in setups.
    pub const fn name(self) -> &'static str {
        self.info().name
    }

    /// A short name for legends and lists: "GD", "Adam", …
    pub const fn short_label(self) -> &'static str {
        self.info().short_label
    }

    /// A name for people: "Gradient descent (SGD)", "Adam", …
    pub const fn label(self) -> &'static str {
        self.info().label
    }

    /// The torch.optim call this name stands for.
    pub const fn torch(self) -> &'static str {
        self.info().torch
    }

    /// Looks a kind up by its [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The hyper-parameters this optimizer takes, in torch's argument order.
    pub const fn params(self) -> &'static [HyperParam] {
        self.info().params
    }

    /// The domain this optimizer checks `p` against: its own when its descriptor replaces the
    /// table's, else the table's (`None` for switches).
    pub fn domain(self, p: HyperParam) -> Option<Domain> {
        self.info()
            .domains
            .iter()
            .find(|(q, _)| *q == p)
            .map_or(p.domain(), |(_, d)| Some(*d))
    }

    /// torch's defaults for this optimizer (with the name's implied settings).
    pub const fn defaults(self) -> Hyper {
        self.info().defaults
    }
}

impl std::fmt::Display for OptimizerKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The serde name (setups, presets) is the descriptor's name.
    #[test]
    fn serde_names_are_the_table_names() {
        for k in OptimizerKind::ALL {
            let text = serde_json::to_string(&k).unwrap_or_default();
            assert_eq!(text, format!("\"{}\"", k.name()));
        }
    }

    /// A name's implied settings are among the hyper-parameters it takes.
    #[test]
    fn defaults_differ_from_torch_only_in_params_taken() {
        for k in OptimizerKind::ALL {
            let d = k.defaults();
            for p in HyperParam::ALL {
                if p.get(&d) != p.get(&Hyper::TORCH) {
                    assert!(k.params().contains(&p), "{k}: {p:?}");
                }
            }
        }
    }
}
