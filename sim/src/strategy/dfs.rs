//! Depth-first search over decisions, exhaustive or with a preemption bound (CHESS-style:
//! Musuvathi & Qadeer, "Iterative Context Bounding for Systematic Testing of Multithreaded
//! Programs", PLDI 2007).
//!
//! Every decision is a branch: which candidate runs, which value a `choose(n)` returns.
//! Candidates are tried in order, the running task first, so the non-preemptive schedule comes
//! first. With a preemption bound `k`, once an execution has preempted a runnable task `k`
//! times, the running task keeps running while it can. Random draws (`rand_u64`) are not
//! branches: DFS answers them from a fixed stream.
//!
//! The search is stateless (each execution replays the prefix it shares with the previous one),
//! so memory is proportional to the depth of one execution.

use smallvec::SmallVec;

use super::{DecisionPoint, Strategy};
use crate::rng::SimRng;

#[derive(Debug)]
struct Frame {
    /// Options allowed here (candidate indices or choice values), in trial order.
    allowed: SmallVec<[u32; 4]>,
    /// Which allowed option the current execution takes.
    pos: usize,
    /// Number of candidates (or choice range) seen when the frame was created.
    width: usize,
}

/// Depth-first search; see the module documentation.
#[derive(Debug)]
pub struct Dfs {
    preemption_bound: Option<u32>,
    frames: Vec<Frame>,
    depth: usize,
    preemptions: u32,
    executions: u64,
    exhausted: bool,
    rng: SimRng,
}

impl Dfs {
    /// DFS with an optional preemption bound.
    pub fn new(preemption_bound: Option<u32>) -> Self {
        Dfs {
            preemption_bound,
            frames: Vec::new(),
            depth: 0,
            preemptions: 0,
            executions: 0,
            exhausted: false,
            rng: SimRng::new(0),
        }
    }

    fn branch(
        &mut self,
        width: usize,
        make: impl FnOnce() -> SmallVec<[u32; 4]>,
    ) -> Result<u32, String> {
        if self.depth < self.frames.len() {
            let f = &self.frames[self.depth];
            if f.width != width {
                return Err(format!(
                    "nondeterminism: decision {} had {} options in an earlier execution and {} \
                     now, with the same prefix",
                    self.depth, f.width, width
                ));
            }
        } else {
            self.frames.push(Frame {
                allowed: make(),
                pos: 0,
                width,
            });
        }
        let f = &self.frames[self.depth];
        self.depth += 1;
        Ok(f.allowed[f.pos])
    }
}

impl Strategy for Dfs {
    fn describe(&self) -> String {
        match self.preemption_bound {
            Some(k) => format!("dfs(preemption bound {k})"),
            None => "dfs".to_string(),
        }
    }

    fn begin(&mut self, _index: u64, _seed: u64) -> bool {
        if self.exhausted {
            return false;
        }
        self.depth = 0;
        self.preemptions = 0;
        self.rng = SimRng::new(0);
        true
    }

    fn pick(&mut self, point: &DecisionPoint<'_>) -> Result<usize, String> {
        let n = point.candidates.len();
        let bound_hit = self.preemption_bound.is_some_and(|k| self.preemptions >= k);
        let current = point.current;
        let yielding = point.yielding;
        let chosen = self.branch(n, || match current {
            // A yielding task gives way: try the others first, and under the bound do not
            // count switching away from it as a preemption.
            Some(c) if yielding => (0..n as u32)
                .filter(|i| *i != c as u32)
                .chain(std::iter::once(c as u32))
                .collect(),
            Some(c) if bound_hit => SmallVec::from_slice(&[c as u32]),
            Some(c) => std::iter::once(c as u32)
                .chain((0..n as u32).filter(|i| *i != c as u32))
                .collect(),
            None => (0..n as u32).collect(),
        })? as usize;
        if point.preempts(chosen) {
            self.preemptions += 1;
        }
        Ok(chosen)
    }

    fn choose(&mut self, n: usize) -> Result<usize, String> {
        Ok(self.branch(n, || (0..n as u32).collect())? as usize)
    }

    fn random(&mut self) -> Result<u64, String> {
        Ok(self.rng.next_u64())
    }

    fn end(&mut self, _decisions: u64) {
        self.executions += 1;
        // Frames deeper than this execution went are stale only if the program is
        // nondeterministic; drop them so the search stays well-formed.
        self.frames.truncate(self.depth);
        while let Some(last) = self.frames.last_mut() {
            if last.pos + 1 < last.allowed.len() {
                last.pos += 1;
                return;
            }
            self.frames.pop();
        }
        self.exhausted = true;
    }

    fn exhausted(&self) -> Option<bool> {
        Some(self.exhausted)
    }

    /// The depth of the current path (decisions on the stack) and the branches still open
    /// along it (untried options): the search ends when none is left.
    fn progress(&self) -> Option<String> {
        let open: usize = self
            .frames
            .iter()
            .map(|f| f.allowed.len() - f.pos - 1)
            .sum();
        Some(format!("depth {}, {open} branches open", self.frames.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategy::Candidate;

    /// Two tasks, each with `steps` decision points, always both runnable: DFS without a bound
    /// visits every interleaving exactly once.
    fn count(bound: Option<u32>, steps: u32) -> u64 {
        let mut dfs = Dfs::new(bound);
        let mut executions = 0;
        while dfs.begin(executions, 0) {
            let mut left = [steps, steps];
            let mut current: Option<u32> = None;
            let mut decisions = 0;
            while left[0] + left[1] > 0 {
                let cands: Vec<Candidate> = (0..2u32)
                    .filter(|t| left[*t as usize] > 0)
                    .map(Candidate::Task)
                    .collect();
                let chosen = if cands.len() == 1 {
                    cands[0]
                } else {
                    let cur =
                        current.and_then(|c| cands.iter().position(|x| *x == Candidate::Task(c)));
                    let point = DecisionPoint {
                        candidates: &cands,
                        pending: crate::strategy::Pending::unknown(),
                        current: cur,
                        yielding: false,
                        decision: decisions,
                    };
                    decisions += 1;
                    cands[dfs.pick(&point).unwrap()]
                };
                let Candidate::Task(t) = chosen else {
                    unreachable!()
                };
                left[t as usize] -= 1;
                current = Some(t);
            }
            dfs.end(decisions);
            executions += 1;
        }
        assert_eq!(dfs.exhausted(), Some(true));
        executions
    }

    #[test]
    fn exhaustive_counts_every_interleaving() {
        // C(2s, s) interleavings of two sequences of s steps.
        assert_eq!(count(None, 1), 2);
        assert_eq!(count(None, 2), 6);
        assert_eq!(count(None, 3), 20);
    }

    #[test]
    fn preemption_bound_prunes() {
        assert_eq!(
            count(Some(0), 3),
            2,
            "no preemption: run one task to the end, then the other"
        );
        assert!(count(Some(1), 3) < count(None, 3));
    }
}
