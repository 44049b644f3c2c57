//! Plain iterative context bounding (Musuvathi & Qadeer, "Iterative Context Bounding for Systematic
//! Testing of Multithreaded Programs", PLDI 2007): every schedule with 0 preemptions, then
//! every schedule with exactly 1, then exactly 2, ..., each bound to exhaustion, so that the
//! first failure found has the fewest preemptions any failing schedule of the program needs.
//!
//! A preemption is what [`DecisionPoint::preempts`] says (switching away from a task that is
//! still runnable and did not yield); picking among the runnable tasks when the last one
//! blocked or finished, switching away from a yield, and data choices (`choose`) are free.
//!
//! The protocol, as in the paper's algorithm (a work queue per bound):
//!
//! 1. A work item is a decision prefix (the option taken at each decision, a candidate index
//!    or a choice value) whose last decision is its `b`-th preemption; bound 0 starts with the
//!    empty prefix.
//! 2. Bound `b` runs each of its work items: the prefix is replayed, then the rest is a
//!    depth-first search over the free decisions only (the running task keeps running while it
//!    can). Every preempting option met on the way is not taken but deferred: the path to it
//!    plus that option becomes a work item of bound `b + 1`.
//! 3. When bound `b`'s work items are all done, bound `b` is fully explored (the *bound
//!    reached*); bound `b + 1` starts, unless it has no work items (the whole space is explored)
//!    or `b` is the maximum bound ([`Config::preemption_bound`](crate::Config::preemption_bound)).
//!
//! A schedule with `c` preemptions is run exactly once, at bound `c`, from the work item that
//! ends at its `c`-th preemption: no schedule runs twice across bounds. Like [`Dfs`](crate::strategy::Dfs)
//! the search is stateless (each execution replays its prefix from the start); memory is the
//! depth of one execution plus the deferred prefixes of the next bound. Random draws
//! (`rand_u64`) are not branches: they come from a fixed stream.

use std::collections::VecDeque;

use smallvec::SmallVec;

use crate::rng::SimRng;
use crate::strategy::{DecisionPoint, Strategy};

/// One free decision of the depth-first search inside a work item.
#[derive(Debug)]
struct Frame {
    /// The free options here (candidate indices or choice values), in trial order.
    allowed: SmallVec<[u32; 4]>,
    /// Which of them the current execution takes.
    pos: usize,
    /// Number of candidates (or choice range) when the frame was made.
    width: usize,
}

/// Plain iterative context bounding; see the module documentation.
#[derive(Debug)]
pub(crate) struct PlainIcb {
    /// The largest bound to explore (`None`: until the space is exhausted).
    max_bound: Option<u32>,
    /// The bound being explored.
    bound: u32,
    /// The largest bound fully explored.
    reached: Option<u32>,
    /// Work items of this bound not started yet.
    queue: VecDeque<Vec<u32>>,
    /// Work items deferred to the next bound.
    next: Vec<Vec<u32>>,
    /// The prefix of the running work item.
    prefix: Vec<u32>,
    /// The depth-first search after the prefix.
    frames: Vec<Frame>,
    /// Decisions made so far in this execution.
    depth: usize,
    /// Whether the search is over (exhausted, or the maximum bound explored).
    done: bool,
    rng: SimRng,
}

impl PlainIcb {
    /// Iterative context bounding up to `max_bound` preemptions (`None`: no maximum).
    pub(crate) fn new(max_bound: Option<u32>) -> Self {
        PlainIcb {
            max_bound,
            bound: 0,
            reached: None,
            queue: VecDeque::new(),
            next: Vec::new(),
            prefix: Vec::new(),
            frames: Vec::new(),
            depth: 0,
            done: false,
            rng: SimRng::new(0),
        }
    }

    /// The option the current execution took at each decision so far.
    fn path(&self) -> Vec<u32> {
        let mut path = self.prefix.clone();
        path.extend(self.frames.iter().map(|f| f.allowed[f.pos]));
        path
    }

