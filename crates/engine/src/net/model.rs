//! The forward and backward pass of a [`NetSpec`] over a data set, in float64, in the order of
//! torch's `nn.Linear` (z = x·Wᵀ + b: the products summed over the inputs in order, then the
//! bias added, as `addmm` with the bias as C) and of its autograd backward (∂L/∂W = δᵀ·x,
//! ∂L/∂b = Σ δ, ∂L/∂x = δ·W). Summation orders inside torch's BLAS calls are not specified,
//! so sums over many terms can differ from torch's in the last bits; the reference tests hold
//! whole trajectories to 1e-9.

use super::data::NetData;
use super::spec::{Layer, NetSpec};

/// A network ready to evaluate: its shape and the layout of θ.
#[derive(Clone, Debug, PartialEq)]
pub struct Net {
    pub spec: NetSpec,
    layers: Vec<Layer>,
    widest: usize,
}

/// Buffers a pass writes into, kept between calls so a pass allocates nothing.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    /// Each layer's output for one point, the input first: a[0] = x, a[k] = act(z_k).
    acts: Vec<Vec<f64>>,
    /// ∂L/∂(layer output), reused layer by layer.
    delta: Vec<f64>,
    delta_in: Vec<f64>,
}

impl Net {
    /// The network of `spec` (checked).
    pub fn new(spec: NetSpec) -> Result<Self, String> {
        spec.validate()?;
        let layers = spec.layers();
        let widest = layers
            .iter()
            .map(|l| l.fan_in.max(l.fan_out))
            .max()
            .unwrap_or(1);
        Ok(Self {
            spec,
            layers,
            widest,
        })
    }

    /// P: the length of θ.
    pub fn param_count(&self) -> usize {
        self.layers.last().map_or(0, Layer::end)
    }

    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// Buffers sized for this network.
    pub fn scratch(&self) -> Scratch {
        let mut acts = vec![vec![0.0; self.spec.inputs]];
        acts.extend(self.layers.iter().map(|l| vec![0.0; l.fan_out]));
        Scratch {
            acts,
            delta: vec![0.0; self.widest],
            delta_in: vec![0.0; self.widest],
        }
    }

    /// The output z for input `x`, leaving every layer's output in `s`.
    #[inline]
    pub fn forward(&self, theta: &[f64], x: &[f64], s: &mut Scratch) -> f64 {
        s.acts[0].copy_from_slice(x);
        let last = self.layers.len() - 1;
        for (k, l) in self.layers.iter().enumerate() {
            let (before, after) = s.acts.split_at_mut(k + 1);
            let (input, output) = (&before[k], &mut after[0]);
            let w = &theta[l.weights..l.bias()];
            let b = &theta[l.bias()..l.end()];
            for (i, out) in output.iter_mut().enumerate() {
                let row = &w[i * l.fan_in..(i + 1) * l.fan_in];
                let mut z = 0.0;
                for (wij, xj) in row.iter().zip(input.iter()) {
                    z += wij * xj;
                }
                z += b[i];
                *out = if k == last {
                    z
                } else {
                    self.spec.activation.apply(z)
                };
            }
        }
        s.acts[self.layers.len()][0]
    }

    /// The output for one input, with throwaway buffers (pictures of the decision regions).
    pub fn predict(&self, theta: &[f64], x: &[f64], s: &mut Scratch) -> f64 {
        self.forward(theta, x, s)
    }

    /// The mean loss over the points `idx` (all points when `None`).
    pub fn loss(&self, theta: &[f64], data: &NetData, idx: Option<&[u32]>, s: &mut Scratch) -> f64 {
        let loss = self.spec.loss;
        let mut sum = 0.0;
        let n = for_points(data, idx, |x, y| {
            sum += loss.point(self.forward(theta, x, s), y);
        });
        sum / n as f64
    }

