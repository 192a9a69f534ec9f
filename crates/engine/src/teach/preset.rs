//! Presets: the seeds' worked examples as named runs, read from `assets/presets.json` (data, not
//! code), each with the course sentence it illustrates.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::landscape::LandscapeSpec;
use crate::optim::{HyperPatch, OptimizerKind};
use crate::run::RunConfig;
use crate::run::noise::NoiseSpec;
use crate::run::schedule::Schedule;
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
    pub optimizer: OptimizerKind,
    #[serde(default)]
    pub hyper: HyperPatch,
    #[serde(default)]
    pub schedule: Schedule,
    #[serde(default)]
    pub noise: NoiseSpec,
    /// Mini-batches, for a lesson on data.
    #[serde(default)]
    pub batch: crate::data::BatchSpec,
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

/// A racing run of a preset.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetRun {
    pub optimizer: OptimizerKind,
    #[serde(default)]
    pub hyper: HyperPatch,
    #[serde(default)]
    pub schedule: Schedule,
    #[serde(default)]
    pub noise: NoiseSpec,
    /// Mini-batches, for a lesson on data.
    #[serde(default)]
    pub batch: crate::data::BatchSpec,
}

impl PresetRun {
    /// The run's configuration: its hyper-parameters over the optimizer's torch defaults.
    pub fn config(&self) -> Result<RunConfig, String> {
        Ok(RunConfig {
            optimizer: self.optimizer,
            hyper: self
                .hyper
                .apply(self.optimizer)
                .map_err(|e| e.to_string())?,
            schedule: self.schedule,
            noise: self.noise,
            batch: self.batch,
        })
    }
}

/// The side panels a lesson can open on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LessonPanel {
    Arithmetic,
    Sweep,
    Slice,
    /// The data points and the model (data landscapes).
    Data,
}

impl Preset {
    /// The first run, then the racing ones.
    pub fn all_runs(&self) -> impl Iterator<Item = PresetRun> + '_ {
        std::iter::once(PresetRun {
            optimizer: self.optimizer,
            hyper: self.hyper,
            schedule: self.schedule,
            noise: self.noise,
            batch: self.batch,
        })
        .chain(self.runs.iter().cloned())
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
            p.landscape.build().unwrap();
            p.hyper.apply(p.optimizer).unwrap();
            p.schedule.validate().unwrap();
            p.setup().unwrap().build_all().unwrap();
        }
        let names: std::collections::BTreeSet<_> = all.iter().map(|p| &p.name).collect();
        assert_eq!(names.len(), all.len());
        assert!(find("nope").unwrap_err().contains("bowl-eta-0.15"));
    }
}
