//! Replay of a recorded [`Schedule`]: follow its decisions; anything else is a divergence.

use super::{Candidate, DecisionPoint, Strategy};
use crate::schedule::{Decision, Schedule};

/// Follows a schedule for exactly one execution.
#[derive(Debug)]
pub struct Replay {
    schedule: Schedule,
    at: usize,
    started: bool,
}

impl Replay {
    /// Replays `schedule`.
    pub fn new(schedule: Schedule) -> Self {
        Replay {
            schedule,
            at: 0,
            started: false,
        }
    }

    /// The seed the schedule was recorded with.
    pub fn seed(&self) -> u64 {
        self.schedule.seed
    }

    fn next(&mut self, wanted: &str) -> Result<Decision, String> {
        let d = self
            .schedule
            .decisions
            .get(self.at)
            .copied()
            .ok_or_else(|| {
                format!(
                    "the schedule has {} decisions but the program needs more (a {wanted} at \
                 decision {})",
                    self.schedule.decisions.len(),
                    self.at
                )
            })?;
        self.at += 1;
        Ok(d)
    }

    /// Decisions of the schedule not consumed by the execution.
    pub fn remaining(&self) -> usize {
        self.schedule.decisions.len() - self.at
    }
}

impl Strategy for Replay {
    fn describe(&self) -> String {
        "replay".to_string()
    }

    fn begin(&mut self, _index: u64, _seed: u64) -> bool {
        !std::mem::replace(&mut self.started, true)
    }

    fn pick(&mut self, point: &DecisionPoint<'_>) -> Result<usize, String> {
        let at = self.at;
        let wanted = match self.next("task or timer pick")? {
            Decision::Task(t) => Candidate::Task(t),
            Decision::Timer(t) => Candidate::Timer(t),
            other => {
                return Err(format!(
                    "decision {at}: the schedule says {other}, but the program is choosing which \
                     task runs"
                ))
            }
        };
        point
            .candidates
            .iter()
            .position(|c| *c == wanted)
            .ok_or_else(|| {
                let names: Vec<String> = point.candidates.iter().map(|c| c.to_string()).collect();
                format!(
                    "decision {at}: the schedule runs {wanted}, but the candidates are [{}]",
                    names.join(", ")
                )
            })
    }

    fn choose(&mut self, n: usize) -> Result<usize, String> {
        let at = self.at;
        match self.next("data choice")? {
            Decision::Choice(c) if (c as usize) < n => Ok(c as usize),
            other => Err(format!(
                "decision {at}: the schedule says {other}, but the program makes a choice among {n}"
            )),
        }
    }

    fn random(&mut self) -> Result<u64, String> {
        let at = self.at;
        match self.next("random draw")? {
            Decision::Random(r) => Ok(r),
            other => Err(format!(
                "decision {at}: the schedule says {other}, but the program draws a random number"
            )),
        }
    }

    fn end(&mut self, _decisions: u64) {}

    fn check_finished(&self) -> Result<(), String> {
        match self.remaining() {
            0 => Ok(()),
            n => Err(format!(
                "the execution ended with {n} of the schedule's {} decisions unused: the schedule                  was recorded from a different program or version",
                self.schedule.decisions.len()
            )),
        }
    }
}
