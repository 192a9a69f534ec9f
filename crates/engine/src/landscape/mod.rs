//! Loss landscapes L(w0, w1): the built-ins with closed-form derivatives, and typed formulas
//! with exact derivatives. Everything the window and `downhill trace` show of a landscape (its
//! value, gradient, Hessian, formula, view, minima) comes from here.

pub mod builtin;

use std::collections::BTreeMap;
use std::sync::Arc;

use nalgebra::Matrix2;
use serde::{Deserialize, Serialize};

pub use builtin::{BUILTINS, Builtin, Coef, ParamSpec};

use crate::data::{DataLandscape, DataSource, Model};
use crate::expr::{Expr, ParseError, Scratch, Undefined};
use crate::format::short;
pub use crate::geometry::{Vec2, View};
use crate::net::{NetLandscape, NetSetup};

/// The default view of a typed formula.
pub const EXPR_VIEW: View = View {
    x: [-5.0, 5.0],
    y: [-5.0, 5.0],
};

/// Why a landscape could not be built.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LandscapeError {
    #[error("unknown landscape '{0}' (choose one of: {names})", names = builtin_names())]
    Unknown(String),
    #[error("{landscape} has no parameter '{param}' ({valid})")]
    UnknownParam {
        landscape: String,
        param: String,
        valid: String,
    },
    #[error("parameter {param} must be a finite number, got {value}")]
    BadParamValue { param: String, value: f64 },
    #[error("parameter {param} must be from {} to {}, got {}", short(.range.0), short(.range.1), short(*.value))]
    ParamOutOfRange {
        param: String,
        value: f64,
        range: (f64, f64),
    },
    #[error("typed formulas have no parameters; write the number into the formula")]
    ParamsOnExpr,
    #[error("bad formula at {0}")]
    Parse(#[from] ParseError),
    #[error("{0}")]
    Data(String),
}

