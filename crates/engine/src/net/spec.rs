//! The shape of a network: torch's `nn.Sequential(Linear(d, H1), act, …, Linear(Hk, 1))`, its
//! activation and its loss, and where each parameter sits in the flat vector θ.

use serde::{Deserialize, Serialize};

/// The widest hidden layer allowed: a picture of the plane costs a pass over the data per
/// cell, so widths beyond this would freeze nothing but would make every picture crawl.
pub const MAX_WIDTH: usize = 256;
/// The most hidden layers.
pub const MAX_LAYERS: usize = 8;
/// The most parameters a network may have.
pub const MAX_PARAMS: usize = 100_000;

/// The non-linearity after every hidden layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// `nn.Tanh`: tanh(z).
    #[default]
    Tanh,
    /// `nn.ReLU`: max(z, 0).
    Relu,
    /// `nn.Sigmoid`: 1 / (1 + e^−z).
    Sigmoid,
}

impl Activation {
    pub const ALL: [Self; 3] = [Self::Tanh, Self::Relu, Self::Sigmoid];

    pub const fn name(self) -> &'static str {
        match self {
            Self::Tanh => "tanh",
            Self::Relu => "relu",
            Self::Sigmoid => "sigmoid",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == s)
    }

    /// a = act(z), as ATen computes it.
    #[inline(always)]
    pub fn apply(self, z: f64) -> f64 {
        match self {
            Self::Tanh => z.tanh(),
            // `z.clamp_min(0)`; a NaN stays NaN, as in torch.
            Self::Relu => {
                if z > 0.0 || z.is_nan() {
                    z
                } else {
                    0.0
                }
            }
            Self::Sigmoid => 1.0 / (1.0 + (-z).exp()),
        }
    }

    /// ∂L/∂z from ∂L/∂a and the output a, as ATen's backward kernels write it:
    /// `tanh_backward` g·(1 − a·a), `sigmoid_backward` g·(1 − a)·a, `threshold_backward`
    /// g where a > 0, else 0.
    #[inline(always)]
    pub fn backward(self, g: f64, a: f64) -> f64 {
        match self {
            Self::Tanh => g * (1.0 - a * a),
            Self::Relu => {
                if a > 0.0 {
                    g
                } else {
                    0.0
                }
            }
            Self::Sigmoid => g * (1.0 - a) * a,
        }
    }
}

/// The loss of the single output z against the target y.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NetLoss {
    /// Mean squared error, L = (1/n) Σ (zᵢ − yᵢ)², for any target.
    Mse,
    /// Binary cross-entropy on the logit z (`binary_cross_entropy_with_logits`),
    /// L = (1/n) Σ [softplus(zᵢ) − yᵢ·zᵢ], for labels 0 and 1.
    #[default]
    Bce,
}

impl NetLoss {
    pub const ALL: [Self; 2] = [Self::Bce, Self::Mse];

    pub const fn name(self) -> &'static str {
        match self {
            Self::Mse => "mse",
            Self::Bce => "bce",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == s)
    }

    /// A name for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Mse => "mean squared error",
            Self::Bce => "binary cross-entropy",
        }
    }

    /// One point's loss at logit or prediction `z` against `y`. BCE is ATen's
    /// `(1 − y)·z − log_sigmoid(z)`, with log_sigmoid(z) = min(z, 0) − log1p(e^−|z|): no
    /// overflow for any z.
    #[inline(always)]
    pub fn point(self, z: f64, y: f64) -> f64 {
        match self {
            Self::Mse => {
                let d = z - y;
                d * d
            }
            Self::Bce => {
                let log_sigmoid = z.min(0.0) - (-z.abs()).exp().ln_1p();
                (1.0 - y) * z - log_sigmoid
            }
        }
    }

    /// ∂(point loss · scale)/∂z, as torch's backward writes it with `scale` = 1/B (the mean's
    /// gradient): MSE `scale·(2·(z − y))`, BCE `(σ(z) − y)·scale`.
    #[inline(always)]
    pub fn point_grad(self, z: f64, y: f64, scale: f64) -> f64 {
        match self {
            Self::Mse => scale * (2.0 * (z - y)),
            Self::Bce => (1.0 / (1.0 + (-z).exp()) - y) * scale,
        }
    }
}

/// A network's shape: inputs, hidden widths, activation and loss.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NetSpec {
    /// d: the number of inputs (the data file's columns but the last).
    pub inputs: usize,
    /// H1 … Hk.
    pub hidden: Vec<usize>,
    pub activation: Activation,
    pub loss: NetLoss,
}

/// One `nn.Linear(fan_in, fan_out)`: where its weights W (fan_out × fan_in, row-major) and bias
/// b start in θ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layer {
    pub fan_in: usize,
    pub fan_out: usize,
    /// Index of W[0][0] in θ; b follows W at `weights + fan_in·fan_out`.
    pub weights: usize,
}

impl Layer {
    /// Index of b[0] in θ.
    pub fn bias(&self) -> usize {
        self.weights + self.fan_in * self.fan_out
    }

    /// Index one past b's last element.
    pub fn end(&self) -> usize {
        self.bias() + self.fan_out
    }
}

