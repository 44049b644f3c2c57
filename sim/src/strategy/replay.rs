//! Replay of a recorded [`Schedule`]: follow its decisions; the first one that does not fit the
//! program is a [`ScheduleMismatch`], returned as the divergence message and, when the runner
//! asked for it ([`Replay::reporting_to`]), kept as a value for the runner to classify.

use super::{Candidate, DecisionPoint, Strategy};
use crate::mismatch::{Mismatch, MismatchSlot, Need, ScheduleMismatch};
use crate::schedule::{Decision, Schedule};

/// Follows a schedule for exactly one execution.
#[derive(Debug)]
pub struct Replay {
    schedule: Schedule,
    at: usize,
    started: bool,
    slot: Option<MismatchSlot>,
}

impl Replay {
    /// Replays `schedule`.
    pub fn new(schedule: Schedule) -> Self {
        Replay {
            schedule,
            at: 0,
            started: false,
            slot: None,
        }
    }

    /// Also leaves the first mismatch in `slot`.
    pub(crate) fn reporting_to(mut self, slot: MismatchSlot) -> Self {
        self.slot = Some(slot);
        self
    }

    /// The seed the schedule was recorded with.
    pub fn seed(&self) -> u64 {
        self.schedule.seed
    }

    /// Decisions of the schedule not consumed by the execution.
    pub fn remaining(&self) -> usize {
        self.schedule.decisions.len() - self.at
    }

    /// Records the mismatch (the first one only) and renders it for the divergence failure.
    fn mismatch(&self, decision: usize, what: Mismatch) -> String {
        let m = ScheduleMismatch { decision, what };
        let text = m.to_string();
        if let Some(slot) = &self.slot {
            let mut s = slot.lock().unwrap_or_else(|p| p.into_inner());
            if s.is_none() {
                *s = Some(m);
            }
        }
        text
    }

    fn next(&mut self, need: Need) -> Result<(usize, Decision), String> {
        let at = self.at;
        match self.schedule.decisions.get(at).copied() {
            Some(d) => {
                self.at += 1;
                Ok((at, d))
            }
            None => {
                let len = self.schedule.decisions.len();
                Err(self.mismatch(at, Mismatch::Missing { len, need }))
            }
        }
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
        let need = Need::Pick;
        let (at, recorded) = self.next(need)?;
        let wanted = match recorded {
            Decision::Task(t) => Candidate::Task(t),
            Decision::Timer(t) => Candidate::Timer(t),
            other => {
                return Err(self.mismatch(
                    at,
                    Mismatch::Wrong {
                        recorded: other,
                        need,
                    },
                ))
            }
        };
        match point.candidates.iter().position(|c| *c == wanted) {
            Some(i) => Ok(i),
            None => Err(self.mismatch(
                at,
                Mismatch::NotACandidate {
                    recorded: wanted,
                    candidates: point.candidates.to_vec(),
                },
            )),
        }
    }

    fn choose(&mut self, n: usize) -> Result<usize, String> {
        let need = Need::Choice(n);
        match self.next(need)? {
            (_, Decision::Choice(c)) if (c as usize) < n => Ok(c as usize),
            (at, recorded) => Err(self.mismatch(at, Mismatch::Wrong { recorded, need })),
        }
    }

    fn random(&mut self) -> Result<u64, String> {
        let need = Need::Random;
        match self.next(need)? {
            (_, Decision::Random(r)) => Ok(r),
            (at, recorded) => Err(self.mismatch(at, Mismatch::Wrong { recorded, need })),
        }
    }

    fn fault(&mut self, kind: weft_core::faults::FaultKind, n: usize) -> Result<usize, String> {
        let need = Need::Fault(kind, n);
        match self.next(need)? {
            (_, Decision::Fault { kind: k, chosen }) if k == kind && (chosen as usize) < n => {
                Ok(chosen as usize)
            }
            (at, recorded) => Err(self.mismatch(at, Mismatch::Wrong { recorded, need })),
        }
    }

    fn end(&mut self, _decisions: u64) {}

    fn check_finished(&self) -> Result<(), String> {
        match self.remaining() {
            0 => Ok(()),
            unused => Err(self.mismatch(self.at, Mismatch::LeftOver { unused })),
        }
    }
}
