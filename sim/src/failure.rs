//! [`Failure`]: everything needed to understand and reproduce a failing execution, on one
//! screen.

use std::borrow::Cow;
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

/// Longest schedule string a report prints whole. A longer one (a livelock that ran into the
/// step bound makes a decision per step) is shortened in the report: the whole string is
/// [`Failure::schedule`], and the first line of the trace file
/// ([`Config::trace_file`](crate::Config::trace_file)).
pub const MAX_SCHEDULE_SHOWN: usize = 2048;

impl Failure {
    /// The schedule as the report shows it: whole, or shortened if longer than
    /// [`MAX_SCHEDULE_SHOWN`].
    fn schedule_shown(&self) -> Cow<'_, str> {
        let s = &self.schedule;
        if s.len() <= MAX_SCHEDULE_SHOWN {
            return Cow::Borrowed(s);
        }
        // Schedule strings are ASCII: byte offsets are character offsets.
        Cow::Owned(format!(
            "{}…{} ({} characters, shortened; the whole string is Failure::schedule and the \
             first line of the trace file: set {} or Config::trace_file)",
            &s[..64],
            &s[s.len() - 16..],
            s.len(),
            crate::config::ENV_TRACE_FILE,
        ))
    }
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
        let schedule = self.schedule_shown();
        writeln!(f, "  schedule: {schedule}")?;
        match schedule {
            Cow::Borrowed(_) => writeln!(f, "  replay:   {}", self.replay_command)?,
            Cow::Owned(_) => writeln!(
                f,
                "  replay:   {}",
                self.replay_command
                    .replace(&self.schedule, "<the whole schedule>")
            )?,
        }
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
