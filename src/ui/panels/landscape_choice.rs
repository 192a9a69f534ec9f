//! The landscape picker's entries, each written once: its title, its tooltip, which entry a
//! setup's landscape is, and what choosing it does to the settings. A new built-in or shipped
//! data set appears here by itself (the engine lists them); a new kind of entry is a variant.

use downhill_engine::data::{DataSource, Generate, Model, SHIPPED, Shipped};
use downhill_engine::landscape::{BUILTINS, Builtin, LandscapeSpec};
use downhill_engine::net::NetSetup;

use crate::ui::settings::{Settings, SidePage};

/// One entry of the landscape picker.
#[derive(Clone, Copy)]
pub enum LandscapeChoice {
    /// A built-in landscape.
    Builtin(&'static Builtin),
    /// The formula in the formula field.
    Formula,
    /// A line fitted to generated points.
    LineFit,
    /// A logistic model fitted to generated points.
    LogisticFit,
    /// A data set shipped with the program.
    Shipped(&'static Shipped),
    /// A CSV file opened or dropped on the window (shown, never offered: the file is chosen in
    /// the data panel).
    File,
    /// A neural network trained on data, its loss on a plane through its weights.
    Network,
}

impl PartialEq for LandscapeChoice {
    fn eq(&self, other: &Self) -> bool {
        use LandscapeChoice as C;
        match (self, other) {
            (C::Builtin(a), C::Builtin(b)) => a.name == b.name,
            (C::Shipped(a), C::Shipped(b)) => a.name == b.name,
            (C::Formula, C::Formula)
            | (C::LineFit, C::LineFit)
            | (C::LogisticFit, C::LogisticFit)
            | (C::File, C::File)
            | (C::Network, C::Network) => true,
            _ => false,
        }
    }
}

impl std::fmt::Debug for LandscapeChoice {
    /// By name (the engine's tables are not `Debug`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Builtin(b) => write!(f, "Builtin({})", b.name),
            Self::Shipped(s) => write!(f, "Shipped({})", s.name),
            Self::Formula => f.write_str("Formula"),
            Self::LineFit => f.write_str("LineFit"),
            Self::LogisticFit => f.write_str("LogisticFit"),
            Self::File => f.write_str("File"),
            Self::Network => f.write_str("Network"),
        }
    }
}

/// The tooltip of every data entry.
const DATA_TIP: &str =
    "The loss of a model fitted to data points, over its slope w0 and intercept w1";

impl LandscapeChoice {
    /// The picker's entries, in order (the built-ins, the formula, then the data).
    pub fn offered() -> impl Iterator<Item = Self> {
        BUILTINS
            .iter()
            .map(Self::Builtin)
            .chain([Self::Formula, Self::LineFit, Self::LogisticFit])
            .chain(SHIPPED.iter().map(Self::Shipped))
            .chain([Self::Network])
    }

    /// The entry a landscape spec is; a built-in or shipped name the program does not know
    /// (an old setup) is none.
    pub fn of(spec: &LandscapeSpec) -> Option<Self> {
        Some(match spec {
            LandscapeSpec::Builtin { name, .. } => {
                Self::Builtin(BUILTINS.iter().find(|b| b.name == name)?)
            }
            LandscapeSpec::Expr { .. } => Self::Formula,
            LandscapeSpec::Data { data, model, .. } => match data {
                DataSource::Generated(_) if *model == Model::Logistic => Self::LogisticFit,
                DataSource::Generated(_) => Self::LineFit,
                DataSource::Shipped { name } => {
                    Self::Shipped(SHIPPED.iter().find(|s| s.name == name)?)
                }
                DataSource::Points { .. } => Self::File,
            },
            LandscapeSpec::Net(_) => Self::Network,
        })
    }

    /// The text in the picker.
    pub fn title(self) -> String {
        match self {
            Self::Builtin(b) => b.title.to_owned(),
            Self::Formula => "Typed formula".to_owned(),
            Self::LineFit => "Line fit (generated points)".to_owned(),
            Self::LogisticFit => "Logistic fit (generated points)".to_owned(),
            Self::Shipped(s) => format!("Data: {}", s.title),
            // The file's own name is in the spec: see [`Self::title_of`].
            Self::File => "Data: your file".to_owned(),
            Self::Network => "Neural network".to_owned(),
        }
    }

