//! What a loom or shuttle check returns, as values: [`Checked`] when every execution passed,
//! [`Found`] for the first failure; and the per-check `Slot` that carries the failure from
//! where it is raised to the entry point.
//!
//! The protocol, per check:
//! - the entry point makes one `Slot` and hands it to every execution; each execution
//!   starts with `Slot::execution_started`, so the count is the checker's own;
//! - [`Runtime::fail`](crate::Runtime::fail) (and weft's deadlock and leak reports, and the
//!   step bound) records its [`Fault`] in the slot with the running task's name
//!   (`Slot::record`), then unwinds with `Raised`, a payload that carries no text;
//! - any other panic that ends an execution (a model's `assert!`, the checker's own) is a
//!   [`FailureKind::Panic`] with the panic's message (`Slot::record_panic`): its text is
//!   read for people, never classified;
//! - the first record wins; the entry point ends with `Slot::conclude`.
//!
//! The panicking entry points (`loom::model`, `shuttle::check_*`) panic with the rendered
//! [`Found`]; nothing parses that text.

use std::any::Any;
use std::fmt;
use std::sync::Mutex;

use crate::error::{panic_message, FailureKind};
use crate::fault::Fault;

/// Every execution of a check passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checked {
    /// Executions the checker ran.
    pub executions: u64,
}

/// The first failing execution of a check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// What failed.
    pub fault: Fault,
    /// The task that raised it, when weft knew (a model's own panic under loom: unknown).
    pub task: Option<String>,
    /// The failing execution's number, from 1 (the executions the checker ran).
    pub execution: u64,
    /// How to reproduce it, when the checker is seeded (`shuttle random, seed 7`).
    pub reproduce: Option<String>,
}

/// The report people read: `[weft:KIND] message` (a model's own panic: its message alone),
/// then, under a seeded checker, `(REPRODUCE; failing execution N)` on a line of its own.
impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.fault.kind != FailureKind::Panic {
            write!(f, "[weft:{}] ", self.fault.kind)?;
        }
        write!(f, "{}", self.fault)?;
        if let Some(how) = &self.reproduce {
            write!(f, "\n({how}; failing execution {})", self.execution)?;
        }
        Ok(())
    }
}

impl std::error::Error for Found {}

/// The [`FailureKind::StepBound`] fault of an execution that took more than `bound`
/// scheduling steps; `raise` says how to raise the bound.
pub(crate) fn step_bound(bound: u64, raise: &str) -> Fault {
    Fault::new(
        FailureKind::StepBound,
        format!(
            "step bound exceeded: the execution took more than {bound} scheduling steps (a \
             livelock or a spin loop?); {raise}"
        ),
    )
}

/// The unwinding payload of a failure already recorded in the check's [`Slot`].
#[derive(Debug)]
pub(crate) struct Raised;

/// One check's executions count and first failure (see the module doc).
#[derive(Debug, Default)]
pub(crate) struct Slot {
    state: Mutex<SlotState>,
}

#[derive(Debug, Default)]
struct SlotState {
    found: Option<Found>,
    executions: u64,
}

impl Slot {
    fn state(&self) -> std::sync::MutexGuard<'_, SlotState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// An execution starts.
    pub(crate) fn execution_started(&self) {
        self.state().executions += 1;
    }

    /// Whether a failure was recorded.
    pub(crate) fn failed(&self) -> bool {
        self.state().found.is_some()
    }

    /// Records `fault`, raised in task `task` of the current execution, unless a failure
    /// already was.
    pub(crate) fn record(&self, fault: Fault, task: Option<String>) {
        let mut state = self.state();
        if state.found.is_none() {
            let execution = state.executions;
            state.found = Some(Found {
                fault,
                task,
                execution,
                reproduce: None,
            });
        }
    }

    /// Records the panic whose payload is `payload`: nothing for [`Raised`] (recorded before
    /// it unwound), else a [`FailureKind::Panic`] with its message.
    pub(crate) fn record_panic(&self, payload: &(dyn Any + Send), task: Option<String>) {
        if !payload.is::<Raised>() {
            self.record(Fault::new(FailureKind::Panic, panic_message(payload)), task);
        }
    }

    /// Records `fault` and unwinds the running task.
    pub(crate) fn raise(&self, fault: Fault, task: Option<String>) -> ! {
        self.record(fault, task);
        std::panic::resume_unwind(Box::new(Raised))
    }

    /// The check's result, after the checker returned (`Ok`) or unwound (`Err`, its
    /// payload); `reproduce` says how to reproduce a failure.
    pub(crate) fn conclude(
        &self,
        ran: Result<(), Box<dyn Any + Send>>,
        reproduce: Option<String>,
    ) -> Result<Checked, Box<Found>> {
        if let Err(payload) = ran {
            self.record_panic(&*payload, None);
        }
        let mut state = self.state();
        match state.found.take() {
            Some(found) => Err(Box::new(Found { reproduce, ..found })),
            None => Ok(Checked {
                executions: state.executions,
            }),
        }
    }
}
