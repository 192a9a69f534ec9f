//! The settings that survive a restart: the setup and the speed, stored as versioned JSON in
//! eframe's storage. A file that cannot be read, or one from a newer version, falls back to the
//! defaults with a note the window shows.

use serde::{Deserialize, Serialize};

use crate::live::stepper::Speed;
use downhill_engine::run::setup::Setup;

/// The storage key.
const KEY: &str = "downhill.settings";
/// The settings format this build writes (2: racing runs; a version 1 file still reads).
pub const VERSION: u32 = 2;

/// The side panel's pages, by name: the engine's enum, so that a lesson's `panel` and the
/// settings' `page` are one list (the pages themselves are in [`crate::ui::pages`]). Stored as
/// before: `"page": "Arithmetic"`.
pub use downhill_engine::teach::preset::LessonPanel as SidePage;

/// The direction of the 1-D slice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum SliceDir {
    /// Along w0 (for the 1-D landscapes, the only one that matters).
    #[default]
    W0,
    W1,
    /// Along the negative gradient at the run's current point.
    Downhill,
    /// At this angle from the w0 axis, in degrees.
    Angle(f64),
}

/// What the window remembers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub version: u32,
    pub setup: Setup,
    pub speed: Speed,
    /// The text in the formula field (it may not parse yet).
    pub formula: String,
    /// Formulas used recently, newest first.
    pub formula_history: Vec<String>,
    /// The visible window of the landscape, restored at the next start.
    pub view: Option<downhill_engine::geometry::View>,
    /// The racing run the optimizer controls edit.
    pub focus: usize,
    pub page: SidePage,
    /// Updates per learning rate in the sweep.
    pub sweep_steps: u64,
    pub slice: SliceDir,
    /// Light or dark colours.
    pub light: bool,
    /// The 3-D view beside the 2-D one.
    pub three_d: bool,
    /// The 3-D view instead of the 2-D one.
    pub three_d_only: bool,
    /// Every change replays the path from step 0 at the chosen speed (outside presentation
    /// mode; off unless turned on).
    #[serde(default)]
    pub replay: bool,
    /// The same in presentation mode, where watching the path grow is the point (on unless
    /// turned off).
    #[serde(default = "yes")]
    pub replay_presenting: bool,
}

fn yes() -> bool {
    true
}

/// Formulas kept in the history.
pub const HISTORY: usize = 10;

impl Settings {
    /// Whether changes replay from step 0, in presentation mode or not.
    pub fn replay(&self, presenting: bool) -> bool {
        if presenting {
            self.replay_presenting
        } else {
            self.replay
        }
    }

    /// The replay switch of the mode on screen.
    pub fn replay_mut(&mut self, presenting: bool) -> &mut bool {
        if presenting {
            &mut self.replay_presenting
        } else {
            &mut self.replay
        }
    }

    /// Puts `text` first in the history (once).
    pub fn remember_formula(&mut self, text: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        self.formula_history.retain(|f| f != text);
        self.formula_history.insert(0, text.to_owned());
        self.formula_history.truncate(HISTORY);
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            version: VERSION,
            setup: Setup::default(),
            speed: Speed::PerSecond(10.0),
            formula: "x^2 + 10*sin(y)".to_owned(),
            formula_history: Vec::new(),
            view: None,
            focus: 0,
            page: SidePage::default(),
            sweep_steps: 100,
            slice: SliceDir::default(),
            light: false,
            three_d: false,
            three_d_only: false,
            replay: false,
            replay_presenting: true,
        }
    }
}

impl Settings {
    /// The settings in `text`, or the defaults and a note saying why not.
    pub fn from_json(text: &str) -> (Self, Option<String>) {
        match serde_json::from_str::<Settings>(text) {
            Ok(s) if s.version > VERSION => (
                Self::default(),
                Some(format!(
                    "Your settings were saved by a newer version of downhill (format {}); starting from the defaults",
                    s.version
                )),
            ),
            Ok(s) => (s, None),
            Err(e) => (
                Self::default(),
                Some(format!(
                    "Your saved settings could not be read ({e}); starting from the defaults"
                )),
            ),
        }
    }

    /// Loads from eframe's storage.
    pub fn load(storage: Option<&dyn eframe::Storage>) -> (Self, Option<String>) {
        match storage.and_then(|s| s.get_string(KEY)) {
            Some(text) => Self::from_json(&text),
            None => (Self::default(), None),
        }
    }

    pub fn save(&self, storage: &mut dyn eframe::Storage) {
        if let Ok(text) = serde_json::to_string(self) {
            storage.set_string(KEY, text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_bad_ones_fall_back_with_a_note() {
        let mut s = Settings::default();
        s.setup.runs[0].config.hyper.lr = 0.25;
        let (back, note) = Settings::from_json(&serde_json::to_string(&s).unwrap());
        assert_eq!((back, note), (s, None));
        let (d, note) = Settings::from_json("{not json");
        assert_eq!(d, Settings::default());
        assert!(note.unwrap().contains("could not be read"));
        let (_, note) = Settings::from_json(r#"{"version": 99}"#);
        assert!(note.unwrap().contains("newer version"));
        // Missing fields take their defaults (an older file), and a version 1 setup's single
        // run is read as the first racing run.
        let (old, note) = Settings::from_json(
            r#"{"version": 1, "setup": {"run": {"optimizer": "momentum", "hyper": {"lr": 0.02}}}}"#,
        );
        assert_eq!(note, None);
        assert_eq!(old.setup.runs.len(), 1);
        assert_eq!(old.setup.run().hyper.lr, 0.02);
        assert_eq!(old.setup.run().hyper.momentum, 0.9);
    }

    #[test]
    fn the_page_is_stored_as_before() {
        let s = Settings {
            page: SidePage::Data,
            ..Settings::default()
        };
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains(r#""page":"Data""#), "{json}");
        for (text, page) in [
            ("Arithmetic", SidePage::Arithmetic),
            ("Sweep", SidePage::Sweep),
            ("Slice", SidePage::Slice),
            ("Data", SidePage::Data),
        ] {
            let (read, note) =
                Settings::from_json(&format!(r#"{{"version": 2, "page": "{text}"}}"#));
            assert_eq!((read.page, note), (page, None));
        }
    }
}
