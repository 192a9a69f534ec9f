//! A real network: torch's `nn.Sequential` of `nn.Linear` layers trained in float64, and its
//! loss on a plane through its weights (Li et al. 2018, "Visualizing the Loss Landscape of
//! Neural Nets").
//!
//! - [`spec`]: the shape, activation, loss and the layout of θ (torch's `parameters()` order).
//! - [`data`]: the points (CSV tables, shipped sets, seeded 2-D patterns).
//! - [`model`]: the forward and backward pass.
//! - [`init`]: θ₀ from a file or a seed.
//! - [`lanes`]: torch's element-wise optimizers on a θ of any length.
//! - [`optimizer`]: every optimizer a network trains with (the lanes, L-BFGS on the flat θ,
//!   Adafactor tensor by tensor), and the two it cannot.
//! - [`plane`]: the plane the map shows and the path's projection onto it.
//! - [`problem`]: a network with its data and θ₀, as setups store it, and its plane landscape.
//! - [`train`]: the training loop a run steps.
//! - [`regions`]: the network's output over its inputs (decision regions, fitted curve).

pub mod data;
pub mod init;
pub mod lanes;
pub mod model;
pub mod optimizer;
pub mod plane;
pub mod problem;
pub mod regions;
pub mod spec;
pub mod train;

pub use data::{NetData, NetDataSource, Pattern};
pub use init::Init;
pub use model::Net;
pub use plane::{Plane, PlaneKind};
pub use problem::{NetLandscape, NetProblem, NetSetup};
pub use spec::{Activation, NetLoss, NetSpec};
pub use train::NetTrain;
