//! Presets: the seeds' worked examples as named runs, read from `assets/presets.json` (data, not
//! code), each with the course sentence it illustrates.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::landscape::LandscapeSpec;
use crate::run::RunText;
use crate::run::setup::{RunSpec, Scatter, Setup};

/// The presets file, compiled in so the binary needs nothing beside it.
const PRESETS_JSON: &str = include_str!("../../../../assets/presets.json");

/// One worked example.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// The name for `--preset`.
    pub name: String,
    pub title: String,
    /// The idea of the course it teaches ("the update rule", "momentum", …).
    pub idea: String,
    /// Which seed text and which part of it.
    pub source: String,
    /// The seed's own sentence.
    pub quote: String,
    /// A question to ask before the run plays.
    #[serde(default)]
    pub question: Option<String>,
    pub landscape: LandscapeSpec,
    /// The first run: `optimizer`, `hyper`, `schedule`, `noise` and `batch` at the preset's
    /// top level.
    #[serde(flatten)]
    pub run: RunText,
    pub start: [f64; 2],
    pub steps: u64,
    /// More runs racing the first one from the same start.
    #[serde(default)]
    pub runs: Vec<PresetRun>,
    #[serde(default)]
    pub scatter: Scatter,
    /// The panel that shows the lesson best.
    #[serde(default)]
    pub panel: Option<LessonPanel>,
    /// Steps per second when the lesson plays.
    #[serde(default)]
    pub speed: Option<f64>,
}

/// A racing run of a preset: a [`RunText`], with no other field (serde checks unknown fields
/// only on the struct that flattens).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetRun {
    #[serde(flatten)]
    pub run: RunText,
}

/// The window's side pages, named once: a preset says which one shows its lesson best and the
/// window remembers which one is open, so both formats name a page with this enum (the window
/// maps each to the page that draws it). Presets spell the names in lower case, the window's
/// settings as the variants are written; both spellings read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LessonPanel {
    /// The update written out, the timeline and the step table.
    #[default]
    #[serde(alias = "arithmetic")]
    Arithmetic,
    /// Final loss against learning rate.
    #[serde(alias = "sweep")]
    Sweep,
    /// L along a line, with tangents at the iterates.
    #[serde(alias = "slice")]
    Slice,
    /// The data points and the model being fitted (data landscapes).
    #[serde(alias = "data")]
    Data,
}

