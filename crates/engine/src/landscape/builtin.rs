//! The built-in landscapes, each one item of [`BUILTINS`]: formula, shape parameters, view,
//! default start, known minima, and the value, gradient and Hessian in closed form.
//!
//! Adding a landscape is adding one item to the table. Parameters arrive as [`Coef`]: the
//! `prepare` function of an item turns the user's parameter values into the constants the
//! formulas use (the bowl's cos θ and sin θ, say), so the hot path does no trigonometry.

use std::f64::consts::PI;

use super::View;

/// Constants derived from a landscape's parameters by its `prepare` function.
pub type Coef = [f64; 4];

/// A shape parameter of a built-in landscape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamSpec {
    pub name: &'static str,
    pub default: f64,
    /// The range a slider offers, which is also the parameter's domain: values outside it are
    /// refused on the command line, in setups and in settings alike.
    pub range: (f64, f64),
    pub doc: &'static str,
}

/// One built-in landscape.
#[derive(Debug)]
pub struct Builtin {
    /// The name on the command line.
    pub name: &'static str,
    /// A name for people.
    pub title: &'static str,
    /// The formula with default parameters, as docs/design.md writes it.
    pub formula: &'static str,
    /// What to notice about it.
    pub note: &'static str,
    pub params: &'static [ParamSpec],
    /// The default view window.
    pub view: View,
    /// A start point that shows the landscape's character.
    pub start: [f64; 2],
    /// Whether the loss ignores w1 (a 1-D landscape drawn in 2-D).
    pub one_d: bool,
    /// The formula with its parameters as symbols, shown when a parameter differs from its
    /// default (`None`: the landscape has no parameters).
    pub generic: Option<&'static str>,
    pub(crate) prepare: fn(&[f64]) -> Coef,
    pub(crate) value: fn(&Coef, f64, f64) -> f64,
    pub(crate) value_grad: fn(&Coef, f64, f64) -> (f64, [f64; 2]),
    /// (∂²/∂x², ∂²/∂x∂y, ∂²/∂y²).
    pub(crate) hessian: fn(&Coef, f64, f64) -> [f64; 3],
    /// The known minima, approximately: [`super::Landscape::minima`] polishes them with Newton.
    pub(crate) minima: fn(&Coef) -> Vec<[f64; 2]>,
}

/// Parameters without derived constants: the values themselves.
fn raw(p: &[f64]) -> Coef {
    let mut c = [0.0; 4];
    for (c, p) in c.iter_mut().zip(p) {
        *c = *p;
    }
    c
}

