//! How a weft task runs on a loom thread: [`block_on`], and the deadlock check that runs
//! before a task parks.
//!
//! loom detects a deadlock inside the park of the last runnable thread, after it has cleared
//! its active thread. The panic then unwinds that thread's stack, and loom's own objects on it
//! (the `loom::sync::Arc` of `loom::future::block_on`, the result slot of `loom::thread::spawn`)
//! call back into loom from their destructors, find no active thread and panic again: a panic
//! in a destructor during unwinding, which aborts the whole test binary.
//!
//! So weft checks first: every weft task is a loom thread that only ever blocks here (the
//! internal locks are held for a critical section, never across an await), and [`Parking`]
//! finds the deadlock when the last task is about to park. The task then raises weft's own
//! deadlock (or leak) report while loom still has an active thread, so the failure unwinds like
//! any assertion in a task and the model returns it to the caller.
//!
//! The mirror never feeds back into loom: the same `loom::sync::Notify` wait as
//! `loom::future::block_on` makes the parks, so loom explores the same interleavings.
//!
//! What remains: a model that blocks a loom thread outside weft (a raw `loom` primitive in the
//! body) can still reach loom's own deadlock report, and with it the abort.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use super::checked::Execution;
use super::parking::{deadlock_fault, Parking};
use super::verdict::Slot;
use crate::causality::TaskIndex;

/// Wakes a task parked in [`block_on`]: records the wake in the mirror, then notifies loom.
struct TaskWaker {
    parking: Arc<Parking>,
    task: TaskIndex,
    notify: loom::sync::Notify,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // A wake from a destructor that runs while a failure unwinds must not call into loom
        // (see `checked::unwinding`); the execution is over anyway.
        if super::checked::unwinding() {
            return;
        }
        self.parking.wake(self.task);
        self.notify.notify();
    }
}

/// Marks the task done when its future completes or its thread unwinds.
struct DoneGuard<'a>(&'a Parking, TaskIndex);

impl Drop for DoneGuard<'_> {
    fn drop(&mut self) {
        self.0.done(self.1);
    }
}

/// Drives `fut`, task `task` of execution `exec` whose mirror is `parking`, to completion on
/// the current loom thread; a deadlock or leak is raised into the check's `slot`, and
/// `step` is called before each park (a scheduling step).
pub(crate) fn block_on<F: Future>(
    parking: &Arc<Parking>,
    exec: &Execution,
    slot: &Slot,
    task: TaskIndex,
    fut: F,
    step: impl Fn(),
) -> F::Output {
    let _done = DoneGuard(parking, task);
    let waker = Arc::new(TaskWaker {
        parking: parking.clone(),
        task,
        notify: loom::sync::Notify::new(),
    });
    let waker_handle = Waker::from(waker.clone());
    let mut cx = Context::from_waker(&waker_handle);
    let mut fut = pin!(fut);
    loop {
        parking.start_poll(task);
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
        step();
        if let Err(blocked) = parking.park(task) {
            let name = exec.with(|t| t.name(task));
            slot.raise(deadlock_fault(exec, &blocked), Some(name));
        }
        waker.notify.wait();
    }
}
