//! A network to train: its data, its shape and θ₀ ([`NetProblem`]), how a setup writes one
//! ([`NetSetup`]), and the landscape the map shows: the loss over a [`Plane`] through its
//! weights ([`NetLandscape`]).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::data::{NetData, NetDataSource};
use super::init::Init;
use super::model::{Net, Scratch};
use super::plane::{Plane, PlaneKind};
use super::spec::{Activation, NetLoss, NetSpec};
use crate::geometry::{Vec2, View};

/// Everything that decides a network's landscape, as setups, settings and the command line
/// give it (`--net --data … --hidden … --activation … --loss … --init-… --plane …`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetSetup {
    pub data: NetDataSource,
    pub hidden: Vec<usize>,
    pub activation: Activation,
    pub loss: NetLoss,
    pub init: Init,
    pub plane: PlaneKind,
}

impl Default for NetSetup {
    /// A 2-8-8-1 tanh network classifying the circle.
    fn default() -> Self {
        Self {
            data: NetDataSource::default(),
            hidden: vec![8, 8],
            activation: Activation::Tanh,
            loss: NetLoss::Bce,
            init: Init::Seed(0),
            plane: PlaneKind::Pca,
        }
    }
}

impl NetSetup {
    /// The data loaded, the network shaped to it, θ₀ drawn or checked.
    pub fn problem(&self) -> Result<NetProblem, String> {
        let data = self.data.load()?;
        if self.loss == NetLoss::Bce
            && let Some(i) = (0..data.len()).find(|&i| !(data.y[i] == 0.0 || data.y[i] == 1.0))
        {
            return Err(format!(
                "{}: point {} has {} = {}, but bce needs labels 0 or 1 (use --loss mse for other \
                 targets)",
                data.name,
                i + 1,
                data.names.last().map_or("y", String::as_str),
                data.y[i]
            ));
        }
        let net = Net::new(NetSpec {
            inputs: data.inputs(),
            hidden: self.hidden.clone(),
            activation: self.activation,
            loss: self.loss,
        })?;
        let theta0 = self.init.theta(&net)?;
        Ok(NetProblem {
            net,
            data: Arc::new(data),
            theta0,
        })
    }
}

/// A network, its data and θ₀.
#[derive(Clone, Debug, PartialEq)]
pub struct NetProblem {
    pub net: Net,
    pub data: Arc<NetData>,
    pub theta0: Vec<f64>,
}

/// The loss over a plane through a network's weights: L(a, b) = L(θ(a, b)) over all the data.
#[derive(Clone, Debug, PartialEq)]
pub struct NetLandscape {
    pub setup: NetSetup,
    pub problem: Arc<NetProblem>,
    pub plane: Plane,
}

impl NetLandscape {
    /// The full-data loss at plane point `w`. Out of line (as [`Self::eval`]): the landscape's
    /// match inlines into every two-weight step, which must not carry a network's code.
    #[inline(never)]
    pub fn loss(&self, w: Vec2) -> f64 {
        let (mut theta, mut s) = self.buffers();
        self.plane.point(w, &mut theta);
        self.problem
            .net
            .loss(&theta, &self.problem.data, None, &mut s)
    }

    /// The full-data loss at `w` and its gradient along the plane.
    #[inline(never)]
    pub fn eval(&self, w: Vec2) -> (f64, Vec2) {
        let (mut theta, mut s) = self.buffers();
        self.plane.point(w, &mut theta);
        let mut g = vec![0.0; theta.len()];
        let l = self
            .problem
            .net
            .loss_grad(&theta, &self.problem.data, None, &mut g, &mut s);
        (l, self.plane.grad(&g))
    }

    /// Full-data losses at many plane points (a grid row), with one set of buffers.
    pub fn loss_many(&self, xs: &[f64], ys: &[f64], out: &mut [f64]) {
        let (mut theta, mut s) = self.buffers();
        for ((o, &x), &y) in out.iter_mut().zip(xs).zip(ys) {
            self.plane.point(Vec2::new(x, y), &mut theta);
            *o = self
                .problem
                .net
                .loss(&theta, &self.problem.data, None, &mut s);
        }
    }

    fn buffers(&self) -> (Vec<f64>, Scratch) {
        (
            vec![0.0; self.problem.net.param_count()],
            self.problem.net.scratch(),
        )
    }

    /// The cost of one value, in the units of a built-in's (a pass over the data).
    pub fn picture_cost(&self) -> usize {
        self.problem.data.len() * self.problem.net.param_count().max(1) / 4 + 1
    }

    pub fn view(&self) -> View {
        self.plane.view
    }

    /// "2-8-8-1 tanh, binary cross-entropy on circle (P = 105), PCA plane".
    pub fn formula(&self) -> String {
        let plane = match self.plane.kind {
            PlaneKind::Pca => "the path's principal plane".to_owned(),
            PlaneKind::Random(s) => format!("a random plane (seed {s})"),
            PlaneKind::Params(i, j) => format!("p{i} and p{j}"),
        };
        format!(
            "{} on {} (P = {}), loss over {plane}",
            self.problem.net.spec.describe(),
            self.problem.data.name,
            self.problem.net.param_count()
        )
    }

    /// The names of the plane's axes.
    pub fn axis_names(&self) -> [String; 2] {
        self.plane.kind.axis_names(&self.problem.net)
    }

    /// What the plane holds of the path, in a sentence: "the plane explains 97.1 % of the
    /// path's variance (PC1 91.0 %, PC2 6.1 %); the path leaves it by at most 3 % of its
    /// length".
    pub fn plane_note(&self) -> String {
        let leaves = format!(
            "the path leaves it by at most {:.1} % of its distance to the end",
            100.0 * self.plane.leaves
        );
        match self.plane.explained {
            Some([a, b]) => format!(
                "the plane holds {:.1} % of the path's variance (PC1 {:.1} %, PC2 {:.1} %); {leaves}",
                100.0 * (a + b),
                100.0 * a,
                100.0 * b
            ),
            None => leaves,
        }
    }
}
