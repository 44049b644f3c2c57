//! PCT: probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte,
//! "A Randomized Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010).
//!
//! Each task gets a distinct random priority when first seen (a due timer counts as a task of
//! its own); the highest-priority candidate always runs. `d - 1` change points are drawn
//! independently and uniformly among the `k` scheduling decisions of an execution (the
//! paper's steps `1..=k`); at the i-th, the task that would run has its priority dropped below
//! every initial priority (and below the earlier change points'). A bug of depth `d` among `n`
//! tasks is then found with probability at least `1 / (n k^(d-1))` per execution.
//!
//! **Which `k`.** A step is a *scheduling decision*: a pick among two or more candidates. Steps
//! where one task is runnable are not counted (a change point there does nothing the next
//! decision could not do: the paper's §4.1, "identifying sequential execution"), nor are data
//! choices (`choose`) and random draws, which are not scheduling. `k` is the largest number of
//! scheduling decisions an execution of this run has made so far ([`FIRST_GUESS`] before the
//! first execution ends); it is not floored, so a program with 8 decisions gets change points
//! among those 8. shuttle's PCT counts the same steps (picks among two or more runnable tasks;
//! `shuttle-schedulers`' `pct.rs`), but draws distinct change points among steps `1..k`
//! (never the first). weft keeps the paper's independent draws: with distinct ones, a program
//! with fewer decisions than `d` gets a change point at every decision, every execution alike,
//! and the `tests/canary.rs` lost wakeup went unfound in 2,000 executions at `d = 3`.
//!
//! Measured with `cargo run --release -p weft-benches --example pct_vs_shuttle 100`: until
//! this rule, `k` was at least 32 and counted data choices, so on a program with 8 decisions
//! most change points fell past the end of the execution: a depth-3 bug took 1,005
//! executions on average where it now takes 67 (shuttle's PCT: 340); the table is in the
//! example's module documentation.
//!
//! The depth is range-checked ([`DEPTHS`]) where a strategy is named, by
//! [`StrategyKind::pct`](super::StrategyKind::pct): each execution draws `d - 1` change points,
//! so a depth in the billions allocated and searched that many before the first step (a hang,
//! not an error). The paper finds its bugs with `d <= 3`, and the guarantee `1 / (n k^(d-1))`
//! is already negligible for a `d` in the tens, so depths above 64 buy nothing but cost; the
//! cap keeps every change-point priority (`CHANGE_BASE + i`) far below the initial ones.

use std::ops::RangeInclusive;

use weft_core::faults::FaultKind;

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
/// `k` before the first execution of a run has ended.
pub const FIRST_GUESS: u64 = 32;

/// The PCT strategy with bug depth `depth`.
#[derive(Debug)]
pub struct Pct {
    depth: usize,
    rng: SimRng,
    /// `k`: the most scheduling decisions an execution of this run made (`None` before one
    /// ended).
    max_decisions: Option<u64>,
    /// Scheduling decisions made so far in this execution.
    decisions: u64,
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
            max_decisions: None,
            decisions: 0,
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

impl Pct {
    /// The index of the highest-priority candidate.
    fn highest(&mut self, candidates: &[Candidate]) -> usize {
        let mut best = 0;
        let mut best_p = 0;
        for (i, c) in candidates.iter().enumerate() {
            let p = self.priority(*c);
            if p > best_p {
                best = i;
                best_p = p;
            }
        }
        best
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
        self.decisions = 0;
        // d - 1 decisions drawn independently and uniformly among the k (0-based: the paper's
        // steps 1..=k); two that coincide demote once.
        let k = self.max_decisions.unwrap_or(FIRST_GUESS).max(1);
        for _ in 1..self.depth {
            self.change_points.push(self.rng.below(k as usize) as u64);
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
        let mut best = self.highest(point.candidates);
        if self.change_points.contains(&self.decisions) && self.next_low > 0 {
            // Change point: demote the task that would run, and pick again.
            let low = CHANGE_BASE + self.next_low;
            self.next_low -= 1;
            match point.candidates[best] {
                Candidate::Task(t) => self.task_priorities[t as usize] = low,
                Candidate::Timer(t) => self.timer_priorities[t as usize] = low,
            }
            best = self.highest(point.candidates);
        }
        self.decisions += 1;
        Ok(best)
    }

    fn choose(&mut self, n: usize) -> Result<usize, String> {
        Ok(self.rng.below(n))
    }

    fn random(&mut self) -> Result<u64, String> {
        Ok(self.rng.next_u64())
    }

    fn fault(&mut self, _kind: FaultKind, n: usize) -> Result<usize, String> {
        Ok(super::sample_fault(&mut self.rng, n))
    }

    /// `decisions` also counts data choices and random draws: `k` counts only this
    /// strategy's own picks (see the module documentation).
    fn end(&mut self, _decisions: u64) {
        self.max_decisions = Some(self.max_decisions.unwrap_or(0).max(self.decisions));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategy::Pending;

    /// One execution of a program with `picks` scheduling decisions between two tasks, each
    /// after `choices` data choices.
    fn execute(pct: &mut Pct, index: u64, picks: u64, choices: usize) {
        assert!(pct.begin(index, index));
        let candidates = [Candidate::Task(0), Candidate::Task(1)];
        let mut current = None;
        for decision in 0..picks {
            for _ in 0..choices {
                pct.choose(3).unwrap();
            }
            let point = DecisionPoint {
                candidates: &candidates,
                pending: Pending::unknown(),
                current,
                yielding: false,
                decision,
            };
            current = Some(pct.pick(&point).unwrap());
        }
        pct.end(picks * (1 + choices as u64));
    }

    /// `k` is the number of scheduling decisions, not floored and without the data choices:
    /// after an execution with 8 decisions (and 16 choices), every execution draws its d-1
    /// change points among those 8 decisions, and over many executions each of them is drawn.
    #[test]
    fn change_points_fall_among_the_decisions_an_execution_makes() {
        let mut pct = Pct::new(4);
        execute(&mut pct, 0, 8, 2);
        assert_eq!(pct.max_decisions, Some(8));
        let mut seen = [false; 8];
        for index in 1..200 {
            execute(&mut pct, index, 8, 2);
            assert_eq!(pct.change_points.len(), 3);
            for p in &pct.change_points {
                assert!(*p < 8, "{:?}", pct.change_points);
                seen[*p as usize] = true;
            }
        }
        assert_eq!(seen, [true; 8]);
    }
}
