//! The colours of the window, one place for dark and light themes: paths contrast with the
//! viridis heat map (dark blue to yellow) in both.

use downhill_engine::run::setup::MAX_RUNS;
use eframe::egui::{Color32, Visuals};

/// Colours for one theme.
pub struct Palette {
    /// The first run's path: warm, so it stands out on viridis.
    pub path: Color32,
    /// One colour per racing run (the first is `path`), all readable on viridis: six strong
    /// ones, then twelve paler (dark theme) or deeper (light theme) ones, so a race of eighteen
    /// repeats none. Past six the window also writes each run's number beside its path.
    pub runs: [Color32; MAX_RUNS],
    pub current: Color32,
    pub start: Color32,
    pub gradient_arrow: Color32,
    pub velocity_arrow: Color32,
    pub minimum: Color32,
    pub contour: Color32,
    pub mark: Color32,
    pub converging: Color32,
    pub converged: Color32,
    pub oscillating: Color32,
    /// Moving away but not gone yet: a warning red-orange, between oscillating's orange and
    /// diverged's red, so "still running, getting worse" reads apart from "over".
    pub diverging: Color32,
    pub diverged: Color32,
    /// Not moving where there is no minimum: a neutral grey-blue, neither good nor alarming.
    pub stuck: Color32,
    pub error: Color32,
    /// A network's two classes (labels 0 and 1), TensorFlow Playground's orange and blue.
    pub classes: [Color32; 2],
}

impl Palette {
    pub fn of(visuals: &Visuals) -> Self {
        if visuals.dark_mode {
            Self {
                path: Color32::from_rgb(255, 112, 67),
                runs: [
                    Color32::from_rgb(255, 112, 67),
                    Color32::from_rgb(255, 255, 255),
                    Color32::from_rgb(255, 64, 200),
                    Color32::from_rgb(0, 229, 255),
                    Color32::from_rgb(255, 23, 68),
                    Color32::from_rgb(198, 255, 0),
                    Color32::from_rgb(255, 241, 118),
                    Color32::from_rgb(179, 157, 219),
                    Color32::from_rgb(128, 222, 234),
                    Color32::from_rgb(255, 171, 145),
                    Color32::from_rgb(165, 214, 167),
                    Color32::from_rgb(244, 143, 177),
                    Color32::from_rgb(144, 202, 249),
                    Color32::from_rgb(255, 204, 128),
                    Color32::from_rgb(206, 147, 216),
                    Color32::from_rgb(230, 238, 156),
                    Color32::from_rgb(188, 170, 164),
                    Color32::from_rgb(128, 203, 196),
                ],
                current: Color32::from_rgb(255, 255, 255),
                start: Color32::from_rgb(255, 112, 67),
                gradient_arrow: Color32::from_rgb(255, 64, 129),
                velocity_arrow: Color32::from_rgb(0, 229, 255),
                minimum: Color32::from_rgb(255, 255, 255),
                contour: Color32::from_rgba_unmultiplied(255, 255, 255, 90),
                mark: Color32::from_rgb(255, 193, 7),
                converging: Color32::from_rgb(100, 181, 246),
                converged: Color32::from_rgb(102, 187, 106),
                oscillating: Color32::from_rgb(255, 167, 38),
                diverging: Color32::from_rgb(255, 128, 64),
                diverged: Color32::from_rgb(239, 83, 80),
                stuck: Color32::from_rgb(176, 190, 197),
                error: Color32::from_rgb(239, 83, 80),
                classes: [
                    Color32::from_rgb(245, 147, 34),
                    Color32::from_rgb(66, 165, 245),
                ],
            }
        } else {
            Self {
                path: Color32::from_rgb(216, 67, 21),
                runs: [
                    Color32::from_rgb(216, 67, 21),
                    Color32::from_rgb(20, 20, 20),
                    Color32::from_rgb(194, 24, 91),
                    Color32::from_rgb(0, 131, 143),
                    Color32::from_rgb(183, 28, 28),
                    Color32::from_rgb(85, 139, 47),
                    Color32::from_rgb(245, 127, 23),
                    Color32::from_rgb(69, 39, 160),
                    Color32::from_rgb(0, 105, 92),
                    Color32::from_rgb(130, 119, 23),
                    Color32::from_rgb(106, 27, 154),
                    Color32::from_rgb(21, 101, 192),
                    Color32::from_rgb(78, 52, 46),
                    Color32::from_rgb(173, 20, 87),
                    Color32::from_rgb(40, 53, 147),
                    Color32::from_rgb(1, 87, 155),
                    Color32::from_rgb(55, 71, 79),
                    Color32::from_rgb(117, 117, 117),
                ],
                current: Color32::from_rgb(0, 0, 0),
                start: Color32::from_rgb(216, 67, 21),
                gradient_arrow: Color32::from_rgb(194, 24, 91),
                velocity_arrow: Color32::from_rgb(0, 131, 143),
                minimum: Color32::from_rgb(0, 0, 0),
                contour: Color32::from_rgba_unmultiplied(0, 0, 0, 80),
                mark: Color32::from_rgb(191, 54, 12),
                converging: Color32::from_rgb(21, 101, 192),
                converged: Color32::from_rgb(46, 125, 50),
                oscillating: Color32::from_rgb(230, 81, 0),
                diverging: Color32::from_rgb(191, 54, 12),
                diverged: Color32::from_rgb(198, 40, 40),
                stuck: Color32::from_rgb(84, 110, 122),
                error: Color32::from_rgb(198, 40, 40),
                classes: [
                    Color32::from_rgb(230, 120, 10),
                    Color32::from_rgb(8, 100, 189),
                ],
            }
        }
    }
}

