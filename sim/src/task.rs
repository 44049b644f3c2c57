//! Tasks of one execution, and their wakers.

use std::task::{RawWaker, RawWakerVTable, Waker};

use weft_core::{BoxFuture, Op};

/// Where a task is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TaskState {
    /// May be polled.
    Runnable,
    /// Waiting for a wake-up.
    Blocked,
    /// Returned (or panicked).
    Finished,
}

/// A task's name and happens-before clock live in the execution's
/// [`Causality`](weft_core::causality::Causality) engine, under the same index.
pub(crate) struct Task {
    /// Absent while the task is being polled, and once it has finished.
    pub(crate) future: Option<BoxFuture>,
    pub(crate) state: TaskState,
    /// The last operation the task reached: what it waits on when it blocks.
    pub(crate) last_op: Option<Op>,
    /// What the task's next step performs first: the operation of the scheduling point it
    /// stopped at, or, after a step that blocked, the operation it blocked in (the last one it
    /// reached in that step, else the one it resumed from). Unlike `last_op`, operations the
    /// task notes after a point, in the same step, do not replace it (a `timeout` polls its
    /// inner future to a point, then arms its timer).
    pub(crate) point_op: Option<Op>,
    /// The node and incarnation the task belongs to ([`crate::nodes`]), if any.
    pub(crate) node: Option<(u32, u32)>,
}

/// A waker is the pair (execution id, task index) packed in the data word; waking looks the
/// execution up in the thread's context and ignores a stale or foreign one.
pub(crate) fn waker(exec_id: u64, task: u32) -> Waker {
    let data = ((exec_id as usize) << 32) | task as usize;
    // SAFETY: the vtable functions below treat the data word as a plain integer.
    unsafe { Waker::from_raw(RawWaker::new(data as *const (), &VTABLE)) }
}

static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake, drop_waker);

fn clone(data: *const ()) -> RawWaker {
    RawWaker::new(data, &VTABLE)
}

fn wake(data: *const ()) {
    let data = data as usize;
    let exec_id = (data >> 32) as u64;
    let task = (data & 0xffff_ffff) as u32;
    crate::context::try_with(exec_id, |exec| exec.wake(task));
}

fn drop_waker(_: *const ()) {}
