//! A run's path as the window keeps it: bounded memory however long the run. The latest
//! [`RECENT_ROWS`] rows are kept whole (the step table, the timeline and the live end of the
//! picture need every one); older rows are thinned to at most about [`HISTORY_ROWS`], every
//! k-th step with k doubling as the run grows (enough to draw where the path went). Every row of
//! any run stays available through `downhill trace`, which streams them.
//!
//! Snapshots share the path: full chunks and history blocks are reference-counted, only the
//! partial last chunk is copied when a snapshot is taken.

use std::sync::Arc;

use crate::run::Row;

/// Rows per chunk.
pub const CHUNK: usize = 4096;
/// Chunks kept whole (the latest 262,144 rows, 10 MB per run).
const RECENT_CHUNKS: usize = 64;
/// Rows kept whole.
pub const RECENT_ROWS: usize = RECENT_CHUNKS * CHUNK;
/// The thinned history holds at most about this many rows (2.6 MB per run).
pub const HISTORY_ROWS: usize = 65_536;

/// Rows of the thinned history: steps `first`, `first + stride`, `first + 2·stride`, …
#[derive(Clone, Debug)]
struct Block {
    first: usize,
    stride: usize,
    rows: Arc<[Row]>,
}

impl Block {
    fn step(&self, j: usize) -> usize {
        self.first + j * self.stride
    }
}

/// A path shared between snapshots.
#[derive(Clone, Debug, Default)]
pub struct RunPath {
    /// The thinned history, oldest first, all with the same stride.
    old: Vec<Block>,
    /// The step of the first whole row (the first row of `recent`, or of `tail`).
    recent_start: usize,
    /// Whole chunks of `CHUNK` rows.
    recent: Vec<Arc<[Row]>>,
    tail: Arc<[Row]>,
}

impl RunPath {
    /// The number of steps covered: the last row's step + 1 (rows thinned away count too).
    pub fn len(&self) -> usize {
        self.recent_start + self.recent.len() * CHUNK + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The step from which every row is kept.
    pub fn whole_from(&self) -> usize {
        self.recent_start
    }

    /// The number of rows kept.
    pub fn kept_len(&self) -> usize {
        self.old.iter().map(|b| b.rows.len()).sum::<usize>() + (self.len() - self.recent_start)
    }

    /// The number of kept rows with steps below `n`.
    pub fn kept_below(&self, n: usize) -> usize {
        let n = n.min(self.len());
        if n > self.recent_start {
            return self.kept_len() - (self.len() - n);
        }
        self.old
            .iter()
            .map(|b| {
                if b.first >= n {
                    0
                } else {
                    ((n - 1 - b.first) / b.stride + 1).min(b.rows.len())
                }
            })
            .sum()
    }

    /// The `j`-th kept row and its step.
    pub fn kept(&self, mut j: usize) -> Option<(usize, &Row)> {
        for b in &self.old {
            if j < b.rows.len() {
                return Some((b.step(j), &b.rows[j]));
            }
            j -= b.rows.len();
        }
        let step = self.recent_start + j;
        self.get(step).map(|r| (step, r))
    }

    /// The kept rows in order, with their steps.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &Row)> + '_ {
        let old = self
            .old
            .iter()
            .flat_map(|b| b.rows.iter().enumerate().map(|(j, r)| (b.step(j), r)));
        let recent = self
            .recent
            .iter()
            .flat_map(|c| c.iter())
            .chain(self.tail.iter())
            .enumerate()
            .map(|(i, r)| (self.recent_start + i, r));
        old.chain(recent)
    }

    pub fn last(&self) -> Option<&Row> {
        self.tail
            .last()
            .or_else(|| self.recent.last().and_then(|c| c.last()))
            .or_else(|| self.old.last().and_then(|b| b.rows.last()))
    }

    /// The row at `step`, if it was kept.
    pub fn get(&self, step: usize) -> Option<&Row> {
        if step >= self.recent_start {
            let i = step - self.recent_start;
            return match self.recent.get(i / CHUNK) {
                Some(c) => c.get(i % CHUNK),
                None => self.tail.get(i - self.recent.len() * CHUNK),
            };
        }
        let b = self.block_of(step)?;
        let off = step - b.first;
        if off.is_multiple_of(b.stride) {
            b.rows.get(off / b.stride)
        } else {
            None
        }
    }

