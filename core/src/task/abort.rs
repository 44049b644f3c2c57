//! Aborting a spawned task, written once over the funnels for every backend.
//!
//! Protocol: every task body started by [`Runtime::spawn`](crate::Runtime::spawn) is wrapped
//! in an [`Abortable`]. Each poll first checks the task's abort flag. [`request`] sets the
//! flag and wakes the task, so a task parked forever (on a channel nobody will send to, say)
//! is polled once more; that poll drops the body without polling it and the task ends as
//! *cancelled*. A task that has already returned is not affected; a body that completes in
//! the same poll that an abort races with returns its output (tokio's rule: an abort takes
//! effect at the task's next poll).
//!
//! Happens-before edge: the abort → the aborted task's exit (the poll that drops the body
//! acquires the aborter's history), and so, through the exit's release, → the join that
//! reports the task cancelled.
//!
//! The flag sits in a plain `std` mutex, not a [`Runtime::Lock`](crate::Runtime::Lock): the
//! check runs on every poll of every task, and making it a loom/shuttle scheduling point
//! would multiply every model's interleavings for a flag that only an abort writes. The
//! critical sections never block or await, so the checkers' serialized tasks never contend
//! on it; the abort's wake-up and the task's next poll are the checker's own operations.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex as StdMutex};
use std::task::{Context, Poll, Waker};

use crate::runtime::{Op, Runtime};

/// The abort flag of one task, shared by its handles and its wrapped body.
pub(crate) struct AbortCell<R: Runtime> {
    requested: bool,
    waker: Option<Waker>,
    /// Released by the abort, acquired by the poll that drops the body.
    clock: R::Clock,
}

pub(crate) type SharedAbort<R> = Arc<StdMutex<AbortCell<R>>>;

pub(crate) fn new_cell<R: Runtime>() -> SharedAbort<R> {
    Arc::new(StdMutex::new(AbortCell {
        requested: false,
        waker: None,
        clock: R::Clock::default(),
    }))
}

fn lock<R: Runtime>(cell: &SharedAbort<R>) -> std::sync::MutexGuard<'_, AbortCell<R>> {
    cell.lock().unwrap_or_else(|p| p.into_inner())
}

/// Asks the task to stop at its next poll, and wakes it. Idempotent. `op` is the abort
/// ([`AccessKind::Abort`](crate::object::AccessKind::Abort) of the task's object).
pub(crate) fn request<R: Runtime>(rt: &R, cell: &SharedAbort<R>, op: Op) {
    rt.note(op);
    let waker = {
        let mut c = lock(cell);
        if c.requested {
            return;
        }
        c.requested = true;
        rt.release(&mut c.clock);
        c.waker.take()
    };
    if let Some(w) = waker {
        w.wake();
    }
}

/// A task body that stops at its next poll once aborted; its output is `None` then.
pub(crate) struct Abortable<R: Runtime, F> {
    pub(crate) rt: R,
    pub(crate) cell: SharedAbort<R>,
    pub(crate) body: Option<Pin<Box<F>>>,
}

// The body is boxed, so nothing is pinned structurally.
impl<R: Runtime, F> Unpin for Abortable<R, F> {}

impl<R: Runtime, F: Future> Future for Abortable<R, F> {
    type Output = Option<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let aborted = {
            let mut c = lock(&self.cell);
            if c.requested {
                self.rt.acquire(&c.clock);
                true
            } else {
                if !c.waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                    c.waker = Some(cx.waker().clone());
                }
                false
            }
        };
        if aborted {
            // Dropped outside the flag's lock: the body's destructors may do anything.
            self.body = None;
            return Poll::Ready(None);
        }
        let body = self
            .body
            .as_mut()
            .expect("Abortable polled after completion");
        match body.as_mut().poll(cx) {
            Poll::Ready(v) => {
                self.body = None;
                lock(&self.cell).waker = None;
                Poll::Ready(Some(v))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}
