//! The single scoped execution context, and the list of every thread-local weft keeps.
//!
//! While an execution runs, its [`Exec`] state lives in a `RefCell` owned by the executor's
//! stack frame, and a thread-local pointer to it is set for the duration (and reset by a guard,
//! even on unwind). Handles ([`SimRuntime`](crate::SimRuntime)) and wakers carry the execution's
//! id and check it, so a handle leaked out of its execution fails with a clear message instead
//! of touching another execution. Nothing survives the run.
//!
//! # Thread-local state
//!
//! This is the one place that lists every thread-local of weft (weft-sim and weft-core), with
//! the reason it cannot be an argument. Everything else reaches its state through a handle.
//!
//! | where | what | why it is thread-local |
//! |---|---|---|
//! | here, `EXEC` | the running execution | a [`Waker`](std::task::Waker) is a data word and a vtable, and a `SimRuntime` is a `Copy` id: from inside a task's poll neither can borrow the executor's frame, so the frame lends its state for the duration of the execution, and each use checks the id |
//! | here, `PANIC_SITE` | where the last panic inside an execution happened | the panic hook is process-global and receives only the panic; this thread's context is the only way it can tell a panic inside a simulated task (kept quiet, its site recorded for the report) from any other (passed on to the previous hook) |
//! | `weft_core::backend::loom`, `CURRENT` | the loom model running on this thread | loom runs every execution's threads on the OS thread that called `model`, and `LoomRuntime::current()` and a handle's "am I in my execution" check have nothing else to look in; loom's own `lazy_static` cannot be set from outside |
//! | `weft_core::backend::loom`, `TASK` (a `loom::thread_local!`) | the weft task index of the running loom thread | only loom knows which of its threads is running; its per-thread storage is the way to ask (it is per loom thread and reset per execution, not an OS thread-local) |
//! | `weft_core::backend::tokio`, `RAISED` | set by `Runtime::fail` on the thread it is about to unwind | the task's own catch runs on the same OS thread right after; it tells a fault already recorded as a value from a plain panic, without a shared map keyed by task (tokio moves tasks between worker threads only between polls, and the flag is cleared at each poll) |
//! | `weft_core::backend::tokio`, `XORSHIFT` | the production backend's random generator for `choose`/`rand_u64` | production choice is unrecorded; a per-thread generator keeps every `select` free of a shared cache line that all worker threads would write |
//!
//! Not thread-local any more: loom/shuttle's "root returned" flag (a deadlock after the root's
//! return is told from the parking mirror, a value), the watchdog's pulse (the run hands it to each execution with
//! its limits), execution ids (a process-wide counter), and the panic hook's "quiet" flag
//! (a panic is quiet exactly while an execution's context is set).

use std::cell::{Cell, RefCell};
use std::ptr;

use crate::execution::Exec;

thread_local! {
    /// The running execution (null outside one). Kept apart from the panic site: a `Cell` of
    /// a pointer needs no destructor, so the funnels' hot path reads it without the
    /// registration check a thread-local with a destructor costs.
    static EXEC: Cell<*const RefCell<Exec>> = const { Cell::new(ptr::null()) };
    /// Where the last quiet panic happened.
    static PANIC_SITE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Sets the context for the lifetime of the guard.
pub(crate) struct Enter {
    previous: *const RefCell<Exec>,
}

impl Enter {
    pub(crate) fn new(exec: &RefCell<Exec>) -> Enter {
        let previous = EXEC.with(|c| c.replace(exec as *const _));
        Enter { previous }
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        EXEC.with(|c| c.set(self.previous));
    }
}

pub(crate) const OUTSIDE: &str = "weft-sim: a SimRuntime handle was used outside the execution it \
                                  belongs to (it is only valid inside the Sim::run body that \
                                  received it, during that execution)";

/// Runs `f` on the current execution if it has id `id`; `None` otherwise.
pub(crate) fn try_with<R>(id: u64, f: impl FnOnce(&mut Exec) -> R) -> Option<R> {
    try_current(|exec| (exec.id == id).then(|| f(exec))).flatten()
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
    let p = EXEC.with(|c| c.get());
    if p.is_null() {
        return None;
    }
    // SAFETY: the pointer is set only by `Enter`, which lives in the executor's frame strictly
    // inside the lifetime of the RefCell it points to, and is reset when that frame ends.
    let cell = unsafe { &*p };
    let mut exec = cell.try_borrow_mut().ok()?;
    Some(f(&mut exec))
}

/// Whether an execution's context is set on this thread (its panics are quiet).
pub(crate) fn entered() -> bool {
    // `try_with`: the panic hook may run while the thread-local is being destroyed.
    EXEC.try_with(|c| !c.get().is_null()).unwrap_or(false)
}

/// Records where a quiet panic happened.
pub(crate) fn set_panic_site(site: Option<String>) {
    let _ = PANIC_SITE.try_with(|s| *s.borrow_mut() = site);
}

/// The site of the last quiet panic on this thread, taken.
pub(crate) fn take_panic_site() -> Option<String> {
    PANIC_SITE.with(|s| s.borrow_mut().take())
}
