//! How a loom or shuttle run fails: a fault becomes a tagged panic ([`fail`]), and a checker's
//! "deadlock" after the root task returned is re-raised as a leak ([`reclassify_leaks`], which
//! needs the per-run [`root_started`]/[`root_returned`] flag).
//!
//! The rest of what the two backends share has a file per concept, re-exported here: the
//! per-execution state ([`Execution`], `checked_exec.rs`), the funnels
//! ([`checked_funnels`], `checked_funnels.rs`), the internal lock ([`CheckedLock`] and
//! [`unwinding`], `checked_lock.rs`) and the clockless sleep ([`LogicalSleep`],
//! `logical_sleep.rs`).

use crate::error::FailureKind;

pub(crate) use super::checked_exec::Execution;
pub(crate) use super::checked_funnels::checked_funnels;
pub(crate) use super::checked_lock::{unwinding, CheckedLock};
pub use super::logical_sleep::LogicalSleep;

/// Reports a failure as a panic whose message carries the kind's tag.
pub(crate) fn fail(kind: FailureKind, message: String) -> ! {
    panic!("{}{}", kind.tag(), message)
}

std::thread_local! {
    /// Whether the current execution's root task returned. loom and shuttle run an execution's
    /// tasks as coroutines on the thread that called the checker, so a thread-local is per run.
    static ROOT_DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// An execution starts: its root has not returned.
pub(crate) fn root_started() {
    ROOT_DONE.with(|d| d.set(false));
}

/// The execution's root returned (what follows it is the wait for quiescence).
pub(crate) fn root_returned() {
    ROOT_DONE.with(|d| d.set(true));
}

/// Runs a whole loom or shuttle check. Their checkers call "deadlock" any state where no task
/// can run; when the root had already returned, that is weft's leak (tasks blocked forever
/// after the scenario's owner finished), and the failure is re-raised as one.
pub(crate) fn reclassify_leaks<T>(check: impl FnOnce() -> T) -> T {
    use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
    match catch_unwind(AssertUnwindSafe(check)) {
        Ok(v) => v,
        Err(payload) => {
            let msg = crate::error::panic_message(&*payload);
            if ROOT_DONE.with(|d| d.get()) && FailureKind::classify(&msg) == FailureKind::Deadlock {
                resume_unwind(Box::new(format!(
                    "{}tasks blocked forever after the root task returned (leaked at \
                     quiescence); the checker reported: {msg}",
                    FailureKind::Leak.tag()
                )))
            }
            resume_unwind(payload)
        }
    }
}
