//! Which step the window shows: the live end, or one in the past. The arithmetic page moves
//! it; the map, the loss plot and the other pages follow it.

/// What the timeline shows: the live end, or a step in the past.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    /// `None`: follow the live step.
    pub step: Option<u64>,
}

impl Timeline {
    /// The step shown, given the live one.
    pub fn shown(&self, live: u64) -> u64 {
        self.step.map_or(live, |s| s.min(live))
    }
}
