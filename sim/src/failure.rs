//! [`Failure`]: everything needed to understand and reproduce a failing execution, on one
//! screen.

use std::borrow::Cow;
use std::fmt;
use std::panic::Location;

use weft_core::{FailureKind, Fault, Instant, OracleId};

use crate::schedule::Schedule;
use crate::trace::render::{self, TraceFile};
use crate::trace::Trace;

/// A failing execution, as values: the [`Fault`] that ended it (kind, oracle, message, site,
/// kept as fields of their own, the way the issue's `Finding` has them, so that `f.kind` and
/// `f.message` read as before), where and when it happened, the schedule that replays it and
/// the trace. Its `Display` is the report people read.
#[derive(Clone, Debug)]
pub struct Failure {
    /// What kind of failure.
    pub kind: FailureKind,
    /// The scenario oracle it breaks, if an oracle raised it ([`Fault::oracle`]).
    pub oracle: Option<OracleId>,
    /// The checker's or the panic's message (sites included; without the oracle's name, which
    /// is [`Failure::oracle`]).
    pub message: String,
    /// Where the model code reached the failing operation, when the fault said.
    pub site: Option<&'static Location<'static>>,
    /// The task that was running when it was found.
    pub task: String,
    /// The failing execution's seed.
    pub seed: u64,
    /// 1-based index of the failing execution in its run.
    pub execution: u64,
    /// The strategy that found it.
    pub strategy: String,
    /// The schedule that replays it (`schedule.encode()` is the string a report prints).
    pub schedule: Schedule,
    /// How many preemptions the schedule makes: decisions that switched away from a task that
    /// was still runnable and had not yielded
    /// ([`DecisionPoint::preempts`](crate::strategy::DecisionPoint::preempts)). Under
    /// [`StrategyKind::Icb`](crate::StrategyKind::Icb) no failing schedule has fewer.
    pub preemptions: u32,
    /// For [`StrategyKind::Icb`](crate::StrategyKind::Icb): the largest preemption bound fully
    /// explored, without a failure, before this one was found (`None`: not even bound 0, or
    /// another strategy).
    pub bound_reached: Option<u32>,
    /// Executor step at which it was found.
    pub step: u64,
    /// Virtual time at which it was found.
    pub time: Instant,
    /// The trace of the failing execution (bounded, or full when a trace file was asked for).
    pub trace: Trace,
    /// The name of each task, by task index (the trace's events name tasks by index).
    pub tasks: Vec<String>,
    /// Where the full trace went.
    pub trace_file: TraceFile,
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
    /// The fault that ended the execution, as a value.
    pub fn fault(&self) -> Fault {
        Fault {
            kind: self.kind,
            oracle: self.oracle,
            message: self.message.clone(),
            site: self.site,
        }
    }

    /// The per-task trace as the report prints it: both ends of the execution and of each
    /// task's history, bounded in lines and width.
    pub fn trace_report(&self) -> String {
        render::bounded(&self.trace, &self.tasks, &self.trace_file)
    }

    /// The schedule as the report shows it: whole, or shortened if longer than
    /// [`MAX_SCHEDULE_SHOWN`].
    fn schedule_shown(schedule: &str) -> Cow<'_, str> {
        let s = schedule;
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
        writeln!(f, "  {}", self.fault().to_string().replace('\n', "\n  "))?;
        writeln!(
            f,
            "  in task '{}' at step {}, virtual time {:?}",
            self.task,
            self.step,
            self.time.since_epoch()
        )?;
        writeln!(
            f,
            "  execution {} of the run, seed {}, strategy {}, {} preemption(s)",
            self.execution, self.seed, self.strategy, self.preemptions
        )?;
        if let Some(r) = self.bound_reached {
            writeln!(
                f,
                "  no failure with {r} preemption(s) or fewer (bound reached {r})"
            )?;
        }
        let encoded = self.schedule.encode();
        let schedule = Failure::schedule_shown(&encoded);
        writeln!(f, "  schedule: {schedule}")?;
        match schedule {
            Cow::Borrowed(_) => writeln!(f, "  replay:   {}", self.replay_command)?,
            Cow::Owned(_) => writeln!(
                f,
                "  replay:   {}",
                self.replay_command
                    .replace(&encoded, "<the whole schedule>")
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
        f.write_str(&self.trace_report())
    }
}

impl std::error::Error for Failure {}
