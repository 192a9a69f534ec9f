//! The window's actions, each defined once: its text, tooltip and keyboard shortcut, shared by
//! buttons, the help overlay and key handling.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

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
}

impl Action {
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
