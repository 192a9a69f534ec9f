//! The snapshot the window reads: every run as of one moment, published by the stepper
//! thread as a pointer copy.

use super::*;

/// One racing run as of one moment.
#[derive(Clone, Debug)]
pub struct RunView {
    /// Rows 0..=step.
    pub path: RunPath,
    pub status: Status,
    /// How the path moves: smoothly, or zig-zagging across the valley.
    pub manner: Manner,
    /// Why, direction by direction ("along w1 every step multiplies the distance by −0.6: it
    /// overshoots and zig-zags"), from the engine's [`why`](downhill_engine::teach::why).
    pub why: Arc<[String]>,
    /// While a replay is behind the preview that ran ahead of it: where the preview ended (its
    /// status and step), so the window tells the outcome from the first frame.
    pub ahead: Option<(Status, u64)>,
    /// The run reached the step limit or stopped (diverged, left the domain).
    pub finished: bool,
    /// The optimizer's carried direction (momentum buffer, Adam's m), if it has one.
    pub velocity: Option<Vec2>,
    /// The learning rate of the next update.
    pub lr: f64,
    /// Where the run tried to step and why the formula is undefined there.
    pub left_domain: Option<(Vec2, Undefined)>,
    /// On mini-batches: the points (indices into the data) of the batch behind the current
    /// row's gradient.
    pub batch: Option<Arc<[u32]>>,
}

impl RunView {
    /// The current row.
    pub fn row(&self) -> Option<&Row> {
        self.path.last()
    }

    /// The number of updates taken.
    pub fn step(&self) -> u64 {
        self.path.len().saturating_sub(1) as u64
    }

    /// The run's status words, as every legend and list shows them ("converging, zig-zag"):
    /// the preview's outcome while a replay is behind it.
    pub fn words(&self) -> String {
        self.outcome().0.words(self.manner)
    }

    /// The status to tell and the step it was reached at: the preview's while a replay is
    /// behind it, else the run's own.
    pub fn outcome(&self) -> (Status, u64) {
        self.ahead.unwrap_or((self.status, self.step()))
    }
}

/// A run from a scattered start: a thinned trail (enough to draw) and where it is now.
#[derive(Clone, Debug)]
pub struct ScatterView {
    /// Which racing run's settings it uses.
    pub run: usize,
    /// Points along the path, first the start, last the current point.
    pub trail: Arc<[Vec2]>,
    pub status: Status,
    /// The known minimum (index into the snapshot's minima) the run has reached, if any.
    pub basin: Option<usize>,
}

/// Which update the window asks to see written out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Inspect {
    /// The racing run.
    pub run: usize,
    /// The update (row `step − 1` → row `step`); `None` follows the live end.
    pub step: Option<u64>,
}

/// On a network: θ of one run at one step (what the Data page draws the network's output of).
#[derive(Clone, Debug)]
pub struct NetTheta {
    /// The racing run.
    pub run: usize,
    /// The row θ belongs to.
    pub step: u64,
    pub theta: Arc<[f64]>,
}

/// Everything the window draws, as of one moment.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Counts accepted setups: a new number means new runs.
    pub generation: u64,
    pub setup: Setup,
    pub landscape: Arc<Landscape>,
    /// One per racing run, in the setup's order.
    pub runs: Vec<RunView>,
    pub scatter: Vec<ScatterView>,
    /// Updates taken so far (the furthest run).
    pub step: u64,
    pub playing: bool,
    /// Every run reached the step limit or stopped.
    pub finished: bool,
    pub speed: Speed,
    pub facts: Facts,
    /// Known minima of the landscape and the lowest loss among them.
    pub minima: Vec<Vec2>,
    pub min_loss: Option<f64>,
    /// The window that shows the landscape's interesting part.
    pub fit_view: View,
    /// A typed formula's derivatives written out: ∂L/∂x, ∂L/∂y, then ∂²L/∂x², ∂²L/∂x∂y, ∂²L/∂y².
    pub derivatives: Option<Arc<[String; 5]>>,
    /// What the window asked to see written out, and that update written out.
    pub inspect: Inspect,
    pub explanation: Option<Explanation>,
    /// Why the newest setup was refused (the previous runs go on).
    pub error: Option<String>,
    /// The stepper hit a bug and restarted: what to tell the user.
    pub crash: Option<String>,
    /// On a data landscape: the condition number with raw and with standardized x.
    pub conditioning: Option<downhill_engine::data::Conditioning>,
    /// On a network: θ of the inspected run at the inspected step (the live step when the
    /// window follows the live end).
    pub theta: Option<NetTheta>,
}

impl Snapshot {
    /// The first racing run (there is always one).
    pub fn primary(&self) -> &RunView {
        &self.runs[0]
    }

    /// The first run's current row.
    pub fn row(&self) -> Option<&Row> {
        self.primary().row()
    }
}
