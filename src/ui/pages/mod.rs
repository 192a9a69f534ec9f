//! The side panel's pages: one file per page, and the registry that lists them.

pub mod arithmetic;
pub mod data_view;
pub mod net_view;
pub mod registry;
pub mod slice_view;
pub mod sweep_view;
