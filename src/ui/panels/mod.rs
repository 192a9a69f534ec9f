//! The window's panels and their parts.

pub mod controls;
pub mod data_panel;
pub mod formula_panel;
pub mod landscape_choice;
pub mod lessons;
pub mod lr_slider;
pub mod net_panel;
pub mod status;
pub mod top_bar;
