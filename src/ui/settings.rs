//! The settings that survive a restart: the setup and the speed, stored as versioned JSON in
//! `settings.json` in the app's storage folder, written atomically (a temporary file renamed
//! into place). A file that cannot be read is kept beside itself (renamed, with the reason in
//! the note) and the window starts on the defaults; a file from a newer version is never
//! overwritten. Either way the window says so on its first frame.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::live::stepper::Speed;
use downhill_engine::run::setup::Setup;

/// The key under which versions before the settings file kept the settings in eframe's
/// storage (read once, when there is no settings file yet).
const KEY: &str = "downhill.settings";
/// The largest settings file read (a setup with a data file's points inside can be large).
const MAX_BYTES: u64 = 8_000_000;
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

/// What reading a settings text found.
#[derive(Debug, PartialEq)]
enum Read {
    Good(Box<Settings>),
    /// Written by a newer downhill, in this format.
    Newer(u32),
    /// Not settings this version can use, and why.
    Unreadable(String),
}

impl Settings {
    /// The settings in `text`, or the defaults and a note saying why not.
    pub fn from_json(text: &str) -> (Self, Option<String>) {
        match Self::read(text) {
            Read::Good(s) => (*s, None),
            Read::Newer(v) => (
                Self::default(),
                Some(format!(
                    "Your settings were saved by a newer version of downhill (format {v}); starting from the defaults"
                )),
            ),
            Read::Unreadable(why) => (
                Self::default(),
                Some(format!(
                    "Your saved settings could not be read ({why}); starting from the defaults"
                )),
            ),
        }
    }

    /// Reads `text`: whole settings whose setup can run, or why not.
    fn read(text: &str) -> Read {
        match serde_json::from_str::<Settings>(text) {
            Ok(s) if s.version > VERSION => Read::Newer(s.version),
            Ok(s) => match s.setup.build_all() {
                Ok(_) => Read::Good(Box::new(s)),
                Err(e) => Read::Unreadable(format!("its setup cannot run: {e}")),
            },
            Err(e) => Read::Unreadable(e.to_string()),
        }
    }
}

/// Where the settings live, and whether this window may write them.
#[derive(Debug, Default)]
pub struct SettingsFile {
    /// `None`: nowhere to keep them (no home folder; tests).
    path: Option<PathBuf>,
    /// The file there is from a newer downhill: leave it as it is.
    frozen: bool,
}

impl SettingsFile {
    /// `settings.json` in the app's storage folder (where eframe keeps its own state).
    pub fn standard() -> Self {
        Self::at(eframe::storage_dir("downhill").map(|d| d.join("settings.json")))
    }

    /// The settings file at `path` (or none).
    pub fn at(path: Option<PathBuf>) -> Self {
        Self {
            path,
            frozen: false,
        }
    }

    /// Reads the settings, or the defaults with a note for the window's first frame. With no
    /// file yet, settings an earlier version kept in eframe's storage (`legacy`) are read.
    pub fn load(&mut self, legacy: Option<&dyn eframe::Storage>) -> (Settings, Option<String>) {
        let Some(path) = self.path.clone() else {
            return (Settings::default(), None);
        };
        if !path.exists() {
            return match legacy.and_then(|s| s.get_string(KEY)) {
                Some(text) => Settings::from_json(&text),
                None => (Settings::default(), None),
            };
        }
        let read = match downhill_engine::files::read_text(&path, MAX_BYTES, "settings file") {
            Ok(text) => Settings::read(&text),
            Err(e) => Read::Unreadable(e),
        };
        match read {
            Read::Good(s) => (*s, None),
            Read::Newer(v) => {
                self.frozen = true;
                (
                    Settings::default(),
                    Some(format!(
                        "Your settings in {} were saved by a newer version of downhill (format \
                         {v}): this window starts from the defaults and leaves that file as it is",
                        path.display()
                    )),
                )
            }
            Read::Unreadable(why) => {
                let kept = keep_aside(&path);
                let where_ = match &kept {
                    Ok(p) => format!("it was kept as {}", p.display()),
                    Err(e) => format!("it could not be kept aside ({e}) and is left as it is"),
                };
                if kept.is_err() {
                    self.frozen = true;
                }
                (
                    Settings::default(),
                    Some(format!(
                        "Your settings file could not be read ({why}); {where_}, and the window \
                         starts from the defaults"
                    )),
                )
            }
        }
    }