    /// The mean loss over the points `idx` (all when `None`) and its gradient, written into
    /// `grad` (length P).
    pub fn loss_grad(
        &self,
        theta: &[f64],
        data: &NetData,
        idx: Option<&[u32]>,
        grad: &mut [f64],
        s: &mut Scratch,
    ) -> f64 {
        grad.fill(0.0);
        let count = idx.map_or(data.len(), <[u32]>::len);
        // The mean's backward: the gradient 1 divided by the number of points.
        let scale = 1.0 / count as f64;
        let loss = self.spec.loss;
        let act = self.spec.activation;
        let mut sum = 0.0;
        let last = self.layers.len() - 1;
        for_points(data, idx, |x, y| {
            let z = self.forward(theta, x, s);
            sum += loss.point(z, y);
            s.delta[0] = loss.point_grad(z, y, scale);
            for k in (0..=last).rev() {
                let l = &self.layers[k];
                let Scratch {
                    acts,
                    delta,
                    delta_in,
                } = s;
                let input = &acts[k];
                // δ here is ∂L/∂z_k (the output layer has no activation; the others were
                // turned from ∂L/∂a into ∂L/∂z below, before moving down).
                let (gw, rest) = grad[l.weights..l.end()].split_at_mut(l.fan_in * l.fan_out);
                for i in 0..l.fan_out {
                    let d = delta[i];
                    let row = &mut gw[i * l.fan_in..(i + 1) * l.fan_in];
                    for (g, xj) in row.iter_mut().zip(input.iter()) {
                        *g += d * xj;
                    }
                    rest[i] += d;
                }
                if k == 0 {
                    break;
                }
                let w = &theta[l.weights..l.bias()];
                for (j, din) in delta_in[..l.fan_in].iter_mut().enumerate() {
                    let mut v = 0.0;
                    for i in 0..l.fan_out {
                        v += delta[i] * w[i * l.fan_in + j];
                    }
                    *din = act.backward(v, input[j]);
                }
                std::mem::swap(delta, delta_in);
            }
        });
        sum / count as f64
    }
}

/// Calls `f(x, y)` for the points `idx` (all when `None`), in order; returns how many.
#[inline]
fn for_points(data: &NetData, idx: Option<&[u32]>, mut f: impl FnMut(&[f64], f64)) -> usize {
    match idx {
        Some(idx) => {
            for &i in idx {
                f(data.x(i as usize), data.y[i as usize]);
            }
            idx.len()
        }
        None => {
            for i in 0..data.len() {
                f(data.x(i), data.y[i]);
            }
            data.len()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::spec::{Activation, NetLoss};
    use super::*;

    fn data() -> NetData {
        NetData::new(
            "t".into(),
            vec!["x1".into(), "x2".into(), "y".into()],
            vec![0.5, -1.0, 0.25, 0.75, -0.3, 0.2],
            vec![1.0, 0.0, 1.0],
        )
        .unwrap()
    }

    /// The gradient agrees with central differences of the loss, for every activation, loss
    /// and a batch.
    #[test]
    fn backward_matches_finite_differences() {
        let d = data();
        for act in Activation::ALL {
            for loss in NetLoss::ALL {
                let net = Net::new(NetSpec {
                    inputs: 2,
                    hidden: vec![3, 2],
                    activation: act,
                    loss,
                })
                .unwrap();
                let p = net.param_count();
                let theta: Vec<f64> = (0..p).map(|i| ((i * 7 % 11) as f64 - 5.0) / 7.0).collect();
                let mut s = net.scratch();
                let mut g = vec![0.0; p];
                for idx in [None, Some(&[2u32, 0][..])] {
                    let l = net.loss_grad(&theta, &d, idx, &mut g, &mut s);
                    assert_eq!(l, net.loss(&theta, &d, idx, &mut s));
                    for i in 0..p {
                        let h = 1e-6;
                        let mut t = theta.clone();
                        t[i] += h;
                        let up = net.loss(&t, &d, idx, &mut s);
                        t[i] -= 2.0 * h;
                        let down = net.loss(&t, &d, idx, &mut s);
                        let fd = (up - down) / (2.0 * h);
                        assert!(
                            (fd - g[i]).abs() < 1e-6,
                            "{act:?} {loss:?} p{i}: {fd} vs {}",
                            g[i]
                        );
                    }
                }
            }
        }
    }
}
