//! Pictures as plain data: the landscape sampled on a grid with contour lines and colours
//! ([`field`]), the picture of the visible window the app asks for ([`image`]), and the 3-D
//! surface mesh built from it ([`surface`]). Drawing them is the app's job. The field's work is
//! split by job into [`grid`] (sampling), [`contour`] (levels and marching squares) and
//! [`colour`] (the colour scale), gathered in [`field`].

pub mod colour;
pub mod contour;
pub mod exit;
pub mod field;
pub mod grid;
pub mod image;
pub mod surface;
