//! The macro behind the optimizer table in `optim/mod.rs`.

/// Generates, from one list of `module::Family { Kind => DESCRIPTOR, … }` lines (a family's
/// file, its type, and the names it serves with their descriptors in that file):
/// - `pub use module::Family;` for each family (the `pub mod` lines stand in `optim/mod.rs`
///   in plain sight: rustfmt and rust-analyzer do not follow a module declared by a macro);
/// - [`OptimizerKind`](super::OptimizerKind), the names a user picks, in the table's order,
///   with `ALL` and `info()` (serde names are the lowercase variants, which a test checks
///   against the descriptors' names);
/// - [`Optimizer`](super::Optimizer), one variant per family, `From` each family, and its
///   methods, each a dispatch to the family's [`Family`](super::Family) implementation (or its
///   [`Explain`](crate::teach::explain::Explain), its update written out).
///
/// A new family is its file (config, state, descriptors, `impl Family`), its explanation's
/// file, its `pub mod` and one line in the table: no `match` over the families is written by
/// hand.
macro_rules! optimizers {
    ($( $module:ident :: $family:ident { $( $kind:ident => $info:ident ),+ $(,)? } ),* $(,)?) => {
        $(
            pub use $module::$family;
        )*

        /// The optimizers a user picks by name, in the order menus list them; each is
        /// described by its [`KindInfo`] in its family's file.
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
        )]
        #[serde(rename_all = "lowercase")]
        pub enum OptimizerKind {
            $($(
                #[doc = concat!("[`", stringify!($module), "::", stringify!($info), "`]")]
                $kind,
            )+)*
        }

        impl OptimizerKind {
            /// Every optimizer, in the order menus list them.
            pub const ALL: [OptimizerKind; [$($(OptimizerKind::$kind),+),*].len()] =
                [$($(Self::$kind),+),*];

            /// This optimizer's descriptor.
            pub const fn info(self) -> &'static KindInfo {
                match self {
                    $($( Self::$kind => &$module::$info, )+)*
                }
            }
        }

        /// An optimizer with its state, ready to step: one of the families.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Optimizer {
            $(
                #[doc = concat!("[`", stringify!($module), "`]")]
                $family($family),
            )*
        }

        $(
            impl From<$family> for Optimizer {
                fn from(o: $family) -> Self {
                    Self::$family(o)
                }
            }
        )*

        impl Optimizer {
            /// What an update needs from the run ([`Family::NEEDS`]).
            #[inline(always)]
            pub fn needs(&self) -> Needs {
                match self {
                    $( Self::$family(_) => <$family as Family>::NEEDS, )*
                }
            }

            /// One update: the new point from `w`, its gradient `grad` and this step's
            /// learning rate ([`Family::step`]; a NaN point for the families that need more
            /// than the gradient).
            #[inline(always)]
            pub fn step(&mut self, w: Vec2, grad: Vec2, lr: f64) -> Vec2 {
                match self {
                    $( Self::$family(o) => o.step(w, grad, lr), )*
                }
            }

            /// One update given the Hessian at `w` ([`Family::step_with_hessian`]).
            #[inline(always)]
            pub fn step_with_hessian(
                &mut self,
                w: Vec2,
                grad: Vec2,
                hessian: Option<&nalgebra::Matrix2<f64>>,
                lr: f64,
            ) -> Result<Vec2, Singular> {
                match self {
                    $( Self::$family(o) => o.step_with_hessian(w, grad, hessian, lr), )*
                }
            }

            /// One `step(closure)` ([`Family::step_with_closure`]).
            #[inline]
            pub fn step_with_closure(
                &mut self,
                w: Vec2,
                loss: f64,
                grad: Vec2,
                lr: f64,
                closure: &mut dyn FnMut(Vec2) -> Option<(f64, Vec2)>,
            ) -> Result<ClosureStep, ClosureFailed> {
                match self {
                    $( Self::$family(o) => o.step_with_closure(w, loss, grad, lr, closure), )*
                }
            }

            /// The direction the optimizer carries from step to step, for drawing
            /// ([`Family::velocity`]).
            pub fn velocity(&self) -> Option<Vec2> {
                match self {
                    $( Self::$family(o) => o.velocity(), )*
                }
            }

            /// This optimizer computing its updates with arithmetic `a`
            /// ([`Family::set_arithmetic`]: refused by the families the course does not
            /// write out).
            pub fn with_arithmetic(mut self, a: Arithmetic) -> Result<Self, OptimError> {
                match &mut self {
                    $( Self::$family(o) => o.set_arithmetic(a)?, )*
                }
                Ok(self)
            }

            /// The next point depends on the current row alone ([`Family::is_stateless`]).
            #[inline(always)]
            pub fn is_stateless(&self) -> bool {
                match self {
                    $( Self::$family(o) => o.is_stateless(), )*
                }
            }

            /// How this optimizer (fresh) trains a network laid out as `layers`
            /// ([`Family::network`]).
            pub fn network(
                &self,
                layers: &[crate::net::spec::Layer],
            ) -> Result<crate::net::optimizer::NetOptimizer, NetRefused> {
                match self {
                    $( Self::$family(o) => o.network(layers), )*
                }
            }

            /// The update from this state written out at `at`
            /// ([`Explain::written_out`](crate::teach::explain::Explain::written_out)).
            pub fn written_out(
                &self,
                at: &crate::teach::explain::At<'_>,
            ) -> Vec<crate::teach::explain::Line> {
                use crate::teach::explain::Explain as _;
                match self {
                    $( Self::$family(o) => o.written_out(at), )*
                }
            }
        }
    };
}