    /// The kept row at `step` or, if it was thinned away, the nearest kept one before it.
    pub fn at_or_before(&self, step: usize) -> Option<(usize, &Row)> {
        let step = step.min(self.len().checked_sub(1)?);
        if step >= self.recent_start {
            return self.get(step).map(|r| (step, r));
        }
        let b = self.block_of(step)?;
        let j = ((step - b.first) / b.stride).min(b.rows.len() - 1);
        Some((b.step(j), &b.rows[j]))
    }

    fn block_of(&self, step: usize) -> Option<&Block> {
        let i = self.old.partition_point(|b| b.first <= step);
        self.old.get(i.checked_sub(1)?)
    }

    /// At most about `max` rows for drawing, with their steps: all of them when there are few;
    /// otherwise the latest `max / 4` kept rows in full (the live end of the path) and the rest
    /// evenly thinned. Costs O(max), whatever the length of the path.
    pub fn thinned(&self, max: usize) -> impl Iterator<Item = (usize, &Row)> + '_ {
        self.thinned_to(self.len(), max)
    }

    /// As [`thinned`](Self::thinned), over steps `0..n` only (the path as it was at step
    /// `n − 1`).
    pub fn thinned_to(&self, n: usize, max: usize) -> impl Iterator<Item = (usize, &Row)> + '_ {
        let kept_n = self.kept_below(n);
        let max = max.max(8);
        let (head, stride) = if kept_n <= max {
            (0, 1)
        } else {
            let tail = max / 4;
            let head = kept_n - tail;
            (head, head.div_ceil(max - tail))
        };
        (0..head)
            .step_by(stride)
            .chain(head..kept_n)
            .filter_map(move |j| self.kept(j))
    }
}

/// Builds a [`RunPath`] one row at a time, thinning old rows as it goes.
#[derive(Debug, Default)]
pub struct PathBuilder {
    old: Vec<Block>,
    /// The stride of the thinned history (a power of two).
    old_stride: usize,
    recent_start: usize,
    recent: std::collections::VecDeque<Arc<[Row]>>,
    tail: Vec<Row>,
}

impl PathBuilder {
    pub fn new() -> Self {
        Self {
            old_stride: 16,
            ..Self::default()
        }
    }

    /// Appends the row of the next step.
    #[inline]
    pub fn push(&mut self, row: Row) {
        self.tail.push(row);
        if self.tail.len() == CHUNK {
            self.recent
                .push_back(Arc::from(std::mem::take(&mut self.tail)));
            if self.recent.len() > RECENT_CHUNKS {
                self.retire_oldest_chunk();
            }
        }
    }

    /// Whether a whole chunk was just completed (the last push filled it).
    pub fn chunk_completed(&self) -> bool {
        self.tail.is_empty() && !self.recent.is_empty()
    }

    /// Moves the oldest whole chunk into the thinned history.
    fn retire_oldest_chunk(&mut self) {
        let Some(chunk) = self.recent.pop_front() else {
            return;
        };
        let first = self.recent_start;
        self.recent_start += CHUNK;
        let stride = self.old_stride;
        // Keep steps that are multiples of the stride, so later halvings stay aligned.
        let skip = (stride - first % stride) % stride;
        let rows: Vec<Row> = chunk.iter().skip(skip).step_by(stride).copied().collect();
        if !rows.is_empty() {
            self.old.push(Block {
                first: first + skip,
                stride,
                rows: Arc::from(rows),
            });
        }
        self.merge_old_blocks();
        if self.old.iter().map(|b| b.rows.len()).sum::<usize>() > HISTORY_ROWS {
            self.halve_history();
        }
    }

    /// Joins the last two history blocks while they fit in one chunk, so the history stays a
    /// few dozen blocks however long the run.
    fn merge_old_blocks(&mut self) {
        while self.old.len() >= 2 {
            let n = self.old.len();
            let (a, b) = (&self.old[n - 2], &self.old[n - 1]);
            let contiguous = a.stride == b.stride && a.step(a.rows.len()) == b.first;
            if !contiguous || a.rows.len() + b.rows.len() > CHUNK {
                return;
            }
            let rows: Vec<Row> = a.rows.iter().chain(b.rows.iter()).copied().collect();
            let merged = Block {
                first: a.first,
                stride: a.stride,
                rows: Arc::from(rows),
            };
            self.old.truncate(n - 2);
            self.old.push(merged);
        }
    }

