//! The predictive WaitGroup contract check.
//!
//! Go's contract: an `Add` with a positive delta made while the counter is zero must
//! happen-before `Wait`; and when a WaitGroup is reused, such an `Add` must happen-after every
//! earlier `Wait` has returned. [`WaitGroupHistory`] checks both directions on every execution,
//! so the Stop-before-Run bug (`Wait` returns at zero, then the first `Add` runs) is reported
//! even on schedules where it did no visible harm.

use std::fmt;

use smallvec::SmallVec;

use super::clock::VectorClock;
use super::contract::{Contract, Stamp};
use super::engine::TaskIndex;
use crate::error::FailureKind;

/// What a WaitGroup tells its contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitGroupEvent {
    /// An `add` took the counter from zero to positive.
    AddFromZero,
    /// A `wait` began.
    Wait,
}

/// The WaitGroup contract (see the module documentation).
#[derive(Debug)]
pub enum WaitGroupContract {}

impl Contract for WaitGroupContract {
    type History = WaitGroupHistory;
    type Event = WaitGroupEvent;
    type Violation = ContractReport;
    const KIND: FailureKind = FailureKind::ContractViolation;

    #[inline]
    fn check(
        history: &mut WaitGroupHistory,
        clock: &VectorClock,
        at: Stamp,
        event: WaitGroupEvent,
    ) -> Result<(), ContractReport> {
        match event {
            WaitGroupEvent::AddFromZero => history.add_from_zero(clock, at),
            WaitGroupEvent::Wait => history.wait(clock, at),
        }
    }

    fn describe(violation: &ContractReport, name: &dyn Fn(TaskIndex) -> String) -> String {
        violation.describe(name)
    }
}

/// How many adds-from-zero and waits a history keeps (the most recent ones).
const KEEP: usize = 16;

/// An `add` from zero and a `wait` that happens-before does not order.
#[derive(Clone, Copy, Debug)]
pub struct ContractReport {
    /// The `add` that took the counter from zero.
    pub add: Stamp,
    /// The `wait` it is not ordered with.
    pub wait: Stamp,
    /// Whether the wait was recorded first (it returned, or began, before the add ran).
    pub wait_first: bool,
}

impl ContractReport {
    /// Renders the report, naming tasks with `name(index)`.
    pub fn describe(&self, name: impl Fn(usize) -> String) -> String {
        let order = if self.wait_first {
            "the wait ran first, so it did not cover the work the add starts"
        } else {
            "the add ran first only by chance of scheduling"
        };
        format!(
            "WaitGroup contract violation: add from zero by task '{}' at {} (step {}) does not \
             happen-before wait by task '{}' at {} (step {}); {}",
            name(self.add.task),
            self.add.site,
            self.add.step,
            name(self.wait.task),
            self.wait.site,
            self.wait.step,
            order,
        )
    }
}

/// Recent adds-from-zero and waits of one WaitGroup.
#[derive(Clone, Default)]
pub struct WaitGroupHistory {
    adds: SmallVec<[Stamp; 2]>,
    waits: SmallVec<[Stamp; 2]>,
}

impl WaitGroupHistory {
    /// Checks and records an add from zero made at `clock`.
    pub fn add_from_zero(
        &mut self,
        clock: &VectorClock,
        record: Stamp,
    ) -> Result<(), ContractReport> {
        let found = self.waits.iter().find(|w| !w.seen_by(clock)).copied();
        push_bounded(&mut self.adds, record);
        match found {
            Some(wait) => Err(ContractReport {
                add: record,
                wait,
                wait_first: true,
            }),
            None => Ok(()),
        }
    }

    /// Checks and records a wait made at `clock`.
    pub fn wait(&mut self, clock: &VectorClock, record: Stamp) -> Result<(), ContractReport> {
        let found = self.adds.iter().find(|a| !a.seen_by(clock)).copied();
        push_bounded(&mut self.waits, record);
        match found {
            Some(add) => Err(ContractReport {
                add,
                wait: record,
                wait_first: false,
            }),
            None => Ok(()),
        }
    }
}

fn push_bounded(list: &mut SmallVec<[Stamp; 2]>, record: Stamp) {
    if let Some(same) = list.iter_mut().find(|r| r.task == record.task) {
        // A task's later operation supersedes its earlier one: whatever is ordered after the
        // later one is ordered after the earlier one too.
        *same = record;
        return;
    }
    if list.len() == KEEP {
        list.remove(0);
    }
    list.push(record);
}

impl fmt::Debug for WaitGroupHistory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitGroupHistory")
            .field("adds", &self.adds.len())
            .field("waits", &self.waits.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::Location;

    fn rec(task: usize, clock: &VectorClock) -> Stamp {
        Stamp {
            task,
            epoch: clock.get(task),
            step: 0,
            site: Location::caller(),
        }
    }

    fn clocks() -> (VectorClock, VectorClock) {
        let mut owner = VectorClock::new();
        owner.increment(0);
        // The owner spawns the runner: the child inherits the owner's clock, the owner ticks.
        let mut runner = owner.clone();
        runner.increment(1);
        owner.increment(0);
        (owner, runner)
    }

    #[test]
    fn wait_before_unordered_add_is_reported() {
        let (owner, runner) = clocks();
        let mut h = WaitGroupHistory::default();
        h.wait(&owner, rec(0, &owner)).unwrap();
        let err = h.add_from_zero(&runner, rec(1, &runner)).unwrap_err();
        assert!(err.wait_first);
    }

    #[test]
    fn add_before_unordered_wait_is_reported() {
        let (owner, runner) = clocks();
        let mut h = WaitGroupHistory::default();
        h.add_from_zero(&runner, rec(1, &runner)).unwrap();
        let err = h.wait(&owner, rec(0, &owner)).unwrap_err();
        assert!(!err.wait_first);
    }

    #[test]
    fn ordered_add_then_wait_passes() {
        let (mut owner, mut runner) = clocks();
        let mut h = WaitGroupHistory::default();
        h.add_from_zero(&runner, rec(1, &runner)).unwrap();
        // The runner signals "loaded"; the owner receives it.
        let signal = runner.clone();
        runner.increment(1);
        owner.join(&signal);
        h.wait(&owner, rec(0, &owner)).unwrap();
    }
}