impl Preset {
    /// The first run, then the racing ones.
    pub fn all_runs(&self) -> impl Iterator<Item = RunText> + '_ {
        std::iter::once(self.run).chain(self.runs.iter().map(|r| r.run))
    }

    /// The preset as a setup for the window.
    pub fn setup(&self) -> Result<Setup, String> {
        let runs = self
            .all_runs()
            .map(|r| r.config().map(RunSpec::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Setup {
            landscape: self.landscape.clone(),
            runs,
            start: self.start,
            steps: self.steps,
            scatter: self.scatter,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PresetFile {
    version: u32,
    presets: Vec<Preset>,
}

/// Every preset, in file order. The file is checked by the tests; should it still be unreadable,
/// the error says why.
pub fn presets() -> Result<&'static [Preset], String> {
    static PRESETS: OnceLock<Result<Vec<Preset>, String>> = OnceLock::new();
    PRESETS
        .get_or_init(|| {
            let file: PresetFile = serde_json::from_str(PRESETS_JSON)
                .map_err(|e| format!("assets/presets.json is malformed: {e}"))?;
            if file.version != 1 {
                return Err(format!(
                    "assets/presets.json has version {}, expected 1",
                    file.version
                ));
            }
            Ok(file.presets)
        })
        .as_deref()
        .map_err(Clone::clone)
}

/// The preset called `name`, or an error that lists the names.
pub fn find(name: &str) -> Result<&'static Preset, String> {
    let all = presets()?;
    all.iter().find(|p| p.name == name).ok_or_else(|| {
        let names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
        format!(
            "unknown preset '{name}' (choose one of: {})",
            names.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::OptimizerKind;

    /// Every preset's setup survives a share text (from run::share's round-trip test, here so
    /// that run does not use teach).
    #[test]
    fn every_preset_round_trips_as_a_share_text() {
        for p in presets().unwrap() {
            crate::run::share::tests::round_trip(crate::run::share::Shared {
                setup: p.setup().unwrap(),
                view: None,
            });
        }
    }

    #[test]
    fn every_preset_loads_and_builds() {
        let all = presets().unwrap();
        assert!(all.len() >= 10);
        for p in all {
            // A network's landscape is a plane through its first run's path: only the whole
            // setup builds it.
            if !matches!(p.landscape, LandscapeSpec::Net(_)) {
                p.landscape.build().unwrap();
            }
            p.run.hyper.apply(p.run.optimizer).unwrap();
            p.run.schedule.validate().unwrap();
            p.setup().unwrap().build_all().unwrap();
        }
        let names: std::collections::BTreeSet<_> = all.iter().map(|p| &p.name).collect();
        assert_eq!(names.len(), all.len());
        assert!(find("nope").unwrap_err().contains("bowl-eta-0.15"));
    }

    /// The rows of a preset's runs, each recorded over the preset's steps.
    fn rows_of(setup: &Setup, steps: u64) -> Vec<Vec<crate::run::Row>> {
        let built = setup.build_all().unwrap();
        built
            .runs
            .into_iter()
            .map(|mut r| r.record(steps).rows)
            .collect()
    }

    /// What the Rprop lesson says: Rprop reaches the minimum where GD crawls, and its path is
    /// the same on a valley ten times steeper (only the gradient's signs reach it).
    #[test]
    fn rprop_lesson_ignores_the_gradients_size() {
        let p = find("rprop-sign-only").unwrap();
        let setup = p.setup().unwrap();
        let rows = rows_of(&setup, p.steps);
        let (rprop, gd) = (&rows[0], &rows[1]);
        let end = |r: &[crate::run::Row]| r.last().unwrap().w;
        assert!(end(rprop).norm() < 1e-5, "{:?}", end(rprop));
        assert!(end(gd).x > 0.1, "{:?}", end(gd));
        let mut steeper = setup.clone();
        steeper.landscape = LandscapeSpec::Builtin {
            name: "bowl".into(),
            params: [("kappa".to_owned(), 1000.0)].into(),
        };
        let w = |r: &[crate::run::Row]| r.iter().map(|r| r.w).collect::<Vec<_>>();
        assert_eq!(w(rprop), w(&rows_of(&steeper, p.steps)[0]));
    }

    /// What the L-BFGS lesson shows: L-BFGS at (1, 1) within 100 updates, Adam not within the
    /// lesson's 300.
    #[test]
    fn lbfgs_lesson_reaches_the_minimum_long_before_adam() {
        let p = find("lbfgs-rosenbrock").unwrap();
        let rows = rows_of(&p.setup().unwrap(), p.steps);
        let at_min = |r: &crate::run::Row| (r.w - crate::optim::Vec2::new(1.0, 1.0)).norm() < 1e-4;
        let first = rows[0].iter().position(at_min).unwrap();
        assert!(first < 100, "{first}");
        assert!(!rows[1].iter().any(at_min));
    }

    /// The run fields are written once (flattened), and a slip in a preset or one of its
    /// racing runs is still refused.
    #[test]
    fn unknown_fields_are_refused() {
        let preset = |extra: &str, run_extra: &str| {
            format!(
                "{{\"name\": \"n\", \"title\": \"t\", \"idea\": \"i\", \"source\": \"s\", \
                 \"quote\": \"q\", \"landscape\": {{\"builtin\": {{\"name\": \"bowl\"}}}}, \
                 \"optimizer\": \"adam\", \"hyper\": {{\"lr\": 0.1}}, \"start\": [1, 2], \
                 \"steps\": 5, \"runs\": [{{\"optimizer\": \"sgd\"{run_extra}}}]{extra}}}"
            )
        };
        let ok: Preset = serde_json::from_str(&preset("", "")).unwrap();
        assert_eq!(ok.run.optimizer, OptimizerKind::Adam);
        assert_eq!(ok.run.hyper.lr, Some(0.1));
        assert_eq!(ok.runs[0].run.optimizer, OptimizerKind::Sgd);
        for (extra, run_extra) in [(", \"stpes\": 5", ""), ("", ", \"lr\": 0.1")] {
            let bad = serde_json::from_str::<Preset>(&preset(extra, run_extra));
            assert!(bad.unwrap_err().to_string().contains("unknown field"));
        }
    }
}
