//! downhill: gradient descent made visible.
//!
//! The engine is free of any UI: [`landscape`] (loss surfaces with exact derivatives),
//! [`expr`] (typed formulas), [`optim`] (torch.optim's optimizers, bit for bit), [`schedule`],
//! [`noise`], [`run`] (a run and its status) and [`facts`] (what the Hessian says). [`cli`] is
//! the headless command line built on it; every number the window shows can be printed there.
//! [`setup`], [`stepper`], [`field`] and [`field_worker`] feed the window ([`ui`]), which draws
//! and computes nothing itself.

pub mod cli;
pub mod data;
pub mod explain;
pub mod expr;
pub mod facts;
pub mod field;
pub mod field_worker;
pub mod format;
pub mod landscape;
pub mod noise;
pub mod optim;
pub mod path;
pub mod preset;
pub mod render;
pub mod render3d;
pub mod run;
pub mod schedule;
pub mod setup;
pub mod share;
pub mod slice;
pub mod stepper;
pub mod surface;
pub mod sweep;
pub mod ui;
pub mod worker;