/// Every built-in landscape, in the order menus list them.
pub static BUILTINS: [Builtin; 10] = [
    // u² + κv², u = cos θ·x + sin θ·y, v = −sin θ·x + cos θ·y. coef = [κ, cos θ, sin θ].
    Builtin {
        name: "bowl",
        title: "Elongated bowl",
        formula: "x² + 4y²",
        note: "a quadratic valley, 4× steeper across than along; plain GD zig-zags above η = 1/8 \
               and diverges above η = 1/4",
        params: &[
            ParamSpec {
                name: "kappa",
                default: 4.0,
                range: (1.0, 1000.0),
                doc: "condition number κ: the bowl is u² + κv²",
            },
            ParamSpec {
                name: "angle",
                default: 0.0,
                range: (0.0, 90.0),
                doc: "rotation θ of the valley, in degrees",
            },
        ],
        view: View {
            x: [-4.0, 4.0],
            y: [-3.0, 3.0],
        },
        start: [3.0, 2.0],
        one_d: false,
        generic: Some("u² + κv², u = cos θ·x + sin θ·y, v = −sin θ·x + cos θ·y"),
        prepare: |p| {
            let t = p[1].to_radians();
            [p[0], t.cos(), t.sin(), 0.0]
        },
        value: |c, x, y| {
            let (u, v) = (c[1] * x + c[2] * y, -c[2] * x + c[1] * y);
            u * u + c[0] * (v * v)
        },
        value_grad: |c, x, y| {
            let (k, cs, sn) = (c[0], c[1], c[2]);
            if sn == 0.0 && cs == 1.0 {
                // torch: x**2 + k*y**2 (hot path of the default bowl)
                return (x * x + k * (y * y), [2.0 * x + 0.0, k * (2.0 * y) + 0.0]);
            }
            // rotated: no torch reference; unchanged from the current code
            let (u, v) = (cs * x + sn * y, -sn * x + cs * y);
            let (du, dv) = (2.0 * u, 2.0 * k * v);
            (u * u + k * (v * v), [du * cs - dv * sn, du * sn + dv * cs])
        },
        hessian: |c, _, _| {
            let (k, cs, sn) = (c[0], c[1], c[2]);
            [
                2.0 * (cs * cs + k * sn * sn),
                2.0 * (cs * sn - k * cs * sn),
                2.0 * (sn * sn + k * cs * cs),
            ]
        },
        minima: |_| vec![[0.0, 0.0]],
    },
    Builtin {
        name: "parabola",
        title: "Parabola (1-D)",
        formula: "(x − 2)²",
        note: "the course's one-weight example; w1 has no effect; GD diverges above α = 1",
        params: &[],
        view: View {
            x: [-4.0, 8.0],
            y: [-3.0, 3.0],
        },
        start: [6.0, 0.0],
        one_d: true,
        generic: None,
        prepare: raw,
        value: |_, x, _| (x - 2.0) * (x - 2.0),
        value_grad: |_, x, _| {
            // torch: (x-2)**2; y unused, so w.grad[1] is the 0.0 of SelectBackward and nothing is added
            let d = x - 2.0;
            (d * d, [2.0 * d, 0.0])
        },
        hessian: |_, _, _| [2.0, 0.0, 0.0],
        minima: |_| vec![[2.0, 0.0]],
    },
    // (a − x)² + b(y − x²)². coef = [a, b].
    Builtin {
        name: "rosenbrock",
        title: "Rosenbrock",
        formula: "(1 − x)² + 100(y − x²)²",
        note: "a curved, nearly flat valley: easy to find, slow to follow",
        params: &[
            ParamSpec {
                name: "a",
                default: 1.0,
                range: (-2.0, 2.0),
                doc: "the minimum is at (a, a²)",
            },
            ParamSpec {
                name: "b",
                default: 100.0,
                range: (1.0, 1000.0),
                doc: "steepness of the valley walls",
            },
        ],
        view: View {
            x: [-2.0, 2.0],
            y: [-1.0, 3.0],
        },
        start: [-1.2, 1.0],
        one_d: false,
        generic: Some("(a − x)² + b(y − x²)²"),
        prepare: raw,
        value: |c, x, y| {
            let (p, q) = (c[0] - x, y - x * x);
            p * p + c[1] * (q * q)
        },
        value_grad: |c, x, y| {
            // torch: (a-x)**2 + b*(y-x**2)**2; x gets (-gq)*(2x) then -(2p)
            let (a, b) = (c[0], c[1]);
            let (p, q) = (a - x, y - x * x);
            let gq = b * (2.0 * q);
            (
                p * p + b * (q * q),
                [-gq * (2.0 * x) - 2.0 * p + 0.0, gq + 0.0],
            )
        },
        hessian: |c, x, y| {
            let b = c[1];
            [
                2.0 - 4.0 * b * (y - x * x) + 8.0 * b * x * x,
                -4.0 * b * x,
                2.0 * b,
            ]
        },
        minima: |c| vec![[c[0], c[0] * c[0]]],
    },
    Builtin {
        name: "himmelblau",
        title: "Himmelblau",
        formula: "(x² + y − 11)² + (x + y² − 7)²",
        note: "four minima of equal depth: where you start decides where you end",
        params: &[],
        view: View {
            x: [-6.0, 6.0],
            y: [-6.0, 6.0],
        },
        start: [0.0, 0.0],
        one_d: false,
        generic: None,
        prepare: raw,
        value: |_, x, y| {
            let (a, b) = (x * x + y - 11.0, x + y * y - 7.0);
            a * a + b * b
        },
        value_grad: |_, x, y| {
            // torch: (x**2+y-11)**2 + (x+y**2-7)**2
            let (a, b) = (x * x + y - 11.0, x + y * y - 7.0);
            (
                a * a + b * b,
                [
                    2.0 * b + 2.0 * a * (2.0 * x) + 0.0,
                    2.0 * b * (2.0 * y) + 2.0 * a + 0.0,
                ],
            )
        },
        hessian: |_, x, y| {
            let (a, b) = (x * x + y - 11.0, x + y * y - 7.0);
            [
                4.0 * a + 8.0 * x * x + 2.0,
                4.0 * x + 4.0 * y,
                2.0 + 4.0 * b + 8.0 * y * y,
            ]
        },
        minima: |_| {
            vec![
                [3.0, 2.0],
                [-2.805118086952745, 3.131312518250573],
                [-3.779310253377747, -3.28318599128617],
                [3.584428340330492, -1.848126526964404],
            ]
        },
    },
    Builtin {
        name: "beale",
        title: "Beale",
        formula: "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
        note: "flat plateaus and sharp ridges; the minimum (3, 0.5) sits in a narrow arm",
        params: &[],
        view: View {
            x: [-4.5, 4.5],
            y: [-4.5, 4.5],
        },
        start: [1.0, 1.0],
        one_d: false,
        generic: None,
        prepare: raw,
        value: |_, x, y| {
            let (t1, t2, t3) = beale_terms(x, y);
            t1 * t1 + t2 * t2 + t3 * t3
        },
        value_grad: |_, x, y| {
            // torch: (1.5-x+x*y)**2 + (2.25-x+x*y**2)**2 + (2.625-x+x*y**3)**2
            // terms are beale_terms(x, y); gradient terms summed third term first, as autograd does
            let (y2, y3) = (y * y, y * y * y);
            let (t1, t2, t3) = (1.5 - x + x * y, 2.25 - x + x * y2, 2.625 - x + x * y3);
            let (d1, d2, d3) = (2.0 * t1, 2.0 * t2, 2.0 * t3);
            let gx = d3 * y3 - d3 + d2 * y2 - d2 + d1 * y - d1;
            let gy = d3 * x * (3.0 * y2) + d2 * x * (2.0 * y) + d1 * x;
            (t1 * t1 + t2 * t2 + t3 * t3, [gx + 0.0, gy + 0.0])
        },
        hessian: |_, x, y| {
            let (t1, t2, t3) = beale_terms(x, y);
            // ∇tᵢ and ∇²tᵢ; H = 2 Σ (∇tᵢ∇tᵢᵀ + tᵢ∇²tᵢ).
            let (y2, y3) = (y * y, y * y * y);
            let g = [
                (y - 1.0, x),
                (y2 - 1.0, 2.0 * x * y),
                (y3 - 1.0, 3.0 * x * y2),
            ];
            let h = [
                (0.0, 1.0, 0.0),
                (0.0, 2.0 * y, 2.0 * x),
                (0.0, 3.0 * y2, 6.0 * x * y),
            ];
            let t = [t1, t2, t3];
            let mut out = [0.0; 3];
            for i in 0..3 {
                out[0] += 2.0 * (g[i].0 * g[i].0 + t[i] * h[i].0);
                out[1] += 2.0 * (g[i].0 * g[i].1 + t[i] * h[i].1);
                out[2] += 2.0 * (g[i].1 * g[i].1 + t[i] * h[i].2);
            }
            out
        },
        minima: |_| vec![[3.0, 0.5]],
    },
    Builtin {
        name: "saddle",
        title: "Saddle",
        formula: "x² − y²",
        note: "a saddle point at the origin and no minimum: GD slides off along y",
        params: &[],
        view: View {
            x: [-2.0, 2.0],
            y: [-2.0, 2.0],
        },
        start: [1.5, 0.01],
        one_d: false,
        generic: None,
        prepare: raw,
        value: |_, x, y| x * x - y * y,
        value_grad: |_, x, y| (x * x - y * y, [2.0 * x + 0.0, -(2.0 * y) + 0.0]),
        hessian: |_, _, _| [2.0, 0.0, -2.0],
        minima: |_| Vec::new(),
    },
    // 2A + x² − A cos 2πx + y² − A cos 2πy. coef = [A].
    Builtin {
        name: "rastrigin",
        title: "Rastrigin",
        formula: "20 + x² − 10cos(2πx) + y² − 10cos(2πy)",
        note: "a bowl covered in dimples: GD stops in the nearest local minimum",
        params: &[ParamSpec {
            name: "A",
            default: 10.0,
            range: (0.0, 20.0),
            doc: "depth A of the ripples",
        }],
        view: View {
            x: [-5.12, 5.12],
            y: [-5.12, 5.12],
        },
        start: [2.2, 2.7],
        one_d: false,
        generic: Some("2A + x² − A·cos(2πx) + y² − A·cos(2πy)"),
        prepare: raw,
        value: |c, x, y| {
            let a = c[0];
            2.0 * a + x * x - a * (2.0 * PI * x).cos() + y * y - a * (2.0 * PI * y).cos()
        },
        value_grad: |c, x, y| {
            // torch: 20 + x**2 - 10*cos(2*pi*x) + y**2 - 10*cos(2*pi*y), with 2A for 20 and A for 10
            let a = c[0];
            let (tx, ty) = (2.0 * PI * x, 2.0 * PI * y);
            let (sx, cx) = (tx.sin(), tx.cos());
            let (sy, cy) = (ty.sin(), ty.cos());
            (
                2.0 * a + x * x - a * cx + y * y - a * cy,
                [
                    2.0 * x + a * sx * (2.0 * PI) + 0.0,
                    2.0 * y + a * sy * (2.0 * PI) + 0.0,
                ],
            )
        },
        hessian: |c, x, y| {
            let k = c[0] * 4.0 * PI * PI;
            [
                2.0 + k * (2.0 * PI * x).cos(),
                0.0,
                2.0 + k * (2.0 * PI * y).cos(),
            ]
        },
        minima: |_| vec![[0.0, 0.0]],
    },
    Builtin {
        name: "booth",
        title: "Booth",
        formula: "(x + 2y − 7)² + (2x + y − 5)²",
        note: "a tilted quadratic bowl with its minimum at (1, 3)",
        params: &[],
        view: View {
            x: [-10.0, 10.0],
            y: [-10.0, 10.0],
        },
        start: [-6.0, 8.0],
        one_d: false,
        generic: None,
        prepare: raw,
        value: |_, x, y| {
            let (a, b) = (x + 2.0 * y - 7.0, 2.0 * x + y - 5.0);
            a * a + b * b
        },
        value_grad: |_, x, y| {
            // torch: (x+2*y-7)**2 + (2*x+y-5)**2
            let (a, b) = (x + 2.0 * y - 7.0, 2.0 * x + y - 5.0);
            (
                a * a + b * b,
                [2.0 * b * 2.0 + 2.0 * a + 0.0, 2.0 * b + 2.0 * a * 2.0 + 0.0],
            )
        },
        hessian: |_, _, _| [10.0, 8.0, 10.0],
        minima: |_| vec![[1.0, 3.0]],
    },
    Builtin {
        name: "matyas",
        title: "Matyas",
        formula: "0.26(x² + y²) − 0.48xy",
        note: "a long, flat diagonal valley (condition number 25)",
        params: &[],
        view: View {
            x: [-10.0, 10.0],
            y: [-10.0, 10.0],
        },
        start: [-7.0, 4.0],
        one_d: false,
        generic: None,
        prepare: raw,
        value: |_, x, y| 0.26 * (x * x + y * y) - 0.48 * x * y,
        value_grad: |_, x, y| {
            // torch: 0.26*(x**2+y**2) - 0.48*x*y
            (
                0.26 * (x * x + y * y) - 0.48 * x * y,
                [
                    0.26 * (2.0 * x) - y * 0.48 + 0.0,
                    0.26 * (2.0 * y) - 0.48 * x + 0.0,
                ],
            )
        },
        hessian: |_, _, _| [0.52, -0.48, 0.52],
        minima: |_| vec![[0.0, 0.0]],
    },
    Builtin {
        name: "six_hump_camel",
        title: "Six-hump camel",
        formula: "(4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²",
        note: "six minima, two of them global; the others trap plain GD",
        params: &[],
        view: View {
            x: [-3.0, 3.0],
            y: [-2.0, 2.0],
        },
        start: [-1.5, 1.2],
        one_d: false,
        generic: None,
        prepare: raw,
        value: |_, x, y| {
            let x2 = x * x;
            let y2 = y * y;
            (4.0 - 2.1 * x2 + x.powf(4.0) / 3.0) * x2 + x * y + (-4.0 + 4.0 * y2) * y2
        },
        value_grad: |_, x, y| {
            // torch: (4-2.1*x**2+x**4/3)*x**2 + x*y + (-4+4*y**2)*y**2
            let (x2, y2) = (x * x, y * y);
            let f = 4.0 - 2.1 * x2 + x.powf(4.0) / 3.0;
            let m = -4.0 + 4.0 * y2;
            let gx = y + f * (2.0 * x) + x2 / 3.0 * (4.0 * (x * x * x)) - x2 * 2.1 * (2.0 * x);
            let gy = m * (2.0 * y) + y2 * 4.0 * (2.0 * y) + x;
            (f * x2 + x * y + m * y2, [gx + 0.0, gy + 0.0])
        },
        hessian: |_, x, y| {
            let x2 = x * x;
            [8.0 - 25.2 * x2 + 10.0 * x2 * x2, 1.0, -8.0 + 48.0 * y * y]
        },
        minima: |_| vec![[0.0898, -0.7126], [-0.0898, 0.7126]],
    },
];

fn beale_terms(x: f64, y: f64) -> (f64, f64, f64) {
    (
        1.5 - x + x * y,
        2.25 - x + x * (y * y),
        2.625 - x + x * (y * y * y),
    )
}

/// Looks a built-in up by name.
pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}
