//! [`ScheduleMismatch`]: a schedule that does not fit the program it is replayed on.
//!
//! A [`Replay`](crate::strategy::Replay) follows a recorded schedule decision by decision. The
//! first decision it cannot follow is a mismatch, kept as a value: which decision (0-based
//! index into the schedule) and what did not fit. What a mismatch *means* depends on who
//! recorded the schedule:
//!
//! - a schedule given by the user ([`Config::schedule`](crate::Config::schedule),
//!   `WEFT_SCHEDULE`, `weft replay --schedule`) that does not fit is bad input:
//!   [`SimError::ScheduleMismatch`](crate::SimError::ScheduleMismatch), exit 2 in the CLI;
//! - a regression-file entry that does not fit is stale (the program changed since it was
//!   saved): reported in one line and re-run from its seed ([`crate::regression`]);
//! - a schedule the simulator recorded a moment ago that does not replay is nondeterminism in
//!   the code under test: a [`Failure`](crate::Failure) of kind `divergence`.

use std::fmt;
use std::sync::{Arc, Mutex};

use crate::schedule::Decision;
use crate::strategy::Candidate;

/// The first decision of a replayed schedule that does not fit the program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleMismatch {
    /// 0-based index of the decision in the schedule.
    pub decision: usize,
    /// What did not fit.
    pub what: Mismatch,
}

/// What the program needed at a decision a schedule could not give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Which task (or due timer) runs next.
    Pick,
    /// A data choice among this many values.
    Choice(usize),
    /// A random draw.
    Random,
    /// A fault decision of this kind among this many values ("no fault" and the options).
    Fault(weft_core::faults::FaultKind, usize),
}

impl fmt::Display for Need {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Need::Pick => f.write_str("chooses which task runs"),
            Need::Choice(n) => write!(f, "makes a choice among {n}"),
            Need::Random => f.write_str("draws a random number"),
            Need::Fault(kind, n) => write!(f, "decides a {kind} fault among {n} outcomes"),
        }
    }
}

/// How a schedule and a program disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// The schedule runs a task or timer that is not among the candidates.
    NotACandidate {
        /// What the schedule runs.
        recorded: Candidate,
        /// What could run.
        candidates: Vec<Candidate>,
    },
    /// The schedule holds another kind of decision, or a choice out of range.
    Wrong {
        /// The schedule's decision.
        recorded: Decision,
        /// What the program needed.
        need: Need,
    },
    /// The schedule ended while the program still makes decisions.
    Missing {
        /// The schedule's length.
        len: usize,
        /// What the program needed.
        need: Need,
    },
    /// The program ended with decisions of the schedule left over.
    LeftOver {
        /// How many were not used.
        unused: usize,
    },
}

impl fmt::Display for ScheduleMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at decision {}, ", self.decision)?;
        match &self.what {
            Mismatch::NotACandidate {
                recorded,
                candidates,
            } => {
                let names: Vec<String> = candidates.iter().map(Candidate::to_string).collect();
                write!(
                    f,
                    "the schedule runs {recorded}, but the candidates are [{}]",
                    names.join(", ")
                )
            }
            Mismatch::Wrong { recorded, need } => {
                write!(f, "the schedule says {recorded}, but the program {need}")
            }
            Mismatch::Missing { len, need } => write!(
                f,
                "the schedule has ended ({len} decisions), but the program still {need}"
            ),
            Mismatch::LeftOver { unused } => write!(
                f,
                "the program ended, but the schedule has {unused} more decision(s)"
            ),
        }
    }
}

impl std::error::Error for ScheduleMismatch {}

/// Where a [`Replay`](crate::strategy::Replay) leaves its first mismatch for the runner
/// (the strategy itself is owned by the execution while it runs).
pub(crate) type MismatchSlot = Arc<Mutex<Option<ScheduleMismatch>>>;

/// Takes the mismatch out of `slot`, if one was recorded.
pub(crate) fn take(slot: &MismatchSlot) -> Option<ScheduleMismatch> {
    slot.lock().unwrap_or_else(|p| p.into_inner()).take()
}
