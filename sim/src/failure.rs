//! [`Failure`]: everything needed to understand and reproduce a failing execution, on one
//! screen.

use std::fmt;

use weft_core::{FailureKind, Instant};

/// A failing execution.
#[derive(Clone, Debug)]
pub struct Failure {
    /// What kind of failure.
    pub kind: FailureKind,
    /// The checker's or the panic's message (sites included).
    pub message: String,
    /// The task that was running when it was found.
    pub task: String,
    /// The failing execution's seed.
    pub seed: u64,
    /// 1-based index of the failing execution in its run.
    pub execution: u64,
    /// The strategy that found it.
    pub strategy: String,
    /// The schedule string that replays it.
    pub schedule: String,
    /// Executor step at which it was found.
    pub step: u64,
    /// Virtual time at which it was found.
    pub time: Instant,
    /// The rendered per-task trace of the failing execution.
    pub trace: String,
    /// The exact command that replays it.
    pub replay_command: String,
    /// Checker findings tolerated ([`Config::tolerate`](crate::Config::tolerate)) in the run
    /// up to and including the failing execution (in a replay: in that execution).
    pub tolerated: Vec<crate::Tolerated>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "weft-sim found a failure: {}", self.kind)?;
        writeln!(f, "  {}", self.message.replace('\n', "\n  "))?;
        writeln!(
            f,
            "  in task '{}' at step {}, virtual time {:?}",
            self.task,
            self.step,
            self.time.since_epoch()
        )?;
        writeln!(
            f,
            "  execution {} of the run, seed {}, strategy {}",
            self.execution, self.seed, self.strategy
        )?;
        writeln!(f, "  schedule: {}", self.schedule)?;
        writeln!(f, "  replay:   {}", self.replay_command)?;
        for t in &self.tolerated {
            writeln!(
                f,
                "  tolerated: {} {} finding(s) in {} execution(s); the first: {}",
                t.findings, t.kind, t.executions, t.first
            )?;
        }
        writeln!(f, "trace of the failing execution:")?;
        f.write_str(&self.trace)
    }
}

impl std::error::Error for Failure {}
