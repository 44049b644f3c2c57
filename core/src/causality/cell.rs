//! The data-race check for shared cells.

use std::fmt;
use std::panic::Location;

use smallvec::SmallVec;

use super::clock::{Epoch, VectorClock};
use super::contract::{Contract, Stamp};
use super::engine::TaskIndex;
use crate::error::FailureKind;

/// The data-race contract of a [`SharedCell`](crate::sync::SharedCell): two accesses, at least
/// one a write, must be ordered by happens-before. The event is the access kind.
#[derive(Debug)]
pub enum SharedCellContract {}

impl Contract for SharedCellContract {
    type History = CellHistory;
    type Event = Access;
    type Violation = RaceReport;
    const KIND: FailureKind = FailureKind::DataRace;

    #[inline]
    fn check(
        history: &mut CellHistory,
        clock: &VectorClock,
        at: Stamp,
        access: Access,
    ) -> Result<(), RaceReport> {
        history.check(clock, at.access(access))
    }

    fn describe(violation: &RaceReport, name: &dyn Fn(TaskIndex) -> String) -> String {
        violation.describe(name)
    }
}

/// What an access to a shared cell does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reads the value.
    Read,
    /// Writes (or reads and writes) the value.
    Write,
}

impl Access {
    /// `"read"` or `"write"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
        }
    }
}

/// One recorded access: who, when (epoch and backend step), where, and what.
#[derive(Clone, Copy, Debug)]
pub struct AccessRecord {
    /// Dense task index of the accessing task.
    pub task: usize,
    /// The task's own clock component at the access.
    pub epoch: Epoch,
    /// The backend's step number at the access (0 where the backend does not count steps).
    pub step: u64,
    /// Source location of the access.
    pub site: &'static Location<'static>,
    /// Read or write.
    pub access: Access,
}

/// Two conflicting accesses that happens-before does not order.
#[derive(Clone, Copy, Debug)]
pub struct RaceReport {
    /// The access recorded first.
    pub earlier: AccessRecord,
    /// The access being checked when the race was found.
    pub later: AccessRecord,
}

impl RaceReport {
    /// Renders the report, naming tasks with `name(index)`.
    pub fn describe(&self, name: impl Fn(usize) -> String) -> String {
        format!(
            "data race on SharedCell: {} by task '{}' at {} (step {}) is not ordered with {} by \
             task '{}' at {} (step {})",
            self.later.access.as_str(),
            name(self.later.task),
            self.later.site,
            self.later.step,
            self.earlier.access.as_str(),
            name(self.earlier.task),
            self.earlier.site,
            self.earlier.step,
        )
    }
}

/// Access history of one cell: the last write and the reads since it (at most one per task).
#[derive(Clone, Default)]
pub struct CellHistory {
    last_write: Option<AccessRecord>,
    reads: SmallVec<[AccessRecord; 4]>,
}

impl CellHistory {
    /// Checks `record` (made by a task whose current clock is `clock`) against the history and
    /// records it. Returns the first unordered conflicting access, if any.
    pub fn check(&mut self, clock: &VectorClock, record: AccessRecord) -> Result<(), RaceReport> {
        let unordered = |prev: &AccessRecord| !clock.has_seen(prev.task, prev.epoch);
        if let Some(w) = self.last_write.as_ref().filter(|w| unordered(w)) {
            return Err(RaceReport {
                earlier: *w,
                later: record,
            });
        }
        match record.access {
            Access::Read => {
                if let Some(r) = self.reads.iter_mut().find(|r| r.task == record.task) {
                    *r = record;
                } else {
                    self.reads.push(record);
                }
            }
            Access::Write => {
                if let Some(r) = self.reads.iter().find(|r| unordered(r)) {
                    return Err(RaceReport {
                        earlier: *r,
                        later: record,
                    });
                }
                self.reads.clear();
                self.last_write = Some(record);
            }
        }
        Ok(())
    }
}

impl fmt::Debug for CellHistory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CellHistory")
            .field("last_write", &self.last_write)
            .field("reads", &self.reads.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(task: usize, clock: &VectorClock, access: Access) -> AccessRecord {
        AccessRecord {
            task,
            epoch: clock.get(task),
            step: 0,
            site: Location::caller(),
            access,
        }
    }

    #[test]
    fn unordered_read_write_is_a_race_in_either_order() {
        let mut t0 = VectorClock::new();
        t0.increment(0);
        let mut t1 = VectorClock::new();
        t1.increment(1);
        let mut h = CellHistory::default();
        h.check(&t0, rec(0, &t0, Access::Read)).unwrap();
        assert!(h.check(&t1, rec(1, &t1, Access::Write)).is_err());

        let mut h = CellHistory::default();
        h.check(&t1, rec(1, &t1, Access::Write)).unwrap();
        assert!(h.check(&t0, rec(0, &t0, Access::Read)).is_err());
    }

    #[test]
    fn ordered_accesses_and_concurrent_reads_are_fine() {
        let mut t0 = VectorClock::new();
        t0.increment(0);
        let mut h = CellHistory::default();
        h.check(&t0, rec(0, &t0, Access::Write)).unwrap();
        // t1 acquires t0's release.
        let mut sync = t0.clone();
        t0.increment(0);
        let mut t1 = VectorClock::new();
        t1.increment(1);
        t1.join(&sync);
        h.check(&t1, rec(1, &t1, Access::Read)).unwrap();
        let mut t2 = VectorClock::new();
        t2.increment(2);
        t2.join(&sync);
        h.check(&t2, rec(2, &t2, Access::Read)).unwrap();
        // A write by t0 now conflicts with the unordered reads.
        assert!(h.check(&t0, rec(0, &t0, Access::Write)).is_err());
        sync.clear();
    }
}
