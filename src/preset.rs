//! Presets: the seeds' worked examples as named runs, read from `assets/presets.json` (data, not
//! code), each with the course sentence it illustrates.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::landscape::LandscapeSpec;
use crate::noise::NoiseSpec;
use crate::optim::{HyperPatch, OptimizerKind};
use crate::schedule::Schedule;

/// The presets file, compiled in so the binary needs nothing beside it.
const PRESETS_JSON: &str = include_str!("../assets/presets.json");

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
    pub start: [f64; 2],
    pub steps: u64,
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

    #[test]
    fn every_preset_loads_and_builds() {
        let all = presets().unwrap();
        assert!(all.len() >= 10);
        for p in all {
            p.landscape.build().unwrap();
            p.hyper.apply(p.optimizer).unwrap();
            p.schedule.validate().unwrap();
        }
        let names: std::collections::BTreeSet<_> = all.iter().map(|p| &p.name).collect();
        assert_eq!(names.len(), all.len());
        assert!(find("nope").unwrap_err().contains("bowl-eta-0.15"));
    }
}
