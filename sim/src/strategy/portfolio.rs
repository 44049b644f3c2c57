//! The portfolio: execution `i` runs member `i mod m` of a fixed rotation of sampling
//! strategies (a uniform random walk and PCT at several bug depths), each member keeping its
//! own state (PCT's estimate of the decisions per execution) and drawing from the execution's
//! own seed.
//!
//! Why: no single sampler finds every bug quickly. PCT of depth `d` (Burckhardt, Kothari,
//! Musuvathi, Nagarakatte, ASPLOS 2010) finds a bug of depth `d` with probability at least
//! `1 / (n k^(d-1))` per execution, but a bug deeper than `d` only by luck, and a deep PCT
//! spends change points that a shallow bug does not need; a random walk has no depth limit
//! and finds bugs with many enabled orderings (data choices, several tasks in a race) that
//! PCT's strict priorities reach rarely. Running them in rotation is the portfolio approach
//! of SAT solvers and of the SCTBench study's comparison (Thomson, Donaldson, Betts, TOPC
//! 2016, where a naive random scheduler was as effective as the systematic techniques): a
//! bug that member `j` finds within `e` of its own executions is found within `m * e`
//! executions, whatever the other members do. The rotation and its depths are
//! [`MEMBERS`]; the `sct/*` suite and `tests/sct.rs` measure and check it (every suite bug
//! within 10,000 executions on seeds 1 to 10).
//!
//! Replay needs nothing from the portfolio: a schedule string records every decision and data
//! choice, whichever member made them.

use std::fmt;

use super::{DecisionPoint, Pct, RandomWalk, Step, Strategy};

/// One member of the rotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member {
    /// A uniform random walk.
    Random,
    /// PCT with this bug depth.
    Pct(usize),
}

impl fmt::Display for Member {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Member::Random => f.write_str("random"),
            Member::Pct(d) => write!(f, "pct:{d}"),
        }
    }
}

/// The rotation, in order: execution `i` runs `MEMBERS[i % MEMBERS.len()]`.
pub const MEMBERS: [Member; 4] = [
    Member::Random,
    Member::Pct(2),
    Member::Pct(3),
    Member::Pct(5),
];

/// The portfolio strategy; see the module documentation.
pub struct Portfolio {
    members: Vec<Box<dyn Strategy>>,
    /// The member running the current execution.
    current: usize,
}

impl fmt::Debug for Portfolio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Portfolio")
            .field("current", &self.current)
            .finish_non_exhaustive()
    }
}

impl Default for Portfolio {
    fn default() -> Self {
        Portfolio::new(&MEMBERS)
    }
}

impl Portfolio {
    /// A portfolio rotating through `members` (at least one; PCT depths in
    /// [`PCT_DEPTHS`](super::PCT_DEPTHS)).
    pub fn new(members: &[Member]) -> Self {
        assert!(!members.is_empty(), "a portfolio needs at least one member");
        Portfolio {
            members: members
                .iter()
                .map(|m| -> Box<dyn Strategy> {
                    match *m {
                        Member::Random => Box::new(RandomWalk::default()),
                        Member::Pct(d) => Box::new(Pct::new(d)),
                    }
                })
                .collect(),
            current: 0,
        }
    }

    fn member(&mut self) -> &mut dyn Strategy {
        &mut *self.members[self.current]
    }
}

impl Strategy for Portfolio {
    fn describe(&self) -> String {
        let names: Vec<String> = self.members.iter().map(|m| m.describe()).collect();
        format!("portfolio({})", names.join(", "))
    }

    fn begin(&mut self, index: u64, seed: u64) -> bool {
        let m = self.members.len() as u64;
        self.current = (index % m) as usize;
        self.member().begin(index / m, seed)
    }

    fn pick(&mut self, point: &DecisionPoint<'_>) -> Result<usize, String> {
        self.member().pick(point)
    }

    fn choose(&mut self, n: usize) -> Result<usize, String> {
        self.member().choose(n)
    }

    fn random(&mut self) -> Result<u64, String> {
        self.member().random()
    }

    fn fault(&mut self, kind: weft_core::faults::FaultKind, n: usize) -> Result<usize, String> {
        self.member().fault(kind, n)
    }

    fn end(&mut self, decisions: u64) {
        self.member().end(decisions)
    }

    fn wants_steps(&self) -> bool {
        self.members[self.current].wants_steps()
    }

    fn stepped(&mut self, step: &Step<'_>) {
        self.member().stepped(step)
    }
    fn node_stepped(&mut self, step: &super::NodeStep) {
        self.member().node_stepped(step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategy::{Candidate, Pending};

    /// Execution `i` is decided by member `i mod m`, exactly as that member alone would decide
    /// its own `i / m`-th execution with the same seed.
    #[test]
    fn each_execution_is_its_members() {
        let candidates = [Candidate::Task(0), Candidate::Task(1), Candidate::Task(2)];
        let picks = |s: &mut dyn Strategy, index: u64, seed: u64| -> Vec<usize> {
            assert!(s.begin(index, seed));
            let v = (0..50)
                .map(|decision| {
                    s.pick(&DecisionPoint {
                        candidates: &candidates,
                        pending: Pending::unknown(),
                        current: Some(0),
                        yielding: false,
                        decision,
                    })
                    .unwrap()
                })
                .collect();
            s.end(50);
            v
        };
        let mut portfolio = Portfolio::default();
        let mut alone: Vec<Box<dyn Strategy>> = vec![
            Box::new(RandomWalk::default()),
            Box::new(Pct::new(2)),
            Box::new(Pct::new(3)),
            Box::new(Pct::new(5)),
        ];
        for index in 0..40u64 {
            let seed = 1000 + index;
            let m = (index % 4) as usize;
            assert_eq!(
                picks(&mut portfolio, index, seed),
                picks(&mut *alone[m], index / 4, seed),
                "execution {index}"
            );
        }
        assert_eq!(
            portfolio.describe(),
            "portfolio(random, pct(d=2), pct(d=3), pct(d=5))"
        );
    }
}
