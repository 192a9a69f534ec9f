//! Mini-batches: which points each step's gradient is averaged over.
//!
//! An epoch covers the data B points at a time, the last batch possibly smaller (torch's
//! `DataLoader(batch_size=B, drop_last=False)`), so it has ⌈n/B⌉ batches. `sequential` keeps the
//! file's order (`shuffle=False`); `shuffle` permutes the points at the start of every epoch:
//! Fisher–Yates driven by Xoshiro256++ seeded from the run's seed and the epoch number, so any
//! epoch's order can be rebuilt on its own and the same seed gives the same path everywhere.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// The order in which an epoch visits the points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BatchOrder {
    /// A fresh random order every epoch.
    #[default]
    Shuffle,
    /// The file's order, every epoch.
    Sequential,
}

impl BatchOrder {
    pub fn name(self) -> &'static str {
        match self {
            Self::Shuffle => "shuffle",
            Self::Sequential => "sequential",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        [Self::Shuffle, Self::Sequential]
            .into_iter()
            .find(|o| o.name() == s)
    }
}

/// How a run on data batches its points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchSpec {
    /// Points per batch; 0 (or n and more) means the whole data set every step.
    pub size: u64,
    pub order: BatchOrder,
}

impl BatchSpec {
    /// Whether a data set of `n` points is used whole at every step.
    pub fn is_full(&self, n: usize) -> bool {
        self.size == 0 || self.size >= n as u64
    }

    /// (epoch, batch within it, batches per epoch) of the batch behind row `step`'s gradient
    /// over `n` points, or `None` for full batches.
    pub fn position(&self, n: usize, step: u64) -> Option<(u64, u64, u64)> {
        if self.is_full(n) {
            return None;
        }
        let per = (n as u64).div_ceil(self.size);
        Some((step / per, step % per, per))
    }

    /// The points of the batch behind row `step`'s gradient (costs one epoch's shuffle), or
    /// `None` for full batches.
    pub fn points(&self, n: usize, seed: u64, step: u64) -> Option<Vec<u32>> {
        Some(Batches::new(*self, n, seed)?.batch(step))
    }
}

/// The batches of a run, one per step in turn.
#[derive(Clone, Debug)]
pub struct Batches {
    size: usize,
    n: usize,
    order: BatchOrder,
    seed: u64,
    /// The batch the next call to [`Self::next_batch`] returns, counted from the first.
    next: u64,
    /// The epoch whose order `perm` holds.
    epoch: u64,
    /// That epoch's order; empty after [`Self::shed`] until the next batch needs it.
    perm: Vec<u32>,
}

impl Batches {
    /// The batches of `spec` over `n` points, or `None` when every step uses all of them.
    pub fn new(spec: BatchSpec, n: usize, seed: u64) -> Option<Self> {
        if spec.is_full(n) {
            return None;
        }
        let mut b = Self {
            size: spec.size as usize,
            n,
            order: spec.order,
            seed,
            next: 0,
            epoch: 0,
            perm: Vec::new(),
        };
        b.perm = b.order_of(0);
        Some(b)
    }

    /// Batches per epoch: ⌈n/B⌉.
    pub fn per_epoch(&self) -> u64 {
        self.n.div_ceil(self.size) as u64
    }

    /// (epoch, batch within it) of batch number `k`, both from 0.
    pub fn position(&self, k: u64) -> (u64, u64) {
        (k / self.per_epoch(), k % self.per_epoch())
    }

    /// The points of the next batch (indices into the data).
    pub fn next_batch(&mut self) -> &[u32] {
        let k = self.next;
        self.next += 1;
        let (epoch, b) = self.position(k);
        if epoch != self.epoch || self.perm.is_empty() {
            self.epoch = epoch;
            self.perm = self.order_of(epoch);
        }
        let lo = b as usize * self.size;
        &self.perm[lo..(lo + self.size).min(self.n)]
    }

    /// Drops the cached order (it is rebuilt from the seed when needed): a copy kept as a
    /// checkpoint then costs no memory per point.
    pub fn shed(&mut self) {
        self.perm = Vec::new();
    }

    /// The points of the batch [`Self::next_batch`] returned last (none before the first).
    pub fn current(&self) -> Option<Vec<u32>> {
        self.next.checked_sub(1).map(|k| self.batch(k))
    }

    /// The points of batch number `k` (for showing a past step; costs one epoch's shuffle).
    pub fn batch(&self, k: u64) -> Vec<u32> {
        let (epoch, b) = self.position(k);
        let lo = b as usize * self.size;
        let range = lo..(lo + self.size).min(self.n);
        if epoch == self.epoch && !self.perm.is_empty() {
            self.perm[range].to_vec()
        } else {
            self.order_of(epoch)[range].to_vec()
        }
    }

    /// The order of the points in `epoch`.
    fn order_of(&self, epoch: u64) -> Vec<u32> {
        let mut perm: Vec<u32> = (0..self.n as u32).collect();
        if self.order == BatchOrder::Shuffle {
            // The seed mixed with a constant of its own, so epoch e of seed s draws another
            // stream than the noise of seed s or the data generated with seed e.
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(
                (self.seed ^ 0x5348_5546_464C_4521).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ epoch,
            );
            for i in (1..self.n).rev() {
                // j uniform in 0..=i by multiply-shift (Lemire's method without the rejection
                // step: a bias below 2⁻³² for a million points, and the same on every machine).
                let j = ((u128::from(rng.next_u64()) * (i as u128 + 1)) >> 64) as usize;
                perm.swap(i, j);
            }
        }
        perm
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(size: u64, order: BatchOrder) -> BatchSpec {
        BatchSpec { size, order }
    }

    #[test]
    fn sequential_batches_follow_the_file_and_the_last_is_smaller() {
        let mut b = Batches::new(spec(4, BatchOrder::Sequential), 10, 0).unwrap();
        assert_eq!(b.per_epoch(), 3);
        assert_eq!(b.next_batch(), &[0, 1, 2, 3]);
        assert_eq!(b.next_batch(), &[4, 5, 6, 7]);
        assert_eq!(b.next_batch(), &[8, 9]);
        assert_eq!(b.next_batch(), &[0, 1, 2, 3]);
        assert_eq!(b.position(4), (1, 1));
        assert!(Batches::new(spec(10, BatchOrder::Shuffle), 10, 0).is_none());
        assert!(Batches::new(spec(0, BatchOrder::Shuffle), 10, 0).is_none());
    }

    #[test]
    fn shuffled_epochs_cover_every_point_once_and_repeat_with_the_seed() {
        let mut a = Batches::new(spec(3, BatchOrder::Shuffle), 10, 7).unwrap();
        let b = Batches::new(spec(3, BatchOrder::Shuffle), 10, 7).unwrap();
        let mut seen = Vec::new();
        for k in 0..4 {
            let got = a.next_batch().to_vec();
            assert_eq!(got, b.batch(k));
            seen.extend(got);
        }
        seen.sort_unstable();
        assert_eq!(seen, (0..10).collect::<Vec<u32>>());
        // The next epoch has another order; another seed another again.
        let e1: Vec<u32> = (4..8).flat_map(|k| b.batch(k)).collect();
        assert_ne!(e1, (0..4).flat_map(|k| b.batch(k)).collect::<Vec<_>>());
        let c = Batches::new(spec(3, BatchOrder::Shuffle), 10, 8).unwrap();
        assert_ne!(c.batch(0), b.batch(0));
    }
}
