//! The threads behind the window: the stepper that owns the runs and publishes snapshots,
//! and the picture workers (heat map, sweep, slices) that answer the newest request only.

pub mod stepper;
pub mod worker;
pub mod workers;
