//! The command line (`downhill list`, `trace`, `render`) and writing files safely.

pub mod atomic;
pub mod cli;
