//! The hunt: two complete searches of the same space in alternation, iterative context
//! bounding ([`Icb`]) on even executions and optimal DPOR ([`Dpor`]) on odd ones, each keeping
//! its own state. The first failure either finds ends the run; the space is exhausted as soon
//! as either search is (each is complete on its own: ICB without a largest bound runs every
//! bound to the end, DPOR one execution per trace class).
//!
//! Why: neither search finds every bug first, and which one does is a property of the
//! program's shape, not something a checker can know before running it. ICB orders the space
//! by preemptions (Musuvathi & Qadeer, PLDI 2007), so a shallow bug in shared-memory code is
//! found after the few schedules of bounds 0 and 1 (`consul/fix-combinations`: ICB 1,043 to
//! 1,371 executions; DPOR none in 20,000). In message-passing code nearly every switch
//! follows a blocking `await`, so bound 0 already holds almost the whole space and ICB's order
//! is no better than any other (`mimir/r6-double-steal`: DPOR 1,389 executions, ICB none in
//! 20,000 while still inside bound 0). Running both in rotation is the portfolio argument
//! ([`Portfolio`](super::Portfolio), here over exhaustive searches): a bug that one search
//! finds within `e` of its own executions is found within `2 e`, whatever the other does.
//!
//! What a failure proves: ICB's [`bound_reached`](Strategy::bound_reached) is reported as it
//! stands (no failing schedule has that many preemptions or fewer); the failing schedule's
//! own preemption count is minimal when ICB found it, or when it is one more than the bound
//! reached. Replay needs nothing from the hunt: the schedule string records every decision.

use super::{Candidate, DecisionPoint, Dpor, Icb, Step, Strategy};

/// The two members, in rotation order: execution `i` runs `i mod 2`.
const ICB: usize = 0;
const DPOR: usize = 1;

/// The hunt strategy; see the module documentation.
#[derive(Debug)]
pub struct Hunt {
    icb: Icb,
    dpor: Dpor,
    /// The member running the current execution.
    current: usize,
}

impl Hunt {
    /// A hunt whose ICB member is `icb` (bounded POR, or plain ICB where the run has a fault
    /// budget its reduction does not see; the runner decides) and whose DPOR member is fresh.
    pub fn new(icb: Icb) -> Self {
        Hunt {
            icb,
            dpor: Dpor::new(),
            current: ICB,
        }
    }

    fn member(&self) -> &dyn Strategy {
        match self.current {
            ICB => &self.icb,
            _ => &self.dpor,
        }
    }

    fn member_mut(&mut self) -> &mut dyn Strategy {
        match self.current {
            ICB => &mut self.icb,
            _ => &mut self.dpor,
        }
    }
}

impl Strategy for Hunt {
    fn describe(&self) -> String {
        format!("hunt({}, {})", self.icb.describe(), self.dpor.describe())
    }

    fn begin(&mut self, index: u64, seed: u64) -> bool {
        if self.exhausted() == Some(true) {
            return false;
        }
        self.current = if index.is_multiple_of(2) { ICB } else { DPOR };
        // A member with nothing left ends the hunt: the space is exhausted.
        self.member_mut().begin(index / 2, seed)
    }

    fn pick(&mut self, point: &DecisionPoint<'_>) -> Result<usize, String> {
        self.member_mut().pick(point)
    }

    fn choose(&mut self, n: usize) -> Result<usize, String> {
        self.member_mut().choose(n)
    }

    fn random(&mut self) -> Result<u64, String> {
        self.member_mut().random()
    }

    fn fault(&mut self, kind: weft_core::faults::FaultKind, n: usize) -> Result<usize, String> {
        self.member_mut().fault(kind, n)
    }

    fn end(&mut self, decisions: u64) {
        self.member_mut().end(decisions)
    }

    fn wants_steps(&self) -> bool {
        self.member().wants_steps()
    }

    fn stepped(&mut self, step: &Step<'_>) {
        self.member_mut().stepped(step)
    }

    fn forced(&mut self, actor: Candidate) {
        self.member_mut().forced(actor)
    }

    fn node_stepped(&mut self, step: &super::NodeStep) {
        self.member_mut().node_stepped(step)
    }

    fn exhausted(&self) -> Option<bool> {
        let done = |s: &dyn Strategy| s.exhausted() == Some(true);
        Some(done(&self.icb) || done(&self.dpor))
    }

    fn bound_reached(&self) -> Option<u32> {
        self.icb.bound_reached()
    }

    fn progress(&self) -> Option<String> {
        let part = |name: &str, s: &dyn Strategy| s.progress().map(|p| format!("{name}: {p}"));
        let parts: Vec<String> = [part("icb", &self.icb), part("dpor", &self.dpor)]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}
