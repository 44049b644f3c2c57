//! PCT: probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte,
//! "A Randomized Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010).
//!
//! Each task gets a distinct random priority when first seen (a due timer counts as a task of
//! its own); the highest-priority candidate always runs. `d - 1` change points are drawn
//! uniformly over the expected number of decisions `k`; at the i-th, the running task's priority
//! drops to `i`, below every initial priority. A bug of depth `d` among `n` tasks is then found
//! with probability at least `1 / (n k^(d-1))` per execution. `k` is the largest decision count
//! seen so far in this run (32 before the first execution ends).
//!
//! The depth is range-checked ([`DEPTHS`]) where a strategy is named, by
//! [`StrategyKind::pct`](super::StrategyKind::pct): each execution draws `d - 1` change points,
//! so a depth in the billions allocated and searched that many before the first step (a hang,
//! not an error). The paper finds its bugs with `d <= 3`, and the guarantee `1 / (n k^(d-1))`
//! is already negligible for a `d` in the tens, so depths above 64 buy nothing but cost; the
//! cap keeps every change-point priority (`CHANGE_BASE + i`) far below the initial ones.

use std::ops::RangeInclusive;

use super::{Candidate, DecisionPoint, Strategy};
use crate::rng::SimRng;

/// The PCT bug depths weft accepts; see the module documentation for why 64.
pub const DEPTHS: RangeInclusive<usize> = 1..=64;
/// The bug depth when none is named (`pct`, `weft check` without `--depth`).
pub const DEFAULT_DEPTH: usize = 3;

/// Initial priorities are above this (random high bits, a unique sequence number below).
const INITIAL_BASE: u64 = 1 << 62;
/// The i-th change point demotes to `CHANGE_BASE + i` (below every initial priority).
const CHANGE_BASE: u64 = 1 << 40;
/// Yielding tasks are demoted below this, one step lower each time.
const YIELD_BASE: u64 = CHANGE_BASE;

/// The PCT strategy with bug depth `depth`.
#[derive(Debug)]
pub struct Pct {
    depth: usize,
    rng: SimRng,
    expected_decisions: u64,
    // Invariant: priorities are distinct: initial ones are INITIAL_BASE | random | sequence,
    // change points CHANGE_BASE + i, yields YIELD_BASE - n. Zero means "not assigned yet".
    task_priorities: Vec<u64>,
    timer_priorities: Vec<u64>,
    change_points: Vec<u64>,
    next_low: u64,
    /// Next priority for a yielding task: below every change-point priority, decreasing.
    yield_low: u64,
}

impl Pct {
    /// PCT with bug depth `depth`, in [`DEPTHS`]: validate a depth from input with
    /// [`StrategyKind::pct`](super::StrategyKind::pct) first, as this panics on one outside.
    pub fn new(depth: usize) -> Self {
        assert!(
            DEPTHS.contains(&depth),
            "PCT depth {depth} is outside {DEPTHS:?}: validate it with StrategyKind::pct"
        );
        Pct {
            depth,
            rng: SimRng::new(0),
            expected_decisions: 32,
            task_priorities: Vec::new(),
            timer_priorities: Vec::new(),
            change_points: Vec::new(),
            next_low: 0,
            yield_low: YIELD_BASE,
        }
    }

    fn priority(&mut self, c: Candidate) -> u64 {
        let (list, i) = match c {
            Candidate::Task(t) => (&mut self.task_priorities, t as usize),
            Candidate::Timer(t) => (&mut self.timer_priorities, t as usize),
        };
        if list.len() <= i {
            list.resize(i + 1, 0);
        }
        if list[i] == 0 {
            // A fresh random priority above every change-point priority; ties are broken by the
            // low bits, which carry a unique sequence number.
            let seq = (self.task_priorities.len() + self.timer_priorities.len()) as u64;
            let v = INITIAL_BASE | ((self.rng.next_u64() >> 40) << 20) | seq;
            let list = match c {
                Candidate::Task(_) => &mut self.task_priorities,
                Candidate::Timer(_) => &mut self.timer_priorities,
            };
            list[i] = v;
        }
        match c {
            Candidate::Task(t) => self.task_priorities[t as usize],
            Candidate::Timer(t) => self.timer_priorities[t as usize],
        }
    }
}

impl Strategy for Pct {
    fn describe(&self) -> String {
        format!("pct(d={})", self.depth)
    }

    fn begin(&mut self, _index: u64, seed: u64) -> bool {
        self.rng = SimRng::new(seed);
        self.task_priorities.clear();
        self.timer_priorities.clear();
        self.change_points.clear();
        for _ in 1..self.depth {
            self.change_points
                .push(1 + self.rng.below(self.expected_decisions as usize) as u64);
        }
        self.next_low = self.depth as u64 - 1;
        self.yield_low = YIELD_BASE;
        true
    }

    fn pick(&mut self, point: &DecisionPoint<'_>) -> Result<usize, String> {
        if let (true, Some(c)) = (point.yielding, point.current) {
            // A yielding task asks others to run: move it below every priority handed out so
            // far (shuttle's PCT does the same).
            if let Candidate::Task(t) = point.candidates[c] {
                self.priority(Candidate::Task(t));
                self.yield_low -= 1;
                self.task_priorities[t as usize] = self.yield_low;
            }
        }
        let mut best = 0;
        let mut best_p = 0;
        for (i, c) in point.candidates.iter().enumerate() {
            let p = self.priority(*c);
            if p > best_p {
                best = i;
                best_p = p;
            }
        }
        if self.change_points.contains(&(point.decision + 1)) && self.next_low > 0 {
            // Change point: demote the task that would run, and pick again.
            let low = CHANGE_BASE + self.next_low;
            self.next_low -= 1;
            match point.candidates[best] {
                Candidate::Task(t) => self.task_priorities[t as usize] = low,
                Candidate::Timer(t) => self.timer_priorities[t as usize] = low,
            }
            return self.pick(&DecisionPoint {
                decision: u64::MAX - 1,
                ..*point
            });
        }
        Ok(best)
    }

    fn choose(&mut self, n: usize) -> Result<usize, String> {
        Ok(self.rng.below(n))
    }

    fn random(&mut self) -> Result<u64, String> {
        Ok(self.rng.next_u64())
    }

    fn end(&mut self, decisions: u64) {
        self.expected_decisions = self.expected_decisions.max(decisions.max(1));
    }
}
