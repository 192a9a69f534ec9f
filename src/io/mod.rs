//! The command line: `downhill list`, `trace`, `render` and the window's options.

pub mod cli;
