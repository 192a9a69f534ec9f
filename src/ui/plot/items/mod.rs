//! The plot items of our own, one [`egui_plot::PlotItem`] per file as egui_plot keeps its
//! `items/`: contour lines, long cached lines, and the runs' numbers at their ends.

pub mod cached_line;
pub mod contour;
pub mod end_labels;