fn builtin_names() -> String {
    BUILTINS
        .iter()
        .map(|b| b.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What names a landscape, as settings, presets and setups store it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LandscapeSpec {
    /// A built-in by name, with the parameters that differ from their defaults.
    Builtin {
        name: String,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        params: BTreeMap<String, f64>,
    },
    /// A typed formula in x and y.
    Expr { text: String },
    /// A model's loss over a data set.
    Data {
        data: DataSource,
        model: Model,
        #[serde(default)]
        standardize: bool,
    },
    /// A network's loss on a plane through its weights. Built by the setup with its runs
    /// ([`crate::run::setup::Setup::build_all`]): the plane follows the first run's path.
    Net(NetSetup),
}

impl LandscapeSpec {
    pub fn builtin(name: &str) -> Self {
        Self::Builtin {
            name: name.to_owned(),
            params: BTreeMap::new(),
        }
    }

    /// Builds the landscape, or says what is wrong with the spec.
    pub fn build(&self) -> Result<Landscape, LandscapeError> {
        match self {
            Self::Builtin { name, params } => Landscape::builtin_with(name, params),
            Self::Expr { text } => Ok(Landscape::Expr(Expr::parse(text)?)),
            Self::Data {
                data,
                model,
                standardize,
            } => DataLandscape::new(data, *model, *standardize)
                .map(|d| Landscape::Data(Arc::new(d)))
                .map_err(LandscapeError::Data),
            Self::Net(_) => Err(LandscapeError::Data(
                "a network's landscape is built with its runs: its plane follows the first \
                 run's path"
                    .into(),
            )),
        }
    }
}

/// A built-in landscape with its parameter values.
#[derive(Clone, Debug)]
pub struct BuiltinLandscape {
    pub spec: &'static Builtin,
    /// Values of `spec.params`, in order.
    pub params: Vec<f64>,
    coef: Coef,
}

impl PartialEq for BuiltinLandscape {
    fn eq(&self, other: &Self) -> bool {
        self.spec.name == other.spec.name && self.params == other.params
    }
}

/// A loss landscape.
#[derive(Clone, Debug, PartialEq)]
pub enum Landscape {
    Builtin(BuiltinLandscape),
    Expr(Expr),
    /// A model's loss over a data set (shared: runs clone their landscape).
    Data(Arc<DataLandscape>),
    /// A network's loss on a plane through its weights (shared).
    Net(Arc<NetLandscape>),
}

impl Landscape {
    /// A built-in with default parameters.
    pub fn builtin(name: &str) -> Result<Self, LandscapeError> {
        Self::builtin_with(name, &BTreeMap::new())
    }

    /// A built-in with some parameters set; the rest keep their defaults.
    pub fn builtin_with(name: &str, set: &BTreeMap<String, f64>) -> Result<Self, LandscapeError> {
        let spec = builtin::find(name).ok_or_else(|| LandscapeError::Unknown(name.to_owned()))?;
        let mut params: Vec<f64> = spec.params.iter().map(|p| p.default).collect();
        for (key, &value) in set {
            let Some(i) = spec.params.iter().position(|p| p.name == key) else {
                let valid = if spec.params.is_empty() {
                    "it has none".to_owned()
                } else {
                    let names: Vec<_> = spec.params.iter().map(|p| p.name).collect();
                    format!("it has: {}", names.join(", "))
                };
                return Err(LandscapeError::UnknownParam {
                    landscape: name.to_owned(),
                    param: key.clone(),
                    valid,
                });
            };
            if !value.is_finite() {
                return Err(LandscapeError::BadParamValue {
                    param: key.clone(),
                    value,
                });
            }
            // The slider's range is the domain: a value the window cannot show is refused
            // everywhere (κ ≤ 0 would not even be a bowl).
            let range = spec.params[i].range;
            if !(range.0..=range.1).contains(&value) {
                return Err(LandscapeError::ParamOutOfRange {
                    param: key.clone(),
                    value,
                    range,
                });
            }
            params[i] = value;
        }
        let coef = (spec.prepare)(&params);
        Ok(Self::Builtin(BuiltinLandscape { spec, params, coef }))
    }

    /// A typed formula.
    pub fn expr(text: &str) -> Result<Self, ParseError> {
        Ok(Self::Expr(Expr::parse(text)?))
    }

    /// The spec that rebuilds this landscape.
    pub fn spec(&self) -> LandscapeSpec {
        match self {
            Self::Builtin(b) => LandscapeSpec::Builtin {
                name: b.spec.name.to_owned(),
                params: b
                    .spec
                    .params
                    .iter()
                    .zip(&b.params)
                    .filter(|(p, v)| p.default != **v)
                    .map(|(p, v)| (p.name.to_owned(), *v))
                    .collect(),
            },
            Self::Expr(e) => LandscapeSpec::Expr {
                text: e.text().to_owned(),
            },
            Self::Data(d) => LandscapeSpec::Data {
                data: d.source.clone(),
                model: d.model,
                standardize: d.scale.is_some(),
            },
            Self::Net(n) => LandscapeSpec::Net(n.setup.clone()),
        }
    }

    /// The data landscape, if this is one.
    pub fn data(&self) -> Option<&Arc<DataLandscape>> {
        match self {
            Self::Data(d) => Some(d),
            Self::Builtin(_) | Self::Expr(_) | Self::Net(_) => None,
        }
    }

    /// The network landscape, if this is one.
    pub fn net(&self) -> Option<&Arc<NetLandscape>> {
        match self {
            Self::Net(n) => Some(n),
            Self::Builtin(_) | Self::Expr(_) | Self::Data(_) => None,
        }
    }

    /// The command-line name: the built-in's name, or `expr`.
    pub fn name(&self) -> &str {
        match self {
            Self::Builtin(b) => b.spec.name,
            Self::Expr(_) => "expr",
            Self::Data(_) => "data",
            Self::Net(_) => "net",
        }
    }

    /// The formula for display; a built-in with changed parameters lists them.
    pub fn formula(&self) -> String {
        match self {
            Self::Builtin(b) => {
                let changed: Vec<String> = b
                    .spec
                    .params
                    .iter()
                    .zip(&b.params)
                    .filter(|(p, v)| p.default != **v)
                    .map(|(p, v)| format!("{} = {}", p.name, v))
                    .collect();
                if changed.is_empty() {
                    b.spec.formula.to_owned()
                } else {
                    format!(
                        "{} with {}",
                        b.spec.generic.unwrap_or(b.spec.formula),
                        changed.join(", ")
                    )
                }
            }
            Self::Expr(e) => e.text().to_owned(),
            Self::Data(d) => d.formula(),
            Self::Net(n) => n.formula(),
        }
    }

    /// The default view window.
    pub fn view(&self) -> View {
        match self {
            Self::Builtin(b) => b.spec.view,
            Self::Expr(_) => EXPR_VIEW,
            Self::Data(d) => d.view(),
            Self::Net(n) => n.view(),
        }
    }

    /// A start point that shows the landscape's character.
    pub fn default_start(&self) -> Vec2 {
        match self {
            Self::Builtin(b) => Vec2::new(b.spec.start[0], b.spec.start[1]),
            Self::Expr(_) => Vec2::new(2.0, 1.5),
            // Training starts from zero.
            Self::Data(_) => Vec2::zeros(),
            // θ₀ comes from the network's init; this is only where its projection would be
            // without a plane.
            Self::Net(_) => Vec2::zeros(),
        }
    }

    /// Whether the loss ignores w1.
    pub fn is_one_d(&self) -> bool {
        match self {
            Self::Builtin(b) => b.spec.one_d,
            Self::Expr(e) => !e.uses_y(),
            Self::Data(_) | Self::Net(_) => false,
        }
    }

    /// L(w), NaN where a typed formula is undefined.
    #[inline]
    pub fn value(&self, w: Vec2) -> f64 {
        match self {
            Self::Builtin(b) => (b.spec.value)(&b.coef, w.x, w.y),
            Self::Expr(e) => e.value(w).unwrap_or(f64::NAN),
            Self::Data(d) => d.loss(w),
            Self::Net(n) => n.loss(w),
        }
    }

    /// L(w) and ∇L(w); `scratch` is reused between calls (typed formulas need it).
    #[inline(always)]
    pub fn eval(&self, w: Vec2, scratch: &mut Scratch) -> Result<(f64, Vec2), Undefined> {
        match self {
            Self::Builtin(b) => {
                let (v, g) = (b.spec.value_grad)(&b.coef, w.x, w.y);
                Ok((v, Vec2::new(g[0], g[1])))
            }
            Self::Expr(e) => e.value_grad(w, scratch),
            Self::Data(d) => Ok(d.batch(w, None)),
            Self::Net(n) => Ok(n.eval(w)),
        }
    }

    /// The Hessian ∇²L(w).
    pub fn hessian(&self, w: Vec2) -> Result<Matrix2<f64>, Undefined> {
        let h = match self {
            Self::Builtin(b) => (b.spec.hessian)(&b.coef, w.x, w.y),
            Self::Expr(e) => e.jet(w)?.h,
            Self::Data(d) => return Ok(d.hessian(w)),
            Self::Net(_) => return Err(Undefined::NoHessian),
        };
        Ok(Matrix2::new(h[0], h[1], h[1], h[2]))
    }

    /// Roughly what one grid value costs, in plain evaluations of a built-in: a logistic
    /// landscape over many points costs one per bunch of points (see [`Self::eval_many`]).
    pub fn picture_cost(&self) -> usize {
        match self {
            Self::Data(d) => d.picture_cost(),
            Self::Net(n) => n.picture_cost(),
            Self::Builtin(_) | Self::Expr(_) => 1,
        }
    }

    /// Gradients at many points (for the 3-D surface's normals), NaN where undefined; on data,
    /// of the picture's values (see [`Self::eval_many`]).
    pub fn grad_many(&self, xs: &[f64], ys: &[f64], out: &mut [[f64; 2]]) {
        let mut scratch = Scratch::new();
        for ((o, &x), &y) in out.iter_mut().zip(xs).zip(ys) {
            let w = Vec2::new(x, y);
            let g = match self {
                Self::Data(d) => Ok(d.picture_grad(w)),
                Self::Builtin(_) | Self::Expr(_) | Self::Net(_) => {
                    self.eval(w, &mut scratch).map(|(_, g)| g)
                }
            };
            *o = g.map_or([f64::NAN; 2], |g| [g.x, g.y]);
        }
    }

    /// Values at many points (for grids), NaN where undefined.
    pub fn eval_many(&self, xs: &[f64], ys: &[f64], out: &mut [f64], scratch: &mut Vec<f64>) {
        match self {
            Self::Builtin(b) => {
                for ((o, &x), &y) in out.iter_mut().zip(xs).zip(ys) {
                    *o = (b.spec.value)(&b.coef, x, y);
                }
            }
            Self::Expr(e) => e.eval_many(xs, ys, out, scratch),
            // Constant cost per point of the grid, whatever the number of data points.
            Self::Data(d) => {
                for ((o, &x), &y) in out.iter_mut().zip(xs).zip(ys) {
                    *o = d.picture_value(Vec2::new(x, y));
                }
            }
            Self::Net(n) => n.loss_many(xs, ys, out),
        }
    }

    /// The known minima, polished by Newton's method on the exact gradient and Hessian. For a
    /// typed formula, the minima a coarse grid search finds in [−10, 10]² (see
    /// [`Self::search_minima`]).
    pub fn minima(&self) -> Vec<Vec2> {
        if let Self::Data(d) = self {
            return d.minimum().ok().into_iter().collect();
        }
        // A network's minima are not known; searching its plane would cost a picture.
        if let Self::Net(_) = self {
            return Vec::new();
        }
        let Self::Builtin(b) = self else {
            let found = self.search_minima(SEARCH_VIEW, SEARCH_GRID);
            if !self.is_one_d() {
                return found;
            }
            // A formula without y has a valley of minima along w1: one point per valley, on
            // the w0 axis.
            let mut xs: Vec<f64> = found.iter().map(|m| m.x).collect();
            xs.sort_by(f64::total_cmp);
            xs.dedup_by(|a, b| (*a - *b).abs() <= 1e-6 * (1.0 + b.abs()));
            return xs.into_iter().map(|x| Vec2::new(x, 0.0)).collect();
        };
        // A parameter can turn a minimum into a saddle or a maximum (a negative κ, say): keep
        // only points where the curvature is up in every direction.
        (b.spec.minima)(&b.coef)
            .into_iter()
            .map(|m| self.polish(Vec2::new(m[0], m[1])))
            .filter(|m| {
                self.hessian(*m)
                    .is_ok_and(|h| h.symmetric_eigenvalues().min() >= -1e-9)
            })
            .collect()
    }

    /// The window that shows the interesting part, given the landscape's [`minima`](Self::minima):
    /// a built-in's own view; for a typed formula, the minima with room around them (at least
    /// [−2, 2] around their middle), or [−5, 5]² when there are none.
    pub fn fit_view(&self, minima: &[Vec2]) -> View {
        match self {
            Self::Builtin(b) => b.spec.view,
            Self::Expr(_) => fit_around(minima).unwrap_or(EXPR_VIEW),
            Self::Data(d) => d.view(),
            Self::Net(n) => n.view(),
        }
    }

    /// Local minima by search: the `n`×`n` grid over `view` gives candidates (points no higher
    /// than their eight neighbours), Newton's method on the exact gradient and Hessian polishes
    /// them, and what converges to a point of upward curvature, not far outside `view`, is a
    /// minimum (duplicates merged). Costs n² evaluations plus a few Newton steps each.
    pub fn search_minima(&self, view: View, n: usize) -> Vec<Vec2> {
        let n = n.max(3);
        let (dx, dy) = (
            (view.x[1] - view.x[0]) / (n - 1) as f64,
            (view.y[1] - view.y[0]) / (n - 1) as f64,
        );
        let xs: Vec<f64> = (0..n).map(|i| view.x[0] + i as f64 * dx).collect();
        let mut values = vec![f64::NAN; n * n];
        let mut scratch = Vec::new();
        for j in 0..n {
            let ys = vec![view.y[0] + j as f64 * dy; n];
            self.eval_many(&xs, &ys, &mut values[j * n..(j + 1) * n], &mut scratch);
        }
        let at = |i: usize, j: usize| values[j * n + i];
        let size = (view.x[1] - view.x[0])
            .abs()
            .max((view.y[1] - view.y[0]).abs());
        let mut found: Vec<Vec2> = Vec::new();
        for j in 0..n {
            for (i, &x) in xs.iter().enumerate() {
                let v = at(i, j);
                if !v.is_finite() {
                    continue;
                }
                let lowest = (j.saturating_sub(1)..=(j + 1).min(n - 1)).all(|jj| {
                    (i.saturating_sub(1)..=(i + 1).min(n - 1)).all(|ii| {
                        let u = at(ii, jj);
                        !u.is_finite() || u >= v
                    })
                });
                if !lowest {
                    continue;
                }
                let p = self.polish(Vec2::new(x, view.y[0] + j as f64 * dy));
                let inside = p.x >= view.x[0] - size
                    && p.x <= view.x[1] + size
                    && p.y >= view.y[0] - size
                    && p.y <= view.y[1] + size;
                let mut scratch = Scratch::new();
                let flat = self
                    .eval(p, &mut scratch)
                    .is_ok_and(|(v, g)| g.norm() <= 1e-8 * v.abs().max(1.0));
                let up = self.hessian(p).is_ok_and(|h| {
                    h.iter().all(|v| v.is_finite()) && h.symmetric_eigenvalues().min() >= -1e-9
                });
                if inside
                    && flat
                    && up
                    && !found.iter().any(|q| (q - p).norm() <= 1e-6 * size.max(1.0))
                {
                    found.push(p);
                }
            }
        }
        found
    }

    /// Newton's method from `p` while it reduces the gradient; `p` itself if the Hessian is
    /// singular there.
    fn polish(&self, p: Vec2) -> Vec2 {
        let mut scratch = Scratch::new();
        let grad_norm =
            |q: Vec2, s: &mut Scratch| self.eval(q, s).map_or(f64::INFINITY, |e| e.1.norm());
        let mut p = p;
        let mut g = grad_norm(p, &mut scratch);
        for _ in 0..50 {
            let Ok((_, grad)) = self.eval(p, &mut scratch) else {
                break;
            };
            let Some(inv) = self.hessian(p).ok().and_then(|h| h.try_inverse()) else {
                break;
            };
            let next = p - inv * grad;
            let g_next = grad_norm(next, &mut scratch);
            if g_next.is_nan() || g_next >= g {
                break;
            }
            p = next;
            g = g_next;
        }
        p
    }
}

/// Where typed formulas are searched for minima, and how finely.
const SEARCH_VIEW: View = View {
    x: [-10.0, 10.0],
    y: [-10.0, 10.0],
};
const SEARCH_GRID: usize = 81;

/// A window around `points` with room to see the approach: their bounding box, padded by half
/// its size and at least 2 on each side.
fn fit_around(points: &[Vec2]) -> Option<View> {
    let first = points.first()?;
    let mut v = View {
        x: [first.x, first.x],
        y: [first.y, first.y],
    };
    for p in points {
        v.x = [v.x[0].min(p.x), v.x[1].max(p.x)];
        v.y = [v.y[0].min(p.y), v.y[1].max(p.y)];
    }
    let pad = |r: [f64; 2]| {
        let m = (0.5 * (r[1] - r[0])).max(2.0);
        [r[0] - m, r[1] + m]
    };
    Some(View {
        x: pad(v.x),
        y: pad(v.y),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_has_its_minima_where_the_gradient_vanishes() {
        for b in &BUILTINS {
            let l = Landscape::builtin(b.name).unwrap();
            for m in l.minima() {
                let (_, g) = l.eval(m, &mut Scratch::new()).unwrap();
                assert!(g.norm() < 1e-9, "{} at {m:?}: {g:?}", b.name);
                let eig = l.hessian(m).unwrap().symmetric_eigenvalues();
                assert!(eig.min() >= 0.0, "{}: not a minimum", b.name);
            }
        }
    }

    #[test]
    fn params_change_the_shape_and_unknown_ones_are_refused() {
        let mut set = BTreeMap::new();
        set.insert("kappa".to_owned(), 100.0);
        let l = Landscape::builtin_with("bowl", &set).unwrap();
        assert_eq!(l.value(Vec2::new(1.0, 1.0)), 101.0);
        assert!(l.formula().contains("kappa = 100"));
        assert_eq!(
            l.spec(),
            LandscapeSpec::Builtin {
                name: "bowl".into(),
                params: set
            }
        );
        let mut bad = BTreeMap::new();
        bad.insert("kapa".to_owned(), 1.0);
        let e = Landscape::builtin_with("bowl", &bad)
            .unwrap_err()
            .to_string();
        assert!(e.contains("kapa") && e.contains("kappa, angle"), "{e}");
        let e = Landscape::builtin("bowel").unwrap_err().to_string();
        assert!(e.contains("bowl, parabola"), "{e}");
        let mut rosen = BTreeMap::new();
        rosen.insert("a".to_owned(), 2.0);
        let l = Landscape::builtin_with("rosenbrock", &rosen).unwrap();
        assert_eq!(l.minima(), vec![Vec2::new(2.0, 4.0)]);
    }

    #[test]
    fn typed_formulas_have_their_minima_found_and_a_view_around_them() {
        let l = Landscape::expr("(x - 3)^2 + (y + 1)^2").unwrap();
        let m = l.minima();
        assert_eq!(m.len(), 1);
        assert!((m[0] - Vec2::new(3.0, -1.0)).norm() < 1e-9);
        let v = l.fit_view(&m);
        assert!(v.x[0] < 3.0 && v.x[1] > 3.0 && v.y[0] < -1.0 && v.y[1] > -1.0);
        // Himmelblau typed: its four minima.
        let h = Landscape::expr("(x^2 + y - 11)^2 + (x + y^2 - 7)^2").unwrap();
        assert_eq!(h.minima().len(), 4);
        // No minimum (a saddle): the default window.
        let s = Landscape::expr("x^2 - y^2").unwrap();
        assert!(s.minima().is_empty());
        assert_eq!(s.fit_view(&[]), EXPR_VIEW);
        // Undefined parts are skipped, not a panic.
        let ln = Landscape::expr("ln(x) + (y - 1)^2 + x").unwrap();
        assert!(ln.minima().len() <= 1);
        // A formula without y: one minimum on the w0 axis, not a column of them.
        let one = Landscape::expr("0.4*(x - 1.5)^2").unwrap();
        let m = one.minima();
        assert_eq!(m.len(), 1, "{m:?}");
        assert!((m[0] - Vec2::new(1.5, 0.0)).norm() < 1e-9);
    }

    #[test]
    fn default_bowl_is_exactly_x2_plus_4y2() {
        let l = Landscape::builtin("bowl").unwrap();
        let (v, g) = l.eval(Vec2::new(3.0, 2.0), &mut Scratch::new()).unwrap();
        assert_eq!((v, g), (25.0, Vec2::new(6.0, 16.0)));
        assert_eq!(l.formula(), "x² + 4y²");
    }
}
