//! The window's actions, each defined once: its text, tooltip and keyboard shortcut, shared by
//! buttons, menus, the help overlay and key handling. Whatever the user presses becomes an
//! [`Action`] in the frame's queue, and the window applies the queue after drawing (rerun's
//! `UICommand`), so no panel changes the window's state behind another's back.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

/// The colour switch's tooltip, the same both ways.
const THEME_TIP: &str =
    "Switch between light and dark colours (light reads better on some projectors)";

/// Something the user can do with one press.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    PlayPause,
    Step,
    Reset,
    Fit,
    Help,
    Present,
    ThreeD,
    /// Save the picture on screen as a PNG.
    SavePicture,
    /// Copy the setup text to the clipboard.
    CopySetup,
    /// Open the Paste setup window.
    PasteSetup,
    /// Switch to light colours (the button shows while the colours are dark).
    LightColours,
    /// Switch to dark colours.
    DarkColours,
    /// Open lesson `i` of the presets (the Lessons menu; the entry's text is the lesson's
    /// title).
    OpenLesson(usize),
    /// Play the lesson's run.
    RevealLesson,
    /// Hide the lesson card, keeping the run.
    CloseLesson,
}

impl Action {
    /// The actions with a keyboard shortcut, in the order the help overlay lists them.
    pub const ALL: [Action; 7] = [
        Action::PlayPause,
        Action::Step,
        Action::Reset,
        Action::Fit,
        Action::Help,
        Action::Present,
        Action::ThreeD,
    ];

    /// The button text and its tooltip.
    pub fn text_and_tooltip(self) -> (&'static str, &'static str) {
        match self {
            Action::PlayPause => ("Play", "Play or pause the run"),
            Action::Step => ("Step", "Take one update (pauses the run)"),
            Action::Reset => ("Reset", "Back to the start point, step 0"),
            Action::Fit => ("Fit", "Fit the view to the landscape and the path"),
            Action::Help => ("Help", "Show the keyboard shortcuts"),
            Action::Present => (
                "Present",
                "Presentation mode: full screen, larger text and thicker lines, the controls that \
                 matter only (again to leave)",
            ),
            Action::ThreeD => (
                "3-D",
                "The landscape as a surface beside the 2-D view, the paths rolling down it (again \
                 to hide it)",
            ),
            Action::SavePicture => (
                "Save picture",
                "Save the landscape with the paths as a PNG (1600×1000) in the folder downhill \
                 started in; `downhill render` makes SVG and GIF too",
            ),
            Action::CopySetup => (
                "Copy setup",
                "Copy everything that decides this picture (landscape, runs, start, view) as one \
                 line of text to send; `downhill --setup TEXT` opens it",
            ),
            Action::PasteSetup => ("Paste setup", "Open a setup text someone sent you"),
            Action::LightColours => ("Light colours", THEME_TIP),
            Action::DarkColours => ("Dark colours", THEME_TIP),
            Action::OpenLesson(_) => (
                "Lessons",
                "Worked examples and ideas from the course, ready to run",
            ),
            Action::RevealLesson => ("Reveal: play the run", "Play the lesson's run"),
            Action::CloseLesson => ("Close lesson", "Keep the run, hide the lesson card"),
        }
    }

    /// The tooltip with the shortcut after it, "Play or pause the run (Space)"; Help's tooltip
    /// already says it shows the shortcuts, and an action without one has its tooltip alone.
    pub fn hover_text(self, ctx: &egui::Context) -> String {
        let (_, tip) = self.text_and_tooltip();
        if self == Action::Help || self.shortcuts().is_empty() {
            tip.to_owned()
        } else {
            format!("{tip} ({})", self.shortcut_text(ctx))
        }
    }

    /// The shortcuts, the first one shown on buttons.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        const fn key(k: Key) -> KeyboardShortcut {
            KeyboardShortcut::new(Modifiers::NONE, k)
        }
        const PLAY: [KeyboardShortcut; 1] = [key(Key::Space)];
        const STEP: [KeyboardShortcut; 2] = [key(Key::ArrowRight), key(Key::N)];
        const RESET: [KeyboardShortcut; 1] = [key(Key::R)];
        const FIT: [KeyboardShortcut; 1] = [key(Key::F)];
        const HELP: [KeyboardShortcut; 2] = [key(Key::Questionmark), key(Key::H)];
        const PRESENT: [KeyboardShortcut; 1] = [key(Key::F11)];
        const THREE_D: [KeyboardShortcut; 1] = [key(Key::Num3)];
        match self {
            Action::PlayPause => &PLAY,
            Action::Step => &STEP,
            Action::Reset => &RESET,
            Action::Fit => &FIT,
            Action::Help => &HELP,
            Action::Present => &PRESENT,
            Action::ThreeD => &THREE_D,
            Action::SavePicture
            | Action::CopySetup
            | Action::PasteSetup
            | Action::LightColours
            | Action::DarkColours
            | Action::OpenLesson(_)
            | Action::RevealLesson
            | Action::CloseLesson => &[],
        }
    }

    /// The shortcut as text ("Space", "→").
    pub fn shortcut_text(self, ctx: &egui::Context) -> String {
        self.shortcuts()
            .iter()
            .map(|s| ctx.format_shortcut(s))
            .collect::<Vec<_>>()
            .join(" or ")
    }

    /// The actions whose shortcut was pressed this frame (each consumed once), unless a text
    /// field has the keyboard.
    pub fn pressed(ctx: &egui::Context) -> Vec<Action> {
        if ctx.egui_wants_keyboard_input() {
            return Vec::new();
        }
        ctx.input_mut(|i| {
            Self::ALL
                .into_iter()
                .filter(|a| a.shortcuts().iter().any(|s| i.consume_shortcut(s)))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every action with a shortcut is in the list the keys and the help overlay go through.
    #[test]
    fn every_keyed_action_is_listed() {
        for a in [
            Action::SavePicture,
            Action::CopySetup,
            Action::PasteSetup,
            Action::LightColours,
            Action::DarkColours,
            Action::OpenLesson(0),
            Action::RevealLesson,
            Action::CloseLesson,
        ] {
            assert!(
                a.shortcuts().is_empty() && !Action::ALL.contains(&a),
                "{a:?}"
            );
        }
        for a in Action::ALL {
            assert!(!a.shortcuts().is_empty(), "{a:?}");
        }
    }
}
