//! The three picture threads of the window: the heat map of the visible window, the
//! learning-rate sweep and the 1-D slices. Each answers the newest request only
//! ([`LatestWorker`]); the work itself is the engine's.

use downhill_engine::picture::image::{self, FieldRequest};
use downhill_engine::picture::surface::FieldPicture;
use downhill_engine::teach::slice::{self, SliceRequest, Slices};
use downhill_engine::teach::sweep::{self, Sweep, SweepRequest};

use crate::live::worker::LatestWorker;

/// The window's handle on the field thread. Dropping it stops the thread.
pub type FieldWorker = LatestWorker<FieldRequest, FieldPicture>;

/// Starts the field thread; `notify` is called when a picture is ready. The thread also
/// builds the 3-D surface of each picture (preview or not) when asked for, off the UI thread.
pub fn spawn_field(notify: impl Fn() + Send + 'static) -> std::io::Result<FieldWorker> {
    LatestWorker::spawn_with_previews(
        "downhill-field",
        |id, req: FieldRequest, progress, preview| {
            let want = req.gradient;
            let preview = |coarse| preview(FieldPicture::of(coarse, want));
            image::compute_with_preview(id, &req, progress, &preview)
                .map(|image| FieldPicture::of(image, want))
        },
        notify,
    )
}

/// The window's handle on the sweep thread.
pub type SweepWorker = LatestWorker<SweepRequest, Sweep>;

/// Starts the sweep thread; `notify` is called when a sweep is done.
pub fn spawn_sweep(notify: impl Fn() + Send + 'static) -> std::io::Result<SweepWorker> {
    LatestWorker::spawn("downhill-sweep", sweep::sweep, notify)
}

/// The window's handle on the slice thread.
pub type SliceWorker = LatestWorker<SliceRequest, Slices>;

/// Starts the slice thread; `notify` is called when curves are ready.
pub fn spawn_slice(notify: impl Fn() + Send + 'static) -> std::io::Result<SliceWorker> {
    LatestWorker::spawn("downhill-slice", slice::compute, notify)
}

/// A request for a network's output over its inputs at one θ (the Data page's regions).
pub struct RegionsRequest {
    pub problem: std::sync::Arc<downhill_engine::net::NetProblem>,
    pub theta: std::sync::Arc<[f64]>,
    /// What the answer is of: (generation, run, step), echoed back.
    pub key: (u64, usize, u64),
    /// Samples a side.
    pub size: usize,
}

/// The regions of one request.
pub struct RegionsAnswer {
    pub problem: std::sync::Arc<downhill_engine::net::NetProblem>,
    pub key: (u64, usize, u64),
    pub regions: Result<downhill_engine::net::regions::Regions, String>,
}

/// The window's handle on the regions thread.
pub type RegionsWorker = LatestWorker<RegionsRequest, RegionsAnswer>;

/// Starts the regions thread; `notify` is called when an answer is ready.
pub fn spawn_regions(notify: impl Fn() + Send + 'static) -> std::io::Result<RegionsWorker> {
    LatestWorker::spawn(
        "downhill-regions",
        |_, req: RegionsRequest, progress| {
            let regions = downhill_engine::net::regions::regions(
                &req.problem,
                &req.theta,
                req.size,
                progress,
            )?;
            Some(RegionsAnswer {
                problem: req.problem,
                key: req.key,
                regions,
            })
        },
        notify,
    )
}