    /// The option to take at a decision with `width` options: from the prefix while replaying
    /// it, else from the depth-first search, making a frame of the `free` options (in trial
    /// order) and deferring the `deferred` ones to the next bound when first here.
    fn branch(
        &mut self,
        width: usize,
        free: impl FnOnce() -> SmallVec<[u32; 4]>,
        deferred: impl FnOnce() -> SmallVec<[u32; 4]>,
    ) -> Result<u32, String> {
        let d = self.depth;
        if let Some(&v) = self.prefix.get(d) {
            if v as usize >= width {
                return Err(nondeterminism(d, v as usize + 1, width));
            }
            self.depth += 1;
            return Ok(v);
        }
        let i = d - self.prefix.len();
        if let Some(f) = self.frames.get(i) {
            if f.width != width {
                return Err(nondeterminism(d, f.width, width));
            }
        } else {
            let path = self.path();
            for option in deferred() {
                let mut item = path.clone();
                item.push(option);
                self.next.push(item);
            }
            self.frames.push(Frame {
                allowed: free(),
                pos: 0,
                width,
            });
        }
        let f = &self.frames[i];
        self.depth += 1;
        Ok(f.allowed[f.pos])
    }

    /// The current work item is done: start the next one, or the next bound, or stop.
    fn next_item(&mut self) {
        loop {
            if let Some(item) = self.queue.pop_front() {
                self.prefix = item;
                return;
            }
            self.reached = Some(self.bound);
            // Nothing deferred: no schedule has more preemptions, the space is exhausted.
            if self.next.is_empty() || self.max_bound.is_some_and(|m| self.bound >= m) {
                self.done = true;
                return;
            }
            self.bound += 1;
            self.queue = std::mem::take(&mut self.next).into();
        }
    }
}

fn nondeterminism(decision: usize, before: usize, now: usize) -> String {
    format!(
        "nondeterminism: decision {decision} had {before} options in an earlier execution and \
         {now} now, with the same prefix"
    )
}

impl Strategy for PlainIcb {
    fn describe(&self) -> String {
        super::describe(self.max_bound, self.reached)
    }

    fn begin(&mut self, _index: u64, _seed: u64) -> bool {
        if self.done {
            return false;
        }
        self.depth = 0;
        self.rng = SimRng::new(0);
        true
    }

    fn pick(&mut self, point: &DecisionPoint<'_>) -> Result<usize, String> {
        let n = point.candidates.len() as u32;
        let all = || (0..n).filter(|i| !point.preempts(*i as usize));
        let chosen = self.branch(
            n as usize,
            || match point.current {
                // A yielding task gives way: the others first.
                Some(c) if point.yielding => all()
                    .filter(|i| *i != c as u32)
                    .chain(std::iter::once(c as u32))
                    .collect(),
                _ => all().collect(),
            },
            || (0..n).filter(|i| point.preempts(*i as usize)).collect(),
        )?;
        Ok(chosen as usize)
    }

    fn choose(&mut self, n: usize) -> Result<usize, String> {
        Ok(self.branch(n, || (0..n as u32).collect(), SmallVec::new)? as usize)
    }

    fn random(&mut self) -> Result<u64, String> {
        Ok(self.rng.next_u64())
    }

    fn end(&mut self, _decisions: u64) {
        // Frames deeper than this execution went are stale only if the program is
        // nondeterministic; drop them so the search stays well-formed.
        self.frames
            .truncate(self.depth.saturating_sub(self.prefix.len()));
        while let Some(last) = self.frames.last_mut() {
            if last.pos + 1 < last.allowed.len() {
                last.pos += 1;
                return;
            }
            self.frames.pop();
        }
        self.next_item();
    }

    /// Exhausted once every bound up to the maximum (or every schedule, without one) ran.
    fn exhausted(&self) -> Option<bool> {
        Some(self.done)
    }

    fn bound_reached(&self) -> Option<u32> {
        self.reached
    }

