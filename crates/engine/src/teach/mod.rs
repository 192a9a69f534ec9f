//! What the window and the course texts say about the numbers: each update written out
//! ([`explain`]), what the Hessian says ([`facts`]), the learning-rate slider's scale
//! ([`lr_scale`]), the course's worked examples and lessons ([`preset`]), the learning-rate
//! sweep ([`sweep`]), the 1-D slices ([`slice`]) and why a run moves as it does, direction by
//! direction ([`why`]).

pub mod explain;
pub mod facts;
pub mod lr_scale;
pub mod preset;
pub mod slice;
pub mod sweep;
pub mod why;
