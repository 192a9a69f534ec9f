//! The plots.

pub mod gpu3d;
pub mod items;
pub mod landscape_view;
pub mod loss_plot;
pub mod polyline;
pub mod still_plot;
pub mod surface_view;
