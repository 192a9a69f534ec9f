//! The plots.

pub mod axes;
pub mod gpu3d;
pub mod items;
pub mod landscape_view;
pub mod legend;
pub mod loss_plot;
pub mod polyline;
pub mod still_plot;
pub mod surface_view;
