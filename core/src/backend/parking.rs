//! [`Parking`]: a mirror of which tasks of one loom or shuttle execution can still run, so
//! that weft finds a deadlock itself, before the checker does (see `loom_park` and
//! `shuttle_verdict` for why each needs to).
//!
//! The protocol, per task:
//! - [`Parking::spawned`] registers it as running before it first runs, so a task not yet
//!   started counts as runnable;
//! - [`Parking::start_poll`] marks it running and clears its wake flag before each poll; its
//!   waker sets the flag
//!   ([`Parking::wake`]) before waking it in the checker;
//! - after a `Pending` poll, [`Parking::park`] marks it parked, unless no wake is pending for
//!   it and every other live task is parked without one: then nothing can ever wake any of
//!   them, and `park` returns the live tasks for the deadlock report;
//! - [`Parking::done`] when it completes or unwinds.
//!
//! Only a task's own waker can unblock it: the checkers' internal locks are held for a
//! critical section, never across an await, so a task blocked on one is still "running" here
//! and never makes the check fire early.

use std::sync::Mutex;

use super::checked::Execution;
use crate::causality::TaskIndex;
use crate::error::FailureKind;
use crate::fault::Fault;

/// weft's report for the live tasks `blocked` ([`Parking::park`]'s error): a
/// [`FailureKind::Deadlock`] while the root (task 0) is among them; once the root has
/// returned, a [`FailureKind::Leak`] (tasks blocked forever after the scenario's owner
/// finished).
pub(crate) fn deadlock_fault(exec: &Execution, blocked: &[TaskIndex]) -> Fault {
    let names: Vec<String> = blocked
        .iter()
        .map(|&t| exec.with(|tr| tr.name(t)))
        .collect();
    let names = names.join(", ");
    if blocked.contains(&0) {
        Fault::new(
            FailureKind::Deadlock,
            format!(
                "deadlock: every task is blocked and nothing can wake one; blocked tasks: \
                 [{names}]"
            ),
        )
    } else {
        Fault::new(
            FailureKind::Leak,
            format!(
                "tasks blocked forever after the root task returned (leaked at quiescence): \
                 nothing can wake one; blocked tasks: [{names}]"
            ),
        )
    }
}

/// A task's state in the mirror.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Running,
    Parked,
    Done,
}

#[derive(Debug)]
struct Slot {
    state: State,
    /// A wake arrived since the task last started polling.
    woken: bool,
}

/// The mirror of one execution's tasks (indexed by [`TaskIndex`]; names come from the
/// causality engine, passed in when a deadlock is reported).
#[derive(Debug, Default)]
pub(crate) struct Parking {
    slots: Mutex<Vec<Slot>>,
}

impl Parking {
    fn slots(&self) -> std::sync::MutexGuard<'_, Vec<Slot>> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers task `task` as running (before its loom thread is spawned, so that a task
    /// not yet started counts as runnable).
    pub(crate) fn spawned(&self, task: TaskIndex) {
        let mut slots = self.slots();
        while slots.len() <= task {
            slots.push(Slot {
                state: State::Done,
                woken: false,
            });
        }
        slots[task] = Slot {
            state: State::Running,
            woken: false,
        };
    }

    fn set(&self, task: TaskIndex, state: State) {
        if let Some(slot) = self.slots().get_mut(task) {
            slot.state = state;
        }
    }

    pub(crate) fn start_poll(&self, task: TaskIndex) {
        if let Some(slot) = self.slots().get_mut(task) {
            slot.state = State::Running;
            slot.woken = false;
        }
    }

    pub(crate) fn wake(&self, task: TaskIndex) {
        if let Some(slot) = self.slots().get_mut(task) {
            slot.woken = true;
        }
    }

    /// Marks `task` parked, unless parking it would leave no task able to run: then returns
    /// the live tasks (all of them blocked; the root among them unless it has returned).
    pub(crate) fn park(&self, task: TaskIndex) -> Result<(), Vec<TaskIndex>> {
        let mut slots = self.slots();
        let stuck = |i: usize, s: &Slot| i == task || (s.state == State::Parked && !s.woken);
        let me_woken = slots.get(task).is_some_and(|s| s.woken);
        if !me_woken
            && slots
                .iter()
                .enumerate()
                .all(|(i, s)| s.state == State::Done || stuck(i, s))
        {
            return Err(slots
                .iter()
                .enumerate()
                .filter(|(_, s)| s.state != State::Done)
                .map(|(i, _)| i)
                .collect());
        }
        if let Some(slot) = slots.get_mut(task) {
            slot.state = State::Parked;
        }
        Ok(())
    }

    /// Task `task` completed or unwound.
    pub(crate) fn done(&self, task: TaskIndex) {
        self.set(task, State::Done);
    }
}
