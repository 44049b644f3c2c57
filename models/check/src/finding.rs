//! [`Finding`]: the first failure a check found, as values: its kind, the oracle it breaks,
//! where and when it happened, and how to reproduce it. Rendered only at the edge (the CLI's
//! text and JSON).

use std::panic::Location;

use weft_core::backend::verdict::Found;
use weft_core::{FailureKind, Fault, Instant, OracleId};
use weft_models::scenario::Scale;
use weft_sim::Schedule;

use crate::plan::Search;

/// How to get the same failure again.
#[derive(Clone, Debug)]
pub enum Reproduce {
    /// weft-sim: replay this schedule at this scale (`weft replay`).
    Sim {
        /// The failing execution's schedule.
        schedule: Schedule,
        /// The failing execution's seed.
        seed: u64,
        /// The scale it was found at.
        scale: Scale,
        /// The exact `weft replay` command.
        command: String,
    },
    /// shuttle: the same seeded search, ending at the failing execution.
    Shuttle {
        /// The search (random or PCT, with its seed).
        search: Search,
        /// Executions up to and including the failing one.
        executions: u64,
    },
    /// Nothing to pass: loom's DPOR and shuttle's DFS are deterministic, and a tokio run is
    /// not reproducible.
    Rerun,
}

/// A failure found.
#[derive(Clone, Debug)]
pub struct Finding {
    /// What kind of failure.
    pub kind: FailureKind,
    /// The scenario oracle it breaks, if an oracle raised it.
    pub oracle: Option<OracleId>,
    /// What happened, for people.
    pub message: String,
    /// The task that was running (sim only).
    pub task: Option<String>,
    /// Where the model code reached the failing operation, when known.
    pub site: Option<&'static Location<'static>>,
    /// The executor step (sim only).
    pub step: Option<u64>,
    /// The virtual time (sim only).
    pub time: Option<Instant>,
    /// The failing execution (1-based), or the failing tokio run.
    pub execution: u64,
    /// How many preemptions the failing schedule makes (sim only; [`weft_sim::Failure::preemptions`]).
    /// Under `--strategy icb` no failing schedule of the program has fewer.
    pub preemptions: Option<u32>,
    /// How to reproduce it.
    pub reproduce: Reproduce,
    /// weft-sim's failure as found: its `Display` is the one-screen report (schedule, replay
    /// command, per-task trace) that the text output prints.
    pub sim: Option<Box<weft_sim::Failure>>,
}

impl Finding {
    /// A finding of `kind` in execution (or tokio run) `execution`, with nothing known of
    /// where or when: the fields a backend knows are set on the value it returns.
    pub fn new(kind: FailureKind, message: String, execution: u64, reproduce: Reproduce) -> Self {
        Finding {
            kind,
            oracle: None,
            message,
            task: None,
            site: None,
            step: None,
            time: None,
            execution,
            preemptions: None,
            reproduce,
            sim: None,
        }
    }
}

/// A failure a checker returned as a value (loom, shuttle), in execution `execution`; its
/// message is the checker's rendered report.
pub(crate) fn of_found(found: &Found, execution: u64, reproduce: Reproduce) -> Finding {
    of_fault(&found.fault, found.to_string(), execution, reproduce)
}

/// A fault raised in execution (or tokio run) `execution`, with `message` as people read it.
pub(crate) fn of_fault(
    fault: &Fault,
    message: String,
    execution: u64,
    reproduce: Reproduce,
) -> Finding {
    Finding {
        oracle: fault.oracle,
        site: fault.site,
        ..Finding::new(fault.kind, message, execution, reproduce)
    }
}
