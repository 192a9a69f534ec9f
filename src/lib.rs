//! downhill: gradient descent made visible.
//!
//! The numbers live in the engine crate, [`downhill_engine`] (landscapes, optimizers, runs,
//! pictures as data), which knows no UI. This crate is the app built on it:
//! - [`atomic`]: every file written beside its target and renamed into place when complete;
//! - [`live`]: the stepper thread and the picture workers that feed the window;
//! - [`io`]: the command line (`list`, `trace`, `render`) and the window's options;
//! - [`render`]: PNG, SVG and GIF pictures, and the CPU 3-D rasterizer;
//! - [`ui`]: the eframe window, which draws snapshots and computes nothing itself.

pub mod atomic;
pub mod io;
pub mod live;
pub mod render;
pub mod ui;
