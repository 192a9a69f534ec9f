//! Pictures as plain data: the landscape sampled on a grid with contour lines and colours
//! ([`field`]), the picture of the visible window the app asks for ([`image`]), and the 3-D
//! surface mesh built from it ([`surface`]). Drawing them is the app's job.

pub mod field;
pub mod image;
pub mod surface;
