//! The window's panels and their parts, one file each: the [`top_bar`] with its [`lessons`]
//! menu and card, the [`controls`] on the left (the [`landscape_choice`] picker, the controls
//! of a formula, data or network landscape in [`formula_panel`], [`data_panel`] and
//! [`net_panel`], the learning rate's [`lr_slider`]), and the [`status`] line at the bottom.
//! Each edits a copy of the settings or queues an [`Action`](crate::ui::actions::Action); the
//! window applies both after the frame.

pub mod controls;
pub mod data_panel;
pub mod formula_panel;
pub mod landscape_choice;
pub mod lessons;
pub mod lr_slider;
pub mod net_panel;
pub mod status;
pub mod top_bar;