impl Palette {
    /// The colour of racing run `k`.
    pub fn run(&self, k: usize) -> Color32 {
        self.runs[k % self.runs.len()]
    }

    /// The colour of the paths that end in minimum `i` (scattered starts with one run):
    /// basins of attraction in colours of their own.
    pub fn basin(&self, i: usize) -> Color32 {
        const BASINS: [Color32; 8] = [
            Color32::from_rgb(255, 112, 67),
            Color32::from_rgb(0, 229, 255),
            Color32::from_rgb(255, 64, 200),
            Color32::from_rgb(255, 255, 255),
            Color32::from_rgb(198, 255, 0),
            Color32::from_rgb(255, 193, 7),
            Color32::from_rgb(124, 77, 255),
            Color32::from_rgb(255, 23, 68),
        ];
        BASINS[i % BASINS.len()]
    }

    /// The colour that says what a run is doing.
    pub fn status(&self, s: downhill_engine::run::Status) -> Color32 {
        use downhill_engine::run::Status;
        match s {
            Status::Converging => self.converging,
            Status::Converged => self.converged,
            Status::Oscillating => self.oscillating,
            Status::Diverging => self.diverging,
            Status::Stuck => self.stuck,
            Status::Diverged | Status::LeftDomain => self.diverged,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every racing run has a colour of its own in both themes.
    #[test]
    fn eighteen_runs_eighteen_colours() {
        for dark in [true, false] {
            let visuals = if dark {
                Visuals::dark()
            } else {
                Visuals::light()
            };
            let p = Palette::of(&visuals);
            let mut seen = std::collections::HashSet::new();
            for k in 0..MAX_RUNS {
                assert!(seen.insert(p.run(k)), "run {} repeats a colour", k + 1);
            }
        }
    }

    /// `downhill render` draws the runs in the dark theme's colours.
    #[test]
    fn render_uses_the_dark_themes_run_colours() {
        let dark = Palette::of(&Visuals::dark());
        for (k, c) in crate::render::RUN_COLOURS.iter().enumerate() {
            assert_eq!(
                Color32::from_rgb(c.0, c.1, c.2),
                dark.run(k),
                "run {}",
                k + 1
            );
        }
    }
}
