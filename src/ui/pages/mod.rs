//! The side panel's pages, in the shape of egui's demo `View`/`Demo`: a page is a type that
//! implements [`page::Page`], in its own file here, and is listed once in [`registry`]. Pages
//! import the trait, the registry imports the pages, and nothing imports back.
//!
//! A page is named by a [`SidePage`], the engine's enum, because presets name the page a lesson
//! opens on and the settings remember the open one; both formats keep their spelling.
//!
//! [`SidePage`]: crate::ui::settings::SidePage

pub mod arithmetic;
pub mod data_view;
pub mod net_view;
pub mod page;
pub mod registry;
pub mod slice_view;
pub mod sweep_view;
