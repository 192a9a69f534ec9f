//! How the window opens: what the command line asks of it, in the window's own terms.

/// How the window opens.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WindowOptions {
    /// Index of the lesson to open (into [`downhill_engine::teach::preset::presets`]).
    pub lesson: Option<usize>,
    /// A setup to open (checked: it can run).
    pub setup: Option<downhill_engine::run::share::Shared>,
}
