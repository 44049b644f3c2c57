//! Replaying a schedule that must fit the program: one given by the caller
//! ([`Config::schedule`](crate::Config::schedule)) or saved in a regression file. Unlike the
//! replay of a schedule the simulator just recorded (where a divergence is nondeterminism, a
//! [`Failure`](crate::Failure)), a schedule that does not fit here is a typed
//! [`ScheduleMismatch`] for the caller to classify: bad input, or a stale regression entry.

use weft_core::BoxFuture;

use crate::mismatch::{self, MismatchSlot, ScheduleMismatch};
use crate::run_loop::Outcome;
use crate::runner::{Report, Sim, SimError};
use crate::schedule::Schedule;
use crate::strategy::Replay;

impl Sim {
    /// Replays `schedule` with the trace on; `Err` if it does not fit the program.
    pub(crate) fn replay_fitting(
        &self,
        root: &dyn Fn(u64) -> BoxFuture,
        schedule: &Schedule,
    ) -> Result<Outcome, ScheduleMismatch> {
        let slot = MismatchSlot::default();
        let replay = Replay::new(schedule.clone()).reporting_to(slot.clone());
        let out = self.replay_with(root, schedule.seed, replay, self.recording());
        match mismatch::take(&slot) {
            Some(m) => Err(m),
            None => Ok(out),
        }
    }

    /// The run of a [`Config::schedule`](crate::Config::schedule): one execution; a schedule
    /// that does not fit is [`SimError::ScheduleMismatch`].
    pub(crate) fn replay_given(
        &self,
        root: &dyn Fn(u64) -> BoxFuture,
        schedule: &Schedule,
    ) -> Result<Report, SimError> {
        let out = self
            .replay_fitting(root, schedule)
            .map_err(SimError::ScheduleMismatch)?;
        if out.failure.is_some() {
            return Err(SimError::Failure(Box::new(self.failure(out, 1, "replay"))));
        }
        Ok(Report {
            executions: 1,
            exhausted: None,
            bound_reached: None,
            strategy: "replay".into(),
            tolerated: Vec::new(),
            stale: Vec::new(),
        })
    }
}