    /// Doubles the history's stride: every other history row goes.
    fn halve_history(&mut self) {
        let stride = self.old_stride * 2;
        let rows: Vec<(usize, Row)> = self
            .old
            .iter()
            .flat_map(|b| b.rows.iter().enumerate().map(|(j, r)| (b.step(j), *r)))
            .filter(|(s, _)| s.is_multiple_of(stride))
            .collect();
        self.old = rows
            .chunks(CHUNK)
            .map(|c| Block {
                first: c[0].0,
                stride,
                rows: c.iter().map(|(_, r)| *r).collect(),
            })
            .collect();
        self.old_stride = stride;
    }

    /// The path so far, for a snapshot.
    pub fn path(&self) -> RunPath {
        RunPath {
            old: self.old.clone(),
            recent_start: self.recent_start,
            recent: self.recent.iter().cloned().collect(),
            tail: Arc::from(self.tail.as_slice()),
        }
    }

    /// The number of steps covered.
    pub fn len(&self) -> usize {
        self.recent_start + self.recent.len() * CHUNK + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::Vec2;

    fn row(step: usize) -> Row {
        let s = step as f64;
        Row::new(Vec2::new(s, -s), s * s, Vec2::new(1.0, 2.0))
    }

    fn built(n: usize) -> RunPath {
        let mut b = PathBuilder::new();
        for s in 0..n {
            b.push(row(s));
        }
        assert_eq!(b.len(), n);
        b.path()
    }

    #[test]
    fn a_short_path_keeps_every_row() {
        let p = built(10_001);
        assert_eq!(p.len(), 10_001);
        assert_eq!(p.kept_len(), 10_001);
        assert_eq!(p.iter().count(), 10_001);
        assert_eq!(p.get(9999), Some(&row(9999)));
        assert_eq!(p.last(), Some(&row(10_000)));
        let thin: Vec<usize> = p.thinned(1000).map(|(i, _)| i).collect();
        assert!(thin.len() <= 1000 && thin.len() > 900, "{}", thin.len());
        assert_eq!((thin[0], *thin.last().unwrap()), (0, 10_000));
        assert!(thin.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(p.thinned(20_000).count(), 10_001);
        let to: Vec<usize> = p.thinned_to(51, 20_000).map(|(i, _)| i).collect();
        assert_eq!(to, (0..51).collect::<Vec<_>>());
    }

    #[test]
    fn a_long_path_stays_bounded_and_every_kept_row_is_the_right_one() {
        let n = 3_000_000;
        let p = built(n);
        assert_eq!(p.len(), n);
        assert!(
            p.kept_len() <= RECENT_ROWS + HISTORY_ROWS + CHUNK,
            "{}",
            p.kept_len()
        );
        assert!(
            p.old.len() <= HISTORY_ROWS / CHUNK + 2,
            "{} blocks",
            p.old.len()
        );
        // Kept rows are in step order and each is the row of its step.
        let mut last = None;
        for (s, r) in p.iter() {
            assert_eq!(*r, row(s));
            assert!(last.is_none_or(|l| l < s));
            last = Some(s);
        }
        // The recent rows are whole; the first row survives; older ones are thinned.
        assert_eq!(p.whole_from(), (n / CHUNK - RECENT_CHUNKS) * CHUNK);
        assert_eq!(p.get(n - 1), Some(&row(n - 1)));
        assert_eq!(p.get(p.whole_from()), Some(&row(p.whole_from())));
        assert_eq!(p.get(0), Some(&row(0)));
        assert_eq!(p.get(1), None);
        let (s, r) = p.at_or_before(12_345).unwrap();
        assert!(s <= 12_345 && 12_345 - s < 1024 && *r == row(s));
        // Drawing stays O(max) and ends at the live end.
        let thin: Vec<usize> = p.thinned(8000).map(|(i, _)| i).collect();
        assert!(thin.len() <= 8000, "{}", thin.len());
        assert_eq!(*thin.last().unwrap(), n - 1);
        let to: Vec<usize> = p.thinned_to(1_000_000, 8000).map(|(i, _)| i).collect();
        assert!(to.len() <= 8000 && *to.last().unwrap() < 1_000_000);
        for j in [0, 1, 1000, p.kept_len() - 1] {
            let (s, r) = p.kept(j).unwrap();
            assert_eq!(*r, row(s));
        }
    }
}
