//! The engine of downhill: every number the window draws, with no UI.
//!
//! Layers, each using only those above it:
//! - [`geometry`] and [`format`]: the leaf types (a point, a rectangle of the plane) and how a
//!   number is printed; [`progress`]: how long work reports and is cancelled; [`files`]:
//!   reading a named file with a stated limit.
//! - [`landscape`], [`expr`] (typed formulas), [`data`] (models over points): loss surfaces
//!   with exact gradients and Hessians.
//! - [`optim`]: torch.optim's optimizers, bit for bit.
//! - [`run`]: a run (schedule, noise, status), its rows, its bounded path, setups and their
//!   one-line text.
//! - [`teach`]: the step arithmetic, Hessian facts, presets and lessons, sweeps and slices.
//! - [`picture`]: the field on a grid, contours, colours and the 3-D mesh, as plain data.
//!
//! This crate depends on no egui, eframe, wgpu or plotters: the compiler keeps the engine
//! free of the UI.

pub mod data;
pub mod expr;
pub mod files;
pub mod format;
pub mod geometry;
pub mod landscape;
pub mod net;
pub mod optim;
pub mod picture;
pub mod progress;
pub mod run;
pub mod teach;
