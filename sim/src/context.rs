//! The single scoped execution context.
//!
//! While an execution runs, its [`Exec`] state lives in a `RefCell` owned by the executor's
//! stack frame, and a thread-local pointer to it is set for the duration (and reset by a guard,
//! even on unwind). Handles ([`SimRuntime`](crate::SimRuntime)) and wakers carry the execution's
//! id and check it, so a handle leaked out of its execution fails with a clear message instead
//! of touching another execution. Nothing else is thread-local, and nothing survives the run.

use std::cell::{Cell, RefCell};
use std::ptr;

use crate::execution::Exec;

thread_local! {
    static CURRENT: Cell<*const RefCell<Exec>> = const { Cell::new(ptr::null()) };
}

/// Sets the context for the lifetime of the guard.
pub(crate) struct Enter {
    previous: *const RefCell<Exec>,
}

impl Enter {
    pub(crate) fn new(exec: &RefCell<Exec>) -> Enter {
        let previous = CURRENT.with(|c| c.replace(exec as *const _));
        Enter { previous }
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.previous));
    }
}

pub(crate) const OUTSIDE: &str = "weft-sim: a SimRuntime handle was used outside the execution it \
                                  belongs to (it is only valid inside the Sim::run body that \
                                  received it, during that execution)";

/// Runs `f` on the current execution if it has id `id`; `None` otherwise.
pub(crate) fn try_with<R>(id: u64, f: impl FnOnce(&mut Exec) -> R) -> Option<R> {
    let p = CURRENT.with(|c| c.get());
    if p.is_null() {
        return None;
    }
    // SAFETY: the pointer is set only by `Enter`, which lives in the executor's frame strictly
    // inside the lifetime of the RefCell it points to, and is reset when that frame ends.
    let cell = unsafe { &*p };
    let mut exec = cell.try_borrow_mut().ok()?;
    (exec.id == id).then(|| f(&mut exec))
}

/// Runs `f` on the current execution, which must have id `id`.
///
/// # Panics
/// With [`OUTSIDE`] if no execution with that id is running on this thread.
pub(crate) fn with<R>(id: u64, f: impl FnOnce(&mut Exec) -> R) -> R {
    match try_with(id, f) {
        Some(r) => r,
        None => panic!("{OUTSIDE}"),
    }
}

/// Runs `f` on whatever execution is current on this thread, if any and not borrowed.
pub(crate) fn try_current<R>(f: impl FnOnce(&mut Exec) -> R) -> Option<R> {
    let p = CURRENT.with(|c| c.get());
    if p.is_null() {
        return None;
    }
    // SAFETY: as in `try_with`.
    let cell = unsafe { &*p };
    let mut exec = cell.try_borrow_mut().ok()?;
    Some(f(&mut exec))
}
