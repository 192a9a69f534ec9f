//! Number types the expression interpreter runs on: plain `f64` (the value), [`Dual`] (value and
//! gradient, forward-mode automatic differentiation) and [`Jet`] (value, gradient and Hessian,
//! second-order forward mode). The same tape evaluated on a `Jet` gives the exact Hessian: every
//! derivative comes from the chain rule on the operations, never from a finite difference.

/// Arithmetic the interpreter needs; `ORDER` says how many derivatives the type carries, so the
/// interpreter computes f′ and f″ of an outer function only when they are used.
pub(crate) trait Num: Copy {
    const ORDER: u8;
    fn cst(c: f64) -> Self;
    /// The variable number `index` (0 = x, 1 = y) at value `v`.
    fn var(v: f64, index: usize) -> Self;
    fn val(self) -> f64;
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn div(self, o: Self) -> Self;
    fn neg(self) -> Self;
    /// Applies an outer function g to `self` (= u), given g(u), g′(u) and g″(u):
    /// (g∘u)ᵢ = g′uᵢ, (g∘u)ᵢⱼ = g″uᵢuⱼ + g′uᵢⱼ.
    fn chain(self, g0: f64, g1: f64, g2: f64) -> Self;
}

impl Num for f64 {
    const ORDER: u8 = 0;
    #[inline(always)]
    fn cst(c: f64) -> Self {
        c
    }
    #[inline(always)]
    fn var(v: f64, _: usize) -> Self {
        v
    }
    #[inline(always)]
    fn val(self) -> f64 {
        self
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        self + o
    }
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        self - o
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        self * o
    }
    #[inline(always)]
    fn div(self, o: Self) -> Self {
        self / o
    }
    #[inline(always)]
    fn neg(self) -> Self {
        -self
    }
    #[inline(always)]
    fn chain(self, g0: f64, _: f64, _: f64) -> Self {
        g0
    }
}

/// A value with its gradient (∂/∂x, ∂/∂y).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Dual {
    pub v: f64,
    pub d: [f64; 2],
}

impl Num for Dual {
    const ORDER: u8 = 1;
    #[inline(always)]
    fn cst(c: f64) -> Self {
        Self { v: c, d: [0.0; 2] }
    }
    #[inline(always)]
    fn var(v: f64, index: usize) -> Self {
        let mut d = [0.0; 2];
        d[index] = 1.0;
        Self { v, d }
    }
    #[inline(always)]
    fn val(self) -> f64 {
        self.v
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        Self {
            v: self.v + o.v,
            d: [self.d[0] + o.d[0], self.d[1] + o.d[1]],
        }
    }
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        Self {
            v: self.v - o.v,
            d: [self.d[0] - o.d[0], self.d[1] - o.d[1]],
        }
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        Self {
            v: self.v * o.v,
            d: [
                self.d[0] * o.v + self.v * o.d[0],
                self.d[1] * o.v + self.v * o.d[1],
            ],
        }
    }
    /// (a/b)′ = (a′ − q·b′)/b with q = a/b.
    #[inline(always)]
    fn div(self, o: Self) -> Self {
        let q = self.v / o.v;
        Self {
            v: q,
            d: [
                (self.d[0] - q * o.d[0]) / o.v,
                (self.d[1] - q * o.d[1]) / o.v,
            ],
        }
    }
    #[inline(always)]
    fn neg(self) -> Self {
        Self {
            v: -self.v,
            d: [-self.d[0], -self.d[1]],
        }
    }
    #[inline(always)]
    fn chain(self, g0: f64, g1: f64, _: f64) -> Self {
        Self {
            v: g0,
            d: [g1 * self.d[0], g1 * self.d[1]],
        }
    }
}

/// A value with its gradient and Hessian; `h` holds (∂²/∂x², ∂²/∂x∂y, ∂²/∂y²).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Jet {
    pub v: f64,
    pub d: [f64; 2],
    pub h: [f64; 3],
}

/// The index pairs (i, j) of `Jet::h`.
const HESS: [(usize, usize); 3] = [(0, 0), (0, 1), (1, 1)];

impl Num for Jet {
    const ORDER: u8 = 2;
    #[inline(always)]
    fn cst(c: f64) -> Self {
        Self {
            v: c,
            ..Self::default()
        }
    }
    #[inline(always)]
    fn var(v: f64, index: usize) -> Self {
        let mut d = [0.0; 2];
        d[index] = 1.0;
        Self { v, d, h: [0.0; 3] }
    }
    #[inline(always)]
    fn val(self) -> f64 {
        self.v
    }
    fn add(self, o: Self) -> Self {
        Self {
            v: self.v + o.v,
            d: [self.d[0] + o.d[0], self.d[1] + o.d[1]],
            h: [self.h[0] + o.h[0], self.h[1] + o.h[1], self.h[2] + o.h[2]],
        }
    }
    fn sub(self, o: Self) -> Self {
        self.add(o.neg())
    }
    /// (ab)ᵢⱼ = aᵢⱼb + aᵢbⱼ + aⱼbᵢ + abᵢⱼ.
    fn mul(self, o: Self) -> Self {
        let (a, b) = (self, o);
        Self {
            v: a.v * b.v,
            d: [a.d[0] * b.v + a.v * b.d[0], a.d[1] * b.v + a.v * b.d[1]],
            h: HESS.map(|(i, j)| {
                a.h[k(i, j)] * b.v + a.d[i] * b.d[j] + a.d[j] * b.d[i] + a.v * b.h[k(i, j)]
            }),
        }
    }
    /// q = a/b: qᵢ = (aᵢ − q bᵢ)/b, qᵢⱼ = (aᵢⱼ − qᵢbⱼ − qⱼbᵢ − q bᵢⱼ)/b.
    fn div(self, o: Self) -> Self {
        let (a, b) = (self, o);
        let q = a.v / b.v;
        let d = [(a.d[0] - q * b.d[0]) / b.v, (a.d[1] - q * b.d[1]) / b.v];
        Self {
            v: q,
            d,
            h: HESS.map(|(i, j)| {
                (a.h[k(i, j)] - d[i] * b.d[j] - d[j] * b.d[i] - q * b.h[k(i, j)]) / b.v
            }),
        }
    }
    fn neg(self) -> Self {
        Self {
            v: -self.v,
            d: [-self.d[0], -self.d[1]],
            h: [-self.h[0], -self.h[1], -self.h[2]],
        }
    }
    fn chain(self, g0: f64, g1: f64, g2: f64) -> Self {
        let u = self;
        Self {
            v: g0,
            d: [g1 * u.d[0], g1 * u.d[1]],
            h: HESS.map(|(i, j)| g2 * u.d[i] * u.d[j] + g1 * u.h[k(i, j)]),
        }
    }
}

/// The position of (i, j) in `Jet::h`.
#[inline(always)]
const fn k(i: usize, j: usize) -> usize {
    i + j
}