    /// The picker's text for a landscape spec (a file by its name, an unknown name as itself).
    pub fn title_of(spec: &LandscapeSpec) -> String {
        match (Self::of(spec), spec) {
            (
                Some(Self::File),
                LandscapeSpec::Data {
                    data: DataSource::Points { name, .. },
                    ..
                },
            ) => format!("Data: {name}"),
            (Some(c), _) => c.title(),
            (None, LandscapeSpec::Data { data, .. }) => match data {
                DataSource::Shipped { name } => format!("Data: {name}"),
                _ => "Data".to_owned(),
            },
            (None, LandscapeSpec::Builtin { name, .. }) => name.clone(),
            (None, LandscapeSpec::Expr { .. }) => Self::Formula.title(),
            (None, LandscapeSpec::Net(_)) => Self::Network.title(),
        }
    }

    /// The entry's tooltip.
    pub fn tooltip(self) -> &'static str {
        match self {
            Self::Builtin(b) => b.formula,
            Self::Formula => "Any f(x, y) you type",
            Self::LineFit | Self::LogisticFit | Self::Shipped(_) | Self::File => DATA_TIP,
            Self::Network => {
                "A small neural network trained on data, live: its loss on a plane through its \
                 weights, the path projected onto it"
            }
        }
    }

    /// Whether the entry is a data landscape (mini-batches and the data page belong to those).
    pub fn is_data(self) -> bool {
        matches!(
            self,
            Self::LineFit | Self::LogisticFit | Self::Shipped(_) | Self::File | Self::Network
        )
    }

    /// Switches the settings to this entry: a built-in at its default start, the formula in
    /// the field, data from the origin with the data page open ("Standardize x" carries over).
    /// A formula has no mini-batches.
    pub fn choose(self, settings: &mut Settings) {
        if !self.is_data() {
            for r in &mut settings.setup.runs {
                r.config.batch = Default::default();
            }
        }
        let (data, model) = match self {
            Self::Builtin(b) => {
                settings.setup.set_builtin(b.name).ok();
                return;
            }
            Self::Formula => {
                crate::ui::panels::formula_panel::use_formula(settings, true);
                return;
            }
            // A file is opened in the data panel, not from the picker.
            Self::File => return,
            Self::Network => {
                settings.setup.landscape = LandscapeSpec::Net(NetSetup::default());
                settings.page = SidePage::Data;
                return;
            }
            Self::LineFit => (DataSource::Generated(Generate::default()), Model::Linear),
            Self::LogisticFit => (
                DataSource::Generated(Generate {
                    n: 80,
                    slope: 1.5,
                    intercept: -6.0,
                    ..Generate::default()
                }),
                Model::Logistic,
            ),
            Self::Shipped(s) => (
                DataSource::Shipped {
                    name: s.name.to_owned(),
                },
                s.model,
            ),
        };
        let standardize = matches!(
            settings.setup.landscape,
            LandscapeSpec::Data {
                standardize: true,
                ..
            }
        );
        settings.setup.landscape = LandscapeSpec::Data {
            data,
            model,
            standardize,
        };
        settings.setup.start = [0.0, 0.0];
        settings.page = SidePage::Data;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every offered entry, chosen, is the entry the picker then shows, with its title.
    #[test]
    fn choosing_an_entry_shows_that_entry() {
        for c in LandscapeChoice::offered() {
            let mut s = Settings::default();
            c.choose(&mut s);
            assert_eq!(LandscapeChoice::of(&s.setup.landscape), Some(c), "{c:?}");
            assert_eq!(LandscapeChoice::title_of(&s.setup.landscape), c.title());
            assert_eq!(s.page == SidePage::Data, c.is_data(), "{c:?}");
        }
    }

    #[test]
    fn titles_are_distinct() {
        let titles: Vec<String> = LandscapeChoice::offered().map(|c| c.title()).collect();
        let mut unique = titles.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), titles.len(), "{titles:?}");
    }
}
