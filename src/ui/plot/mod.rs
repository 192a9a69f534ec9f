//! The plots, one file each: the [`landscape_view`] map, the [`loss_plot`], the 3-D
//! [`surface_view`] drawn by [`gpu3d`], and the [`still_plot`] the data and network pages
//! share. What several plots use is beside them: [`axes`] (grid marks, labels, the wheel's
//! zoom), [`legend`] (where a legend goes), [`polyline`] (long lines reduced in screen space),
//! and under [`items`] our egui_plot items, one per file.

pub mod axes;
pub mod gpu3d;
pub mod items;
pub mod landscape_view;
pub mod legend;
pub mod loss_plot;
pub mod polyline;
pub mod still_plot;
pub mod surface_view;