    /// Writes `settings` (atomically), unless the file belongs to a newer version.
    pub fn save(&self, settings: &Settings) -> Result<(), String> {
        let (Some(path), false) = (&self.path, self.frozen) else {
            return Ok(());
        };
        let text = serde_json::to_vec_pretty(settings).map_err(|e| e.to_string())?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                format!(
                    "cannot write {}: {}",
                    path.display(),
                    crate::atomic::plain(&e)
                )
            })?;
        }
        crate::atomic::write_bytes(path, &text)
    }
}

/// Renames an unreadable settings file beside itself (`settings.json.unreadable`, then `.2`,
/// …), so nothing of it is lost and the next save starts a new one.
fn keep_aside(path: &Path) -> Result<PathBuf, String> {
    let name = path
        .file_name()
        .map_or_else(|| "settings".into(), |n| n.to_string_lossy().into_owned());
    for k in 1..1000 {
        let suffix = if k == 1 {
            ".unreadable".to_owned()
        } else {
            format!(".unreadable.{k}")
        };
        let aside = path.with_file_name(format!("{name}{suffix}"));
        if !aside.exists() {
            return std::fs::rename(path, &aside)
                .map(|()| aside)
                .map_err(|e| crate::atomic::plain(&e));
        }
    }
    Err("too many unreadable settings files beside it".into())
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

    fn folder(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("downhill-settings-{}-{name}", std::process::id()));
        std::fs::remove_dir_all(&d).ok();
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn an_unreadable_file_is_kept_aside_with_a_note() {
        for (name, content) in [
            ("garbage", &b"{not json"[..]),
            ("empty", b""),
            ("cut", b"{\"version\": 2, \"setup\": {\"landscape\""),
        ] {
            let d = folder(name);
            let path = d.join("settings.json");
            std::fs::write(&path, content).unwrap();
            let mut file = SettingsFile::at(Some(path.clone()));
            let (s, note) = file.load(None);
            assert_eq!(s, Settings::default());
            let note = note.unwrap();
            assert!(note.contains("could not be read"), "{note}");
            assert!(note.contains("settings.json.unreadable"), "{note}");
            assert_eq!(
                std::fs::read(d.join("settings.json.unreadable")).unwrap(),
                content
            );
            // The next save writes a fresh file; the kept one stays.
            file.save(&s).unwrap();
            assert!(path.exists());
            assert_eq!(
                std::fs::read(d.join("settings.json.unreadable")).unwrap(),
                content
            );
            std::fs::remove_dir_all(&d).ok();
        }
    }

    #[test]
    fn a_newer_file_is_never_overwritten() {
        let d = folder("newer");
        let path = d.join("settings.json");
        let newer = br#"{"version": 99, "something": "new"}"#;
        std::fs::write(&path, newer).unwrap();
        let mut file = SettingsFile::at(Some(path.clone()));
        let (s, note) = file.load(None);
        assert!(note.unwrap().contains("newer version"));
        file.save(&s).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), newer);
        std::fs::remove_dir_all(&d).ok();
    }

    #[test]
    fn settings_that_cannot_run_are_kept_aside() {
        let d = folder("bad-kappa");
        let path = d.join("settings.json");
        let mut s = Settings::default();
        s.setup.landscape = downhill_engine::landscape::LandscapeSpec::Builtin {
            name: "bowl".into(),
            params: [("kappa".to_owned(), -5.0)].into_iter().collect(),
        };
        std::fs::write(&path, serde_json::to_string(&s).unwrap()).unwrap();
        let (back, note) = SettingsFile::at(Some(path.clone())).load(None);
        assert_eq!(back, Settings::default());
        assert!(note.unwrap().contains("kappa must be from 1 to 1000"));
        std::fs::remove_dir_all(&d).ok();
    }

    #[test]
    fn good_settings_round_trip_through_the_file() {
        let d = folder("good");
        let path = d.join("sub").join("settings.json");
        let mut s = Settings::default();
        s.setup.runs[0].config.hyper.lr = 0.2;
        SettingsFile::at(Some(path.clone())).save(&s).unwrap();
        let (back, note) = SettingsFile::at(Some(path)).load(None);
        assert_eq!((back, note), (s, None));
        std::fs::remove_dir_all(&d).ok();
    }
}