impl NetSpec {
    /// Checks the shape, with one line saying what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        if self.inputs == 0 {
            return Err("the network needs at least one input column".into());
        }
        if self.hidden.len() > MAX_LAYERS {
            return Err(format!(
                "{} hidden layers; at most {MAX_LAYERS} are allowed",
                self.hidden.len()
            ));
        }
        for (i, &h) in self.hidden.iter().enumerate() {
            if h == 0 || h > MAX_WIDTH {
                return Err(format!(
                    "hidden layer {} has width {h}; widths must be from 1 to {MAX_WIDTH}",
                    i + 1
                ));
            }
        }
        let p = self.param_count();
        if p > MAX_PARAMS {
            return Err(format!(
                "the network has {p} parameters; at most {MAX_PARAMS} are allowed"
            ));
        }
        Ok(())
    }

    /// The layers in order, the output layer last.
    pub fn layers(&self) -> Vec<Layer> {
        let mut out = Vec::with_capacity(self.hidden.len() + 1);
        let (mut fan_in, mut at) = (self.inputs, 0);
        for &fan_out in self.hidden.iter().chain(std::iter::once(&1)) {
            let l = Layer {
                fan_in,
                fan_out,
                weights: at,
            };
            at = l.end();
            fan_in = fan_out;
            out.push(l);
        }
        out
    }

    /// P: the length of θ.
    pub fn param_count(&self) -> usize {
        let (mut fan_in, mut p) = (self.inputs, 0usize);
        for &h in self.hidden.iter().chain(std::iter::once(&1)) {
            p = p.saturating_add(fan_in.saturating_mul(h).saturating_add(h));
            fan_in = h;
        }
        p
    }

    /// The widths written as on the command line: "8,8" (or "none").
    pub fn hidden_text(&self) -> String {
        if self.hidden.is_empty() {
            return "none".into();
        }
        let w: Vec<String> = self.hidden.iter().map(usize::to_string).collect();
        w.join(",")
    }

    /// "2-8-8-1 tanh, binary cross-entropy".
    pub fn describe(&self) -> String {
        let mut widths = vec![self.inputs.to_string()];
        widths.extend(self.hidden.iter().map(usize::to_string));
        widths.push("1".into());
        let act = if self.hidden.is_empty() {
            String::new()
        } else {
            format!(" {}", self.activation.name())
        };
        format!("{}{act}, {}", widths.join("-"), self.loss.label())
    }

    /// What parameter `i` of θ is, in torch's names: "W1[2,0]", "b2[1]".
    pub fn param_name(&self, i: usize) -> String {
        for (k, l) in self.layers().iter().enumerate() {
            if i < l.bias() && i >= l.weights {
                let j = i - l.weights;
                return format!("W{}[{},{}]", k + 1, j / l.fan_in, j % l.fan_in);
            }
            if i < l.end() && i >= l.bias() {
                return format!("b{}[{}]", k + 1, i - l.bias());
            }
        }
        format!("p{i}")
    }
}

/// Reads hidden widths written "8,8" or "4" ("" or "none": no hidden layer).
pub fn parse_hidden(text: &str) -> Result<Vec<usize>, String> {
    let t = text.trim();
    if t.is_empty() || t == "none" {
        return Ok(Vec::new());
    }
    t.split(',')
        .map(|w| {
            let w = w.trim();
            match w.parse::<u64>() {
                Ok(v) if v >= 1 && v <= MAX_WIDTH as u64 => Ok(v as usize),
                Ok(v) => Err(format!(
                    "hidden width {v}: widths must be from 1 to {MAX_WIDTH}"
                )),
                Err(_) => Err(format!(
                    "hidden width '{w}' is not a whole number (write the widths like 8,8)"
                )),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_follows_torch_parameters_order() {
        let s = NetSpec {
            inputs: 2,
            hidden: vec![4, 3],
            activation: Activation::Relu,
            loss: NetLoss::Bce,
        };
        assert_eq!(s.param_count(), 2 * 4 + 4 + 4 * 3 + 3 + 3 + 1);
        let l = s.layers();
        assert_eq!(l.len(), 3);
        assert_eq!((l[0].weights, l[0].bias(), l[0].end()), (0, 8, 12));
        assert_eq!((l[1].weights, l[1].bias(), l[1].end()), (12, 24, 27));
        assert_eq!((l[2].weights, l[2].end()), (27, 31));
        assert_eq!(s.param_name(9), "b1[1]");
        assert_eq!(s.param_name(13), "W2[0,1]");
        assert_eq!(s.describe(), "2-4-3-1 relu, binary cross-entropy");
    }

    #[test]
    fn absurd_shapes_are_refused() {
        assert!(parse_hidden("0").unwrap_err().contains("from 1 to"));
        assert!(parse_hidden("1000000").unwrap_err().contains("1000000"));
        assert!(parse_hidden("8,x").unwrap_err().contains("'x'"));
        assert_eq!(parse_hidden("8, 8").unwrap(), vec![8, 8]);
        let s = NetSpec {
            inputs: 2,
            hidden: vec![256; 8],
            activation: Activation::Tanh,
            loss: NetLoss::Mse,
        };
        assert!(s.validate().unwrap_err().contains("parameters"));
    }

    #[test]
    fn bce_never_overflows() {
        let l = NetLoss::Bce;
        assert_eq!(l.point(-1000.0, 0.0), 0.0);
        assert!((l.point(-1000.0, 1.0) - 1000.0).abs() < 1e-12);
        assert!((l.point(0.0, 1.0) - std::f64::consts::LN_2).abs() < 1e-15);
    }
}