    fn progress(&self) -> Option<String> {
        let reached = super::reached_text(self.reached);
        Some(format!(
            "bound {}, {reached}, {} work items left in this bound, {} deferred to the next",
            self.bound,
            self.queue.len(),
            self.next.len()
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::strategy::{Candidate, Dfs, Pending};

    /// Runs `strategy` to the end on `tasks` tasks of `steps` steps each, always runnable, one
    /// scheduling point per step; returns each execution's step order and preemption count.
    fn explore(strategy: &mut dyn Strategy, tasks: u32, steps: u32) -> Vec<(Vec<u32>, u32)> {
        let mut out = Vec::new();
        while strategy.begin(out.len() as u64, 0) {
            let mut left = vec![steps; tasks as usize];
            let (mut current, mut order, mut preemptions, mut decisions) = (None, vec![], 0, 0);
            while left.iter().any(|l| *l > 0) {
                let cands: Vec<Candidate> = (0..tasks)
                    .filter(|t| left[*t as usize] > 0)
                    .map(Candidate::Task)
                    .collect();
                let i = if cands.len() == 1 {
                    0
                } else {
                    let point = DecisionPoint {
                        candidates: &cands,
                        pending: Pending::unknown(),
                        current: current.and_then(|c| cands.iter().position(|x| *x == c)),
                        yielding: false,
                        decision: decisions,
                    };
                    decisions += 1;
                    let i = strategy.pick(&point).unwrap();
                    preemptions += u32::from(point.preempts(i));
                    i
                };
                let Candidate::Task(t) = cands[i] else {
                    unreachable!()
                };
                left[t as usize] -= 1;
                order.push(t);
                current = Some(cands[i]);
            }
            strategy.end(decisions);
            out.push((order, preemptions));
        }
        assert_eq!(strategy.exhausted(), Some(true));
        out
    }

    /// Without a maximum: every interleaving exactly once (the same set DFS visits), in
    /// non-decreasing order of preemptions.
    #[test]
    fn every_schedule_once_by_increasing_preemptions() {
        for (tasks, steps) in [(2, 3), (3, 2), (2, 1)] {
            let icb = explore(&mut PlainIcb::new(None), tasks, steps);
            let dfs = explore(&mut Dfs::new(None), tasks, steps);
            let icb_set: BTreeSet<&Vec<u32>> = icb.iter().map(|(o, _)| o).collect();
            let dfs_set: BTreeSet<&Vec<u32>> = dfs.iter().map(|(o, _)| o).collect();
            assert_eq!(icb_set.len(), icb.len(), "a schedule ran twice");
            assert_eq!(icb_set, dfs_set);
            assert!(icb.windows(2).all(|w| w[0].1 <= w[1].1), "{icb:?}");
        }
        assert_eq!(explore(&mut PlainIcb::new(None), 2, 3).len(), 20, "C(6, 3)");
    }

    /// Up to a maximum bound `k`: exactly the schedules bounded DFS visits with bound `k`;
    /// the bound reached is `k`, and each bound `b` ran exactly the schedules with `b`
    /// preemptions.
    #[test]
    fn a_maximum_bound_stops_after_that_bound() {
        for k in 0..3 {
            let mut icb = PlainIcb::new(Some(k));
            let runs = explore(&mut icb, 3, 2);
            assert_eq!(icb.bound_reached(), Some(k));
            assert!(runs.iter().all(|(_, p)| *p <= k));
            assert!(runs.iter().any(|(_, p)| *p == k));
            assert_eq!(
                runs.len(),
                explore(&mut Dfs::new(Some(k)), 3, 2).len(),
                "bound {k}"
            );
        }
        assert_eq!(
            explore(&mut PlainIcb::new(Some(0)), 3, 2).len(),
            6,
            "3! orders"
        );
    }

    #[test]
    fn describe_and_progress_name_the_bound_reached() {
        let mut icb = PlainIcb::new(Some(1));
        assert_eq!(icb.describe(), "icb(max bound 1)");
        explore(&mut icb, 2, 2);
        assert_eq!(icb.describe(), "icb(max bound 1, bound reached 1)");
        assert!(icb.progress().unwrap().contains("bounds 0..=1 explored"));
        let mut unbounded = PlainIcb::new(None);
        assert_eq!(unbounded.describe(), "icb");
        explore(&mut unbounded, 2, 2);
        assert_eq!(unbounded.describe(), "icb(bound reached 2)");
    }
}
