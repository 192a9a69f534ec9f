//! The leaf types every layer speaks: a point of the (w0, w1) plane and a rectangle of it.

use serde::{Deserialize, Serialize};

/// A point, a gradient or a per-coordinate optimizer state: (w0, w1).
pub type Vec2 = nalgebra::Vector2<f64>;

/// A coordinate (or a network's parameter) beyond this magnitude means the run has diverged.
pub const DIVERGENCE_LIMIT: f64 = 1e6;

/// A rectangle of the (w0, w1) plane: `x = [min, max]`, `y = [min, max]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct View {
    pub x: [f64; 2],
    pub y: [f64; 2],
}
